/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state/: records that outlive a run, held against the kernel before they
 * are trusted: what a routed vif's online added (vifstate.c, removed at
 * offline), sysctls a start found (saved.c, put back at stop), and the
 * ip_forward that network-route and network-nat share (forward.c). Uses
 * text/, sys/ and net/. */
#ifndef XNH_STATE_H
#define XNH_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/text.h"
#include "net/net.h"

/* heal.c: whether a record can be trusted */
#define XNH_BOOT_MAX	40		/* a boot id, as /proc/sys/kernel/random/boot_id */
int xnh_boot_valid(const char *boot);
bool xnh_boot_other(const char *boot);
void xnh_boot_of_now(char *buf, size_t len);

/* forward.c: ip_forward, shared by network-route and network-nat; @why
 * (when not NULL) tells what of a stale record was forgotten, "" if none */
int xnh_forward_take(const char *user, char *why, size_t len);
int xnh_forward_release(const char *user, char *why, size_t len);

/* ---- vifstate.c: what a vif's online added, and its removal at offline ---- */
struct xnh_vifstate {
	char dev[XNH_IFNAMSIZ];		/* the vif, as online left it */
	int ifindex;			/* tells our vif from a re-created one */
	uint32_t metric;		/* of the routes */
	bool has_addr;
	struct xnh_inet addr;		/* put on the vif (with prefix) */
	struct xnh_iplist routes;	/* destinations routed through the vif */
	char netdev[XNH_IFNAMSIZ];	/* where the proxy entries are */
	struct xnh_iplist proxies;	/* addresses answered for on netdev */
	char boot[XNH_BOOT_MAX];	/* the boot it was written in, "" if unknown */
};

int xnh_vifstate_format(const struct xnh_vifstate *s, char *buf, size_t len);
int xnh_vifstate_parse(const char *text, struct xnh_vifstate *s);
int xnh_vifstate_load(const char *name, struct xnh_vifstate *s);
int xnh_vifstate_save(const char *name, const struct xnh_vifstate *s);

/* How much of a state is in place (a failed online's rollback). */
struct xnh_vifstate_done {
	bool addr;
	size_t routes, proxies;
};

void xnh_vifstate_route(const struct xnh_vifstate *s, size_t i, struct xnh_route *rt);
int xnh_vifstate_undo(struct xnh_nl *nl, const struct xnh_vifstate *s,
		      const struct xnh_vifstate_done *d, const char *sibling);
int xnh_vifstate_forget(struct xnh_nl *nl, const char *name, const char *sibling, char *why,
			size_t len);

/* ---- saved.c: sysctl values a start found, for its stop ---- */
#define XNH_SAVED_MAX	16
#define XNH_SAVED_KEY	96		/* "net/ipv6/conf/<ifname>/accept_ra" fits */
#define XNH_SAVED_VAL	24

struct xnh_saved {
	char boot[XNH_BOOT_MAX];	/* the boot it was written in, "" if unknown */
	size_t n;
	struct {
		char key[XNH_SAVED_KEY];	/* a path under /proc/sys */
		char val[XNH_SAVED_VAL];
	} e[XNH_SAVED_MAX];
};

const char *xnh_saved_get(const struct xnh_saved *s, const char *key);
int xnh_saved_put(struct xnh_saved *s, const char *key, const char *val);
int xnh_saved_format(const struct xnh_saved *s, char *buf, size_t len);
int xnh_saved_parse(const char *text, struct xnh_saved *s);
int xnh_saved_load(const char *name, struct xnh_saved *s);
int xnh_saved_store(const char *name, const struct xnh_saved *s);
int xnh_saved_heal(struct xnh_saved *s, char *why, size_t len);

#endif
