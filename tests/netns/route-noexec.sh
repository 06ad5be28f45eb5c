#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-route and network-route execute no other program: one execve each
# (status included).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
command -v strace >/dev/null || skip "needs strace"
lab_init

route_lab
rguest domU 1 0 10.0.0.1/24 2001:db8::6
xs_vif 1 0 "$GUEST_MAC" "ip=10.0.0.1 2001:db8::6"

traced network-route-start "$BIN/network-route" start
traced network-route-status "$BIN/network-route" status
traced vif-route-online XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "$BIN/vif-route" online type_if=vif
expect_eq "$(routes_of dom0 vif1.0 | wc -l)" 2 "the traced online did its work"
traced vif-route-status XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "$BIN/vif-route" status
traced vif-route-offline XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "$BIN/vif-route" offline type_if=vif
expect_eq "$(routes_of dom0 vif1.0)" "" "the traced offline did its work"
traced network-route-stop "$BIN/network-route" stop
expect_eq "$(sysctl_of dom0 net/ipv4/ip_forward)" 0 "the traced stop did its work"
pass
