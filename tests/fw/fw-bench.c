/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-bench.c: fw-tool bench: many vifs added through the real code path, timed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw-tool.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* vif <i>: "b<i>", MAC 02:00:00:<i>, 10.<i>/32 and fd00::<i>. */
static void vif_n(struct xnh_fw_vif *v, enum xnh_fw_table t, unsigned long i)
{
	char ip[96];

	memset(v, 0, sizeof(*v));
	v->table = t;
	snprintf(v->ifname, sizeof(v->ifname), "b%lu", i);
	v->ifindex = 0x40000000u + (uint32_t)i;	/* names only: an index no interface has */
	v->has_mac = true;
	v->mac[0] = 2;
	v->mac[3] = (uint8_t)(i >> 16);
	v->mac[4] = (uint8_t)(i >> 8);
	v->mac[5] = (uint8_t)i;
	snprintf(ip, sizeof(ip), "10.%lu.%lu.%lu fd00::%lx", (i >> 16) & 255, (i >> 8) & 255,
		 i & 255, i);
	xnh_iplist_parse(ip, &v->ip);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median time of the adds around the k-th (k-4 .. k+5): one slow
 * add (the machine busy elsewhere) does not make the figure. */
static double around(const double *us, unsigned long n, unsigned long k)
{
	unsigned long lo = k > 5 ? k - 4 : 1, hi = k + 5 < n ? k + 5 : n;
	double w[10];

	memcpy(w, us + lo - 1, (hi - lo + 1) * sizeof(*w));
	qsort(w, hi - lo + 1, sizeof(*w), cmp_double);
	return w[(hi - lo) / 2];
}

/* Adds vifs first .. first+count-1, one xnh_fw_vif_add() each, and prints
 * the time of the adds around the 1st, 10th, 100th, 1000th, ... */
int bench(struct xnh_fw *fw, enum xnh_fw_table t, unsigned long count, unsigned long first)
{
	double *us = calloc(count + 1, sizeof(*us)), t0, total = 0;
	struct xnh_fw_vif v;
	unsigned long i, k;
	int r = 0;

	if (!us)
		return -ENOMEM;
	for (i = 0; i < count && r >= 0; i++) {
		vif_n(&v, t, first + i);
		t0 = now_us();
		r = xnh_fw_vif_add(fw, &v);
		us[i] = now_us() - t0;
		total += us[i];
	}
	if (r >= 0 && count)
		printf("add #%lu: %.0f us (the first: it may make the table)\n", first, us[0]);
	for (k = 10; r >= 0 && k <= count; k *= 10)
		printf("add #%lu: %.0f us (median of the 10 adds around it)\n", first + k - 1,
		       around(us, count, k));
	if (r >= 0 && count)
		printf("total %lu adds: %.1f ms, %.0f us each\n", count, total / 1e3,
		       total / (double)count);
	free(us);
	return r;
}

/* Deletes vifs first .. first+count-1, one xnh_fw_vif_del() each. */
int bench_del(struct xnh_fw *fw, enum xnh_fw_table t, unsigned long count, unsigned long first)
{
	char name[XNH_IFNAMSIZ];
	double t0 = now_us();
	unsigned long i;
	int r = 0;

	for (i = 0; i < count && r >= 0; i++) {
		snprintf(name, sizeof(name), "b%lu", first + i);
		r = xnh_fw_vif_del(fw, t, name);
	}
	if (r >= 0 && count)
		printf("total %lu deletes: %.1f ms, %.0f us each\n", count, (now_us() - t0) / 1e3,
		       (now_us() - t0) / (double)count);
	return r;
}
