# SPDX-License-Identifier: LGPL-2.1-or-later
# flood: the guest floods frames (its own, a forged source IP, a forged MAC)
# from the moment its eth0 exists while xl network-attach brings the vif
# online: its own must get through once the vif is connected, and not one
# forged frame, even in the instant between the vif going up and its guard
# (the firewall elements must exist before the vif is enslaved or up), nor
# while online runs again on the connected vif.
# shellcheck shell=sh
[ -e /run/netns/lan ] || lan_setup
check flood-bridge network-bridge start netdev=eth0 bridge=xenbr0
ip netns exec lan nft -f - <<'NFT'
table netdev flood {
	counter own { }
	counter spoofip { }
	counter spoofmac { }
	chain in {
		type filter hook ingress device lan0 priority 0;
		ether saddr 00:16:3e:00:00:50 ip saddr 192.168.0.50 ip id 0x7a7a counter name own
		ip saddr 192.168.0.66 counter name spoofip
		ether saddr 00:16:3e:66:66:66 counter name spoofmac
	}
}
NFT
guest_cfg fl "xg.task=flood xg.ip=192.168.0.50/24 xg.lan=192.168.0.1 xg.lanmac=$LANMAC"
check flood-create xl create -q /tmp/fl.cfg
guest_wait fl 60 XG-WAITING
check flood-attach xl network-attach fl bridge=xenbr0 ip=192.168.0.50 mac=00:16:3e:00:00:50
# and online again by hand, as an administrator or a toolstack retry would,
# while the connected guest still floods
d=$(domid fl)
for i in 1 2 3; do
	check "flood-reonline-$i" env vif="vif$d.0" XENBUS_PATH="backend/vif/$d/0" vif-bridge online
done
guest_wait fl 120 && guest_results flood fl
c() { ip netns exec lan nft list counter netdev flood "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
p=$(c own)
if [ "${p:-0}" -gt 0 ]; then result ok flood-own-frames-arrived "$p"; else result FAIL flood-own-frames-arrived "none: the flood missed the connected vif"; fi
for n in spoofip spoofmac; do
	p=$(c $n)
	if [ "$p" = 0 ]; then result ok "flood-lan-saw-no-$n"; else result FAIL "flood-lan-saw-no-$n" "$p forged frames arrived"; fi
done
check flood-destroy xl destroy fl
ip netns exec lan nft delete table netdev flood
