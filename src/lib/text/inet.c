/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* inet.c: IPv4/IPv6 addresses with an optional /prefix, and `ip` lists. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "text/text.h"

#define INET_TEXT_MAX	(INET6_ADDRSTRLEN + 4)

/* Addresses a guest can never own: unspecified, loopback, multicast and
 * the limited broadcast. */
static bool reserved(const struct xnh_inet *in)
{
	uint32_t v4;

	if (in->family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&in->a.v6) ||
		       IN6_IS_ADDR_LOOPBACK(&in->a.v6) ||
		       IN6_IS_ADDR_MULTICAST(&in->a.v6);
	v4 = ntohl(in->a.v4.s_addr);
	return v4 == 0 || (v4 >> 24) == 127 || (v4 >> 28) == 0xe ||
	       v4 == 0xffffffff;
}

/* "A.B.C.D", "A.B.C.D/N", "X:Y::Z" or "X:Y::Z/N"; strict, as inet_pton. */
int xnh_inet_parse(const char *s, struct xnh_inet *out)
{
	char buf[INET_TEXT_MAX];
	const char *slash;
	unsigned long plen = 0;
	size_t alen;
	int r;

	memset(out, 0, sizeof(*out));
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	out->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(out->family, buf, &out->a) != 1)
		return -EINVAL;
	out->prefix = out->family == AF_INET ? 32 : 128;
	if (slash) {
		r = xnh_parse_uint(slash + 1, out->prefix, &plen);
		if (r < 0)
			return r;
		out->prefix = (uint8_t)plen;
		out->has_prefix = true;
	}
	return reserved(out) ? -EADDRNOTAVAIL : 0;
}

size_t xnh_inet_len(const struct xnh_inet *in)
{
	return in->family == AF_INET ? sizeof(in->a.v4) : sizeof(in->a.v6);
}

int xnh_inet_format(const struct xnh_inet *in, bool prefix, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	if (!inet_ntop(in->family, &in->a, a, sizeof(a)))
		return -errno;
	if (prefix)
		n = snprintf(buf, len, "%s/%u", a, in->prefix);
	else
		n = snprintf(buf, len, "%s", a);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* True when bits beyond the prefix are set (10.0.0.1/24): the entry is
 * then an address with a netmask, not the network it would name. */
bool xnh_inet_host_bits(const struct xnh_inet *in)
{
	const uint8_t *b = (const uint8_t *)&in->a;
	size_t i, len = xnh_inet_len(in);

	for (i = in->prefix / 8; i < len; i++) {
		uint8_t mask = i == in->prefix / 8 ? (uint8_t)(0xff >> (in->prefix % 8)) : 0xff;

		if (b[i] & mask)
			return true;
	}
	return false;
}

/* True when @a lies in the network of @net (its address and prefix). */
bool xnh_inet_in(const struct xnh_inet *net, const struct xnh_inet *a)
{
	const uint8_t *x = (const uint8_t *)&net->a, *y = (const uint8_t *)&a->a;
	unsigned int full = net->prefix / 8, rest = net->prefix % 8;

	if (net->family != a->family)
		return false;
	if (memcmp(x, y, full))
		return false;
	return !rest || !((x[full] ^ y[full]) & (uint8_t)(0xff << (8 - rest)));
}

static bool same(const struct xnh_inet *x, const struct xnh_inet *y)
{
	return x->family == y->family && x->prefix == y->prefix &&
	       !memcmp(&x->a, &y->a, xnh_inet_len(x));
}

static int iplist_add(struct xnh_iplist *l, const char *word, size_t len)
{
	char buf[INET_TEXT_MAX];
	struct xnh_inet in;
	size_t i;
	int r;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, word, len);
	buf[len] = '\0';
	r = xnh_inet_parse(buf, &in);
	if (r < 0)
		return r;
	for (i = 0; i < l->n; i++)
		if (same(&l->e[i], &in))
			return 0;
	if (l->n == XNH_IP_MAX)
		return -E2BIG;
	l->e[l->n++] = in;
	return 0;
}

/* A space-separated list, as libxl writes the `ip` key; duplicates are
 * folded, anything that is not an address fails the whole list. */
int xnh_iplist_parse(const char *s, struct xnh_iplist *out)
{
	size_t len;
	int r;

	out->n = 0;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		len = strcspn(s, " ");
		r = iplist_add(out, s, len);
		if (r < 0)
			return r;
		s += len;
	}
	return 0;
}
