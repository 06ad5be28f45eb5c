/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* port.c: a guest's port added, awaited, deleted and read back, as a program calls it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "sys/sys.h"
#include "ovs/ovs.h"

#define POLL_MS	50

/* One transaction; its ops put, its result the caller's. */
static int transact(struct xnh_ovs *o, struct json_object *ops, struct json_object **res)
{
	int r = xnh_ovs_transact(o, ops, res);

	json_object_put(ops);
	return r;
}

/* A dry run prints the transaction it would make and makes none. */
static bool dry(const char *what, struct json_object *ops)
{
	if (!xnh_trace("ovsdb-client transact %s", what))
		return false;
	printf("%s\n", xnh_ovs_json(ops));
	fflush(stdout);
	return true;
}

/* -ENODEV when @bridge has no row; @old_uuid: the Port named @port
 * already (a repeated online), "" if none. */
int xnh_ovs_bridge_find(struct xnh_ovs *o, const char *bridge, const char *port,
			char *old_uuid, size_t len)
{
	struct json_object *res;
	int r = transact(o, xnh_ovs_txn_lookup(bridge, port), &res);

	if (r >= 0)
		r = xnh_ovs_row_count(res, 0);
	if (r == 0)
		r = -ENODEV;
	if (r > 0) {
		r = xnh_ovs_row_uuid(res, 1, old_uuid, len);
		if (r == -ENOENT) {
			old_uuid[0] = '\0';
			r = 0;
		}
	}
	json_object_put(res);
	return r;
}

/* The port in one transaction; *@next_cfg: the configuration that has it
 * (-1 in a dry run). */
int xnh_ovs_port_add(struct xnh_ovs *o, const struct xnh_ovs_port *p, const char *old_uuid,
		     int64_t *next_cfg)
{
	struct json_object *ops = xnh_ovs_txn_add(p, old_uuid && *old_uuid ? old_uuid : NULL);
	struct json_object *res = NULL;
	int r;

	*next_cfg = -1;
	if (!ops)
		return -ENOMEM;
	if (dry("add-port", ops)) {
		json_object_put(ops);
		return 0;
	}
	r = transact(o, ops, &res);
	if (r == -ETIMEDOUT)		/* op 0, the wait for the bridge's row */
		r = -ENODEV;
	if (r >= 0)
		r = xnh_ovs_row_int(res, 5, "next_cfg", next_cfg);
	json_object_put(res);
	return r < 0 ? r : 0;
}

int xnh_ovs_port_get(struct xnh_ovs *o, const char *name, struct xnh_ovs_state *st)
{
	struct json_object *res;
	int r = transact(o, xnh_ovs_txn_state(name), &res);

	if (r >= 0)
		r = xnh_ovs_state_parse(res, st);
	json_object_put(res);
	return r;
}

static void nap(void)
{
	struct timespec ts = { 0, POLL_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/* Until ovs-vswitchd has applied @next_cfg and the interface has an
 * OpenFlow port: -EIO (its error in o->err) when it failed to come up,
 * -ETIMEDOUT at the deadline (ovs-vswitchd not running). */
int xnh_ovs_port_wait(struct xnh_ovs *o, const char *name, int64_t next_cfg,
		      struct xnh_ovs_state *st)
{
	int r;

	if (next_cfg < 0)
		return 0;		/* a dry run */
	for (;;) {
		r = xnh_ovs_port_get(o, name, st);
		if (r < 0)
			return r;
		if (!st->has_iface)
			return -ENOENT;
		if (st->cur_cfg >= next_cfg && st->ofport > 0 && !st->error[0])
			return 0;
		if (st->cur_cfg >= next_cfg && (st->ofport < 0 || st->error[0])) {
			snprintf(o->err, sizeof(o->err), "%s", st->error[0] ? st->error :
				 "it has no OpenFlow port (ofport -1)");
			return -EIO;
		}
		if (xnh_ovs_now() + POLL_MS >= o->deadline) {
			snprintf(o->err, sizeof(o->err), "ovs-vswitchd did not apply the change"
				 " (cur_cfg %lld < next_cfg %lld: is it running?)",
				 (long long)st->cur_cfg, (long long)next_cfg);
			return -ETIMEDOUT;
		}
		nap();
	}
}

/* The port named @name off its bridge; 0 when there is none. */
int xnh_ovs_port_del(struct xnh_ovs *o, const char *name)
{
	struct json_object *ops, *res = NULL;
	struct xnh_ovs_state st;
	int r = xnh_ovs_port_get(o, name, &st);

	if (r < 0 || !st.has_port)
		return r;
	ops = xnh_ovs_txn_del(st.uuid, name);
	if (!ops)
		return -ENOMEM;
	if (dry("del-port", ops)) {
		json_object_put(ops);
		return 0;
	}
	r = transact(o, ops, &res);
	json_object_put(res);
	return r == -ENOENT ? 0 : r;	/* gone meanwhile */
}
