#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Who vif-bridge guards, and with what: `ip` set: its addresses and MAC; no
# `ip`: nothing, unless antispoof=yes (its MAC only) or its bridge is
# strict (network-bridge antispoof=yes); antispoof=no: nothing. A vif
# with `ip` but no valid `mac` is bad input. A dry run changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

bridged_lab
guest domU 1 0 192.168.0.6/24
MAC=$GUEST_MAC
LL=$(eui64_ll "$MAC")
xs_vif 1 0 "$MAC" bridge=xenbr0 ip=192.168.0.6
BE=backend/vif/1/0
cnt_init lan eth0 "other_ip:ip saddr 192.168.0.77" "spoof_mac:ether saddr 00:16:3e:99:99:99"
in_ns domU ip addr add 192.168.0.77/32 dev eth0
in_ns domU ip neigh replace 192.168.0.1 lladdr "$(link_field lan eth0 address)" dev eth0 \
	nud permanent

# ---- a dry run: no table, no record, the vif untouched ----
before=$(snapshot dom0)
libxl vif-bridge online 1 0 dry_run=yes >/dev/null || fail "dry run"
expect_eq "$(in_ns dom0 nft list tables)" "" "a dry run makes no table"
expect_eq "$(find "$XNET_STATE_DIR" -name 'fw-*' 2>/dev/null)" "" "a dry run leaves no record"
expect_unchanged dom0 "$before" "a dry run"
out=$(fwtool dom0 dry_run=yes add bridge vif9.0 mac=00:16:3e:00:09:00 ip=10.9.0.1)
case $out in *"add element bridge xen allowed4 { "[0-9]*" . \"vif9.0\" . 00:16:3e:00:09:00 . 10.9.0.1 }"*)
	ok "a dry run prints the elements in nft's words" ;;
*) fail "dry run printed: $out" ;; esac
expect_eq "$(in_ns dom0 nft list tables)" "" "fw-tool dry run makes no table"

# ---- bad input: `ip` without a (valid) mac; the host as it was ----
for mac in "" 00:16:3e:00:01 "00:16:3e:00:01:00;id" zz:16:3e:00:01:00; do
	if [ -z "$mac" ]; then xenstore-rm "$BE/mac"; else xs_write "$BE/mac" "$mac"; fi
	xenstore-rm "$BE/hotplug-error" "$BE/hotplug-status" 2>/dev/null
	before=$(snapshot dom0)
	libxl vif-bridge online 1 0 2>/dev/null && fail "online with mac '$mac' succeeded"
	expect_unchanged dom0 "$before" "mac '$mac'"
	expect_eq "$(in_ns dom0 nft list tables)" "" "mac '$mac': no table"
	expect_eq "$(xs_read $BE/hotplug-status)" error "mac '$mac': $(xs_read $BE/hotplug-error)"
done
xs_write "$BE/mac" "$MAC"
xenstore-rm "$BE/hotplug-error" "$BE/hotplug-status"

# ---- `ip` set: guarded ----
libxl vif-bridge online 1 0 || fail "online"
expect_eq "$(elements_of dom0 bridge vif1.0)" "allowed4 vif1.0 . $MAC . 192.168.0.6
allowed6 vif1.0 . $MAC . $LL
guarded vif1.0
macs vif1.0 . $MAC
open6 vif1.0" "ip set: its address and MAC, its link-local; IPv6 not listed, so open"
cnt_reset lan
in_ns domU ping -c 1 -W 0.3 -I 192.168.0.77 192.168.0.1 >/dev/null
expect_never lan other_ip "another address of the guest"

# online again with another `ip`: the old address goes, in the same batch
xs_write $BE/ip "192.168.0.7 10.1.0.0/24"
libxl vif-bridge online 1 0 || fail "online with a new ip"
expect_eq "$(elements_of dom0 bridge vif1.0)" "allowed4 vif1.0 . $MAC . 192.168.0.7
allowed4_nets vif1.0 . $MAC . 10.1.0.0/24
allowed6 vif1.0 . $MAC . $LL
guarded vif1.0
macs vif1.0 . $MAC
open6 vif1.0" "online again: the new addresses replace the old"

# ---- no `ip`: not guarded; antispoof=yes: the MAC only ----
xenstore-rm $BE/ip
libxl vif-bridge online 1 0 || fail "online without ip"
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "no ip: not guarded (and the old elements gone)"
libxl vif-bridge online 1 0 antispoof=yes || fail "online antispoof=yes"
expect_eq "$(elements_of dom0 bridge vif1.0)" "allowed6 vif1.0 . $MAC . $LL
guarded vif1.0
macs vif1.0 . $MAC
open4 vif1.0
open6 vif1.0" "antispoof=yes without ip: the MAC only (and its link-local)"
cnt_reset lan
in_ns domU ping -c 1 -W 0.3 -I 192.168.0.77 192.168.0.1 >/dev/null
expect_arrives lan other_ip "MAC only: any address of the guest"
in_ns domU ip link set eth0 address 00:16:3e:99:99:99
in_ns domU ping -c 1 -W 0.3 192.168.0.1 >/dev/null
in_ns domU ip link set eth0 address "$MAC"
expect_never lan spoof_mac "MAC only: another MAC"

# ---- a strict bridge: guarded by default; antispoof=no still opts out ----
fwtool dom0 strict add xenbr0 || fail "strict add"
fwtool dom0 strict check xenbr0 || fail "strict check"
libxl vif-bridge online 1 0 || fail "online on a strict bridge"
expect_eq "$(elements_of dom0 bridge vif1.0 | grep -c '^open[46] ')" 2 \
	"a strict bridge: MAC only without ip"
libxl vif-bridge online 1 0 antispoof=no || fail "online antispoof=no"
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "antispoof=no on a strict bridge: not guarded"
fwtool dom0 strict del xenbr0 || fail "strict del"

# ---- offline without the record online left: found by name ----
xs_write $BE/ip 192.168.0.6
libxl vif-bridge online 1 0 || fail "online"
rm -f "$XNET_STATE_DIR"/fw-bridge-vif1.0
libxl vif-bridge offline 1 0 || fail "offline without a record"
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline without a record: found by name"

# ---- offline when an element is already gone (no DESTROY before 6.3) ----
libxl vif-bridge online 1 0 || fail "online"
expect_eq "$(fwtool dom0 check bridge vif1.0)" "5 5" "status: all 5 of vif1.0's elements present"
in_ns dom0 nft delete element bridge xen allowed4 "{ \"vif1.0\" . \"vif1.0\" . $MAC . 192.168.0.6 }"
expect_eq "$(fwtool dom0 check bridge vif1.0)" "4 5" "status: one element missing"
libxl vif-bridge offline 1 0 || fail "offline with an element gone"
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline with an element gone: the rest removed"
xs_read $BE/hotplug-error >/dev/null && fail "offline wrote hotplug-error"
pass
