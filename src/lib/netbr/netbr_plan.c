/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_plan.c: what network-bridge acts on (netdev, names, record), checked before any change. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"
#include "run/run.h"
#include "netbr/netbr.h"

static int pick_default(const struct xnh_route *rt, void *arg)
{
	struct xnh_route *best = arg;

	if (rt->dst.prefix || rt->oif <= 0 || (rt->table && rt->table != RT_TABLE_MAIN) ||
	    (rt->type && rt->type != RTN_UNICAST))
		return 0;
	if (!best->oif || rt->metric < best->metric)
		*best = *rt;
	return 0;
}

/* The device of the default route (IPv4 first), else eth0. */
static int default_dev(struct xnh_run *r, char *name, size_t len)
{
	static const int fam[] = { AF_INET, AF_INET6 };
	struct xnh_route best = { .oif = 0 };
	struct xnh_link l;
	int i, ret;

	for (i = 0; i < 2 && !best.oif; i++) {
		ret = xnh_route_foreach(&r->nl, fam[i], 0, pick_default, &best);
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read the routes");
	}
	if (best.oif && xnh_link_get_index(&r->nl, best.oif, &l) == 0)
		snprintf(name, len, "%s", l.name);
	else
		snprintf(name, len, "eth0");
	return 0;
}

/* A record is held against the kernel before it is trusted: one written
 * in another boot than @boot, or whose bridge is gone (deleted by hand),
 * describes nothing that exists. A journal of a start or stop killed
 * half-way needs no bridge: it says what to put back. Why not, or NULL
 * when it can be. */
static const char *untrusted(struct xnh_run *r, const struct xnh_netbr_state *rec,
			     const char *boot)
{
	struct xnh_link l;

	if (rec->boot[0] && strcmp(rec->boot, boot))
		return "it was written in an earlier boot";
	if (rec->phase != XNH_NETBR_STARTED)
		return NULL;
	if (xnh_link_get(&r->nl, rec->bridge, &l) < 0 || !xnh_link_is_bridge(&l))
		return "its bridge is gone";
	return NULL;
}

/* start's record, when it cannot be trusted: logged and forgotten, never
 * a reason to refuse start or stop. */
static bool stale(struct xnh_run *r, struct xnh_netbr *nb)
{
	const char *why = untrusted(r, &nb->made, nb->st.boot);
	char path[512];

	if (!why)
		return false;
	xnh_log(LOG_NOTICE, "forgetting the record of bridge %s (for %s): %s", nb->made.bridge,
		nb->made.nic, why);
	if (xnh_netbr_state_path(nb->made.bridge, path, sizeof(path)) >= 0 &&
	    !xnh_trace("rm %s", path))
		unlink(path);
	free(nb->record);
	nb->record = NULL;
	memset(&nb->made, 0, sizeof(nb->made));
	return true;
}

/* The record of @bridge, when it can be trusted: a guess at netdev from
 * an older one would name a NIC that may no longer exist (renamed at the
 * reboot). */
static bool fresh_record(struct xnh_run *r, const char *bridge, const char *boot,
			 struct xnh_netbr_state *dr)
{
	return xnh_netbr_state_load(bridge, dr, NULL) == 0 && !untrusted(r, dr, boot);
}

/* The default route is on a bridge that start did not make (an
 * administrator's br0 or xenbr0): there is nothing to do but use it; stop
 * leaves it alone. Asked for another bridge, there is no NIC to give it. */
static int adopt(struct xnh_run *r, struct xnh_netbr *nb, const char *dflt, const char *bridge)
{
	struct xnh_netbr_state *st = &nb->st;

	if (bridge && strcmp(bridge, dflt))
		return xnh_ctx_fail(&r->ctx, -EEXIST, "the default route is on bridge %s, which"
				    " network-bridge did not make: give netdev= the NIC to put under"
				    " %s, or let the guests use %s (bridge=%s)", dflt, bridge, dflt,
				    dflt);
	memset(st, 0, sizeof(*st));
	snprintf(st->bridge, sizeof(st->bridge), "%s", dflt);
	snprintf(r->ctx.dev, sizeof(r->ctx.dev), "%s", dflt);
	nb->adopted = true;
	return 0;
}

/* netdev: as given; else the NIC start put in the bridge given, or in
 * xenbr0 when it was killed half-way (the default route may be gone with
 * it); else the default route's device, or, when that is a bridge start
 * made, its NIC (and that bridge), so that a bare stop undoes a bare
 * start. Then the layout's names and start's record, if any. */
static int resolve(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_ctx *c = &r->ctx;
	const char *netdev = c->val[XNH_K_NETDEV], *bridge = c->val[XNH_K_BRIDGE];
	struct xnh_netbr_state *st = &nb->st, dr;
	char dflt[XNH_IFNAMSIZ], boot[sizeof(st->boot)] = "";
	struct xnh_link l;
	int ret;

	xnh_boot_id(boot, sizeof(boot));
	if (!netdev && fresh_record(r, bridge ? bridge : "xenbr0", boot, &dr) &&
	    (bridge || dr.phase != XNH_NETBR_STARTED))
		netdev = dr.nic;
	if (!netdev) {
		ret = default_dev(r, dflt, sizeof(dflt));
		if (ret < 0)
			return ret;
		netdev = dflt;
		if (xnh_link_get(&r->nl, dflt, &l) == 0 && xnh_link_is_bridge(&l)) {
			if (!fresh_record(r, dflt, boot, &dr))
				return adopt(r, nb, dflt, bridge);
			netdev = dr.nic;
			bridge = bridge ? bridge : dr.bridge;
		}
	}
	if (xnh_netbr_names(netdev, bridge ? bridge : "xenbr0", 0, st) < 0)
		return xnh_ctx_fail(c, -ENAMETOOLONG, "bridge %s takes the name of %s, which would"
				    " become p%s: longer than 15 bytes", netdev, netdev, netdev);
	snprintf(c->dev, sizeof(c->dev), "%s", st->nic);
	st->antispoof = xnh_ctx_bool(c, XNH_K_ANTISPOOF, false);
	memcpy(st->boot, boot, sizeof(st->boot));
	ret = xnh_netbr_state_load(st->bridge, &nb->made, &nb->record);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail_errno(c, ret, "unreadable record of bridge %s in %s", st->bridge,
					  xnh_state_dir());
	if (stale(r, nb))
		return 0;
	if (strcmp(nb->made.nic, st->nic))
		return xnh_ctx_fail(c, -EBUSY, "bridge %s was set up for %s, not %s", st->bridge,
				    nb->made.nic, st->nic);
	return 0;
}

static int look(struct xnh_run *r, struct xnh_netbr *nb)
{
	int ret = xnh_link_get(&r->nl, nb->st.bridge, &nb->br);

	nb->has_br = ret == 0;
	if (ret < 0 && ret != -ENODEV)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot look up %s", nb->st.bridge);
	ret = xnh_link_get(&r->nl, nb->st.port, &nb->nic);
	if (ret < 0)
		nb->nic.ifindex = 0;
	return 0;
}

/* The lock comes first: a bare start resolves netdev from the default
 * route, which a concurrent start is moving to its bridge. */
int xnh_netbr_prepare(struct xnh_run *r, struct xnh_netbr *nb, bool lock)
{
	int ret = 0;

	if (lock) {
		ret = xnh_lock("network-bridge", &nb->lock);
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "cannot lock %s/network-bridge.lock",
						  xnh_state_dir());
	}
	ret = resolve(r, nb);
	return ret < 0 || nb->adopted ? ret : look(r, nb);
}

/* Start's record is the journal of a start or stop killed half-way. */
bool xnh_netbr_interrupted(const struct xnh_netbr *nb)
{
	return nb->record && nb->made.phase != XNH_NETBR_STARTED;
}

/* The record is gone (recovered from): the links are looked up again. */
int xnh_netbr_forget(struct xnh_run *r, struct xnh_netbr *nb)
{
	free(nb->record);
	nb->record = NULL;
	memset(&nb->made, 0, sizeof(nb->made));
	return look(r, nb);
}

/* The bridge is there with the NIC in it. */
bool xnh_netbr_done(const struct xnh_netbr *nb)
{
	return nb->has_br && xnh_link_is_bridge(&nb->br) && nb->nic.ifindex &&
	       nb->nic.master == nb->br.ifindex;
}

static bool is_ether(const struct xnh_link *l)
{
	static const uint8_t zero[6];

	return l->has_mac && !(l->flags & IFF_LOOPBACK) && !(l->mac[0] & 1) &&
	       memcmp(l->mac, zero, 6);
}

bool xnh_netbr_name_taken(struct xnh_run *r, const char *name)
{
	struct xnh_link l;

	return xnh_link_get(&r->nl, name, &l) == 0;
}

static int check_nic(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_ctx *c = &r->ctx;
	const char *nic = nb->st.nic;
	int ret = xnh_link_get(&r->nl, nic, &nb->nic);

	if (ret == -ENODEV)
		return xnh_ctx_fail(c, ret, "no interface %s (give netdev=)", nic);
	if (ret < 0)
		return xnh_ctx_fail_errno(c, ret, "cannot look up %s", nic);
	if (xnh_link_is_bridge(&nb->nic))
		return xnh_ctx_fail(c, -EINVAL, "%s is a bridge, not a NIC", nic);
	if (nb->nic.master)
		return xnh_ctx_fail(c, -EBUSY, "%s is a port of another device already", nic);
	if (!is_ether(&nb->nic))
		return xnh_ctx_fail(c, -EINVAL, "%s is not an Ethernet interface", nic);
	return 0;
}

/* What moves, and room to undo all of it; nothing has changed yet. */
static int plan(struct xnh_run *r, struct xnh_netbr *nb, const struct xnh_link *from,
		const char *to)
{
	const struct xnh_addr *a;
	char text[160];
	int ret = xnh_netbr_collect(&r->nl, from->ifindex, &nb->set);

	if (ret == -EOPNOTSUPP) {
		xnh_route_describe(&nb->set.bad, from->name, text, sizeof(text));
		return xnh_ctx_fail(&r->ctx, ret, "cannot move the multipath route '%s'", text);
	}
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read what %s has", from->name);
	a = xnh_netbr_label_misfit(&nb->set, from->name, to);
	if (a)
		return xnh_ctx_fail(&r->ctx, -ENAMETOOLONG, "address label %s would not fit"
				    " once renamed for %s", a->label, to);
	snprintf(nb->st.tmp, sizeof(nb->st.tmp), "xnb%d", nb->nic.ifindex);
	if (nb->st.renamed && xnh_netbr_name_taken(r, nb->st.tmp))
		return xnh_ctx_fail(&r->ctx, -EEXIST, "the name %s is taken", nb->st.tmp);
	ret = xnh_undo_reserve(&nb->undo, 2 * (nb->set.naddr + nb->set.nroute) + 16);
	return ret < 0 ? xnh_ctx_fail(&r->ctx, ret, "out of memory") : 0;
}

/* Everything start needs checked; 1 when the layout is there already. */
int xnh_netbr_start_check(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	int ret;

	if (nb->adopted) {
		xnh_log(LOG_NOTICE, "the default route is on bridge %s, which network-bridge did"
			" not make: used as it is", st->bridge);
		return 1;
	}
	if (xnh_netbr_done(nb))
		return 1;
	ret = check_nic(r, nb);
	if (ret >= 0 && !st->renamed && nb->has_br)
		ret = xnh_ctx_fail(&r->ctx, -EEXIST, xnh_link_is_bridge(&nb->br) ?
				   "bridge %s exists without %s in it" : "%s exists and is not"
				   " a bridge (it is not %s's)", st->bridge, st->nic);
	if (ret >= 0 && st->renamed && xnh_netbr_name_taken(r, st->port))
		ret = xnh_ctx_fail(&r->ctx, -EEXIST, "cannot rename %s to %s: that name is taken",
				   st->nic, st->port);
	if (ret >= 0)
		ret = plan(r, nb, &nb->nic, st->bridge);
	st->nic_up = xnh_link_is_up(&nb->nic);
	return ret;
}

void xnh_netbr_finish(struct xnh_netbr *nb)
{
	xnh_undo_free(&nb->undo);
	xnh_netbr_set_free(&nb->set);
	free(nb->record);
	if (nb->lock >= 0)
		xnh_unlock(nb->lock);
}

struct others {
	int nic;
	unsigned int n;
	char names[160];
};

static int other_port(const struct xnh_link *l, void *arg)
{
	struct others *o = arg;
	size_t len = strlen(o->names);

	if (l->ifindex == o->nic)
		return 0;
	if (o->n++ < 6)
		snprintf(o->names + len, sizeof(o->names) - len, "%s%s", len ? " " : "", l->name);
	return 0;
}

/* Ports besides the NIC are guests' vifs (or taps) still running: stop
 * would cut them off. Refused, unless force=yes. */
static int guests_on(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct others o = { .nic = nb->nic.ifindex };
	int ret = xnh_bridge_ports(&r->nl, nb->br.ifindex, other_port, &o);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot list the ports of %s", nb->st.bridge);
	if (!o.n)
		return 0;
	return xnh_ctx_fail(&r->ctx, -EBUSY, "%s still holds %u guest interface%s (%s%s): stop"
			    " the guests first (xl shutdown), or stop with force=yes to cut them"
			    " off", nb->st.bridge, o.n, o.n > 1 ? "s" : "", o.names,
			    o.n > 6 ? " ..." : "");
}

/* 1 when there is nothing to undo (an administrator's bridge included). */
int xnh_netbr_stop_check(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	int ret;

	if (nb->adopted)
		return 1;
	if (!nb->record && xnh_netbr_done(nb))
		return xnh_ctx_fail(&r->ctx, -EPERM, "%s was not set up by network-bridge start"
				    " (no record in %s): left alone", st->bridge, xnh_state_dir());
	if (!nb->record)
		return 1;
	if (!nb->has_br || !xnh_link_is_bridge(&nb->br))
		return 0;	/* the bridge is gone: only the record to undo */
	if (!nb->nic.ifindex)
		return xnh_ctx_fail(&r->ctx, -ENODEV, "%s, the NIC of %s, is gone", st->port,
				    st->bridge);
	ret = xnh_ctx_bool(&r->ctx, XNH_K_FORCE, false) ? 0 : guests_on(r, nb);
	return ret < 0 ? ret : plan(r, nb, &nb->br, st->nic);
}

