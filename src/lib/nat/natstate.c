/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* natstate.c: what vif-nat online and network-nat start did, kept for offline and stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "dhcp/dhcp.h"
#include "nat/nat.h"

/* Both records are lines of `key=value`; parsing is strict. A record
 * carries the boot it was written in (boot=), so that one of an earlier
 * boot is known for what it is. */
struct kv {
	char key[16];
	char val[64];
};

/* The line at *s, and *s moved past it; 0 at the end, 1 for a line. */
static int next_kv(const char **s, struct kv *kv)
{
	size_t len = strcspn(*s, "\n"), k;
	const char *l = *s;

	if (!*l)
		return 0;
	*s += len + (l[len] == '\n');
	k = strcspn(l, "=");
	if (k == 0 || k >= len || k >= sizeof(kv->key) || len - k - 1 >= sizeof(kv->val))
		return -EINVAL;
	memcpy(kv->key, l, k);
	kv->key[k] = '\0';
	memcpy(kv->val, l + k + 1, len - k - 1);
	kv->val[len - k - 1] = '\0';
	return xnh_valid_text(kv->val) < 0 ? -EINVAL : 1;
}

static int parse_v4(const char *s, struct in_addr *out)
{
	struct xnh_inet in;

	if (xnh_inet_parse(s, &in) < 0 || in.family != AF_INET || in.has_prefix)
		return -EINVAL;
	*out = in.a.v4;
	return 0;
}

static int parse_boot(const char *s, char *boot)
{
	size_t n = strlen(s);

	if (!n || n >= XNH_NAT_BOOT || strspn(s, "0123456789abcdef-") != n)
		return -EINVAL;
	memcpy(boot, s, n + 1);
	return 0;
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	return xnh_parse_uint(s, max, out) < 0 ? -EINVAL : 0;
}

static int natvif_kv(const struct kv *kv, struct xnh_natvif *v)
{
	unsigned long n;
	int r;

	if (!strcmp(kv->key, "dev"))
		return xnh_ifname_copy(v->dev, kv->val);
	if (!strcmp(kv->key, "host"))
		return xnh_ifname_copy(v->host, kv->val);
	if (!strcmp(kv->key, "router"))
		return parse_v4(kv->val, &v->router);
	if (!strcmp(kv->key, "boot"))
		return parse_boot(kv->val, v->boot);
	if (!strcmp(kv->key, "guest")) {
		if (v->n == XNH_IP_MAX)
			return -E2BIG;
		return parse_v4(kv->val, &v->guest[v->n++]);
	}
	if (!strcmp(kv->key, "ifindex") || !strcmp(kv->key, "dhcp")) {
		r = parse_num(kv->val, 0x7fffffff, &n);
		if (r < 0)
			return r;
		if (!strcmp(kv->key, "ifindex"))
			v->ifindex = (int)n;
		else
			v->dhcp = (unsigned int)n & (XNH_DHCP_ISC | XNH_DHCP_DNSMASQ);
		return 0;
	}
	return -EINVAL;
}

/* A record needs its device, its router address and a guest. */
int xnh_natvif_parse(const char *text, struct xnh_natvif *v)
{
	struct kv kv;
	int r;

	memset(v, 0, sizeof(*v));
	while ((r = next_kv(&text, &kv)) > 0) {
		r = natvif_kv(&kv, v);
		if (r < 0)
			return r;
	}
	if (r < 0 || !v->dev[0] || !v->router.s_addr || !v->n)
		return -EINVAL;
	return 0;
}

static int put(char *buf, size_t len, size_t *n, const char *key, const char *val)
{
	int w = snprintf(buf + *n, len - *n, "%s=%s\n", key, val);

	if (w < 0 || (size_t)w >= len - *n)
		return -ENOSPC;
	*n += (size_t)w;
	return 0;
}

static int put_v4(char *buf, size_t len, size_t *n, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, s, sizeof(s));
	return put(buf, len, n, key, s);
}

int xnh_natvif_format(const struct xnh_natvif *v, char *buf, size_t len)
{
	char num[24];
	size_t n = 0, i;
	int r = put(buf, len, &n, "dev", v->dev);

	snprintf(num, sizeof(num), "%d", v->ifindex);
	if (r >= 0)
		r = put(buf, len, &n, "ifindex", num);
	if (r >= 0)
		r = put_v4(buf, len, &n, "router", v->router);
	for (i = 0; r >= 0 && i < v->n; i++)
		r = put_v4(buf, len, &n, "guest", v->guest[i]);
	if (r >= 0 && v->host[0])
		r = put(buf, len, &n, "host", v->host);
	snprintf(num, sizeof(num), "%u", v->dhcp);
	if (r >= 0)
		r = put(buf, len, &n, "dhcp", num);
	if (r >= 0 && v->boot[0])
		r = put(buf, len, &n, "boot", v->boot);
	return r;
}

static int natnet_kv(const struct kv *kv, struct xnh_natnet *s)
{
	if (!strcmp(kv->key, "ip_forward") && (!strcmp(kv->val, "0") || !strcmp(kv->val, "1"))) {
		s->forward = kv->val[0] == '1';
		s->has_forward = true;
		return 0;
	}
	if (!strcmp(kv->key, "uplink")) {
		if (s->n == XNH_NAT_UPLINKS)
			return -E2BIG;
		return xnh_ifname_copy(s->uplink[s->n++], kv->val);
	}
	if (!strcmp(kv->key, "boot"))
		return parse_boot(kv->val, s->boot);
	if (!strcmp(kv->key, "isc_subnet") && !strcmp(kv->val, "1")) {
		s->subnet = true;
		return 0;
	}
	return -EINVAL;
}

int xnh_natnet_parse(const char *text, struct xnh_natnet *s)
{
	struct kv kv;
	int r;

	memset(s, 0, sizeof(*s));
	while ((r = next_kv(&text, &kv)) > 0) {
		r = natnet_kv(&kv, s);
		if (r < 0)
			return r;
	}
	return r < 0 || !s->has_forward ? -EINVAL : 0;
}

int xnh_natnet_format(const struct xnh_natnet *s, char *buf, size_t len)
{
	size_t n = 0, i;
	int r = put(buf, len, &n, "ip_forward", s->forward ? "1" : "0");

	for (i = 0; r >= 0 && i < s->n; i++)
		r = put(buf, len, &n, "uplink", s->uplink[i]);
	if (r >= 0 && s->subnet)
		r = put(buf, len, &n, "isc_subnet", "1");
	if (r >= 0 && s->boot[0])
		r = put(buf, len, &n, "boot", s->boot);
	return r;
}

/* The index of @dev among the uplinks, or -ENOENT. */
int xnh_natnet_find(const struct xnh_natnet *s, const char *dev)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->uplink[i], dev))
			return (int)i;
	return -ENOENT;
}

/* Forgets uplink @i. */
int xnh_natnet_drop(struct xnh_natnet *s, size_t i)
{
	if (i >= s->n)
		return -ENOENT;
	memmove(s->uplink[i], s->uplink[i + 1], (s->n - i - 1) * sizeof(s->uplink[0]));
	s->n--;
	return 0;
}

/* -ENOENT when there is no such record, -EINVAL when it is unreadable. */
int xnh_natvif_load(const char *name, struct xnh_natvif *v)
{
	char *text;
	int r = xnh_state_read(name, &text);

	if (r < 0)
		return r;
	r = xnh_natvif_parse(text, v);
	free(text);
	return r;
}

/* Written with this boot's id. */
int xnh_natvif_save(const char *name, const struct xnh_natvif *v)
{
	char text[XNH_IP_MAX * 24 + 320];
	struct xnh_natvif now = *v;
	int r;

	if (xnh_boot_id(now.boot, sizeof(now.boot)) < 0)
		now.boot[0] = '\0';
	r = xnh_natvif_format(&now, text, sizeof(text));

	return r < 0 ? r : xnh_state_write(name, text, strlen(text));
}

int xnh_natnet_load(const char *name, struct xnh_natnet *s)
{
	char *text;
	int r = xnh_state_read(name, &text);

	if (r < 0)
		return r;
	r = xnh_natnet_parse(text, s);
	free(text);
	return r;
}

/* Written with this boot's id. */
int xnh_natnet_save(const char *name, const struct xnh_natnet *s)
{
	char text[XNH_NAT_UPLINKS * 32 + 128];
	struct xnh_natnet now = *s;
	int r;

	if (xnh_boot_id(now.boot, sizeof(now.boot)) < 0)
		now.boot[0] = '\0';
	r = xnh_natnet_format(&now, text, sizeof(text));

	return r < 0 ? r : xnh_state_write(name, text, strlen(text));
}
