#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# DHCP for NAT guests with dnsmasq: network-nat start dhcp=yes starts the
# hostsfile and optsfile; vif-nat online adds the guest's entries and makes
# the running dnsmasq re-read them (SIGHUP through its pidfile); a DHCP
# client in the guest gets its fixed address and router; offline removes
# exactly that guest's entries (dom1, never dom10) and dnsmasq forgets it
# (and survives: it crashes re-reading hostsfile tags, so there are none).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init
command -v dnsmasq >/dev/null || skip "needs dnsmasq (dnsmasq-base)"
command -v busybox >/dev/null || skip "needs busybox (udhcpc)"

nat_lab
netnat start dhcp=yes || fail "network-nat start dhcp=yes"
[ -f "$T/dnsmasq-hosts" ] && [ -f "$T/dnsmasq-opts" ] || fail "no hostsfile or optsfile"
ok "network-nat start made the hostsfile and optsfile"
# dnsmasq runs before any guest: it knows a guest only once told to re-read
dnsmasq_start

nat_guest one 1 0 "" "" ip=10.0.0.1
nat_guest ten 10 0 "" "" ip=10.0.0.10
vifnat online 1 0 || fail "online dom1"
vifnat online 10 0 || fail "online dom10"
grep -qx "00:16:3e:00:01:00,10.0.0.1,dom1" "$T/dnsmasq-hosts" ||
	fail "no dom1 line in the hostsfile"
grep -qx "tag:vif1.0,option:router,10.0.0.128" "$T/dnsmasq-opts" ||
	fail "no vif1.0 line in the optsfile"
ok "hostsfile and optsfile entries"

dhcp_client one || fail "the guest got no lease"
expect_eq "$(cat "$T/lease.one")" "ip=10.0.0.1 subnet=255.255.0.0 router=10.0.0.128" \
	"dom1's lease"
dhcp_client ten || fail "dom10 got no lease"
expect_eq "$(cat "$T/lease.ten")" "ip=10.0.0.10 subnet=255.255.0.0 router=10.0.0.137" \
	"dom10's lease"
# what the lease says works: address, router, and on through dom0
in_ns one ip addr add 10.0.0.1/16 dev eth0
in_ns one ip route add default via 10.0.0.128
ping_ok one 10.0.0.128
ping_ok one 192.168.0.3

vifnat offline 1 0 || fail "offline dom1"
grep -q ",dom1$" "$T/dnsmasq-hosts" && fail "dom1's hostsfile line is left"
grep -q "^tag:vif1.0," "$T/dnsmasq-opts" && fail "vif1.0's optsfile line is left"
grep -q ",dom10$" "$T/dnsmasq-hosts" || fail "dom10's line went with dom1's"
grep -q "^tag:vif10.0," "$T/dnsmasq-opts" || fail "vif10.0's line went with vif1.0's"
ok "offline removed dom1's entries only"
# dnsmasq was told: with vif1.0 back up by hand, dom1 gets no lease
ip -n "$(ns dom0)" link set vif1.0 up
ip -n "$(ns dom0)" addr add 10.0.0.128/32 dev vif1.0
in_ns one ip addr flush dev eth0
dhcp_client one && fail "dnsmasq still serves dom1 after offline"
ok "dnsmasq forgot dom1"
dhcp_client ten || fail "dom10 lost its lease"
ok "dom10 still gets its lease"

kill -0 "$DNSMASQ_PID" || fail "dnsmasq died"
ok "dnsmasq still runs"

# a dnsmasq that is not running (stale pidfile) is no error
kill "$DNSMASQ_PID"
while kill -0 "$DNSMASQ_PID" 2>/dev/null; do sleep 0.1; done
DNSMASQ_PID=
vifnat offline 10 0 || fail "offline with dnsmasq gone"
expect_eq "$(cat "$T/dnsmasq-hosts" "$T/dnsmasq-opts")" "" "hostsfile and optsfile empty again"
pass
