/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* txn.c: the OVSDB transactions of a guest's port, and their answers (RFC 7047 5.2). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "ovs/ovs.h"

#define J_STR(s)	json_object_new_string(s)

/* [COL, FN, VALUE] */
static struct json_object *cond(const char *col, const char *fn, struct json_object *val)
{
	struct json_object *c = json_object_new_array();

	json_object_array_add(c, J_STR(col));
	json_object_array_add(c, J_STR(fn));
	json_object_array_add(c, val);
	return c;
}

/* [TAG, VALUE]: ["uuid", U], ["named-uuid", N], ["set", [...]], ["map", [...]] */
static struct json_object *pair(const char *tag, struct json_object *val)
{
	struct json_object *p = json_object_new_array();

	json_object_array_add(p, J_STR(tag));
	json_object_array_add(p, val);
	return p;
}

static struct json_object *one(struct json_object *c)
{
	struct json_object *a = json_object_new_array();

	if (c)
		json_object_array_add(a, c);
	return a;
}

static struct json_object *where_name(const char *name)
{
	return one(cond("name", "==", J_STR(name)));
}

static struct json_object *op(const char *what, const char *table, struct json_object *where)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "op", J_STR(what));
	json_object_object_add(o, "table", J_STR(table));
	if (where)
		json_object_object_add(o, "where", where);
	return o;
}

static struct json_object *columns(const char *const *cols)
{
	struct json_object *a = json_object_new_array();

	while (*cols)
		json_object_array_add(a, J_STR(*cols++));
	return a;
}

static struct json_object *select_op(const char *table, struct json_object *where,
				     const char *const *cols)
{
	struct json_object *o = op("select", table, where);

	json_object_object_add(o, "columns", columns(cols));
	return o;
}

/* mutate TABLE WHERE [[COL, MUTATOR, VALUE]] */
static struct json_object *mutate_op(const char *table, struct json_object *where,
				     const char *col, const char *mutator, struct json_object *val)
{
	struct json_object *o = op("mutate", table, where);

	json_object_object_add(o, "mutations", one(cond(col, mutator, val)));
	return o;
}

/* comment: "vif-openvswitch: VERB port NAME[ to BRIDGE]", for ovsdb-server's log */
static struct json_object *comment_op(const char *verb, const char *name, const char *bridge)
{
	struct json_object *o = json_object_new_object();
	char text[128];

	snprintf(text, sizeof(text), "vif-openvswitch: %s port %s%s%s", verb, name,
		 bridge ? " to " : "", bridge ? bridge : "");
	json_object_object_add(o, "op", J_STR("comment"));
	json_object_object_add(o, "comment", J_STR(text));
	return o;
}

/* ops 0, 1: the bridge's row, and the port's of the same name, if any */
struct json_object *xnh_ovs_txn_lookup(const char *bridge, const char *port)
{
	static const char *const uuid[] = { "_uuid", NULL };
	struct json_object *ops = json_object_new_array();

	json_object_array_add(ops, select_op("Bridge", where_name(bridge), uuid));
	json_object_array_add(ops, select_op("Port", where_name(port), uuid));
	return ops;
}

/* wait: the bridge's row is there now (else "timed out") */
static struct json_object *wait_bridge(const char *bridge)
{
	static const char *const name[] = { "name", NULL };
	struct json_object *o = op("wait", "Bridge", where_name(bridge)), *row;

	row = json_object_new_object();
	json_object_object_add(row, "name", J_STR(bridge));
	json_object_object_add(o, "columns", columns(name));
	json_object_object_add(o, "until", J_STR("=="));
	json_object_object_add(o, "rows", one(row));
	json_object_object_add(o, "timeout", json_object_new_int(0));
	return o;
}

static void ext_id(struct json_object *map, const char *k, const char *v)
{
	struct json_object *kv;

	if (!v)
		return;
	kv = json_object_new_array();
	json_object_array_add(kv, J_STR(k));
	json_object_array_add(kv, J_STR(v));
	json_object_array_add(map, kv);
}

static struct json_object *insert_iface(const struct xnh_ovs_port *p)
{
	struct json_object *o = op("insert", "Interface", NULL), *row = json_object_new_object();
	struct json_object *ids = json_object_new_array();

	ext_id(ids, "attached-mac", p->mac);
	ext_id(ids, "xen-vm-name", p->vm_name);
	ext_id(ids, "xen-vm-uuid", p->vm_uuid);
	json_object_object_add(row, "name", J_STR(p->name));
	json_object_object_add(row, "external_ids", pair("map", ids));
	if (p->mtu)
		json_object_object_add(row, "mtu_request", json_object_new_int64(p->mtu));
	json_object_object_add(o, "row", row);
	json_object_object_add(o, "uuid-name", J_STR("xnet_iface"));
	return o;
}

/* tag, trunks and, when both (OVS ignores trunks beside an implicit
 * tag otherwise), vlan_mode native-untagged */
static void port_vlans(struct json_object *row, const struct xnh_vlan *v)
{
	struct json_object *set = json_object_new_array();
	int id = -1;

	while (v && (id = xnh_vlan_next_trunk(v, id)) >= 0)
		json_object_array_add(set, json_object_new_int(id));
	if (v && v->pvid >= 0)
		json_object_object_add(row, "tag", json_object_new_int(v->pvid));
	if (json_object_array_length(set))
		json_object_object_add(row, "trunks", pair("set", set));
	else
		json_object_put(set);
	if (v && v->pvid >= 0 && xnh_vlan_ntrunks(v))
		json_object_object_add(row, "vlan_mode", J_STR("native-untagged"));
}

static struct json_object *insert_port(const struct xnh_ovs_port *p)
{
	struct json_object *o = op("insert", "Port", NULL), *row = json_object_new_object();

	json_object_object_add(row, "name", J_STR(p->name));
	json_object_object_add(row, "interfaces", pair("named-uuid", J_STR("xnet_iface")));
	port_vlans(row, p->vlan);
	json_object_object_add(o, "row", row);
	json_object_object_add(o, "uuid-name", J_STR("xnet_port"));
	return o;
}

static struct json_object *bump_cfg(void)
{
	return mutate_op("Open_vSwitch", one(NULL), "next_cfg", "+=", json_object_new_int(1));
}

/* A port @uuid off every bridge, and gone (its Interface goes with it). */
static void del_port(struct json_object *ops, const char *uuid)
{
	struct json_object *w = one(cond("ports", "includes", pair("uuid", J_STR(uuid))));

	json_object_array_add(ops, mutate_op("Bridge", w, "ports", "delete",
					     pair("uuid", J_STR(uuid))));
	w = one(cond("_uuid", "==", pair("uuid", J_STR(uuid))));
	json_object_array_add(ops, op("delete", "Port", w));
}

/* ops: 0 wait for the bridge, 1 Interface, 2 Port, 3 on the bridge,
 * 4 next_cfg + 1, 5 its value; then the old port of that name gone. */
struct json_object *xnh_ovs_txn_add(const struct xnh_ovs_port *p, const char *old_uuid)
{
	static const char *const next[] = { "next_cfg", NULL };
	struct json_object *ops = json_object_new_array();

	json_object_array_add(ops, wait_bridge(p->bridge));
	json_object_array_add(ops, insert_iface(p));
	json_object_array_add(ops, insert_port(p));
	json_object_array_add(ops, mutate_op("Bridge", where_name(p->bridge), "ports", "insert",
					     pair("named-uuid", J_STR("xnet_port"))));
	json_object_array_add(ops, bump_cfg());
	json_object_array_add(ops, select_op("Open_vSwitch", one(NULL), next));
	if (old_uuid)
		del_port(ops, old_uuid);
	json_object_array_add(ops, comment_op("add", p->name, p->bridge));
	return ops;
}

/* ops: 0, 1 the port gone, 2 next_cfg + 1, 3 its value */
struct json_object *xnh_ovs_txn_del(const char *uuid, const char *name)
{
	static const char *const next[] = { "next_cfg", NULL };
	struct json_object *ops = json_object_new_array();

	del_port(ops, uuid);
	json_object_array_add(ops, bump_cfg());
	json_object_array_add(ops, select_op("Open_vSwitch", one(NULL), next));
	json_object_array_add(ops, comment_op("delete", name, NULL));
	return ops;
}

/* ops: 0 the configuration's progress, 1 the Interface, 2 the Port, 3 the bridges */
struct json_object *xnh_ovs_txn_state(const char *name)
{
	static const char *const cfg[] = { "cur_cfg", "next_cfg", NULL };
	static const char *const iface[] = { "ofport", "error", "mtu", NULL };
	static const char *const port[] = { "_uuid", "tag", "trunks", "vlan_mode", NULL };
	static const char *const br[] = { "name", "ports", NULL };
	struct json_object *ops = json_object_new_array();

	json_object_array_add(ops, select_op("Open_vSwitch", one(NULL), cfg));
	json_object_array_add(ops, select_op("Interface", where_name(name), iface));
	json_object_array_add(ops, select_op("Port", where_name(name), port));
	json_object_array_add(ops, select_op("Bridge", one(NULL), br));
	return ops;
}
