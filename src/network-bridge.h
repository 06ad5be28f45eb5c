/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-bridge.h: what network-bridge's handlers (network-bridge.c) and its status (network-bridge-status.c) share. */
#ifndef NETWORK_BRIDGE_H
#define NETWORK_BRIDGE_H

#include "lib/run/run.h"


int nb_status(struct xnh_run *r);

#endif
