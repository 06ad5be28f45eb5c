#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh [BUILDDIR]: the real Xen tier. Boots Debian 12's Xen 4.17 with a
# Linux 6.1 dom0 under QEMU (TCG) and runs the scenarios in dom0 with xnet
# from BUILDDIR (default build-xen/, built here) installed as the hotplug
# scripts; PV guests report back through their consoles. Prints one line
# per check, exits 0 when all passed, 1 when one failed, 77 (skip) when not
# root or QEMU is missing. XNET_XEN_BOOTS overrides the boots, e.g.
# "xenstored:bridged oxenstored:bridged+attach" (one QEMU run per word);
# XNET_XEN_SHOW=1 prints the XNET-SHOW lines of dom0 as they come (the demo).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "tests/xen: SKIP: needs root (apt-get, the cache)"; exit 77; }
qemu-system-x86_64 --version >/dev/null 2>&1 ||
	{ echo "tests/xen: SKIP: qemu-system-x86_64 cannot run (apt-get install qemu-system-x86)"; exit 77; }
for c in cpio depmod; do
	command -v $c >/dev/null || { echo "tests/xen: SKIP: no $c (apt-get install cpio kmod)"; exit 77; }
done
boots=${XNET_XEN_BOOTS:-"xenstored:fail+bridged+flood+routed+nat+attach+logs+coexist oxenstored:fail+bridged+attach+vlan+ovs"}
if [ $# -gt 0 ]; then
	build=$(cd "$1" && pwd)
else
	"$top/scripts/build" build-xen >/dev/null
	build=$top/build-xen
fi
start=$(date +%s)
cache=$("$here/fetch.sh")
out=$build/xen-lab
mkdir -p "$out"
"$here/mkimage.sh" "$cache" "$build" "$out"
kver=$(cat "$cache/kver")
rc=0
for b in $boots; do
	xsd=${b%%:*} sc=${b#*:}
	log=$out/serial-$xsd.log
	rm -f "$log" # a QEMU that does not start must not leave the last run's log
	echo "tests/xen: boot with $xsd: $sc"
	t=$(date +%s)
	{
		timeout "${XNET_XEN_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu qemu64 -m 3072 -smp 2 \
			-display none -monitor none -no-reboot -net none \
			-chardev "stdio,id=s0,signal=off,logfile=$log" -serial chardev:s0 \
			-kernel "$cache/xen" \
			-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=2 loglvl=warning guest_loglvl=warning" \
			-initrd "$cache/root/boot/vmlinuz-$kver console=hvc0 loglevel=3 xnet.xenstored=$xsd xnet.scenarios=$sc,$out/dom0.cpio" ||
			echo "tests/xen: FAIL qemu exited $? (124: the ${XNET_XEN_TIMEOUT:-600} s timeout)" >&2
	} </dev/null | if [ "${XNET_XEN_SHOW:-0}" = 1 ]; then
		sed -un 's/\r$//; s/^XNET-SHOW \{0,1\}//p'
	else
		cat >/dev/null
	fi
	tr -d '\r' <"$log" | sed -n "s/^XNET-RESULT /$xsd: /p; s/^XNET-\(SCENARIO\|END\) /$xsd: -- \1 /p"
	grep -q '^XNET-END' "$log" || { echo "tests/xen: FAIL: boot with $xsd did not finish; serial log:"; tail -60 "$log"; rc=1; }
	! grep -q '^XNET-RESULT FAIL' "$log" || rc=1
	grep -q '^XNET-RESULT ok' "$log" || rc=1
	echo "tests/xen: boot with $xsd took $(($(date +%s) - t)) s"
done
echo "tests/xen: $( [ $rc = 0 ] && echo passed || echo FAILED ) in $(($(date +%s) - start)) s (serial logs in $out)"
exit $rc
