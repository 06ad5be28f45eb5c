#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `ip` entries with a prefix: a network address routes that whole network
# through the vif (a guest given a block of addresses, 10.0.1.0/24 and
# 2001:db8:1::/64); an address with a netmask is refused (route-badinput.sh).
#
#   lan (routes 10.0.0.0/16, 2001:db8:1::/64 via dom0) -- dom0 -- vif1.0 -- domU 10.0.0.1, 10.0.1.1, 10.0.1.9, ...
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
ip -n "$(ns lan)" route add 10.0.0.0/16 via 192.168.0.3
ip -n "$(ns lan)" -6 route add 2001:db8:1::/64 via 2001:db8::3
rguest domU 1 0 10.0.0.1/24 10.0.1.1/32 10.0.1.9/32 2001:db8::6 2001:db8:1::1 2001:db8:1::9
gw4 domU 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" "ip=10.0.0.1 10.0.1.0/24 2001:db8::6 2001:db8:1::/64"
nr start || fail "network-route start"

libxl vif-route online 1 0 || fail "online"
expect_eq "$(routes_of dom0 vif1.0 | tr '\n' ,)" \
	"10.0.0.1 2 192.168.0.3,10.0.1.0/24 2 192.168.0.3,2001:db8:1::/64 2,2001:db8::6 2," \
	"the networks are routed through vif1.0"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::6 "a proxy entry for the address, none for the network"
ping_ok lan 10.0.1.1
ping_ok lan 10.0.1.9
ping6_ok lan 2001:db8:1::1
ping6_ok lan 2001:db8:1::9
ping_ok lan 10.0.0.1

libxl vif-route offline 1 0 || fail "offline"
expect_eq "$(routes_of dom0 vif1.0)" "" "offline: the networks are not routed any more"
ping_fails lan 10.0.1.9
pass
