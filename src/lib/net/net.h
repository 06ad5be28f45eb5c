/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net/: rtnetlink through libnl-3: one socket with raw -errno results and
 * the kernel's extended ack, links, addresses, routes, proxy neighbours,
 * bridges and their ports, the host's uplink, and whether an address a
 * guest asks for is taken by someone else (claim.c). Knows nothing of Xen
 * or of a run. Uses text/ and sys/ (the trace of each change). */
#ifndef XNH_NET_H
#define XNH_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/text.h"

struct nl_sock;
struct nl_msg;
struct rtnl_link;
struct nlmsghdr;

/* ---- nl.c: one rtnetlink socket, raw errnos ---- */
struct xnh_nl {
	struct nl_sock *sk;
	int err;			/* errno of the last NLMSG_ERROR */
	char ext_msg[160];		/* and the kernel's reason, if it gave one */
};

int xnh_nl_open(struct xnh_nl *nl);
void xnh_nl_close(struct xnh_nl *nl);
int xnh_nl_errno(int nle);
const char *xnh_nl_ext_msg(const struct xnh_nl *nl, int err);
int xnh_nl_send(struct xnh_nl *nl, struct nl_msg *msg);
int xnh_nl_commit(struct xnh_nl *nl, struct nl_msg *msg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xnh_nl_dump(struct xnh_nl *nl, struct nl_msg *msg,
		int (*valid)(struct nl_msg *msg, void *arg), void (*reset)(void *arg), void *arg);
void xnh_vec_reset(void *arg);
int xnh_nl_get(struct xnh_nl *nl, struct nl_msg *msg,
	       int (*valid)(struct nl_msg *msg, void *arg), void *arg);

/* What a dump collects, to be walked after it ended (free v). */
struct xnh_vec {
	void *v;
	size_t n, cap;
	int err;
};

void *xnh_vec_add(struct xnh_vec *vec, size_t size);

/* ---- link.c: links by name, one change request at a time ---- */
#define XNH_UNCHANGED	(-1)

struct xnh_link {
	int ifindex;
	char name[XNH_IFNAMSIZ];
	unsigned int flags;		/* IFF_* */
	unsigned int mtu;
	int master;			/* ifindex, 0 for none */
	uint8_t mac[6];
	bool has_mac;
	char kind[16];			/* "bridge", "veth", ... or "" */
	char alias[64];			/* IFLA_IFALIAS, cut */
};

struct xnh_link_req {
	int ifindex;
	const char *name;		/* current name, for messages */
	const char *rename;		/* new name, or NULL */
	const char *alias;		/* new ifalias, or NULL */
	const uint8_t *mac;		/* or NULL */
	unsigned int mtu;		/* 0: unchanged */
	int master;			/* XNH_UNCHANGED, 0 (nomaster) or ifindex */
	const char *master_name;	/* for messages */
	int up;				/* XNH_UNCHANGED, 0 or 1 */
	int arp;			/* XNH_UNCHANGED, 0 (IFF_NOARP) or 1 */
};

#define XNH_LINK_REQ_INIT { .master = XNH_UNCHANGED, .up = XNH_UNCHANGED, .arp = XNH_UNCHANGED }

int xnh_link_get(struct xnh_nl *nl, const char *name, struct xnh_link *out);
int xnh_link_get_index(struct xnh_nl *nl, int ifindex, struct xnh_link *out);
void xnh_link_from_rtnl(struct rtnl_link *rl, struct xnh_link *out);
int xnh_link_build(const struct xnh_link_req *req, struct nl_msg **msg);
int xnh_link_apply(struct xnh_nl *nl, const struct xnh_link_req *req);
bool xnh_link_is_up(const struct xnh_link *l);
int xnh_link_set_up(struct xnh_nl *nl, struct xnh_link *l, bool up);

/* ---- addr.c: addresses of one link ---- */
struct xnh_addr {
	int ifindex;
	struct xnh_inet local;		/* with prefix length */
	int scope;
	unsigned int flags;		/* IFA_F_* */
	char label[XNH_IFNAMSIZ];
	bool has_broadcast;
	struct in_addr broadcast;
	uint32_t valid_lft;		/* seconds left (IFA_CACHEINFO); 0: unset (forever) */
	uint32_t preferred_lft;
	uint32_t rt_priority;		/* metric of its prefix route; 0: default */
	uint8_t proto;			/* IFAPROT_*: who made it; 0: unspecified */
};

typedef int (*xnh_addr_cb)(const struct xnh_addr *a, void *arg);

int xnh_addr_foreach(struct xnh_nl *nl, int ifindex, int family, xnh_addr_cb cb, void *arg);
int xnh_addr_build(const struct xnh_addr *a, bool add, struct nl_msg **msg);
int xnh_addr_build_change(const struct xnh_addr *a, struct nl_msg **msg);
int xnh_addr_add(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_addr_del(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_addr_change(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_addr_flush(struct xnh_nl *nl, const char *dev, int ifindex);
int xnh_addr_restore(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a, bool *added);
int xnh_addr_first_v4(struct xnh_nl *nl, int ifindex, struct in_addr *out);

/* ---- route.c: routes ---- */
struct xnh_route {
	struct xnh_inet dst;		/* prefix 0: default */
	int oif;			/* 0: none */
	bool has_gw, has_src;
	struct xnh_inet gw;
	struct xnh_inet src;		/* preferred source */
	uint32_t metric;
	uint32_t table;			/* 0: main */
	uint8_t scope;			/* RT_SCOPE_UNIVERSE (0), RT_SCOPE_LINK, ... */
	uint8_t protocol;		/* 0: RTPROT_BOOT, as ip does */
	uint8_t type;			/* 0: RTN_UNICAST */
	unsigned int nh_flags;		/* RTNH_F_ONLINK, ... */
	int nexthops;			/* dumps only: > 1 for multipath */
};

typedef int (*xnh_route_cb)(const struct xnh_route *rt, void *arg);

int xnh_route_build(const struct xnh_route *rt, bool add, struct nl_msg **msg);
void xnh_route_describe(const struct xnh_route *rt, const char *dev, char *buf, size_t len);
int xnh_route_add(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt);
int xnh_route_del(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt);
int xnh_route_foreach(struct xnh_nl *nl, int family, int oif, xnh_route_cb cb, void *arg);
int xnh_route_match(struct xnh_nl *nl, const struct xnh_inet *addr, struct xnh_route *out);

/* ---- claim.c: whether a guest's `ip` entry would take others' traffic ---- */
enum xnh_claim_kind {
	XNH_CLAIM_LOCAL = 1,		/* dom0's own address */
	XNH_CLAIM_GATEWAY,		/* the default route's gateway */
	XNH_CLAIM_ROUTED,		/* a host route through another device */
	XNH_CLAIM_NETWORK,		/* a network routed through another device */
};

struct xnh_claim {
	enum xnh_claim_kind kind;
	struct xnh_route route;		/* what it conflicts with */
};

/* Whether device @oif is the guest's own (its vif, or its tap). */
typedef bool (*xnh_claim_ours)(int oif, void *arg);

int xnh_claim_check(struct xnh_nl *nl, const struct xnh_inet *e, xnh_claim_ours ours, void *arg,
		    struct xnh_claim *c);
int xnh_claim_gateway(struct xnh_nl *nl, const struct xnh_inet *e, struct xnh_claim *c);
void xnh_claim_describe(struct xnh_nl *nl, const struct xnh_inet *e, const struct xnh_claim *c,
			char *buf, size_t len);

/* ---- bridge.c: finding the bridge a vif joins, and its ports ---- */
typedef int (*xnh_link_cb)(const struct xnh_link *l, void *arg);

int xnh_bridge_first(struct xnh_nl *nl, struct xnh_link *out);
int xnh_bridge_ports(struct xnh_nl *nl, int master, xnh_link_cb cb, void *arg);
int xnh_bridge_resolve(struct xnh_nl *nl, const char *want, struct xnh_link *out);
bool xnh_link_is_bridge(const struct xnh_link *l);

struct xnh_bridge_info {
	int ifindex;
	uint32_t stp_state;		/* 0: off */
	uint32_t forward_delay;		/* in USER_HZ (1/100 s), as `ip -d link` shows it */
	bool vlan_filtering;		/* 802.1Q: ports are members of VLANs */
};

int xnh_bridge_info_parse(const struct nlmsghdr *h, struct xnh_bridge_info *out);
int xnh_bridge_info_get(struct xnh_nl *nl, int ifindex, struct xnh_bridge_info *out);

/* ---- neigh.c: proxy neighbour entries ---- */
int xnh_neigh_proxy_build(int ifindex, const struct xnh_inet *addr, bool add,
			  struct nl_msg **msg);
int xnh_neigh_proxy_add(struct xnh_nl *nl, const char *dev, int ifindex,
			const struct xnh_inet *addr);
int xnh_neigh_proxy_del(struct xnh_nl *nl, const char *dev, int ifindex,
			const struct xnh_inet *addr);
int xnh_neigh_proxy_build_dump(int family, int ifindex, struct nl_msg **msg);
int xnh_neigh_proxy_parse(const struct nlmsghdr *h, int *ifindex, struct xnh_inet *dst);
int xnh_neigh_proxy_has(struct xnh_nl *nl, int ifindex, const struct xnh_inet *addr);

/* ---- netdev.c: the host's uplink (`netdev`, default route, eth0) ---- */
int xnh_netdev_default_oif(struct xnh_nl *nl);
int xnh_netdev_get(struct xnh_nl *nl, const char *want, struct xnh_link *out);

/* ---- brvlan.c: a Linux bridge port's VLANs (802.1Q filtering) ---- */
int xnh_brvlan_build(int ifindex, unsigned int vid, uint16_t flags, bool add,
		     struct nl_msg **msg);
int xnh_brvlan_apply(struct xnh_nl *nl, const char *dev, int ifindex,
		     const struct xnh_vlan *want, const struct xnh_vlan *have);
int xnh_brvlan_parse(const struct nlmsghdr *h, int *ifindex, struct xnh_vlan *out);
int xnh_brvlan_get(struct xnh_nl *nl, int ifindex, struct xnh_vlan *out);

#endif
