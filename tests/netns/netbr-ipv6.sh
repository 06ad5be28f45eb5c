#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# With IPv6 DAD on (as on a real host), the host's IPv6 addresses are usable
# the moment start or stop returns: they move without DAD (the host owned
# them already), keep their own flags (no "nodad" left behind, never
# tentative), and a route with one of them as source moves with its source.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

usable() {	# DEV: both global addresses usable, with their own flags
	local a f
	for a in 2001:db8::3 2001:db8::4; do
		for f in tentative dadfailed nodad; do
			[ -z "$(addr_field dom0 "$1" $a "$f")" ] || fail "$a on $1 is $f"
		done
	done
	expect_eq "$(ip -n "$(ns dom0)" -6 -j route show 2001:db8:5::/64 | jq -r '.[0] | "\(.dev) \(.prefsrc)"')" \
		"$1 2001:db8::4" "the route with source 2001:db8::4 is on $1, source kept"
	in_ns dom0 ping -c 1 -W 2 -I 2001:db8::4 2001:db8::1 >/dev/null || fail "no ping from 2001:db8::4"
	ok "2001:db8::3 and 2001:db8::4 usable on $1 at once"
}

for br in xenbr0 enp3s0; do
	port=enp3s0
	[ $br = enp3s0 ] && port=penp3s0
	host_lab enp3s0
	in_ns dom0 sh -c 'for f in all default enp3s0; do echo 1 > /proc/sys/net/ipv6/conf/$f/accept_dad; done'
	before=$(nb_snapshot)
	nb start bridge=$br || fail "start exited $?"
	usable $br
	expect_eq "$(addrs_of dom0 $port | grep -vc '^fe80')" 0 "$port has no global address"
	nb stop bridge=$br || fail "stop exited $?"
	usable enp3s0
	# a renamed NIC went down and up: its link-local runs DAD again
	nb_unchanged "$before" "start then stop with DAD on ($br)"
	ip netns del "$(ns dom0)"
	ip netns del "$(ns lan)"
done
pass
