/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-nat: IPv4 forwarding and masquerading for NAT guests (start|stop|status). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/sys/sys.h"
#include "lib/net/net.h"
#include "lib/state/state.h"
#include "lib/fw/fw.h"
#include "network-nat.h"

/* Masquerade guest traffic leaving @dev (on), or stop (off): @dev in
 * the set @nat_uplinks of table inet xen. */
static int masquerade(struct xnh_run *r, const char *dev, bool on)
{
	struct xnh_fw fw = { 0 };
	int ret = xnh_fw_open(&fw);

	(void)r;
	if (ret >= 0)
		ret = xnh_fw_nat_uplink(&fw, dev, on);
	xnh_fw_close(&fw);
	return ret;
}

/* netdev=, else for stop the one uplink start recorded, else the device
 * of the default route, else eth0. */
int nn_pick_netdev(struct xnh_run *r, struct nn *n, bool stop)
{
	const char *v = r->ctx.val[XNH_K_NETDEV];
	struct xnh_link l;
	int ret = 0;

	if (v) {
		snprintf(n->netdev, sizeof(n->netdev), "%s", v);
	} else if (stop && n->has_state && n->s.n == 1) {
		snprintf(n->netdev, sizeof(n->netdev), "%s", n->s.uplink[0]);
	} else {
		ret = xnh_netdev_get(&r->nl, NULL, &l);	/* an eth0 that is not there yet is fine */
		snprintf(n->netdev, sizeof(n->netdev), "%s", l.name);
		if (ret == -ENODEV)
			ret = 0;
	}
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot find the default route's device");
	snprintf(r->ctx.dev, sizeof(r->ctx.dev), "%s", n->netdev);	/* for the log line */
	return 0;
}

/* Everything read and checked, under the lock, before the first change. */
static int prepare(struct xnh_run *r, struct nn *n, bool stop)
{
	int ret = xnh_dhcp_conf_load(&n->dc);

	n->lock = -1;
	n->added = false;
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "invalid %s (environment)", n->dc.failed);
	ret = xnh_lock(NN_STATE, &n->lock);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot lock %s/%s", xnh_state_dir(),
					  NN_STATE);
	ret = xnh_natnet_load(NN_STATE, &n->s);
	n->has_state = ret >= 0;
	if (ret == -ENOENT)
		memset(&n->s, 0, sizeof(n->s));
	else if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read state %s/%s",
					  xnh_state_dir(), NN_STATE);
	return nn_pick_netdev(r, n, stop);
}

static int save(struct xnh_run *r, struct nn *n)
{
	int ret = xnh_natnet_save(NN_STATE, &n->s);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot save state %s/%s",
					  xnh_state_dir(), NN_STATE);
	return 0;
}

/* Forgets @netdev; after the last uplink, the ISC subnet goes and
 * ip_forward is put back as the first start found it (even when the
 * subnet could not go: forwarding matters more). */
static int forget(struct xnh_run *r, struct nn *n)
{
	int i = xnh_natnet_find(&n->s, n->netdev), ret = 0, fwd;

	if (i >= 0) {
		memmove(n->s.uplink[i], n->s.uplink[i + 1],
			(n->s.n - (size_t)i - 1) * sizeof(n->s.uplink[0]));
		n->s.n--;
	}
	if (n->s.n)
		return save(r, n);
	if (n->s.subnet && (ret = xnh_dhcp_net_stop(&n->dc)) < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot remove the DHCP subnet from %s",
				   n->dc.failed);
	/* ip_forward is shared with network-route: the last stop puts it
	 * back; a record of an older xnet kept the value itself */
	fwd = xnh_forward_release("network-nat");
	if (fwd == -ENOENT)
		fwd = n->s.has_forward ? xnh_sysctl_write(NN_FORWARD, n->s.forward ? "1" : "0") : 0;
	if (fwd >= 0)
		fwd = xnh_state_remove(NN_STATE);
	if (fwd < 0)
		return xnh_ctx_fail_errno(&r->ctx, fwd, "cannot restore ip_forward");
	return ret;
}

/* Records what start is about to do, before doing it. */
static int record(struct xnh_run *r, struct nn *n, unsigned int dhcp)
{
	if (xnh_natnet_find(&n->s, n->netdev) < 0) {
		if (n->s.n == XNH_NAT_UPLINKS)
			return xnh_ctx_fail(&r->ctx, -E2BIG, "too many uplinks (%d)",
					    XNH_NAT_UPLINKS);
		memcpy(n->s.uplink[n->s.n++], n->netdev, sizeof(n->netdev));
		n->added = true;
	}
	n->s.subnet |= !!(dhcp & XNH_DHCP_ISC);
	return save(r, n);
}

static int nn_start(struct xnh_run *r)
{
	const char *d = r->ctx.val[XNH_K_DHCP];
	char why[sizeof(r->ctx.err)];
	struct xnh_link l;
	unsigned int dhcp;
	struct nn n;
	int ret = prepare(r, &n, false);

	if (ret >= 0 && (ret = xnh_link_get(&r->nl, n.netdev, &l)) < 0)
		xnh_ctx_fail(&r->ctx, ret, "netdev %s: %s", n.netdev,
			     ret == -ENODEV ? "no such device" : strerror(-ret));
	dhcp = xnh_dhcp_backends(&n.dc, d ? xnh_ctx_bool(&r->ctx, XNH_K_DHCP, false) : -1);
	if (ret >= 0)
		ret = record(r, &n, dhcp);
	if (ret < 0)
		goto out;
	ret = xnh_forward_take("network-nat");
	if (ret < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot enable ip_forward");
	if (ret >= 0 && (ret = masquerade(r, n.netdev, true)) < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot masquerade %s", n.netdev);
	if (ret >= 0 && dhcp && (ret = xnh_dhcp_net_start(&n.dc, dhcp)) < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot set up DHCP in %s", n.dc.failed);
	if (ret < 0 && n.added) {	/* undone; the reason above stays the reason */
		memcpy(why, r->ctx.err, sizeof(why));
		masquerade(r, n.netdev, false);
		forget(r, &n);
		memcpy(r->ctx.err, why, sizeof(why));
	}
out:
	xnh_unlock(n.lock);
	return ret;
}

/* Removes the masquerade of netdev (there or not: stop is idempotent) and
 * forgets it. */
static int nn_stop(struct xnh_run *r)
{
	struct nn n;
	int ret = prepare(r, &n, true);

	if (ret >= 0 && (ret = masquerade(r, n.netdev, false)) < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot stop masquerading %s", n.netdev);
	if (ret >= 0 && n.has_state)
		ret = forget(r, &n);
	xnh_unlock(n.lock);
	return ret;
}

static const struct xnh_cmd cmds[] = {
	{ "start", nn_start, 0 },
	{ "stop", nn_stop, 0 },
	{ "status", nn_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "network-nat",
	.flags = 0,
	.usage = "start|stop|status [netdev=DEV] [dhcp=yes|no] [antispoof=yes|no] [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
