#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# offline removes exactly what online added (routes, the vif's address, the
# proxy NDP entry on netdev) and brings the vif down, even when xenstore's
# `ip` changed in between; twice is fine, and so is a vif netback removed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
rguest domU 1 0 10.0.0.1/24 2001:db8::6
gw4 domU 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" "ip=10.0.0.1 2001:db8::6"
nr start || fail "network-route start"
# dom0's own entries, which offline must leave alone
ip -n "$(ns dom0)" route add 10.9.0.0/16 via 192.168.0.1
ip -n "$(ns dom0)" -6 neigh add proxy 2001:db8::99 dev eth0

libxl vif-route online 1 0 || fail "online"
ping_ok lan 10.0.0.1
ping6_ok lan 2001:db8::6
# a second online of the same vif is a re-run, not a conflict
libxl vif-route online 1 0 || fail "online again"
expect_eq "$(routes_of dom0 vif1.0 | tr '\n' ,)" "10.0.0.1 2 192.168.0.3,2001:db8::6 2," \
	"online twice: each route once"
ping_ok lan 10.0.0.1

# The guest's `ip` changes in xenstore before offline: what online added
# is removed all the same, and nothing else.
xs_write backend/vif/1/0/ip "10.0.0.9 2001:db8::9"
libxl vif-route offline 1 0 || fail "offline"
expect_eq "$(routes_of dom0 vif1.0)" "" "no routes through vif1.0"
expect_eq "$(addrs_of dom0 vif1.0 | grep -c 192.168.0.3)" 0 "192.168.0.3/32 left vif1.0"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::99 "only dom0's own proxy entry is left"
expect_eq "$(ip -n "$(ns dom0)" -j route show 10.9.0.0/16 | jq length)" 1 "dom0's own route is left"
expect_eq "$(addrs_of dom0 eth0 | grep -c 192.168.0.3/24)" 1 "eth0 keeps 192.168.0.3/24"
link_is_up dom0 vif1.0 && fail "vif1.0 still up"
ok "vif1.0 is down"
ping_fails lan 10.0.0.1
[ -e "$XNET_STATE_DIR/vif-route.1.0.vif" ] && fail "state of vif1.0 left behind"
ok "no state left"
libxl vif-route offline 1 0 || fail "second offline"
ok "offline twice succeeds"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "offline wrote hotplug-error"

# netback removes the vif before offline runs: its routes and address went
# with it, the proxy entry on eth0 did not, and offline removes that.
xs_write backend/vif/1/0/ip "10.0.0.1 2001:db8::6"
libxl vif-route online 1 0 || fail "online after offline"
ping_ok lan 10.0.0.1
expect_eq "$(proxies_of dom0 eth0 | tr '\n' ' ')" "2001:db8::6 2001:db8::99 " "proxy entry back"
ip -n "$(ns dom0)" link del vif1.0
libxl vif-route offline 1 0 || fail "offline of a vanished vif"
ok "offline of a vif netback removed succeeds"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::99 "its proxy entry is gone"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "offline wrote hotplug-error"

# and a fresh vif comes online again
ip -n "$(ns dom0)" link add vif1.0 type veth peer name eth1 netns "$(ns domU)"
ip -n "$(ns dom0)" link set vif1.0 address $NETBACK_MAC
ip -n "$(ns domU)" link set eth1 up
ip -n "$(ns domU)" addr add 10.0.0.1/24 dev eth1
gw4 domU 10.0.0.254
libxl vif-route online 1 0 || fail "online of a new vif"
ping_ok lan 10.0.0.1
pass
