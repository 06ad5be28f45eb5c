/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* trace.c: print each change in the vocabulary of ip/nft; skip it in a dry run. */
#include <stdio.h>

#include "xnethelper.h"

static bool dry, verbose;

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

	if (!dry && !verbose)
		return false;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return dry;
}
