#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The tables' lifecycle: made once with their rules; a table of an older
# layout is replaced in one batch that keeps the elements of the sets whose
# key did not change; a newer layout, or a table of our name that is not
# ours, is refused and left exactly as it is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

ns_add dom0
# (nft 1.0.6 leaves table comments out of its JSON)
table_text() { in_ns dom0 nft list table "$1" xen; }
comment() { table_text "$1" | sed -n 's/^\tcomment "\(.*\)"$/\1/p'; }

# ---- made once: the second run finds it, adds no rule ----
fwtool dom0 add inet vif1.0 ip=10.0.0.1 || fail "first add"
expect_eq "$(comment inet)" "xnet layout $FW_LAYOUT" "table inet xen, layout $FW_LAYOUT"
expect_eq "$(rule_count dom0 inet)" "$FW_INET_RULES" "its rules"
fwtool dom0 add inet vif2.0 ip=10.0.0.2 || fail "second add"
expect_eq "$(rule_count dom0 inet)" "$FW_INET_RULES" "a second vif adds no rule"
expect_eq "$(fwtool dom0 status inet)" "layout $FW_LAYOUT dropped 0 0" \
	"status: layout and drop counter"
# table arp xen made after routed vifs came online (an older layout had
# none): it is made with their elements, so their ARP keeps working
in_ns dom0 nft delete table arp xen
fwtool dom0 add inet vif3.0 ip=10.0.0.3 || fail "third add"
expect_eq "$(elements dom0 arp | awk '$1 == "allowed4"')" "allowed4 vif1.0 . 10.0.0.1
allowed4 vif2.0 . 10.0.0.2
allowed4 vif3.0 . 10.0.0.3" "table arp xen made anew with every routed vif's addresses"

# ---- an older layout: replaced atomically; compatible elements kept ----
# (vif9.9 has no record: its name-keyed elements are carried over with
# its index, since layout 6 keys them by index and name)
ip -n "$(ns dom0)" link add vif9.9 type veth peer name p9.9
in_ns dom0 nft -f - <<'NFT' || fail "old table"
table bridge xen {
	comment "xnet layout 0"
	set guarded {
		type ifname
		elements = { "vif9.9" }
	}
	set macs {
		type ifname . ether_addr
		elements = { "vif9.9" . 00:16:3e:09:09:00 }
	}
	set allowed4 {
		type ifname . ipv4_addr
		elements = { "vif9.9" . 10.9.9.9 }
	}
	chain prerouting {
		type filter hook prerouting priority -300;
		iifname "vif9.9" counter drop
	}
}
NFT
fwtool dom0 add bridge vif1.0 mac=00:16:3e:00:01:00 ip=192.168.0.6 || fail "add over layout 0"
expect_eq "$(comment bridge)" "xnet layout $FW_LAYOUT" "layout 0 replaced by layout $FW_LAYOUT"
expect_eq "$(rule_count dom0 bridge)" "$FW_BRIDGE_RULES" "the new rules only"
expect_eq "$(elements dom0 bridge)" "allowed4 vif1.0 . 00:16:3e:00:01:00 . 192.168.0.6
allowed6 vif1.0 . 00:16:3e:00:01:00 . fe80::216:3eff:fe00:100
guarded vif1.0
guarded vif9.9
macs vif1.0 . 00:16:3e:00:01:00
macs vif9.9 . 00:16:3e:09:09:00
open6 vif1.0" "elements of unchanged sets carried over (allowed4's key changed)"

# ---- layout 1 (the guard before ND, DHCP-server, fragment and family
# rules), as a running host has it: replaced, every vif's elements kept,
# and those the new layout adds made from the vifs' records ----
in_ns dom0 nft delete table bridge xen
# records of layout 1 carry no index: the interface of that name has it
ip -n "$(ns dom0)" link add vif7.0 type veth peer name p7.0
ip -n "$(ns dom0)" link add vif8.0 type veth peer name p8.0
in_ns dom0 nft -f - <<'NFT' || fail "layout 1 table"
table bridge xen {
	comment "xnet layout 1"
	set guarded { type ifname; elements = { "vif7.0", "vif8.0", "vif9.9" } }
	set macs {
		type ifname . ether_addr
		elements = { "vif7.0" . 00:16:3e:00:07:00, "vif8.0" . 00:16:3e:00:08:00,
			     "vif9.9" . 00:16:3e:09:09:00 }
	}
	set mac_only { type ifname; elements = { "vif8.0" } }
	set allowed4 {
		type ifname . ether_addr . ipv4_addr
		elements = { "vif7.0" . 00:16:3e:00:07:00 . 192.168.0.7,
			     "vif9.9" . 00:16:3e:09:09:00 . 192.168.0.99 }
	}
	set allowed6 {
		type ifname . ether_addr . ipv6_addr
		elements = { "vif7.0" . 00:16:3e:00:07:00 . 2001:db8::7 }
	}
	chain prerouting {
		type filter hook prerouting priority -300;
		iifname != @guarded accept
		iifname @mac_only accept
		drop
	}
}
NFT
mkdir -p "$XNET_STATE_DIR"
printf 'table bridge\nifname vif7.0\nmac 00:16:3e:00:07:00\nip 192.168.0.7 2001:db8::7\n' \
	>"$XNET_STATE_DIR/fw-bridge-vif7.0"
printf 'table bridge\nifname vif8.0\nmac 00:16:3e:00:08:00\nip\n' >"$XNET_STATE_DIR/fw-bridge-vif8.0"
rm -f "$XNET_STATE_DIR/fw-bridge-vif1.0"
fwtool dom0 strict check xenbr0 >/dev/null	# a read: layout 1 stays
expect_eq "$(comment bridge)" "xnet layout 1" "reading leaves layout 1 alone"
fwtool dom0 add bridge vif1.0 mac=00:16:3e:00:01:00 ip=192.168.0.6 || fail "add over layout 1"
expect_eq "$(comment bridge)" "xnet layout $FW_LAYOUT" "layout 1 replaced by layout $FW_LAYOUT"
expect_eq "$(rule_count dom0 bridge)" "$FW_BRIDGE_RULES" "the new rules only"
expect_eq "$(elements dom0 bridge | awk '$2 != "vif1.0"')" "allowed4 vif7.0 . 00:16:3e:00:07:00 . 192.168.0.7
allowed4 vif9.9 . 00:16:3e:09:09:00 . 192.168.0.99
allowed6 vif7.0 . 00:16:3e:00:07:00 . 2001:db8::7
allowed6 vif7.0 . 00:16:3e:00:07:00 . fe80::216:3eff:fe00:700
allowed6 vif8.0 . 00:16:3e:00:08:00 . fe80::216:3eff:fe00:800
guarded vif7.0
guarded vif8.0
guarded vif9.9
macs vif7.0 . 00:16:3e:00:07:00
macs vif8.0 . 00:16:3e:00:08:00
macs vif9.9 . 00:16:3e:09:09:00
open4 vif8.0
open6 vif8.0" "layout 1's elements kept; the recorded vifs get their link-local and open families"
expect_eq "$(fwtool dom0 check bridge vif7.0)" "5 5" "vif7.0's guard complete after the upgrade"
expect_eq "$(fwtool dom0 check bridge vif8.0)" "5 5" "vif8.0's (MAC only) complete too"
fwtool dom0 del bridge vif7.0 || fail "del vif7.0"
fwtool dom0 del bridge vif8.0 || fail "del vif8.0"
fwtool dom0 sweep || fail "sweep"
expect_eq "$(elements dom0 bridge | awk '$2 ~ /^vif[78]/' | wc -l)" 0 \
	"their offline (and a sweep) removes all of them"

# ---- a newer layout, or a foreign table: refused, untouched ----
in_ns dom0 nft delete table bridge xen
in_ns dom0 nft add table bridge xen '{ comment "xnet layout 99"; }'
in_ns dom0 nft add chain bridge xen c
before=$(table_text bridge)
fwtool dom0 add bridge vif1.0 mac=00:16:3e:00:01:00 ip=192.168.0.6 2>/dev/null &&
	fail "a newer layout was used"
expect_eq "$(table_text bridge)" "$before" "a newer layout is left as it is"
in_ns dom0 nft delete table bridge xen
in_ns dom0 nft add table bridge xen
in_ns dom0 nft add set bridge xen guarded '{ type ifname; elements = { "vif1.0" }; }'
in_ns dom0 nft add set bridge xen strict_bridges '{ type ifname; elements = { "xenbr0" }; }'
before=$(table_text bridge)
expect_eq "$(fwtool dom0 status bridge)" "layout -1 dropped 0 0" "status: not ours"
guest domU 1 0 192.168.0.6/24
ip -n "$(ns dom0)" link add xenbr0 type bridge
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
libxl vif-bridge online 1 0 2>/dev/null && fail "online used a foreign table"
expect_eq "$(table_text bridge)" "$before" "a foreign table is left as it is"
case $(xs_read backend/vif/1/0/hotplug-error) in
*"not xnet's"*) ok "hotplug-error: $(xs_read backend/vif/1/0/hotplug-error)" ;;
*) fail "hotplug-error: $(xs_read backend/vif/1/0/hotplug-error)" ;;
esac
libxl vif-bridge offline 1 0 2>/dev/null
fwtool dom0 del bridge vif1.0 2>/dev/null
fwtool dom0 strict del xenbr0 2>/dev/null
expect_eq "$(table_text bridge)" "$before" "offline and deletes leave the foreign table alone too"
pass
