/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-bridge-status.c: the seed guide's troubleshooting of the bridge, done by the program. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text/text.h"
#include "lib/net/net.h"
#include "lib/netbr/netbr.h"
#include "lib/fw/fw.h"
#include "lib/foreign/foreign.h"
#include "network-bridge.h"

static void start_cmd(const struct xnh_netbr *nb, char *buf, size_t len)
{
	snprintf(buf, len, "network-bridge start netdev=%s bridge=%s", nb->st.nic, nb->st.bridge);
}

/* The NIC and the bridge, up, the one a port of the other; false when the
 * layout is not there to check further. */
static bool check_links(struct xnh_status *s, const struct xnh_netbr *nb)
{
	const struct xnh_netbr_state *st = &nb->st;
	bool br = nb->has_br && xnh_link_is_bridge(&nb->br);
	char start[96], fix[200];

	start_cmd(nb, start, sizeof(start));
	xnh_status_check(s, nb->nic.ifindex ? XNH_OK : XNH_FAIL, st->renamed ? start :
			 "give netdev=NAME", "NIC %s exists%s%s%s", st->port, st->renamed ?
			 " (" : "", st->renamed ? st->nic : "", st->renamed ? ", renamed)" : "");
	xnh_status_check(s, br ? XNH_OK : XNH_FAIL, start, "bridge %s exists%s", st->bridge,
			 nb->has_br && !br ? " (it is not a bridge)" : "");
	if (!br)
		return false;
	snprintf(fix, sizeof(fix), "ip link set dev %s up", st->bridge);
	xnh_status_check(s, xnh_link_is_up(&nb->br) ? XNH_OK : XNH_FAIL, fix, "%s is up",
			 st->bridge);
	if (!nb->nic.ifindex)
		return false;
	snprintf(fix, sizeof(fix), "%s, or ip link set dev %s master %s", start, st->port,
		 st->bridge);
	xnh_status_check(s, nb->nic.master == nb->br.ifindex ? XNH_OK : XNH_FAIL, fix,
			 "%s is a port of %s", st->port, st->bridge);
	snprintf(fix, sizeof(fix), "ip link set dev %s up", st->port);
	xnh_status_check(s, xnh_link_is_up(&nb->nic) ? XNH_OK : XNH_FAIL, fix, "%s is up",
			 st->port);
	return nb->nic.master == nb->br.ifindex;
}

/* STP would hold a new vif's port for 30 s, and the guest's first DHCP
 * with it: start makes the bridge with STP off and forward delay 0. */
static void check_stp(struct xnh_run *r, struct xnh_status *s, const struct xnh_link *br)
{
	struct xnh_bridge_info bi;
	char fix[160];
	int ret = xnh_bridge_info_get(&r->nl, br->ifindex, &bi);

	snprintf(fix, sizeof(fix), "ip link set dev %s type bridge stp_state 0 forward_delay 0",
		 br->name);
	if (ret < 0)
		xnh_status_check(s, XNH_FAIL, fix, "%s has STP off and forward delay 0 (cannot"
				 " read them: %s)", br->name, strerror(-ret));
	else
		xnh_status_check(s, !bi.stp_state && !bi.forward_delay ? XNH_OK : XNH_FAIL, fix,
				 "%s has STP off and forward delay 0 (now stp_state %u,"
				 " forward_delay %u)", br->name, bi.stp_state, bi.forward_delay);
}

static size_t global_addrs(const struct xnh_netbr_set *set, const struct xnh_addr **first)
{
	size_t i, n = 0;

	*first = NULL;
	for (i = 0; i < set->naddr; i++) {
		if (set->addr[i].scope == RT_SCOPE_LINK || set->addr[i].scope == RT_SCOPE_HOST)
			continue;
		if (!n++)
			*first = &set->addr[i];
	}
	return n;
}

/* The host's addresses are on the bridge, none left on the NIC (dom0
 * without an address may be meant: advice). */
static void check_addrs(struct xnh_status *s, const struct xnh_netbr *nb,
			const struct xnh_netbr_set *brset)
{
	const char *br = nb->st.bridge, *nic = nb->st.port;
	const struct xnh_addr *a;
	char text[64] = "", fix[200];
	size_t n = global_addrs(brset, &a);

	if (a)
		xnh_inet_format(&a->local, true, text, sizeof(text));
	snprintf(fix, sizeof(fix), "ip addr add ADDRESS/PREFIX dev %s (or run DHCP on %s)", br,
		 br);
	if (n)
		xnh_status_check(s, XNH_OK, NULL, "%s holds the host's addresses (%s, %zu in all)",
				 br, text, n);
	else
		xnh_status_check(s, XNH_WARN, fix, "%s holds the host's addresses (none)", br);
	n = global_addrs(&nb->set, &a);
	if (a)
		xnh_inet_format(&a->local, true, text, sizeof(text));
	snprintf(fix, sizeof(fix), "ip addr del %s dev %s; ip addr add %s dev %s", text, nic,
		 text, br);
	xnh_status_check(s, n ? XNH_FAIL : XNH_OK, fix, "%s holds no address of its own%s%s%s",
			 nic, n ? " (now " : "", n ? text : "", n ? ")" : "");
}

/* Routes but the default one left on the NIC; and the default route, which
 * must go through the bridge (none at all, or another device: advice). */
static void check_routes(struct xnh_run *r, struct xnh_status *s, const struct xnh_netbr *nb)
{
	const char *br = nb->st.bridge, *nic = nb->st.port;
	const struct xnh_route *rt, *left = NULL, *dflt = NULL;
	char text[200] = "", gw[64] = "GATEWAY", fix[300];
	int oif = xnh_netdev_default_oif(&r->nl);
	size_t i;

	for (i = 0, rt = nb->set.route; i < nb->set.nroute; i++, rt++)
		if (rt->dst.prefix && !left)
			left = rt;
		else if (!rt->dst.prefix && rt->dst.family == AF_INET && rt->has_gw)
			dflt = rt;
	if (left)
		xnh_route_describe(left, nic, text, sizeof(text));
	snprintf(fix, sizeof(fix), "ip route del %s; ip route add the same via %s", text, br);
	xnh_status_check(s, left ? XNH_FAIL : XNH_OK, fix, "%s has no routes of its own%s%s%s",
			 nic, left ? " (now " : "", text, left ? ")" : "");
	if (dflt)
		xnh_inet_format(&dflt->gw, false, gw, sizeof(gw));
	snprintf(fix, sizeof(fix), "ip route replace default via %s dev %s", gw, br);
	xnh_status_check(s, oif == nb->br.ifindex ? XNH_OK : oif == nb->nic.ifindex ? XNH_FAIL :
			 XNH_WARN, fix, "the default route goes through %s%s", br,
			 oif > 0 ? "" : " (there is none)");
}

/* antispoof=yes (asked now, or when start ran): the bridge's vifs are
 * guarded by default; and whether start made the layout (stop undoes only
 * what it made). */
static void check_made(struct xnh_status *s, const struct xnh_netbr *nb)
{
	const char *br = nb->st.bridge;
	struct xnh_fw fw = { 0 };
	char path[512], fix[200];
	int ret;

	if (nb->st.antispoof || (nb->record && nb->made.antispoof)) {
		ret = xnh_fw_open(&fw);
		if (ret >= 0)
			ret = xnh_fw_strict_check(&fw, br);
		xnh_fw_close(&fw);
		snprintf(fix, sizeof(fix), "network-bridge stop, then network-bridge start"
			 " antispoof=yes netdev=%s bridge=%s", nb->st.nic, br);
		xnh_status_check(s, ret > 0 ? XNH_OK : XNH_FAIL, fix, "antispoof: %s is in nft set"
				 " bridge xen @strict_bridges", br);
	}
	xnh_netbr_state_path(br, path, sizeof(path));
	if (nb->record)
		xnh_status_check(s, XNH_OK, NULL, "network-bridge start made this layout (its"
				 " record %s)", path);
	else
		xnh_status_check(s, XNH_OK, NULL, "%s was not made by network-bridge start (no"
				 " record %s): stop leaves it alone", br, path);
}

/* Each thing the seed guide's bridge troubleshooting compares by eye, one
 * line each; 1 when one failed. Reads only. */
/* `network-bridge status`: each check one line, a fix for each failure. */
/* A start or stop that was killed left its journal: the next run of
 * either finishes from it. */
static void check_journal(struct xnh_status *s, const struct xnh_netbr *nb)
{
	char path[256], fix[160];

	if (!xnh_netbr_interrupted(nb))
		return;
	xnh_netbr_state_path(nb->made.bridge, path, sizeof(path));
	snprintf(fix, sizeof(fix), "network-bridge %s netdev=%s bridge=%s (it finishes from the"
		 " journal)", nb->made.phase == XNH_NETBR_STOPPING ? "stop" : "start",
		 nb->made.nic, nb->made.bridge);
	xnh_status_check(s, XNH_FAIL, fix, "network-bridge %s of bridge %s was interrupted"
			 " (journal %s)", xnh_netbr_phase_name(nb->made.phase), nb->made.bridge,
			 path);
}

int nb_status(struct xnh_run *r)
{
	struct xnh_netbr nb = XNH_NETBR_INIT;
	struct xnh_netbr_set brset = { .naddr = 0 };
	struct xnh_status s;
	int ret = xnh_netbr_prepare(r, &nb, false);

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	if (ret < 0)
		xnh_status_check(&s, XNH_FAIL, "give netdev= and bridge=", "%s", r->ctx.err);
	if (ret >= 0)
		check_journal(&s, &nb);
	if (ret >= 0 && nb.adopted)
		xnh_status_check(&s, XNH_OK, NULL, "the default route is on bridge %s (not made by"
				 " network-bridge): guests join it with bridge=%s", nb.st.bridge,
				 nb.st.bridge);
	else if (ret >= 0 && check_links(&s, &nb)) {
		check_stp(r, &s, &nb.br);
		ret = xnh_netbr_collect(&r->nl, nb.nic.ifindex, &nb.set);
		if (ret >= 0)
			ret = xnh_netbr_collect(&r->nl, nb.br.ifindex, &brset);
		if (ret < 0)
			xnh_status_check(&s, XNH_FAIL, "try again", "cannot read the addresses and"
					 " routes: %s", strerror(-ret));
		if (ret >= 0) {
			check_addrs(&s, &nb, &brset);
			check_routes(r, &s, &nb);
		}
		check_made(&s, &nb);
	}
	if (ret >= 0)
		xnh_check_others(&s, &(struct xnh_others){ .bridge = nb.st.bridge,
				 .families = XNF_IPV4 | XNF_IPV6 });
	xnh_netbr_set_free(&brset);
	xnh_netbr_finish(&nb);
	return xnh_status_end(&s);
}
