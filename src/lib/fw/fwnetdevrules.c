/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwnetdevrules.c: the rules of a vif's guard on Open vSwitch (fwnetdev.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include "text/text.h"
#include "sys/sys.h"
#include "run/run.h"
#include "fw/fw.h"

#define ND_ROUTER_ADVERT	134
#define ND_NEIGHBOR_SOLICIT	135
#define MLD2_LISTENER_REPORT	143

/* `meta protocol ETHERTYPE`: the skb's, a VLAN tag already taken off
 * (`meta nfproto` is netdev itself in this family) */
void xnh_fwn_proto(struct xnh_fw_rule *rb, uint16_t ethertype)
{
	uint16_t be = htons(ethertype);

	xnh_fwx_meta(rb, NFT_META_PROTOCOL);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &be, sizeof(be));
}

void xnh_fwn_drop(struct xnh_fw_rule *rb)
{
	struct nftnl_expr *e = rb->err ? NULL : nftnl_expr_alloc("counter");

	if (!e && !rb->err)
		rb->err = -ENOMEM;
	if (e)
		nftnl_rule_add_expr(rb->r, e);
	xnh_fwx_verdict(rb, NF_DROP);
}

/* `@BASE,OFF,LEN[ & MASK] OP VALUE`: an address, or a network by its prefix */
void xnh_fwn_addr_cmp(struct xnh_fw_rule *rb, uint32_t base, uint32_t off,
		      const struct xnh_inet *a, uint32_t op)
{
	uint32_t len = (uint32_t)xnh_inet_len(a);
	uint8_t mask[16] = { 0 }, val[16];
	unsigned int i;

	memcpy(val, &a->a, len);
	xnh_fwx_payload(rb, base, off, len);
	if (xnh_fw_inet_is_net(a)) {
		for (i = 0; i < a->prefix; i++)
			mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		xnh_fwx_mask(rb, mask, len);
	}
	xnh_fwx_cmp(rb, op, val, len);
}

/* A rule of the vif's chain @chain (NULL: its base chain, named after it) */
struct xnh_fw_rule *xnh_fwn_start_in(struct xnh_fwn *c, const char *chain)
{
	if (c->err >= 0)
		c->err = xnh_fw_rule_start(&c->rb, &xnh_fw_netdev, chain ? chain : c->v->ifname);
	return &c->rb;
}

static struct xnh_fw_rule *start(struct xnh_fwn *c)
{
	return xnh_fwn_start_in(c, NULL);
}

void xnh_fwn_put(struct xnh_fwn *c, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (c->err < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->err = xnh_fw_rule_put(&c->rb, c->b, c->fw, &xnh_fw_netdev, what);
}

static void mac_rules(struct xnh_fwn *c)
{
	const uint8_t *m = c->v->mac;
	struct xnh_fw_rule *rb = start(c);

	xnh_fwx_payload(rb, NFT_PAYLOAD_LL_HEADER, 6, 6);
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, m, 6);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "ether saddr != %02x:%02x:%02x:%02x:%02x:%02x counter drop", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_ARP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 6);
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, m, 6);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol arp arp saddr ether != %02x:%02x:%02x:%02x:%02x:%02x counter drop",
	    m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* What no guest sends: a second VLAN tag, odd ARP, router adverts, and
 * (unless it serves DHCP) a DHCP server's replies. */
static void fixed_rules(struct xnh_fwn *c)
{
	static const uint8_t eth_ip[6] = { 0, 1, 8, 0, 6, 4 };
	static const uint8_t dhcp4[4] = { 0, 67, 0, 68 }, dhcp6[4] = { 2, 35, 2, 34 };
	static const uint8_t ra = ND_ROUTER_ADVERT;
	struct xnh_fw_rule *rb = start(c);

	xnh_fwn_proto(rb, ETH_P_8021Q);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol vlan counter drop");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_8021AD);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol 8021ad counter drop");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_ARP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 0, 6);
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, eth_ip, sizeof(eth_ip));
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol arp @nh,0,48 != 0x000108000604 counter drop");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwx_l4proto(rb, IPPROTO_ICMPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &ra, 1);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol ip6 icmpv6 type nd-router-advert counter drop");
	if (c->v->dhcp_server)
		return;
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_IP);
	xnh_fwx_l4proto(rb, IPPROTO_UDP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, dhcp4, 4);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol ip udp sport 67 udp dport 68 counter drop");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwx_l4proto(rb, IPPROTO_UDP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, dhcp6, 4);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol ip6 udp sport 547 udp dport 546 counter drop");
}

/* ETHERTYPE's packets from one of @family's addresses accepted, at @off */
static void addr_rules(struct xnh_fwn *c, int family, uint16_t ethertype, uint32_t off,
		       const char *what)
{
	const struct xnh_iplist *ip = &c->v->ip;
	struct xnh_fw_rule *rb;
	char a[64];
	size_t i;

	for (i = 0; i < ip->n; i++) {
		if (ip->e[i].family != family)
			continue;
		rb = start(c);
		xnh_fwn_proto(rb, ethertype);
		xnh_fwn_addr_cmp(rb, NFT_PAYLOAD_NETWORK_HEADER, off, &ip->e[i], NFT_CMP_EQ);
		xnh_fwx_verdict(rb, NF_ACCEPT);
		xnh_inet_format(&ip->e[i], xnh_fw_inet_is_net(&ip->e[i]), a, sizeof(a));
		xnh_fwn_put(c, "%s %s accept", what, a);
	}
}

/* the last rule of a family held to its addresses */
static void family_drop(struct xnh_fwn *c, uint16_t ethertype, const char *name)
{
	struct xnh_fw_rule *rb = start(c);

	xnh_fwn_proto(rb, ethertype);
	xnh_fwn_drop(rb);
	xnh_fwn_put(c, "meta protocol %s counter drop", name);
}

static void ipv4_rules(struct xnh_fwn *c)
{
	static const uint8_t any[4], all[4] = { 255, 255, 255, 255 }, ports[4] = { 0, 68, 0, 67 };
	struct xnh_fw_rule *rb;

	addr_rules(c, AF_INET, ETH_P_ARP, 14, "meta protocol arp arp saddr ip");
	addr_rules(c, AF_INET, ETH_P_IP, 12, "meta protocol ip ip saddr");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_ARP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 14, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, 4);
	xnh_fwx_verdict(rb, NF_ACCEPT);
	xnh_fwn_put(c, "meta protocol arp arp saddr ip 0.0.0.0 accept");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_IP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, 4);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, all, 4);
	xnh_fwx_l4proto(rb, IPPROTO_UDP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, ports, 4);
	xnh_fwx_verdict(rb, NF_ACCEPT);
	xnh_fwn_put(c, "meta protocol ip ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68"
	    " udp dport 67 accept");
	family_drop(c, ETH_P_ARP, "arp");
	family_drop(c, ETH_P_IP, "ip");
}

/* `ip6 saddr :: icmpv6 type TYPE accept`: duplicate address detection */
static void from_unspecified(struct xnh_fwn *c, uint8_t type, const char *name)
{
	static const uint8_t any[16];
	struct xnh_fw_rule *rb = start(c);

	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 16);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_l4proto(rb, IPPROTO_ICMPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &type, 1);
	xnh_fwx_verdict(rb, NF_ACCEPT);
	xnh_fwn_put(c, "meta protocol ip6 ip6 saddr :: icmpv6 type %s accept", name);
}

static void ipv6_rules(struct xnh_fwn *c)
{
	struct xnh_inet ll = { .family = AF_INET6, .prefix = 10, .has_prefix = true };
	struct xnh_fw_rule *rb;

	ll.a.v6.s6_addr[0] = 0xfe;
	ll.a.v6.s6_addr[1] = 0x80;
	addr_rules(c, AF_INET6, ETH_P_IPV6, 8, "meta protocol ip6 ip6 saddr");
	rb = start(c);
	xnh_fwn_proto(rb, ETH_P_IPV6);
	xnh_fwn_addr_cmp(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, &ll, NFT_CMP_EQ);
	xnh_fwx_verdict(rb, NF_ACCEPT);
	xnh_fwn_put(c, "meta protocol ip6 ip6 saddr fe80::/10 accept");
	from_unspecified(c, ND_NEIGHBOR_SOLICIT, "nd-neighbor-solicit");
	from_unspecified(c, MLD2_LISTENER_REPORT, "mld2-listener-report");
	family_drop(c, ETH_P_IPV6, "ip6");
}

/* The vif's rules, in order; its chain flushed first (a repeated online). */
int xnh_fw_netdev_rules(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_vif *v)
{
	struct xnh_fwn c = { .b = b, .fw = fw, .v = v };
	bool open4, open6;

	xnh_fw_vif_open(v, &open4, &open6);
	if (v->has_mac)
		mac_rules(&c);
	fixed_rules(&c);
	xnh_fw_netdev6_base(&c);
	if (!open4)
		ipv4_rules(&c);
	if (!open6)
		ipv6_rules(&c);
	xnh_fw_netdev6_chain_rules(&c);
	return c.err;
}
