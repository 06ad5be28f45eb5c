#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# MTU: xenstore `mtu` wins, else the bridge's; the guest is told through its
# frontend's `mtu` key.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link add jumbo0 type bridge
ip -n "$(ns dom0)" link add port0 mtu 9000 type veth peer name port1 mtu 9000
ip -n "$(ns dom0)" link set port0 master jumbo0
ip -n "$(ns dom0)" link set jumbo0 mtu 9000 up
ip -n "$(ns dom0)" link set xenbr0 up
guest a 1 0 "" ; xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 mtu=1400
guest b 2 0 "" ; xs_vif 2 0 "$GUEST_MAC" bridge=jumbo0
guest c 3 0 "" ; xs_vif 3 0 "$GUEST_MAC" bridge=xenbr0 mtu=1500x

libxl vif-bridge online 1 0 || fail "online 1"
expect_eq "$(link_field dom0 vif1.0 mtu)" 1400 "vif1.0 takes xenstore's mtu"
expect_eq "$(xs_read /local/domain/1/device/vif/0/mtu)" 1400 "frontend 1 told 1400"

libxl vif-bridge online 2 0 || fail "online 2"
expect_eq "$(link_field dom0 vif2.0 mtu)" 9000 "vif2.0 takes the bridge's mtu"
expect_eq "$(xs_read /local/domain/2/device/vif/0/mtu)" 9000 "frontend 2 told 9000"

before=$(snapshot dom0)
libxl vif-bridge online 3 0 && fail "mtu=1500x accepted"
case $(xs_read backend/vif/3/0/hotplug-error) in
*mtu*) ok "hotplug-error names the mtu" ;;
*) fail "hotplug-error: $(xs_read backend/vif/3/0/hotplug-error)" ;;
esac
expect_unchanged dom0 "$before" "a bad mtu"
pass
