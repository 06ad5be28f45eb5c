/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vifstate.c: what a vif's online added, kept in a state file for its offline. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"
#include "state/state.h"

#define STATE_MAX	8192	/* 2 x XNH_IP_MAX entries of < 50 bytes, and a few lines */

static int put_list(const char *key, const struct xnh_iplist *l, char *buf, size_t len,
		    size_t *n)
{
	char a[64];
	size_t i;
	int w;

	for (i = 0; i < l->n; i++) {
		if (xnh_inet_format(&l->e[i], true, a, sizeof(a)) < 0)
			return -EINVAL;
		w = snprintf(buf + *n, len - *n, "%s %s\n", key, a);
		if (w < 0 || (size_t)w >= len - *n)
			return -ENOSPC;
		*n += (size_t)w;
	}
	return 0;
}

/* Pure: the text of @s; returns its length, or -ENOSPC. */
int xnh_vifstate_format(const struct xnh_vifstate *s, char *buf, size_t len)
{
	char a[64] = "";
	size_t n;
	int w, r;

	if (s->has_addr && xnh_inet_format(&s->addr, true, a, sizeof(a)) < 0)
		return -EINVAL;
	w = snprintf(buf, len, "# xnet: what online added, for offline to remove\n"
		     "dev %s %d\nmetric %u\n%s%s%s", s->dev, s->ifindex, s->metric,
		     s->has_addr ? "addr " : "", a, s->has_addr ? "\n" : "");
	if (w < 0 || (size_t)w >= len)
		return -ENOSPC;
	n = (size_t)w;
	if (s->boot[0]) {
		w = snprintf(buf + n, len - n, "boot %s\n", s->boot);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
	}
	if (s->netdev[0]) {
		w = snprintf(buf + n, len - n, "netdev %s\n", s->netdev);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
	}
	r = put_list("route", &s->routes, buf, len, &n);
	if (r >= 0)
		r = put_list("proxy", &s->proxies, buf, len, &n);
	return r < 0 ? r : (int)n;
}

static int split(char *line, char **w, int max)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return -EINVAL;
		w[n++] = t;
	}
	return n;
}

static int list_add(struct xnh_iplist *l, const char *text)
{
	if (l->n == XNH_IP_MAX)
		return -E2BIG;
	return xnh_inet_parse(text, &l->e[l->n++]) < 0 ? -EINVAL : 0;
}

/* One "key value..." line; every value is checked as if untrusted. */
static int parse_line(char *line, struct xnh_vifstate *s)
{
	unsigned long v;
	char *w[3];
	int n = line[0] == '#' ? 0 : split(line, w, 3);

	if (n <= 0)
		return n;
	if (n == 3 && !strcmp(w[0], "dev")) {
		if (xnh_parse_uint(w[2], INT_MAX, &v) < 0)
			return -EINVAL;
		s->ifindex = (int)v;
		return xnh_ifname_copy(s->dev, w[1]);
	}
	if (n != 2)
		return -EINVAL;
	if (!strcmp(w[0], "metric")) {
		if (xnh_parse_uint(w[1], UINT32_MAX, &v) < 0)
			return -EINVAL;
		s->metric = (uint32_t)v;
		return 0;
	}
	if (!strcmp(w[0], "addr")) {
		s->has_addr = true;
		return xnh_inet_parse(w[1], &s->addr) < 0 ? -EINVAL : 0;
	}
	if (!strcmp(w[0], "netdev"))
		return xnh_ifname_copy(s->netdev, w[1]);
	if (!strcmp(w[0], "boot")) {
		if (xnh_boot_valid(w[1]) < 0)
			return -EINVAL;
		snprintf(s->boot, sizeof(s->boot), "%s", w[1]);
		return 0;
	}
	if (!strcmp(w[0], "route"))
		return list_add(&s->routes, w[1]);
	if (!strcmp(w[0], "proxy"))
		return list_add(&s->proxies, w[1]);
	return -EINVAL;
}

/* Pure: reads back what xnh_vifstate_format() wrote; -EINVAL for anything else. */
int xnh_vifstate_parse(const char *text, struct xnh_vifstate *s)
{
	char *copy = strdup(text), *save = NULL, *line;
	int r = copy ? 0 : -ENOMEM;

	memset(s, 0, sizeof(*s));
	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line && r >= 0;
	     line = strtok_r(NULL, "\n", &save))
		r = parse_line(line, s);
	if (r >= 0 && !s->dev[0])
		r = -EINVAL;
	free(copy);
	return r;
}

/* -ENOENT when @name has no state. */
int xnh_vifstate_load(const char *name, struct xnh_vifstate *s)
{
	char *text;
	int r = xnh_state_read(name, &text);

	if (r < 0)
		return r;
	r = xnh_vifstate_parse(text, s);
	free(text);
	return r;
}

/* Written with this boot's id. */
int xnh_vifstate_save(const char *name, const struct xnh_vifstate *s)
{
	struct xnh_vifstate *now = malloc(sizeof(*now));
	char *text = malloc(STATE_MAX);
	int n = text && now ? 0 : -ENOMEM;

	if (n >= 0) {
		*now = *s;
		xnh_boot_of_now(now->boot, sizeof(now->boot));
		n = xnh_vifstate_format(now, text, STATE_MAX);
	}
	free(now);

	if (n >= 0)
		n = xnh_state_write(name, text, (size_t)n);
	free(text);
	return n;
}

/* The route of entry @i: "DST dev VIF [src ADDR] metric M", scope link
 * for IPv4 as ip gives a route without a gateway; IPv6 needs no source. */
void xnh_vifstate_route(const struct xnh_vifstate *s, size_t i, struct xnh_route *rt)
{
	memset(rt, 0, sizeof(*rt));
	rt->dst = s->routes.e[i];
	rt->oif = s->ifindex;
	rt->metric = s->metric;
	if (rt->dst.family == AF_INET) {
		rt->scope = RT_SCOPE_LINK;
		rt->has_src = s->has_addr && s->addr.family == AF_INET;
		rt->src = s->addr;
		rt->src.prefix = 32;
	}
}

/* Is proxy entry @i of @s in @sib too (the same guest's tap and vif)? */
static bool shared(const struct xnh_vifstate *sib, const struct xnh_vifstate *s, size_t i)
{
	const struct xnh_inet *a = &s->proxies.e[i];
	size_t j;

	if (strcmp(sib->netdev, s->netdev))
		return false;
	for (j = 0; j < sib->proxies.n; j++)
		if (sib->proxies.e[j].family == a->family &&
		    !memcmp(&sib->proxies.e[j].a, &a->a, xnh_inet_len(a)))
			return true;
	return false;
}

/* Is proxy entry @i now answering for another device's guest (an address
 * routed alone through another device than the record's vif)? Then it is
 * that guest's, whatever an old record says. */
static bool taken(struct xnh_nl *nl, const struct xnh_vifstate *s, size_t i)
{
	const struct xnh_inet *a = &s->proxies.e[i];
	struct xnh_route rt;

	return xnh_route_match(nl, a, &rt) == 0 && rt.dst.prefix == xnh_inet_len(a) * 8 &&
	       rt.oif && rt.oif != s->ifindex;
}

static int del_proxies(struct xnh_nl *nl, const struct xnh_vifstate *s, size_t n,
		       const char *sibling)
{
	struct xnh_vifstate sib;
	struct xnh_link nd;
	int r = 0, one;

	if (!n || xnh_link_get(nl, s->netdev, &nd) < 0)
		return 0;	/* the entries went with netdev */
	if (!sibling || xnh_vifstate_load(sibling, &sib) < 0)
		memset(&sib, 0, sizeof(sib));
	while (n-- > 0) {
		if (shared(&sib, s, n) || taken(nl, s, n))
			continue;	/* the last of the two removes it; another's */
		one = xnh_neigh_proxy_del(nl, s->netdev, nd.ifindex, &s->proxies.e[n]);
		if (one < 0 && one != -ENOENT && one != -ENODEV && r >= 0)
			r = one;
	}
	return r;
}

/* Removes the first @d->proxies proxy entries (unless the state @sibling
 * lists them too), @d->routes routes and the address, last added first;
 * what is gone already is fine. The first other failure is returned. */
int xnh_vifstate_undo(struct xnh_nl *nl, const struct xnh_vifstate *s,
		      const struct xnh_vifstate_done *d, const char *sibling)
{
	struct xnh_addr a = { .ifindex = s->ifindex, .local = s->addr };
	struct xnh_route rt;
	size_t i = d->routes;
	int r = del_proxies(nl, s, d->proxies, sibling), one;

	while (i-- > 0) {
		xnh_vifstate_route(s, i, &rt);
		one = xnh_route_del(nl, s->dev, &rt);
		if (one < 0 && one != -ESRCH && one != -ENODEV && r >= 0)
			r = one;
	}
	one = d->addr ? xnh_addr_del(nl, s->dev, &a) : 0;
	if (one < 0 && one != -EADDRNOTAVAIL && one != -ENODEV && r >= 0)
		r = one;
	return r;
}

/* Is the record's vif still the device at its ifindex? In this boot, an
 * ifindex is never reused: the device is ours, renamed maybe (followed).
 * In a record of no known boot (an older xnet's), the index may since
 * name another domain's vif: trusted only under the recorded name. */
static bool still_ours(struct xnh_nl *nl, struct xnh_vifstate *s, char *why, size_t len)
{
	struct xnh_link l;

	if (s->ifindex <= 0 || xnh_link_get_index(nl, s->ifindex, &l) < 0)
		return false;
	if (!s->boot[0] && strcmp(l.name, s->dev)) {
		snprintf(why, len, "%s (ifindex %d) is gone; that ifindex is now %s's", s->dev,
			 s->ifindex, l.name);
		s->ifindex = 0;		/* not ours: nothing routed through it is */
		return false;
	}
	snprintf(s->dev, sizeof(s->dev), "%s", l.name);
	return true;
}

/* Undoes all that the state @name lists, then removes it; no state is
 * fine. A vif that has gone (netback removes it before offline) or been
 * re-created took its routes and address along: only the proxy entries
 * on netdev are left to remove. A record of an earlier boot describes
 * nothing that is still there (and its ifindex, its addresses may now be
 * another guest's): it is only removed. @why says what was not trusted. */
int xnh_vifstate_forget(struct xnh_nl *nl, const char *name, const char *sibling, char *why,
			size_t len)
{
	struct xnh_vifstate s;
	struct xnh_vifstate_done d = { 0 };
	int r = xnh_vifstate_load(name, &s);

	why[0] = '\0';
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (xnh_boot_other(s.boot)) {
		snprintf(why, len, "it was written in an earlier boot (%s, ifindex %d)", s.dev,
			 s.ifindex);
		return xnh_state_remove(name);
	}
	if (still_ours(nl, &s, why, len)) {
		d.addr = s.has_addr;
		d.routes = s.routes.n;
	}
	d.proxies = s.proxies.n;
	r = xnh_vifstate_undo(nl, &s, &d, sibling);
	return r < 0 ? r : xnh_state_remove(name);
}
