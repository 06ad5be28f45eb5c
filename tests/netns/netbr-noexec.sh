#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge start, status and stop execute no other program: one
# execve each, no fork.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
command -v strace >/dev/null || skip "needs strace"
lab_init

host_lab enp3s0
for cmd in start status stop; do
	in_ns dom0 env -i XNET_STATE_DIR="$XNET_STATE_DIR" \
		strace -f -qq -e trace=execve,execveat,fork,vfork,clone,clone3 -o "$T/strace.$cmd" \
		"$BIN/network-bridge" "$cmd" >/dev/null || fail "$cmd"
	expect_eq "$(grep -c 'execve' "$T/strace.$cmd")" 1 "$cmd: one execve"
	expect_eq "$(grep -Ec 'fork|clone' "$T/strace.$cmd")" 0 "$cmd: no fork or clone"
	[ $cmd = start ] && expect_eq "$(link_field dom0 enp3s0 master)" xenbr0 "start did its work"
done
link_exists dom0 xenbr0 && fail "stop did not do its work"
ok "stop did its work"
pass
