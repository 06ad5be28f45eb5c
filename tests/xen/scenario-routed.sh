# SPDX-License-Identifier: LGPL-2.1-or-later
# scenario 2, routed: network-route start on eth1, whose far end is the
# namespace far (10.9.0.1, fd00:9::1); a guest with vif-route and an IPv4
# and an IPv6 address on the far side's own prefix reaches it (proxy ARP
# and NDP); xl destroy removes its routes, proxy entries and records.
# shellcheck shell=sh
ip netns add far
ip link add eth1 type veth peer name far0 netns far
ip -n far link set lo up
ip -n far link set far0 up
ip -n far addr add 10.9.0.1/24 dev far0
ip -n far addr add fd00:9::1/64 dev far0 nodad
ip addr add 10.9.0.2/24 dev eth1
ip addr add fd00:9::2/64 dev eth1 nodad
ip link set eth1 up
check routed-start network-route start netdev=eth1
check routed-forwarding [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
check routed-proxy-arp [ "$(cat /proc/sys/net/ipv4/conf/eth1/proxy_arp)" = 1 ]
guest_cfg r1 "xg.task=routed xg.ip=10.9.0.50/24 xg.ip6=fd00:9::50/128 xg.lan=10.9.0.1 xg.peer=fd00:9::1" \
	"script=vif-route,ip=10.9.0.50 fd00:9::50,gatewaydev=eth1,mac=00:16:3e:00:00:50"
t=$(now)
check routed-create xl create -q /tmp/r1.cfg
result ok routed-create-seconds "$(since "$t")"
d=$(domid r1)
v=vif$d.0
check routed-vif-connected connected "$d" 0
check routed-vif-up is_up "$v"
check routed-vif-main-ip has_addr "$v" 10.9.0.2/32
check routed-route4 sh -c "/usr/sbin/ip -4 route show 10.9.0.50 | grep -q 'dev $v'"
check routed-route6 sh -c "/usr/sbin/ip -6 route show fd00:9::50 | grep -q 'dev $v'"
check routed-proxy-ndp sh -c "/usr/sbin/ip -6 neigh show proxy | grep -q 'fd00:9::50 dev eth1'"
check routed-vif-guarded guarded inet "$v"
guest_wait r1 60 && guest_results routed r1
check routed-destroy xl destroy r1
sleep 1
check routed-no-route-left sh -c "! /usr/sbin/ip route show | grep -q 10.9.0.50"
check routed-no-route6-left sh -c "! /usr/sbin/ip -6 route show | grep -q fd00:9::50"
check routed-no-proxy-left sh -c "! /usr/sbin/ip -6 neigh show proxy | grep -q fd00:9::50"
check routed-no-vif-left no_vif_left
check routed-no-element-left no_element_left
check routed-no-record-left no_record_left
check routed-stop network-route stop netdev=eth1
