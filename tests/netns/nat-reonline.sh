#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-nat: a guest on its default address is guarded by that address (as
# the old script's rules named it); an online again after `ip` changed
# leaves no route, address or element of the old one behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
lab_init

nat_lab
nat_guest domU 1 0 10.0.1.1/16 10.0.1.128		# no ip: 10.0.1.1/16 by default
libxl vif-nat online 1 0 || fail "online on the default address"
els=$(in_ns dom0 nft -j list set inet xen allowed4 | jq -r '.nftables[1].set.elem[]? | .concat[1:] | join(" ")')
expect_eq "$els" "vif1.0 10.0.1.1" "the default address is the guarded one"
expect_eq "$(route_of 10.0.1.1)" "dev vif1.0 src 10.0.1.128" "route to the default address"

xs_write backend/vif/1/0/ip 10.0.5.1
libxl vif-nat online 1 0 || fail "online again with a new ip"
expect_eq "$(route_of 10.0.1.1)" "" "the old route is gone"
expect_eq "$(route_of 10.0.5.1)" "dev vif1.0 src 10.0.5.128" "the new route"
expect_eq "$(addrs_of dom0 vif1.0 | grep -v fe80)" 10.0.5.128/32 "only the new router address"
els=$(in_ns dom0 nft -j list set inet xen allowed4 | jq -r '.nftables[1].set.elem[]? | .concat[1:] | join(" ")')
expect_eq "$els" "vif1.0 10.0.5.1" "only the new address is allowed"
libxl vif-nat offline 1 0 || fail "offline"
expect_eq "$(route_of 10.0.5.1)" "" "offline removed the new route"
pass
