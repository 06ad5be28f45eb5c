/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwelem.c: set elements: a vif's keys, their messages, lookups and dumps. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "fw/fw.h"

static unsigned int slot(enum xnh_fw_field f)
{
	return (xnh_fw_field_len(f) + 3) & ~3u;
}

/* An `ip` entry with a prefix and no host bits (10.1.0.0/24) is a range
 * routed to the guest; with host bits (10.0.1.1/16) it is the guest's
 * address and netmask. */
bool xnh_fw_inet_is_net(const struct xnh_inet *a)
{
	unsigned int bits = (unsigned int)xnh_inet_len(a) * 8, i;
	const uint8_t *p = (const uint8_t *)&a->a;

	if (!a->has_prefix || a->prefix >= bits)
		return false;
	for (i = a->prefix; i < bits; i++)
		if (p[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static void fill_host_bits(uint8_t *p, unsigned int prefix, unsigned int bits)
{
	unsigned int i;

	for (i = prefix; i < bits; i++)
		p[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

static int put_field(uint8_t *k, enum xnh_fw_field f, uint32_t ifindex, const char *ifname,
		     const uint8_t *mac, const struct xnh_inet *a)
{
	switch (f) {
	case XNH_FWF_IFINDEX:		/* host byte order, as `meta iif` loads it */
		if (!ifindex)
			return -EINVAL;
		memcpy(k, &ifindex, 4);
		return 0;
	case XNH_FWF_IFNAME:
		if (!ifname || xnh_valid_ifname(ifname) < 0)
			return -EINVAL;
		memcpy(k, ifname, strlen(ifname));
		return 0;
	case XNH_FWF_ETHER:
		if (!mac)
			return -EINVAL;
		memcpy(k, mac, 6);
		return 0;
	default:
		if (!a || a->family != (f == XNH_FWF_IPV4 ? AF_INET : AF_INET6))
			return -EINVAL;
		memcpy(k, &a->a, xnh_inet_len(a));
		return 0;
	}
}

/* The key of set @s for these values; in an interval set, @a's prefix
 * (the address is always the last field). */
int xnh_fw_elem_make(const struct xnh_fw_set *s, uint32_t ifindex, const char *ifname,
		     const uint8_t *mac, const struct xnh_inet *a, struct xnh_fw_elem *e)
{
	unsigned int i, off = 0;
	int r;

	memset(e, 0, sizeof(*e));
	e->set = s;
	for (i = 0; i < s->nfields; i++) {
		r = put_field(e->key + off, s->field[i], ifindex, ifname, mac, a);
		if (r < 0)
			return r;
		off += slot(s->field[i]);
	}
	e->len = off;
	e->range = s->interval;
	if (e->range) {
		memcpy(e->key_end, e->key, off);
		fill_host_bits(e->key_end + off - slot(s->field[s->nfields - 1]),
			       a && a->has_prefix ? a->prefix : 128,
			       (unsigned int)(a ? xnh_inet_len(a) * 8 : 0));
	}
	return 0;
}

static int push(struct xnh_fw_elem *e, size_t max, int *n, const struct xnh_fw_layout *l,
		const char *set, const struct xnh_fw_vif *v, const struct xnh_inet *a)
{
	if (*n < 0)
		return *n;
	if ((size_t)*n >= max)
		return *n = -ENOSPC;
	if (xnh_fw_elem_make(xnh_fw_set_find(l, set), v->ifindex, v->ifname,
			     v->has_mac ? v->mac : NULL, a, &e[*n]) < 0)
		return *n = -EINVAL;
	return ++*n;
}

static const char *addr_set(const struct xnh_inet *a)
{
	bool net = xnh_fw_inet_is_net(a);

	if (a->family == AF_INET)
		return net ? "allowed4_nets" : "allowed4";
	return net ? "allowed6_nets" : "allowed6";
}

static bool is_link_local(const struct xnh_inet *a)
{
	const uint8_t *p = (const uint8_t *)&a->a;

	return a->family == AF_INET6 && p[0] == 0xfe && (p[1] & 0xc0) == 0x80;
}

/* The families `ip` does not list, which are then not held to addresses
 * (upstream's meaning), unless @strict; a link-local entry alone does not
 * list IPv6 (it names an RFC 7217 address besides the MAC's). */
void xnh_fw_vif_open(const struct xnh_fw_vif *v, bool *open4, bool *open6)
{
	bool v4 = false, v6 = false;
	size_t i;

	for (i = 0; i < v->ip.n; i++) {
		v4 |= v->ip.e[i].family == AF_INET;
		v6 |= v->ip.e[i].family == AF_INET6 && !is_link_local(&v->ip.e[i]);
	}
	*open4 = !v4 && !(v->strict && v->ip.n);
	*open6 = !v6 && !(v->strict && v->ip.n);
}

/* fe80::/64 with the modified EUI-64 of @mac (RFC 4291), as the guest's
 * kernel makes it unless told otherwise. */
void xnh_fw_eui64_link_local(const uint8_t *mac, struct xnh_inet *a)
{
	uint8_t *p = (uint8_t *)&a->a;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	p[0] = 0xfe;
	p[1] = 0x80;
	p[8] = mac[0] ^ 2;
	p[9] = mac[1];
	p[10] = mac[2];
	p[11] = 0xff;
	p[12] = 0xfe;
	memcpy(p + 13, mac + 3, 3);
}

static bool listed(const struct xnh_fw_vif *v, const struct xnh_inet *a)
{
	size_t i;

	for (i = 0; i < v->ip.n; i++)
		if (v->ip.e[i].family == a->family && !xnh_fw_inet_is_net(&v->ip.e[i]) &&
		    !memcmp(&v->ip.e[i].a, &a->a, 16))
			return true;
	return false;
}

/* A routed or NAT vif's ARP to dom0 is held to its IPv4 addresses too, in
 * table arp xen (no MAC: the sender MAC is not checked there). */
static void arp_elems(const struct xnh_fw_vif *v, struct xnh_fw_elem *e, size_t max, int *n,
		      bool open4)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(XNH_FW_ARP);
	struct xnh_fw_vif nomac = *v;
	size_t i;

	nomac.has_mac = false;
	push(e, max, n, l, "guarded", &nomac, NULL);
	if (open4)
		push(e, max, n, l, "open4", &nomac, NULL);
	for (i = 0; i < v->ip.n; i++)
		if (v->ip.e[i].family == AF_INET)
			push(e, max, n, l, addr_set(&v->ip.e[i]), &nomac, &v->ip.e[i]);
}

/* Every element of a guarded vif: pure, so offline can rebuild them from
 * the record online left. Returns how many. */
int xnh_fw_vif_elems(const struct xnh_fw_vif *v, struct xnh_fw_elem *e, size_t max)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(v->table);
	bool br = v->table == XNH_FW_BRIDGE, o4, o6;
	struct xnh_inet ll;
	int n = 0;
	size_t i;

	if (br && !v->has_mac)
		return -EINVAL;
	xnh_fw_vif_open(v, &o4, &o6);
	push(e, max, &n, l, "guarded", v, NULL);
	if (br)
		push(e, max, &n, l, "macs", v, NULL);
	if (o4)
		push(e, max, &n, l, "open4", v, NULL);
	if (o6)
		push(e, max, &n, l, "open6", v, NULL);
	if (v->dhcp_server)
		push(e, max, &n, l, "dhcp_server", v, NULL);
	if (br)
		xnh_fw_eui64_link_local(v->mac, &ll);
	if (br && !listed(v, &ll))
		push(e, max, &n, l, "allowed6", v, &ll);
	for (i = 0; i < v->ip.n; i++)
		push(e, max, &n, l, addr_set(&v->ip.e[i]), v, &v->ip.e[i]);
	if (v->table == XNH_FW_INET)
		arp_elems(v, e, max, &n, o4);
	return n;
}

static int describe_field(const uint8_t *k, enum xnh_fw_field f, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	uint32_t ix;

	switch (f) {
	case XNH_FWF_IFINDEX:
		memcpy(&ix, k, 4);
		return snprintf(buf, len, "%u", ix);
	case XNH_FWF_IFNAME:
		return snprintf(buf, len, "\"%.*s\"", XNH_IFNAMSIZ, (const char *)k);
	case XNH_FWF_ETHER:
		return snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", k[0], k[1], k[2],
				k[3], k[4], k[5]);
	default:
		inet_ntop(f == XNH_FWF_IPV4 ? AF_INET : AF_INET6, k, a, sizeof(a));
		return snprintf(buf, len, "%s", a);
	}
}

/* The element as nft writes it (the index as a number):
 * 7 . "vif1.0" . 00:16:3e:00:01:00 . 10.0.0.1 */
int xnh_fw_elem_describe(const struct xnh_fw_elem *e, char *buf, size_t len)
{
	const struct xnh_fw_set *s = e->set;
	unsigned int i, off = 0;
	size_t n = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nfields && n < len; i++) {
		if (i)
			n += (size_t)snprintf(buf + n, len - n, " . ");
		if (n < len)
			n += (size_t)describe_field(e->key + off, s->field[i], buf + n, len - n);
		if (e->range && i == s->nfields - 1 && n < len) {
			n += (size_t)snprintf(buf + n, len - n, "-");
			if (n < len)
				n += (size_t)describe_field(e->key_end + off, s->field[i],
							    buf + n, len - n);
		}
		off += slot(s->field[i]);
	}
	return n < len ? 0 : -ENOSPC;
}

/* One SETELEM message for @n elements of the same set. */
static struct nftnl_set *elems_set(const struct xnh_fw_elem *e, size_t n)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *se;
	size_t i;

	if (!s)
		return NULL;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, "xen");
	nftnl_set_set_str(s, NFTNL_SET_NAME, e->set->name);
	for (i = 0; i < n; i++) {
		se = nftnl_set_elem_alloc();
		if (!se) {
			nftnl_set_free(s);
			return NULL;
		}
		nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY, e[i].key, e[i].len);
		if (e[i].range)
			nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY_END, e[i].key_end, e[i].len);
		nftnl_set_elem_add(s, se);
	}
	return s;
}

/* add|delete element FAMILY xen SET { ... }: @n elements of one set. */
int xnh_fw_elem_put(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		    const struct xnh_fw_elem *e, size_t n, uint16_t type, int tag)
{
	struct nftnl_set *s = elems_set(e, n);
	struct nlmsghdr *nlh;
	char what[128];

	l = xnh_fw_set_layout(e->set);	/* inet's vifs have elements in table arp xen too */
	if (!s)
		return b->err = -ENOMEM;
	if (n == 1)
		xnh_fw_elem_describe(e, what, sizeof(what));
	else
		snprintf(what, sizeof(what), "%zu elements", n);
	nlh = xnh_fw_batch_put(b, fw, type, l->family,
			       type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0, tag,
			       "%s element %s xen %s { %s }",
			       type == NFT_MSG_NEWSETELEM ? "add" : "delete", l->family_name,
			       e->set->name, what);
	if (nlh)
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	return b->err;
}

/* 1 when the element is in its set, 0 when it (or the table) is not. */
int xnh_fw_elem_get(struct xnh_fw *fw, const struct xnh_fw_layout *l, const struct xnh_fw_elem *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_set *s = elems_set(e, 1);
	struct nlmsghdr *nlh;
	int r;

	if (!s)
		return -ENOMEM;
	l = xnh_fw_set_layout(e->set);
	memset(buf, 0, sizeof(buf));	/* libnftnl leaves a byte of a GET unset */
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, l->family, NLM_F_ACK, fw->seq++);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	r = xnh_fw_talk(fw, nlh, NULL, NULL);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : 1;
}
