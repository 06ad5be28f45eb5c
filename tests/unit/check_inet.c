/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_inet.c: an `ip` entry's host bits (an address with a netmask, or a network), and
 * whether an address lies in a network. */
#include "unit.h"
#include "xnethelper.h"

static bool host_bits(const char *s)
{
	struct xnh_inet in;

	ck_assert_msg(xnh_inet_parse(s, &in) == 0, "%s", s);
	return xnh_inet_host_bits(&in);
}

START_TEST(networks)
{
	static const char *const nets[] = { "10.0.0.1", "10.0.0.1/32", "10.0.1.0/24",
		"10.0.0.0/8", "10.0.0.0/31", "10.0.16.0/20", "192.168.0.128/25", "2001:db8::6",
		"2001:db8::6/128", "2001:db8:1::/64", "2001:db8::/32", "2001:db8::/127" };
	static const char *const hosts[] = { "10.0.0.1/24", "10.0.0.1/31", "10.0.17.0/20",
		"10.0.0.1/8", "192.168.0.129/25", "2001:db8::6/64", "2001:db8::1/127",
		"2001:db8:1::/16", "10.1.0.0/15" };
	size_t i;

	for (i = 0; i < sizeof(nets) / sizeof(*nets); i++)
		ck_assert_msg(!host_bits(nets[i]), "%s", nets[i]);
	for (i = 0; i < sizeof(hosts) / sizeof(*hosts); i++)
		ck_assert_msg(host_bits(hosts[i]), "%s", hosts[i]);
}
END_TEST

static bool in(const char *net, const char *a)
{
	struct xnh_inet n, x;

	ck_assert_msg(xnh_inet_parse(net, &n) == 0, "%s", net);
	ck_assert_msg(xnh_inet_parse(a, &x) == 0, "%s", a);
	return xnh_inet_in(&n, &x);
}

START_TEST(inside)
{
	ck_assert(in("192.168.0.3/24", "192.168.0.6"));
	ck_assert(in("192.168.0.3/24", "192.168.0.255"));
	ck_assert(!in("192.168.0.3/24", "192.168.1.6"));
	ck_assert(!in("192.168.0.3/24", "10.0.0.1"));
	ck_assert(in("10.0.16.0/20", "10.0.31.200"));
	ck_assert(!in("10.0.16.0/20", "10.0.32.1"));
	ck_assert(in("10.0.0.1/32", "10.0.0.1"));
	ck_assert(!in("10.0.0.1/32", "10.0.0.2"));
	ck_assert(in("10.0.0.1/0", "192.0.2.1"));
	ck_assert(in("2001:db8::3/64", "2001:db8::6"));
	ck_assert(!in("2001:db8::3/64", "2001:db8:1::6"));
	ck_assert(in("2001:db8::/33", "2001:db8:7fff::1"));
	ck_assert(!in("2001:db8::/33", "2001:db8:8000::1"));
	ck_assert(!in("192.168.0.3/24", "::ffff:192.168.0.6"));	/* another family */
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("inet");
	TCase *tc = tcase_create("host_bits");

	tcase_add_test(tc, networks);
	tcase_add_test(tc, inside);
	suite_add_tcase(s, tc);
	return s;
}
