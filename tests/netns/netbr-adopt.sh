#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The default route already sits on a bridge the administrator made (br0,
# with eth0 in it): a bare network-bridge start uses it as it is, status
# says so, stop leaves it alone, and guests join it; asked for another
# bridge, start says why it cannot and changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

host_lab eth0
d="ip -n $(ns dom0)"
$d link add br0 type bridge
$d link set br0 up
$d addr flush dev eth0
$d link set eth0 master br0
$d addr add 192.168.0.3/24 dev br0
$d route add default via 192.168.0.1
ping_ok dom0 192.168.0.1
before=$(nb_snapshot)

nb start || fail "a bare start over the admin's br0 exited $?"
expect_eq "$(nb_snapshot)" "$before" "start used br0 as it is"
out=$(nb status) || { echo "$out"; fail "status exited $?"; }
grep -q "default route is on bridge br0" <<<"$out" || { echo "$out"; fail "status does not say so"; }
ok "status: $(grep 'default route' <<<"$out")"

guest domU 1 0 192.168.0.6/24 192.168.0.1
xs_vif 1 0 "$GUEST_MAC" bridge=br0 ip=192.168.0.6
libxl vif-bridge online 1 0 || fail "vif-bridge online exited $?"
ping_ok domU 192.168.0.1
libxl vif-bridge offline 1 0 || fail "vif-bridge offline exited $?"
before=$(nb_snapshot)

out=$(nb start bridge=xenbr0 2>&1) && fail "start bridge=xenbr0 over br0 succeeded"
case $out in *"default route is on bridge br0"*"netdev="*) ok "refused: $out" ;;
*) fail "the reason: $out" ;; esac
expect_eq "$(nb_snapshot)" "$before" "the refused start changed nothing"

nb stop || fail "a bare stop exited $?"
expect_eq "$(nb_snapshot)" "$before" "stop left the admin's br0 alone"
ping_ok dom0 192.168.0.1
pass
