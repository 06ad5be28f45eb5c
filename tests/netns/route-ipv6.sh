#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A guest with addresses inside the LAN's own prefixes, 192.168.0.6 and
# 2001:db8::6: dom0 answers ARP (proxy_arp on eth0) and neighbour discovery
# (a proxy NDP entry on eth0) for it, so that the LAN reaches it without
# any route; the guest's IPv6 gateway is the vif's link-local address.
#
#   lan 192.168.0.1/24 2001:db8::1/64 --eth0-- dom0 .3 ::3 --vif1.0-- domU 192.168.0.6/32 2001:db8::6/128
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
rguest domU 1 0 192.168.0.6/32 2001:db8::6
ip -n "$(ns domU)" route add default via 192.168.0.3 dev eth0 onlink
xs_vif 1 0 "$GUEST_MAC" "ip=192.168.0.6 2001:db8::6"
count_setup lan 2001:db8::6 2001:db8::3 192.168.0.6

nr start || fail "network-route start"
expect_eq "$(sysctl_of dom0 net/ipv6/conf/all/forwarding)" 1 "IPv6 forwarding"
expect_eq "$(sysctl_of dom0 net/ipv6/conf/eth0/proxy_ndp)" 1 "proxy_ndp on eth0"
libxl vif-route online 1 0 || fail "vif-route online exited $?"

expect_eq "$(routes_of dom0 vif1.0)" "192.168.0.6 2 192.168.0.3
2001:db8::6 2" "routes through vif1.0 (IPv6: no src)"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::6 "proxy NDP entry on eth0"
expect_eq "$(addrs_of dom0 vif1.0 | sort | tr '\n' ' ')" "192.168.0.3/32 $VIF_LL/64 " \
	"vif1.0: main_ip/32 and its link-local address"

ping6_ok lan 2001:db8::6
ping6_ok domU 2001:db8::1
ping_ok lan 192.168.0.6
ping_ok domU 192.168.0.1
n=$(count_of lan 2001:db8::6)
[ "$n" -ge 1 ] || fail "no echo request from 2001:db8::6 reached the LAN"
ok "the LAN counted $n echo request(s) from 2001:db8::6"
expect_eq "$(count_of lan 2001:db8::3)" 0 "none arrived as dom0's 2001:db8::3"
[ "$(count_of lan 192.168.0.6)" -ge 1 ] || fail "no echo request from 192.168.0.6"
ok "the LAN counted echo requests from 192.168.0.6"
expect_eq "$(in_ns lan ip -j neigh show 2001:db8::6 | jq -r '.[0].lladdr')" \
	"$(link_field dom0 eth0 address)" "the LAN finds 2001:db8::6 at dom0's eth0"

libxl vif-route offline 1 0 || fail "offline"
expect_eq "$(routes_of dom0 vif1.0)" "" "offline: no routes through vif1.0"
expect_eq "$(proxies_of dom0 eth0)" "" "offline: no proxy NDP entry"
link_is_up dom0 vif1.0 && fail "vif1.0 still up"
ok "vif1.0 is down"
in_ns lan ip neigh flush dev eth0
ping_fails lan 2001:db8::6
pass
