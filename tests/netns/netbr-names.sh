#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Both layouts with NIC names the old script's regex mangled: enp3s0,
# eth0.100 (a VLAN-style name on a veth: this kernel has no 8021q), bond0,
# and a 14-byte name whose p<name> is 15 bytes, the most a name can have.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

cycle() {
	local nic=$1 br=$2 port=$1 mac before after
	[ "$br" = "$nic" ] && port=p$nic
	log "netdev=$nic bridge=$br"
	host_lab "$nic"
	mac=$(link_field dom0 "$nic" address)
	before=$(nb_snapshot)
	nb start netdev="$nic" bridge="$br" || fail "start $nic $br exited $?"
	expect_layout "$br" "$port" "$mac"
	expect_lan
	after=$(nb_snapshot)
	nb start netdev="$nic" bridge="$br" || fail "second start exited $?"
	nb_unchanged "$after" "a second start"
	nb stop netdev="$nic" bridge="$br" || fail "stop exited $?"
	nb_unchanged "$before" "start then stop"
	nb stop netdev="$nic" bridge="$br" || fail "second stop exited $?"
	nb_unchanged "$before" "a second stop"
	ip netns del "$(ns dom0)"
	ip netns del "$(ns lan)"
}

cycle eth0.100 xenbr0
cycle enp3s0 enp3s0
cycle bond0 xenbr1
cycle bond0 bond0
cycle enp3s0f1np1v12 enp3s0f1np1v12
pass
