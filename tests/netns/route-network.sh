#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-route start|stop|status: start turns on IPv4/IPv6 forwarding,
# proxy ARP and proxy NDP on netdev (and accept_ra=2 where it was 1, so
# that the host keeps learning its IPv6 default route); stop writes back
# exactly what start found, values that were 1 already included; a second
# start keeps the first one's originals; stop with nothing saved does
# nothing. No xenstore is needed. Unknown commands: usage, exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
lab_init

ns_add dom0
[ -e /proc/sys/net/ipv6 ] || skip "no IPv6"
ip -n "$(ns dom0)" link add eth0 type veth peer name eth0p
ip -n "$(ns dom0)" link add eth1 type veth peer name eth1p
ip -n "$(ns dom0)" addr add 192.168.0.3/24 dev eth0

KEYS="net/ipv4/ip_forward net/ipv4/conf/eth0/proxy_arp net/ipv6/conf/all/forwarding
net/ipv6/conf/eth0/proxy_ndp net/ipv6/conf/eth0/accept_ra net/ipv4/conf/eth1/proxy_arp
net/ipv6/conf/eth1/proxy_ndp net/ipv6/conf/eth1/accept_ra"
values() { local k; for k in $KEYS; do printf '%s ' "$(sysctl_of dom0 "$k" 2>/dev/null)"; done; }
set_values() {
	local k v
	for k in $KEYS; do
		v=$1
		shift
		in_ns dom0 sh -c "echo $v > /proc/sys/$k"
	done
}

# IPv6 forwarding is 1 already, and eth0's proxy_ndp too: stop leaves them 1.
set_values 0 0 1 1 1 0 0 1
orig=$(values)
expect_eq "$orig" "0 0 1 1 1 0 0 1 " "the values before start"
# status: one check a line, a failure for each setting start would change
fails() { nr status --json | jq -r '.checks[] | select(.verdict == "FAIL") | .check'; }
nr status | sed 's/^/# /'
nr status >/dev/null && fail "status exits 0 before start"
expect_eq "$(fails)" "IPv4 forwarding is on (net/ipv4/ip_forward = 0)
proxy ARP is on for eth0 (net/ipv4/conf/eth0/proxy_arp = 0)
router advertisements count on eth0 while forwarding (accept_ra is not 1) (net/ipv6/conf/eth0/accept_ra = 1)" \
	"status before start: the settings start would change fail"
nr status | grep -qx "ok    IPv6 forwarding is on (net/ipv6/conf/all/forwarding = 1)" ||
	fail "status: forwarding verdict"
nr status | grep -qx "warn  network-route start has run (no record $XNET_STATE_DIR/network-route)" ||
	fail "status: not started"
ok "status before start: each setting's verdict, exit 1"

nr start || fail "start"
expect_eq "$(values)" "1 1 1 1 2 0 0 1 " "start: forwarding, proxy_arp, proxy_ndp, accept_ra=2 on eth0"
saved=$(cat "$XNET_STATE_DIR/network-route")
out=$(nr status) || fail "status exited $?"
grep -q "^ok: 9 checks, 0 failed, 0 warnings$" <<<"$out" || fail "status after start: $out"
grep -q "^ok    network-route start has run" <<<"$out" || fail "status after start: not started"
ok "status after start: all ok"

# a second start (and one for eth1) keeps what the first one found
nr start || fail "second start"
expect_eq "$(cat "$XNET_STATE_DIR/network-route")" "$saved" "a second start keeps the saved values"
nr start netdev=eth1 || fail "start netdev=eth1"
expect_eq "$(values)" "1 1 1 1 2 1 1 2 " "start netdev=eth1"

nr stop || fail "stop"
expect_eq "$(values)" "$orig" "stop restores exactly what start found"
[ -e "$XNET_STATE_DIR/network-route" ] && fail "stop left its state"
nr stop || fail "stop with nothing saved"
expect_eq "$(values)" "$orig" "stop with nothing saved changes nothing"
out=$(nr status) && fail "status exits 0 after stop"
grep -q "^warn  network-route start has run (no record" <<<"$out" || fail "status after stop: $out"
ok "status after stop: not started, the settings off again"

# all values 1 already: stop leaves them 1
set_values 1 1 1 1 0 1 1 0
nr start || fail "start"
expect_eq "$(values)" "1 1 1 1 0 1 1 0 " "start with everything on: accept_ra=0 left alone"
nr stop || fail "stop"
expect_eq "$(values)" "1 1 1 1 0 1 1 0 " "stop leaves values that were on"

# netdev gone before stop: the rest is restored
set_values 0 0 0 0 1 0 0 1
nr start netdev=eth1 || fail "start netdev=eth1"
ip -n "$(ns dom0)" link del eth1
nr stop || fail "stop after eth1 went"
expect_eq "$(sysctl_of dom0 net/ipv4/ip_forward) $(sysctl_of dom0 net/ipv6/conf/all/forwarding)" \
	"0 0" "forwarding restored after netdev went"

# bad commands and netdevs: exit 1, usage on stderr, nothing changed
before=$(values; snapshot dom0)
for args in restart "" "start extra" "START" "--bogus" "start netdev=eth9" "start netdev=eth0;id"; do
	# shellcheck disable=SC2086
	nr $args >"$T/out" 2>"$T/err" && fail "'$args' succeeded"
	expect_eq "$?" 1 "'$args' exits 1"
	[ -s "$T/out" ] && fail "'$args' wrote to stdout"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "'$args': not one line on stderr"
	case $args in
	*eth9*) grep -q "eth9 does not exist" "$T/err" || fail "'$args': $(cat "$T/err")" ;;
	restart | START | --bogus) grep -q "usage: network-route start|stop|status" "$T/err" ||
		fail "no usage: $(cat "$T/err")" ;;
	esac
	ok "'$args': $(cat "$T/err")"
done
expect_eq "$(values; snapshot dom0)" "$before" "bad commands changed nothing"
pass
