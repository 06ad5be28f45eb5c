#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Programs adding and removing different vifs at the same time: 200 vifs
# added 32 at a time into a namespace without our tables (the first 32
# start at once and race to make them: one table, its rules once), then 100 removed
# while 100 others are added, 32 at a time; afterwards every element
# belongs to an online vif and none is missing. Then 16 real vifs through
# vif-bridge at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init

ns_add dom0
export XNET_STATE_DIR P FWTOOL
# vif <i>: v<i>, MAC 02:00:00:00:<i>, 10.0.<i>.1 and fd00::<i>
run_vif() {
	local op=$1 i=$2
	local mac
	mac=$(printf '02:00:00:00:%02x:%02x' $((i >> 8)) $((i & 255)))
	if [ "$op" = add ]; then
		ip netns exec "$P-dom0" "$FWTOOL" ${WAIT:-} add bridge "v$i" "mac=$mac" \
			"ip=10.0.$((i >> 8)).$((i & 255)) fd00::$i"
	else
		ip netns exec "$P-dom0" "$FWTOOL" del bridge "v$i"
	fi || echo "FAILED $op v$i" >>"$T/failed"
}
export -f run_vif
expected() {
	local i mac
	for i in "$@"; do
		mac=$(printf '02:00:00:00:%02x:%02x' $((i >> 8)) $((i & 255)))
		echo "guarded v$i"
		echo "macs v$i . $mac"
		echo "allowed4 v$i . $mac . 10.0.$((i >> 8)).$((i & 255))"
		echo "allowed6 v$i . $mac . fd00::$i"
		echo "allowed6 v$i . $mac . $(eui64_ll "$mac")"
	done | sort
}

# waiters FILE: how many processes wait for the flock on FILE (/proc/locks)
waiters() {
	local ino
	ino=$(stat -c %i "$1")
	grep -c -- "-> FLOCK .*:$ino " /proc/locks
}

# at_once FIRST LAST: adds those vifs, all starting at the same moment
# (they wait for a lock this shell holds until every one of them waits
# for it, as /proc/locks shows: no sleep that a loaded machine outruns)
at_once() {
	local i n=$(($2 - $1 + 1))
	: >"$T/start"
	exec 9>"$T/start"
	flock 9
	for i in $(seq "$1" "$2"); do WAIT="wait=$T/start" run_vif add "$i" & done
	# up to 2 minutes: 16 sanitizer-built runs starting beside another
	# suite once took just over 30 s to line up (all 16 did)
	for i in $(seq 2400); do
		[ "$(waiters "$T/start")" = "$n" ] && break
		sleep 0.05
	done
	[ "$(waiters "$T/start")" = "$n" ] || fail "only $(waiters "$T/start") of $n runs reached the start"
	ok "all $n runs wait at the start"
	flock -u 9
	exec 9>&-
	wait
}

# the first 32 adds find no table and race to make it
command -v flock >/dev/null || skip "needs flock (util-linux)"
at_once 1 32
# then the other 168, 32 at a time
seq 33 200 | sed 's/^/add /' | xargs -P 32 -L 1 bash -c 'run_vif "$0" "$1"'
[ -e "$T/failed" ] && { cat "$T/failed"; fail "some runs failed"; }
expect_eq "$(in_ns dom0 nft list tables)" "table bridge xen" "one table"
expect_eq "$(rule_count dom0)" "$FW_BRIDGE_RULES" "its rules, once"
expect_eq "$(elements dom0)" "$(expected $(seq 1 200))" "200 vifs: all elements, no others"

# remove 1..100 while adding 201..300, 32 at a time, interleaved
for i in $(seq 1 100); do echo "del $i"; echo "add $((200 + i))"; done |
	xargs -P 32 -L 1 bash -c 'run_vif "$0" "$1"'
[ -e "$T/failed" ] && { cat "$T/failed"; fail "some runs failed"; }
# removals retire (more than 128 retired: the next removal sweeps them)
fwtool dom0 sweep || fail "sweep"
expect_eq "$(elements dom0)" "$(expected $(seq 101 300))" \
	"after 100 removals and 100 adds at once, and a sweep: exactly the elements of the 200 online vifs"
expect_eq "$(rule_count dom0)" "$FW_BRIDGE_RULES" "the rules never changed"

# 16 runs at once find an older layout: one replaces it, the others
# wait for or retry after it; the old guest keeps its elements (the
# records of the vifs above go with their table: an upgrade would guard
# them again)
in_ns dom0 nft delete table bridge xen
rm -f "$XNET_STATE_DIR"/fw-bridge-*
in_ns dom0 nft -f - <<'NFT' || fail "old layout"
table bridge xen {
	comment "xnet layout 0"
	set guarded {
		type ifname
		elements = { "old" }
	}
	chain prerouting {
		type filter hook prerouting priority -300;
		counter
	}
}
NFT
at_once 301 316
[ -e "$T/failed" ] && { cat "$T/failed"; fail "some runs failed"; }
expect_eq "$(in_ns dom0 nft list table bridge xen | grep -c "comment \"xnet layout $FW_LAYOUT\"")" 1 \
	"16 runs at once replaced layout 0"
expect_eq "$(rule_count dom0)" "$FW_BRIDGE_RULES" "its rules, once"
# layout 0 keyed by name only: its unrecorded element is not carried into
# sets keyed by index and name (the records are what is carried)
expect_eq "$(elements dom0)" "$(expected $(seq 301 316))" \
	"the 16 vifs"

# 16 real vifs, vif-bridge online at once, then offline at once
in_ns dom0 nft delete table bridge xen
ip -n "$(ns dom0)" link add xenbr0 type bridge
for i in $(seq 1 16); do
	ip -n "$(ns dom0)" link add "vif$i.0" type veth peer name "p$i"
	xs_vif "$i" 0 "$(printf '00:16:3e:00:%02x:00' "$i")" bridge=xenbr0 "ip=192.168.1.$i"
done
for i in $(seq 1 16); do libxl vif-bridge online "$i" 0 & done
wait
for i in $(seq 1 16); do
	[ "$(xs_read "backend/vif/$i/0/hotplug-status")" = connected ] || fail "vif$i.0 not connected"
done
expect_eq "$(rule_count dom0)" "$FW_BRIDGE_RULES" "16 first runs at once: the rules once"
expect_eq "$(elements dom0 | wc -l)" 80 "16 vifs, 5 elements each (IPv6 open, its link-local)"
for i in $(seq 1 16); do libxl vif-bridge offline "$i" 0 & done
wait
expect_eq "$(ls "$XNET_STATE_DIR/fw-gone" | wc -l)" 16 "16 offlines at once: 16 vifs retired"
fwtool dom0 sweep || fail "sweep"
expect_eq "$(elements dom0)" "" "16 offlines at once, then a sweep: no element left"
pass
