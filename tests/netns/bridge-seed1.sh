#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Seed situation 1: guests appear on the existing LAN through dom0's xenbr0.
#
#   lan (192.168.0.1) --eth0-- [dom0: xenbr0 192.168.0.3 | eth0, vif1.0] --vif1.0-- domU (192.168.0.6)
. "$(dirname "$0")/lib.sh"
lab_init

bridged_lab 192.168.0.3/24
guest domU 1 0 192.168.0.6/24 192.168.0.1
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6

libxl vif-bridge online 1 0 || fail "vif-bridge online exited $?"

expect_eq "$(link_field dom0 vif1.0 master)" xenbr0 "vif1.0 is a port of xenbr0"
link_is_up dom0 vif1.0 || fail "vif1.0 is not up"
ok "vif1.0 is up"
expect_eq "$(link_field dom0 vif1.0 address)" fe:ff:ff:ff:ff:ff "vif1.0 MAC"
expect_eq "$(link_field dom0 vif1.0 mtu)" 1500 "vif1.0 MTU"
expect_eq "$(ip -n "$(ns dom0)" -4 -j addr show dev vif1.0 | jq '.[0].addr_info | length')" 0 \
	"vif1.0 has no IPv4 address"
expect_eq "$(bridge -n "$(ns dom0)" -j link show | jq -r '[.[] | select(.master == "xenbr0") | .ifname] | sort | join(" ")')" \
	"eth0 vif1.0" "xenbr0 ports"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"
expect_eq "$(xs_read /local/domain/1/device/vif/0/mtu)" 1500 "frontend mtu"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "hotplug-error written on success"

ping_ok domU 192.168.0.1
ping_ok lan 192.168.0.6
ping_ok dom0 192.168.0.6
ping_ok domU 192.168.0.3
# what reached the LAN carries the guest's own address
in_ns lan ping -c 1 -W 1 192.168.0.6 >/dev/null
expect_eq "$(in_ns lan ip -j neigh show 192.168.0.6 | jq -r '.[0].lladdr')" "$GUEST_MAC" \
	"the LAN sees the guest's MAC for 192.168.0.6"

pass
