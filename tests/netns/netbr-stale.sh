#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge's record is held against the kernel before it is trusted:
# one from an earlier boot (the NIC renamed eth0 -> enp3s0 at the reboot,
# no bridge anywhere), or one whose bridge was deleted by hand, is logged
# and forgotten; start and stop then work as on a clean host (they used to
# refuse forever: "bridge xenbr0 was set up for eth0, not enp3s0").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

host_lab enp3s0
mac=$(link_field dom0 enp3s0 address)
before=$(nb_snapshot)
mkdir -p "$XNET_STATE_DIR"
record() {
	printf '# network-bridge start (xnet): what stop undoes\nbridge=xenbr0\nnetdev=eth0\nport=eth0\nnic_up=yes\nantispoof=no\n%s' \
		"$1" >"$XNET_STATE_DIR/network-bridge.xenbr0"
}

# an earlier boot's record, with and without a boot id
for boot in 'boot=00000000-0000-0000-0000-000000000000\n' ''; do
	record "$(printf "$boot")"
	nb start netdev=enp3s0 bridge=xenbr0 || fail "start over an earlier boot's record ($boot) exited $?"
	expect_layout xenbr0 enp3s0 "$mac"
	grep -q "^boot=$(cat /proc/sys/kernel/random/boot_id)$" "$XNET_STATE_DIR/network-bridge.xenbr0" ||
		fail "the new record does not carry this boot's id"
	ok "start over a stale record ($boot): the layout, and a record of this boot"
	nb stop || fail "stop exited $?"
	expect_eq "$(nb_snapshot)" "$before" "stop gave the host back"
done

# stop over a stale record and no bridge: nothing to undo, and no refusal
record 'boot=00000000-0000-0000-0000-000000000000\n'
nb stop || fail "stop over an earlier boot's record exited $?"
[ -e "$XNET_STATE_DIR/network-bridge.xenbr0" ] && fail "the stale record is still there"
expect_eq "$(nb_snapshot)" "$before" "stop over a stale record changed nothing"

# this boot's record, the bridge deleted by hand
nb start netdev=enp3s0 bridge=xenbr0 || fail "start exited $?"
ip -n "$(ns dom0)" link del xenbr0
ip -n "$(ns dom0)" link set enp3s0 up
nb start netdev=enp3s0 bridge=xenbr0 || fail "start after the bridge was deleted by hand exited $?"
expect_eq "$(link_field dom0 enp3s0 master)" xenbr0 "start after the bridge was deleted by hand: enp3s0 is in xenbr0 again"
pass
