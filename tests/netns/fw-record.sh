#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The per-vif record names what the kernel holds, also when a re-online
# with changed addresses fails at its nft batch (XNET_FAIL_AT=fw_batch: the
# batch fails before the kernel sees it, so the kernel keeps the old
# elements): offline then removes the old ones, and a new interface of the
# same name cannot send from the old addresses.
#
#   lan 192.168.0.1 --eth0-- [dom0: xenbr0 | eth0 vif1.0] --vif1.0-- domU 192.168.0.6
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

# ---- the library alone (table inet xen): the failed batch changes nothing ----
ns_add dom0
fwtool dom0 add inet vif1.0 ip=10.0.0.6 || fail "add"
in_ns dom0 env XNET_FAIL_AT=fw_batch XNET_STATE_DIR="$XNET_STATE_DIR" "$FWTOOL" \
	add inet vif1.0 ip=10.0.0.7 2>/dev/null && fail "the injected batch failure did not fail"
expect_eq "$(elements_of dom0 inet vif1.0)" "allowed4 vif1.0 . 10.0.0.6
guarded vif1.0
open6 vif1.0" "a failed re-online leaves the kernel's elements as they were"
expect_eq "$(fwtool dom0 check inet vif1.0)" "5 5" "the record names what the kernel holds (inet and arp)"
fwtool dom0 del inet vif1.0 || fail "del"
fwtool dom0 sweep || fail "sweep"
expect_eq "$(elements_of dom0 inet vif1.0)" "" "del (retires both) and a sweep after the failed re-online remove the old elements"
[ -e "$XNET_STATE_DIR/fw-inet-vif1.0" ] && fail "the record outlived del"
ok "no record left"
ip netns del "$(ns dom0)"

# ---- through vif-bridge: failed re-online, offline, a new vif1.0 ----
bridged_lab
guest domU 1 0 192.168.0.6/24
MAC=$GUEST_MAC
xs_vif 1 0 "$MAC" bridge=xenbr0 ip=192.168.0.6
libxl vif-bridge online 1 0 || fail "online"
ping_ok domU 192.168.0.1
xs_write backend/vif/1/0/ip 192.168.0.7
libxl vif-bridge online 1 0 XNET_FAIL_AT=fw_batch 2>/dev/null &&
	fail "online with the injected batch failure succeeded"
ok "re-online with 192.168.0.7 failed at its batch"
libxl vif-bridge offline 1 0 || fail "offline"
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline left no element of vif1.0"

# A new interface of the same name and MAC, for ip=192.168.0.8 only.
ip -n "$(ns dom0)" link del vif1.0
ip netns del "$(ns domU)"
guest domU 1 0 192.168.0.8/24
in_ns domU ip addr add 192.168.0.6/32 dev eth0
xs_write backend/vif/1/0/ip 192.168.0.8
xs_write backend/vif/1/0/hotplug-status ""
libxl vif-bridge online 1 0 || fail "online of the new vif1.0"
cnt_init lan eth0 "old:ip saddr 192.168.0.6" "new:ip saddr 192.168.0.8"
in_ns domU ping -c 1 -W 0.5 -I 192.168.0.6 192.168.0.1 >/dev/null
expect_never lan old "the new vif1.0 sending from the old 192.168.0.6"
ping_ok domU 192.168.0.1
expect_arrives lan new "the new vif1.0 from its own 192.168.0.8"
pass
