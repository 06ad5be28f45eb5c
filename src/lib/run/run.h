/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run/: one hotplug run, from argv to exit status: its parameters (argv,
 * the environment, the vif's xenstore keys) and their checks, the shared
 * driver that turns a program's table of handlers into a run (lock,
 * watchdog, dispatch), the vif's name (`vifname`), hotplug-status and
 * hotplug-error, the vif-post.d hooks, and the shape of every `status`
 * (status.c) with the checks several programs make (check.c). Uses text/,
 * sys/, store/ and net/; the feature subsystems above it use it. */
#ifndef XNH_RUN_H
#define XNH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "text/text.h"
#include "store/store.h"
#include "net/net.h"

struct xnh_run;

/* ---- hotplug.c: the parameters of one run ---- */
enum xnh_key {
	XNH_K_VIF,
	XNH_K_TYPE_IF,
	XNH_K_INTERFACE,
	XNH_K_XENBUS_PATH,
	XNH_K_NETDEV,
	XNH_K_BRIDGE,
	XNH_K_IP,
	XNH_K_DHCP,
	XNH_K_ANTISPOOF,
	XNH_K_DRY_RUN,
	XNH_K_VERBOSE,
	XNH_K_JSON,
	XNH_K_FORCE,
	XNH_K_COUNT
};

enum xnh_src { XNH_SRC_NONE, XNH_SRC_ENV, XNH_SRC_ARG, XNH_SRC_STORE };

enum xnh_type_if { XNH_TYPE_VIF, XNH_TYPE_TAP };

struct xnh_ctx {
	const char *prog;
	const char *command;
	const char *val[XNH_K_COUNT];	/* NULL when unset; never "" */
	enum xnh_src src[XNH_K_COUNT];
	char *owned[XNH_K_COUNT];	/* values read from xenstore */
	char *ip_spaced;		/* `ip` with its tabs and newlines made spaces */
	enum xnh_type_if type_if;
	char dev[XNH_IFNAMSIZ];		/* the interface acted on */
	char vifname[XNH_IFNAMSIZ];	/* xenstore `vifname` (+ "-emu" for a tap) */
	char renamed_from[XNH_IFNAMSIZ];	/* this run renamed dev from it */
	char xb_path[96];		/* XENBUS_PATH, validated */
	unsigned int domid, devid;
	struct xnh_iplist ip;
	char main_ip[64];		/* vif-route/vif-nat: dom0's address, for hooks */
	char err[256];			/* the one-line reason of a failure */
};

const char *xnh_key_name(enum xnh_key k);
int xnh_ctx_parse(struct xnh_ctx *c, int argc, char **argv, char **envp);
int xnh_ctx_set(struct xnh_ctx *c, enum xnh_key k, const char *v, enum xnh_src src);
int xnh_ctx_check(struct xnh_ctx *c, enum xnh_key k);
int xnh_ctx_vif(struct xnh_ctx *c);
int xnh_ctx_load_store(struct xnh_ctx *c, struct xnh_store *st, bool bridge);
bool xnh_ctx_bool(const struct xnh_ctx *c, enum xnh_key k, bool def);
int xnh_ctx_fail(struct xnh_ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xnh_ctx_fail_errno(struct xnh_ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xnh_ctx_free(struct xnh_ctx *c);

/* ---- status.c: what `status` commands print ---- */
enum xnh_verdict { XNH_OK, XNH_WARN, XNH_FAIL };

struct xnh_status {
	bool json;
	unsigned int n, failed, warned;
};

void xnh_status_begin(struct xnh_status *s, bool json);
void xnh_status_check(struct xnh_status *s, enum xnh_verdict v, const char *fix,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int xnh_status_end(struct xnh_status *s);

/* ---- check.c: checks several `status` commands make (one line each) ---- */
struct xnh_sysctl_check {
	const char *what;		/* the claim: "IPv4 forwarding is on" */
	const char *path;		/* under /proc/sys */
	const char *want;
	const char *all;		/* a conf/all twin that does as well (proxy_arp), or NULL */
	enum xnh_verdict bad;		/* when it is not @want: XNH_FAIL, or XNH_WARN */
	const char *by;			/* whose job it is: "network-route start", or NULL */
};

void xnh_check_fix_online(const struct xnh_run *r, char *buf, size_t len);
enum xnh_verdict xnh_check_sysctl(struct xnh_status *s, const struct xnh_sysctl_check *c);
enum xnh_verdict xnh_check_dev_sysctl(struct xnh_status *s, struct xnh_sysctl_check *c,
				      const char *family, const char *dev, const char *name,
				      bool or_all);
void xnh_check_hotplug(struct xnh_run *r, struct xnh_status *s);
enum xnh_verdict xnh_check_addr(struct xnh_run *r, struct xnh_status *s,
				const struct xnh_link *l, const struct xnh_inet *a,
				const char *why);
enum xnh_verdict xnh_check_route(struct xnh_run *r, struct xnh_status *s, const char *dev,
				 const struct xnh_route *rt);

/* ---- others.c: other owners' firewalls that drop a guest (foreign/) ---- */
struct xnh_others {
	const char *vif;		/* NULL: any guest (of @bridge, or vif*) */
	const char *bridge;		/* NULL: a routed or NAT guest */
	const char *uplink;		/* where its traffic leaves, or NULL */
	int families;			/* XNF_IPV4 | XNF_IPV6 */
};

int xnh_others_families(const struct xnh_iplist *ip);
void xnh_check_others(struct xnh_status *s, const struct xnh_others *o);
void xnh_warn_others(const struct xnh_others *o);

/* ---- main.c: the shared driver; each program is a table of handlers ---- */
struct xnh_run {
	struct xnh_ctx ctx;
	struct xnh_store st;
	struct xnh_nl nl;
	const struct xnh_cmd *cmd;
	bool skipped;			/* a run that was not ours (type_if mismatch) */
	/* Set by an online once it has made its changes: a failure after
	 * that (reporting connected) runs it to take them back. */
	int (*undo)(struct xnh_run *r);
	/* Where a successful online put the vif, so that the check of other
	 * owners' firewalls after it looks nothing up: on Linux bridge
	 * @bridge, routed (no bridge), or on a switch no forward chain sees
	 * (Open vSwitch); unknown: looked up. */
	enum xnh_at { XNH_AT_UNKNOWN, XNH_AT_BRIDGE, XNH_AT_ROUTED, XNH_AT_SWITCH } at;
	char bridge[XNH_IFNAMSIZ];
};

typedef int (*xnh_handler)(struct xnh_run *r);

struct xnh_cmd {
	const char *name;
	xnh_handler fn;
	unsigned int flags;		/* XNH_CMD_* */
};

/* A read-only command (status): XENBUS_PATH optional, nothing written to
 * xenstore or the hotplug log, no hooks; its handler returns 1 when a
 * check failed (exit 1 without a hotplug-error). */
#define XNH_CMD_READONLY	0x1

#define XNH_PROG_VIF	0x1		/* a per-vif program: needs XENBUS_PATH */
#define XNH_PROG_BRIDGE	0x2		/* it reads the vif's `bridge` key */

struct xnh_prog {
	const char *name;
	unsigned int flags;
	const char *usage;
	const struct xnh_cmd *cmds;	/* ends with { NULL, NULL } */
};

int xnh_main(const struct xnh_prog *p, int argc, char **argv);
bool xnh_cmd_is(const struct xnh_run *r, const char *name);
bool xnh_cmd_up(const struct xnh_run *r);
int xnh_step(struct xnh_run *r, const char *step, int ret);
int xnh_run_lock(struct xnh_run *r, const char *name, int *fd);

/* ---- hooks.c: <script dir>/vif-post.d/NAME.hook ---- */
const char *xnh_hook_dir(void);
int xnh_hooks_run(const struct xnh_run *r, const struct timespec *deadline,
		  void (*fail)(const char *hook, int status));

/* ---- vifkey.c: a vif's optional xenstore keys; the MTU its frontend is told ---- */
int xnh_vif_key(struct xnh_run *r, const char *key, char **v);
int xnh_vif_key_bad(struct xnh_run *r, const char *key, const char *v);
int xnh_vif_mtu(struct xnh_run *r, unsigned int dflt, unsigned int *mtu);
int xnh_vif_tell_mtu(struct xnh_run *r, unsigned int mtu);

/* ---- rename.c: the `vifname` key ---- */
int xnh_vifname_load(struct xnh_run *r);
int xnh_vif_find(struct xnh_run *r, struct xnh_link *out);
int xnh_vif_rename(struct xnh_run *r);
void xnh_vif_rename_undo(struct xnh_run *r);
int xnh_vif_mine(struct xnh_run *r);
int xnh_vif_down(struct xnh_run *r);

/* ---- report.c: hotplug-status and hotplug-error ---- */
int xnh_report_connected(struct xnh_run *r);
void xnh_report_error(struct xnh_run *r, int err);

#endif
