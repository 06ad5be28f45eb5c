/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_inet.c: libFuzzer target for addresses and `ip` lists, with a round trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct xnh_inet *in)
{
	struct xnh_inet again;
	char text[64];

	if (xnh_inet_format(in, true, text, sizeof(text)) < 0 ||
	    xnh_inet_parse(text, &again) < 0 || again.family != in->family ||
	    again.prefix != in->prefix || memcmp(&again.a, &in->a, xnh_inet_len(in)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct xnh_iplist l;
	struct xnh_inet in;
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (xnh_inet_parse(s, &in) == 0)
		round_trip(&in);
	if (xnh_iplist_parse(s, &l) == 0) {
		if (l.n > XNH_IP_MAX)
			abort();
		for (i = 0; i < l.n; i++)
			round_trip(&l.e[i]);
	}
	free(s);
	return 0;
}
