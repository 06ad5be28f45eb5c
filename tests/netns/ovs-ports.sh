#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-openvswitch: a vif and a tap become ports of an Open vSwitch bridge
# with their external_ids (a VM name with a space), MAC and MTU; guests
# ping each other; offline removes the port; dry run changes nothing.
#
#   domA (10.0.0.1) --vif1.0--+ [dom0: br0, userspace datapath] +--vif2.0-- domB (10.0.0.2)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ovs.sh"
lab_init
ns_add dom0
ovs_init
ovs_bridge br0 9000

guest domA 1 0 10.0.0.1/24; MAC_A=$GUEST_MAC
guest domB 2 0 10.0.0.2/24
xs_vif 1 0 "$MAC_A" bridge=br0
xs_vif 2 0 "$GUEST_MAC" bridge=br0 mtu=1400
xs_write /local/domain/1/vm /vm/1111-aa /vm/1111-aa/name "my vm" /vm/1111-aa/uuid 1111-aa

before=$(snapshot dom0)
out=$(libxl vif-openvswitch online 1 0 dry_run=yes) || fail "dry run exited $?"
case $out in *'"op":"insert","table":"Port"'*) ok "dry run prints the transaction" ;;
*) fail "dry run printed: $out" ;; esac
expect_eq "$(vsctl list-ports br0)" "" "dry run added no port"
expect_unchanged dom0 "$before" "dry run"

# a vif-post.d hook sees the bridge xenstore names (the driver reads it,
# as vif-bridge's does: it once saw only bridge= from the command line)
mkdir -p "$XNET_HOOK_DIR"
printf '#!/bin/sh\necho "$command $dev $bridge" >> %s/hook.out\n' "$T" > "$XNET_HOOK_DIR/10-log.hook"
chmod +x "$XNET_HOOK_DIR/10-log.hook"
libxl vif-openvswitch online 1 0 || fail "online 1 exited $?: $(xs_read backend/vif/1/0/hotplug-error)"
expect_eq "$(cat "$T/hook.out")" "online vif1.0 br0" "a hook sees the vif's bridge"
rm "$XNET_HOOK_DIR/10-log.hook"
libxl vif-openvswitch online 2 0 || fail "online 2 exited $?: $(xs_read backend/vif/2/0/hotplug-error)"
expect_eq "$(vsctl list-ports br0 | tr '\n' ' ')" "vif1.0 vif2.0 " "ports of br0"
expect_eq "$(iface_col vif1.0 external_ids:xen-vm-name)" '"my vm"' "xen-vm-name with a space"
expect_eq "$(iface_col vif1.0 external_ids:xen-vm-uuid)" '"1111-aa"' "xen-vm-uuid"
expect_eq "$(iface_col vif1.0 external_ids:attached-mac)" "\"$MAC_A\"" "attached-mac"
[ "$(iface_col vif1.0 ofport)" -gt 0 ] || fail "vif1.0 has no ofport"
ok "vif1.0 has an ofport"
expect_eq "$(port_col vif1.0 tag)" "[]" "no tag"
link_is_up dom0 vif1.0 || fail "vif1.0 is not up"
expect_eq "$(link_field dom0 vif1.0 address)" fe:ff:ff:ff:ff:ff "vif1.0 MAC"
expect_eq "$(link_field dom0 vif1.0 mtu)" 9000 "vif1.0 takes the bridge's MTU"
expect_eq "$(link_field dom0 vif2.0 mtu)" 1400 "vif2.0 takes xenstore's mtu"
expect_eq "$(iface_col vif1.0 mtu_request)" 9000 "mtu_request"
expect_eq "$(xs_read /local/domain/1/device/vif/0/mtu)" 9000 "frontend 1 told 9000"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"
ip -n "$(ns domA)" link set eth0 mtu 1400
ping_ok domA 10.0.0.2
ping_ok domB 10.0.0.1

# the emulated NIC's tap: add/remove with type_if=tap
ip -n "$(ns dom0)" link add vif1.0-emu type veth peer name tapend
libxl vif-openvswitch add 1 0 || fail "add (tap) exited $?"
expect_eq "$(vsctl port-to-br vif1.0-emu)" br0 "the tap is a port of br0"
libxl vif-openvswitch remove 1 0 || fail "remove (tap) exited $?"
vsctl port-to-br vif1.0-emu >/dev/null 2>&1 && fail "the tap is still a port"
ok "remove deleted the tap's port"

# online again: the port is replaced, not duplicated
libxl vif-openvswitch online 1 0 || fail "second online exited $?"
expect_eq "$(vsctl list-ports br0 | tr '\n' ' ')" "vif1.0 vif2.0 " "ports after a second online"

libxl vif-openvswitch offline 1 0 || fail "offline exited $?"
expect_eq "$(vsctl list-ports br0 | tr '\n' ' ')" "vif2.0 " "offline deleted vif1.0's port"
link_is_up dom0 vif1.0 && fail "vif1.0 still up after offline"
ok "vif1.0 is down"
libxl vif-openvswitch offline 1 0 || fail "a second offline (no port) exited $?"
ok "offline with no port is fine"
grep -q "online vif1.0: ok" "$XNET_HOTPLUG_LOG" || fail "no online line in the hotplug log"
ok "hotplug log"
pass
