/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_saved.c: the sysctl values a start keeps for its stop. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

START_TEST(first_value_kept)
{
	struct xnh_saved s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(xnh_saved_put(&s, "net/ipv4/ip_forward", "0"), 1);
	ck_assert_int_eq(xnh_saved_put(&s, "net/ipv4/conf/eth0.100/proxy_arp", "1"), 1);
	/* a second start finds the values the first one set: they are not kept */
	ck_assert_int_eq(xnh_saved_put(&s, "net/ipv4/ip_forward", "1"), 0);
	ck_assert_str_eq(xnh_saved_get(&s, "net/ipv4/ip_forward"), "0");
	ck_assert_str_eq(xnh_saved_get(&s, "net/ipv4/conf/eth0.100/proxy_arp"), "1");
	ck_assert_ptr_null(xnh_saved_get(&s, "net/ipv6/conf/all/forwarding"));
	ck_assert_uint_eq(s.n, 2);
}
END_TEST

START_TEST(round_trip)
{
	struct xnh_saved s, back;
	char buf[512];
	int n;

	memset(&s, 0, sizeof(s));
	xnh_saved_put(&s, "net/ipv4/ip_forward", "0");
	xnh_saved_put(&s, "net/ipv6/conf/enp3s0/accept_ra", "1");
	xnh_saved_put(&s, "net/ipv6/conf/all/forwarding", "-1");
	n = xnh_saved_format(&s, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "\nnet/ipv4/ip_forward 0\n"));
	ck_assert_int_eq(xnh_saved_parse(buf, &back), 0);
	ck_assert_mem_eq(&back, &s, sizeof(s));
	ck_assert_int_eq(xnh_saved_format(&s, buf, 60), -ENOSPC);
}
END_TEST

START_TEST(refused)
{
	static const char *const bad[] = {
		"net/ipv4/ip_forward\n", "net/ipv4/ip_forward \n", "net/ipv4/ip_forward 1 2\n",
		"net/ipv4/ip_forward one\n", "net/ipv4/ip_forward 1;reboot\n",
		"net/ipv4/ip_forward -\n", "net/ipv4/ip_forward 1\nnet/ipv4/ip_forward 0\n",
		"kernel/panic 1\n", "/etc/passwd 1\n", "net/../../etc/shadow 1\n",
		"net/ipv4/conf/$(id)/proxy_arp 1\n", "net/ipv4//ip_forward 1\n", "net/ 1\n",
		"net/ipv4/ 1\n", "net/ipv4/ip forward 1\n", "net/ipv4/ip_forward 12345678901234567890123\n",
	};
	struct xnh_saved s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_msg(xnh_saved_parse(bad[i], &s) == -EINVAL, "%s", bad[i]);
	ck_assert_int_eq(xnh_saved_parse("# only a comment\n", &s), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(too_many)
{
	struct xnh_saved s;
	char key[64];
	int i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < XNH_SAVED_MAX; i++) {
		snprintf(key, sizeof(key), "net/ipv4/conf/eth%d/proxy_arp", i);
		ck_assert_int_eq(xnh_saved_put(&s, key, "0"), 1);
	}
	ck_assert_int_eq(xnh_saved_put(&s, "net/ipv4/ip_forward", "0"), -E2BIG);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("saved");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, first_value_kept);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, too_many);
	suite_add_tcase(s, tc);
	return s;
}
