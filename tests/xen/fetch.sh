#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fetch.sh: download Debian 12's Xen 4.17, its tools and a 6.1 kernel with
# apt-get download and unpack them with dpkg -x (never installed) into
# $XNET_XEN_CACHE (/var/cache/xnet-xen)/<key>, the key naming the package
# versions, so that a re-run reuses them. Also prepares what the lab boots:
# xen (gunzipped, for QEMU's multiboot), vmlinux (the guest kernel,
# decompressed: ~4 s less per guest under TCG) and modules.dep.
# Prints the directory. Needs root (apt-get, the cache dir).
set -eu
cache=${XNET_XEN_CACHE:-/var/cache/xnet-xen}
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' | head -1)
[ -n "$kpkg" ] || { echo "fetch.sh: no linux-image-6.1 package known to apt" >&2; exit 1; }
pkgs="xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils xen-utils-common
libxenmisc4.17 libxenstore4 libxentoolcore1 libxengnttab1 libxenevtchn1
libxencall1 libxenforeignmemory1 libxendevicemodel1 libxenhypfs1
libxentoollog1 libyajl2 busybox-static $kpkg"
vers=
for p in $pkgs; do
	v=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
	[ -n "$v" ] || { echo "fetch.sh: apt knows no package $p" >&2; exit 1; }
	vers="$vers $p=$v"
done
key=$(echo "$vers" | md5sum | cut -c1-12)
dir=$cache/$key
if [ ! -f "$dir/.done" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	echo "fetch.sh: downloading into $dir" >&2
	# shellcheck disable=SC2086
	if ! (cd "$dir/debs" && apt-get download -q $vers >/dev/null 2>&1); then
		rm -rf "$dir"
		# a version gone from the archive: update the lists, start again
		[ "${1:-}" = --updated ] && { echo "fetch.sh: apt-get download failed" >&2; exit 1; }
		apt-get update -q >/dev/null
		exec "$0" --updated
	fi
	for d in "$dir"/debs/*.deb; do dpkg -x "$d" "$dir/root"; done
	gunzip -c "$dir"/root/boot/xen-4.17-amd64.gz >"$dir/xen"
	kver=${kpkg#linux-image-}
	echo "$kver" >"$dir/kver"
	# vmlinuz is a bzImage holding an xz stream: the vmlinux ELF inside
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$dir/root/boot/vmlinuz-$kver" | head -1 | cut -d: -f1)
	tail -c +"$((off + 1))" "$dir/root/boot/vmlinuz-$kver" | xz -dc >"$dir/vmlinux" 2>/dev/null || true
	[ "$(head -c 4 "$dir/vmlinux" | od -An -c | tr -d ' ')" = 177ELF ] ||
		{ echo "fetch.sh: no ELF vmlinux in vmlinuz-$kver" >&2; exit 1; }
	depmod -b "$dir/root" "$kver"
	echo "$vers" >"$dir/versions"
	touch "$dir/.done"
fi
echo "$dir"
