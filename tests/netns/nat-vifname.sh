#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vifname`: vif-nat online renames the vif and sets up the new name; offline
# undoes it on that device even when xenstore's vifname changed since.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
. "$(dirname "$0")/lib-fw.sh"
nat_init

nat_lab
netnat start || fail "network-nat start"
nat_guest web 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1 vifname=web0

vifnat online 1 0 || fail "online"
link_exists dom0 vif1.0 && fail "vif1.0 still exists"
expect_nat_vif web0 10.0.0.1 10.0.0.128
ping_ok web 192.168.0.3
# another domain asks for web0: refused, and its offline leaves web0 alone
nat_guest other 2 0 10.0.0.2/24 10.0.0.254 ip=10.0.0.2 vifname=web0
vifnat online 2 0 && fail "a taken vifname was accepted"
vifnat offline 2 0 || fail "offline of the refused vif"
expect_nat_vif web0 10.0.0.1 10.0.0.128
[ -n "$(elements_of dom0 inet web0)" ] || fail "the refused vif's offline removed web0's guard"
ok "the refused vif's offline left web0's guard"
ping_ok web 192.168.0.3
xs_write backend/vif/1/0/vifname web9 backend/vif/1/0/ip 10.0.0.7
vifnat offline 1 0 || fail "offline"
expect_eq "$(addrs_of dom0 web0 | grep -v '^fe80')" "" "web0 has no address left"
expect_eq "$(route_of 10.0.0.1)" "" "the route to 10.0.0.1 went"
link_is_up dom0 web0 && fail "web0 still up"
ok "web0 is down"

# the re-run after a run killed past its rename: web0 is found by its mark
xs_write backend/vif/1/0/vifname web0 backend/vif/1/0/ip 10.0.0.1
vifnat online 1 0 || fail "online again, the vif renamed already"
expect_nat_vif web0 10.0.0.1 10.0.0.128
ping_ok web 192.168.0.3
pass
