/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* eval.c: a base chain's fate for one packet, following jumps and gotos. */
#include <linux/netfilter.h>

#include "ruleset.h"

#define JUMPS	16	/* the kernel's NFT_JUMP_STACK_SIZE */

/* The chain's rules in order: XNF_CONT when the packet falls off its end
 * or returns (to the caller's next rule after a jump, past it after a goto). */
static enum xnf_verdict walk(const struct xnf_ruleset *rs, const struct xnf_chain *c,
			     const struct xnf_pkt *p, int depth, struct xnf_outcome *o)
{
	struct xnf_rule_verdict rv;
	const struct xnf_chain *to;
	enum xnf_verdict v;
	size_t i;

	for (i = 0; i < c->nrules; i++) {
		xnf_rule_eval(c->rules[i], p, &rv);
		if (rv.ret)
			return XNF_CONT;
		if (rv.v == XNF_DROP) {
			o->chain = c;
			o->rule = i;
			o->reject = rv.reject;
		}
		if (rv.v != XNF_CONT)
			return rv.v;
		if (!rv.jump)
			continue;
		to = xnf_chain_find(rs, c->family, c->table, rv.jump);
		/* a loop or a missing chain cannot be loaded: nothing is sure */
		if (!to || depth >= JUMPS)
			return XNF_CONT;
		v = walk(rs, to, p, depth + 1, o);
		if (v != XNF_CONT || rv.go)
			return v;
	}
	return XNF_CONT;
}

enum xnf_verdict xnf_chain_eval(const struct xnf_ruleset *rs, const struct xnf_chain *c,
				const struct xnf_pkt *p, struct xnf_outcome *o)
{
	enum xnf_verdict v;

	o->chain = NULL;
	o->rule = 0;
	o->reject = false;
	v = walk(rs, c, p, 0, o);
	if (v != XNF_CONT)
		return v;
	return c->policy == NF_DROP ? XNF_DROP : XNF_ACCEPT;
}
