#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# One online and one offline of each vif program under valgrind: no invalid
# access, no leak (definite, indirect or possible).
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "needs valgrind"
lab_init

ns_add dom0
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link set xenbr0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev xenbr0
guest domU 1 0 ""
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6

VG=(valgrind -q --track-origins=yes --error-exitcode=3 --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible --log-file="$T/vg.%p")
# vg PROG CMD [ARGS...]: PROG under valgrind, as libxl runs it
vg() {
	local prog=$1 cmd=$2
	shift 2
	in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "$@" \
		"${VG[@]}" "$BIN/$prog" "$cmd" type_if=vif </dev/null
	local rc=$?
	[ $rc = 3 ] && { cat "$T"/vg.*; fail "valgrind found errors in $prog $cmd"; }
	[ $rc = 0 ] || fail "$prog $cmd exited $rc under valgrind"
	ok "$prog $cmd: valgrind clean"
}

for p in vif-bridge vif-route; do
	vg "$p" online netdev=xenbr0
	vg "$p" offline netdev=xenbr0
done
# network-* programs: start, status, stop
vgn() {
	in_ns dom0 env -i "${XENV[@]}" "${VG[@]}" "$BIN/$1" "$2" netdev=xenbr0 </dev/null >/dev/null
	local rc=$?
	[ $rc = 3 ] && { cat "$T"/vg.*; fail "valgrind found errors in $1 $2"; }
	[ $rc = 0 ] || fail "$1 $2 exited $rc under valgrind"
	ok "$1 $2: valgrind clean"
}
for p in network-route; do
	[ -x "$BIN/$p" ] || continue
	vgn "$p" start
	vgn "$p" status
	vgn "$p" stop
done
# failure paths free what they took too
xs_write backend/vif/1/0/bridge nosuchbr0
in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 \
	"${VG[@]}" "$BIN/vif-bridge" online type_if=vif </dev/null 2>/dev/null
[ $? = 1 ] || { cat "$T"/vg.*; fail "failing run: valgrind errors or wrong exit"; }
ok "vif-bridge online failure: valgrind clean"
pass
