/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scan.c: xnf_scan: the forward chains of other owners that drop a guest. */
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <stdio.h>
#include <string.h>

#include "foreign.h"
#include "ruleset.h"

#define BRNF_DIR	"/proc/sys/net/bridge/"

/* Whether br_netfilter hands bridged packets of this kind to the ip hooks:
 * the file is there only while the module is loaded. */
static bool brnf_on(const char *name)
{
	char path[128], c = '0';
	FILE *f;

	snprintf(path, sizeof(path), BRNF_DIR "%s", name);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fread(&c, 1, 1, f) != 1)
		c = '0';
	fclose(f);
	return c == '1';
}

/* The families of the guest's packets that chain @c sees (0: none). */
static int seen(const struct xnf_chain *c, const struct xnf_guest *g, int brnf)
{
	int fam = g->families;

	if (!c->base || c->hook != NF_INET_FORWARD)
		return 0;
	if (!strcmp(c->table, "xen") && c->family != NFPROTO_IPV4 && c->family != NFPROTO_IPV6)
		return 0;	/* xnet's own */
	if (g->bridge && c->family != NFPROTO_BRIDGE)
		fam &= brnf;
	switch (c->family) {
	case NFPROTO_BRIDGE: return g->bridge ? fam : 0;
	case NFPROTO_IPV4: return fam & XNF_IPV4;
	case NFPROTO_IPV6: return fam & XNF_IPV6;
	case NFPROTO_INET: return fam;
	}
	return 0;
}

/* One packet of the guest (@reply: one coming back to it) in family @l3. */
static void pkt_make(struct xnf_pkt *p, const struct xnf_guest *g, uint32_t family, int l3,
		     bool reply)
{
	const char *from = reply ? g->uplink : g->vif, *to = reply ? g->vif : g->uplink;

	memset(p, 0, sizeof(*p));
	p->nfproto = family == NFPROTO_BRIDGE ? NFPROTO_BRIDGE :
		l3 == XNF_IPV4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	p->ethertype = l3 == XNF_IPV4 ? 0x0800 : 0x86dd;
	p->ctstate = reply ? NF_CT_STATE_BIT(IP_CT_ESTABLISHED) : NF_CT_STATE_BIT(IP_CT_NEW);
	if (!g->bridge) {
		p->iif = from;
		p->oif = to;
	} else if (family == NFPROTO_BRIDGE) {
		p->iif = from;
		p->oif = to;
		p->ibr = p->obr = g->bridge;
	} else {
		/* br_netfilter: the bridge is both devices, its ports physdev's */
		p->iif = p->oif = g->bridge;
		p->physin = from;
		p->physout = to;
		p->bridged = true;
	}
}

/* Whether @c drops the guest's new packets or the replies to them. */
static bool drops(const struct xnf_ruleset *rs, const struct xnf_chain *c,
		  const struct xnf_guest *g, int fams, struct xnf_outcome *o, bool *replies)
{
	static const int l3s[] = { XNF_IPV4, XNF_IPV6 };
	struct xnf_pkt p;
	int i, dir;

	for (dir = 0; dir < 2; dir++) {
		for (i = 0; i < 2; i++) {
			if (!(fams & l3s[i]))
				continue;
			pkt_make(&p, g, c->family, l3s[i], dir);
			*replies = dir;
			if (xnf_chain_eval(rs, c, &p, o) == XNF_DROP)
				return true;
		}
	}
	return false;
}

int xnf_scan(const struct xnf_guest *g, struct xnf_block *out, int max)
{
	struct xnf_ruleset rs;
	struct xnf_outcome o;
	bool replies;
	int brnf = 0, fams, n = 0, r;
	size_t i;

	if (!g || (g->vif && !*g->vif) || !(g->families & (XNF_IPV4 | XNF_IPV6)) || max < 0)
		return -EINVAL;
	if (g->bridge && brnf_on("bridge-nf-call-iptables"))
		brnf |= XNF_IPV4;
	if (g->bridge && brnf_on("bridge-nf-call-ip6tables"))
		brnf |= XNF_IPV6;
	r = xnf_ruleset_dump(&rs);
	if (r < 0)
		return r;
	for (i = 0; i < rs.n; i++) {
		fams = seen(&rs.chains[i], g, brnf);
		if (!fams || !drops(&rs, &rs.chains[i], g, fams, &o, &replies))
			continue;
		if (n < max)
			xnf_block_fill(&out[n], &rs, &rs.chains[i], g, &o, replies,
				       g->bridge && rs.chains[i].family != NFPROTO_BRIDGE ?
				       fams : 0);
		n++;
	}
	xnf_ruleset_free(&rs);
	return n;
}
