#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The guest firewall for routed and NAT guests (table inet xen), through the
# library's API (tests/fw/fw-tool) on a vif routed as vif-route does it:
# traffic from the guest's declared addresses (and a routed prefix) is
# forwarded, from any other address it is dropped before routing; with
# the uplink in @nat_uplinks guest traffic leaves masqueraded.
#
#   lan 192.168.0.1 2001:db8::1 --eth0-- [dom0 192.168.0.3 2001:db8::3]
#        --vif1.0-- domU 10.0.0.1 2001:db8:1::1 (and 10.1.0.0/24 routed to it)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

ns_add lan dom0
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)"
ip -n "$(ns dom0)" link set eth0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0
ip -n "$(ns dom0)" addr add 2001:db8::3/64 dev eth0 nodad
ip -n "$(ns lan)" link set eth0 up
ip -n "$(ns lan)" addr add 192.168.0.1/24 dev eth0
ip -n "$(ns lan)" addr add 2001:db8::1/64 dev eth0 nodad
ip -n "$(ns lan)" route add 10.0.0.0/8 via 192.168.0.3
ip -n "$(ns lan)" route add 2001:db8:1::/64 via 2001:db8::3
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# the vif as vif-route leaves it: dom0's address, proxy ARP, host routes
guest domU 1 0 10.0.0.1/24
ip -n "$(ns dom0)" link set vif1.0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/32 dev vif1.0
in_ns dom0 sysctl -qw net.ipv4.conf.vif1/0.proxy_arp=1 net.ipv4.neigh.vif1/0.proxy_delay=0
ip -n "$(ns dom0)" route add 10.0.0.1 dev vif1.0 src 192.168.0.3
ip -n "$(ns dom0)" route add 10.1.0.0/24 dev vif1.0 src 192.168.0.3
ip -n "$(ns dom0)" route add 2001:db8:1::1 dev vif1.0
for a in 10.1.0.5/32 10.0.0.66/32; do in_ns domU ip addr add $a dev eth0; done
in_ns domU ip addr add 2001:db8:1::1/64 dev eth0 nodad
in_ns domU ip addr add 2001:db8:1::66/128 dev eth0 nodad
in_ns domU ip route add default dev eth0
VIF_LL=$(link_local dom0 vif1.0) || fail "no link-local address on vif1.0"
in_ns domU ip -6 route add default via "$VIF_LL" dev eth0

cnt_init lan eth0 \
	"ping4:ip saddr 10.0.0.1 icmp type echo-request" \
	"net:ip saddr 10.1.0.5 icmp type echo-request" \
	"ping6:ip6 saddr 2001:db8:1::1 icmpv6 type echo-request" \
	"spoof_ip:ip saddr 10.0.0.66" \
	"spoof_ip6:ip6 saddr 2001:db8:1::66" \
	"nat:ip saddr 192.168.0.3 icmp type echo-request" \
	"spoof_nat:ip length 1139" \
	"leak_tcp:ip saddr 10.0.0.0/8 tcp dport 80" \
	"leak_icmp:ip saddr 10.0.0.0/8 icmp type destination-unreachable"
in_ns dom0 nft -f - <<'NFT' || fail "counters in dom0"
table inet cnt {
	counter ra { }
	counter dhcp { }
	counter linklocal { }
	chain in { type filter hook input priority 0;
		icmpv6 type nd-router-advert counter name "ra"
		ip saddr 0.0.0.0 udp dport 67 counter name "dhcp"
		ip6 saddr fe80::/10 icmpv6 type echo-request counter name "linklocal"
	}
}
NFT
dom0_cnt() { cnt dom0 "$1" inet cnt; }

spoof_ip() { in_ns domU ping -c 1 -W 0.3 -I 10.0.0.66 192.168.0.1 >/dev/null; }
spoof_ip6() { in_ns domU ping -6 -c 1 -W 0.3 -I 2001:db8:1::66 2001:db8::1 >/dev/null; }
spoof_nat() { in_ns domU ping -c 1 -W 0.3 -s 1111 -I 10.0.0.66 192.168.0.1 >/dev/null; }
ping4() { in_ns domU ping -c 1 -W 2 -I 10.0.0.1 192.168.0.1 >/dev/null; }

# ---- unguarded: the spoofs are routed ----
for s in spoof_ip spoof_ip6; do
	cnt_reset lan
	$s
	expect_arrives lan $s "unguarded $s"
done
in_ns domU "$PKTSEND" eth0 ra || fail "pktsend ra"
[ "$(dom0_cnt ra)" -gt 0 ] || fail "an unguarded router advertisement did not reach dom0"
ok "unguarded router advertisement: arrived in dom0"

# ---- guarded ----
fwtool dom0 add inet vif1.0 "ip=10.0.0.1 10.1.0.0/24 2001:db8:1::1" || fail "fw-tool add"
expect_eq "$(elements_of dom0 inet vif1.0)" "allowed4 vif1.0 . 10.0.0.1
allowed4_nets vif1.0 . 10.1.0.0/24
allowed6 vif1.0 . 2001:db8:1::1
guarded vif1.0" "vif1.0's elements"
cnt_reset lan
ping4 || fail "domU cannot ping 192.168.0.1 from 10.0.0.1"
expect_arrives lan ping4 "IPv4 from 10.0.0.1"
in_ns domU ping -c 1 -W 2 -I 10.1.0.5 192.168.0.1 >/dev/null || fail "ping from 10.1.0.5"
expect_arrives lan net "IPv4 from 10.1.0.5, in the routed prefix 10.1.0.0/24"
in_ns domU ping -6 -c 1 -W 2 -I 2001:db8:1::1 2001:db8::1 >/dev/null || fail "ping6"
expect_arrives lan ping6 "IPv6 from 2001:db8:1::1"
in_ns domU ping -6 -c 1 -W 2 "$VIF_LL%eth0" >/dev/null || fail "ping $VIF_LL"
[ "$(dom0_cnt linklocal)" -gt 0 ] || fail "link-local ping did not reach dom0"
ok "IPv6 link-local to dom0"
in_ns domU "$PKTSEND" eth0 dhcp || fail "pktsend dhcp"
[ "$(dom0_cnt dhcp)" -gt 0 ] || fail "DHCP discover did not reach dom0"
ok "DHCP discover reached dom0"
ping_ok lan 10.0.0.1

for s in spoof_ip spoof_ip6; do
	before=$(drops dom0 inet)
	$s
	expect_never lan $s "guarded $s"
	[ "$(drops dom0 inet)" -gt "$before" ] || fail "$s: our drop counter did not move"
	ok "$s: counted by inet xen's counter 'dropped'"
done
before=$(dom0_cnt ra)
in_ns domU "$PKTSEND" eth0 ra
expect_eq "$(dom0_cnt ra)" "$before" "guarded router advertisement never reached dom0"

# ---- NAT: guest traffic leaving eth0 is masqueraded ----
fwtool dom0 nat add eth0 || fail "nat add"
fwtool dom0 nat check eth0 || fail "nat check"
fwtool dom0 source add 10.0.0.1 || fail "source add"	# a NAT guest (vif-nat's)
fwtool dom0 source check 10.0.0.1 || fail "source check"
cnt_reset lan
ping4 || fail "domU cannot ping through NAT"
expect_arrives lan nat "IPv4 from the guest, masqueraded to 192.168.0.3"
expect_never lan ping4 "the guest's own address behind NAT"
fwtool dom0 del inet vif1.0 || fail "fw-tool del"
fwtool dom0 sweep || fail "fw-tool sweep"	# del retires; a sweep deletes
spoof_nat
expect_arrives lan spoof_nat "unguarded, a spoofed source is masqueraded too"
fwtool dom0 add inet vif1.0 "ip=10.0.0.1 10.1.0.0/24 2001:db8:1::1" || fail "fw-tool add"
cnt_reset lan
before=$(drops dom0 inet)
spoof_nat
expect_never lan spoof_nat "guarded, a spoofed source is dropped before NAT"
[ "$(drops dom0 inet)" -gt "$before" ] || fail "spoof_nat: our drop counter did not move"
ok "spoof_nat: counted by inet xen's counter 'dropped'"
# packets conntrack marks invalid (TCP without flags, SYN+FIN, an ICMP
# error about nothing) skip masquerading: unguarded they leave with the
# guest's own address, guarded they are dropped
VIF_MAC=$(link_field dom0 vif1.0 address)
invalid() {
	in_ns domU "$PKTSEND" eth0 tcp4 "$VIF_MAC" 10.0.0.1 192.168.0.1 00 || fail "pktsend tcp4"
	in_ns domU "$PKTSEND" eth0 tcp4 "$VIF_MAC" 10.0.0.1 192.168.0.1 03 || fail "pktsend tcp4"
	in_ns domU "$PKTSEND" eth0 icmp4-err "$VIF_MAC" 10.0.0.1 192.168.0.1 ||
		fail "pktsend icmp4-err"
}
fwtool dom0 del inet vif1.0 || fail "fw-tool del"
fwtool dom0 sweep || fail "fw-tool sweep"
cnt_reset lan
invalid
expect_arrives lan leak_tcp "unguarded: invalid TCP leaves unmasqueraded"
expect_arrives lan leak_icmp "unguarded: an ICMP error about nothing leaves unmasqueraded"
fwtool dom0 add inet vif1.0 "ip=10.0.0.1 10.1.0.0/24 2001:db8:1::1" || fail "fw-tool add"
cnt_reset lan
before=$(drops dom0 inet)
invalid
expect_never lan leak_tcp "guarded: TCP without flags, SYN+FIN"
expect_never lan leak_icmp "guarded: an ICMP error about nothing"
[ "$(drops dom0 inet)" -ge $((before + 3)) ] || fail "the invalid packets were not counted"
ok "the invalid packets were counted by inet xen's 'dropped'"
ping4 || fail "ping through NAT after the invalid packets"
fwtool dom0 source del 10.0.0.1 || fail "source del"
fwtool dom0 nat del eth0 || fail "nat del"
fwtool dom0 nat check eth0 && fail "eth0 still in @nat_uplinks"
ping4 || fail "ping after nat del"
expect_arrives lan ping4 "without the uplink in @nat_uplinks, no masquerade"

# ---- ARP to dom0 (table arp xen): forged senders fill no neighbour table ----
DOMU_MAC=$(link_field domU eth0 address)
arp_flood() {
	local i
	for i in $(seq 20); do
		in_ns domU "$PKTSEND" eth0 arp "$DOMU_MAC" "10.9.0.$i" 192.168.0.3 || fail "pktsend arp"
	done
}
forged_neigh() {
	ip -n "$(ns dom0)" -j -4 neigh show dev vif1.0 |
		jq '[.[] | select(.dst | startswith("10.9.0."))] | length'
}
fwtool dom0 del inet vif1.0 || fail "fw-tool del"
fwtool dom0 sweep || fail "fw-tool sweep"
arp_flood
[ "$(forged_neigh)" -ge 10 ] || fail "unguarded, forged ARP left $(forged_neigh) entries"
ok "unguarded: forged ARP senders fill dom0's neighbour table ($(forged_neigh) entries)"
ip -n "$(ns dom0)" neigh flush dev vif1.0
fwtool dom0 add inet vif1.0 "ip=10.0.0.1 10.1.0.0/24 2001:db8:1::1" || fail "fw-tool add"
expect_eq "$(elements_of dom0 arp vif1.0)" "allowed4 vif1.0 . 10.0.0.1
allowed4_nets vif1.0 . 10.1.0.0/24
guarded vif1.0" "vif1.0's elements in table arp xen"
before=$(drops dom0 arp)
arp_flood
expect_eq "$(forged_neigh)" 0 "guarded: forged ARP senders leave no entry in dom0"
[ "$(drops dom0 arp)" -ge $((before + 20)) ] || fail "forged ARP not counted"
ok "forged ARP counted by arp xen's counter 'dropped'"
in_ns domU "$PKTSEND" eth0 arp "$DOMU_MAC" 10.0.0.1 192.168.0.3 || fail "pktsend arp"
[ -n "$(ip -n "$(ns dom0)" neigh show 10.0.0.1 dev vif1.0)" ] || fail "own ARP not learnt"
ok "guarded: the guest's own ARP (10.0.0.1) is learnt"
ping4 || fail "ping after the ARP flood"

fwtool dom0 del inet vif1.0 || fail "fw-tool del"
fwtool dom0 sweep || fail "fw-tool sweep"
expect_eq "$(elements dom0 inet)" "" "no elements left"
expect_eq "$(elements dom0 arp)" "" "none in table arp xen either"
expect_eq "$(rule_count dom0 inet)" "$FW_INET_RULES" "the rules never changed"
pass
