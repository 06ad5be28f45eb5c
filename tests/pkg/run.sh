#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh [BUILDDIR]: the package tier (README). Builds xnet_*.deb from
# BUILDDIR (default build/) in build-pkg/ (build.sh: dpkg-buildpackage,
# lintian), then in a throwaway Debian 12 root (root.sh) installs it over
# xen-utils-common, upgrades it over itself, switches vif-nat back to the
# shell script and forth, reinstalls, purges and installs xen-utils-common
# under it, removes and purges it, and installs it before xen-utils-common:
# after each step the diversions, the files' owners, what
# /etc/xen/scripts/NAME runs and every shell script's sha256sum against
# xen-utils-common's .deb. Needs root (else 77); installs its tools.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/pkg/lib.sh"
[ "$(id -u)" = 0 ] || { say "needs root (apt-get, chroot): skipped"; exit 77; }
build=$(cd "${1:-$top/build}" && pwd)
out=${XNET_PKG_DIR:-$top/build-pkg}
t0=$(date +%s)

need_pkgs debhelper devscripts lintian mmdebstrap dpkg-dev
"$top/tests/pkg/build.sh" "$build" "$out"
deb=$(ls "$out"/xnet_*.deb)
cache=$("$top/tests/pkg/root.sh")
ref=$cache/scripts.sha256

# what the package holds: its programs, and those taking a diversion
progs=$(dpkg-deb -c "$deb" | sed -n 's|.* \./usr/lib/xnet/\([^/]*\)$|\1|p' | tr '\n' ' ')
diverted=
ndiv=0
for n in vif-bridge vif-route vif-nat vif-openvswitch; do
	case " $progs " in *" $n "*) diverted="$diverted $n" ndiv=$((ndiv + 1)) ;; esac
done
for n in vif-bridge vif-route vif-nat network-bridge network-route network-nat; do
	case " $progs " in *" $n "*) ;; *) fail "the package has no /usr/lib/xnet/$n" ;; esac
done
say "programs: $progs"
say "diverted:$diverted"

root=$out/root
cleanup() {
	umount "$root/proc" 2>/dev/null || true
	[ "${XNET_PKG_KEEP:-}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
rm -rf "$root"
mkdir -p "$root"
tar -xf "$cache/root.tar" -C "$root"
mount -t proc proc "$root/proc"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
cp "$deb" "$root/tmp/xnet.deb"
cp "$cache/xen-utils-common.deb" "$root/tmp/xen-utils-common.deb"

inroot() {
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"
}
apt_in() {
	inroot apt-get -y -q -o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold "$@" >"$out/apt.log" 2>&1 ||
		{ cat "$out/apt.log"; fail "apt-get $*"; }
}
S=$root/etc/xen/scripts
# sha NAME: the sha256 xen-utils-common's .deb gives the script NAME
sha() { awk -v n="$1" '$2 == n { print $1 }' "$ref"; }
# sha_in PATH: the sha256 of PATH in the root (links resolved there)
sha_in() { inroot sha256sum "$1" | cut -d' ' -f1; }

# Every script as xen-utils-common ships it, and nothing else.
check_pristine() {
	(cd "$S" && find . -maxdepth 1 ! -name . -printf '%f %y\n' | sort) >"$out/ls.now"
	awk '{ print $2 " f" }' "$ref" | sort >"$out/ls.ref"
	diff -u "$out/ls.ref" "$out/ls.now" >&2 || fail "$1: /etc/xen/scripts holds other files"
	(cd "$S" && sha256sum -c --quiet "$ref") >&2 || fail "$1: a script changed"
	[ -z "$(inroot dpkg-divert --list | grep ' by xnet$' || true)" ] ||
		fail "$1: diversions by xnet remain"
	[ "$(inroot dpkg -S /etc/xen/scripts/vif-bridge)" = \
		"xen-utils-common: /etc/xen/scripts/vif-bridge" ] || fail "$1: vif-bridge's owner"
	say "$1: every script as xen-utils-common ships it, no diversion"
}

# check_installed STEP with|kept|without: xnet in place, xen-utils-common
# installed with its scripts kept aside unchanged (with), purged but its
# diverted scripts left unchanged (kept), or absent (without)
check_installed() {
	step=$1
	n_div=$(inroot dpkg-divert --list | grep -c ' by xnet$' || true)
	[ "$n_div" = "$ndiv" ] || {
		inroot dpkg-divert --list >&2; fail "$step: $n_div diversions by xnet"; }
	for n in $diverted; do
		[ "$(inroot dpkg-divert --listpackage "/etc/xen/scripts/$n")" = xnet ] ||
			fail "$step: $n not diverted by xnet"
		[ "$(inroot dpkg-divert --truename "/etc/xen/scripts/$n")" = \
			"/etc/xen/scripts/$n.distrib" ] || fail "$step: $n diverted elsewhere"
		owners=$(inroot dpkg -S "/etc/xen/scripts/$n")
		echo "$owners" | grep -qx "diversion by xnet from: /etc/xen/scripts/$n" &&
			echo "$owners" | grep -q "^\(.*, \)\?xnet\(, .*\)\?: /etc/xen/scripts/$n$" ||
			{ echo "$owners" >&2; fail "$step: dpkg -S /etc/xen/scripts/$n"; }
		if [ "$2" != without ]; then
			[ "$(sha_in "/etc/xen/scripts/$n.distrib")" = "$(sha "$n")" ] ||
				fail "$step: $n.distrib is not xen-utils-common's $n"
		else
			[ ! -e "$S/$n.distrib" ] || fail "$step: $n.distrib without xen-utils-common"
		fi
	done
	for n in $progs; do
		case " $diverted " in
		*" $n "*) ;;
		*) [ "$(inroot dpkg -S "/etc/xen/scripts/$n")" = "xnet: /etc/xen/scripts/$n" ] ||
			fail "$step: dpkg -S /etc/xen/scripts/$n" ;;
		esac
		[ "$n" = "${switched:-}" ] && continue
		[ "$(inroot readlink -f "/etc/xen/scripts/$n")" = "/usr/lib/xnet/$n" ] ||
			fail "$step: /etc/xen/scripts/$n is not /usr/lib/xnet/$n"
		v=$(inroot "/etc/xen/scripts/$n" --version 2>&1) || true
		case $v in
		"$n (xnet) "*) ;;
		*) fail "$step: /etc/xen/scripts/$n --version: $v" ;;
		esac
	done
	# the scripts xnet leaves alone
	if [ "$2" = with ]; then
		awk '{ print $2 }' "$ref" | while read -r f; do
			case " $diverted " in *" $f "*) continue ;; esac
			[ "$(sha_in "/etc/xen/scripts/$f")" = "$(sha "$f")" ] || fail "$step: $f changed"
		done
	fi
	for f in /usr/share/man/man7/xnet.7.gz /usr/share/man/man8/vif-bridge.8.gz \
		/usr/share/man/man8/xnet-switch.8.gz /usr/share/doc/xnet/examples/xl.conf.example \
		/usr/share/xnet/60-xnet-vif.rules /lib/systemd/system/xnet-network@.service \
		/lib/systemd/system/xnet-guard.service /etc/default/xnet /usr/sbin/xnet-switch; do
		[ -e "$root$f" ] || fail "$step: no $f"
	done
	# udev rules off, as with xl
	! ls "$root"/lib/udev/rules.d/*xnet* "$root"/etc/udev/rules.d/*xnet* >/dev/null 2>&1 ||
		fail "$step: udev rules active"
	! ls "$S" | grep -E '\.(dpkg|ucf)-' >&2 || fail "$step: dpkg or ucf left files"
	say "$step: $ndiv diversions, /etc/xen/scripts runs xnet;" \
		"xen-utils-common: $2"
}

# 1. xen-utils-common first, then xnet; upgraded over itself
check_pristine "xen-utils-common alone"
apt_in install /tmp/xnet.deb
check_installed "xnet installed" with
inroot systemd-analyze verify xnet-network@bridge.service xnet-network@route.service \
	xnet-network@nat.service xnet-guard.service >"$out/verify.log" 2>&1 ||
	{ cat "$out/verify.log"; fail "systemd-analyze verify"; }
[ ! -s "$out/verify.log" ] || { cat "$out/verify.log"; fail "systemd-analyze verify warns"; }
say "systemd-analyze verify: the units are clean"
apt_in install --reinstall /tmp/xnet.deb
check_installed "xnet upgraded over itself" with

# 2. vif-nat back to the shell script, kept over upgrades of both packages
inroot xnet-switch vif-nat shell >&2 || fail "xnet-switch vif-nat shell"
switched=vif-nat
check_nat_shell() {
	[ "$(inroot readlink -f /etc/xen/scripts/vif-nat)" = /etc/xen/scripts/vif-nat.distrib ] &&
		[ "$(sha_in /etc/xen/scripts/vif-nat)" = "$(sha vif-nat)" ] ||
		fail "$1: /etc/xen/scripts/vif-nat is not the shell script"
	inroot xnet-switch | grep -q '^vif-nat  *shell ' || fail "$1: xnet-switch's list"
	say "$1: vif-nat runs the shell script"
}
check_nat_shell "xnet-switch vif-nat shell"
! inroot xnet-switch network-bridge shell 2>/dev/null || fail "network-bridge has no shell script"
apt_in install --reinstall /tmp/xnet.deb
check_installed "xnet upgraded, vif-nat switched" with
check_nat_shell "xnet upgraded"
apt_in install --reinstall /tmp/xen-utils-common.deb
check_installed "xen-utils-common reinstalled" with
check_nat_shell "xen-utils-common reinstalled"
inroot xnet-switch vif-nat xnet >&2 || fail "xnet-switch vif-nat xnet"
switched=
check_installed "xnet-switch vif-nat xnet" with

# 3. xen-utils-common purged and installed again under xnet (dpkg's purge
# leaves a diverted conffile where it is: NAME.distrib stays, unchanged)
inroot dpkg --purge xen-utils-common >"$out/apt.log" 2>&1 || { cat "$out/apt.log"; fail "purge"; }
check_installed "xen-utils-common purged" kept
apt_in install /tmp/xen-utils-common.deb
check_installed "xen-utils-common installed again" with

# 4. removed: every script back; purged: nothing left
apt_in remove xnet
check_pristine "xnet removed"
[ -e "$root/etc/default/xnet" ] || fail "xnet removed: /etc/default/xnet went before purge"
apt_in purge xnet
check_pristine "xnet purged"
for f in /etc/default/xnet /etc/xnet /usr/lib/xnet /usr/share/xnet; do
	[ ! -e "$root$f" ] || fail "xnet purged: $f remains"
done
! inroot dpkg -s xnet >/dev/null 2>&1 || fail "xnet purged: dpkg still knows it"

# 5. xnet first, then xen-utils-common; removed again
inroot dpkg --purge xen-utils-common >"$out/apt.log" 2>&1 || { cat "$out/apt.log"; fail "purge"; }
apt_in install /tmp/xnet.deb
check_installed "xnet without xen-utils-common" without
apt_in install /tmp/xen-utils-common.deb
check_installed "xen-utils-common after xnet" with
apt_in purge xnet
check_pristine "xnet purged after xen-utils-common"

say "passed in $(($(date +%s) - t0)) s"
