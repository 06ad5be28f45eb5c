/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valid.c: checks of untrusted text (argv, environment, xenstore values). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "text/text.h"

/* Interface names: what the kernel accepts, narrowed to what is safe to
 * print, log and put in a /proc path: 1..15 bytes of [A-Za-z0-9_.:-],
 * and never "." or "..". */
int xnh_valid_ifname(const char *s)
{
	size_t n;

	if (!s)
		return -EINVAL;
	n = strlen(s);
	if (n == 0 || n >= XNH_IFNAMSIZ)
		return -EINVAL;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return -EINVAL;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.:-") == n ? 0 : -EINVAL;
}

/* @src, checked as an interface name, into @dst (XNH_IFNAMSIZ bytes). */
int xnh_ifname_copy(char *dst, const char *src)
{
	if (xnh_valid_ifname(src) < 0)
		return -EINVAL;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* Text we keep: printable ASCII only, bounded. */
int xnh_valid_text(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
			return -EINVAL;
		if (n >= XNH_VALUE_MAX)
			return -E2BIG;
	}
	return 0;
}

/* Plain decimal, no sign, no leading zero, no spaces, at most @max. */
int xnh_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p;

	if (!s || !*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		/* v * 10 + digit <= max, without wrapping when max < 9 */
		if ((unsigned long)(*p - '0') > max || v > (max - (unsigned long)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*out = v;
	return 0;
}

int xnh_parse_mtu(const char *s, unsigned int *mtu)
{
	unsigned long v;
	int r = xnh_parse_uint(s, XNH_MTU_MAX, &v);

	if (r < 0)
		return r;
	if (v < XNH_MTU_MIN)
		return -ERANGE;
	*mtu = (unsigned int)v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Six colon-separated pairs of hex digits: what libxl writes. */
int xnh_parse_mac(const char *s, uint8_t mac[6])
{
	int i, hi, lo;

	if (!s || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++, s += 3) {
		hi = hexval(s[0]);
		lo = hexval(s[1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int xnh_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "y", "1", "true", "on" };
	static const char *const no[] = { "no", "n", "0", "false", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* An untrusted value made fit to quote in a one-line message: control and
 * non-ASCII bytes become '?', and long values are cut with "...". */
void xnh_quote(const char *s, char *buf, size_t len)
{
	size_t i, max = 48;

	if (!len)
		return;
	if (max > len - 1)
		max = len - 1;
	for (i = 0; s && s[i] && i < max; i++)
		buf[i] = (s[i] < 0x20 || s[i] > 0x7e) ? '?' : s[i];
	buf[i] = '\0';
	if (s && s[i] && i >= 3)
		memcpy(buf + i - 3, "...", 3);
}
