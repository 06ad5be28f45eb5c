#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# build.sh BUILDDIR OUT: the package from BUILDDIR's distribution tree
# (make distdir, so nothing is written in the source tree), built in
# OUT/xnet-VERSION with dpkg-buildpackage -b -us -uc; the .deb lands in
# OUT. Then lintian, which must report no error. Logs in OUT/*.log.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/pkg/lib.sh"
build=$1
out=$2
ver=$(sed -n 's/^VERSION = //p' "$build/Makefile")
[ -n "$ver" ] || fail "no VERSION in $build/Makefile"
tree=$out/xnet-$ver
rm -rf "$out"
mkdir -p "$out"
make -s -C "$build" distdir distdir="$tree" top_distdir="$tree" >"$out/distdir.log" 2>&1 ||
	{ tail -20 "$out/distdir.log"; fail "make distdir"; }
cd "$tree"
# the build dependencies debian/control names, with their versions dropped
unmet=$(dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
	sed -e 's/([^)]*)//g' -e 's/\[[^]]*\]//g' -e 's/<[^>]*>//g' -e 's/|/ /g')
# shellcheck disable=SC2086
[ -z "$unmet" ] || need_pkgs $unmet
say "dpkg-buildpackage -b -us -uc in $tree"
# the unit tests ran in the suite already; the package needs only the build
DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -b -us -uc \
	>"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; fail "dpkg-buildpackage"; }
deb=$(ls "$out"/xnet_"$ver"_*.deb)
say "built ${deb##*/}"
lintian --fail-on error --display-info "$out"/xnet_"$ver"_*.changes >"$out/lintian.log" 2>&1 ||
	{ cat "$out/lintian.log"; fail "lintian reports errors"; }
grep -v '^I: ' "$out/lintian.log" | sed 's/^/tests\/pkg: lintian: /' >&2 || true
