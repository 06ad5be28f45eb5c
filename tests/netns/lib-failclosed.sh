# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-failclosed.sh: a failure injected at each step of an online (sourced
# after lib.sh and the mode's own lib). XNET_FAIL_AT=STEP makes that step
# fail once its change is made; the run must then leave the host exactly as
# it was before: the vif down, on no bridge, unrouted, no address, element,
# record or DHCP entry of this run's left.

# fc_snapshot: everything a failed online must leave as it was.
fc_snapshot() {
	rsnapshot dom0
	(cd "$XNET_STATE_DIR" 2>/dev/null && find . -type f ! -name '*.lock' | sort)
	cat "$T"/dnsmasq-hosts 2>/dev/null
	true
}

# fail_at PROG CMD DOMID DEVID STEP DEV [VAR=value...]: online (or add) of
# vif DOMID.DEVID with a failure injected at STEP; DEV is the device's
# name after the run (netback's: a rename is undone).
fail_at() {
	local prog=$1 cmd=$2 d=$3 n=$4 step=$5 dev=$6 before now err rc i
	shift 6
	xenstore-rm "backend/vif/$d/$n/hotplug-status" "backend/vif/$d/$n/hotplug-error" 2>/dev/null
	before=$(fc_snapshot)
	libxl "$prog" "$cmd" "$d" "$n" XNET_FAIL_AT="$step" "$@" >"$T/out" 2>&1
	rc=$?
	[ $rc = 1 ] || { cat "$T/out"; fail "$prog $cmd, failing at $step: exit $rc, want 1"; }
	link_exists dom0 "$dev" || fail "$prog $cmd, failing at $step: $dev is gone"
	! link_is_up dom0 "$dev" || fail "$prog $cmd, failing at $step: $dev is up"
	[ -z "$(link_field dom0 "$dev" master)" ] ||
		fail "$prog $cmd, failing at $step: $dev is a port of $(link_field dom0 "$dev" master)"
	[ -z "$(routes_of dom0 "$dev")" ] || fail "$prog $cmd, failing at $step: routes left"
	if [ "$cmd" = online ]; then
		err=$(xs_read "backend/vif/$d/$n/hotplug-error")
		expect_eq "$(xs_read "backend/vif/$d/$n/hotplug-status")" error \
			"$prog $cmd failing at $step: hotplug-status ($err)"
	fi
	for i in $(seq 20); do
		now=$(fc_snapshot)
		[ "$now" = "$before" ] && break
		sleep 0.1
	done
	[ "$now" = "$before" ] || { diff <(echo "$before") <(echo "$now") | head -20
		fail "$prog $cmd, failing at $step, changed the host"; }
	ok "$prog $cmd failing at $step: $dev down, detached, unrouted, host as it was"
}

# guard_first OUT: in a verbose online's trace, the guard's elements are
# added before the vif is enslaved, routed or brought up.
guard_first() {
	local first_guard first_up
	first_guard=$(grep -n '^nft add element' "$1" | head -1 | cut -d: -f1)
	first_up=$(grep -nE '^ip (link set .*( up| master )|route add|addr add)' "$1" | head -1 |
		cut -d: -f1)
	[ -n "$first_guard" ] && [ -n "$first_up" ] || { cat "$1"; fail "no guard or no link up traced"; }
	[ "$first_guard" -lt "$first_up" ] || { cat "$1"; fail "the vif forwards before its guard"; }
	ok "the guard is in place before the vif is enslaved, routed or up"
}
