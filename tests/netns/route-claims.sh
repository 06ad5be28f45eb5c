#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `ip` entries that would take someone else's traffic are refused at online
# with a hotplug-error naming the conflict, and nothing changes: another
# domain's address claimed by an HVM tap (metric 1 would win over the vif's
# metric 2), a network over another guest's address, dom0's own address,
# the LAN gateway, the LAN's whole IPv6 prefix; in vif-nat, the gateway as
# a second entry. A guest's tap may claim its own vif's addresses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
nr start || fail "network-route start"
rguest g1 1 0 10.0.0.1/24 2001:db8:1::1
gw4 g1 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" "ip=10.0.0.1 2001:db8:1::1"
libxl vif-route online 1 0 || fail "online of guest 1"
ping_ok lan 10.0.0.1

# refused PROG CMD DOMID DEVID IP PATTERN: online/add refused, host unchanged
refused() {
	local prog=$1 cmd=$2 d=$3 n=$4 ip=$5 want=$6 before err
	xs_write "backend/vif/$d/$n/ip" "$ip"
	xenstore-rm "backend/vif/$d/$n/hotplug-error" 2>/dev/null
	before=$(rsnapshot dom0)
	libxl "$prog" "$cmd" "$d" "$n" "${NAT_ENV[@]}" >"$T/out" 2>&1 &&
		fail "$prog $cmd with ip=$ip was accepted"
	err=$(tail -1 "$T/out")
	case $err in *$want*) ok "ip=$ip refused: $err" ;; *) fail "ip=$ip: '$err'" ;; esac
	rexpect_unchanged dom0 "$before" "the refused ip=$ip"
}

# domain 2: a PV vif and the HVM tap of another NIC
rguest g2 2 0 10.0.0.2/24
xs_vif 2 0 "$GUEST_MAC" ip=10.0.0.2
ip -n "$(ns dom0)" link add vif2.0-emu type veth peer name eth1 netns "$(ns g2)"
ip -n "$(ns dom0)" link set vif2.0-emu address $NETBACK_MAC
refused vif-route add 2 0 10.0.0.1 "10.0.0.1 is routed through vif1.0"
refused vif-route add 2 0 2001:db8:1::1 "2001:db8:1::1 is routed through vif1.0"
refused vif-route online 2 0 10.0.0.0/24 "10.0.0.0/24 holds 10.0.0.1, routed through vif1.0"
refused vif-route online 2 0 192.168.0.3 "192.168.0.3 is an address of dom0"
refused vif-route online 2 0 192.168.0.1 "192.168.0.1 is dom0's default gateway"
refused vif-route online 2 0 192.168.0.0/24 "192.168.0.0/24 is the network of eth0"
refused vif-route online 2 0 2001:db8::/64 "2001:db8::/64 is the network of eth0"
ping_ok lan 10.0.0.1

# what is a guest's own is fine: its vif, then its tap, for its address
xs_write backend/vif/2/0/ip 10.0.0.2
libxl vif-route online 2 0 || fail "online of guest 2"
libxl vif-route add 2 0 || fail "the tap of guest 2, for its own address"
expect_eq "$(routes_of dom0 vif2.0-emu)" "10.0.0.2 1 192.168.0.3" "the tap routes 10.0.0.2 at metric 1"
libxl vif-route remove 2 0 || fail "remove"
libxl vif-route offline 2 0 || fail "offline"

# vif-nat: the LAN gateway (or dom0's address) as a second entry
xs_vif 3 0 00:16:3e:00:03:00 script=/etc/xen/scripts/vif-nat
rguest g3 3 0 10.0.5.1/24
refused vif-nat online 3 0 "10.0.5.1 192.168.0.1" "192.168.0.1 is dom0's default gateway"
refused vif-nat online 3 0 "10.0.5.1 10.0.0.1" "10.0.0.1 is already routed through vif1.0"
ping_ok lan 10.0.0.1
pass
