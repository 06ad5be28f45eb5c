/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwbatch.c: the netfilter socket and nft batches: every message acked, every ack read. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sys/sys.h"
#include "fw/fw.h"

#define MSG_ROOM	16384	/* more than one message takes (element lists are split) */
#define END_ROOM	64	/* BATCH_END */

int xnh_fw_open(struct xnh_fw *fw)
{
	int one = 1, r;

	fw->seq = 1;
	fw->err = 0;
	fw->ext_msg[0] = '\0';
	fw->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!fw->nl)
		return -errno;
	if (mnl_socket_bind(fw->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		xnh_fw_close(fw);
		return r;
	}
	fw->portid = mnl_socket_get_portid(fw->nl);
	/* an ack carries only the header of the message it answers */
	mnl_socket_setsockopt(fw->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	/* and the kernel's reason with an error, for hotplug-error */
	mnl_socket_setsockopt(fw->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

void xnh_fw_close(struct xnh_fw *fw)
{
	if (fw->nl)
		mnl_socket_close(fw->nl);
	fw->nl = NULL;
}

/* Room for one more message (and the END) and its record. */
static int grow(struct xnh_fw_batch *b)
{
	size_t cap = b->cap * 2;
	void *p;

	if (b->cap - b->len < MSG_ROOM + END_ROOM) {
		p = realloc(b->buf, cap);
		if (!p)
			return -ENOMEM;
		b->buf = p;
		b->cap = cap;
	}
	if (b->n == b->nmax) {
		p = reallocarray(b->msg, b->nmax * 2, sizeof(*b->msg));
		if (!p)
			return -ENOMEM;
		b->msg = p;
		b->nmax *= 2;
	}
	return 0;
}

/* The message filled since the last put() becomes part of the batch. */
static void seal(struct xnh_fw_batch *b)
{
	if (b->cur)
		b->len += NLMSG_ALIGN(b->cur->nlmsg_len);
	b->cur = NULL;
}

/* Starts a batch: BATCH_BEGIN, with the ruleset generation it expects
 * when @genid is not 0 (the kernel refuses it with ERESTART if stale). */
int xnh_fw_batch_init(struct xnh_fw_batch *b, struct xnh_fw *fw, uint32_t genid)
{
	struct nlmsghdr *nlh;

	memset(b, 0, sizeof(*b));
	b->cap = 4 * MSG_ROOM;
	b->nmax = 16;
	b->buf = calloc(1, b->cap);
	b->msg = calloc(b->nmax, sizeof(*b->msg));
	if (!b->buf || !b->msg) {
		xnh_fw_batch_free(b);
		return -ENOMEM;
	}
	b->seq0 = fw->seq++;
	nlh = nftnl_batch_begin(b->buf, b->seq0);
	if (genid)
		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	b->len = NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

/* Adds a message header (always with NLM_F_ACK) for the caller to fill;
 * @fmt says what the message does, in nft's words. */
struct nlmsghdr *xnh_fw_batch_put(struct xnh_fw_batch *b, struct xnh_fw *fw, uint16_t type,
				  uint16_t family, uint16_t flags, int tag, const char *fmt, ...)
{
	struct xnh_fw_msg *m;
	va_list ap;
	int r;

	seal(b);
	r = b->err ? b->err : b->ended ? -EINVAL : grow(b);
	if (r < 0) {
		b->err = r;
		return NULL;
	}
	m = &b->msg[b->n];
	m->err = 1;
	m->tag = tag;
	m->ext = NULL;
	va_start(ap, fmt);
	vsnprintf(m->what, sizeof(m->what), fmt, ap);
	va_end(ap);
	m->seq = fw->seq;
	b->n++;
	b->cur = nftnl_nlmsg_build_hdr(b->buf + b->len, type, family, flags | NLM_F_ACK,
				       fw->seq++);
	return b->cur;
}

/* XNET_FAIL_AT=nft_policy, a test hook: the batch also carries a message
 * that the kernel refuses on its attribute policy (a table name longer
 * than nft allows), which it explains in an extended ack. */
static int put_refused(struct xnh_fw_batch *b, struct xnh_fw *fw)
{
	char name[300];
	struct nlmsghdr *nlh;

	if (!xnh_fault("nft_policy", 1))
		return 0;
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE, -1,
			       "add table inet x... (%zu characters, XNET_FAIL_AT)", sizeof(name) - 1);
	if (nlh)
		mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, name);
	seal(b);
	return b->err;
}

int xnh_fw_batch_end(struct xnh_fw_batch *b, struct xnh_fw *fw)
{
	struct nlmsghdr *nlh;

	seal(b);
	if (b->err || b->ended || put_refused(b, fw) < 0)
		return b->err;
	nlh = nftnl_batch_end(b->buf + b->len, fw->seq++);
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->ended = true;
	return 0;
}

void xnh_fw_batch_free(struct xnh_fw_batch *b)
{
	unsigned int i;

	for (i = 0; b->msg && i < b->n; i++)
		free(b->msg[i].ext);
	free(b->buf);
	free(b->msg);
	b->buf = NULL;
	b->msg = NULL;
}

static struct xnh_fw_msg *msg_of(struct xnh_fw_batch *b, uint32_t seq)
{
	unsigned int i = seq - (b->n ? b->msg[0].seq : 0);

	if (i < b->n && b->msg[i].seq == seq)
		return &b->msg[i];
	for (i = 0; i < b->n; i++)
		if (b->msg[i].seq == seq)
			return &b->msg[i];
	return NULL;
}

struct ext {
	char *buf;
	size_t len;
};

static int ext_attr(const struct nlattr *a, void *data)
{
	struct ext *x = data;

	if (mnl_attr_get_type(a) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	snprintf(x->buf, x->len, "%s", mnl_attr_get_str(a));
	return MNL_CB_STOP;
}

/* The kernel's reason (NLMSGERR_ATTR_MSG) in the error ack @nlh, into
 * @buf: its length, 0 if it gave none, -EBADMSG if the ack is malformed.
 * The TLVs follow the error and, unless capped, the request echoed back. */
int xnh_fw_ext_parse(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e), size;
	struct ext x = { buf, len };

	buf[0] = '\0';
	if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_len < mnl_nlmsg_size(off))
		return -EBADMSG;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	size = mnl_nlmsg_get_payload_len(nlh);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	if (off > size || mnl_attr_parse(nlh, (unsigned int)off, ext_attr, &x) < 0) {
		buf[0] = '\0';
		return -EBADMSG;
	}
	return (int)strlen(buf);
}

/* Records the acks in @buf against the batch's messages; returns how many
 * messages were answered. An error on BATCH_BEGIN fails the whole batch. */
int xnh_fw_acks_parse(struct xnh_fw_batch *b, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	const struct nlmsgerr *e;
	struct xnh_fw_msg *m;
	int left = (int)len, acks = 0;
	char text[sizeof(((struct xnh_fw *)0)->ext_msg)];

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		e = mnl_nlmsg_get_payload(nlh);
		if (e->msg.nlmsg_seq == b->seq0) {
			b->begin_err = e->error ? e->error : -EIO;
			continue;
		}
		m = msg_of(b, e->msg.nlmsg_seq);
		if (!m || m->err != 1)
			continue;
		m->err = e->error > 0 ? -e->error : e->error;
		if (m->err < 0 && xnh_fw_ext_parse(nlh, text, sizeof(text)) > 0)
			m->ext = strdup(text);	/* without memory, the errno alone */
		acks++;
	}
	return acks;
}

/* 0 when every message was acked without error, else the first error. */
int xnh_fw_batch_result(const struct xnh_fw_batch *b)
{
	unsigned int i;
	bool lost = false;

	if (b->begin_err)
		return b->begin_err;
	for (i = 0; i < b->n; i++) {
		if (b->msg[i].err < 0)
			return b->msg[i].err;
		lost |= b->msg[i].err == 1;
	}
	return lost ? -EIO : 0;
}

/* Keeps @err as @fw's last answer, with the kernel's reason for the first
 * message of @b that failed with it, if the kernel gave one. */
void xnh_fw_ext_keep(struct xnh_fw *fw, const struct xnh_fw_batch *b, int err)
{
	unsigned int i;

	fw->err = err;
	fw->ext_msg[0] = '\0';
	for (i = 0; err < 0 && i < b->n; i++)
		if (b->msg[i].err == err && b->msg[i].ext) {
			snprintf(fw->ext_msg, sizeof(fw->ext_msg), "%s", b->msg[i].ext);
			return;
		}
}

/* The kernel's reason for the last failure on @fw, if it gave one and that
 * failure is @err (so that a stale reason never explains another). */
const char *xnh_fw_ext_msg(const struct xnh_fw *fw, int err)
{
	return err && fw->err == err && fw->ext_msg[0] ? fw->ext_msg : NULL;
}

/* The kernel handles a batch inside sendmsg(), so every ack is queued by
 * the time it returns; the wait is only a safety net. */
static int read_acks(struct xnh_fw *fw, struct xnh_fw_batch *b)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(fw->nl), .events = POLLIN };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int got = 0;
	ssize_t n;
	int r;

	while (got < b->n && !b->begin_err) {
		n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN) {
			r = poll(&pfd, 1, 5000);
			if (r == 0)
				return -ETIMEDOUT;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		r = xnh_fw_acks_parse(b, buf, (size_t)n);
		if (r < 0)
			return r;
		got += (unsigned int)r;
	}
	return xnh_fw_batch_result(b);
}

/* Socket buffers for a large batch (a layout upgrade): the whole batch
 * goes in one sendmsg(), and all its acks must fit before they are read. */
static void size_buffers(struct xnh_fw *fw, const struct xnh_fw_batch *b)
{
	int snd = (int)b->len + 4096, rcv = (int)b->n * 1024;

	if (snd > 128 * 1024)
		mnl_socket_setsockopt(fw->nl, SO_SNDBUFFORCE, &snd, sizeof(snd));
	if (rcv > 128 * 1024)
		mnl_socket_setsockopt(fw->nl, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
}

/* Ends, prints (verbose, dry run) and sends the batch, then reads every
 * ack. In a dry run nothing is sent and every message counts as done. */
int xnh_fw_batch_send(struct xnh_fw *fw, struct xnh_fw_batch *b)
{
	unsigned int i;
	bool dry = false;
	int r = xnh_fw_batch_end(b, fw);

	if (r < 0 || !b->n)
		return r;
	for (i = 0; i < b->n; i++)
		dry = b->quiet ? xnh_dry_run() : xnh_trace("nft %s", b->msg[i].what);
	if (dry) {
		for (i = 0; i < b->n; i++)
			b->msg[i].err = 0;
		return 0;
	}
	size_buffers(fw, b);
	r = mnl_socket_sendto(fw->nl, b->buf, b->len) < 0 ? -errno : read_acks(fw, b);
	xnh_fw_ext_keep(fw, b, r);
	return r;
}
