/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* trace.c: print each change in the vocabulary of ip/nft; skip it in a dry run. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/sys.h"

static bool dry, verbose;
static char last[256];

void xnh_trace_setup(bool dry_run, bool verb)
{
	dry = dry_run;
	verbose = verb;
}

bool xnh_dry_run(void)
{
	return dry;
}

/* Called before every change the library makes; returns true when the
 * change must not be made (dry run). */
bool xnh_trace(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last, sizeof(last), fmt, ap);
	va_end(ap);
	if (!dry && !verbose)
		return false;
	printf("%s\n", last);
	fflush(stdout);
	return dry;
}

/* The change last attempted, in the words of xnh_trace(): a program names
 * the step that failed with it. */
const char *xnh_trace_last(void)
{
	return last;
}

/* Fault injection for the tests: XNET_FAIL_AT=STEP makes the named step
 * of an online fail with @err once its own change is made (the worst
 * moment), so that every step's rollback can be shown to fail closed. */
int xnh_fault(const char *step, int err)
{
	const char *at = getenv("XNET_FAIL_AT");

	return at && !strcmp(at, step) ? err : 0;
}
