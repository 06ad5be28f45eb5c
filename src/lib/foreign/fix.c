/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fix.c: a block's words: which chain, why, and the command that lets the guest by.
 *
 * The fix inserts an accept at the top of the owner's chain (for Docker, of
 * DOCKER-USER, the chain Docker leaves to the administrator), for the
 * devices that chain sees: the bridge itself where br_netfilter hands
 * bridged packets to the ip hooks (both devices are the bridge, so one rule
 * with both covers exactly the bridged traffic), the vif elsewhere. It is
 * printed, never run: the other owner's rules are theirs to change.
 */
#include <errno.h>
#include <linux/netfilter.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "foreign.h"
#include "ruleset.h"

static const char *family_name(uint32_t f)
{
	switch (f) {
	case NFPROTO_IPV4: return "ip";
	case NFPROTO_IPV6: return "ip6";
	case NFPROTO_INET: return "inet";
	case NFPROTO_BRIDGE: return "bridge";
	}
	return "?";
}

/* A name that goes into a shell command as it is. */
static bool plain(const char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-", *s))
			return false;
	return true;
}

/* snprintf that keeps nothing rather than a cut line: 0 or -ENOSPC. */
static int put(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int put(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < size)
		return 0;
	buf[0] = '\0';
	return -ENOSPC;
}

static void why(struct xnf_block *b, const struct xnf_chain *c, const struct xnf_outcome *o,
		bool replies)
{
	const char *verb = o->reject ? "rejects" : "drops";
	const char *tail = replies ? " replies to the guest" : "";

	if (!o->chain)
		put(b->why, sizeof(b->why), "policy drop%s%s", replies ? " for" : "", tail);
	else if (o->chain != c)
		put(b->why, sizeof(b->why), "chain %.40s %s%s", o->chain->name, verb, tail);
	else if (o->rule + 1 == c->nrules)
		put(b->why, sizeof(b->why), "final rule %s%s", verb, tail);
	else
		put(b->why, sizeof(b->why), "rule %zu %s%s", o->rule + 1, verb, tail);
}

/* iptables-nft's own table: the fix in iptables' words, in DOCKER-USER if there. */
static void fix_xt(struct xnf_block *b, const struct xnf_ruleset *rs,
		   const struct xnf_chain *c, const char *dev, bool both)
{
	const char *tool = c->family == NFPROTO_IPV4 ? "iptables" : "ip6tables";
	const char *ch = xnf_chain_find(rs, c->family, c->table, "DOCKER-USER") ?
		"DOCKER-USER" : c->name;

	if (both)
		put(b->fix, sizeof(b->fix), "%s -I %s -i %s -o %s -j ACCEPT", tool, ch, dev, dev);
	else
		put(b->fix, sizeof(b->fix), "%s -I %s -i %s -j ACCEPT && %s -I %s -o %s -j ACCEPT",
		    tool, ch, dev, tool, ch, dev);
}

static void fix_nft(struct xnf_block *b, const struct xnf_chain *c, const char *dev, bool both)
{
	const char *f = family_name(c->family);

	if (both && c->family == NFPROTO_BRIDGE)	/* any port of bridge @dev */
		put(b->fix, sizeof(b->fix),
		    "nft 'insert rule bridge %s %s meta ibrname \"%s\" accept'",
		    c->table, c->name, dev);
	else if (both)
		put(b->fix, sizeof(b->fix),
		    "nft 'insert rule %s %s %s iifname \"%s\" oifname \"%s\" accept'",
		    f, c->table, c->name, dev, dev);
	else
		put(b->fix, sizeof(b->fix),
		    "nft 'insert rule %s %s %s iifname \"%s\" accept' && "
		    "nft 'insert rule %s %s %s oifname \"%s\" accept'",
		    f, c->table, c->name, dev, f, c->table, c->name, dev);
}

static void alt(struct xnf_block *b, int brnf)
{
	if (brnf == (XNF_IPV4 | XNF_IPV6))
		put(b->alt, sizeof(b->alt), "sysctl -w net.bridge.bridge-nf-call-iptables=0"
		    " net.bridge.bridge-nf-call-ip6tables=0");
	else if (brnf)
		put(b->alt, sizeof(b->alt), "sysctl -w net.bridge.bridge-nf-call-%s=0",
		    brnf == XNF_IPV4 ? "iptables" : "ip6tables");
}

/* Names come from anyone who may load a ruleset: a control character in
 * one must not break the block's one line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* @brnf: the families that br_netfilter brings to @c (0: not a bridged
 * guest seen through br_netfilter). A name too long for the block is cut
 * with "~" at its end, and then no command is given. */
void xnf_block_fill(struct xnf_block *b, const struct xnf_ruleset *rs,
		    const struct xnf_chain *c, const struct xnf_guest *g,
		    const struct xnf_outcome *o, bool replies, int brnf)
{
	const char *dev = brnf ? g->bridge : g->vif;
	bool any = !dev;	/* no vif named: any guest's (of the bridge, or vif*) */
	bool xt = (c->family == NFPROTO_IPV4 || c->family == NFPROTO_IPV6) &&
		!strcmp(c->table, "filter") && !strcmp(c->name, "FORWARD");
	bool cut = false;

	memset(b, 0, sizeof(*b));
	if (put(b->table, sizeof(b->table), "%s", c->table) < 0) {
		put(b->table, sizeof(b->table), "%.62s~", c->table);
		cut = true;
	}
	if (put(b->chain, sizeof(b->chain), "%s", c->name) < 0) {
		put(b->chain, sizeof(b->chain), "%.62s~", c->name);
		cut = true;
	}
	put(b->family, sizeof(b->family), "%s", family_name(c->family));
	why(b, c, o, replies);
	alt(b, brnf);
	one_line(b->table);
	one_line(b->chain);
	one_line(b->why);
	if (any && c->family == NFPROTO_BRIDGE && g->bridge)
		dev = g->bridge;
	else if (any)
		dev = xt ? "vif+" : "vif*";	/* the names netback gives */
	if (cut || !plain(c->table) || !plain(c->name) || (!any && !plain(dev)) ||
	    (any && g->bridge && !plain(g->bridge)))
		return;		/* no command that a shell would misread */
	if (xt)
		fix_xt(b, rs, c, dev, brnf != 0);
	else
		fix_nft(b, c, dev, brnf != 0 || (any && c->family == NFPROTO_BRIDGE));
}
