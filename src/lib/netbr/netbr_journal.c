/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_journal.c: the journal of start and stop: the record, and the addresses and routes. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"
#include "netbr/netbr.h"

/* A record, then what moves, in the order that adds it:
 *   time=SECONDS (CLOCK_BOOTTIME, when written: lifetimes count from it)
 *   addr=LOCAL/PLEN SCOPE FLAGS BROADCAST|- VALID PREFERRED METRIC PROTO [LABEL]
 *   route=DST/PLEN GW/PLEN|- SRC/PLEN|- METRIC TABLE SCOPE PROTOCOL TYPE NH_FLAGS
 * Labels are given as the NIC, under its own name, has them. */
#define ADDR_FIELDS	8
#define ROUTE_FIELDS	9
#define LINE_LEN	256
#define FOREVER		0xffffffffu

uint64_t xnh_netbr_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec;
}

static int inet_text(const struct xnh_inet *in, bool has, char *buf, size_t len)
{
	if (!has) {
		snprintf(buf, len, "-");
		return 0;
	}
	return xnh_inet_format(in, true, buf, len);
}

/* A label goes on one line, a word of its own. */
static bool label_ok(const char *l)
{
	for (; *l; l++)
		if (*l <= ' ' || *l == 0x7f)
			return false;
	return true;
}

static int addr_line(const struct xnh_addr *a, const char *from, const char *nic, char *buf,
		     size_t len)
{
	char local[64], brd[64] = "-", label[XNH_IFNAMSIZ];
	struct xnh_inet b = { .family = AF_INET, .prefix = 32 };
	int w, r;

	b.a.v4 = a->broadcast;
	r = xnh_inet_format(&a->local, true, local, sizeof(local));
	if (r >= 0 && a->has_broadcast)
		r = xnh_inet_format(&b, true, brd, sizeof(brd));
	if (r >= 0)
		r = xnh_netbr_label(a->label, from, nic, label, sizeof(label));
	if (r < 0 || !label_ok(label))
		return r < 0 ? r : -EINVAL;
	w = snprintf(buf, len, "addr=%s %d %u %s %u %u %u %u%s%s\n", local, a->scope, a->flags,
		     brd, a->valid_lft, a->preferred_lft, a->rt_priority, a->proto,
		     label[0] ? " " : "", label);
	return w < 0 || (size_t)w >= len ? -ENOSPC : 0;
}

static int route_line(const struct xnh_route *rt, char *buf, size_t len)
{
	char dst[64], gw[64], src[64];
	int w, r = xnh_inet_format(&rt->dst, true, dst, sizeof(dst));

	if (r >= 0)
		r = inet_text(&rt->gw, rt->has_gw, gw, sizeof(gw));
	if (r >= 0)
		r = inet_text(&rt->src, rt->has_src, src, sizeof(src));
	if (r < 0)
		return r;
	w = snprintf(buf, len, "route=%s %s %s %u %u %u %u %u %u\n", dst, gw, src, rt->metric,
		     rt->table, rt->scope, rt->protocol, rt->type, rt->nh_flags);
	return w < 0 || (size_t)w >= len ? -ENOSPC : 0;
}

/* Pure: the journal of @st with the set @s, taken from the link named
 * @from (labels renamed to the NIC's), written at @now; *@text is malloc'd. */
int xnh_netbr_journal_format(const struct xnh_netbr_state *st, const struct xnh_netbr_set *s,
			     const char *from, uint64_t now, char **text)
{
	size_t len = 640 + (s->naddr + s->nroute) * LINE_LEN, n;
	char *buf = malloc(len);
	size_t i;
	int r;

	*text = NULL;
	if (!buf)
		return -ENOMEM;
	r = xnh_netbr_state_format(st, buf, 512);
	n = strlen(buf);
	if (r >= 0)
		n += (size_t)snprintf(buf + n, len - n, "time=%llu\n", (unsigned long long)now);
	for (i = 0; r >= 0 && i < s->naddr; i++, n += strlen(buf + n))
		r = addr_line(&s->addr[i], from, st->nic, buf + n, LINE_LEN);
	for (i = 0; r >= 0 && i < s->nroute; i++, n += strlen(buf + n))
		r = route_line(&s->route[i], buf + n, LINE_LEN);
	if (r < 0)
		free(buf);
	else
		*text = buf;
	return r;
}

/* Strict: inet_pton, an explicit prefix; none of the checks of a guest's. */
static int parse_inet(const char *s, struct xnh_inet *out)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	unsigned long plen;

	memset(out, 0, sizeof(*out));
	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	out->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(out->family, buf, &out->a) != 1 ||
	    xnh_parse_uint(slash + 1, out->family == AF_INET ? 32 : 128, &plen) < 0)
		return -EINVAL;
	out->prefix = (uint8_t)plen;
	out->has_prefix = true;
	return 0;
}

static int parse_opt_inet(const char *s, struct xnh_inet *out, bool *has)
{
	*has = strcmp(s, "-") != 0;
	return *has ? parse_inet(s, out) : 0;
}

/* Numbers in [0, @max]; a negative one is an error. */
static int parse_nums(char **f, int n, const unsigned long *max, unsigned long *out)
{
	int i;

	for (i = 0; i < n; i++)
		if (xnh_parse_uint(f[i], max[i], &out[i]) < 0)
			return -EINVAL;
	return 0;
}

static int split(char *line, char **f, int max)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return -EINVAL;
		f[n++] = t;
	}
	return n;
}

static int parse_addr(char *v, struct xnh_addr *a)
{
	static const unsigned long max[] = { 255, UINT32_MAX, UINT32_MAX, UINT32_MAX,
					     UINT32_MAX, 255 };
	unsigned long num[6];
	struct xnh_inet brd;
	char *f[ADDR_FIELDS + 1];
	int n = split(v, f, ADDR_FIELDS + 1), r;

	memset(a, 0, sizeof(*a));
	if (n < ADDR_FIELDS)
		return -EINVAL;
	r = parse_inet(f[0], &a->local);
	if (r >= 0)
		r = parse_nums(f + 1, 2, max, num);
	if (r >= 0)
		r = parse_opt_inet(f[3], &brd, &a->has_broadcast);
	if (r >= 0)
		r = parse_nums(f + 4, 4, max + 2, num + 2);
	if (r < 0 || (a->has_broadcast && brd.family != AF_INET))
		return -EINVAL;
	if (n > ADDR_FIELDS && snprintf(a->label, sizeof(a->label), "%s", f[8]) >=
			       (int)sizeof(a->label))
		return -EINVAL;
	if (a->has_broadcast)
		a->broadcast = brd.a.v4;
	a->scope = (int)num[0];
	a->flags = (unsigned int)num[1];
	a->valid_lft = (uint32_t)num[2];
	a->preferred_lft = (uint32_t)num[3];
	a->rt_priority = (uint32_t)num[4];
	a->proto = (uint8_t)num[5];
	return 0;
}

static int parse_route(char *v, struct xnh_route *rt)
{
	static const unsigned long max[] = { UINT32_MAX, UINT32_MAX, 255, 255, 255, UINT32_MAX };
	unsigned long num[6];
	char *f[ROUTE_FIELDS];
	int r = split(v, f, ROUTE_FIELDS) == ROUTE_FIELDS ? 0 : -EINVAL;

	memset(rt, 0, sizeof(*rt));
	if (r >= 0)
		r = parse_inet(f[0], &rt->dst);
	if (r >= 0)
		r = parse_opt_inet(f[1], &rt->gw, &rt->has_gw);
	if (r >= 0)
		r = parse_opt_inet(f[2], &rt->src, &rt->has_src);
	if (r >= 0)
		r = parse_nums(f + 3, 6, max, num);
	if (r < 0)
		return -EINVAL;
	rt->metric = (uint32_t)num[0];
	rt->table = (uint32_t)num[1];
	rt->scope = (uint8_t)num[2];
	rt->protocol = (uint8_t)num[3];
	rt->type = (uint8_t)num[4];
	rt->nh_flags = (unsigned int)num[5];
	rt->nexthops = 1;
	return 0;
}

/* Counts the lines that start with @key. */
static size_t count(const char *text, const char *key)
{
	size_t n = 0, k = strlen(key);
	const char *p;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, key, k);
	return n;
}

static int parse_line(char *line, struct xnh_netbr_set *s, uint64_t *time)
{
	unsigned long t;

	if (!strncmp(line, "addr=", 5))
		return parse_addr(line + 5, &s->addr[s->naddr++]);
	if (!strncmp(line, "route=", 6))
		return parse_route(line + 6, &s->route[s->nroute++]);
	if (!strncmp(line, "time=", 5)) {
		if (xnh_parse_uint(line + 5, UINT32_MAX, &t) < 0)
			return -EINVAL;
		*time = t;
	}
	return 0;
}

/* Pure: what moves, from a journal (its other lines are the record's);
 * *@time gets when it was written (0: not said). */
int xnh_netbr_journal_parse(const char *text, struct xnh_netbr_set *s, uint64_t *time)
{
	size_t na = count(text, "addr="), nr = count(text, "route=");
	char *copy = strdup(text), *line, *save = NULL;
	int r = 0;

	memset(s, 0, sizeof(*s));
	*time = 0;
	s->addr = calloc(na ? na : 1, sizeof(*s->addr));
	s->route = calloc(nr ? nr : 1, sizeof(*s->route));
	if (!copy || !s->addr || !s->route)
		r = -ENOMEM;
	for (line = r ? NULL : strtok_r(copy, "\n", &save); line && r >= 0;
	     line = strtok_r(NULL, "\n", &save))
		r = parse_line(line, s, time);
	free(copy);
	if (r < 0)
		xnh_netbr_set_free(s);
	return r;
}

/* Lifetimes went on counting since the journal was written: an address
 * whose time is up would be gone by now, and stays so. */
static bool age(struct xnh_addr *a, uint64_t elapsed)
{
	if (!a->valid_lft || a->valid_lft == FOREVER)
		return true;
	if (elapsed >= a->valid_lft)
		return false;
	a->valid_lft -= (uint32_t)elapsed;
	if (a->preferred_lft != FOREVER)
		a->preferred_lft = elapsed < a->preferred_lft ?
				   a->preferred_lft - (uint32_t)elapsed : 0;
	return true;
}

/* What moves, from the journal @text, as it is now. */
int xnh_netbr_journal_load(const char *text, struct xnh_netbr_set *s)
{
	uint64_t when, now = xnh_netbr_now();
	size_t i, n = 0;
	int r = xnh_netbr_journal_parse(text, s, &when);

	for (i = 0; r >= 0 && i < s->naddr; i++)
		if (age(&s->addr[i], when && now > when ? now - when : 0))
			s->addr[n++] = s->addr[i];
	s->naddr = r >= 0 ? n : 0;
	return r;
}

/* Writes the journal of @st and @s (taken from @from) before a change
 * is made; undone by putting @old back (NULL: by removing it). */
int xnh_netbr_journal_save(const struct xnh_netbr_state *st, const struct xnh_netbr_set *s,
			   const char *from, const char *old, struct xnh_undo *u)
{
	char path[512], *text = NULL;
	int r = xnh_netbr_state_path(st->bridge, path, sizeof(path));

	if (r >= 0)
		r = xnh_netbr_journal_format(st, s, from, xnh_netbr_now(), &text);
	if (r >= 0 && !xnh_dry_run())
		r = xnh_state_mkdir();
	if (r >= 0)
		r = xnh_file_replace(path, text, strlen(text), 0644);
	if (r >= 0)
		r = xnh_undo_file(u, path, old);
	free(text);
	return r;
}
