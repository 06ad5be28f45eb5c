/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-openvswitch.h: what vif-openvswitch.c (its handlers) and vif-openvswitch-status.c share. */
#ifndef VIF_OPENVSWITCH_H
#define VIF_OPENVSWITCH_H

#include "lib/net/net.h"
#include "lib/run/run.h"
#include "lib/ovs/ovs.h"

/* What the vif's `bridge` (and `vlan`) keys ask for. */
struct vo_want {
	char bridge[XNH_IFNAMSIZ];
	struct xnh_vlan vlan;
};

int vo_want_load(struct xnh_run *r, struct vo_want *w);
int vo_choose_mtu(struct xnh_run *r, const char *bridge, unsigned int *mtu);
unsigned int vo_timeout_ms(void);
int vo_status(struct xnh_run *r);

#endif
