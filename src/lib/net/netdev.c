/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netdev.c: the host's uplink: `netdev`, else the default route's device, else eth0. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "text/text.h"
#include "net/net.h"

struct best {
	int oif;
	uint32_t metric;
};

static int pick_default(const struct xnh_route *rt, void *arg)
{
	struct best *b = arg;

	if (rt->dst.prefix || !rt->oif || rt->table != RT_TABLE_MAIN ||
	    (rt->type && rt->type != RTN_UNICAST))
		return 0;
	if (!b->oif || rt->metric < b->metric) {
		b->oif = rt->oif;
		b->metric = rt->metric;
	}
	return 0;
}

/* A lookup of an address nothing routes but a default route (240.0.0.1,
 * class E; 3fff::1, documentation) finds the default route in one request;
 * only when something else covers it, or policy routing answers from
 * another table, are all the routes dumped. */
static int default_oif(struct xnh_nl *nl, int family)
{
	struct xnh_route rt;
	struct xnh_inet probe = { .family = family };
	struct best b = { 0, 0 };
	int r;

	inet_pton(family, family == AF_INET ? "240.0.0.1" : "3fff::1", &probe.a);
	r = xnh_route_match(nl, &probe, &rt);
	if (r == 0 && !rt.dst.prefix && rt.oif && rt.table == RT_TABLE_MAIN)
		return rt.oif;
	if (r < 0 && r != -ENETUNREACH && r != -EHOSTUNREACH)
		return r;
	if (r < 0)
		return 0;	/* no route at all for it: no default route */
	r = xnh_route_foreach(nl, family, 0, pick_default, &b);
	return r < 0 ? r : b.oif;
}

/* The device of the main table's default route with the lowest metric,
 * IPv4 first, then IPv6; -ENOENT when there is none. */
int xnh_netdev_default_oif(struct xnh_nl *nl)
{
	int oif = default_oif(nl, AF_INET);

	if (oif == 0)
		oif = default_oif(nl, AF_INET6);
	return oif == 0 ? -ENOENT : oif;
}

/* @want when set (already validated), else the default route's device,
 * else eth0 (the old scripts' default). On -ENODEV, out->name still names
 * the interface looked for, so that the caller can say which. */
int xnh_netdev_get(struct xnh_nl *nl, const char *want, struct xnh_link *out)
{
	int oif, r;

	memset(out, 0, sizeof(*out));
	if (!want) {
		oif = xnh_netdev_default_oif(nl);
		if (oif < 0 && oif != -ENOENT)
			return oif;
		if (oif > 0) {
			r = xnh_link_get_index(nl, oif, out);
			if (r != -ENODEV)
				return r;	/* or the link went between the two dumps */
		}
		want = "eth0";
	}
	snprintf(out->name, sizeof(out->name), "%s", want);
	r = xnh_link_get(nl, want, out);
	if (r < 0)
		snprintf(out->name, sizeof(out->name), "%s", want);
	return r;
}
