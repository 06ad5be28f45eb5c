#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Conformance with Debian's shell scripts (xen-utils-common, unpacked by
# scripts/old-scripts): the same vif brought online and offline by the old
# script in one lab and by ours in an identical lab; the resulting links,
# masters, MTUs, addresses, routes, sysctls and xenstore keys must be equal,
# but for the differences listed below, each intended and explained.
. "$(dirname "$0")/lib.sh"
OLD=${XNET_OLD_SCRIPTS:-/var/cache/xnet/xen-utils-common/etc/xen/scripts}
[ -x "$OLD/vif-bridge" ] || skip "Debian's scripts not fetched (run scripts/old-scripts)"
lab_init
mkdir -p /var/log/xen	# the old scripts append their stderr there, or abort

# lab SIDE DOMID: dom0<SIDE> with xenbr0 on a LAN port, 192.168.0.3 and a
# default route, a guest behind vif<DOMID>.0, and libxl's keys.
lab() {
	local s=$1 d=$2
	ns_add "dom0$s" "lan$s" "guest$s"
	ip -n "$(ns dom0$s)" link add xenbr0 type bridge
	ip -n "$(ns dom0$s)" link add eth0 type veth peer name eth0 netns "$(ns lan$s)"
	ip -n "$(ns dom0$s)" link set eth0 master xenbr0 up
	ip -n "$(ns dom0$s)" link set xenbr0 up
	ip -n "$(ns dom0$s)" addr add 192.168.0.3/24 dev xenbr0
	ip -n "$(ns dom0$s)" route add default via 192.168.0.1
	ip -n "$(ns dom0$s)" link add "vif$d.0" type veth peer name eth0 netns "$(ns guest$s)"
	ip -n "$(ns dom0$s)" link set "vif$d.0" address fe:ff:ff:ff:ff:ff	# as netback does
	xs_vif "$d" 0 "00:16:3e:00:00:0$d" "${@:3}"
}

# state SIDE DOMID: dom0's network and the vif's xenstore keys, with the
# vif's name and domid written as VIF and D, and what differs by chance
# (random MACs of veths and bridges, link-local addresses) left out.
state() {
	local s=$1 d=$2 n=$(ns "dom0$1")
	{
		ip -n "$n" -j -d link show | jq -S --arg v "vif$d.0" 'map({ifname, master, mtu,
			flags: (.flags - ["LOWER_UP", "NO-CARRIER", "M-DOWN"] | sort),
			address: (if .ifname == $v then .address else null end),
			kind: .linkinfo.info_kind, ifalias})'
		ip -n "$n" -j addr show | jq -S 'map({ifname, addrs: [.addr_info[] |
			select(.local | startswith("fe80") | not) | {local, prefixlen, scope}]})'
		ip -n "$n" -j route show table all | jq -S 'map(select((.dst // "") |
			test("^(fe80|ff00)") | not) | del(.flags, .pref))'
		for f in ipv4/ip_forward ipv4/conf/all/proxy_arp ipv6/conf/all/forwarding \
			"ipv4/conf/vif$d.0/proxy_arp" "ipv4/conf/vif$d.0/forwarding"; do
			echo "$f=$(ip netns exec "$n" cat "/proc/sys/net/$f" 2>/dev/null)"
		done
		for k in hotplug-status hotplug-error; do echo "$k=$(xs_read "backend/vif/$d/0/$k")"; done
		echo "frontend mtu=$(xs_read "/local/domain/$d/device/vif/0/mtu")"
	} | sed -e "s/vif$d\.0/VIF/g"
}

# compare PROG STEP [JQ-DEL-EXPRESSION REASON]...: the two labs' states, less
# the intended differences, each of which is printed.
compare() {
	local prog=$1 step=$2 a b
	shift 2
	a=$(state A 1) b=$(state B 2)
	if [ "$a" != "$b" ]; then
		diff <(echo "$a") <(echo "$b") | head -40
		fail "$prog $step: the old script (<) and ours (>) differ"
	fi
	ok "$prog $step: same links, masters, MTUs, addresses, routes, sysctls, keys"
}

# run SIDE DOMID IMPL CMD: as libxl does, in that side's dom0
run() {
	local s=$1 d=$2 impl=$3 cmd=$4
	in_ns "dom0$s" env -i "${XENV[@]}" script="$impl" XENBUS_TYPE=vif \
		XENBUS_PATH="backend/vif/$d/0" XENBUS_BASE_PATH=backend netdev= vif="vif$d.0" \
		"$impl" "$cmd" type_if=vif </dev/null >/dev/null 2>&1 || fail "$impl $cmd exited $?"
}

# ---- vif-bridge: no intended difference ----
lab A 1 bridge=xenbr0 ip=192.168.0.6 mtu=1400
lab B 2 bridge=xenbr0 ip=192.168.0.6 mtu=1400
compare vif-bridge "before online"
run A 1 "$OLD/vif-bridge" online
run B 2 "$BIN/vif-bridge" online
compare vif-bridge online
run A 1 "$OLD/vif-bridge" offline
run B 2 "$BIN/vif-bridge" offline
compare vif-bridge offline
pass
