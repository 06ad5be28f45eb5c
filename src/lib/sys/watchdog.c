/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* watchdog.c: a run that blocks ends with a reason before libxl kills it.
 *
 * One alarm; what the run waits for now (xenstored by default, a lock
 * while it waits for one) names itself in the message the alarm prints. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/sys.h"

static char msg[320];
static char waiting_default[192];
static const char *prog = "xnet";
static unsigned long secs;

static void timed_out(int sig)
{
	ssize_t n = write(STDERR_FILENO, msg, strlen(msg));

	(void)sig;
	(void)n;
	_exit(1);
}

/* What the run waits for now, for the message; NULL: the default that
 * xnh_watchdog_arm() was given. */
void xnh_watchdog_waiting(const char *fmt, ...)
{
	char what[192];
	va_list ap;

	if (!fmt) {
		snprintf(what, sizeof(what), "%s", waiting_default);
	} else {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
	}
	snprintf(msg, sizeof(msg), "%s: no answer after %lu s (%s)\n", prog, secs, what);
}

void xnh_watchdog_arm(const char *name, unsigned long s, const char *waiting)
{
	prog = name;
	secs = s;
	snprintf(waiting_default, sizeof(waiting_default), "%s", waiting);
	xnh_watchdog_waiting(NULL);
	signal(SIGALRM, timed_out);
	alarm((unsigned int)s);
}

void xnh_watchdog_disarm(void)
{
	alarm(0);
}
