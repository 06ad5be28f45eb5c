#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-bridge online and offline execute no other program: one execve each.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip "needs strace"
lab_init

ns_add dom0
ip -n "$(ns dom0)" link add xenbr0 type bridge
guest domU 1 0 ""
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6

for cmd in online offline; do
	# (LeakSanitizer cannot run under ptrace: off here for sanitizer builds)
	in_ns dom0 env -i XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "${XENV[@]}" ASAN_OPTIONS=detect_leaks=0 \
		strace -f -qq -e trace=execve,execveat,fork,vfork,clone,clone3 -o "$T/strace.$cmd" \
		"$BIN/vif-bridge" "$cmd" type_if=vif || fail "$cmd"
	expect_eq "$(grep -c 'execve' "$T/strace.$cmd")" 1 "$cmd: one execve"
	expect_eq "$(grep -Ec 'fork|clone' "$T/strace.$cmd")" 0 "$cmd: no fork or clone"
done
expect_eq "$(link_field dom0 vif1.0 master)" "" "the traced runs did their work"
pass
