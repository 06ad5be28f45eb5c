/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bridge.c: which bridge a vif joins (named, first on the host, xenbrN -> ethN). */
#include <errno.h>
#include <linux/if_link.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <string.h>

#include "xnethelper.h"

bool xnh_link_is_bridge(const struct xnh_link *l)
{
	return !strcmp(l->kind, "bridge");
}

struct walk {
	int master;			/* ports of this bridge, or 0: bridges */
	xnh_link_cb cb;
	void *arg;
	struct xnh_link best;
};

static void each(struct nl_object *o, void *arg)
{
	struct walk *w = arg;
	struct xnh_link l;

	xnh_link_from_rtnl((struct rtnl_link *)o, &l);
	if (w->master) {
		if (l.master == w->master)
			w->cb(&l, w->arg);
	} else if (xnh_link_is_bridge(&l) && (!w->best.ifindex || l.ifindex < w->best.ifindex)) {
		w->best = l;
	}
}

static int parse_one(struct nl_msg *msg, void *arg)
{
	nl_msg_parse(msg, each, arg);
	return NL_OK;
}

/* One dump that the kernel filters (strict checking): the bridges (kind
 * filter), or the ports of one (master filter). */
static int dump(struct xnh_nl *nl, struct walk *w)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_DUMP);
	struct nl_cb *cb = NULL, *sk_cb;
	struct nlattr *info;
	int r = -ENOMEM;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		goto out;
	if (w->master) {
		if (nla_put_u32(msg, IFLA_MASTER, (uint32_t)w->master) < 0)
			goto out;
	} else {
		info = nla_nest_start(msg, IFLA_LINKINFO);
		if (!info || nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0)
			goto out;
		nla_nest_end(msg, info);
	}
	sk_cb = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (!cb)
		goto out;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, parse_one, w);
	nl->err = 0;
	r = nl_send_auto(nl->sk, msg);
	if (r >= 0)
		r = nl_recvmsgs(nl->sk, cb);
	r = r < 0 ? (nl->err ? nl->err : xnh_nl_errno(r)) : 0;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return r;
}

/* The bridge with the lowest ifindex (the oldest); -ENODEV when none.
 * One name, always: the old script printed one per port. */
int xnh_bridge_first(struct xnh_nl *nl, struct xnh_link *out)
{
	struct walk w = { 0 };
	int r = dump(nl, &w);

	*out = w.best;
	if (r < 0)
		return r;
	return out->ifindex ? 0 : -ENODEV;
}


/* @want, or, for a missing xenbrN, ethN when that is a bridge (the Xen 3.2+
 * layout); -ENODEV when missing, -EMEDIUMTYPE when not a bridge. */
int xnh_bridge_resolve(struct xnh_nl *nl, const char *want, struct xnh_link *out)
{
	char eth[XNH_IFNAMSIZ];
	int r;

	if (!want)
		return xnh_bridge_first(nl, out);
	r = xnh_link_get(nl, want, out);
	if (r == -ENODEV && !strncmp(want, "xenbr", 5) && want[5]) {
		snprintf(eth, sizeof(eth), "eth%s", want + 5);
		if (xnh_link_get(nl, eth, out) == 0 && xnh_link_is_bridge(out))
			return 0;
	}
	if (r < 0)
		return r;
	return xnh_link_is_bridge(out) ? 0 : -EMEDIUMTYPE;
}
