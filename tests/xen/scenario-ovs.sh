# SPDX-License-Identifier: LGPL-2.1-or-later
# scenario ovs: vif-openvswitch on Open vSwitch's kernel datapath (the
# openvswitch module: the netns tests only have the userspace one, whose
# packet sockets see a frame before the guard's ingress hook does).
# ovsdb-server and ovs-vswitchd in dom0, where vif-openvswitch looks for
# them (/run/openvswitch/db.sock); ovsbr0 with a port olan0, a veth to the
# namespace olan (192.168.0.1, $LANMAC, and olan0.10 in the namespace
# olan10: 192.168.0.5 on VLAN 10). o1 and o2 (script=vif-openvswitch) on
# ovsbr0; o1 pings the LAN and o2, then sends 20 broadcast frames of its
# own, 20 from a forged IP and 20 from a forged MAC: the LAN (an ingress
# counter in olan) and o2 (an egress counter on o2's vif in dom0) each
# see its own 20 and no forged one. o3 on ovsbr0.10 reaches neither the
# LAN nor o2 (untagged), and VLAN 10 reaches it. xl destroy leaves no port
# but olan0, no vif, no guard chain.
# shellcheck shell=sh
ovs() { ovs-vsctl --timeout=30 "$@"; }
for t in ovsdb-server ovs-vswitchd ovs-vsctl ovsdb-tool; do
	command -v $t >/dev/null ||
		{ result FAIL ovs-image "no $t in dom0 (apt-get install openvswitch-switch on the host)"; exit 1; }
done
# Run first in a boot (~6 s in, under TCG), ovs-vswitchd set up no upcall
# handler ("Overriding n-handler-threads to 0": per-cpu dispatch counted
# no CPU) and forwarded nothing, three times; from 15 s on it had two.
# The cause in dom0 was not found: it starts 15 s after boot at the
# earliest, and a handler count of 0 is named below if it comes back.
while [ "$(cut -d. -f1 /proc/uptime)" -lt 15 ]; do sleep 1; done
mkdir -p /etc/openvswitch /run/openvswitch /var/log/openvswitch
check ovs-modprobe modprobe openvswitch
modprobe 8021q || result FAIL ovs-modprobe-8021q
check ovs-db-create ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
# started as Debian's ovs-ctl would, not captured: --detach keeps no
# descriptor of ours once ready, but a failure's words go to the console
ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock \
	--pidfile=/run/openvswitch/ovsdb-server.pid --log-file=/var/log/openvswitch/ovsdb-server.log \
	--detach --no-chdir -vconsole:off || result FAIL ovs-db-start "ovsdb-server exited $?"
check ovs-db-init ovs --no-wait init
ovs-vswitchd unix:/run/openvswitch/db.sock \
	--pidfile=/run/openvswitch/ovs-vswitchd.pid --log-file=/var/log/openvswitch/ovs-vswitchd.log \
	--detach --no-chdir -vconsole:off || result FAIL ovs-vswitchd-start "ovs-vswitchd exited $?"
check ovs-add-br ovs add-br ovsbr0
handlers() {
	! grep -q "n-handler-threads to 0" /var/log/openvswitch/ovs-vswitchd.log ||
		{ echo "ovs-vswitchd has no upcall handler: it will forward nothing"; return 1; }
}
check ovs-handlers handlers
ip link set ovsbr0 up
# the LAN: untagged in olan, VLAN 10 (the same port, tagged) in olan10
ip netns add olan
ip netns add olan10
ip link add olan0 type veth peer name lan0 netns olan
check ovs-add-lan-port ovs add-port ovsbr0 olan0
ip link set olan0 up
ip -n olan link set lo up
ip -n olan link set lan0 address "$LANMAC" up
ip -n olan addr add 192.168.0.1/24 dev lan0
ip -n olan link add link lan0 name lan0.10 type vlan id 10
ip -n olan link set lan0.10 netns olan10
ip -n olan10 link set lo up
ip -n olan10 link set lan0.10 up
ip -n olan10 addr add 192.168.0.5/24 dev lan0.10
# counters: own (o1's MAC and IP, forge's IP id), forged IP, forged MAC
counters() {
	cat <<NFT
	counter own { }
	counter spoofip { }
	counter spoofmac { }
	counter spoofnd { }
	chain $1 {
		type filter hook $1 device "$2" priority 0;
		ip saddr 192.168.0.66 counter name spoofip
		arp saddr ip 192.168.0.66 counter name spoofip
		ether saddr 00:16:3e:66:66:66 counter name spoofmac
		icmpv6 type nd-neighbor-advert @th,64,128 0xfe800000000000000000000000000001 counter name spoofnd
		ether saddr 00:16:3e:00:01:10 ip saddr 192.168.0.10 ip id 0x7a7a counter name own
	}
NFT
}
printf 'table netdev lab {\n%s\n}\n' "$(counters ingress lan0)" | ip netns exec olan nft -f - ||
	result FAIL ovs-lan-counters "nft -f"

guest_cfg o2 "xg.task=idle xg.ip=192.168.0.11/24" \
	"script=vif-openvswitch,bridge=ovsbr0,ip=192.168.0.11,mac=00:16:3e:00:01:11"
guest_cfg o3 "xg.task=isolated xg.ip=192.168.0.12/24 xg.lan=192.168.0.1 xg.peer=192.168.0.11" \
	"script=vif-openvswitch,bridge=ovsbr0.10,ip=192.168.0.12,mac=00:16:3e:00:01:12"
guest_cfg o1 "xg.task=bridged xg.ip=192.168.0.10/24 xg.lan=192.168.0.1 xg.lanmac=ff:ff:ff:ff:ff:ff xg.peer=192.168.0.11" \
	"script=vif-openvswitch,bridge=ovsbr0,ip=192.168.0.10,mac=00:16:3e:00:01:10"
check ovs-create-o2 xl create -q /tmp/o2.cfg
d2=$(domid o2)
printf 'table netdev lab {\n%s\n}\n' "$(counters egress "vif$d2.0")" | nft -f - ||
	result FAIL ovs-o2-counters "nft -f (egress on vif$d2.0)"
check ovs-create-o3 xl create -q /tmp/o3.cfg
t=$(now)
check ovs-create-o1 xl create -q /tmp/o1.cfg
result ok ovs-create-seconds "$(since "$t")"
d1=$(domid o1) d3=$(domid o3)
port_of() { ovs iface-to-br "$1"; }
is_tag() { [ "$(ovs get port "$1" tag)" = "$2" ] || { echo "tag $(ovs get port "$1" tag)"; return 1; }; }
chained() { nft list chain netdev xen "$1" | grep -q "hook ingress device \"$1\""; }
check ovs-o1-connected connected "$d1" 0
check ovs-o1-port port_of "vif$d1.0"
check ovs-o1-up is_up "vif$d1.0"
check ovs-o1-untagged is_tag "vif$d1.0" "[]"
check ovs-o3-tag-10 is_tag "vif$d3.0" 10
check ovs-o1-guarded chained "vif$d1.0"
check ovs-status vif-openvswitch status vif="vif$d1.0" XENBUS_PATH="backend/vif/$d1/0"
guest_wait o1 60 && guest_results ovs o1
guest_wait o3 60 && guest_results ovs-vlan o3
check ovs-vlan-10-reaches-o3 ip netns exec olan10 ping -c 3 -W 2 192.168.0.12

# lab_counter NS|- NAME: packets of the lab table's counter NAME (- : dom0)
lab_counter() {
	if [ "$1" = - ]; then nft list counter netdev lab "$2"; else ip netns exec "$1" nft list counter netdev lab "$2"; fi |
		sed -n 's/.*packets \([0-9]*\).*/\1/p'
}
for w in olan:lan -:o2; do
	ns=${w%%:*} who=${w#*:}
	p=$(lab_counter "$ns" own)
	if [ "$p" = 20 ]; then result ok "ovs-$who-saw-20-own"; else result FAIL "ovs-$who-saw-20-own" "$p"; fi
	for c in spoofip spoofmac spoofnd; do
		p=$(lab_counter "$ns" $c)
		if [ "$p" = 0 ]; then result ok "ovs-$who-saw-no-$c"; else result FAIL "ovs-$who-saw-no-$c" "$p packets arrived"; fi
	done
done
# what the guard counted (the forged 40 and whatever else it dropped)
drops=$(nft list chain netdev xen "vif$d1.0" | sed -n 's/.*packets \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
if [ "$drops" -ge 40 ]; then result ok ovs-guard-dropped "$drops"; else result FAIL ovs-guard-dropped "$drops packets (40 forged)"; fi
nft delete table netdev lab

# at once: three offlines against the database together
for g in o1 o2 o3; do check "ovs-destroy-$g" xl destroy "$g" & done
wait
sleep 1
only_lan_port() { [ "$(ovs list-ports ovsbr0)" = olan0 ] || { ovs list-ports ovsbr0; return 1; }; }
no_chain_left() { ! nft list table netdev xen 2>/dev/null | grep -q chain; }
check ovs-no-port-left only_lan_port
check ovs-no-vif-left no_vif_left
check ovs-no-chain-left no_chain_left
check ovs-no-element-left no_element_left
check ovs-no-record-left no_record_left
# the daemons' ports, warnings and errors, for the runner's log
for l in /var/log/openvswitch/*.log; do
	grep '|bridge|\||WARN|\||ERR|\||EMER|' "$l" | grep -v '|timeval|' | sed "s|^|LOG $(basename "$l"): |"
done
ovs del-br ovsbr0
for p in ovs-vswitchd ovsdb-server; do kill "$(cat /run/openvswitch/$p.pid)"; done
ip netns del olan10
ip netns del olan
