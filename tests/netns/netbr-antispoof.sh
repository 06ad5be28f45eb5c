#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge start antispoof=yes: the bridge becomes strict, and a guest
# that comes online on it is guarded even without `ip` (by its MAC alone):
# it reaches the LAN with its own MAC, a forged one is dropped. stop lifts
# it: the next guest is unguarded, as the old scripts left guests.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
. "$(dirname "$0")/lib-fw.sh"
lab_init
fw_init

host_lab eth0
nb start antispoof=yes || fail "start antispoof=yes exited $?"
expect_eq "$(elements dom0 bridge | grep '^strict_bridges ')" "strict_bridges xenbr0" \
	"xenbr0 is a strict bridge"

guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0		# no ip
cnt_init lan eth0 "fromguest:ip saddr 192.168.0.6"
libxl vif-bridge online 1 0 || fail "online"
expect_eq "$(elements_of dom0 bridge vif1.0 | cut -d' ' -f1 | sort -u | tr '\n' ' ')" \
	"allowed6 guarded macs open4 open6 " \
	"the guest is guarded by its MAC alone (and its link-local address)"
ping_ok domU 192.168.0.1
drops_before=$(drops dom0)
cnt_reset lan
ip -n "$(ns domU)" link set eth0 address 00:16:3e:66:66:66
in_ns domU ping -c 2 -W 1 192.168.0.1 >/dev/null
expect_never lan fromguest "a frame with a forged MAC"
[ "$(drops dom0)" -gt "$drops_before" ] || fail "our drop counter did not move"
ok "our drop counter counted it"
ip -n "$(ns domU)" link set eth0 address "$GUEST_MAC"
libxl vif-bridge offline 1 0 || fail "offline"
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "offline retired the guest's elements, a sweep removed them"

# an error while asking whether the bridge is strict fails closed: the
# guest is not attached (unguarded) as if the bridge were not strict
libxl vif-bridge online 1 0 XNET_FAIL_AT=strict >/dev/null 2>&1 &&
	fail "online succeeded though the strict check failed"
expect_eq "$(link_field dom0 vif1.0 master)" "" "strict check failed: vif1.0 is on no bridge"
! link_is_up dom0 vif1.0 || fail "strict check failed: vif1.0 is up"
ok "strict check failed: $(xs_read backend/vif/1/0/hotplug-error)"

nb stop || fail "stop exited $?"
expect_eq "$(elements dom0 bridge | grep '^strict_bridges ')" "" "stop lifted the strict bridge"

# a layout made without antispoof, asked for it later: the bridge turns
# strict, and stop lifts it
nb start || fail "start exited $?"
expect_eq "$(elements dom0 bridge | grep '^strict_bridges ')" "" "start alone: not strict"
nb start antispoof=yes || fail "start antispoof=yes on the layout exited $?"
expect_eq "$(elements dom0 bridge | grep '^strict_bridges ')" "strict_bridges xenbr0" \
	"antispoof=yes on a layout already there makes it strict"
nb stop || fail "stop exited $?"
expect_eq "$(elements dom0 bridge | grep '^strict_bridges ')" "" "stop lifted it again"
pass
