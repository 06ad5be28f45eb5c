#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-nat offline removes exactly what online added, even after xenstore
# changed; twice is fine, and so is a vif netback already removed. online
# twice is fine; vif1.1 is never mistaken for vif1.10; a guest address
# another vif routes is refused with nothing changed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

nat_lab
netnat start || fail "network-nat start"
nat_guest domU 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1

vifnat online 1 0 || fail "online"
ping_ok domU 10.0.0.128
xs_write backend/vif/1/0/ip 10.0.0.9
vifnat offline 1 0 || fail "offline"
expect_eq "$(addrs_of dom0 vif1.0 | grep -v '^fe80')" "" "vif1.0 has no address left"
expect_eq "$(route_of 10.0.0.1)" "" "the route to 10.0.0.1 went"
expect_eq "$(sysctl_of dom0 ipv4/conf/vif1.0/proxy_arp)" 0 "proxy_arp off again"
link_is_up dom0 vif1.0 && fail "vif1.0 still up"
ok "vif1.0 is down"
ping_fails dom0 10.0.0.1
vifnat offline 1 0 || fail "second offline"
ok "offline twice succeeds"
xs_read backend/vif/1/0/hotplug-error >/dev/null && fail "offline wrote hotplug-error"

# online twice: still one address, one route, and connected each time
xs_write backend/vif/1/0/ip 10.0.0.1 backend/vif/1/0/hotplug-status ""
vifnat online 1 0 || fail "online after offline"
xs_write backend/vif/1/0/hotplug-status ""
vifnat online 1 0 || fail "online twice"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "connected after online twice"
expect_nat_vif vif1.0 10.0.0.1 10.0.0.128
ping_ok domU 10.0.0.128

# another guest claiming 10.0.0.1: refused, nothing changes
nat_guest thief 2 0 10.0.0.1/24 "" ip=10.0.0.1
before=$(snapshot dom0)
vifnat online 2 0 2>/dev/null && fail "a routed guest address was accepted"
expect_eq "$(xs_read backend/vif/2/0/hotplug-status)" error "hotplug-status of the conflict"
case $(xs_read backend/vif/2/0/hotplug-error) in
*10.0.0.1*vif1.0*) ok "hotplug-error names the address and vif1.0" ;;
*) fail "hotplug-error: $(xs_read backend/vif/2/0/hotplug-error)" ;;
esac
expect_unchanged dom0 "$before" "the refused online"
# nor a guest address that is dom0's own (vif1.0's router address)
xs_write backend/vif/2/0/ip 10.0.0.128
vifnat online 2 0 2>/dev/null && fail "dom0's own address was accepted as a guest's"
expect_unchanged dom0 "$before" "the refused online"

# vif1.10 up first does not make vif1.1 look "already up" (the old bug)
nat_guest ten 1 10 10.0.0.11/24 10.0.0.254 ip=10.0.0.11
nat_guest one 1 1 10.0.0.2/24 10.0.0.254 ip=10.0.0.2
vifnat online 1 10 || fail "online vif1.10"
vifnat online 1 1 || fail "online vif1.1"
expect_nat_vif vif1.1 10.0.0.2 10.0.0.129
expect_eq "$(xs_read backend/vif/1/1/hotplug-status)" connected "vif1.1 connected"
vifnat offline 1 1 || fail "offline vif1.1"
expect_nat_vif vif1.10 10.0.0.11 10.0.0.138
ping_ok ten 10.0.0.1

# a vif netback removed already
ip -n "$(ns dom0)" link del vif1.0
vifnat offline 1 0 || fail "offline of a vanished vif"
ok "offline of a vif netback removed succeeds"
vifnat offline 1 0 || fail "offline of a vanished vif, twice"
ping_ok ten 10.0.0.138
pass
