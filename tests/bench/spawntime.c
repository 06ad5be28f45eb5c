/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spawntime: time commands started with posix_spawn, for scripts/bench.
 *   spawntime [-n RUNS] [-w WARMUP] [-t TIMED] -- CMD... [-- CMD...]
 *     a sequence, RUNS times: "median min p90 maxrss_kib" (us) of the first
 *     TIMED commands (all by default)
 *   spawntime -R FIRST:COUNT [-P JOBS] -- CMD...
 *     CMD once per number N in FIRST..FIRST+COUNT-1, "{}" in its words
 *     replaced by N, JOBS at a time (1): "total first100 last100 failed"
 *     (us; per-command means of the first and last hundred when JOBS is 1);
 *     -c FILE: each command's time there, "INDEX us" a line (JOBS 1) */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CMDS_MAX	8

extern char **environ;

struct bench {
	char **cmd[CMDS_MAX];
	int ncmd, runs, warmup, timed;
	long *us;
	long maxrss;
	long first, count;		/* -R */
	int jobs;			/* -P */
	FILE *curve;			/* -c */
};

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

/* Starts one command, output discarded: its pid, or -errno. */
static pid_t start(char **argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return r ? -r : pid;
}

/* Reaps @pid (or any child for -1): its exit status, or -errno. */
static int reap(pid_t pid, long *maxrss)
{
	struct rusage ru;
	int st;

	if (wait4(pid, &st, 0, &ru) < 0)
		return -errno;
	if (maxrss && ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs one command: its exit status, or -errno. */
static int run(char **argv, long *maxrss)
{
	pid_t pid = start(argv);

	return pid < 0 ? pid : reap(pid, maxrss);
}

/* @cmd with each "{}" replaced by @n, in @buf (words up to 64). */
static char **with_number(char **cmd, long n, char buf[][256], char **out)
{
	char num[24], *at;
	int i;

	snprintf(num, sizeof(num), "%ld", n);
	for (i = 0; cmd[i] && i < 63; i++) {
		at = strstr(cmd[i], "{}");
		if (!at) {
			out[i] = cmd[i];
			continue;
		}
		snprintf(buf[i], 256, "%.*s%s%s", (int)(at - cmd[i]), cmd[i], num, at + 2);
		out[i] = buf[i];
	}
	out[i] = NULL;
	return out;
}

/* -R: each number once, @b->jobs at a time. */
static int range(struct bench *b)
{
	static char buf[64][256];
	char *argv[64];
	long n, end = b->first + b->count, t0 = now_us(), t = t0, f100 = 0, l100 = 0;
	long k = b->count < 100 ? b->count : 100;
	int running = 0, failed = 0;

	for (n = b->first; n < end || running; ) {
		if (n < end && running < b->jobs) {
			t = now_us();
			if (start(with_number(b->cmd[0], n, buf, argv)) < 0)
				failed++;
			else
				running++;
			n++;
			if (b->jobs > 1)
				continue;
		}
		failed += reap(-1, NULL) != 0;
		running--;
		if (b->jobs == 1 && b->curve)
			fprintf(b->curve, "%ld %ld\n", n - 1 - b->first, now_us() - t);
		if (b->jobs == 1 && n - b->first <= k)
			f100 += now_us() - t;
		if (b->jobs == 1 && end - n < k)
			l100 += now_us() - t;
	}
	printf("%ld %ld %ld %d\n", now_us() - t0, f100 / k, l100 / k, failed);
	if (b->curve)
		fclose(b->curve);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static int iterate(struct bench *b, long *us)
{
	long start = now_us(), dummy = 0;
	int i, r;

	for (i = 0; i < b->ncmd; i++) {
		if (i == b->timed)
			*us = now_us() - start;
		r = run(b->cmd[i], i < b->timed ? &b->maxrss : &dummy);
		if (r) {
			fprintf(stderr, "spawntime: %s exited %d\n", b->cmd[i][0], r);
			return -1;
		}
	}
	if (b->timed >= b->ncmd)
		*us = now_us() - start;
	return 0;
}

/* Options, then commands separated by "--" (getopt takes the first). */
static int parse(struct bench *b, int argc, char **argv)
{
	int i, opt;

	while ((opt = getopt(argc, argv, "+n:w:t:R:P:c:")) != -1) {
		if (opt == 'R' && sscanf(optarg, "%ld:%ld", &b->first, &b->count) == 2)
			continue;
		if (opt == 'P')
			b->jobs = atoi(optarg);
		else if (opt == 'c' && !(b->curve = fopen(optarg, "w")))
			return -1;
		else if (opt == 'c')
			continue;
		else if (opt == 'n')
			b->runs = atoi(optarg);
		else if (opt == 'w')
			b->warmup = atoi(optarg);
		else if (opt == 't')
			b->timed = atoi(optarg);
		else
			return -1;
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind < argc)
		b->cmd[b->ncmd++] = &argv[optind];
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--"))
			continue;
		argv[i] = NULL;
		if (i + 1 < argc && b->ncmd < CMDS_MAX)
			b->cmd[b->ncmd++] = &argv[i + 1];
	}
	if (!b->ncmd || b->runs < 1 || b->jobs < 1 || b->count < 0)
		return -1;
	if (b->timed <= 0 || b->timed > b->ncmd)
		b->timed = b->ncmd;
	return 0;
}

/* Prints "median min p90 maxrss_kib" over the runs, in microseconds. */
int main(int argc, char **argv)
{
	struct bench b = { .runs = 20, .warmup = 2, .jobs = 1 };
	long *us;
	int i;

	if (parse(&b, argc, argv) < 0) {
		fprintf(stderr, "usage: spawntime [-n RUNS] [-w WARMUP] [-t TIMED] -- CMD... [-- CMD...]\n"
			"       spawntime -R FIRST:COUNT [-P JOBS] -- CMD...\n");
		return 2;
	}
	if (b.count)
		return range(&b);
	us = calloc((size_t)b.runs, sizeof(*us));
	if (!us)
		return 1;
	for (i = 0; i < b.warmup; i++)
		if (iterate(&b, &us[0]) < 0)
			return 1;
	b.maxrss = 0;
	for (i = 0; i < b.runs; i++)
		if (iterate(&b, &us[i]) < 0)
			return 1;
	qsort(us, (size_t)b.runs, sizeof(*us), cmp);
	printf("%ld %ld %ld %ld\n", us[b.runs / 2], us[0], us[b.runs * 9 / 10], b.maxrss);
	free(us);
	return 0;
}
