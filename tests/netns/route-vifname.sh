#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vifname`: the vif is renamed at online and routed under its new name;
# offline finds it by that name and removes what online added; a name in
# use is refused and nothing changes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-fw.sh"
lab_init

route_lab
rguest web 1 0 10.0.0.1/24
gw4 web 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" ip=10.0.0.1 vifname=web0
rguest other 2 3 10.0.0.8/24
xs_vif 2 3 "$GUEST_MAC" ip=10.0.0.8 vifname=web0
nr start || fail "network-route start"

libxl vif-route online 1 0 || fail "online"
link_exists dom0 vif1.0 && fail "vif1.0 still exists"
expect_eq "$(routes_of dom0 web0)" "10.0.0.1 2 192.168.0.3" "routed through web0"
expect_eq "$(sysctl_of dom0 net/ipv4/conf/web0/proxy_arp)" 1 "proxy_arp on web0"
ping_ok lan 10.0.0.1

before=$(rsnapshot dom0)
libxl vif-route online 2 3 && fail "a taken vifname was accepted"
err=$(xs_read backend/vif/2/3/hotplug-error)
case $err in *web0*exists*) ok "hotplug-error: $err" ;; *) fail "hotplug-error: '$err'" ;; esac
rexpect_unchanged dom0 "$before" "the refused rename"
# libxl then runs domain 2's offline: it must leave web0 alone
libxl vif-route offline 2 3 || fail "offline of the refused vif"
link_is_up dom0 web0 || fail "the refused vif's offline took web0 down"
expect_eq "$(routes_of dom0 web0)" "10.0.0.1 2 192.168.0.3" "web0 still routed"
[ -n "$(elements_of dom0 inet web0)" ] || fail "the refused vif's offline removed web0's guard"
ok "the refused vif's offline left web0's guard"
ping_ok lan 10.0.0.1

libxl vif-route offline 1 0 || fail "offline"
expect_eq "$(routes_of dom0 web0)" "" "offline: no routes through web0"
link_is_up dom0 web0 && fail "web0 still up"
ok "web0 is down"
pass
