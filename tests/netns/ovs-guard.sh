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

drops() {	# the packets the guard of vif1.0 counted
	chain vif1.0 | jq '[.nftables[] | .rule? // empty | .expr[] | .counter? // empty
		| .packets] | add'
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

libxl vif-openvswitch offline 1 0 || fail "offline"
chain vif1.0 >/dev/null && fail "offline left the chain"
ok "offline removed the chain"
pass
