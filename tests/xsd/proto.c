/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xsd: runs XS_* requests on the store, queues replies and watch events. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct req {
	const struct xsd_sockmsg *hdr;
	char *data;		/* payload with a NUL appended */
	size_t len;
	struct txn *txn;	/* NULL outside a transaction */
	struct node **root;	/* the tree the request works on */
};

struct handler {
	const char *name;
	int (*fn)(struct conn *c, struct req *r);
};

static void reply(struct conn *c, const struct req *r, const void *data,
		  size_t len)
{
	struct xsd_sockmsg h = *r->hdr;

	h.len = len;
	conn_queue(c, &h, data);
}

static void reply_ok(struct conn *c, const struct req *r)
{
	reply(c, r, "OK", 3);
}

static void reply_err(struct conn *c, const struct req *r, int err)
{
	const char *name = "EINVAL";
	struct xsd_sockmsg h = *r->hdr;
	size_t i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (xsd_errors[i].errnum == err)
			name = xsd_errors[i].errstring;
	h.type = XS_ERROR;
	h.len = strlen(name) + 1;
	conn_queue(c, &h, name);
}

/* Splits the payload into at most max NUL-terminated strings. */
static int split(const struct req *r, const char **v, int max)
{
	size_t off = 0;
	int n = 0;

	if (!r->len || r->data[r->len - 1])
		return -EINVAL;
	while (off < r->len) {
		if (n == max)
			return -EINVAL;
		v[n++] = r->data + off;
		off += strlen(r->data + off) + 1;
	}
	return n;
}

/* A path a transaction touches is remembered with the global node's
 * generation, for the conflict check at its end. */
static int touch(const struct req *r, const char *path)
{
	return r->txn ? txn_access(r->txn, path) : 0;
}

static int path_arg(const struct req *r, char *path)
{
	const char *v[1];
	int err;

	if (split(r, v, 1) != 1)
		return -EINVAL;
	err = path_canon(v[0], false, path, XSD_PATH_BUF);
	return err ? err : touch(r, path);
}

/* Finds the node named by the single path argument. */
static int node_arg(const struct req *r, struct node **n)
{
	char path[XSD_PATH_BUF];
	int err = path_arg(r, path);

	if (err)
		return err;
	*n = node_find(*r->root, path);
	return *n ? 0 : -ENOENT;
}

static int uint_arg(const char *s, unsigned long *val)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*val = strtoul(s, &end, 10);
	return errno ? -EINVAL : 0;
}

static void send_event(struct conn *c, const struct watch *w,
		       const char *path)
{
	struct xsd_sockmsg h = { .type = XS_WATCH_EVENT };
	size_t plen = strlen(path) + 1, tlen = strlen(w->token) + 1;
	char buf[XENSTORE_PAYLOAD_MAX];

	if (plen + tlen > sizeof(buf)) {
		logmsg("conn %u: watch event for %s too long, dropped",
		       c->id, path);
		return;
	}
	memcpy(buf, path, plen);
	memcpy(buf + plen, w->token, tlen);
	h.len = plen + tlen;
	conn_queue(c, &h, buf);
}

/* Fires the watches on path and its ancestors, and below it for rm. */
static void fire_watches(const char *path, bool rm)
{
	struct conn *c;
	struct watch *w;

	for (c = conns; c; c = c->next) {
		for (w = c->watches; w && !c->dead; w = w->next) {
			const char *ev = NULL;

			if (w->abs[0] == '@')
				continue;
			if (path_under(path, w->abs))
				ev = w->path[0] == '/' ? path : path_rel(path);
			else if (rm && path_under(w->abs, path))
				ev = w->path;
			if (ev)
				send_event(c, w, ev);
		}
	}
}

static uint64_t change_gen(const struct req *r)
{
	return r->txn ? r->txn->start_gen + 1 : store_gen + 1;
}

static int changed(struct conn *c, struct req *r, const char *path, bool rm)
{
	if (r->txn) {
		int err = txn_record(r->txn, path, rm);

		if (err)
			return err;
	} else {
		store_gen++;
		fire_watches(path, rm);
	}
	reply_ok(c, r);
	return 0;
}

static int do_read(struct conn *c, struct req *r)
{
	struct node *n;
	int err = node_arg(r, &n);

	if (!err)
		reply(c, r, n->value, n->vlen);
	return err;
}

static int do_write(struct conn *c, struct req *r)
{
	char path[XSD_PATH_BUF];
	char *val = memchr(r->data, 0, r->len);
	int err;

	if (!val)
		return -EINVAL;
	val++;
	err = path_canon(r->data, false, path, sizeof(path));
	if (!err)
		err = touch(r, path);
	if (!err)
		err = store_write(r->root, path, val, r->len - (val - r->data),
				  change_gen(r));
	return err ? err : changed(c, r, path, false);
}

/* MKDIR and RM: ret > 0 when the tree changed. */
static int mkdir_or_rm(struct conn *c, struct req *r, bool rm)
{
	char path[XSD_PATH_BUF];
	int ret = path_arg(r, path);

	if (!ret && rm)
		ret = store_rm(r->root, path, change_gen(r));
	else if (!ret)
		ret = store_mkdir(r->root, path, change_gen(r));
	if (ret > 0)
		return changed(c, r, path, rm);
	if (!ret)
		reply_ok(c, r);
	return ret;
}

static int do_mkdir(struct conn *c, struct req *r)
{
	return mkdir_or_rm(c, r, false);
}

static int do_rm(struct conn *c, struct req *r)
{
	return mkdir_or_rm(c, r, true);
}

static int do_directory(struct conn *c, struct req *r)
{
	struct node *n;
	size_t len;
	char *list;
	int err = node_arg(r, &n);

	if (err)
		return err;
	list = node_list(n, &len);
	if (!list)
		return -ENOMEM;
	if (len > XENSTORE_PAYLOAD_MAX)
		err = -E2BIG;
	else
		reply(c, r, list, len);
	free(list);
	return err;
}

/* Reply: "gen\0" then the names from byte off on that fit, "\0" at the end. */
static void send_part(struct conn *c, struct req *r, const struct node *n,
		      const char *list, size_t len, size_t off)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t glen, end = off;

	glen = snprintf(buf, sizeof(buf), "%" PRIu64, n->gen) + 1;
	while (end < len) {
		size_t l = strlen(list + end) + 1;

		if (glen + end - off + l + 1 > sizeof(buf))
			break;
		end += l;
	}
	memcpy(buf + glen, list + off, end - off);
	glen += end - off;
	if (end == len)
		buf[glen++] = 0;
	reply(c, r, buf, glen);
}

static int do_directory_part(struct conn *c, struct req *r)
{
	char path[XSD_PATH_BUF], *list;
	const char *v[2];
	unsigned long off;
	struct node *n;
	size_t len;
	int err = split(r, v, 2) == 2 ? 0 : -EINVAL;

	if (!err)
		err = path_canon(v[0], false, path, sizeof(path));
	if (!err)
		err = uint_arg(v[1], &off);
	if (err)
		return err;
	n = node_find(*r->root, path);
	if (!n)
		return -ENOENT;
	list = node_list(n, &len);
	if (!list)
		return -ENOMEM;
	if (off > len)
		err = -EINVAL;
	else
		send_part(c, r, n, list, len, off);
	free(list);
	return err;
}

static int do_get_perms(struct conn *c, struct req *r)
{
	struct node *n;
	int err = node_arg(r, &n);

	if (!err)
		reply(c, r, n->perms, n->plen);
	return err;
}

static int do_set_perms(struct conn *c, struct req *r)
{
	char path[XSD_PATH_BUF];
	size_t skip = strlen(r->data) + 1;
	int err;

	if (skip >= r->len || !perms_valid(r->data + skip, r->len - skip))
		return -EINVAL;
	err = path_canon(r->data, false, path, sizeof(path));
	if (!err)
		err = touch(r, path);
	if (!err)
		err = store_set_perms(r->root, path, r->data + skip,
				      r->len - skip, change_gen(r));
	return err ? err : changed(c, r, path, false);
}

static struct watch **watch_find(struct conn *c, const char *abs,
				 const char *token)
{
	struct watch **pw;

	for (pw = &c->watches; *pw; pw = &(*pw)->next)
		if (!strcmp((*pw)->abs, abs) && !strcmp((*pw)->token, token))
			return pw;
	return NULL;
}

static void watch_free(struct watch *w)
{
	free(w->path);
	free(w->abs);
	free(w->token);
	free(w);
}

static int do_watch(struct conn *c, struct req *r)
{
	char abs[XSD_PATH_BUF];
	const char *v[2];
	struct watch *w;
	int err = split(r, v, 2) == 2 ? 0 : -EINVAL;

	if (!err)
		err = path_canon(v[0], true, abs, sizeof(abs));
	if (err)
		return err;
	if (watch_find(c, abs, v[1]))
		return -EEXIST;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(v[0]);
	w->abs = strdup(abs);
	w->token = strdup(v[1]);
	if (!w->path || !w->abs || !w->token) {
		watch_free(w);
		return -ENOMEM;
	}
	w->next = c->watches;
	c->watches = w;
	reply_ok(c, r);
	send_event(c, w, w->path);
	return 0;
}

static int do_unwatch(struct conn *c, struct req *r)
{
	char abs[XSD_PATH_BUF];
	const char *v[2];
	struct watch **pw, *w;
	int err = split(r, v, 2) == 2 ? 0 : -EINVAL;

	if (!err)
		err = path_canon(v[0], true, abs, sizeof(abs));
	if (err)
		return err;
	pw = watch_find(c, abs, v[1]);
	if (!pw)
		return -ENOENT;
	w = *pw;
	*pw = w->next;
	watch_free(w);
	reply_ok(c, r);
	return 0;
}

static int do_tx_start(struct conn *c, struct req *r)
{
	struct txn *t;
	char buf[16];

	if (r->txn)
		return -EBUSY;
	t = txn_new();
	if (!t)
		return -ENOMEM;
	t->next = c->txns;
	c->txns = t;
	reply(c, r, buf, snprintf(buf, sizeof(buf), "%" PRIu32, t->id) + 1);
	return 0;
}

static int do_tx_end(struct conn *c, struct req *r)
{
	const char *v[1];
	struct txn **pt;
	size_t i;
	int err;

	if (!r->txn)
		return -ENOENT;
	if (split(r, v, 1) != 1 || (strcmp(v[0], "T") && strcmp(v[0], "F")))
		return -EINVAL;
	for (pt = &c->txns; *pt != r->txn; pt = &(*pt)->next)
		;
	*pt = r->txn->next;
	err = v[0][0] == 'T' ? txn_commit(r->txn) : 0;
	if (!err && v[0][0] == 'T')
		for (i = 0; i < r->txn->nchanges; i++)
			fire_watches(r->txn->changes[i].path,
				     r->txn->changes[i].rm);
	txn_free(r->txn);
	r->txn = NULL;
	if (!err)
		reply_ok(c, r);
	return err;
}

static int do_get_domain_path(struct conn *c, struct req *r)
{
	const char *v[1];
	unsigned long domid;
	char buf[48];

	if (split(r, v, 1) != 1 || uint_arg(v[0], &domid) || domid > 0xffff)
		return -EINVAL;
	reply(c, r, buf,
	      snprintf(buf, sizeof(buf), "/local/domain/%lu", domid) + 1);
	return 0;
}

static int do_is_introduced(struct conn *c, struct req *r)
{
	const char *v[1];
	unsigned long domid;

	if (split(r, v, 1) != 1 || uint_arg(v[0], &domid))
		return -EINVAL;
	reply(c, r, domid ? "F" : "T", 2);
	return 0;
}

static int do_reset_watches(struct conn *c, struct req *r)
{
	conn_release(c);
	r->txn = NULL;
	reply_ok(c, r);
	return 0;
}

static const struct handler handlers[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { "CONTROL", NULL },
	[XS_DIRECTORY] = { "DIRECTORY", do_directory },
	[XS_READ] = { "READ", do_read },
	[XS_GET_PERMS] = { "GET_PERMS", do_get_perms },
	[XS_WATCH] = { "WATCH", do_watch },
	[XS_UNWATCH] = { "UNWATCH", do_unwatch },
	[XS_TRANSACTION_START] = { "TRANSACTION_START", do_tx_start },
	[XS_TRANSACTION_END] = { "TRANSACTION_END", do_tx_end },
	[XS_INTRODUCE] = { "INTRODUCE", NULL },
	[XS_RELEASE] = { "RELEASE", NULL },
	[XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", do_get_domain_path },
	[XS_WRITE] = { "WRITE", do_write },
	[XS_MKDIR] = { "MKDIR", do_mkdir },
	[XS_RM] = { "RM", do_rm },
	[XS_SET_PERMS] = { "SET_PERMS", do_set_perms },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
				      do_is_introduced },
	[XS_RESUME] = { "RESUME", NULL },
	[XS_SET_TARGET] = { "SET_TARGET", NULL },
	[XS_RESET_WATCHES] = { "RESET_WATCHES", do_reset_watches },
	[XS_DIRECTORY_PART] = { "DIRECTORY_PART", do_directory_part },
};

static struct txn *txn_find(struct conn *c, uint32_t id)
{
	struct txn *t;

	for (t = c->txns; t && t->id != id; t = t->next)
		;
	return t;
}

void proto_handle(struct conn *c, const struct xsd_sockmsg *hdr,
		  const char *payload)
{
	static char data[XENSTORE_PAYLOAD_MAX + 1];
	static const struct handler invalid = { "INVALID", NULL };
	const struct handler *h = &invalid;
	struct req r = { .hdr = hdr, .data = data, .len = hdr->len };
	int err = 0;

	if (hdr->type < XS_TYPE_COUNT && handlers[hdr->type].name)
		h = &handlers[hdr->type];
	memcpy(data, payload, hdr->len);
	data[hdr->len] = 0;
	if (verbose)
		logmsg("conn %u: %s tx %" PRIu32 " \"%.80s\"", c->id, h->name,
		       hdr->tx_id, data);
	if (hdr->tx_id) {
		r.txn = txn_find(c, hdr->tx_id);
		if (!r.txn)
			err = -ENOENT;
	}
	r.root = r.txn ? &r.txn->root : &store_root;
	if (!err && !h->fn)	/* domain management makes no sense here */
		err = h == &invalid ? -EINVAL : -ENOSYS;
	if (!err)
		err = h->fn(c, &r);
	if (err)
		reply_err(c, &r, -err);
}

/* Drops the watches and transactions of a connection. */
void conn_release(struct conn *c)
{
	while (c->watches) {
		struct watch *w = c->watches;

		c->watches = w->next;
		watch_free(w);
	}
	while (c->txns) {
		struct txn *t = c->txns;

		c->txns = t->next;
		txn_free(t);
	}
}
