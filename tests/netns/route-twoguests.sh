#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two routed guests on one host reach each other (IPv4 through proxy ARP on
# their vifs, IPv6 through their vifs' link-local gateway); a third guest
# claiming the first one's address is refused, and the host is left as it
# was (the routes and address it had added so far are rolled back).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

route_lab
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
rguest g1 1 0 10.0.0.1/24 2001:db8::6
gw4 g1 10.0.0.254
rguest g2 2 0 10.0.0.2/24 2001:db8::7
gw4 g2 10.0.0.254
xs_vif 1 0 00:16:3e:00:01:00 "ip=10.0.0.1 2001:db8::6"
xs_vif 2 0 00:16:3e:00:02:00 "ip=10.0.0.2 2001:db8::7"
nr start || fail "network-route start"
# IPv6 off on a vif (a host default): turned on for a guest with IPv6 addresses
in_ns dom0 sh -c 'echo 1 > /proc/sys/net/ipv6/conf/vif2.0/disable_ipv6'
libxl vif-route online 1 0 || fail "online 1"
libxl vif-route online 2 0 || fail "online 2"
expect_eq "$(sysctl_of dom0 net/ipv6/conf/vif2.0/disable_ipv6)" 0 "IPv6 on on vif2.0"

ping_ok g1 10.0.0.2
ping_ok g2 10.0.0.1
ping6_ok g1 2001:db8::7
ping6_ok g2 2001:db8::6
ping_ok lan 10.0.0.2
expect_eq "$(proxies_of dom0 eth0 | tr '\n' ' ')" "2001:db8::6 2001:db8::7 " "one proxy entry each"

# Domain 3 claims 10.0.0.7 and 10.0.0.1: the second route exists already.
rguest g3 3 0 10.0.0.7/24 2001:db8::8
xs_vif 3 0 00:16:3e:00:03:00 "ip=2001:db8::8 10.0.0.7 10.0.0.1"
before=$(rsnapshot dom0)
libxl vif-route online 3 0 && fail "a guest took another guest's address"
expect_eq "$(xs_read backend/vif/3/0/hotplug-status)" error "hotplug-status of the conflict"
err=$(xs_read backend/vif/3/0/hotplug-error)
case $err in *10.0.0.1*vif1.0*) ok "hotplug-error: $err" ;; *) fail "hotplug-error: '$err'" ;; esac
rexpect_unchanged dom0 "$before" "the refused online"
[ -e "$XNET_STATE_DIR/vif-route.3.0.vif" ] && fail "state of the refused online left behind"
ping_ok lan 10.0.0.1
ping_ok g2 10.0.0.1

# One guest going leaves the other as it was.
libxl vif-route offline 1 0 || fail "offline 1"
ping_ok lan 10.0.0.2
ping6_ok lan 2001:db8::7
expect_eq "$(proxies_of dom0 eth0)" 2001:db8::7 "guest 2's proxy entry stays"
expect_eq "$(routes_of dom0 vif2.0 | tr '\n' ,)" "10.0.0.2 2 192.168.0.3,2001:db8::7 2," \
	"guest 2's routes stay"
pass
