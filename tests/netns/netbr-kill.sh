#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge start killed between any two of its changes (kill -9, a
# crash, a power cut of the process) never strands dom0 (issue 17). For
# each change N of a start, in both layouts, start is killed just before it
# (XNET_KILL_AT=N); then a re-run of start must end as a clean start does
# (the bridge with the NIC in it, every address and route on the bridge,
# the LAN reachable); and, killed again, a stop instead must give the NIC
# back every address and route it had (the default and static ones too).
# A bare start and stop find the NIC from start's journal, even when the
# kill left no default route to find it by.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
KILLED=start
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
	nb stop $args || fail "a clean stop ($br) exited $?"
	nb_unchanged "$pristine" "a clean stop ($br)"
	n=0
	while :; do
		n=$((n + 1))
		[ $n -le 200 ] || fail "start still killed at change $n"
		killed $n $args || break
		nb start $args || fail "start after start was killed at change $n exited $?"
		same_layout "$clean" "$br: start killed at change $n, then start: as a clean start"
		reach
		nb stop $args || fail "stop exited $?"
		nb_unchanged "$pristine" "$br: and then stop"
		killed $n $args || fail "start killed at change $n went through"
		nb stop $args || fail "stop after start was killed at change $n exited $?"
		nb_unchanged "$pristine" "$br: start killed at change $n, then stop"
		reach
	done
	log "$br: start killed before each of its $((n - 1)) changes"
	[ $n -gt 10 ] || fail "start made only $((n - 1)) changes"
	nb stop $args || fail "stop exited $?"
	nb_unchanged "$pristine" "$br: the last stop"
	[ -e "$XNET_STATE_DIR/network-bridge.$br" ] && fail "stop left the record of $br"
done
expect_lan
pass
