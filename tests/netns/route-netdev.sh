#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Which uplink gives main_ip: libxl passes `netdev=` empty (no gatewaydev),
# so the default route's device is used (here uplink0, not eth0); then the
# IPv6 default route's; then eth0. A netdev given (the gatewaydev key, as
# libxl passes it in the environment, or an argument) wins.
#
#   lan 192.168.5.1 --uplink0-- dom0 192.168.5.3 (default via .1), eth0 172.16.0.3 --vifN.0-- guests
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

ns_add lan dom0
ip -n "$(ns dom0)" link add uplink0 type veth peer name eth0 netns "$(ns lan)"
ip -n "$(ns dom0)" link set uplink0 up
ip -n "$(ns dom0)" addr add 192.168.5.3/24 dev uplink0
ip -n "$(ns dom0)" route add default via 192.168.5.1
ip -n "$(ns lan)" link set eth0 up
ip -n "$(ns lan)" addr add 192.168.5.1/24 dev eth0
ip -n "$(ns lan)" route add 10.0.0.0/24 via 192.168.5.3
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0p
ip -n "$(ns dom0)" link set eth0 up
ip -n "$(ns dom0)" addr add 172.16.0.3/24 dev eth0
for d in 1 2 3 4; do
	rguest g$d $d 0 10.0.0.$d/24
	gw4 g$d 10.0.0.254
	xs_vif $d 0 00:16:3e:00:0$d:00 ip=10.0.0.$d
done

# network-route with no netdev: the default route's device too
nr start || fail "network-route start"
expect_eq "$(sysctl_of dom0 net/ipv4/conf/uplink0/proxy_arp)" 1 "network-route: proxy_arp on uplink0"
expect_eq "$(sysctl_of dom0 net/ipv4/conf/eth0/proxy_arp)" 0 "network-route: eth0 untouched"
nr status | grep -qx "ok    uplink0 has an IPv4 address (vif-route's main_ip: 192.168.5.3)" ||
	fail "status names uplink0: $(nr status)"
ok "network-route status names uplink0"

libxl vif-route online 1 0 || fail "online 1"
expect_eq "$(routes_of dom0 vif1.0)" "10.0.0.1 2 192.168.5.3" "netdev= empty: main_ip of uplink0"
expect_eq "$(addrs_of dom0 vif1.0 | grep -v ^fe80)" 192.168.5.3/32 "vif1.0 holds 192.168.5.3/32"
ping_ok lan 10.0.0.1

# gatewaydev, as libxl passes it
libxl vif-route online 2 0 netdev=eth0 || fail "online 2"
expect_eq "$(routes_of dom0 vif2.0)" "10.0.0.2 2 172.16.0.3" "netdev=eth0 from the environment"
# an argument
in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/3/0 vif=vif3.0 netdev=uplink0 \
	XENSTORED_PATH="$XENSTORED_PATH" XNET_STATE_DIR="$XNET_STATE_DIR" \
	"$BIN/vif-route" online type_if=vif netdev=eth0 </dev/null || fail "online 3"
expect_eq "$(routes_of dom0 vif3.0)" "10.0.0.3 2 172.16.0.3" "netdev=eth0 argument over the environment"

# only an IPv6 default route: its device
if [ -e /proc/sys/net/ipv6 ]; then
	ip -n "$(ns dom0)" route del default
	ip -n "$(ns dom0)" addr add 2001:db8:5::3/64 dev uplink0
	ip -n "$(ns dom0)" -6 route add default via 2001:db8:5::1 dev uplink0
	libxl vif-route online 4 0 || fail "online 4"
	expect_eq "$(routes_of dom0 vif4.0)" "10.0.0.4 2 192.168.5.3" "the IPv6 default route's device"
	libxl vif-route offline 4 0 || fail "offline 4"
	ip -n "$(ns dom0)" -6 route del default
fi
# no default route at all: eth0
ip -n "$(ns dom0)" route del default 2>/dev/null
libxl vif-route online 4 0 || fail "online 4 without a default route"
expect_eq "$(routes_of dom0 vif4.0)" "10.0.0.4 2 172.16.0.3" "no default route: eth0"
pass
