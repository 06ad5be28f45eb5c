/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store.c: xenstore reads and writes through libxenstore. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "sys/sys.h"
#include "store/store.h"

/* Where libxenstore looks first; named in messages when it cannot connect. */
const char *xnh_store_socket(void)
{
	const char *s = getenv("XENSTORED_PATH");

	return s && *s ? s : "/var/run/xenstored/socket";
}

int xnh_store_open(struct xnh_store *st)
{
	if (st->xs)
		return 0;
	st->xs = xs_open(0);
	return st->xs ? 0 : -(errno ? errno : ECONNREFUSED);
}

/* Forgets the listing: a write may have added a key to its directory. */
static void unlist(struct xnh_store *st)
{
	free(st->dir);
	free(st->keys);
	st->dir = NULL;
	st->keys = NULL;
	st->nkeys = 0;
}

/* ... when a write to @path may add a key to the listed directory: @path
 * is under it, or one is absolute and the other not (/local/domain/0/...
 * may name the same node). */
static void unlist_under(struct xnh_store *st, const char *path)
{
	size_t n = st->dir ? strlen(st->dir) : 0;

	if (st->dir && ((*path == '/') != (*st->dir == '/') ||
			(!strncmp(path, st->dir, n) && path[n] == '/')))
		unlist(st);
}

void xnh_store_close(struct xnh_store *st)
{
	unlist(st);
	if (st->xs)
		xs_close(st->xs);
	st->xs = NULL;
}

/* Lists @dir once (one round trip), so that xnh_store_read_key answers
 * -ENOENT for a key it does not hold without asking: a vif's optional keys
 * (ip, vifname, mtu, vlan...) are mostly absent, and each read of one was
 * a round trip. A key made after the listing is as if made after the read;
 * our own writes drop the listing. */
int xnh_store_list(struct xnh_store *st, const char *dir)
{
	unsigned int n;
	char **keys;

	unlist(st);
	if (!st->xs)
		return -ENOTCONN;
	keys = xs_directory(st->xs, XBT_NULL, dir, &n);
	if (!keys)
		return -(errno ? errno : EIO);
	st->dir = strdup(dir);
	if (!st->dir) {
		free(keys);
		return -ENOMEM;
	}
	st->keys = keys;
	st->nkeys = n;
	return 0;
}

/* false only when @dir/@key is surely absent: @dir listed, @key not in it. */
static bool may_hold(const struct xnh_store *st, const char *dir, const char *key)
{
	unsigned int i;

	if (!st->dir || strcmp(st->dir, dir) || strchr(key, '/'))
		return true;
	for (i = 0; i < st->nkeys; i++)
		if (!strcmp(st->keys[i], key))
			return true;
	return false;
}

/* -ENOENT when the node is missing; -EINVAL when the value is not text. */
int xnh_store_read(struct xnh_store *st, const char *path, char **val)
{
	unsigned int len;
	char *v;

	*val = NULL;
	if (!st->xs)
		return -ENOTCONN;
	v = xs_read(st->xs, XBT_NULL, path, &len);
	if (!v)
		return -(errno ? errno : EIO);
	if (strlen(v) != len) {
		free(v);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

static int join(char *buf, size_t len, const char *dir, const char *key)
{
	int n = snprintf(buf, len, "%s/%s", dir, key);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int xnh_store_read_key(struct xnh_store *st, const char *dir, const char *key, char **val)
{
	char path[256];
	int r = join(path, sizeof(path), dir, key);

	*val = NULL;
	if (r == 0 && st->xs && !may_hold(st, dir, key))
		return -ENOENT;
	return r < 0 ? r : xnh_store_read(st, path, val);
}

int xnh_store_write(struct xnh_store *st, const char *path, const char *val)
{
	if (xnh_trace("xenstore-write %s '%s'", path, val))
		return 0;
	if (!st->xs)
		return -ENOTCONN;
	unlist_under(st, path);
	if (!xs_write(st->xs, XBT_NULL, path, val, (unsigned int)strlen(val)))
		return -(errno ? errno : EIO);
	return 0;
}

int xnh_store_write_key(struct xnh_store *st, const char *dir, const char *key,
			const char *val)
{
	char path[256];
	int r = join(path, sizeof(path), dir, key);

	return r < 0 ? r : xnh_store_write(st, path, val);
}

int xnh_store_remove(struct xnh_store *st, const char *path)
{
	if (xnh_trace("xenstore-rm %s", path))
		return 0;
	if (!st->xs)
		return -ENOTCONN;
	if (!xs_rm(st->xs, XBT_NULL, path) && errno != ENOENT)
		return -(errno ? errno : EIO);
	return 0;
}

#define REPORT_TRIES	16

/* XNET_FAIL_AT=report_race: the toolstack removes @dir (once) between our
 * look at it and our writes, as libxl does when it tears a device down. */
static void race_for_tests(struct xnh_store *st, const char *dir)
{
	static bool done;

	if (done || !xnh_fault("report_race", 1))
		return;
	done = true;
	xs_rm(st->xs, XBT_NULL, dir);
}

/* One try: both keys, only while @dir is there; -EAGAIN when another
 * writer got in between (the transaction is then retried). */
static int report_once(struct xnh_store *st, const char *dir, const char *err)
{
	const char *status = err ? "error" : "connected";
	char pe[256], ps[256];
	xs_transaction_t t = xs_transaction_start(st->xs);
	unsigned int len;
	char *v;
	int r = 0;

	if (t == XBT_NULL)
		return -(errno ? errno : EIO);
	v = xs_read(st->xs, t, dir, &len);
	if (!v)
		r = -(errno ? errno : EIO);
	free(v);
	if (r >= 0)
		race_for_tests(st, dir);
	if (r >= 0 && err)
		r = join(pe, sizeof(pe), dir, "hotplug-error");
	if (r >= 0)
		r = join(ps, sizeof(ps), dir, "hotplug-status");
	if (r >= 0 && err && !xs_write(st->xs, t, pe, err, (unsigned int)strlen(err)))
		r = -(errno ? errno : EIO);
	if (r >= 0 && !xs_write(st->xs, t, ps, status, (unsigned int)strlen(status)))
		r = -(errno ? errno : EIO);
	if (!xs_transaction_end(st->xs, t, r < 0) && r >= 0)
		r = -(errno ? errno : EIO);
	return r;
}

/* hotplug-status (connected, or error with @err as hotplug-error) in one
 * transaction: libxl never reads status=error before the reason, and a
 * backend directory libxl removed meanwhile is not re-created (-ENOENT). */
int xnh_store_report(struct xnh_store *st, const char *dir, const char *err)
{
	bool dry = err && xnh_trace("xenstore-write %s/hotplug-error '%s'", dir, err);
	int i, r = -EAGAIN;

	dry |= xnh_trace("xenstore-write %s/hotplug-status '%s'", dir, err ? "error" : "connected");
	if (dry)
		return 0;
	if (!st->xs)
		return -ENOTCONN;
	unlist(st);
	for (i = 0; i < REPORT_TRIES && r == -EAGAIN; i++)
		r = report_once(st, dir, err);
	return r;
}
