/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dhcp_ifaces.c: ISC dhcpd's interface list in its defaults file, edited as text (pure). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "dhcp/dhcp.h"

/* Debian's (INTERFACESv4, and INTERFACES before it), Red Hat's and SUSE's. */
static const char *const iface_vars[] = { "INTERFACESv4", "INTERFACES", "DHCPDARGS",
					  "DHCPD_INTERFACE" };

struct assign {
	size_t vstart, vend;		/* the value, without its quotes */
	size_t rest;			/* just after the value and its closing quote */
	char quote;			/* '"', '\'' or 0 */
};

enum { OTHER, KEEP, EDIT };

/* `[export ]VAR=value` with one of our variables on the line at @s: EDIT,
 * or KEEP when the value is more shell than we edit (quoting, expansions,
 * a word glued to it, several lines); OTHER for any other line. */
static int parse_assign(const char *s, struct assign *a)
{
	size_t p = strspn(s, " \t"), i, n;

	if (!strncmp(s + p, "export", 6) && (s[p + 6] == ' ' || s[p + 6] == '\t'))
		p += 6 + strspn(s + p + 6, " \t");
	for (i = 0; i < sizeof(iface_vars) / sizeof(iface_vars[0]); i++) {
		n = strlen(iface_vars[i]);
		if (!strncmp(s + p, iface_vars[i], n) && s[p + n] == '=')
			break;
	}
	if (i == sizeof(iface_vars) / sizeof(iface_vars[0]))
		return OTHER;
	p += n + 1;
	a->quote = s[p] == '"' || s[p] == '\'' ? s[p] : 0;
	a->vstart = p + !!a->quote;
	if (!a->quote) {
		a->vend = a->vstart + strcspn(s + a->vstart, " \t\r\n;");
		a->rest = a->vend;
	} else {
		a->vend = a->vstart + strcspn(s + a->vstart, (char[]){ a->quote, '\n', '\0' });
		a->rest = a->vend + 1;
		if (s[a->vend] != a->quote)
			return KEEP;
	}
	for (n = a->vstart; n < a->vend; n++)
		if (strchr("\"'`$\\", s[n]))
			return KEEP;
	return !s[a->rest] || strchr(" \t\r\n;", s[a->rest]) ? EDIT : KEEP;
}

/* Appends the words of @v[0, len) to @o, without @dev, and @dev when @add. */
static size_t rebuild(const char *v, size_t len, const char *dev, bool add, char *o)
{
	size_t i = 0, w, n = 0, dl = strlen(dev);

	while (i < len) {
		if (v[i] == ' ' || v[i] == '\t') {
			i++;
			continue;
		}
		for (w = i; w < len && v[w] != ' ' && v[w] != '\t'; w++)
			;
		if (w - i != dl || memcmp(v + i, dev, dl)) {
			if (n)
				o[n++] = ' ';
			memcpy(o + n, v + i, w - i);
			n += w - i;
		}
		i = w;
	}
	if (add) {
		if (n)
			o[n++] = ' ';
		memcpy(o + n, dev, dl);
		n += dl;
	}
	return n;
}

/* One line: copied to @o, edited if it assigns one of our variables. */
static size_t edit_line(const char *s, size_t len, const char *dev, bool add, char *o,
			bool *seen)
{
	struct assign a;
	int kind = parse_assign(s, &a);
	char q;
	size_t n;

	*seen |= kind != OTHER;
	if (kind != EDIT || a.rest > len) {
		memcpy(o, s, len);
		return len;
	}
	q = a.quote ? a.quote : '"';
	memcpy(o, s, a.vstart - !!a.quote);
	n = a.vstart - !!a.quote;
	o[n++] = q;
	n += rebuild(s + a.vstart, a.vend - a.vstart, dev, add, o + n);
	o[n++] = q;
	memcpy(o + n, s + a.rest, len - a.rest);
	return n + len - a.rest;
}

static int ifaces_edit(const char *in, const char *dev, bool add, char **out)
{
	size_t lines = 1, i, len, n = 0;
	bool seen = false;
	char *o;

	if (xnh_valid_ifname(dev) < 0)
		return -EINVAL;
	for (i = 0; in[i]; i++)
		lines += in[i] == '\n';
	/* an edited line grows by the name, a blank and two quotes at most */
	o = malloc(i + (lines + 1) * (XNH_IFNAMSIZ + 20) + 1);
	if (!o)
		return -ENOMEM;
	for (i = 0; in[i]; i += len) {
		len = strcspn(in + i, "\n");
		len += in[i + len] == '\n';
		n += edit_line(in + i, len, dev, add, o + n, &seen);
	}
	if (add && !seen) {
		if (n && o[n - 1] != '\n')
			o[n++] = '\n';
		n += (size_t)sprintf(o + n, "INTERFACESv4=\"%s\"\n", dev);
	}
	o[n] = '\0';
	*out = o;
	return 0;
}

/* @dev in the server's interface list (every list variable the file
 * sets; INTERFACESv4 added when it sets none), once. */
int xnh_isc_ifaces_add(const char *in, const char *dev, char **out)
{
	return ifaces_edit(in, dev, true, out);
}

/* @dev out of the server's interface list, as a whole word only. */
int xnh_isc_ifaces_del(const char *in, const char *dev, char **out)
{
	return ifaces_edit(in, dev, false, out);
}
