#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-bridge on VLANs: `bridge=BR.VLAN[:TRUNK...]` (when no device has that
# whole name) or libxl's `vlan` key. On a bridge that does not filter
# VLANs, online refuses with the command that makes it filter, and leaves
# the host as it was; a bad VLAN is bad input; a device that has the whole
# name (a bridge called br.10) is used as it is. Where this kernel can
# filter VLANs, the vif is a member of exactly its VLANs (no VLAN 1).
# The traffic between VLANs is checked on Xen's kernel (tests/xen, vlan).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-status.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init

ns_add dom0
bridge_dom0
guest domU 1 0 192.168.0.6/24
BE=backend/vif/1/0
MAC=$GUEST_MAC

# refused BRIDGE|- VLANKEY|- ERROR: online refuses with ERROR, the host as it was
refused() {
	local before err
	xs_vif 1 0 "$MAC" ${1:+"bridge=$1"}
	[ "$2" = - ] || xs_write "$BE/vlan" "$2"
	before=$(snapshot dom0)
	libxl vif-bridge online 1 0 && fail "online with bridge=$1 vlan=$2 succeeded"
	expect_unchanged dom0 "$before" "a refused online (bridge=$1 vlan=$2)"
	err=$(xs_read "$BE/hotplug-error")
	expect_eq "$err" "$3" "bridge=$1 vlan=$2: the reason"
	expect_eq "$(xs_read "$BE/hotplug-status")" error "bridge=$1 vlan=$2: status"
	xenstore-rm "$BE/vlan" 2>/dev/null
	return 0
}

FILTER="bridge xenbr0 does not filter VLANs; make it: ip link set dev xenbr0 type bridge vlan_filtering 1"
refused xenbr0.10 - "$FILTER"
refused xenbr0.10:20:30 - "$FILTER"
refused xenbr0 10 "$FILTER"
refused xenbr0 "10p/20-22" "$FILTER"
refused xenbr0.0 - "VLAN 0 is not a VLAN of a Linux bridge (1-4094)"
refused xenbr0.4095 - "VLAN 4095 is not a VLAN of a Linux bridge (1-4094)"
refused xenbr0.4096 - "bridge xenbr0.4096 does not exist"
refused xenbr0.ten - "bridge xenbr0.ten does not exist"
refused xenbr0.10: - "bridge xenbr0.10: does not exist"
refused 'xenbr0.10;id' - "invalid bridge 'xenbr0.10;id' (xenstore)"
refused xenbr9.10 - "bridge xenbr9 does not exist"
refused xenbr0 "1-" "invalid vlan '1-' (xenstore)"
refused xenbr0 "10;reboot" "invalid vlan '10;reboot' (xenstore)"

# status says what stops it, and the fix
xs_vif 1 0 "$MAC" bridge=xenbr0.10
STATUS_PROG="vif-bridge"
STATUS_ENV=(XENBUS_PATH=$BE vif=vif1.0)
status_out >/dev/null && fail "status is ok for a bridge that cannot hold the vif's VLAN"
expect_eq "$(status_fix "$FILTER")" "ip link set dev xenbr0 type bridge vlan_filtering 1" \
	"status gives the command that makes the bridge filter VLANs"

# a bridge whose name has the dot is that bridge, no VLAN
ip -n "$(ns dom0)" link add br.10 type bridge
ip -n "$(ns dom0)" link set br.10 up
xs_vif 1 0 "$MAC" bridge=br.10
libxl vif-bridge online 1 0 || fail "online to bridge br.10: $(xs_read $BE/hotplug-error)"
expect_eq "$(link_field dom0 vif1.0 master)" "br.10" "bridge=br.10 is the bridge of that name"
libxl vif-bridge offline 1 0 || fail "offline"

# where the kernel filters VLANs: exactly the VLANs asked for
if ip -n "$(ns dom0)" link add xenbrv type bridge vlan_filtering 1 2>/dev/null; then
	ip -n "$(ns dom0)" link set xenbrv up
	xs_vif 1 0 "$MAC" bridge=xenbrv.10:20:30
	libxl vif-bridge online 1 0 || fail "online on VLANs: $(xs_read $BE/hotplug-error)"
	got=$(bridge -n "$(ns dom0)" -j vlan show dev vif1.0 |
		jq -r '.[0].vlans[] | "\(.vlan) \(.flags // [] | sort | join(","))"')
	expect_eq "$got" "$(printf '10 PVID,Egress Untagged\n20 \n30 ')" "the vif's VLANs"
	libxl vif-bridge offline 1 0 || fail "offline"
else
	log "this kernel has no VLAN filtering: membership is checked in tests/xen (vlan)"
fi
pass
