# SPDX-License-Identifier: LGPL-2.1-or-later
# scenario 5, failing online: nf_tables cannot be loaded (the kernel's
# modprobe is /bin/false and no nft module is loaded yet: run this first),
# so a vif with ip= cannot get its guard. xl create must leave no domain and
# no vif; xl network-attach must fail with a hotplug-error naming nftables,
# leave the vif down and on no bridge, and not one frame of the guest's
# (plain, forged IP, forged MAC) may reach the LAN, whose link sees nothing
# else (IPv6 off on it, no STP).
# shellcheck shell=sh
echo /bin/false >/proc/sys/kernel/modprobe
if grep -q '^nf_tables ' /proc/modules; then result FAIL fail-precondition "nf_tables is loaded: run fail first"; fi
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
[ -e /run/netns/lan ] || lan_setup
echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6
ip netns exec lan sh -c 'echo 1 >/proc/sys/net/ipv6/conf/lan0/disable_ipv6'
check fail-bridge-start network-bridge start netdev=eth0 bridge=xenbr0
refused() { ! "$@"; }
lan_rx() { ip netns exec lan cat /sys/class/net/lan0/statistics/rx_packets; }

guest_cfg f1 "xg.task=idle" "bridge=xenbr0,ip=192.168.0.20,mac=00:16:3e:00:00:20"
check fail-create-refused refused xl create -q /tmp/f1.cfg
check fail-create-no-domain refused xl domid f1
check fail-create-no-vif no_vif_left

guest_cfg f2 "xg.task=fail xg.ip=192.168.0.21/24 xg.lan=192.168.0.1 xg.lanmac=$LANMAC"
check fail-create-f2 xl create -q /tmp/f2.cfg
d=$(domid f2)
rx=$(lan_rx)
check fail-attach-refused refused xl network-attach f2 bridge=xenbr0 ip=192.168.0.21 mac=00:16:3e:00:00:21
e=$(xenstore-read "backend/vif/$d/0/hotplug-error" 2>/dev/null)
result ok fail-attach-hotplug-error-is "$e"
check fail-attach-status-error [ "$(hotplug_status "$d" 0)" = error ]
case $e in
*nftables*) result ok fail-attach-error-names-nftables ;;
*) result FAIL fail-attach-error-names-nftables "$e" ;;
esac
if ip link show "vif$d.0" >/dev/null 2>&1; then
	check fail-attach-vif-down refused is_up "vif$d.0"
	check fail-attach-vif-on-no-bridge refused sh -c "/usr/sbin/ip -o link show vif$d.0 | grep -q master"
fi
guest_wait f2 60 && guest_results fail f2
n=$(($(lan_rx) - rx))
if [ $n = 0 ]; then result ok fail-lan-saw-nothing; else result FAIL fail-lan-saw-nothing "$n frames reached the LAN"; fi
check fail-destroy xl destroy f2
sleep 1
check fail-no-vif-left no_vif_left
echo /usr/sbin/modprobe >/proc/sys/kernel/modprobe
echo 0 >/proc/sys/net/ipv6/conf/default/disable_ipv6
