# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh: shared set-up for the netns scenario tests (sourced, bash).
#
# Each test builds its own topology in network namespaces named after its
# pid, so that tests can run in parallel; everything is removed on exit.
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

set -u
SKIP=77
FAIL=1

: "${top_builddir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
BIN=$top_builddir/src
XSD=$top_builddir/tests/xsd/xsd
P=xn$$
T=
XSD_PID=
# rounds of the load tests: 5, unless a second pass of the suite (the
# sanitizer build, distcheck) asks for fewer
ROUNDS=${XNET_TEST_ROUNDS:-5}

log() { printf '# %s\n' "$*"; }
skip() { echo "SKIP: $*"; exit $SKIP; }
fail() { echo "FAIL: $*"; exit $FAIL; }
pass() { echo "PASS: ${0##*/}"; exit 0; }
ok() { echo "ok - $*"; }

cleanup() {
	local n
	[ -n "$XSD_PID" ] && kill "$XSD_PID" 2>/dev/null
	for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$P-"); do
		# a process left in it (a server, a run started in the
		# background) would keep the namespace and its links alive
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	[ -n "$T" ] && rm -rf "$T"
}

# Skips unless root with network namespaces, veth, bridges and the tools.
lab_init() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	local t
	for t in ip jq ping bridge xenstore-read; do
		command -v "$t" >/dev/null || skip "needs $t"
	done
	[ -x "$XSD" ] || skip "test xenstore daemon not built"
	trap cleanup EXIT
	trap 'exit 99' INT TERM
	ip netns add "$P-probe" 2>/dev/null || skip "cannot create network namespaces"
	ip -n "$P-probe" link add probe0 type veth peer name probe1 2>/dev/null ||
		skip "no veth support"
	ip -n "$P-probe" link add probebr type bridge 2>/dev/null || skip "no bridge support"
	ip netns del "$P-probe"
	T=$(mktemp -d /tmp/xnet-test.XXXXXX)
	# state, locks, the hotplug log and hooks of this test only (the
	# programs' defaults are /run/xnet, /var/log/xen/xen-hotplug.log and
	# /etc/xen/scripts/vif-post.d)
	export XNET_STATE_DIR=$T/state XNET_HOTPLUG_LOG=$T/xen-hotplug.log XNET_HOOK_DIR=$T/hooks
	xsd_start
	# the base environment of a program run with `env -i "${XENV[@]}" ...`
	XENV=(PATH="$PATH" XENSTORED_PATH="$XENSTORED_PATH" XNET_STATE_DIR="$XNET_STATE_DIR"
		XNET_HOTPLUG_LOG="$XNET_HOTPLUG_LOG" XNET_HOOK_DIR="$XNET_HOOK_DIR")
}

xsd_start() {
	"$XSD" -s "$T/xs.sock" -p "$T/xs.pid" -D || fail "test xenstored did not start"
	XSD_PID=$(cat "$T/xs.pid")
	export XENSTORED_PATH=$T/xs.sock
}

ns() { echo "$P-$1"; }
in_ns() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }
# New namespaces skip IPv6 duplicate address detection, so that addresses
# and their routes settle at once and snapshots compare equal.
ns_add() {
	local n
	for n in "$@"; do
		ip netns add "$P-$n" || fail "ip netns add $P-$n"
		ip netns exec "$P-$n" sh -c 'for f in all default; do
			echo 0 > /proc/sys/net/ipv6/conf/$f/accept_dad; done' 2>/dev/null
		ip -n "$P-$n" link set lo up
	done
}

xs_write() { xenstore-write -- "$@" || fail "xenstore-write $*"; }
xs_read() { xenstore-read "$@" 2>/dev/null; }

# xs_vif DOMID DEVID MAC [key=value...]: the keys libxl writes for a vif.
xs_vif() {
	local d=$1 n=$2 mac=$3 be=/local/domain/0/backend/vif/$1/$2 fe=/local/domain/$1/device/vif/$2
	shift 3
	local args=("$be/frontend" "$fe" "$be/frontend-id" "$d" "$be/online" 1 "$be/state" 2
		"$be/mac" "$mac" "$be/handle" "$n" "$be/type" vif "$be/script" /etc/xen/scripts/vif-bridge
		"$fe/backend" "$be" "$fe/backend-id" 0 "$fe/handle" "$n" "$fe/mac" "$mac" "$fe/state" 1)
	local kv
	for kv in "$@"; do args+=("$be/${kv%%=*}" "${kv#*=}"); done
	xs_write "${args[@]}"
}

# bridged_lab [ADDR]: the seed's bridged host: namespaces lan and dom0,
# dom0's xenbr0 with eth0 as its port (a veth to lan's eth0, which holds
# 192.168.0.1/24), and ADDR (192.168.0.3/24, say) on xenbr0 when given.
bridged_lab() {
	ns_add lan dom0
	ip -n "$P-dom0" link add eth0 type veth peer name eth0 netns "$P-lan"
	bridge_dom0 "${1:-}"
	ip -n "$P-dom0" link set eth0 master xenbr0 up
	ip -n "$P-lan" link set eth0 up
	ip -n "$P-lan" addr add 192.168.0.1/24 dev eth0
}

# bridge_dom0 [ADDR]: xenbr0 up in dom0 (made already), ADDR on it if given.
bridge_dom0() {
	ip -n "$P-dom0" link add xenbr0 type bridge
	ip -n "$P-dom0" link set xenbr0 up
	[ -z "${1:-}" ] || ip -n "$P-dom0" addr add "$1" dev xenbr0
}

# guest NAME DOMID DEVID ADDR/PFX [GW]: a guest namespace whose eth0 is the
# far end of vif<domid>.<devid>, which sits (down, as netback leaves it) in dom0.
guest() {
	local g=$1 d=$2 n=$3 addr=$4 gw=${5:-}
	local mac
	mac=$(printf '00:16:3e:%02x:%02x:%02x' $((d >> 8)) $((d & 255)) "$n")
	ns_add "$g"
	ip -n "$P-dom0" link add "vif$d.$n" type veth peer name eth0 netns "$P-$g" ||
		fail "create vif$d.$n"
	ip -n "$P-$g" link set eth0 address "$mac" up
	[ -n "$addr" ] && ip -n "$P-$g" addr add "$addr" dev eth0
	[ -n "$gw" ] && ip -n "$P-$g" route add default via "$gw"
	GUEST_MAC=$mac
}

# libxl PROG CMD DOMID DEVID [VAR=value...]: run a program exactly as libxl
# does (argv, environment, stdin), in dom0. libxl passes no arguments of
# its own: xnet's knobs given here as antispoof=, dry_run=, verbose= or
# force= reach the run as an administrator gives them to xl, in its
# environment as XNET_ANTISPOOF=... (a bare name there is ignored).
libxl() {
	local prog=$1 cmd=$2 d=$3 n=$4 type=vif a vars=()
	shift 4
	for a in "$@"; do
		case $a in
		antispoof=* | dry_run=* | verbose=* | force=*)
			a=$(echo "${a%%=*}" | tr a-z A-Z)=${a#*=}
			a=XNET_$a ;;
		esac
		vars+=("$a")
	done
	set -- "${vars[@]}"
	case $cmd in add|remove) type=tap ;; esac
	local env=(script="/etc/xen/scripts/$prog" XENBUS_TYPE=vif
		XENBUS_PATH="backend/vif/$d/$n" XENBUS_BASE_PATH=backend netdev=
		vif="vif$d.$n" "${XENV[@]}")
	[ "$type" = tap ] && env+=(INTERFACE="vif$d.$n-emu")
	in_ns dom0 env -i "${env[@]}" "$@" "$BIN/$prog" "$cmd" "type_if=$type" </dev/null
}

# ---- kernel state, read back with ip -j / bridge -j and jq ----
link_field() { ip -n "$P-$1" -j link show dev "$2" 2>/dev/null | jq -r ".[0].$3 // empty"; }
link_exists() { ip -n "$P-$1" link show dev "$2" >/dev/null 2>&1; }
link_is_up() { ip -n "$P-$1" -j link show dev "$2" | jq -e '.[0].flags | index("UP")' >/dev/null; }
addrs_of() { ip -n "$P-$1" -j addr show dev "$2" | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"'; }
# A snapshot of what a failed run must leave untouched: links, addresses,
# routes, proxy neighbours, the forwarding/proxy sysctls, the nft ruleset
# (but with --no-nft: a firewall table, once made, stays by design).
snapshot() {
	{
		# carrier and its echoes (NO-CARRIER, LOWER_UP, a route's linkdown) are
		# the link's weather, not its configuration: they settle on their own
		ip -n "$P-$1" -j -d link show | jq -S 'map(del(.stats64, .operstate) |
			.flags -= ["NO-CARRIER", "LOWER_UP", "M-DOWN"]) |
			walk(if type == "object" then with_entries(select(.key | test("timer$") | not))
			     else . end)'
		ip -n "$P-$1" -j addr show | jq -S 'map(del(.addr_info[]?.valid_life_time,
			.addr_info[]?.preferred_life_time, .operstate) |
			.flags -= ["NO-CARRIER", "LOWER_UP", "M-DOWN"])'
		# route order is the kernel's insertion order, not state: sorted
		ip -n "$P-$1" -j route show table all | jq -S 'map(if .flags then .flags -= ["linkdown"]
			else . end) | sort_by(tostring)'
		ip -n "$P-$1" neigh show proxy
		ip netns exec "$P-$1" sh -c 'cd /proc/sys/net && grep -H . ipv4/ip_forward \
			ipv4/conf/*/proxy_arp ipv4/conf/*/forwarding ipv6/conf/*/forwarding \
			ipv6/conf/*/proxy_ndp ipv6/conf/*/disable_ipv6 ipv6/conf/*/accept_ra' 2>/dev/null
		# the whole ruleset, ours and anyone's, less what traffic moves
		[ "${2:-}" = --no-nft ] || ip netns exec "$P-$1" nft -j list ruleset 2>/dev/null |
			jq -S 'walk(if type == "object" then del(.packets, .bytes) else . end)'
	}
}

# expect_unchanged NS BEFORE WHAT: the namespace looks as BEFORE=$(snapshot NS).
# What a link coming back up sets off (its link-local address, a bridge
# port's forwarding state) lands a little later: a difference must last
# 2 s to count.
expect_unchanged() {
	local now i
	for i in $(seq 20); do
		now=$(snapshot "$1")
		[ "$now" = "$2" ] && break
		sleep 0.1
	done
	[ "$now" = "$2" ] || { diff <(echo "$2") <(echo "$now") | head -20; fail "$3 changed $1"; }
	ok "$3 left $1 unchanged"
}

# traced NAME [VAR=value...] CMD [ARGS...]: CMD, run in dom0 with the test's
# environment and the VAR=value words, executes no other program: one
# execve and no fork or clone under strace -f (trace in $T/strace.NAME).
# LeakSanitizer cannot work under ptrace: it is off for sanitizer builds.
traced() {
	local name=$1 vars=()
	shift
	while [[ $1 == [A-Za-z_]*=* ]]; do vars+=("$1"); shift; done
	in_ns dom0 env -i "${XENV[@]}" ASAN_OPTIONS=detect_leaks=0 "${vars[@]}" strace -f -qq \
		-e trace=execve,execveat,fork,vfork,clone,clone3,connect -o "$T/strace.$name" \
		"$@" </dev/null >/dev/null || fail "$name exited $?"
	expect_eq "$(grep -c 'execve(' "$T/strace.$name")" 1 "$name: one execve"
	expect_eq "$(grep -Ec '(fork|clone3?)\(' "$T/strace.$name")" 0 "$name: no fork or clone"
}

ping_ok() { in_ns "$1" ping -c 1 -W 2 "$2" >/dev/null || fail "$1 cannot ping $2"; ok "$1 pings $2"; }
ping_fails() { ! in_ns "$1" ping -c 1 -W 1 "$2" >/dev/null || fail "$1 can ping $2"; ok "$1 cannot ping $2"; }

expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; ok "$3"; }
