# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-status.sh: helpers of the `status` tests (sourced after lib.sh).
#
# A test sets STATUS_PROG (vif-route, network-nat, ...) and STATUS_ENV (the
# VAR=value words of its run: XENBUS_PATH=..., vif=..., ip=...); status
# runs in dom0 with lib.sh's base environment and nothing else.
STATUS_PROG=
STATUS_ENV=()

# status_out [ARGS...]: the program's status, as an administrator runs it.
status_out() {
	in_ns dom0 env -i "${XENV[@]}" "${STATUS_ENV[@]}" "$BIN/$STATUS_PROG" status "$@" </dev/null
}

# The text status prints for the checks of a --json output: one line per
# check, "      fix: ..." under each that is not ok.
json_as_text() {
	jq -r '.checks[] | ((.verdict + "    ")[0:4] + "  " + .check),
		(if .fix then "      fix: " + .fix else empty end)'
}

# status_is [FAIL-LINE...]: status --json names exactly these failures (in
# any order), each with a fix, and exits 1 (0 when none); its counts add
# up, and the text form has the same checks, verdicts and fixes.
status_is() {
	local json text rc got want
	json=$(status_out --json)
	rc=$?
	jq -e '.checks | length > 0' <<<"$json" >/dev/null || fail "status --json: not JSON: $json"
	got=$(jq -r '.checks[] | select(.verdict == "FAIL") | .check' <<<"$json" | sort)
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
	if [ "$got" != "$want" ]; then
		json_as_text <<<"$json" | sed 's/^/# /'
		fail "status FAIL lines: expected [$want], got [$got]"
	fi
	expect_eq "$rc" "$([ $# -gt 0 ] && echo 1 || echo 0)" "status exits $rc with $# failure(s)"
	jq -e '([.checks[] | select(.verdict == "FAIL")] | length) == .failed and
		([.checks[] | select(.verdict == "warn")] | length) == .warnings and
		.ok == (.failed == 0) and
		all(.checks[] | select(.verdict != "ok"); .fix != null)' <<<"$json" >/dev/null ||
		fail "status --json: counts, or a failure without a fix: $json"
	text=$(status_out)
	[ "$(head -n -1 <<<"$text")" = "$(json_as_text <<<"$json")" ] ||
		{ diff <(json_as_text <<<"$json") <(echo "$text"); fail "text and --json differ"; }
	expect_eq "$(tail -n 1 <<<"$text")" "$(jq -r '"\(if .ok then "ok" else "FAIL" end):" +
		" \(.checks | length) checks, \(.failed) failed, \(.warnings) warnings"' <<<"$json")" \
		"the text has the same checks, and its summary"
}

# status_warns: the warn lines of status --json, one a line, sorted.
status_warns() {
	status_out --json | jq -r '.checks[] | select(.verdict == "warn") | .check' | sort
}

# status_fix CHECK: the fix status gives for the check named CHECK.
status_fix() {
	status_out --json | jq -r --arg c "$1" '.checks[] | select(.check == $c) | .fix // empty'
}

state_files() { find "$XNET_STATE_DIR" -printf '%p %s %T@\n' 2>/dev/null | sort; }

# status_leaves_no_trace: status creates no state directory (run with one
# that does not exist), changes no file in the real one (no lock taken),
# writes nothing to xenstore or the hotplug log.
status_leaves_no_trace() {
	local store_before log_before state_before
	store_before=$(xenstore-ls -f /local/domain 2>/dev/null)
	log_before=$(cat "$XNET_HOTPLUG_LOG" 2>/dev/null)
	state_before=$(state_files)
	in_ns dom0 env -i "${XENV[@]}" XNET_STATE_DIR="$T/no-state" "${STATUS_ENV[@]}" \
		"$BIN/$STATUS_PROG" status >/dev/null </dev/null
	[ -e "$T/no-state" ] && fail "status created $T/no-state"
	in_ns dom0 env -i "${XENV[@]}" "${STATUS_ENV[@]}" "$BIN/$STATUS_PROG" status \
		>/dev/null </dev/null
	expect_eq "$(xenstore-ls -f /local/domain 2>/dev/null)" "$store_before" \
		"status wrote nothing to xenstore"
	expect_eq "$(cat "$XNET_HOTPLUG_LOG" 2>/dev/null)" "$log_before" \
		"status wrote nothing to the hotplug log"
	expect_eq "$(state_files)" "$state_before" "status changed no state file (no lock)"
	ok "status created nothing"
}
