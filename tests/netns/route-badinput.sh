#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input to vif-route: exit 1, a one-line hotplug-error, hotplug-status
# error, and the host exactly as it was (links, addresses, routes, proxy
# entries, the vifs' sysctls), with no state file written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

route_lab
ip -n "$(ns dom0)" link add eth1 type veth peer name eth1p	# no address
ip -n "$(ns dom0)" link set eth1 up
rguest domU 1 0 10.0.0.1/24
BE=backend/vif/1/0
xs_vif 1 0 "$GUEST_MAC"

# bad KEY=VALUE|- [ENV...] [-- ARGS...] [@ WORD]: one case; KEY=VALUE goes to
# xenstore for this case only; WORD must appear in hotplug-error.
bad() {
	local kv=$1 env=() args=() word= before rc err
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ] && [ "$1" != @ ]; do env+=("$1"); shift; done
	if [ $# -gt 0 ] && [ "$1" = -- ]; then
		shift
		while [ $# -gt 0 ] && [ "$1" != @ ]; do args+=("$1"); shift; done
	fi
	[ $# -gt 0 ] && word=$2
	[ ${#args[@]} -eq 0 ] && args=(online type_if=vif)
	xenstore-rm "$BE/hotplug-error" "$BE/hotplug-status" 2>/dev/null
	[ "$kv" != - ] && xs_write "$BE/${kv%%=*}" "${kv#*=}"
	before=$(rsnapshot dom0)
	in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=$BE vif=vif1.0 XENSTORED_PATH="$XENSTORED_PATH" \
		XNET_STATE_DIR="$XNET_STATE_DIR" "${env[@]}" "$BIN/vif-route" "${args[@]}" \
		</dev/null >/dev/null 2>&1
	rc=$?
	[ "$kv" != - ] && xenstore-rm "$BE/${kv%%=*}"
	[ $rc = 1 ] || fail "[$kv ${env[*]} ${args[*]}] exit $rc, want 1"
	rexpect_unchanged dom0 "$before" "[$kv ${env[*]} ${args[*]}]"
	[ -e "$T/pwned" ] && fail "a value ran as shell code"
	[ -e "$XNET_STATE_DIR/vif-route.1.0.vif" ] && fail "state written by a refused run"
	err=$(xs_read "$BE/hotplug-error")
	[ -n "$err" ] && [ "$(echo "$err" | wc -l)" = 1 ] || fail "no one-line hotplug-error"
	case $err in *"$word"*) ;; *) fail "hotplug-error '$err' does not say '$word'" ;; esac
	expect_eq "$(xs_read "$BE/hotplug-status")" error "status of [$kv ${env[*]} ${args[*]}]: $err"
}

bad ip=10.0.0.300 @ 10.0.0.300
bad ip=10.0.0.1/33 @ 10.0.0.1/33
bad ip=::g @ ::g
bad "ip=1.2.3.4;reboot" @ "1.2.3.4;reboot"
bad "ip=10.0.0.1, 10.0.0.2"
bad "ip=10.0.0.1 \$(touch $T/pwned)"
bad "ip=10.0.0.1 \`touch $T/pwned\`"
bad ip=127.0.0.1
bad ip=224.0.0.1
bad ip=ff02::1
bad "ip=10.0.0.1 ::"
bad ip=10.0.0.1/-1
bad ip=10.0.0.1/
# an address with a netmask: refused, not widened to the network
bad "ip=10.0.0.2 10.0.0.1/24" @ "10.0.0.1/24"
bad ip=2001:db8::6/64 @ "2001:db8::6/64"
bad ip=fe80::1 @ link-local
bad "vifname=\$(id)"
bad - "netdev=eth0;id" @ netdev
bad - "netdev=\$(touch $T/pwned)"
bad - -- online type_if=vif "ip=10.0.0.1|true"
# netdev without an address, or missing: a clear error naming it
bad - netdev=eth1 @ "eth1 has no IPv4 address"
bad - netdev=eth9 @ "eth9 does not exist"
bad ip=10.0.0.1 -- online type_if=vif netdev=eth1 @ eth1
# the vif is not there
ip -n "$(ns dom0)" link set vif1.0 name vifX
bad ip=10.0.0.1 @ vif1.0
ip -n "$(ns dom0)" link set vifX name vif1.0
# IPv6 entries on a kernel without IPv6 cannot be tested here; the default
# netdev (the default route's, eth0) without an address:
ip -n "$(ns dom0)" addr flush dev eth0
ip -n "$(ns dom0)" route add default dev eth0
bad ip=10.0.0.1 @ "eth0 has no IPv4 address"
# and no default route, no eth0 at all
ip -n "$(ns dom0)" link del eth0
bad ip=10.0.0.1 @ "eth0 does not exist"
pass
