#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An HVM guest's emulated NIC: libxl runs `add type_if=tap` for vifD.N-emu.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0 hvm
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link set xenbr0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev xenbr0
ip -n "$(ns dom0)" link add vif4.0-emu type veth peer name eth0 netns "$(ns hvm)"
ip -n "$(ns hvm)" link set eth0 up
ip -n "$(ns hvm)" addr add 192.168.0.9/24 dev eth0
xs_vif 4 0 00:16:3e:00:04:00 bridge=xenbr0 type=vif_ioemu

before=$(xs_read /local/domain/4/device/vif/0/mtu)
# online with type_if=tap is not for a tap: nothing happens
in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/4/0 INTERFACE=vif4.0-emu vif=vif4.0 \
	"${XENV[@]}" "$BIN/vif-bridge" online type_if=tap || fail "online tap"
expect_eq "$(link_field dom0 vif4.0-emu master)" "" "online type_if=tap leaves the tap alone"

libxl vif-bridge add 4 0 || fail "add"
expect_eq "$(link_field dom0 vif4.0-emu master)" xenbr0 "tap joined xenbr0"
link_is_up dom0 vif4.0-emu || fail "tap not up"
expect_eq "$(link_field dom0 vif4.0-emu address)" fe:ff:ff:ff:ff:ff "tap MAC"
ping_ok dom0 192.168.0.9
expect_eq "$(xs_read backend/vif/4/0/hotplug-status)" "" "a tap run writes no hotplug-status"
expect_eq "$(xs_read /local/domain/4/device/vif/0/mtu)" "$before" "a tap run leaves the frontend mtu"

libxl vif-bridge remove 4 0 || fail "remove"
expect_eq "$(link_field dom0 vif4.0-emu master)" "" "tap left xenbr0"
link_is_up dom0 vif4.0-emu && fail "tap still up"
ok "tap is down"

# With vifname, the tap becomes <vifname>-emu.
xs_write backend/vif/4/0/vifname win0
libxl vif-bridge add 4 0 || fail "add with vifname"
link_exists dom0 win0-emu || fail "tap not renamed to win0-emu"
expect_eq "$(link_field dom0 win0-emu master)" xenbr0 "win0-emu joined xenbr0"
libxl vif-bridge remove 4 0 || fail "remove with vifname"
expect_eq "$(link_field dom0 win0-emu master)" "" "win0-emu left xenbr0"
pass
