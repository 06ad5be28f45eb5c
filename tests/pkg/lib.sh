# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh: what the package tier's scripts share. Sourced, never run.

XNET_PKG_CACHE=${XNET_PKG_CACHE:-/var/cache/xnet-pkg}

say() { echo "tests/pkg: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

# need_pkgs PKG...: apt-get install those of them that are missing
need_pkgs() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
		>/dev/null || {
		apt-get update -q >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$missing >/dev/null
	}
}

# the Debian mirror this machine uses (the throwaway root takes the same)
host_sources() {
	if [ -n "${XNET_PKG_MIRROR:-}" ]; then
		echo "$XNET_PKG_MIRROR"
	elif [ -s /etc/apt/sources.list.d/debian.sources ]; then
		echo /etc/apt/sources.list.d/debian.sources
	elif [ -s /etc/apt/sources.list ]; then
		echo /etc/apt/sources.list
	else
		echo http://deb.debian.org/debian
	fi
}
