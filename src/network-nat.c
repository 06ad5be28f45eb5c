/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-nat: IPv4 forwarding and masquerading for NAT guests (start|stop|status). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xnethelper.h"

#define STATE	"network-nat"	/* the state file, and the lock of its edits */
#define FORWARD	"net/ipv4/ip_forward"

struct nn {
	char netdev[XNH_IFNAMSIZ];
	struct xnh_natnet s;		/* what earlier starts did */
	bool has_state;
	bool added;			/* this start added netdev */
	struct xnh_dhcp_conf dc;
	int lock;
};

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
static int pick_netdev(struct xnh_run *r, struct nn *n, bool stop)
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
		return xnh_ctx_fail(&r->ctx, ret, "cannot find the default route's device: %s",
				    strerror(-ret));
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
	ret = xnh_lock(STATE, &n->lock);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot lock %s/%s: %s", xnh_state_dir(),
				    STATE, strerror(-ret));
	ret = xnh_natnet_load(STATE, &n->s);
	n->has_state = ret >= 0;
	if (ret == -ENOENT)
		memset(&n->s, 0, sizeof(n->s));
	else if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot read state %s/%s: %s",
				    xnh_state_dir(), STATE, strerror(-ret));
	return pick_netdev(r, n, stop);
}

static int save(struct xnh_run *r, struct nn *n)
{
	int ret = xnh_natnet_save(STATE, &n->s);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot save state %s/%s: %s",
				    xnh_state_dir(), STATE, strerror(-ret));
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
		xnh_ctx_fail(&r->ctx, ret, "cannot remove the DHCP subnet from %s: %s",
			     n->dc.failed, strerror(-ret));
	/* ip_forward is shared with network-route: the last stop puts it
	 * back; a record of an older xnet kept the value itself */
	fwd = xnh_forward_release("network-nat");
	if (fwd == -ENOENT)
		fwd = n->s.has_forward ? xnh_sysctl_write(FORWARD, n->s.forward ? "1" : "0") : 0;
	if (fwd >= 0)
		fwd = xnh_state_remove(STATE);
	if (fwd < 0)
		return xnh_ctx_fail(&r->ctx, fwd, "cannot restore ip_forward: %s", strerror(-fwd));
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
		xnh_ctx_fail(&r->ctx, ret, "cannot enable ip_forward: %s", strerror(-ret));
	if (ret >= 0 && (ret = masquerade(r, n.netdev, true)) < 0)
		xnh_ctx_fail(&r->ctx, ret, "cannot masquerade %s: %s", n.netdev, strerror(-ret));
	if (ret >= 0 && dhcp && (ret = xnh_dhcp_net_start(&n.dc, dhcp)) < 0)
		xnh_ctx_fail(&r->ctx, ret, "cannot set up DHCP in %s: %s", n.dc.failed,
			     strerror(-ret));
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
		xnh_ctx_fail(&r->ctx, ret, "cannot stop masquerading %s: %s", n.netdev,
			     strerror(-ret));
	if (ret >= 0 && n.has_state)
		ret = forget(r, &n);
	xnh_unlock(n.lock);
	return ret;
}

/* The DHCP set-up start makes for the servers in use. */
static void check_dhcp(struct xnh_run *r, struct xnh_status *s, const struct xnh_dhcp_conf *dc)
{
	const char *d = r->ctx.val[XNH_K_DHCP], *path;
	unsigned int b = xnh_dhcp_backends(dc, d ? xnh_ctx_bool(&r->ctx, XNH_K_DHCP, false) : -1);

	if (!b)
		xnh_status_check(s, XNH_OK, NULL, "no DHCP server is in use (dhcp=no, or no"
				 " dhcpd.conf or dnsmasq hostsfile)");
	if (b & XNH_DHCP_ISC) {
		int ret = xnh_dhcp_has(dc, XNH_DHCP_ISC_SUBNET, NULL, &path);

		xnh_status_check(s, ret > 0 ? XNH_OK : XNH_FAIL, "network-nat start dhcp=yes",
				 "subnet 10.0.0.0 netmask 255.255.0.0 is declared in %s", path);
	}
	if (b & XNH_DHCP_DNSMASQ)
		xnh_status_check(s, access(dc->dnsmasq_hosts, F_OK) ? XNH_FAIL : XNH_OK,
				 "network-nat start dhcp=yes", "dnsmasq's hostsfile %s exists",
				 dc->dnsmasq_hosts);
}

/* "vif-nat.<domid>.<devid>": the guest's vif must still be there, else
 * its record was left behind (offline never ran). */
static void check_guest(struct xnh_run *r, struct xnh_status *s, const char *name)
{
	char addr[INET_ADDRSTRLEN], router[INET_ADDRSTRLEN], fix[160];
	unsigned int domid, devid;
	struct xnh_natvif v;
	struct xnh_link l;

	if (xnh_natvif_load(name, &v) < 0 || sscanf(name, "vif-nat.%u.%u", &domid, &devid) != 2)
		return;
	inet_ntop(AF_INET, &v.guest[0], addr, sizeof(addr));
	inet_ntop(AF_INET, &v.router, router, sizeof(router));
	snprintf(fix, sizeof(fix), "vif-nat offline vif=%s XENBUS_PATH=backend/vif/%u/%u (it"
		 " removes the record)", v.dev, domid, devid);
	xnh_status_check(s, xnh_link_get(&r->nl, v.dev, &l) == 0 && l.ifindex == v.ifindex ?
			 XNH_OK : XNH_WARN, fix, "%s of NAT guest %s (router %s) exists", v.dev,
			 addr, router);
}

static void check_guests(struct xnh_run *r, struct xnh_status *s)
{
	DIR *d = opendir(xnh_state_dir());
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "vif-nat.", 8) && !strstr(e->d_name, ".xnet-"))
			check_guest(r, s, e->d_name);
	if (d)
		closedir(d);
}

/* The uplinks to look at: netdev=, else those start recorded, else the
 * default route's device. Reads only: no lock, nothing created. */
static int status_uplinks(struct xnh_run *r, struct nn *n)
{
	int ret = xnh_dhcp_conf_load(&n->dc);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "invalid %s (environment)", n->dc.failed);
	ret = xnh_natnet_load(STATE, &n->s);
	n->has_state = ret >= 0;
	if (!n->has_state)
		memset(&n->s, 0, sizeof(n->s));
	if (!r->ctx.val[XNH_K_NETDEV] && n->s.n)
		return 0;
	ret = pick_netdev(r, n, false);
	n->s.n = 1;
	memcpy(n->s.uplink[0], n->netdev, sizeof(n->netdev));
	return ret;
}

/* Forwarding, the masquerade of each uplink, DHCP, whether start has run,
 * the guests vif-nat set up; 1 when a check failed. */
static int nn_status(struct xnh_run *r)
{
	struct xnh_sysctl_check c = { .what = "IPv4 forwarding is on", .want = "1",
				      .path = FORWARD, .bad = XNH_FAIL, .by = "network-nat start" };
	struct xnh_status s;
	struct xnh_link l;
	char path[256];
	size_t i;
	struct nn n;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	if (status_uplinks(r, &n) < 0) {
		xnh_status_check(&s, XNH_FAIL, "correct it", "%s", r->ctx.err);
		return xnh_status_end(&s);
	}
	xnh_check_sysctl(&s, &c);
	for (i = 0; i < n.s.n; i++) {
		xnh_status_check(&s, xnh_link_get(&r->nl, n.s.uplink[i], &l) ? XNH_FAIL : XNH_OK,
				 "name the uplink with netdev=", "uplink %s exists", n.s.uplink[i]);
		xnh_fw_nat_status(&s, n.s.uplink[i]);
	}
	check_dhcp(r, &s, &n.dc);
	xnh_state_path(STATE, path, sizeof(path));
	xnh_status_check(&s, n.has_state ? XNH_OK : XNH_WARN, "network-nat start (it keeps"
			 " ip_forward as it finds it, for stop)", "network-nat start has run (%s"
			 " record %s)", n.has_state ? "its" : "no", path);
	check_guests(r, &s);
	return xnh_status_end(&s);
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
