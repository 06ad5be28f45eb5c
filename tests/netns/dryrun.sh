#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# dry_run=yes (or XNET_DRY_RUN=1), for all seven programs and each command
# that changes things: each change printed in ip/nft/sysctl vocabulary,
# none made. The host's links, addresses, routes, proxy entries, sysctls,
# nft ruleset, xenstore, the state directory (not even created by the
# first dry run), the DHCP servers' files and the hotplug log stay
# identical. Each dry run is followed by the real run, so that the next
# command has its real starting point:
#
#   network-bridge start, vif-bridge online, xnet-guard restore (after a
#   flush), vif-bridge offline (and add/remove of a tap), network-bridge stop, network-route start, vif-route online/offline
#   (and add/remove), network-route stop, network-nat start dhcp=yes,
#   vif-nat online/offline, network-nat stop
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"

ns_add lan dom0
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)"
ip -n "$(ns dom0)" link set eth0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0
ip -n "$(ns dom0)" addr add 2001:db8::3/64 dev eth0
ip -n "$(ns dom0)" route add default via 192.168.0.1
ip -n "$(ns lan)" link set eth0 up
in_ns dom0 sysctl -qw net.ipv4.ip_forward=0
printf 'ddns-update-style none;\n' >"$T/dhcpd.conf"
printf 'INTERFACESv4=""\n' >"$T/isc-dhcp-server"

# everything a dry run must leave alone
world() {
	snapshot dom0
	ip -n "$(ns dom0)" -j neigh show proxy | jq -S .
	in_ns dom0 nft -j list ruleset 2>/dev/null | jq -S 'del(.nftables[0].metainfo)'
	in_ns dom0 sysctl -a 2>/dev/null | grep -E '^net\.(ipv4\.(ip_forward|conf\..*\.proxy_arp)|ipv6\.conf\..*\.(forwarding|proxy_ndp|accept_ra|disable_ipv6)) '
	xenstore-ls -f /local/domain
	find "$XNET_STATE_DIR" -printf '%p %s %T@\n' 2>/dev/null | sort
	cat "$XNET_STATE_DIR"/* 2>/dev/null
	local f
	for f in dhcpd.conf isc-dhcp-server dnsmasq-hosts dnsmasq-opts xen-hotplug.log; do
		[ -e "$T/$f" ] && { echo "== $f $(stat -c %Y "$T/$f")"; cat "$T/$f"; }
	done
}

# dry NAME CMD... -- EXPECTED-LINE...: CMD, a dry run, prints these lines
# (among others), exits 0 and leaves the world as it was. A file's size
# in "write FILE (N bytes)" is not compared: records gain fields.
dry() {
	local name=$1 before out cmd=() want=() l rc
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do cmd+=("$1"); shift; done
	shift
	want=("$@")
	before=$(world)
	out=$("${cmd[@]}" </dev/null)
	rc=$?
	[ $rc = 0 ] || { echo "$out"; fail "dry $name exited $rc"; }
	for l in "${want[@]}"; do
		sed -E 's/\([0-9]+ bytes\)$/(N bytes)/' <<<"$out" |
			grep -qxF "$(sed -E 's/\([0-9]+ bytes\)$/(N bytes)/' <<<"$l")" ||
			{ echo "$out"; fail "dry $name did not print '$l'"; }
	done
	[ "$(world)" = "$before" ] ||
		{ diff <(echo "$before") <(world) | head -20; fail "dry $name changed the host"; }
	ok "dry $name: printed $(wc -l <<<"$out") changes, changed nothing"
}

# nb|nr [VAR=value...]: network-bridge|network-route with $NBARGS|$NRARGS
# shellcheck disable=SC2120
nb() { in_ns dom0 env -i "${XENV[@]}" "$@" "$BIN/network-bridge" "${NBARGS[@]}"; }
# shellcheck disable=SC2120
nr() { in_ns dom0 env -i "${XENV[@]}" "$@" "$BIN/network-route" "${NRARGS[@]}"; }

# ---- network-bridge start, with no state directory yet ----
NBARGS=(start)
dry "network-bridge start" nb XNET_DRY_RUN=yes -- \
	"ip link add xenbr0 address $(link_field dom0 eth0 address) mtu 1500 type bridge stp_state 0 forward_delay 0" \
	"ip address add 192.168.0.3/24 dev xenbr0" \
	"ip route del default via 192.168.0.1 dev eth0" \
	"ip link set dev eth0 master xenbr0" \
	"ip route add default via 192.168.0.1 dev xenbr0" \
	"write $XNET_STATE_DIR/network-bridge.xenbr0 (174 bytes)"
[ -e "$XNET_STATE_DIR" ] && fail "the dry run made the state directory"
ok "the state directory is not there"
nb </dev/null || fail "network-bridge start"

# ---- vif-bridge, on the bridge network-bridge made ----
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6 vifname=web0
IX1=$(ip -n "$(ns dom0)" -j link show vif1.0 | jq '.[0].ifindex')	# elements begin with it
dry "vif-bridge online" libxl vif-bridge online 1 0 dry_run=yes -- \
	"ip link set dev vif1.0 name web0 alias 'xen backend/vif/1/0'" \
	"ip link set dev web0 address fe:ff:ff:ff:ff:ff mtu 1500 master xenbr0 up" \
	"nft add element bridge xen allowed4 { $IX1 . \"web0\" . $GUEST_MAC . 192.168.0.6 }" \
	"xenstore-write /local/domain/1/device/vif/0/mtu '1500'" \
	"xenstore-write backend/vif/1/0/hotplug-status 'connected'"
libxl vif-bridge online 1 0 >/dev/null || fail "vif-bridge online"
# xnet-guard restore after the ruleset was flushed (a dry run leaves the
# tables gone, the real one puts them back)
in_ns dom0 nft flush ruleset
guard() { in_ns dom0 env -i "${XENV[@]}" "$BIN/xnet-guard" "$@"; }
dry "xnet-guard restore" guard restore dry_run=yes -- \
	"nft add element bridge xen allowed4 { $IX1 . \"web0\" . $GUEST_MAC . 192.168.0.6 }"
guard restore || fail "xnet-guard restore"
dry "vif-bridge offline" libxl vif-bridge offline 1 0 XNET_DRY_RUN=1 -- \
	"ip link set dev web0 nomaster down" \
	"mv web0 record to $XNET_STATE_DIR/fw-gone/bridge-$IX1"
libxl vif-bridge offline 1 0 || fail "vif-bridge offline"
ip -n "$(ns dom0)" link add vif1.0-emu type veth peer name tap0
dry "vif-bridge add" libxl vif-bridge add 1 0 dry_run=yes -- \
	"ip link set dev vif1.0-emu name web0-emu alias 'xen backend/vif/1/0'"
libxl vif-bridge add 1 0 || fail "vif-bridge add"
dry "vif-bridge remove" libxl vif-bridge remove 1 0 dry_run=yes -- \
	"ip link set dev web0-emu nomaster down"
libxl vif-bridge remove 1 0 || fail "vif-bridge remove"

# ---- network-bridge stop ----
NBARGS=(stop)
dry "network-bridge stop" nb XNET_DRY_RUN=1 -- \
	"ip address add 192.168.0.3/24 dev eth0" \
	"ip link set dev eth0 nomaster" \
	"ip route add default via 192.168.0.1 dev eth0" \
	"rm -f $XNET_STATE_DIR/network-bridge.xenbr0" \
	"ip link del xenbr0"
nb </dev/null || fail "network-bridge stop"

# ---- network-route and vif-route ----
NRARGS=(start)
dry "network-route start" nr XNET_DRY_RUN=yes -- \
	"write $XNET_STATE_DIR/network-route (171 bytes)" \
	"write $XNET_STATE_DIR/ip_forward (88 bytes)" \
	"sysctl -w net/ipv4/ip_forward=1" \
	"sysctl -w net/ipv4/conf/eth0/proxy_arp=1" \
	"sysctl -w net/ipv6/conf/all/forwarding=1" \
	"sysctl -w net/ipv6/conf/eth0/proxy_ndp=1"
nr </dev/null || fail "network-route start"
guest domR 2 0 ""
xs_vif 2 0 "$GUEST_MAC" "ip=10.0.0.1 2001:db8::6"
IX2=$(ip -n "$(ns dom0)" -j link show vif2.0 | jq '.[0].ifindex')
dry "vif-route online" libxl vif-route online 2 0 dry_run=yes -- \
	"write $XNET_STATE_DIR/vif-route.2.0.vif (165 bytes)" \
	"ip address add 192.168.0.3/32 dev vif2.0" \
	"ip link set dev vif2.0 up" \
	"sysctl -w net/ipv4/conf/vif2.0/proxy_arp=1" \
	"ip route add 10.0.0.1 dev vif2.0 scope link src 192.168.0.3 metric 2" \
	"ip route add 2001:db8::6 dev vif2.0 metric 2" \
	"ip neigh add proxy 2001:db8::6 dev eth0" \
	"nft add element inet xen allowed6 { $IX2 . \"vif2.0\" . 2001:db8::6 }" \
	"xenstore-write backend/vif/2/0/hotplug-status 'connected'"
libxl vif-route online 2 0 || fail "vif-route online"
dry "vif-route offline" libxl vif-route offline 2 0 XNET_DRY_RUN=yes -- \
	"ip neigh del proxy 2001:db8::6 dev eth0" \
	"ip route del 10.0.0.1 dev vif2.0 scope link src 192.168.0.3 metric 2" \
	"ip address del 192.168.0.3/32 dev vif2.0" \
	"mv vif2.0 record to $XNET_STATE_DIR/fw-gone/inet-$IX2" \
	"rm -f $XNET_STATE_DIR/vif-route.2.0.vif" \
	"ip link set dev vif2.0 down"
libxl vif-route offline 2 0 || fail "vif-route offline"
ip -n "$(ns dom0)" link add vif2.0-emu type veth peer name tap2
dry "vif-route add" libxl vif-route add 2 0 dry_run=yes -- \
	"ip route add 10.0.0.1 dev vif2.0-emu scope link src 192.168.0.3 metric 1"
libxl vif-route add 2 0 || fail "vif-route add"
dry "vif-route remove" libxl vif-route remove 2 0 dry_run=yes -- \
	"ip route del 10.0.0.1 dev vif2.0-emu scope link src 192.168.0.3 metric 1"
libxl vif-route remove 2 0 || fail "vif-route remove"
NRARGS=(stop)
dry "network-route stop" nr XNET_DRY_RUN=yes -- \
	"sysctl -w net/ipv4/ip_forward=0" \
	"rm -f $XNET_STATE_DIR/ip_forward" \
	"sysctl -w net/ipv4/conf/eth0/proxy_arp=0" \
	"rm -f $XNET_STATE_DIR/network-route"
nr </dev/null || fail "network-route stop"

# ---- network-nat and vif-nat, with ISC dhcpd and dnsmasq ----
dry "network-nat start" netnat start dhcp=yes dry_run=yes -- \
	"write $XNET_STATE_DIR/network-nat (38 bytes)" \
	"sysctl -w net/ipv4/ip_forward=1" \
	"nft add element inet xen nat_uplinks { \"eth0\" }" \
	"write $T/dhcpd.conf (78 bytes)"
netnat start dhcp=yes || fail "network-nat start"
nat_guest domN 3 0 10.0.0.5/24 10.0.0.254 ip=10.0.0.5
IX3=$(ip -n "$(ns dom0)" -j link show vif3.0 | jq '.[0].ifindex')
dry "vif-nat online" vifnat online 3 0 dry_run=yes -- \
	"ip link set dev vif3.0 up" \
	"sysctl -w net/ipv4/conf/vif3.0/proxy_arp=1" \
	"ip address add 10.0.0.132/32 dev vif3.0" \
	"ip route add 10.0.0.5 dev vif3.0 scope link src 10.0.0.132" \
	"nft add element inet xen allowed4 { $IX3 . \"vif3.0\" . 10.0.0.5 }" \
	"xenstore-write backend/vif/3/0/hotplug-status 'connected'"
vifnat online 3 0 2>/dev/null || fail "vif-nat online"
dry "vif-nat offline" vifnat offline 3 0 dry_run=yes -- \
	"ip route del 10.0.0.5 dev vif3.0 scope link src 10.0.0.132" \
	"ip address del 10.0.0.132/32 dev vif3.0" \
	"ip link set dev vif3.0 down" \
	"rm -f $XNET_STATE_DIR/vif-nat.3.0"
vifnat offline 3 0 2>/dev/null || fail "vif-nat offline"
dry "network-nat stop" netnat stop dry_run=yes -- \
	"nft delete element inet xen nat_uplinks { \"eth0\" }" \
	"sysctl -w net/ipv4/ip_forward=0" \
	"rm -f $XNET_STATE_DIR/ip_forward" \
	"rm -f $XNET_STATE_DIR/network-nat"
netnat stop || fail "network-nat stop"
pass
