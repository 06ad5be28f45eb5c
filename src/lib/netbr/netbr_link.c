/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_link.c: the bridge network-bridge makes (STP off, forward delay 0), and link delete. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "netbr/netbr.h"

static int put_info(struct nl_msg *m)
{
	struct nlattr *info = nla_nest_start(m, IFLA_LINKINFO), *data;

	if (!info || nla_put_string(m, IFLA_INFO_KIND, "bridge") < 0)
		return -EMSGSIZE;
	data = nla_nest_start(m, IFLA_INFO_DATA);
	/* libnl 3.7 has no API for these: IFLA_BR_* by hand */
	if (!data || nla_put_u32(m, IFLA_BR_STP_STATE, 0) < 0 ||
	    nla_put_u32(m, IFLA_BR_FORWARD_DELAY, 0) < 0)
		return -EMSGSIZE;
	nla_nest_end(m, data);
	nla_nest_end(m, info);
	return 0;
}

/* Pure: the RTM_NEWLINK (CREATE|EXCL) of a bridge with STP off and forward
 * delay 0, with the given MAC and MTU (those of the NIC it will carry). */
int xnh_bridge_build_new(const struct xnh_bridge_new *req, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	int r = -EMSGSIZE;

	*msg = NULL;
	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(m, IFLA_IFNAME, req->name) < 0 ||
	    (req->mac && nla_put(m, IFLA_ADDRESS, 6, req->mac) < 0) ||
	    (req->mtu && nla_put_u32(m, IFLA_MTU, req->mtu) < 0))
		goto out;
	r = put_info(m);
out:
	if (r < 0)
		nlmsg_free(m);
	else
		*msg = m;
	return r;
}

/* -EEXIST when the name is taken. */
int xnh_bridge_new(struct xnh_nl *nl, const struct xnh_bridge_new *req)
{
	const uint8_t *a = req->mac;
	char mac[32] = "", mtu[16] = "";
	struct nl_msg *msg;
	int r = xnh_bridge_build_new(req, &msg);

	if (r < 0)
		return r;
	if (a)
		snprintf(mac, sizeof(mac), " address %02x:%02x:%02x:%02x:%02x:%02x",
			 a[0], a[1], a[2], a[3], a[4], a[5]);
	if (req->mtu)
		snprintf(mtu, sizeof(mtu), " mtu %u", req->mtu);
	return xnh_nl_commit(nl, msg, "ip link add %s%s%s type bridge stp_state 0 forward_delay 0",
			     req->name, mac, mtu);
}

/* Pure: the RTM_DELLINK of @ifindex. */
int xnh_link_build_del(int ifindex, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };

	*msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	if (!*msg)
		return -ENOMEM;
	if (nlmsg_append(*msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
		return -EMSGSIZE;
	}
	return 0;
}

/* -ENODEV when it is gone already. A bridge lets its ports go first. */
int xnh_link_del(struct xnh_nl *nl, int ifindex, const char *name)
{
	struct nl_msg *msg;
	int r = xnh_link_build_del(ifindex, &msg);

	if (r < 0)
		return r;
	return xnh_nl_commit(nl, msg, "ip link del %s", name);
}

