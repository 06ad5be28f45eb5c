/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* route.c: routes: build, add, delete, and a dump filtered by device. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "net/net.h"

static struct nl_addr *to_nl(const struct xnh_inet *in)
{
	struct nl_addr *a = nl_addr_build(in->family, &in->a, xnh_inet_len(in));

	if (a)
		nl_addr_set_prefixlen(a, in->prefix);
	return a;
}

static void from_nl(struct nl_addr *a, struct xnh_inet *out)
{
	memset(out, 0, sizeof(*out));
	out->family = nl_addr_get_family(a);
	out->prefix = (uint8_t)nl_addr_get_prefixlen(a);
	out->has_prefix = true;
	if (nl_addr_get_len(a) == xnh_inet_len(out))
		memcpy(&out->a, nl_addr_get_binary_addr(a), xnh_inet_len(out));
}

static int fill_nexthop(struct rtnl_route *r, const struct xnh_route *rt)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *gw = NULL;

	if (!nh)
		return -ENOMEM;
	if (rt->oif)
		rtnl_route_nh_set_ifindex(nh, rt->oif);
	if (rt->nh_flags)
		rtnl_route_nh_set_flags(nh, rt->nh_flags);
	if (rt->has_gw) {
		gw = to_nl(&rt->gw);
		if (!gw) {
			rtnl_route_nh_free(nh);
			return -ENOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	rtnl_route_add_nexthop(r, nh);
	return 0;
}

static int fill(struct rtnl_route *r, const struct xnh_route *rt)
{
	struct nl_addr *dst = to_nl(&rt->dst), *src = NULL;
	int ret = -ENOMEM;

	if (!dst)
		return ret;
	rtnl_route_set_family(r, (uint8_t)rt->dst.family);
	rtnl_route_set_table(r, rt->table ? rt->table : RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, rt->protocol ? rt->protocol : RTPROT_BOOT);
	rtnl_route_set_type(r, rt->type ? rt->type : RTN_UNICAST);
	rtnl_route_set_scope(r, rt->scope);
	rtnl_route_set_priority(r, rt->metric);
	ret = xnh_nl_errno(rtnl_route_set_dst(r, dst));
	if (ret >= 0 && rt->has_src) {
		src = to_nl(&rt->src);
		ret = src ? xnh_nl_errno(rtnl_route_set_pref_src(r, src)) : -ENOMEM;
	}
	if (ret >= 0 && (rt->oif || rt->has_gw))
		ret = fill_nexthop(r, rt);
	nl_addr_put(dst);
	nl_addr_put(src);
	return ret;
}

/* Pure: the RTM_NEWROUTE (CREATE|EXCL) or RTM_DELROUTE for @rt. */
int xnh_route_build(const struct xnh_route *rt, bool add, struct nl_msg **msg)
{
	struct rtnl_route *r = rtnl_route_alloc();
	int ret = r ? fill(r, rt) : -ENOMEM;

	*msg = NULL;
	if (ret >= 0)
		ret = xnh_nl_errno(add ? rtnl_route_build_add_request(r, NLM_F_CREATE | NLM_F_EXCL, msg)
				       : rtnl_route_build_del_request(r, 0, msg));
	rtnl_route_put(r);
	return ret;
}

/* "ip route add 10.0.0.1 dev vif1.0 src 192.168.0.3 metric 2", as ip says it. */
void xnh_route_describe(const struct xnh_route *rt, const char *dev, char *buf, size_t len)
{
	char d[64] = "default", g[64], s[64];
	bool host = rt->dst.prefix == (rt->dst.family == AF_INET ? 32 : 128);
	size_t n;

	if (rt->dst.prefix)
		xnh_inet_format(&rt->dst, !host, d, sizeof(d));
	n = (size_t)snprintf(buf, len, "%s", d);
	if (rt->has_gw && n < len && xnh_inet_format(&rt->gw, false, g, sizeof(g)) == 0)
		n += (size_t)snprintf(buf + n, len - n, " via %s", g);
	if (dev && n < len)
		n += (size_t)snprintf(buf + n, len - n, " dev %s", dev);
	if (rt->scope == RT_SCOPE_LINK && n < len)
		n += (size_t)snprintf(buf + n, len - n, " scope link");
	if ((rt->nh_flags & RTNH_F_ONLINK) && n < len)
		n += (size_t)snprintf(buf + n, len - n, " onlink");
	if (rt->has_src && n < len && xnh_inet_format(&rt->src, false, s, sizeof(s)) == 0)
		n += (size_t)snprintf(buf + n, len - n, " src %s", s);
	if (rt->metric && n < len)
		n += (size_t)snprintf(buf + n, len - n, " metric %u", rt->metric);
	if (rt->table && rt->table != RT_TABLE_MAIN && n < len)
		snprintf(buf + n, len - n, " table %u", rt->table);
}

static int change(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt, bool add)
{
	struct nl_msg *msg;
	char what[200];
	int r = xnh_route_build(rt, add, &msg);

	if (r < 0)
		return r;
	xnh_route_describe(rt, dev, what, sizeof(what));
	return xnh_nl_commit(nl, msg, "ip route %s %s", add ? "add" : "del", what);
}

/* -EEXIST when the same route (dst, metric, table) is there already. */
int xnh_route_add(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt)
{
	return change(nl, dev, rt, true);
}

/* -ESRCH when there is no such route. */
int xnh_route_del(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt)
{
	return change(nl, dev, rt, false);
}

struct walk {
	int oif;
	struct xnh_vec vec;		/* of struct xnh_route */
};

/* An interrupted dump starts again from nothing. */
static void restart(void *arg)
{
	xnh_vec_reset(&((struct walk *)arg)->vec);
}

static void to_route(struct rtnl_route *r, struct xnh_route *out)
{
	struct rtnl_nexthop *nh = rtnl_route_get_nnexthops(r) ? rtnl_route_nexthop_n(r, 0) : NULL;
	struct nl_addr *a;

	memset(out, 0, sizeof(*out));
	from_nl(rtnl_route_get_dst(r), &out->dst);
	out->dst.family = rtnl_route_get_family(r);
	if ((a = rtnl_route_get_pref_src(r))) {
		from_nl(a, &out->src);
		out->has_src = true;
	}
	if (nh) {
		out->oif = rtnl_route_nh_get_ifindex(nh);
		out->nh_flags = rtnl_route_nh_get_flags(nh);
		if ((a = rtnl_route_nh_get_gateway(nh))) {
			from_nl(a, &out->gw);
			out->has_gw = true;
		}
	}
	out->nexthops = rtnl_route_get_nnexthops(r);
	out->metric = rtnl_route_get_priority(r);
	out->table = rtnl_route_get_table(r);
	out->scope = rtnl_route_get_scope(r);
	out->protocol = rtnl_route_get_protocol(r);
	out->type = rtnl_route_get_type(r);
}

static void collect(struct nl_object *o, void *arg)
{
	struct walk *w = arg;
	struct xnh_route rt, *slot;

	to_route((struct rtnl_route *)o, &rt);
	if (w->oif && rt.oif != w->oif)
		return;
	slot = xnh_vec_add(&w->vec, sizeof(*slot));
	if (slot)
		*slot = rt;
}

static int parse_one(struct nl_msg *msg, void *arg)
{
	nl_msg_parse(msg, collect, arg);
	return NL_OK;
}

/* Calls @cb for each route of @family (all tables) through @oif (0: any;
 * the kernel filters), after the dump has ended, until @cb returns non-zero. */
int xnh_route_foreach(struct xnh_nl *nl, int family, int oif, xnh_route_cb cb, void *arg)
{
	struct rtmsg rtm = { .rtm_family = (uint8_t)family };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);
	struct walk w = { .oif = oif };
	struct xnh_route *rt;
	size_t i;
	int r;

	if (!msg || nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    (oif && nla_put_u32(msg, RTA_OIF, (uint32_t)oif) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = xnh_nl_dump(nl, msg, parse_one, restart, &w);
	if (r == 0)
		r = w.vec.err;
	for (i = 0, rt = w.vec.v; r == 0 && i < w.vec.n; i++)
		r = cb(&rt[i], arg);
	free(w.vec.v);
	return r;
}

static void keep_one(struct nl_object *o, void *arg)
{
	to_route((struct rtnl_route *)o, arg);
}

static int parse_match(struct nl_msg *msg, void *arg)
{
	nl_msg_parse(msg, keep_one, arg);
	return NL_OK;
}

/* The route entry a lookup of @addr finds (RTM_F_FIB_MATCH: the entry
 * itself, its prefix, table, device and metric; the local table first, as
 * the kernel looks): one request, whatever the number of routes;
 * -ENETUNREACH (or another -errno) when there is none. */
int xnh_route_match(struct xnh_nl *nl, const struct xnh_inet *addr, struct xnh_route *out)
{
	struct rtmsg rtm = { .rtm_family = (uint8_t)addr->family,
			     .rtm_dst_len = addr->family == AF_INET ? 32 : 128,
			     .rtm_flags = RTM_F_FIB_MATCH };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, 0);

	memset(out, 0, sizeof(*out));
	if (!msg || nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, RTA_DST, (int)xnh_inet_len(addr), &addr->a) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return xnh_nl_get(nl, msg, parse_match, out);
}
