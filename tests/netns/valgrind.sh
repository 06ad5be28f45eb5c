#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Each program under valgrind: online, status and offline of the vif
# programs, start, status and stop of the network ones, and a failing run:
# no invalid access, no leak (definite, indirect or possible).
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "needs valgrind"
lab_init

ns_add dom0
bridge_dom0 192.168.0.3/24
ip -n "$(ns dom0)" route add default via 192.168.0.1
guest domU 1 0 ""
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
guest domV 2 0 ""
xs_vif 2 0 "$GUEST_MAC" ip=10.0.0.1

VG=(valgrind -q --track-origins=yes --error-exitcode=3 --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible --log-file="$T/vg.%p")
# vg PROG CMD DOMID [VAR=value...]: PROG under valgrind, as libxl runs it
vg() {
	local prog=$1 cmd=$2 d=$3
	shift 3
	in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/$d/0 vif=vif$d.0 "$@" \
		"${VG[@]}" "$BIN/$prog" "$cmd" type_if=vif </dev/null >/dev/null
	local rc=$?
	[ $rc = 3 ] && { cat "$T"/vg.*; fail "valgrind found errors in $prog $cmd"; }
	[ $rc = 0 ] || { [ "$cmd" = status ] && [ $rc = 1 ]; } ||	# a check may fail
		fail "$prog $cmd exited $rc under valgrind"
	ok "$prog $cmd: valgrind clean"
}

# xnet-guard status, then restore after the ruleset was flushed, with a
# guarded vif online
vguard() {
	local c rc
	in_ns dom0 nft flush ruleset
	for c in status restore; do
		in_ns dom0 env -i "${XENV[@]}" "${VG[@]}" "$BIN/xnet-guard" $c </dev/null >/dev/null
		rc=$?
		[ $rc = 3 ] && { cat "$T"/vg.*; fail "valgrind found errors in xnet-guard $c"; }
		[ $rc = 0 ] || { [ $c = status ] && [ $rc = 1 ]; } ||
			fail "xnet-guard $c exited $rc under valgrind"
		ok "xnet-guard $c: valgrind clean"
	done
}

for p in vif-bridge vif-route vif-nat; do
	d=1
	[ $p = vif-nat ] && d=2
	vg "$p" online $d netdev=xenbr0
	vg "$p" status $d netdev=xenbr0
	[ $p = vif-bridge ] && vguard
	vg "$p" offline $d netdev=xenbr0
done
# network-* programs: start, status, stop
vgn() {
	in_ns dom0 env -i "${XENV[@]}" "${VG[@]}" "$BIN/$1" "$2" netdev=xenbr0 </dev/null >/dev/null
	local rc=$?
	[ $rc = 3 ] && { cat "$T"/vg.*; fail "valgrind found errors in $1 $2"; }
	[ $rc = 0 ] || { [ "$2" = status ] && [ $rc = 1 ]; } ||
		fail "$1 $2 exited $rc under valgrind"
	ok "$1 $2: valgrind clean"
}
for p in network-route network-nat; do
	vgn "$p" start
	vgn "$p" status
	vgn "$p" stop
done
# network-bridge on a NIC of its own
ip -n "$(ns dom0)" link add nic0 type veth peer name nic1
ip -n "$(ns dom0)" link set nic0 up
ip -n "$(ns dom0)" addr add 172.16.0.3/24 dev nic0
for c in "start netdev=nic0 bridge=br9" "status netdev=nic0 bridge=br9" "stop netdev=nic0 bridge=br9"; do
	# shellcheck disable=SC2086
	in_ns dom0 env -i "${XENV[@]}" "${VG[@]}" "$BIN/network-bridge" $c </dev/null >/dev/null
	rc=$?
	[ $rc = 3 ] && { cat "$T"/vg.*; fail "valgrind found errors in network-bridge $c"; }
	[ $rc = 0 ] || { [ "${c%% *}" = status ] && [ $rc = 1 ]; } ||
		fail "network-bridge $c exited $rc under valgrind"
	ok "network-bridge ${c%% *}: valgrind clean"
done
# failure paths free what they took too
xs_write backend/vif/1/0/bridge nosuchbr0
in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 \
	"${VG[@]}" "$BIN/vif-bridge" online type_if=vif </dev/null 2>/dev/null
[ $? = 1 ] || { cat "$T"/vg.*; fail "failing run: valgrind errors or wrong exit"; }
ok "vif-bridge online failure: valgrind clean"
pass
