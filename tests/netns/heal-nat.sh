#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-nat's record, and ip_forward's users, are held against the
# kernel before they are trusted. An earlier boot's (uplink wan9, gone
# since; ip_forward counted for network-route), with a boot id or without
# one, is logged and forgotten; an uplink deleted by hand in this boot is
# forgotten with its @nat_uplinks element. start and stop then work as on
# a clean host (they used to refuse the record, or leave forwarding on).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init

nat_lab
fwd() { sysctl_of dom0 ipv4/ip_forward; }
mkdir -p "$XNET_STATE_DIR"
old=00000000-0000-0000-0000-000000000000
record() {
	printf 'ip_forward=1\nuplink=wan9\n%s' "${1:+boot=$1
}" >"$XNET_STATE_DIR/network-nat"
	printf '# ip_forward (xnet)\n%sorig=1\nuser=network-route\n' "${1:+boot=$1
}" >"$XNET_STATE_DIR/ip_forward"
}

for boot in "$old" ''; do
	record "$boot"
	netnat start netdev=eth0 || fail "start over an earlier boot's record ('$boot') exited $?"
	expect_eq "$(fwd)" 1 "start: ip_forward"
	grep -qx "boot=$(cat /proc/sys/kernel/random/boot_id)" "$XNET_STATE_DIR/network-nat" ||
		fail "the new record does not carry this boot's id"
	grep -q wan9 "$XNET_STATE_DIR/network-nat" && fail "the new record still names wan9"
	netnat stop netdev=eth0 || fail "stop exited $?"
	expect_eq "$(fwd)" 0 "stop after a stale record ('$boot'): ip_forward as start found it"
	[ -e "$XNET_STATE_DIR/network-nat" ] && fail "stop left the record"
	[ -e "$XNET_STATE_DIR/ip_forward" ] && fail "stop left ip_forward's record"
	no_masquerade_left eth0
done

# a bare stop over an earlier boot's record: nothing to undo, no refusal
record "$old"
netnat stop || fail "stop over an earlier boot's record exited $?"
expect_eq "$(fwd)" 0 "stop over a stale record leaves ip_forward"
[ -e "$XNET_STATE_DIR/network-nat" ] && fail "the stale record is still there"

# this boot: an uplink deleted by hand is forgotten with its masquerade
ip -n "$(ns dom0)" link add wan0 type veth peer name wan1
ip -n "$(ns dom0)" link set wan0 up
netnat start netdev=eth0 || fail "start eth0"
netnat start netdev=wan0 || fail "start wan0"
ip -n "$(ns dom0)" link del wan0
netnat stop netdev=eth0 || fail "stop eth0 after wan0 was deleted exited $?"
expect_eq "$(fwd)" 0 "the last uplink left stopped: ip_forward back"
[ -e "$XNET_STATE_DIR/network-nat" ] && fail "stop left the record"
no_masquerade_left wan0
pass
