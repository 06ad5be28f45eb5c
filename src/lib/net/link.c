/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* link.c: links looked up by name and changed by one RTM_NEWLINK each. */
#include <errno.h>
#include <net/if.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <string.h>

#include "net/net.h"

void xnh_link_from_rtnl(struct rtnl_link *rl, struct xnh_link *out)
{
	struct nl_addr *a = rtnl_link_get_addr(rl);
	const char *kind = rtnl_link_get_type(rl);
	const char *name = rtnl_link_get_name(rl);

	memset(out, 0, sizeof(*out));
	out->ifindex = rtnl_link_get_ifindex(rl);
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	out->flags = rtnl_link_get_flags(rl);
	out->mtu = rtnl_link_get_mtu(rl);
	out->master = rtnl_link_get_master(rl);
	if (a && nl_addr_get_len(a) == 6) {
		memcpy(out->mac, nl_addr_get_binary_addr(a), 6);
		out->has_mac = true;
	}
	snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "");
	snprintf(out->alias, sizeof(out->alias), "%s",
		 rtnl_link_get_ifalias(rl) ? rtnl_link_get_ifalias(rl) : "");
}

static int get(struct xnh_nl *nl, int ifindex, const char *name, struct xnh_link *out)
{
	struct rtnl_link *rl = NULL;
	int r;

	nl->err = 0;
	r = rtnl_link_get_kernel(nl->sk, ifindex, name, &rl);
	if (r < 0)
		return nl->err ? nl->err : xnh_nl_errno(r);
	xnh_link_from_rtnl(rl, out);
	rtnl_link_put(rl);
	return 0;
}

/* -ENODEV when there is no such link. */
int xnh_link_get(struct xnh_nl *nl, const char *name, struct xnh_link *out)
{
	return get(nl, 0, name, out);
}

int xnh_link_get_index(struct xnh_nl *nl, int ifindex, struct xnh_link *out)
{
	return get(nl, ifindex, NULL, out);
}

bool xnh_link_is_up(const struct xnh_link *l)
{
	return l->flags & IFF_UP;
}

/* Up or down, when it is not so already; @l follows. */
int xnh_link_set_up(struct xnh_nl *nl, struct xnh_link *l, bool up)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	int r;

	if (xnh_link_is_up(l) == up)
		return 0;
	req.ifindex = l->ifindex;
	req.name = l->name;
	req.up = up;
	r = xnh_link_apply(nl, &req);
	if (r >= 0)
		l->flags = up ? l->flags | IFF_UP : l->flags & ~IFF_UP;
	return r;
}

static int fill(struct rtnl_link *ch, const struct xnh_link_req *req)
{
	struct nl_addr *a;

	if (req->rename)
		rtnl_link_set_name(ch, req->rename);
	if (req->alias)
		rtnl_link_set_ifalias(ch, req->alias);
	if (req->mac) {
		a = nl_addr_build(AF_LLC, req->mac, 6);
		if (!a)
			return -ENOMEM;
		rtnl_link_set_addr(ch, a);
		nl_addr_put(a);
	}
	if (req->mtu)
		rtnl_link_set_mtu(ch, req->mtu);
	if (req->master != XNH_UNCHANGED)
		rtnl_link_set_master(ch, req->master);
	if (req->up == 1)
		rtnl_link_set_flags(ch, IFF_UP);
	else if (req->up == 0)
		rtnl_link_unset_flags(ch, IFF_UP);
	if (req->arp == 1)
		rtnl_link_unset_flags(ch, IFF_NOARP);
	else if (req->arp == 0)
		rtnl_link_set_flags(ch, IFF_NOARP);
	return 0;
}

/* Pure: the RTM_NEWLINK for @req, for tests and for xnh_link_apply. */
int xnh_link_build(const struct xnh_link_req *req, struct nl_msg **msg)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *ch = rtnl_link_alloc();
	int r = -ENOMEM;

	*msg = NULL;
	if (!orig || !ch)
		goto out;
	rtnl_link_set_ifindex(orig, req->ifindex);
	r = fill(ch, req);
	if (r < 0)
		goto out;
	r = xnh_nl_errno(rtnl_link_build_change_request(orig, ch, 0, msg));
out:
	rtnl_link_put(orig);
	rtnl_link_put(ch);
	return r;
}

static void describe(const struct xnh_link_req *req, char *buf, size_t len)
{
	const uint8_t *m = req->mac;
	size_t n = (size_t)snprintf(buf, len, "ip link set dev %s", req->name);

	if (req->rename && n < len)
		n += (size_t)snprintf(buf + n, len - n, " name %s", req->rename);
	if (req->alias && n < len)
		n += (size_t)snprintf(buf + n, len - n, " alias '%s'", req->alias);
	if (m && n < len)
		n += (size_t)snprintf(buf + n, len - n,
				      " address %02x:%02x:%02x:%02x:%02x:%02x",
				      m[0], m[1], m[2], m[3], m[4], m[5]);
	if (req->mtu && n < len)
		n += (size_t)snprintf(buf + n, len - n, " mtu %u", req->mtu);
	if (req->master > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " master %s",
				      req->master_name ? req->master_name : "?");
	else if (req->master == 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " nomaster");
	if (req->up != XNH_UNCHANGED && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s", req->up ? "up" : "down");
	if (req->arp != XNH_UNCHANGED && n < len)
		snprintf(buf + n, len - n, " arp %s", req->arp ? "on" : "off");
}

int xnh_link_apply(struct xnh_nl *nl, const struct xnh_link_req *req)
{
	struct nl_msg *msg;
	char what[200];
	int r = xnh_link_build(req, &msg);

	if (r < 0)
		return r;
	describe(req, what, sizeof(what));
	return xnh_nl_commit(nl, msg, "%s", what);
}
