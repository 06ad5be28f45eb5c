/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* brvlan.c: a Linux bridge port's VLANs (802.1Q filtering), built with libmnl.
 *
 * libnl 3.7 has no object for a port's VLAN entries, so the RTM_SETLINK /
 * RTM_DELLINK (AF_BRIDGE, IFLA_AF_SPEC/IFLA_BRIDGE_VLAN_INFO) requests and
 * the parse of a VLAN dump are written here on libmnl; the request is then
 * sent through the run's one rtnetlink socket, traced like every change. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "text/text.h"
#include "net/net.h"

#define REQ_MAX	128

/* One VLAN of port @ifindex added (with @flags: BRIDGE_VLAN_INFO_PVID,
 * _UNTAGGED) or removed, as `bridge vlan add|del` sends it. Pure. */
int xnh_brvlan_build(int ifindex, unsigned int vid, uint16_t flags, bool add,
		     struct nl_msg **msg)
{
	char buf[REQ_MAX];
	struct bridge_vlan_info vi = { .flags = flags, .vid = (uint16_t)vid };
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *spec;

	if (vid < 1 || vid > 4094)
		return -ERANGE;
	h->nlmsg_type = add ? RTM_SETLINK : RTM_DELLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_BRIDGE;
	ifi->ifi_index = ifindex;
	spec = mnl_attr_nest_start(h, IFLA_AF_SPEC);
	mnl_attr_put(h, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi);
	mnl_attr_nest_end(h, spec);
	*msg = nlmsg_convert(h);
	return *msg ? 0 : -ENOMEM;
}

static int vlan_change(struct xnh_nl *nl, const char *dev, int ifindex, unsigned int vid,
		       uint16_t flags, bool add)
{
	struct nl_msg *msg;
	int r = xnh_brvlan_build(ifindex, vid, flags, add, &msg);

	if (r < 0)
		return r;
	return xnh_nl_commit(nl, msg, "bridge vlan %s dev %s vid %u%s%s", add ? "add" : "del",
			     dev, vid, flags & BRIDGE_VLAN_INFO_PVID ? " pvid" : "",
			     flags & BRIDGE_VLAN_INFO_UNTAGGED ? " untagged" : "");
}

static uint16_t flags_of(const struct xnh_vlan *v, unsigned int id)
{
	return (uint16_t)(((int)id == v->pvid ? BRIDGE_VLAN_INFO_PVID : 0) |
			  (xnh_vlan_untagged(v, id) ? BRIDGE_VLAN_INFO_UNTAGGED : 0));
}

/* Makes port @ifindex a member of exactly @want's VLANs: each wanted one
 * added with its flags first (the PVID moves off the bridge's default
 * VLAN 1), then every other VLAN the port has removed, so that no
 * untagged frame leaks into VLAN 1. @have: what the port has now. */
int xnh_brvlan_apply(struct xnh_nl *nl, const char *dev, int ifindex,
		     const struct xnh_vlan *want, const struct xnh_vlan *have)
{
	unsigned int id;
	int r = 0;

	for (id = 1; r >= 0 && id <= 4094; id++)
		if (xnh_vlan_has(want, id) && (!xnh_vlan_has(have, id) ||
		    flags_of(want, id) != flags_of(have, id)))
			r = vlan_change(nl, dev, ifindex, id, flags_of(want, id), true);
	for (id = 1; r >= 0 && id <= 4094; id++)
		if (xnh_vlan_has(have, id) && !xnh_vlan_has(want, id))
			r = vlan_change(nl, dev, ifindex, id, 0, false);
	return r;
}

struct vlan_attrs {
	struct xnh_vlan *v;
	int err;
};

static int vlan_attr(const struct nlattr *a, void *data)
{
	struct vlan_attrs *va = data;
	const struct bridge_vlan_info *vi;

	if (mnl_attr_get_type(a) != IFLA_BRIDGE_VLAN_INFO)
		return MNL_CB_OK;
	if (mnl_attr_validate2(a, MNL_TYPE_BINARY, sizeof(*vi)) < 0 ||
	    (vi = mnl_attr_get_payload(a))->vid > XNH_VLAN_ID_MAX) {
		va->err = -EINVAL;
		return MNL_CB_ERROR;
	}
	va->v->member[vi->vid / 64] |= 1ULL << (vi->vid % 64);
	if (vi->flags & BRIDGE_VLAN_INFO_UNTAGGED)
		va->v->untagged[vi->vid / 64] |= 1ULL << (vi->vid % 64);
	if (vi->flags & BRIDGE_VLAN_INFO_PVID)
		va->v->pvid = vi->vid;
	return MNL_CB_OK;
}

static int link_attr(const struct nlattr *a, void *data)
{
	struct vlan_attrs *va = data;

	if (mnl_attr_get_type(a) != IFLA_AF_SPEC)
		return MNL_CB_OK;
	return mnl_attr_parse_nested(a, vlan_attr, va) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* One answer of a VLAN dump (RTM_NEWLINK, AF_BRIDGE): its port and VLANs
 * (ranges are not asked for, so each VLAN comes alone). Pure. */
int xnh_brvlan_parse(const struct nlmsghdr *h, int *ifindex, struct xnh_vlan *out)
{
	const struct ifinfomsg *ifi;
	struct vlan_attrs va = { out, 0 };

	xnh_vlan_init(out);
	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return -EINVAL;
	ifi = mnl_nlmsg_get_payload(h);
	if (ifi->ifi_family != AF_BRIDGE)
		return -EINVAL;
	*ifindex = ifi->ifi_index;
	if (mnl_attr_parse(h, sizeof(*ifi), link_attr, &va) < 0)
		return va.err ? va.err : -EINVAL;
	return 0;
}

struct vlan_dump {
	int ifindex;
	struct xnh_vlan *v;
	bool found;
};

static int dump_one(struct nl_msg *msg, void *arg)
{
	struct vlan_dump *d = arg;
	struct xnh_vlan v;
	int ifindex;

	if (xnh_brvlan_parse(nlmsg_hdr(msg), &ifindex, &v) == 0 && ifindex == d->ifindex) {
		*d->v = v;
		d->found = true;
	}
	return NL_OK;
}

/* The VLANs of bridge port @ifindex (`bridge vlan show dev`); -ENOENT when
 * it is no bridge port. */
int xnh_brvlan_get(struct xnh_nl *nl, int ifindex, struct xnh_vlan *out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_DUMP);
	struct vlan_dump d = { ifindex, out, false };
	int r;

	xnh_vlan_init(out);
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = xnh_nl_dump(nl, msg, dump_one, NULL, &d);
	return r < 0 ? r : d.found ? 0 : -ENOENT;
}
