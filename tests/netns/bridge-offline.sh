#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# offline takes the vif down and off the bridge; twice is fine, and so is a
# vif that netback has already removed.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
bridge_dom0 192.168.0.3/24
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0

libxl vif-bridge online 1 0 || fail "online"
ping_ok dom0 192.168.0.6
libxl vif-bridge offline 1 0 || fail "offline"
expect_eq "$(link_field dom0 vif1.0 master)" "" "vif1.0 left the bridge"
link_is_up dom0 vif1.0 && fail "vif1.0 still up"
ok "vif1.0 is down"
ping_fails dom0 192.168.0.6
libxl vif-bridge offline 1 0 || fail "second offline"
ok "offline twice succeeds"
ip -n "$(ns dom0)" link del vif1.0
libxl vif-bridge offline 1 0 || fail "offline of a vanished vif"
ok "offline of a vif netback removed succeeds"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "offline wrote hotplug-error"
# online again on a fresh vif works after all that
ip -n "$(ns dom0)" link add vif1.0 type veth peer name eth1 netns "$(ns domU)"
ip -n "$(ns domU)" link set eth1 up
ip -n "$(ns domU)" addr add 192.168.0.7/24 dev eth1
libxl vif-bridge online 1 0 || fail "online after offline"
ping_ok dom0 192.168.0.7
# an offline that fails after libxl removed the backend directory reports
# nothing: the directory is not re-created
xenstore-rm backend/vif/1/0
libxl vif-bridge offline 1 0 XNET_FAIL_AT=1 >/dev/null 2>&1 && fail "the failing offline succeeded"
xenstore-read backend/vif/1/0 >/dev/null 2>&1 && fail "a failed offline re-created backend/vif/1/0"
ok "a failed offline left the removed backend directory removed"
pass
