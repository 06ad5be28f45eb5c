/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* saved.c: sysctl values a `start` found, kept in a state file for its `stop`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/sys.h"
#include "state/state.h"

/* A path under /proc/sys/net, as xnh_sysctl_read() takes it: "net/" and
 * then interface-name characters and slashes, never "..". */
static bool valid_key(const char *k)
{
	size_t n = strlen(k);

	return n > 4 && n < XNH_SAVED_KEY && !strncmp(k, "net/", 4) && !strstr(k, "..") &&
	       !strstr(k, "//") && k[n - 1] != '/' &&
	       strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/-") == n;
}

/* An integer, as the net sysctls we save hold. */
static bool valid_val(const char *v)
{
	const char *d = *v == '-' ? v + 1 : v;
	size_t n = strlen(d);

	return n > 0 && n < XNH_SAVED_VAL - 1 && strspn(d, "0123456789") == n;
}

const char *xnh_saved_get(const struct xnh_saved *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].key, key))
			return s->e[i].val;
	return NULL;
}

/* Keeps the first value saved for @key: a second start must not replace
 * what the first one found. Returns 1 when @key was new, 0 when kept. */
int xnh_saved_put(struct xnh_saved *s, const char *key, const char *val)
{
	if (!valid_key(key) || !valid_val(val))
		return -EINVAL;
	if (xnh_saved_get(s, key))
		return 0;
	if (s->n == XNH_SAVED_MAX)
		return -E2BIG;
	snprintf(s->e[s->n].key, sizeof(s->e[s->n].key), "%s", key);
	snprintf(s->e[s->n].val, sizeof(s->e[s->n].val), "%s", val);
	s->n++;
	return 1;
}

/* Pure: "KEY VALUE" lines; returns the length, or -ENOSPC. */
int xnh_saved_format(const struct xnh_saved *s, char *buf, size_t len)
{
	size_t i, n;
	int w;

	w = snprintf(buf, len, "# xnet: sysctl values found by start, for stop\n%s%s%s",
		     s->boot[0] ? "boot " : "", s->boot, s->boot[0] ? "\n" : "");
	if (w < 0 || (size_t)w >= len)
		return -ENOSPC;
	for (i = 0, n = (size_t)w; i < s->n; i++, n += (size_t)w) {
		w = snprintf(buf + n, len - n, "%s %s\n", s->e[i].key, s->e[i].val);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
	}
	return (int)n;
}

/* Pure: reads back what xnh_saved_format() wrote; -EINVAL for anything else. */
int xnh_saved_parse(const char *text, struct xnh_saved *s)
{
	char *copy = strdup(text), *save = NULL, *line, *sp;
	int r = copy ? 0 : -ENOMEM;

	memset(s, 0, sizeof(*s));
	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line && r >= 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		sp = strchr(line, ' ');
		if (!sp) {
			r = -EINVAL;
			break;
		}
		*sp = '\0';
		if (!strcmp(line, "boot")) {
			r = xnh_boot_valid(sp + 1);
			snprintf(s->boot, sizeof(s->boot), "%s", r < 0 ? "" : sp + 1);
			continue;
		}
		r = xnh_saved_put(s, line, sp + 1);
		if (r == 0)
			r = -EINVAL;	/* a key twice */
	}
	free(copy);
	return r < 0 ? r : 0;
}

/* -ENOENT when nothing is saved under @name. */
int xnh_saved_load(const char *name, struct xnh_saved *s)
{
	char *text;
	int r = xnh_state_read(name, &text);

	memset(s, 0, sizeof(*s));
	if (r < 0)
		return r;
	r = xnh_saved_parse(text, s);
	free(text);
	return r;
}

/* Written with this boot's id. */
int xnh_saved_store(const char *name, const struct xnh_saved *s)
{
	char text[XNH_SAVED_MAX * (XNH_SAVED_KEY + XNH_SAVED_VAL + 2) + 128];
	struct xnh_saved now = *s;
	int n;

	xnh_boot_of_now(now.boot, sizeof(now.boot));
	n = xnh_saved_format(&now, text, sizeof(text));

	return n < 0 ? n : xnh_state_write(name, text, (size_t)n);
}

/* 1 when entry @i cannot be put back: its sysctl has gone. The first
 * such says so in @why ("eth0 is gone" for an interface's). */
static int gone(const struct xnh_saved *s, size_t i, char *why, size_t len)
{
	const char *k = s->e[i].key, *dev = strstr(k, "/conf/"), *end;
	char now[XNH_SAVED_VAL];

	if (xnh_sysctl_read(k, now, sizeof(now)) != -ENOENT)
		return 0;
	if (why[0])
		return 1;
	end = dev ? strchr(dev + 6, '/') : NULL;
	if (end)
		snprintf(why, len, "%.*s is gone", (int)(end - dev - 6), dev + 6);
	else
		snprintf(why, len, "/proc/sys/%s is gone", k);
	return 1;
}

/* Drops what is no longer true of this host: the whole record when it
 * was written in an earlier boot (a reboot put every value back), else
 * each entry whose sysctl is gone (its interface deleted or renamed); in
 * a record of no known boot (an older xnet's), one such entry tells that
 * the host it describes is gone: all of it is dropped. Returns how many
 * were dropped; @why tells the first reason. */
int xnh_saved_heal(struct xnh_saved *s, char *why, size_t len)
{
	size_t i = 0, n = s->n;

	why[0] = '\0';
	if (xnh_boot_other(s->boot)) {
		snprintf(why, len, "it was written in an earlier boot");
		s->n = 0;
		return (int)n;
	}
	while (i < s->n) {
		if (!gone(s, i, why, len)) {
			i++;
			continue;
		}
		memmove(&s->e[i], &s->e[i + 1], (s->n - i - 1) * sizeof(s->e[0]));
		s->n--;
	}
	if (why[0] && !s->boot[0])
		s->n = 0;
	return (int)(n - s->n);
}
