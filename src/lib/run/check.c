/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check.c: the checks several `status` commands make: a sysctl, an address, a route, xenstore. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "store/store.h"
#include "net/net.h"
#include "run/run.h"

/* The command that sets the vif up again, for a fix: "vif-route online
 * vif=vif1.0 XENBUS_PATH=backend/vif/1/0" (add, for an emulated NIC's tap). */
void xnh_check_fix_online(const struct xnh_run *r, char *buf, size_t len)
{
	const struct xnh_ctx *c = &r->ctx;
	const char *xb = c->xb_path[0] ? c->xb_path : "backend/vif/DOMID/DEVID";

	if (c->type_if == XNH_TYPE_TAP)
		snprintf(buf, len, "%s add type_if=tap INTERFACE=%s XENBUS_PATH=%s", c->prog,
			 c->dev, xb);
	else
		snprintf(buf, len, "%s online vif=%s XENBUS_PATH=%s", c->prog, c->dev, xb);
}

/* One line: "@what (net/ipv4/ip_forward = 0)"; the fix writes @want, after
 * the program whose job it is (@by). A conf/all twin that has @want does
 * as well (the kernel ORs proxy_arp and proxy_ndp with it). */
enum xnh_verdict xnh_check_sysctl(struct xnh_status *s, const struct xnh_sysctl_check *c)
{
	char now[32], all[32] = "", fix[256];
	enum xnh_verdict v = c->bad;
	int r = xnh_sysctl_read(c->path, now, sizeof(now));

	if (r < 0)
		snprintf(now, sizeof(now), "%s", r == -ENOENT ? "missing" : "unreadable");
	if (r >= 0 && !strcmp(now, c->want))
		v = XNH_OK;
	else if (c->all && xnh_sysctl_read(c->all, all, sizeof(all)) >= 0 && !strcmp(all, c->want))
		v = XNH_OK;
	else
		all[0] = '\0';
	snprintf(fix, sizeof(fix), "%s%secho %s > /proc/sys/%s", c->by ? c->by : "",
		 c->by ? ", or " : "", c->want, c->path);
	if (all[0])
		xnh_status_check(s, v, fix, "%s (%s = %s, %s = %s)", c->what, c->path, now, c->all,
				 all);
	else
		xnh_status_check(s, v, fix, "%s (%s = %s)", c->what, c->path, now);
	return v;
}

/* `hotplug-status` is what netback waits for before it connects the guest. */
void xnh_check_hotplug(struct xnh_run *r, struct xnh_status *s)
{
	char *v = NULL, q[64], fix[200];
	int ret;

	if (!r->st.xs) {
		xnh_status_check(s, XNH_WARN, "give XENBUS_PATH=backend/vif/DOMID/DEVID",
				 "xenstore not checked (no XENBUS_PATH)");
		return;
	}
	ret = xnh_store_read_key(&r->st, r->ctx.xb_path, "hotplug-status", &v);
	xnh_quote(ret == 0 ? v : "missing", q, sizeof(q));
	xnh_check_fix_online(r, fix, sizeof(fix));
	xnh_status_check(s, ret == 0 && !strcmp(v, "connected") ? XNH_OK : XNH_FAIL, fix,
			 "%s/hotplug-status is connected (now '%s')", r->ctx.xb_path, q);
	free(v);
}

static bool same_addr(const struct xnh_inet *x, const struct xnh_inet *y)
{
	return x->family == y->family && !memcmp(&x->a, &y->a, xnh_inet_len(x));
}

static int has_addr(const struct xnh_addr *a, void *arg)
{
	const struct xnh_inet *want = arg;

	return same_addr(&a->local, want) && a->local.prefix == want->prefix;
}

/* "@l holds ADDR/PREFIX@why"; the fix adds it. */
enum xnh_verdict xnh_check_addr(struct xnh_run *r, struct xnh_status *s,
				const struct xnh_link *l, const struct xnh_inet *a,
				const char *why)
{
	char text[64], fix[128];
	int ret = xnh_addr_foreach(&r->nl, l->ifindex, a->family, has_addr, (void *)a);
	enum xnh_verdict v = ret == 1 ? XNH_OK : XNH_FAIL;

	xnh_inet_format(a, true, text, sizeof(text));
	snprintf(fix, sizeof(fix), "ip addr add %s dev %s", text, l->name);
	xnh_status_check(s, v, fix, "%s holds %s%s", l->name, text, why ? why : "");
	return v;
}

struct find_route {
	const struct xnh_route *want;
	struct xnh_route other;		/* one to the same destination */
	bool exact, seen;
};

static int match_route(const struct xnh_route *rt, void *arg)
{
	struct find_route *f = arg;
	const struct xnh_route *w = f->want;

	if ((rt->table && rt->table != RT_TABLE_MAIN) || rt->dst.prefix != w->dst.prefix ||
	    !same_addr(&rt->dst, &w->dst))
		return 0;
	if (rt->metric == w->metric && rt->has_src == w->has_src &&
	    (!w->has_src || same_addr(&rt->src, &w->src))) {
		f->exact = true;
		return 1;
	}
	f->other = *rt;
	f->seen = true;
	return 0;
}

/* "route DST dev DEV ... exists", in the main table through @rt->oif with
 * @rt's source and metric; a route there with others is shown. */
enum xnh_verdict xnh_check_route(struct xnh_run *r, struct xnh_status *s, const char *dev,
				 const struct xnh_route *rt)
{
	struct find_route f = { .want = rt };
	char text[200], now[200], fix[220];
	int ret = xnh_route_foreach(&r->nl, rt->dst.family, rt->oif, match_route, &f);

	xnh_route_describe(rt, dev, text, sizeof(text));
	snprintf(fix, sizeof(fix), "ip route replace %s", text);
	if (ret < 0) {
		xnh_status_check(s, XNH_FAIL, fix, "route %s exists (cannot read the routes: %s)",
				 text, strerror(-ret));
		return XNH_FAIL;
	}
	if (f.exact || !f.seen) {
		xnh_status_check(s, f.exact ? XNH_OK : XNH_FAIL, fix, "route %s exists", text);
		return f.exact ? XNH_OK : XNH_FAIL;
	}
	xnh_route_describe(&f.other, dev, now, sizeof(now));
	xnh_status_check(s, XNH_FAIL, fix, "route %s exists (now %s)", text, now);
	return XNH_FAIL;
}

/* The same for net/@family/conf/@dev/@name, and its conf/all twin when
 * @or_all (the kernel ORs proxy_arp and proxy_ndp with it). */
enum xnh_verdict xnh_check_dev_sysctl(struct xnh_status *s, struct xnh_sysctl_check *c,
				      const char *family, const char *dev, const char *name,
				      bool or_all)
{
	char path[96], all[96];
	enum xnh_verdict v;

	snprintf(path, sizeof(path), "net/%s/conf/%s/%s", family, dev, name);
	snprintf(all, sizeof(all), "net/%s/conf/all/%s", family, name);
	c->path = path;
	c->all = or_all ? all : NULL;
	v = xnh_check_sysctl(s, c);
	c->path = c->all = NULL;	/* they were this function's */
	return v;
}
