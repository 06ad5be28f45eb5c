/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rule.c: what one rule certainly does with one of the guest's packets.
 *
 * The rule's expressions run on a copy of the kernel's registers in which
 * each byte is known or not: interface names and indexes, nfproto,
 * ethertype and ct state are known for the guest's packets; anything else
 * (addresses, ports, sets) is not. A comparison of an unknown byte, or an
 * expression not modelled here, makes the rule uncertain, and an uncertain
 * rule neither accepts nor drops: a chain is blamed only for what surely
 * happens, and an accept is believed only where it surely applies.
 */
#include <arpa/inet.h>
#include <stdio.h>	/* before libnftnl's headers, which use FILE */
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <string.h>

#include "ruleset.h"

#define REGS_SIZE	(NFT_REG_SIZE * (NFT_REG_4 + 1))	/* the verdict and 4 x 16 bytes */

struct regs {
	uint8_t v[REGS_SIZE];
	bool known[REGS_SIZE];
};

enum { UNSURE = -1, FALSE = 0, GOES_ON = 1 };

/* The byte offset of register @reg, as nft_parse_register() maps it. */
static int reg_at(uint32_t reg, uint32_t len)
{
	int off;

	if (reg <= NFT_REG_4)
		off = (int)reg * NFT_REG_SIZE;
	else if (reg >= NFT_REG32_00 && reg <= NFT_REG32_15)
		off = NFT_REG_SIZE + (int)(reg - NFT_REG32_00) * NFT_REG32_SIZE;
	else
		return -1;
	return len > REGS_SIZE || off + (int)len > REGS_SIZE ? -1 : off;
}

static void forget(struct regs *rg)
{
	memset(rg->known, 0, sizeof(rg->known));
}

/* @len bytes of @data into @reg; NULL data: those bytes are not known. */
static void store(struct regs *rg, uint32_t reg, const void *data, uint32_t len)
{
	int off = reg_at(reg, len);

	if (off < 0)
		return forget(rg);
	if (data)
		memcpy(rg->v + off, data, len);
	memset(rg->known + off, !!data, len);
}

static void store_name(struct regs *rg, uint32_t reg, const char *name)
{
	char n[IFNAMSIZ] = { 0 };

	if (name)
		strncpy(n, name, sizeof(n) - 1);
	store(rg, reg, name ? n : NULL, sizeof(n));
}

static void store_u32(struct regs *rg, uint32_t reg, uint32_t v, bool known)
{
	store(rg, reg, known ? &v : NULL, sizeof(v));
}

static void store_index(struct regs *rg, uint32_t reg, const char *name)
{
	unsigned int i = name ? if_nametoindex(name) : 0;

	store_u32(rg, reg, i, i != 0);
}

static int meta(struct nftnl_expr *e, const struct xnf_pkt *p, struct regs *rg)
{
	uint32_t key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
	uint32_t d = nftnl_expr_get_u32(e, NFTNL_EXPR_META_DREG);
	uint16_t proto = htons(p->ethertype);

	if (nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG))
		return GOES_ON;		/* meta ... set: a statement */
	switch (key) {
	case NFT_META_IIFNAME: store_name(rg, d, p->iif); break;
	case NFT_META_OIFNAME: store_name(rg, d, p->oif); break;
	case NFT_META_BRI_IIFNAME: store_name(rg, d, p->ibr); break;
	case NFT_META_BRI_OIFNAME: store_name(rg, d, p->obr); break;
	case NFT_META_IIF: store_index(rg, d, p->iif); break;
	case NFT_META_OIF: store_index(rg, d, p->oif); break;
	case NFT_META_NFPROTO: store_u32(rg, d, 0, true); store(rg, d, &p->nfproto, 1); break;
	case NFT_META_PROTOCOL: store_u32(rg, d, 0, true); store(rg, d, &proto, 2); break;
	default: forget(rg);
	}
	return GOES_ON;
}

static int ct(struct nftnl_expr *e, const struct xnf_pkt *p, struct regs *rg)
{
	if (nftnl_expr_is_set(e, NFTNL_EXPR_CT_SREG))
		return GOES_ON;		/* ct ... set: a statement */
	if (nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY) != NFT_CT_STATE)
		forget(rg);
	else
		store_u32(rg, nftnl_expr_get_u32(e, NFTNL_EXPR_CT_DREG), p->ctstate, true);
	return GOES_ON;
}

static int cmp(struct nftnl_expr *e, struct regs *rg)
{
	uint32_t len = 0, op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP), i;
	const void *data = nftnl_expr_get_data(e, NFTNL_EXPR_CMP_DATA, &len);
	int off = reg_at(nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_SREG), len), d;

	if (!data || off < 0)
		return UNSURE;
	for (i = 0; i < len; i++)
		if (!rg->known[off + i])
			return UNSURE;
	d = memcmp(rg->v + off, data, len);
	switch (op) {
	case NFT_CMP_EQ: return d == 0;
	case NFT_CMP_NEQ: return d != 0;
	case NFT_CMP_LT: return d < 0;
	case NFT_CMP_LTE: return d <= 0;
	case NFT_CMP_GT: return d > 0;
	case NFT_CMP_GTE: return d >= 0;
	}
	return UNSURE;
}

/* (sreg & mask) ^ xor into dreg: how nft tests flags such as ct state. */
static int bitwise(struct nftnl_expr *e, struct regs *rg)
{
	uint32_t len = nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_LEN), ml = 0, xl = 0, i;
	const uint8_t *mask = nftnl_expr_get_data(e, NFTNL_EXPR_BITWISE_MASK, &ml);
	const uint8_t *xor = nftnl_expr_get_data(e, NFTNL_EXPR_BITWISE_XOR, &xl);
	int s = reg_at(nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_SREG), len);
	int d = reg_at(nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_DREG), len);
	uint8_t v[REGS_SIZE];
	bool known = true;

	if (nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_OP) != NFT_BITWISE_BOOL ||
	    s < 0 || d < 0 || !mask || !xor || ml < len || xl < len) {
		forget(rg);
		return GOES_ON;
	}
	for (i = 0; i < len; i++) {
		known &= rg->known[s + i];
		v[i] = (rg->v[s + i] & mask[i]) ^ xor[i];
	}
	memcpy(rg->v + d, v, len);
	memset(rg->known + d, known, len);
	return GOES_ON;
}

static int immediate(struct nftnl_expr *e, struct regs *rg, struct xnf_rule_verdict *rv)
{
	uint32_t dreg = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG), len = 0;
	const void *data;

	if (dreg != NFT_REG_VERDICT) {
		data = nftnl_expr_get_data(e, NFTNL_EXPR_IMM_DATA, &len);
		store(rg, dreg, data, len);
		return GOES_ON;
	}
	switch ((int)nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT)) {
	case NF_ACCEPT: rv->v = XNF_ACCEPT; break;
	case NF_DROP: rv->v = XNF_DROP; break;
	case NFT_JUMP:
	case NFT_GOTO:
		rv->jump = nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN);
		rv->go = (int)nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT) == NFT_GOTO;
		break;
	case NFT_RETURN: rv->ret = true; break;
	case NFT_CONTINUE: return GOES_ON;
	case NFT_BREAK: return FALSE;
	default: return UNSURE;	/* queue, stolen */
	}
	return GOES_ON;
}

/* iptables targets: REJECT drops; the listed ones only mark, log or count. */
static int target(struct nftnl_expr *e, struct xnf_rule_verdict *rv)
{
	static const char *const quiet[] = { "LOG", "NFLOG", "MARK", "CONNMARK", "TCPMSS",
		"CLASSIFY", "CT", "NOTRACK", "TRACE", "DSCP", "TOS", "CHECKSUM", "AUDIT", NULL };
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_TG_NAME);
	int i;

	if (name && !strcmp(name, "REJECT")) {
		rv->v = XNF_DROP;
		rv->reject = true;
		return GOES_ON;
	}
	for (i = 0; name && quiet[i]; i++)
		if (!strcmp(name, quiet[i]))
			return GOES_ON;
	return UNSURE;
}

static int match(struct nftnl_expr *e, const struct xnf_pkt *p)
{
	uint32_t len = 0;
	const void *info = nftnl_expr_get_data(e, NFTNL_EXPR_MT_INFO, &len);

	return xnf_xt_match(nftnl_expr_get_str(e, NFTNL_EXPR_MT_NAME),
			    nftnl_expr_get_u32(e, NFTNL_EXPR_MT_REV), info, len, p);
}

/* One expression: GOES_ON, FALSE (the rule stops) or UNSURE. */
static int expr(struct nftnl_expr *e, const struct xnf_pkt *p, struct regs *rg,
		struct xnf_rule_verdict *rv)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (!name)
		return UNSURE;
	if (!strcmp(name, "meta"))
		return meta(e, p, rg);
	if (!strcmp(name, "ct"))
		return ct(e, p, rg);
	if (!strcmp(name, "cmp"))
		return cmp(e, rg);
	if (!strcmp(name, "bitwise"))
		return bitwise(e, rg);
	if (!strcmp(name, "immediate"))
		return immediate(e, rg, rv);
	if (!strcmp(name, "counter") || !strcmp(name, "log") || !strcmp(name, "notrack"))
		return GOES_ON;
	if (!strcmp(name, "objref"))
		return nftnl_expr_get_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE) == NFT_OBJECT_COUNTER ?
			GOES_ON : UNSURE;
	if (!strcmp(name, "reject")) {
		rv->v = XNF_DROP;
		rv->reject = true;
		return GOES_ON;
	}
	if (!strcmp(name, "match"))
		return match(e, p);
	if (!strcmp(name, "target"))
		return target(e, rv);
	if (!strcmp(name, "payload") && nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_SREG))
		return GOES_ON;		/* payload mangling: a statement */
	return UNSURE;
}

void xnf_rule_eval(struct nftnl_rule *r, const struct xnf_pkt *p, struct xnf_rule_verdict *rv)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
	struct nftnl_expr *e;
	struct regs rg;
	int s = GOES_ON;

	memset(rv, 0, sizeof(*rv));
	memset(&rg, 0, sizeof(rg));
	if (!it)
		return;
	while (s == GOES_ON && rv->v == XNF_CONT && !rv->jump && !rv->ret &&
	       (e = nftnl_expr_iter_next(it)))
		s = expr(e, p, &rg, rv);
	nftnl_expr_iter_destroy(it);
	if (s != GOES_ON)
		memset(rv, 0, sizeof(*rv));
}
