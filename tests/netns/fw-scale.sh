#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# 1000 guarded vifs in each table: the rules are the same as with one, the
# per-vif facts are all set elements; the time of each add goes through
# the real code path (xnh_fw_vif_add: table check, record, one batch) and
# is printed, never asserted. Then one real vif-bridge online among them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-fw.sh"
fw_init
lab_init
fw_shm_state
N=1000

ns_add dom0
for fam in bridge inet; do
	fwtool dom0 add $fam one mac=02:00:00:00:00:01 ip=10.255.0.1 || fail "add one"
	rules=$(rule_count dom0 $fam)
	fwtool dom0 del $fam one || fail "del one"
	fwtool dom0 sweep || fail "sweep"
	log "$fam xen: $N vifs, each with a MAC (bridge), an IPv4 and an IPv6 address"
	fwtool dom0 bench $fam $N | sed 's/^/# figure: /' || fail "bench $fam"
	expect_eq "$(rule_count dom0 $fam)" "$rules" "$fam: the rules of $N guarded vifs are those of one"
	expect_eq "$(elements dom0 $fam | awk '$1 == "guarded"' | wc -l)" $N "$fam: $N guarded vifs"
	per=$([ $fam = bridge ] && echo 5 || echo 3)	# bridge: and the link-local; inet: 2 more in arp xen
	expect_eq "$(elements dom0 $fam | wc -l)" $((N * per)) "$fam: $per elements each"
done

# a real vif among 1000: vif-bridge online and offline, timed inside dom0
ip -n "$(ns dom0)" link add xenbr0 type bridge
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0 ip=192.168.0.6
times=$(in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 XENSTORED_PATH="$XENSTORED_PATH" \
	XNET_STATE_DIR="$XNET_STATE_DIR" bash -c 's=$EPOCHREALTIME
	"$0" online type_if=vif </dev/null || exit 1; m=$EPOCHREALTIME
	"$0" offline type_if=vif </dev/null || exit 1; e=$EPOCHREALTIME
	echo "$s $m $e"' "$BIN/vif-bridge") || fail "vif-bridge online/offline"
read -r t0 t1 t2 <<<"$times"
us() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1e6 }'; }
log "figure: with $N guarded vifs present, vif-bridge (the whole program) online:" \
	"$(us "$t0" "$t1") us, offline: $(us "$t1" "$t2") us"
expect_retired dom0 bridge vif1.0
expect_eq "$(elements_of dom0 bridge vif1.0)" "" "vif1.0 came and went"
fwtool dom0 bench-del bridge $N | sed 's/^/# figure: /' || fail "bench-del"
fwtool dom0 sweep || fail "sweep"	# the last retired ones (fewer than a sweep takes)
expect_eq "$(elements dom0 bridge)" "" "all deleted"
pass
