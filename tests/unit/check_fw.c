/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_fw.c: every nft message of the guest firewall, built and parsed back. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

static struct xnh_fw fw;
static struct xnh_fw_batch b;

static void setup(void)
{
	memset(&fw, 0, sizeof(fw));
	fw.seq = 100;
	ck_assert_int_eq(xnh_fw_batch_init(&b, &fw, 0), 0);
}

static void teardown(void)
{
	xnh_fw_batch_free(&b);
}

static int nft_type(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type >> 8 == NFNL_SUBSYS_NFTABLES ? nlh->nlmsg_type & 0xff : -1;
}

/* The @i-th message after BATCH_BEGIN (the batch must be ended). */
static const struct nlmsghdr *nth(unsigned int i)
{
	const struct nlmsghdr *nlh = (const void *)b.buf;
	int len = (int)b.len;

	for (i++; i && mnl_nlmsg_ok(nlh, len); i--)
		nlh = mnl_nlmsg_next(nlh, &len);
	ck_assert(mnl_nlmsg_ok(nlh, len));
	return nlh;
}

static void build(enum xnh_fw_table t)
{
	ck_assert_int_eq(xnh_fw_layout_build(&b, &fw, xnh_fw_layout_of(t)), 0);
	ck_assert_int_eq(xnh_fw_batch_end(&b, &fw), 0);
}

START_TEST(batch_frame)
{
	const struct nlmsghdr *nlh = (const void *)b.buf;
	struct nlattr *a;
	unsigned int i;
	int len;

	build(XNH_FW_BRIDGE);
	len = (int)b.len;
	ck_assert_int_eq(nlh->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
	ck_assert_uint_eq(nlh->nlmsg_seq, 100);
	for (i = 0; i < b.n; i++) {
		nlh = nth(i);
		ck_assert_uint_eq(nlh->nlmsg_seq, b.msg[i].seq);
		ck_assert_uint_eq(nlh->nlmsg_seq, 101 + i);
		ck_assert(nlh->nlmsg_flags & NLM_F_ACK);
		ck_assert_int_eq(b.msg[i].err, 1);
	}
	nlh = nth(b.n);
	ck_assert_int_eq(nlh->nlmsg_type, NFNL_MSG_BATCH_END);
	ck_assert(!mnl_nlmsg_ok(mnl_nlmsg_next(nlh, &len), len - (int)((const char *)nlh - b.buf)));
	xnh_fw_batch_free(&b);
	/* with a generation id, BATCH_BEGIN carries it */
	ck_assert_int_eq(xnh_fw_batch_init(&b, &fw, 0x1234), 0);
	nlh = (const void *)b.buf;
	a = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct nfgenmsg));
	ck_assert_int_eq(mnl_attr_get_type(a), NFNL_BATCH_GENID);
	ck_assert_uint_eq(ntohl(mnl_attr_get_u32(a)), 0x1234);
}
END_TEST

static size_t put_ack(char *buf, uint32_t seq, int err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = NLMSG_ERROR;
	e->error = err;
	e->msg.nlmsg_seq = seq;
	return nlh->nlmsg_len;
}

START_TEST(acks)
{
	char buf[512];
	size_t len = 0;

	xnh_fw_batch_put(&b, &fw, NFT_MSG_NEWSETELEM, NFPROTO_BRIDGE, 0, 7, "one");
	xnh_fw_batch_put(&b, &fw, NFT_MSG_DELSETELEM, NFPROTO_BRIDGE, 0, 8, "two");
	xnh_fw_batch_put(&b, &fw, NFT_MSG_DELSETELEM, NFPROTO_BRIDGE, 0, 9, "three");
	ck_assert_int_eq(xnh_fw_batch_end(&b, &fw), 0);
	len += put_ack(buf + len, b.msg[0].seq, 0);
	len += put_ack(buf + len, b.msg[1].seq, -ENOENT);
	len += put_ack(buf + len, 9999, -EPERM);	/* not ours: ignored */
	ck_assert_int_eq(xnh_fw_acks_parse(&b, buf, len), 2);
	ck_assert_int_eq(b.msg[0].err, 0);
	ck_assert_int_eq(b.msg[1].err, -ENOENT);
	ck_assert_int_eq(b.msg[1].tag, 8);
	ck_assert_int_eq(xnh_fw_batch_result(&b), -ENOENT);
	b.msg[1].err = 1;
	ck_assert_int_eq(xnh_fw_batch_result(&b), -EIO);	/* an ack never came */
	len = put_ack(buf, b.msg[1].seq, 0);
	len += put_ack(buf + len, b.msg[2].seq, 0);
	ck_assert_int_eq(xnh_fw_acks_parse(&b, buf, len), 2);
	ck_assert_int_eq(xnh_fw_batch_result(&b), 0);
	/* a stale generation: the kernel refuses BATCH_BEGIN, nothing else */
	len = put_ack(buf, b.seq0, -ERESTART);
	ck_assert_int_eq(xnh_fw_acks_parse(&b, buf, len), 0);
	ck_assert_int_eq(xnh_fw_batch_result(&b), -ERESTART);
}
END_TEST

START_TEST(table_msg)
{
	struct nftnl_table *t = nftnl_table_alloc();
	const struct nlmsghdr *nlh;
	const void *ud;
	uint32_t len;

	build(XNH_FW_INET);
	nlh = nth(0);
	ck_assert_int_eq(nft_type(nlh), NFT_MSG_NEWTABLE);
	ck_assert_uint_eq(nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
	ck_assert_int_eq(nftnl_table_nlmsg_parse(nlh, t), 0);
	ck_assert_str_eq(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "xen");
	ck_assert_uint_eq(nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY), NFPROTO_INET);
	ud = nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &len);
	ck_assert_ptr_nonnull(ud);
	ck_assert_int_eq(xnh_fw_version_parse(ud, len), XNH_FW_LAYOUT);
	ck_assert_str_eq(b.msg[0].what, "add table inet xen { comment \"xnet layout 6\"; }");
	nftnl_table_free(t);
}
END_TEST

START_TEST(version_parse)
{
	static const uint8_t v7[] = { 0, 14, 'x', 'n', 'e', 't', ' ', 'l', 'a', 'y', 'o', 'u', 't',
				      ' ', '7', 0 };
	static const uint8_t other[] = { 0, 4, 'a', 'b', 'c', 0 };
	static const uint8_t bad[] = { 0, 40, 'x' };

	ck_assert_int_eq(xnh_fw_version_parse(v7, sizeof(v7)), 7);
	ck_assert_int_eq(xnh_fw_version_parse(other, sizeof(other)), -1);
	ck_assert_int_eq(xnh_fw_version_parse(bad, sizeof(bad)), -1);
	ck_assert_int_eq(xnh_fw_version_parse(v7, 0), -1);
}
END_TEST

/* The set named @name among the batch's NEWSET messages. */
static struct nftnl_set *set_msg(const char *name)
{
	struct nftnl_set *s;
	unsigned int i;

	for (i = 0; i < b.n; i++) {
		if (nft_type(nth(i)) != NFT_MSG_NEWSET)
			continue;
		s = nftnl_set_alloc();
		ck_assert_int_eq(nftnl_set_nlmsg_parse(nth(i), s), 0);
		if (!strcmp(nftnl_set_get_str(s, NFTNL_SET_NAME), name))
			return s;
		nftnl_set_free(s);
	}
	ck_abort_msg("no set %s", name);
	return NULL;
}

START_TEST(set_msgs)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(XNH_FW_BRIDGE);
	struct nftnl_set *s;
	uint32_t type4 = (20u << 18) | (41u << 12) | (9u << 6) | 7u;

	build(XNH_FW_BRIDGE);
	s = set_msg("guarded");
	ck_assert_uint_eq(nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE), (20u << 6) | 41u);
	ck_assert_uint_eq(nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN), 4 + 16);
	ck_assert(!nftnl_set_is_set(s, NFTNL_SET_FLAGS));
	nftnl_set_free(s);
	s = set_msg("allowed4");
	ck_assert_uint_eq(nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE), type4);
	ck_assert_uint_eq(nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN), 4 + 16 + 8 + 4);
	nftnl_set_free(s);
	s = set_msg("allowed6_nets");
	ck_assert_uint_eq(nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN), 4 + 16 + 8 + 16);
	ck_assert_uint_eq(nftnl_set_get_u32(s, NFTNL_SET_FLAGS), NFT_SET_INTERVAL | NFT_SET_CONCAT);
	nftnl_set_free(s);
	ck_assert_uint_eq(xnh_fw_set_keytype(xnh_fw_set_find(l, "allowed4")), type4);
	ck_assert_ptr_null(xnh_fw_set_find(l, "nat_uplinks"));
	ck_assert_ptr_nonnull(xnh_fw_set_find(xnh_fw_layout_of(XNH_FW_INET), "nat_uplinks"));
}
END_TEST

/* The rules of the batch, each as libnftnl prints it. */
static char *rule_text(unsigned int k)
{
	static char buf[2048];
	struct nftnl_rule *r;
	unsigned int i;

	for (i = 0; i < b.n; i++) {
		if (nft_type(nth(i)) != NFT_MSG_NEWRULE || k--)
			continue;
		r = nftnl_rule_alloc();
		ck_assert_int_eq(nftnl_rule_nlmsg_parse(nth(i), r), 0);
		nftnl_rule_snprintf(buf, sizeof(buf), r, 0, 0);
		nftnl_rule_free(r);
		return buf;
	}
	return NULL;
}

static unsigned int count(int type)
{
	unsigned int i, n = 0;

	for (i = 0; i < b.n; i++)
		n += nft_type(nth(i)) == type;
	return n;
}

START_TEST(bridge_rules)
{
	build(XNH_FW_BRIDGE);
	/* frag6 (4 rules), nd_target (4), then prerouting (25) */
	ck_assert_uint_eq(count(NFT_MSG_NEWRULE), 33);
	ck_assert_uint_eq(count(NFT_MSG_NEWCHAIN), 3);
	ck_assert_uint_eq(count(NFT_MSG_NEWOBJ), 1);
	ck_assert_uint_eq(count(NFT_MSG_NEWSET), 10);
	/* a later fragment is let through first, before any transport load */
	ck_assert_str_eq(rule_text(0), "bridge xen frag6\n"
			 "  [ exthdr load ipv6 2b @ 44 + 2 => reg 8 ]\n"
			 "  [ bitwise reg 8 = ( reg 8 & 0x0000f8ff ) ^ 0x00000000 ]\n"
			 "  [ cmp neq reg 8 0x00000000 ]\n"
			 "  [ immediate reg 0 return ]\n");
	/* a first fragment whose upper-layer header it does not hold */
	ck_assert_str_eq(rule_text(2), "bridge xen frag6\n"
			 "  [ payload load 1b @ transport header + 0 => reg 8 ]\n"
			 "  [ bitwise reg 8 = ( reg 8 & 0x00000000 ) ^ 0x00000000 ]\n"
			 "  [ cmp eq reg 8 0x00000000 ]\n"
			 "  [ immediate reg 0 return ]\n");
	ck_assert_str_eq(rule_text(8), "bridge xen prerouting\n"
			 "  [ meta load iif => reg 8 ]\n"
			 "  [ meta load iifname => reg 9 ]\n"
			 "  [ lookup reg 8 set guarded 0x1 ]\n"
			 "  [ immediate reg 0 accept ]\n");
	/* ether type ip iif . iifname . ether saddr . ip saddr @allowed4 accept */
	ck_assert_str_eq(rule_text(25), "bridge xen prerouting\n"
			 "  [ payload load 2b @ link header + 12 => reg 8 ]\n"
			 "  [ cmp eq reg 8 0x00000008 ]\n"
			 "  [ meta load iif => reg 8 ]\n"
			 "  [ meta load iifname => reg 9 ]\n"
			 "  [ payload load 6b @ link header + 6 => reg 13 ]\n"
			 "  [ payload load 4b @ network header + 12 => reg 15 ]\n"
			 "  [ lookup reg 8 set allowed4 ]\n"
			 "  [ immediate reg 0 accept ]\n");
	ck_assert_str_eq(rule_text(32), "bridge xen prerouting\n"
			 "  [ objref type 1 name dropped ]\n"
			 "  [ immediate reg 0 drop ]\n");
}
END_TEST

START_TEST(arp_rules)
{
	build(XNH_FW_ARP);
	ck_assert_uint_eq(count(NFT_MSG_NEWRULE), 7);
	ck_assert_uint_eq(count(NFT_MSG_NEWSET), 4);
	/* iif . iifname . arp saddr ip @allowed4 accept */
	ck_assert_str_eq(rule_text(3), "arp xen input\n"
			 "  [ meta load iif => reg 8 ]\n"
			 "  [ meta load iifname => reg 9 ]\n"
			 "  [ payload load 4b @ network header + 14 => reg 13 ]\n"
			 "  [ lookup reg 8 set allowed4 ]\n"
			 "  [ immediate reg 0 accept ]\n");
}
END_TEST

START_TEST(inet_rules)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	unsigned int i;

	build(XNH_FW_INET);
	/* frag6 (4), nd_target (5), prerouting (18), invalid (1), postrouting (1) */
	ck_assert_uint_eq(count(NFT_MSG_NEWRULE), 29);
	/* meta nfproto ipv4 ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 */
	ck_assert_str_eq(rule_text(20), "inet xen prerouting\n"
			 "  [ meta load nfproto => reg 8 ]\n"
			 "  [ cmp eq reg 8 0x00000002 ]\n"
			 "  [ payload load 4b @ network header + 12 => reg 8 ]\n"
			 "  [ cmp eq reg 8 0x00000000 ]\n"
			 "  [ payload load 4b @ network header + 16 => reg 8 ]\n"
			 "  [ cmp eq reg 8 0xffffffff ]\n"
			 "  [ meta load l4proto => reg 8 ]\n"
			 "  [ cmp eq reg 8 0x00000011 ]\n"
			 "  [ payload load 4b @ transport header + 0 => reg 8 ]\n"
			 "  [ cmp eq reg 8 0x43004400 ]\n"
			 "  [ immediate reg 0 accept ]\n");
	/* iif . iifname @guarded ct state invalid drop */
	ck_assert_str_eq(rule_text(27), "inet xen invalid\n"
			 "  [ meta load iif => reg 8 ]\n"
			 "  [ meta load iifname => reg 9 ]\n"
			 "  [ lookup reg 8 set guarded ]\n"
			 "  [ ct load state => reg 8 ]\n"
			 "  [ bitwise reg 8 = ( reg 8 & 0x00000001 ) ^ 0x00000000 ]\n"
			 "  [ cmp neq reg 8 0x00000000 ]\n"
			 "  [ objref type 1 name dropped ]\n"
			 "  [ immediate reg 0 drop ]\n");
	ck_assert_str_eq(rule_text(28), "inet xen postrouting\n"
			 "  [ meta load nfproto => reg 8 ]\n"
			 "  [ cmp eq reg 8 0x00000002 ]\n"
			 "  [ meta load oifname => reg 8 ]\n"
			 "  [ lookup reg 8 set nat_uplinks ]\n"
			 "  [ payload load 4b @ network header + 12 => reg 8 ]\n"
			 "  [ lookup reg 8 set nat_sources ]\n"
			 "  [ masq ]\n");
	for (i = 0; i < b.n; i++) {	/* the first base chain, after frag6 and nd_target */
		if (nft_type(nth(i)) != NFT_MSG_NEWCHAIN)
			continue;
		ck_assert_int_eq(nftnl_chain_nlmsg_parse(nth(i), c), 0);
		if (nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM))
			break;
	}
	ck_assert_uint_lt(i, b.n);
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "filter");
	ck_assert_uint_eq(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), NF_INET_PRE_ROUTING);
	ck_assert_int_eq(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), -300);
	nftnl_chain_free(c);
}
END_TEST

static void vif(struct xnh_fw_vif *v, enum xnh_fw_table t, const char *ip)
{
	static const uint8_t mac[6] = { 0, 0x16, 0x3e, 0, 1, 0 };

	memset(v, 0, sizeof(*v));
	v->table = t;
	strcpy(v->ifname, "vif1.0");
	v->ifindex = 7;
	v->has_mac = true;
	memcpy(v->mac, mac, 6);
	ck_assert_int_eq(xnh_iplist_parse(ip, &v->ip), 0);
}

START_TEST(vif_elems)
{
	struct xnh_fw_elem e[XNH_FW_VIF_ELEMS];
	struct xnh_fw_vif v;
	char d[128];
	int n;

	vif(&v, XNH_FW_BRIDGE, "192.168.0.6 2001:db8::6/64 10.1.0.0/24 10.0.1.1/16");
	n = xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS);
	ck_assert_int_eq(n, 7);
	ck_assert_str_eq(e[0].set->name, "guarded");
	ck_assert_uint_eq(e[0].len, 4 + 16);
	ck_assert_uint_eq(e[0].key[0] | e[0].key[1] << 8 | e[0].key[2] << 16 | e[0].key[3] << 24
			  , 7);	/* host byte order (x86), as `meta iif` loads it */
	ck_assert_str_eq((const char *)e[0].key + 4, "vif1.0");
	ck_assert_str_eq(e[1].set->name, "macs");
	/* the link-local address its MAC gives */
	ck_assert_int_eq(xnh_fw_elem_describe(&e[2], d, sizeof(d)), 0);
	ck_assert_str_eq(d, "7 . \"vif1.0\" . 00:16:3e:00:01:00 . fe80::216:3eff:fe00:100");
	ck_assert_str_eq(e[3].set->name, "allowed4");
	ck_assert_int_eq(xnh_fw_elem_describe(&e[3], d, sizeof(d)), 0);
	ck_assert_str_eq(d, "7 . \"vif1.0\" . 00:16:3e:00:01:00 . 192.168.0.6");
	ck_assert_uint_eq(e[3].len, 32);
	ck_assert_int_eq(e[3].key[26], 0);	/* the MAC's padding */
	/* a host address with its netmask is the address alone */
	ck_assert_str_eq(e[4].set->name, "allowed6");
	ck_assert_str_eq(e[6].set->name, "allowed4");
	/* a prefix without host bits is a routed range */
	ck_assert_str_eq(e[5].set->name, "allowed4_nets");
	ck_assert(e[5].range);
	ck_assert_int_eq(xnh_fw_elem_describe(&e[5], d, sizeof(d)), 0);
	ck_assert_str_eq(d, "7 . \"vif1.0\" . 00:16:3e:00:01:00 . 10.1.0.0-10.1.0.255");
	/* no address on a bridge: the MAC only */
	vif(&v, XNH_FW_BRIDGE, "");
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 5);
	ck_assert_str_eq(e[2].set->name, "open4");
	ck_assert_str_eq(e[3].set->name, "open6");
	/* IPv4 listed, strict: IPv6 is dropped, not open */
	vif(&v, XNH_FW_INET, "10.0.0.1");
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 5);	/* 2 in arp xen */
	ck_assert_str_eq(e[1].set->name, "open6");
	v.strict = true;
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 4);
	v.dhcp_server = true;
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 5);
	ck_assert_str_eq(e[1].set->name, "dhcp_server");
	/* a link-local entry alone does not list IPv6 */
	vif(&v, XNH_FW_BRIDGE, "fe80::1 10.0.0.1");
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 6);
	ck_assert_str_eq(e[2].set->name, "open6");
	vif(&v, XNH_FW_BRIDGE, "");
	v.has_mac = false;
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), -EINVAL);
	/* routed: no MAC in any key */
	vif(&v, XNH_FW_INET, "10.0.0.1 2001:db8:1::/64");
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 5);
	ck_assert_int_eq(xnh_fw_elem_describe(&e[2], d, sizeof(d)), 0);
	ck_assert_str_eq(d, "7 . \"vif1.0\" . 2001:db8:1::-2001:db8:1:0:ffff:ffff:ffff:ffff");
	/* and its ARP to dom0, in table arp xen */
	ck_assert_ptr_eq(xnh_fw_set_layout(e[4].set), xnh_fw_layout_of(XNH_FW_ARP));
	ck_assert_int_eq(xnh_fw_elem_describe(&e[4], d, sizeof(d)), 0);
	ck_assert_str_eq(d, "7 . \"vif1.0\" . 10.0.0.1");
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, 2), -ENOSPC);
}
END_TEST

START_TEST(elem_msg)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(XNH_FW_BRIDGE);
	struct xnh_fw_elem e[XNH_FW_VIF_ELEMS];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *se;
	struct nftnl_set_elems_iter *it;
	struct xnh_fw_vif v;
	const void *k;
	uint32_t len;

	vif(&v, XNH_FW_BRIDGE, "10.1.0.0/24");
	ck_assert_int_eq(xnh_fw_vif_elems(&v, e, XNH_FW_VIF_ELEMS), 5);
	ck_assert_int_eq(xnh_fw_elem_put(&b, &fw, l, &e[4], 1, NFT_MSG_NEWSETELEM, 2), 0);
	ck_assert_int_eq(xnh_fw_elem_put(&b, &fw, l, &e[0], 1, NFT_MSG_DELSETELEM, 0), 0);
	ck_assert_int_eq(xnh_fw_batch_end(&b, &fw), 0);
	ck_assert_str_eq(b.msg[0].what, "add element bridge xen allowed4_nets "
			 "{ 7 . \"vif1.0\" . 00:16:3e:00:01:00 . 10.1.0.0-10.1.0.255 }");
	ck_assert_str_eq(b.msg[1].what, "delete element bridge xen guarded { 7 . \"vif1.0\" }");
	ck_assert_int_eq(nft_type(nth(0)), NFT_MSG_NEWSETELEM);
	ck_assert(nth(0)->nlmsg_flags & NLM_F_CREATE);
	ck_assert(!(nth(0)->nlmsg_flags & NLM_F_EXCL));	/* adding twice is fine */
	ck_assert_int_eq(nft_type(nth(1)), NFT_MSG_DELSETELEM);
	ck_assert_int_eq(nftnl_set_elems_nlmsg_parse(nth(0), s), 0);
	ck_assert_str_eq(nftnl_set_get_str(s, NFTNL_SET_NAME), "allowed4_nets");
	it = nftnl_set_elems_iter_create(s);
	se = nftnl_set_elems_iter_next(it);
	ck_assert_ptr_nonnull(se);
	k = nftnl_set_elem_get(se, NFTNL_SET_ELEM_KEY, &len);
	ck_assert_uint_eq(len, 32);
	ck_assert_mem_eq(k, e[4].key, 32);
	k = nftnl_set_elem_get(se, NFTNL_SET_ELEM_KEY_END, &len);
	ck_assert_uint_eq(len, 32);
	ck_assert_mem_eq((const uint8_t *)k + 28, "\x0a\x01\x00\xff", 4);
	ck_assert_ptr_null(nftnl_set_elems_iter_next(it));
	nftnl_set_elems_iter_destroy(it);
	nftnl_set_free(s);
}
END_TEST

START_TEST(policy)
{
	struct xnh_iplist ip, none = { 0 };

	ck_assert_int_eq(xnh_iplist_parse("10.0.0.1", &ip), 0);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &ip, true, -1), 1);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &ip, true, 0), 0);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &ip, false, -1), -ENOENT);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &ip, false, 0), 0);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &none, true, -1), 0);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &none, true, 1), 1);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_BRIDGE, &none, false, 1), 0);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_INET, &ip, false, -1), 1);
	ck_assert_int_eq(xnh_fw_policy(XNH_FW_INET, &none, false, 1), 0);
}
END_TEST

START_TEST(record)
{
	struct xnh_fw_vif v, w;
	char buf[512];

	vif(&v, XNH_FW_BRIDGE, "192.168.0.6 2001:db8::6/64 10.1.0.0/24");
	ck_assert_int_gt(xnh_fw_vif_format(&v, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "table bridge\nifname vif1.0\nifindex 7\nmac 00:16:3e:00:01:00\n"
			 "ip 192.168.0.6 2001:db8::6/64 10.1.0.0/24\n");
	ck_assert_int_eq(xnh_fw_vif_parse(buf, &w), 0);
	ck_assert(w.table == XNH_FW_BRIDGE && w.has_mac && w.ip.n == 3);
	ck_assert_str_eq(w.ifname, "vif1.0");
	ck_assert_mem_eq(w.mac, v.mac, 6);
	ck_assert_int_eq(xnh_fw_vif_parse("table inet\nifname vif2.0\nip\n", &w), 0);
	ck_assert(w.table == XNH_FW_INET && !w.has_mac && !w.ip.n);
	ck_assert_int_eq(xnh_fw_vif_parse("table inet\nifname vif2.0\nip 10.0.0.1\n"
					  "dhcp_server yes\nstrict yes\nwas\nrm -rf /\n", &w), 0);
	ck_assert(w.dhcp_server && w.strict && w.ip.n == 1);	/* up to "was" */
	v.dhcp_server = true;
	ck_assert_int_gt(xnh_fw_vif_format(&v, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\ndhcp_server yes\n"));
	v.dhcp_server = false;
	ck_assert_int_eq(xnh_fw_vif_format(&v, buf, 20), -ENOSPC);
	ck_assert_int_lt(xnh_fw_vif_parse("ifname vif1.0\n", &w), 0);
	ck_assert_int_lt(xnh_fw_vif_parse("table bridge\nifname a/b\n", &w), 0);
	ck_assert_int_lt(xnh_fw_vif_parse("table bridge\nifname v\nmac 00:16\n", &w), 0);
	ck_assert_int_lt(xnh_fw_vif_parse("table bridge\nifname v\nip 1.2.3.400\n", &w), 0);
	ck_assert_int_lt(xnh_fw_vif_parse("table bridge\nifname v\nrm -rf /\n", &w), 0);
	ck_assert_int_lt(xnh_fw_vif_parse("table bridge\nifname v", &w), 0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("fw");
	TCase *tc = tcase_create("messages");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, batch_frame);
	tcase_add_test(tc, acks);
	tcase_add_test(tc, table_msg);
	tcase_add_test(tc, version_parse);
	tcase_add_test(tc, set_msgs);
	tcase_add_test(tc, bridge_rules);
	tcase_add_test(tc, inet_rules);
	tcase_add_test(tc, arp_rules);
	tcase_add_test(tc, vif_elems);
	tcase_add_test(tc, elem_msg);
	tcase_add_test(tc, policy);
	tcase_add_test(tc, record);
	suite_add_tcase(s, tc);
	return s;
}
