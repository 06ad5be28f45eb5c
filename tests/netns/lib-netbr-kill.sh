# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-netbr-kill.sh: the lab and helpers of netbr-kill.sh and
# netbr-kill-stop.sh (sourced): KILLED names the command killed (start or
# stop) before its change N.
lab_init

host_lab enp3s0
mac=$(link_field dom0 enp3s0 address)
pristine=$(nb_snapshot)

# dom0 less the ifindex of a bridge made anew
layout() { nb_snapshot | grep -v '"ifindex":'; }

# same_layout WANT WHAT: dom0 is as WANT=$(layout) once the kernel settled.
same_layout() {
	local now i
	for i in $(seq 30); do
		now=$(layout)
		[ "$now" = "$1" ] && break
		sleep 0.1
	done
	[ "$now" = "$1" ] || { diff <(echo "$1") <(echo "$now") | head -30; fail "$2"; }
	ok "$2"
}

# killed N ARGS...: $KILLED killed before its change N; false when it
# made fewer changes (and went through).
killed() {
	local n=$1 rc
	shift
	NB_ENV=XNET_KILL_AT=$n nb "$KILLED" "$@" >/dev/null 2>&1
	rc=$?
	[ $rc = 0 ] && return 1
	[ $rc = 137 ] || fail "$KILLED killed at change $n: exit $rc, want 137 (SIGKILL)"
	return 0
}

reach() {
	ping_ok dom0 192.168.0.1
	ping_ok dom0 10.20.0.1
	in_ns dom0 ping -c 1 -W 2 2001:db8::1 >/dev/null || fail "dom0 cannot ping 2001:db8::1"
}

