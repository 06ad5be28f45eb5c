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

/* ip_forward, counted with network-route's use (forward.c); a stale count
 * is logged as it is forgotten. */
static int nn_forward(bool on)
{
	char why[160];
	int ret = on ? xnh_forward_take("network-nat", why, sizeof(why)) :
		       xnh_forward_release("network-nat", why, sizeof(why));

	if (why[0])
		xnh_log(LOG_WARNING, "%s", why);
	return ret;
}

static int save(struct xnh_run *r, struct nn *n);

/* The record is held against the kernel before it is trusted. One of an
 * earlier boot describes no masquerade and no ip_forward of this one: its
 * uplinks and the value it kept are forgotten (the ISC subnet it added to
 * dhcpd.conf outlives a reboot: stop still removes it). An uplink that is
 * gone is forgotten, its element of @nat_uplinks removed. Each is logged. */
static int heal(struct xnh_run *r, struct nn *n)
{
	struct xnh_link l;
	size_t i = 0, before = n->s.n;

	if (xnh_boot_other(n->s.boot)) {
		xnh_log(LOG_WARNING, "forgetting network-nat's record %s/%s of an earlier boot"
			" (%zu uplink%s%s%s)", xnh_state_dir(), NN_STATE, n->s.n,
			n->s.n == 1 ? "" : "s", n->s.n ? ": " : "", n->s.n ? n->s.uplink[0] : "");
		n->s.n = 0;
		n->s.has_forward = false;
		n->has_state = n->s.subnet;
		return n->s.subnet ? save(r, n) : xnh_state_remove(NN_STATE);
	}
	while (i < n->s.n) {
		if (xnh_link_get(&r->nl, n->s.uplink[i], &l) != -ENODEV) {
			i++;
			continue;
		}
		xnh_log(LOG_WARNING, "forgetting uplink %s of network-nat's record %s/%s (%s is"
			" gone)", n->s.uplink[i], xnh_state_dir(), NN_STATE, n->s.uplink[i]);
		masquerade(r, n->s.uplink[i], false);
		xnh_natnet_drop(&n->s, i);
	}
	return n->s.n == before ? 0 : save(r, n);
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
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read state %s/%s (after a `nft"
					  " list set inet xen nat_uplinks` shows what it held,"
					  " remove it)", xnh_state_dir(), NN_STATE);
	ret = n->has_state ? heal(r, n) : 0;
	if (ret < 0)
		return ret;
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

	if (i >= 0)
		xnh_natnet_drop(&n->s, (size_t)i);
	if (n->s.n)
		return save(r, n);
	if (n->s.subnet && (ret = xnh_dhcp_net_stop(&n->dc)) < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot remove the DHCP subnet from %s",
				   n->dc.failed);
	/* ip_forward is shared with network-route: the last stop puts it
	 * back; a record of an older xnet kept the value itself */
	fwd = nn_forward(false);
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
	ret = nn_forward(true);
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
