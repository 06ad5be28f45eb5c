#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Upstream's meaning of `ip` for a drop-in: a family that `ip` lists is held
# to those addresses; a family it does not list is not address-filtered,
# while the MAC, RA, ND and DHCP-server guards still apply; status says
# which families are open and how to hold them; XNET_FW_STRICT=yes drops
# the families `ip` does not list (the behaviour before).
#
#   lan 192.168.0.1 2001:db8::1 --eth0-- [dom0: xenbr0 | eth0 vif1.0]
#     --vif1.0-- domU 192.168.0.6 2001:db8::6, ip=192.168.0.6 only
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

bridged_lab
ip -n "$(ns lan)" addr add 2001:db8::1/64 dev eth0 nodad
guest domU 1 0 192.168.0.6/24
MAC=$GUEST_MAC
ip -n "$(ns domU)" addr add 2001:db8::6/64 dev eth0 nodad
in_ns domU ip addr add 192.168.0.66/32 dev eth0
xs_vif 1 0 "$MAC" bridge=xenbr0 ip=192.168.0.6
cnt_init lan eth0 \
	"ping6:ip6 saddr 2001:db8::6 icmpv6 type echo-request" \
	"ll:ip6 saddr fe80::/10 icmpv6 type echo-request" \
	"other4:ip saddr 192.168.0.66" \
	"ra:icmpv6 type nd-router-advert" \
	"na_router:ether saddr $MAC icmpv6 type nd-neighbor-advert @th,64,16 0xfe80"
in_ns domU ip neigh replace 192.168.0.1 lladdr "$(link_field lan eth0 address)" dev eth0 \
	nud permanent
LAN_LL=$(link_local lan eth0)
status() { in_ns dom0 env -i "${XENV[@]}" "$@" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 \
	"$BIN/vif-bridge" status --json; }
OPEN6="vif1.0's IPv6 is not held to addresses (\`ip\` lists none; MAC, RA, ND and DHCP-server guards apply): list them in \`ip\`, or XNET_FW_STRICT=yes drops them"

# ---- IPv4 listed, IPv6 not: IPv6 passes, its guards apply ----
libxl vif-bridge online 1 0 || fail "online"
expect_eq "$(elements_of dom0 bridge vif1.0 | grep -c '^open6 ')" 1 "IPv6 is open"
in_ns domU ping -6 -c 1 -W 2 -I 2001:db8::6 2001:db8::1 >/dev/null ||
	fail "IPv6 of a guest whose ip lists only IPv4"
expect_arrives lan ping6 "IPv6 from an address ip does not list"
in_ns domU ping -6 -c 1 -W 2 -I eth0 "$LAN_LL%eth0" >/dev/null 2>&1 || fail "link-local ping"
expect_arrives lan ll "IPv6 link-local"
in_ns domU ping -c 1 -W 0.5 -I 192.168.0.66 192.168.0.1 >/dev/null
expect_never lan other4 "IPv4 stays held to 192.168.0.6"
in_ns domU "$PKTSEND" eth0 ra
expect_never lan ra "a router advertisement"
in_ns domU "$PKTSEND" eth0 na "$LAN_LL"
expect_never lan na_router "an NA for the router's link-local"
st=$(status)
jq -e --arg c "$OPEN6" '.checks[] | select(.check == $c and .verdict == "ok")' <<<"$st" \
	>/dev/null || fail "status does not say IPv6 is open: $st"
ok "status: $OPEN6"

# ---- XNET_FW_STRICT=yes: IPv6 is dropped, as before ----
libxl vif-bridge online 1 0 XNET_FW_STRICT=yes || fail "online strict"
expect_eq "$(elements_of dom0 bridge vif1.0 | grep -c '^open')" 0 "strict: no family open"
cnt_reset lan
in_ns domU ping -6 -c 1 -W 0.5 -I 2001:db8::6 2001:db8::1 >/dev/null
expect_never lan ping6 "strict: IPv6 from an address ip does not list"
in_ns domU ping -6 -c 1 -W 2 -I eth0 "$LAN_LL%eth0" >/dev/null 2>&1 || fail "strict: link-local"
expect_arrives lan ll "strict: its own link-local still works"
st=$(status)
jq -e '[.checks[] | select(.check | test("not held to addresses"))] | length == 0' \
	<<<"$st" >/dev/null || fail "strict: status still says a family is open: $st"
ok "strict: status names no open family"

# ---- both families listed: nothing open ----
xs_write backend/vif/1/0/ip "192.168.0.6 2001:db8::6"
libxl vif-bridge online 1 0 || fail "online with both"
expect_eq "$(elements_of dom0 bridge vif1.0 | grep -c '^open')" 0 "both listed: no family open"
cnt_reset lan
in_ns domU ping -6 -c 1 -W 2 -I 2001:db8::6 2001:db8::1 >/dev/null || fail "ping6 listed"
expect_arrives lan ping6 "IPv6 from a listed address"
libxl vif-bridge offline 1 0 || fail "offline"
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline and a sweep removed every element"
pass
