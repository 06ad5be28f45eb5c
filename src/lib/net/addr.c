/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* addr.c: the addresses of one link: list (filtered dump), add, change, delete, flush. */
#include <errno.h>
#include <linux/if_addr.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "text/text.h"
#include "net/net.h"

struct walk {
	int ifindex;
	struct xnh_vec vec;		/* of struct xnh_addr */
	uint8_t proto;			/* of the message being parsed: libnl */
	uint32_t rt_priority;		/* 3.7 knows neither attribute */
};

/* An interrupted dump starts again from nothing. */
static void restart(void *arg)
{
	xnh_vec_reset(&((struct walk *)arg)->vec);
}

static void to_inet(struct nl_addr *a, struct xnh_inet *out)
{
	memset(out, 0, sizeof(*out));
	out->family = nl_addr_get_family(a);
	out->prefix = (uint8_t)nl_addr_get_prefixlen(a);
	out->has_prefix = true;
	memcpy(&out->a, nl_addr_get_binary_addr(a), xnh_inet_len(out));
}

static void collect(struct nl_object *o, void *arg)
{
	struct rtnl_addr *ra = (struct rtnl_addr *)o;
	struct walk *w = arg;
	struct xnh_addr *a;
	const char *label = rtnl_addr_get_label(ra);
	struct nl_addr *local = rtnl_addr_get_local(ra), *brd = rtnl_addr_get_broadcast(ra);

	if (rtnl_addr_get_ifindex(ra) != w->ifindex || !local)
		return;
	a = xnh_vec_add(&w->vec, sizeof(*a));
	if (!a)
		return;
	a->ifindex = w->ifindex;
	to_inet(local, &a->local);
	a->scope = rtnl_addr_get_scope(ra);
	a->flags = rtnl_addr_get_flags(ra);
	snprintf(a->label, sizeof(a->label), "%s", label ? label : "");
	if (brd && nl_addr_get_family(brd) == AF_INET && nl_addr_get_len(brd) == 4) {
		memcpy(&a->broadcast, nl_addr_get_binary_addr(brd), 4);
		a->has_broadcast = true;
	}
	a->valid_lft = rtnl_addr_get_valid_lifetime(ra);
	a->preferred_lft = rtnl_addr_get_preferred_lifetime(ra);
	a->proto = w->proto;
	a->rt_priority = w->rt_priority;
}

static int parse_one(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *p = nlmsg_find_attr(h, sizeof(struct ifaddrmsg), IFA_PROTO);
	struct nlattr *m = nlmsg_find_attr(h, sizeof(struct ifaddrmsg), IFA_RT_PRIORITY);
	struct walk *w = arg;

	w->proto = p ? nla_get_u8(p) : 0;
	w->rt_priority = m ? nla_get_u32(m) : 0;
	nl_msg_parse(msg, collect, arg);
	return NL_OK;
}

/* One dump, filtered by the kernel to @ifindex (strict checking); @cb is
 * called for each address after the dump has ended (so that it may itself
 * talk to the kernel), until it returns non-zero. */
int xnh_addr_foreach(struct xnh_nl *nl, int ifindex, int family, xnh_addr_cb cb, void *arg)
{
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family, .ifa_index = (uint32_t)ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP);
	struct walk w = { .ifindex = ifindex };
	struct xnh_addr *a;
	size_t i;
	int r;

	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = xnh_nl_dump(nl, msg, parse_one, restart, &w);
	if (r == 0)
		r = w.vec.err;
	for (i = 0, a = w.vec.v; r == 0 && i < w.vec.n; i++)
		r = cb(&a[i], arg);
	free(w.vec.v);
	return r;
}

/* What libnl 3.7 does not build: lifetimes are set on @ra, the rest appended. */
static int extras(const struct xnh_addr *a, struct nl_msg *msg)
{
	if (a->proto && nla_put_u8(msg, IFA_PROTO, a->proto) < 0)
		return -EMSGSIZE;
	if (a->rt_priority && nla_put_u32(msg, IFA_RT_PRIORITY, a->rt_priority) < 0)
		return -EMSGSIZE;
	return 0;
}

static int fill(struct rtnl_addr *ra, const struct xnh_addr *a)
{
	struct nl_addr *brd;
	int r = 0;

	rtnl_addr_set_scope(ra, a->scope);
	if (a->flags)
		rtnl_addr_set_flags(ra, a->flags);
	if (a->label[0])
		rtnl_addr_set_label(ra, a->label);
	if (a->valid_lft) {
		rtnl_addr_set_valid_lifetime(ra, a->valid_lft);
		rtnl_addr_set_preferred_lifetime(ra, a->preferred_lft);
	}
	if (a->has_broadcast) {
		brd = nl_addr_build(AF_INET, &a->broadcast, 4);
		if (!brd || rtnl_addr_set_broadcast(ra, brd) < 0)
			r = -ENOMEM;
		nl_addr_put(brd);
	}
	return r;
}

/* @nlflags: 0 for a delete, NLM_F_EXCL for an add, NLM_F_REPLACE for a change. */
static int build(const struct xnh_addr *a, int nlflags, bool add, struct nl_msg **msg)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local;
	int r = -ENOMEM;

	*msg = NULL;
	local = nl_addr_build(a->local.family, &a->local.a, xnh_inet_len(&a->local));
	if (!ra || !local)
		goto out;
	nl_addr_set_prefixlen(local, a->local.prefix);
	rtnl_addr_set_ifindex(ra, a->ifindex);
	rtnl_addr_set_family(ra, a->local.family);
	r = xnh_nl_errno(rtnl_addr_set_local(ra, local));
	if (r >= 0 && add)
		r = fill(ra, a);
	if (r >= 0)
		r = xnh_nl_errno(add ? rtnl_addr_build_add_request(ra, NLM_F_CREATE | nlflags, msg)
				     : rtnl_addr_build_delete_request(ra, 0, msg));
	if (r >= 0 && add)
		r = extras(a, *msg);
	if (r < 0 && *msg) {
		nlmsg_free(*msg);
		*msg = NULL;
	}
out:
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return r;
}

int xnh_addr_build(const struct xnh_addr *a, bool add, struct nl_msg **msg)
{
	return build(a, add ? NLM_F_EXCL : 0, add, msg);
}

/* Pure: an RTM_NEWADDR that changes the flags and lifetimes of an address
 * the link has already (as `ip address change`); DAD does not run again. */
int xnh_addr_build_change(const struct xnh_addr *a, struct nl_msg **msg)
{
	return build(a, NLM_F_REPLACE, true, msg);
}

static int change(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a, int nlflags,
		  bool add)
{
	const char *verb = !add ? "del" : nlflags & NLM_F_REPLACE ? "change" : "add";
	struct nl_msg *msg;
	char text[64];
	int r = build(a, nlflags, add, &msg);

	if (r < 0)
		return r;
	xnh_inet_format(&a->local, true, text, sizeof(text));
	return xnh_nl_commit(nl, msg, "ip address %s %s dev %s", verb, text, dev);
}

/* -EEXIST when the link has it already. */
int xnh_addr_add(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a)
{
	return change(nl, dev, a, NLM_F_EXCL, true);
}

/* Flags and lifetimes of an address the link has (one it lacks is added). */
int xnh_addr_change(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a)
{
	return change(nl, dev, a, NLM_F_REPLACE, true);
}

/* -EADDRNOTAVAIL when the link does not have it. */
int xnh_addr_del(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a)
{
	return change(nl, dev, a, 0, false);
}

struct flush {
	struct xnh_nl *nl;
	const char *dev;
};

static int del_one(const struct xnh_addr *a, void *arg)
{
	struct flush *f = arg;
	int r = xnh_addr_del(f->nl, f->dev, a);

	/* Deleting a primary takes its secondaries along. */
	return r == -EADDRNOTAVAIL ? 0 : r;
}

int xnh_addr_flush(struct xnh_nl *nl, const char *dev, int ifindex)
{
	struct flush f = { nl, dev };

	return xnh_addr_foreach(nl, ifindex, AF_UNSPEC, del_one, &f);
}

static int first_v4(const struct xnh_addr *a, void *arg)
{
	if (a->local.family != AF_INET || (a->flags & IFA_F_SECONDARY))
		return 0;
	*(struct in_addr *)arg = a->local.a.v4;
	return 1;
}

/* The first primary IPv4 address of a link; -EADDRNOTAVAIL when none. */
int xnh_addr_first_v4(struct xnh_nl *nl, int ifindex, struct in_addr *out)
{
	int r = xnh_addr_foreach(nl, ifindex, AF_INET, first_v4, out);

	return r < 0 ? r : r == 1 ? 0 : -EADDRNOTAVAIL;
}

/* Adds @a, an address the host owned already. An IPv6 one goes without DAD
 * (DAD would leave it tentative, unusable, for a second or more, and the
 * kernel then drops it as the source of routes), then gets its own flags
 * back by a change, which starts no DAD. @added (or NULL): whether this
 * call added it. */
int xnh_addr_restore(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a, bool *added)
{
	struct xnh_addr c = *a;
	bool dad = c.local.family == AF_INET6 && !(c.flags & IFA_F_NODAD);
	int r;

	if (dad)
		c.flags |= IFA_F_NODAD;
	r = xnh_addr_add(nl, dev, &c);
	if (added)
		*added = r == 0;
	return r < 0 || !dad ? r : xnh_addr_change(nl, dev, a);
}
