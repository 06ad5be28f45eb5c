/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_neigh.c: the proxy neighbour messages, parsed back; a proxy dump's replies parsed. */
#include <arpa/inet.h>
#include <errno.h>
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

START_TEST(proxy_dump)
{
	struct nlattr *tb[NDA_MAX + 1];
	struct ndmsg *nd;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_neigh_proxy_build_dump(AF_INET6, 5, &m), 0);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP);
	nd = parse(m, RTM_GETNEIGH, tb);
	ck_assert_int_eq(nd->ndm_family, AF_INET6);
	ck_assert_uint_eq(nd->ndm_flags, NTF_PROXY);
	ck_assert_int_eq(nd->ndm_state, 0);	/* strict checking refuses anything else */
	ck_assert_int_eq(nd->ndm_ifindex, 0);	/* the filter is NDA_IFINDEX */
	ck_assert_ptr_nonnull(tb[NDA_IFINDEX]);
	ck_assert_uint_eq(nla_get_u32(tb[NDA_IFINDEX]), 5);
	nlmsg_free(m);
}
END_TEST

/* A dump's reply: the kernel's RTM_NEWNEIGH of a proxy entry. */
static struct nl_msg *reply(int family, uint8_t flags, int ifindex, const void *dst, int len)
{
	struct ndmsg nd = { .ndm_family = (uint8_t)family, .ndm_flags = flags,
			    .ndm_ifindex = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWNEIGH, NLM_F_MULTI);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(nlmsg_append(m, &nd, sizeof(nd), NLMSG_ALIGNTO), 0);
	if (dst)
		ck_assert_int_eq(nla_put(m, NDA_DST, len, dst), 0);
	return m;
}

START_TEST(proxy_parse)
{
	struct in6_addr a6;
	struct in_addr a4;
	struct xnh_inet got;
	struct nl_msg *m;
	char text[64];
	int ifindex = 0;

	inet_pton(AF_INET6, "2001:db8::6", &a6);
	m = reply(AF_INET6, NTF_PROXY, 4, &a6, 16);
	ck_assert_int_eq(xnh_neigh_proxy_parse(nlmsg_hdr(m), &ifindex, &got), 0);
	ck_assert_int_eq(ifindex, 4);
	ck_assert_int_eq(xnh_inet_format(&got, true, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "2001:db8::6/128");
	nlmsg_free(m);
	inet_pton(AF_INET, "192.168.0.6", &a4);
	m = reply(AF_INET, NTF_PROXY, 2, &a4, 4);
	ck_assert_int_eq(xnh_neigh_proxy_parse(nlmsg_hdr(m), &ifindex, &got), 0);
	ck_assert_int_eq(xnh_inet_format(&got, true, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "192.168.0.6/32");
	nlmsg_free(m);
	m = reply(AF_INET6, 0, 4, &a6, 16);		/* an ordinary neighbour */
	ck_assert_int_eq(xnh_neigh_proxy_parse(nlmsg_hdr(m), &ifindex, &got), -EINVAL);
	nlmsg_free(m);
	m = reply(AF_INET6, NTF_PROXY, 4, &a4, 4);	/* the wrong length */
	ck_assert_int_eq(xnh_neigh_proxy_parse(nlmsg_hdr(m), &ifindex, &got), -EINVAL);
	nlmsg_free(m);
	m = reply(AF_INET6, NTF_PROXY, 4, NULL, 0);	/* no address */
	ck_assert_int_eq(xnh_neigh_proxy_parse(nlmsg_hdr(m), &ifindex, &got), -EINVAL);
	nlmsg_free(m);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("neigh");
	TCase *tc = tcase_create("build");

	tcase_add_test(tc, proxy_add);
	tcase_add_test(tc, proxy_del);
	tcase_add_test(tc, proxy_dump);
	tcase_add_test(tc, proxy_parse);
	suite_add_tcase(s, tc);
	return s;
}
