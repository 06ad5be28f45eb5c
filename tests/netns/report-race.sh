#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# hotplug-status and hotplug-error go in one xenstore transaction that
# holds only while the backend directory is there: when the toolstack
# removes it between our look and our writes (XNET_FAIL_AT=report_race
# does that removal, once, at that very point), the transaction is retried,
# finds it gone, and writes nothing: no backend directory re-created with
# a lone hotplug-status in it. An online that cannot report connected
# fails closed (the vif down, on no bridge).
#
#   lan 192.168.0.1 --eth0-- dom0 xenbr0 --vif1.0-- domU 192.168.0.6
. "$(dirname "$0")/lib.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init

bridged_lab
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6

gone() { ! xenstore-ls backend/vif/1/0 >/dev/null 2>&1; }

# connected: the directory is removed under the online's report
libxl vif-bridge online 1 0 XNET_FAIL_AT=report_race && fail "online reported success"
gone || fail "the report re-created backend/vif/1/0: $(xenstore-ls backend/vif/1/0)"
ok "connected: nothing re-created in a removed backend directory"
expect_eq "$(link_field dom0 vif1.0 master)" "" "the vif is on no bridge"
link_is_up dom0 vif1.0 && fail "the vif is up after a failed online"
ok "the online failed closed"
grep -q "online vif1.0: error: backend/vif/1/0 is gone: the toolstack removed the device" \
	"$XNET_HOTPLUG_LOG" || fail "log: $(tail -2 "$XNET_HOTPLUG_LOG")"
ok "the log says why"

# error: the same for hotplug-error after a failed online
xs_vif 1 0 "$GUEST_MAC" bridge=nosuchbr ip=192.168.0.6
libxl vif-bridge online 1 0 XNET_FAIL_AT=report_race && fail "online to no bridge succeeded"
gone || fail "the error report re-created backend/vif/1/0: $(xenstore-ls backend/vif/1/0)"
ok "error: nothing re-created in a removed backend directory"

# without the race, the error and the status are both there
xs_vif 1 0 "$GUEST_MAC" bridge=nosuchbr ip=192.168.0.6
libxl vif-bridge online 1 0 && fail "online to no bridge succeeded"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" "error" "hotplug-status"
expect_eq "$(xs_read backend/vif/1/0/hotplug-error)" "bridge nosuchbr does not exist" "hotplug-error"
pass
