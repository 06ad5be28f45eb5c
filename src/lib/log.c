/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log.c: one line per event to syslog (facility daemon) and stderr. */
#include <stdio.h>
#include <string.h>

#include "xnethelper.h"

static bool stderr_too;
static const char *ident = "xnet";

void xnh_log_open(const char *name, bool to_stderr)
{
	ident = name;
	stderr_too = to_stderr;
	openlog(name, LOG_PID, LOG_DAEMON);
}

static void vlog(int prio, const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	syslog(prio, "%s", line);
	if (stderr_too && prio <= LOG_NOTICE)
		fprintf(stderr, "%s: %s\n", ident, line);
}

void xnh_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(prio, fmt, ap);
	va_end(ap);
}

/* Logs "<message>: <strerror>" and hands @err back, so that a caller can
 * `return xnh_log_errno(LOG_ERR, r, "...")`. */
int xnh_log_errno(int prio, int err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xnh_log(prio, "%s: %s", msg, strerror(err < 0 ? -err : err));
	return err;
}

void xnh_log_close(void)
{
	closelog();
}
