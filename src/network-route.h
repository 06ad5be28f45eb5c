/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-route.h: what network-route's handlers (network-route.c) and its status (network-route-status.c) share. */
#ifndef NETWORK_ROUTE_H
#define NETWORK_ROUTE_H

#include "lib/net/net.h"
#include "lib/run/run.h"
#include "lib/state/state.h"


#define NR_STATE	"network-route"	/* the values start found, under the state dir */
#define NR_NSETTINGS	5

struct setting {
	const char *family;	/* ipv4, ipv6 */
	const char *dev;	/* NULL: not per interface; NETDEV: netdev's */
	const char *name;
	const char *want;
	const char *only_from;	/* changed only from this value (NULL: from any) */
	const char *what;	/* what status says of it: WHAT [netdev] TAIL */
	const char *tail;
};

#define NETDEV	""

/* One setting on this host: its path and its value, "" when absent. */
struct value {
	char path[XNH_SAVED_KEY];
	char val[XNH_SAVED_VAL];
};

extern const struct setting nr_settings[NR_NSETTINGS];

bool nr_wanted(const struct setting *s, const char *val);
int nr_find_netdev(struct xnh_run *r, struct xnh_link *nd);
int nr_read_all(struct xnh_run *r, const char *dev, struct value *v);
int nr_status(struct xnh_run *r);

#endif
