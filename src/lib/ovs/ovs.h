/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ovs/: Open vSwitch's database (OVSDB, RFC 7047) as vif-openvswitch needs
 * it: a JSON-RPC client over ovsdb-server's unix socket (rpc.c), the
 * transactions that add, find and remove a guest's Port and Interface,
 * built as pure functions and their answers parsed (txn.c), and the
 * calls a program makes: add, wait for ovs-vswitchd to have applied it,
 * delete, read back (port.c). Never forks ovs-vsctl. Uses text/ and sys/,
 * and json-c. */
#ifndef XNH_OVS_H
#define XNH_OVS_H

#include <stdbool.h>
#include <stdint.h>

#include "text/text.h"

struct json_object;

#define XNH_OVS_SOCK	"db.sock"
#define XNH_OVS_RUNDIR	"/var/run/openvswitch"

/* ---- rpc.c: one connection to ovsdb-server ---- */
struct xnh_ovs {
	int fd;
	unsigned int id;		/* of the last request */
	int64_t deadline;		/* ms, CLOCK_MONOTONIC: no answer after it fails */
	char path[108];
	char err[256];			/* the database's reason for the last failure */
	char rbuf[16384];		/* what was read and not parsed yet */
	size_t rlen;
};

int xnh_ovs_sock_path(char *buf, size_t len);
int64_t xnh_ovs_now(void);
int xnh_ovs_open(struct xnh_ovs *o, const char *path, unsigned int timeout_ms);
void xnh_ovs_close(struct xnh_ovs *o);
int xnh_ovs_transact(struct xnh_ovs *o, struct json_object *ops, struct json_object **result);
int xnh_ovs_result_check(struct json_object *ops, struct json_object *result, char *err,
			 size_t len);
const char *xnh_ovs_json(struct json_object *j);

/* ---- txn.c: the transactions, built without a socket, and their answers ---- */
/* What online adds: a Port with one Interface, on @bridge. */
struct xnh_ovs_port {
	const char *bridge;
	const char *name;
	const struct xnh_vlan *vlan;	/* or NULL: neither tag nor trunks */
	unsigned int mtu;		/* the Interface's mtu_request; 0: none */
	const char *vm_name;		/* external_ids, each omitted when NULL */
	const char *vm_uuid;
	const char *mac;
};

/* What the database says of a port and its interface. */
struct xnh_ovs_state {
	int64_t cur_cfg, next_cfg;
	bool has_port, has_iface;
	char bridge[XNH_IFNAMSIZ];	/* the Bridge whose port it is, "" if none */
	char uuid[40];			/* the Port's */
	int tag;			/* -1: none */
	struct xnh_vlan trunks;		/* its trunks as members; pvid unused */
	unsigned int ntrunks;
	char vlan_mode[20];		/* "" when unset */
	int64_t ofport;			/* -1 failed, 0 not yet */
	int64_t mtu;			/* the Interface's, 0 unknown */
	char error[160];		/* the Interface's error column */
};

struct json_object *xnh_ovs_txn_lookup(const char *bridge, const char *port);
struct json_object *xnh_ovs_txn_add(const struct xnh_ovs_port *p, const char *old_uuid);
struct json_object *xnh_ovs_txn_del(const char *uuid, const char *name);
struct json_object *xnh_ovs_txn_state(const char *name);
int xnh_ovs_row_count(struct json_object *result, int op);
int xnh_ovs_row_uuid(struct json_object *result, int op, char *uuid, size_t len);
int xnh_ovs_row_int(struct json_object *result, int op, const char *col, int64_t *out);
int xnh_ovs_state_parse(struct json_object *result, struct xnh_ovs_state *st);

/* ---- port.c: a program's calls ---- */
int xnh_ovs_bridge_find(struct xnh_ovs *o, const char *bridge, const char *port,
			char *old_uuid, size_t len);
int xnh_ovs_port_add(struct xnh_ovs *o, const struct xnh_ovs_port *p, const char *old_uuid,
		     int64_t *next_cfg);
int xnh_ovs_port_wait(struct xnh_ovs *o, const char *name, int64_t next_cfg,
		      struct xnh_ovs_state *st);
int xnh_ovs_port_del(struct xnh_ovs *o, const char *name);
int xnh_ovs_port_get(struct xnh_ovs *o, const char *name, struct xnh_ovs_state *st);

#endif
