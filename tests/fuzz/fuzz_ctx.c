/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_ctx.c: libFuzzer target for the hotplug context (environment, argv, xenstore values). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

#define WORDS 32

/* Input: NUL-separated words; those before the first empty word are the
 * environment, the rest argv; a last word, if any, is a xenstore value
 * applied to a key chosen by the first byte. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *env[WORDS + 1], *argv[WORDS + 2], *p, *end;
	struct xnh_ctx c;
	size_t ne = 0, na = 1;
	bool in_env = true;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "vif-bridge";
	for (p = buf, end = buf + size; p < end; p += strlen(p) + 1) {
		if (!*p && in_env) {
			in_env = false;
			continue;
		}
		if (in_env && ne < WORDS)
			env[ne++] = p;
		else if (!in_env && na < WORDS)
			argv[na++] = p;
	}
	env[ne] = NULL;
	argv[na] = NULL;
	memset(&c, 0, sizeof(c));
	if (xnh_ctx_parse(&c, (int)na, argv, env) >= 0) {
		xnh_ctx_vif(&c);
		if (na > 1 && size)
			xnh_ctx_set(&c, (enum xnh_key)(data[0] % XNH_K_COUNT), argv[na - 1],
				    XNH_SRC_STORE);
	}
	if (memchr(c.err, '\n', sizeof(c.err)))
		abort();	/* a reason is always one line */
	xnh_ctx_free(&c);
	free(buf);
	return 0;
}
