/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log.c: syslog (facility daemon), stderr, and the Xen hotplug log file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "sys/sys.h"

static bool stderr_too;
static const char *ident = "xnet";

void xnh_log_open(const char *name, bool to_stderr)
{
	ident = name;
	stderr_too = to_stderr;
	openlog(name, LOG_PID, LOG_DAEMON);
}

__attribute__((format(printf, 2, 0)))
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

/* XNET_HOTPLUG_LOG, else the file the old scripts appended to. */
const char *xnh_log_file(void)
{
	const char *f = getenv("XNET_HOTPLUG_LOG");

	return f && *f ? f : "/var/log/xen/xen-hotplug.log";
}

static int open_log(const char *path)
{
	char dir[256], *slash;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0 || errno != ENOENT)
		return fd;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return -1;
	*slash = '\0';
	if (xnh_mkdir_p(dir, 0755) < 0)
		return -1;
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

/* One line per run, appended in a single write (O_APPEND keeps the lines
 * of concurrent runs whole); "none" turns it off. */
void xnh_log_hotplug(const char *fmt, ...)
{
	const char *path = xnh_log_file();
	char line[640], when[32];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	int n, fd;

	if (!strcmp(path, "none"))
		return;
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s %s[%d]: ", when, ident, (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	fd = open_log(path);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) < 0)
		syslog(LOG_WARNING, "cannot append to %s: %m", path);
	close(fd);
}
