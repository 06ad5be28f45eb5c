# SPDX-License-Identifier: LGPL-2.1-or-later
# demo (scripts/demo --xen): the bridged set-up on real Xen, narrated:
# XNET-SHOW lines, which run.sh prints as they come with XNET_XEN_SHOW=1.
# shellcheck shell=sh
say() { printf 'XNET-SHOW\nXNET-SHOW == %s\n' "$*"; }
show() { echo "XNET-SHOW # $*"; "$@" 2>&1 | sed 's/^/XNET-SHOW     /'; }
[ -e /run/netns/lan ] || lan_setup
ip netns exec lan nft -f - <<'NFT'
table netdev lab {
	counter from_guest { }
	counter forged_ip { }
	counter forged_mac { }
	chain in {
		type filter hook ingress device lan0 priority 0;
		ip saddr 192.168.0.10 ether saddr 00:16:3e:00:00:10 counter name from_guest
		ip saddr 192.168.0.66 counter name forged_ip
		ether saddr 00:16:3e:66:66:66 counter name forged_mac
	}
}
NFT
say "1. dom0 (Xen 4.17, Linux 6.1 under QEMU): eth0 is cabled to the LAN, 192.168.0.1"
show ip -br addr show eth0
say "2. network-bridge start: eth0 goes under xenbr0, dom0's address and routes with it"
show network-bridge start netdev=eth0 bridge=xenbr0
show ip -br addr show xenbr0
say "3. xl create: libxl runs xnet's vif-bridge for the guest's vif"
guest_cfg d1 "xg.task=bridged xg.ip=192.168.0.10/24 xg.lan=192.168.0.1 xg.lanmac=$LANMAC xg.peer=192.168.0.2" \
	"bridge=xenbr0,ip=192.168.0.10,mac=00:16:3e:00:00:10"
show grep vif /tmp/d1.cfg
show xl create -q /tmp/d1.cfg
show xl list
show ip -br link show master xenbr0
show nft list set bridge xen guarded
say "4. the guest, on its console: pings the LAN and dom0, then sends 20 frames of its own, 20 with a forged source IP, 20 with a forged MAC"
guest_wait d1 90
show grep XG /var/log/xen/console/guest-d1.log
say "5. on the LAN: what arrived"
show ip netns exec lan nft list counters
say "6. xl destroy: the vif, its firewall elements and its record are gone"
show xl destroy d1
show ip -br link show master xenbr0
show nft list set bridge xen guarded
check demo-forged-dropped [ "$(ip netns exec lan nft list counter netdev lab forged_ip | grep -c 'packets 0 ')" = 1 ]
