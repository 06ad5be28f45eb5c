#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-bridge fails closed: a failure at any step of online (vif, with and
# without vifname) or add (tap) leaves the vif down, off the bridge, with no
# element or record of the run's; without nftables a guarded vif is refused
# with the setting that waives the guard; the guard is in place before the
# vif is enslaved and up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-failclosed.sh"
lab_init

bridged_lab 192.168.0.3/24
guest domU 1 0 192.168.0.6/24
ip -n "$(ns dom0)" link set vif1.0 address fe:ff:ff:ff:ff:ff
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
ip -n "$(ns dom0)" link add vif1.0-emu type veth peer name tap1 netns "$(ns domU)"
ip -n "$(ns dom0)" link set vif1.0-emu address fe:ff:ff:ff:ff:ff
# (up once, so that its qdisc is the one a later up leaves)
ip -n "$(ns dom0)" link set vif1.0-emu up
ip -n "$(ns dom0)" link set vif1.0-emu down

# the tables exist from a first cycle: a failed run then changes nothing at all
libxl vif-bridge online 1 0 verbose=yes >"$T/trace" || fail "online exited $?"
guard_first "$T/trace"
ping_ok domU 192.168.0.1
libxl vif-bridge offline 1 0 || fail "offline exited $?"
# offline retired vif1.0's elements; a rollback deletes at once: sweep them
in_ns dom0 env XNET_STATE_DIR="$XNET_STATE_DIR" "$top_builddir/tests/fw/fw-tool" sweep ||
	fail "sweep"

for step in down rename guard attach mtu report nft; do
	fail_at vif-bridge online 1 0 "$step" vif1.0
done
grep -q 'antispoof=no' <<<"$(xs_read backend/vif/1/0/hotplug-error)" ||
	fail "no nftables: the error does not name antispoof=no"
ok "no nftables: $(xs_read backend/vif/1/0/hotplug-error)"
ping_fails domU 192.168.0.1

xs_write backend/vif/1/0/vifname web
for step in rename guard attach mtu report; do
	fail_at vif-bridge online 1 0 "$step" vif1.0
done
link_exists dom0 web && fail "the vifname rename was not undone"
for step in down rename guard attach mtu; do
	fail_at vif-bridge add 1 0 "$step" vif1.0-emu
done
xenstore-rm backend/vif/1/0/vifname

# /run full: the record cannot be written
mkdir "$T/full"
mount -t tmpfs -o size=64k tmpfs "$T/full" || fail "mount tmpfs"
dd if=/dev/zero of="$T/full/fill" bs=4k count=64 2>/dev/null
fail_at vif-bridge online 1 0 none vif1.0 XNET_STATE_DIR="$T/full/xnet"
umount "$T/full"

# a step the kernel refuses (a bridge cannot be a bridge's port): the
# hotplug-error carries the kernel's own reason (extended ack)
ip -n "$(ns dom0)" link add vif5.0 type bridge
ip -n "$(ns dom0)" link set vif5.0 address fe:ff:ff:ff:ff:ff
ip -n "$(ns dom0)" link set vif5.0 up	# (its qdisc as a later up leaves it)
ip -n "$(ns dom0)" link set vif5.0 down
xs_vif 5 0 00:16:3e:00:05:00 bridge=xenbr0 ip=192.168.0.50
fail_at vif-bridge online 5 0 none vif5.0
case $(xs_read backend/vif/5/0/hotplug-error) in
*"(kernel: Can not enslave a bridge to a bridge)") ok "the kernel's reason: $(xs_read backend/vif/5/0/hotplug-error)" ;;
*) fail "no kernel reason in '$(xs_read backend/vif/5/0/hotplug-error)'" ;;
esac
grep -q "kernel: Can not enslave" "$XNET_HOTPLUG_LOG" || fail "the kernel's reason is not in the log"

# antispoof=no waives the guard: online then succeeds without nftables
libxl vif-bridge online 1 0 XNET_FAIL_AT=nft antispoof=no ||
	fail "antispoof=no without nftables exited $?"
expect_eq "$(link_field dom0 vif1.0 master)" xenbr0 "antispoof=no: vif1.0 on xenbr0, unguarded"
libxl vif-bridge offline 1 0 || fail "offline exited $?"

# after all that, a normal online works
libxl vif-bridge online 1 0 || fail "online exited $?"
ping_ok domU 192.168.0.1
pass
