#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Seed situation 5, the two-way routed network: the LAN and the guest reach
# each other, and the LAN sees the guest's own address (no NAT).
#
#   lan 192.168.0.1 --eth0-- dom0 192.168.0.3 --vif1.0-- domU 10.0.0.1/24 (gw 10.0.0.254)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init

route_lab
rguest domU 1 0 10.0.0.1/24
gw4 domU 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" ip=10.0.0.1
count_setup lan 10.0.0.1 192.168.0.3

nr start || fail "network-route start"
# a dry run changes nothing
before=$(rsnapshot dom0)
libxl vif-route online 1 0 dry_run=yes >/dev/null || fail "dry run exited $?"
rexpect_unchanged dom0 "$before" "the dry run"
[ -e "$XNET_STATE_DIR/vif-route.1.0.vif" ] && fail "the dry run wrote its state"

libxl vif-route online 1 0 || fail "vif-route online exited $?"

expect_eq "$(addrs_of dom0 vif1.0 | grep -v '^fe80')" 192.168.0.3/32 "vif1.0 holds 192.168.0.3/32"
link_is_up dom0 vif1.0 || fail "vif1.0 is not up"
ok "vif1.0 is up"
expect_eq "$(sysctl_of dom0 net/ipv4/conf/vif1.0/proxy_arp)" 1 "proxy_arp on vif1.0"
expect_eq "$(routes_of dom0 vif1.0)" "10.0.0.1 2 192.168.0.3" "route 10.0.0.1 dev vif1.0 src 192.168.0.3 metric 2"
expect_eq "$(ip -n "$(ns dom0)" -j route show 10.0.0.1 | jq -r '.[0].scope')" link "the route's scope"
expect_eq "$(sysctl_of dom0 net/ipv4/ip_forward)" 1 "ip_forward"
expect_eq "$(sysctl_of dom0 net/ipv4/conf/eth0/proxy_arp)" 1 "proxy_arp on eth0"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "hotplug-error written on success"

ping_ok lan 10.0.0.1
ping_ok domU 192.168.0.1
ping_ok domU 192.168.0.3
ping_ok dom0 10.0.0.1
n=$(count_of lan 10.0.0.1)
[ "$n" -ge 1 ] || fail "no echo request from 10.0.0.1 reached the LAN"
ok "the LAN counted $n echo request(s) from 10.0.0.1"
expect_eq "$(count_of lan 192.168.0.3)" 0 "none arrived as 192.168.0.3 (not NATed)"
# the guest's gateway 10.0.0.254 was answered by dom0 (proxy ARP on vif1.0)
expect_eq "$(in_ns domU ip -j neigh show 10.0.0.254 | jq -r '.[0].lladdr')" $NETBACK_MAC \
	"10.0.0.254 resolves to the vif's MAC"
pass
