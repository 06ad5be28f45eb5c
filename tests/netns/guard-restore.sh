#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `nft flush ruleset` (what nftables.service does at each start or reload)
# removes every guest's guard; xnet-guard status names each missing one,
# and xnet-guard restore puts them all back from xnet's records, with the
# strict bridge, the NAT masquerade and its NAT guests: a spoof that passes after the
# flush is dropped again after the restore. A record of a vif that is gone
# is forgotten.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

bridged_lab
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
guest mail 2 0 192.168.0.8/24
xs_vif 2 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.8
guest gone 3 0 192.168.0.9/24
xs_vif 3 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.9
for d in 1 2 3; do libxl vif-bridge online $d 0 || fail "online of vif$d.0"; done
ip -n "$(ns dom0)" link del vif3.0		# gone without an offline
in_ns dom0 env -i "${XENV[@]}" "$BIN/network-nat" start netdev=eth0 </dev/null >/dev/null ||
	fail "network-nat start"
guest natg 4 0 10.0.4.1/24
xs_vif 4 0 "$GUEST_MAC"
libxl vif-nat online 4 0 dhcp=no || fail "vif-nat online: $(xs_read backend/vif/4/0/hotplug-error)"

LAN_MAC=$(link_field lan eth0 address)
cnt_init lan eth0 "spoof:ip saddr 192.168.0.66" "own:ip saddr 192.168.0.6"
in_ns domU ip addr add 192.168.0.66/32 dev eth0
in_ns domU ip neigh replace 192.168.0.1 lladdr "$LAN_MAC" dev eth0 nud permanent
spoof() { in_ns domU ping -c 1 -W 0.3 -I 192.168.0.66 192.168.0.1 >/dev/null; }
guard() { in_ns dom0 env -i "${XENV[@]}" "$BIN/xnet-guard" "$@" </dev/null; }

spoof
expect_never lan spoof "a spoof while guarded"
guard status >/dev/null || { guard status; fail "status of the guards before the flush"; }

in_ns dom0 nft flush ruleset
cnt_reset lan
spoof
expect_arrives lan spoof "after nft flush ruleset, a spoof"
out=$(guard status)
[ $? = 1 ] || fail "status after the flush exits 0"
for l in "FAIL  vif1.0's guard is in place \(0 of [1-9][0-9]* elements in nft table bridge xen\)" \
	"FAIL  vif2.0's guard is in place \(0 of [1-9][0-9]* elements in nft table bridge xen\)" \
	"FAIL  guest traffic leaving eth0 is masqueraded" \
	"FAIL  NAT guest 10.0.4.1 of vif4.0 is masqueraded" \
	"warn  vif3.0's record is stale: the interface is gone"; do
	grep -qE "^$l\$" <<<"$out" || { echo "$out"; fail "status lacks '$l'"; }
done
ok "status names each missing guard, the masquerade and the stale record"

guard restore || fail "xnet-guard restore exited $?"
guard status >/dev/null || { guard status; fail "status after the restore"; }
ok "status after the restore: all in place"
cnt_reset lan
spoof
expect_never lan spoof "after the restore, a spoof"
ping_ok domU 192.168.0.1
expect_arrives lan own "the guest's own traffic"
[ -e "$XNET_STATE_DIR/fw-bridge-vif3.0" ] && fail "the stale record is still there"
ok "the stale record was forgotten"
grep -q 'xnet-guard\[[0-9]*\]: restore vif1.0: guard put back (0 of [1-9][0-9]* elements were in place)' \
	"$XNET_HOTPLUG_LOG" || { cat "$XNET_HOTPLUG_LOG"; fail "no log line for vif1.0"; }
ok "the hotplug log names each guard put back"
guard restore || fail "a second restore exited $?"
pass
