/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_vifstate.c: the state a vif's online leaves for its offline: text, checks, files. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "xnethelper.h"

static void sample(struct xnh_vifstate *s)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->dev, "vif1.0");
	s->ifindex = 7;
	s->metric = 2;
	s->has_addr = true;
	ck_assert_int_eq(xnh_inet_parse("192.168.0.3/32", &s->addr), 0);
	strcpy(s->netdev, "eth0.100");
	ck_assert_int_eq(xnh_iplist_parse("10.0.0.1 10.0.1.0/24 2001:db8::6", &s->routes), 0);
	ck_assert_int_eq(xnh_iplist_parse("2001:db8::6", &s->proxies), 0);
	s->routes.e[0].has_prefix = true;	/* what parse gives back: always a prefix */
	s->routes.e[2].has_prefix = true;
	s->proxies.e[0].has_prefix = true;
}

START_TEST(round_trip)
{
	struct xnh_vifstate s, back;
	char buf[1024];
	int n;

	sample(&s);
	n = xnh_vifstate_format(&s, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_ptr_nonnull(strstr(buf, "\ndev vif1.0 7\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nroute 10.0.1.0/24\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nproxy 2001:db8::6/128\n"));
	ck_assert_int_eq(xnh_vifstate_parse(buf, &back), 0);
	ck_assert_mem_eq(&back, &s, sizeof(s));
	ck_assert_int_eq(xnh_vifstate_format(&s, buf, 40), -ENOSPC);
}
END_TEST

START_TEST(minimal)
{
	struct xnh_vifstate s;

	ck_assert_int_eq(xnh_vifstate_parse("dev vif2.0 12\n", &s), 0);
	ck_assert_str_eq(s.dev, "vif2.0");
	ck_assert_int_eq(s.ifindex, 12);
	ck_assert(!s.has_addr);
	ck_assert_uint_eq(s.routes.n, 0);
	ck_assert_int_eq(xnh_vifstate_parse("# a comment\n\ndev vif2.0 1", &s), 0);
}
END_TEST

START_TEST(refused)
{
	static const char *const bad[] = {
		"", "# nothing else\n", "metric 2\n",			/* no dev */
		"dev vif1.0\n", "dev vif1.0 7 8\n", "dev vif1.0 -1\n", "dev vif1.0 99999999999\n",
		"dev $(reboot) 7\n", "dev a/b 7\n", "dev vif1.0 7\nnetdev eth0;id\n",
		"dev vif1.0 7\nroute 10.0.0.300\n", "dev vif1.0 7\nroute 10.0.0.1/33\n",
		"dev vif1.0 7\nproxy ::g\n", "dev vif1.0 7\nroute 1.2.3.4;reboot\n",
		"dev vif1.0 7\nmetric 4294967296\n", "dev vif1.0 7\nmetric two\n",
		"dev vif1.0 7\naddr\n", "dev vif1.0 7\nunknown 1\n", "dev vif1.0 7\nroute 1 2\n",
	};
	struct xnh_vifstate s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_msg(xnh_vifstate_parse(bad[i], &s) == -EINVAL, "%s", bad[i]);
}
END_TEST

START_TEST(too_many)
{
	char text[8192] = "dev vif1.0 7\n";
	struct xnh_vifstate s;
	size_t n = strlen(text);
	int i;

	for (i = 0; i <= XNH_IP_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "route 10.0.%d.1\n", i);
	ck_assert_int_eq(xnh_vifstate_parse(text, &s), -E2BIG);
}
END_TEST

/* The route each entry gets: what online adds and offline deletes. */
START_TEST(routes)
{
	struct xnh_vifstate s;
	struct xnh_route rt;
	struct nlattr *rta[RTA_MAX + 1];
	struct nl_msg *m;
	char text[128];

	sample(&s);
	xnh_vifstate_route(&s, 1, &rt);
	ck_assert_int_eq(rt.oif, 7);
	ck_assert_uint_eq(rt.metric, 2);
	ck_assert_int_eq(rt.scope, RT_SCOPE_LINK);
	ck_assert(rt.has_src);
	xnh_route_describe(&rt, "vif1.0", text, sizeof(text));
	ck_assert_str_eq(text, "10.0.1.0/24 dev vif1.0 scope link src 192.168.0.3 metric 2");
	xnh_vifstate_route(&s, 2, &rt);
	ck_assert(!rt.has_src);
	ck_assert_int_eq(rt.scope, RT_SCOPE_UNIVERSE);
	ck_assert_int_eq(xnh_route_build(&rt, true, &m), 0);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct rtmsg), rta, RTA_MAX, NULL), 0);
	ck_assert_int_eq(((struct rtmsg *)nlmsg_data(nlmsg_hdr(m)))->rtm_dst_len, 128);
	ck_assert_ptr_null(rta[RTA_PREFSRC]);
	ck_assert_uint_eq(nla_get_u32(rta[RTA_OIF]), 7);
	nlmsg_free(m);
	xnh_route_describe(&rt, "vif1.0", text, sizeof(text));
	ck_assert_str_eq(text, "2001:db8::6 dev vif1.0 metric 2");
}
END_TEST

static char dir[] = "/tmp/xnet-unit.XXXXXX";

START_TEST(files)
{
	struct xnh_vifstate s, back;
	char path[64], *text;

	sample(&s);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	setenv("XNET_STATE_DIR", path, 1);
	ck_assert_int_eq(xnh_vifstate_load("vif-route.1.0.vif", &back), -ENOENT);
	ck_assert_int_eq(xnh_vifstate_save("vif-route.1.0.vif", &s), 0);
	ck_assert_int_eq(xnh_vifstate_load("vif-route.1.0.vif", &back), 0);
	ck_assert_int_eq(xnh_boot_valid(back.boot), 0);	/* written with this boot's id */
	memset(back.boot, 0, sizeof(back.boot));
	ck_assert_mem_eq(&back, &s, sizeof(s));
	ck_assert_int_eq(xnh_state_read("vif-route.1.0.vif", &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "netdev eth0.100\n"));
	free(text);
	ck_assert_int_eq(xnh_state_remove("vif-route.1.0.vif"), 0);
	ck_assert_int_eq(xnh_state_remove("vif-route.1.0.vif"), 0);	/* twice is fine */
	ck_assert_int_eq(xnh_vifstate_load("vif-route.1.0.vif", &back), -ENOENT);
	ck_assert_int_eq(rmdir(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("vifstate");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, minimal);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, too_many);
	tcase_add_test(tc, routes);
	tcase_add_test(tc, files);
	suite_add_tcase(s, tc);
	return s;
}
