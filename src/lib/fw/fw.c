/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw.c: the two tables, made once and upgraded atomically; their shared sets. */
#include <errno.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw.h"

#define ENSURE_TRIES	5
#define COPY_CHUNK	64	/* elements per message when a layout is replaced */

/* The whole table in one batch, whose first message fails with EEXIST if
 * another run made the table first: then nothing of this batch is made. */
static int create(struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	struct xnh_fw_batch b;
	int r = xnh_fw_batch_init(&b, fw, 0);

	if (r < 0)
		return r;
	r = xnh_fw_layout_build(&b, fw, l);
	if (r >= 0 && l->table == XNH_FW_ARP)	/* made after routed guests came online */
		r = xnh_fw_records_put(&b, fw, l);
	if (r >= 0)
		r = xnh_fw_batch_send(fw, &b);
	if (r < 0 && b.n && b.msg[0].err == -EEXIST)
		r = -EEXIST;
	xnh_fw_batch_free(&b);
	return r;
}

static bool same_key(struct nftnl_set *old, const struct xnh_fw_set *s)
{
	return nftnl_set_get_u32(old, NFTNL_SET_KEY_TYPE) == xnh_fw_set_keytype(s) &&
	       nftnl_set_get_u32(old, NFTNL_SET_KEY_LEN) == xnh_fw_set_keylen(s) &&
	       !(nftnl_set_get_u32(old, NFTNL_SET_FLAGS) & NFT_SET_INTERVAL) == !s->interval;
}

/* A layout before 6 keyed a vif's elements by its name alone: each is
 * carried over with the index of the interface of that name now; one
 * whose interface is gone matches nothing and is left behind. */
static int by_name_elems(struct xnh_fw *fw, const struct xnh_fw_layout *l,
			 const struct xnh_fw_set *s, struct xnh_fw_elem **e, size_t *n)
{
	struct xnh_fw_set legacy = *s;
	char name[XNH_IFNAMSIZ + 1] = { 0 };
	struct xnh_fw_elem old;
	size_t i, k = *n, from = *n;
	unsigned int ix;
	int r;

	legacy.nfields--;
	memmove(legacy.field, legacy.field + 1, legacy.nfields * sizeof(legacy.field[0]));
	r = xnh_fw_set_dump(fw, l, &legacy, NULL, e, n);
	for (i = from; r >= 0 && i < *n; i++) {
		memcpy(name, (*e)[i].key, XNH_IFNAMSIZ);
		ix = if_nametoindex(name);
		if (!ix)
			continue;
		old = (*e)[i];
		memset(&(*e)[k], 0, sizeof((*e)[k]));
		(*e)[k].set = s;
		(*e)[k].range = old.range;
		(*e)[k].len = old.len + 4;
		memcpy((*e)[k].key, &ix, 4);
		memcpy((*e)[k].key + 4, old.key, old.len);
		memcpy((*e)[k].key_end, &ix, 4);
		memcpy((*e)[k].key_end + 4, old.key_end, old.len);
		k++;
	}
	*n = k;
	return r;
}

/* The old set's elements, if it has the same name and key as ours (or
 * the key of layouts before 6: the name without the index). */
static int old_elems(struct xnh_fw *fw, const struct xnh_fw_layout *l,
		     const struct xnh_fw_set *s, struct xnh_fw_elem **e, size_t *n)
{
	struct nftnl_set *old = NULL;
	struct xnh_fw_set legacy = *s;
	int r = xnh_fw_set_get(fw, l, s->name, &old);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	legacy.nfields--;
	memmove(legacy.field, legacy.field + 1, legacy.nfields * sizeof(legacy.field[0]));
	if (same_key(old, s))
		r = xnh_fw_set_dump(fw, l, s, NULL, e, n);
	else if (s->per_vif && same_key(old, &legacy))
		r = by_name_elems(fw, l, s, e, n);
	nftnl_set_free(old);
	return r;
}

/* delete table FAMILY xen */
static int put_deltable(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "xen");
	nlh = xnh_fw_batch_put(b, fw, NFT_MSG_DELTABLE, l->family, 0, -1, "delete table %s xen",
			       l->family_name);
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return b->err;
}

static int copy_set(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		    const struct xnh_fw_set *s)
{
	struct xnh_fw_elem *e = NULL;
	size_t n = 0, i;
	int r = old_elems(fw, l, s, &e, &n);

	for (i = 0; r >= 0 && i < n; i += COPY_CHUNK)
		r = xnh_fw_elem_put(b, fw, l, &e[i], n - i < COPY_CHUNK ? n - i : COPY_CHUNK,
				    NFT_MSG_NEWSETELEM, -1);
	free(e);
	return r;
}

/* An older layout is replaced in one batch that also carries over the
 * elements of every set whose key is unchanged and adds those the new
 * layout gives each recorded vif, so no guest is ever unguarded or cut
 * off. The batch names the generation it was read at: if anything
 * changed the ruleset meanwhile, the kernel refuses it (ERESTART). */
static int upgrade(struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	struct xnh_fw_batch b;
	uint32_t genid;
	unsigned int i;
	int r = xnh_fw_genid(fw, &genid);

	if (r < 0)
		return r;
	r = xnh_fw_batch_init(&b, fw, genid);
	if (r < 0)
		return r;
	r = put_deltable(&b, fw, l);
	if (r >= 0)
		r = xnh_fw_layout_build(&b, fw, l);
	for (i = 0; r >= 0 && i < l->nsets; i++)
		r = copy_set(&b, fw, l, &l->sets[i]);
	if (r >= 0)
		r = xnh_fw_records_put(&b, fw, l);
	if (r >= 0)
		r = xnh_fw_batch_send(fw, &b);
	xnh_fw_batch_free(&b);
	return r;
}

/* Makes table FAMILY xen unless it is there in our layout. -EEXIST: a
 * table of that name that is not ours; -EPROTONOSUPPORT: a newer layout. */
int xnh_fw_ensure(struct xnh_fw *fw, enum xnh_fw_table t)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(t);
	int i, r = -EAGAIN, v;

	for (i = 0; i < ENSURE_TRIES; i++) {
		r = xnh_fw_table_version(fw, t, &v);
		if (r == -ENOENT) {
			r = create(fw, l);
			if (r == -EEXIST)
				continue;	/* another run made it first */
			return r;
		}
		if (r < 0 || v == XNH_FW_LAYOUT)
			return r;
		if (v < 0)
			return -EEXIST;
		if (v > XNH_FW_LAYOUT)
			return -EPROTONOSUPPORT;
		r = upgrade(fw, l);
		if (r != -ERESTART && r != -ENOENT)
			return r;
	}
	return r;
}

/* Before anything is removed: 1 when the table is ours, 0 when there is
 * none; a foreign or newer table is never touched. */
int xnh_fw_owned(struct xnh_fw *fw, enum xnh_fw_table t)
{
	int v, r = xnh_fw_table_version(fw, t, &v);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (v < 0)
		return -EEXIST;
	return v > XNH_FW_LAYOUT ? -EPROTONOSUPPORT : 1;
}

int xnh_fw_status(struct xnh_fw *fw, enum xnh_fw_table t, struct xnh_fw_status *st)
{
	int r = xnh_fw_table_version(fw, t, &st->layout);

	st->packets = st->bytes = 0;
	if (r == -ENOENT) {
		st->layout = 0;
		return 0;
	}
	if (r < 0 || st->layout < 0)
		return r;
	r = xnh_fw_counter(fw, t, &st->packets, &st->bytes);
	return r == -ENOENT ? 0 : r;
}

/* A one-name element of a shared set (@nat_uplinks, @strict_bridges). */
static int name_elem(enum xnh_fw_table t, const char *set, const char *name,
		     struct xnh_fw_elem *e)
{
	return xnh_fw_elem_make(xnh_fw_set_find(xnh_fw_layout_of(t), set), 0, name, NULL, NULL,
				e);
}

/* Adds or removes one element of a shared set of table @t. */
static int elem_set(struct xnh_fw *fw, enum xnh_fw_table t, const struct xnh_fw_elem *e,
		    bool add)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(t);
	int r = add ? xnh_fw_ensure(fw, t) : xnh_fw_owned(fw, t);

	if (r < 0 || (!add && r == 0))
		return r;
	if (add)
		return xnh_fw_elems_apply(fw, l, NULL, 0, e, 1);
	return xnh_fw_elems_apply(fw, l, e, 1, NULL, 0);
}

static int name_set(struct xnh_fw *fw, enum xnh_fw_table t, const char *set, const char *name,
		    bool add)
{
	struct xnh_fw_elem e;
	int r = name_elem(t, set, name, &e);

	return r < 0 ? r : elem_set(fw, t, &e, add);
}

static int name_check(struct xnh_fw *fw, enum xnh_fw_table t, const char *set, const char *name)
{
	struct xnh_fw_elem e;
	int r = name_elem(t, set, name, &e);

	return r < 0 ? r : xnh_fw_elem_get(fw, xnh_fw_layout_of(t), &e);
}

/* network-nat start|stop: guest traffic leaving @ifname is masqueraded. */
int xnh_fw_nat_uplink(struct xnh_fw *fw, const char *ifname, bool add)
{
	return name_set(fw, XNH_FW_INET, "nat_uplinks", ifname, add);
}

int xnh_fw_nat_uplink_check(struct xnh_fw *fw, const char *ifname)
{
	return name_check(fw, XNH_FW_INET, "nat_uplinks", ifname);
}

/* A NAT guest's address @a (IPv4; its prefix ignored) in @nat_sources. */
static int source_elem(const struct xnh_inet *a, struct xnh_fw_elem *e)
{
	struct xnh_inet host = *a;

	host.has_prefix = false;
	host.prefix = 32;
	return xnh_fw_elem_make(xnh_fw_set_find(xnh_fw_layout_of(XNH_FW_INET), "nat_sources"),
				0, NULL, NULL, &host, e);
}

/* vif-nat online|offline: traffic from @a leaving a NAT uplink is
 * masqueraded; a routed guest's (not in the set) keeps its address. */
int xnh_fw_nat_source(struct xnh_fw *fw, const struct xnh_inet *a, bool add)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(XNH_FW_INET);
	struct xnh_fw_elem e;
	int r = source_elem(a, &e), lock = r < 0 ? r : xnh_fw_gone_lock(false);
	bool retire = false;

	r = lock;
	if (r >= 0 && (add || xnh_fw_undoing()))	/* under the lock: never swept meanwhile */
		r = elem_set(fw, XNH_FW_INET, &e, add);
	else if (r >= 0)	/* offline: retired if there, deleted by a later sweep (fwgone.c) */
		retire = xnh_fw_elem_get(fw, l, &e) > 0;
	if (r >= 0)
		r = xnh_fw_gone_source(a, retire);
	xnh_fw_gone_unlock(lock);
	if (r >= 0 && retire && xnh_fw_gone_count() > XNH_FW_GONE_MAX)
		xnh_fw_gone_sweep(fw);
	return r;
}

int xnh_fw_nat_source_check(struct xnh_fw *fw, const struct xnh_inet *a)
{
	struct xnh_fw_elem e;
	int r = source_elem(a, &e);

	return r < 0 ? r : xnh_fw_elem_get(fw, xnh_fw_layout_of(XNH_FW_INET), &e);
}

/* network-bridge antispoof=yes: the vifs of @bridge are guarded unless
 * they say antispoof=no; one without `ip` may send from its MAC only. */
int xnh_fw_strict(struct xnh_fw *fw, const char *bridge, bool add)
{
	return name_set(fw, XNH_FW_BRIDGE, "strict_bridges", bridge, add);
}

int xnh_fw_strict_check(struct xnh_fw *fw, const char *bridge)
{
	return name_check(fw, XNH_FW_BRIDGE, "strict_bridges", bridge);
}
