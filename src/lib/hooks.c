/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hooks.c: the administrator's vif-post.d/NAME.hook programs, run after a vif command. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xnethelper.h"

#define HOOK_MAX	32
#define HOOK_TIMEOUT_MS	10000		/* libxl kills the whole run at 40 s */

const char *xnh_hook_dir(void)
{
	const char *d = getenv("XNET_HOOK_DIR");

	return d && *d == '/' ? d : XEN_SCRIPT_DIR "/vif-post.d";
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_hook(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".hook");
}

/* The hook names, sorted, so that hooks run in a predictable order. */
static int list(const char *dir, char **names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d)) && *n < HOOK_MAX)
		if (is_hook(e->d_name) && (names[*n] = strdup(e->d_name)))
			(*n)++;
	closedir(d);
	qsort(names, *n, sizeof(*names), by_name);
	return 0;
}

static int wait_for(pid_t pid)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	int status, ms;

	for (ms = 0; ms < HOOK_TIMEOUT_MS; ms += 5) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIME;
}

/* Runs one hook with @envp, stdin from /dev/null; its exit status, or -errno. */
static int run_one(const char *path, char **envp)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)path, NULL };
	struct stat st;
	pid_t pid;
	int r;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return 0;	/* not executable: not a hook (as before) */
	if (xnh_trace("run hook %s", path))
		return 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	r = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	return r ? -r : wait_for(pid);
}

/* What the old scripts' hooks saw as shell variables, as environment:
 * every value here was validated before the run. */
static void make_env(const struct xnh_run *r, char buf[][XNH_VALUE_MAX + 16], char **envp)
{
	const struct xnh_ctx *c = &r->ctx;
	const char *v[][2] = {
		{ "command", c->command }, { "dev", c->dev }, { "vif", c->dev },
		{ "ip", c->val[XNH_K_IP] }, { "bridge", c->val[XNH_K_BRIDGE] },
		{ "XENBUS_PATH", c->xb_path }, { "main_ip", c->main_ip },
		{ "type_if", c->type_if == XNH_TYPE_TAP ? "tap" : "vif" },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i][1]) {
			snprintf(buf[n], sizeof(buf[n]), "%s=%s", v[i][0], v[i][1]);
			envp[n] = buf[n];
			n++;
		}
	envp[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	envp[n] = NULL;
}

/* Each hook in turn, after a vif command succeeded; a failing hook is
 * reported through @fail and the others still run. Returns how many failed. */
int xnh_hooks_run(const struct xnh_run *r, void (*fail)(const char *hook, int status))
{
	char *names[HOOK_MAX], path[512], buf[8][XNH_VALUE_MAX + 16], *envp[10];
	const char *dir = xnh_hook_dir();
	size_t i, n;
	int ret, failed = 0;

	if (list(dir, names, &n) < 0 || n == 0)
		return 0;
	make_env(r, buf, envp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		ret = run_one(path, envp);
		if (ret != 0) {
			fail(path, ret);
			failed++;
		}
		free(names[i]);
	}
	return failed;
}
