/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks the test xenstore daemon through the real libxenstore. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#define T0 XBT_NULL

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static bool read_is(struct xs_handle *h, xs_transaction_t t,
		    const char *path, const void *want, size_t wlen)
{
	unsigned int len;
	char *val = xs_read(h, t, path, &len);
	bool ok = val && len == wlen && !memcmp(val, want, len);

	free(val);
	return ok;
}

static bool val_is(struct xs_handle *h, xs_transaction_t t, const char *path,
		   const char *want)
{
	return read_is(h, t, path, want, strlen(want));
}

static bool absent(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	unsigned int len;
	char *val = xs_read(h, t, path, &len);

	free(val);
	return !val && errno == ENOENT;
}

static bool put(struct xs_handle *h, xs_transaction_t t, const char *path,
		const char *val)
{
	return xs_write(h, t, path, val, strlen(val));
}

/* Next watch event as "path token", or NULL after timeout_ms. */
static char *next_event(struct xs_handle *h, int timeout_ms)
{
	struct pollfd pfd = { .fd = xs_fileno(h), .events = POLLIN };
	char **vec = xs_check_watch(h);
	char *ev;

	if (!vec && poll(&pfd, 1, timeout_ms) > 0)
		vec = xs_check_watch(h);
	if (!vec)
		return NULL;
	ev = malloc(strlen(vec[XS_WATCH_PATH]) +
		    strlen(vec[XS_WATCH_TOKEN]) + 2);
	if (ev)
		sprintf(ev, "%s %s", vec[XS_WATCH_PATH], vec[XS_WATCH_TOKEN]);
	free(vec);
	return ev;
}

static bool event_is(struct xs_handle *h, const char *want)
{
	char *ev = next_event(h, 5000);
	bool ok = ev && !strcmp(ev, want);

	if (!ok)
		fprintf(stderr, "  expected event \"%s\", got \"%s\"\n", want,
			ev ? ev : "(none)");
	free(ev);
	return ok;
}

static bool no_event(struct xs_handle *h)
{
	char *ev = next_event(h, 200);

	if (ev)
		fprintf(stderr, "  unexpected event \"%s\"\n", ev);
	free(ev);
	return !ev;
}

/* The next two events are a and b, in any order. */
static bool events_are(struct xs_handle *h, const char *a, const char *b)
{
	char *e1 = next_event(h, 5000), *e2 = next_event(h, 5000);
	bool ok = e1 && e2 && ((!strcmp(e1, a) && !strcmp(e2, b)) ||
			       (!strcmp(e1, b) && !strcmp(e2, a)));

	if (!ok)
		fprintf(stderr, "  expected %s + %s, got %s + %s\n",
			a, b, e1 ? e1 : "(none)", e2 ? e2 : "(none)");
	free(e1);
	free(e2);
	return ok;
}

static bool tdir_is(struct xs_handle *h, xs_transaction_t t, const char *path,
		    const char *want)
{
	char buf[256] = "", **dir;
	unsigned int i, num;

	dir = xs_directory(h, t, path, &num);
	for (i = 0; dir && i < num; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? " " : "", dir[i]);
	free(dir);
	if (dir && strcmp(buf, want))
		fprintf(stderr, "  %s lists \"%s\", expected \"%s\"\n", path,
			buf, want);
	return dir && !strcmp(buf, want);
}

static bool dir_is(struct xs_handle *h, const char *path, const char *want)
{
	return tdir_is(h, T0, path, want);
}

static void test_basic(struct xs_handle *h)
{
	check(put(h, T0, "/ct/a", "1") && val_is(h, T0, "/ct/a", "1"),
	      "write and read");
	check(put(h, T0, "ct-rel/x", "rel") &&
	      val_is(h, T0, "/local/domain/0/ct-rel/x", "rel"),
	      "relative path lands under /local/domain/0");
	check(xs_write(h, T0, "/ct/empty", "", 0) &&
	      val_is(h, T0, "/ct/empty", ""), "empty value");
	check(xs_write(h, T0, "/ct/bin", "a\0b", 3) &&
	      read_is(h, T0, "/ct/bin", "a\0b", 3), "binary value");
	check(dir_is(h, "/ct", "a bin empty"), "directory lists the children");
	check(xs_rm(h, T0, "/ct") && absent(h, T0, "/ct/a") &&
	      absent(h, T0, "/ct"), "recursive rm");
	check(xs_rm(h, T0, "/ct") && !xs_rm(h, T0, "/ct/x") && errno == ENOENT,
	      "rm of a missing node: ok, ENOENT without parent");
	check(absent(h, T0, "/nonexistent"), "missing node gives ENOENT");
	check(!put(h, T0, "/bad//path", "x") && errno == EINVAL,
	      "invalid path gives EINVAL");
	check(xs_mkdir(h, T0, "/ct/dir") && val_is(h, T0, "/ct/dir", "") &&
	      xs_mkdir(h, T0, "/ct/dir"), "mkdir, also of an existing node");
	check(dir_is(h, "/local/domain", "0") && val_is(h, T0, "/tool", ""),
	      "initial tree");
}

/* More children than fit one reply: libxenstore uses DIRECTORY_PART. */
static void test_big_directory(struct xs_handle *h)
{
	xs_transaction_t t;
	unsigned int i, num;
	char path[64], **dir;
	bool ok = true;

	for (i = 0; i < 600 && ok; i++) {
		snprintf(path, sizeof(path), "/big/child-number-%u", i);
		ok = put(h, T0, path, "v");
	}
	dir = xs_directory(h, T0, "/big", &num);
	check(ok && dir && num == 600, "directory larger than one message");
	free(dir);
	t = xs_transaction_start(h);
	ok = t != T0 && put(h, t, "/big/extra", "v");
	dir = xs_directory(h, t, "/big", &num);
	ok = ok && dir && num == 601;
	free(dir);
	dir = xs_directory(h, T0, "/big", &num);
	check(ok && dir && num == 600 && xs_transaction_end(h, t, true),
	      "large directory in a transaction: its own child, not outside");
	free(dir);
	xs_rm(h, T0, "/big");
}

static void test_transactions(struct xs_handle *h)
{
	xs_transaction_t t = xs_transaction_start(h);

	check(t != T0 && put(h, t, "/tx/commit", "yes") &&
	      val_is(h, t, "/tx/commit", "yes") && absent(h, T0, "/tx/commit"),
	      "transaction sees its own write, others do not");
	check(xs_transaction_end(h, t, false) &&
	      val_is(h, T0, "/tx/commit", "yes"), "transaction commit");

	t = xs_transaction_start(h);
	check(t != T0 && put(h, t, "/tx/abort", "no") &&
	      xs_transaction_end(h, t, true) && absent(h, T0, "/tx/abort"),
	      "transaction abort");

	t = xs_transaction_start(h);
	check(t != T0 && put(h, t, "/tx/conflict", "tx") &&
	      put(h, T0, "/tx/other", "outside") &&
	      !xs_transaction_end(h, t, false) && errno == EAGAIN &&
	      absent(h, T0, "/tx/conflict"), "conflicting commit gives EAGAIN");
	check(!xs_transaction_end(h, t, false) && errno == ENOENT,
	      "ended transaction is gone");

	/* conflicts are per node, as in xenstored: a change elsewhere is none */
	put(h, T0, "/tx/a/x", "0");
	put(h, T0, "/tx/b/y", "0");
	t = xs_transaction_start(h);
	check(t != T0 && val_is(h, t, "/tx/a/x", "0") && put(h, t, "/tx/a/x", "1") &&
	      put(h, T0, "/tx/b/y", "outside") && xs_transaction_end(h, t, false) &&
	      val_is(h, T0, "/tx/a/x", "1") && val_is(h, T0, "/tx/b/y", "outside"),
	      "a change to another node does not conflict");
	t = xs_transaction_start(h);
	check(t != T0 && val_is(h, t, "/tx/a/x", "1") && put(h, t, "/tx/a/z", "1") &&
	      put(h, T0, "/tx/a/x", "outside") && !xs_transaction_end(h, t, false) &&
	      errno == EAGAIN && absent(h, T0, "/tx/a/z"),
	      "a change to a node the transaction read conflicts");
	t = xs_transaction_start(h);
	check(t != T0 && xs_rm(h, t, "/tx/b") && put(h, t, "/tx/b2", "1") &&
	      xs_transaction_end(h, t, false) && absent(h, T0, "/tx/b/y") &&
	      val_is(h, T0, "/tx/b2", "1"), "a removal and a write in one commit");
}

static bool perms_are(struct xs_handle *h, xs_transaction_t t,
		      const char *path, unsigned int id1)
{
	struct xs_permissions *got;
	unsigned int num;
	bool ok;

	got = xs_get_permissions(h, t, path, &num);
	ok = got && num == (id1 ? 2 : 1) && got[0].id == 0 &&
	     (!id1 || got[1].id == id1);
	free(got);
	return ok;
}

/* A transaction shares the nodes it does not change with the store: what it
 * changes must stay private, what others change must not show through. */
static void test_transaction_isolation(struct xs_handle *h,
				       struct xs_handle *other)
{
	struct xs_permissions p2[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = 9, .perms = XS_PERM_READ },
	};
	enum { NT = 16 };
	struct xs_handle *hs[NT];
	xs_transaction_t ts[NT], t;
	char path[64], val[16];
	unsigned int i;
	bool ok;

	/* a write under a node another connection removes meanwhile */
	put(h, T0, "/iso/gone/a/x", "0");
	t = xs_transaction_start(h);
	check(t != T0 && put(h, t, "/iso/gone/a/y", "1") &&
	      xs_rm(h, T0, "/iso/gone") && val_is(h, t, "/iso/gone/a/x", "0") &&
	      tdir_is(h, t, "/iso/gone/a", "x y") &&
	      !xs_transaction_end(h, t, false) && errno == EAGAIN &&
	      absent(h, T0, "/iso/gone") && dir_is(h, "/iso", ""),
	      "write under a node removed meanwhile: EAGAIN, still removed");
	put(h, T0, "/iso/gone/a/x", "0");
	t = xs_transaction_start(h);
	check(t != T0 && put(h, t, "/iso/gone/new/y", "1") &&
	      xs_rm(h, T0, "/iso/gone") && xs_transaction_end(h, t, false) &&
	      val_is(h, T0, "/iso/gone/new/y", "1") &&
	      absent(h, T0, "/iso/gone/a") && dir_is(h, "/iso/gone", "new"),
	      "new node under one removed meanwhile: made again at commit");
	xs_rm(h, T0, "/iso");

	/* rm of a subtree inside a transaction */
	put(h, T0, "/iso/sub/a/x", "1");
	put(h, T0, "/iso/sub/b", "2");
	put(h, T0, "/iso/keep", "3");
	t = xs_transaction_start(h);
	check(t != T0 && xs_rm(h, t, "/iso/sub") &&
	      absent(h, t, "/iso/sub") && absent(h, t, "/iso/sub/a/x") &&
	      tdir_is(h, t, "/iso", "keep") &&
	      !xs_directory(h, t, "/iso/sub", &i) && errno == ENOENT &&
	      val_is(h, T0, "/iso/sub/a/x", "1") && dir_is(h, "/iso", "keep sub") &&
	      dir_is(h, "/iso/sub", "a b") && dir_is(h, "/iso/sub/a", "x"),
	      "rm in a transaction: gone inside, all there outside");
	check(xs_transaction_end(h, t, false) && absent(h, T0, "/iso/sub") &&
	      dir_is(h, "/iso", "keep") && val_is(h, T0, "/iso/keep", "3"),
	      "rm in a transaction: gone at commit");

	/* write, rm, write again in one transaction */
	t = xs_transaction_start(h);
	check(t != T0 && put(h, t, "/iso/w/a", "1") && xs_rm(h, t, "/iso/w") &&
	      absent(h, t, "/iso/w/a") && absent(h, t, "/iso/w") &&
	      put(h, t, "/iso/w/b", "2") && absent(h, t, "/iso/w/a") &&
	      tdir_is(h, t, "/iso/w", "b") && absent(h, T0, "/iso/w") &&
	      xs_transaction_end(h, t, false) && val_is(h, T0, "/iso/w/b", "2") &&
	      absent(h, T0, "/iso/w/a") && dir_is(h, "/iso/w", "b"),
	      "write, rm, write in one transaction");

	/* abort after changes of every kind leaves the store as it was */
	xs_rm(h, T0, "/iso");
	put(h, T0, "/iso/ab/x", "1");
	put(h, T0, "/iso/ab/y/z", "2");
	t = xs_transaction_start(h);
	ok = t != T0 && put(h, t, "/iso/ab/x", "changed") &&
	     put(h, t, "/iso/ab/new/deep", "n") && xs_rm(h, t, "/iso/ab/y") &&
	     xs_mkdir(h, t, "/iso/ab/dir") &&
	     xs_set_permissions(h, t, "/iso/ab/x", p2, 2) &&
	     val_is(h, t, "/iso/ab/x", "changed") &&
	     perms_are(h, t, "/iso/ab/x", 9) &&
	     tdir_is(h, t, "/iso/ab", "dir new x");
	check(ok && xs_transaction_end(h, t, true) &&
	      val_is(h, T0, "/iso/ab/x", "1") && perms_are(h, T0, "/iso/ab/x", 0) &&
	      val_is(h, T0, "/iso/ab/y/z", "2") && dir_is(h, "/iso/ab", "x y") &&
	      absent(h, T0, "/iso/ab/new"), "abort after changes: store unchanged");

	/* a change outside, before or after the transaction touches the node,
	 * does not show inside: it works on the tree as it started */
	t = xs_transaction_start(h);
	check(t != T0 && put(h, T0, "/iso/ab/x", "out") &&
	      put(h, T0, "/iso/ab/y/new", "out") &&
	      val_is(h, t, "/iso/ab/x", "1") && tdir_is(h, t, "/iso/ab/y", "z") &&
	      put(h, T0, "/iso/ab/y/z", "out2") &&
	      val_is(h, t, "/iso/ab/y/z", "2") &&
	      xs_set_permissions(h, T0, "/iso/ab/x", p2, 2) &&
	      perms_are(h, t, "/iso/ab/x", 0) &&
	      xs_transaction_end(h, t, false) && val_is(h, T0, "/iso/ab/x", "out") &&
	      val_is(h, T0, "/iso/ab/y/z", "out2") &&
	      perms_are(h, T0, "/iso/ab/x", 9),
	      "a read-only transaction sees the store as it started");

	/* a global rm while a transaction that read below it is open */
	xs_rm(h, T0, "/iso");
	put(h, T0, "/iso/gr/a/x", "1");
	put(h, T0, "/iso/gr/a/y", "2");
	t = xs_transaction_start(h);
	ok = t != T0 && val_is(h, t, "/iso/gr/a/x", "1") &&
	     tdir_is(h, t, "/iso/gr/a", "x y") && xs_rm(other, T0, "/iso/gr") &&
	     put(h, T0, "/iso/gr/a/x", "again") && xs_rm(h, T0, "/iso/gr") &&
	     val_is(h, t, "/iso/gr/a/x", "1") && val_is(h, t, "/iso/gr/a/y", "2") &&
	     tdir_is(h, t, "/iso/gr/a", "x y") && absent(h, T0, "/iso/gr");
	check(ok && xs_transaction_end(h, t, false),
	      "global rm under a read-only transaction: it still reads it");
	put(h, T0, "/iso/gr/a/x", "1");
	t = xs_transaction_start(h);
	check(t != T0 && val_is(h, t, "/iso/gr/a/x", "1") &&
	      put(h, t, "/iso/gr/b", "tx") && xs_rm(h, T0, "/iso/gr/a") &&
	      val_is(h, t, "/iso/gr/a/x", "1") &&
	      !xs_transaction_end(h, t, false) && errno == EAGAIN &&
	      absent(h, T0, "/iso/gr/a") && absent(h, T0, "/iso/gr/b"),
	      "global rm of a node a writing transaction read: EAGAIN");

	/* many transactions open at once, on different connections */
	xs_rm(h, T0, "/iso");
	for (i = 0; i < NT; i++) {
		snprintf(path, sizeof(path), "/iso/many/%u", i);
		put(h, T0, path, "0");
	}
	ok = true;
	for (i = 0; i < NT; i++) {
		hs[i] = xs_open(0);
		ts[i] = hs[i] ? xs_transaction_start(hs[i]) : T0;
		ok = ok && ts[i] != T0;
	}
	for (i = 0; ok && i < NT; i++) {
		snprintf(path, sizeof(path), "/iso/many/%u", i);
		snprintf(val, sizeof(val), "t%u", i);
		ok = put(hs[i], ts[i], path, val) &&
		     val_is(hs[i], ts[i], path, val) && val_is(h, T0, path, "0");
		snprintf(path, sizeof(path), "/iso/many/%u/own", i);
		ok = ok && put(hs[i], ts[i], path, val);
		snprintf(path, sizeof(path), "/iso/many/%u", (i + 1) % NT);
		ok = ok && val_is(hs[i], ts[i], path, "0");
	}
	for (i = 0; ok && i < NT; i++) {
		/* the others committed before: this one does not see it */
		snprintf(path, sizeof(path), "/iso/many/%u", (i + NT - 1) % NT);
		ok = !i || val_is(hs[i], ts[i], path, "0");
		/* the last read node 0, which the first one changed */
		if (i < NT - 1)
			ok = ok && xs_transaction_end(hs[i], ts[i], false);
		else
			ok = ok && !xs_transaction_end(hs[i], ts[i], false) &&
			     errno == EAGAIN;
		ts[i] = T0;
	}
	for (i = 0; ok && i < NT; i++) {
		snprintf(path, sizeof(path), "/iso/many/%u", i);
		snprintf(val, sizeof(val), "t%u", i);
		ok = val_is(h, T0, path, i < NT - 1 ? val : "0");
		snprintf(path, sizeof(path), "/iso/many/%u/own", i);
		ok = ok && (i < NT - 1 ? val_is(h, T0, path, val) :
			    absent(h, T0, path));
	}
	for (i = 0; i < NT; i++) {
		if (hs[i] && ts[i] != T0)
			xs_transaction_end(hs[i], ts[i], true);
		if (hs[i])
			xs_close(hs[i]);
	}
	check(ok, "many transactions open at once: each commits its nodes, one conflicts");

	/* a connection closed with its transaction open */
	hs[0] = xs_open(0);
	t = hs[0] ? xs_transaction_start(hs[0]) : T0;
	ok = t != T0 && put(hs[0], t, "/iso/many/0", "closed") &&
	     xs_rm(hs[0], t, "/iso/many/1");
	if (hs[0])
		xs_close(hs[0]);
	check(ok && val_is(h, T0, "/iso/many/0", "t0") &&
	      val_is(h, T0, "/iso/many/1/own", "t1"),
	      "a transaction dropped with its connection changes nothing");
	xs_rm(h, T0, "/iso");
}

static void test_watches(struct xs_handle *h, struct xs_handle *other)
{
	check(xs_watch(h, "/wt", "tok") && event_is(h, "/wt tok"),
	      "watch fires the initial event");
	check(put(other, T0, "/wt/x/y", "1") && event_is(h, "/wt/x/y tok"),
	      "change below the watch fires");
	check(put(other, T0, "/wtother", "1") && no_event(h),
	      "unrelated change does not fire");
	check(!xs_watch(h, "/wt", "tok") && errno == EEXIST, "duplicate watch");
	check(xs_watch(h, "wrel", "rtok") && event_is(h, "wrel rtok") &&
	      put(other, T0, "/local/domain/0/wrel/a", "1") &&
	      event_is(h, "wrel/a rtok"), "relative watch gets relative paths");
	check(xs_watch(h, "/wt/x/y/z", "deep") &&
	      event_is(h, "/wt/x/y/z deep") && xs_rm(h, T0, "/wt/x") &&
	      events_are(h, "/wt/x tok", "/wt/x/y/z deep"),
	      "rm fires ancestors and descendants");
	check(xs_unwatch(h, "/wt", "tok") &&
	      xs_unwatch(h, "/wt/x/y/z", "deep") &&
	      put(other, T0, "/wt/q", "1") && no_event(h),
	      "unwatch stops events");
	check(!xs_unwatch(h, "/wt", "tok") && errno == ENOENT,
	      "unknown unwatch");
	check(xs_watch(h, "@releaseDomain", "dom") &&
	      event_is(h, "@releaseDomain dom"), "special watch path");
}

static void test_watch_in_transaction(struct xs_handle *h)
{
	xs_transaction_t t;

	check(xs_watch(h, "/wtx", "t") && event_is(h, "/wtx t"),
	      "watch for a transaction");
	t = xs_transaction_start(h);
	check(put(h, t, "/wtx/a", "1") && no_event(h),
	      "no event before commit");
	check(xs_transaction_end(h, t, false) && event_is(h, "/wtx/a t"),
	      "event on commit");
}

static void test_perms(struct xs_handle *h)
{
	struct xs_permissions set[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = 5, .perms = XS_PERM_READ },
	};
	struct xs_permissions *got;
	unsigned int num;

	check(put(h, T0, "/perm/node", "v") &&
	      xs_set_permissions(h, T0, "/perm/node", set, 2),
	      "set permissions");
	got = xs_get_permissions(h, T0, "/perm/node", &num);
	check(got && num == 2 && got[0].id == 0 &&
	      got[0].perms == XS_PERM_NONE && got[1].id == 5 &&
	      got[1].perms == XS_PERM_READ, "get permissions");
	free(got);
	got = NULL;
	check(put(h, T0, "/perm/node/kid", "v") &&
	      (got = xs_get_permissions(h, T0, "/perm/node/kid", &num)) &&
	      num == 2 && got[1].id == 5, "new node inherits parent perms");
	free(got);
}

static void test_domains(struct xs_handle *h)
{
	char *dp = xs_get_domain_path(h, 7);

	check(dp && !strcmp(dp, "/local/domain/7"), "get_domain_path");
	free(dp);
	check(xs_is_domain_introduced(h, 0), "dom0 is introduced");
}

int main(void)
{
	struct xs_handle *h = xs_open(0), *other = xs_open(0);
	const char *env = getenv("XENSTORED_PATH");

	if (!h || !other) {
		printf("FAIL - xs_open: %s (XENSTORED_PATH=%s)\n",
		       strerror(errno), env ? env : "");
		return 1;
	}
	test_basic(h);
	test_big_directory(h);
	test_transactions(h);
	test_transaction_isolation(h, other);
	test_watches(h, other);
	test_watch_in_transaction(other);
	test_perms(h);
	test_domains(h);
	xs_close(other);
	xs_close(h);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
