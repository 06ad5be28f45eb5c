/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sys/: what one short-lived process needs from its host, below any
 * subsystem: the log (syslog, stderr, xen-hotplug.log), the trace of each
 * change (dry run, verbose, XNET_FAIL_AT), the watchdog that ends a stuck
 * run with a reason, sysctl files, and the files we own (the state
 * directory, atomic replacement, locks, the boot id). Uses text/ only. */
#ifndef XNH_SYS_H
#define XNH_SYS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

/* ---- trace.c: dry-run and verbose output of each change ---- */
void xnh_trace_setup(bool dry_run, bool verbose);
bool xnh_dry_run(void);
bool xnh_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *xnh_trace_last(void);
int xnh_fault(const char *step, int err);

/* ---- log.c: syslog (daemon) and stderr ---- */
void xnh_log_open(const char *ident, bool to_stderr);
void xnh_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int xnh_log_errno(int prio, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xnh_log_close(void);
const char *xnh_log_file(void);
void xnh_log_hotplug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- watchdog.c: a run that blocks ends with a reason (libxl kills at 40 s) ---- */
void xnh_watchdog_arm(const char *prog, unsigned long secs, const char *waiting);
void xnh_watchdog_waiting(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xnh_watchdog_disarm(void);

/* ---- sysctl.c ---- */
int xnh_sysctl_read(const char *path, char *buf, size_t len);
int xnh_sysctl_write(const char *path, const char *val);
int xnh_sysctl_dev(const char *family, const char *dev, const char *name, const char *val);

/* ---- file.c: files we own or edit ---- */
const char *xnh_state_dir(void);
int xnh_boot_id(char *buf, size_t len);
int xnh_state_path(const char *name, char *buf, size_t len);
int xnh_mkdir_p(const char *dir, unsigned int mode);
int xnh_state_mkdir(void);
int xnh_file_read(const char *path, char **buf, size_t *len);
int xnh_file_replace(const char *path, const char *data, size_t len, unsigned int mode);
int xnh_file_remove(const char *path);
int xnh_state_read(const char *name, char **buf);
int xnh_state_write(const char *name, const char *data, size_t len);
int xnh_state_remove(const char *name);
int xnh_lock(const char *name, int *fd);
void xnh_unlock(int fd);

#endif
