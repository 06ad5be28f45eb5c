#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# mkimage.sh CACHE BUILDDIR OUT: make OUT/dom0.cpio, the lab's dom0
# initramfs: busybox, Xen's tools from CACHE (fetch.sh), xnet installed from
# BUILDDIR with make install DESTDIR=, Debian's shell scripts (for
# comparison), host tools (ip, nft, kmod, dnsmasq, Open vSwitch) with their
# libraries, the kernel modules the lab loads, the guest kernel and the
# guest's initramfs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1 build=$2 out=$3
root=$cache/root
kver=$(cat "$cache/kver")
st=$out/dom0
gst=$out/guest
rm -rf "$st" "$gst"
mkdir -p "$st" "$gst"
xbin=/usr/lib/xen-4.17/bin
xlib=$root/usr/lib/x86_64-linux-gnu

# put SRC DST: copy SRC to DST in the staged root $to, and its libraries
put() {
	mkdir -p "$to$(dirname "$2")"
	cp -L "$1" "$to$2"
	libs "$1"
}
# libs FILE: copy the libraries FILE needs into $to
libs() {
	LD_LIBRARY_PATH=$xlib ldd "$1" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^\t\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		d=/lib/x86_64-linux-gnu/$(basename "$lib")
		case $lib in */ld-linux*) d=/lib64/$(basename "$lib") ;; esac
		[ -e "$to$d" ] || { mkdir -p "$to$(dirname "$d")"; cp -L "$lib" "$to$d"; }
	done
}

# mods DIR MODULE...: the modules and what they depend on, and modules.dep
mods() {
	to=$1
	shift
	for m in "$@"; do
		modprobe -d "$root" -S "$kver" --show-depends "$m" | sed -n 's/^insmod \([^ ]*\).*/\1/p'
	done | sort -u | while read -r f; do
		mkdir -p "$to$(dirname "${f#"$root"}")"
		cp "$f" "$to${f#"$root"}"
	done
	cp "$root/lib/modules/$kver"/modules.order "$root/lib/modules/$kver"/modules.builtin* "$to/lib/modules/$kver/"
	depmod -b "$to" "$kver"
}

# --- the guest: busybox and netfront ---
to=$gst
mkdir -p "$gst/bin" "$gst/proc" "$gst/sys" "$gst/dev" "$gst/tmp"
cp "$root/bin/busybox" "$gst/bin/busybox"
cp "$here/guest-init" "$gst/init"
gcc -static -O2 -o "$gst/bin/forge" "$here/forge.c"
gcc -static -O2 -o "$gst/bin/pktsend" "$here/../fw/pktsend.c"
mods "$gst" xen-netfront
(cd "$gst" && find . | cpio -o -H newc --quiet) >"$out/guest.cpio"

# --- dom0 ---
to=$st
mkdir -p "$st/bin" "$st/proc" "$st/sys" "$st/dev" "$st/run" "$st/tmp" "$st/etc" \
	"$st/var/lib/xen" "$st/var/lib/xenstored" "$st/var/log/xen/console" "$st/lab"
cp "$root/bin/busybox" "$st/bin/busybox"
cp "$here/dom0-init" "$st/init"
cp "$here/lib.sh" "$here"/scenario-*.sh "$st/lab/"
for b in xl xenstored oxenstored xenconsoled xen-init-dom0 xenstore-control; do
	put "$root$xbin/$b" "$xbin/$b"
done
put "$root/usr/bin/xenstore" /usr/bin/xenstore
for l in read write rm ls list exists chmod watch; do ln -sf xenstore "$st/usr/bin/xenstore-$l"; done
cp /lib/x86_64-linux-gnu/libgcc_s.so.1 "$st/lib/x86_64-linux-gnu/"
mkdir -p "$st/etc/xen"
cp "$root/etc/xen/oxenstored.conf" "$root/etc/xen/xl.conf" "$st/etc/xen/"
cp -r "$root/etc/xen/scripts" "$st/etc/xen/debian-scripts"
make -s -C "$build" install DESTDIR="$st" >/dev/null
rm -rf "${st:?}/usr/share" "${st:?}/usr/local/share"
for p in "$st"/etc/xen/scripts/*; do libs "$p"; done
for t in /usr/sbin/ip /usr/sbin/bridge /usr/sbin/nft /usr/bin/kmod /usr/sbin/dnsmasq; do put "$t" "/usr/sbin/$(basename "$t")"; done
for l in modprobe insmod rmmod lsmod; do ln -sf kmod "$st/usr/sbin/$l"; done
# for Debian's scripts (the timing comparison): bash and iptables
put /bin/bash /bin/bash
put "$(readlink -f /usr/sbin/iptables)" /usr/sbin/xtables-nft-multi
ln -sf xtables-nft-multi "$st/usr/sbin/iptables"
mkdir -p "$st/usr/lib/x86_64-linux-gnu"
cp -r /usr/lib/x86_64-linux-gnu/xtables "$st/usr/lib/x86_64-linux-gnu/"
cp /etc/protocols /etc/services "$st/etc/" 2>/dev/null || true
# Open vSwitch for the ovs scenario: the host's (scripts/deps installs
# openvswitch-switch, Debian 12's, as the dom0 would run); without it the
# scenario fails saying so, and the other scenarios do not miss it
if [ -x /usr/sbin/ovs-vswitchd ] && [ -r /usr/share/openvswitch/vswitch.ovsschema ]; then
	for b in /usr/sbin/ovsdb-server /usr/sbin/ovs-vswitchd /usr/bin/ovs-vsctl /usr/bin/ovsdb-tool; do
		put "$b" "$b"
	done
	mkdir -p "$st/usr/share/openvswitch"
	cp /usr/share/openvswitch/vswitch.ovsschema "$st/usr/share/openvswitch/"
fi
echo 'root:x:0:0:root:/:/bin/sh' >"$st/etc/passwd"
echo 'root:x:0:' >"$st/etc/group"
nftmods=$(cd "$root/lib/modules/$kver/kernel/net" &&
	find netfilter bridge/netfilter ipv4/netfilter ipv6/netfilter -name "nft_*.ko" | sed "s|.*/||; s|\\.ko$||")
# shellcheck disable=SC2086
mods "$st" xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-netback \
	bridge veth dummy 8021q nf_tables nfnetlink nf_conntrack_bridge xt_physdev br_netfilter openvswitch \
	$nftmods
cp "$cache/vmlinux" "$out/guest.cpio" "$st/lab/"
(cd "$st" && find . | cpio -o -H newc --quiet) >"$out/dom0.cpio"
