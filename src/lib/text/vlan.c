/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vlan.c: a port's VLANs, from `bridge=BR[.VLAN][:TRUNK...]` or libxl's `vlan` key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

static void bit_set(uint64_t *map, unsigned int id)
{
	map[id / 64] |= 1ULL << (id % 64);
}

static bool bit_has(const uint64_t *map, unsigned int id)
{
	return id <= XNH_VLAN_ID_MAX && (map[id / 64] >> (id % 64)) & 1;
}

bool xnh_vlan_has(const struct xnh_vlan *v, unsigned int id)
{
	return bit_has(v->member, id);
}

bool xnh_vlan_untagged(const struct xnh_vlan *v, unsigned int id)
{
	return bit_has(v->untagged, id);
}

/* The next member VLAN after @after (-1 to begin), the native one left
 * out: the port's trunks. -1 when there is none. */
int xnh_vlan_next_trunk(const struct xnh_vlan *v, int after)
{
	unsigned int id;

	for (id = (unsigned int)(after + 1); id <= XNH_VLAN_ID_MAX; id++)
		if (bit_has(v->member, id) && (int)id != v->pvid)
			return (int)id;
	return -1;
}

unsigned int xnh_vlan_ntrunks(const struct xnh_vlan *v)
{
	unsigned int n = 0;
	int id = -1;

	while ((id = xnh_vlan_next_trunk(v, id)) >= 0)
		n++;
	return n;
}

void xnh_vlan_init(struct xnh_vlan *v)
{
	memset(v, 0, sizeof(*v));
	v->pvid = -1;
}

/* A decimal VLAN id from @s up to @end (exclusive), within @min..4095. */
static int vlan_id(const char *s, const char *end, unsigned int min, unsigned int *id)
{
	char buf[8];
	unsigned long n;
	size_t len = (size_t)(end - s);
	int r;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	r = xnh_parse_uint(buf, XNH_VLAN_ID_MAX, &n);
	if (r < 0)
		return r;
	if (n < min)
		return -ERANGE;
	*id = (unsigned int)n;
	return 0;
}

/* `:T1:T2...` after the bridge (and its VLAN): tagged members. */
static int parse_trunks(const char *s, struct xnh_vlan *v)
{
	const char *end;
	unsigned int id;
	int r;

	while (*s == ':') {
		s++;
		end = s + strcspn(s, ":");
		r = vlan_id(s, end, 0, &id);
		if (r < 0)
			return r;
		bit_set(v->member, id);
		s = end;
	}
	return *s ? -EINVAL : 0;
}

/* `BRIDGE[.VLAN][:TRUNK[:TRUNK...]]` (upstream's vif-openvswitch, libvirt's
 * <vlan>): VLAN the port's untagged one, TRUNKs its tagged ones, each
 * 0..4095. The bridge's name is checked as an interface name. */
int xnh_vlan_bridge_parse(const char *s, char bridge[XNH_IFNAMSIZ], struct xnh_vlan *v)
{
	size_t n = strcspn(s, ".:");
	const char *p = s + n, *end;
	unsigned int id;
	int r;

	xnh_vlan_init(v);
	if (n == 0 || n >= XNH_IFNAMSIZ)
		return -EINVAL;
	memcpy(bridge, s, n);
	bridge[n] = '\0';
	if (xnh_valid_ifname(bridge) < 0)
		return -EINVAL;
	if (*p == '.') {
		end = p + 1 + strcspn(p + 1, ":");
		r = vlan_id(p + 1, end, 0, &id);
		if (r < 0)
			return r;
		v->pvid = (int)id;
		bit_set(v->member, id);
		bit_set(v->untagged, id);
		p = end;
	}
	return parse_trunks(p, v);
}

/* One term of libxl's list: `ID[p|u]`, `A-B[u]` or `ID+OFFxCOUNT[u]`. */
static int parse_term(const char *s, const char *end, struct xnh_vlan *v)
{
	unsigned int a, b, off = 1, count = 0, i;
	char flag = end > s && (end[-1] == 'p' || end[-1] == 'u') ? end[-1] : 0;
	const char *e = flag ? end - 1 : end, *dash = memchr(s, '-', (size_t)(e - s));
	const char *plus = memchr(s, '+', (size_t)(e - s)), *x;
	int r = vlan_id(s, dash ? dash : plus ? plus : e, 1, &a);

	if (r >= 0 && dash) {
		r = vlan_id(dash + 1, e, 1, &b);
		count = b >= a ? b - a : 0;
		if (r >= 0 && b < a)
			r = -EINVAL;
	} else if (r >= 0 && plus) {
		x = memchr(plus, 'x', (size_t)(e - plus));
		r = x ? vlan_id(plus + 1, x, 1, &off) : -EINVAL;
		if (r >= 0)
			r = vlan_id(x + 1, e, 0, &count);
	}
	if (r < 0 || (flag == 'p' && (dash || plus)))
		return r < 0 ? r : -EINVAL;
	if ((unsigned long)a + (unsigned long)off * count > XNH_VLAN_ID_MAX - 1)
		return -ERANGE;
	for (i = 0; i <= count; i++) {
		bit_set(v->member, a + off * i);
		if (flag)
			bit_set(v->untagged, a + off * i);
	}
	if (flag == 'p' && v->pvid >= 0)
		return -EINVAL;		/* one PVID only */
	if (flag == 'p')
		v->pvid = (int)a;
	return 0;
}

/* libxl's `vlan` key (xl-network-configuration(5)): terms separated by
 * `/`, VLANs 1..4094; a single VLAN is the PVID without its `p`. */
int xnh_vlan_list_parse(const char *s, struct xnh_vlan *v)
{
	const char *end;
	unsigned int id;
	int r;

	xnh_vlan_init(v);
	if (!*s)
		return -EINVAL;
	while (*s) {
		end = s + strcspn(s, "/");
		r = parse_term(s, end, v);
		if (r < 0)
			return r;
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -EINVAL;
	}
	if (v->pvid < 0 && xnh_vlan_next_trunk(v, -1) >= 0 &&
	    xnh_vlan_next_trunk(v, xnh_vlan_next_trunk(v, -1)) < 0) {
		id = (unsigned int)xnh_vlan_next_trunk(v, -1);
		v->pvid = (int)id;
		bit_set(v->untagged, id);
	}
	return v->pvid < 0 ? -EINVAL : 0;
}
