/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dhcp_props.h: what the DHCP config editors guarantee on any input; shared
 * by the Check suite (random configs) and the libFuzzer target. Define
 * PROP(cond) before including it. */
#ifndef XNET_DHCP_PROPS_H
#define XNET_DHCP_PROPS_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

/* Quotes closed, braces balanced, the last statement ended: dhcpd could
 * read it, and what is appended starts a statement of its own. */
static bool balanced(const char *s)
{
	char last = ';';
	int depth = 0;

	for (; *s; s++) {
		if (*s == '#') {
			s += strcspn(s, "\n");
			if (!*s)
				break;
			continue;
		}
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' && s[1])
					s++;
			if (!*s)
				return false;
		} else if (*s == '{') {
			depth++;
		} else if (*s == '}' && --depth < 0) {
			return false;
		}
		if (!strchr(" \t\r\n", *s))
			last = *s;
	}
	return depth == 0 && (last == ';' || last == '}');
}

/* The editor succeeded and gave its output in *(p). */
#define MUST(call, p) do {					\
		int r_ = (call);				\
		PROP(r_ >= 0 && (p) != NULL);			\
	} while (0)

/* The properties of the ISC editors on any input @in. */
static void fuzz_isc(const char *in, const struct xnh_dhcp_host *h)
{
	struct xnh_isc_subnet sn = { .domain = "d" };
	char *a, *b, *c;
	int r;

	MUST(xnh_isc_host_del(in, "dom1", &a), a);
	PROP(strlen(a) <= strlen(in));
	PROP(xnh_isc_host_del(a, "dom1", &b) == 0 && b);	/* nothing left */
	PROP(!strcmp(b, a));
	free(a), free(b);
	if (!balanced(in))
		return;
	MUST(xnh_isc_host_set(in, h, &a), a);
	PROP(xnh_isc_host_set(a, h, &b) >= 1 && b);
	PROP(!strcmp(b, a));					/* set twice: same */
	PROP(xnh_isc_host_del(a, "dom1", &c) >= 1);
	free(a), free(b), free(c);
	r = xnh_isc_subnet_set(in, &sn, &a);
	MUST(r, a);
	PROP(xnh_isc_subnet_del(a, &b) >= r);
	free(a), free(b);
}

/* The properties of the line editors (defaults file, dnsmasq) on any @in. */
static void fuzz_lines(const char *in, const struct xnh_dhcp_host *h)
{
	char *a, *b;

	MUST(xnh_isc_ifaces_add(in, "vif1.0", &a), a);
	MUST(xnh_isc_ifaces_add(a, "vif1.0", &b), b);
	PROP(!strcmp(a, b));
	free(b);
	MUST(xnh_isc_ifaces_del(a, "vif1.0", &b), b);
	free(a);
	MUST(xnh_isc_ifaces_del(b, "vif1.0", &a), a);
	PROP(!strcmp(a, b));
	free(a), free(b);
	MUST(xnh_dnsmasq_hosts_set(in, h, &a), a);
	PROP(xnh_dnsmasq_hosts_set(a, h, &b) == 1 && b);
	PROP(!strcmp(b, a));
	free(b);
	PROP(xnh_dnsmasq_hosts_del(a, "dom1", &b) == 1);
	free(a), free(b);
	MUST(xnh_dnsmasq_opts_set(in, h, "vif1.0", &a), a);
	PROP(xnh_dnsmasq_opts_del(a, "vif1.0", &b) == 1);
	free(a), free(b);
}

#endif
