# SPDX-License-Identifier: LGPL-2.1-or-later
# logs: network-route and network-nat run bare (no netdev=, as xend and
# administrators call them: the device of the default route) must name
# that device in /var/log/xen/xen-hotplug.log, at start and at stop.
# shellcheck shell=sh
[ -e /run/netns/lan ] || lan_setup
dev=$(ip -o route show default | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -1)
for p in network-route network-nat; do
	for c in start stop; do
		n=$(wc -l </var/log/xen/xen-hotplug.log 2>/dev/null || echo 0)
		$p $c >/dev/null 2>&1
		l=$(tail -n +"$((n + 1))" /var/log/xen/xen-hotplug.log | grep "$p\[" | tail -1)
		case $l in
		*"]: $c $dev: "*) result ok "logs-$p-$c" "$l" ;;
		*) result FAIL "logs-$p-$c" "expected \"$c $dev:\" in: $l" ;;
		esac
	done
done
