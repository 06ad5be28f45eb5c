# SPDX-License-Identifier: LGPL-2.1-or-later
# scenario 1, bridged: network-bridge start puts eth0 (the LAN's uplink)
# under xenbr0; two guests with ip= on it; b1 pings the LAN and b2, then
# sends a forged source IP, a forged source MAC and neighbour adverts
# claiming the router's link-local address, which the LAN's counters must
# not see; xl destroy leaves no vif, no firewall element, no record.
# shellcheck shell=sh
[ -e /run/netns/lan ] || lan_setup
ip netns exec lan nft -f - <<'NFT'
table netdev lab {
	counter forged { }
	counter spoofip { }
	counter spoofmac { }
	counter spoofnd { }
	chain in {
		type filter hook ingress device lan0 priority 0;
		ip saddr 192.168.0.66 counter name spoofip
		arp saddr ip 192.168.0.66 counter name spoofip
		ether saddr 00:16:3e:66:66:66 counter name spoofmac
		icmpv6 type nd-neighbor-advert @th,64,128 0xfe800000000000000000000000000001 counter name spoofnd
		ether saddr 00:16:3e:00:00:10 ip saddr 192.168.0.10 ip id 0x7a7a counter name forged
	}
}
NFT
check bridged-start network-bridge start netdev=eth0 bridge=xenbr0
check bridged-uplink-enslaved enslaved eth0 xenbr0
check bridged-address-moved has_addr xenbr0 192.168.0.2/24
check bridged-dom0-reaches-lan ping -c 1 -W 2 192.168.0.1
guest_cfg b2 "xg.task=idle xg.ip=192.168.0.11/24" "bridge=xenbr0,ip=192.168.0.11,mac=00:16:3e:00:00:11"
check bridged-create-b2 xl create -q /tmp/b2.cfg
guest_cfg b1 "xg.task=bridged xg.ip=192.168.0.10/24 xg.lan=192.168.0.1 xg.lanmac=$LANMAC xg.peer=192.168.0.11" \
	"bridge=xenbr0,ip=192.168.0.10,mac=00:16:3e:00:00:10"
t=$(now)
check bridged-create-b1 xl create -q /tmp/b1.cfg
result ok bridged-create-seconds "$(since "$t")"
d=$(domid b1)
check bridged-vif-connected connected "$d" 0
check bridged-vif-enslaved enslaved "vif$d.0" xenbr0
check bridged-vif-up is_up "vif$d.0"
check bridged-vif-guarded guarded bridge "vif$d.0"
guest_wait b1 60 && guest_results bridged b1
p=$(lan_counter forged)
if [ "$p" = 20 ]; then result ok bridged-lan-saw-20-good-forged; else result FAIL bridged-lan-saw-20-good-forged "$p"; fi
for c in spoofip spoofmac spoofnd; do
	p=$(lan_counter $c)
	if [ "$p" = 0 ]; then result ok "bridged-lan-saw-no-$c"; else result FAIL "bridged-lan-saw-no-$c" "$p packets arrived"; fi
done
check bridged-destroy xl destroy b1
check bridged-destroy-b2 xl destroy b2
sleep 1
check bridged-no-vif-left no_vif_left
check bridged-no-element-left no_element_left
check bridged-no-record-left no_record_left
ip netns exec lan nft delete table netdev lab
