#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-nat start|stop|status: start turns IPv4 forwarding on, stop puts
# back what the first start found (start twice does not lose it), for each
# uplink started; dhcp=no works; a missing netdev changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init

nat_lab
fwd() { sysctl_of dom0 ipv4/ip_forward; }

netnat start || fail "bare start (dhcp off: no DHCP server here)"
expect_eq "$(fwd)" 1 "start: ip_forward"
netnat start || fail "start twice"
netnat status >/dev/null || fail "status"
netnat stop || fail "stop"
expect_eq "$(fwd)" 0 "stop: ip_forward as the first start found it"
no_masquerade_left eth0
netnat stop || fail "stop twice"
expect_eq "$(fwd)" 0 "stop twice: ip_forward"

netnat start dhcp=no netdev=eth0 || fail "start dhcp=no"
netnat stop dhcp=no netdev=eth0 || fail "stop dhcp=no"
expect_eq "$(fwd)" 0 "dhcp=no: ip_forward back"

# forwarding that was on stays on
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1
netnat start || fail "start with forwarding on"
netnat stop || fail "stop with forwarding on"
expect_eq "$(fwd)" 1 "stop leaves forwarding on when it was"
in_ns dom0 sysctl -qw net.ipv4.ip_forward=0

# two uplinks: forwarding stays on until the last one stops
ip -n "$(ns dom0)" link add wan0 type veth peer name wan1
ip -n "$(ns dom0)" link set wan0 up
netnat start netdev=eth0 || fail "start eth0"
netnat start netdev=wan0 || fail "start wan0"
netnat stop netdev=eth0 || fail "stop eth0"
expect_eq "$(fwd)" 1 "forwarding on while wan0 is still started"
netnat stop netdev=wan0 || fail "stop wan0"
expect_eq "$(fwd)" 0 "forwarding off after the last uplink"
no_masquerade_left wan0

# a bare stop undoes a bare start even when the default route moved since
netnat start || fail "bare start"
ip -n "$(ns dom0)" route replace default dev wan0
netnat stop || fail "bare stop"
expect_eq "$(fwd)" 0 "bare stop after the default route moved"

# a netdev that does not exist: exit 1, nothing changed
before=$(snapshot dom0)
netnat start netdev=eth9 2>/dev/null && fail "start netdev=eth9 succeeded"
expect_eq "$(fwd)" 0 "a failed start leaves ip_forward"
expect_unchanged dom0 "$before" "start netdev=eth9"
netnat start "netdev=eth0;id" 2>/dev/null && fail "start with a bad netdev succeeded"
netnat bogus 2>/dev/null && fail "an unknown command succeeded"
ok "bad input refused"
# a failure half-way (dhcpd.conf cannot be read: a directory) is undone
mkdir "$T/dhcpd.conf"
netnat start 2>/dev/null && fail "start with an unreadable dhcpd.conf succeeded"
expect_eq "$(fwd)" 0 "a start failing half-way puts ip_forward back"
expect_eq "$(ls "$XNET_STATE_DIR" | grep -v '\.lock$')" "" "and keeps no state"
rmdir "$T/dhcpd.conf"
expect_eq "$(fwd)" 0 "bad input leaves ip_forward"
pass
