#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input to vif-bridge: exit 1, a one-line hotplug-error (when the path is
# valid), hotplug-status=error, and the host exactly as it was.
. "$(dirname "$0")/lib.sh"
lab_init

ns_add dom0
bridge_dom0
ip -n "$(ns dom0)" link add eth0 type veth peer name eth1
guest domU 1 0 192.168.0.6/24
BE=backend/vif/1/0
xs_vif 1 0 "$GUEST_MAC"

# bad KEY=VALUE|- ENV... -- ARGS...: one case; KEY=VALUE goes to xenstore
# under the vif's backend for this case only.
bad() {
	local kv=$1 env=() args=() before out rc err
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	args=("$@")
	[ ${#args[@]} -eq 0 ] && args=(online type_if=vif)
	xenstore-rm "$BE/hotplug-error" "$BE/hotplug-status" 2>/dev/null
	[ "$kv" != - ] && xs_write "$BE/${kv%%=*}" "${kv#*=}"
	before=$(snapshot dom0)
	out=$(in_ns dom0 env -i XENBUS_PATH=$BE vif=vif1.0 "${XENV[@]}" \
		"${env[@]}" "$BIN/vif-bridge" "${args[@]}" 2>&1 </dev/null)
	rc=$?
	[ "$kv" != - ] && xenstore-rm "$BE/${kv%%=*}"
	[ $rc = 1 ] || fail "[$kv ${env[*]} ${args[*]}] exit $rc, want 1"
	expect_unchanged dom0 "$before" "[$kv ${env[*]} ${args[*]}]"
	[ -e "$T/pwned" ] && fail "a value ran as shell code"
	case " ${env[*]} " in *" XENBUS_PATH="*) return 0 ;; esac
	err=$(xs_read "$BE/hotplug-error")
	[ -n "$err" ] && [ "$(echo "$err" | wc -l)" = 1 ] || fail "no one-line hotplug-error"
	expect_eq "$(xs_read "$BE/hotplug-status")" error "status of [$kv ${env[*]} ${args[*]}]: $err"
}

bad bridge=xenbr9
bad bridge=eth0
bad "bridge=\$(touch $T/pwned)"
bad "bridge=xenbr0;touch $T/pwned"
bad "bridge=\`touch $T/pwned\`"
bad "bridge=xenbr0 | true"
bad bridge=verylongbridgename0
bad ip=10.0.0.300
bad "ip=1.2.3.4;reboot"
bad "ip=10.0.0.1, 10.0.0.2"
bad ip=::g
bad $'bridge=xen\x01br0'
bad $'ip=10.0.0.1\v10.0.0.2'			# (tabs and newlines separate entries)
bad ip=2001:db8::1/129
bad ip=10.0.0.1/
bad "ip=10.0.0.1 junk 10.0.0.2"
bad ip=::ffff:1.2.3.4/200
bad mac=00:16:3e:zz:00:01
bad mac=00:16:3e:00:01
bad "mac=\$(id)"
bad $'vifname=web\x7f0'
bad mtu=1e3
bad mtu=-1
bad mtu=99999999999
bad mtu=0
bad "vifname=web 0"
bad "vifname=\$(id)"
bad vifname=a/b
bad vifname=web0123456789012
bad - vif=vif1.0/../x
bad - XNET_STATE_DIR=run/xnet			# relative: an error, not the default
bad - XNET_HOOK_DIR=hooks
bad - vif=vif1.0123456789012
bad - "vif=vif1.0;id"
bad - -- start
bad - -- online type_if=tun
bad - -- online type_if=vif extra
bad - -- online "bridge=\$(id)"
bad - -- type_if=vif
bad - "bridge=x y"
bad - XENBUS_PATH=backend/vif/1/0/../../.. -- online
bad - XENBUS_PATH=backend/vbd/1/0 -- online
bad - XENBUS_PATH= -- online
xs_read "backend/vif/1/0/../../../hotplug-error" >/dev/null 2>&1 && fail "wrote above the backend"

# netback has not made the vif (or removed it already)
ip -n "$(ns dom0)" link set vif1.0 name vifX
bad -
ip -n "$(ns dom0)" link set vifX name vif1.0
# no bridge at all, and none named
ip -n "$(ns dom0)" link del xenbr0
bad -
# no xenstored: a clear error naming the socket, quickly
out=$(in_ns dom0 env -i XENBUS_PATH=$BE vif=vif1.0 "${XENV[@]}" XENSTORED_PATH="$T/nosuch.sock" \
	timeout 40 "$BIN/vif-bridge" online type_if=vif 2>&1)
rc=$?
expect_eq "$rc" 1 "exit without xenstored"
case $out in *"$T/nosuch.sock"*) ok "the error names the socket: $out" ;; *) fail "no socket in '$out'" ;; esac
pass
