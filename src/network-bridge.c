/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-bridge: move the host's NIC under a bridge (start), undo it (stop), show it (status). */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xnethelper.h"

/* antispoof=yes: the bridge joins @strict_bridges (table bridge xen), and
 * every vif that comes online on it is guarded. Start does this last, so
 * that its failure (one atomic batch) rolls the whole start back. */
static int firewall(struct xnh_run *r, struct xnh_netbr *nb, bool on)
{
	const char *br = on ? nb->st.bridge : nb->made.bridge;
	struct xnh_fw fw = { 0 };
	int ret = xnh_fw_open(&fw);

	if (ret >= 0)
		ret = xnh_fw_strict(&fw, br, on);
	xnh_fw_close(&fw);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "%s antispoof on %s (nft table bridge xen): %s",
				    on ? "cannot turn" : "cannot turn off", br, strerror(-ret));
	return 0;
}

static int do_start(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	struct xnh_nl *nl = &r->nl;
	int ret = xnh_netbr_state_save(st, &nb->undo);

	if (ret >= 0)
		ret = xnh_netbr_bridge(nl, st->renamed ? st->tmp : st->bridge, &nb->nic, &nb->br,
				       &nb->undo);
	/* Same names: give the addresses before taking them, so that the
	 * host never lacks one. Renamed: a rename relabels addresses, so
	 * they go over after it. */
	if (ret >= 0 && !st->renamed)
		ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->nic, &nb->br, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_strip(nl, &nb->set, &nb->nic, &nb->undo);
	if (ret >= 0 && st->renamed) {
		ret = xnh_netbr_rename(nl, &nb->nic, st->port, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_rename(nl, &nb->br, st->bridge, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->nic, &nb->br,
						  &nb->undo);
	}
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->br, true, &nb->undo);
	/* the bridge has carrier once the NIC is in: routes added then are
	 * not marked linkdown */
	if (ret >= 0)
		ret = xnh_netbr_join(nl, &nb->nic, &nb->br, true, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_routes_add(nl, &nb->set, &nb->br, &nb->undo);
	return ret >= 0 && st->antispoof ? firewall(r, nb, true) : ret;
}

static int rollback(struct xnh_run *r, struct xnh_netbr *nb, int err)
{
	char why[256], failed[200];
	int ret;

	if (r->ctx.err[0])
		snprintf(why, sizeof(why), "%s", r->ctx.err);
	else
		snprintf(why, sizeof(why), "%s %s %s bridge %s: '%s' failed: %s",
			 xnh_cmd_is(r, "start") ? "putting" : "taking", nb->st.nic,
			 xnh_cmd_is(r, "start") ? "under" : "out of", nb->st.bridge,
			 xnh_trace_last(), strerror(-err));
	ret = xnh_undo_run(&nb->undo, &r->nl, failed, sizeof(failed));
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, err, "%s; undoing failed too at '%s': %s, so the host"
				    " is not as before", why, failed, strerror(-ret));
	return xnh_ctx_fail(&r->ctx, err, "%s; all undone", why);
}

static int nb_start(struct xnh_run *r)
{
	struct xnh_netbr nb = XNH_NETBR_INIT;
	int ret = xnh_netbr_prepare(r, &nb, true);

	if (ret >= 0)
		ret = xnh_netbr_start_check(r, &nb);
	if (ret == 0) {
		ret = do_start(r, &nb);
		if (ret < 0)
			ret = rollback(r, &nb, ret);
	}
	xnh_netbr_finish(&nb);
	return ret < 0 ? ret : 0;
}

/* The bridge is gone (deleted by hand): the record, and a NIC still
 * under its port name, are what is left to undo. */
static int undo_stale(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	int ret = 0;

	if (st->renamed && nb->nic.ifindex && !xnh_netbr_name_taken(r, st->nic)) {
		ret = xnh_netbr_rename(&r->nl, &nb->nic, st->nic, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_up(&r->nl, &nb->nic, nb->made.nic_up, &nb->undo);
	}
	return ret < 0 ? ret : xnh_netbr_state_drop(st->bridge, nb->record, &nb->undo);
}

/* The reverse of do_start(), step by step. */
static int do_stop(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	struct xnh_nl *nl = &r->nl;
	int ret = nb->made.antispoof ? firewall(r, nb, false) : 0;

	if (ret >= 0 && !st->renamed)
		ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->bridge, &nb->nic, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_strip(nl, &nb->set, &nb->br, &nb->undo);
	/* the NIC leaves after the routes: undone, they come back to a bridge
	 * that has carrier */
	if (ret >= 0 && nb->nic.master == nb->br.ifindex)
		ret = xnh_netbr_join(nl, &nb->nic, &nb->br, false, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->br, false, &nb->undo);
	if (ret >= 0 && st->renamed) {
		ret = xnh_netbr_rename(nl, &nb->br, st->tmp, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_rename(nl, &nb->nic, st->nic, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->bridge, &nb->nic,
						  &nb->undo);
	}
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->nic, true, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_routes_add(nl, &nb->set, &nb->nic, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->nic, nb->made.nic_up, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_state_drop(st->bridge, nb->record, &nb->undo);
	/* last, for it cannot be undone */
	return ret < 0 ? ret : xnh_link_del(nl, nb->br.ifindex, nb->br.name);
}

static int nb_stop(struct xnh_run *r)
{
	struct xnh_netbr nb = XNH_NETBR_INIT;
	int ret = xnh_netbr_prepare(r, &nb, true);

	if (ret >= 0)
		ret = xnh_netbr_stop_check(r, &nb);
	if (ret == 0) {
		if (nb.has_br && xnh_link_is_bridge(&nb.br))
			ret = do_stop(r, &nb);
		else
			ret = undo_stale(r, &nb);
		if (ret < 0)
			ret = rollback(r, &nb, ret);
	}
	xnh_netbr_finish(&nb);
	return ret < 0 ? ret : 0;
}

static int show_addr(const struct xnh_addr *a, void *arg)
{
	static const char *const scope[] = { [RT_SCOPE_UNIVERSE] = "global",
		[RT_SCOPE_SITE] = "site", [RT_SCOPE_LINK] = "link", [RT_SCOPE_HOST] = "host" };
	const char *dev = arg;
	char text[64], brd[32] = "";
	struct xnh_inet b = { .family = AF_INET, .prefix = 32 };

	xnh_inet_format(&a->local, true, text, sizeof(text));
	if (a->has_broadcast) {
		b.a.v4 = a->broadcast;
		strcpy(brd, " brd ");
		xnh_inet_format(&b, false, brd + 5, sizeof(brd) - 5);
	}
	printf("%s: %s %s%s scope %s", dev, a->local.family == AF_INET ? "inet" : "inet6", text,
	       brd, a->scope < 256 && scope[a->scope] ? scope[a->scope] : "other");
	if (a->label[0] && strcmp(a->label, dev))
		printf(" label %s", a->label);
	if (a->valid_lft && a->valid_lft != 0xffffffffu)
		printf(" valid_lft %usec", a->valid_lft);
	putchar('\n');
	return 0;
}

static int show_route(const struct xnh_route *rt, void *arg)
{
	char text[200];

	if (rt->table == RT_TABLE_LOCAL)
		return 0;
	xnh_route_describe(rt, arg, text, sizeof(text));
	printf("%s: route %s\n", (const char *)arg, text);
	return 0;
}

static int show_port(const struct xnh_link *l, void *arg)
{
	(void)arg;
	printf(" %s", l->name);
	return 0;
}

static void show_link(struct xnh_run *r, const char *what, const struct xnh_link *l)
{
	const uint8_t *m = l->mac;

	printf("%s %s: %s, mtu %u, address %02x:%02x:%02x:%02x:%02x:%02x", what, l->name,
	       xnh_link_is_up(l) ? "up" : "down", l->mtu, m[0], m[1], m[2], m[3], m[4], m[5]);
	if (xnh_link_is_bridge(l)) {
		printf(", ports:");
		xnh_bridge_ports(&r->nl, l->ifindex, show_port, NULL);
	}
	putchar('\n');
	xnh_addr_foreach(&r->nl, l->ifindex, AF_UNSPEC, show_addr, (void *)l->name);
	xnh_route_foreach(&r->nl, AF_INET, l->ifindex, show_route, (void *)l->name);
	xnh_route_foreach(&r->nl, AF_INET6, l->ifindex, show_route, (void *)l->name);
}

/* Why the layout is not complete, or "" when it is. */
static void verdict(struct xnh_run *r, struct xnh_netbr *nb, char *why, size_t len)
{
	const struct xnh_netbr_state *st = &nb->st;

	if (!nb->has_br || !xnh_link_is_bridge(&nb->br))
		snprintf(why, len, "there is no bridge %s", st->bridge);
	else if (!nb->nic.ifindex)
		snprintf(why, len, "there is no %s", st->port);
	else if (nb->nic.master != nb->br.ifindex)
		snprintf(why, len, "%s is not a port of %s", st->port, st->bridge);
	else if (!xnh_link_is_up(&nb->br) || !xnh_link_is_up(&nb->nic))
		snprintf(why, len, "%s or %s is down", st->bridge, st->port);
	else if (xnh_netbr_collect(&r->nl, nb->nic.ifindex, &nb->set) != 0 ||
		 nb->set.naddr || nb->set.nroute)
		snprintf(why, len, "%s has addresses or routes of its own", st->port);
}

/* The NIC, the bridge, its ports, their addresses and routes, a verdict;
 * exit 0 only when the layout is complete. */
static int nb_status(struct xnh_run *r)
{
	struct xnh_netbr nb = XNH_NETBR_INIT;
	char why[128] = "", path[512];
	int ret = xnh_netbr_prepare(r, &nb, false);

	if (ret < 0)
		goto out;
	if (nb.has_br)
		show_link(r, xnh_link_is_bridge(&nb.br) ? "bridge" : "device", &nb.br);
	if (nb.nic.ifindex && nb.nic.ifindex != nb.br.ifindex)
		show_link(r, "nic", &nb.nic);
	if (nb.record && xnh_netbr_state_path(nb.st.bridge, path, sizeof(path)) == 0)
		printf("record: %s (network-bridge start made this layout)\n", path);
	verdict(r, &nb, why, sizeof(why));
	printf("layout: %s%s\n", why[0] ? "incomplete: " : "complete", why);
	if (why[0])
		ret = xnh_ctx_fail(&r->ctx, -ESRCH, "layout incomplete: %s", why);
out:
	xnh_netbr_finish(&nb);
	return ret;
}

static const struct xnh_cmd cmds[] = {
	{ "start", nb_start, 0 },
	{ "stop", nb_stop, 0 },
	{ "status", nb_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "network-bridge",
	.usage = "start|stop|status [netdev=DEV] [bridge=BR] [antispoof=yes|no]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
