# SPDX-License-Identifier: LGPL-2.1-or-later
# scenario vlan: vif-bridge on a VLAN-aware bridge (Debian's 6.1 kernel
# filters VLANs; the build machine's cannot). xenbrv (vlan_filtering 1)
# has a trunk port, trk, tagged in VLANs 10 and 20, to the namespace vlan
# (trk.10 10.10.0.1, trk.20 10.20.0.1). v1 and v2 (bridge=xenbrv.10)
# reach each other and the trunk's VLAN 10; v3 (bridge=xenbrv.20, in the
# same IP subnet) reaches neither; v4 (bridge=xenbrv.30:10) is a trunk
# port: VLAN 10's broadcasts reach it, tagged, and not v3. No vif keeps
# the bridge's default VLAN 1.
# shellcheck shell=sh
bridge() { /usr/sbin/bridge "$@"; }
modprobe 8021q || result FAIL vlan-modprobe 8021q
ip link add xenbrv type bridge vlan_filtering 1
ip link set xenbrv up
ip netns add vlan
ip link add trk type veth peer name trk netns vlan
ip link set trk master xenbrv up
bridge vlan add dev trk vid 10
bridge vlan add dev trk vid 20
bridge vlan del dev trk vid 1
ip -n vlan link set lo up
ip -n vlan link set trk up
for v in 10 20; do
	ip -n vlan link add link trk name trk.$v type vlan id $v
	ip -n vlan link set trk.$v up
	ip -n vlan addr add 10.$v.0.1/24 dev trk.$v
done
guest_cfg v2 "xg.task=idle xg.ip=10.10.0.12/24" "bridge=xenbrv.10,ip=10.10.0.12,mac=00:16:3e:00:0a:02"
guest_cfg v3 "xg.task=isolated xg.ip=10.10.0.13/24 xg.lan=10.10.0.1 xg.peer=10.10.0.11" \
	"bridge=xenbrv.20,ip=10.10.0.13,mac=00:16:3e:00:0a:03"
guest_cfg v4 "xg.task=idle xg.ip=10.30.0.14/24" "bridge=xenbrv.30:10,ip=10.30.0.14,mac=00:16:3e:00:0a:04"
guest_cfg v1 "xg.task=pair xg.ip=10.10.0.11/24 xg.lan=10.10.0.1 xg.peer=10.10.0.12" \
	"bridge=xenbrv.10,ip=10.10.0.11,mac=00:16:3e:00:0a:01"
for g in v2 v3 v4 v1; do check "vlan-create-$g" xl create -q "/tmp/$g.cfg"; done
# vlans DEV: "VID FLAGS..." a line each, as `bridge vlan show` lists them
vlans() { bridge vlan show dev "$1" | sed '1d; /^$/d' | sed "s/^$1//" | sed 's/^[ \t]*//; s/[ \t]*$//'; }
is_vlans() { [ "$(vlans "$1")" = "$2" ] || { echo "$1: $(vlans "$1" | tr '\n' ';')"; return 1; }; }
d1=$(domid v1) d3=$(domid v3) d4=$(domid v4)
check vlan-v1-connected connected "$d1" 0
check vlan-v1-in-10-only is_vlans "vif$d1.0" "10 PVID Egress Untagged"
check vlan-v3-in-20-only is_vlans "vif$d3.0" "20 PVID Egress Untagged"
check vlan-v4-trunk is_vlans "vif$d4.0" "$(printf '10\n30 PVID Egress Untagged')"
check vlan-v1-guarded guarded bridge "vif$d1.0"
check vlan-status vif-bridge status vif="vif$d1.0" XENBUS_PATH="backend/vif/$d1/0"
guest_wait v1 60 && guest_results vlan v1
guest_wait v3 60 && guest_results vlan v3
# VLAN 10's broadcasts (8 ARP requests from the trunk) reach the trunk
# port v4, tagged, and not v3 on VLAN 20
tx() { cat "/sys/class/net/$1/statistics/tx_packets"; }
a4=$(tx "vif$d4.0") a3=$(tx "vif$d3.0")
ip netns exec vlan arping -c 8 -w 12 -I trk.10 10.10.0.99 >/dev/null 2>&1
n4=$(($(tx "vif$d4.0") - a4)) n3=$(($(tx "vif$d3.0") - a3))
if [ "$n4" -ge 8 ]; then result ok vlan-trunk-port-gets-vlan-10 "$n4"; else result FAIL vlan-trunk-port-gets-vlan-10 "$n4 frames"; fi
if [ "$n3" -lt 8 ]; then result ok vlan-20-gets-no-vlan-10 "$n3"; else result FAIL vlan-20-gets-no-vlan-10 "$n3 frames"; fi
for g in v1 v2 v3 v4; do check "vlan-destroy-$g" xl destroy "$g"; done
sleep 1
check vlan-no-vif-left no_vif_left
check vlan-no-element-left no_element_left
ip netns del vlan
ip link del xenbrv
