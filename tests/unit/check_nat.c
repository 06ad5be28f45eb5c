/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_nat.c: NAT guests' default address, router address rule and DHCP name. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

static const char *router_of(const char *guest)
{
	static char buf[INET_ADDRSTRLEN];
	struct xnh_inet g, r;

	ck_assert_int_eq(xnh_inet_parse(guest, &g), 0);
	ck_assert_int_eq(xnh_nat_router(&g, &r), 0);
	ck_assert_int_eq(r.prefix, 32);
	inet_ntop(AF_INET, &r.a.v4, buf, sizeof(buf));
	return buf;
}

START_TEST(router_seed)
{
	ck_assert_str_eq(router_of("10.0.0.1"), "10.0.0.128");		/* the seed's */
	ck_assert_str_eq(router_of("10.0.0.1/24"), "10.0.0.128");
	ck_assert_str_eq(router_of("10.0.1.1/16"), "10.0.1.128");	/* the default */
	ck_assert_str_eq(router_of("10.0.0.127/24"), "10.0.0.254");
}
END_TEST

START_TEST(router_no_overflow)
{
	ck_assert_str_eq(router_of("10.0.0.128/24"), "10.0.0.1");	/* .255: broadcast */
	ck_assert_str_eq(router_of("10.0.0.200"), "10.0.0.73");		/* 327: overflow */
	ck_assert_str_eq(router_of("10.0.0.254/24"), "10.0.0.127");
	ck_assert_str_eq(router_of("10.0.1.200/16"), "10.0.1.73");
	ck_assert_str_eq(router_of("10.0.1.128/16"), "10.0.1.255");	/* a host in a /16 */
	ck_assert_str_eq(router_of("10.0.255.128/16"), "10.0.255.1");
	ck_assert_str_eq(router_of("10.0.0.1/25"), "10.0.0.126");	/* last host */
	ck_assert_str_eq(router_of("10.0.0.129/25"), "10.0.0.254");
	ck_assert_str_eq(router_of("10.0.0.1/30"), "10.0.0.2");
	ck_assert_str_eq(router_of("10.0.0.2/30"), "10.0.0.1");		/* first host */
	ck_assert_str_eq(router_of("10.0.0.6/29"), "10.0.0.1");
	ck_assert_str_eq(router_of("10.0.0.1/32"), "10.0.0.128");	/* seen as a /24 */
	ck_assert_str_eq(router_of("10.0.0.200/31"), "10.0.0.73");
}
END_TEST

/* For every last octet and many prefixes: a host of the subnet, never the
 * guest, and last octet + 127 whenever that is a host of the subnet. */
START_TEST(router_every_octet)
{
	static const int prefixes[] = { -1, 8, 12, 16, 20, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
	unsigned int o, i, p;
	uint32_t g, rt, mask, net, bcast, plus;
	struct xnh_inet in, r;
	bool plus_ok;
	int ret;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		for (o = 0; o < 256; o++) {
			memset(&in, 0, sizeof(in));
			in.family = AF_INET;
			g = 0x0a00ff00u | o;	/* 10.0.255.o: the upper bits all ones */
			if (i & 1)
				g = 0xc0a80000u | o;	/* 192.168.0.o */
			in.a.v4.s_addr = htonl(g);
			in.prefix = prefixes[i] < 0 ? 32 : (uint8_t)prefixes[i];
			in.has_prefix = prefixes[i] >= 0;
			p = in.has_prefix && in.prefix <= 30 ? in.prefix : 24;
			mask = 0xffffffffu << (32 - p);
			net = g & mask;
			bcast = net | ~mask;
			ret = xnh_nat_router(&in, &r);
			if (in.has_prefix && in.prefix <= 30 && (g == net || g == bcast)) {
				ck_assert_int_eq(ret, -EADDRNOTAVAIL);
				continue;
			}
			ck_assert_int_eq(ret, 0);
			rt = ntohl(r.a.v4.s_addr);
			ck_assert_msg((rt & mask) == net && rt != net && rt != bcast,
				      "octet %u /%d: router %08x not a host", o, prefixes[i], rt);
			ck_assert_msg(rt != g, "octet %u /%d: router is the guest", o, prefixes[i]);
			plus = (g & ~0xffu) | (o + 127);
			plus_ok = o + 127 <= 255 && (plus & mask) == net && plus != net &&
				  plus != bcast;
			if (plus_ok)
				ck_assert_uint_eq(rt, plus);
		}
	}
}
END_TEST

START_TEST(router_refuses)
{
	struct xnh_inet g, r;

	ck_assert_int_eq(xnh_inet_parse("10.0.0.0/24", &g), 0);
	ck_assert_int_eq(xnh_nat_router(&g, &r), -EADDRNOTAVAIL);
	ck_assert_int_eq(xnh_inet_parse("10.0.0.255/24", &g), 0);
	ck_assert_int_eq(xnh_nat_router(&g, &r), -EADDRNOTAVAIL);
	ck_assert_int_eq(xnh_inet_parse("2001:db8::1", &g), 0);
	ck_assert_int_eq(xnh_nat_router(&g, &r), -EAFNOSUPPORT);
}
END_TEST

START_TEST(default_address)
{
	struct xnh_inet in;
	char buf[64];

	ck_assert_int_eq(xnh_nat_default_ip(1, 1, &in), 0);
	xnh_inet_format(&in, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.0.1.1/16");
	ck_assert_int_eq(xnh_nat_default_ip(258, 3, &in), 0);
	xnh_inet_format(&in, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.2.3/16");
	ck_assert_int_eq(xnh_nat_default_ip(32751, 254, &in), 0);
	xnh_inet_format(&in, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.127.239.254/16");
	ck_assert_int_eq(xnh_nat_default_ip(1, 0, &in), -ERANGE);
	ck_assert_int_eq(xnh_nat_default_ip(1, 255, &in), -ERANGE);
	ck_assert_int_eq(xnh_nat_default_ip(1, 65536, &in), -ERANGE);
}
END_TEST

START_TEST(hostname)
{
	char buf[16];

	ck_assert_int_eq(xnh_nat_hostname(1, 1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dom1");
	ck_assert_int_eq(xnh_nat_hostname(10, 1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dom10");
	ck_assert_int_eq(xnh_nat_hostname(1, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dom1-2");
	ck_assert_int_eq(xnh_nat_hostname(32751, 65535, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dom32751-65535");
	ck_assert_int_eq(xnh_valid_ifname(buf), 0);
	ck_assert_int_eq(xnh_nat_hostname(1, 2, buf, 5), -ENAMETOOLONG);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("nat");
	TCase *tc = tcase_create("addresses");

	tcase_add_test(tc, router_seed);
	tcase_add_test(tc, router_no_overflow);
	tcase_add_test(tc, router_every_octet);
	tcase_add_test(tc, router_refuses);
	tcase_add_test(tc, default_address);
	tcase_add_test(tc, hostname);
	suite_add_tcase(s, tc);
	return s;
}
