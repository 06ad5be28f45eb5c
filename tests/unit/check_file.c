/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_file.c: atomic replacement, symlinks edited where they point, locks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "xnethelper.h"

static char dir[] = "/tmp/xnet-unit.XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XNET_STATE_DIR", dir, 1);
}

static void teardown(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/xnet-unit.XXXXXX");
}

static char *path_in(const char *name)
{
	static char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

START_TEST(replace_and_read)
{
	char *buf;
	size_t len;
	struct stat st;

	ck_assert_int_eq(xnh_file_read(path_in("a.conf"), &buf, &len), -ENOENT);
	ck_assert_int_eq(xnh_file_replace(path_in("a.conf"), "one\n", 4, 0640), 0);
	ck_assert_int_eq(xnh_file_read(path_in("a.conf"), &buf, &len), 0);
	ck_assert_str_eq(buf, "one\n");
	ck_assert_uint_eq(len, 4);
	free(buf);
	ck_assert_int_eq(stat(path_in("a.conf"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	/* a replacement keeps the file's mode, whatever is asked */
	ck_assert_int_eq(chmod(path_in("a.conf"), 0604), 0);
	ck_assert_int_eq(xnh_file_replace(path_in("a.conf"), "two\n", 4, 0600), 0);
	ck_assert_int_eq(stat(path_in("a.conf"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0604);
	ck_assert_int_eq(xnh_file_read(path_in("a.conf"), &buf, NULL), 0);
	ck_assert_str_eq(buf, "two\n");
	free(buf);
}
END_TEST

START_TEST(symlinks)
{
	char *buf, real[128];
	struct stat st;

	snprintf(real, sizeof(real), "%s", path_in("real.conf"));
	ck_assert_int_eq(xnh_file_replace(real, "old\n", 4, 0644), 0);
	ck_assert_int_eq(symlink("real.conf", path_in("link.conf")), 0);
	ck_assert_int_eq(xnh_file_replace(path_in("link.conf"), "new\n", 4, 0644), 0);
	ck_assert_int_eq(lstat(path_in("link.conf"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(xnh_file_read(real, &buf, NULL), 0);
	ck_assert_str_eq(buf, "new\n");
	free(buf);
	/* dangling: the file it names is created */
	ck_assert_int_eq(symlink("later.conf", path_in("dangling.conf")), 0);
	ck_assert_int_eq(xnh_file_replace(path_in("dangling.conf"), "x\n", 2, 0644), 0);
	ck_assert_int_eq(lstat(path_in("dangling.conf"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(xnh_file_read(path_in("later.conf"), &buf, NULL), 0);
	ck_assert_str_eq(buf, "x\n");
	free(buf);
}
END_TEST

START_TEST(locks)
{
	int a = -1, b = -1;
	pid_t pid;
	int status;

	ck_assert_int_eq(xnh_lock("dhcp", &a), 0);
	ck_assert_int_ge(a, 0);
	pid = fork();
	if (pid == 0) {
		/* held by the parent: a non-blocking attempt must fail */
		char p[128];
		FILE *f;

		snprintf(p, sizeof(p), "%s/dhcp.lock", dir);
		f = fopen(p, "r");
		_exit(f && flock(fileno(f), LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	xnh_unlock(a);
	ck_assert_int_eq(xnh_lock("dhcp", &b), 0);
	xnh_unlock(b);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replace_and_read);
	tcase_add_test(tc, symlinks);
	tcase_add_test(tc, locks);
	suite_add_tcase(s, tc);
	return s;
}
