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

	w = snprintf(buf, len, "# xnet: sysctl values found by start, for stop\n");
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

int xnh_saved_store(const char *name, const struct xnh_saved *s)
{
	char text[XNH_SAVED_MAX * (XNH_SAVED_KEY + XNH_SAVED_VAL + 2) + 64];
	int n = xnh_saved_format(s, text, sizeof(text));

	return n < 0 ? n : xnh_state_write(name, text, (size_t)n);
}
