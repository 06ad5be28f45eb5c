# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-nat.sh: set-up shared by the NAT scenario tests (sourced after lib.sh).
#
# Seed situations 3 and 4:
#
#   lan 192.168.0.5 --eth0--eth0-- dom0 192.168.0.3 --vif1.0--eth0-- domU 10.0.0.1/24
#                                  (default via 192.168.0.1,          (gateway 10.0.0.254,
#                                   the LAN's router, not modelled)    answered by proxy ARP)

DNSMASQ_PID=
BG_PIDS=

# Every file the programs may edit, read or signal is the test's own: never
# the host's /etc/dhcp, /etc/default, /etc/resolv.conf or its dnsmasq.
nat_init() {
	lab_init
	trap nat_cleanup EXIT
	NAT_ENV=(XNET_DHCPD_CONF="$T/dhcpd.conf" XNET_DHCPD_DEFAULTS="$T/isc-dhcp-server"
		XNET_DNSMASQ_HOSTS="$T/dnsmasq-hosts" XNET_DNSMASQ_OPTS="$T/dnsmasq-opts"
		XNET_DNSMASQ_PIDFILE="$T/dnsmasq.pid" XNET_RESOLV_CONF="$T/resolv.conf")
}

nat_cleanup() {
	local p
	for p in $DNSMASQ_PID $BG_PIDS; do
		kill "$p" 2>/dev/null
	done
	cleanup
}

# bg_in NAME CMD...: CMD in the background in namespace NAME, ended on exit.
bg_in() {
	local n=$1
	shift
	(exec ip netns exec "$P-$n" "$@" >/dev/null 2>&1 </dev/null) &
	BG_PIDS="$BG_PIDS $!"
}

# vifnat CMD DOMID DEVID [VAR=value...]: vif-nat as libxl runs it.
vifnat() {
	local cmd=$1 d=$2 n=$3
	shift 3
	libxl vif-nat "$cmd" "$d" "$n" "${NAT_ENV[@]}" "$@"
}

# netnat ARGS...: network-nat as xend ran it, in dom0.
netnat() {
	in_ns dom0 env -i "${XENV[@]}" PATH="$PATH" XNET_STATE_DIR="$XNET_STATE_DIR" "${NAT_ENV[@]}" \
		"$BIN/network-nat" "$@" </dev/null
}

# wait_listen NAME PORT: until a TCP server listens there (a readiness
# wait, not a timing assertion).
wait_listen() {
	local i
	for i in $(seq 50); do
		in_ns "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	fail "nothing listens on port $2 in $1"
}

# The seed's LAN and dom0, forwarding off as on a fresh host.
nat_lab() {
	ns_add lan dom0
	ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)"
	ip -n "$(ns dom0)" link set eth0 up
	ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0
	ip -n "$(ns dom0)" route add default via 192.168.0.1
	ip -n "$(ns lan)" link set eth0 up
	ip -n "$(ns lan)" addr add 192.168.0.5/24 dev eth0
	in_ns dom0 sysctl -qw net.ipv4.ip_forward=0
}

# nat_guest NAME DOMID DEVID ADDR/PFX [GW] [key=value...]: a guest behind
# vif<domid>.<devid> and its backend keys (script vif-nat).
nat_guest() {
	local g=$1 d=$2 n=$3 addr=$4 gw=${5:-}
	shift 5 2>/dev/null || shift $#
	guest "$g" "$d" "$n" "$addr" "$gw"
	xs_vif "$d" "$n" "$GUEST_MAC" script=/etc/xen/scripts/vif-nat "$@"
}

sysctl_of() { in_ns "$1" cat "/proc/sys/net/$2"; }

# ip route of ADDR in dom0's main table, as "dev DEV src SRC".
route_of() {
	ip -n "$(ns dom0)" -j route show "$1/32" table main |
		jq -r '.[0] // empty | "dev \(.dev) src \(.prefsrc // "-")"'
}

# The NAT layout that vif-nat online makes for one guest.
expect_nat_vif() {
	local vif=$1 guest=$2 router=$3
	expect_eq "$(addrs_of dom0 "$vif" | grep -v '^fe80')" "$router/32" "$vif holds $router/32"
	expect_eq "$(route_of "$guest")" "dev $vif src $router" "route to $guest"
	link_is_up dom0 "$vif" || fail "$vif is not up"
	expect_eq "$(sysctl_of dom0 "ipv4/conf/$vif/proxy_arp")" 1 "$vif proxy_arp"
}

# dnsmasq in dom0, serving the NAT guests from the hostsfile and optsfile
# that vif-nat edits (static leases only: an unknown MAC gets nothing).
dnsmasq_start() {
	command -v dnsmasq >/dev/null || skip "needs dnsmasq (dnsmasq-base)"
	in_ns dom0 dnsmasq --conf-file=/dev/null --port=0 --user=root --group=root \
		--pid-file="$T/dnsmasq.pid" --dhcp-leasefile="$T/dnsmasq.leases" \
		--log-facility="$T/dnsmasq.log" --log-dhcp --except-interface=lo --bind-dynamic \
		--dhcp-range=10.0.0.0,static,255.255.0.0 --dhcp-hostsfile="$T/dnsmasq-hosts" \
		--dhcp-optsfile="$T/dnsmasq-opts" || fail "dnsmasq did not start"
	DNSMASQ_PID=$(cat "$T/dnsmasq.pid")
}

# dhcp_client NAME: busybox udhcpc in the guest, once; what it was offered
# goes to $T/lease.NAME as "ip=... subnet=... router=...".
dhcp_client() {
	command -v busybox >/dev/null || skip "needs busybox (udhcpc)"
	cat >"$T/udhcpc.sh" <<-'EOF'
		#!/bin/sh
		[ "$1" = bound ] && echo "ip=$ip subnet=$subnet router=$router" >"$LEASE"
		exit 0
	EOF
	chmod +x "$T/udhcpc.sh"
	rm -f "$T/lease.$1"
	in_ns "$1" env LEASE="$T/lease.$1" timeout 30 busybox udhcpc -i eth0 -n -q -f \
		-t 4 -T 1 -s "$T/udhcpc.sh" >/dev/null 2>&1
}

# No masquerade for DEV is left in dom0's ruleset: no rule naming it, and
# no element in the firewall module's @nat_uplinks (when the table exists).
no_masquerade_left() {
	local rs
	rs=$(in_ns dom0 nft -j list ruleset) || fail "nft list ruleset"
	echo "$rs" | jq -e --arg d "$1" '[.nftables[] | select(.rule) | .rule |
		select(tostring | contains("masquerade") and contains($d))] | length == 0' \
		>/dev/null || fail "a masquerade rule for $1 is left"
	echo "$rs" | jq -e '[.nftables[] | select(.set.name? == "nat_uplinks") |
		.set.elem // [] | length] | add // 0 == 0' >/dev/null ||
		fail "@nat_uplinks still has elements"
	ok "no masquerade of $1 is left"
}
