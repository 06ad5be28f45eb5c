#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-openvswitch fails closed: no such bridge, ovs-vswitchd down (its
# change never applied: the row is removed again), ovsdb-server down,
# an interface Open vSwitch cannot open; offline with the database down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ovs.sh"
lab_init
ns_add dom0
ovs_init
ovs_bridge br0

refused() {	# refused DOMID WHAT PATTERN
	local err
	libxl vif-openvswitch online "$1" 0 XNET_OVS_TIMEOUT=3 2>/dev/null && fail "$2: online worked"
	err=$(xs_read backend/vif/$1/0/hotplug-error)
	case $err in *$3*) ok "$2: $err" ;; *) fail "$2: hotplug-error '$err'" ;; esac
	expect_eq "$(xs_read backend/vif/$1/0/hotplug-status)" error "$2: hotplug-status"
	link_is_up dom0 "vif$1.0" && fail "$2: vif$1.0 left up"
	vsctl port-to-br "vif$1.0" >/dev/null 2>&1 && fail "$2: port left in the database"
	ok "$2: vif$1.0 down, no port"
}

guest g1 1 0 ""; xs_vif 1 0 "$GUEST_MAC" bridge=nobr0
refused 1 "no such bridge" "nobr0 does not exist"

guest g2 2 0 ""; xs_vif 2 0 "$GUEST_MAC" bridge=br0 ip=10.0.0.2
vswitchd_stop
refused 2 "ovs-vswitchd down" "did not apply"
in_ns dom0 nft list chain netdev xen vif2.0 >/dev/null 2>&1 && fail "guard left behind"
ok "ovs-vswitchd down: guard removed"
vswitchd_start

ovs_stop
refused 2 "ovsdb-server down" "cannot connect"
libxl vif-openvswitch offline 2 0 2>/dev/null && fail "offline with no database worked"
ok "offline with the database down fails and says so"
ovsdb_start
vswitchd_start

# netback's device vanishes before Open vSwitch opens it
guest g3 3 0 ""; xs_vif 3 0 "$GUEST_MAC" bridge=br0
ip -n "$(ns dom0)" link del vif3.0
libxl vif-openvswitch online 3 0 2>/dev/null && fail "online of a missing vif worked"
vsctl port-to-br vif3.0 >/dev/null 2>&1 && fail "port of a missing vif left"
ok "missing vif: refused, no port"

libxl vif-openvswitch online 2 0 || fail "online after the daemons came back"
ok "online works again"
pass
