#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-nat status: the seed's troubleshooting of NAT networking done by the
# program. In a working seed 3/4 lab (and a second guest with DHCP entries
# for ISC dhcpd and dnsmasq), break one thing at a time (route deleted,
# proxy_arp off, forwarding off, masquerade removed, element deleted, ARP
# off, router address, DHCP entry, hotplug-status): status must name
# exactly that failure, with its fix, and exit 1; healthy, all ok, exit 0.
# Then network-nat status: forwarding, masquerade, DHCP subnet, started,
# and the records of guests that are gone.
#
#   lan 192.168.0.5 --eth0-- dom0 192.168.0.3 --vif1.0-- domU 10.0.0.1 (router 10.0.0.128)
#                                             --vif2.0-- domV 10.0.0.2 (router 10.0.0.129, DHCP)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
. "$(dirname "$0")/lib-status.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init

nat_lab
nat_guest domU 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1
nat_guest domV 2 0 10.0.0.2/24 10.0.0.254 ip=10.0.0.2
touch "$T/dhcpd.conf" "$T/dnsmasq-hosts"
echo 'INTERFACESv4=""' >"$T/isc-dhcp-server"
netnat start || fail "network-nat start"
vifnat online 1 0 dhcp=no || fail "online 1"
vifnat online 2 0 || fail "online 2"
ping_ok domU 192.168.0.5

STATUS_PROG="vif-nat"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "${NAT_ENV[@]}")
status_is
expect_eq "$(status_warns)" "" "healthy: no warning"
status_out | grep -qx "ok    no DHCP server is in use for vif1.0" || fail "dhcp=no: $(status_out)"
status_leaves_no_trace

ROUTE="route 10.0.0.1 dev vif1.0 scope link src 10.0.0.128 exists"
ip -n "$(ns dom0)" route del 10.0.0.1 dev vif1.0
ping_fails domU 192.168.0.5
status_is "$ROUTE"
expect_eq "$(status_fix "$ROUTE")" "ip route replace 10.0.0.1 dev vif1.0 scope link src 10.0.0.128" \
	"the route's fix"
ip -n "$(ns dom0)" route add 10.0.0.1 dev vif1.0 scope link src 10.0.0.128

in_ns dom0 sysctl -qw net.ipv4.conf.vif1/0.proxy_arp=0
status_is "proxy ARP is on for vif1.0 (the guest's gateway is answered) (net/ipv4/conf/vif1.0/proxy_arp = 0)"
in_ns dom0 sysctl -qw net.ipv4.conf.vif1/0.proxy_arp=1

in_ns dom0 sysctl -qw net.ipv4.ip_forward=0
ping_fails domU 192.168.0.5
status_is "IPv4 forwarding is on (net/ipv4/ip_forward = 0)"
expect_eq "$(status_fix "IPv4 forwarding is on (net/ipv4/ip_forward = 0)")" \
	"network-nat start, or echo 1 > /proc/sys/net/ipv4/ip_forward" "forwarding's fix"
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1

MASQ="guest traffic leaving eth0 is masqueraded (nft set inet xen @nat_uplinks)"
in_ns dom0 nft delete element inet xen nat_uplinks '{ "eth0" }' || fail "delete the uplink"
ping_fails domU 192.168.0.5	# the LAN has no route back to 10.0.0.0/8
status_is "$MASQ"
expect_eq "$(status_fix "$MASQ")" "network-nat start netdev=eth0" "the masquerade's fix"
netnat start || fail "network-nat start again"
ping_ok domU 192.168.0.5
status_is

in_ns dom0 nft delete element inet xen allowed4 '{ "vif1.0" . "vif1.0" . 10.0.0.1 }' || fail "delete an element"
ping_fails domU 192.168.0.5
status_is "vif1.0's guest firewall elements are in place (4 of 5 in nft tables inet xen and arp xen)"
vifnat online 1 0 dhcp=no || fail "online again"
ping_ok domU 192.168.0.5

ip -n "$(ns dom0)" link set vif1.0 arp off
status_is "vif1.0 does ARP (no NOARP flag)"
expect_eq "$(status_fix "vif1.0 does ARP (no NOARP flag)")" "ip link set dev vif1.0 arp on" \
	"ARP's fix"
ip -n "$(ns dom0)" link set vif1.0 arp on

ip -n "$(ns dom0)" addr del 10.0.0.128/32 dev vif1.0
status_is "vif1.0 holds 10.0.0.128/32 (the guest's router)" "$ROUTE"
ok "(the route from the router's address went with it)"
vifnat online 1 0 dhcp=no || fail "online again"
status_is

xs_write backend/vif/1/0/hotplug-status error
status_is "backend/vif/1/0/hotplug-status is connected (now 'error')"
xs_write backend/vif/1/0/hotplug-status connected

# the DHCP guest: its entries in each server's files
STATUS_ENV=(XENBUS_PATH=backend/vif/2/0 vif=vif2.0 "${NAT_ENV[@]}")
status_is
for f in "host dom2 is in $T/dhcpd.conf" "interface vif2.0 is in $T/isc-dhcp-server" \
	"host dom2 is in $T/dnsmasq-hosts" "router option of vif2.0 is in $T/dnsmasq-opts"; do
	status_out | grep -qxF "ok    $f" || fail "no check '$f': $(status_out)"
done
ok "each DHCP server's entry is checked"
cp "$T/dnsmasq-hosts" "$T/hosts.saved"
: >"$T/dnsmasq-hosts"
status_is "host dom2 is in $T/dnsmasq-hosts"
expect_eq "$(status_fix "host dom2 is in $T/dnsmasq-hosts")" \
	"vif-nat online vif=vif2.0 XENBUS_PATH=backend/vif/2/0" "the DHCP entry's fix"
cp "$T/hosts.saved" "$T/dnsmasq-hosts"
cp "$T/dhcpd.conf" "$T/dhcpd.saved"
grep -v 'host dom2 ' "$T/dhcpd.saved" >"$T/dhcpd.conf"
status_is "host dom2 is in $T/dhcpd.conf"
cp "$T/dhcpd.saved" "$T/dhcpd.conf"
status_is

# without XENBUS_PATH: the address from ip=, else from the vif's name
STATUS_ENV=(vif=vif1.0 ip=10.0.0.1 dhcp=no "${NAT_ENV[@]}")
status_is
expect_eq "$(status_warns)" "xenstore not checked (no XENBUS_PATH)" "without xenstore: a warning"
STATUS_ENV=(vif=vif1.0 dhcp=no "${NAT_ENV[@]}")
status_is "vif1.0 holds 10.0.1.128/32 (the guest's router)" \
	"route 10.0.1.1 dev vif1.0 scope link src 10.0.1.128 exists"
ok "(vif1.0's default address would be 10.0.1.1/16, router 10.0.1.128)"
STATUS_ENV=(vif=web0 "${NAT_ENV[@]}")
status_is "give ip= or XENBUS_PATH=: the name web0 does not say which guest it is" "web0 exists"

# network-nat status
STATUS_PROG="network-nat"
STATUS_ENV=("${NAT_ENV[@]}")
status_is
expect_eq "$(status_warns)" "" "network-nat healthy: no warning"
status_leaves_no_trace
in_ns dom0 sysctl -qw net.ipv4.ip_forward=0
status_is "IPv4 forwarding is on (net/ipv4/ip_forward = 0)"
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1
in_ns dom0 nft delete element inet xen nat_uplinks '{ "eth0" }' || fail "delete the uplink"
status_is "$MASQ"
expect_eq "$(status_fix "$MASQ")" "network-nat start netdev=eth0" "the masquerade's fix"
netnat start || fail "network-nat start again"
SUBNET="subnet 10.0.0.0 netmask 255.255.0.0 is declared in $T/dhcpd.conf"
grep -q '^subnet 10.0.0.0 netmask 255.255.0.0' "$T/dhcpd.conf" || fail "no subnet in dhcpd.conf"
cp "$T/dhcpd.conf" "$T/dhcpd.saved"
grep -v '^subnet 10.0.0.0 ' "$T/dhcpd.saved" >"$T/dhcpd.conf"
status_is "$SUBNET"
expect_eq "$(status_fix "$SUBNET")" "network-nat start dhcp=yes" "the subnet's fix"
cp "$T/dhcpd.saved" "$T/dhcpd.conf"
STATUS_ENV=(dhcp=no "${NAT_ENV[@]}")
status_out | grep -qx "ok    no DHCP server is in use (dhcp=no, or no dhcpd.conf or dnsmasq hostsfile)" ||
	fail "dhcp=no: $(status_out)"
ok "dhcp=no: no DHCP check"
STATUS_ENV=("${NAT_ENV[@]}")
# a guest gone without its offline: its record is named
ip -n "$(ns dom0)" link del vif1.0
status_is
expect_eq "$(status_warns)" "vif1.0 of NAT guest 10.0.0.1 (router 10.0.0.128) exists" \
	"a record left by a guest that is gone: a warning"
expect_eq "$(status_fix "vif1.0 of NAT guest 10.0.0.1 (router 10.0.0.128) exists")" \
	"vif-nat offline vif=vif1.0 XENBUS_PATH=backend/vif/1/0 (it removes the record)" \
	"and how to remove it"
vifnat offline 1 0 || fail "offline 1"
vifnat offline 2 0 || fail "offline 2"
netnat stop || fail "network-nat stop"
status_is "IPv4 forwarding is on (net/ipv4/ip_forward = 0)" "$MASQ" "$SUBNET"
expect_eq "$(status_warns)" "network-nat start has run (no record $XNET_STATE_DIR/network-nat)" \
	"after stop: not started"
pass
