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

static bool dir_is(struct xs_handle *h, const char *path, const char *want)
{
	char buf[256] = "", **dir;
	unsigned int i, num;

	dir = xs_directory(h, T0, path, &num);
	for (i = 0; dir && i < num; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? " " : "", dir[i]);
	free(dir);
	return dir && !strcmp(buf, want);
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
	test_watches(h, other);
	test_watch_in_transaction(other);
	test_perms(h);
	test_domains(h);
	xs_close(other);
	xs_close(h);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
