#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# dry_run=yes (or XNET_DRY_RUN=1): each change printed in ip/nft vocabulary,
# none made: the host's links, addresses, routes, sysctls, nft ruleset and
# xenstore stay identical, and nothing lands in the hotplug log.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link set xenbr0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev xenbr0
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6 vifname=web0

# everything a dry run must leave alone
world() {
	snapshot dom0
	in_ns dom0 nft -j list ruleset 2>/dev/null
	in_ns dom0 sysctl -a 2>/dev/null | grep -E '^net\.(ipv4|ipv6)\.(ip_forward|conf\.all)'
	xenstore-ls -f /local/domain
	cat "$XNET_HOTPLUG_LOG" 2>/dev/null
}

# dry CMD EXPECTED-LINE... [-- VAR=value...]: a dry run prints these lines
dry() {
	local cmd=$1 before out
	shift
	local want=() envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do want+=("$1"); shift; done
	[ $# -gt 0 ] && { shift; envs=("$@"); }
	before=$(world)
	out=$(libxl vif-bridge "$cmd" 1 0 "${envs[@]}") || fail "dry $cmd exited $?"
	local l
	for l in "${want[@]}"; do
		grep -qxF "$l" <<<"$out" || { echo "$out"; fail "dry $cmd did not print '$l'"; }
	done
	[ "$(world)" = "$before" ] || { diff <(echo "$before") <(world) | head; fail "dry $cmd changed the host"; }
	ok "dry $cmd: printed ${#want[@]} changes, changed nothing"
}

dry online "ip link set dev vif1.0 name web0 alias 'xen backend/vif/1/0'" \
	"ip link set dev web0 address fe:ff:ff:ff:ff:ff mtu 1500 master xenbr0 up" \
	"xenstore-write /local/domain/1/device/vif/0/mtu '1500'" \
	"xenstore-write backend/vif/1/0/hotplug-status 'connected'" -- dry_run=yes
libxl vif-bridge online 1 0 || fail "real online"
dry offline "ip link set dev web0 nomaster down" -- XNET_DRY_RUN=1
pass
