#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-bridge under load and faults: 200 guarded vifs online/offline 32 at
# a time (5 rounds: every vif attached or not, its firewall elements all
# there or all gone, none lost or duplicated), kill -9 at random points of
# online then a re-run, a vif that vanishes mid-run, a xenstored that hangs
# or dies.
. "$(dirname "$0")/lib.sh"
lab_init

N=200
ns_add dom0 guests
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link set xenbr0 up
batch=$T/batch args=()
for ((d = 1; d <= N; d++)); do
	echo "link add vif$d.0 type veth peer name g$d netns $(ns guests)" >> "$batch"
	be=/local/domain/0/backend/vif/$d/0
	args+=("$be/frontend-id" "$d" "$be/handle" 0 "$be/bridge" xenbr0
		"$be/mac" "$(printf '00:16:3e:00:%02x:%02x' $((d >> 8)) $((d & 255)))"
		"$be/ip" "10.1.$((d >> 8)).$((d & 255))")
done
ip -n "$(ns dom0)" -batch "$batch"
xs_write "${args[@]}"

# all CMD: vif-bridge CMD for every vif, 32 at a time
all() {
	seq 1 $N | in_ns dom0 env -i "${XENV[@]}" xargs -P 32 -I{} \
		env XENBUS_PATH=backend/vif/{}/0 vif=vif{}.0 "$BIN/vif-bridge" "$1" type_if=vif
}
# state: "<ports on xenbr0> <vifs up> <connected> <elements>", the last being
# each vif's firewall elements (guarded, mac, address) counted once each:
# "ok" when every one of the N vifs has exactly its own three, or none.
state() {
	local ports up conn=0 els
	ports=$(bridge -n "$(ns dom0)" -j link show | jq '[.[] | select(.master == "xenbr0")] | length')
	up=$(ip -n "$(ns dom0)" -j link show | jq '[.[] | select(.ifname | startswith("vif")) |
		select(.flags | index("UP"))] | length')
	conn=$(xenstore-ls /local/domain/0/backend/vif 2>/dev/null | grep -c 'hotplug-status = "connected"')
	els=$(in_ns dom0 nft -j list table bridge xen 2>/dev/null | jq -r '[.nftables[] |
		select(.set) | .set | select(.name == "guarded" or .name == "macs" or
		.name == "allowed4") | (.elem // [])[] | if type == "object" then .concat[0] else . end] |
		group_by(.) | map(length) | unique | map(tostring) | join(",")')
	echo "$ports $up $conn ${els:-none}"
}

# sweep: delete the elements offline retired (fw-gone), as a 33rd offline
# or the next online of the same index would
sweep() {
	in_ns dom0 env XNET_STATE_DIR="$XNET_STATE_DIR" "$top_builddir/tests/fw/fw-tool" sweep \
		>/dev/null || fail "fw-tool sweep"
}

for round in $(seq "$ROUNDS"); do
	all online || fail "round $round: an online failed"
	expect_eq "$(state)" "$N $N $N 3" \
		"round $round: $N vifs attached, up, connected, 3 elements each"
	expect_eq "$(in_ns dom0 nft -j list set bridge xen guarded | jq '.nftables[1].set.elem | length')" \
		"$N" "round $round: $N guarded vifs"
	all offline || fail "round $round: an offline failed"
	expect_eq "$(state | cut -d' ' -f1,2)" "0 0" "round $round: all detached, down"
	sweep
	expect_eq "$(state | cut -d' ' -f4)" "none" "round $round: no element once the retired are swept"
done

# kill -9 at random points of online, then a re-run must finish the job
xs_write backend/vif/7/0/vifname web7
killed=0
for i in $(seq 1 20); do
	for d in 5 7; do
		# not in_ns: a function run in the background is a subshell, and
		# kill -9 would reach that shell, not the program
		ip netns exec "$(ns dom0)" env -i "${XENV[@]}" XENBUS_PATH=backend/vif/$d/0 \
			vif=vif$d.0 "$BIN/vif-bridge" online type_if=vif &
		pid=$!
		sleep "0.00$((RANDOM % 10))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		[ $? = 137 ] && killed=$((killed + 1))
		libxl vif-bridge online "$d" 0 2>/dev/null || fail "re-run $i of vif$d.0 after kill -9 failed"
	done
	expect_eq "$(link_field dom0 vif5.0 master) $(link_field dom0 web7 master)" "xenbr0 xenbr0" \
		"kill -9 round $i, then a re-run: both attached"
	libxl vif-bridge offline 5 0 && libxl vif-bridge offline 7 0 || fail "offline after kill -9"
done
link_exists dom0 vif7.0 && fail "vif7.0 came back"
expect_eq "$(link_field dom0 web7 mtu) $(link_field dom0 web7 address)" "1500 fe:ff:ff:ff:ff:ff" \
	"20 kill -9 and re-run rounds end in the right state"
echo "# $killed of 40 runs killed before they ended"
[ "$killed" -gt 0 ] || fail "no kill -9 reached a running online"
expect_eq "$(bridge -n "$(ns dom0)" -j link show | jq 'length')" 0 "no duplicate or stray port"

# four onlines of one vif at once (one renamed): one outcome, no error
for i in $(seq 1 20); do
	for d in 5 7; do
		for j in 1 2 3 4; do
			in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/$d/0 vif=vif$d.0 \
				"$BIN/vif-bridge" online type_if=vif > "$T/twice.$d.$j" 2>&1 &
			sleep "0.00$((RANDOM % 4))"
		done
	done
	wait
	expect_eq "$(link_field dom0 vif5.0 master) $(link_field dom0 web7 master) $(cat "$T"/twice.*)" \
		"xenbr0 xenbr0 " "four onlines at once, round $i: both attached, all quiet"
	libxl vif-bridge offline 5 0 && libxl vif-bridge offline 7 0 || fail "offline after onlines at once"
done
sweep
expect_eq "$(bridge -n "$(ns dom0)" -j link show | jq 'length') $(state | cut -d' ' -f4)" "0 none" \
	"onlines at once, then offline: no port or element left"

# the vif vanishing while online runs: exit 0 or 1 with a reason, never a crash or hang
for i in $(seq 1 30); do
	ip -n "$(ns dom0)" link add vifv.0 type veth peer name gv netns "$(ns guests)" 2>/dev/null
	xs_write backend/vif/9/0/vifname vifv.0x
	(sleep "0.00$((RANDOM % 3))"; ip -n "$(ns dom0)" link del vifv.0 2>/dev/null; \
		ip -n "$(ns dom0)" link del vifv.0x 2>/dev/null) &
	in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/9/0 vif=vifv.0 XNET_TIMEOUT=10 \
		"$BIN/vif-bridge" online type_if=vif 2>/dev/null
	rc=$?
	wait
	case $rc in
	0) ;;
	1) [ -n "$(xs_read backend/vif/9/0/hotplug-error)" ] || fail "exit 1 without hotplug-error" ;;
	*) fail "vanishing vif: exit $rc" ;;
	esac
done
ok "a vif vanishing mid-run: exit 0, or 1 with hotplug-error (30 tries)"

# a xenstored that accepts but never answers: a reason and exit 1, in time
kill -STOP "$XSD_PID"
start=$SECONDS
out=$(in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 XNET_TIMEOUT=2 \
	"$BIN/vif-bridge" online type_if=vif 2>&1)
rc=$?
kill -CONT "$XSD_PID"
expect_eq "$rc" 1 "a hung xenstored: exit 1"
[ $((SECONDS - start)) -le 5 ] || fail "took $((SECONDS - start)) s"
case $out in *"$XENSTORED_PATH"*) ok "the reason names the socket: $out" ;; *) fail "reason: $out" ;; esac

# xenstored killed in the middle of a burst: every run ends, 0 or 1
seq 1 64 | in_ns dom0 env -i "${XENV[@]}" XNET_TIMEOUT=10 xargs -P 16 -I{} sh -c \
	'XENBUS_PATH=backend/vif/{}/0 vif=vif{}.0 "$0" online type_if=vif 2>/dev/null; echo $?' \
	"$BIN/vif-bridge" > "$T/rcs" &
burst=$!
sleep 0.02
kill -TERM "$XSD_PID"
XSD_PID=
wait $burst
expect_eq "$(sort -u "$T/rcs" | grep -cv '^[01]$')" 0 "xenstored killed mid-burst: every run exited 0 or 1"
pass
