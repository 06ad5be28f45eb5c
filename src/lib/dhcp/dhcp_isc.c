/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dhcp_isc.c: ISC dhcpd.conf host and subnet declarations, edited as text (pure). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "dhcp/dhcp.h"

/* The marker after the subnet network-nat declares: only that one is removed. */
#define SUBNET_MARK	"# network-nat"
static const char *const nat_subnet[] = { "10.0.0.0", "netmask", "255.255.0.0" };

enum { T_END, T_WORD, T_STR, T_OPEN, T_CLOSE, T_SEMI, T_BAD };

struct tok {
	int type;
	size_t start, end;		/* of the token; a string's without quotes */
};

/* dhcpd.conf's lexical rules, as far as finding declarations needs them:
 * blanks, # comments, "strings" with \ escapes, braces, semicolons, words. */
static void next(const char *s, size_t *pos, struct tok *t)
{
	size_t p = *pos;

	for (;;) {
		while (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')
			p++;
		if (s[p] != '#')
			break;
		while (s[p] && s[p] != '\n')
			p++;
	}
	t->start = p;
	if (!s[p]) {
		t->type = T_END;
	} else if (s[p] == '"') {
		t->start = ++p;
		while (s[p] && s[p] != '"')
			p += s[p] == '\\' && s[p + 1] ? 2 : 1;
		t->type = s[p] ? T_STR : T_BAD;
		t->end = p;
		*pos = s[p] ? p + 1 : p;
		return;
	} else if (strchr("{};", s[p])) {
		t->type = s[p] == '{' ? T_OPEN : s[p] == '}' ? T_CLOSE : T_SEMI;
		p++;
	} else {
		t->type = T_WORD;
		while (s[p] && !strchr(" \t\r\n#\"{};", s[p]))
			p++;
	}
	t->end = p;
	*pos = p;
}

static bool tok_is(const char *s, const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	return (t->type == T_WORD || t->type == T_STR) && t->end - t->start == n &&
	       !memcmp(s + t->start, word, n);
}

/* From just after a '{': the position just after its '}'; 0 when unbalanced. */
static size_t block_end(const char *s, size_t pos)
{
	unsigned int depth = 1;
	struct tok t;

	for (;;) {
		next(s, &pos, &t);
		if (t.type == T_END || t.type == T_BAD)
			return 0;
		if (t.type == T_OPEN)
			depth++;
		if (t.type == T_CLOSE && --depth == 0)
			return pos;
	}
}

/* Does `kw args... { ... }` start at token @t? Sets *end past its '}'. */
static bool decl_at(const char *s, const struct tok *t, size_t pos, const char *kw,
		    const char *const *args, size_t nargs, size_t *end)
{
	struct tok a;
	size_t i;

	if (t->type != T_WORD || !tok_is(s, t, kw))	/* "host" quoted is no keyword */
		return false;
	for (i = 0; i < nargs; i++) {
		next(s, &pos, &a);
		if (!tok_is(s, &a, args[i]))
			return false;
	}
	next(s, &pos, &a);
	if (a.type != T_OPEN)
		return false;
	*end = block_end(s, pos);
	return *end != 0;
}

/* The first declaration `kw args... { ... }` at or after @from, at any
 * depth (hosts may sit in groups, subnets in shared-networks); -ENOENT. */
static int find_decl(const char *s, size_t from, const char *kw, const char *const *args,
		     size_t nargs, size_t *start, size_t *end)
{
	bool stmt = true;
	size_t pos = from;
	struct tok t;

	for (;;) {
		next(s, &pos, &t);
		if (t.type == T_END || t.type == T_BAD)
			return -ENOENT;
		if (stmt && decl_at(s, &t, pos, kw, args, nargs, end)) {
			*start = t.start;
			return 0;
		}
		stmt = t.type == T_OPEN || t.type == T_CLOSE || t.type == T_SEMI;
	}
}

/* Cuts [start, end) out of @s in place; a declaration alone on its lines
 * goes with its lines, one sharing a line takes only the blanks after it.
 * Returns where the text after the cut now starts (the next search's). */
static size_t cut(char *s, size_t start, size_t end)
{
	size_t ls = start, le = end;

	while (ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
		ls--;
	while (s[le] == ' ' || s[le] == '\t' || s[le] == '\r')
		le++;
	if ((ls == 0 || s[ls - 1] == '\n') && (s[le] == '\n' || !s[le]))
		start = ls, end = le + (s[le] == '\n');
	else
		end = le;
	memmove(s + start, s + end, strlen(s + end) + 1);
	return start;
}

/* Copies @in with every matching declaration removed; returns how many. */
static int del_decls(const char *in, const char *kw, const char *const *args, size_t nargs,
		     const char *mark, char **out)
{
	size_t from = 0, start, end, m = mark ? strlen(mark) : 0, e;
	char *s = strdup(in);
	int n = 0;

	if (!s)
		return -ENOMEM;
	while (find_decl(s, from, kw, args, nargs, &start, &end) == 0) {
		for (e = end; s[e] == ' ' || s[e] == '\t'; e++)
			;
		if (mark && strncmp(s + e, mark, m)) {
			from = end;
			continue;
		}
		if (mark)
			end = e + strcspn(s + e, "\n");
		from = cut(s, start, end);
		n++;
	}
	*out = s;
	return n;
}

/* @in, a newline if it lacks its last one, then @line and a newline. */
static int append_line(const char *in, const char *line, char **out)
{
	size_t n = strlen(in), l = strlen(line);
	bool nl = n && in[n - 1] != '\n';
	char *s = malloc(n + nl + l + 2);

	if (!s)
		return -ENOMEM;
	memcpy(s, in, n);
	if (nl)
		s[n++] = '\n';
	memcpy(s + n, line, l);
	s[n + l] = '\n';
	s[n + l + 1] = '\0';
	*out = s;
	return 0;
}

int xnh_isc_host_format(const struct xnh_dhcp_host *h, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];
	const uint8_t *m = h->mac;
	int n;

	if (xnh_valid_ifname(h->name) < 0)	/* domN[-V]: a safe word */
		return -EINVAL;
	inet_ntop(AF_INET, &h->addr, a, sizeof(a));
	inet_ntop(AF_INET, &h->router, r, sizeof(r));
	n = snprintf(buf, len, "host %s { hardware ethernet %02x:%02x:%02x:%02x:%02x:%02x;"
		     " fixed-address %s; option routers %s; option host-name \"%s\"; }",
		     h->name, m[0], m[1], m[2], m[3], m[4], m[5], a, r, h->name);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* Every `host NAME { ... }` removed (dom1 never takes dom10 along). */
int xnh_isc_host_del(const char *in, const char *name, char **out)
{
	return del_decls(in, "host", &name, 1, NULL, out);
}

/* The host's one entry, replacing any other of the same name; returns
 * how many were replaced. */
int xnh_isc_host_set(const char *in, const struct xnh_dhcp_host *h, char **out)
{
	char line[256], *tmp;
	int n = xnh_isc_host_format(h, line, sizeof(line)), r;
	const char *name = h->name;

	if (n < 0)
		return n;
	n = del_decls(in, "host", &name, 1, NULL, &tmp);
	if (n < 0)
		return n;
	r = append_line(tmp, line, out);
	free(tmp);
	return r < 0 ? r : n;
}

int xnh_isc_subnet_format(const struct xnh_isc_subnet *sn, char *buf, size_t len)
{
	char dns[INET_ADDRSTRLEN + 40] = "", dom[XNH_DOMAIN_MAX + 40] = "";
	int n;

	if (sn->domain[0])
		snprintf(dom, sizeof(dom), " option domain-name \"%s\";", sn->domain);
	if (sn->dns.s_addr) {
		n = snprintf(dns, sizeof(dns), " option domain-name-servers ");
		inet_ntop(AF_INET, &sn->dns, dns + n, sizeof(dns) - (size_t)n);
		strcat(dns, ";");
	}
	n = snprintf(buf, len, "subnet %s %s %s {%s%s } %s", nat_subnet[0], nat_subnet[1],
		     nat_subnet[2], dom, dns, SUBNET_MARK);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* network-nat's `subnet 10.0.0.0 netmask 255.255.0.0`, unless the file
 * declares that subnet already (the administrator's stays as it is);
 * returns 1 when added. */
int xnh_isc_subnet_set(const char *in, const struct xnh_isc_subnet *sn, char **out)
{
	char line[XNH_DOMAIN_MAX + 200];
	size_t start, end;
	int r = xnh_isc_subnet_format(sn, line, sizeof(line));

	if (r < 0)
		return r;
	if (find_decl(in, 0, "subnet", nat_subnet, 3, &start, &end) == 0) {
		*out = strdup(in);
		return *out ? 0 : -ENOMEM;
	}
	r = append_line(in, line, out);
	return r < 0 ? r : 1;
}

/* Removes only the subnet that carries network-nat's marker. */
int xnh_isc_subnet_del(const char *in, char **out)
{
	return del_decls(in, "subnet", nat_subnet, 3, SUBNET_MARK, out);
}

