#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The guest firewall beside other rulesets in dom0: an iptables-nft FORWARD
# chain (policy DROP), other nft tables (one of them named xen, in another
# family). Legitimate guest traffic goes through all of them, a spoof is
# dropped by our guard only, and after online, offline, NAT uplinks and
# strict bridges come and go, the other tables are exactly as they were.
# With br_netfilter, which this machine's kernel lacks, bridged traffic
# also goes through that FORWARD chain: the real Xen tier's coexist
# scenario (tests/xen) checks that on Debian's 6.1 kernel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
command -v iptables >/dev/null || skip "needs iptables (iptables-nft)"
fw_init
lab_init

bridged_lab 192.168.0.3/24
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
cnt_init lan eth0 "guest:ip saddr 192.168.0.6 icmp type echo-request" \
	"spoof:ip saddr 192.168.0.66"

# the others: iptables-nft, an nft table of another family named xen, and
# base chains on the hooks we use, before and after ours
in_ns dom0 iptables -P FORWARD DROP || fail "iptables -P FORWARD DROP"
in_ns dom0 iptables -A FORWARD -m comment --comment "theirs" -j ACCEPT || fail "iptables -A"
in_ns dom0 iptables -t nat -A POSTROUTING -o eth9 -j MASQUERADE || fail "iptables -t nat"
in_ns dom0 nft -f - <<'NFT' || fail "other nft tables"
table ip xen {
	chain c {
		counter
	}
}
table inet other {
	counter seen {
	}
	chain pre {
		type filter hook prerouting priority -400;
		counter name "seen"
	}
}
table bridge other {
	chain pre {
		type filter hook prerouting priority -350;
		counter accept
	}
	chain forward_all {
		type filter hook forward priority 0;
		counter accept
	}
}
NFT
# everything but ours, without counters and handles
others() {
	in_ns dom0 nft -j list ruleset | jq -S '[.nftables[] | select(.metainfo | not) |
		select(to_entries[0].value | [.family, .table // .name] |
		       . != ["bridge", "xen"] and . != ["inet", "xen"])] |
		walk(if type == "object" then del(.handle, .packets, .bytes) else . end)'
}
before=$(others)
[ "$(echo "$before" | jq length)" -gt 10 ] || fail "the other rulesets are not there"

libxl vif-bridge online 1 0 || fail "online"
expect_eq "$(elements_of dom0 bridge vif1.0 | wc -l)" 5 "vif1.0 is guarded (IPv4 listed, IPv6 open)"
fwtool dom0 nat add eth0 || fail "nat add"
fwtool dom0 strict add xenbr0 || fail "strict add"
ping_ok domU 192.168.0.1
expect_arrives lan guest "the guest's traffic, through every ruleset"
in_ns domU ip addr add 192.168.0.66/32 dev eth0
in_ns domU ping -c 1 -W 0.3 -I 192.168.0.66 192.168.0.1 >/dev/null
expect_never lan spoof "a spoof, dropped by our guard"
[ "$(drops dom0)" -gt 0 ] || fail "our drop counter did not count it"
ok "counted by bridge xen's counter 'dropped'"
[ "$(cnt dom0 seen inet other)" -gt 0 ] || fail "the other table's chain saw nothing"
ok "the other table's chain runs too"

libxl vif-bridge offline 1 0 || fail "offline"
fwtool dom0 nat del eth0 || fail "nat del"
fwtool dom0 strict del xenbr0 || fail "strict del"
libxl vif-bridge online 1 0 || fail "online again"
ping_ok domU 192.168.0.1
expect_eq "$(others)" "$before" "the other tables are exactly as they were"
expect_eq "$(in_ns dom0 iptables -S FORWARD)" "-P FORWARD DROP
-A FORWARD -m comment --comment theirs -j ACCEPT" "iptables FORWARD as it was"
pass
