#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# network-route and network-nat share ip_forward: whichever starts first
# turns it on and keeps the value it found, whichever stops last puts that
# back. One mode's stop never turns forwarding off under the other's
# guests, nor leaves it on after both stopped (each stop used to write
# back what its own start had found).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-nat.sh"
nat_init

nat_lab		# ip_forward=0, as on a fresh host
fwd() { sysctl_of dom0 ipv4/ip_forward; }

for order in "nat route" "route nat"; do
	# shellcheck disable=SC2086
	set -- $order
	for m in "$1" "$2"; do
		case $m in nat) netnat start || fail "network-nat start" ;;
		route) nr start || fail "network-route start" ;; esac
	done
	expect_eq "$(fwd)" 1 "$order started: forwarding on"
	case $1 in nat) netnat stop || fail "network-nat stop" ;;
	route) nr stop || fail "network-route stop" ;; esac
	expect_eq "$(fwd)" 1 "$1 stopped first: forwarding stays on for $2's guests"
	case $2 in nat) netnat stop || fail "network-nat stop" ;;
	route) nr stop || fail "network-route stop" ;; esac
	expect_eq "$(fwd)" 0 "$2 stopped last: forwarding back off, as found"
done

# forwarding that was on before either start stays on after both
in_ns dom0 sysctl -qw net.ipv4.ip_forward=1
netnat start || fail "network-nat start"
nr start || fail "network-route start"
netnat stop || fail "network-nat stop"
nr stop || fail "network-route stop"
expect_eq "$(fwd)" 1 "forwarding found on stays on"
[ -e "$XNET_STATE_DIR/ip_forward" ] && fail "the shared record is left behind"
ok "no record is left"
pass
