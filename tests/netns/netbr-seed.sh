#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Seed situation 1 from a bare host: a bare `network-bridge start` finds the
# NIC by its default route (enp3s0), moves it under xenbr0 with all its
# addresses and routes, a guest joins with vif-bridge and reaches the LAN,
# and a bare `stop` gives the host back exactly as it was.
#
#   lan --eth0-- [dom0: enp3s0 => xenbr0 { enp3s0, vif1.0 }] --vif1.0-- domU
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

host_lab enp3s0
mac=$(link_field dom0 enp3s0 address)
before=$(nb_snapshot)
nb status >/dev/null 2>&1 && fail "status exits 0 before start"
ok "status: incomplete before start"

nb start || fail "start exited $?"
expect_layout xenbr0 enp3s0 "$mac"
expect_lan
nb status >/dev/null || fail "status exits $? after start"
ok "status: complete after start"

# the guest of seed situation 1, added as libxl does it
guest domU 1 0 192.168.0.6/24 192.168.0.1
ip -n "$(ns domU)" addr add 2001:db8::6/64 dev eth0
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip="192.168.0.6 2001:db8::6"
libxl vif-bridge online 1 0 || fail "vif-bridge online exited $?"
expect_eq "$(link_field dom0 vif1.0 master)" xenbr0 "vif1.0 joined xenbr0"
ping_ok domU 192.168.0.1
ping_ok lan 192.168.0.6
ping_ok domU 192.168.0.3
in_ns domU ping -c 1 -W 2 2001:db8::1 >/dev/null || fail "domU cannot ping 2001:db8::1"
ok "domU pings 2001:db8::1"

after=$(nb_snapshot)
nb start || fail "second start exited $?"
nb_unchanged "$after" "a second start"

# the guest goes: libxl runs offline, netback removes the vif
libxl vif-bridge offline 1 0 || fail "vif-bridge offline exited $?"
ip -n "$(ns dom0)" link del vif1.0

nb stop || fail "stop exited $?"
nb_unchanged "$before" "start then stop"
expect_lan
nb stop || fail "second stop exited $?"
nb_unchanged "$before" "a second stop"
pass
