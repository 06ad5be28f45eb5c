# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-fw.sh: helpers of the guest firewall's scenario tests (sourced after lib.sh).

FWTOOL=$top_builddir/tests/fw/fw-tool
PKTSEND=$top_builddir/tests/fw/pktsend

# Skips without nft, the test tools or nf_tables in the kernel.
fw_init() {
	command -v nft >/dev/null || skip "needs nft"
	[ -x "$FWTOOL" ] && [ -x "$PKTSEND" ] ||
		skip "tests/fw tools not built (make check builds them)"
	ip netns add "$P-nftprobe" || skip "cannot create network namespaces"
	ip netns exec "$P-nftprobe" nft add table inet probe 2>/dev/null
	local ok=$?
	ip netns del "$P-nftprobe"
	[ $ok = 0 ] || skip "no nf_tables in this kernel"
}

# fwtool NS ARGS...: the firewall API (tests/fw/fw-tool) run in namespace NS.
fwtool() { local n=$1; shift; in_ns "$n" env XNET_STATE_DIR="$XNET_STATE_DIR" "$FWTOOL" "$@"; }

# ---- counters in a receiving namespace: netdev ingress of one device ----
# cnt_init NS DEV NAME:MATCH...: a counter NAME for frames matching MATCH.
cnt_init() {
	local n=$1 dev=$2 spec name
	shift 2
	{
		echo "table netdev cnt {"
		for spec in "$@"; do echo "	counter ${spec%%:*} { }"; done
		echo "	chain in { type filter hook ingress device \"$dev\" priority 0;"
		for spec in "$@"; do
			name=${spec%%:*}
			echo "		${spec#*:} counter name \"$name\""
		done
		echo "	}"
		echo "}"
	} | in_ns "$n" nft -f - || fail "counters in $n"
}

# cnt NS NAME [FAMILY TABLE]: the packets of a named counter
cnt() {
	in_ns "$1" nft -j list counter "${3:-netdev}" "${4:-cnt}" "$2" |
		jq '.nftables[1].counter.packets'
}
cnt_reset() { in_ns "$1" nft reset counters table netdev cnt >/dev/null; }

# drops NS [FAMILY]: what our guard has dropped (counter FAMILY xen dropped).
drops() { cnt "$1" dropped "${2:-bridge}" xen; }

# expect_arrives NS COUNTER WHAT / expect_never NS COUNTER WHAT
expect_arrives() {
	local c
	c=$(cnt "$1" "$2")
	[ "${c:-0}" -gt 0 ] || fail "$3: nothing arrived in $1 ($2 = ${c:-none})"
	ok "$3: arrived in $1 ($2 = $c)"
}
expect_never() {
	local c
	c=$(cnt "$1" "$2")
	[ "$c" = 0 ] || fail "$3: arrived in $1 ($2 = ${c:-none})"
	ok "$3: never arrived in $1"
}

# wait_count NS COUNTER: up to 3 s for something to arrive (DAD is delayed).
wait_count() {
	local i
	for i in $(seq 30); do
		[ "$(cnt "$1" "$2")" -gt 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# link_local NS DEV: the device's IPv6 link-local address (once it has one)
link_local() {
	local a i
	for i in $(seq 50); do
		a=$(ip -n "$P-$1" -j -6 addr show dev "$2" |
			jq -r '[.[0].addr_info[] | select(.scope == "link") | .local][0] // empty')
		[ -n "$a" ] && { echo "$a"; return 0; }
		sleep 0.1
	done
	fail "$2 in $1 has no link-local address"
}

# ---- the tables, read back with nft -j ----
rule_count() {
	in_ns "$1" nft -j list table "${2:-bridge}" xen | jq '[.nftables[] | select(.rule)] | length'
}
# elements NS FAMILY: every element of every set, "set elem" a line, sorted;
# the index a per-vif key begins with (meta iif) left out.
elements() {
	in_ns "$1" nft -j list table "${2:-bridge}" xen | jq -r '.nftables[] | select(.set) | .set |
		.name as $s | (.type | if type == "array" then .[0] else . end) as $t |
		(.elem // [])[] | (if $t == "iface_index" and type == "object" and .concat
			then .concat |= .[1:] else . end) |
		"\($s) \(if type == "object" and .concat and (.concat | length) == 1 then .concat[0]
			elif type == "object" and .concat then [.concat[] |
			if type == "object" then (.prefix | "\(.addr)/\(.len)") else . end] | join(" . ")
			elif type == "object" and .prefix then "\(.prefix.addr)/\(.prefix.len)"
			else . end)"' | sort
}
# elements_of NS FAMILY IFNAME: those of one vif.
elements_of() { elements "$1" "$2" | awk -v v="$3" '$2 == v'; }

# expect_retired NS FAMILY IFNAME: offline left the vif's elements in the
# kernel (they match nothing once it is gone) and its record in fw-gone,
# named by its index; a sweep (fw-tool sweep) then deletes them.
expect_retired() {
	local ix
	ix=$(ip -n "$P-$1" -j link show dev "$3" | jq '.[0].ifindex')
	[ -f "$XNET_STATE_DIR/fw-gone/$2-$ix" ] ||
		fail "$3 (index $ix) is not retired: no $XNET_STATE_DIR/fw-gone/$2-$ix"
	[ -f "$XNET_STATE_DIR/fw-$2-$3" ] && fail "$3's record is still there after offline"
	fwtool "$1" sweep || fail "sweep"
	[ -f "$XNET_STATE_DIR/fw-gone/$2-$ix" ] && fail "$3's entry is still there after a sweep"
	ok "$3 retired by offline, its elements deleted by a sweep"
}

# A state directory on tmpfs, as /run is, for figures that should not
# measure the disk (the records are written with fsync).
fw_shm_state() {
	FW_SHM=$(mktemp -d /dev/shm/xnet-test.XXXXXX) || fail "mktemp in /dev/shm"
	trap 'rm -rf "$FW_SHM"; cleanup' EXIT
	export XNET_STATE_DIR=$FW_SHM
}

# The layout the programs make (XNH_FW_LAYOUT) and the rules of each table
# in it, all chains together: they never change while guests come and go.
FW_LAYOUT=6
FW_BRIDGE_RULES=33
FW_INET_RULES=29
# eui64_ll MAC: the link-local address a guest's kernel derives from MAC.
eui64_ll() {
	local IFS=: m g1
	read -ra m <<<"$1"
	g1=$(((0x${m[0]} ^ 2) << 8 | 0x${m[1]}))
	printf 'fe80::%s%x:%x:%x\n' "$([ $g1 = 0 ] || printf '%x:' $g1)" \
		$((0x${m[2]} << 8 | 0xff)) $((0xfe00 | 0x${m[3]})) $((0x${m[4]} << 8 | 0x${m[5]}))
}
