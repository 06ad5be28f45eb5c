# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-netbr.sh: the host and LAN of the network-bridge scenarios (sourced after lib.sh).
#
#   lan: eth0 192.168.0.1/24, 192.168.0.254/24, 2001:db8::1/64; 10.20.0.1 on lo
#     |
#   dom0: NIC (any name) mtu 1400
#         192.168.0.3/24 brd 192.168.0.255          primary
#         192.168.0.4/24 label NIC:1                 secondary, labelled
#         10.9.0.3/16 valid_lft 3600 pref 1800       dynamic, as DHCP leaves it
#         10.11.0.3/16 metric 20                     its prefix route's metric
#         2001:db8::3/64, 2001:db8::4/64
#         default via 192.168.0.1, default via 2001:db8::1
#         10.20.0.0/16 via 192.168.0.254 metric 50   an extra static route
#         10.30.0.0/16 via 172.16.0.1 onlink         flags
#         10.40.0.0/16 via 192.168.0.254 table 100   another table
#         2001:db8:5::/64 via 2001:db8::1 src 2001:db8::4 metric 7
#
# A VLAN device cannot be made in these kernels (no 8021q, no dummy): a
# name like eth0.100 is given to the veth instead.

# host_lab NIC: the two namespaces above; the NIC's name goes in $NIC.
host_lab() {
	NIC=$1
	# the alias label, when NIC:1 fits in a name
	SFX=:1
	[ ${#NIC} -gt 13 ] && SFX=
	ns_add lan dom0
	local d="must ip -n $(ns dom0)" l="must ip -n $(ns lan)"
	$d link add "$NIC" mtu 1400 type veth peer name eth0 mtu 1400 netns "$(ns lan)"
	$l link set eth0 up
	$l addr add 192.168.0.1/24 dev eth0
	$l addr add 192.168.0.254/24 dev eth0
	$l addr add 2001:db8::1/64 dev eth0
	$l addr add 10.20.0.1/32 dev lo
	$d link set "$NIC" up
	$d addr add 192.168.0.3/24 brd + dev "$NIC"
	$d addr add 192.168.0.4/24 dev "$NIC" label "$NIC$SFX"
	$d addr add 10.9.0.3/16 dev "$NIC" valid_lft 3600 preferred_lft 1800
	$d addr add 10.11.0.3/16 dev "$NIC" metric 20
	$d addr add 2001:db8::3/64 dev "$NIC"
	$d addr add 2001:db8::4/64 dev "$NIC"
	$d route add default via 192.168.0.1
	$d route add 10.20.0.0/16 via 192.168.0.254 metric 50
	$d route add 10.30.0.0/16 via 172.16.0.1 dev "$NIC" onlink
	$d route add 10.40.0.0/16 via 192.168.0.254 table 100
	$d -6 route add default via 2001:db8::1
	$d -6 route add 2001:db8:5::/64 via 2001:db8::1 src 2001:db8::4 metric 7
}

must() { "$@" || fail "$*"; }

# nb ARGS...: network-bridge in dom0, as an administrator or xend runs it.
nb() {
	in_ns dom0 env -i "${XENV[@]}" PATH="$PATH" XNET_STATE_DIR="$XNET_STATE_DIR" ${NB_ENV:-} \
		"$BIN/network-bridge" "$@" </dev/null
}

# What network-bridge must leave as it found it: links, addresses, routes
# of both families in every table.
nb_snapshot() {
	snapshot dom0 --no-nft	# the guests' firewall table is not ours to undo
}

# nb_unchanged BEFORE WHAT: dom0 is as BEFORE, once the kernel settled (a
# link that went down and up regains its link-local address, its bridge
# port forwards, its routes lose linkdown, a little later): up to 3 s.
nb_unchanged() {
	local now i
	for i in $(seq 30); do
		now=$(nb_snapshot)
		[ "$now" = "$1" ] && break
		sleep 0.1
	done
	[ "$now" = "$1" ] || { diff <(echo "$1") <(echo "$now") | head -30; fail "$2 changed dom0"; }
	[ "$i" -gt 1 ] && log "(the kernel settled after $(( (i - 1) * 100 )) ms)"
	ok "$2 left dom0 as it was"
}

addr_field() {	# NS DEV ADDR FIELD
	ip -n "$(ns "$1")" -j addr show dev "$2" |
		jq -r --arg a "$3" ".[0].addr_info[] | select(.local == \$a) | .$4 // empty"
}

routes_via() {	# NS DEV: the routes through DEV, both families, main and table 100
	{
		ip -n "$(ns "$1")" -4 route show dev "$2"
		ip -n "$(ns "$1")" -4 route show dev "$2" table 100
		ip -n "$(ns "$1")" -6 route show dev "$2"
	} | sed 's/ *$//' | grep -v '^fe80::/64 ' | sort
}

# The layout start makes, read back from the kernel: bridge BR with port
# PORT, every address and route of the NIC on BR, the NIC's own left bare.
expect_layout() {
	local br=$1 port=$2 mac=$3
	expect_eq "$(ip -n "$(ns dom0)" -j -d link show dev "$br" |
		jq -c '.[0].linkinfo | [.info_kind, .info_data.stp_state, .info_data.forward_delay]')" \
		'["bridge",0,0]' "$br is a bridge, STP off, forward delay 0"
	link_is_up dom0 "$br" || fail "$br is down"
	expect_eq "$(link_field dom0 "$port" master)" "$br" "$port is a port of $br"
	link_is_up dom0 "$port" || fail "$port is down"
	expect_eq "$(link_field dom0 "$br" mtu)" 1400 "$br has the NIC's MTU"
	expect_eq "$(link_field dom0 "$br" address)" "$mac" "$br has the NIC's MAC"
	expect_eq "$(addrs_of dom0 "$br" | grep -v '^fe80' | tr '\n' ' ')" \
		"192.168.0.3/24 10.9.0.3/16 10.11.0.3/16 192.168.0.4/24 2001:db8::4/64 2001:db8::3/64 " \
		"$br has the addresses, in order"
	expect_eq "$(addr_field dom0 "$br" 192.168.0.3 broadcast)" 192.168.0.255 "broadcast kept"
	expect_eq "$(addr_field dom0 "$br" 192.168.0.4 label)" "$br$SFX" "label renamed"
	expect_eq "$(addr_field dom0 "$br" 192.168.0.4 secondary)" true "secondary kept"
	expect_eq "$(addr_field dom0 "$br" 10.9.0.3 dynamic)" true "a DHCP address stays dynamic"
	local lft
	lft=$(addr_field dom0 "$br" 10.9.0.3 valid_life_time)
	[ "$lft" -le 3600 ] && [ "$lft" -gt 3000 ] || fail "valid_lft $lft"
	ok "its lifetime goes on ($lft s)"
	expect_eq "$(addr_field dom0 "$br" 2001:db8::4 nodad)" "" "IPv6 flags as they were"
	expect_eq "$(addrs_of dom0 "$port" | grep -vc '^fe80')" 0 "$port has no address of its own"
	expect_eq "$(routes_via dom0 "$port")" "" "no route through $port"
	expect_eq "$(routes_via dom0 "$br" | tr '\n' ';')" "$(printf '%s\n' \
		'10.20.0.0/16 via 192.168.0.254 metric 50' \
		'10.30.0.0/16 via 172.16.0.1 onlink' \
		'10.40.0.0/16 via 192.168.0.254' \
		'10.9.0.0/16 proto kernel scope link src 10.9.0.3' \
		'10.11.0.0/16 proto kernel scope link src 10.11.0.3 metric 20' \
		'192.168.0.0/24 proto kernel scope link src 192.168.0.3' \
		'2001:db8::/64 proto kernel metric 256 pref medium' \
		'2001:db8:5::/64 via 2001:db8::1 src 2001:db8::4 metric 7 pref medium' \
		'default via 192.168.0.1' \
		'default via 2001:db8::1 metric 1024 pref medium' | sort | tr '\n' ';')" \
		"every route is on $br"
}

# The host still reaches its LAN, both families, and the static route.
expect_lan() {
	ping_ok dom0 192.168.0.1
	ping_ok dom0 10.20.0.1
	in_ns dom0 ping -c 1 -W 2 2001:db8::1 >/dev/null || fail "dom0 cannot ping 2001:db8::1"
	ok "dom0 pings 2001:db8::1"
	in_ns lan ping -c 1 -W 2 2001:db8::4 >/dev/null || fail "lan cannot ping 2001:db8::4"
	ok "lan pings 2001:db8::4"
}
