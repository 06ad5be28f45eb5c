#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# DHCP for NAT guests with ISC dhcpd, checked on its files (no server runs):
# network-nat start adds its subnet (with dom0's domain and nameserver),
# vif-nat online the guest's host entry and its vif in INTERFACESv4; offline
# removes exactly that (dom1 never takes dom10 along), stop the subnet; in
# the end both files are byte for byte what the administrator wrote. A
# symlinked dhcpd.conf is edited where it points. dhcp=no touches nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

nat_lab
mkdir "$T/etc"
cat >"$T/etc/dhcpd.conf" <<'CONF'
# dhcpd.conf (the administrator's)
option domain-name "example.org";
default-lease-time 600;

host printer {
  hardware ethernet 00:11:22:33:44:55;   # host dom1 { in a comment }
  fixed-address 192.168.0.9;
}
CONF
ln -s etc/dhcpd.conf "$T/dhcpd.conf"
printf '# Defaults for isc-dhcp-server\nINTERFACESv4=""\nINTERFACESv6=""\n' >"$T/isc-dhcp-server"
printf 'search lan.example\nnameserver 127.0.0.53\nnameserver 192.168.0.1\n' >"$T/resolv.conf"
cp "$T/etc/dhcpd.conf" "$T/dhcpd.orig"
cp "$T/isc-dhcp-server" "$T/defaults.orig"
# the administrator's owner, group, mode and ACL, which every edit keeps
command -v setfacl >/dev/null || skip "needs setfacl (acl)"
chown nobody:nogroup "$T/etc/dhcpd.conf" "$T/isc-dhcp-server"
chmod 0640 "$T/etc/dhcpd.conf" "$T/isc-dhcp-server"
setfacl -m u:daemon:r "$T/etc/dhcpd.conf" "$T/isc-dhcp-server" || skip "no ACLs on $T"
perms() { stat -c '%U:%G %a' "$1"; getfacl -cp "$1" 2>/dev/null | grep '^user:daemon'; }
perms_before=$(perms "$T/etc/dhcpd.conf")

host_line() { grep -E "^host $1 \\{" "$T/dhcpd.conf"; }

netnat start || fail "network-nat start"
expect_eq "$(grep '^subnet' "$T/dhcpd.conf")" \
	'subnet 10.0.0.0 netmask 255.255.0.0 { option domain-name "lan.example"; option domain-name-servers 192.168.0.1; } # network-nat' \
	"network-nat's subnet"

for f in "$T/etc/dhcpd.conf" "$T/isc-dhcp-server"; do
	expect_eq "$(perms "$f")" "$perms_before" "${f##*/} keeps its owner, group, mode and ACL"
done

nat_guest one 1 0 10.0.0.1/24 "" ip=10.0.0.1
nat_guest ten 10 0 10.0.0.10/24 "" ip=10.0.0.10
nat_guest two 1 1 "" ""
vifnat online 1 0 || fail "online dom1"
vifnat online 10 0 || fail "online dom10"
vifnat online 1 1 || fail "online dom1-2"
expect_eq "$(host_line dom1)" \
	'host dom1 { hardware ethernet 00:16:3e:00:01:00; fixed-address 10.0.0.1; option routers 10.0.0.128; option host-name "dom1"; }' \
	"dom1's host entry"
expect_eq "$(host_line dom10)" \
	'host dom10 { hardware ethernet 00:16:3e:00:0a:00; fixed-address 10.0.0.10; option routers 10.0.0.137; option host-name "dom10"; }' \
	"dom10's host entry"
expect_eq "$(host_line dom1-2)" \
	'host dom1-2 { hardware ethernet 00:16:3e:00:01:01; fixed-address 10.0.1.2; option routers 10.0.1.129; option host-name "dom1-2"; }' \
	"dom1-2's host entry (the second vif, default address)"
expect_eq "$(grep INTERFACESv4 "$T/isc-dhcp-server")" 'INTERFACESv4="vif1.0 vif10.0 vif1.1"' \
	"INTERFACESv4"
[ -L "$T/dhcpd.conf" ] || fail "the symlink was replaced"
ok "the symlink still points at etc/dhcpd.conf"

vifnat offline 1 0 || fail "offline dom1"
host_line dom1 && fail "dom1's entry is left"
host_line dom10 >/dev/null || fail "dom10's entry went with dom1's"
host_line dom1-2 >/dev/null || fail "dom1-2's entry went with dom1's"
ok "offline removed dom1's entry only"
expect_eq "$(grep INTERFACESv4 "$T/isc-dhcp-server")" 'INTERFACESv4="vif10.0 vif1.1"' \
	"INTERFACESv4 without vif1.0"
vifnat offline 1 0 || fail "offline twice"
vifnat offline 10 0 || fail "offline dom10"
vifnat offline 1 1 || fail "offline dom1-2"
netnat stop || fail "network-nat stop"
cmp "$T/dhcpd.orig" "$T/etc/dhcpd.conf" || fail "dhcpd.conf is not as it was"
cmp "$T/defaults.orig" "$T/isc-dhcp-server" || fail "the defaults file is not as it was"
ok "both files are as the administrator wrote them"

# dhcp=no: no entry, whatever files exist
vifnat online 1 0 dhcp=no || fail "online dhcp=no"
cmp "$T/dhcpd.orig" "$T/etc/dhcpd.conf" || fail "dhcp=no edited dhcpd.conf"
vifnat offline 1 0 || fail "offline after dhcp=no"
cmp "$T/dhcpd.orig" "$T/etc/dhcpd.conf" || fail "offline edited dhcpd.conf"
ok "dhcp=no leaves the files alone"

# an administrator's own subnet 10.0.0.0/16 is neither doubled nor removed
printf 'subnet 10.0.0.0 netmask 255.255.0.0 {\n}\n' >>"$T/etc/dhcpd.conf"
cp "$T/etc/dhcpd.conf" "$T/dhcpd.orig"
netnat start || fail "start with the administrator's subnet"
netnat stop || fail "stop with the administrator's subnet"
cmp "$T/dhcpd.orig" "$T/etc/dhcpd.conf" || fail "the administrator's subnet was touched"
ok "the administrator's subnet stays as it is"
pass
