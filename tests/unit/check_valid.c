/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_valid.c: checks of untrusted values: names, numbers, MACs, addresses. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

START_TEST(ifnames)
{
	static const char *const good[] = { "eth0", "vif1.0", "vif32751.65535",
		"vif1.0-emu", "enp3s0", "eth0.100", "br_0:1", "a", "123456789012345" };
	static const char *const bad[] = { "", "1234567890123456", "eth0/1", "eth 0",
		"eth0\n", "$(reboot)", "`id`", "a;b", "a|b", ".", "..", "vif1.0\t", "\x7f",
		"caf\xc3\xa9" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		ck_assert_msg(xnh_valid_ifname(good[i]) == 0, "%s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_msg(xnh_valid_ifname(bad[i]) == -EINVAL, "%s", bad[i]);
}
END_TEST

START_TEST(numbers)
{
	unsigned long v;
	unsigned int mtu;

	ck_assert_int_eq(xnh_parse_uint("0", 10, &v), 0);
	ck_assert_int_eq(xnh_parse_uint("65535", 65535, &v), 0);
	ck_assert_uint_eq(v, 65535);
	ck_assert_int_eq(xnh_parse_uint("65536", 65535, &v), -ERANGE);
	ck_assert_int_eq(xnh_parse_uint("99999999999999999999999", ~0UL, &v), -ERANGE);
	ck_assert_int_eq(xnh_parse_uint("-1", 10, &v), -EINVAL);
	ck_assert_int_eq(xnh_parse_uint("+1", 10, &v), -EINVAL);
	ck_assert_int_eq(xnh_parse_uint("01", 10, &v), -EINVAL);
	ck_assert_int_eq(xnh_parse_uint(" 1", 10, &v), -EINVAL);
	ck_assert_int_eq(xnh_parse_uint("1x", 10, &v), -EINVAL);
	ck_assert_int_eq(xnh_parse_uint("", 10, &v), -EINVAL);
	/* maxima below 9: max - digit must not wrap */
	ck_assert_int_eq(xnh_parse_uint("9", 3, &v), -ERANGE);
	ck_assert_int_eq(xnh_parse_uint("4", 3, &v), -ERANGE);
	ck_assert_int_eq(xnh_parse_uint("3", 3, &v), 0);
	ck_assert_uint_eq(v, 3);
	ck_assert_int_eq(xnh_parse_uint("1", 0, &v), -ERANGE);
	ck_assert_int_eq(xnh_parse_uint("0", 0, &v), 0);
	ck_assert_int_eq(xnh_parse_uint("10", 5, &v), -ERANGE);
	ck_assert_int_eq(xnh_parse_mtu("1500", &mtu), 0);
	ck_assert_uint_eq(mtu, 1500);
	ck_assert_int_eq(xnh_parse_mtu("68", &mtu), 0);
	ck_assert_int_eq(xnh_parse_mtu("67", &mtu), -ERANGE);
	ck_assert_int_eq(xnh_parse_mtu("65536", &mtu), -ERANGE);
	ck_assert_int_eq(xnh_parse_mtu("1500;reboot", &mtu), -EINVAL);
	ck_assert_int_eq(xnh_parse_mtu("abc", &mtu), -EINVAL);
}
END_TEST

START_TEST(macs)
{
	uint8_t m[6];

	ck_assert_int_eq(xnh_parse_mac("00:16:3e:0A:bc:ff", m), 0);
	ck_assert_uint_eq(m[0], 0);
	ck_assert_uint_eq(m[2], 0x3e);
	ck_assert_uint_eq(m[3], 0x0a);
	ck_assert_uint_eq(m[5], 0xff);
	ck_assert_int_eq(xnh_parse_mac("00:16:3e:0a:bc", m), -EINVAL);
	ck_assert_int_eq(xnh_parse_mac("00:16:3e:0a:bc:fg", m), -EINVAL);
	ck_assert_int_eq(xnh_parse_mac("00-16-3e-0a-bc-ff", m), -EINVAL);
	ck_assert_int_eq(xnh_parse_mac("00:16:3e:0a:bc:ff:", m), -EINVAL);
	ck_assert_int_eq(xnh_parse_mac("0:16:3e:0a:bc:ff", m), -EINVAL);
}
END_TEST

START_TEST(bools)
{
	bool b;

	ck_assert_int_eq(xnh_parse_bool("yes", &b), 0);
	ck_assert(b);
	ck_assert_int_eq(xnh_parse_bool("NO", &b), 0);
	ck_assert(!b);
	ck_assert_int_eq(xnh_parse_bool("1", &b), 0);
	ck_assert(b);
	ck_assert_int_eq(xnh_parse_bool("maybe", &b), -EINVAL);
	ck_assert_int_eq(xnh_parse_bool("", &b), -EINVAL);
}
END_TEST

START_TEST(quoting)
{
	char q[64];

	xnh_quote("a\nb\x1b", q, sizeof(q));
	ck_assert_str_eq(q, "a?b?");
	xnh_quote("0123456789012345678901234567890123456789012345678901234567890", q, sizeof(q));
	ck_assert_uint_eq(strlen(q), 48);
	ck_assert_str_eq(q + 45, "...");
	ck_assert(xnh_valid_text("ok text") == 0);
	ck_assert(xnh_valid_text("tab\there") < 0);
}
END_TEST

START_TEST(addresses)
{
	static const char *const bad[] = { "10.0.0.300", "10.0.0.1/33", "::g", "1.2.3.4;reboot",
		"10.0.0", "10.0.0.1/", "10.0.0.1/-1", "010.0.0.1", "10.0.0.1/024", "fe80::1/129",
		"0.0.0.0", "255.255.255.255", "127.0.0.1", "224.0.0.1", "::", "::1", "ff02::1",
		"10.0.0.1/8/8", "/24", "", "1.2.3.4 ", "$(id)" };
	struct xnh_inet in;
	char text[64];
	size_t i;

	ck_assert_int_eq(xnh_inet_parse("10.0.0.1", &in), 0);
	ck_assert_int_eq(in.family, AF_INET);
	ck_assert_uint_eq(in.prefix, 32);
	ck_assert(!in.has_prefix);
	ck_assert_int_eq(xnh_inet_parse("10.0.0.1/24", &in), 0);
	ck_assert_uint_eq(in.prefix, 24);
	ck_assert(in.has_prefix);
	ck_assert_int_eq(xnh_inet_format(&in, true, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "10.0.0.1/24");
	ck_assert_int_eq(xnh_inet_parse("2001:db8::1/64", &in), 0);
	ck_assert_int_eq(in.family, AF_INET6);
	ck_assert_uint_eq(in.prefix, 64);
	ck_assert_int_eq(xnh_inet_format(&in, false, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "2001:db8::1");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_msg(xnh_inet_parse(bad[i], &in) < 0, "%s", bad[i]);
}
END_TEST

START_TEST(iplists)
{
	struct xnh_iplist l;

	ck_assert_int_eq(xnh_iplist_parse("10.0.0.1", &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(xnh_iplist_parse("  10.0.0.1  10.0.0.2/32 2001:db8::5 ", &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(xnh_iplist_parse("10.0.0.1 10.0.0.1", &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(xnh_iplist_parse("", &l), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert(xnh_iplist_parse("10.0.0.1,10.0.0.2", &l) < 0);
	ck_assert(xnh_iplist_parse("10.0.0.1 ; 10.0.0.2", &l) < 0);
	ck_assert(xnh_iplist_parse("10.0.0.1 junk 10.0.0.2", &l) < 0);
	ck_assert(xnh_iplist_parse("10.0.0.1\t10.0.0.2", &l) < 0);
	ck_assert(xnh_iplist_parse("10.0.0.1 `reboot`", &l) < 0);
}
END_TEST

START_TEST(iplist_limit)
{
	char buf[XNH_IP_MAX * 16 + 32] = "";
	struct xnh_iplist l;
	int i;

	for (i = 1; i <= XNH_IP_MAX; i++)
		sprintf(buf + strlen(buf), "10.0.%d.%d ", i / 250, i % 250 + 1);
	ck_assert_int_eq(xnh_iplist_parse(buf, &l), 0);
	ck_assert_uint_eq(l.n, XNH_IP_MAX);
	strcat(buf, "10.9.9.9");
	ck_assert_int_eq(xnh_iplist_parse(buf, &l), -E2BIG);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("valid");
	TCase *tc = tcase_create("values");

	tcase_add_test(tc, ifnames);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, macs);
	tcase_add_test(tc, bools);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, addresses);
	tcase_add_test(tc, iplists);
	tcase_add_test(tc, iplist_limit);
	suite_add_tcase(s, tc);
	return s;
}
