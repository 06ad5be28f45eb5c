/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwquery.c: reading the tables back: their layout version, generation, counter. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/gen.h>
#include <libnftnl/object.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <string.h>

#include "text/text.h"
#include "fw/fw.h"

#define DUMP_SIZE	32768	/* what one recvmsg() of a dump may bring */

struct talk {
	xnh_fw_msg_cb cb;
	void *arg;
	struct xnh_fw *fw;
	int err;			/* @cb's */
	bool intr;			/* a dump a concurrent change interrupted */
	bool answered;			/* the kernel's error ack ended the answer */
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int r = t->cb ? t->cb(nlh, t->arg) : 0;

	t->intr |= !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
	if (r < 0) {
		t->err = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The kernel's error, with its reason (extended ack) kept in the handle;
 * an ack without error ends a request that is not a dump. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	t->answered = true;
	t->fw->err = e->error > 0 ? -e->error : e->error;
	xnh_fw_ext_parse(nlh, t->fw->ext_msg, sizeof(t->fw->ext_msg));
	errno = -t->fw->err;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

/* An answer that was not read to its end (@cb stopped a dump or refused
 * a reply whose ack follows, a read failed) leaves the rest queued on the
 * socket, where the next request would read it as its answer (EPROTO):
 * the socket is replaced by a fresh one. */
static int abandon(struct xnh_fw *fw, int err)
{
	int r;

	xnh_fw_close(fw);
	r = xnh_fw_open(fw);
	return r < 0 ? r : err;
}

/* Sends one request and reads its answers until the ack or, for a dump,
 * its end; each answer goes to @cb. Returns the kernel's -errno; -EAGAIN
 * for a dump that a concurrent change interrupted (NLM_F_DUMP_INTR: what
 * @cb saw may be inconsistent; the caller asks again). */
int xnh_fw_talk(struct xnh_fw *fw, struct nlmsghdr *nlh, xnh_fw_msg_cb cb, void *arg)
{
	char buf[DUMP_SIZE];
	struct talk t = { cb, arg, fw, 0, false, false };
	ssize_t n;
	int r;

	fw->err = 0;
	fw->ext_msg[0] = '\0';
	if (mnl_socket_sendto(fw->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(fw->nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return abandon(fw, -errno);
		r = mnl_cb_run2(buf, (size_t)n, nlh->nlmsg_seq, fw->portid, data_cb, &t,
				ctl_cb, NLMSG_MIN_TYPE);
		if (r == MNL_CB_STOP)
			return t.intr ? -EAGAIN : 0;
		if (r < 0 && t.answered)
			return fw->err;
		if (r < 0)
			return abandon(fw, t.err ? t.err : -errno);
	}
}

/* "xnet layout N" in the table's comment: N, or -1 for a table that is
 * not ours (no such comment). The TLVs are walked here, bounded by @len:
 * libnftnl's parser trusts each length byte, and a table of that name may
 * have been made by anyone. */
int xnh_fw_version_parse(const void *udata, size_t len)
{
	const uint8_t *p = udata, *end = p + len;
	const char *comment = NULL;
	unsigned long v;
	uint8_t n;

	while (p && end - p >= 2) {
		n = p[1];
		if (n > end - p - 2)
			return -1;
		if (p[0] == NFTNL_UDATA_TABLE_COMMENT && n && !p[2 + n - 1])
			comment = (const char *)p + 2;
		p += 2 + n;
	}
	if (!comment || strncmp(comment, "xnet layout ", 12) ||
	    xnh_parse_uint(comment + 12, 1000000, &v) < 0)
		return -1;
	return (int)v;
}

static int table_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_table *t = nftnl_table_alloc();
	const void *ud;
	uint32_t len = 0;
	int *version = arg;

	if (!t)
		return -ENOMEM;
	if (nftnl_table_nlmsg_parse(nlh, t) < 0) {
		nftnl_table_free(t);
		return -EBADMSG;
	}
	ud = nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &len);
	*version = ud ? xnh_fw_version_parse(ud, len) : -1;
	nftnl_table_free(t);
	return 0;
}

/* The layout version of table FAMILY xen (-1: not ours); -ENOENT if missing. */
int xnh_fw_table_version(struct xnh_fw *fw, enum xnh_fw_table t, int *version)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(t);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_table *tb = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!tb)
		return -ENOMEM;
	*version = -1;
	nftnl_table_set_str(tb, NFTNL_TABLE_NAME, "xen");
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, l->family, NLM_F_ACK, fw->seq++);
	nftnl_table_nlmsg_build_payload(nlh, tb);
	nftnl_table_free(tb);
	return xnh_fw_talk(fw, nlh, table_cb, version);
}

static int gen_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_gen *g = nftnl_gen_alloc();
	uint32_t *genid = arg;
	int r = 0;

	if (!g)
		return -ENOMEM;
	if (nftnl_gen_nlmsg_parse(nlh, g) < 0)
		r = -EBADMSG;
	else
		*genid = nftnl_gen_get_u32(g, NFTNL_GEN_ID);
	nftnl_gen_free(g);
	return r;
}

/* The ruleset's generation: a batch that names it fails if anything changed since. */
int xnh_fw_genid(struct xnh_fw *fw, uint32_t *genid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	*genid = 0;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK, fw->seq++);
	return xnh_fw_talk(fw, nlh, gen_cb, genid);
}

struct counts {
	uint64_t pkts, bytes;
};

static int obj_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct counts *c = arg;
	int r = 0;

	if (!o)
		return -ENOMEM;
	if (nftnl_obj_nlmsg_parse(nlh, o) < 0) {
		r = -EBADMSG;
	} else {
		c->pkts = nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS);
		c->bytes = nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_BYTES);
	}
	nftnl_obj_free(o);
	return r;
}

/* What the guard of table FAMILY xen has dropped (counter `dropped`). */
int xnh_fw_counter(struct xnh_fw *fw, enum xnh_fw_table t, uint64_t *pkts, uint64_t *bytes)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(t);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct counts c = { 0, 0 };
	struct nlmsghdr *nlh;
	int r;

	if (!o)
		return -ENOMEM;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, "xen");
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, "dropped");
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETOBJ, l->family, NLM_F_ACK, fw->seq++);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	r = xnh_fw_talk(fw, nlh, obj_cb, &c);
	*pkts = c.pkts;
	*bytes = c.bytes;
	return r;
}

static int set_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_set **s = arg;

	if (*s)
		return 0;
	*s = nftnl_set_alloc();
	if (!*s)
		return -ENOMEM;
	if (nftnl_set_nlmsg_parse(nlh, *s) < 0) {
		nftnl_set_free(*s);
		*s = NULL;
		return -EBADMSG;
	}
	return 0;
}

/* Set @name of table FAMILY xen as the kernel has it; the caller frees it. */
int xnh_fw_set_get(struct xnh_fw *fw, const struct xnh_fw_layout *l, const char *name,
		   struct nftnl_set **out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	int r;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, "xen");
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSET, l->family, NLM_F_ACK, fw->seq++);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	r = xnh_fw_talk(fw, nlh, set_cb, out);
	if (r >= 0 && !*out)
		r = -ENOENT;
	if (r < 0 && *out) {
		nftnl_set_free(*out);
		*out = NULL;
	}
	return r;
}
