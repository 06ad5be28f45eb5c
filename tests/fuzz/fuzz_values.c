/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_values.c: libFuzzer target for names, numbers, MACs, paths and quoting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const char *s)
{
	unsigned int d, n, mtu;
	unsigned long v, max;
	uint8_t mac[6];
	bool b;

	if (xnh_valid_ifname(s) == 0 && (strlen(s) > 15 || strpbrk(s, "/ $;`|\n")))
		abort();
	if (xnh_parse_mtu(s, &mtu) == 0 && (mtu < XNH_MTU_MIN || mtu > XNH_MTU_MAX))
		abort();
	if (xnh_parse_uint(s, 1000, &v) == 0 && v > 1000)
		abort();
	for (max = 0; max < 12; max++)	/* small maxima: max - digit once wrapped */
		if (xnh_parse_uint(s, max, &v) == 0 && v > max)
			abort();
	if (xnh_xenbus_path_parse(s, &d, &n) == 0 && strstr(s, ".."))
		abort();
	xnh_tap_name_parse(s, &d, &n);
	xnh_parse_mac(s, mac);
	xnh_parse_bool(s, &b);
	xnh_valid_text(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), q[64];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_accepted(s);
	xnh_quote(s, q, sizeof(q));
	if (strlen(q) > 48 || strchr(q, '\n'))
		abort();
	free(s);
	return 0;
}
