# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-route.sh: helpers of the routed-networking tests (sourced after lib.sh).
#
# The seed's situation 5:
#
#   lan 192.168.0.1/24 (the default gateway; route 10.0.0.0/24 via 192.168.0.3)
#    |  2001:db8::1/64
#   eth0
#   dom0 eth0 192.168.0.3/24, 2001:db8::3/64, default via 192.168.0.1
#    |  vif1.0 (fe:ff:ff:ff:ff:ff, as netback makes it)
#   eth0
#   domU 10.0.0.1/24, default via 10.0.0.254 (answered by proxy ARP)

NETBACK_MAC=fe:ff:ff:ff:ff:ff
VIF_LL=fe80::fcff:ffff:feff:ffff	# the link-local address of that MAC

# route_lab: lan and dom0 as drawn above (no guest yet).
route_lab() {
	ns_add lan dom0
	ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)" ||
		fail "create eth0"
	ip -n "$(ns dom0)" link set eth0 up
	ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0
	ip -n "$(ns dom0)" addr add 2001:db8::3/64 dev eth0
	ip -n "$(ns dom0)" route add default via 192.168.0.1
	ip -n "$(ns lan)" link set eth0 up
	ip -n "$(ns lan)" addr add 192.168.0.1/24 dev eth0
	ip -n "$(ns lan)" addr add 2001:db8::1/64 dev eth0
	ip -n "$(ns lan)" route add 10.0.0.0/24 via 192.168.0.3	# the seed's step 5
}

# rguest NAME DOMID DEVID [ADDR...]: a guest behind vif<domid>.<devid>
# whose dom0 end has netback's MAC. IPv4 addresses are given with their
# prefix; IPv6 ones get /128 and the vif's link-local address as gateway.
rguest() {
	local g=$1 d=$2 n=$3 a
	shift 3
	guest "$g" "$d" "$n" ""
	ip -n "$(ns dom0)" link set "vif$d.$n" address $NETBACK_MAC
	for a in "$@"; do
		case $a in
		*:*) ip -n "$(ns "$g")" addr add "$a/128" dev eth0 || fail "add $a" ;;
		*) ip -n "$(ns "$g")" addr add "$a" dev eth0 || fail "add $a" ;;
		esac
	done
	case " $* " in *:*) ip -n "$(ns "$g")" -6 route add default via $VIF_LL dev eth0 ;; esac
}

# gw4 NAME GW: the guest's IPv4 default route.
gw4() { ip -n "$(ns "$1")" route add default via "$2" || fail "gateway of $1"; }

sysctl_of() { in_ns "$1" cat "/proc/sys/$2"; }

# Proxy neighbour entries of a device, one address a line.
proxies_of() { ip -n "$(ns "$1")" -6 -j neigh show proxy dev "$2" | jq -r '.[].dst' | sort; }

# Routes through a device: "DST METRIC [SRC]" a line, IPv4 and IPv6 (not the
# kernel's own link-local and multicast routes).
routes_of() {
	{
		ip -n "$(ns "$1")" -4 -j route show dev "$2"
		ip -n "$(ns "$1")" -6 -j route show dev "$2"
	} | jq -r '.[] | select(.dst | test("^(fe80|ff00)") | not) |
		"\(.dst) \(.metric // 0)\(if .prefsrc then " " + .prefsrc else "" end)"' | sort
}

# What a failed run must leave untouched: lib.sh's snapshot, the proxy
# entries of every device and the proxy_arp/disable_ipv6 of every vif.
rsnapshot() {
	snapshot "$1"
	ip -n "$(ns "$1")" -6 -j neigh show proxy | jq -S .
	in_ns "$1" sh -c 'for f in /proc/sys/net/ipv4/conf/vif*/proxy_arp \
		/proc/sys/net/ipv6/conf/vif*/disable_ipv6; do
		[ -e "$f" ] && echo "$f $(cat "$f")"; done; true'
}

rexpect_unchanged() {
	local now
	now=$(rsnapshot "$1")
	[ "$now" = "$2" ] || { diff <(echo "$2") <(echo "$now") | head -20; fail "$3 changed $1"; }
	ok "$3 left $1 unchanged"
}

# An nftables counter in namespace NS of the ICMP echo requests arriving
# from SRC (IPv4 or IPv6): count_setup NS SRC..., then count_of NS SRC.
count_setup() {
	local n=$1 a
	shift
	in_ns "$n" nft add table inet probe || fail "nft in $n"
	in_ns "$n" nft add chain inet probe in '{ type filter hook input priority 0; }'
	for a in "$@"; do
		case $a in
		*:*) in_ns "$n" nft add rule inet probe in ip6 saddr "$a" icmpv6 type echo-request counter ;;
		*) in_ns "$n" nft add rule inet probe in ip saddr "$a" icmp type echo-request counter ;;
		esac
	done
}

count_of() {
	in_ns "$1" nft -j list chain inet probe in | jq -r --arg a "$2" '[.nftables[] | .rule? |
		select(. != null) | select(any(.expr[]; .match?.right? == $a)) |
		.expr[] | .counter? | select(. != null) | .packets] | add // 0'
}

# ping6_ok NS ADDR: the first packet may wait for proxy NDP (up to 0.8 s)
ping6_ok() {
	in_ns "$1" ping -6 -c 1 -W 3 "$2" >/dev/null || in_ns "$1" ping -6 -c 1 -W 3 "$2" >/dev/null ||
		fail "$1 cannot ping $2"
	ok "$1 pings $2"
}

# nr CMD [ARGS...]: network-route in dom0, run as xend did (no xenstore,
# nothing in the environment but PATH and this test's state directory).
nr() {
	in_ns dom0 env -i "${XENV[@]}" PATH="$PATH" XNET_STATE_DIR="$XNET_STATE_DIR" \
		XENSTORED_PATH="$T/no-xenstored" "$BIN/network-route" "$@" </dev/null
}
