#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vif-nat and network-nat execute no other program (one execve each, no
# fork), DHCP edits and dnsmasq's SIGHUP included; network-nat never
# connects to xenstore.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v strace >/dev/null || skip "needs strace"
nat_init

nat_lab
printf 'ddns-update-style none;\n' >"$T/dhcpd.conf"
printf 'INTERFACESv4=""\n' >"$T/isc-dhcp-server"
: >"$T/dnsmasq-hosts"
dnsmasq_start
nat_guest domU 1 0 10.0.0.1/24 "" ip=10.0.0.1

traced start "${NAT_ENV[@]}" "$BIN/network-nat" start
traced online XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "${NAT_ENV[@]}" "$BIN/vif-nat" online type_if=vif
traced status "${NAT_ENV[@]}" "$BIN/network-nat" status
traced vif-status XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "${NAT_ENV[@]}" "$BIN/vif-nat" status
traced offline XENBUS_PATH=backend/vif/1/0 vif=vif1.0 "${NAT_ENV[@]}" "$BIN/vif-nat" offline type_if=vif
traced stop "${NAT_ENV[@]}" "$BIN/network-nat" stop
for name in start status stop; do
	grep -Eq "connect\(.*($T/xs.sock|xenstored)" "$T/strace.$name" &&
		fail "network-nat $name connected to xenstore"
done
ok "network-nat opened no xenstore connection"
grep -q "connect(.*$T/xs.sock" "$T/strace.online" || fail "vif-nat did not use xenstore?"
grep -c 'read /.*dnsmasq-hosts' "$T/dnsmasq.log" | grep -qx 3 ||
	fail "dnsmasq was not told twice to re-read its hostsfile"
ok "the traced runs did their work"
pass
