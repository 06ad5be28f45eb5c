/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ruleset.h: private to src/lib/foreign: the dumped ruleset and its evaluation.
 *
 * Not part of the subsystem's interface (that is foreign.h alone): the files
 * of this folder share these types, nothing outside includes this header.
 */
#ifndef XNET_FOREIGN_RULESET_H
#define XNET_FOREIGN_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nftnl_rule;

/* One chain of the dump, with its rules in the kernel's order. */
struct xnf_chain {
	char table[256], name[256];	/* NFT_TABLE_MAXNAMELEN, NFT_CHAIN_MAXNAMELEN */
	uint32_t family;		/* NFPROTO_* */
	bool base;			/* has a hook */
	uint32_t hook, policy;		/* for a base chain */
	struct nftnl_rule **rules;
	size_t nrules, cap;
};

struct xnf_ruleset {
	struct xnf_chain *chains;
	size_t n, cap;
};

/* dump.c: the chains and rules of every table of the current netns. */
int xnf_ruleset_dump(struct xnf_ruleset *rs);
void xnf_ruleset_free(struct xnf_ruleset *rs);
const struct xnf_chain *xnf_chain_find(const struct xnf_ruleset *rs, uint32_t family,
				       const char *table, const char *name);

/* One packet of the guest, as a forward chain sees it; NULL: not known. */
struct xnf_pkt {
	uint8_t nfproto;		/* what meta nfproto loads */
	uint16_t ethertype;		/* what meta protocol loads (host order) */
	const char *iif, *oif;		/* interface names */
	const char *ibr, *obr;		/* bridge family: the bridge */
	const char *physin, *physout;	/* br_netfilter: the bridge ports */
	bool bridged;			/* br_netfilter: a bridged packet */
	uint32_t ctstate;		/* NF_CT_STATE_BIT of new or established */
};

enum xnf_verdict { XNF_CONT, XNF_ACCEPT, XNF_DROP };

/* Where a drop came from. */
struct xnf_outcome {
	const struct xnf_chain *chain;	/* the chain of the dropping rule, or NULL: policy */
	size_t rule;			/* its position in that chain */
	bool reject;
};

/* eval.c: what base chain @c does with @p (its policy included). */
enum xnf_verdict xnf_chain_eval(const struct xnf_ruleset *rs, const struct xnf_chain *c,
				const struct xnf_pkt *p, struct xnf_outcome *o);

/* rule.c: what one rule certainly does with @p: XNF_CONT when it does not
 * apply or when it is not certain that it applies; *jump names the chain
 * of a jump (*go for a goto), *ret is set for a return. */
struct xnf_rule_verdict {
	enum xnf_verdict v;
	const char *jump;
	bool go, ret, reject;
};
void xnf_rule_eval(struct nftnl_rule *r, const struct xnf_pkt *p, struct xnf_rule_verdict *rv);

/* xt.c: an iptables match (physdev, conntrack, state, comment) as a
 * condition: 1 true, 0 false, -1 not known. */
int xnf_xt_match(const char *name, uint32_t rev, const void *info, uint32_t len,
		 const struct xnf_pkt *p);

/* fix.c: the why, fix and alt of a block. */
struct xnf_guest;
struct xnf_block;
void xnf_block_fill(struct xnf_block *b, const struct xnf_ruleset *rs,
		    const struct xnf_chain *c, const struct xnf_guest *g,
		    const struct xnf_outcome *o, bool replies, int brnf);

#endif
