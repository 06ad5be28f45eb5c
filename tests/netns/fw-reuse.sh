#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A vif's guard outlives it until a sweep: offline retires its elements
# (keyed by index and name) and deletes nothing. A new interface of the
# same name and MAC, as netback makes when a guest's NIC is detached and
# attached again with the same vifname, gets a new index: the retired
# elements match nothing of it, so it cannot send from the old address
# before any sweep, and sends from its own.
#
#   lan 192.168.0.1 --eth0-- [dom0: xenbr0 | eth0 vif1.0] --vif1.0-- domU
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

bridged_lab
guest domU 1 0 192.168.0.6/24
MAC=$GUEST_MAC
xs_vif 1 0 "$MAC" bridge=xenbr0 ip=192.168.0.6
libxl vif-bridge online 1 0 || fail "online"
ping_ok domU 192.168.0.1
old_ix=$(link_field dom0 vif1.0 ifindex)
old=$(elements_of dom0 bridge vif1.0)
[ -n "$old" ] || fail "no element for vif1.0"
libxl vif-bridge offline 1 0 || fail "offline"
[ -f "$XNET_STATE_DIR/fw-gone/bridge-$old_ix" ] || fail "offline did not retire vif1.0"
expect_eq "$(elements_of dom0 bridge vif1.0)" "$old" "offline deleted nothing: the old elements wait for a sweep"

# netback's new vif1.0: same name and MAC, a new index, ip=192.168.0.8
ip -n "$(ns dom0)" link del vif1.0
ip netns del "$(ns domU)"
guest domU 1 0 192.168.0.8/24
[ "$GUEST_MAC" = "$MAC" ] || fail "the new guest has another MAC"
in_ns domU ip addr add 192.168.0.6/32 dev eth0
new_ix=$(link_field dom0 vif1.0 ifindex)
[ "$new_ix" != "$old_ix" ] || fail "the new vif1.0 has the old index $old_ix"
ok "the new vif1.0 has index $new_ix (the old one had $old_ix)"
xs_write backend/vif/1/0/ip 192.168.0.8
xs_write backend/vif/1/0/hotplug-status ""
libxl vif-bridge online 1 0 || fail "online of the new vif1.0"
[ -f "$XNET_STATE_DIR/fw-gone/bridge-$old_ix" ] || fail "the old vif1.0's entry went before a sweep"
ok "the old vif1.0's elements are still there, unswept"

cnt_init lan eth0 "old:ip saddr 192.168.0.6" "new:ip saddr 192.168.0.8"
ping_ok domU 192.168.0.1
expect_arrives lan new "the new vif1.0 from its own 192.168.0.8"
# the LAN's MAC is known now: the next packet from .6 leaves the guest
# (no ARP of its own for the guard to stop first)
in_ns domU ip neigh replace 192.168.0.1 lladdr "$(link_field lan eth0 address)" dev eth0
in_ns domU ping -c 3 -i 0.2 -W 0.5 -I 192.168.0.6 192.168.0.1 >/dev/null
expect_never lan old "the new vif1.0 sending from the old vif1.0's 192.168.0.6"

libxl vif-bridge offline 1 0 || fail "offline of the new vif1.0"
fwtool dom0 sweep || fail "sweep"
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "a sweep deletes both vif1.0s' elements"
pass
