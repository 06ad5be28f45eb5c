#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Conformance with Debian's shell scripts (xen-utils-common, unpacked by
# scripts/old-scripts): the same vif brought online and offline by the old
# script in one lab and by ours in an identical lab; the resulting links,
# masters, MTUs, addresses, routes, sysctls and xenstore keys must be equal,
# but for the differences listed below, each intended and explained. (The
# firewall is not compared: Debian disables the old scripts' iptables rules,
# and ours are nftables elements.) vif-bridge, vif-route and vif-nat; the
# network-* scripts left Xen with 4.4 and are not in Debian 12.
. "$(dirname "$0")/lib.sh"
OLD=${XNET_OLD_SCRIPTS:-/var/cache/xnet/xen-utils-common/etc/xen/scripts}
[ -x "$OLD/vif-bridge" ] || skip "Debian's scripts not fetched (run scripts/old-scripts)"
lab_init
mkdir -p /var/log/xen	# the old scripts append their stderr there, or abort

# lab SIDE DOMID MODE KEY=VALUE...: dom0<SIDE> connected to a LAN and with
# a default route via 192.168.0.1 (MODE bridge: 192.168.0.3 on xenbr0, whose
# port is eth0; MODE route: 192.168.0.3 on eth0), a guest behind
# vif<DOMID>.0 (MAC fe:ff:ff:ff:ff:ff, as netback makes it), libxl's keys.
lab() {
	local s=$1 d=$2 mode=$3 up=eth0
	ns_add "dom0$s" "lan$s" "guest$s"
	ip -n "$(ns dom0$s)" link add eth0 type veth peer name eth0 netns "$(ns lan$s)"
	ip -n "$(ns dom0$s)" link set eth0 up
	if [ "$mode" = bridge ]; then
		ip -n "$(ns dom0$s)" link add xenbr0 type bridge
		ip -n "$(ns dom0$s)" link set eth0 master xenbr0
		ip -n "$(ns dom0$s)" link set xenbr0 up
		up=xenbr0
	fi
	ip -n "$(ns dom0$s)" addr add 192.168.0.3/24 dev $up
	ip -n "$(ns dom0$s)" route add default via 192.168.0.1
	ip -n "$(ns dom0$s)" link add "vif$d.0" type veth peer name eth0 netns "$(ns guest$s)"
	ip -n "$(ns dom0$s)" link set "vif$d.0" address fe:ff:ff:ff:ff:ff
	xs_vif "$d" 0 "00:16:3e:00:00:0$d" "${@:4}"
}

# state SIDE DOMID: dom0's network and the vif's keys, one fact a line, the
# vif's name as VIF; what differs by chance (veth and bridge MACs,
# link-local addresses) is left out.
state() {
	local n=$(ns "dom0$1") d=$2 f
	{
		ip -n "$n" -j -d link show | jq -r --arg v "vif$d.0" '.[] | "link \(.ifname)" +
			" kind=\(.linkinfo.info_kind // "-") master=\(.master // "-") mtu=\(.mtu)" +
			" up=\(.flags | index("UP") != null)" +
			" alias=\(.ifalias // "-")" + (if .ifname == $v then " mac=\(.address)" else "" end)'
		ip -n "$n" -j addr show | jq -r '.[] | .ifname as $i | .addr_info[] |
			select(.local | startswith("fe80") | not) | "addr \($i) \(.local)/\(.prefixlen) \(.scope)"'
		ip -n "$n" -j route show table all | jq -r '.[] | select((.dst // "") |
			test("^(fe80|ff00)") | not) | "route \(.table // "main") \(.type // "unicast")" +
			" \(.dst) via=\(.gateway // "-") dev=\(.dev // "-") src=\(.prefsrc // "-")" +
			" metric=\(.metric // 0) proto=\(.protocol // "-") scope=\(.scope // "-")"'
		for f in ipv4/ip_forward ipv4/conf/all/proxy_arp ipv6/conf/all/forwarding \
			ipv6/conf/all/proxy_ndp "ipv4/conf/vif$d.0/proxy_arp" \
			"ipv6/conf/vif$d.0/disable_ipv6"; do
			echo "sysctl $f=$(ip netns exec "$n" cat "/proc/sys/net/$f" 2>/dev/null)"
		done
		for f in hotplug-status hotplug-error; do
			echo "xenstore $f=$(xs_read "backend/vif/$d/0/$f")"
		done
		echo "xenstore frontend-mtu=$(xs_read "/local/domain/$d/device/vif/0/mtu")"
	} | sed -e "s/vif$d\.0/VIF/g" | sort
}

# compare PROG STEP [old|ours LINE REASON]...: the two labs' facts are the
# same but for the listed ones: LINE only in the old script's lab, or only
# in ours, each intended and printed with its reason.
compare() {
	local prog=$1 step=$2 a b want_old="" want_ours=""
	shift 2
	while [ $# -ge 3 ]; do
		[ "$1" = old ] && want_old+="$2"$'\n' || want_ours+="$2"$'\n'
		ok "$prog $step: intended difference: [$1] $2 ($3)"
		shift 3
	done
	a=$(state A 1) b=$(state B 2)
	if [ "$(comm -23 <(echo "$a") <(echo "$b"))" != "$(printf '%s' "$want_old" | sort)" ] ||
	   [ "$(comm -13 <(echo "$a") <(echo "$b"))" != "$(printf '%s' "$want_ours" | sort)" ]; then
		echo "only with the old script:"; comm -23 <(echo "$a") <(echo "$b")
		echo "only with ours:"; comm -13 <(echo "$a") <(echo "$b")
		fail "$prog $step: the labs differ otherwise"
	fi
	ok "$prog $step: same links, masters, MTUs, addresses, routes, sysctls, keys"
}

# run SIDE DOMID IMPL CMD [VAR=value...]: as libxl does, in that side's dom0
run() {
	local s=$1 d=$2 impl=$3 cmd=$4
	shift 4
	in_ns "dom0$s" env -i "${XENV[@]}" script="$impl" XENBUS_TYPE=vif \
		XENBUS_PATH="backend/vif/$d/0" XENBUS_BASE_PATH=backend netdev= vif="vif$d.0" "$@" \
		"$impl" "$cmd" type_if=vif </dev/null >/dev/null 2>&1 || fail "$impl $cmd exited $?"
}

# both CMD PROG [VAR=value...]: the old script in lab A, ours in lab B
both() {
	run A 1 "$OLD/$2" "$1" "${@:3}"
	run B 2 "$BIN/$2" "$1" "${@:3}"
}

reset_labs() {
	local n
	for n in dom0A lanA guestA dom0B lanB guestB; do ip netns del "$(ns $n)"; done
	xenstore-rm /local/domain/0/backend/vif /local/domain/1 /local/domain/2
}

# ---- vif-bridge: no intended difference ----
lab A 1 bridge bridge=xenbr0 ip=192.168.0.6 mtu=1400
lab B 2 bridge bridge=xenbr0 ip=192.168.0.6 mtu=1400
compare vif-bridge "before online"
both online vif-bridge
compare vif-bridge online
both offline vif-bridge
compare vif-bridge offline
reset_labs

# ---- vif-route (seed situation 5) ----
lab A 1 route ip=10.0.0.1
lab B 2 route ip=10.0.0.1
both online vif-route netdev=eth0
compare vif-route online \
	old "route local broadcast 192.168.0.255 via=- dev=VIF src=192.168.0.3 metric=0 proto=kernel scope=link" \
		"ifconfig's classful first step leaves a /24 broadcast route on the vif"
both offline vif-route netdev=eth0
compare vif-route offline \
	old "addr VIF 192.168.0.3/32 global" "the old offline left the address (ifdown is not there)" \
	old "route local broadcast 192.168.0.255 via=- dev=VIF src=192.168.0.3 metric=0 proto=kernel scope=link" \
		"and its stray broadcast route" \
	old "route local local 192.168.0.3 via=- dev=VIF src=192.168.0.3 metric=0 proto=kernel scope=host" \
		"and the address's local route" \
	old "link VIF kind=veth master=- mtu=1500 up=true alias=- mac=fe:ff:ff:ff:ff:ff" \
		"the old offline left the vif up" \
	ours "link VIF kind=veth master=- mtu=1500 up=false alias=- mac=fe:ff:ff:ff:ff:ff" \
		"ours brings it down, as the contract says"
reset_labs

# ---- vif-nat (seed situations 3 and 4), without DHCP ----
lab A 1 route ip=10.0.0.1
lab B 2 route ip=10.0.0.1
both online vif-nat netdev=eth0
compare vif-nat online
both offline vif-nat netdev=eth0
compare vif-nat offline \
	old "addr VIF 10.0.0.128/32 global" "the old offline left the router address" \
	old "route local local 10.0.0.128 via=- dev=VIF src=10.0.0.128 metric=0 proto=kernel scope=host" \
		"and its local route" \
	old "sysctl ipv4/conf/VIF/proxy_arp=1" "and proxy ARP on" \
	ours "sysctl ipv4/conf/VIF/proxy_arp=0" "ours removes exactly what online added"
pass
