#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-route and vif-nat under load: 200 vifs each, online then offline 32
# at a time, 5 rounds; afterwards every vif is in the right state, with its
# route, address and firewall elements exactly once, or none of them. Then
# kill -9 at random points of online, and a re-run: the same, exactly once.
. "$(dirname "$0")/lib.sh"
lab_init

N=200
ns_add dom0 guests lan
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)"
ip -n "$(ns dom0)" link set eth0 up
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0
ip -n "$(ns dom0)" route add default via 192.168.0.1
batch=$T/batch args=()
for ((d = 1; d <= 2 * N; d++)); do
	echo "link add vif$d.0 address fe:ff:ff:ff:ff:ff type veth peer name g$d netns $(ns guests)" \
		>> "$batch"
	be=/local/domain/0/backend/vif/$d/0
	args+=("$be/frontend-id" "$d" "$be/handle" 0 "$be/ip" "10.$((d / 250 + 30)).$((d % 250)).1"
		"$be/mac" "$(printf '00:16:3e:00:%02x:%02x' $((d >> 8)) $((d & 255)))")
done
ip -n "$(ns dom0)" -batch "$batch"
xs_write "${args[@]}"

# all PROG CMD FIRST: PROG CMD for vifs FIRST..FIRST+N-1, 32 at a time
all() {
	seq "$3" $(($3 + N - 1)) | in_ns dom0 env -i "${XENV[@]}" netdev=eth0 xargs -P 32 -I{} \
		env XENBUS_PATH=backend/vif/{}/0 vif=vif{}.0 "$BIN/$1" "$2" type_if=vif
}

# state FIRST: "<vifs up> <with one /32> <host routes through them>
# <connected> <elements>" for vifs FIRST..FIRST+N-1; elements: the counts
# per vif (guarded, address) folded: "2" when each has exactly its own.
state() {
	local first=$1 j
	j=$(ip -n "$(ns dom0)" -j addr show)
	echo "$(jq --argjson f "$first" --argjson n "$N" '[.[] | select(.ifname | test("^vif[0-9]+\\.0$")) |
		select((.ifname[3:-2] | tonumber) as $d | $d >= $f and $d < $f + $n) |
		select(.flags | index("UP"))] | length' <<<"$j")" \
		"$(jq --argjson f "$first" --argjson n "$N" '[.[] | select(.ifname | test("^vif[0-9]+\\.0$")) |
		select((.ifname[3:-2] | tonumber) as $d | $d >= $f and $d < $f + $n) |
		select([.addr_info[] | select(.family == "inet" and .prefixlen == 32)] | length == 1)] |
		length' <<<"$j")" \
		"$(ip -n "$(ns dom0)" -j route show | jq --argjson f "$first" --argjson n "$N" '[.[] |
		select(.dev // "" | test("^vif[0-9]+\\.0$")) | select((.dev[3:-2] | tonumber) as $d |
		$d >= $f and $d < $f + $n) | select(.dst | test("^10\\."))] | length')" \
		"$(xenstore-ls -f /local/domain/0/backend/vif | awk -F'[/ ]' -v f="$first" -v n="$N" \
			'/hotplug-status = "connected"/ && $7 >= f && $7 < f + n' | wc -l)" \
		"$(in_ns dom0 nft -j list table inet xen 2>/dev/null | jq -r --argjson f "$first" \
		--argjson n "$N" '[.nftables[] | select(.set) | .set | select(.name == "guarded" or
		.name == "allowed4") | (.elem // [])[] | if type == "object" then .concat[0] else . end |
		select((.[3:-2] | tonumber) as $d | $d >= $f and $d < $f + $n)] | group_by(.) |
		map(length) | unique | map(tostring) | join(",")')"
}

# sweep: delete the elements offline retired (fw-gone), as a 33rd offline
# or the next online of the same index would
sweep() {
	in_ns dom0 env XNET_STATE_DIR="$XNET_STATE_DIR" "$top_builddir/tests/fw/fw-tool" sweep \
		>/dev/null || fail "fw-tool sweep"
}

for prog in vif-route vif-nat; do
	first=1
	[ $prog = vif-nat ] && first=$((N + 1))
	for round in $(seq "$ROUNDS"); do
		all $prog online $first || fail "$prog round $round: an online failed"
		expect_eq "$(state $first)" "$N $N $N $N 2" \
			"$prog round $round: $N vifs up with their /32, route, connected, elements"
		all $prog offline $first || fail "$prog round $round: an offline failed"
		sweep
		expect_eq "$(state $first | cut -d' ' -f1-3,5)" "0 0 0 " \
			"$prog round $round: all down, no address, route or element left"
	done
done

# kill -9 at a random point of online, then the re-run libxl would make
for prog in vif-route vif-nat; do
	d=7 killed=0
	[ $prog = vif-nat ] && d=$((N + 7))
	for i in $(seq 1 15); do
		# not in_ns: a function run in the background is a subshell, and
		# kill -9 would reach that shell, not the program
		ip netns exec "$(ns dom0)" env -i "${XENV[@]}" netdev=eth0 \
			XENBUS_PATH=backend/vif/$d/0 vif=vif$d.0 "$BIN/$prog" online type_if=vif &
		pid=$!
		sleep "0.00$((RANDOM % 10))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		[ $? = 137 ] && killed=$((killed + 1))
		in_ns dom0 env -i "${XENV[@]}" netdev=eth0 XENBUS_PATH=backend/vif/$d/0 vif=vif$d.0 \
			"$BIN/$prog" online type_if=vif || fail "$prog: re-run $i after kill -9 failed"
		expect_eq "$(N=1 state $d)" "1 1 1 1 2" "$prog: kill -9 round $i, then a re-run: all once"
	done
	# four onlines of one vif at once: they take turns
	for i in $(seq 1 20); do
		for j in 1 2 3 4; do
			in_ns dom0 env -i "${XENV[@]}" netdev=eth0 XENBUS_PATH=backend/vif/$d/0 \
				vif=vif$d.0 "$BIN/$prog" online type_if=vif > "$T/twice.$j" 2>&1 &
			sleep "0.00$((RANDOM % 4))"
		done
		wait
		expect_eq "$(N=1 state $d) $(cat "$T"/twice.?)" "1 1 1 1 2 " \
			"$prog: four onlines at once, round $i: all once, all quiet"
	done
	in_ns dom0 env -i "${XENV[@]}" netdev=eth0 XENBUS_PATH=backend/vif/$d/0 vif=vif$d.0 \
		"$BIN/$prog" offline type_if=vif || fail "$prog: offline after the kills"
	sweep
	expect_eq "$(N=1 state $d | cut -d' ' -f1-3,5)" "0 0 0 " "$prog: then offline leaves nothing"
	echo "# $prog: $killed of 15 runs killed before they ended"
	[ "$killed" -gt 0 ] || fail "$prog: no kill -9 reached a running online"
done
pass
