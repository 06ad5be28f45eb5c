#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-openvswitch's guard: a netdev ingress chain per vif (table netdev
# xen), made before the vif is up, dropping (and counting) frames from
# another MAC or address; gone at offline; antispoof=no makes none.
# The userspace datapath reads ports through a packet socket, which sees
# frames before the ingress hook: here the chain's counters show the
# drops; the kernel datapath (the real Xen tier) never sees them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
. "$(dirname "$0")/lib-ovs.sh"
lab_init
fw_init
ns_add dom0
ovs_init
ovs_bridge br0

guest g1 1 0 10.0.0.1/24; MAC1=$GUEST_MAC; xs_vif 1 0 "$MAC1" bridge=br0 ip=10.0.0.1
guest g2 2 0 10.0.0.2/24; xs_vif 2 0 "$GUEST_MAC" bridge=br0 ip=10.0.0.2
guest g3 3 0 10.0.0.3/24; xs_vif 3 0 "$GUEST_MAC" bridge=br0 ip=10.0.0.3 antispoof=no
libxl vif-openvswitch online 1 0 || fail "online 1: $(xs_read backend/vif/1/0/hotplug-error)"
libxl vif-openvswitch online 2 0 || fail "online 2"
libxl vif-openvswitch online 3 0 antispoof=no || fail "online 3"

chain() { in_ns dom0 nft -j list chain netdev xen "$1" 2>/dev/null; }
in_ns dom0 nft list chain netdev xen vif1.0 | grep -q 'hook ingress device "vif1.0"' ||
	fail "vif1.0's chain does not hook its ingress"
ok "vif1.0's chain hooks its ingress"
chain vif3.0 >/dev/null && fail "antispoof=no made a chain"
ok "antispoof=no: no chain"
ping_ok g1 10.0.0.2

drops() {	# the packets the guard of vif1.0 counted, in its chains (vif1.0, vif1.0/nd, ...)
	in_ns dom0 nft -j list table netdev xen | jq '[.nftables[] | .rule? // empty
		| select(.chain == "vif1.0" or (.chain | startswith("vif1.0/"))) | .expr[]
		| .counter? // empty | .packets] | add'
}
# dropped SEND-ARGS...: g1 sends one crafted frame, which vif1.0's guard drops
dropped() {
	local d=$(drops)
	in_ns g1 "$PKTSEND" eth0 "$@" || fail "pktsend $*"
	[ "$(drops)" -gt "$d" ] || fail "vif1.0's guard let through: $*"
	ok "vif1.0's guard drops: $*"
}
passed() {
	local d=$(drops)
	in_ns g1 "$PKTSEND" eth0 "$@" || fail "pktsend $*"
	expect_eq "$(drops)" "$d" "vif1.0's guard lets through: $*"
}
d0=$(drops)
in_ns g1 ping -c 1 -W 0.3 -I 10.0.0.66 10.0.0.2 >/dev/null 2>&1 ||
	{ in_ns g1 ip addr add 10.0.0.66/32 dev eth0; in_ns g1 ping -c 1 -W 0.3 -I 10.0.0.66 10.0.0.2 >/dev/null; }
in_ns g1 "$PKTSEND" eth0 arp 00:16:3e:66:66:66 10.0.0.1 10.0.0.2
in_ns g1 "$PKTSEND" eth0 ra
d1=$(drops)
[ "$d1" -ge $((d0 + 3)) ] || fail "spoofed frames not dropped by vif1.0's chain ($d0 -> $d1)"
ok "spoofed IP, ARP and RA dropped at vif1.0's ingress ($d0 -> $d1)"
# what the packet socket passed on anyway (the forged ARP) is forgotten
in_ns g2 ip neigh flush dev eth0
in_ns g1 ip addr del 10.0.0.66/32 dev eth0 2>/dev/null
ping_ok g1 10.0.0.2
expect_eq "$(drops)" "$d1" "the guest's own traffic is not dropped"

# IPv6 as the bridge guard holds it (doc/firewall.md): vif1.0's `ip` lists
# no IPv6, so global addresses are its own to claim, link-local ones not
LL1=$(in_ns g1 ip -j addr show dev eth0 scope link | jq -r '.[0].addr_info[] | select(.family == "inet6") | .local')
[ -n "$LL1" ] || fail "g1 has no link-local address"
dropped na fe80::1			# the router's link-local, claimed
dropped ns fe80::1 ::			# a DAD probe for it
dropped ns fe80::99 fe80::1		# from the router's link-local
dropped frag-ra hidden			# RFC 7112: the type in the second fragment
dropped frag-ra visible			# RFC 6980: ND is never fragmented
passed na "$LL1"			# its own link-local (EUI-64)
passed na 2001:db8::66			# a global address: IPv6 is not held
xs_write backend/vif/1/0/ip "10.0.0.1 2001:db8::1"
libxl vif-openvswitch online 1 0 || fail "re-online with 2001:db8::1"
dropped na 2001:db8::66			# now held to 2001:db8::1
passed na 2001:db8::1

out=$(libxl vif-openvswitch status 1 0) || fail "status 1 failed: $out"
case $out in *"ok    vif1.0's guard is in place (nft chains netdev xen vif1.0, vif1.0/nd, vif1.0/frag6)"*)
	ok "status: the guard's three chains" ;; *) fail "status 1: $out" ;; esac
# a guard made by an older xnet: its own chain only
in_ns dom0 nft flush chain netdev xen vif1.0
in_ns dom0 nft delete chain netdev xen vif1.0/nd
out=$(libxl vif-openvswitch status 1 0) && fail "status 1 passed without vif1.0/nd: $out"
case $out in *"FAIL  vif1.0's guard is in place"*) ok "status: a missing chain fails" ;;
*) fail "status 1 without vif1.0/nd: $out" ;; esac
libxl vif-openvswitch online 1 0 || fail "online again"
libxl vif-openvswitch status 1 0 >/dev/null || fail "status after online again"
ok "online again makes the guard whole"

libxl vif-openvswitch offline 1 0 || fail "offline"
chain vif1.0 >/dev/null && fail "offline left the chain"
chain vif1.0/nd >/dev/null && fail "offline left chain vif1.0/nd"
chain vif1.0/frag6 >/dev/null && fail "offline left chain vif1.0/frag6"
ok "offline removed the chains"
# netback may remove the device first: Linux 6.1 takes the base chain
# with it (newer kernels keep it, without a device), and offline removes
# what is left either way
ip -n "$(ns dom0)" link del vif2.0
chain vif2.0 >/dev/null && k="kept" || k="took"
# as 6.1 does: offline then finds no base chain (the path it takes on
# Debian's kernel, made here whichever this kernel is)
in_ns dom0 nft delete chain netdev xen vif2.0 2>/dev/null
chain vif2.0/nd >/dev/null || fail "no chain vif2.0/nd before its offline"
libxl vif-openvswitch offline 2 0 || fail "offline of a removed vif2.0"
chain vif2.0 >/dev/null && fail "offline left chain vif2.0"
chain vif2.0/nd >/dev/null && fail "offline left chain vif2.0/nd"
chain vif2.0/frag6 >/dev/null && fail "offline left chain vif2.0/frag6"
ok "offline after the device went (the kernel $k its base chain) removed its chains"
pass
