# SPDX-License-Identifier: LGPL-2.1-or-later
# scenario 3, NAT: network-nat start (dhcp=yes) on eth2, whose far end is
# the namespace wan (172.30.0.1); dnsmasq serves the files network-nat and
# vif-nat keep; a vif-nat guest takes its address by DHCP and reaches wan,
# which sees dom0's address (masquerade); destroy and stop leave nothing.
# shellcheck shell=sh
ip netns add wan
ip link add eth2 type veth peer name wan0 netns wan
ip -n wan link set lo up
ip -n wan link set wan0 up
ip -n wan addr add 172.30.0.1/24 dev wan0
ip addr add 172.30.0.2/24 dev eth2
ip link set eth2 up
ip netns exec wan nft -f - <<'NFT'
table inet lab {
	counter masq { }
	counter leak { }
	chain in {
		type filter hook input priority 0;
		ip saddr 172.30.0.2 icmp type echo-request counter name masq
		ip saddr 10.0.0.0/16 counter name leak
	}
}
NFT
check nat-start network-nat start netdev=eth2 dhcp=yes
check nat-masquerade sh -c "nft list set inet xen nat_uplinks | grep -q eth2"
mkdir -p /run/dnsmasq
check nat-dnsmasq dnsmasq --port=0 --user=root --group=root --pid-file=/run/dnsmasq/dnsmasq.pid \
	--dhcp-range=10.0.0.0,static,255.255.0.0 --dhcp-hostsfile=/run/xnet/dnsmasq-hosts \
	--dhcp-optsfile=/run/xnet/dnsmasq-opts --dhcp-leasefile=/run/dnsmasq/leases --log-dhcp --log-facility=/var/log/xen/dnsmasq.log
guest_cfg n1 "xg.task=dhcp xg.lan=172.30.0.1" "script=vif-nat,ip=10.0.0.1,mac=00:16:3e:00:00:60"
t=$(now)
check nat-create xl create -q /tmp/n1.cfg
result ok nat-create-seconds "$(since "$t")"
d=$(domid n1)
v=vif$d.0
check nat-vif-connected connected "$d" 0
check nat-vif-router-address has_addr "$v" 10.0.0.128/32
check nat-dhcp-entry grep -q 00:16:3e:00:00:60 /run/xnet/dnsmasq-hosts
guest_wait n1 90 && guest_results nat n1
check nat-guest-got-10.0.0.1 grep -q 'XG ok dhcp 10.0.0.1/16' "/var/log/xen/console/guest-n1.log"
wan_counter() { ip netns exec wan nft list counter inet lab "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
check nat-wan-saw-dom0-address [ "$(wan_counter masq)" -gt 0 ]
check nat-wan-saw-no-guest-address [ "$(wan_counter leak)" = 0 ]
check nat-destroy xl destroy n1
sleep 1
check nat-no-dhcp-entry-left sh -c '! grep -q 00:16:3e:00:00:60 /run/xnet/dnsmasq-hosts'
check nat-no-route-left sh -c '! /usr/sbin/ip route show | grep -q "10.0.0.1 "'
check nat-no-vif-left no_vif_left
check nat-no-element-left no_element_left
check nat-no-record-left no_record_left
kill "$(cat /run/dnsmasq/dnsmasq.pid)"
check nat-stop network-nat stop netdev=eth2
check nat-no-masquerade-left sh -c "! nft list set inet xen nat_uplinks | grep -q eth2"
