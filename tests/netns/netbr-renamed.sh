#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Xen 3.2+ layout, bridge=<netdev>, on a NIC named like a VLAN device
# (eth0.100): the NIC becomes peth0.100 and the bridge takes its name and
# everything it had. A bare stop (the default route is on the bridge now)
# finds start's record and undoes it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

host_lab eth0.100
mac=$(link_field dom0 eth0.100 address)
ifindex=$(link_field dom0 eth0.100 ifindex)
before=$(nb_snapshot)

nb start bridge=eth0.100 || fail "start exited $?"
expect_layout eth0.100 peth0.100 "$mac"
expect_eq "$(link_field dom0 peth0.100 ifindex)" "$ifindex" "peth0.100 is the NIC, renamed"
expect_lan
nb status >/dev/null || fail "status exits $? after start"
ok "a bare status finds the layout"

guest domU 1 0 192.168.0.6/24 192.168.0.1
xs_vif 1 0 "$GUEST_MAC" bridge=eth0.100 ip=192.168.0.6
libxl vif-bridge online 1 0 || fail "vif-bridge online exited $?"
ping_ok domU 192.168.0.1
ping_ok lan 192.168.0.6

after=$(nb_snapshot)
nb start bridge=eth0.100 netdev=eth0.100 || fail "second start exited $?"
nb_unchanged "$after" "a second start"

libxl vif-bridge offline 1 0 || fail "vif-bridge offline exited $?"
ip -n "$(ns dom0)" link del vif1.0

nb stop || fail "bare stop exited $?"
nb_unchanged "$before" "start then a bare stop"
expect_lan
nb stop bridge=eth0.100 || fail "second stop exited $?"
nb_unchanged "$before" "a second stop"
pass
