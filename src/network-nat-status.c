/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-nat-status.c: what network-nat start set up, checked against the host. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/sys/sys.h"
#include "lib/net/net.h"
#include "lib/fw/fw.h"
#include "lib/foreign/foreign.h"
#include "network-nat.h"

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
	ret = xnh_natnet_load(NN_STATE, &n->s);
	n->has_state = ret >= 0;
	if (!n->has_state)
		memset(&n->s, 0, sizeof(n->s));
	if (!r->ctx.val[XNH_K_NETDEV] && n->s.n)
		return 0;
	ret = nn_pick_netdev(r, n, false);
	n->s.n = 1;
	memcpy(n->s.uplink[0], n->netdev, sizeof(n->netdev));
	return ret;
}

/* Forwarding, the masquerade of each uplink, DHCP, whether start has run,
 * the guests vif-nat set up; 1 when a check failed. */
/* `network-nat status`: each check one line, a fix for each failure. */
int nn_status(struct xnh_run *r)
{
	struct xnh_sysctl_check c = { .what = "IPv4 forwarding is on", .want = "1",
				      .path = NN_FORWARD, .bad = XNH_FAIL, .by = "network-nat start" };
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
	xnh_state_path(NN_STATE, path, sizeof(path));
	xnh_status_check(&s, n.has_state ? XNH_OK : XNH_WARN, "network-nat start (it keeps"
			 " ip_forward as it finds it, for stop)", "network-nat start has run (%s"
			 " record %s)", n.has_state ? "its" : "no", path);
	check_guests(r, &s);
	xnh_check_others(&s, &(struct xnh_others){ .uplink = n.s.n == 1 ? n.s.uplink[0] : NULL,
			 .families = XNF_IPV4 });
	return xnh_status_end(&s);
}
