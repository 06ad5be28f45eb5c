# SPDX-License-Identifier: LGPL-2.1-or-later
# coexist: br_netfilter on (the module the build machine's kernel lacks,
# which Debian's 6.1 has) and an iptables-nft style FORWARD chain of another
# owner, policy drop with one accept: a bridged, guarded guest's traffic
# goes through our guard and, by br_netfilter, through that chain too (its
# counter moves) and reaches the LAN; a spoof is still dropped by ours.
# (tests/netns/fw-coexist.sh covers the rest without br_netfilter.)
# shellcheck shell=sh
[ -e /run/netns/lan ] || lan_setup
ip link show xenbr0 >/dev/null 2>&1 || check coexist-bridge network-bridge start netdev=eth0 bridge=xenbr0
check coexist-br-netfilter modprobe br_netfilter
check coexist-call-iptables sh -c 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables'
nft -f - <<'NFT'
table ip filter {
	chain FORWARD {
		type filter hook forward priority 0; policy drop;
		counter accept comment "theirs"
	}
}
NFT
ip netns exec lan nft -f - <<'NFT'
table netdev coexist {
	counter spoof { }
	chain in {
		type filter hook ingress device lan0 priority 0;
		ip saddr 192.168.0.66 counter name spoof
	}
}
NFT
guest_cfg c1 "xg.task=bridged xg.ip=192.168.0.40/24 xg.lan=192.168.0.1 xg.lanmac=$LANMAC xg.peer=192.168.0.2" \
	"bridge=xenbr0,ip=192.168.0.40,mac=00:16:3e:00:00:40"
check coexist-create xl create -q /tmp/c1.cfg
guest_wait c1 90 && guest_results coexist c1
n=$(nft list chain ip filter FORWARD | sed -n 's/.*packets \([0-9]*\).*/\1/p')
if [ "${n:-0}" -gt 0 ]; then result ok coexist-through-their-forward "$n packets"
else result FAIL coexist-through-their-forward "their FORWARD chain saw nothing: br_netfilter not in the path"; fi
p=$(ip netns exec lan nft list counter netdev coexist spoof | sed -n 's/.*packets \([0-9]*\).*/\1/p')
if [ "$p" = 0 ]; then result ok coexist-no-spoof-arrived; else result FAIL coexist-no-spoof-arrived "$p packets"; fi
check coexist-destroy xl destroy c1
nft delete table ip filter
ip netns exec lan nft delete table netdev coexist
echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables
