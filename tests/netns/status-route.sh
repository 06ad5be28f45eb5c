#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-route status: the seed's troubleshooting of the two-way routed network
# done by the program. In a working seed-5 lab, break one thing at a time
# (route deleted, proxy_arp off, forwarding off, address, proxy NDP entry,
# firewall element, hotplug-status); status must name exactly that
# failure, with its fix, and exit 1; healthy, it is all ok (exit 0) but
# for the reminder of the LAN gateway's route (seed step 5). proxy_arp on
# the uplink fails only for a guest whose address is on the LAN. Then the
# same for network-route status.
#
#   lan 192.168.0.1 --eth0-- dom0 192.168.0.3 --vif1.0-- domU 10.0.0.1, 2001:db8::6
#                                              --vif2.0-- domV 192.168.0.7 (on the LAN)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-status.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"

route_lab
rguest domU 1 0 10.0.0.1/24 2001:db8::6
gw4 domU 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" "ip=10.0.0.1 2001:db8::6"
rguest domV 2 0 192.168.0.7/32
ip -n "$(ns domV)" route add default via 192.168.0.3 dev eth0 onlink
xs_vif 2 0 "$GUEST_MAC" ip=192.168.0.7
nr start || fail "network-route start"
libxl vif-route online 1 0 || fail "online 1"
libxl vif-route online 2 0 || fail "online 2"
ping_ok lan 10.0.0.1
ping_ok lan 192.168.0.7

STATUS_PROG="vif-route"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
status_is
expect_eq "$(status_warns)" \
	"the LAN's gateway 192.168.0.1 routes 10.0.0.1 to 192.168.0.3 (dom0 cannot check it)" \
	"healthy: only the reminder of seed step 5"
expect_eq "$(status_fix "the LAN's gateway 192.168.0.1 routes 10.0.0.1 to 192.168.0.3 (dom0 cannot check it)")" \
	"on 192.168.0.1: route add -host 10.0.0.1 gw 192.168.0.3 (seed step 5)" \
	"the reminder's fix, with the real values"
status_leaves_no_trace

ROUTE4="route 10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2 exists"
ip -n "$(ns dom0)" route del 10.0.0.1 dev vif1.0
ping_fails lan 10.0.0.1
status_is "$ROUTE4"
expect_eq "$(status_fix "$ROUTE4")" \
	"ip route replace 10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2" "the route's fix"
ip -n "$(ns dom0)" route add 10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2
ping_ok lan 10.0.0.1

ip -n "$(ns dom0)" route replace 10.0.0.1 dev vif1.0 scope link src 10.9.9.9 metric 2 2>/dev/null ||
	ip -n "$(ns dom0)" route replace 10.0.0.1 dev vif1.0 scope link metric 2
status_is "$ROUTE4 (now $(ip -n "$(ns dom0)" -j route show 10.0.0.1 | jq -r '.[0] |
	"10.0.0.1 dev vif1.0 scope link\(if .prefsrc then " src " + .prefsrc else "" end) metric 2"'))"
ip -n "$(ns dom0)" route replace 10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2

ip -n "$(ns dom0)" -6 route del 2001:db8::6 dev vif1.0
status_is "route 2001:db8::6 dev vif1.0 metric 2 exists"
ip -n "$(ns dom0)" -6 route add 2001:db8::6 dev vif1.0 metric 2

in_ns dom0 sysctl -qw net.ipv4.conf.vif1/0.proxy_arp=0
status_is "proxy ARP is on for vif1.0 (the guest's gateway is answered) (net/ipv4/conf/vif1.0/proxy_arp = 0)"
expect_eq "$(status_fix "proxy ARP is on for vif1.0 (the guest's gateway is answered) (net/ipv4/conf/vif1.0/proxy_arp = 0)")" \
	"echo 1 > /proc/sys/net/ipv4/conf/vif1.0/proxy_arp" "proxy_arp's fix"
in_ns dom0 sysctl -qw net.ipv4.conf.all.proxy_arp=1
status_is	# the kernel ORs conf/all in: on all the same
in_ns dom0 sysctl -qw net.ipv4.conf.all.proxy_arp=0 net.ipv4.conf.vif1/0.proxy_arp=1

in_ns dom0 sysctl -qw net.ipv4.ip_forward=0
ping_fails lan 10.0.0.1
status_is "IPv4 forwarding is on (net/ipv4/ip_forward = 0)"
expect_eq "$(status_fix "IPv4 forwarding is on (net/ipv4/ip_forward = 0)")" \
	"network-route start, or echo 1 > /proc/sys/net/ipv4/ip_forward" "forwarding's fix"
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1
in_ns dom0 sysctl -qw net.ipv6.conf.all.forwarding=0
status_is "IPv6 forwarding is on (net/ipv6/conf/all/forwarding = 0)"
in_ns dom0 sysctl -qw net.ipv6.conf.all.forwarding=1

ip -n "$(ns dom0)" addr del 192.168.0.3/32 dev vif1.0
status_is "vif1.0 holds 192.168.0.3/32 (main_ip, eth0's address)" "$ROUTE4"
ok "(the kernel removes the routes whose source it was)"
ip -n "$(ns dom0)" addr add 192.168.0.3/32 dev vif1.0
ip -n "$(ns dom0)" route add 10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2

ip -n "$(ns dom0)" -6 neigh del proxy 2001:db8::6 dev eth0
status_is "eth0 answers for 2001:db8::6 (proxy NDP)"
ip -n "$(ns dom0)" -6 neigh add proxy 2001:db8::6 dev eth0
in_ns dom0 sysctl -qw net.ipv6.conf.eth0.proxy_ndp=0
status_is "proxy NDP is on for eth0 (net/ipv6/conf/eth0/proxy_ndp = 0)"
in_ns dom0 sysctl -qw net.ipv6.conf.eth0.proxy_ndp=1

in_ns dom0 nft delete element inet xen allowed4 '{ "vif1.0" . "vif1.0" . 10.0.0.1 }' ||
	fail "delete an element"
status_is "vif1.0's guest firewall elements are in place (4 of 5 in nft tables inet xen and arp xen)"
expect_eq "$(status_fix "vif1.0's guest firewall elements are in place (4 of 5 in nft tables inet xen and arp xen)")" \
	"vif-route online vif=vif1.0 XENBUS_PATH=backend/vif/1/0" "the firewall's fix"
libxl vif-route online 1 0 || fail "online again"
status_is

xs_write backend/vif/1/0/hotplug-status error
status_is "backend/vif/1/0/hotplug-status is connected (now 'error')"
xs_write backend/vif/1/0/hotplug-status connected

ip -n "$(ns dom0)" link set vif1.0 down
status_is "vif1.0 is up" "$ROUTE4" "route 2001:db8::6 dev vif1.0 metric 2 exists"
ok "(a link down takes its routes along)"
libxl vif-route online 1 0 || fail "online after down"
status_is

# proxy_arp on the uplink: advice for vif1.0 (its LAN routes 10.0.0.0/24 to
# dom0), a failure for vif2.0 (the LAN finds 192.168.0.7 by ARP only)
in_ns dom0 sysctl -qw net.ipv4.conf.eth0.proxy_arp=0
in_ns lan ip neigh flush dev eth0
ping_fails lan 192.168.0.7
ping_ok lan 10.0.0.1
status_is
status_warns | grep -qxF "proxy ARP is on for eth0 (needed only for guests on its LAN) (net/ipv4/conf/eth0/proxy_arp = 0)" ||
	fail "proxy_arp on eth0 is not a warning for vif1.0: $(status_warns)"
ok "proxy_arp off on eth0: a warning for vif1.0"
STATUS_ENV=(XENBUS_PATH=backend/vif/2/0 vif=vif2.0)
status_is "proxy ARP is on for eth0 (a guest address is on its LAN) (net/ipv4/conf/eth0/proxy_arp = 0)"
expect_eq "$(status_warns)" "" "vif2.0 needs no route on the LAN's gateway"
in_ns dom0 sysctl -qw net.ipv4.conf.eth0.proxy_arp=1
status_is

# without XENBUS_PATH: what to expect from vif= and ip= (and netdev)
STATUS_ENV=(vif=vif1.0 "ip=10.0.0.1 2001:db8::6")
status_is
expect_eq "$(status_warns | head -1)" \
	"the LAN's gateway 192.168.0.1 routes 10.0.0.1 to 192.168.0.3 (dom0 cannot check it)" \
	"without xenstore: the same reminder"
status_warns | grep -qx "xenstore not checked (no XENBUS_PATH)" || fail "no xenstore warning"
ip -n "$(ns dom0)" route del 10.0.0.1 dev vif1.0
status_is "$ROUTE4"
ip -n "$(ns dom0)" route add 10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2
STATUS_ENV=(vif=vif1.0 ip=10.0.0.1 netdev=eth9)
status_is "netdev eth9 does not exist (name the uplink with netdev=)"

# network-route status: its settings and the uplink, one failure at a time
STATUS_PROG="network-route"
STATUS_ENV=()
status_is
status_leaves_no_trace
for k in net.ipv4.ip_forward net.ipv4.conf.eth0.proxy_arp net.ipv6.conf.all.forwarding \
	net.ipv6.conf.eth0.proxy_ndp; do
	in_ns dom0 sysctl -qw "$k=0"
	p=$(tr . / <<<"$k")
	case $k in
	*ip_forward) status_is "IPv4 forwarding is on ($p = 0)" ;;
	*all.forwarding) status_is "IPv6 forwarding is on ($p = 0)" ;;
	*proxy_arp) status_is "proxy ARP is on for eth0 ($p = 0)" ;;
	*proxy_ndp) status_is "proxy NDP is on for eth0 ($p = 0)" ;;
	esac
	expect_eq "$(status_out --json | jq -r '.checks[] | select(.verdict == "FAIL") | .fix')" \
		"network-route start, or echo 1 > /proc/sys/$p" "its fix"
	in_ns dom0 sysctl -qw "$k=1"
done
in_ns dom0 sysctl -qw net.ipv6.conf.eth0.accept_ra=1
status_is "router advertisements count on eth0 while forwarding (accept_ra is not 1) (net/ipv6/conf/eth0/accept_ra = 1)"
in_ns dom0 sysctl -qw net.ipv6.conf.eth0.accept_ra=2
status_is
STATUS_ENV=(netdev=eth9)
status_is "netdev eth9 does not exist (name the uplink with netdev=)"
STATUS_PROG="vif-route"

# after offline: nothing is in place any more, and status says so
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
libxl vif-route offline 1 0 || fail "offline"
status_out >/dev/null && fail "status exits 0 after offline"
ok "status after offline exits 1"
status_out --json | jq -e '[.checks[] | select(.verdict == "FAIL") | .check] |
	index("vif1.0 is up") and index("'"$ROUTE4"'")' >/dev/null ||
	fail "after offline: $(status_out)"
ok "after offline: vif1.0 down and its routes gone"

# the uplink without an address: network-route and vif-route both say so
ip -n "$(ns dom0)" -4 addr flush dev eth0
STATUS_PROG="network-route"
STATUS_ENV=()
status_is "eth0 has an IPv4 address (vif-route's main_ip: none)"
STATUS_PROG="vif-route"
STATUS_ENV=(vif=vif2.0 ip=192.168.0.7)
status_out | grep -qxF "FAIL  netdev eth0 has no IPv4 address: give it one, or name another interface with netdev=" ||
	fail "vif-route status without main_ip: $(status_out)"
ok "vif-route status: the uplink has no IPv4 address"
pass
