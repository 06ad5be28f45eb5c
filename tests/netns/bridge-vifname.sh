#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vifname`: the vif is renamed at online; a name in use is refused and
# nothing changes; the frontend MTU goes to the right guest either way.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
bridge_dom0 192.168.0.3/24
guest web 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 vifname=web0
guest other 2 3 192.168.0.8/24
xs_vif 2 3 "$GUEST_MAC" bridge=xenbr0 vifname=web0

libxl vif-bridge online 1 0 || fail "online"
link_exists dom0 vif1.0 && fail "vif1.0 still exists"
expect_eq "$(link_field dom0 web0 master)" xenbr0 "renamed web0 joined xenbr0"
ping_ok dom0 192.168.0.6
expect_eq "$(xs_read /local/domain/1/device/vif/0/mtu)" 1500 "frontend mtu of domain 1"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"

# Domain 2 asks for the same name: refused, and domain 1 keeps its vif.
before=$(snapshot dom0)
libxl vif-bridge online 2 3 && fail "a taken vifname was accepted"
expect_eq "$(xs_read backend/vif/2/3/hotplug-status)" error "hotplug-status of the collision"
err=$(xs_read backend/vif/2/3/hotplug-error)
case $err in *web0*exists*) ok "hotplug-error: $err" ;; *) fail "hotplug-error: '$err'" ;; esac
expect_unchanged dom0 "$before" "the refused rename"
ping_ok dom0 192.168.0.6
# libxl then runs domain 2's offline: it must leave domain 1's web0 alone
fw_before=$(in_ns dom0 nft -j list table bridge xen 2>/dev/null)
libxl vif-bridge offline 2 3 || fail "offline of the refused vif"
expect_eq "$(link_field dom0 web0 master)" xenbr0 "the refused vif's offline: web0 stays on xenbr0"
link_is_up dom0 web0 || fail "the refused vif's offline took web0 down"
expect_eq "$(in_ns dom0 nft -j list table bridge xen 2>/dev/null)" "$fw_before" \
	"the refused vif's offline left web0's elements"
ping_ok dom0 192.168.0.6

libxl vif-bridge offline 1 0 || fail "offline"
expect_eq "$(link_field dom0 web0 master)" "" "web0 left xenbr0"
link_is_up dom0 web0 && fail "web0 still up"
ok "web0 is down"

# A failure after the rename (the attach, made to fail) gives the vif its
# netback name back: the host is as it was.
guest third 3 0 192.168.0.9/24
xs_vif 3 0 "$GUEST_MAC" bridge=xenbr0 vifname=web3
before=$(snapshot dom0)
libxl vif-bridge online 3 0 XNET_FAIL_AT=2 && fail "online with a failing attach succeeded"
link_exists dom0 vif3.0 || fail "vif3.0 was not renamed back"
expect_unchanged dom0 "$before" "a failed online after the rename"
expect_eq "$(xs_read backend/vif/3/0/hotplug-status)" error "hotplug-status after the failure"
libxl vif-bridge online 3 0 || fail "online after the failure"
expect_eq "$(link_field dom0 web3 master)" xenbr0 "then online renames and attaches it"
pass
