/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_move.c: the addresses and routes of a link that move with it to a bridge and back. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "net/net.h"
#include "netbr/netbr.h"

/* Every address moves but a link-local one the kernel made for the link
 * itself (the bridge gets its own, and a port keeps its) and one that
 * failed DAD. Kernels before 6.1 do not say who made an address: there the
 * link-local one moves too, and comes back with stop. */
bool xnh_netbr_addr_moves(const struct xnh_addr *a)
{
	if (a->local.family != AF_INET6)
		return true;
	return a->proto != IFAPROT_KERNEL_LL && !(a->flags & IFA_F_DADFAILED);
}

/* What the kernel makes with an address or a link (protocol kernel: prefix
 * and link-local routes; the local table) comes back by itself. */
bool xnh_netbr_route_moves(const struct xnh_route *rt)
{
	return rt->table != RT_TABLE_LOCAL && rt->protocol != RTPROT_KERNEL &&
	       (!rt->type || rt->type == RTN_UNICAST);
}

/* "eth0" -> "xenbr0", "eth0:web" -> "xenbr0:web"; a label that does not
 * name @from stays. -ENAMETOOLONG when the new label does not fit. */
int xnh_netbr_label(const char *label, const char *from, const char *to, char *out, size_t len)
{
	size_t n = strlen(from);
	int w;

	if (strncmp(label, from, n) || (label[n] && label[n] != ':'))
		w = snprintf(out, len, "%s", label);
	else
		w = snprintf(out, len, "%s%s", to, label + n);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

/* Room for one more in an array of @n that grows by doubling. */
static void *grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return malloc(size);
	if (n & (n - 1))
		return v;	/* not full: room up to the next power of two */
	return realloc(v, 2 * n * size);
}

static int keep_addr(const struct xnh_addr *a, void *arg)
{
	struct xnh_netbr_set *s = arg;
	struct xnh_addr *v;

	if (!xnh_netbr_addr_moves(a))
		return 0;
	v = grow(s->addr, s->naddr, sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->addr = v;
	s->addr[s->naddr++] = *a;
	return 0;
}

static int keep_route(const struct xnh_route *rt, void *arg)
{
	struct xnh_netbr_set *s = arg;
	struct xnh_route *v;

	if (!xnh_netbr_route_moves(rt))
		return 0;
	if (rt->nexthops > 1) {
		s->bad = *rt;
		return -EOPNOTSUPP;
	}
	v = grow(s->route, s->nroute, sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->route = v;
	v = &s->route[s->nroute++];
	*v = *rt;
	v->nh_flags &= RTNH_F_ONLINK;	/* not dead, linkdown, offload... */
	return 0;
}

/* A new IPv6 address goes before the others of its scope: adding them in
 * the reverse of the dump's order rebuilds the list as it was. */
static void reverse(struct xnh_addr *v, size_t n)
{
	struct xnh_addr t;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

/* Routes on the link itself first: a gateway must be on a link route of
 * the link when a route through it is added. Stable. */
static int order_routes(struct xnh_netbr_set *s)
{
	struct xnh_route *v = malloc((s->nroute ? s->nroute : 1) * sizeof(*v));
	size_t i, n = 0;
	int pass;

	if (!v)
		return -ENOMEM;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < s->nroute; i++)
			if (s->route[i].has_gw == (pass == 1))
				v[n++] = s->route[i];
	free(s->route);
	s->route = v;
	return 0;
}

/* What moves from @ifindex, in the order that adds it; -EOPNOTSUPP (and
 * s->bad) for a multipath route through the link, which cannot move. */
int xnh_netbr_collect(struct xnh_nl *nl, int ifindex, struct xnh_netbr_set *s)
{
	size_t n4;
	int r;

	memset(s, 0, sizeof(*s));
	r = xnh_addr_foreach(nl, ifindex, AF_INET, keep_addr, s);
	n4 = s->naddr;
	if (r == 0)
		r = xnh_addr_foreach(nl, ifindex, AF_INET6, keep_addr, s);
	if (r == 0) {
		reverse(s->addr + n4, s->naddr - n4);
		r = xnh_route_foreach(nl, AF_INET, ifindex, keep_route, s);
	}
	if (r == 0)
		r = xnh_route_foreach(nl, AF_INET6, ifindex, keep_route, s);
	if (r == 0)
		r = order_routes(s);
	return r;
}

void xnh_netbr_set_free(struct xnh_netbr_set *s)
{
	free(s->addr);
	free(s->route);
	s->addr = NULL;
	s->route = NULL;
	s->naddr = s->nroute = 0;
}

/* The first address whose label would not fit once renamed, or NULL. */
const struct xnh_addr *xnh_netbr_label_misfit(const struct xnh_netbr_set *s, const char *from,
					      const char *to)
{
	char l[XNH_IFNAMSIZ];
	size_t i;

	for (i = 0; i < s->naddr; i++)
		if (xnh_netbr_label(s->addr[i].label, from, to, l, sizeof(l)) < 0)
			return &s->addr[i];
	return NULL;
}

/* Adds the addresses of @family (AF_UNSPEC: all) to @to, labels renamed
 * from @from, each with its undo. */
int xnh_netbr_addrs_add(struct xnh_nl *nl, const struct xnh_netbr_set *s, int family,
			const char *from, const struct xnh_link *to, struct xnh_undo *u)
{
	struct xnh_addr c;
	bool added;
	size_t i;
	int r;

	for (i = 0; i < s->naddr; i++) {
		if (family != AF_UNSPEC && s->addr[i].local.family != family)
			continue;
		c = s->addr[i];
		c.ifindex = to->ifindex;
		if (xnh_netbr_label(s->addr[i].label, from, to->name, c.label, sizeof(c.label)) < 0)
			return -ENAMETOOLONG;
		r = xnh_addr_restore(nl, to->name, &c, &added);
		if (added && xnh_undo_addr(u, to->name, &c, false) < 0)
			return -ENOMEM;
		if (r < 0)
			return r;
	}
	return 0;
}

/* @u NULL: the journal's recovery re-running a move (netbr_recover.c):
 * the routes and addresses are re-targeted to @to/@from by index, what
 * is done already is fine, and there is nothing to undo. */
int xnh_netbr_routes_add(struct xnh_nl *nl, const struct xnh_netbr_set *s,
			 const struct xnh_link *to, struct xnh_undo *u)
{
	struct xnh_route c;
	size_t i;
	int r;

	for (i = 0; i < s->nroute; i++) {
		c = s->route[i];
		c.oif = to->ifindex;
		r = xnh_route_add(nl, to->name, &c);
		if (r == -EEXIST && !u)
			continue;
		if (r == 0 && u)
			r = xnh_undo_route(u, to->name, &c, false);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Deletes the routes (through a gateway first), then the addresses (IPv4
 * secondaries before their primary), each with its undo (@u NULL: as
 * above). */
int xnh_netbr_strip(struct xnh_nl *nl, const struct xnh_netbr_set *s,
		    const struct xnh_link *from, struct xnh_undo *u)
{
	struct xnh_route rt;
	struct xnh_addr a;
	size_t i;
	int r;

	for (i = s->nroute; i-- > 0;) {
		rt = s->route[i];
		rt.oif = from->ifindex;
		r = xnh_route_del(nl, from->name, &rt);
		if (r == -ESRCH)
			continue;	/* gone meanwhile */
		if (r == 0 && u)
			r = xnh_undo_route(u, from->name, &rt, true);
		if (r < 0)
			return r;
	}
	for (i = s->naddr; i-- > 0;) {
		a = s->addr[i];
		a.ifindex = from->ifindex;
		r = xnh_addr_del(nl, from->name, &a);
		if (r == -EADDRNOTAVAIL)
			continue;
		if (r == 0 && u)
			r = xnh_undo_addr(u, from->name, &a, true);
		if (r < 0)
			return r;
	}
	return 0;
}
