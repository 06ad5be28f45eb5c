/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* neigh.c: proxy neighbour entries (`ip neigh add proxy ADDR dev DEV`). */
#include <errno.h>
#include <linux/neighbour.h>
#include <netlink/msg.h>
#include <netlink/route/neighbour.h>
#include <stdio.h>

#include "xnethelper.h"

/* Pure: the RTM_NEWNEIGH or RTM_DELNEIGH of a proxy entry for @addr on
 * @ifindex. The kernel answers neighbour solicitations (IPv6) or ARP
 * requests (IPv4, with proxy_arp) for @addr on that link. */
int xnh_neigh_proxy_build(int ifindex, const struct xnh_inet *addr, bool add,
			  struct nl_msg **msg)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *dst = nl_addr_build(addr->family, &addr->a, xnh_inet_len(addr));
	int r = -ENOMEM;

	*msg = NULL;
	if (!n || !dst)
		goto out;
	rtnl_neigh_set_ifindex(n, ifindex);
	rtnl_neigh_set_family(n, addr->family);
	rtnl_neigh_set_flags(n, NTF_PROXY);
	r = xnh_nl_errno(rtnl_neigh_set_dst(n, dst));
	if (r >= 0)
		r = xnh_nl_errno(add ? rtnl_neigh_build_add_request(n, NLM_F_CREATE | NLM_F_REPLACE,
								     msg)
				     : rtnl_neigh_build_delete_request(n, 0, msg));
out:
	nl_addr_put(dst);
	rtnl_neigh_put(n);
	return r;
}

static int change(struct xnh_nl *nl, const char *dev, int ifindex,
		  const struct xnh_inet *addr, bool add)
{
	struct nl_msg *msg;
	char text[64];
	int r = xnh_neigh_proxy_build(ifindex, addr, add, &msg);

	if (r < 0)
		return r;
	xnh_inet_format(addr, false, text, sizeof(text));
	return xnh_nl_commit(nl, msg, "ip neigh %s proxy %s dev %s", add ? "add" : "del", text,
			     dev);
}

/* Adding an entry that is there already succeeds (the kernel keeps one). */
int xnh_neigh_proxy_add(struct xnh_nl *nl, const char *dev, int ifindex,
			const struct xnh_inet *addr)
{
	return change(nl, dev, ifindex, addr, true);
}

/* -ENOENT when there is no such entry. */
int xnh_neigh_proxy_del(struct xnh_nl *nl, const char *dev, int ifindex,
			const struct xnh_inet *addr)
{
	return change(nl, dev, ifindex, addr, false);
}
