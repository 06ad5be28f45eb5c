/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* uplink.c: dom0's uplink: the device of the IPv4 default route, else eth0. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <sys/socket.h>

#include "xnethelper.h"

struct best {
	int oif;
	uint32_t metric;
};

static int keep_best(const struct xnh_route *rt, void *arg)
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

/* The device of the main table's IPv4 default route with the lowest
 * metric; "eth0" when there is none (the old scripts' default). */
int xnh_uplink_default(struct xnh_nl *nl, char *name, size_t len)
{
	struct best b = { 0, 0 };
	struct xnh_link l;
	int r = xnh_route_foreach(nl, AF_INET, 0, keep_best, &b);

	if (r < 0)
		return r;
	if (!b.oif) {
		snprintf(name, len, "eth0");
		return 0;
	}
	r = xnh_link_get_index(nl, b.oif, &l);
	if (r < 0)
		return r;
	snprintf(name, len, "%s", l.name);
	return 0;
}
