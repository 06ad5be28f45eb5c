#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Seed situations 3 and 4, the cloak: the guest reaches the LAN host, and
# what arrives there comes from dom0 (192.168.0.3), never from 10.0.0.1.
#
# Expected to fail (XFAIL_TESTS in Makefile.am) until the firewall module
# (@nat_uplinks in table inet xen) is merged and network-nat's masquerade()
# calls it; then it must pass and leave XFAIL_TESTS.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init

nat_lab
nat_guest domU 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1
# The LAN host counts, in its own namespace, the sources of what reaches it;
# its way back to anything not on its LAN is its router, not dom0.
ip -n "$(ns lan)" route add default via 192.168.0.1
in_ns lan nft -f - <<'NFT' || fail "counters in the LAN namespace"
table ip seen {
	counter from_dom0 { }
	counter from_guest { }
	chain input {
		type filter hook input priority 0;
		ip saddr 192.168.0.3 counter name from_dom0
		ip saddr 10.0.0.0/8 counter name from_guest
	}
}
NFT
seen() { in_ns lan nft -j list counter ip seen "$1" | jq '.nftables[1].counter.packets'; }

netnat start || fail "network-nat start exited $?"
vifnat online 1 0 || fail "vif-nat online exited $?"

ping_ok domU 192.168.0.5
expect_eq "$(seen from_guest)" 0 "nothing reached the LAN from 10.0.0.1"
[ "$(seen from_dom0)" -ge 1 ] || fail "nothing reached the LAN from 192.168.0.3"
ok "the LAN saw the guest's ping as coming from 192.168.0.3"

# After stop, with forwarding turned back on by hand, the guest's packets
# reach the LAN under their own address: the masquerade is gone.
netnat stop || fail "network-nat stop exited $?"
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1
in_ns domU ping -c 1 -W 1 192.168.0.5 >/dev/null
expect_eq "$(seen from_guest)" 1 "after stop the LAN sees 10.0.0.1 itself"
pass
