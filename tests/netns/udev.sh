#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The udev path: the generated 60-xnet-vif.rules, applied to the events the
# kernel sends (netback's xen-backend online/offline, the tap's net add/
# remove), with udev's environment. udev itself cannot be driven without a
# real xen-backend device, so a small matcher here applies each rule's
# SUBSYSTEM/KERNEL/ACTION/ENV{} keys as udev does (shell globs) and runs its
# RUN command, with the script directory mapped to the build tree.
. "$(dirname "$0")/lib.sh"
RULES=$top_builddir/hotplug/60-xnet-vif.rules
[ -f "$RULES" ] || skip "rules not built"
lab_init
SCRIPTDIR=$(sed -n 's|.*ENV{script}=="\(.*\)/vif-\*".*|\1|p' "$RULES" | head -1)
[ -n "$SCRIPTDIR" ] || fail "no script directory in the rules"

# uevent KEY=VALUE...: run every rule that matches this event.
uevent() {
	local -A ev=()
	local kv line key op val cmd ran=0 matched
	for kv in "$@"; do ev[${kv%%=*}]=${kv#*=}; done
	while IFS= read -r line; do
		case $line in ''|'#'*) continue ;; esac
		matched=1 cmd=
		while [[ $line =~ ^[[:space:]]*([A-Z]+(\{[a-z_]+\})?)(==|!=|\+=)\"([^\"]*)\",?(.*)$ ]]; do
			key=${BASH_REMATCH[1]} op=${BASH_REMATCH[3]} val=${BASH_REMATCH[4]} line=${BASH_REMATCH[5]}
			case $key in ENV\{*\}) key=${key#ENV\{}; key=${key%\}} ;; esac
			case $op in
			==) [[ ${ev[$key]-} == $val ]] || matched=0 ;;
			!=) [[ ${ev[$key]-} != $val ]] || matched=0 ;;
			+=) cmd=$val ;;
			esac
		done
		[ $matched = 1 ] && [ -n "$cmd" ] || continue
		cmd=${cmd//\$env\{script\}/${ev[script]-}}
		cmd=${cmd//$SCRIPTDIR/$BIN}
		local envs=() k
		for k in "${!ev[@]}"; do envs+=("$k=${ev[$k]}"); done
		# shellcheck disable=SC2086 # udev splits RUN on spaces
		in_ns dom0 env -i "${XENV[@]}" "${envs[@]}" $cmd </dev/null || return 1
		ran=$((ran + 1))
	done < "$RULES"
	RAN=$ran
}

ns_add dom0
bridge_dom0 192.168.0.3/24
guest domU 1 0 192.168.0.6/24
xs_vif 1 0 "$GUEST_MAC" bridge=xenbr0
BACKEND=(SUBSYSTEM=xen-backend KERNEL=vif-1-0 DEVPATH=/devices/vif-1-0 SEQNUM=4242
	XENBUS_TYPE=vif XENBUS_PATH=backend/vif/1/0 XENBUS_BASE_PATH=backend vif=vif1.0)

uevent ACTION=online "${BACKEND[@]}" script="$SCRIPTDIR/vif-bridge" || fail "online rule failed"
expect_eq "$RAN" 1 "one rule ran for netback's online event"
expect_eq "$(link_field dom0 vif1.0 master)" xenbr0 "udev online attached vif1.0"
expect_eq "$(xs_read backend/vif/1/0/hotplug-status)" connected "hotplug-status"
ping_ok dom0 192.168.0.6
uevent ACTION=offline "${BACKEND[@]}" script="$SCRIPTDIR/vif-bridge" || fail "offline rule failed"
expect_eq "$(link_field dom0 vif1.0 master)" "" "udev offline detached vif1.0"

for bad in /usr/bin/id "$SCRIPTDIR/vif-../../../usr/bin/id" "$SCRIPTDIR/vif-x/../../id" ""; do
	uevent ACTION=online "${BACKEND[@]}" script="$bad"
	expect_eq "$RAN" 0 "no rule runs script='$bad'"
done

# the emulated NIC's tap: a net event with INTERFACE, no XENBUS_PATH
ip -n "$(ns dom0)" link add vif1.0-emu type veth peer name eth1 netns "$(ns domU)"
TAP=(SUBSYSTEM=net KERNEL=vif1.0-emu INTERFACE=vif1.0-emu IFINDEX=9 DEVPATH=/devices/virtual/net/vif1.0-emu)
uevent ACTION=add "${TAP[@]}" || fail "tap add rule failed"
expect_eq "$RAN" 1 "one rule ran for the tap's add event"
expect_eq "$(link_field dom0 vif1.0-emu master)" xenbr0 "udev add attached the tap"
uevent ACTION=remove "${TAP[@]}" || fail "tap remove rule failed"
expect_eq "$(link_field dom0 vif1.0-emu master)" "" "udev remove detached the tap"
pass
