/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-nat.h: what network-nat's handlers (network-nat.c) and its status (network-nat-status.c) share. */
#ifndef NETWORK_NAT_H
#define NETWORK_NAT_H

#include "lib/text/text.h"
#include "lib/run/run.h"
#include "lib/dhcp/dhcp.h"
#include "lib/nat/nat.h"


#define NN_STATE	"network-nat"	/* the state file, and the lock of its edits */
#define NN_FORWARD	"net/ipv4/ip_forward"

/* One start or stop: its uplink, the record of earlier starts, the lock. */
struct nn {
	char netdev[XNH_IFNAMSIZ];
	struct xnh_natnet s;		/* what earlier starts did */
	bool has_state;
	bool added;			/* this start added netdev */
	struct xnh_dhcp_conf dc;
	int lock;
};

int nn_pick_netdev(struct xnh_run *r, struct nn *n, bool stop);
int nn_status(struct xnh_run *r);

#endif
