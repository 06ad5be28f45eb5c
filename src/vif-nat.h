/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-nat.h: what vif-nat's online (vif-nat.c), its plan (vif-nat-plan.c)
 * and status (vif-nat-status.c) share. */
#ifndef VIF_NAT_H
#define VIF_NAT_H

#include "lib/net/net.h"
#include "lib/run/run.h"
#include "lib/dhcp/dhcp.h"
#include "lib/nat/nat.h"

#define DOMID_MAX	32751
#define HANDLE_MAX	65534		/* vifid = handle + 1 */

/* What online adds (kept in a state file, so that offline removes exactly
 * that, whatever xenstore says by then). */
struct plan {
	struct xnh_natvif v;
	struct xnh_dhcp_conf dc;
	struct xnh_dhcp_host host;
};

void vn_state_name(const struct xnh_run *r, char *buf, size_t len);
int vn_store_uint(struct xnh_run *r, const char *key, unsigned long max, unsigned int *out);
int vn_addresses(struct xnh_run *r, struct plan *p, unsigned int domid, unsigned int vifid);
int vn_plan(struct xnh_run *r, struct plan *p);
int vn_check_conflicts(struct xnh_run *r, const struct xnh_natvif *v, int ifindex);
void vn_route_of(const struct xnh_natvif *v, size_t i, int oif, struct xnh_route *rt);
void vn_addr_of(const struct xnh_natvif *v, int ifindex, struct xnh_addr *a);
int vn_status(struct xnh_run *r);

#endif
