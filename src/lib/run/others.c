/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* others.c: other owners' firewalls that drop a guest (foreign/), as status
 * checks and as the one warning an online leaves in the hotplug log.
 *
 * Read only: xnet names the chain and the command that lets the guest
 * through, and never changes another owner's rules itself. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"
#include "foreign/foreign.h"
#include "run/run.h"

#define BLOCKS_MAX	8

/* What the guest sends: the families its `ip` lists, both when none. */
int xnh_others_families(const struct xnh_iplist *ip)
{
	int f = 0;
	size_t i;

	for (i = 0; ip && i < ip->n; i++)
		f |= ip->e[i].family == AF_INET ? XNF_IPV4 : XNF_IPV6;
	return f ? f : XNF_IPV4 | XNF_IPV6;
}

static int scan(const struct xnh_others *o, struct xnf_block *b)
{
	struct xnf_guest g = { .vif = o->vif, .bridge = o->bridge, .uplink = o->uplink,
			       .families = o->families };
	int n = xnf_scan(&g, b, BLOCKS_MAX);

	/* no nf_tables (or no permission to read it): no rules of anyone */
	return n == -EPROTONOSUPPORT || n == -ENOENT ? 0 : n;
}

static void fix_of(const struct xnf_block *b, char *buf, size_t len)
{
	if (b->fix[0] && b->alt[0])
		snprintf(buf, len, "%s (or, for all bridged traffic: %s)", b->fix, b->alt);
	else if (b->fix[0])
		snprintf(buf, len, "%s", b->fix);
	else
		snprintf(buf, len, "add an accept for the guest's interfaces at the top of %s %s "
			 "%s", b->family, b->table, b->chain);
}

/* One check per chain of another owner that drops the guest's forwarded
 * traffic; one ok line when none does. */
void xnh_check_others(struct xnh_status *s, const struct xnh_others *o)
{
	struct xnf_block b[BLOCKS_MAX];
	const char *who = o->vif ? o->vif : o->bridge ? "guests on" : "routed guests";
	const char *on = !o->vif && o->bridge ? o->bridge : "";
	char fix[512];
	int n = scan(o, b), i;

	if (n < 0) {
		xnh_status_check(s, XNH_WARN, "run status as root", "other firewalls not checked"
				 " (the nftables ruleset cannot be read: %s)", strerror(-n));
		return;
	}
	if (!n)
		xnh_status_check(s, XNH_OK, NULL, "no other firewall drops the forwarded traffic"
				 " of %s%s%s", who, *on ? " " : "", on);
	for (i = 0; i < n && i < BLOCKS_MAX; i++) {
		fix_of(&b[i], fix, sizeof(fix));
		xnh_status_check(s, XNH_FAIL, fix, "%s%s%s: table %s %s chain %s drops its forwarded"
				 " traffic (%s)", who, *on ? " " : "", on, b[i].family,
				 b[i].table, b[i].chain, b[i].why);
	}
}

/* After an online: one line in the hotplug log (and syslog) when another
 * owner's firewall will drop the guest's traffic. Costs one ruleset dump. */
void xnh_warn_others(const struct xnh_others *o)
{
	struct xnf_block b[BLOCKS_MAX];
	char fix[512];
	int n = scan(o, b);

	if (n <= 0)
		return;
	fix_of(&b[0], fix, sizeof(fix));
	xnh_log(LOG_WARNING, "%s: table %s %s chain %s drops its forwarded traffic (%s)%s; fix: %s",
		o->vif, b[0].family, b[0].table, b[0].chain, b[0].why,
		n > 1 ? ", and other chains too (see status)" : "", fix);
	xnh_log_hotplug("warning: %s: table %s %s chain %s drops its forwarded traffic (%s)%s;"
			" fix: %s", o->vif, b[0].family, b[0].table, b[0].chain, b[0].why,
			n > 1 ? ", and other chains too (see status)" : "", fix);
}
