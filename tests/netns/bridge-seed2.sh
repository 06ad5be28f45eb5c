#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Seed situation 2: a block of static public addresses from the ISP; a web
# server and a mail server as guests, bridged onto the LAN, reached from
# outside through the ISP's gateway.
#
#   net (198.51.100.7) -- gw (198.51.100.1 | 192.168.0.1, 203.0.113.1/29) -- dom0 xenbr0
#                                                        |-- vif1.0 -- web  (203.0.113.2)
#                                                        '-- vif2.0 -- mail (203.0.113.3)
. "$(dirname "$0")/lib.sh"
lab_init

ns_add net gw dom0
ip -n "$(ns gw)" link add up0 type veth peer name eth0 netns "$(ns net)"
ip -n "$(ns gw)" addr add 198.51.100.1/24 dev up0
ip -n "$(ns gw)" link set up0 up
ip -n "$(ns net)" addr add 198.51.100.7/24 dev eth0
ip -n "$(ns net)" link set eth0 up
ip -n "$(ns net)" route add default via 198.51.100.1
ip -n "$(ns gw)" link add lan0 type veth peer name eth0 netns "$(ns dom0)"
ip -n "$(ns gw)" addr add 192.168.0.1/24 dev lan0
ip -n "$(ns gw)" addr add 203.0.113.1/29 dev lan0
ip -n "$(ns gw)" link set lan0 up
in_ns gw sysctl -qw net.ipv4.ip_forward=1
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link set eth0 master xenbr0 up
ip -n "$(ns dom0)" link set xenbr0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev xenbr0

guest web 1 0 203.0.113.2/29 203.0.113.1
xs_vif 1 0 "$GUEST_MAC" ip=203.0.113.2
guest mail 2 0 203.0.113.3/29 203.0.113.1
xs_vif 2 0 "$GUEST_MAC" ip=203.0.113.3

# No bridge key: the host's only bridge is found.
libxl vif-bridge online 1 0 || fail "vif-bridge online 1 0"
libxl vif-bridge online 2 0 || fail "vif-bridge online 2 0"
expect_eq "$(link_field dom0 vif1.0 master)" xenbr0 "web's vif joined xenbr0"
expect_eq "$(link_field dom0 vif2.0 master)" xenbr0 "mail's vif joined xenbr0"

ping_ok net 203.0.113.2
ping_ok net 203.0.113.3
ping_ok web 198.51.100.7
ping_ok mail 203.0.113.2
ping_ok web 203.0.113.1
pass
