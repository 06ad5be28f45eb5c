/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_status.c: what `status` prints (text and JSON), its exit verdict, and its fixes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "xnethelper.h"

static FILE *out;
static int saved = -1;

/* stdout into a temporary file (each test runs in its own process). */
static void capture(void)
{
	fflush(stdout);
	out = tmpfile();
	ck_assert_ptr_nonnull(out);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(dup2(fileno(out), STDOUT_FILENO), 0);
}

static const char *captured(void)
{
	static char buf[4096];
	size_t n;

	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	rewind(out);
	n = fread(buf, 1, sizeof(buf) - 1, out);
	buf[n] = '\0';
	fclose(out);
	return buf;
}

START_TEST(text)
{
	struct xnh_status s;
	int ret;

	capture();
	xnh_status_begin(&s, false);
	xnh_status_check(&s, XNH_OK, "never shown", "vif1.0 is up");
	xnh_status_check(&s, XNH_FAIL, "ip link set dev vif1.0 master xenbr0",
			 "vif1.0 is a port of %s", "xenbr0");
	xnh_status_check(&s, XNH_WARN, "route add -host 10.0.0.1 gw 192.168.0.3", "a reminder");
	ret = xnh_status_end(&s);
	ck_assert_str_eq(captured(),
			 "ok    vif1.0 is up\n"
			 "FAIL  vif1.0 is a port of xenbr0\n"
			 "      fix: ip link set dev vif1.0 master xenbr0\n"
			 "warn  a reminder\n"
			 "      fix: route add -host 10.0.0.1 gw 192.168.0.3\n"
			 "FAIL: 3 checks, 1 failed, 1 warnings\n");
	ck_assert_int_eq(ret, 1);
}
END_TEST

/* Warnings are advice: they leave the verdict ok and the exit 0. */
START_TEST(json)
{
	struct xnh_status s;
	int ret;

	capture();
	xnh_status_begin(&s, true);
	xnh_status_check(&s, XNH_OK, "unused", "a \"quoted\" name");
	xnh_status_check(&s, XNH_WARN, "echo 1 > /proc/x\\y", "a\ttab");
	ret = xnh_status_end(&s);
	ck_assert_str_eq(captured(),
			 "{\"checks\": [\n"
			 "  {\"verdict\": \"ok\", \"check\": \"a \\\"quoted\\\" name\","
			 " \"fix\": null},\n"
			 "  {\"verdict\": \"warn\", \"check\": \"a\\u0009tab\","
			 " \"fix\": \"echo 1 > /proc/x\\\\y\"}\n"
			 "], \"failed\": 0, \"warnings\": 1, \"ok\": true}\n");
	ck_assert_int_eq(ret, 0);
}
END_TEST

START_TEST(fix_online)
{
	struct xnh_run r;
	char fix[200];

	memset(&r, 0, sizeof(r));
	r.ctx.prog = "vif-route";
	strcpy(r.ctx.dev, "vif1.0");
	strcpy(r.ctx.xb_path, "backend/vif/1/0");
	xnh_check_fix_online(&r, fix, sizeof(fix));
	ck_assert_str_eq(fix, "vif-route online vif=vif1.0 XENBUS_PATH=backend/vif/1/0");
	r.ctx.type_if = XNH_TYPE_TAP;
	strcpy(r.ctx.dev, "vif1.0-emu");
	xnh_check_fix_online(&r, fix, sizeof(fix));
	ck_assert_str_eq(fix, "vif-route add type_if=tap INTERFACE=vif1.0-emu"
			 " XENBUS_PATH=backend/vif/1/0");
	r.ctx.type_if = XNH_TYPE_VIF;
	r.ctx.prog = "vif-nat";
	strcpy(r.ctx.dev, "web0");
	r.ctx.xb_path[0] = '\0';	/* status by name, without xenstore */
	xnh_check_fix_online(&r, fix, sizeof(fix));
	ck_assert_str_eq(fix, "vif-nat online vif=web0 XENBUS_PATH=backend/vif/DOMID/DEVID");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("print");

	tcase_add_test(tc, text);
	tcase_add_test(tc, json);
	tcase_add_test(tc, fix_online);
	suite_add_tcase(s, tc);
	return s;
}
