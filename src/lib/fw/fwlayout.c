/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwlayout.c: the sets of each table, and a whole table built into one batch. */
#include <errno.h>
#include <netinet/in.h>	/* before the linux/ headers, which it replaces */
#include <libnftnl/object.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>

#include "text/text.h"
#include "fw/fw.h"

#define IX	XNH_FWF_IFINDEX
#define IF	XNH_FWF_IFNAME
#define ETH	XNH_FWF_ETHER
#define V4	XNH_FWF_IPV4
#define V6	XNH_FWF_IPV6

/* Per vif, each key beginning with its index and name (meta iif .
 * iifname): @guarded names the vifs under guard; @macs their MACs;
 * @open4/@open6 those whose IPv4/IPv6 is not held to addresses (`ip`
 * lists none of that family); @dhcp_server those that may answer DHCP
 * clients; @allowed4/6 their addresses (and a bridged vif's link-local
 * from its MAC), @allowed4/6_nets their routed prefixes.
 * @strict_bridges: bridges whose vifs are guarded by default
 * (network-bridge antispoof=yes). */
static const struct xnh_fw_set bridge_sets[] = {
	{ "guarded", 2, { IX, IF }, false, true },
	{ "macs", 3, { IX, IF, ETH }, false, true },
	{ "open4", 2, { IX, IF }, false, true },
	{ "open6", 2, { IX, IF }, false, true },
	{ "dhcp_server", 2, { IX, IF }, false, true },
	{ "allowed4", 4, { IX, IF, ETH, V4 }, false, true },
	{ "allowed6", 4, { IX, IF, ETH, V6 }, false, true },
	{ "allowed4_nets", 4, { IX, IF, ETH, V4 }, true, true },
	{ "allowed6_nets", 4, { IX, IF, ETH, V6 }, true, true },
	{ "strict_bridges", 1, { IF }, false, false },
};

/* Routed and NAT vifs are point-to-point: no MAC. @nat_uplinks: where
 * guest traffic leaves masqueraded (network-nat), if it comes from one of
 * @nat_sources, the NAT guests' addresses (vif-nat). */
static const struct xnh_fw_set inet_sets[] = {
	{ "guarded", 2, { IX, IF }, false, true },
	{ "open4", 2, { IX, IF }, false, true },
	{ "open6", 2, { IX, IF }, false, true },
	{ "dhcp_server", 2, { IX, IF }, false, true },
	{ "allowed4", 3, { IX, IF, V4 }, false, true },
	{ "allowed6", 3, { IX, IF, V6 }, false, true },
	{ "allowed4_nets", 3, { IX, IF, V4 }, true, true },
	{ "allowed6_nets", 3, { IX, IF, V6 }, true, true },
	{ "nat_uplinks", 1, { IF }, false, false },
	{ "nat_sources", 1, { V4 }, false, false },
};

/* ARP reaching dom0 from routed and NAT vifs (an inet table never sees
 * ARP): the same vifs and IPv4 facts as inet's, kept by the same runs. */
static const struct xnh_fw_set arp_sets[] = {
	{ "guarded", 2, { IX, IF }, false, true },
	{ "open4", 2, { IX, IF }, false, true },
	{ "allowed4", 3, { IX, IF, V4 }, false, true },
	{ "allowed4_nets", 3, { IX, IF, V4 }, true, true },
};

static const struct xnh_fw_layout layouts[] = {
	[XNH_FW_BRIDGE] = { XNH_FW_BRIDGE, NFPROTO_BRIDGE, "bridge", bridge_sets,
			    sizeof(bridge_sets) / sizeof(bridge_sets[0]), xnh_fw_bridge_rules },
	[XNH_FW_INET] = { XNH_FW_INET, NFPROTO_INET, "inet", inet_sets,
			  sizeof(inet_sets) / sizeof(inet_sets[0]), xnh_fw_inet_rules },
	[XNH_FW_ARP] = { XNH_FW_ARP, NFPROTO_ARP, "arp", arp_sets,
			 sizeof(arp_sets) / sizeof(arp_sets[0]), xnh_fw_arp_rules },
};

/* nft's datatypes (TYPE_IFNAME, ...), their sizes, and their names */
static const struct {
	uint32_t type, len;
	const char *name;
} fields[] = {
	[IF] = { 41, XNH_IFNAMSIZ, "ifname" },
	[IX] = { 20, 4, "iface_index" },
	[ETH] = { 9, 6, "ether_addr" },
	[V4] = { 7, 4, "ipv4_addr" },
	[V6] = { 8, 16, "ipv6_addr" },
};

const struct xnh_fw_layout *xnh_fw_layout_of(enum xnh_fw_table t)
{
	return &layouts[t == XNH_FW_INET || t == XNH_FW_ARP ? t : XNH_FW_BRIDGE];
}

/* The table a set belongs to. */
const struct xnh_fw_layout *xnh_fw_set_layout(const struct xnh_fw_set *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (s >= layouts[i].sets && s < layouts[i].sets + layouts[i].nsets)
			return &layouts[i];
	return &layouts[XNH_FW_BRIDGE];
}

const struct xnh_fw_set *xnh_fw_set_find(const struct xnh_fw_layout *l, const char *name)
{
	unsigned int i;

	for (i = 0; i < l->nsets; i++)
		if (!strcmp(l->sets[i].name, name))
			return &l->sets[i];
	return NULL;
}

/* Each field of a concatenation takes whole 32-bit registers. */
unsigned int xnh_fw_set_keylen(const struct xnh_fw_set *s)
{
	unsigned int i, len = 0;

	for (i = 0; i < s->nfields; i++)
		len += (fields[s->field[i]].len + 3) & ~3u;
	return len;
}

/* nft's concatenated type: each field's type shifted in by 6 bits. */
uint32_t xnh_fw_set_keytype(const struct xnh_fw_set *s)
{
	uint32_t type = 0;
	unsigned int i;

	for (i = 0; i < s->nfields; i++)
		type = type << 6 | fields[s->field[i]].type;
	return type;
}

static void set_typename(const struct xnh_fw_set *s, char *buf, size_t len)
{
	unsigned int i;
	size_t n = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nfields && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " . " : "",
				      fields[s->field[i]].name);
}

/* add table FAMILY xen { comment "xnet layout N"; }, failing if it exists */
static int put_table(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(64);
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	char comment[32];
	int r = -ENOMEM;

	snprintf(comment, sizeof(comment), "xnet layout %d", XNH_FW_LAYOUT);
	if (!ud || !t || !nftnl_udata_put_strz(ud, NFTNL_UDATA_TABLE_COMMENT, comment))
		goto out;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "xen");
	nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, nftnl_udata_buf_data(ud),
			     nftnl_udata_buf_len(ud));
	nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWTABLE, l->family, NLM_F_CREATE | NLM_F_EXCL,
			       -1, "add table %s xen { comment \"%s\"; }", l->family_name, comment);
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	r = b->err;
out:
	nftnl_udata_buf_free(ud);
	if (t)
		nftnl_table_free(t);
	return r;
}

/* add counter FAMILY xen dropped: what the guard drops */
static int put_counter(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		return -ENOMEM;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, "xen");
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, "dropped");
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWOBJ, l->family, NLM_F_CREATE | NLM_F_EXCL, -1,
			       "add counter %s xen dropped", l->family_name);
	if (nlh)
		nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	return b->err;
}

/* A concatenated interval set tells the kernel each field's length (in
 * libnftnl, one byte each). */
static void set_concat(struct nftnl_set *ns, const struct xnh_fw_set *s)
{
	uint8_t len[4];
	unsigned int i;

	for (i = 0; i < s->nfields; i++)
		len[i] = (uint8_t)fields[s->field[i]].len;
	nftnl_set_set_data(ns, NFTNL_SET_DESC_CONCAT, len, s->nfields * sizeof(len[0]));
	nftnl_set_set_u32(ns, NFTNL_SET_FLAGS, NFT_SET_INTERVAL | NFT_SET_CONCAT);
}

/* nft prints a set of names as text only when told they are in host
 * byte order (its BYTEORDER_HOST_ENDIAN); the kernel does not care. */
static int set_udata(struct nftnl_set *ns, const struct xnh_fw_set *s)
{
	struct nftnl_udata_buf *ud;

	if (s->nfields != 1 || s->field[0] != IF)
		return 0;
	ud = nftnl_udata_buf_alloc(16);
	if (!ud || !nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER, 1)) {
		nftnl_udata_buf_free(ud);
		return -ENOMEM;
	}
	nftnl_set_set_data(ns, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	return 0;
}

/* add set FAMILY xen NAME { type ...; [flags interval;] } */
static int put_set(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		   const struct xnh_fw_set *s, uint32_t id)
{
	struct nftnl_set *ns = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	char type[64];

	if (!ns)
		return -ENOMEM;
	nftnl_set_set_str(ns, NFTNL_SET_TABLE, "xen");
	nftnl_set_set_str(ns, NFTNL_SET_NAME, s->name);
	nftnl_set_set_u32(ns, NFTNL_SET_ID, id);
	nftnl_set_set_u32(ns, NFTNL_SET_KEY_TYPE, xnh_fw_set_keytype(s));
	nftnl_set_set_u32(ns, NFTNL_SET_KEY_LEN, xnh_fw_set_keylen(s));
	if (s->interval)
		set_concat(ns, s);
	if (set_udata(ns, s) < 0) {
		nftnl_set_free(ns);
		return b->err = -ENOMEM;
	}
	set_typename(s, type, sizeof(type));
	nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWSET, l->family, NLM_F_CREATE | NLM_F_EXCL, -1,
			       "add set %s xen %s { type %s;%s }", l->family_name, s->name, type,
			       s->interval ? " flags interval;" : "");
	if (nlh)
		nftnl_set_nlmsg_build_payload(nlh, ns);
	nftnl_set_free(ns);
	return b->err;
}

/* The whole table: made in the same batch as its rules, and only if the
 * table did not exist, so that two first runs never add the rules twice. */
int xnh_fw_layout_build(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	unsigned int i;
	int r = put_table(b, fw, l);

	if (r >= 0)
		r = put_counter(b, fw, l);
	for (i = 0; r >= 0 && i < l->nsets; i++)
		r = put_set(b, fw, l, &l->sets[i], i + 1);
	if (r >= 0)
		r = l->rules(b, fw, l);
	return r;
}

unsigned int xnh_fw_field_len(enum xnh_fw_field f)
{
	return fields[f].len;
}
