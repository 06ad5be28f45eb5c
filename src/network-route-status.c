/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-route-status.c: the settings network-route start makes, checked against the host. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/sys/sys.h"
#include "lib/foreign/foreign.h"
#include "network-route.h"

/* One setting's line: start's value, or for accept_ra any but the one it
 * changes; proxy_arp and proxy_ndp are on too when conf/all has them. */
static void check_setting(struct xnh_status *s, const struct setting *st, const char *dev,
			  const struct value *v)
{
	struct xnh_sysctl_check c = { .want = st->want, .bad = XNH_FAIL,
				      .by = "network-route start", .path = v->path };
	char what[128], all[XNH_SAVED_KEY], fix[200];
	bool per_netdev = st->dev && !*st->dev;

	snprintf(what, sizeof(what), "%s%s%s%s", st->what, per_netdev ? " " : "",
		 per_netdev ? dev : "", st->tail);
	c.what = what;
	if (!st->only_from) {
		if (per_netdev && !strncmp(st->name, "proxy_", 6)) {
			snprintf(all, sizeof(all), "net/%s/conf/all/%s", st->family, st->name);
			c.all = all;
		}
		xnh_check_sysctl(s, &c);
		return;
	}
	snprintf(fix, sizeof(fix), "%s, or echo %s > /proc/sys/%.*s", c.by, st->want,
		 (int)sizeof(v->path), v->path);
	xnh_status_check(s, nr_wanted(st, v->val) ? XNH_OK : XNH_FAIL, fix, "%s (%s = %s)", what,
			 v->path, v->val);
}

/* The uplink's address is vif-route's main_ip: it must have one. */
static void check_uplink(struct xnh_run *r, struct xnh_status *s, const struct xnh_link *nd)
{
	char ip[INET_ADDRSTRLEN] = "none", fix[160];
	struct in_addr a;
	int ret = xnh_addr_first_v4(&r->nl, nd->ifindex, &a);

	if (ret == 0)
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(fix, sizeof(fix), "ip addr add ADDRESS/PREFIX dev %s, or name another uplink"
		 " with netdev=", nd->name);
	xnh_status_check(s, ret == 0 ? XNH_OK : XNH_FAIL, fix, "%s has an IPv4 address"
			 " (vif-route's main_ip: %s)", nd->name, ip);
}

/* Whether start's record is there: advice only, for the settings are what
 * the guests need; without it, stop has nothing to put back. */
static void check_started(struct xnh_status *s)
{
	struct xnh_saved sv;
	char path[256];

	xnh_state_path(NR_STATE, path, sizeof(path));
	if (xnh_saved_load(NR_STATE, &sv) == 0)
		xnh_status_check(s, XNH_OK, NULL, "network-route start has run (%zu values kept"
				 " in %s)", sv.n, path);
	else
		xnh_status_check(s, XNH_WARN, "network-route start (it keeps the values it finds,"
				 " for stop)", "network-route start has run (no record %s)", path);
}

/* The uplink, each setting start makes, whether start has run; 1 when a
 * check failed. Reads only. */
/* `network-route status`: each check one line, a fix for each failure. */
int nr_status(struct xnh_run *r)
{
	struct value v[NR_NSETTINGS];
	struct xnh_status s;
	struct xnh_link nd;
	bool v6 = true;
	size_t i;
	int ret;

	memset(v, 0, sizeof(v));
	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	ret = nr_find_netdev(r, &nd);
	if (ret >= 0)
		ret = nr_read_all(r, nd.name, v);
	if (ret < 0) {
		xnh_status_check(&s, XNH_FAIL, "name the uplink with netdev=", "%s", r->ctx.err);
		return xnh_status_end(&s);
	}
	xnh_status_check(&s, XNH_OK, NULL, "uplink %s exists", nd.name);
	check_uplink(r, &s, &nd);
	for (i = 0; i < NR_NSETTINGS; i++) {
		if (v[i].val[0])
			check_setting(&s, &nr_settings[i], nd.name, &v[i]);
		else
			v6 = false;
	}
	if (!v6)
		xnh_status_check(&s, XNH_OK, NULL, "no IPv6 in this kernel: its settings do not"
				 " apply");
	check_started(&s);
	xnh_check_others(&s, &(struct xnh_others){ .uplink = nd.name,
			 .families = XNF_IPV4 | XNF_IPV6 });
	return xnh_status_end(&s);
}
