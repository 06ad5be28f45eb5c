#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-route and vif-nat fail closed: a failure at any step of online leaves
# the vif down and unrouted, with no address, proxy entry, element, record
# or DHCP entry of the run's; without nftables a guarded vif is refused
# with the setting that waives the guard; the guard is in place before the
# vif is up or routed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-nat.sh"
. "$(dirname "$0")/lib-failclosed.sh"
nat_init

route_lab
nr start || fail "network-route start"
rguest web 1 0 10.0.0.1/24 2001:db8:1::1
gw4 web 10.0.0.254
xs_vif 1 0 "$GUEST_MAC" ip="10.0.0.1 2001:db8:1::1"
rguest nat 2 0 10.0.1.1/24
xs_vif 2 0 "$GUEST_MAC" script=/etc/xen/scripts/vif-nat ip=10.0.1.1
netnat start dhcp=yes || fail "network-nat start dhcp=yes"

# ---- vif-route ----
libxl vif-route online 1 0 verbose=yes >"$T/trace" || fail "vif-route online exited $?"
guard_first "$T/trace"
ping_ok lan 10.0.0.1
libxl vif-route offline 1 0 || fail "vif-route offline exited $?"
# offline retired vif1.0's elements; a rollback deletes at once: sweep them
in_ns dom0 env XNET_STATE_DIR="$XNET_STATE_DIR" "$top_builddir/tests/fw/fw-tool" sweep ||
	fail "sweep"
for step in rename state guard up routes proxies report nft; do
	fail_at vif-route online 1 0 "$step" vif1.0
done
grep -q 'antispoof=no' <<<"$(xs_read backend/vif/1/0/hotplug-error)" ||
	fail "no nftables: the error does not name antispoof=no"
ping_fails lan 10.0.0.1
xs_write backend/vif/1/0/vifname web0
for step in rename state guard up routes proxies report; do
	fail_at vif-route online 1 0 "$step" vif1.0
done
link_exists dom0 web0 && fail "the vifname rename was not undone"
xenstore-rm backend/vif/1/0/vifname
# an online that fails after an earlier one succeeded leaves the vif down too
libxl vif-route online 1 0 || fail "vif-route online exited $?"
libxl vif-route online 1 0 XNET_FAIL_AT=routes >/dev/null 2>&1 && fail "re-online succeeded"
! link_is_up dom0 vif1.0 || fail "a failed re-online left vif1.0 up"
[ -z "$(routes_of dom0 vif1.0)" ] || fail "a failed re-online left routes"
ok "a failed re-online: vif1.0 down and unrouted"
libxl vif-route online 1 0 || fail "vif-route online exited $?"
ping_ok lan 10.0.0.1

# ---- vif-nat (with a DHCP entry) ----
vifnat online 2 0 dhcp=yes verbose=yes >"$T/trace" || fail "vif-nat online exited $?"
guard_first "$T/trace"
vifnat offline 2 0 dhcp=yes || fail "vif-nat offline exited $?"
in_ns dom0 env XNET_STATE_DIR="$XNET_STATE_DIR" "$top_builddir/tests/fw/fw-tool" sweep ||
	fail "sweep"
for step in rename state guard up dhcp report nft; do
	fail_at vif-nat online 2 0 "$step" vif2.0 "${NAT_ENV[@]}" dhcp=yes
done
grep -q 'antispoof=no' <<<"$(xs_read backend/vif/2/0/hotplug-error)" ||
	fail "no nftables: the error does not name antispoof=no"
xs_write backend/vif/2/0/vifname nat0
for step in rename state guard up dhcp report; do
	fail_at vif-nat online 2 0 "$step" vif2.0 "${NAT_ENV[@]}" dhcp=yes
done
link_exists dom0 nat0 && fail "the vifname rename was not undone"
xenstore-rm backend/vif/2/0/vifname
vifnat online 2 0 dhcp=yes || fail "vif-nat online exited $?"
expect_nat_vif vif2.0 10.0.1.1 10.0.1.128

# the network programs' hotplug log lines name their device (they were empty)
nr stop || fail "network-route stop"
netnat stop || fail "network-nat stop"
for l in 'network-route\[[0-9]*\]: start eth0: ok' 'network-route\[[0-9]*\]: stop eth0: ok' \
	'network-nat\[[0-9]*\]: start eth0: ok' 'network-nat\[[0-9]*\]: stop eth0: ok'; do
	grep -q "$l\$" "$XNET_HOTPLUG_LOG" || { cat "$XNET_HOTPLUG_LOG"; fail "no log line $l"; }
done
ok "network-route and network-nat log lines name eth0"
pass
