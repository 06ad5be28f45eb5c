# SPDX-License-Identifier: LGPL-2.1-or-later
# lib-ovs.sh: Open vSwitch for vif-openvswitch's tests (sourced after lib.sh).
#
# ovsdb-server and ovs-vswitchd of this test only, started by hand in dom0
# with their database, sockets and logs in $T/ovs (OVS_RUNDIR): the host's
# own Open vSwitch, if any, is never touched. Bridges use the userspace
# datapath (datapath_type=netdev): no openvswitch kernel module needed.

OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
OVS_PIDS=

# Skips without Debian's openvswitch-switch (scripts/deps installs it).
ovs_init() {
	local t
	for t in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl; do
		command -v "$t" >/dev/null || skip "needs $t (openvswitch-switch)"
	done
	[ -r "$OVS_SCHEMA" ] || skip "no $OVS_SCHEMA"
	trap 'ovs_stop; cleanup' EXIT
	OVS=$T/ovs
	mkdir -p "$OVS"
	export OVS_RUNDIR=$OVS OVS_DBDIR=$OVS OVS_LOGDIR=$OVS OVS_SYSCONFDIR=$OVS
	XENV+=(OVS_RUNDIR="$OVS")
	ovsdb-tool create "$OVS/conf.db" "$OVS_SCHEMA" || fail "ovsdb-tool create"
	ovsdb_start
	vsctl --no-wait init || fail "ovs-vsctl init"
	vswitchd_start
}

ovsdb_start() {
	in_ns dom0 ovsdb-server "$OVS/conf.db" --remote="punix:$OVS/db.sock" \
		--pidfile="$OVS/ovsdb-server.pid" --unixctl="$OVS/ovsdb-server.ctl" \
		--log-file="$OVS/ovsdb-server.log" --detach --no-chdir -vconsole:off || fail "ovsdb-server"
	OVS_PIDS="$OVS_PIDS $(cat "$OVS/ovsdb-server.pid")"
}

vswitchd_start() {
	in_ns dom0 ovs-vswitchd "unix:$OVS/db.sock" --pidfile="$OVS/ovs-vswitchd.pid" \
		--unixctl="$OVS/ovs-vswitchd.ctl" --log-file="$OVS/ovs-vswitchd.log" \
		--detach --no-chdir -vconsole:off || fail "ovs-vswitchd"
	OVS_PIDS="$OVS_PIDS $(cat "$OVS/ovs-vswitchd.pid")"
}

vswitchd_stop() {
	local pid
	pid=$(cat "$OVS/ovs-vswitchd.pid" 2>/dev/null) && kill "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

# Only the daemons this test started, by their pids.
ovs_stop() {
	local pid
	for pid in $OVS_PIDS; do kill "$pid" 2>/dev/null; done
}

# vsctl ARGS...: inspect (or set up) this test's database; never the program's job.
vsctl() { ovs-vsctl --db="unix:$OVS/db.sock" --timeout=10 "$@"; }
ofctl() { in_ns dom0 ovs-ofctl "$@"; }

# ovs_bridge NAME [MTU]: a bridge on the userspace datapath, its port up.
ovs_bridge() {
	vsctl add-br "$1" -- set bridge "$1" datapath_type=netdev || fail "add-br $1"
	[ -z "${2:-}" ] || vsctl set interface "$1" mtu_request="$2" || fail "mtu $1"
	local i
	for i in $(seq 50); do link_exists dom0 "$1" && break; sleep 0.1; done
	ip -n "$(ns dom0)" link set "$1" up
}

# port_col PORT COLUMN / iface_col IFACE COLUMN: a column, as ovs-vsctl prints it
port_col() { vsctl get port "$1" "$2" 2>/dev/null; }
iface_col() { vsctl get interface "$1" "$2" 2>/dev/null; }
