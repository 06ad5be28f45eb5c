#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The other cases of network-bridge: a NIC that is down, no default route
# (netdev is eth0), a bridge start did not make (stop leaves it alone),
# stop for another NIC than start's, a bridge deleted by hand after start,
# and runs at the same time (the lock).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

reset() { ip netns del "$(ns dom0)"; ip netns del "$(ns lan)"; }

# 1. the NIC is down (and so is its default route): start brings it up in
# the bridge, stop down again
host_lab enp3s0
ip -n "$(ns dom0)" link set enp3s0 down
before=$(nb_snapshot)
nb start netdev=enp3s0 || fail "start exited $?"
link_is_up dom0 enp3s0 || fail "enp3s0 is down"
expect_eq "$(link_field dom0 enp3s0 master)" xenbr0 "a NIC that was down is up in xenbr0"
expect_eq "$(addrs_of dom0 xenbr0 | grep -c '^192.168.0.3/24')" 1 "its address is on xenbr0"
nb stop netdev=enp3s0 || fail "stop exited $?"
nb_unchanged "$before" "start then stop of a NIC that was down"
reset

# 2. no default route: netdev is eth0
host_lab eth0
ip -n "$(ns dom0)" route del default
ip -n "$(ns dom0)" -6 route del default
before=$(nb_snapshot)
nb start || fail "start exited $?"
expect_eq "$(link_field dom0 eth0 master)" xenbr0 "without a default route, eth0 goes in xenbr0"
nb stop || fail "stop exited $?"
nb_unchanged "$before" "a bare start then a bare stop without a default route"
reset

# 3. a bridge an administrator made, with the NIC in it: stop leaves it
host_lab enp3s0
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link set enp3s0 master xenbr0
before=$(nb_snapshot)
nb stop 2>/dev/null && fail "stop of a bridge start did not make exited 0"
nb_unchanged "$before" "stop of a bridge start did not make"
nb start || fail "start with the layout there exited $?"
nb_unchanged "$before" "start with the layout there already"
reset

# 4. stop for another NIC than the one start put in the bridge
host_lab enp3s0
nb start || fail "start exited $?"
ip -n "$(ns dom0)" link add eth9 type veth peer name eth9p
before=$(nb_snapshot)
nb stop netdev=eth9 2>/dev/null && fail "stop netdev=eth9 exited 0"
nb_unchanged "$before" "stop for the wrong NIC"
nb stop || fail "stop exited $?"
reset

# 5. the bridge deleted by hand: stop gives the NIC its name back
host_lab enp3s0
nb start bridge=enp3s0 || fail "start exited $?"
ip -n "$(ns dom0)" link del enp3s0
nb stop bridge=enp3s0 || fail "stop after the bridge went exited $?"
expect_eq "$(link_field dom0 enp3s0 master)" "" "enp3s0 has its name back, in no bridge"
link_is_up dom0 enp3s0 || fail "enp3s0 is down"
before=$(nb_snapshot)
nb stop bridge=enp3s0 || fail "a second stop exited $?"
nb_unchanged "$before" "a second stop"
reset

# 6. runs at the same time wait for each other
host_lab enp3s0
mac=$(link_field dom0 enp3s0 address)
nb start & p1=$!
nb start & p2=$!
nb start netdev=enp3s0 bridge=xenbr0 & p3=$!
wait $p1 || fail "a concurrent start failed"
wait $p2 || fail "a concurrent start failed"
wait $p3 || fail "a concurrent start failed"
expect_layout xenbr0 enp3s0 "$mac"
nb stop netdev=enp3s0 & p1=$!
nb stop netdev=enp3s0 & p2=$!
wait $p1 || fail "a concurrent stop failed"
wait $p2 || fail "a concurrent stop failed"
link_exists dom0 xenbr0 && fail "xenbr0 is still there"
ok "concurrent stops: xenbr0 is gone"
expect_lan
pass
