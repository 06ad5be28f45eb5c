#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The callers of the contract that the other scenarios do not play:
#  - xend: `(network-script 'network-bridge netdev=eth0 bridge=xenbr0')`,
#    which xend runs as `network-bridge start netdev=eth0 bridge=xenbr0`
#    with an environment of no note; then a guest by udev-less hand;
#  - an administrator: `vif-nat online` typed at a shell with the vif's
#    facts exported, `network-nat status`, and `vif-nat offline`; and
#    --help and --version of every program.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0 lan
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)"
ip -n "$(ns dom0)" link set eth0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0
ip -n "$(ns dom0)" route add default via 192.168.0.1
ip -n "$(ns lan)" link set eth0 up
ip -n "$(ns lan)" addr add 192.168.0.1/24 dev eth0

# ---- xend ----
in_ns dom0 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XNET_STATE_DIR="$XNET_STATE_DIR" \
	XNET_HOTPLUG_LOG="$XNET_HOTPLUG_LOG" "$BIN/network-bridge" start netdev=eth0 bridge=xenbr0 \
	</dev/null || fail "xend's network-bridge start exited $?"
expect_eq "$(link_field dom0 eth0 master)" xenbr0 "xend: eth0 is a port of xenbr0"
expect_eq "$(addrs_of dom0 xenbr0 | grep -v fe80)" 192.168.0.3/24 "xend: the address moved"
ping_ok dom0 192.168.0.1

# ---- an administrator, by hand, at a shell ----
guest web 1 0 10.0.0.1/24 10.0.0.128
xs_vif 1 0 "$GUEST_MAC" handle=0
in_ns dom0 env -i "${XENV[@]}" sh -c '
	set -e
	export vif=vif1.0 XENBUS_PATH=backend/vif/1/0 ip=10.0.0.1 netdev=xenbr0
	'"$BIN"'/network-nat start
	'"$BIN"'/vif-nat online
	'"$BIN"'/network-nat status >/dev/null
' || fail "the administrator's session failed"
expect_eq "$(addrs_of dom0 vif1.0 | grep -v fe80)" 10.0.0.128/32 "by hand: the router address"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "by hand: connected"
ping_ok web 192.168.0.1
in_ns dom0 env -i "${XENV[@]}" vif=vif1.0 XENBUS_PATH=backend/vif/1/0 "$BIN/vif-nat" offline ||
	fail "by hand: offline"
expect_eq "$(addrs_of dom0 vif1.0 | grep -v fe80)" "" "by hand: offline removed the router address"

# ---- --help and --version, for anyone at a shell ----
for p in vif-bridge vif-route vif-nat network-bridge network-route network-nat xnet-guard; do
	out=$("$BIN/$p" --help) || fail "$p --help exited $?"
	case $out in "Usage: $p "*) ;; *) fail "$p --help: $out" ;; esac
	out=$("$BIN/$p" --version) || fail "$p --version exited $?"
	case $out in "$p (xnet) "[0-9]*) ;; *) fail "$p --version: $out" ;; esac
done
ok "every program answers --help and --version"
pass
