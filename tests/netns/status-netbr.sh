#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-bridge status: the seed guide's bridge troubleshooting (ifconfig:
# is there a xenbr0, is the NIC in it, who holds the address) done by the
# program. After start, break one thing at a time (NIC out of the bridge,
# STP on, forward delay, an address or a route left on the NIC, the
# default route, the antispoof set): status must name exactly that, with
# its fix, and exit 1; healthy, all ok, exit 0; before start it names the
# missing bridge. Both layouts (xenbr0, and the bridge taking eth0's name).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netbr.sh"
. "$(dirname "$0")/lib-status.sh"
command -v nft >/dev/null || skip "needs nft"
lab_init

host_lab eth0
STATUS_PROG="network-bridge"
STATUS_ENV=()
status_is "bridge xenbr0 exists"
expect_eq "$(status_fix "bridge xenbr0 exists")" "network-bridge start netdev=eth0 bridge=xenbr0" \
	"before start: the fix is start"
status_leaves_no_trace

nb start || fail "start"
status_is
expect_eq "$(status_warns)" "" "after start: no warning"
status_out | grep -qx "ok    network-bridge start made this layout (its record $XNET_STATE_DIR/network-bridge.xenbr0)" ||
	fail "no record line: $(status_out)"
status_leaves_no_trace

ip -n "$(ns dom0)" link set eth0 nomaster
ping_fails dom0 192.168.0.1
status_is "eth0 is a port of xenbr0"
ip -n "$(ns dom0)" link set eth0 master xenbr0
ping_ok dom0 192.168.0.1

STP="xenbr0 has STP off and forward delay 0"
ip -n "$(ns dom0)" link set xenbr0 type bridge stp_state 1	# (the kernel makes the delay 2 s)
status_is "$STP (now stp_state 1, forward_delay 200)"
expect_eq "$(status_fix "$STP (now stp_state 1, forward_delay 200)")" \
	"ip link set dev xenbr0 type bridge stp_state 0 forward_delay 0" "STP's fix"
ip -n "$(ns dom0)" link set xenbr0 type bridge stp_state 0 forward_delay 1500
status_is "$STP (now stp_state 0, forward_delay 1500)"
ip -n "$(ns dom0)" link set xenbr0 type bridge forward_delay 0

ip -n "$(ns dom0)" addr add 192.168.7.9/24 dev eth0
status_is "eth0 holds no address of its own (now 192.168.7.9/24)"
expect_eq "$(status_fix "eth0 holds no address of its own (now 192.168.7.9/24)")" \
	"ip addr del 192.168.7.9/24 dev eth0; ip addr add 192.168.7.9/24 dev xenbr0" \
	"the address's fix"
ip -n "$(ns dom0)" addr del 192.168.7.9/24 dev eth0

ip -n "$(ns dom0)" route add 10.50.0.0/16 via 192.168.0.254 dev eth0 onlink
status_is "eth0 has no routes of its own (now 10.50.0.0/16 via 192.168.0.254 dev eth0 onlink)"
ip -n "$(ns dom0)" route del 10.50.0.0/16 dev eth0

DEFAULT="the default route goes through xenbr0"
ip -n "$(ns dom0)" route del default
ip -n "$(ns dom0)" route add default via 192.168.0.1 dev eth0 onlink
status_is "$DEFAULT"
expect_eq "$(status_fix "$DEFAULT")" "ip route replace default via 192.168.0.1 dev xenbr0" \
	"the default route's fix"
ip -n "$(ns dom0)" route del default
status_is	# the IPv6 default route goes through xenbr0
ip -n "$(ns dom0)" -6 route del default
status_is
expect_eq "$(status_warns)" "$DEFAULT (there is none)" "no default route at all: a warning"
ip -n "$(ns dom0)" route add default via 192.168.0.1 dev xenbr0
ip -n "$(ns dom0)" -6 route add default via 2001:db8::1 dev xenbr0
status_is

# antispoof: asked for, and not in place; then started with it
STATUS_ENV=(XNET_ANTISPOOF=yes)
status_is "antispoof: xenbr0 is in nft set bridge xen @strict_bridges"
STATUS_ENV=()
nb stop || fail "stop"
status_is "bridge xenbr0 exists"
nb start antispoof=yes || fail "start antispoof=yes"
status_is
status_out | grep -qx "ok    antispoof: xenbr0 is in nft set bridge xen @strict_bridges" ||
	fail "antispoof recorded but not checked: $(status_out)"
in_ns dom0 nft delete element bridge xen strict_bridges '{ "xenbr0" }' || fail "delete xenbr0"
status_is "antispoof: xenbr0 is in nft set bridge xen @strict_bridges"
nb stop || fail "stop"

# the layout where the bridge takes the NIC's name
STATUS_ENV=(bridge=eth0)
status_is "NIC peth0 exists (eth0, renamed)" "bridge eth0 exists (it is not a bridge)"
nb start bridge=eth0 || fail "start bridge=eth0"
status_is
ip -n "$(ns dom0)" link set peth0 nomaster
status_is "peth0 is a port of eth0"
ip -n "$(ns dom0)" link set peth0 master eth0
STATUS_ENV=()
status_is	# a bare status finds that layout too
nb stop bridge=eth0 || fail "stop"

# a start killed half-way: status names the journal it left, and the fix
NB_ENV=XNET_KILL_AT=6 nb start && fail "a start killed at its 6th change succeeded"
INTERRUPTED="network-bridge starting of bridge xenbr0 was interrupted (journal $XNET_STATE_DIR/network-bridge.xenbr0)"
status_out | grep -qx "FAIL  $INTERRUPTED" || fail "no line for the interrupted start: $(status_out)"
expect_eq "$(status_fix "$INTERRUPTED")" \
	"network-bridge start netdev=eth0 bridge=xenbr0 (it finishes from the journal)" "its fix"
nb start || fail "start after the killed one"
status_is
nb stop || fail "stop"

# a bridge made by hand: checked the same, and said to be no start's
ip -n "$(ns dom0)" link add xenbr0 type bridge stp_state 0 forward_delay 0
ip -n "$(ns dom0)" link set eth0 master xenbr0
ip -n "$(ns dom0)" link set xenbr0 up
status_is "eth0 holds no address of its own (now 192.168.0.3/24)" "$DEFAULT" \
	"eth0 has no routes of its own (now 10.40.0.0/16 via 192.168.0.254 dev eth0 table 100)"
expect_eq "$(status_warns)" "xenbr0 holds the host's addresses (none)" "the bridge has none"
status_out | grep -qx "ok    xenbr0 was not made by network-bridge start (no record $XNET_STATE_DIR/network-bridge.xenbr0): stop leaves it alone" ||
	fail "no line for a bridge start did not make: $(status_out)"
ok "a bridge made by hand: no record, and status says what stop will do"
pass
