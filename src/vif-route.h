/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-route.h: what vif-route's online (vif-route.c) and status (vif-route-status.c) share. */
#ifndef VIF_ROUTE_H
#define VIF_ROUTE_H

#include "lib/run/run.h"
#include "lib/state/state.h"

#define METRIC_VIF	2	/* as the old script: an HVM guest's tap route wins */
#define METRIC_TAP	1
#define NAME_MAX_LEN	48

/* What online adds: recorded in a state file before the first change, so
 * that offline removes exactly that, whatever `ip` or netdev say by then. */
struct plan {
	struct xnh_vifstate s;
	bool was_up, v4, v6;		/* ip has IPv4, IPv6 entries */
	char name[NAME_MAX_LEN];	/* vif-route.<domid>.<devid>.<vif|tap> */
	char sibling[NAME_MAX_LEN];	/* the same guest NIC's other half (tap or vif) */
};

void vr_names(const struct xnh_ctx *c, struct plan *p);
int vr_main_ip(struct xnh_run *r, struct plan *p);
int vr_plan_entries(struct xnh_run *r, struct plan *p);
int vr_status(struct xnh_run *r);

#endif
