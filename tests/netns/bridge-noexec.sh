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
	traced "$cmd" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "$BIN/vif-bridge" "$cmd" type_if=vif
done
expect_eq "$(link_field dom0 vif1.0 master)" "" "the traced runs did their work"
pass
