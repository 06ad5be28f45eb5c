#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Tests the test xenstore daemon with the stock xenstore tools and libxenstore.
#
# usage: test-xsd.sh [XSD_BINARY] [CLIENT_TEST_BINARY]
# Without arguments the binaries are looked for in tests/xsd/ (make check
# runs from the top build directory), then next to this script.
# XSD_WRAPPER, if set, prefixes the daemon command (e.g. a valgrind command).
# Exit status: 0 pass, 1 failure, 77 skipped (xenstore-utils missing).

# find_bin NAME: prints the first executable tests/xsd/NAME or ./NAME
find_bin() {
	for d in "${top_builddir:-.}/tests/xsd" "$(dirname "$0")"; do
		if [ -x "$d/$1" ]; then
			echo "$d/$1"
			return
		fi
	done
}

XSD=${1:-$(find_bin xsd)}
CLIENT=${2:-$(find_bin xsd-client-test)}

for tool in xenstore-read xenstore-write xenstore-ls xenstore-list \
	    xenstore-exists xenstore-rm xenstore-chmod xenstore-watch; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found (install xenstore-utils)"
		exit 77
	fi
done
if [ ! -x "$XSD" ]; then
	echo "FAIL: daemon binary ${XSD:-xsd} not found"
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/test-xsd.XXXXXX") || exit 1
sock=$dir/xenstored.sock
pidfile=$dir/xsd.pid
fgpid=
failures=0

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for p in "$(cat "$pidfile" 2>/dev/null)" "$fgpid"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null
	done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

pass() { echo "ok - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }

# check DESCRIPTION EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# wait_for CONDITION...: retries a command for up to 5 s
wait_for() {
	tries=0
	while ! "$@" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -ge 100 ] && return 1
		sleep 0.05
	done
}

# expect_ok DESCRIPTION COMMAND...: the command must succeed
expect_ok() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# expect_fail DESCRIPTION COMMAND...: the command must fail
expect_fail() {
	desc=$1
	shift
	if "$@" 2>/dev/null; then fail "$desc"; else pass "$desc"; fi
}

# shellcheck disable=SC2317 # called by wait_for
gone() { ! kill -0 "$1" 2>/dev/null; }
# shellcheck disable=SC2317 # called by wait_for
has_lines() { [ "$(wc -l <"$1")" -ge "$2" ]; }

XENSTORED_PATH=$sock
export XENSTORED_PATH

# shellcheck disable=SC2086 # XSD_WRAPPER is a command line
if ! $XSD_WRAPPER "$XSD" -D -s "$sock" -p "$pidfile"; then
	echo "FAIL - daemon did not start"
	exit 1
fi
expect_ok "socket and pid file exist when -D returns" \
	test -S "$sock" -a -s "$pidfile"
daemon=$(cat "$pidfile")

xenstore-write /test/a hello
check "write and read" hello "$(xenstore-read /test/a)"

xenstore-write backend/vif/1/0/ip 10.0.0.1
check "relative write, absolute read" 10.0.0.1 \
	"$(xenstore-read /local/domain/0/backend/vif/1/0/ip)"
check "relative read" 10.0.0.1 "$(xenstore-read backend/vif/1/0/ip)"

xenstore-write /m/a 1 /m/b 2 /m/c/d "x y"
check "several pairs in one write" "1 2 x y" \
	"$(xenstore-read /m/a) $(xenstore-read /m/b) $(xenstore-read /m/c/d)"

check "xenstore-ls" 'a = "1"
b = "2"
c = ""
 d = "x y"' "$(xenstore-ls /m)"
check "xenstore-list" "a b c" "$(xenstore-list /m | tr '\n' ' ' | sed 's/ $//')"

expect_ok "exists on a node" xenstore-exists /m/a
expect_fail "exists on a missing node" xenstore-exists /m/nope

xenstore-rm /m
expect_fail "recursive rm removes the subtree" xenstore-exists /m/c/d
expect_fail "recursive rm removes the node" xenstore-exists /m
expect_fail "rm below a missing parent fails" xenstore-rm /m/nothing/below

xenstore-write /perm/node v
xenstore-chmod /perm/node n0 r5
check "chmod and ls -p" '(n0,r5)' \
	"$(xenstore-ls -p /perm | sed -n 's/.*\((.*)\)$/\1/p')"

expect_fail "path with // rejected" xenstore-read /bad//path
expect_fail "path with a space rejected" xenstore-write '/bad path' x
expect_fail "path with a trailing / rejected" xenstore-write /bad/ x

xenstore-watch -n 2 /wt >"$dir/watch.out" 2>&1 &
watcher=$!
if wait_for has_lines "$dir/watch.out" 1; then
	xenstore-write /wt/x 1
	wait_for gone $watcher
fi
kill $watcher 2>/dev/null
wait $watcher 2>/dev/null
check "xenstore-watch initial and change events" "/wt /wt/x" \
	"$(tr '\n' ' ' <"$dir/watch.out" | sed 's/ $//')"

i=1
while [ $i -le 50 ]; do
	xenstore-write "/conc/k$i" "v$i" &
	i=$((i + 1))
done
wait
n=0
i=1
while [ $i -le 50 ]; do
	[ "$(xenstore-read "/conc/k$i" 2>/dev/null)" = "v$i" ] && n=$((n + 1))
	i=$((i + 1))
done
check "50 concurrent writers" 50 "$n"

if [ -n "$CLIENT" ]; then
	if "$CLIENT"; then
		pass "libxenstore client test"
	else
		fail "libxenstore client test"
	fi
else
	echo "# xsd-client-test not found, skipping the libxenstore checks"
fi

kill -TERM "$daemon"
if wait_for gone "$daemon" && [ ! -e "$sock" ] && [ ! -e "$pidfile" ]; then
	pass "SIGTERM removes socket and pid file"
else
	fail "SIGTERM did not end the daemon cleanly"
fi

# A foreground daemon, to see its exit status.
fgsock=$dir/fg.sock
"$XSD" -s "$fgsock" &
fgpid=$!
if wait_for env XENSTORED_PATH="$fgsock" xenstore-exists /local/domain/0; then
	kill -TERM $fgpid
	wait $fgpid
	status=$?
	fgpid=
	check "SIGTERM exit status" 0 "$status"
else
	fail "foreground daemon not reachable"
fi

if [ $failures -ne 0 ]; then
	echo "FAIL: $failures check(s) failed"
	exit 1
fi
echo "PASS"
exit 0
