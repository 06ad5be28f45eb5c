/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_natstate.c: the records vif-nat and network-nat keep, written and read back. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

START_TEST(natvif_round_trip)
{
	struct xnh_natvif v = { .dev = "vif1.0", .ifindex = 7, .n = 2, .host = "dom1",
				.dhcp = XNH_DHCP_ISC | XNH_DHCP_DNSMASQ }, w;
	char text[512];

	inet_pton(AF_INET, "10.0.0.128", &v.router);
	inet_pton(AF_INET, "10.0.0.1", &v.guest[0]);
	inet_pton(AF_INET, "10.0.0.2", &v.guest[1]);
	ck_assert_int_eq(xnh_natvif_format(&v, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "dev=vif1.0\nifindex=7\nrouter=10.0.0.128\nguest=10.0.0.1\n"
			 "guest=10.0.0.2\nhost=dom1\ndhcp=3\n");
	ck_assert_int_eq(xnh_natvif_parse(text, &w), 0);
	ck_assert_mem_eq(&v, &w, sizeof(v));
	ck_assert_int_eq(xnh_natvif_format(&v, text, 40), -ENOSPC);
}
END_TEST

START_TEST(natvif_rejects)
{
	static const char *const bad[] = {
		"",
		"dev=vif1.0\nrouter=10.0.0.128\n",			/* no guest */
		"dev=vif1.0\nguest=10.0.0.1\n",				/* no router */
		"router=10.0.0.128\nguest=10.0.0.1\n",			/* no device */
		"dev=vif1.0\nrouter=10.0.0.128\nguest=10.0.0.1\nx=1\n",
		"dev=vif 1\nrouter=10.0.0.128\nguest=10.0.0.1\n",
		"dev=vif1.0\nrouter=10.0.0.128/24\nguest=10.0.0.1\n",
		"dev=vif1.0\nrouter=10.0.0.128\nguest=2001:db8::1\n",
		"dev=vif1.0\nrouter=10.0.0.128\nguest=10.0.0.1\nifindex=-1\n",
		"dev=vif1.0\nrouter=10.0.0.128\nguest=10.0.0.1\nhost=a;b\n",
		"dev=vif1.0\nrouter=10.0.0.128\nguest=10.0.0.1\ndhcp\n",
		"dev=vif1.0\nrouter=10.0.0.128\nguest=10.0.0.1\ndhcp=\x01\n",
		NULL,
	};
	struct xnh_natvif v;
	int i;

	for (i = 0; bad[i]; i++)
		ck_assert_msg(xnh_natvif_parse(bad[i], &v) < 0, "accepted %s", bad[i]);
}
END_TEST

START_TEST(natnet_round_trip)
{
	struct xnh_natnet s = { .has_forward = true, .forward = false, .n = 2,
				.uplink = { "eth0", "eth1.100" }, .subnet = true }, t;
	char text[256];

	ck_assert_int_eq(xnh_natnet_format(&s, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "ip_forward=0\nuplink=eth0\nuplink=eth1.100\nisc_subnet=1\n");
	ck_assert_int_eq(xnh_natnet_parse(text, &t), 0);
	ck_assert_mem_eq(&s, &t, sizeof(s));
	ck_assert_int_eq(xnh_natnet_find(&t, "eth1.100"), 1);
	ck_assert_int_eq(xnh_natnet_find(&t, "eth1"), -ENOENT);
	ck_assert_int_lt(xnh_natnet_parse("uplink=eth0\n", &t), 0);	/* no ip_forward */
	ck_assert_int_lt(xnh_natnet_parse("ip_forward=2\n", &t), 0);
	ck_assert_int_lt(xnh_natnet_parse("ip_forward=1\nuplink=../x\n", &t), 0);
	ck_assert_int_eq(xnh_natnet_parse("ip_forward=1", &t), 0);
	ck_assert(t.forward && t.n == 0 && !t.subnet);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("natstate");
	TCase *tc = tcase_create("records");

	tcase_add_test(tc, natvif_round_trip);
	tcase_add_test(tc, natvif_rejects);
	tcase_add_test(tc, natnet_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
