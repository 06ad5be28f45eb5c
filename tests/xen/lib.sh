# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh: the dom0 side's helpers, sourced by dom0-init and the scenarios.
# shellcheck shell=sh

# busybox sh runs its own applets before PATH: the real tools by path
ip() { /usr/sbin/ip "$@"; }
modprobe() { /usr/sbin/modprobe "$@"; }


# result ok|FAIL NAME [DETAIL...]: one line the host's runner parses
result() {
	r=$1 n=$2
	shift 2
	echo "XNET-RESULT $r $n $*"
}
# check NAME CMD...: ok when CMD succeeds, else FAIL with its output
check() {
	n=$1
	shift
	if o=$("$@" 2>&1); then result ok "$n"; else result FAIL "$n" "$* -> $(echo "$o" | tr '\n' ' ' | cut -c1-300)"; fi
}
# now: seconds since boot, 1/100 s
now() { read -r up _ </proc/uptime && echo "$up"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }'; }

lab_boot() {
	echo 1 >/proc/sys/kernel/printk
	modprobe xenfs && mount -t xenfs xenfs /proc/xen
	for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-netback bridge veth dummy; do
		modprobe "$m" || result FAIL boot "modprobe $m"
	done
	# the kernel's own module requests (nf_tables, for one) go through kmod
	echo /usr/sbin/modprobe >/proc/sys/kernel/modprobe
	case $1 in
	oxenstored) oxenstored --pid-file=/run/xenstored.pid ;;
	*) xenstored --pid-file=/run/xenstored.pid ;;
	esac
	n=0
	until xenstore-read /local >/dev/null 2>&1 || [ $n -gt 50 ]; do sleep 0.2; n=$((n + 1)); done
	xen-init-dom0 >/dev/null 2>&1
	xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
	check "boot-$1" xl list
	ip link set lo up
}

# lan_setup: eth0 is dom0's NIC; its far end lan0 is "the LAN", in the
# namespace lan (192.168.0.1, MAC 02:00:00:00:00:01); dom0 is 192.168.0.2
lan_setup() {
	ip netns add lan
	ip link add eth0 type veth peer name lan0 netns lan
	ip -n lan link set lo up
	ip -n lan link set lan0 address 02:00:00:00:00:01 up
	ip -n lan addr add 192.168.0.1/24 dev lan0
	ip addr add 192.168.0.2/24 dev eth0
	ip link set eth0 up
	ip route add default via 192.168.0.1
}
export LANMAC=02:00:00:00:00:01

# guest_cfg NAME XG-ARGS [VIF...]: write /tmp/NAME.cfg, a PV guest of the lab
guest_cfg() {
	name=$1 args=$2
	shift 2
	vifs=
	for v in "$@"; do vifs="$vifs${vifs:+, }'$v'"; done
	cat >"/tmp/$name.cfg" <<CFG
name = "$name"
type = "pv"
kernel = "/lab/vmlinux"
ramdisk = "/lab/guest.cpio"
extra = "console=hvc0 loglevel=1 $args"
memory = 160
vcpus = 1
vif = [ $vifs ]
on_crash = "destroy"
CFG
}
# guest_wait NAME SECONDS [MARK]: wait for MARK (XG-DONE) on the guest's console
guest_wait() {
	n=0
	while ! grep -q "${3:-XG-DONE}" "/var/log/xen/console/guest-$1.log" 2>/dev/null; do
		[ $n -ge $(($2 * 5)) ] && { result FAIL "$1-console" "no ${3:-XG-DONE} in $2 s"; return 1; }
		sleep 0.2
		n=$((n + 1))
	done
}
# guest_results PREFIX NAME: the guest's XG lines as results
guest_results() {
	grep '^XG \(ok\|FAIL\) ' "/var/log/xen/console/guest-$2.log" | tr -d '\r' |
	while read -r _ r n d; do result "$r" "$1-$n" "$d"; done
}
# domid NAME: the guest's domain id (its vifs are vifDOMID.DEVID)
domid() { xl domid "$1" 2>/dev/null; }

# lab_logs: what the hotplug programs logged, for the runner's log
lab_logs() {
	for f in /var/log/xen/xen-hotplug.log /var/log/xen/xl-*.log; do
		[ -f "$f" ] && sed "s|^|LOG $(basename "$f"): |" "$f"
	done
	for f in /var/log/xen/console/guest-*.log; do
		b=$(basename "$f")
		[ -f "$f" ] && tr -d "\r" <"$f" | sed "s|^|LOG $b: |"
	done
}

# the state checks the scenarios make
enslaved() { ip -o link show "$1" | grep -q "master $2 "; }
is_up() { ip -o link show "$1" | grep -q "[<,]UP[,>]"; }
has_addr() { ip -o addr show "$1" | grep -q " $2 "; }
# hotplug_status DOMID DEVID: backend's hotplug-status
hotplug_status() { xenstore-read "backend/vif/$1/$2/hotplug-status" 2>/dev/null; }
connected() { [ "$(hotplug_status "$1" "$2")" = connected ]; }
guarded() { nft list set "$1" xen guarded 2>/dev/null | grep -q "\"$2\""; }
no_vif_left() { ! ip -o link show | grep -q " vif[0-9]"; }
# no element of a live vif: offline retires a vif's elements (keyed by its
# index and name, they match nothing once netback removed it) and a later
# sweep deletes them; one of a vif that still exists is a leak
no_element_left() {
	for v in $(nft list ruleset 2>/dev/null | grep -o '"vif[0-9][0-9.]*"' | tr -d '"' | sort -u); do
		ip link show dev "$v" >/dev/null 2>&1 && { echo "element of $v, which exists"; return 1; }
	done
	return 0
}
no_record_left() {
	# the lock files stay, empty: they are no record of a vif
	for f in /run/xnet/*vif*; do
		case $f in *.lock) continue ;; esac
		[ -e "$f" ] && { echo "$f:"; cat "$f"; return 1; }
	done
	return 0
}
# lan_counter NAME: packets of the LAN's nft counter NAME
lan_counter() { ip netns exec lan nft list counter netdev lab "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
