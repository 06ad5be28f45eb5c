/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwset.c: element changes that tolerate what is already done, and set dumps. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "fw/fw.h"

#define ROUNDS	4

/* Deleting what is gone (ENOENT) or adding what is there (EEXIST) is
 * done; anything else is a failure. */
static bool done_already(int err, bool add)
{
	return add ? err == -EEXIST : err == -ENOENT;
}

static int put_ops(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		   const struct xnh_fw_elem *del, size_t ndel, const struct xnh_fw_elem *add,
		   size_t nadd, const bool *skip)
{
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < ndel; i++)
		if (!skip[i])
			r = xnh_fw_elem_put(b, fw, l, &del[i], 1, NFT_MSG_DELSETELEM, (int)i);
	for (i = 0; r >= 0 && i < nadd; i++)
		if (!skip[ndel + i])
			r = xnh_fw_elem_put(b, fw, l, &add[i], 1, NFT_MSG_NEWSETELEM,
					    (int)(ndel + i));
	return r;
}

/* Marks the messages that failed only because their work was done;
 * returns how many, or the first real failure. */
static int settle(const struct xnh_fw_batch *b, size_t ndel, bool *skip)
{
	unsigned int i, n = 0;
	const struct xnh_fw_msg *m;

	if (b->begin_err)
		return b->begin_err;
	for (i = 0; i < b->n; i++) {
		m = &b->msg[i];
		if (m->err >= 0)
			continue;
		if (!done_already(m->err, (size_t)m->tag >= ndel))
			return m->err;
		skip[m->tag] = true;
		n++;
	}
	return (int)n;
}

/* Deletes @del and adds @add in one batch, one element per message. A
 * batch fails as a whole when one message fails, and a kernel without
 * DESTROYSETELEM (before 6.3) fails a delete of a missing element: such
 * elements are left out and the rest sent again. */
int xnh_fw_elems_apply(struct xnh_fw *fw, const struct xnh_fw_layout *l,
		       const struct xnh_fw_elem *del, size_t ndel,
		       const struct xnh_fw_elem *add, size_t nadd)
{
	struct xnh_fw_batch b;
	bool *skip = calloc(ndel + nadd + 1, sizeof(*skip));
	int r = -ENOMEM, round, settled;

	for (round = 0; skip && round < ROUNDS; round++) {
		r = xnh_fw_batch_init(&b, fw, 0);
		if (r < 0)
			break;
		b.quiet = round > 0;
		r = put_ops(&b, fw, l, del, ndel, add, nadd, skip);
		if (r >= 0)
			r = xnh_fw_batch_send(fw, &b);
		settled = r < 0 ? settle(&b, ndel, skip) : 0;
		if (settled < 0) {
			r = settled;	/* the real failure, not one that was done */
			xnh_fw_ext_keep(fw, &b, r);
		}
		xnh_fw_batch_free(&b);
		if (r >= 0 || settled <= 0)
			break;
	}
	free(skip);
	return r;
}

struct dump {
	const struct xnh_fw_set *set;
	const char *ifname;		/* only elements of that name, if set */
	struct xnh_fw_elem **e;
	size_t *n, cap;
};

static int keep_elem(struct nftnl_set_elem *se, void *arg)
{
	struct dump *d = arg;
	const void *key, *end;
	uint32_t len = 0, elen = 0;
	char name[XNH_IFNAMSIZ] = { 0 };
	struct xnh_fw_elem *e;

	key = nftnl_set_elem_get(se, NFTNL_SET_ELEM_KEY, &len);
	if (!key || len != xnh_fw_set_keylen(d->set))
		return 0;
	if (d->ifname) {		/* after the index, if the key begins with one */
		strncpy(name, d->ifname, sizeof(name) - 1);
		if (memcmp((const uint8_t *)key + (d->set->field[0] == XNH_FWF_IFINDEX ? 4 : 0),
			   name, sizeof(name)))
			return 0;
	}
	if (*d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		e = reallocarray(*d->e, d->cap, sizeof(**d->e));
		if (!e)
			return -1;
		*d->e = e;
	}
	e = &(*d->e)[(*d->n)++];
	memset(e, 0, sizeof(*e));
	e->set = d->set;
	e->len = len;
	memcpy(e->key, key, len);
	end = nftnl_set_elem_get(se, NFTNL_SET_ELEM_KEY_END, &elen);
	e->range = end && elen == len;
	if (e->range)
		memcpy(e->key_end, end, len);
	return 0;
}

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_set *s = nftnl_set_alloc();
	int r = 0;

	if (!s)
		return -ENOMEM;
	if (nftnl_set_elems_nlmsg_parse(nlh, s) < 0)
		r = -EBADMSG;
	else if (nftnl_set_elem_foreach(s, keep_elem, arg) < 0)
		r = -ENOMEM;
	nftnl_set_free(s);
	return r;
}

/* Appends the elements of set @s (those of vif @ifname, if given) to *@e,
 * which grows; the caller frees it. A missing table or set has none. */
int xnh_fw_set_dump(struct xnh_fw *fw, const struct xnh_fw_layout *l, const struct xnh_fw_set *s,
		    const char *ifname, struct xnh_fw_elem **e, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump d = { s, ifname, e, n, *n };
	size_t start = *n;
	struct nftnl_set *ns;
	struct nlmsghdr *nlh;
	int r = -EAGAIN, tries;

	/* an interrupted dump is thrown away and asked again */
	for (tries = 0; r == -EAGAIN && tries < 8; tries++) {
		*n = start;
		ns = nftnl_set_alloc();
		if (!ns)
			return -ENOMEM;
		nftnl_set_set_str(ns, NFTNL_SET_TABLE, "xen");
		nftnl_set_set_str(ns, NFTNL_SET_NAME, s->name);
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, l->family, NLM_F_DUMP,
					    fw->seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, ns);
		nftnl_set_free(ns);
		r = xnh_fw_talk(fw, nlh, dump_cb, &d);
	}
	return r == -ENOENT ? 0 : r;
}
