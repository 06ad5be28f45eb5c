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
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "run/run.h"

#define HOOK_MAX	32
#define HOOK_LIST_MAX	1024		/* names read before sorting */
#define HOOK_TIMEOUT_MS	10000		/* each; libxl kills the whole run at 40 s */

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

/* The hook names, sorted, then the first HOOK_MAX of them: which hooks
 * run never depends on the order the filesystem lists them in. */
static int list(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t i, all = 0;
	char **v;

	*n = 0;
	*names = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	v = calloc(HOOK_LIST_MAX, sizeof(*v));
	while (v && (e = readdir(d)) && all < HOOK_LIST_MAX)
		if (is_hook(e->d_name) && (v[all] = strdup(e->d_name)))
			all++;
	closedir(d);
	if (!v)
		return -ENOMEM;
	qsort(v, all, sizeof(*v), by_name);
	if (all > HOOK_MAX) {
		xnh_log(LOG_WARNING, "%zu%s hooks in %s: only the first %d by name run (%s to %s)",
			all, all == HOOK_LIST_MAX ? " or more" : "", dir, HOOK_MAX, v[0],
			v[HOOK_MAX - 1]);
		for (i = HOOK_MAX; i < all; i++)
			free(v[i]);
		all = HOOK_MAX;
	}
	*names = v;
	*n = all;
	return 0;
}

/* Waits up to @ms for the hook; one that overruns is killed with the
 * processes it started (its own process group). */
static int wait_for(pid_t pid, long ms)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	int status;
	long t;

	for (t = 0; t < ms; t += 5) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		nanosleep(&tick, NULL);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIME;
}

/* Each hook's budget: XNET_HOOK_TIMEOUT seconds (tests), else 10 s. */
static long hook_budget_ms(void)
{
	const char *t = getenv("XNET_HOOK_TIMEOUT");
	unsigned long s;

	if (t && xnh_parse_uint(t, HOOK_TIMEOUT_MS / 1000, &s) == 0 && s > 0)
		return (long)s * 1000;
	return HOOK_TIMEOUT_MS;
}

/* Runs one hook with @envp, stdin from /dev/null, in a process group of
 * its own, for at most @ms; its exit status, or -errno (-ETIME: killed). */
static int run_one(const char *path, char **envp, long ms)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
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
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	r = posix_spawn(&pid, path, &fa, &at, argv, envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return r ? -r : wait_for(pid, ms);
}

static long ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
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
 * reported through @fail and the others still run. Each may take 10 s,
 * and all together must end by @deadline (inside libxl's 40 s for the
 * whole run): a hook that overruns is killed, and the hooks left when the
 * time is up do not run. Returns how many failed or did not run. */
int xnh_hooks_run(const struct xnh_run *r, const struct timespec *deadline,
		  void (*fail)(const char *hook, int status))
{
	char **names, path[512], buf[8][XNH_VALUE_MAX + 16], *envp[10];
	const char *dir = xnh_hook_dir();
	long budget = hook_budget_ms(), left;
	size_t i, n;
	int ret, failed = 0;

	if (list(dir, &names, &n) < 0 || n == 0) {
		free(names);
		return 0;
	}
	make_env(r, buf, envp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		left = ms_until(deadline);
		if (left <= 0) {
			xnh_log(LOG_WARNING, "hook %s not run: the run's time is up (libxl allows"
				" 40 s)", path);
			failed++;
		} else {
			ret = run_one(path, envp, left < budget ? left : budget);
			if (ret != 0) {
				fail(path, ret);
				failed++;
			}
		}
		free(names[i]);
	}
	free(names);
	return failed;
}
