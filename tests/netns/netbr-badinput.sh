#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input to network-bridge: exit 1 and the host exactly as it was; no
# value ever runs as shell code.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
lab_init

host_lab enp3s0
before=$(nb_snapshot)

# bad ENV... -- ARGS...: one run; ENV goes into its environment
bad() {
	local env=() args out rc
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	args=("$@")
	out=$(in_ns dom0 env -i "${XENV[@]}" PATH="$PATH" XNET_STATE_DIR="$XNET_STATE_DIR" "${env[@]}" \
		"$BIN/network-bridge" "${args[@]}" 2>&1 </dev/null)
	rc=$?
	log "[${env[*]} ${args[*]}]: $out"
	[ $rc = 1 ] || fail "[${env[*]} ${args[*]}] exit $rc, want 1"
	[ -e "$T/pwned" ] && fail "a value ran as shell code"
	nb_unchanged "$before" "[${env[*]} ${args[*]}]"
}

bad --
bad -- frobnicate
bad -- start stop
bad -- start "netdev=\$(touch $T/pwned)"
bad -- start "netdev=enp3s0;touch $T/pwned"
bad -- start "bridge=\`touch $T/pwned\`"
bad -- start "bridge=xenbr0 | true"
bad -- start bridge=verylongbridgename0
bad -- start netdev=a/b
bad -- start netdev=..
bad -- start antispoof=maybe
bad -- start verbose=loud
bad -- start "1netdev=eth0"
bad "netdev=enp3s0 x" -- start
bad "bridge=\$(id)" -- stop
bad XNET_ANTISPOOF=2 -- status
bad XNET_DRY_RUN=perhaps -- start
bad -- start netdev=nosuch0
bad -- start netdev=lo
bad -- stop netdev=enp3s0f1np1v123 bridge=enp3s0f1np1v123
ip -n "$(ns dom0)" link add xenbr0 type veth peer name xenbr0p
before=$(nb_snapshot)
bad -- start
pass
