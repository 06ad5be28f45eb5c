#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-nat masquerades NAT guests only: a routed guest and a NAT guest
# leave by the same uplink; the LAN host counts what reaches it: the NAT
# guest's packets come from dom0's address, the routed guest's from its own
# (it used to be masqueraded too: the rule matched the uplink alone).
#
#   lan 192.168.0.5 --eth0-- dom0 192.168.0.3 --vif1.0-- domN 10.0.0.1 (vif-nat)
#   (route 10.0.1.0/24 via dom0)             --vif2.0-- domR 10.0.1.2 (vif-route)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init

nat_lab
ip -n "$(ns lan)" route add 10.0.1.0/24 via 192.168.0.3
nat_guest domN 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1
guest domR 2 0 10.0.1.2/24 10.0.1.254
xs_vif 2 0 "$GUEST_MAC" script=/etc/xen/scripts/vif-route ip=10.0.1.2
in_ns lan nft -f - <<'NFT' || fail "counters in the LAN namespace"
table ip seen {
	counter from_dom0 { }
	counter from_nat { }
	counter from_routed { }
	chain input {
		type filter hook input priority 0;
		ip saddr 192.168.0.3 counter name from_dom0
		ip saddr 10.0.0.1 counter name from_nat
		ip saddr 10.0.1.2 counter name from_routed
	}
}
NFT
seen() { in_ns lan nft -j list counter ip seen "$1" | jq '.nftables[1].counter.packets'; }
sources() { in_ns dom0 nft -j list set inet xen nat_sources | jq -r '.nftables[1].set.elem // [] | .[]'; }

netnat start || fail "network-nat start exited $?"
vifnat online 1 0 || fail "vif-nat online exited $?"
libxl vif-route online 2 0 || fail "vif-route online exited $?"

ping_ok domN 192.168.0.5
expect_eq "$(seen from_nat)" 0 "nothing reached the LAN from 10.0.0.1"
[ "$(seen from_dom0)" -ge 1 ] || fail "the NAT guest's ping did not arrive from 192.168.0.3"
ok "the NAT guest is masqueraded"
before=$(seen from_dom0)
ping_ok domR 192.168.0.5
[ "$(seen from_routed)" -ge 1 ] || fail "the routed guest's ping did not arrive from 10.0.1.2"
expect_eq "$(seen from_dom0)" "$before" "the routed guest's ping was not masqueraded"
expect_eq "$(sources)" 10.0.0.1 "@nat_sources holds the NAT guest's address only"

vifnat offline 1 0 || fail "vif-nat offline exited $?"
[ -f "$XNET_STATE_DIR/fw-gone/nat-10.0.0.1" ] || fail "offline did not retire 10.0.0.1"
# offline retires the address (a sweep deletes it with the vif's elements)
in_ns dom0 env XNET_STATE_DIR="$XNET_STATE_DIR" "$top_builddir/tests/fw/fw-tool" sweep ||
	fail "sweep"
expect_eq "$(sources)" "" "offline and a sweep: the NAT guest's address left @nat_sources"
libxl vif-route offline 2 0 || fail "vif-route offline exited $?"
netnat stop || fail "network-nat stop exited $?"
pass
