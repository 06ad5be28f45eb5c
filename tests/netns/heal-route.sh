#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-route's record is held against the kernel before it is trusted.
# A record of an earlier boot (the NIC was eth0 then, enp3s0 now; IPv6
# forwarding was on then, off now), with a boot id or without one (an
# older xnet's: eth0 is gone), is logged and forgotten: start records what
# it finds now, and stop puts back exactly that (it used to refuse the
# record, or to put back the earlier boot's values). ip_forward's users
# from an earlier boot are forgotten the same way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

ns_add dom0
ip -n "$(ns dom0)" link add enp3s0 type veth peer name lan0
ip -n "$(ns dom0)" link set enp3s0 up
ip -n "$(ns dom0)" link set lan0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev enp3s0
ip -n "$(ns dom0)" route add default via 192.168.0.1
[ -e "/proc/sys/net/ipv6/conf/all/forwarding" ] || skip "needs IPv6"
in_ns dom0 sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 \
	net.ipv4.conf.enp3s0.proxy_arp=0
values() {
	echo "$(sysctl_of dom0 net/ipv4/ip_forward) $(sysctl_of dom0 net/ipv6/conf/all/forwarding)" \
		"$(sysctl_of dom0 net/ipv4/conf/enp3s0/proxy_arp)"
}
before=$(values)
mkdir -p "$XNET_STATE_DIR"
old=00000000-0000-0000-0000-000000000000
record() {
	printf '# xnet: sysctl values found by start, for stop\n%snet/ipv4/conf/eth0/proxy_arp 0\nnet/ipv6/conf/all/forwarding 1\n' \
		"$1" >"$XNET_STATE_DIR/network-route"
	printf '# ip_forward (xnet): its users, and the value the first found\nboot=%s\norig=1\nuser=network-nat\n' \
		"$old" >"$XNET_STATE_DIR/ip_forward"
}

for boot in "boot $old" ''; do
	record "${boot:+$boot
}"
	nr start netdev=enp3s0 || fail "start over an earlier boot's record ('$boot') exited $?"
	expect_eq "$(values)" "1 1 1" "start: forwarding and proxy ARP on"
	grep -qx "boot $(cat /proc/sys/kernel/random/boot_id)" "$XNET_STATE_DIR/network-route" ||
		fail "the new record does not carry this boot's id"
	grep -q eth0 "$XNET_STATE_DIR/network-route" && fail "the new record still names eth0"
	nr stop || fail "stop exited $?"
	expect_eq "$(values)" "$before" "stop after a stale record ('$boot') puts back what start found"
	[ -e "$XNET_STATE_DIR/network-route" ] && fail "stop left the record"
	[ -e "$XNET_STATE_DIR/ip_forward" ] && fail "stop left ip_forward's record"
done

# stop over an earlier boot's record, no start in this boot: nothing changes
record "boot $old
"
nr stop || fail "stop over an earlier boot's record exited $?"
expect_eq "$(values)" "$before" "stop over a stale record changed nothing"
[ -e "$XNET_STATE_DIR/network-route" ] && fail "the stale record is still there"
pass
