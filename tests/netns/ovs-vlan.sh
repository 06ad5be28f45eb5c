#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-openvswitch VLANs: BR.TAG, BR.TAG:TRUNK... (native-untagged, so that
# the trunks are kept), BR:TRUNK and libxl's vlan key; traffic between two
# guests on VLAN 10, none with a guest on VLAN 20.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ovs.sh"
lab_init
ns_add dom0
ovs_init
ovs_bridge br0

guest g1 1 0 10.0.10.1/24; xs_vif 1 0 "$GUEST_MAC" bridge=br0.10
guest g2 2 0 10.0.10.2/24; xs_vif 2 0 "$GUEST_MAC" bridge=br0.10:20:30
guest g3 3 0 10.0.10.3/24; xs_vif 3 0 "$GUEST_MAC" bridge=br0.20
guest g4 4 0 ""; xs_vif 4 0 "$GUEST_MAC" bridge=br0:100:200
guest g5 5 0 ""; xs_vif 5 0 "$GUEST_MAC" bridge=br0 vlan=30p/40-41
for d in 1 2 3 4 5; do
	libxl vif-openvswitch online $d 0 ||
		fail "online $d: $(xs_read backend/vif/$d/0/hotplug-error)"
done
expect_eq "$(port_col vif1.0 tag)" 10 "BR.10: tag"
expect_eq "$(port_col vif1.0 trunks)" "[]" "BR.10: no trunks"
expect_eq "$(port_col vif2.0 tag)" 10 "BR.10:20:30: tag"
expect_eq "$(port_col vif2.0 trunks)" "[20, 30]" "BR.10:20:30: trunks"
expect_eq "$(port_col vif2.0 vlan_mode)" native-untagged "BR.10:20:30: native-untagged"
expect_eq "$(port_col vif4.0 tag)" "[]" "BR:100:200: no tag"
expect_eq "$(port_col vif4.0 trunks)" "[100, 200]" "BR:100:200: trunks"
expect_eq "$(port_col vif5.0 tag)" 30 "vlan key: PVID is the tag"
expect_eq "$(port_col vif5.0 trunks)" "[40, 41]" "vlan key: the others are trunks"
ping_ok g1 10.0.10.2
ping_ok g2 10.0.10.1
ping_fails g1 10.0.10.3
ping_fails g3 10.0.10.2

# status: port, tag/trunks as asked, ofport, MTU, guard; then a changed tag
out=$(libxl vif-openvswitch status 2 0) || fail "status 2 failed: $out"
case $out in *"native-untagged"*"OpenFlow port"*) ok "status 2 passes" ;;
*) fail "status 2: $out" ;; esac
vsctl set port vif1.0 tag=11
out=$(libxl vif-openvswitch status 1 0) && fail "status 1 passed with tag 11: $out"
case $out in *"tag 11 (asked 10"*) ok "status 1 sees the changed tag" ;;
*) fail "status 1: $out" ;; esac
vsctl set port vif1.0 tag=10

# VLANs out of range, both spellings at once, a second untagged VLAN
guest b1 6 0 ""; xs_vif 6 0 "$GUEST_MAC" bridge=br0.4096
guest b2 7 0 ""; xs_vif 7 0 "$GUEST_MAC" bridge=br0.10 vlan=20
guest b3 8 0 ""; xs_vif 8 0 "$GUEST_MAC" bridge=br0 vlan=10p/20u
guest b4 9 0 ""; xs_vif 9 0 "$GUEST_MAC" bridge='br0.1;reboot'
before=$(snapshot dom0)
for d in 6 7 8 9; do
	libxl vif-openvswitch online $d 0 2>/dev/null && fail "online $d accepted"
	err=$(xs_read backend/vif/$d/0/hotplug-error)
	case $err in *invalid*) ok "online $d refused: $err" ;; *) fail "online $d: $err" ;; esac
done
expect_unchanged dom0 "$before" "refused VLANs"
expect_eq "$(vsctl list-ports br0 | wc -l)" 5 "no port added by a refused online"
pass
