#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A batch that nf_tables refuses: hotplug-error and the log carry the
# kernel's own reason (extended ack on the nftables socket), and the vif
# is left as it was. nf_tables explains few of its errors; one it always
# explains is a message that fails its attribute policy, which
# XNET_FAIL_AT=nft_policy adds to the run's batch.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-fw.sh"
. "$(dirname "$0")/lib-failclosed.sh"
fw_init
lab_init

bridged_lab 192.168.0.3/24
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
# the tables exist from a first cycle: the refused batch is the vif's own
libxl vif-bridge online 1 0 || fail "online exited $?"
libxl vif-bridge offline 1 0 || fail "offline exited $?"

fail_at vif-bridge online 1 0 nft_policy vif1.0
err=$(xs_read backend/vif/1/0/hotplug-error)
case $err in
*"nft table bridge xen"*"(kernel: Attribute failed policy validation)")
	ok "hotplug-error: $err" ;;
*) fail "no kernel reason in hotplug-error '$err'" ;;
esac
grep -q "vif1.0.*(kernel: Attribute failed policy validation)" "$XNET_HOTPLUG_LOG" ||
	fail "the kernel's reason is not in the log"
ok "the log has the kernel's reason"
# the refused online added nothing; the first cycle's elements stay retired
# (the rollback's delete is refused too) until a sweep
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "no element of vif1.0 left"

# with the tables still to be made, the refused batch is the one that makes them
in_ns dom0 nft delete table bridge xen || fail "delete table bridge xen"
fail_at vif-bridge online 1 0 nft_policy vif1.0
case $(xs_read backend/vif/1/0/hotplug-error) in
*"(kernel: Attribute failed policy validation)") ok "the table's batch: the kernel's reason" ;;
*) fail "no kernel reason in '$(xs_read backend/vif/1/0/hotplug-error)'" ;;
esac
in_ns dom0 nft list table bridge xen >/dev/null 2>&1 && fail "table bridge xen was made"

libxl vif-bridge online 1 0 || fail "online exited $?"
ping_ok domU 192.168.0.1
pass
