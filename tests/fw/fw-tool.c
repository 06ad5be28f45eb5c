/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-tool: the guest firewall API from the command line, for the scenario tests. */
#include <errno.h>
#include <stdint.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include "fw-tool.h"

static const char usage[] =
	"usage: fw-tool [verbose=yes] [dry_run=yes] [wait=LOCKFILE] COMMAND\n"
	"  add bridge|inet IFNAME [ifindex=N] [mac=MAC] [ip='ADDR...'] [antispoof=yes|no]\n"
	"    (no such interface and no ifindex=: a made-up index from the name)\n"
	"  sweep: delete the elements of every retired vif (fw-gone) now\n"
	"  del|check bridge|inet IFNAME\n"
	"  status bridge|inet\n"
	"  source add|del|check ADDR\n"
	"  nat add|del|check UPLINK\n"
	"  strict add|del|check BRIDGE\n"
	"  bench|bench-del bridge|inet COUNT [FIRST]: vifs b<FIRST>.., timed\n"
	"  stop bridge|inet SET: answers stopped part-way, then the next request\n";

static int table_of(const char *s, enum xnh_fw_table *t)
{
	if (!strcmp(s, "bridge") || !strcmp(s, "inet")) {
		*t = s[0] == 'b' ? XNH_FW_BRIDGE : XNH_FW_INET;
		return 0;
	}
	fprintf(stderr, "fw-tool: unknown table '%s'\n", s);
	return -EINVAL;
}

static int vif_opt(struct xnh_fw_vif *v, int *as, const char *a)
{
	bool yes;

	if (!strncmp(a, "mac=", 4)) {
		v->has_mac = true;
		return xnh_parse_mac(a + 4, v->mac);
	}
	if (!strncmp(a, "ip=", 3))
		return xnh_iplist_parse(a + 3, &v->ip);
	if (!strncmp(a, "ifindex=", 8)) {
		unsigned long ix;
		int r = xnh_parse_uint(a + 8, UINT32_MAX, &ix);

		v->ifindex = (uint32_t)ix;
		return r;
	}
	if (!strncmp(a, "antispoof=", 10)) {
		*as = xnh_parse_bool(a + 10, &yes) < 0 ? -1 : yes;
		return 0;
	}
	return -EINVAL;
}

/* Many vifs of the tests are names only: an index no interface has (the
 * kernel's run from 1 and never reach 2^30 in a test namespace). */
static uint32_t made_up_index(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return 0x40000000u | (h & 0x3fffffffu);
}

/* add: guarded as the programs decide (xnh_fw_policy), else removed. */
static int cmd_add(struct xnh_fw *fw, enum xnh_fw_table t, int argc, char **argv)
{
	struct xnh_fw_vif v;
	int i, as = -1, g;

	memset(&v, 0, sizeof(v));
	v.table = t;
	if (argc < 1 || xnh_valid_ifname(argv[0]) < 0)
		return -EINVAL;
	snprintf(v.ifname, sizeof(v.ifname), "%s", argv[0]);
	for (i = 1; i < argc; i++)
		if (vif_opt(&v, &as, argv[i]) < 0) {
			fprintf(stderr, "fw-tool: bad option '%s'\n", argv[i]);
			return -EINVAL;
		}
	g = xnh_fw_policy(t, &v.ip, v.has_mac, as);
	if (g < 0)
		return g;
	if (!v.ifindex && !if_nametoindex(v.ifname))
		v.ifindex = made_up_index(v.ifname);
	return g ? xnh_fw_vif_add(fw, &v) : xnh_fw_vif_del(fw, t, v.ifname);
}

static int cmd_check(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname)
{
	unsigned int have, want;
	int r = xnh_fw_vif_check(fw, t, ifname, &have, &want);

	if (r < 0)
		return r;
	printf("%u %u\n", have, want);
	return have && have == want ? 0 : 1;
}

static int cmd_status(struct xnh_fw *fw, enum xnh_fw_table t)
{
	struct xnh_fw_status st;
	int r = xnh_fw_status(fw, t, &st);

	if (r >= 0)
		printf("layout %d dropped %llu %llu\n", st.layout,
		       (unsigned long long)st.packets, (unsigned long long)st.bytes);
	return r;
}

/* nat|strict add|del|check NAME */
static int cmd_name(struct xnh_fw *fw, bool nat, const char *op, const char *name)
{
	int r;

	if (!strcmp(op, "check")) {
		r = nat ? xnh_fw_nat_uplink_check(fw, name) : xnh_fw_strict_check(fw, name);
		return r < 0 ? r : !r;
	}
	if (strcmp(op, "add") && strcmp(op, "del"))
		return -EINVAL;
	return nat ? xnh_fw_nat_uplink(fw, name, op[0] == 'a') :
		     xnh_fw_strict(fw, name, op[0] == 'a');
}

/* source add|del|check ADDR: a NAT guest's address in @nat_sources */
static int cmd_source(struct xnh_fw *fw, const char *op, const char *addr)
{
	struct xnh_inet a;
	int r;

	if (xnh_inet_parse(addr, &a) < 0 || a.family != AF_INET)
		return -EINVAL;
	if (!strcmp(op, "check")) {
		r = xnh_fw_nat_source_check(fw, &a);
		return r < 0 ? r : !r;
	}
	if (strcmp(op, "add") && strcmp(op, "del"))
		return -EINVAL;
	return xnh_fw_nat_source(fw, &a, op[0] == 'a');
}

static int run(struct xnh_fw *fw, int argc, char **argv)
{
	enum xnh_fw_table t;
	unsigned long n, first = 1;

	if (argc == 1 && !strcmp(argv[0], "sweep"))
		return xnh_fw_gone_sweep(fw);
	if (argc >= 2 && (!strcmp(argv[0], "nat") || !strcmp(argv[0], "strict")) && argc == 3)
		return cmd_name(fw, argv[0][0] == 'n', argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "source"))
		return cmd_source(fw, argv[1], argv[2]);
	if (argc < 2 || table_of(argv[1], &t) < 0)
		return -EINVAL;
	if (!strcmp(argv[0], "add"))
		return cmd_add(fw, t, argc - 2, argv + 2);
	if (!strcmp(argv[0], "del") && argc == 3)
		return xnh_fw_vif_del(fw, t, argv[2]);
	if (!strcmp(argv[0], "check") && argc == 3)
		return cmd_check(fw, t, argv[2]);
	if (!strcmp(argv[0], "status") && argc == 2)
		return cmd_status(fw, t);
	if (!strcmp(argv[0], "stop") && argc == 3)
		return stop(fw, t, argv[2]);
	if (strncmp(argv[0], "bench", 5) || argc < 3 || xnh_parse_uint(argv[2], 100000, &n) < 0 ||
	    (argc > 3 && xnh_parse_uint(argv[3], 100000, &first) < 0))
		return -EINVAL;
	if (!strcmp(argv[0], "bench"))
		return bench(fw, t, n, first);
	if (!strcmp(argv[0], "bench-del"))
		return bench_del(fw, t, n, first);
	return -EINVAL;
}

/* wait=LOCKFILE: start when whoever holds LOCKFILE lets go, so that many
 * runs reach the kernel at the same moment. */
static int wait_for(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || flock(fd, LOCK_SH) < 0)
		return -errno;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct xnh_fw fw = { 0 };
	bool dry = false, verbose = false;
	const char *lock = NULL;
	int i = 1, r;

	for (; i < argc && strchr(argv[i], '=') && strncmp(argv[i], "ip=", 3); i++) {
		if (!strcmp(argv[i], "dry_run=yes"))
			dry = true;
		else if (!strcmp(argv[i], "verbose=yes"))
			verbose = true;
		else if (!strncmp(argv[i], "wait=", 5))
			lock = argv[i] + 5;
		else
			break;
	}
	xnh_trace_setup(dry, verbose);
	r = xnh_fw_open(&fw);
	if (r >= 0 && lock)
		r = wait_for(lock);
	if (r < 0) {
		fprintf(stderr, "fw-tool: start: %s\n", strerror(-r));
		return 2;
	}
	r = run(&fw, argc - i, argv + i);
	xnh_fw_close(&fw);
	if (r == -EINVAL)
		fputs(usage, stderr);
	else if (r < 0)
		fprintf(stderr, "fw-tool: %s\n", strerror(-r));
	return r < 0 ? 2 : r;
}
