/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nat/: NAT guests' addresses (the default 10.0.<dom>.<vif>+1 and its
 * router), their records (what vif-nat online and network-nat start did,
 * natstate.c) and the check that a guest's address is free. Uses text/,
 * sys/, net/ and dhcp/ (a record names the server holding its entry). */
#ifndef XNH_NAT_H
#define XNH_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#include "text/text.h"
#include "net/net.h"
#include "dhcp/dhcp.h"

/* ---- natstate.c: what vif-nat online and network-nat start did ---- */
#define XNH_NAT_UPLINKS	8
#define XNH_NAT_BOOT	40		/* a boot id and its NUL */

struct xnh_natvif {
	char dev[XNH_IFNAMSIZ];
	int ifindex;
	struct in_addr router;		/* the /32 on the vif */
	size_t n;
	struct in_addr guest[XNH_IP_MAX];	/* routed through the vif */
	char host[XNH_IFNAMSIZ];	/* the DHCP entry's name, "" for none */
	unsigned int dhcp;		/* XNH_DHCP_* holding that entry */
	char boot[XNH_NAT_BOOT];	/* the boot it was written in, "" if unknown */
};

struct xnh_natnet {
	bool has_forward, forward;	/* ip_forward as the first start found it */
	size_t n;
	char uplink[XNH_NAT_UPLINKS][XNH_IFNAMSIZ];	/* masqueraded */
	bool subnet;			/* the ISC subnet was added */
	char boot[XNH_NAT_BOOT];	/* the boot it was written in, "" if unknown */
};

int xnh_natvif_parse(const char *text, struct xnh_natvif *v);
int xnh_natvif_format(const struct xnh_natvif *v, char *buf, size_t len);
int xnh_natnet_parse(const char *text, struct xnh_natnet *s);
int xnh_natnet_format(const struct xnh_natnet *s, char *buf, size_t len);
int xnh_natnet_find(const struct xnh_natnet *s, const char *dev);
int xnh_natvif_load(const char *name, struct xnh_natvif *v);
int xnh_natvif_save(const char *name, const struct xnh_natvif *v);
int xnh_natnet_load(const char *name, struct xnh_natnet *s);
int xnh_natnet_save(const char *name, const struct xnh_natnet *s);
int xnh_natnet_drop(struct xnh_natnet *s, size_t i);

/* ---- nat.c: addresses of NAT guests ---- */
int xnh_nat_default_ip(unsigned int domid, unsigned int vifid, struct xnh_inet *out);
int xnh_nat_router(const struct xnh_inet *guest, struct xnh_inet *router);
int xnh_nat_hostname(unsigned int domid, unsigned int vifid, char *buf, size_t len);
#define XNH_NAT_ROUTED	1
#define XNH_NAT_LOCAL	2
int xnh_nat_conflict(struct xnh_nl *nl, const struct xnh_natvif *v, int ifindex,
		     struct in_addr *addr, int *oif);

#endif
