/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_neigh.c: the proxy neighbour messages, parsed back. */
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

static struct ndmsg *parse(struct nl_msg *m, int type, struct nlattr **tb)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	ck_assert_int_eq(h->nlmsg_type, type);
	ck_assert_int_eq(nlmsg_parse(h, sizeof(struct ndmsg), tb, NDA_MAX, NULL), 0);
	return nlmsg_data(h);
}

START_TEST(proxy_add)
{
	struct nlattr *tb[NDA_MAX + 1];
	struct xnh_inet a;
	struct in6_addr want;
	struct ndmsg *nd;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_inet_parse("2001:db8::6", &a), 0);
	ck_assert_int_eq(xnh_neigh_proxy_build(4, &a, true, &m), 0);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_CREATE);
	ck_assert(!(nlmsg_hdr(m)->nlmsg_flags & NLM_F_EXCL));
	nd = parse(m, RTM_NEWNEIGH, tb);
	ck_assert_int_eq(nd->ndm_family, AF_INET6);
	ck_assert_int_eq(nd->ndm_ifindex, 4);
	ck_assert_uint_eq(nd->ndm_flags, NTF_PROXY);
	ck_assert_ptr_nonnull(tb[NDA_DST]);
	ck_assert_int_eq(nla_len(tb[NDA_DST]), 16);
	inet_pton(AF_INET6, "2001:db8::6", &want);
	ck_assert_mem_eq(nla_data(tb[NDA_DST]), &want, 16);
	ck_assert_ptr_null(tb[NDA_LLADDR]);	/* a proxy entry has no link-layer address */
	nlmsg_free(m);
}
END_TEST

START_TEST(proxy_del)
{
	struct nlattr *tb[NDA_MAX + 1];
	struct xnh_inet a;
	struct in_addr want;
	struct ndmsg *nd;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_inet_parse("192.168.0.6", &a), 0);
	ck_assert_int_eq(xnh_neigh_proxy_build(9, &a, false, &m), 0);
	nd = parse(m, RTM_DELNEIGH, tb);
	ck_assert_int_eq(nd->ndm_family, AF_INET);
	ck_assert_int_eq(nd->ndm_ifindex, 9);
	ck_assert_uint_eq(nd->ndm_flags, NTF_PROXY);
	inet_pton(AF_INET, "192.168.0.6", &want);
	ck_assert_int_eq(nla_len(tb[NDA_DST]), 4);
	ck_assert_mem_eq(nla_data(tb[NDA_DST]), &want, 4);
	nlmsg_free(m);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("neigh");
	TCase *tc = tcase_create("build");

	tcase_add_test(tc, proxy_add);
	tcase_add_test(tc, proxy_del);
	suite_add_tcase(s, tc);
	return s;
}
