/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-route-status.c: vif-route status: the seed's routed-network troubleshooting, as checks. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/text/text.h"
#include "lib/sys/sys.h"
#include "lib/net/net.h"
#include "lib/fw/fw.h"
#include "vif-route.h"

#define LAN_MAX		8	/* the uplink's IPv4 networks looked at */

/* The uplink as the guest's routes need it. */
struct uplink {
	struct xnh_link l;
	bool found, has_main;		/* main_ip is still one of its addresses */
	struct xnh_inet net[LAN_MAX];	/* its IPv4 addresses, with their prefix */
	size_t nnet;
	struct xnh_inet v6, gw;		/* its first global IPv6 address; the LAN gateway */
	bool has_v6, has_gw;
	struct in_addr main_ip;
};

/* What must be in place: what online recorded, else (no record, or no
 * XENBUS_PATH) what an online would add now. */
static int expect(struct xnh_run *r, struct xnh_status *s, struct plan *p)
{
	char path[256], fix[200];
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	vr_names(&r->ctx, p);
	if (r->st.xs) {
		ret = xnh_vifstate_load(p->name, &p->s);
		xnh_state_path(p->name, path, sizeof(path));
		xnh_check_fix_online(r, fix, sizeof(fix));
		xnh_status_check(s, ret == 0 ? XNH_OK : XNH_FAIL, fix,
				 "vif-route online recorded what it added (%s)", path);
		for (i = 0; ret == 0 && i < p->s.routes.n; i++) {
			p->v6 |= p->s.routes.e[i].family == AF_INET6;
			p->v4 |= p->s.routes.e[i].family == AF_INET;
		}
		if (p->s.has_addr)
			xnh_inet_format(&p->s.addr, false, r->ctx.main_ip, sizeof(r->ctx.main_ip));
		if (ret == 0 && (p->s.has_addr || !p->v4))
			return 0;
		memset(&p->s, 0, sizeof(p->s));
		p->v4 = p->v6 = false;
		vr_names(&r->ctx, p);
	}
	ret = vr_plan_entries(r, p);
	if (ret >= 0)
		ret = vr_main_ip(r, p);
	if (ret < 0)
		xnh_status_check(s, XNH_FAIL, "give the uplink an IPv4 address, name it with"
				 " netdev=, or correct ip", "%s", r->ctx.err);
	return ret;
}

static void check_vif(struct xnh_run *r, struct xnh_status *s, struct plan *p,
		      const struct xnh_link *vif)
{
	struct xnh_sysctl_check c = { .want = "1", .bad = XNH_FAIL };
	char fix[64], what[96];
	struct xnh_route rt;
	size_t i;

	snprintf(fix, sizeof(fix), "ip link set dev %s up", vif->name);
	xnh_status_check(s, xnh_link_is_up(vif) ? XNH_OK : XNH_FAIL, fix, "%s is up", vif->name);
	snprintf(what, sizeof(what), " (main_ip, %s's address)", p->s.netdev);
	if (p->s.has_addr)
		xnh_check_addr(r, s, vif, &p->s.addr, what);
	snprintf(what, sizeof(what), "proxy ARP is on for %s (the guest's gateway is"
		 " answered)", vif->name);
	c.what = what;
	xnh_check_dev_sysctl(s, &c, "ipv4", vif->name, "proxy_arp", true);
	if (p->v6) {
		snprintf(what, sizeof(what), "IPv6 is enabled on %s", vif->name);
		c.want = "0";
		xnh_check_dev_sysctl(s, &c, "ipv6", vif->name, "disable_ipv6", false);
	}
	p->s.ifindex = vif->ifindex;
	for (i = 0; i < p->s.routes.n; i++) {
		xnh_vifstate_route(&p->s, i, &rt);
		xnh_check_route(r, s, vif->name, &rt);
	}
}

static int uplink_addr(const struct xnh_addr *a, void *arg)
{
	struct uplink *u = arg;

	if (a->local.family == AF_INET) {
		u->has_main |= a->local.a.v4.s_addr == u->main_ip.s_addr;
		if (u->nnet < LAN_MAX)
			u->net[u->nnet++] = a->local;
	} else if (!u->has_v6 && a->scope == RT_SCOPE_UNIVERSE) {
		u->v6 = a->local;
		u->has_v6 = true;
	}
	return 0;
}

static int uplink_gw(const struct xnh_route *rt, void *arg)
{
	struct uplink *u = arg;

	if (!rt->dst.prefix && rt->has_gw && rt->table == RT_TABLE_MAIN && !u->has_gw) {
		u->gw = rt->gw;
		u->has_gw = true;
	}
	return 0;
}

static void look_uplink(struct xnh_run *r, const struct plan *p, struct uplink *u)
{
	memset(u, 0, sizeof(*u));
	u->main_ip = p->s.addr.a.v4;
	u->found = xnh_link_get(&r->nl, p->s.netdev, &u->l) == 0;
	if (!u->found)
		return;
	xnh_addr_foreach(&r->nl, u->l.ifindex, AF_UNSPEC, uplink_addr, u);
	xnh_route_foreach(&r->nl, AF_INET, u->l.ifindex, uplink_gw, u);
}

/* Is @e on the uplink's LAN? Then the LAN finds it by proxy ARP. */
static bool on_lan(const struct uplink *u, const struct xnh_inet *e)
{
	size_t i;

	for (i = 0; i < u->nnet; i++)
		if (xnh_inet_in(&u->net[i], e))
			return true;
	return false;
}

static void check_uplink(struct xnh_run *r, struct xnh_status *s, const struct plan *p,
			 const struct uplink *u)
{
	const char *nd = p->s.netdev;
	char fix[200], a[64];
	size_t i;
	int has;

	xnh_status_check(s, u->found ? XNH_OK : XNH_FAIL, "bring it back, or name the uplink"
			 " with netdev= and run vif-route online again", "uplink %s exists", nd);
	if (!u->found)
		return;
	xnh_check_fix_online(r, fix, sizeof(fix));
	if (p->s.has_addr)
		xnh_status_check(s, u->has_main ? XNH_OK : XNH_FAIL, fix, "%s still has %s"
				 " (main_ip, which %s holds)", nd, r->ctx.main_ip, r->ctx.dev);
	for (i = 0; i < p->s.proxies.n; i++) {
		xnh_inet_format(&p->s.proxies.e[i], false, a, sizeof(a));
		has = xnh_neigh_proxy_has(&r->nl, u->l.ifindex, &p->s.proxies.e[i]);
		snprintf(fix, sizeof(fix), "ip -6 neigh add proxy %s dev %s", a, nd);
		xnh_status_check(s, has > 0 ? XNH_OK : XNH_FAIL, fix, "%s answers for %s (proxy"
				 " NDP)", nd, a);
	}
}

/* network-route's settings, as far as this guest needs them. proxy_arp on
 * the uplink is needed when a guest's address is on the LAN (the LAN finds
 * it by ARP): a failure then; else the LAN routes the guest to dom0 (seed
 * step 5), and it is advice. */
static void check_host(struct xnh_status *s, const struct plan *p, const struct uplink *u)
{
	struct xnh_sysctl_check c = { .want = "1", .bad = XNH_FAIL, .by = "network-route start" };
	char what[96];
	bool lan = false;
	size_t i;

	c.what = "IPv4 forwarding is on";
	c.path = "net/ipv4/ip_forward";
	xnh_check_sysctl(s, &c);
	if (p->v6) {
		c.what = "IPv6 forwarding is on";
		c.path = "net/ipv6/conf/all/forwarding";
		xnh_check_sysctl(s, &c);
	}
	if (!u->found)
		return;
	for (i = 0; i < p->s.routes.n; i++)
		lan |= p->s.routes.e[i].family == AF_INET && on_lan(u, &p->s.routes.e[i]);
	snprintf(what, sizeof(what), "proxy ARP is on for %s (%s)", p->s.netdev,
		 lan ? "a guest address is on its LAN" : "needed only for guests on its LAN");
	c.what = what;
	c.bad = lan ? XNH_FAIL : XNH_WARN;
	xnh_check_dev_sysctl(s, &c, "ipv4", p->s.netdev, "proxy_arp", true);
	if (p->s.proxies.n) {
		snprintf(what, sizeof(what), "proxy NDP is on for %s", p->s.netdev);
		c.bad = XNH_FAIL;
		xnh_check_dev_sysctl(s, &c, "ipv6", p->s.netdev, "proxy_ndp", true);
	}
}

/* "route add -host 10.0.0.1 gw 192.168.0.3", or -net with its netmask. */
static void route_cmd(const struct xnh_inet *e, const char *via, char *buf, size_t len)
{
	struct in_addr mask = { htonl(e->prefix ? ~0u << (32 - e->prefix) : 0) };
	char a[64], m[INET_ADDRSTRLEN];

	xnh_inet_format(e, e->family == AF_INET6, a, sizeof(a));
	inet_ntop(AF_INET, &mask, m, sizeof(m));
	if (e->family == AF_INET6)
		snprintf(buf, len, "ip -6 route add %s via %s", a, via);
	else if (e->prefix == 32)
		snprintf(buf, len, "route add -host %s gw %s", a, via);
	else
		snprintf(buf, len, "route add -net %s netmask %s gw %s", a, m, via);
}

/* Seed step 5: the LAN's gateway must route the guest's addresses to dom0
 * (IPv6 addresses are found by proxy NDP; networks need a route too). */
static void remind(struct xnh_status *s, const struct plan *p, const struct uplink *u)
{
	char gw[64] = "the LAN's gateway", via[64], dst[64], cmd[200], fix[300];
	const struct xnh_inet *e;
	bool net;
	size_t i;

	if (u->has_gw)
		xnh_inet_format(&u->gw, false, gw, sizeof(gw));
	for (i = 0; i < p->s.routes.n; i++) {
		e = &p->s.routes.e[i];
		if (e->family == AF_INET ? on_lan(u, e) : e->prefix == 128)
			continue;
		if (e->family == AF_INET6 && !u->has_v6)
			snprintf(via, sizeof(via), "this host's address on %s", p->s.netdev);
		else
			xnh_inet_format(e->family == AF_INET ? &p->s.addr : &u->v6, false, via,
					sizeof(via));
		net = e->prefix != (e->family == AF_INET ? 32 : 128);
		xnh_inet_format(e, net, dst, sizeof(dst));
		route_cmd(e, via, cmd, sizeof(cmd));
		snprintf(fix, sizeof(fix), "on %s: %s (seed step 5)", gw, cmd);
		xnh_status_check(s, XNH_WARN, fix, "the LAN's gateway%s%s routes %s to %s (dom0"
				 " cannot check it)", u->has_gw ? " " : "", u->has_gw ? gw : "",
				 dst, via);
	}
}

/* Each thing the seed guide's troubleshooting for the two-way routed
 * network compares by eye, one line each; 1 when one failed. */
int vr_status(struct xnh_run *r)
{
	struct xnh_status s;
	struct xnh_link vif;
	struct uplink u = { .found = false };
	struct plan p;
	int ret, known;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	known = expect(r, &s, &p) >= 0;
	ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);
	xnh_status_check(&s, ret == 0 ? XNH_OK : XNH_FAIL, "is the guest running? (xl list)",
			 "%s exists", r->ctx.dev);
	if (known && ret == 0)
		check_vif(r, &s, &p, &vif);
	if (known) {
		look_uplink(r, &p, &u);
		check_uplink(r, &s, &p, &u);
		check_host(&s, &p, &u);
	}
	xnh_fw_vif_status(r, &s, XNH_FW_INET, false, NULL);
	xnh_check_others(&s, &(struct xnh_others){ .vif = r->ctx.dev,
			 .families = xnh_others_families(&r->ctx.ip) });
	xnh_check_hotplug(r, &s);
	if (known && u.found)
		remind(&s, &p, &u);
	return xnh_status_end(&s);
}
