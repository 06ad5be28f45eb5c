# SPDX-License-Identifier: LGPL-2.1-or-later
# perf: medians (of 5, the two interleaved) of xl create to a connected vif,
# of xl network-attach and network-detach, and of the script's own wall time
# (online, offline), for a guarded bridged vif, with xnet and with Debian's
# shell scripts (xen-utils-common's vif-bridge, run by bash with iptables),
# same lab, same boot. Run it last: Debian's script loads br_netfilter,
# which sends bridged traffic through iptables.
# shellcheck shell=sh
[ -e /run/netns/lan ] || lan_setup
check perf-bridge network-bridge start netdev=eth0 bridge=xenbr0
# sample NAME SINCE: one measurement, kept in /tmp/perf-NAME
sample() { since "$2" >>"/tmp/perf-$1"; }
median() { sort -n "/tmp/perf-$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# /tmp/timed-IMPL runs the script and keeps its wall time, per command
for impl in xnet debian; do
	real=/etc/xen/scripts/vif-bridge
	[ $impl = debian ] && real=/etc/xen/debian-scripts/vif-bridge
	cat >/tmp/timed-$impl <<SH
#!/bin/sh
t=\$(cut -d" " -f1 /proc/uptime)
$real "\$@"
rc=\$?
awk -v a="\$t" -v b="\$(cut -d" " -f1 /proc/uptime)" 'BEGIN { printf "%.2f\\n", b - a }' >>"/tmp/perf-\$1-$impl"
exit \$rc
SH
	chmod +x /tmp/timed-$impl
done
guest_cfg p0 "xg.task=idle"
xl create -q /tmp/p0.cfg
for i in 1 2 3 4 5; do
	for impl in xnet debian; do
		s=/tmp/timed-$impl
		guest_cfg p "xg.task=idle" "bridge=xenbr0,ip=192.168.0.40,mac=00:16:3e:00:00:40,script=$s"
		t=$(now)
		xl create -q /tmp/p.cfg || result FAIL "perf-create-$impl" "xl create failed"
		sample "create-$impl" "$t"
		connected "$(domid p)" 0 || result FAIL "perf-create-$impl" "not connected"
		xl destroy p
		t=$(now)
		xl network-attach p0 bridge=xenbr0 ip=192.168.0.41 mac=00:16:3e:00:00:41 script="$s" ||
			result FAIL "perf-attach-$impl" "xl network-attach failed"
		sample "attach-$impl" "$t"
		if [ $i = 1 ] && [ $impl = debian ]; then
			result ok perf-debian-iptables-forward "$(iptables -S FORWARD 2>&1 | tr '\n' ' ')"
		fi
		t=$(now)
		xl network-detach p0 00:16:3e:00:00:41 || result FAIL "perf-detach-$impl" "xl network-detach failed"
		sample "detach-$impl" "$t"
	done
done
xl destroy p0
for impl in xnet debian; do
	for m in create attach detach online offline; do
		result ok "perf-$m-$impl" "median $(median "$m-$impl") s of: $(tr '\n' ' ' <"/tmp/perf-$m-$impl")"
	done
done
check perf-no-vif-left no_vif_left
