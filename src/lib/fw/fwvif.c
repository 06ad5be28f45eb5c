/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwvif.c: one vif's elements, recorded at online so that offline removes exactly them. */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "fw/fw.h"

/* 1: guard the vif; 0: leave it alone; -ENOENT: a bridged vif with `ip`
 * but no MAC to tie them to. @antispoof: -1 unset, 0 no, 1 yes. */
int xnh_fw_policy(enum xnh_fw_table t, const struct xnh_iplist *ip, bool has_mac, int antispoof)
{
	if (antispoof == 0)
		return 0;
	if (ip && ip->n)
		return t == XNH_FW_BRIDGE && !has_mac ? -ENOENT : 1;
	return antispoof == 1 && t == XNH_FW_BRIDGE && has_mac;
}

/* XNET_FAIL_AT=fw_batch: the batch fails before the kernel sees it. */
static int apply(struct xnh_fw *fw, const struct xnh_fw_layout *l, const struct xnh_fw_elem *del,
		 size_t ndel, const struct xnh_fw_elem *add, size_t nadd)
{
	int r = xnh_fault("fw_batch", -EIO);

	return r < 0 ? r : xnh_fw_elems_apply(fw, l, del, ndel, add, nadd);
}

/* The record names what the kernel holds: while the batch that changes
 * it is under way, both the old vif (@rec, if recorded) and the new. */
static int vif_apply(struct xnh_fw *fw, const struct xnh_fw_vif *v, const struct xnh_fw_vif *rec,
		     struct xnh_fw_elem *old, size_t nold, const struct xnh_fw_elem *add,
		     size_t nadd)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(v->table);
	size_t ndel = xnh_fw_elems_stale(old, nold, add, nadd);
	bool was = (int)rec->table >= 0;
	int r = xnh_fw_ensure(fw, v->table);

	if (r >= 0 && v->table == XNH_FW_INET)
		r = xnh_fw_ensure(fw, XNH_FW_ARP);	/* its ARP's guard */
	if (r >= 0 && was)
		r = xnh_fw_record_write(v, rec);
	if (r >= 0)
		r = apply(fw, l, old, ndel, add, nadd);
	if (r == -ENOENT) {		/* the table went away meanwhile */
		r = xnh_fw_ensure(fw, v->table);
		if (r >= 0)
			r = apply(fw, l, old, ndel, add, nadd);
	}
	if (r >= 0)
		return xnh_fw_record_write(v, NULL);
	if (was)
		xnh_fw_record_write(rec, NULL);	/* the kernel kept the old; else both stay */
	return r;
}

/* online: the vif's elements, in one batch that also removes what an
 * earlier online of the same interface added and this one does not: its
 * record, and the entry it left in fw-gone when it went offline. A record
 * of another interface of that name goes to fw-gone (nothing deleted). */
int xnh_fw_vif_add(struct xnh_fw *fw, const struct xnh_fw_vif *vif)
{
	struct xnh_fw_elem *add = calloc(XNH_FW_VIF_ELEMS, sizeof(*add)), *old = NULL;
	struct xnh_fw_vif rec, v = *vif;
	size_t nold = 0;
	int n, r = xnh_fw_vif_ifindex(&v), lock = -1;

	n = r < 0 ? r : add ? xnh_fw_vif_elems(&v, add, XNH_FW_VIF_ELEMS) : -ENOMEM;
	r = n < 0 ? n : (lock = xnh_fw_gone_lock(false));
	if (r >= 0)
		r = xnh_fw_record_retire(v.table, v.ifname, v.ifindex);
	if (r >= 0)
		r = xnh_fw_vif_current(fw, v.table, v.ifname, &old, &nold, &rec);
	if (r >= 0)
		r = xnh_fw_gone_take(fw, v.table, v.ifindex, &old, &nold);
	if (r >= 0)
		r = vif_apply(fw, &v, &rec, old, nold, add, (size_t)n);
	if (r >= 0)
		r = xnh_fw_gone_drop(v.table, v.ifindex);
	xnh_fw_gone_unlock(lock);
	free(add);
	free(old);
	return r;
}

/* Deletes now, in one batch, what vif @ifname may have: its record's
 * elements (or, without one, those found by name), and with @ix those of
 * its index's fw-gone entry. The caller holds the lock. */
static int del_now(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname, uint32_t ix)
{
	struct xnh_fw_elem *e = NULL;
	size_t n = 0;
	int r = xnh_fw_owned(fw, t), ours = r > 0;

	if (ours)
		r = xnh_fw_vif_current(fw, t, ifname, &e, &n, NULL);
	if (ours && r >= 0 && ix)
		r = xnh_fw_gone_take(fw, t, ix, &e, &n);
	if (r >= 0 && t == XNH_FW_INET && xnh_fw_owned(fw, XNH_FW_ARP) <= 0)
		n = xnh_fw_elems_keep(e, n, XNH_FW_INET);	/* no arp table of ours to take from */
	if (r >= 0 && n)
		r = xnh_fw_elems_apply(fw, xnh_fw_layout_of(t), e, n, NULL, 0);
	if (r >= 0)
		r = xnh_fw_record_remove(t, ifname);
	if (r >= 0 && ix)
		r = xnh_fw_gone_drop(t, ix);
	free(e);
	return r;
}

/* offline, without the kernel: the vif's record goes to fw-gone, its
 * elements stay (keyed by an index that then has no guarded interface
 * online). 1: retired; 0: there was no record. */
int xnh_fw_vif_retire(enum xnh_fw_table t, const char *ifname)
{
	int lock = xnh_fw_gone_lock(false), r = lock;

	if (lock >= 0)
		r = xnh_fw_record_retire(t, ifname, 0);
	xnh_fw_gone_unlock(lock);
	return r;
}

/* offline: retires the vif (above); without a record (lost), deletes what
 * is found by name now, unless its index is retired already. More than
 * XNH_FW_GONE_MAX retired vifs are swept (their elements deleted in one
 * batch); a failed sweep is retried by the next offline. */
int xnh_fw_vif_del(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname)
{
	unsigned int ix;
	int r = xnh_fw_vif_retire(t, ifname), lock;

	if (r > 0) {
		if (xnh_fw_gone_count() > XNH_FW_GONE_MAX)
			xnh_fw_gone_sweep(fw);
		return 0;
	}
	ix = if_nametoindex(ifname);
	if (r < 0 || (ix && xnh_fw_gone_has(t, ix)))
		return r;
	lock = xnh_fw_gone_lock(false);
	r = lock < 0 ? lock : del_now(fw, t, ifname, 0);
	xnh_fw_gone_unlock(lock);
	return r;
}

/* An online that does not guard the vif (antispoof=no, no `ip`): what an
 * earlier online of it left is deleted now, or it would stay guarded. */
int xnh_fw_vif_unguard(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname)
{
	unsigned int ix = if_nametoindex(ifname);
	int lock = xnh_fw_gone_lock(false), r = lock;

	if (lock >= 0)
		r = xnh_fw_record_retire(t, ifname, ix);
	if (r >= 0)
		r = del_now(fw, t, ifname, ix);
	xnh_fw_gone_unlock(lock);
	return r;
}

/* How many of the elements online recorded for the vif are in place
 * (without a record: whether it is in @guarded at all). */
int xnh_fw_vif_check(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname,
		     unsigned int *present, unsigned int *expected)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(t);
	struct xnh_fw_elem *e = NULL;
	size_t n = 0, i;
	int r = xnh_fw_vif_current(fw, t, ifname, &e, &n, NULL);

	*present = *expected = 0;
	for (i = 0; r >= 0 && i < n; i++) {
		r = xnh_fw_elem_get(fw, l, &e[i]);
		*present += r > 0;
	}
	*expected = (unsigned int)n;
	free(e);
	return r < 0 ? r : 0;
}
