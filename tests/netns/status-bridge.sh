#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-bridge status: the seed guide's troubleshooting done by the program.
# Break one thing at a time; status must name exactly that failure (and
# only it), exit 1, and give the fix; a healthy vif is all ok, exit 0.
# The NIC missing from the bridge is a warning (guests still reach dom0).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-status.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init

bridged_lab
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
libxl vif-bridge online 1 0 || fail "online"
ping_ok domU 192.168.0.1

STATUS_PROG="vif-bridge"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
status_is
expect_eq "$(status_warns)" "" "healthy: no warning"
status_leaves_no_trace
ip -n "$(ns dom0)" link set vif1.0 nomaster
ping_fails domU 192.168.0.1
status_is "vif1.0 is a port of xenbr0"
ip -n "$(ns dom0)" link set vif1.0 master xenbr0
ip -n "$(ns dom0)" link set vif1.0 down
status_is "vif1.0 is up"
ip -n "$(ns dom0)" link set vif1.0 up
ip -n "$(ns dom0)" link set vif1.0 mtu 9000
status_is "vif1.0 has MTU 1500 (now 9000)"
ip -n "$(ns dom0)" link set vif1.0 mtu 1500
ip -n "$(ns dom0)" link set xenbr0 down
status_is "bridge xenbr0 exists and is up"
ip -n "$(ns dom0)" link set xenbr0 up
xs_write backend/vif/1/0/hotplug-status error
status_is "backend/vif/1/0/hotplug-status is connected (now 'error')"
xs_write backend/vif/1/0/hotplug-status connected
status_is

# the guest firewall: an element deleted by hand is named
FW="vif1.0's guest firewall elements are in place"
in_ns dom0 nft delete element bridge xen allowed4 "{ \"vif1.0\" . \"vif1.0\" . $GUEST_MAC . 192.168.0.6 }" ||
	fail "delete an element"
status_is "$FW (4 of 5 in nft table bridge xen)"
expect_eq "$(status_fix "$FW (4 of 5 in nft table bridge xen)")" \
	"vif-bridge online vif=vif1.0 XENBUS_PATH=backend/vif/1/0" "the firewall's fix"
libxl vif-bridge online 1 0 || fail "online again"
status_is
in_ns dom0 nft flush set bridge xen guarded
status_is "$FW (4 of 5 in nft table bridge xen)"
libxl vif-bridge online 1 0 || fail "online again"

# the NIC out of the bridge: a warning, the guest still reaches dom0
ip -n "$(ns dom0)" link set eth0 nomaster
ping_fails domU 192.168.0.1
status_is
expect_eq "$(status_warns)" \
	"xenbr0 has an uplink port besides the guests' vifs (without one, guests reach only dom0)" \
	"the NIC missing from the bridge is a warning"
# a renamed guest vif (vifname=web7) on the bridge is no uplink either
guest web 7 0 192.168.0.7/24
xs_vif 7 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.7 vifname=web7
libxl vif-bridge online 7 0 || fail "online of web7"
status_is
expect_eq "$(status_warns)" \
	"xenbr0 has an uplink port besides the guests' vifs (without one, guests reach only dom0)" \
	"a renamed vif does not count as the bridge's uplink"
libxl vif-bridge offline 7 0 || fail "offline of web7"
ip -n "$(ns dom0)" link set eth0 master xenbr0

# the text form: one line per check with its verdict, and the fix
out=$(in_ns dom0 env -i "${XENV[@]}" vif=vif1.0 "$BIN/vif-bridge" status)
echo "$out" | grep -q '^ok    vif1.0 is a port of xenbr0$' || fail "text: $out"
ip -n "$(ns dom0)" link set vif1.0 nomaster
out=$(in_ns dom0 env -i "${XENV[@]}" vif=vif1.0 "$BIN/vif-bridge" status)
echo "$out" | grep -q '^FAIL  vif1.0 is a port of xenbr0$' || fail "text: $out"
echo "$out" | grep -q '^      fix: .*ip link set dev vif1.0 master xenbr0$' || fail "text fix: $out"
ok "text status names the failure and its fix"
expect_eq "$(xs_read backend/vif/1/0/hotplug-error)" "" "status writes no hotplug-error"
ip -n "$(ns dom0)" link set vif1.0 master xenbr0

# without xenstore: the vif by name; its firewall elements from the record
STATUS_ENV=(vif=vif1.0 ip=192.168.0.6)
status_is
expect_eq "$(status_warns)" "xenstore not checked (no XENBUS_PATH)" "without xenstore: a warning"
# a vif without `ip` is not guarded: an ok line says so
libxl vif-bridge offline 1 0 || fail "offline"
xs_write backend/vif/1/0/ip ""
libxl vif-bridge online 1 0 || fail "online without ip"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
status_is
status_out | grep -qx "ok    vif1.0 is not guarded by the guest firewall (no ip)" ||
	fail "no line for an unguarded vif: $(status_out)"
ok "an unguarded vif: an ok line says so"
pass
