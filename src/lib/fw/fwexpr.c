/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwexpr.c: nft rules built expression by expression, one helper each. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <string.h>

#include "text/text.h"
#include "fw/fw.h"

/* Values are loaded from the first 32-bit register on, one after the
 * other (a concatenation); a cmp or lookup then reads them all. */
static struct nftnl_expr *expr(struct xnh_fw_rule *rb, const char *name)
{
	struct nftnl_expr *e;

	if (rb->err)
		return NULL;
	e = nftnl_expr_alloc(name);
	if (!e)
		rb->err = -ENOMEM;
	return e;
}

static void load(struct xnh_fw_rule *rb, struct nftnl_expr *e, uint16_t dreg, uint32_t len)
{
	nftnl_expr_set_u32(e, dreg, rb->reg);
	rb->reg += (len + 3) / 4;
	nftnl_rule_add_expr(rb->r, e);
}

static uint32_t meta_len(uint32_t key)
{
	if (key == NFT_META_IIF)
		return 4;
	return key == NFT_META_IIFNAME || key == NFT_META_OIFNAME ? XNH_IFNAMSIZ : 1;
}

/* [ meta load KEY => reg ]: `iif`, `iifname`, `oifname`, `meta nfproto`, `meta l4proto` */
void xnh_fwx_meta(struct xnh_fw_rule *rb, uint32_t key)
{
	struct nftnl_expr *e = expr(rb, "meta");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	load(rb, e, NFTNL_EXPR_META_DREG, meta_len(key));
}

/* [ payload load LENb @ BASE header + OFF => reg ]: `ether saddr`, `ip saddr`, ... */
void xnh_fwx_payload(struct xnh_fw_rule *rb, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *e = expr(rb, "payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	load(rb, e, NFTNL_EXPR_PAYLOAD_DREG, len);
}

/* [ cmp OP reg DATA ]: `== value`, `!= value` on what was loaded */
void xnh_fwx_cmp(struct xnh_fw_rule *rb, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr(rb, "cmp");

	rb->reg = NFT_REG32_00;
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(rb->r, e);
}

/* [ bitwise reg = ( reg & MASK ) ^ 0 ]: the prefix of `ip6 saddr fe80::/10` */
void xnh_fwx_mask(struct xnh_fw_rule *rb, const void *mask, uint32_t len)
{
	static const uint8_t zero[16];
	struct nftnl_expr *e = expr(rb, "bitwise");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	nftnl_rule_add_expr(rb->r, e);
}

/* [ lookup reg set NAME [0x1] ]: `... @set`, or `... != @set` when @inv */
void xnh_fwx_lookup(struct xnh_fw_rule *rb, const char *set, bool inv)
{
	struct nftnl_expr *e = expr(rb, "lookup");

	rb->reg = NFT_REG32_00;
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG32_00);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	nftnl_rule_add_expr(rb->r, e);
}

/* [ objref type 1 name NAME ]: `counter name NAME` */
void xnh_fwx_counter(struct xnh_fw_rule *rb, const char *name)
{
	struct nftnl_expr *e = expr(rb, "objref");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, NFT_OBJECT_COUNTER);
	nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, name);
	nftnl_rule_add_expr(rb->r, e);
}

/* [ immediate reg 0 VERDICT ]: `accept`, `drop` */
void xnh_fwx_verdict(struct xnh_fw_rule *rb, int verdict)
{
	struct nftnl_expr *e = expr(rb, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	nftnl_rule_add_expr(rb->r, e);
}

/* [ masq ]: `masquerade` */
void xnh_fwx_masq(struct xnh_fw_rule *rb)
{
	struct nftnl_expr *e = expr(rb, "masq");

	if (e)
		nftnl_rule_add_expr(rb->r, e);
}

/* `ether type ip|ip6|arp` on a bridge, `meta nfproto ipv4|ipv6` in inet */
void xnh_fwx_l3(struct xnh_fw_rule *rb, uint16_t ethertype)
{
	uint16_t be = htons(ethertype);
	uint8_t proto = ethertype == ETH_P_IPV6 ? NFPROTO_IPV6 : NFPROTO_IPV4;

	if (rb->bridge) {
		xnh_fwx_payload(rb, NFT_PAYLOAD_LL_HEADER, 12, 2);
		xnh_fwx_cmp(rb, NFT_CMP_EQ, &be, sizeof(be));
	} else {
		xnh_fwx_meta(rb, NFT_META_NFPROTO);
		xnh_fwx_cmp(rb, NFT_CMP_EQ, &proto, 1);
	}
}

/* `meta l4proto PROTO` */
void xnh_fwx_l4proto(struct xnh_fw_rule *rb, uint8_t proto)
{
	xnh_fwx_meta(rb, NFT_META_L4PROTO);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &proto, 1);
}

/* `icmpv6 type TYPE` */
void xnh_fwx_icmpv6_type(struct xnh_fw_rule *rb, uint8_t type)
{
	xnh_fwx_l4proto(rb, IPPROTO_ICMPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &type, 1);
}

/* [ immediate reg 0 jump CHAIN ]: `jump CHAIN` to one of the table's fixed chains */
void xnh_fwx_jump(struct xnh_fw_rule *rb, const char *chain)
{
	struct nftnl_expr *e = expr(rb, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)NFT_JUMP);
	nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	nftnl_rule_add_expr(rb->r, e);
}

/* [ exthdr load ipv6 LENb @ TYPE + OFF [present] => reg ]: `exthdr frag exists`
 * (@present: 1 if the header is there, else 0), `frag frag-off` */
void xnh_fwx_exthdr6(struct xnh_fw_rule *rb, uint8_t type, uint32_t off, uint32_t len,
		     bool present)
{
	struct nftnl_expr *e = expr(rb, "exthdr");

	if (!e)
		return;
	nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, type);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_IPV6);
	if (present)
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT);
	load(rb, e, NFTNL_EXPR_EXTHDR_DREG, len);
}

/* [ ct load KEY => reg ]: `ct state` (4 bytes) */
void xnh_fwx_ct(struct xnh_fw_rule *rb, uint32_t key)
{
	struct nftnl_expr *e = expr(rb, "ct");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	load(rb, e, NFTNL_EXPR_CT_DREG, 4);
}
