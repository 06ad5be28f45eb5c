/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main.c: the driver every program shares: parse, validate, dispatch, report. */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "store/store.h"
#include "net/net.h"
#include "run/run.h"

extern char **environ;

/* One step of an online: its result, or the injected failure after it. */
int xnh_step(struct xnh_run *r, const char *step, int ret)
{
	if (ret < 0 || !xnh_fault(step, -EIO))
		return ret;
	return xnh_ctx_fail(&r->ctx, -EIO, "%s: failure injected at step %s (XNET_FAIL_AT)",
			    r->ctx.dev, step);
}

/* The lock every run of a program shares (state directory, @name.lock):
 * one run at a time checks which addresses are taken and takes its own. */
int xnh_run_lock(struct xnh_run *r, const char *name, int *fd)
{
	int ret = xnh_lock(name, fd);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot lock %s/%s", xnh_state_dir(), name);
	return 0;
}

#define RUN_TIMEOUT	30	/* s: the program's own work (xenstore, netlink, locks) */
#define RUN_DEADLINE	38	/* s: the whole run, hooks included; libxl kills at 40 s */

/* A blocked run (a xenstored that accepts but never answers, a lock held
 * by a stuck run) ends with a reason before libxl's own 40 s kill;
 * XNET_TIMEOUT shortens it for tests. The hooks run after it is disarmed,
 * on their own budget. */
static void arm_watchdog(const char *prog)
{
	const char *t = getenv("XNET_TIMEOUT");
	unsigned long secs = RUN_TIMEOUT;
	char what[160];

	if (t && xnh_parse_uint(t, RUN_TIMEOUT, &secs) < 0)
		secs = RUN_TIMEOUT;
	snprintf(what, sizeof(what), "is xenstored at %s responding?", xnh_store_socket());
	xnh_watchdog_arm(prog, secs, what);
}

static const struct xnh_cmd *find_cmd(const struct xnh_prog *p, const char *name)
{
	const struct xnh_cmd *c;

	for (c = p->cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int options(const struct xnh_prog *p, int argc, char **argv)
{
	if (argc < 2)
		return 0;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage: %s %s\n", p->name, p->usage);
		return 1;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("%s (%s) %s\n", p->name, PACKAGE_NAME, PACKAGE_VERSION);
		return 1;
	}
	return 0;
}

/* libxl runs online/offline with type_if=vif and add/remove with
 * type_if=tap; the other pairings are not ours to act on (as before). */
static bool not_for_us(const struct xnh_run *r)
{
	bool tap = r->ctx.type_if == XNH_TYPE_TAP;

	if (xnh_cmd_is(r, "online") || xnh_cmd_is(r, "offline"))
		return tap;
	if (xnh_cmd_is(r, "add") || xnh_cmd_is(r, "remove"))
		return !tap;
	return false;
}

static int open_store(struct xnh_run *r)
{
	int ret = xnh_store_open(&r->st);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot connect to xenstored at %s",
					  xnh_store_socket());
	return 0;
}

static bool readonly(const struct xnh_run *r)
{
	return r->cmd && (r->cmd->flags & XNH_CMD_READONLY);
}

/* Everything read and checked before the first change. A read-only
 * command may name just the vif: then it goes without xenstore. */
static int prepare_vif(const struct xnh_prog *p, struct xnh_run *r)
{
	int ret = xnh_ctx_vif(&r->ctx);

	if (ret < 0 && readonly(r) && !r->ctx.val[XNH_K_XENBUS_PATH] && r->ctx.dev[0]) {
		r->ctx.err[0] = '\0';
		return 0;
	}
	if (ret < 0 || not_for_us(r))
		return ret;
	ret = open_store(r);
	if (ret >= 0)	/* unlisted: each key read asks xenstore */
		xnh_store_list(&r->st, r->ctx.xb_path);
	if (ret >= 0)
		ret = xnh_ctx_load_store(&r->ctx, &r->st, p->flags & XNH_PROG_BRIDGE);
	if (ret >= 0)
		ret = xnh_vifname_load(r);
	return ret;
}

/* The kernel's own words for a netlink failure (extended ack), after
 * ours: "add vif1.0 to bridge xenbr0: Too many levels of symbolic links
 * (kernel: Can not enslave a bridge to a bridge)". */
static void kernel_reason(struct xnh_run *r, int ret)
{
	const char *k = xnh_nl_ext_msg(&r->nl, ret);
	size_t n = strlen(r->ctx.err);

	if (k && !strstr(r->ctx.err, k))
		snprintf(r->ctx.err + n, sizeof(r->ctx.err) - n, " (kernel: %s)", k);
}

/* Fail closed: what a successful handler did is taken back when a later
 * step fails. The reason reported stays the first failure's. */
static void undo(struct xnh_run *r)
{
	char err[sizeof(r->ctx.err)];
	int (*fn)(struct xnh_run *) = r->undo;
	int ret;

	memcpy(err, r->ctx.err, sizeof(err));
	r->undo = NULL;
	ret = fn(r);
	if (ret < 0)
		xnh_log(LOG_WARNING, "undoing %s %s: %s", r->ctx.command, r->ctx.dev, r->ctx.err);
	memcpy(r->ctx.err, err, sizeof(err));
}

/* XNET_STATE_DIR and XNET_HOOK_DIR are absolute or unset: a relative one
 * would depend on the caller's working directory (and once fell back to
 * the default without a word). */
static int check_dirs(struct xnh_ctx *c)
{
	static const char *const vars[] = { "XNET_STATE_DIR", "XNET_HOOK_DIR" };
	const char *v;
	char q[64];
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = getenv(vars[i]);
		if (v && *v && *v != '/') {
			xnh_quote(v, q, sizeof(q));
			return xnh_ctx_fail(c, -EINVAL, "%s must be an absolute path (not '%s')",
					    vars[i], q);
		}
	}
	return 0;
}

static int run(const struct xnh_prog *p, struct xnh_run *r, int argc, char **argv)
{
	struct xnh_ctx *c = &r->ctx;
	char q[64];
	int ret;

	ret = xnh_ctx_parse(c, argc, argv, environ);
	if (ret >= 0)
		ret = check_dirs(c);
	if (ret >= 0 && !(r->cmd = find_cmd(p, c->command))) {
		xnh_quote(c->command, q, sizeof(q));
		ret = xnh_ctx_fail(c, -EINVAL, "unknown command '%s' (usage: %s %s)", q,
				   p->name, p->usage);
	}
	xnh_trace_setup(xnh_ctx_bool(c, XNH_K_DRY_RUN, false),
			xnh_ctx_bool(c, XNH_K_VERBOSE, false));
	if (ret >= 0 && (p->flags & XNH_PROG_VIF)) {
		ret = prepare_vif(p, r);
		if (ret >= 0 && not_for_us(r)) {
			r->skipped = true;
			return 0;
		}
	}
	if (ret >= 0) {
		ret = xnh_nl_open(&r->nl);
		if (ret < 0)
			xnh_ctx_fail_errno(c, ret, "cannot open rtnetlink");
	}
	if (ret >= 0 && (p->flags & XNH_PROG_VIF) && !xnh_cmd_up(r) && !readonly(r))
		ret = xnh_vif_mine(r);
	if (ret >= 0)
		ret = r->cmd->fn(r);
	if (ret == 0 && (p->flags & XNH_PROG_VIF) && xnh_cmd_is(r, "online"))
		ret = xnh_step(r, "report", xnh_report_connected(r));
	if (ret < 0)
		kernel_reason(r, ret);	/* before an undo talks to the kernel again */
	if (ret < 0 && r->undo)
		undo(r);
	if (ret < 0)
		xnh_vif_rename_undo(r);
	return ret;
}

static void hook_failed(const char *hook, int status)
{
	if (status == -ETIME)
		xnh_log(LOG_WARNING, "hook %s overran its time and was killed", hook);
	else if (status < 0)
		xnh_log(LOG_WARNING, "hook %s: %s", hook, strerror(-status));
	else
		xnh_log(LOG_WARNING, "hook %s exited with status %d", hook, status);
}

/* An online that worked: does another owner's firewall drop the guest?
 * Its bridge is the vif's master now; a master that is no Linux bridge
 * (Open vSwitch) is seen by no forward chain. */
static void warn_others(struct xnh_run *r)
{
	struct xnh_others o = { .vif = r->ctx.dev, .families = xnh_others_families(&r->ctx.ip) };
	struct xnh_link vif, br;

	if (r->at == XNH_AT_SWITCH)
		return;
	if (r->at == XNH_AT_BRIDGE)
		o.bridge = r->bridge;
	if (r->at != XNH_AT_UNKNOWN) {
		xnh_warn_others(&o);
		return;
	}
	if (xnh_link_get(&r->nl, r->ctx.dev, &vif) < 0)
		return;
	if (vif.master) {
		if (xnh_link_get_index(&r->nl, vif.master, &br) < 0 || !xnh_link_is_bridge(&br))
			return;
		o.bridge = br.name;
	}
	xnh_warn_others(&o);
}

/* The line the old scripts' callers find in xen-hotplug.log; a dry run
 * leaves no trace. */
static void log_run(const struct xnh_run *r, int ret)
{
	const struct xnh_ctx *c = &r->ctx;
	const char *dev = c->dev[0] ? c->dev : "-";

	if (xnh_dry_run())
		return;
	if (ret < 0)
		xnh_log_hotplug("%s %s: error: %s", c->command ? c->command : "-", dev, c->err);
	else
		xnh_log_hotplug("%s %s: ok", c->command, dev);
}

int xnh_main(const struct xnh_prog *p, int argc, char **argv)
{
	struct timespec deadline;
	struct xnh_run r;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += RUN_DEADLINE;
	memset(&r, 0, sizeof(r));
	r.ctx.prog = p->name;
	if (options(p, argc, argv))
		return 0;
	xnh_log_open(p->name, true);
	arm_watchdog(p->name);
	ret = run(p, &r, argc, argv);
	if (ret < 0) {
		if (!r.ctx.err[0])
			snprintf(r.ctx.err, sizeof(r.ctx.err), "%s %s failed: %s",
				 r.ctx.command ? r.ctx.command : "", r.ctx.dev, strerror(-ret));
		xnh_log(LOG_ERR, "%s", r.ctx.err);
		if ((p->flags & XNH_PROG_VIF) && !readonly(&r))
			xnh_report_error(&r, ret);
	} else if (ret == 0 && r.ctx.command && !readonly(&r)) {
		/* only when asked: syslog loads the time zone and connects to
		 * /dev/log, ~30 us of every hotplug, for a line that
		 * xen-hotplug.log holds anyway */
		if (xnh_ctx_bool(&r.ctx, XNH_K_VERBOSE, false))
			xnh_log(LOG_DEBUG, "%s %s: done", r.ctx.command, r.ctx.dev);
		if ((p->flags & XNH_PROG_VIF) && !r.skipped && xnh_cmd_up(&r) && !xnh_dry_run())
			warn_others(&r);
		xnh_watchdog_disarm();
		if ((p->flags & XNH_PROG_VIF) && !r.skipped)
			xnh_hooks_run(&r, &deadline, hook_failed);
	}
	if (!readonly(&r))
		log_run(&r, ret);
	xnh_nl_close(&r.nl);
	xnh_store_close(&r.st);
	xnh_ctx_free(&r.ctx);
	xnh_log_close();
	return ret != 0 ? 1 : 0;
}
