/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-bridge.h: what vif-bridge.c (its handlers) and vif-bridge-status.c share. */
#ifndef VIF_BRIDGE_H
#define VIF_BRIDGE_H

#include "lib/text/text.h"
#include "lib/net/net.h"
#include "lib/run/run.h"

/* The MAC online gives every vif: the bridge never takes it as its own. */
extern const uint8_t vb_vif_mac[6];

/* Where the vif goes: its bridge, and its VLANs on a VLAN-aware one. */
struct vb_where {
	struct xnh_link br;
	bool vlans;			/* bridge=BR.VLAN:TRUNK, or the `vlan` key */
	struct xnh_vlan vlan;
};

int vb_find_bridge(struct xnh_run *r, struct vb_where *w);
int vb_status(struct xnh_run *r);

#endif
