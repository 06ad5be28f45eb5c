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
	traced "$cmd" "$BIN/network-bridge" "$cmd"
	[ $cmd = start ] && expect_eq "$(link_field dom0 enp3s0 master)" xenbr0 "start did its work"
done
link_exists dom0 xenbr0 && fail "stop did not do its work"
ok "stop did its work"
pass
