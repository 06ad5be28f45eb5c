/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_nlmsg.c: every rtnetlink message the library builds, parsed back. */
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

static struct nlattr *tb[IFLA_MAX + IFA_MAX + 1];

static struct nlmsghdr *hdr_of(struct nl_msg *m, int type, size_t fixed, int max)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	ck_assert_int_eq(h->nlmsg_type, type);
	ck_assert_int_eq(nlmsg_parse(h, (int)fixed, tb, max, NULL), 0);
	return h;
}

START_TEST(link_port)
{
	static const uint8_t mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct ifinfomsg *ifi;
	struct nl_msg *m;

	req.ifindex = 7;
	req.name = "vif1.0";
	req.mac = mac;
	req.mtu = 9000;
	req.master = 3;
	req.up = 1;
	ck_assert_int_eq(xnh_link_build(&req, &m), 0);
	ifi = nlmsg_data(hdr_of(m, RTM_NEWLINK, sizeof(*ifi), IFLA_MAX));
	ck_assert_int_eq(ifi->ifi_index, 7);
	ck_assert_uint_eq(ifi->ifi_change, IFF_UP);
	ck_assert_uint_eq(ifi->ifi_flags & IFF_UP, IFF_UP);
	ck_assert_ptr_nonnull(tb[IFLA_ADDRESS]);
	ck_assert_int_eq(nla_len(tb[IFLA_ADDRESS]), 6);
	ck_assert_mem_eq(nla_data(tb[IFLA_ADDRESS]), mac, 6);
	ck_assert_uint_eq(nla_get_u32(tb[IFLA_MTU]), 9000);
	ck_assert_uint_eq(nla_get_u32(tb[IFLA_MASTER]), 3);
	ck_assert_ptr_null(tb[IFLA_IFNAME]);
	nlmsg_free(m);
}
END_TEST

START_TEST(link_down_nomaster)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct ifinfomsg *ifi;
	struct nl_msg *m;

	req.ifindex = 9;
	req.master = 0;
	req.up = 0;
	ck_assert_int_eq(xnh_link_build(&req, &m), 0);
	ifi = nlmsg_data(hdr_of(m, RTM_NEWLINK, sizeof(*ifi), IFLA_MAX));
	ck_assert_uint_eq(ifi->ifi_change, IFF_UP);
	ck_assert_uint_eq(ifi->ifi_flags & IFF_UP, 0);
	ck_assert_uint_eq(nla_get_u32(tb[IFLA_MASTER]), 0);	/* nomaster */
	ck_assert_ptr_null(tb[IFLA_MTU]);
	ck_assert_ptr_null(tb[IFLA_ADDRESS]);
	nlmsg_free(m);
}
END_TEST

START_TEST(link_rename)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct ifinfomsg *ifi;
	struct nl_msg *m;

	req.ifindex = 4;
	req.rename = "web0";
	ck_assert_int_eq(xnh_link_build(&req, &m), 0);
	ifi = nlmsg_data(hdr_of(m, RTM_NEWLINK, sizeof(*ifi), IFLA_MAX));
	ck_assert_uint_eq(ifi->ifi_change, 0);	/* flags untouched */
	ck_assert_str_eq(nla_get_string(tb[IFLA_IFNAME]), "web0");
	ck_assert_ptr_null(tb[IFLA_MASTER]);
	nlmsg_free(m);
}
END_TEST

/* vif-nat's `ip link set dev vif1.0 up arp on` */
START_TEST(link_up_arp)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct ifinfomsg *ifi;
	struct nl_msg *m;

	req.ifindex = 8;
	req.up = 1;
	req.arp = 1;
	ck_assert_int_eq(xnh_link_build(&req, &m), 0);
	ifi = nlmsg_data(hdr_of(m, RTM_NEWLINK, sizeof(*ifi), IFLA_MAX));
	ck_assert_uint_eq(ifi->ifi_change, IFF_UP | IFF_NOARP);
	ck_assert_uint_eq(ifi->ifi_flags & (IFF_UP | IFF_NOARP), IFF_UP);
	nlmsg_free(m);
	req.up = XNH_UNCHANGED;
	req.arp = 0;
	ck_assert_int_eq(xnh_link_build(&req, &m), 0);
	ifi = nlmsg_data(hdr_of(m, RTM_NEWLINK, sizeof(*ifi), IFLA_MAX));
	ck_assert_uint_eq(ifi->ifi_change, IFF_NOARP);
	ck_assert_uint_eq(ifi->ifi_flags & IFF_NOARP, IFF_NOARP);
	nlmsg_free(m);
}
END_TEST

START_TEST(addr_add_del)
{
	struct xnh_addr a = { .ifindex = 5, .scope = RT_SCOPE_UNIVERSE };
	struct ifaddrmsg *ifa;
	struct in_addr want;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_inet_parse("192.168.0.3/24", &a.local), 0);
	inet_pton(AF_INET, "192.168.0.255", &a.broadcast);
	a.has_broadcast = true;
	strcpy(a.label, "eth0");
	ck_assert_int_eq(xnh_addr_build(&a, true, &m), 0);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_CREATE);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_EXCL);
	ifa = nlmsg_data(hdr_of(m, RTM_NEWADDR, sizeof(*ifa), IFA_MAX));
	ck_assert_int_eq(ifa->ifa_family, AF_INET);
	ck_assert_int_eq(ifa->ifa_prefixlen, 24);
	ck_assert_int_eq(ifa->ifa_index, 5);
	inet_pton(AF_INET, "192.168.0.3", &want);
	ck_assert_mem_eq(nla_data(tb[IFA_LOCAL]), &want, 4);
	ck_assert_mem_eq(nla_data(tb[IFA_BROADCAST]), &a.broadcast, 4);
	ck_assert_str_eq(nla_get_string(tb[IFA_LABEL]), "eth0");
	nlmsg_free(m);
	ck_assert_int_eq(xnh_addr_build(&a, false, &m), 0);
	ifa = nlmsg_data(hdr_of(m, RTM_DELADDR, sizeof(*ifa), IFA_MAX));
	ck_assert_int_eq(ifa->ifa_prefixlen, 24);
	ck_assert_mem_eq(nla_data(tb[IFA_LOCAL]), &want, 4);
	nlmsg_free(m);
}
END_TEST

START_TEST(addr_v6)
{
	struct xnh_addr a = { .ifindex = 2 };
	struct ifaddrmsg *ifa;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_inet_parse("2001:db8::3/64", &a.local), 0);
	ck_assert_int_eq(xnh_addr_build(&a, true, &m), 0);
	ifa = nlmsg_data(hdr_of(m, RTM_NEWADDR, sizeof(*ifa), IFA_MAX));
	ck_assert_int_eq(ifa->ifa_family, AF_INET6);
	ck_assert_int_eq(ifa->ifa_prefixlen, 64);
	ck_assert_int_eq(nla_len(tb[IFA_LOCAL]), 16);
	nlmsg_free(m);
}
END_TEST

START_TEST(route_host)
{
	struct xnh_route rt = { .oif = 6, .metric = 2, .scope = RT_SCOPE_LINK, .has_src = true };
	struct nlattr *rta[RTA_MAX + 1];
	struct rtmsg *rtm;
	struct nl_msg *m;
	struct in_addr want;
	char text[128];

	ck_assert_int_eq(xnh_inet_parse("10.0.0.1", &rt.dst), 0);
	ck_assert_int_eq(xnh_inet_parse("192.168.0.3", &rt.src), 0);
	ck_assert_int_eq(xnh_route_build(&rt, true, &m), 0);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_NEWROUTE);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_EXCL);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(*rtm), rta, RTA_MAX, NULL), 0);
	rtm = nlmsg_data(nlmsg_hdr(m));
	ck_assert_int_eq(rtm->rtm_family, AF_INET);
	ck_assert_int_eq(rtm->rtm_dst_len, 32);
	ck_assert_int_eq(rtm->rtm_scope, RT_SCOPE_LINK);
	ck_assert_int_eq(rtm->rtm_protocol, RTPROT_BOOT);
	ck_assert_int_eq(rtm->rtm_type, RTN_UNICAST);
	inet_pton(AF_INET, "10.0.0.1", &want);
	ck_assert_mem_eq(nla_data(rta[RTA_DST]), &want, 4);
	inet_pton(AF_INET, "192.168.0.3", &want);
	ck_assert_mem_eq(nla_data(rta[RTA_PREFSRC]), &want, 4);
	ck_assert_uint_eq(nla_get_u32(rta[RTA_PRIORITY]), 2);
	ck_assert_uint_eq(nla_get_u32(rta[RTA_OIF]), 6);
	nlmsg_free(m);
	xnh_route_describe(&rt, "vif1.0", text, sizeof(text));
	ck_assert_str_eq(text, "10.0.0.1 dev vif1.0 scope link src 192.168.0.3 metric 2");
	ck_assert_int_eq(xnh_route_build(&rt, false, &m), 0);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_DELROUTE);
	nlmsg_free(m);
}
END_TEST

START_TEST(route_default_v6)
{
	struct xnh_route rt = { .oif = 3, .has_gw = true };
	struct nlattr *rta[RTA_MAX + 1];
	struct rtmsg *rtm;
	struct nl_msg *m;
	char text[128];

	rt.dst.family = AF_INET6;	/* ::/0 */
	ck_assert_int_eq(xnh_inet_parse("fe80::1", &rt.gw), 0);
	ck_assert_int_eq(xnh_route_build(&rt, true, &m), 0);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(*rtm), rta, RTA_MAX, NULL), 0);
	rtm = nlmsg_data(nlmsg_hdr(m));
	ck_assert_int_eq(rtm->rtm_family, AF_INET6);
	ck_assert_int_eq(rtm->rtm_dst_len, 0);
	ck_assert_int_eq(nla_len(rta[RTA_GATEWAY]), 16);
	nlmsg_free(m);
	xnh_route_describe(&rt, "xenbr0", text, sizeof(text));
	ck_assert_str_eq(text, "default via fe80::1 dev xenbr0");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("nlmsg");
	TCase *tc = tcase_create("build");

	tcase_add_test(tc, link_port);
	tcase_add_test(tc, link_down_nomaster);
	tcase_add_test(tc, link_rename);
	tcase_add_test(tc, link_up_arp);
	tcase_add_test(tc, addr_add_del);
	tcase_add_test(tc, addr_v6);
	tcase_add_test(tc, route_host);
	tcase_add_test(tc, route_default_v6);
	suite_add_tcase(s, tc);
	return s;
}
