/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* claim.c: whether a guest's `ip` entry may be routed to its vif, or would
 * take traffic that is someone else's: dom0's own address, the default
 * gateway, another device's host route, or a network holding either. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "text/text.h"
#include "net/net.h"

static unsigned int full(const struct xnh_inet *a)
{
	return a->family == AF_INET ? 32 : 128;
}

static bool unreachable(int r)
{
	return r == -ENETUNREACH || r == -EHOSTUNREACH;
}

static int found(struct xnh_claim *c, enum xnh_claim_kind k, const struct xnh_route *rt)
{
	c->kind = k;
	c->route = *rt;
	return 1;
}

/* The route a lookup of the entry's own address finds: dom0's address,
 * or a route through another device that lies within the entry (the
 * guest's host address routed elsewhere at any metric; a network that
 * is, or holds, another device's network). */
static int lookup(struct xnh_nl *nl, const struct xnh_inet *e, xnh_claim_ours ours, void *arg,
		  struct xnh_claim *c)
{
	struct xnh_route rt;
	int r = xnh_route_match(nl, e, &rt);

	if (unreachable(r))
		return 0;
	if (r < 0)
		return r;
	if (rt.type == RTN_LOCAL)
		return found(c, XNH_CLAIM_LOCAL, &rt);
	if (rt.table == RT_TABLE_MAIN && rt.oif && !ours(rt.oif, arg) &&
	    rt.dst.prefix >= e->prefix)
		return found(c, rt.dst.prefix == full(e) ? XNH_CLAIM_ROUTED : XNH_CLAIM_NETWORK, &rt);
	return 0;
}

/* The gateway of the main table's default route, when the entry holds it
 * (1, @c says which; one lookup). */
int xnh_claim_gateway(struct xnh_nl *nl, const struct xnh_inet *e, struct xnh_claim *c)
{
	struct xnh_inet probe = { .family = e->family };
	struct xnh_route rt;
	int r;

	inet_pton(e->family, e->family == AF_INET ? "240.0.0.1" : "3fff::1", &probe.a);
	probe.prefix = full(e);
	r = xnh_route_match(nl, &probe, &rt);
	if (unreachable(r))
		return 0;
	if (r < 0)
		return r;
	if (rt.dst.prefix || !rt.has_gw || !xnh_inet_in(e, &rt.gw))
		return 0;
	return found(c, XNH_CLAIM_GATEWAY, &rt);
}

struct walk {
	const struct xnh_inet *e;
	xnh_claim_ours ours;
	void *arg;
	struct xnh_claim *c;
};

static int inside(const struct xnh_route *rt, void *arg)
{
	struct walk *w = arg;

	if (rt->dst.family != w->e->family || rt->dst.prefix < w->e->prefix ||
	    !xnh_inet_in(w->e, &rt->dst))
		return 0;
	if (rt->type == RTN_LOCAL)
		return found(w->c, XNH_CLAIM_LOCAL, rt);
	if (rt->table == RT_TABLE_MAIN && rt->type == RTN_UNICAST && rt->oif &&
	    !w->ours(rt->oif, w->arg))
		return found(w->c, rt->dst.prefix == full(w->e) ? XNH_CLAIM_ROUTED :
			     XNH_CLAIM_NETWORK, rt);
	return 0;
}

/* 0 when the entry @e may be routed to the device that @ours accepts; 1
 * with @c saying what it would take; -errno. A host entry costs two
 * lookups whatever the number of routes; a network entry also walks the
 * routes, to find the guests' addresses and dom0's within it. */
int xnh_claim_check(struct xnh_nl *nl, const struct xnh_inet *e, xnh_claim_ours ours, void *arg,
		    struct xnh_claim *c)
{
	struct walk w = { e, ours, arg, c };
	int r;

	memset(c, 0, sizeof(*c));
	r = lookup(nl, e, ours, arg, c);
	if (r == 0)
		r = xnh_claim_gateway(nl, e, c);
	if (r == 0 && e->prefix < full(e))
		r = xnh_route_foreach(nl, e->family, 0, inside, &w);
	return r;
}

/* "ENTRY is dom0's address", "ENTRY holds ADDR, routed through DEV
 * already", ...: the conflict in words, for hotplug-error. */
void xnh_claim_describe(struct xnh_nl *nl, const struct xnh_inet *e, const struct xnh_claim *c,
			char *buf, size_t len)
{
	const struct xnh_inet *what = c->kind == XNH_CLAIM_GATEWAY ? &c->route.gw : &c->route.dst;
	struct xnh_link l = { .name = "another device" };
	char t[64], d[64], subj[140];

	xnh_inet_format(e, e->prefix < full(e), t, sizeof(t));
	xnh_inet_format(what, c->kind == XNH_CLAIM_NETWORK, d, sizeof(d));
	if (what->prefix == e->prefix && !memcmp(&what->a, &e->a, xnh_inet_len(e)))
		snprintf(subj, sizeof(subj), "%s is", t);
	else
		snprintf(subj, sizeof(subj), "%s holds %s,", t, d);
	if (c->route.oif)
		xnh_link_get_index(nl, c->route.oif, &l);
	switch (c->kind) {
	case XNH_CLAIM_LOCAL:
		snprintf(buf, len, "%s an address of dom0", subj);
		break;
	case XNH_CLAIM_GATEWAY:
		snprintf(buf, len, "%s dom0's default gateway (on %s)", subj, l.name);
		break;
	case XNH_CLAIM_ROUTED:
		snprintf(buf, len, "%s routed through %s already: is it another guest's address?",
			 subj, l.name);
		break;
	default:
		snprintf(buf, len, "%s the network of %s: routing it to a guest would take that"
			 " network's traffic", subj, l.name);
	}
}
