#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge stop killed between any two of its changes never strands
# dom0 either (issue 17). For each change N of a stop, in both layouts,
# stop is killed just before it (XNET_KILL_AT=N); then a re-run of stop
# must give the NIC back every address and route it had before start; and,
# killed again, a start instead must end as a clean start does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
KILLED=stop
. "$(dirname "$0")/lib-netbr-kill.sh"

for br in xenbr0 enp3s0; do
	args=
	port=enp3s0
	if [ $br = enp3s0 ]; then
		args=bridge=enp3s0
		port=penp3s0
	fi
	nb start $args || fail "a clean start ($br) exited $?"
	expect_layout $br $port "$mac"
	clean=$(layout)
	n=0
	while :; do
		n=$((n + 1))
		[ $n -le 200 ] || fail "stop still killed at change $n"
		killed $n $args || break
		nb stop $args || fail "stop after stop was killed at change $n exited $?"
		nb_unchanged "$pristine" "$br: stop killed at change $n, then stop"
		reach
		nb start $args || fail "start exited $?"
		same_layout "$clean" "$br: and then start: as a clean start"
		killed $n $args || fail "stop killed at change $n went through"
		nb start $args || fail "start after stop was killed at change $n exited $?"
		same_layout "$clean" "$br: stop killed at change $n, then start: as a clean start"
		reach
	done
	log "$br: stop killed before each of its $((n - 1)) changes"
	[ $n -gt 10 ] || fail "stop made only $((n - 1)) changes"
	nb_unchanged "$pristine" "$br: the last stop"
	[ -e "$XNET_STATE_DIR/network-bridge.$br" ] && fail "stop left the record of $br"
done
expect_lan
pass
