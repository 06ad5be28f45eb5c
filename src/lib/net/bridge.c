/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bridge.c: which bridge a vif joins (named, first on the host, xenbrN -> ethN); its STP. */
#include <errno.h>
#include <linux/if_link.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "net/net.h"

bool xnh_link_is_bridge(const struct xnh_link *l)
{
	return !strcmp(l->kind, "bridge");
}

static void collect(struct nl_object *o, void *arg)
{
	struct xnh_link *l = xnh_vec_add(arg, sizeof(*l));

	if (l)
		xnh_link_from_rtnl((struct rtnl_link *)o, l);
}

static int parse_one(struct nl_msg *msg, void *arg)
{
	nl_msg_parse(msg, collect, arg);
	return NL_OK;
}

/* One dump that the kernel filters (strict checking): the ports of
 * @master, or with no master, the bridges (kind filter). */
static int dump(struct xnh_nl *nl, int master, struct xnh_vec *vec)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_DUMP);
	struct nlattr *info = NULL;
	int r;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		goto nomem;
	if (master && nla_put_u32(msg, IFLA_MASTER, (uint32_t)master) < 0)
		goto nomem;
	if (!master && (!(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
			nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0))
		goto nomem;
	if (info)
		nla_nest_end(msg, info);
	r = xnh_nl_dump(nl, msg, parse_one, xnh_vec_reset, vec);
	return r < 0 ? r : vec->err;
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

/* The bridge with the lowest ifindex (the oldest); -ENODEV when none.
 * One name, always: the old script printed one per port. */
int xnh_bridge_first(struct xnh_nl *nl, struct xnh_link *out)
{
	struct xnh_vec vec = { 0 };
	struct xnh_link *l;
	size_t i;
	int r = dump(nl, 0, &vec);

	memset(out, 0, sizeof(*out));
	for (i = 0, l = vec.v; r == 0 && i < vec.n; i++)
		if (xnh_link_is_bridge(&l[i]) && (!out->ifindex || l[i].ifindex < out->ifindex))
			*out = l[i];
	free(vec.v);
	if (r < 0)
		return r;
	return out->ifindex ? 0 : -ENODEV;
}

/* Calls @cb for each port of the bridge @master, after the dump has
 * ended, until @cb returns non-zero. */
int xnh_bridge_ports(struct xnh_nl *nl, int master, xnh_link_cb cb, void *arg)
{
	struct xnh_vec vec = { 0 };
	struct xnh_link *l;
	size_t i;
	int r = dump(nl, master, &vec);

	for (i = 0, l = vec.v; r == 0 && i < vec.n; i++)
		if (l[i].master == master)
			r = cb(&l[i], arg);
	free(vec.v);
	return r;
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

/* Pure: a bridge's STP state and forward delay from its RTM_NEWLINK
 * (IFLA_LINKINFO / IFLA_INFO_DATA); -EINVAL when the message has neither. */
int xnh_bridge_info_parse(const struct nlmsghdr *h, struct xnh_bridge_info *out)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *br[IFLA_BR_MAX + 1];
	const struct ifinfomsg *ifi;

	memset(out, 0, sizeof(*out));
	if (h->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse((struct nlmsghdr *)h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_LINKINFO] ||
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
	    !li[IFLA_INFO_DATA] ||
	    nla_parse_nested(br, IFLA_BR_MAX, li[IFLA_INFO_DATA], NULL) < 0 ||
	    !br[IFLA_BR_STP_STATE] || !br[IFLA_BR_FORWARD_DELAY])
		return -EINVAL;
	ifi = nlmsg_data(h);
	out->ifindex = ifi->ifi_index;
	out->stp_state = nla_get_u32(br[IFLA_BR_STP_STATE]);
	out->forward_delay = nla_get_u32(br[IFLA_BR_FORWARD_DELAY]);
	out->vlan_filtering = br[IFLA_BR_VLAN_FILTERING] && nla_get_u8(br[IFLA_BR_VLAN_FILTERING]);
	return 0;
}

static int info_one(struct nl_msg *msg, void *arg)
{
	struct xnh_bridge_info *want = arg, bi;

	if (xnh_bridge_info_parse(nlmsg_hdr(msg), &bi) == 0 && bi.ifindex == want->ifindex)
		*want = bi;
	return NL_OK;
}

/* The STP state and forward delay of bridge @ifindex; -ENODEV when it is
 * not a bridge (any more). */
int xnh_bridge_info_get(struct xnh_nl *nl, int ifindex, struct xnh_bridge_info *out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_DUMP);
	struct nlattr *info;
	int r;

	memset(out, 0, sizeof(*out));
	out->ifindex = ifindex;
	out->forward_delay = UINT32_MAX;
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, info);
	r = xnh_nl_dump(nl, msg, info_one, NULL, out);
	if (r == 0 && out->forward_delay == UINT32_MAX)
		r = -ENODEV;
	return r;
}
