/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netdev.c: the host's uplink: `netdev`, else the default route's device, else eth0. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "xnethelper.h"

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

/* The device of the main table's default route with the lowest metric,
 * IPv4 first, then IPv6; -ENOENT when there is none. */
int xnh_netdev_default_oif(struct xnh_nl *nl)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct best b;
	size_t i;
	int r;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		memset(&b, 0, sizeof(b));
		r = xnh_route_foreach(nl, families[i], 0, pick_default, &b);
		if (r < 0)
			return r;
		if (b.oif)
			return b.oif;
	}
	return -ENOENT;
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
