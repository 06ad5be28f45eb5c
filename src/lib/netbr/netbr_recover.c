/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_recover.c: the NIC put back from its journal, from any point a killed run reached. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"
#include "netbr/netbr.h"

/* What a killed start or stop left: the NIC (by its ifindex, under its
 * own name or its port name) and the bridge (under its name or the one it
 * was made with), if it is still there. Each step below finds what is done
 * already and goes on, so that a restore killed in turn can be run again. */
struct left {
	struct xnh_link nic, br;
	bool has_br;
};

static bool bridge_named(struct xnh_nl *nl, const char *name, struct left *f)
{
	struct xnh_link l;

	if (xnh_link_get(nl, name, &l) < 0 || !xnh_link_is_bridge(&l) ||
	    l.ifindex == f->nic.ifindex)
		return false;
	f->br = l;
	return true;
}

static int find(struct xnh_nl *nl, const struct xnh_netbr_state *j, struct left *f)
{
	int r;

	memset(f, 0, sizeof(*f));
	if (j->ifindex <= 0)
		return -ENODEV;
	r = xnh_link_get_index(nl, j->ifindex, &f->nic);
	if (r < 0)
		return r;
	/* the same ifindex under a third name: not the NIC the journal is of */
	if (strcmp(f->nic.name, j->nic) && strcmp(f->nic.name, j->port))
		return -ESTALE;
	f->has_br = bridge_named(nl, j->bridge, f) || (j->renamed && bridge_named(nl, j->tmp, f));
	return 0;
}

/* Every address back on the NIC, in order; one it has already gets its
 * flags back (an IPv6 one may have been left without DAD). */
static int addrs_back(struct xnh_nl *nl, const struct xnh_netbr_set *s, const struct xnh_link *nic)
{
	struct xnh_addr c;
	size_t i;
	int r;

	for (i = 0; i < s->naddr; i++) {
		c = s->addr[i];
		c.ifindex = nic->ifindex;
		r = xnh_addr_restore(nl, nic->name, &c, NULL);
		if (r == -EEXIST && c.local.family == AF_INET6)
			r = xnh_addr_change(nl, nic->name, &c);
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

/* The bridge emptied, the NIC out of it, the bridge down and, when it
 * took the NIC's name, back under the one it was made with. */
static int unbridge(struct xnh_nl *nl, const struct xnh_netbr_state *j,
		    const struct xnh_netbr_set *s, struct left *f, struct xnh_undo *u)
{
	int r = xnh_netbr_strip(nl, s, &f->br, NULL);

	if (r >= 0 && f->nic.master == f->br.ifindex)
		r = xnh_netbr_join(nl, &f->nic, &f->br, false, u);
	if (r >= 0)
		r = xnh_netbr_up(nl, &f->br, false, u);
	if (r >= 0 && j->renamed && strcmp(f->br.name, j->tmp))
		r = xnh_netbr_rename(nl, &f->br, j->tmp, u);
	return r;
}

/* The NIC under its own name again (the bridge freed it). */
static int own_name(struct xnh_nl *nl, const struct xnh_netbr_state *j, struct left *f,
		    struct xnh_undo *u)
{
	struct xnh_link l;

	if (!strcmp(f->nic.name, j->nic))
		return 0;
	if (xnh_link_get(nl, j->nic, &l) == 0)
		return -EEXIST;
	return xnh_netbr_rename(nl, &f->nic, j->nic, u);
}

/* Puts the NIC of journal @j back as it was before start: its addresses
 * and routes @s, its name, up or down; the bridge goes. As stop does it:
 * with the same names, the NIC gets its addresses before the bridge loses
 * them; a rename relabels addresses, so with the bridge under the NIC's
 * name they go back after it. The steps' undo is not kept: a restore that
 * fails stops, and the journal stays for the next run. */
int xnh_netbr_restore(struct xnh_nl *nl, const struct xnh_netbr_state *j,
		      const struct xnh_netbr_set *s)
{
	struct xnh_undo u = { 0 };
	struct left f;
	bool early;
	int r = find(nl, j, &f);

	early = r >= 0 && f.has_br && !j->renamed;
	if (early)
		r = addrs_back(nl, s, &f.nic);
	if (r >= 0 && f.has_br)
		r = unbridge(nl, j, s, &f, &u);
	if (r >= 0)
		r = own_name(nl, j, &f, &u);
	if (r >= 0 && !early)
		r = addrs_back(nl, s, &f.nic);
	if (r >= 0)
		r = xnh_netbr_up(nl, &f.nic, true, &u);
	if (r >= 0)
		r = xnh_netbr_routes_add(nl, s, &f.nic, NULL);
	if (r >= 0)
		r = xnh_netbr_up(nl, &f.nic, j->nic_up, &u);
	if (r >= 0 && f.has_br) {
		r = xnh_link_del(nl, f.br.ifindex, f.br.name);
		r = r == -ENODEV ? 0 : r;
	}
	xnh_undo_free(&u);
	return r;
}

/* start or stop was killed half-way (its journal, nb->record): the NIC
 * back as before start, then the journal gone. */
int xnh_netbr_recover(struct xnh_nl *nl, const struct xnh_netbr *nb)
{
	struct xnh_netbr_set s;
	int r = xnh_netbr_journal_load(nb->record, &s);

	if (r >= 0)
		r = xnh_netbr_restore(nl, &nb->made, &s);
	if (r >= 0)
		r = xnh_netbr_state_drop(nb->made.bridge, NULL, NULL);
	xnh_netbr_set_free(&s);
	return r;
}
