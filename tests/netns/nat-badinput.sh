#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input to vif-nat and network-nat: exit 1, for vif-nat a one-line
# hotplug-error and hotplug-status=error, and the host exactly as it was
# (links, addresses, routes, proxy_arp, ip_forward, DHCP files, state).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

nat_lab
nat_guest domU 1 0 10.0.0.1/24
nat_guest other 2 0 10.0.0.2/24 "" ip=10.0.0.2
vifnat online 2 0 || fail "online of the other guest"
BE=backend/vif/1/0
printf 'host dom9 { }\n' >"$T/dhcpd.conf"

# Everything a failed run must leave as it was (lock files aside: they are
# made once and never removed, by design; and a link's qdisc: the kernel
# attaches one when a link first goes up and keeps it after it goes down).
world() {
	snapshot dom0 | grep -v '"qdisc"'
	sysctl_of dom0 ipv4/conf/vif1.0/proxy_arp
	sysctl_of dom0 ipv4/ip_forward
	cat "$T/dhcpd.conf"
	ls "$T" "$T/state" | grep -v '\.lock$'
}

# bad KEY=VALUE|- ENV... -- ARGS...: one case; KEY=VALUE goes to the vif's
# backend in xenstore for this case only; ENV to vif-nat's environment.
bad() {
	local kv=$1 env=() args=() before rc err old
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	args=("$@")
	[ ${#args[@]} -eq 0 ] && args=(online type_if=vif)
	xenstore-rm "$BE/hotplug-error" "$BE/hotplug-status" 2>/dev/null
	old=$(xs_read "$BE/${kv%%=*}")
	[ "$kv" != - ] && xs_write "$BE/${kv%%=*}" "${kv#*=}"
	before=$(world)
	in_ns dom0 env -i "${XENV[@]}" XENBUS_PATH=$BE vif=vif1.0 XENSTORED_PATH="$XENSTORED_PATH" \
		XNET_STATE_DIR="$XNET_STATE_DIR" "${NAT_ENV[@]}" "${env[@]}" \
		"$BIN/vif-nat" "${args[@]}" >/dev/null 2>&1 </dev/null
	rc=$?
	[ "$kv" != - ] && xenstore-rm "$BE/${kv%%=*}"
	[ "$kv" != - ] && [ -n "$old" ] && xs_write "$BE/${kv%%=*}" "$old"
	[ $rc = 1 ] || fail "[$kv ${env[*]} ${args[*]}] exit $rc, want 1"
	[ "$(world)" = "$before" ] || { diff <(echo "$before") <(world) | head; fail "[$kv ${env[*]} ${args[*]}] changed the host"; }
	[ -e "$T/pwned" ] && fail "a value ran as shell code"
	case " ${env[*]} " in *" XENBUS_PATH="*) ok "[${env[*]}] refused"; return 0 ;; esac
	err=$(xs_read "$BE/hotplug-error")
	[ -n "$err" ] && [ "$(echo "$err" | wc -l)" = 1 ] || fail "no one-line hotplug-error"
	expect_eq "$(xs_read "$BE/hotplug-status")" error "[$kv ${env[*]} ${args[*]}]: $err"
}

bad ip=10.0.0.300
bad "ip=10.0.0.1;touch $T/pwned"
bad "ip=\$(touch $T/pwned)"
bad ip=2001:db8::1
bad "ip=10.0.0.1 2001:db8::1"
bad ip=10.0.0.0/24
bad ip=10.0.0.255/24
bad ip=10.0.0.2				# routed through vif2.0 already
bad ip=10.0.0.129			# its router would be vif2.0's guest, 10.0.0.2
bad ip=192.168.0.3			# dom0's own address
bad frontend-id=abc
bad frontend-id=-1
bad frontend-id=99999
bad frontend-id=01
bad handle=x
bad handle=70000
bad handle=254				# no default address for vifid 255
bad mac=00:16:3e:zz:00:00 dhcp=yes
bad "mac=00:16:3e:00:01:00;id" dhcp=yes
bad "vifname=\$(id)"
bad vifname=vif2.0			# another guest's vif
bad - dhcp=perhaps
bad - XNET_DHCPD_CONF=relative/dhcpd.conf
bad - XNET_DNSMASQ_HOSTS=dnsmasq-hosts
bad - vif=vif1.0/../x
bad - vif=vif9.9			# netback made no such vif
bad - -- online "ip=\`touch $T/pwned\`"
bad - -- start
bad - -- online type_if=tun
bad - XENBUS_PATH=backend/vif/1/0/../../.. -- online
[ -e "$T/dnsmasq-hosts" ] && fail "a refused run started the dnsmasq hostsfile"
ok "no refused run made a DHCP file"

# A failure half-way (the DHCP config cannot be read: it is a directory)
# undoes the link, address, route and proxy_arp changes made before it.
mkdir "$T/dhcpd.d"
bad ip=10.0.0.1 XNET_DHCPD_CONF="$T/dhcpd.d"
ok "a failure half-way left the host as it was"

# network-nat: exit 1 and nothing changed
for args in "start netdev=eth9" "start netdev=\$(id)" "start dhcp=perhaps" "bogus" ""; do
	before=$(world)
	# shellcheck disable=SC2086
	netnat $args >/dev/null 2>&1 && fail "network-nat $args succeeded"
	[ "$(world)" = "$before" ] || fail "network-nat $args changed the host"
done
in_ns dom0 env -i "${XENV[@]}" PATH="$PATH" XNET_STATE_DIR="$XNET_STATE_DIR" "${NAT_ENV[@]}" \
	XNET_DHCPD_CONF=x "$BIN/network-nat" start >/dev/null 2>&1 && fail "a relative XNET_DHCPD_CONF was accepted"
ok "network-nat refuses bad input and changes nothing"
expect_eq "$(sysctl_of dom0 ipv4/ip_forward)" 0 "ip_forward untouched"
pass
