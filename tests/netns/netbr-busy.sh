#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge stop refuses while guests' vifs are still on the bridge
# (it would cut them off), names them, and changes nothing; force=yes
# stops all the same; once the guests are gone, a plain stop works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

host_lab eth0
before=$(nb_snapshot)
nb start || fail "start exited $?"
guest domU 1 0 192.168.0.6/24 192.168.0.1
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0
libxl vif-bridge online 1 0 || fail "vif-bridge online exited $?"
ping_ok domU 192.168.0.1

held=$(nb_snapshot)
out=$(nb stop 2>&1) && fail "stop with a guest on the bridge succeeded"
case $out in *"xenbr0 still holds 1 guest interface (vif1.0)"*"force=yes"*) ok "refused: $out" ;;
*) fail "stop's reason: $out" ;; esac
expect_eq "$(nb_snapshot)" "$held" "the refused stop changed nothing"
ping_ok domU 192.168.0.1

nb stop force=yes || fail "stop force=yes exited $?"
expect_eq "$(link_field dom0 xenbr0 ifindex)" "" "force=yes: the bridge is gone"
ping_fails domU 192.168.0.1

# a guest gone before stop: a plain stop works
nb start || fail "start again exited $?"
libxl vif-bridge online 1 0 || fail "vif-bridge online exited $?"
libxl vif-bridge offline 1 0 || fail "vif-bridge offline exited $?"
ip -n "$(ns dom0)" link del vif1.0
nb stop || fail "stop after the guest went exited $?"
expect_eq "$(nb_snapshot)" "$before" "stop gave the host back"
pass
