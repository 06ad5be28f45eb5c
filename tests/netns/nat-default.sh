#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Addresses vif-nat chooses: with no `ip`, 10.<domid/256>.<domid%256>.<handle+1>/16
# (domain 1, handle 0: 10.0.1.1, router 10.0.1.128); frontend-id and handle
# come from xenstore, not from the device name; router addresses where +127
# would be the broadcast address or overflow are hosts of the guest's subnet.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

nat_lab
netnat start || fail "network-nat start"

nat_guest one 1 0 10.0.1.1/16 "" "ip= "
vifnat online 1 0 || fail "online without ip (blanks only)"
expect_nat_vif vif1.0 10.0.1.1 10.0.1.128
ping_ok one 10.0.1.128
ping_ok dom0 10.0.1.1

# the second vif of domain 1: vifid 2
nat_guest two 1 1 10.0.1.2/16
vifnat online 1 1 || fail "online of the second vif"
expect_nat_vif vif1.1 10.0.1.2 10.0.1.129
ping_ok two 10.0.1.1

# the numbers are the keys' (frontend-id 300 = 1*256 + 44, handle 6), not
# the device's or the path's
nat_guest big 258 4 10.1.44.7/16
xs_write backend/vif/258/4/handle 6 backend/vif/258/4/frontend-id 300
vifnat online 258 4 || fail "online of domain 258"
expect_nat_vif vif258.4 10.1.44.7 10.1.44.134
ping_ok big 10.1.44.134

# +127 overflows (.200 -> .73) or is the broadcast address (.128/24 -> .1)
nat_guest over 3 0 10.0.3.200/24 10.0.3.254 ip=10.0.3.200/24
vifnat online 3 0 || fail "online of 10.0.3.200/24"
expect_nat_vif vif3.0 10.0.3.200 10.0.3.73
ping_ok over 10.0.3.73
nat_guest bcast 4 0 10.0.4.128/24 10.0.4.254 ip=10.0.4.128/24
vifnat online 4 0 || fail "online of 10.0.4.128/24"
expect_nat_vif vif4.0 10.0.4.128 10.0.4.1
ping_ok bcast 10.0.4.1
ping_ok bcast 10.0.3.200
pass
