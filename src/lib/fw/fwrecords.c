/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwrecords.c: the per-vif records of the guest firewall (state dir,
 * fw-<family>-<ifname>): their text, the elements a vif may have now, and
 * the walk over all of them, by a layout upgrade (every vif's elements in
 * the new tables) and by xnet-guard (put back after a flush). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "fw/fw.h"

/* Calls @cb with each vif that has a record in table @t (inet also for
 * table arp xen, which has no records of its own), in name order. */
int xnh_fw_records_walk(enum xnh_fw_table t, xnh_fw_record_cb cb, void *arg)
{
	struct dirent **names;
	char prefix[16];
	size_t len;
	int i, n, r = 0;

	len = (size_t)snprintf(prefix, sizeof(prefix), "fw-%s-",
			       t == XNH_FW_BRIDGE ? "bridge" : "inet");
	n = scandir(xnh_state_dir(), &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < n; i++) {
		if (r >= 0 && !strncmp(names[i]->d_name, prefix, len) &&
		    xnh_valid_ifname(names[i]->d_name + len) == 0)
			r = cb(t == XNH_FW_ARP ? XNH_FW_INET : t, names[i]->d_name + len, arg);
		free(names[i]);
	}
	free(names);
	return r;
}

#define RECORD_MAX	4096

static const char *table_name(enum xnh_fw_table t)
{
	return xnh_fw_layout_of(t)->family_name;
}

/* The record: a few "key value" lines.
 *   table bridge
 *   ifname vif1.0
 *   ifindex 7			(since layout 6; without it: the interface by that name)
 *   mac 00:16:3e:00:01:00
 *   ip 192.168.0.6 2001:db8::6
 *   dhcp_server yes		(only when set)
 *   strict yes			(only when set) */
int xnh_fw_vif_format(const struct xnh_fw_vif *v, char *buf, size_t len)
{
	const uint8_t *m = v->mac;
	char a[INET6_ADDRSTRLEN + 4];
	size_t i, n;

	n = (size_t)snprintf(buf, len, "table %s\nifname %s\n", table_name(v->table), v->ifname);
	if (v->ifindex && n < len)
		n += (size_t)snprintf(buf + n, len - n, "ifindex %u\n", v->ifindex);
	if (v->has_mac && n < len)
		n += (size_t)snprintf(buf + n, len - n, "mac %02x:%02x:%02x:%02x:%02x:%02x\n",
				      m[0], m[1], m[2], m[3], m[4], m[5]);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "ip");
	for (i = 0; i < v->ip.n && n < len; i++) {
		if (xnh_inet_format(&v->ip.e[i], v->ip.e[i].has_prefix, a, sizeof(a)) < 0)
			return -EINVAL;
		n += (size_t)snprintf(buf + n, len - n, " %s", a);
	}
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "\n");
	if (v->dhcp_server && n < len)
		n += (size_t)snprintf(buf + n, len - n, "dhcp_server yes\n");
	if (v->strict && n < len)
		n += (size_t)snprintf(buf + n, len - n, "strict yes\n");
	return n < len ? (int)n : -ENOSPC;
}

static int parse_line(const char *k, const char *val, struct xnh_fw_vif *v)
{
	if (!strcmp(k, "table")) {
		if (!strcmp(val, "bridge") || !strcmp(val, "inet")) {
			v->table = val[0] == 'b' ? XNH_FW_BRIDGE : XNH_FW_INET;
			return 0;
		}
		return -EINVAL;
	}
	if (!strcmp(k, "ifname") && xnh_ifname_copy(v->ifname, val) == 0)
		return 0;
	if (!strcmp(k, "ifindex")) {
		unsigned long ix;

		if (xnh_parse_uint(val, UINT32_MAX, &ix) < 0 || !ix)
			return -EINVAL;
		v->ifindex = (uint32_t)ix;
		return 0;
	}
	if (!strcmp(k, "mac")) {
		v->has_mac = true;
		return xnh_parse_mac(val, v->mac);
	}
	if (!strcmp(k, "ip"))
		return xnh_iplist_parse(val, &v->ip);
	if (!strcmp(k, "dhcp_server") && !strcmp(val, "yes"))
		return v->dhcp_server = true, 0;
	if (!strcmp(k, "strict") && !strcmp(val, "yes"))
		return v->strict = true, 0;
	return -EINVAL;
}

/* A record back, up to a line "was" if any; anything unexpected makes it
 * invalid. */
int xnh_fw_vif_parse(const char *text, struct xnh_fw_vif *v)
{
	char line[RECORD_MAX], *sp;
	size_t len;
	int r;

	memset(v, 0, sizeof(*v));
	v->table = -1;
	while (*text) {
		len = strcspn(text, "\n");
		if (len >= sizeof(line) || text[len] != '\n')
			return -EINVAL;
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + 1;
		if (!strcmp(line, "was"))
			break;		/* what a re-online under way replaces */
		sp = strchr(line, ' ');
		if (sp)
			*sp++ = '\0';
		r = parse_line(line, sp ? sp : "", v);
		if (r < 0)
			return r;
	}
	return (int)v->table < 0 || !v->ifname[0] ? -EINVAL : 0;
}

static int record_path(enum xnh_fw_table t, const char *ifname, char *buf, size_t len)
{
	char name[48];

	if (xnh_valid_ifname(ifname) < 0)
		return -EINVAL;
	snprintf(name, sizeof(name), "fw-%s-%s", table_name(t), ifname);
	return xnh_state_path(name, buf, len);
}

/* A record: the vif's section, and while a re-online is under way a
 * second one after a line "was": what the kernel may still hold. */
static int record_read(enum xnh_fw_table t, const char *ifname, struct xnh_fw_vif *v,
		       struct xnh_fw_vif *was, bool *has_was)
{
	char path[PATH_MAX], *text, *sep;
	int r = record_path(t, ifname, path, sizeof(path));

	*has_was = false;
	if (r >= 0)
		r = xnh_file_read(path, &text, NULL);
	if (r < 0)
		return r;
	sep = strstr(text, "\nwas\n");
	if (sep)
		sep[1] = '\0';
	r = xnh_fw_vif_parse(text, v);
	if (r >= 0 && sep) {
		r = xnh_fw_vif_parse(sep + 5, was);
		*has_was = r >= 0;
	}
	free(text);
	if (r >= 0 && (v->table != t || strcmp(v->ifname, ifname)))
		r = -EINVAL;
	if (r >= 0 && *has_was && (was->table != t || strcmp(was->ifname, ifname)))
		r = -EINVAL;
	return r;
}

/* @was: the vif as the kernel may still have it (NULL: it has @v). */
int xnh_fw_record_write(const struct xnh_fw_vif *v, const struct xnh_fw_vif *was)
{
	char path[PATH_MAX], text[2 * RECORD_MAX + 8];
	int n, m = 0, r = record_path(v->table, v->ifname, path, sizeof(path));

	if (r >= 0 && !xnh_dry_run())
		r = xnh_state_mkdir();
	n = xnh_fw_vif_format(v, text, RECORD_MAX);
	if (n >= 0 && was) {
		memcpy(text + n, "was\n", 4);
		m = xnh_fw_vif_format(was, text + n + 4, RECORD_MAX);
		n = m < 0 ? m : n + 4 + m;
	}
	if (r < 0 || n < 0)
		return r < 0 ? r : n;
	return xnh_file_replace(path, text, (size_t)n, 0644);
}

int xnh_fw_record_remove(enum xnh_fw_table t, const char *ifname)
{
	char path[PATH_MAX];
	int r = record_path(t, ifname, path, sizeof(path));

	if (r < 0 || xnh_trace("rm %s", path))
		return r;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

/* The vif's index, from its record or else by its name now: -ENODEV when
 * it has none and no interface has that name. */
int xnh_fw_vif_ifindex(struct xnh_fw_vif *v)
{
	if (!v->ifindex)
		v->ifindex = if_nametoindex(v->ifname);
	return v->ifindex ? 0 : -ENODEV;
}

/* Offline: the record of vif @ifname (both sections of an unfinished
 * re-online) goes to fw-gone, unless it names index @keep (the same
 * interface coming online again). 1: retired; 0: no record (or @keep). */
int xnh_fw_record_retire(enum xnh_fw_table t, const char *ifname, uint32_t keep)
{
	struct xnh_fw_vif v, was;
	bool has_was;
	int r = record_read(t, ifname, &v, &was, &has_was);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (keep && (!v.ifindex || v.ifindex == keep))
		return 0;
	if (has_was)
		r = xnh_fw_gone_retire(t, ifname, &was);
	if (r >= 0)
		r = xnh_fw_gone_retire(t, ifname, &v);
	return r < 0 ? r : 1;
}

/* Without a record (lost, or left by another version), a vif that is in
 * @guarded is found by name in each set: rare, and the only walk. An
 * interface of that name that is gone has elements that match nothing. */
static int find_by_name(struct xnh_fw *fw, const struct xnh_fw_layout *l, const char *ifname,
			struct xnh_fw_elem **e, size_t *n)
{
	struct xnh_fw_elem g;
	unsigned int i;
	unsigned int ix = if_nametoindex(ifname);
	int r = ix ? xnh_fw_elem_make(xnh_fw_set_find(l, "guarded"), ix, ifname, NULL, NULL, &g)
		   : 0;

	if (!ix)
		return 0;
	if (r >= 0)
		r = xnh_fw_elem_get(fw, l, &g);
	if (r == -EINVAL)	/* not our key: an older layout, or a table not ours */
		return 0;
	if (r <= 0)
		return r;
	for (i = 0; r >= 0 && i < l->nsets; i++)
		if (l->sets[i].per_vif)
			r = xnh_fw_set_dump(fw, l, &l->sets[i], ifname, e, n);
	if (r >= 0 && l->table == XNH_FW_INET)
		return find_by_name(fw, xnh_fw_layout_of(XNH_FW_ARP), ifname, e, n);
	return r < 0 ? r : 0;
}

static bool same_elem(const struct xnh_fw_elem *x, const struct xnh_fw_elem *y)
{
	return x->set == y->set && x->len == y->len && x->range == y->range &&
	       !memcmp(x->key, y->key, x->len) && !memcmp(x->key_end, y->key_end, x->len);
}

/* Keeps in @old only what @new does not have; returns how many. */
size_t xnh_fw_elems_stale(struct xnh_fw_elem *old, size_t nold, const struct xnh_fw_elem *new,
			  size_t nnew)
{
	size_t i, j, n = 0;

	for (i = 0; i < nold; i++) {
		for (j = 0; j < nnew && !same_elem(&old[i], &new[j]); j++)
			;
		if (j == nnew)
			old[n++] = old[i];
	}
	return n;
}

/* Appends @v's elements to *@e (XNH_FW_VIF_ELEMS more must fit); none
 * for a record without index whose interface is gone. */
static int elems_of(const struct xnh_fw_vif *rec, struct xnh_fw_elem *e, size_t *n)
{
	struct xnh_fw_vif v = *rec;
	int r = xnh_fw_vif_ifindex(&v);

	if (r < 0)
		return 0;
	r = xnh_fw_vif_elems(&v, e + *n, XNH_FW_VIF_ELEMS);

	if (r > 0)
		*n += (size_t)r;
	return r < 0 ? r : 0;
}

/* The elements vif @ifname may have now: from its record (both sections
 * of an unfinished re-online), else by name. @rec: its record, if any. */
int xnh_fw_vif_current(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname,
		       struct xnh_fw_elem **e, size_t *n, struct xnh_fw_vif *rec)
{
	struct xnh_fw_vif v, was;
	bool has_was;
	size_t k;
	int r = record_read(t, ifname, &v, &was, &has_was);

	*e = NULL;
	*n = 0;
	if (rec)
		rec->table = -1;
	if (r < 0)
		return find_by_name(fw, xnh_fw_layout_of(t), ifname, e, n);
	if (rec)
		*rec = v;
	*e = calloc(2 * XNH_FW_VIF_ELEMS, sizeof(**e));
	if (!*e)
		return -ENOMEM;
	r = elems_of(&v, *e, n);
	k = *n;
	if (r >= 0 && has_was)
		r = elems_of(&was, *e, n);
	*n = k + xnh_fw_elems_stale(*e + k, *n - k, *e, k);
	return r;
}

/* Keeps in @e only the elements of table @t; returns how many. */
size_t xnh_fw_elems_keep(struct xnh_fw_elem *e, size_t n, enum xnh_fw_table t)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (xnh_fw_set_layout(e[i].set)->table == t)
			e[k++] = e[i];
	return k;
}

/* The vif as its record describes it (-ENOENT: none). */
int xnh_fw_vif_load(enum xnh_fw_table t, const char *ifname, struct xnh_fw_vif *v)
{
	struct xnh_fw_vif was;
	bool has_was;

	return record_read(t, ifname, v, &was, &has_was);
}

#define RECORD_CHUNK	64	/* elements per message */

struct gathering {
	struct xnh_fw *fw;
	const struct xnh_fw_layout *l;
	struct xnh_fw_elem *all;
	size_t n;
};

/* Appends the elements of recorded vif @ifname to g->all (grown). */
static int gather(enum xnh_fw_table t, const char *ifname, void *arg)
{
	struct gathering *g = arg;
	struct xnh_fw_elem *e = NULL, *p;
	size_t k = 0;
	int r = xnh_fw_vif_current(g->fw, t, ifname, &e, &k, NULL);

	k = xnh_fw_elems_keep(e, k, g->l->table);
	p = r >= 0 && k ? reallocarray(g->all, g->n + k, sizeof(*p)) : g->all;
	if (!p && k)
		r = -ENOMEM;
	if (r >= 0 && k) {
		memcpy(p + g->n, e, k * sizeof(*p));
		g->all = p;
		g->n += k;
	}
	free(e);
	return r;
}

/* The elements of set @s among @e, a few messages of many each. */
static int put_set_elems(struct xnh_fw_batch *b, struct xnh_fw *fw,
			 const struct xnh_fw_layout *l, const struct xnh_fw_set *s,
			 const struct xnh_fw_elem *e, size_t n)
{
	struct xnh_fw_elem *same = calloc(n + 1, sizeof(*same));
	size_t i, k = 0;
	int r = same ? 0 : -ENOMEM;

	for (i = 0; same && i < n; i++)
		if (e[i].set == s)
			same[k++] = e[i];
	for (i = 0; r >= 0 && i < k; i += RECORD_CHUNK)
		r = xnh_fw_elem_put(b, fw, l, &same[i], k - i < RECORD_CHUNK ? k - i : RECORD_CHUNK,
				    NFT_MSG_NEWSETELEM, -1);
	free(same);
	return r;
}

/* A new layout: the elements of every recorded vif, computed anew (its
 * sets may differ from the old layout's), into the batch that makes it;
 * table arp xen takes those of the routed and NAT vifs (inet's records). */
int xnh_fw_records_put(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	struct gathering g = { fw, l, NULL, 0 };
	unsigned int i;
	int r = xnh_fw_records_walk(l->table, gather, &g);

	for (i = 0; r >= 0 && g.n && i < l->nsets; i++)
		r = put_set_elems(b, fw, l, &l->sets[i], g.all, g.n);
	free(g.all);
	return r;
}
