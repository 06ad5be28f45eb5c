/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr/: network-bridge's work: the plan checked before any change
 * (netbr_plan.c), the layout names and the record start leaves for stop
 * (netbr_state.c), what moves from a NIC to its bridge (netbr_move.c), the
 * link steps (netbr_step.c, netbr_link.c), each with its entry in an undo
 * journal run last first on failure (netbr_undo.c); the journal on disk,
 * written before the first change, that puts the NIC back after a start or
 * stop was killed half-way (netbr_journal.c, netbr_recover.c). Uses text/,
 * sys/, net/ and run/. */
#ifndef XNH_NETBR_H
#define XNH_NETBR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/text.h"
#include "net/net.h"
#include "run/run.h"

/* ---- netbr_link.c: the bridge network-bridge makes; link delete ---- */
struct xnh_bridge_new {
	const char *name;
	const uint8_t *mac;		/* or NULL */
	unsigned int mtu;		/* 0: the kernel's */
};

int xnh_bridge_build_new(const struct xnh_bridge_new *req, struct nl_msg **msg);
int xnh_bridge_new(struct xnh_nl *nl, const struct xnh_bridge_new *req);
int xnh_link_build_del(int ifindex, struct nl_msg **msg);
int xnh_link_del(struct xnh_nl *nl, int ifindex, const char *name);

/* ---- netbr_undo.c: a journal of changes, undone last first on failure ---- */
struct xnh_undo_step;

struct xnh_undo {
	struct xnh_undo_step *v;
	size_t n, cap;
};

int xnh_undo_reserve(struct xnh_undo *u, size_t n);
int xnh_undo_link_del(struct xnh_undo *u, int ifindex, const char *name);
int xnh_undo_link(struct xnh_undo *u, const struct xnh_link_req *req);
int xnh_undo_addr(struct xnh_undo *u, const char *dev, const struct xnh_addr *a, bool add);
int xnh_undo_route(struct xnh_undo *u, const char *dev, const struct xnh_route *rt, bool add);
int xnh_undo_file(struct xnh_undo *u, const char *path, const char *data);
int xnh_undo_run(struct xnh_undo *u, struct xnh_nl *nl, char *failed, size_t len);
void xnh_undo_free(struct xnh_undo *u);

/* ---- netbr_move.c: what moves from a NIC to its bridge and back ---- */
struct xnh_netbr_set {
	struct xnh_addr *addr;		/* in the order that rebuilds the list */
	size_t naddr;
	struct xnh_route *route;	/* routes without a gateway first */
	size_t nroute;
	struct xnh_route bad;		/* what stopped xnh_netbr_collect() */
};

bool xnh_netbr_addr_moves(const struct xnh_addr *a);
bool xnh_netbr_route_moves(const struct xnh_route *rt);
int xnh_netbr_label(const char *label, const char *from, const char *to, char *out, size_t len);
int xnh_netbr_collect(struct xnh_nl *nl, int ifindex, struct xnh_netbr_set *s);
void xnh_netbr_set_free(struct xnh_netbr_set *s);
const struct xnh_addr *xnh_netbr_label_misfit(const struct xnh_netbr_set *s, const char *from,
					      const char *to);
int xnh_netbr_addrs_add(struct xnh_nl *nl, const struct xnh_netbr_set *s, int family,
			const char *from, const struct xnh_link *to, struct xnh_undo *u);
int xnh_netbr_routes_add(struct xnh_nl *nl, const struct xnh_netbr_set *s,
			 const struct xnh_link *to, struct xnh_undo *u);
int xnh_netbr_strip(struct xnh_nl *nl, const struct xnh_netbr_set *s,
		    const struct xnh_link *from, struct xnh_undo *u);

/* ---- netbr_step.c: network-bridge's link changes, each with its undo ---- */
int xnh_netbr_up(struct xnh_nl *nl, struct xnh_link *l, bool up, struct xnh_undo *u);
int xnh_netbr_rename(struct xnh_nl *nl, struct xnh_link *l, const char *to, struct xnh_undo *u);
int xnh_netbr_join(struct xnh_nl *nl, struct xnh_link *port, const struct xnh_link *br,
		   bool join, struct xnh_undo *u);
int xnh_netbr_bridge(struct xnh_nl *nl, const char *name, const struct xnh_link *nic,
		     struct xnh_link *out, struct xnh_undo *u);

/* ---- netbr_state.c: layout names, and the record start leaves for stop ---- */
enum xnh_netbr_phase {
	XNH_NETBR_STARTED,		/* the layout is made (an older record says nothing) */
	XNH_NETBR_STARTING,		/* start makes it, or was killed making it */
	XNH_NETBR_STOPPING,		/* stop undoes it, or was killed undoing it */
};

struct xnh_netbr_state {
	char bridge[XNH_IFNAMSIZ];
	char nic[XNH_IFNAMSIZ];		/* the NIC's own name (netdev) */
	char port[XNH_IFNAMSIZ];	/* its name in the bridge: nic, or p<nic> */
	char tmp[XNH_IFNAMSIZ];		/* the bridge's name while nic's is taken */
	bool renamed;			/* the bridge takes the NIC's name */
	bool nic_up;			/* the NIC was up before start */
	bool antispoof;
	char boot[40];			/* the boot it was written in ("": unknown) */
	enum xnh_netbr_phase phase;
	int ifindex;			/* the NIC's, in that boot (0: unknown) */
};

const char *xnh_netbr_phase_name(enum xnh_netbr_phase p);

int xnh_netbr_names(const char *netdev, const char *bridge, int nic_ifindex,
		    struct xnh_netbr_state *st);
int xnh_netbr_state_format(const struct xnh_netbr_state *st, char *buf, size_t len);
int xnh_netbr_state_parse(const char *text, struct xnh_netbr_state *st);
int xnh_netbr_state_path(const char *bridge, char *buf, size_t len);
int xnh_netbr_state_load(const char *bridge, struct xnh_netbr_state *st, char **text);
int xnh_netbr_state_save(const struct xnh_netbr_state *st, struct xnh_undo *u);
int xnh_netbr_state_drop(const char *bridge, const char *old, struct xnh_undo *u);

/* ---- netbr_journal.c: the record with what moves, written before a change ---- */
uint64_t xnh_netbr_now(void);
int xnh_netbr_journal_format(const struct xnh_netbr_state *st, const struct xnh_netbr_set *s,
			     const char *from, uint64_t now, char **text);
int xnh_netbr_journal_parse(const char *text, struct xnh_netbr_set *s, uint64_t *time);
int xnh_netbr_journal_load(const char *text, struct xnh_netbr_set *s);
int xnh_netbr_journal_save(const struct xnh_netbr_state *st, const struct xnh_netbr_set *s,
			   const char *from, const char *old, struct xnh_undo *u);

/* ---- netbr_plan.c: what network-bridge acts on, checked before any change ---- */
struct xnh_netbr {
	struct xnh_netbr_state st;	/* the layout asked for */
	struct xnh_netbr_state made;	/* start's record of it, when there is one */
	char *record;			/* that record as written, or NULL */
	struct xnh_link nic, br;	/* the NIC (by its port name), the bridge */
	bool has_br;			/* (br: whatever holds the bridge's name) */
	bool adopted;			/* the default route is on an admin's bridge: used as is */
	struct xnh_netbr_set set;	/* what moves */
	struct xnh_undo undo;
	int lock;			/* -1: not held */
};

#define XNH_NETBR_INIT { .lock = -1 }

int xnh_netbr_prepare(struct xnh_run *r, struct xnh_netbr *nb, bool lock);
bool xnh_netbr_done(const struct xnh_netbr *nb);
bool xnh_netbr_name_taken(struct xnh_run *r, const char *name);
int xnh_netbr_start_check(struct xnh_run *r, struct xnh_netbr *nb);
int xnh_netbr_stop_check(struct xnh_run *r, struct xnh_netbr *nb);
void xnh_netbr_finish(struct xnh_netbr *nb);
bool xnh_netbr_interrupted(const struct xnh_netbr *nb);
int xnh_netbr_forget(struct xnh_run *r, struct xnh_netbr *nb);

/* ---- netbr_recover.c: the NIC put back from a journal, from any point ---- */
int xnh_netbr_restore(struct xnh_nl *nl, const struct xnh_netbr_state *j,
		      const struct xnh_netbr_set *s);
int xnh_netbr_recover(struct xnh_nl *nl, const struct xnh_netbr *nb);

#endif
