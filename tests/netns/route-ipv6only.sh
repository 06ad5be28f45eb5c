#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An IPv6-only host: dom0's uplink has no IPv4 address, so there is no
# main_ip. A guest whose ip lists only IPv6 needs none: it is routed and
# answered for (proxy NDP), and its status is all ok. A guest with an
# IPv4 entry there is refused with the reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
ip -n "$(ns dom0)" -4 addr flush dev eth0
rguest domU 1 0 2001:db8::6
xs_vif 1 0 "$GUEST_MAC" ip=2001:db8::6
nr start || fail "network-route start"

libxl vif-route online 1 0 || fail "vif-route online of an IPv6-only guest exited $?"
expect_eq "$(routes_of dom0 vif1.0)" "2001:db8::6 2" "routed through vif1.0"
expect_eq "$(addrs_of dom0 vif1.0 | grep -vc '^fe80')" 0 "vif1.0 has no IPv4 address"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::6 "proxy NDP entry on eth0"
ping6_ok lan 2001:db8::6
in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "$BIN/vif-route" status \
	</dev/null >"$T/status" || { cat "$T/status"; fail "status of the IPv6-only guest"; }
ok "status: all ok"
libxl vif-route offline 1 0 || fail "offline exited $?"
expect_eq "$(routes_of dom0 vif1.0)" "" "offline removed the route"
expect_eq "$(proxies_of dom0 eth0)" "" "offline removed the proxy entry"

# an IPv4 entry needs main_ip
rguest other 2 0 10.0.0.2/24
xs_vif 2 0 "$GUEST_MAC" "ip=10.0.0.2 2001:db8::7"
libxl vif-route online 2 0 && fail "an IPv4 guest came online without main_ip"
case $(xs_read backend/vif/2/0/hotplug-error) in
*"eth0 has no IPv4 address"*) ok "refused: $(xs_read backend/vif/2/0/hotplug-error)" ;;
*) fail "hotplug-error: $(xs_read backend/vif/2/0/hotplug-error)" ;;
esac
pass
