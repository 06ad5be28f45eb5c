#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The per-vif records of vif-route and vif-nat are held against the kernel
# before they are trusted. After a reboot an old record of domain 1 may
# name an ifindex, a vif name and addresses that are now domain 2's: its
# online must remove nothing of domain 2's (it used to take its route, its
# address, its proxy entry, its DHCP options and its link), only forget
# the record; the earlier boot's DHCP host entry of dom1 is replaced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-route.sh"
. "$(dirname "$0")/lib-nat.sh"
command -v nft >/dev/null || skip "needs nft"
nat_init

route_lab
old=00000000-0000-0000-0000-000000000000
mkdir -p "$XNET_STATE_DIR"
rguest domB 2 0 10.0.0.2/24 2001:db8::2
xs_vif 2 0 "$GUEST_MAC" script=/etc/xen/scripts/vif-route "ip=10.0.0.2 2001:db8::2"
libxl vif-route online 2 0 || fail "vif-route online of domain 2"
idx=$(link_field dom0 vif2.0 ifindex)
b_state() { routes_of dom0 vif2.0; proxies_of dom0 eth0; addrs_of dom0 vif2.0; }
b_before=$(b_state)

# vif-route: with a boot id, and without (an older xnet's, named web)
rguest domA 1 0 10.0.0.1/24
xs_vif 1 0 "$GUEST_MAC" script=/etc/xen/scripts/vif-route ip=10.0.0.1
for rec in "vif1.0 boot $old" "web"; do
	set -- $rec
	{ printf '# xnet: what online added, for offline to remove\ndev %s %s\nmetric 2\n' "$1" "$idx"
	  printf 'addr 192.168.0.3/32\n%snetdev eth0\nroute 10.0.0.2/32\n' "${2:+$2 $3
}"
	  printf 'route 2001:db8::2/128\nproxy 2001:db8::2/128\n'; } \
		>"$XNET_STATE_DIR/vif-route.1.0.vif"
	libxl vif-route online 1 0 || fail "vif-route online over a stale record ($rec) exited $?"
	expect_eq "$(b_state)" "$b_before" "domain 2's routes, proxy and address are intact ($rec)"
	expect_eq "$(routes_of dom0 vif1.0)" "10.0.0.1 2 192.168.0.3" "domain 1 is routed"
	grep -q "^boot $(cat /proc/sys/kernel/random/boot_id)$" \
		"$XNET_STATE_DIR/vif-route.1.0.vif" || fail "the new record has no boot id"
	libxl vif-route offline 1 0 || fail "vif-route offline exited $?"
	[ -e "$XNET_STATE_DIR/vif-route.1.0.vif" ] && fail "offline left the record"
done
libxl vif-route offline 2 0 || fail "vif-route offline of domain 2"
ip -n "$(ns dom0)" link del vif1.0
ip -n "$(ns dom0)" link del vif2.0

# vif-nat: domain 2's vif2.0 is NAT now, its DHCP entries in dnsmasq's files
: >"$T/dnsmasq-hosts"
nat_guest domD 2 0 10.0.0.2/24 10.0.0.254 ip=10.0.0.2
vifnat online 2 0 || fail "vif-nat online of domain 2"
idx=$(link_field dom0 vif2.0 ifindex)
opts=$(cat "$T/dnsmasq-opts")
grep -q dom2 "$T/dnsmasq-hosts" || fail "no DHCP host entry of dom2"
echo "00:16:3e:00:01:09,10.0.9.9,dom1" >>"$T/dnsmasq-hosts"	# the earlier boot's dom1
printf 'dev=vif2.0\nifindex=%s\nrouter=10.0.0.129\nguest=10.0.0.2\nhost=dom1\ndhcp=2\nboot=%s\n' \
	"$idx" "$old" >"$XNET_STATE_DIR/vif-nat.1.0"
nat_guest domC 1 0 10.0.0.1/24 10.0.0.254 ip=10.0.0.1
vifnat online 1 0 || fail "vif-nat online over an earlier boot's record exited $?"
expect_nat_vif vif2.0 10.0.0.2 10.0.0.129
expect_nat_vif vif1.0 10.0.0.1 10.0.0.128
grep -q "$opts" "$T/dnsmasq-opts" || fail "domain 2's DHCP options are gone"
grep -q 10.0.9.9 "$T/dnsmasq-hosts" && fail "the earlier boot's entry of dom1 is still there"
grep -q "10.0.0.1,dom1" "$T/dnsmasq-hosts" || fail "no DHCP entry of this dom1"
ping_ok domD 10.0.0.129
vifnat offline 1 0 || fail "vif-nat offline exited $?"
vifnat offline 2 0 || fail "vif-nat offline of domain 2"
expect_eq "$(ls "$XNET_STATE_DIR" | grep -c '^vif-nat\.[0-9]*\.[0-9]*$')" 0 "offline removed the records"
pass
