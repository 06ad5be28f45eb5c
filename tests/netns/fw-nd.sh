#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A hostile guest on a guarded bridge port, with crafted frames (pktsend):
# forged neighbour advertisements (another guest's address, the router's
# link-local), DAD denial (solicitations from :: and advertisements for an
# address the LAN is probing), another host's link-local as source, rogue
# DHCP and DHCPv6 servers, fragmented router advertisements whose ICMPv6
# type is hidden in the second fragment. Each is shown to work unguarded
# (antispoof=no), then to be dropped: it never arrives on the LAN and the
# LAN's and the other guest's neighbour tables keep the right MACs. The
# guest's own IPv6 keeps working (link-local and global, ND, DAD, large
# fragmented packets), an RFC 7217 link-local works once listed in `ip`,
# and XNET_FW_DHCP_SERVER=yes lets a DHCP server guest answer.
#
#   lan 192.168.0.1 2001:db8::1 --eth0-- [dom0: xenbr0 | eth0 vif1.0 vif2.0]
#     --vif1.0-- domU 192.168.0.6 2001:db8::6 (the attacker)
#     --vif2.0-- mail 192.168.0.8 2001:db8::8
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

bridged_lab
ip -n "$(ns lan)" addr add 2001:db8::1/64 dev eth0 nodad
LAN_MAC=$(link_field lan eth0 address)
guest mail 2 0 192.168.0.8/24
MAIL_MAC=$GUEST_MAC
ip -n "$(ns mail)" addr add 2001:db8::8/64 dev eth0 nodad
xs_vif 2 0 "$MAIL_MAC" bridge=xenbr0 "ip=192.168.0.8 2001:db8::8"
guest domU 1 0 192.168.0.6/24
MAC=$GUEST_MAC
ip -n "$(ns domU)" addr add 2001:db8::6/64 dev eth0 nodad
xs_vif 1 0 "$MAC" bridge=xenbr0 "ip=192.168.0.6 2001:db8::6"
libxl vif-bridge online 2 0 || fail "online vif2.0"
LAN_LL=$(link_local lan eth0)
MY_LL=$(eui64_ll "$MAC")

# ll_hex MAC: the EUI-64 link-local of MAC as nft's 128-bit raw value
ll_hex() {
	local IFS=: m
	read -ra m <<<"$1"
	printf '0xfe80000000000000%02x%02x%02xfffe%02x%02x%02x' $((0x${m[0]} ^ 2)) \
		$((0x${m[1]})) $((0x${m[2]})) $((0x${m[3]})) $((0x${m[4]})) $((0x${m[5]}))
}
NA="ether saddr $MAC icmpv6 type nd-neighbor-advert @th,64,128"
cnt_init lan eth0 \
	"na_mail:$NA 0x20010db8000000000000000000000008" \
	"na_router:$NA $(ll_hex "$LAN_MAC")" \
	"na_self:$NA 0x20010db8000000000000000000000006" \
	"dad_other:ether saddr $MAC ip6 saddr :: icmpv6 type nd-neighbor-solicit" \
	"ll_forged:ip6 saddr fe80::66 icmpv6 type echo-request" \
	"ll_own:ip6 saddr $MY_LL icmpv6 type echo-request" \
	"ping6:ip6 saddr 2001:db8::6 icmpv6 type echo-request" \
	"dhcp4:ether saddr $MAC udp sport 67 udp dport 68" \
	"dhcp6:ether saddr $MAC udp sport 547 udp dport 546" \
	"frag_ra:ether saddr $MAC ip6 saddr fe80::/10 frag frag-off 0" \
	"bigping:ip6 saddr 2001:db8::6 ip6 nexthdr ipv6-frag"

# lan_mac_of NS ADDR: the MAC that NS's neighbour table holds for ADDR
lan_mac_of() {
	ip -n "$(ns "$1")" -j -6 neigh show "$2" | jq -r '.[0].lladdr // empty'
}
# learn NS ADDR [DEV-ADDR]: NS resolves ADDR (a ping), so that its entry exists
learn() { in_ns "$1" ping -6 -c 1 -W 2 "$2" >/dev/null || fail "$1 cannot ping $2"; }
forge_na() {	# the attacker's unsolicited NAs with override, 3 of each
	local i
	for i in 1 2 3; do
		in_ns domU "$PKTSEND" eth0 na 2001:db8::8 || fail "pktsend na"
		in_ns domU "$PKTSEND" eth0 na "$LAN_LL" "$LAN_LL" || fail "pktsend na"
		in_ns domU "$PKTSEND" eth0 na "$LAN_LL" || fail "pktsend na"
	done
}
# dad_attack: the LAN probes 2001:db8::9 while the attacker claims it
# (solicitations from ::, advertisements); prints the address's flags
dad_attack() {
	local i
	ip -n "$(ns lan)" addr del 2001:db8::9/64 dev eth0 2>/dev/null
	in_ns lan sysctl -qw net.ipv6.conf.eth0.accept_dad=1
	( for i in $(seq 25); do
		in_ns domU "$PKTSEND" eth0 ns 2001:db8::9 ::
		in_ns domU "$PKTSEND" eth0 na 2001:db8::9
		sleep 0.1
	done ) &
	sleep 0.3
	ip -n "$(ns lan)" addr add 2001:db8::9/64 dev eth0
	wait
	sleep 0.5
	ip -n "$(ns lan)" -j -6 addr show dev eth0 | jq -r '.[0].addr_info[] |
		select(.local == "2001:db8::9") | if .dadfailed then "dadfailed"
		elif .tentative then "tentative" else "valid" end'
}
frag_ras() {
	in_ns domU "$PKTSEND" eth0 frag-ra hidden || fail "pktsend frag-ra hidden"
	in_ns domU "$PKTSEND" eth0 frag-ra visible || fail "pktsend frag-ra visible"
}
rogue_dhcp() {
	in_ns domU "$PKTSEND" eth0 dhcp4-offer 192.168.0.6 || fail "pktsend dhcp4-offer"
	in_ns domU "$PKTSEND" eth0 dhcp6-advert || fail "pktsend dhcp6-advert"
}

# ---- unguarded (antispoof=no): each forgery works ----
libxl vif-bridge online 1 0 antispoof=no || fail "online antispoof=no"
expect_eq "$(link_local domU eth0)" "$MY_LL" "the guest's link-local is its MAC's"
learn lan 2001:db8::8
learn mail "$LAN_LL%eth0"
expect_eq "$(lan_mac_of lan 2001:db8::8)" "$MAIL_MAC" "the LAN knows 2001:db8::8 at mail's MAC"
forge_na
expect_eq "$(lan_mac_of lan 2001:db8::8)" "$MAC" "unguarded: a forged NA moves 2001:db8::8 to the attacker"
expect_eq "$(lan_mac_of mail "$LAN_LL")" "$MAC" "unguarded: a forged NA hijacks the router's link-local"
expect_eq "$(dad_attack)" dadfailed "unguarded: the attacker denies the LAN's DAD"
cnt_reset lan
frag_ras
expect_arrives lan frag_ra "unguarded: fragmented router advertisements"
rogue_dhcp
expect_arrives lan dhcp4 "unguarded: a DHCP server's reply"
expect_arrives lan dhcp6 "unguarded: a DHCPv6 server's Advertise"

# ---- guarded: the same forgeries are dropped ----
ip -n "$(ns lan)" neigh flush dev eth0
ip -n "$(ns mail)" neigh flush dev eth0
libxl vif-bridge online 1 0 || fail "online"
learn lan 2001:db8::8
learn mail "$LAN_LL%eth0"
cnt_reset lan
before=$(drops dom0)
forge_na
expect_never lan na_mail "guarded: an NA for mail's 2001:db8::8"
expect_never lan na_router "guarded: an NA for the router's link-local"
expect_eq "$(lan_mac_of lan 2001:db8::8)" "$MAIL_MAC" "the LAN still has 2001:db8::8 at mail's MAC"
expect_eq "$(lan_mac_of mail "$LAN_LL")" "$LAN_MAC" "mail still has the router at the router's MAC"
[ "$(drops dom0)" -ge $((before + 9)) ] || fail "the forged NAs were not counted"
ok "the forged NAs were counted by bridge xen's 'dropped'"
expect_eq "$(dad_attack)" valid "guarded: the LAN's DAD of 2001:db8::9 succeeds"
expect_never lan dad_other "guarded: a DAD probe for another's address"
frag_ras
expect_never lan frag_ra "guarded: the first fragments of fragmented RAs (hidden type, visible type)"
rogue_dhcp
expect_never lan dhcp4 "guarded: a DHCP server's reply"
expect_never lan dhcp6 "guarded: a DHCPv6 server's Advertise"
# ll_as ADDR: the guest's only link-local is ADDR (ping cannot bind one)
ll_as() {
	in_ns domU ip -6 addr flush dev eth0 scope link
	in_ns domU ip addr add "$1/64" dev eth0 nodad
}
ll_as fe80::66
in_ns domU ping -6 -c 1 -W 0.5 -I eth0 "$LAN_LL%eth0" >/dev/null
expect_never lan ll_forged "guarded: a link-local source not the guest's"
ll_as "$MY_LL"

# ---- guarded: the guest's own IPv6 works ----
in_ns domU ping -6 -c 1 -W 2 -I eth0 "$LAN_LL%eth0" >/dev/null || fail "ping6 link-local"
expect_arrives lan ll_own "link-local ping from the MAC's link-local"
in_ns domU ping -6 -c 1 -W 2 -I 2001:db8::6 2001:db8::1 >/dev/null || fail "ping6 global"
expect_arrives lan ping6 "global ping from 2001:db8::6"
in_ns domU ping -6 -c 1 -W 2 -s 3000 -I 2001:db8::6 2001:db8::1 >/dev/null ||
	fail "fragmented ping6"
expect_arrives lan bigping "a large ping, fragmented"
in_ns domU "$PKTSEND" eth0 na 2001:db8::6 || fail "pktsend na"
expect_arrives lan na_self "an NA for its own 2001:db8::6"
ping_ok lan 2001:db8::6
in_ns domU sysctl -qw net.ipv6.conf.eth0.accept_dad=1
cnt_init lan eth0 "dad_own:ether saddr $MAC ip6 saddr :: icmpv6 type nd-neighbor-solicit"
in_ns domU ip addr del 2001:db8::6/64 dev eth0
in_ns domU ip addr add 2001:db8::6/64 dev eth0
wait_count lan dad_own || fail "the guest's DAD probe for 2001:db8::6 did not arrive"
ok "the guest's DAD probe for its own 2001:db8::6 arrived"

# ---- an RFC 7217 link-local: listed in `ip`, it works; IPv6 stays held ----
xs_write backend/vif/1/0/ip "192.168.0.6 2001:db8::6 fe80::66"
libxl vif-bridge online 1 0 || fail "online with fe80::66 listed"
cnt_init lan eth0 "ll_listed:ip6 saddr fe80::66 icmpv6 type echo-request"
ll_as fe80::66
in_ns domU ping -6 -c 1 -W 2 -I eth0 "$LAN_LL%eth0" >/dev/null || fail "ping from fe80::66"
expect_arrives lan ll_listed "a link-local listed in ip"
ll_as "$MY_LL"

# ---- a DHCP server guest: XNET_FW_DHCP_SERVER=yes ----
cnt_init lan eth0 "dhcp4:ether saddr $MAC udp sport 67 udp dport 68" \
	"dhcp6:ether saddr $MAC udp sport 547 udp dport 546"
libxl vif-bridge online 1 0 XNET_FW_DHCP_SERVER=yes || fail "online as a DHCP server"
rogue_dhcp
expect_arrives lan dhcp4 "XNET_FW_DHCP_SERVER=yes: its DHCP replies"
expect_arrives lan dhcp6 "XNET_FW_DHCP_SERVER=yes: its DHCPv6 replies"
libxl vif-bridge online 1 0 || fail "online again"
cnt_reset lan
rogue_dhcp
expect_never lan dhcp4 "without it again: no DHCP reply"
libxl vif-bridge offline 1 0 || fail "offline"
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline and a sweep removed all of vif1.0's elements"
pass
