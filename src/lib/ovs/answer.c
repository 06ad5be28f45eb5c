/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* answer.c: what ovsdb-server answered a transaction, read without trusting its shape. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "ovs/ovs.h"

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int error_errno(const char *e)
{
	if (!strcmp(e, "timed out"))
		return -ETIMEDOUT;
	if (!strcmp(e, "constraint violation"))
		return -EEXIST;
	if (!strcmp(e, "referential integrity violation"))
		return -ENOENT;
	return -EIO;
}

/* The first error among the results (an operation's, or the commit's
 * after the last one), as "ERROR: DETAILS" in @err. */
int xnh_ovs_result_check(struct json_object *ops, struct json_object *result, char *err,
			 size_t len)
{
	size_t i, n = json_object_array_length(result);
	struct json_object *r;
	const char *e, *d;

	if (n < json_object_array_length(ops))
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(result, i);
		e = r ? str_of(r, "error") : NULL;
		if (!e)
			continue;
		d = str_of(r, "details");
		snprintf(err, len, "%s%s%s", e, d ? ": " : "", d ? d : "");
		return error_errno(e);
	}
	return 0;
}

/* The rows a select returned, or NULL. */
static struct json_object *rows(struct json_object *result, int op)
{
	struct json_object *r = json_object_array_get_idx(result, (size_t)op), *rows;

	if (!r || !json_object_object_get_ex(r, "rows", &rows) ||
	    !json_object_is_type(rows, json_type_array))
		return NULL;
	return rows;
}

int xnh_ovs_row_count(struct json_object *result, int op)
{
	struct json_object *r = rows(result, op);

	return r ? (int)json_object_array_length(r) : -EBADMSG;
}

static struct json_object *col(struct json_object *result, int op, size_t row, const char *c)
{
	struct json_object *r = rows(result, op), *v;

	r = r ? json_object_array_get_idx(r, row) : NULL;
	return r && json_object_object_get_ex(r, c, &v) ? v : NULL;
}

/* ["TAG", VALUE]'s VALUE, or NULL. */
static struct json_object *tagged(struct json_object *v, const char *tag)
{
	struct json_object *t = json_object_is_type(v, json_type_array) &&
				json_object_array_length(v) == 2 ?
				json_object_array_get_idx(v, 0) : NULL;

	if (!t || !json_object_is_type(t, json_type_string) || strcmp(json_object_get_string(t), tag))
		return NULL;
	return json_object_array_get_idx(v, 1);
}

static int uuid_of(struct json_object *v, char *uuid, size_t len)
{
	struct json_object *u = tagged(v, "uuid");

	if (!u || !json_object_is_type(u, json_type_string) ||
	    strlen(json_object_get_string(u)) >= len)
		return -EBADMSG;
	snprintf(uuid, len, "%s", json_object_get_string(u));
	return 0;
}

/* The first row's _uuid; -ENOENT with no row. */
int xnh_ovs_row_uuid(struct json_object *result, int op, char *uuid, size_t len)
{
	int n = xnh_ovs_row_count(result, op);

	if (n <= 0)
		return n < 0 ? n : -ENOENT;
	return uuid_of(col(result, op, 0, "_uuid"), uuid, len);
}

/* An optional integer: VALUE or ["set", [VALUE]]; -ENOENT when empty. */
static int opt_int(struct json_object *v, int64_t *out)
{
	struct json_object *s = tagged(v, "set");

	if (s && json_object_is_type(s, json_type_array))
		v = json_object_array_length(s) == 1 ? json_object_array_get_idx(s, 0) : NULL;
	if (!v)
		return -ENOENT;
	if (!json_object_is_type(v, json_type_int))
		return -EBADMSG;
	*out = json_object_get_int64(v);
	return 0;
}

int xnh_ovs_row_int(struct json_object *result, int op, const char *c, int64_t *out)
{
	struct json_object *v = col(result, op, 0, c);

	return v ? opt_int(v, out) : -ENOENT;
}

/* A set's members (or the one it is), calling @fn on each. */
static int set_each(struct json_object *v, int (*fn)(struct json_object *m, void *arg),
		    void *arg)
{
	struct json_object *s = tagged(v, "set");
	size_t i;
	int r = 0;

	if (!s)
		return v ? fn(v, arg) : 0;
	if (!json_object_is_type(s, json_type_array))
		return -EBADMSG;
	for (i = 0; r >= 0 && i < json_object_array_length(s); i++)
		r = fn(json_object_array_get_idx(s, i), arg);
	return r;
}

static int add_trunk(struct json_object *m, void *arg)
{
	struct xnh_ovs_state *st = arg;
	int64_t id;

	if (!json_object_is_type(m, json_type_int))
		return -EBADMSG;
	id = json_object_get_int64(m);
	if (id < 0 || id > XNH_VLAN_ID_MAX)
		return -EBADMSG;
	st->trunks.member[id / 64] |= 1ULL << (id % 64);
	st->ntrunks++;
	return 0;
}

struct port_match {
	const char *uuid;
	bool found;
};

static int match_uuid(struct json_object *m, void *arg)
{
	struct port_match *pm = arg;
	char u[40];

	if (uuid_of(m, u, sizeof(u)) == 0 && !strcmp(u, pm->uuid))
		pm->found = true;
	return 0;
}

/* op 3 of xnh_ovs_txn_state(): the bridge whose ports include ours */
static void find_bridge(struct json_object *result, struct xnh_ovs_state *st)
{
	int i, n = xnh_ovs_row_count(result, 3);
	struct json_object *name;

	for (i = 0; i < n; i++) {
		struct port_match pm = { st->uuid, false };

		set_each(col(result, 3, (size_t)i, "ports"), match_uuid, &pm);
		name = col(result, 3, (size_t)i, "name");
		if (pm.found && name && json_object_is_type(name, json_type_string))
			snprintf(st->bridge, sizeof(st->bridge), "%s", json_object_get_string(name));
	}
}

static void iface_state(struct json_object *result, struct xnh_ovs_state *st)
{
	struct json_object *e = col(result, 1, 0, "error"), *s = tagged(e, "set");

	st->has_iface = xnh_ovs_row_count(result, 1) > 0;
	if (xnh_ovs_row_int(result, 1, "ofport", &st->ofport) < 0)
		st->ofport = 0;
	if (xnh_ovs_row_int(result, 1, "mtu", &st->mtu) < 0)
		st->mtu = 0;
	if (s && json_object_array_length(s) == 1)
		e = json_object_array_get_idx(s, 0);
	if (e && json_object_is_type(e, json_type_string))
		snprintf(st->error, sizeof(st->error), "%s", json_object_get_string(e));
}

/* The answer to xnh_ovs_txn_state(). */
int xnh_ovs_state_parse(struct json_object *result, struct xnh_ovs_state *st)
{
	struct json_object *m, *s;
	int64_t tag;
	int r;

	memset(st, 0, sizeof(*st));
	xnh_vlan_init(&st->trunks);
	st->tag = -1;
	if (xnh_ovs_row_int(result, 0, "cur_cfg", &st->cur_cfg) < 0 ||
	    xnh_ovs_row_int(result, 0, "next_cfg", &st->next_cfg) < 0)
		return -EBADMSG;
	iface_state(result, st);
	r = xnh_ovs_row_uuid(result, 2, st->uuid, sizeof(st->uuid));
	st->has_port = r == 0;
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (xnh_ovs_row_int(result, 2, "tag", &tag) == 0)
		st->tag = (int)tag;
	r = set_each(col(result, 2, 0, "trunks"), add_trunk, st);
	m = col(result, 2, 0, "vlan_mode");
	s = tagged(m, "set");
	if (s && json_object_array_length(s) == 1)
		m = json_object_array_get_idx(s, 0);
	if (m && json_object_is_type(m, json_type_string))
		snprintf(st->vlan_mode, sizeof(st->vlan_mode), "%s", json_object_get_string(m));
	find_bridge(result, st);
	return r;
}
