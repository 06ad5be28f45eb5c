#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A dump that a concurrent change interrupts (NLM_F_DUMP_INTR: what it
# returned may be inconsistent) is asked again, not taken for a failure:
# vif-bridge without a bridge key finds the bridge with a dump of the
# bridges, here 600 of them read in several parts, while another process
# keeps adding and removing a link in dom0.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
bridge_dom0 192.168.0.3/24
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC"		# no bridge key: the first bridge
for i in $(seq 0 599); do echo "link add xbr$i type bridge"; done > "$T/links"
ip -n "$(ns dom0)" -batch "$T/links" || fail "600 bridges in dom0"

# the churn: a veth pair made and deleted, until the test ends
(exec ip netns exec "$(ns dom0)" sh -c 'while :; do
	ip link add zz0 type veth peer name zz1; ip link del zz0; done' >/dev/null 2>&1) &
CHURN=$!
trap 'kill $CHURN 2>/dev/null; cleanup' EXIT

n=$((ROUNDS * 8)) bad=0
for i in $(seq $n); do
	if ! libxl vif-bridge online 1 0 >"$T/out" 2>&1; then
		bad=$((bad + 1))
		cat "$T/out"
	fi
	libxl vif-bridge offline 1 0 >/dev/null 2>&1
done
kill $CHURN
[ $bad = 0 ] || fail "$bad of $n onlines failed while dom0's links changed"
ok "$n onlines while dom0's links changed meanwhile"
pass
