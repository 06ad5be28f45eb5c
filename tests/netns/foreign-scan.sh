#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The firewalls of other owners that silently cut a guest off (issue 17):
# Docker's iptables-nft FORWARD policy drop, firewalld's final reject, a
# bridge-family chain with policy drop, ... are found by xnf_scan
# (src/lib/foreign, run here through tests/fw/foreign-probe), each with a
# fix that, run as printed, lets the guest through; the common accepts of
# the guest's interfaces give no alarm; ip-family chains are blamed for a
# bridged guest only while br_netfilter hands them bridged packets.
# Each scenario has its own namespace with xenbr0 (a bridge) and vif1.0.
. "$(dirname "$0")/lib.sh"

PROBE=$top_builddir/tests/fw/foreign-probe

[ "$(id -u)" = 0 ] || skip "needs root"
for t in ip nft iptables-nft ip6tables-nft; do
	command -v "$t" >/dev/null || skip "needs $t"
done
[ -x "$PROBE" ] || skip "tests/fw/foreign-probe not built (make check builds it)"
trap cleanup EXIT
trap 'exit 99' INT TERM
ip netns add "$P-probe" || skip "cannot create network namespaces"
ip netns exec "$P-probe" nft add table inet probe 2>/dev/null || skip "no nf_tables"
ip netns exec "$P-probe" iptables-nft -L FORWARD >/dev/null 2>&1 ||
	skip "iptables-nft does not work here"
ip netns del "$P-probe"

# fresh NAME: a namespace with the bridged and the routed guest's devices
fresh() {
	ns_add "$1"
	ip -n "$P-$1" link add xenbr0 type bridge
	ip -n "$P-$1" link add vif1.0 type veth peer name vif1.0-peer
	ip -n "$P-$1" link add eth0 type veth peer name eth0-peer
}
# scan NAME VIF BRIDGE|- 4|6|46 [UPLINK]: the probe's lines
scan() { local n=$1; shift; in_ns "$n" "$PROBE" "$@" || fail "foreign-probe $*"; }
# run_fixes NAME: runs in NAME every fix: line that the last expect printed
run_fixes() {
	local n=$1 line
	while IFS= read -r line; do
		case $line in "fix: "*)
			in_ns "$n" sh -c "${line#fix: }" || fail "fix '${line#fix: }' failed" ;;
		esac
	done <<<"$LAST"
}
# expect NAME 'EXPECTED LINES' WHAT ARGS...: scan NAME ARGS gives exactly that
expect() {
	local n=$1 want=$2 what=$3
	shift 3
	LAST=$(scan "$n" "$@")
	expect_eq "$LAST" "$want" "$what"
}
# brnf NAME 0|1: br_netfilter's bridge-nf-call-iptables and -ip6tables
brnf() {
	in_ns "$1" sh -c "echo $2 > /proc/sys/net/bridge/bridge-nf-call-iptables &&
		echo $2 > /proc/sys/net/bridge/bridge-nf-call-ip6tables" ||
		fail "cannot set bridge-nf-call-iptables"
}
# br_netfilter's sysctls are per namespace; without the module they are not
# there, and only "an ip chain is not blamed for a bridged guest" is tested
BRNF=yes
fresh brnfprobe
in_ns brnfprobe test -e /proc/sys/net/bridge/bridge-nf-call-iptables || {
	BRNF=
	log "no br_netfilter here: its blocked cases are not tested, only 'not blamed'"
}

# ---- Docker's leftovers: FORWARD policy drop, DOCKER-USER, its own rules ----
fresh docker
in_ns docker sh -e -c '
	iptables-nft -P FORWARD DROP
	iptables-nft -N DOCKER-USER
	iptables-nft -N DOCKER-ISOLATION-STAGE-1
	iptables-nft -N DOCKER
	iptables-nft -A FORWARD -j DOCKER-USER
	iptables-nft -A FORWARD -j DOCKER-ISOLATION-STAGE-1
	iptables-nft -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	iptables-nft -A FORWARD -o docker0 -j DOCKER
	iptables-nft -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
	iptables-nft -A FORWARD -i docker0 -o docker0 -j ACCEPT
	iptables-nft -A DOCKER-ISOLATION-STAGE-1 -j RETURN
	iptables-nft -A DOCKER-USER -j RETURN' || fail "Docker's rules"
DOCKER_V4="blocked: ip filter FORWARD: policy drop"
if [ -n "$BRNF" ]; then
	brnf docker 1
	expect docker "$DOCKER_V4
fix: iptables -I DOCKER-USER -i xenbr0 -o xenbr0 -j ACCEPT
alt: sysctl -w net.bridge.bridge-nf-call-iptables=0" \
		"Docker, br_netfilter on: the bridged guest blocked, a DOCKER-USER fix" \
		vif1.0 xenbr0 4 eth0
	brnf docker 0
fi
expect docker "" "br_netfilter off: Docker's ip chain not blamed for a bridged guest" \
	vif1.0 xenbr0 46 eth0
expect docker "$DOCKER_V4
fix: iptables -I DOCKER-USER -i vif1.0 -j ACCEPT && iptables -I DOCKER-USER -o vif1.0 -j ACCEPT" \
	"Docker: a routed guest blocked, DOCKER-USER fix for its vif" vif1.0 - 4 eth0
run_fixes docker
expect docker "" "the routed fix, run as printed, lets the guest through" vif1.0 - 4 eth0
expect docker "" "an IPv6-only routed guest does not pass table ip filter" vif1.1 - 6 eth0
if [ -n "$BRNF" ]; then
	brnf docker 1
	expect docker "$DOCKER_V4
fix: iptables -I DOCKER-USER -i xenbr0 -o xenbr0 -j ACCEPT
alt: sysctl -w net.bridge.bridge-nf-call-iptables=0" "still blocked for the bridged guest" \
		vif1.0 xenbr0 4
	run_fixes docker
	expect docker "" "the bridged fix, run as printed, lets it through" vif1.0 xenbr0 4
fi

# ---- ip6tables-nft, no Docker: FORWARD itself ----
fresh ip6
in_ns ip6 ip6tables-nft -P FORWARD DROP || fail "ip6tables-nft -P FORWARD DROP"
in_ns ip6 ip6tables-nft -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT ||
	fail "ip6tables-nft conntrack"
expect ip6 "blocked: ip6 filter FORWARD: policy drop
fix: ip6tables -I FORWARD -i vif1.0 -j ACCEPT && ip6tables -I FORWARD -o vif1.0 -j ACCEPT" \
	"ip6tables FORWARD policy drop blocks a routed dual-stack guest" vif1.0 - 46
run_fixes ip6
expect ip6 "" "the ip6tables fix lets it through" vif1.0 - 46

# ---- iptables -m physdev --physdev-is-bridged -j ACCEPT: no alarm ----
fresh physdev
in_ns physdev sh -e -c '
	iptables-nft -P FORWARD DROP
	iptables-nft -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT' || fail "physdev rules"
if [ -n "$BRNF" ]; then
	brnf physdev 1
	expect physdev "" "physdev-is-bridged accept: no alarm for a bridged guest" \
		vif1.0 xenbr0 4
fi
expect physdev "blocked: ip filter FORWARD: policy drop
fix: iptables -I FORWARD -i vif1.0 -j ACCEPT && iptables -I FORWARD -o vif1.0 -j ACCEPT" \
	"physdev-is-bridged accepts nothing routed" vif1.0 - 4

# ---- firewalld's shape: inet, policy accept, a final reject ----
fresh firewalld
in_ns firewalld nft -f - <<'EOF' || fail "firewalld's table"
table inet firewalld {
	chain filter_FORWARD {
		type filter hook forward priority filter + 10; policy accept;
		ct state { established, related } accept
		ct status dnat accept
		iifname "lo" accept
		ct state invalid drop
		jump filter_FORWARD_POLICIES
		reject with icmpx admin-prohibited
	}
	chain filter_FORWARD_POLICIES {
		iifname "eth1" oifname "eth1" accept
	}
}
EOF
FWD_ROUTED='blocked: inet firewalld filter_FORWARD: final rule rejects
fix: nft '\''insert rule inet firewalld filter_FORWARD iifname "vif1.0" accept'\'' && nft '\''insert rule inet firewalld filter_FORWARD oifname "vif1.0" accept'\'
expect firewalld "$FWD_ROUTED" "firewalld's final reject blocks a routed guest" vif1.0 - 46 eth0
run_fixes firewalld
expect firewalld "" "the firewalld fix lets the routed guest through" vif1.0 - 46 eth0
if [ -n "$BRNF" ]; then
	brnf firewalld 1
	expect firewalld 'blocked: inet firewalld filter_FORWARD: final rule rejects
fix: nft '\''insert rule inet firewalld filter_FORWARD iifname "xenbr0" oifname "xenbr0" accept'\''
alt: sysctl -w net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0' \
		"br_netfilter on: firewalld blocks the bridged guest" vif1.0 xenbr0 46
	brnf firewalld 0
fi
expect firewalld "" "br_netfilter off: firewalld's inet chain not blamed" vif1.0 xenbr0 46

# ---- an nft table: policy drop; what an accept must look like ----
fresh nftfw
nftfw() {
	in_ns nftfw nft flush ruleset
	in_ns nftfw nft -f - <<-EOF || fail "table inet filter: $1"
	table inet filter {
		chain other {
			$2
		}
		chain forward {
			type filter hook forward priority 0; policy drop;
			$1
		}
	}
	EOF
}
nftfw "ct state established,related accept" ""
expect nftfw 'blocked: inet filter forward: policy drop
fix: nft '\''insert rule inet filter forward iifname "vif1.0" accept'\'' && nft '\''insert rule inet filter forward oifname "vif1.0" accept'\' \
	"ct state established,related accept lets no new traffic through" vif1.0 - 4
nftfw 'iifname "vif1.0" accept' ""
expect nftfw 'blocked: inet filter forward: policy drop for replies to the guest
fix: nft '\''insert rule inet filter forward iifname "vif1.0" accept'\'' && nft '\''insert rule inet filter forward oifname "vif1.0" accept'\' \
	"the guest's vif accepted one way: its replies still dropped" vif1.0 - 4
nftfw 'ct state established,related accept; iifname "vif*" accept' ""
expect nftfw "" "iifname vif* and established replies: no alarm" vif1.0 - 4
nftfw 'ct state established,related accept; iif "vif1.0" accept' ""
expect nftfw "" "iif by index: no alarm" vif1.0 - 46
nftfw 'ip saddr 10.0.0.0/8 accept' ""
expect nftfw 'blocked: inet filter forward: policy drop
fix: nft '\''insert rule inet filter forward iifname "vif1.0" accept'\'' && nft '\''insert rule inet filter forward oifname "vif1.0" accept'\' \
	"an accept on addresses is not taken for the guest's" vif1.0 - 4
nftfw 'jump other' 'iifname "vif1.0" accept; oifname "vif1.0" accept'
expect nftfw "" "accepted in a chain it jumps to: no alarm" vif1.0 - 4
nftfw 'iifname "eth0" drop; goto other' 'oifname "vif1.0" accept; iifname "vif1.0" accept'
expect nftfw "" "a drop of another interface, a goto that accepts: no alarm" vif1.0 - 4
if [ -n "$BRNF" ]; then
	brnf nftfw 1
	nftfw 'iifname "xenbr0" accept' ""
	expect nftfw "" 'br_netfilter on: iifname "xenbr0" accept: no alarm' vif1.0 xenbr0 46
	nftfw 'iifname "xenbr*" accept' ""
	expect nftfw "" 'br_netfilter on: iifname "xenbr*" accept: no alarm' vif1.0 xenbr0 4
	nftfw 'iifname "eth*" accept' ""
	expect nftfw 'blocked: inet filter forward: policy drop
fix: nft '\''insert rule inet filter forward iifname "xenbr0" oifname "xenbr0" accept'\''
alt: sysctl -w net.bridge.bridge-nf-call-iptables=0' \
		'br_netfilter on: iifname "eth*" accept is not the bridge' vif1.0 xenbr0 4
	brnf nftfw 0
fi

# ---- a final unconditional drop; conditional drops and other hooks ----
in_ns nftfw nft flush ruleset
in_ns nftfw nft -f - <<'EOF' || fail "ip drops"
table ip drops {
	chain forward {
		type filter hook forward priority 0; policy accept;
		iifname "lo" accept
		counter drop
	}
	chain late {
		type filter hook forward priority 5; policy accept;
		ip saddr 10.0.0.0/8 drop
		tcp dport 22 drop
	}
	chain input {
		type filter hook input priority 0; policy drop;
	}
}
EOF
expect nftfw 'blocked: ip drops forward: final rule drops
fix: nft '\''insert rule ip drops forward iifname "vif1.0" accept'\'' && nft '\''insert rule ip drops forward oifname "vif1.0" accept'\' \
	"an unconditional last drop blocks; conditional drops and input chains do not" vif1.0 - 4

# ---- the bridge family: seen by bridged guests only; xnet's own ignored ----
fresh bridge
in_ns bridge nft -f - <<'EOF' || fail "bridge tables"
table bridge lan {
	chain forward {
		type filter hook forward priority 0; policy drop;
		iifname "xenbr0" accept
	}
}
table bridge xen {
	chain forward {
		type filter hook forward priority 0; policy drop;
	}
}
EOF
expect bridge 'blocked: bridge lan forward: policy drop
fix: nft '\''insert rule bridge lan forward iifname "vif1.0" accept'\'' && nft '\''insert rule bridge lan forward oifname "vif1.0" accept'\' \
	"a bridge-family forward policy drop blocks a bridged guest; table bridge xen ignored" \
	vif1.0 xenbr0 46 eth0
run_fixes bridge
expect bridge "" "the bridge-family fix lets the bridged guest through" vif1.0 xenbr0 46 eth0
expect bridge "" "bridge-family chains never blamed for a routed guest" vif1.1 - 46
in_ns bridge nft flush ruleset
in_ns bridge nft 'add table bridge lan; add chain bridge lan forward { type filter hook forward priority 0; policy drop; }'
# meta ibrname needs nft_meta_bridge, a module that a kernel may lack
if in_ns bridge nft add rule bridge lan forward meta ibrname "xenbr0" accept 2>/dev/null; then
	expect bridge "" "meta ibrname of the guest's bridge accepted: no alarm" vif1.0 xenbr0 4
else
	log "no nft_meta_bridge here: the meta ibrname case is not tested"
fi

# ---- nothing of anyone else's: nothing to say ----
fresh empty
expect empty "" "an empty ruleset blocks no one" vif1.0 xenbr0 46
pass
