#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# root.sh: a Debian 12 root with xen-utils-common and xnet's libraries
# (and systemd and man-db, for systemd-analyze verify; mmdebstrap
# --variant=minbase, from this machine's mirror) as a tarball,
# beside xen-utils-common's .deb (for reinstalls) and the sha256sum of every
# script of its /etc/xen/scripts (as shipped, the reference for "byte for
# byte"). Cached in $XNET_PKG_CACHE (/var/cache/xnet-pkg)/<key>, the key
# naming the package versions, so that a re-run reuses it. Prints the
# directory. Needs root.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/pkg/lib.sh"
inc="xen-utils-common libnl-3-200 libnl-route-3-200 libmnl0 libnftnl11 libjson-c5
systemd man-db"
vers=
for p in $inc; do
	v=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
	[ -n "$v" ] || fail "apt knows no package $p"
	vers="$vers $p=$v"
done
src=$(host_sources)
key=$(echo "$vers $src" | md5sum | cut -c1-12)
dir=$XNET_PKG_CACHE/$key
if [ ! -f "$dir/.done" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/x"
	say "a Debian 12 root in $dir (mmdebstrap, from $src)"
	# keep apt's lists: a dependency the root lacks is then still found
	mmdebstrap --quiet --variant=minbase --include="$(printf %s "$inc" | tr ' \n' ,,)" \
		--skip=cleanup/apt/lists bookworm "$dir/root.tar" "$src" >"$dir/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$dir/mmdebstrap.log"; rm -rf "$dir"; fail "mmdebstrap"; }
	xv=$(tar -xOf "$dir/root.tar" ./var/lib/dpkg/status |
		sed -n '/^Package: xen-utils-common$/,/^$/s/^Version: //p')
	(cd "$dir" && apt-get download -q "xen-utils-common=$xv" >/dev/null 2>&1) ||
		{ rm -rf "$dir"; fail "apt-get download xen-utils-common=$xv"; }
	mv "$dir"/xen-utils-common_*.deb "$dir/xen-utils-common.deb"
	dpkg-deb -x "$dir/xen-utils-common.deb" "$dir/x"
	(cd "$dir/x/etc/xen/scripts" && find . -maxdepth 1 -type f -printf '%f\n' | sort |
		xargs sha256sum) >"$dir/scripts.sha256"
	rm -rf "$dir/x"
	echo "$vers" >"$dir/versions"
	touch "$dir/.done"
fi
echo "$dir"
