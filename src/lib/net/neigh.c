/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* neigh.c: proxy neighbour entries (`ip neigh add proxy ADDR dev DEV`, `ip neigh show proxy`). */
#include <errno.h>
#include <linux/neighbour.h>
#include <netlink/msg.h>
#include <netlink/route/neighbour.h>
#include <stdio.h>
#include <string.h>

#include "text/text.h"
#include "net/net.h"

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

/* Pure: the dump request of the proxy entries of @family on @ifindex (the
 * kernel filters by device under strict checking). */
int xnh_neigh_proxy_build_dump(int family, int ifindex, struct nl_msg **msg)
{
	struct ndmsg nd = { .ndm_family = (uint8_t)family, .ndm_flags = NTF_PROXY };

	*msg = nlmsg_alloc_simple(RTM_GETNEIGH, NLM_F_DUMP);
	if (*msg && nlmsg_append(*msg, &nd, sizeof(nd), NLMSG_ALIGNTO) >= 0 &&
	    nla_put_u32(*msg, NDA_IFINDEX, (uint32_t)ifindex) >= 0)
		return 0;
	nlmsg_free(*msg);
	*msg = NULL;
	return -ENOMEM;
}

/* Pure: a proxy entry of a dump: its device and address; -EINVAL for
 * anything else. */
int xnh_neigh_proxy_parse(const struct nlmsghdr *h, int *ifindex, struct xnh_inet *dst)
{
	struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *nd;

	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    nlmsg_parse((struct nlmsghdr *)h, sizeof(*nd), tb, NDA_MAX, NULL) < 0)
		return -EINVAL;
	nd = nlmsg_data(h);
	memset(dst, 0, sizeof(*dst));
	dst->family = nd->ndm_family;
	if (!(nd->ndm_flags & NTF_PROXY) || (dst->family != AF_INET && dst->family != AF_INET6) ||
	    !tb[NDA_DST] || (size_t)nla_len(tb[NDA_DST]) != xnh_inet_len(dst))
		return -EINVAL;
	memcpy(&dst->a, nla_data(tb[NDA_DST]), xnh_inet_len(dst));
	dst->prefix = dst->family == AF_INET ? 32 : 128;
	*ifindex = nd->ndm_ifindex;
	return 0;
}

struct find {
	int ifindex;
	const struct xnh_inet *want;
	bool found;
};

/* An interrupted dump starts again from nothing. */
static void restart(void *arg)
{
	((struct find *)arg)->found = false;
}

static int find_one(struct nl_msg *msg, void *arg)
{
	struct find *f = arg;
	struct xnh_inet dst;
	int ifindex;

	if (xnh_neigh_proxy_parse(nlmsg_hdr(msg), &ifindex, &dst) == 0 &&
	    ifindex == f->ifindex && !memcmp(&dst.a, &f->want->a, xnh_inet_len(&dst)))
		f->found = true;
	return NL_OK;
}

/* 1 when there is a proxy entry for @addr on @ifindex, 0 when not. */
int xnh_neigh_proxy_has(struct xnh_nl *nl, int ifindex, const struct xnh_inet *addr)
{
	struct find f = { .ifindex = ifindex, .want = addr };
	struct nl_msg *msg;
	int r = xnh_neigh_proxy_build_dump(addr->family, ifindex, &msg);

	if (r >= 0)
		r = xnh_nl_dump(nl, msg, find_one, restart, &f);
	return r < 0 ? r : f.found;
}
