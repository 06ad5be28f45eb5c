/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-route: route a guest's IPv4 and IPv6 addresses through dom0 to its vif. */
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

/* How much of a plan is in place: what a rollback removes. */
struct done {
	struct xnh_vifstate_done v;
	bool guard;
};

/* The state's name (and its sibling's), and the metric of the routes. */
void vr_names(const struct xnh_ctx *c, struct plan *p)
{
	bool tap = c->type_if == XNH_TYPE_TAP;

	snprintf(p->name, sizeof(p->name), "vif-route.%u.%u.%s", c->domid, c->devid,
		 tap ? "tap" : "vif");
	snprintf(p->sibling, sizeof(p->sibling), "vif-route.%u.%u.%s", c->domid, c->devid,
		 tap ? "vif" : "tap");
	p->s.metric = tap ? METRIC_TAP : METRIC_VIF;
}

/* netdev, and main_ip: its first primary IPv4 address, which IPv4 guests
 * need (their routes' source, the vif's address); a guest with IPv6
 * entries only needs none, so an IPv6-only host serves it. Call after
 * vr_plan_entries(). */
int vr_main_ip(struct xnh_run *r, struct plan *p)
{
	struct xnh_link nd;
	int ret = xnh_netdev_get(&r->nl, r->ctx.val[XNH_K_NETDEV], &nd);

	if (ret == -ENODEV)
		return xnh_ctx_fail(&r->ctx, ret, "netdev %s does not exist (name the uplink"
				    " with netdev=)", nd.name);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot find the uplink");
	snprintf(p->s.netdev, sizeof(p->s.netdev), "%s", nd.name);
	if (!p->v4 && p->s.routes.n)
		return 0;
	ret = xnh_addr_first_v4(&r->nl, nd.ifindex, &p->s.addr.a.v4);
	if (ret == -EADDRNOTAVAIL)
		return xnh_ctx_fail(&r->ctx, ret, "netdev %s has no IPv4 address: give it one,"
				    " or name another interface with netdev=", nd.name);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read the addresses of %s", nd.name);
	p->s.addr.family = AF_INET;
	p->s.addr.prefix = 32;
	p->s.addr.has_prefix = true;
	p->s.has_addr = true;
	xnh_inet_format(&p->s.addr, false, r->ctx.main_ip, sizeof(r->ctx.main_ip));
	return 0;
}

/* The rule for `ip` entries: an address is routed alone (/32, /128); an
 * entry with a prefix routes the network it names (10.0.1.0/24 for a guest
 * that routes it), as the old script did. An address with a netmask
 * (10.0.0.1/24) is refused: routing 10.0.0.0/24 to one guest would take
 * the other guests' addresses, and their gateway, from them. Each IPv6
 * address (/128) also gets a proxy NDP entry on netdev, so that the LAN
 * finds it; a network cannot be proxied, the LAN must route it to dom0. */
int vr_plan_entries(struct xnh_run *r, struct plan *p)
{
	const struct xnh_iplist *ip = &r->ctx.ip;
	const struct xnh_inet *e;
	char q[64];
	size_t i;

	for (i = 0; i < ip->n; i++) {
		e = &ip->e[i];
		xnh_inet_format(e, e->has_prefix, q, sizeof(q));
		if (xnh_inet_host_bits(e))
			return xnh_ctx_fail(&r->ctx, -EINVAL, "ip entry '%s' is an address with a"
					    " netmask: give the address alone, or the network"
					    " address to route a network", q);
		if (e->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&e->a.v6))
			return xnh_ctx_fail(&r->ctx, -EINVAL, "ip entry '%s' is link-local:"
					    " it cannot be routed", q);
		p->s.routes.e[p->s.routes.n++] = *e;
		if (e->family == AF_INET6 && e->prefix == 128)
			p->s.proxies.e[p->s.proxies.n++] = *e;
		p->v6 |= e->family == AF_INET6;
		p->v4 |= e->family == AF_INET;
	}
	return 0;
}

struct guest_dev {
	struct xnh_run *r;
	int ifindex;
};

/* The guest's own devices: its vif, and the other half of the same NIC
 * (vifD.N and vifD.N-emu, or either renamed with this NIC's mark). */
static bool ours(int oif, void *arg)
{
	const struct guest_dev *g = arg;
	const struct xnh_ctx *c = &g->r->ctx;
	struct xnh_link l;
	char vif[32], tap[40], mark[64];

	if (oif == g->ifindex)
		return true;
	if (xnh_link_get_index(&g->r->nl, oif, &l) < 0)
		return false;
	snprintf(vif, sizeof(vif), "vif%u.%u", c->domid, c->devid);
	snprintf(tap, sizeof(tap), "vif%u.%u-emu", c->domid, c->devid);
	snprintf(mark, sizeof(mark), "xen backend/vif/%u/%u", c->domid, c->devid);
	return !strcmp(l.name, vif) || !strcmp(l.name, tap) || !strcmp(l.alias, mark);
}

/* An entry that would take someone else's traffic is refused before
 * anything changes: dom0's address, the default gateway, an address
 * routed through another guest's device (at any metric: an HVM tap's
 * metric 1 route would win over another domain's vif), or a network that
 * holds any of these or another device's network (the LAN's own prefix
 * at metric 2 would beat the connected route). A host entry costs two
 * lookups, whatever the number of guests. */
static int check_taken(struct xnh_run *r, const struct plan *p)
{
	struct guest_dev g = { r, p->s.ifindex };
	struct xnh_claim c;
	char why[256];
	size_t i;
	int ret;

	for (i = 0; i < p->s.routes.n; i++) {
		ret = xnh_claim_check(&r->nl, &p->s.routes.e[i], ours, &g, &c);
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "cannot look up the routes");
		if (ret > 0) {
			xnh_claim_describe(&r->nl, &p->s.routes.e[i], &c, why, sizeof(why));
			return xnh_ctx_fail(&r->ctx, -EEXIST, "%s", why);
		}
	}
	return 0;
}

/* Everything read and checked before the first change. */
static int prepare(struct xnh_run *r, struct plan *p)
{
	struct xnh_link vif;
	char v[16];
	int ret;

	vr_names(&r->ctx, p);
	ret = vr_plan_entries(r, p);
	if (ret >= 0)
		ret = vr_main_ip(r, p);
	if (ret < 0)
		return ret;
	if (p->v6 && xnh_sysctl_read("net/ipv6/conf/all/disable_ipv6", v, sizeof(v)) < 0)
		return xnh_ctx_fail(&r->ctx, -EAFNOSUPPORT, "ip has IPv6 entries, but IPv6 is"
				    " not available in this kernel");
	ret = xnh_vif_find(r, &vif);	/* netback's vif, or ours renamed already */
	if (ret < 0)
		return ret;
	p->s.ifindex = vif.ifindex;
	p->was_up = xnh_link_is_up(&vif);
	return check_taken(r, p);
}

/* Removes what @d says is in place, the guard too, and leaves the vif
 * down (fail closed, even if it was up before); what is gone already is
 * fine. */
static int remove_done(struct xnh_run *r, const struct plan *p, const struct done *d)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	int ret = xnh_vifstate_undo(&r->nl, &p->s, &d->v, p->sibling), one;

	req.ifindex = p->s.ifindex;
	req.name = p->s.dev;
	req.up = 0;
	one = xnh_link_apply(&r->nl, &req);
	if (d->guard && xnh_fw_guard(r, XNH_FW_INET, NULL, NULL, false) < 0)
		xnh_log(LOG_WARNING, "%s", r->ctx.err);
	return ret < 0 ? ret : one == -ENODEV ? 0 : one;
}

/* Removes what an earlier online of this NIC recorded (the vif may have
 * gone since, or been re-created), then its state. */
static int forget(struct xnh_run *r, const struct plan *p)
{
	char why[160];
	int ret = xnh_vifstate_forget(&r->nl, p->name, p->sibling, why, sizeof(why));

	if (why[0])
		xnh_log(LOG_WARNING, "forgetting vif-route's record %s/%s: %s", xnh_state_dir(),
			p->name, why);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot undo what online added to %s (state"
					  " %s/%s)", r->ctx.dev, xnh_state_dir(), p->name);
	return 0;
}

/* main_ip/32 on the vif, link up, proxy ARP (the guest's gateway is
 * answered for), IPv6 on when the guest has IPv6 addresses (the vif's
 * link-local address is the guest's IPv6 gateway). */
static int bring_up(struct xnh_run *r, const struct plan *p, struct done *d)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct xnh_addr a = { .ifindex = p->s.ifindex, .local = p->s.addr };
	const char *dev = p->s.dev;
	char path[64], v[16] = "";
	int ret = p->s.has_addr ? xnh_addr_add(&r->nl, dev, &a) : 0;

	d->v.addr = p->s.has_addr && ret >= 0;
	if (ret < 0 && ret != -EEXIST)
		return xnh_ctx_fail_errno(&r->ctx, ret, "add the address of %s to %s", p->s.netdev,
					  dev);
	req.ifindex = p->s.ifindex;
	req.name = dev;
	req.up = 1;
	ret = p->was_up ? 0 : xnh_link_apply(&r->nl, &req);
	if (ret >= 0)
		ret = xnh_sysctl_dev("ipv4", dev, "proxy_arp", "1");
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/disable_ipv6", dev);
	if (ret >= 0 && p->v6 && xnh_sysctl_read(path, v, sizeof(v)) >= 0 && strcmp(v, "0"))
		ret = xnh_sysctl_dev("ipv6", dev, "disable_ipv6", "0");
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "bring %s up", dev);
	return 0;
}

static int add_routes(struct xnh_run *r, const struct plan *p, struct done *d)
{
	struct xnh_route rt;
	char t[64];
	int ret;

	for (d->v.routes = 0; d->v.routes < p->s.routes.n; d->v.routes++) {
		xnh_vifstate_route(&p->s, d->v.routes, &rt);
		ret = xnh_route_add(&r->nl, p->s.dev, &rt);
		xnh_inet_format(&rt.dst, true, t, sizeof(t));
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "route %s through %s", t, p->s.dev);
	}
	return 0;
}

static int add_proxies(struct xnh_run *r, const struct plan *p, struct done *d)
{
	const struct xnh_inet *a = p->s.proxies.e;
	struct xnh_link nd;
	char t[64];
	int ret;

	if (!p->s.proxies.n)
		return 0;
	ret = xnh_link_get(&r->nl, p->s.netdev, &nd);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "look up %s", p->s.netdev);
	for (d->v.proxies = 0; d->v.proxies < p->s.proxies.n; d->v.proxies++) {
		ret = xnh_neigh_proxy_add(&r->nl, p->s.netdev, nd.ifindex, &a[d->v.proxies]);
		xnh_inet_format(&a[d->v.proxies], false, t, sizeof(t));
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "answer for %s on %s", t,
						  p->s.netdev);
	}
	return 0;
}

/* A failure half-way removes what this run added: the host is as it was. */
static int apply(struct xnh_run *r, struct plan *p)
{
	struct done d = { 0 };
	int ret;

	snprintf(p->s.dev, sizeof(p->s.dev), "%s", r->ctx.dev);	/* after the rename */
	ret = xnh_vifstate_save(p->name, &p->s);
	if (ret < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot write state %s/%s", xnh_state_dir(),
				   p->name);
	ret = xnh_step(r, "state", ret);
	/* then the guard: nothing the guest sends is routed before it is in
	 * place (one atomic batch) */
	d.guard = ret >= 0;
	if (ret >= 0)
		ret = xnh_step(r, "guard", xnh_fw_guard(r, XNH_FW_INET, NULL, NULL, true));
	if (ret >= 0)
		ret = xnh_step(r, "up", bring_up(r, p, &d));
	if (ret >= 0)
		ret = xnh_step(r, "routes", add_routes(r, p, &d));
	if (ret >= 0)
		ret = xnh_step(r, "proxies", add_proxies(r, p, &d));
	if (ret < 0) {
		remove_done(r, p, &d);
		xnh_state_remove(p->name);
	}
	return ret;
}

static int vr_down(struct xnh_run *r);

static int vr_up(struct xnh_run *r)
{
	struct plan p;
	int lock = -1, ret;

	memset(&p, 0, sizeof(p));
	/* One run at a time: no other guest takes an address meanwhile, and
	 * a guest's tap and vif read each other's state. */
	ret = xnh_run_lock(r, "vif-route", &lock);
	if (ret >= 0)
		ret = prepare(r, &p);
	/* from the first change on, a failure (here, or reporting connected)
	 * takes back all this NIC's state and the vif down: vr_down(), run by
	 * the driver once the lock is released */
	if (ret >= 0)
		r->undo = vr_down;
	if (ret >= 0)
		ret = forget(r, &p);	/* a previous online of this NIC */
	if (ret >= 0)
		ret = xnh_step(r, "rename", xnh_vif_rename(r));
	if (ret >= 0)
		ret = apply(r, &p);
	xnh_unlock(lock);
	r->at = XNH_AT_ROUTED;
	return ret;
}

/* Routes, address and proxy entries that online added, then the link down
 * (the old script left it up); a vif that netback removed already is fine. */
static int vr_down(struct xnh_run *r)
{
	struct plan p;
	int lock = -1, ret;

	memset(&p, 0, sizeof(p));
	vr_names(&r->ctx, &p);
	ret = xnh_run_lock(r, "vif-route", &lock);
	if (ret >= 0)
		ret = forget(r, &p);
	/* The rest is this vif's alone: other runs need not wait for it (an
	 * nft delete ends by waiting for an RCU grace period). */
	xnh_unlock(lock);
	if (ret >= 0)
		ret = xnh_fw_guard(r, XNH_FW_INET, NULL, NULL, false);
	if (ret >= 0)
		ret = xnh_vif_down(r);
	return ret;
}

static const struct xnh_cmd cmds[] = {
	{ "online", vr_up, 0 },
	{ "add", vr_up, 0 },
	{ "offline", vr_down, 0 },
	{ "remove", vr_down, 0 },
	{ "status", vr_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "vif-route",
	.flags = XNH_PROG_VIF,
	.usage = "online|offline|add|remove|status [type_if=vif|tap] [netdev=DEV] [ip=ADDRS]"
		 " [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
