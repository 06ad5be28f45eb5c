/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-bridge.h: what vif-bridge.c (its handlers) and vif-bridge-status.c share. */
#ifndef VIF_BRIDGE_H
#define VIF_BRIDGE_H

#include "lib/net/net.h"
#include "lib/run/run.h"

/* The MAC online gives every vif: the bridge never takes it as its own. */
extern const uint8_t vb_vif_mac[6];

int vb_find_bridge(struct xnh_run *r, struct xnh_link *br);
int vb_choose_mtu(struct xnh_run *r, const struct xnh_link *br, unsigned int *mtu);
int vb_status(struct xnh_run *r);

#endif
