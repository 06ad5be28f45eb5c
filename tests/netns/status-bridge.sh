#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-bridge status: the seed guide's troubleshooting done by the program.
# Break one thing at a time; status must name exactly that failure (and
# only it), exit 1, and give the fix; a healthy vif is all ok, exit 0.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0 lan
ip -n "$(ns dom0)" link add xenbr0 type bridge
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0 netns "$(ns lan)"
ip -n "$(ns dom0)" link set eth0 master xenbr0 up
ip -n "$(ns dom0)" link set xenbr0 up
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0
libxl vif-bridge online 1 0 || fail "online"

# status_fails EXPECTED...: run status; the FAIL lines must be exactly these
status_is() {
	local out rc fails
	out=$(in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=backend/vif/1/0 vif=vif1.0 \
		"$BIN/vif-bridge" status --json)
	rc=$?
	fails=$(echo "$out" | jq -r '[.checks[] | select(.verdict == "FAIL") | .check] | join(" | ")')
	expect_eq "$fails" "$*" "status FAIL lines"
	if [ -n "$*" ]; then
		expect_eq "$rc" 1 "status exits 1"
		echo "$out" | jq -e '[.checks[] | select(.verdict == "FAIL") | .fix] | all' >/dev/null ||
			fail "a failure without a fix"
	else
		expect_eq "$rc" 0 "status exits 0"
	fi
}

status_is
ip -n "$(ns dom0)" link set vif1.0 nomaster
status_is "vif1.0 is a port of xenbr0"
ip -n "$(ns dom0)" link set vif1.0 master xenbr0
ip -n "$(ns dom0)" link set vif1.0 down
status_is "vif1.0 is up"
ip -n "$(ns dom0)" link set vif1.0 up
ip -n "$(ns dom0)" link set vif1.0 mtu 9000
status_is "vif1.0 has MTU 1500 (now 9000)"
ip -n "$(ns dom0)" link set vif1.0 mtu 1500
ip -n "$(ns dom0)" link set xenbr0 down
status_is "bridge xenbr0 exists and is up"
ip -n "$(ns dom0)" link set xenbr0 up
xs_write backend/vif/1/0/hotplug-status error
status_is "backend/vif/1/0/hotplug-status is connected (now 'error')"
xs_write backend/vif/1/0/hotplug-status connected
status_is

# the text form: one line per check with its verdict, and the fix
out=$(in_ns dom0 env -i "${XENV[@]}" vif=vif1.0 "$BIN/vif-bridge" status)
echo "$out" | grep -q '^ok    vif1.0 is a port of xenbr0$' || fail "text: $out"
ip -n "$(ns dom0)" link set vif1.0 nomaster
out=$(in_ns dom0 env -i "${XENV[@]}" vif=vif1.0 "$BIN/vif-bridge" status)
echo "$out" | grep -q '^FAIL  vif1.0 is a port of xenbr0$' || fail "text: $out"
echo "$out" | grep -q '^      fix: .*ip link set dev vif1.0 master xenbr0$' || fail "text fix: $out"
ok "text status names the failure and its fix"
expect_eq "$(xs_read backend/vif/1/0/hotplug-error)" "" "status writes no hotplug-error"
pass
