#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Another owner's firewall that cuts a guest off is named by status and by
# the hotplug log at online, with the command that lets the guest through;
# xnet changes none of it. Real packets show each verdict is true: the
# guest cannot reach the LAN while status fails, and can once the printed
# fix is run as printed.
#
#   bridged: lan 192.168.0.1 --eth0-- dom0 xenbr0 --vif1.0-- domU 192.168.0.6
#            Docker's leftovers: iptables-nft FORWARD policy DROP, DOCKER-USER,
#            br_netfilter handing bridged IPv4 to iptables
#   routed:  lan 192.168.0.1 --eth0-- dom0 192.168.0.3 --vif1.0-- domU 10.0.0.1
#            firewalld's shape: table inet firewalld, forward chain, final reject
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-status.sh"
command -v nft >/dev/null || skip "needs nft"
command -v iptables-nft >/dev/null || skip "needs iptables (nft backend)"
lab_init

BRNF=/proc/sys/net/bridge/bridge-nf-call-iptables

# ---- bridged, behind Docker's leftovers ----
bridged_lab
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
libxl vif-bridge online 1 0 || fail "online"
ping_ok domU 192.168.0.1
STATUS_PROG="vif-bridge"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
status_is
status_out | grep -qx 'ok    no other firewall drops the forwarded traffic of vif1.0' ||
	fail "healthy: $(status_out)"
ok "nothing of another owner: one ok line"

in_ns dom0 iptables-nft -P FORWARD DROP
in_ns dom0 iptables-nft -N DOCKER-USER
in_ns dom0 iptables-nft -A FORWARD -j DOCKER-USER
in_ns dom0 iptables-nft -A DOCKER-USER -j RETURN
in_ns dom0 test -w $BRNF || skip "no br_netfilter in this kernel (the rest needs it)"
in_ns dom0 sh -c "echo 0 > $BRNF"
ping_ok domU 192.168.0.1
status_is
ok "br_netfilter off: iptables' FORWARD does not see bridged frames, and is not blamed"
in_ns dom0 sh -c "echo 1 > $BRNF"
ping_fails domU 192.168.0.1
BLOCK="vif1.0: table ip filter chain FORWARD drops its forwarded traffic (policy drop)"
status_is "$BLOCK"
FIX=$(status_fix "$BLOCK")
expect_eq "$FIX" "iptables -I DOCKER-USER -i xenbr0 -o xenbr0 -j ACCEPT (or, for all bridged\
 traffic: sysctl -w net.bridge.bridge-nf-call-iptables=0)" "the fix: a DOCKER-USER rule, or the sysctl"
before=$(in_ns dom0 iptables-nft-save | grep -v '^#')

# an online under the block says so in the hotplug log, and still connects
libxl vif-bridge offline 1 0 || fail "offline"
libxl vif-bridge online 1 0 || fail "online under another owner's block"
grep -q "warning: vif1.0: table ip filter chain FORWARD drops its forwarded traffic (policy drop); fix: iptables -I DOCKER-USER -i xenbr0 -o xenbr0 -j ACCEPT" \
	"$XNET_HOTPLUG_LOG" || fail "no warning in the hotplug log: $(tail -3 "$XNET_HOTPLUG_LOG")"
ok "online leaves one warning with the fix in the hotplug log"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" "connected" "the online itself succeeded"
expect_eq "$(in_ns dom0 iptables-nft-save | grep -v '^#')" "$before" "xnet changed none of Docker's rules"

# the fix, run as printed, lets the guest through
in_ns dom0 sh -c "${FIX%% (or,*}" || fail "the printed fix does not run"
ping_ok domU 192.168.0.1
status_is
ok "once the fix is in, status is all ok"
libxl vif-bridge offline 1 0 || fail "offline"

# a bridge-family forward chain of another owner: network-bridge status
# names it for every guest of the bridge
in_ns dom0 sh -c "echo 0 > $BRNF"
in_ns dom0 nft -f - <<'EOF' || fail "bridge table"
table bridge admin {
	chain admin_forward { type filter hook forward priority 0; policy drop; }
}
EOF
STATUS_PROG="network-bridge"
STATUS_ENV=(netdev=eth0 bridge=xenbr0)
out=$(status_out)
echo "$out" | grep -qx 'FAIL  guests on xenbr0: table bridge admin chain admin_forward drops its forwarded traffic (policy drop)' ||
	fail "network-bridge status: $out"
echo "$out" | grep -qx "      fix: nft 'insert rule bridge admin admin_forward meta ibrname \"xenbr0\" accept'" ||
	fail "network-bridge status fix: $out"
ok "network-bridge status names a bridge table's drop, and the fix for all its guests"
in_ns dom0 nft delete table bridge admin

# ---- routed, behind a firewalld-like inet table ----
for n in lan dom0 domU; do ip netns del "$(ns $n)"; done
route_lab
rguest domU 1 0 10.0.0.1/24
gw4 domU 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" ip=10.0.0.1
nr() { in_ns dom0 env -i "${XENV[@]}" "$BIN/network-route" "$@" </dev/null; }
nr start || fail "network-route start"
libxl vif-route online 1 0 || fail "online"
ping_ok domU 192.168.0.1
in_ns dom0 nft -f - <<'EOF' || fail "firewalld-like table"
table inet firewalld {
	chain filter_FORWARD {
		type filter hook forward priority filter + 10; policy accept;
		ct state established,related accept
		iifname "lo" accept
		reject with icmpx admin-prohibited
	}
}
EOF
ping_fails domU 192.168.0.1
STATUS_PROG="vif-route"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
BLOCK="vif1.0: table inet firewalld chain filter_FORWARD drops its forwarded traffic (final rule rejects)"
out=$(status_out --json)
jq -e --arg b "$BLOCK" '.checks[] | select(.verdict == "FAIL" and .check == $b)' <<<"$out" \
	>/dev/null || fail "vif-route status: $(json_as_text <<<"$out")"
FIX=$(status_fix "$BLOCK")
expect_eq "$FIX" "nft 'insert rule inet firewalld filter_FORWARD iifname \"vif1.0\" accept' &&\
 nft 'insert rule inet firewalld filter_FORWARD oifname \"vif1.0\" accept'" "the routed guest's fix"
STATUS_PROG="network-route"
STATUS_ENV=()
out=$(status_out)
echo "$out" | grep -qx 'FAIL  routed guests: table inet firewalld chain filter_FORWARD drops its forwarded traffic (final rule rejects)' ||
	fail "network-route status: $out"
echo "$out" | grep -q "fix: nft 'insert rule inet firewalld filter_FORWARD iifname \"vif\*\" accept'" ||
	fail "network-route status fix: $out"
ok "network-route status names the drop for every routed guest (vif*)"
in_ns dom0 sh -c "$FIX" || fail "the printed fix does not run"
ping_ok domU 192.168.0.1
STATUS_PROG="vif-route"
STATUS_ENV=(XENBUS_PATH=backend/vif/1/0 vif=vif1.0)
status_out | grep -qx 'ok    no other firewall drops the forwarded traffic of vif1.0' ||
	fail "after the fix: $(status_out)"
ok "after the fix, vif-route status has no block"
libxl vif-route offline 1 0 || fail "offline"
nr stop || fail "network-route stop"
pass
