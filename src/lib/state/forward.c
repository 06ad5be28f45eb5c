/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* forward.c: net.ipv4.ip_forward, which network-route and network-nat both
 * need. The first start turns it on and records the value it found; the
 * last stop puts that value back, in whatever order the programs start and
 * stop, so that one mode's stop never turns forwarding off under the other
 * mode's guests, nor leaves it on after both have stopped. The record is
 * held against the kernel first: one of an earlier boot, or that counts
 * users while ip_forward is off (a reboot, or an administrator, turned it
 * off since), is forgotten. Uses the state directory (a record and its
 * lock) and sysctl.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/sys.h"
#include "state/state.h"

#define RECORD		"ip_forward"		/* its users, and the value first found */
#define FORWARD		"net/ipv4/ip_forward"
#define USERS_MAX	4

struct users {
	char boot[XNH_BOOT_MAX];	/* the boot it was written in, "" if unknown */
	char orig[8];			/* "" when there is no record */
	size_t n;
	char name[USERS_MAX][32];
};

static int load(struct users *u)
{
	char path[512], *text, *line, *save = NULL;
	int r = xnh_state_path(RECORD, path, sizeof(path));

	memset(u, 0, sizeof(*u));
	if (r >= 0)
		r = xnh_file_read(path, &text, NULL);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "orig=", 5) && (!strcmp(line + 5, "0") || !strcmp(line + 5, "1")))
			snprintf(u->orig, sizeof(u->orig), "%s", line + 5);
		else if (!strncmp(line, "boot=", 5) && xnh_boot_valid(line + 5) == 0)
			snprintf(u->boot, sizeof(u->boot), "%s", line + 5);
		else if (!strncmp(line, "user=", 5) && u->n < USERS_MAX &&
			 strlen(line + 5) < sizeof(u->name[0]))
			snprintf(u->name[u->n++], sizeof(u->name[0]), "%s", line + 5);
	}
	free(text);
	return u->orig[0] ? 0 : -EINVAL;
}

static int store(const struct users *u)
{
	char path[512], text[320], boot[XNH_BOOT_MAX];
	size_t i, n;
	int r = xnh_state_path(RECORD, path, sizeof(path));

	if (r < 0)
		return r;
	if (!u->n)
		return xnh_state_remove(RECORD);
	xnh_boot_of_now(boot, sizeof(boot));
	n = (size_t)snprintf(text, sizeof(text), "# ip_forward (xnet): its users, and the value"
			     " the first found\nboot=%s\norig=%s\n", boot, u->orig);
	for (i = 0; i < u->n && n < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "user=%s\n", u->name[i]);
	if (n >= sizeof(text))
		return -ENOSPC;
	r = xnh_dry_run() ? 0 : xnh_state_mkdir();
	return r < 0 ? r : xnh_file_replace(path, text, n, 0644);
}

static int find(const struct users *u, const char *user)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (!strcmp(u->name[i], user))
			return (int)i;
	return -1;
}

/* Forgets a record that no longer holds (see the top), saying so in @why;
 * true when it did. */
static bool heal(struct users *u, char *why, size_t len)
{
	char v[8] = "";
	const char *what = NULL;

	if (!u->orig[0])
		return false;
	if (xnh_boot_other(u->boot))
		what = "it was written in an earlier boot";
	else if (u->n && xnh_sysctl_read(FORWARD, v, sizeof(v)) >= 0 && !strcmp(v, "0"))
		what = "ip_forward has been turned off since";
	if (!what)
		return false;
	if (why)
		snprintf(why, len, "forgetting the users of ip_forward (%s%s) in %s/%s: %s",
			 u->n ? u->name[0] : "none", u->n > 1 ? ", ..." : "", xnh_state_dir(),
			 RECORD, what);
	memset(u, 0, sizeof(*u));
	return true;
}

/* 1 when a record that no longer held was forgotten. */
static int lock_load(int *lock, struct users *u, char *why, size_t len)
{
	int r = xnh_lock(RECORD, lock);

	if (why)
		why[0] = '\0';
	if (r >= 0)
		r = load(u);
	return r < 0 ? r : heal(u, why, len);
}

/* @user needs forwarding: on, and @user counted among its users. */
int xnh_forward_take(const char *user, char *why, size_t len)
{
	struct users u;
	char v[8];
	int lock = -1, r = lock_load(&lock, &u, why, len);

	if (r >= 0 && !u.orig[0]) {
		r = xnh_sysctl_read(FORWARD, v, sizeof(v));
		snprintf(u.orig, sizeof(u.orig), "%s", r >= 0 && strcmp(v, "0") ? "1" : "0");
	}
	if (r >= 0 && find(&u, user) < 0) {
		if (u.n == USERS_MAX)
			r = -E2BIG;
		else
			snprintf(u.name[u.n++], sizeof(u.name[0]), "%s", user);
	}
	if (r >= 0)
		r = store(&u);
	if (r >= 0)
		r = xnh_sysctl_write(FORWARD, "1");
	xnh_unlock(lock);
	return r;
}

/* @user no longer needs it; after the last user, the value the first one
 * found is put back. -ENOENT when @user was not counted (a record of an
 * older xnet: its caller puts back what it kept itself; or one forgotten). */
int xnh_forward_release(const char *user, char *why, size_t len)
{
	struct users u;
	int lock = -1, r = lock_load(&lock, &u, why, len), i;

	i = r >= 0 ? find(&u, user) : -1;
	if (r > 0 && i < 0)
		r = store(&u);		/* the record forgotten goes */
	if (r >= 0 && i < 0)
		r = -ENOENT;
	if (r >= 0) {
		memmove(u.name[i], u.name[i + 1], (u.n - (size_t)i - 1) * sizeof(u.name[0]));
		u.n--;
		if (!u.n)
			r = xnh_sysctl_write(FORWARD, u.orig);
		if (r >= 0)
			r = store(&u);
	}
	xnh_unlock(lock);
	return r;
}
