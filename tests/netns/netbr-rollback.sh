#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge never leaves the host half done. Failures found before any
# change (a non-bridge holding the bridge's name, p<netdev> taken or too
# long, the NIC in another bridge, a label that would not fit, a multipath
# route) change nothing; then every change of start and of stop, in both
# layouts, is made to fail in turn (XNET_FAIL_AT=N: the Nth change fails as
# if the kernel refused it) and everything done before it must be undone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

record() { cat "$XNET_STATE_DIR/network-bridge.$1" 2>/dev/null; }

# refused WHAT ARGS...: exit 1 and dom0 as it was, before and after.
refused() {
	local what=$1 before err rc
	shift
	before=$(nb_snapshot)
	err=$(nb "$@" 2>&1 >/dev/null)
	rc=$?
	log "$what: $err"
	[ $rc = 1 ] || fail "$what: exit $rc, want 1"
	nb_unchanged "$before" "$what"
}

host_lab enp3s0
d="ip -n $(ns dom0)"
pristine=$(nb_snapshot)

$d link add xenbr0 type veth peer name xenbr0p
refused "a veth named xenbr0" start
$d link del xenbr0
$d link add xenbr0 type bridge
refused "a bridge xenbr0 without enp3s0" start
$d link del xenbr0
$d link add penp3s0 type veth peer name penp3s0p
refused "penp3s0 taken" start bridge=enp3s0
$d link del penp3s0
$d link add enp3s0f1np1v123 type veth peer name x1
refused "p + a 15-byte name" start netdev=enp3s0f1np1v123 bridge=enp3s0f1np1v123
$d link add br9 type bridge
$d link set enp3s0f1np1v123 master br9
refused "a NIC in another bridge" start netdev=enp3s0f1np1v123
$d link del br9
$d link del enp3s0f1np1v123
refused "lo" start netdev=lo
refused "no such NIC" start netdev=eth7
$d addr add 192.168.7.3/24 dev enp3s0 label enp3s0:abcdefg
refused "a label too long for bridge xenbr-lan0" start bridge=xenbr-lan0
$d addr del 192.168.7.3/24 dev enp3s0
$d route add 10.60.0.0/16 nexthop via 192.168.0.1 dev enp3s0 nexthop via 192.168.0.254 dev enp3s0
refused "a multipath route" start
$d route del 10.60.0.0/16
before=$(nb_snapshot)
nb start dry_run=yes >/dev/null || fail "a dry run exited $?"
nb_unchanged "$before" "a dry run of start"
expect_eq "$(record xenbr0)" "" "a dry run leaves no record"
nb_unchanged "$pristine" "the refused runs"

# fail_each WHAT CMD ARGS...: fail change 1, 2, ... of the run until it
# succeeds; each failed run must leave dom0 exactly as it was.
fail_each() {
	local what=$1 before n=0 rc err
	shift
	before=$(nb_snapshot)
	while :; do
		n=$((n + 1))
		[ $n -le 200 ] || fail "$what still failing at change $n"
		err=$(NB_ENV=XNET_FAIL_AT=$n nb "$@" 2>&1 >/dev/null)
		rc=$?
		[ $rc = 0 ] && break
		[ $rc = 1 ] || fail "$what, change $n failed: exit $rc"
		nb_unchanged "$before" "$what with change $n failing"
	done
	log "$what: $((n - 1)) changes, each undone when it failed"
	[ $n -gt 10 ] || fail "$what made only $((n - 1)) changes"
}

for br in xenbr0 enp3s0; do
	port=enp3s0
	[ $br = enp3s0 ] && port=penp3s0
	fail_each "start bridge=$br" start bridge=$br
	expect_eq "$(link_field dom0 $port master)" $br "then start went through"
	started=$(record $br)
	fail_each "stop bridge=$br" stop bridge=$br
	nb_unchanged "$pristine" "then stop went through"
	expect_eq "$(record $br)" "" "and removed the record"
	[ -n "$started" ] || fail "start left no record"
done
expect_lan
pass
