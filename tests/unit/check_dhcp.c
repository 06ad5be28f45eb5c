/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_dhcp.c: the DHCP config editors (ISC dhcpd, its defaults file, dnsmasq). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "xnethelper.h"

#define PROP(cond) ck_assert(cond)
#include "../fuzz/dhcp_props.h"

static void host(struct xnh_dhcp_host *h, const char *name, const char *addr, const char *router)
{
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x01, 0x00 };

	memset(h, 0, sizeof(*h));
	memcpy(h->mac, mac, sizeof(mac));
	strcpy(h->name, name);
	inet_pton(AF_INET, addr, &h->addr);
	inet_pton(AF_INET, router, &h->router);
}

/* Runs an editor, checks its count, compares its output and frees it. */
#define EDIT(call, want_n, want_text) do {				\
		char *out_ = NULL;					\
		ck_assert_int_eq((call), (want_n));			\
		ck_assert_str_eq(out_, (want_text));			\
		free(out_);						\
	} while (0)
#define OUT (&out_)

#define DOM1 "host dom1 { hardware ethernet 00:16:3e:00:01:00; fixed-address 10.0.0.1;" \
	" option routers 10.0.0.128; option host-name \"dom1\"; }"
#define DOM10 "host dom10 { hardware ethernet 00:16:3e:00:0a:00; fixed-address 10.0.0.10;" \
	" option routers 10.0.0.137; option host-name \"dom10\"; }"

START_TEST(isc_host_format)
{
	struct xnh_dhcp_host h;

	host(&h, "dom1", "10.0.0.1", "10.0.0.128");
	char buf[256];

	ck_assert_int_eq(xnh_isc_host_format(&h, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, DOM1);
	ck_assert_int_eq(xnh_isc_host_format(&h, buf, 20), -ENOSPC);
	strcpy(h.name, "dom1;x");
	ck_assert_int_eq(xnh_isc_host_format(&h, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(isc_host_set)
{
	struct xnh_dhcp_host h;

	host(&h, "dom1", "10.0.0.1", "10.0.0.128");

	EDIT(xnh_isc_host_set("", &h, OUT), 0, DOM1 "\n");
	EDIT(xnh_isc_host_set("ddns-update-style none;", &h, OUT), 0,
	     "ddns-update-style none;\n" DOM1 "\n");
	/* replaces dom1 (once, wherever), keeps dom10 */
	EDIT(xnh_isc_host_set(DOM10 "\n" DOM1 "\n# end\n", &h, OUT), 1,
	     DOM10 "\n# end\n" DOM1 "\n");
	EDIT(xnh_isc_host_set(DOM1 "\n", &h, OUT), 1, DOM1 "\n");
}
END_TEST

START_TEST(isc_host_del_exact)
{
	/* dom1 goes; dom10, dom1-2 and what only mentions dom1 stay */
	static const char in[] =
		"option domain-name \"host dom1 { }\";\n"
		"# host dom1 { old }\n"
		DOM10 "\n"
		"host dom1-2 { fixed-address 10.0.0.2; }\n"
		DOM1 "\n"
		"host dom1 {\n  hardware ethernet 00:16:3e:00:01:00;\n  fixed-address 10.0.0.1;\n}\n"
		"group {\n\thost \"dom1\" { fixed-address 10.0.0.1; }\n\thost dom11 { }\n}\n"
		"host dom100 { } host dom1 { } host dom101 { }\n"
		"subnet 10.0.0.0 netmask 255.255.0.0 { }\n";
	static const char want[] =
		"option domain-name \"host dom1 { }\";\n"
		"# host dom1 { old }\n"
		DOM10 "\n"
		"host dom1-2 { fixed-address 10.0.0.2; }\n"
		"group {\n\thost dom11 { }\n}\n"
		"host dom100 { } host dom101 { }\n"
		"subnet 10.0.0.0 netmask 255.255.0.0 { }\n";

	EDIT(xnh_isc_host_del(in, "dom1", OUT), 4, want);
	EDIT(xnh_isc_host_del(want, "dom1", OUT), 0, want);
	EDIT(xnh_isc_host_del(DOM1, "dom1", OUT), 1, "");
	EDIT(xnh_isc_host_del("x;" DOM1 "\r\ny;", "dom1", OUT), 1, "x;\ny;");
}
END_TEST

START_TEST(isc_host_del_broken)
{
	/* unbalanced or unterminated: nothing is removed */
	EDIT(xnh_isc_host_del("host dom1 { fixed-address 10.0.0.1;\n", "dom1", OUT), 0,
	     "host dom1 { fixed-address 10.0.0.1;\n");
	EDIT(xnh_isc_host_del("x \"abc\nhost dom1 { }\n", "dom1", OUT), 0,
	     "x \"abc\nhost dom1 { }\n");
	EDIT(xnh_isc_host_del("host dom1 host dom1 { }", "dom1", OUT), 0,
	     "host dom1 host dom1 { }");
	EDIT(xnh_isc_host_del("a \"q\\\"\" ; host dom1 { \"}\" }\n", "dom1", OUT), 1,
	     "a \"q\\\"\" ; \n");
}
END_TEST

#define NAT_SUBNET "subnet 10.0.0.0 netmask 255.255.0.0 {"

START_TEST(isc_subnet)
{
	struct xnh_isc_subnet sn = { .domain = "example.org" };
	static const char admin[] = "subnet 10.0.0.0 netmask 255.255.0.0 {\n  range 10.0.0.2"
				    " 10.0.0.9;\n}\n";
	static const char shared[] = "shared-network x { subnet 10.0.0.0 netmask 255.255.0.0"
				     " { } }\n";
	char buf[300];

	inet_pton(AF_INET, "192.168.0.1", &sn.dns);
	ck_assert_int_eq(xnh_isc_subnet_format(&sn, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, NAT_SUBNET " option domain-name \"example.org\"; option"
			 " domain-name-servers 192.168.0.1; } # network-nat");
	EDIT(xnh_isc_subnet_set("a;\n", &sn, OUT), 1, "a;\n" NAT_SUBNET " option domain-name"
	     " \"example.org\"; option domain-name-servers 192.168.0.1; } # network-nat\n");
	memset(&sn, 0, sizeof(sn));
	EDIT(xnh_isc_subnet_set("", &sn, OUT), 1, NAT_SUBNET " } # network-nat\n");
	EDIT(xnh_isc_subnet_set(NAT_SUBNET " } # network-nat\n", &sn, OUT), 0,
	     NAT_SUBNET " } # network-nat\n");
	/* the administrator's own declaration: kept by set and by del */
	EDIT(xnh_isc_subnet_set(admin, &sn, OUT), 0, admin);
	EDIT(xnh_isc_subnet_set(shared, &sn, OUT), 0, shared);
	EDIT(xnh_isc_subnet_del(admin, OUT), 0, admin);
	EDIT(xnh_isc_subnet_del("a;\n" NAT_SUBNET " option domain-name \"x\"; } # network-nat\n"
				"b;\n", OUT), 1, "a;\nb;\n");
	EDIT(xnh_isc_subnet_del("subnet 10.0.1.0 netmask 255.255.255.0 { } # network-nat\n", OUT),
	     0, "subnet 10.0.1.0 netmask 255.255.255.0 { } # network-nat\n");
}
END_TEST

START_TEST(isc_ifaces)
{
	static const char deb[] = "# Defaults for isc-dhcp-server\n#INTERFACESv4=\"eth9\"\n"
				  "INTERFACESv4=\"\"\nINTERFACESv6=\"\"\n";

	EDIT(xnh_isc_ifaces_add(deb, "vif1.0", OUT), 0, "# Defaults for isc-dhcp-server\n"
	     "#INTERFACESv4=\"eth9\"\nINTERFACESv4=\"vif1.0\"\nINTERFACESv6=\"\"\n");
	EDIT(xnh_isc_ifaces_add("INTERFACESv4=\"vif1.10 vif1.0\"\n", "vif1.1", OUT), 0,
	     "INTERFACESv4=\"vif1.10 vif1.0 vif1.1\"\n");
	EDIT(xnh_isc_ifaces_add("INTERFACESv4=\"vif1.1\"\n", "vif1.1", OUT), 0,
	     "INTERFACESv4=\"vif1.1\"\n");
	EDIT(xnh_isc_ifaces_del("INTERFACESv4=\"vif1.10  vif1.1 vif11\" # x\n", "vif1.1", OUT), 0,
	     "INTERFACESv4=\"vif1.10 vif11\" # x\n");
	EDIT(xnh_isc_ifaces_del("INTERFACESv4=\"vif1.1\"", "vif1.1", OUT), 0, "INTERFACESv4=\"\"");
	/* older Debian, Red Hat, SUSE; bare and single-quoted values; export */
	EDIT(xnh_isc_ifaces_add("INTERFACES=eth0\nexport DHCPDARGS='-q'\nDHCPD_INTERFACE=\"\"\n",
				"vif2.0", OUT), 0,
	     "INTERFACES=\"eth0 vif2.0\"\nexport DHCPDARGS='-q vif2.0'\n"
	     "DHCPD_INTERFACE=\"vif2.0\"\n");
	/* no list at all: Debian's is added; a value over two lines is left alone */
	EDIT(xnh_isc_ifaces_add("OPTIONS=\"\"", "vif1.0", OUT), 0,
	     "OPTIONS=\"\"\nINTERFACESv4=\"vif1.0\"\n");
	EDIT(xnh_isc_ifaces_add("INTERFACESv4=\"eth0\n vif1.0\"\n", "vif1.1", OUT), 0,
	     "INTERFACESv4=\"eth0\n vif1.0\"\n");
	/* more shell than a word list: left as it is, and not overridden */
	EDIT(xnh_isc_ifaces_add("INTERFACESv4=\"$IF\"\nINTERFACES=a\"b\"\n", "vif1.1", OUT), 0,
	     "INTERFACESv4=\"$IF\"\nINTERFACES=a\"b\"\n");
	EDIT(xnh_isc_ifaces_add("INTERFACES=eth0#1 ;x\n", "vif1.1", OUT), 0,
	     "INTERFACES=\"eth0#1 vif1.1\" ;x\n");
	EDIT(xnh_isc_ifaces_del("", "vif1.0", OUT), 0, "");
	ck_assert_int_eq(xnh_isc_ifaces_add("", "vif1.0 x", &(char *){ NULL }), -EINVAL);
}
END_TEST

START_TEST(dnsmasq_lines)
{
	struct xnh_dhcp_host h;

	host(&h, "dom1", "10.0.0.1", "10.0.0.128");
	static const char hosts[] = "00:16:3e:00:0a:00,10.0.0.10,dom10\n"
				    "00:16:3e:00:01:00,10.0.0.9,dom1\n"
				    "00:16:3e:00:01:01,10.0.0.2,dom1-2\n"
				    "00:16:3e:00:01:02,id:*,10.0.0.3,dom1,infinite\n"
				    "# dom1\n";
	static const char opts[] = "tag:vif10.0,option:router,10.0.0.137\n"
				   "tag:vif1.0,option:router,10.0.0.200\n"
				   "option:router,tag:vif1.0\n";
	char buf[128];

	ck_assert_int_eq(xnh_dnsmasq_host_format(&h, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "00:16:3e:00:01:00,10.0.0.1,dom1");
	ck_assert_int_eq(xnh_dnsmasq_opt_format(&h, "vif1.0", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "tag:vif1.0,option:router,10.0.0.128");
	EDIT(xnh_dnsmasq_hosts_set(hosts, &h, OUT), 2,
	     "00:16:3e:00:0a:00,10.0.0.10,dom10\n00:16:3e:00:01:01,10.0.0.2,dom1-2\n# dom1\n"
	     "00:16:3e:00:01:00,10.0.0.1,dom1\n");
	EDIT(xnh_dnsmasq_hosts_del(hosts, "dom1", OUT), 2,
	     "00:16:3e:00:0a:00,10.0.0.10,dom10\n00:16:3e:00:01:01,10.0.0.2,dom1-2\n# dom1\n");
	EDIT(xnh_dnsmasq_opts_set(opts, &h, "vif1.0", OUT), 1,
	     "tag:vif10.0,option:router,10.0.0.137\noption:router,tag:vif1.0\n"
	     "tag:vif1.0,option:router,10.0.0.128\n");
	EDIT(xnh_dnsmasq_opts_del("tag:vif1.0,option:router,10.0.0.128", "vif1.0", OUT), 1, "");
	EDIT(xnh_dnsmasq_hosts_set("x", &h, OUT), 0, "x\n00:16:3e:00:01:00,10.0.0.1,dom1\n");
	ck_assert_int_eq(xnh_dnsmasq_hosts_del("", "dom1,x", &(char *){ NULL }), -EINVAL);
	ck_assert_int_eq(xnh_dnsmasq_opt_format(&h, "a,b", buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(resolv)
{
	struct xnh_isc_subnet sn;
	char dns[INET_ADDRSTRLEN];

	ck_assert_int_eq(xnh_resolv_parse("# x\nnameserver 127.0.0.53\nsearch a.example b\n"
					  "nameserver ::1\n  nameserver 192.168.0.1 # lan\n"
					  "nameserver 192.168.0.2\ndomain lan.example\n", &sn), 0);
	ck_assert_str_eq(sn.domain, "lan.example");
	inet_ntop(AF_INET, &sn.dns, dns, sizeof(dns));
	ck_assert_str_eq(dns, "192.168.0.1");
	ck_assert_int_eq(xnh_resolv_parse("search \"x\";reboot\nnameserver 10.0.0.1/8\n", &sn), 0);
	ck_assert_str_eq(sn.domain, "");
	ck_assert_uint_eq(sn.dns.s_addr, 0);
}
END_TEST

START_TEST(pidfile)
{
	int pid;

	ck_assert_int_eq(xnh_pidfile_parse("1234\n", &pid), 0);
	ck_assert_int_eq(pid, 1234);
	ck_assert_int_eq(xnh_pidfile_parse(" 1234", &pid), -EINVAL);
	ck_assert_int_eq(xnh_pidfile_parse("1", &pid), -EINVAL);
	ck_assert_int_eq(xnh_pidfile_parse("-5", &pid), -EINVAL);
	ck_assert_int_eq(xnh_pidfile_parse("12 34", &pid), -EINVAL);
	ck_assert_int_eq(xnh_pidfile_parse("99999999999", &pid), -EINVAL);
	ck_assert_int_eq(xnh_pidfile_parse("", &pid), -EINVAL);
}
END_TEST

/* ---- random configs built from the tokens that matter ---- */

static unsigned int seed = 12345;

static unsigned int rnd(unsigned int n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

static void random_text(char *buf, size_t len)
{
	static const char *const frag[] = {
		"host", " ", "dom1", "dom10", "\"", "{", "}", ";", "#", "\n", "\\", "x",
		"subnet", "10.0.0.0", "netmask", "255.255.0.0", "# network-nat", "\t",
		"INTERFACESv4=", "INTERFACES=", "'", "vif1.0", "vif1.00", ",", "dom1,",
		"tag:vif1.0", "\r", "export ", "host dom1 { }", "group {",
	};
	size_t n = 0, l, i, count = rnd(40);

	buf[0] = '\0';
	for (i = 0; i < count; i++) {
		const char *f = frag[rnd(sizeof(frag) / sizeof(frag[0]))];

		l = strlen(f);
		if (n + l + 1 >= len)
			break;
		memcpy(buf + n, f, l + 1);
		n += l;
	}
}

START_TEST(fuzz)
{
	struct xnh_dhcp_host h;

	host(&h, "dom1", "10.0.0.1", "10.0.0.128");
	char in[512];
	int i;

	for (i = 0; i < 20000; i++) {
		random_text(in, sizeof(in));
		fuzz_isc(in, &h);
		fuzz_lines(in, &h);
	}
}
END_TEST

static void put(const char *path, const char *text)
{
	ck_assert_int_eq(xnh_file_replace(path, text, strlen(text), 0600), 0);
}

/* status reads the files: an entry is there when removing it would change
 * the file (dom1 is not dom10's); the subnet when adding it would not. */
START_TEST(has)
{
	char dir[] = "/tmp/check_dhcp.XXXXXX";
	struct xnh_dhcp_conf c;
	const char *path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(setenv("XNET_STATE_DIR", dir, 1), 0);
	ck_assert_int_eq(xnh_dhcp_conf_load(&c), 0);
	snprintf(c.isc_conf, sizeof(c.isc_conf), "%s/dhcpd.conf", dir);
	snprintf(c.isc_defaults, sizeof(c.isc_defaults), "%s/defaults", dir);
	/* no file yet */
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_HOST, "dom1", &path), 0);
	ck_assert_str_eq(path, c.isc_conf);
	put(c.isc_conf, "host dom10 { fixed-address 10.0.0.10; }\n"
	    "subnet 10.0.0.0 netmask 255.255.0.0 { }\n");
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_HOST, "dom1", &path), 0);
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_HOST, "dom10", &path), 1);
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_SUBNET, NULL, &path), 1);
	put(c.isc_defaults, "INTERFACESv4=\"vif1.0 vif10.0\"\n");
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_IFACE, "vif1.0", &path), 1);
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_IFACE, "vif1.1", &path), 0);
	ck_assert_str_eq(path, c.isc_defaults);
	put(c.dnsmasq_hosts, "00:16:3e:00:01:00,10.0.0.1,dom1\n");
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_DNSMASQ_HOST, "dom1", &path), 1);
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_DNSMASQ_HOST, "dom2", &path), 0);
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_DNSMASQ_OPT, "vif1.0", &path), 0);
	put(c.isc_conf, "# empty\n");
	ck_assert_int_eq(xnh_dhcp_has(&c, XNH_DHCP_ISC_SUBNET, NULL, &path), 0);
	unlink(c.isc_conf);
	unlink(c.isc_defaults);
	unlink(c.dnsmasq_hosts);
	rmdir(dir);
}
END_TEST

/* Found by fuzz_dhcp: a declaration after one whose line was cut with its
 * leading blank was missed, so that a second delete still found one. */
START_TEST(isc_del_after_indented)
{
	char *a, *b;

	ck_assert_int_eq(xnh_isc_host_del(" host dom1{}\nhost dom1{}", "dom1", &a), 2);
	ck_assert_str_eq(a, "");
	ck_assert_int_eq(xnh_isc_host_del("  host dom1 { }\n  host dom1 { }\nx;\n", "dom1", &b), 2);
	ck_assert_str_eq(b, "x;\n");
	free(a);
	free(b);
	/* a quoted "host" is a string, not the keyword: nothing to cut */
	ck_assert_int_eq(xnh_isc_host_del("\"host\"dom1{}", "dom1", &a), 0);
	ck_assert_str_eq(a, "\"host\"dom1{}");
	free(a);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("dhcp");
	TCase *tc = tcase_create("editors");

	tcase_add_test(tc, isc_host_format);
	tcase_add_test(tc, isc_host_set);
	tcase_add_test(tc, isc_host_del_exact);
	tcase_add_test(tc, isc_host_del_broken);
	tcase_add_test(tc, isc_subnet);
	tcase_add_test(tc, isc_ifaces);
	tcase_add_test(tc, dnsmasq_lines);
	tcase_add_test(tc, resolv);
	tcase_add_test(tc, pidfile);
	tcase_add_test(tc, fuzz);
	tcase_add_test(tc, isc_del_after_indented);
	tcase_add_test(tc, has);
	suite_add_tcase(s, tc);
	return s;
}
