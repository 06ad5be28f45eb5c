/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwnetdev6.c: the Open vSwitch guard's IPv6 neighbour and fragment checks. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include "text/text.h"
#include "sys/sys.h"
#include "run/run.h"
#include "fw/fw.h"

/* What the bridge guard's chains frag6 and nd_target do (doc/firewall.md),
 * for one vif on Open vSwitch: its base chain jumps to two chains of its
 * own, VIF/frag6 and VIF/nd ('/' is in no interface name), with the
 * guest's MAC and addresses as constants. A link-local source is held to
 * the guest's own (its MAC's EUI-64, or listed) before the address rules. */

#define ND_ROUTER_SOLICIT	133
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_REDIRECT		137
#define NEXTHDR_FRAG		44

static void name(char *buf, size_t len, const char *dev, const char *what)
{
	snprintf(buf, len, "%s/%s", dev, what);
}

/* @add: add (and flush) @dev's chains VIF/frag6 and VIF/nd; else delete
 * them, after the base chain whose rules jump to them. */
int xnh_fw_netdev6_chains(struct xnh_fw_batch *b, struct xnh_fw *fw, const char *dev, bool add)
{
	char c[XNH_IFNAMSIZ + 8];
	int r;

	name(c, sizeof(c), dev, "frag6");
	r = xnh_fwn_chain(b, fw, c, NULL, add);
	name(c, sizeof(c), dev, "nd");
	return r < 0 ? r : xnh_fwn_chain(b, fw, c, NULL, add);
}

static void jump(struct xnh_fwn *c, struct xnh_fw_rule *rb, const char *what, const char *text)
{
	char chain[XNH_IFNAMSIZ + 8];

	name(chain, sizeof(chain), c->v->ifname, what);
	xnh_fwx_jump(rb, chain);
	xnh_fwn_put(c, "%s jump \"%s\"", text, chain);
}

static void ll_prefix(struct xnh_fw_rule *rb, uint32_t base, uint32_t off, uint32_t op)
{
	static const uint8_t mask[2] = { 0xff, 0xc0 }, fe80[2] = { 0xfe, 0x80 };

	xnh_fwx_payload(rb, base, off, 2);
	xnh_fwx_mask(rb, mask, sizeof(mask));
	xnh_fwx_cmp(rb, op, fe80, sizeof(fe80));
}

/* ip6 saddr fe80::/10, none of the guest's own: another host's (the
 * router's) link-local address. */
static void link_local_own(struct xnh_fwn *c)
{
	const struct xnh_iplist *ip = &c->v->ip;
	struct xnh_fw_rule *rb = xnh_fwn_start_in(c, NULL);
	struct xnh_inet eui;
	size_t i;

	xnh_fw_eui64_link_local(c->v->mac, &eui);
	xnh_fwn_proto(rb, ETH_P_IPV6);
	ll_prefix(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, NFT_CMP_EQ);
	xnh_fwn_addr_cmp(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, &eui, NFT_CMP_NEQ);
	for (i = 0; i < ip->n; i++)
		if (ip->e[i].family == AF_INET6)
			xnh_fwn_addr_cmp(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, &ip->e[i], NFT_CMP_NEQ);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol ip6 ip6 saddr fe80::/10 ip6 saddr != { its own }"
		    " counter drop");
}

/* The base chain's IPv6 checks, before its address rules. */
void xnh_fw_netdev6_base(struct xnh_fwn *c)
{
	static const uint8_t yes = 1, any[16];
	struct xnh_fw_rule *rb = xnh_fwn_start_in(c, NULL);

	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwx_exthdr6(rb, NEXTHDR_FRAG, 0, 1, true);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &yes, 1);
	jump(c, rb, "frag6", "meta protocol ip6 exthdr frag exists");
	if (c->v->has_mac)
		link_local_own(c);
	rb = xnh_fwn_start_in(c, NULL);
	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwx_icmpv6_type(rb, ND_NEIGHBOR_ADVERT);
	jump(c, rb, "nd", "meta protocol ip6 icmpv6 type nd-neighbor-advert");
	rb = xnh_fwn_start_in(c, NULL);
	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 16);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_icmpv6_type(rb, ND_NEIGHBOR_SOLICIT);
	jump(c, rb, "nd", "meta protocol ip6 ip6 saddr :: icmpv6 type nd-neighbor-solicit");
}

/* VIF/frag6: RFC 6980 (ND and RA are never fragmented) and RFC 7112 (the
 * first fragment holds the upper-layer header). */
static void frag6_rules(struct xnh_fwn *c, const char *chain)
{
	static const uint8_t off_mask[2] = { 0xff, 0xf8 }, zero2[2], lo = ND_ROUTER_SOLICIT,
			     hi = ND_REDIRECT, zero = 0;
	struct xnh_fw_rule *rb = xnh_fwn_start_in(c, chain);

	xnh_fwx_exthdr6(rb, NEXTHDR_FRAG, 2, 2, false);
	xnh_fwx_mask(rb, off_mask, sizeof(off_mask));
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, zero2, sizeof(zero2));
	xnh_fwx_verdict(rb, NFT_RETURN);
	xnh_fwn_put(c, "frag frag-off != 0 return");
	rb = xnh_fwn_start_in(c, chain);
	xnh_fwx_l4proto(rb, IPPROTO_ICMPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_cmp(rb, NFT_CMP_GTE, &lo, 1);
	xnh_fwx_cmp(rb, NFT_CMP_LTE, &hi, 1);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "icmpv6 type 133-137 counter drop");
	rb = xnh_fwn_start_in(c, chain);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_mask(rb, &zero, 1);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &zero, 1);
	xnh_fwx_verdict(rb, NFT_RETURN);
	xnh_fwn_put(c, "@th,0,8 & 0 == 0 return");
	rb = xnh_fwn_start_in(c, chain);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "counter drop");
}

static void target_is(struct xnh_fwn *c, const char *chain, const struct xnh_inet *a)
{
	struct xnh_fw_rule *rb = xnh_fwn_start_in(c, chain);
	char t[64];

	xnh_fwn_addr_cmp(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 8, a, NFT_CMP_EQ);
	xnh_fwx_verdict(rb, NFT_RETURN);
	xnh_inet_format(a, xnh_fw_inet_is_net(a), t, sizeof(t));
	xnh_fwn_put(c, "@th,64,128 %s return", t);
}

/* VIF/nd: the address an NA or a DAD probe claims is the guest's own. A
 * vif whose IPv6 is not held to addresses may claim any global one, and
 * one whose MAC is not known any link-local one. */
static void nd_rules(struct xnh_fwn *c, const char *chain)
{
	const struct xnh_iplist *ip = &c->v->ip;
	struct xnh_fw_rule *rb;
	struct xnh_inet eui;
	bool open4, open6;
	size_t i;

	xnh_fw_vif_open(c->v, &open4, &open6);
	for (i = 0; i < ip->n; i++)
		if (ip->e[i].family == AF_INET6)
			target_is(c, chain, &ip->e[i]);
	if (c->v->has_mac) {
		xnh_fw_eui64_link_local(c->v->mac, &eui);
		target_is(c, chain, &eui);
	}
	if (open6) {
		rb = xnh_fwn_start_in(c, chain);
		ll_prefix(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 8, NFT_CMP_NEQ);
		xnh_fwx_verdict(rb, NFT_RETURN);
		xnh_fwn_put(c, "@th,64,10 != fe80::/10 return");
	}
	if (!c->v->has_mac) {
		rb = xnh_fwn_start_in(c, chain);
		ll_prefix(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 8, NFT_CMP_EQ);
		xnh_fwx_verdict(rb, NFT_RETURN);
		xnh_fwn_put(c, "@th,64,10 fe80::/10 return");
	}
	rb = xnh_fwn_start_in(c, chain);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "counter drop");
}

void xnh_fw_netdev6_chain_rules(struct xnh_fwn *c)
{
	char chain[XNH_IFNAMSIZ + 8];

	name(chain, sizeof(chain), c->v->ifname, "frag6");
	frag6_rules(c, chain);
	name(chain, sizeof(chain), c->v->ifname, "nd");
	nd_rules(c, chain);
}
