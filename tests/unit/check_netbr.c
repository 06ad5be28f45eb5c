/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_netbr.c: network-bridge's messages, names, record and rules, without a kernel. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

START_TEST(bridge_new)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct xnh_bridge_new req = { .name = "xenbr0", .mac = mac, .mtu = 9000 };
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *br[IFLA_BR_MAX + 1];
	struct nlmsghdr *h;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_bridge_build_new(&req, &m), 0);
	h = nlmsg_hdr(m);
	ck_assert_int_eq(h->nlmsg_type, RTM_NEWLINK);
	ck_assert_uint_eq(h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
	ck_assert_int_eq(nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL), 0);
	ck_assert_int_eq(((struct ifinfomsg *)nlmsg_data(h))->ifi_index, 0);
	ck_assert_str_eq(nla_get_string(tb[IFLA_IFNAME]), "xenbr0");
	ck_assert_mem_eq(nla_data(tb[IFLA_ADDRESS]), mac, 6);
	ck_assert_uint_eq(nla_get_u32(tb[IFLA_MTU]), 9000);
	ck_assert_int_eq(nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL), 0);
	ck_assert_str_eq(nla_get_string(li[IFLA_INFO_KIND]), "bridge");
	ck_assert_int_eq(nla_parse_nested(br, IFLA_BR_MAX, li[IFLA_INFO_DATA], NULL), 0);
	ck_assert_ptr_nonnull(br[IFLA_BR_STP_STATE]);
	ck_assert_uint_eq(nla_get_u32(br[IFLA_BR_STP_STATE]), 0);
	ck_assert_ptr_nonnull(br[IFLA_BR_FORWARD_DELAY]);
	ck_assert_uint_eq(nla_get_u32(br[IFLA_BR_FORWARD_DELAY]), 0);
	nlmsg_free(m);

	req.mac = NULL;
	req.mtu = 0;
	ck_assert_int_eq(xnh_bridge_build_new(&req, &m), 0);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL), 0);
	ck_assert_ptr_null(tb[IFLA_ADDRESS]);
	ck_assert_ptr_null(tb[IFLA_MTU]);
	nlmsg_free(m);
}
END_TEST

START_TEST(link_del)
{
	struct nl_msg *m;

	ck_assert_int_eq(xnh_link_build_del(12, &m), 0);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_DELLINK);
	ck_assert_int_eq(((struct ifinfomsg *)nlmsg_data(nlmsg_hdr(m)))->ifi_index, 12);
	nlmsg_free(m);
}
END_TEST

/* A DHCP address: lifetimes, protocol and prefix-route metric go along. */
START_TEST(addr_dynamic)
{
	struct xnh_addr a = { .ifindex = 3, .valid_lft = 3000, .preferred_lft = 1200,
			      .rt_priority = 100, .proto = IFAPROT_KERNEL_RA };
	struct nlattr *tb[IFA_MAX + 1];
	struct ifa_cacheinfo *ci;
	struct nl_msg *m;

	ck_assert_int_eq(xnh_inet_parse("10.9.0.3/16", &a.local), 0);
	ck_assert_int_eq(xnh_addr_build(&a, true, &m), 0);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifaddrmsg), tb, IFA_MAX, NULL), 0);
	ck_assert_ptr_nonnull(tb[IFA_CACHEINFO]);
	ci = nla_data(tb[IFA_CACHEINFO]);
	ck_assert_uint_eq(ci->ifa_valid, 3000);
	ck_assert_uint_eq(ci->ifa_prefered, 1200);
	ck_assert_uint_eq(nla_get_u8(tb[IFA_PROTO]), IFAPROT_KERNEL_RA);
	ck_assert_uint_eq(nla_get_u32(tb[IFA_RT_PRIORITY]), 100);
	nlmsg_free(m);

	/* unset: no lifetimes (forever), nothing extra: as before */
	a.valid_lft = a.preferred_lft = a.rt_priority = 0;
	a.proto = 0;
	ck_assert_int_eq(xnh_addr_build(&a, true, &m), 0);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifaddrmsg), tb, IFA_MAX, NULL), 0);
	ck_assert_ptr_null(tb[IFA_CACHEINFO]);
	ck_assert_ptr_null(tb[IFA_PROTO]);
	ck_assert_ptr_null(tb[IFA_RT_PRIORITY]);
	nlmsg_free(m);
}
END_TEST

START_TEST(addr_change)
{
	struct xnh_addr a = { .ifindex = 3, .valid_lft = 0xffffffff, .preferred_lft = 0xffffffff };
	struct nlattr *tb[IFA_MAX + 1];
	struct nl_msg *m;
	uint16_t fl;

	ck_assert_int_eq(xnh_inet_parse("2001:db8::3/64", &a.local), 0);
	ck_assert_int_eq(xnh_addr_build_change(&a, &m), 0);
	fl = nlmsg_hdr(m)->nlmsg_flags;
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_NEWADDR);
	ck_assert(fl & NLM_F_REPLACE);
	ck_assert(!(fl & NLM_F_EXCL));
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifaddrmsg), tb, IFA_MAX, NULL), 0);
	ck_assert_ptr_nonnull(tb[IFA_CACHEINFO]);	/* else the kernel makes it permanent */
	/* no NODAD: the flags as the address had them */
	ck_assert(!tb[IFA_FLAGS] || !(nla_get_u32(tb[IFA_FLAGS]) & IFA_F_NODAD));
	nlmsg_free(m);
}
END_TEST

START_TEST(route_onlink)
{
	struct xnh_route rt = { .oif = 4, .has_gw = true, .nh_flags = RTNH_F_ONLINK };
	struct nl_msg *m;
	char text[128];

	ck_assert_int_eq(xnh_inet_parse("10.30.0.0/16", &rt.dst), 0);
	ck_assert_int_eq(xnh_inet_parse("172.16.0.1", &rt.gw), 0);
	ck_assert_int_eq(xnh_route_build(&rt, true, &m), 0);
	ck_assert_uint_eq(((struct rtmsg *)nlmsg_data(nlmsg_hdr(m)))->rtm_flags & RTNH_F_ONLINK,
			  RTNH_F_ONLINK);
	nlmsg_free(m);
	xnh_route_describe(&rt, "xenbr0", text, sizeof(text));
	ck_assert_str_eq(text, "10.30.0.0/16 via 172.16.0.1 dev xenbr0 onlink");
}
END_TEST

START_TEST(what_moves)
{
	struct xnh_addr a = { .ifindex = 2 };
	struct xnh_route rt = { .protocol = RTPROT_BOOT, .table = RT_TABLE_MAIN,
				.type = RTN_UNICAST };

	ck_assert_int_eq(xnh_inet_parse("192.168.0.3/24", &a.local), 0);
	ck_assert(xnh_netbr_addr_moves(&a));
	ck_assert_int_eq(xnh_inet_parse("fe80::1/64", &a.local), 0);
	ck_assert(xnh_netbr_addr_moves(&a));		/* one the administrator gave */
	a.proto = IFAPROT_KERNEL_LL;
	ck_assert(!xnh_netbr_addr_moves(&a));		/* the kernel's own */
	a.proto = IFAPROT_KERNEL_RA;
	ck_assert_int_eq(xnh_inet_parse("2001:db8::3/64", &a.local), 0);
	ck_assert(xnh_netbr_addr_moves(&a));		/* SLAAC */
	a.flags = IFA_F_DADFAILED;
	ck_assert(!xnh_netbr_addr_moves(&a));

	ck_assert(xnh_netbr_route_moves(&rt));
	rt.protocol = RTPROT_RA;
	ck_assert(xnh_netbr_route_moves(&rt));
	rt.protocol = RTPROT_KERNEL;
	ck_assert(!xnh_netbr_route_moves(&rt));
	rt.protocol = RTPROT_STATIC;
	rt.table = RT_TABLE_LOCAL;
	ck_assert(!xnh_netbr_route_moves(&rt));
	rt.table = 100;
	ck_assert(xnh_netbr_route_moves(&rt));
	rt.type = RTN_MULTICAST;
	ck_assert(!xnh_netbr_route_moves(&rt));
}
END_TEST

START_TEST(labels)
{
	char out[XNH_IFNAMSIZ];

	ck_assert_int_eq(xnh_netbr_label("eth0", "eth0", "xenbr0", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xenbr0");
	ck_assert_int_eq(xnh_netbr_label("eth0:web", "eth0", "xenbr0", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xenbr0:web");
	ck_assert_int_eq(xnh_netbr_label("eth01", "eth0", "xenbr0", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "eth01");			/* not eth0's */
	ck_assert_int_eq(xnh_netbr_label("xenbr0:1", "xenbr0", "eth0", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "eth0:1");
	ck_assert_int_eq(xnh_netbr_label("e:abcdefghijkl", "e", "xenbr0", out, sizeof(out)),
			 -ENAMETOOLONG);
}
END_TEST

START_TEST(names)
{
	struct xnh_netbr_state st;

	ck_assert_int_eq(xnh_netbr_names("enp3s0", "xenbr0", 3, &st), 0);
	ck_assert_str_eq(st.port, "enp3s0");
	ck_assert(!st.renamed);
	ck_assert_int_eq(xnh_netbr_names("eth0.100", "eth0.100", 7, &st), 0);
	ck_assert_str_eq(st.port, "peth0.100");
	ck_assert_str_eq(st.tmp, "xnb7");
	ck_assert(st.renamed);
	ck_assert_int_eq(xnh_netbr_names("enp3s0f1np1v12", "enp3s0f1np1v12", 2, &st), 0);
	ck_assert_str_eq(st.port, "penp3s0f1np1v12");
	ck_assert_int_eq(xnh_netbr_names("enp3s0f1np1v123", "enp3s0f1np1v123", 2, &st),
			 -ENAMETOOLONG);
	ck_assert_int_eq(xnh_netbr_names("enp3s0f1np1v123", "xenbr0", 2, &st), 0);
}
END_TEST

START_TEST(record)
{
	struct xnh_netbr_state st, back;
	char text[512];

	ck_assert_int_eq(xnh_netbr_names("eth0", "eth0", 2, &st), 0);
	st.nic_up = false;
	st.antispoof = true;
	ck_assert_int_eq(xnh_netbr_state_format(&st, text, sizeof(text)), 0);
	ck_assert_int_eq(xnh_netbr_state_parse(text, &back), 0);
	ck_assert_str_eq(back.bridge, "eth0");
	ck_assert_str_eq(back.nic, "eth0");
	ck_assert_str_eq(back.port, "peth0");
	ck_assert(back.renamed);
	ck_assert(!back.nic_up);
	ck_assert(back.antispoof);
	ck_assert_int_eq(xnh_netbr_state_format(&st, text, 40), -ENOSPC);

	ck_assert_int_eq(xnh_netbr_state_parse("# c\nbridge=xenbr0\nnetdev=eth0\nport=eth0\n"
					       "later=1\n", &back), 0);
	ck_assert(back.nic_up);				/* the default */
	ck_assert(!back.renamed);
	ck_assert_int_eq(xnh_netbr_state_parse("bridge=xenbr0\nnetdev=eth0\n", &back), -EINVAL);
	ck_assert_int_eq(xnh_netbr_state_parse("bridge=xenbr0\nnetdev=eth0\nport=peth0\n",
					       &back), -EINVAL);	/* not its port */
	ck_assert_int_eq(xnh_netbr_state_parse("bridge=a/b\nnetdev=eth0\nport=eth0\n", &back),
			 -EINVAL);
	ck_assert_int_eq(xnh_netbr_state_parse("bridge=xenbr0\nnetdev=eth0\nport=eth0\n"
					       "nic_up=maybe\n", &back), -EINVAL);
	ck_assert_int_eq(xnh_netbr_state_parse("bridge=xenbr0\nnetdev=eth0\nport=eth0\nrm -rf\n",
					       &back), -EINVAL);
}
END_TEST

/* The journal on disk: what moves, back exactly, and nothing it does not
 * know. */
START_TEST(journal_text)
{
	struct xnh_addr addr[2] = {
		{ .local = { .family = AF_INET, .prefix = 24, .has_prefix = true },
		  .flags = IFA_F_SECONDARY,
		  .label = "eth0:1", .has_broadcast = true, .valid_lft = 3600,
		  .preferred_lft = 1800, .rt_priority = 20 },
		{ .local = { .family = AF_INET6, .prefix = 64, .has_prefix = true },
		  .valid_lft = 0xffffffffu,
		  .preferred_lft = 0xffffffffu, .proto = 3 },
	};
	struct xnh_route route[2] = {
		{ .dst = { .family = AF_INET }, .has_gw = true,
		  .gw = { .family = AF_INET, .prefix = 32 }, .metric = 50 },
		{ .dst = { .family = AF_INET6, .prefix = 64 }, .has_gw = true, .has_src = true,
		  .gw = { .family = AF_INET6, .prefix = 128 },
		  .src = { .family = AF_INET6, .prefix = 128 }, .metric = 7, .table = 100,
		  .nh_flags = RTNH_F_ONLINK },
	};
	struct xnh_netbr_set s = { .addr = addr, .naddr = 2, .route = route, .nroute = 2 }, b;
	struct xnh_netbr_state st, back;
	uint64_t when;
	char *text;

	inet_pton(AF_INET, "192.168.0.4", &addr[0].local.a);
	inet_pton(AF_INET, "192.168.0.255", &addr[0].broadcast);
	inet_pton(AF_INET6, "2001:db8::3", &addr[1].local.a);
	inet_pton(AF_INET, "192.168.0.1", &route[0].gw.a);
	inet_pton(AF_INET6, "2001:db8:5::", &route[1].dst.a);
	inet_pton(AF_INET6, "2001:db8::1", &route[1].gw.a);
	inet_pton(AF_INET6, "2001:db8::4", &route[1].src.a);
	ck_assert_int_eq(xnh_netbr_names("eth0", "xenbr0", 7, &st), 0);
	st.phase = XNH_NETBR_STOPPING;
	st.ifindex = 7;
	/* taken from the bridge: labels as the NIC has them */
	strcpy(addr[0].label, "xenbr0:1");
	ck_assert_int_eq(xnh_netbr_journal_format(&st, &s, "xenbr0", 1234, &text), 0);
	ck_assert_int_eq(xnh_netbr_state_parse(text, &back), 0);
	ck_assert_int_eq(back.phase, XNH_NETBR_STOPPING);
	ck_assert_int_eq(back.ifindex, 7);
	ck_assert_str_eq(back.tmp, "xnb7");
	ck_assert_int_eq(xnh_netbr_journal_parse(text, &b, &when), 0);
	ck_assert_uint_eq(when, 1234);
	ck_assert_uint_eq(b.naddr, 2);
	ck_assert_uint_eq(b.nroute, 2);
	memset(addr[0].label, 0, sizeof(addr[0].label));
	strcpy(addr[0].label, "eth0:1");
	ck_assert_mem_eq(&b.addr[0], &addr[0], sizeof(addr[0]));
	ck_assert_mem_eq(&b.addr[1], &addr[1], sizeof(addr[1]));
	route[0].dst.has_prefix = route[0].gw.has_prefix = true;
	route[1].dst.has_prefix = route[1].gw.has_prefix = route[1].src.has_prefix = true;
	route[0].nexthops = route[1].nexthops = 1;
	ck_assert_mem_eq(&b.route[0], &route[0], sizeof(route[0]));
	ck_assert_mem_eq(&b.route[1], &route[1], sizeof(route[1]));
	xnh_netbr_set_free(&b);
	free(text);

	ck_assert_int_eq(xnh_netbr_journal_parse("addr=10.0.0.1/8 0 0 - 0 0 0\n", &b, &when),
			 -EINVAL);	/* a field short */
	ck_assert_int_eq(xnh_netbr_journal_parse("route=default - - 0 0 0 0 0 0\n", &b, &when),
			 -EINVAL);
	ck_assert_int_eq(xnh_netbr_journal_parse("addr=10.0.0.1/8 0 0 - 0 0 0 0 a b\n", &b,
						 &when), -EINVAL);
	ck_assert_int_eq(xnh_netbr_journal_parse("addr=10.0.0.1/33 0 0 - 0 0 0 0\n", &b, &when),
			 -EINVAL);
}
END_TEST

/* Undone last first, in a dry run (nothing reaches a kernel). */
START_TEST(journal)
{
	struct xnh_undo u = { 0 };
	struct xnh_addr a = { .ifindex = 5 };
	struct xnh_link_req req = XNH_LINK_REQ_INIT;

	xnh_trace_setup(true, false);
	ck_assert_int_eq(xnh_inet_parse("192.168.0.3/24", &a.local), 0);
	req.ifindex = 2;
	req.name = "eth0";
	req.master = 0;
	ck_assert_int_eq(xnh_undo_reserve(&u, 2), 0);
	ck_assert_int_eq(xnh_undo_link_del(&u, 9, "xenbr0"), 0);
	ck_assert_int_eq(xnh_undo_addr(&u, "eth0", &a, true), 0);
	ck_assert_int_eq(xnh_undo_link(&u, &req), 0);	/* past the reservation */
	ck_assert_uint_eq(u.n, 3);
	ck_assert_int_eq(xnh_undo_run(&u, NULL, NULL, 0), 0);
	ck_assert_uint_eq(u.n, 0);
	ck_assert_str_eq(xnh_trace_last(), "ip link del xenbr0");
	xnh_undo_free(&u);
	xnh_trace_setup(false, false);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("netbr");
	TCase *tc = tcase_create("netbr");

	tcase_add_test(tc, bridge_new);
	tcase_add_test(tc, link_del);
	tcase_add_test(tc, addr_dynamic);
	tcase_add_test(tc, addr_change);
	tcase_add_test(tc, route_onlink);
	tcase_add_test(tc, what_moves);
	tcase_add_test(tc, labels);
	tcase_add_test(tc, names);
	tcase_add_test(tc, record);
	tcase_add_test(tc, journal);
	tcase_add_test(tc, journal_text);
	suite_add_tcase(s, tc);
	return s;
}
