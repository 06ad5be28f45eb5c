/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spawntime: time command sequences started with posix_spawn, for scripts/bench. */
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
};

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

/* Runs one command, output discarded; its exit status, or -errno. */
static int run(char **argv, long *maxrss)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;
	int st, r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r)
		return -r;
	if (wait4(pid, &st, 0, &ru) < 0)
		return -errno;
	if (ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
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

	while ((opt = getopt(argc, argv, "+n:w:t:")) != -1) {
		if (opt == 'n')
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
	if (!b->ncmd || b->runs < 1)
		return -1;
	if (b->timed <= 0 || b->timed > b->ncmd)
		b->timed = b->ncmd;
	return 0;
}

/* Prints "median min p90 maxrss_kib" over the runs, in microseconds. */
int main(int argc, char **argv)
{
	struct bench b = { .runs = 20, .warmup = 2 };
	long *us;
	int i;

	if (parse(&b, argc, argv) < 0) {
		fprintf(stderr, "usage: spawntime [-n RUNS] [-w WARMUP] [-t TIMED] -- CMD... [-- CMD...]\n");
		return 2;
	}
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
