#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Seed situations 3 and 4: NAT guests behind dom0. network-nat start turns
# forwarding on; vif-nat online gives vif1.0 the router address 10.0.0.128/32,
# a route to the guest from it and proxy ARP; the guest reaches dom0 through
# its gateway 10.0.0.254, two NAT guests reach each other, and the LAN host,
# whose router knows nothing of 10.0.0.0/8, reaches neither.
# (The masquerade, and so the guest reaching the LAN cloaked, is nat-cloak.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

nat_lab
nat_guest domU 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1
nat_guest domV 2 0 10.0.0.2/24 10.0.0.254 ip=10.0.0.2
command -v busybox >/dev/null || skip "needs busybox (nc)"
bg_in domU busybox nc -ll -p 8080 -e echo hello
wait_listen domU 8080

netnat start || fail "network-nat start exited $?"
expect_eq "$(sysctl_of dom0 ipv4/ip_forward)" 1 "network-nat start: ip_forward"
vifnat online 1 0 || fail "vif-nat online exited $?"
vifnat online 2 0 || fail "vif-nat online (domain 2) exited $?"

expect_nat_vif vif1.0 10.0.0.1 10.0.0.128
expect_nat_vif vif2.0 10.0.0.2 10.0.0.129
expect_eq "$(ip -n "$(ns dom0)" -j route show 10.0.0.1/32 | jq -r '.[0].scope')" link \
	"the guest route is on-link (flags UH)"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "hotplug-error written on success"

ping_ok domU 10.0.0.128
ping_ok domU 192.168.0.3
expect_eq "$(in_ns domU ip -j neigh show 10.0.0.254 | jq -r '.[0].lladdr')" \
	"$(link_field dom0 vif1.0 address)" "the gateway 10.0.0.254 is dom0's vif1.0 (proxy ARP)"
ping_ok dom0 10.0.0.1
ping_ok domU 10.0.0.2
ping_ok domV 10.0.0.1
expect_eq "$(in_ns dom0 timeout 5 bash -c 'exec 3<>/dev/tcp/10.0.0.1/8080 && cat <&3')" hello \
	"dom0 connects to the guest's port 8080"

# The LAN's own view: its router (192.168.0.1) is its way to 10.0.0.0/8.
ip -n "$(ns lan)" route add default via 192.168.0.1
ping_fails lan 10.0.0.1
in_ns lan timeout 5 bash -c 'exec 3<>/dev/tcp/10.0.0.1/8080' 2>/dev/null &&
	fail "the LAN host opened a connection to the guest"
ok "the LAN host cannot open a connection to the guest"
pass
