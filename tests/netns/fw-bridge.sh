#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The guest firewall on a bridge, through vif-bridge: a guarded guest's own
# traffic passes (IPv4, IPv6, ARP for itself and probes, DHCP discovery,
# link-local, DAD); each spoof is dropped: it never arrives on the LAN
# (counters there) and our drop counter counts it. Each spoof is first
# sent unguarded (antispoof=no) to show that it does arrive then.
#
#   lan 192.168.0.1 2001:db8::1 --eth0-- [dom0: xenbr0 | eth0 vif1.0 vif2.0]
#        --vif1.0-- domU 192.168.0.6 2001:db8::6     --vif2.0-- mail 192.168.0.8
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
command -v arping >/dev/null || skip "needs arping (iputils-arping)"
fw_init
lab_init

bridged_lab
ip -n "$(ns lan)" addr add 2001:db8::1/64 dev eth0 nodad
LAN_MAC=$(link_field lan eth0 address)
guest mail 2 0 192.168.0.8/24
xs_vif 2 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.8
guest domU 1 0 192.168.0.6/24
ip -n "$(ns domU)" addr add 2001:db8::6/64 dev eth0 nodad
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 "ip=192.168.0.6 2001:db8::6"
MAC=$GUEST_MAC
SPOOF_MAC=00:16:3e:99:99:99

cnt_init lan eth0 \
	"ping4:ip saddr 192.168.0.6 icmp type echo-request" \
	"ping6:ip6 saddr 2001:db8::6 icmpv6 type echo-request" \
	"linklocal:ip6 saddr fe80::/10 icmpv6 type echo-request" \
	"arp_self:arp saddr ip 192.168.0.6 arp saddr ether $MAC" \
	"arp_probe:arp saddr ip 0.0.0.0" \
	"dhcp:ip saddr 0.0.0.0 udp dport 67" \
	"dad:ip6 saddr :: icmpv6 type nd-neighbor-solicit" \
	"spoof_ip:ip saddr 192.168.0.66" \
	"spoof_mac:ether saddr $SPOOF_MAC" \
	"spoof_arp_ip:arp saddr ip 192.168.0.66" \
	"spoof_arp_mac:arp saddr ether $SPOOF_MAC" \
	"spoof_ip6:ip6 saddr 2001:db8::66" \
	"ra:icmpv6 type nd-router-advert" \
	"mail:ip saddr 192.168.0.8"

# The guest owns the spoofed addresses too, and knows the LAN's MAC, so
# that nothing but our guard can stop what it sends from them.
in_ns domU ip addr add 192.168.0.66/32 dev eth0
in_ns domU ip addr add 2001:db8::66/128 dev eth0 nodad
in_ns domU ip neigh replace 192.168.0.1 lladdr "$LAN_MAC" dev eth0 nud permanent
in_ns domU ip -6 neigh replace 2001:db8::1 lladdr "$LAN_MAC" dev eth0 nud permanent

spoof_ip() { in_ns domU ping -c 1 -W 0.3 -I 192.168.0.66 192.168.0.1 >/dev/null; }
spoof_mac() {
	in_ns domU ip link set eth0 address $SPOOF_MAC
	in_ns domU ping -c 1 -W 0.3 192.168.0.1 >/dev/null
	in_ns domU ip link set eth0 address "$MAC"
}
spoof_arp_ip() { in_ns domU arping -c 1 -w 1 -I eth0 -s 192.168.0.66 192.168.0.1 >/dev/null; }
spoof_arp_mac() { in_ns domU "$PKTSEND" eth0 arp $SPOOF_MAC 192.168.0.6 192.168.0.1; }
spoof_ip6() { in_ns domU ping -6 -c 1 -W 0.3 -I 2001:db8::66 2001:db8::1 >/dev/null; }
spoof_ra() { in_ns domU "$PKTSEND" eth0 ra; }
SPOOFS="spoof_ip spoof_mac spoof_arp_ip spoof_arp_mac spoof_ip6 ra"
send() { case $1 in ra) spoof_ra ;; *) "$1" ;; esac; }

# ---- unguarded (antispoof=no): every spoof arrives ----
libxl vif-bridge online 1 0 antispoof=no || fail "online antispoof=no"
libxl vif-bridge online 2 0 || fail "online vif2.0"
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "antispoof=no: vif1.0 has no elements"
for s in $SPOOFS; do
	cnt_reset lan
	send "$s"
	expect_arrives lan "$s" "unguarded $s"
done

# ---- guarded (ip set): the guest's own traffic passes ----
libxl vif-bridge online 1 0 || fail "online"
expect_eq "$(elements_of dom0 bridge vif1.0)" "allowed4 vif1.0 . $MAC . 192.168.0.6
allowed6 vif1.0 . $MAC . 2001:db8::6
allowed6 vif1.0 . $MAC . $(eui64_ll "$MAC")
guarded vif1.0
macs vif1.0 . $MAC" "vif1.0's elements"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"
cnt_reset lan
ping_ok domU 192.168.0.1
expect_arrives lan ping4 "IPv4 from 192.168.0.6"
in_ns domU ping -6 -c 1 -W 2 -I 2001:db8::6 2001:db8::1 >/dev/null ||
	fail "domU cannot ping 2001:db8::1"
expect_arrives lan ping6 "IPv6 from 2001:db8::6"
LAN_LL=$(link_local lan eth0) || fail "no link-local address on the LAN"
in_ns domU ping -6 -c 1 -W 2 "$LAN_LL%eth0" >/dev/null || fail "domU cannot ping $LAN_LL"
expect_arrives lan linklocal "IPv6 link-local"
in_ns domU arping -c 1 -w 2 -I eth0 192.168.0.1 >/dev/null || fail "arping 192.168.0.1"
expect_arrives lan arp_self "ARP for itself"
in_ns domU arping -D -c 1 -w 1 -I eth0 192.168.0.6 >/dev/null
expect_arrives lan arp_probe "ARP probe (sender 0.0.0.0)"
in_ns domU "$PKTSEND" eth0 dhcp || fail "pktsend dhcp"
expect_arrives lan dhcp "DHCP discover (0.0.0.0:68 -> 255.255.255.255:67)"
in_ns domU sysctl -qw net.ipv6.conf.eth0.accept_dad=1
in_ns domU ip addr del 2001:db8::6/64 dev eth0
in_ns domU ip addr add 2001:db8::6/64 dev eth0
wait_count lan dad || fail "no DAD probe arrived"
expect_arrives lan dad "DAD neighbour solicitation from ::"
ping_ok lan 192.168.0.6

# ---- guarded: each spoof is dropped, and counted ----
cnt_reset lan
for s in $SPOOFS; do
	before=$(drops dom0)
	send "$s"
	expect_never lan "$s" "guarded $s"
	[ "$(drops dom0)" -gt "$before" ] || fail "$s: our drop counter did not move"
	ok "$s: counted by bridge xen's counter 'dropped' ($(drops dom0))"
done
ping_ok domU 192.168.0.1
ok "the guest still works after its spoofs"

# ---- the other guest is untouched by all this; offline removes exactly
# vif1.0's elements, even after xenstore's ip changed ----
ping_ok mail 192.168.0.1
expect_arrives lan mail "traffic of the other guarded guest"
mail_before=$(elements_of dom0 bridge vif2.0)
xs_write backend/vif/1/0/ip 192.168.0.99
libxl vif-bridge offline 1 0 || fail "offline"
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline and a sweep removed vif1.0's elements"
expect_eq "$(elements_of dom0 bridge vif2.0)" "$mail_before" "vif2.0's elements are untouched"
libxl vif-bridge offline 1 0 || fail "second offline"
ok "offline again: nothing to remove is fine"
expect_eq "$(rule_count dom0)" "$FW_BRIDGE_RULES" "the rules never changed"
pass
