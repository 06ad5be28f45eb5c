#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An HVM guest: libxl runs `add/remove type_if=tap` for its emulated NIC's
# tap (routes at metric 1) besides `online/offline` for its PV vif (metric
# 2). Both answer for the same IPv6 address on eth0: the proxy entry stays
# until the second of them goes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
ns_add hvm
ip -n "$(ns dom0)" link add vif4.0-emu type veth peer name eth0 netns "$(ns hvm)"
ip -n "$(ns dom0)" link set vif4.0-emu address $NETBACK_MAC
ip -n "$(ns hvm)" link set eth0 up
ip -n "$(ns hvm)" addr add 10.0.0.4/24 dev eth0
ip -n "$(ns hvm)" addr add 2001:db8::4/128 dev eth0
ip -n "$(ns hvm)" route add default via 10.0.0.254
ip -n "$(ns hvm)" -6 route add default via $VIF_LL dev eth0
ip -n "$(ns dom0)" link add vif4.0 type veth peer name eth1 netns "$(ns hvm)"
ip -n "$(ns dom0)" link set vif4.0 address $NETBACK_MAC
xs_vif 4 0 00:16:3e:00:04:00 "ip=10.0.0.4 2001:db8::4" type=vif_ioemu
nr start || fail "network-route start"

# online with type_if=tap, or add with type_if=vif, is not for us
in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/4/0 INTERFACE=vif4.0-emu vif=vif4.0 \
	XENSTORED_PATH="$XENSTORED_PATH" XNET_STATE_DIR="$XNET_STATE_DIR" \
	"$BIN/vif-route" online type_if=tap || fail "online tap"
expect_eq "$(routes_of dom0 vif4.0-emu)" "" "online type_if=tap leaves the tap alone"

libxl vif-route add 4 0 || fail "add"
expect_eq "$(routes_of dom0 vif4.0-emu | tr '\n' ,)" "10.0.0.4 1 192.168.0.3,2001:db8::4 1," \
	"the tap's routes have metric 1"
expect_eq "$(addrs_of dom0 vif4.0-emu | grep -v ^fe80)" 192.168.0.3/32 "the tap holds 192.168.0.3/32"
expect_eq "$(sysctl_of dom0 net/ipv4/conf/vif4.0-emu/proxy_arp)" 1 "proxy_arp on the tap"
expect_eq "$(xs_read backend/vif/4/0/hotplug-status)" "" "a tap run writes no hotplug-status"
ping_ok lan 10.0.0.4
ping6_ok lan 2001:db8::4

# the PV vif comes too: both sets of routes, one proxy entry
libxl vif-route online 4 0 || fail "online"
expect_eq "$(routes_of dom0 vif4.0 | tr '\n' ,)" "10.0.0.4 2 192.168.0.3,2001:db8::4 2," \
	"the vif's routes have metric 2"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::4 "one proxy entry"

libxl vif-route remove 4 0 || fail "remove"
expect_eq "$(routes_of dom0 vif4.0-emu)" "" "remove: no routes through the tap"
link_is_up dom0 vif4.0-emu && fail "tap still up"
ok "the tap is down"
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::4 "the vif still has its proxy entry"
expect_eq "$(routes_of dom0 vif4.0 | wc -l)" 2 "the vif keeps its routes"
libxl vif-route offline 4 0 || fail "offline"
expect_eq "$(proxies_of dom0 eth0)" "" "the last of the two removed the proxy entry"
expect_eq "$(routes_of dom0 vif4.0)" "" "offline: no routes through the vif"

# With vifname, the tap becomes <vifname>-emu.
xs_write backend/vif/4/0/vifname win0
libxl vif-route add 4 0 || fail "add with vifname"
link_exists dom0 win0-emu || fail "tap not renamed to win0-emu"
expect_eq "$(routes_of dom0 win0-emu | wc -l)" 2 "routes through win0-emu"
ping_ok lan 10.0.0.4
libxl vif-route remove 4 0 || fail "remove with vifname"
expect_eq "$(routes_of dom0 win0-emu)" "" "remove: no routes through win0-emu"
expect_eq "$(proxies_of dom0 eth0)" "" "no proxy entry left"
pass
