/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nl.c: one rtnetlink socket (libnl), with the kernel's own errno kept. */
#include <errno.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* The kernel's own reason for an error (extended ack, NLMSGERR_ATTR_MSG),
 * which follows the error and, unless capped, the request echoed back. */
static void keep_ext_msg(struct xnh_nl *nl, const struct nlmsgerr *e)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	const struct nlattr *a;
	size_t off = sizeof(*e), len;

	nl->ext_msg[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	len = h->nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= len) {
		a = (const struct nlattr *)((const char *)e + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN), (const char *)a + NLA_HDRLEN);
			return;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/* libnl folds the kernel's errno into NLE_* codes (ENODEV and ENOENT both
 * become NLE_OBJ_NOTFOUND); this callback keeps the original. */
static int keep_errno(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct xnh_nl *nl = arg;

	(void)who;
	nl->err = e->error;
	keep_ext_msg(nl, e);
	return NL_STOP;
}

/* The kernel's message for the last error, if it gave one and that error
 * is @err (so that a stale message never explains another failure). */
const char *xnh_nl_ext_msg(const struct xnh_nl *nl, int err)
{
	return nl->sk && err && nl->err == err && nl->ext_msg[0] ? nl->ext_msg : NULL;
}

int xnh_nl_open(struct xnh_nl *nl)
{
	int one = 1, r;

	nl->err = 0;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	r = nl_connect(nl->sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return xnh_nl_errno(r);
	}
	/* Lets the kernel filter dumps (by ifindex) instead of sending all. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_GET_STRICT_CHK,
		   &one, sizeof(one));
	/* The kernel's reason with its errno, for hotplug-error. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, keep_errno, nl);
	return 0;
}

void xnh_nl_close(struct xnh_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/* For failures libnl makes up itself; the kernel's come from keep_errno. */
int xnh_nl_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_SUCCESS:	return 0;
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_EXIST:		return -EEXIST;
	case NLE_OBJ_NOTFOUND:	return -ENODEV;
	case NLE_NODEV:		return -ENODEV;
	case NLE_INVAL:		return -EINVAL;
	case NLE_RANGE:		return -ERANGE;
	case NLE_PERM:		return -EPERM;
	case NLE_BUSY:		return -EBUSY;
	case NLE_NOACCESS:	return -EACCES;
	case NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:	return -EAFNOSUPPORT;
	case NLE_NOADDR:	return -EADDRNOTAVAIL;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_INTR:		return -EINTR;
	case NLE_MSGSIZE:	return -EMSGSIZE;
	case NLE_MSG_TRUNC:	return -EMSGSIZE;
	case NLE_BAD_SOCK:	return -EBADF;
	default:		return -EIO;
	}
}

/* Sends @msg and waits for its ack; returns the kernel's -errno. */
int xnh_nl_send(struct xnh_nl *nl, struct nl_msg *msg)
{
	int r;

	nl->err = 0;
	r = nl_send_auto(nl->sk, msg);
	if (r < 0)
		return xnh_nl_errno(r);
	r = nl_wait_for_ack(nl->sk);
	if (r < 0)
		return nl->err ? nl->err : xnh_nl_errno(r);
	return 0;
}

static unsigned long env_at(const char *name)
{
	const char *v = getenv(name);
	unsigned long at;

	return v && xnh_parse_uint(v, 1000000, &at) >= 0 ? at : 0;
}

/* Test hooks: XNET_FAIL_AT=N makes the Nth change of a run fail with EIO
 * instead of reaching the kernel, so that tests can fail each step in turn
 * and check what is rolled back; XNET_KILL_AT=N kills the run (SIGKILL)
 * just before the Nth change, as a crash or kill -9 would. Unset or not a
 * number: no effect. */
static bool fault_now(void)
{
	static unsigned long count, at, kill_at;
	static bool read;

	if (!read) {
		read = true;
		at = env_at("XNET_FAIL_AT");
		kill_at = env_at("XNET_KILL_AT");
	}
	count++;
	if (kill_at && count == kill_at)
		raise(SIGKILL);
	return at && count == at;
}

/* Prints the change (dry run, verbose) and makes it; consumes @msg. */
int xnh_nl_commit(struct xnh_nl *nl, struct nl_msg *msg, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	int r = 0;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!xnh_trace("%s", what))
		r = fault_now() ? -EIO : xnh_nl_send(nl, msg);
	nlmsg_free(msg);
	return r;
}

#define DUMP_TRIES	8

/* Sends the dump request @msg (consumed) and hands each reply message to
 * @valid; returns the kernel's -errno, or 0 when the dump ended. A dump
 * that a concurrent change interrupted (NLM_F_DUMP_INTR: what it returned
 * may be inconsistent) is thrown away with @reset(@arg) and asked again. */
int xnh_nl_dump(struct xnh_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t valid,
		void (*reset)(void *arg), void *arg)
{
	struct nl_cb *cb, *sk_cb = nl_socket_get_cb(nl->sk);
	int r = -ENOMEM, tries = 0;

	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (cb) {
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
		do {
			if (tries && reset)
				reset(arg);
			nl->err = 0;
			nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
			r = nl_send_auto(nl->sk, msg);
			if (r >= 0)
				r = nl_recvmsgs(nl->sk, cb);
		} while (r == -NLE_DUMP_INTR && ++tries < DUMP_TRIES);
		if (r == -NLE_DUMP_INTR)
			r = -EAGAIN;
		else
			r = r < 0 ? (nl->err ? nl->err : xnh_nl_errno(r)) : 0;
		nl_cb_put(cb);
	}
	nlmsg_free(msg);
	return r;
}

/* A reset for dumps that collect into a struct xnh_vec at @arg. */
void xnh_vec_reset(void *arg)
{
	struct xnh_vec *vec = arg;

	vec->n = 0;
	vec->err = 0;
}

/* Sends the request @msg (consumed), hands its one answer to @valid and
 * reads the ack that follows; the kernel's -errno, or 0. */
int xnh_nl_get(struct xnh_nl *nl, struct nl_msg *msg, nl_recvmsg_msg_cb_t valid, void *arg)
{
	int r = xnh_nl_dump(nl, msg, valid, NULL, arg);

	if (r == 0) {
		r = nl_wait_for_ack(nl->sk);
		r = r < 0 ? (nl->err ? nl->err : xnh_nl_errno(r)) : 0;
	}
	return r;
}

/* A new zeroed slot of @size bytes at the end of @vec (what a dump
 * collects), or NULL with vec->err set. */
void *xnh_vec_add(struct xnh_vec *vec, size_t size)
{
	void *nv;

	if (vec->n == vec->cap) {
		nv = realloc(vec->v, (vec->cap * 2 + 8) * size);
		if (!nv) {
			vec->err = -ENOMEM;
			return NULL;
		}
		vec->v = nv;
		vec->cap = vec->cap * 2 + 8;
	}
	return memset((char *)vec->v + size * vec->n++, 0, size);
}
