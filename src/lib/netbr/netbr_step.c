/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_step.c: the link changes of network-bridge, each recorded with its undo. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "sys/sys.h"
#include "net/net.h"
#include "netbr/netbr.h"

#define DRY_IFINDEX	0x7fffffff	/* the bridge a dry run did not make */

/* Applies @req, then records @back, which undoes it. */
static int step(struct xnh_nl *nl, const struct xnh_link_req *req,
		const struct xnh_link_req *back, struct xnh_undo *u)
{
	int r = xnh_link_apply(nl, req);

	return r < 0 ? r : xnh_undo_link(u, back);
}

/* Up or down, when it is not so already; @l follows. */
int xnh_netbr_up(struct xnh_nl *nl, struct xnh_link *l, bool up, struct xnh_undo *u)
{
	struct xnh_link_req back = XNH_LINK_REQ_INIT;
	int r;

	if (xnh_link_is_up(l) == up)
		return 0;
	back.ifindex = l->ifindex;
	back.name = l->name;
	back.up = !up;
	r = xnh_link_set_up(nl, l, up);
	return r < 0 ? r : xnh_undo_link(u, &back);
}

/* Down first: kernels before 6.2 rename only links that are down. */
int xnh_netbr_rename(struct xnh_nl *nl, struct xnh_link *l, const char *to, struct xnh_undo *u)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT, back = XNH_LINK_REQ_INIT;
	int r = xnh_netbr_up(nl, l, false, u);

	req.ifindex = back.ifindex = l->ifindex;
	req.name = back.rename = l->name;
	req.rename = back.name = to;
	if (r >= 0)
		r = step(nl, &req, &back, u);
	if (r >= 0)
		snprintf(l->name, sizeof(l->name), "%s", to);
	return r;
}

/* @port into @br and up (@join), or out of it. */
int xnh_netbr_join(struct xnh_nl *nl, struct xnh_link *port, const struct xnh_link *br,
		   bool join, struct xnh_undo *u)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT, back = XNH_LINK_REQ_INIT;
	int r;

	req.ifindex = back.ifindex = port->ifindex;
	req.name = back.name = port->name;
	req.master = join ? br->ifindex : 0;
	back.master = join ? 0 : br->ifindex;
	req.master_name = back.master_name = br->name;
	if (join && !xnh_link_is_up(port)) {
		req.up = 1;
		back.up = 0;
	}
	r = step(nl, &req, &back, u);
	if (r >= 0) {
		port->master = req.master;
		port->flags |= join ? IFF_UP : 0;
	}
	return r;
}

/* A bridge (STP off, forward delay 0) named @name, with @nic's MAC and
 * MTU, down; @out gets it (a stand-in in a dry run). */
int xnh_netbr_bridge(struct xnh_nl *nl, const char *name, const struct xnh_link *nic,
		     struct xnh_link *out, struct xnh_undo *u)
{
	struct xnh_bridge_new req = { .name = name, .mac = nic->mac, .mtu = nic->mtu };
	int r = xnh_bridge_new(nl, &req);

	if (r >= 0 && xnh_dry_run()) {
		memset(out, 0, sizeof(*out));
		out->ifindex = DRY_IFINDEX;
		snprintf(out->name, sizeof(out->name), "%s", name);
		snprintf(out->kind, sizeof(out->kind), "bridge");
	} else if (r >= 0) {
		r = xnh_link_get(nl, name, out);
	}
	return r < 0 ? r : xnh_undo_link_del(u, out->ifindex, out->name);
}
