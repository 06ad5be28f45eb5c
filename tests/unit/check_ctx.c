/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_ctx.c: the hotplug context: command, precedence, validation, vif paths. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

static struct xnh_ctx c;

static int parse(char **argv, char **envp)
{
	int argc = 0;

	memset(&c, 0, sizeof(c));
	while (argv[argc])
		argc++;
	return xnh_ctx_parse(&c, argc, argv, envp);
}

START_TEST(libxl_call)
{
	char *argv[] = { "vif-bridge", "online", "type_if=vif", NULL };
	char *envp[] = { "script=/etc/xen/scripts/vif-bridge", "XENBUS_TYPE=vif",
		"XENBUS_PATH=backend/vif/1/0", "XENBUS_BASE_PATH=backend", "netdev=",
		"vif=vif1.0", "PATH=/bin", NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert_str_eq(c.command, "online");
	ck_assert_str_eq(c.val[XNH_K_VIF], "vif1.0");
	ck_assert_ptr_null(c.val[XNH_K_NETDEV]);	/* empty is unset */
	ck_assert_int_eq(xnh_ctx_vif(&c), 0);
	ck_assert_int_eq(c.type_if, XNH_TYPE_VIF);
	ck_assert_str_eq(c.dev, "vif1.0");
	ck_assert_str_eq(c.xb_path, "backend/vif/1/0");
	ck_assert_uint_eq(c.domid, 1);
	ck_assert_uint_eq(c.devid, 0);
}
END_TEST

START_TEST(precedence)
{
	char *argv[] = { "vif-route", "bridge=br1", "online", "netdev=eth1", NULL };
	char *envp[] = { "bridge=br0", "netdev=eth0", "ip=10.0.0.1", NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert_str_eq(c.command, "online");
	ck_assert_str_eq(c.val[XNH_K_BRIDGE], "br1");
	ck_assert_int_eq(c.src[XNH_K_BRIDGE], XNH_SRC_ARG);
	ck_assert_str_eq(c.val[XNH_K_NETDEV], "eth1");
	ck_assert_str_eq(c.val[XNH_K_IP], "10.0.0.1");
	ck_assert_int_eq(c.src[XNH_K_IP], XNH_SRC_ENV);
	/* xenstore, last, wins */
	ck_assert_int_eq(xnh_ctx_set(&c, XNH_K_BRIDGE, "xenbr0", XNH_SRC_STORE), 0);
	ck_assert_str_eq(c.val[XNH_K_BRIDGE], "xenbr0");
	ck_assert_int_eq(xnh_ctx_set(&c, XNH_K_IP, "10.0.0.2 10.0.0.3", XNH_SRC_STORE), 0);
	ck_assert_uint_eq(c.ip.n, 2);
	/* an empty xenstore value leaves what was there */
	ck_assert_int_eq(xnh_ctx_set(&c, XNH_K_BRIDGE, "", XNH_SRC_STORE), 0);
	ck_assert_str_eq(c.val[XNH_K_BRIDGE], "xenbr0");
}
END_TEST

START_TEST(xend_call)
{
	char *argv[] = { "network-bridge", "start", "bridge=xenbr0", "netdev=eth0",
		"vifnum=0", NULL };
	char *envp[] = { NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert_str_eq(c.command, "start");
	ck_assert_str_eq(c.val[XNH_K_NETDEV], "eth0");
}
END_TEST

START_TEST(flags)
{
	char *argv[] = { "vif-nat", "online", "dry_run=yes", NULL };
	char *envp[] = { "XNET_DRY_RUN=1", "XNET_ANTISPOOF=no", NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert(xnh_ctx_bool(&c, XNH_K_DRY_RUN, false));
	ck_assert(!xnh_ctx_bool(&c, XNH_K_ANTISPOOF, true));
	ck_assert(xnh_ctx_bool(&c, XNH_K_DHCP, true));
}
END_TEST

/* xnet's own knobs left exported in a shell under their bare names do not
 * reach the runs libxl starts from it; the old scripts' parameters do. */
START_TEST(caller_environment)
{
	char *argv[] = { "vif-bridge", "online", NULL };
	char *envp[] = { "dry_run=yes", "verbose=yes", "antispoof=no", "force=yes", "json=yes",
			 "ip=10.0.0.1", "bridge=xenbr1", NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert(!c.val[XNH_K_DRY_RUN] && !c.val[XNH_K_VERBOSE] && !c.val[XNH_K_ANTISPOOF]);
	ck_assert(!c.val[XNH_K_FORCE] && !c.val[XNH_K_JSON]);
	ck_assert_str_eq(c.val[XNH_K_IP], "10.0.0.1");
	ck_assert_str_eq(c.val[XNH_K_BRIDGE], "xenbr1");
}
END_TEST

/* Each of these must fail the whole run, with a reason. */
START_TEST(bad_arguments)
{
	static char *const bad[][3] = {
		{ "online", "bridge=$(reboot)", NULL }, { "online", "bridge=br0;reboot", NULL },
		{ "online", "bridge=`id`", NULL }, { "online", "netdev=a|b", NULL },
		{ "online", "vif=1234567890123456", NULL }, { "online", "vif=vif1/0", NULL },
		{ "online", "vif=vif 1", NULL }, { "online", "vif=vif1\n0", NULL },
		{ "online", "type_if=tun", NULL }, { "online", "ip=10.0.0.300", NULL },
		{ "online", "ip=10.0.0.1/33", NULL }, { "online", "ip=::g", NULL },
		{ "online", "ip=1.2.3.4;reboot", NULL }, { "online", "dhcp=perhaps", NULL },
		{ "online", "XENBUS_PATH=backend/vif/1/0/../../..", NULL },
		{ "online", "XENBUS_PATH=backend/vbd/1/0", NULL },
		{ "online", "XENBUS_PATH=/etc/passwd", NULL },
		{ "online", "XENBUS_PATH=backend/vif/-1/0", NULL },
		{ "online", "XENBUS_PATH=backend/vif/99999999999/0", NULL },
		{ "online", "offline", NULL }, { "online", "=x", NULL },
		{ "online", "a-b=c", NULL }, { NULL, NULL, NULL },
	};
	char *envp[] = { NULL };
	char *argv[4];
	int i;

	for (i = 0; bad[i][0]; i++) {
		argv[0] = "vif-bridge";
		argv[1] = bad[i][0];
		argv[2] = bad[i][1];
		argv[3] = NULL;
		ck_assert_msg(parse(argv, envp) < 0, "accepted %s", bad[i][1]);
		ck_assert_msg(c.err[0] && !strchr(c.err, '\n'), "no one-line reason: %s", bad[i][1]);
	}
}
END_TEST

/* ip entries are separated by whitespace of any kind, as the old scripts
 * split them; the value is kept with single spaces. */
START_TEST(ip_whitespace)
{
	char *argv[] = { "vif-bridge", "online", "ip=10.0.0.1\t2001:db8::1\n10.0.0.2\r\n", NULL };
	char *envp[] = { NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert_uint_eq(c.ip.n, 3);
	ck_assert_str_eq(c.val[XNH_K_IP], "10.0.0.1 2001:db8::1 10.0.0.2  ");
	xnh_ctx_free(&c);
}
END_TEST

START_TEST(bad_environment)
{
	char *argv[] = { "vif-bridge", "online", NULL };
	char *envp[] = { "vif=$(reboot)", NULL };

	ck_assert_int_lt(parse(argv, envp), 0);
	ck_assert_ptr_nonnull(strstr(c.err, "invalid vif"));
	ck_assert_ptr_nonnull(strstr(c.err, "environment"));
}
END_TEST

START_TEST(no_command)
{
	char *argv[] = { "vif-bridge", "type_if=vif", NULL };
	char *envp[] = { NULL };

	ck_assert_int_lt(parse(argv, envp), 0);
	ck_assert_str_eq(c.err, "no command given");
}
END_TEST

START_TEST(xenbus_paths)
{
	unsigned int d, n;

	ck_assert_int_eq(xnh_xenbus_path_parse("backend/vif/1/0", &d, &n), 0);
	ck_assert_uint_eq(d, 1);
	ck_assert_int_eq(xnh_xenbus_path_parse("/local/domain/0/backend/vif/12/3", &d, &n), 0);
	ck_assert_uint_eq(d, 12);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(xnh_xenbus_path_parse("/local/domain/5/backend/vif/7/1", &d, &n), 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/1/0/", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/1", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/01/0", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/1/0/../../../x", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("/local/domain/0/backend/vif/1/0/ip", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("/local/domain//backend/vif/1/0", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/32752/0", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/1/65536", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("backend/vif/a/0", &d, &n) < 0);
	ck_assert(xnh_xenbus_path_parse("", &d, &n) < 0);
}
END_TEST

START_TEST(tap_run)
{
	char *argv[] = { "vif-bridge", "add", "type_if=tap", NULL };
	char *envp[] = { "INTERFACE=vif3.1-emu", "vif=vif3.1", NULL };

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert_int_eq(xnh_ctx_vif(&c), 0);
	ck_assert_int_eq(c.type_if, XNH_TYPE_TAP);
	ck_assert_str_eq(c.dev, "vif3.1-emu");
	ck_assert_str_eq(c.xb_path, "backend/vif/3/1");	/* derived from the name */
	ck_assert_uint_eq(c.domid, 3);
	ck_assert_uint_eq(c.devid, 1);
}
END_TEST

START_TEST(vif_missing)
{
	char *argv[] = { "vif-bridge", "online", NULL };
	char *envp[] = { "XENBUS_PATH=backend/vif/1/0", NULL };
	char *envp2[] = { "vif=vif1.0", NULL };
	unsigned int d, n;

	ck_assert_int_eq(parse(argv, envp), 0);
	ck_assert_int_lt(xnh_ctx_vif(&c), 0);
	ck_assert_str_eq(c.err, "vif is not set");
	ck_assert_int_eq(parse(argv, envp2), 0);
	ck_assert_int_lt(xnh_ctx_vif(&c), 0);
	ck_assert_str_eq(c.err, "XENBUS_PATH is not set");
	ck_assert(xnh_tap_name_parse("vif1.0", &d, &n) < 0);
	ck_assert(xnh_tap_name_parse("vifx.0-emu", &d, &n) < 0);
	ck_assert(xnh_tap_name_parse("vif1-emu", &d, &n) < 0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("ctx");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, libxl_call);
	tcase_add_test(tc, precedence);
	tcase_add_test(tc, xend_call);
	tcase_add_test(tc, flags);
	tcase_add_test(tc, caller_environment);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, ip_whitespace);
	tcase_add_test(tc, bad_environment);
	tcase_add_test(tc, no_command);
	tcase_add_test(tc, xenbus_paths);
	tcase_add_test(tc, tap_run);
	tcase_add_test(tc, vif_missing);
	suite_add_tcase(s, tc);
	return s;
}
