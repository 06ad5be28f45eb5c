/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-openvswitch: attach a guest's vif (or its emulated NIC's tap) to an Open vSwitch bridge. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text/text.h"
#include "lib/sys/sys.h"
#include "lib/store/store.h"
#include "lib/fw/fw.h"
#include "vif-openvswitch.h"

#define OVS_TIMEOUT	30	/* s: to reach the database and see the port up */

/* The largest non-broadcast MAC, as upstream's setup_bridge_port gives. */
static const uint8_t vif_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The run's database connection, and whether this online added the port. */
static struct xnh_ovs db = { .fd = -1 };
static bool added;

unsigned int vo_timeout_ms(void)
{
	const char *t = getenv("XNET_OVS_TIMEOUT");
	unsigned long s;

	if (!t || xnh_parse_uint(t, 3600, &s) < 0 || !s)
		s = OVS_TIMEOUT;
	return (unsigned int)s * 1000;
}

static int db_open(struct xnh_run *r)
{
	int ret = xnh_ovs_open(&db, NULL, vo_timeout_ms());

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot connect to Open vSwitch's database"
					  " at %s (is ovsdb-server running?)", db.path);
	return 0;
}

static int db_fail(struct xnh_run *r, int ret, const char *what)
{
	if (db.err[0])
		return xnh_ctx_fail(&r->ctx, ret, "%s: %s", what, db.err);
	return xnh_ctx_fail_errno(&r->ctx, ret, "%s", what);
}

/* A value under the guest's /vm path, or NULL (left out of external_ids). */
static char *vm_key(struct xnh_run *r, const char *vm, const char *key)
{
	char *v = NULL;

	if (xnh_store_read_key(&r->st, vm, key, &v) < 0 || !*v || xnh_valid_text(v) < 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* xen-vm-name and xen-vm-uuid, from /local/domain/<frontend>/vm */
static void vm_ids(struct xnh_run *r, char **name, char **uuid)
{
	char dom[48], *vm = NULL;

	*name = *uuid = NULL;
	snprintf(dom, sizeof(dom), "/local/domain/%u", r->ctx.domid);
	vm = vm_key(r, dom, "vm");
	if (vm && !strncmp(vm, "/vm/", 4) && !strstr(vm, "..")) {
		*name = vm_key(r, vm, "name");
		*uuid = vm_key(r, vm, "uuid");
	}
	free(vm);
}

/* Its address flushed, its MAC and MTU set; down until the port is up. */
static int prepare(struct xnh_run *r, const struct xnh_link *vif, unsigned int mtu)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	int ret = xnh_addr_flush(&r->nl, r->ctx.dev, vif->ifindex);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "reset %s", r->ctx.dev);
	req.ifindex = vif->ifindex;
	req.name = r->ctx.dev;
	req.mac = vif_mac;
	req.mtu = mtu;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "set %s's MAC and MTU %u", r->ctx.dev, mtu);
	return 0;
}

/* The Port and Interface in one transaction, then until ovs-vswitchd has
 * it up with an OpenFlow port (ovs-vsctl would miss ofport -1). */
static int attach(struct xnh_run *r, const struct vo_want *w, const char *old,
		  unsigned int mtu, const uint8_t *mac)
{
	struct xnh_ovs_port p = { .bridge = w->bridge, .name = r->ctx.dev, .vlan = &w->vlan,
				  .mtu = mtu };
	struct xnh_ovs_state st;
	char macs[18], *name, *uuid;
	int64_t next;
	int ret;

	if (mac) {
		snprintf(macs, sizeof(macs), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
			 mac[2], mac[3], mac[4], mac[5]);
		p.mac = macs;
	}
	vm_ids(r, &name, &uuid);
	p.vm_name = name;
	p.vm_uuid = uuid;
	ret = xnh_ovs_port_add(&db, &p, old, &next);
	free(name);
	free(uuid);
	if (ret == -ENODEV)
		return xnh_ctx_fail(&r->ctx, ret, "bridge %s does not exist", w->bridge);
	if (ret < 0)
		return db_fail(r, ret, "cannot add port to Open vSwitch");
	added = true;
	ret = xnh_ovs_port_wait(&db, r->ctx.dev, next, &st);
	if (ret < 0)
		return db_fail(r, ret, "port did not come up on Open vSwitch");
	return 0;
}

static int set_up(struct xnh_run *r, struct xnh_link *vif, bool up)
{
	int ret = xnh_link_set_up(&r->nl, vif, up);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "set %s %s", r->ctx.dev, up ? "up" : "down");
	return 0;
}

static int vo_undo(struct xnh_run *r);

/* Everything read and checked before the first change. */
static int check(struct xnh_run *r, struct vo_want *w, unsigned int *mtu, char *old,
		 size_t len)
{
	int ret = vo_want_load(r, w);

	if (ret >= 0)
		ret = db_open(r);
	if (ret < 0)
		return ret;
	ret = xnh_ovs_bridge_find(&db, w->bridge, r->ctx.dev, old, len);
	if (ret == -ENODEV)
		return xnh_ctx_fail(&r->ctx, ret, "bridge %s does not exist in Open vSwitch",
				    w->bridge);
	if (ret < 0)
		return db_fail(r, ret, "cannot read Open vSwitch's database");
	return vo_choose_mtu(r, w->bridge, mtu);
}

static int vo_up(struct xnh_run *r)
{
	struct vo_want w;
	struct xnh_link vif;
	unsigned int mtu;
	uint8_t mac[6];
	char old[40];
	bool has_mac;
	int ret;

	ret = check(r, &w, &mtu, old, sizeof(old));
	if (ret >= 0)
		ret = xnh_fw_mac_load(r, mac, &has_mac);
	if (ret >= 0)
		ret = xnh_vif_find(r, &vif);
	if (ret < 0)
		return ret;
	r->undo = vo_undo;
	ret = xnh_step(r, "down", set_up(r, &vif, false));
	if (ret >= 0)
		ret = xnh_step(r, "rename", xnh_vif_rename(r));
	if (ret >= 0)
		ret = xnh_step(r, "guard", xnh_fw_netdev_guard(r, has_mac ? mac : NULL, true));
	if (ret >= 0)
		ret = xnh_step(r, "prepare", prepare(r, &vif, mtu));
	if (ret >= 0)
		ret = xnh_step(r, "attach", attach(r, &w, old, mtu, has_mac ? mac : NULL));
	if (ret >= 0)
		ret = xnh_step(r, "up", set_up(r, &vif, true));
	if (ret >= 0)
		ret = xnh_step(r, "mtu", xnh_vif_tell_mtu(r, mtu));
	xnh_ovs_close(&db);
	r->at = XNH_AT_SWITCH;	/* no Linux bridge: no forward chain sees it */
	return ret;
}

/* Down; a device netback already removed is fine. */
static int quiesce(struct xnh_run *r)
{
	struct xnh_link vif;
	int ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);

	if (ret == -ENODEV)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "look up %s", r->ctx.dev);
	ret = xnh_link_set_up(&r->nl, &vif, false);
	if (ret < 0 && ret != -ENODEV)
		return xnh_ctx_fail_errno(&r->ctx, ret, "set %s down", r->ctx.dev);
	return 0;
}

/* The port deleted by name (none is fine), on a connection of its own. */
static int detach(struct xnh_run *r)
{
	int ret;

	xnh_ovs_close(&db);
	ret = db_open(r);
	if (ret >= 0) {
		ret = xnh_ovs_port_del(&db, r->ctx.dev);
		if (ret < 0)
			db_fail(r, ret, "cannot delete port from Open vSwitch");
	}
	xnh_ovs_close(&db);
	return ret;
}

/* offline/remove: down, the port gone, then its guard. */
static int vo_down(struct xnh_run *r)
{
	int ret = quiesce(r), port = detach(r), fw = xnh_fw_netdev_guard(r, NULL, false);

	return ret < 0 ? ret : port < 0 ? port : fw;
}

/* A failed online: down, its port (if this run added it) and guard gone. */
static int vo_undo(struct xnh_run *r)
{
	int ret = quiesce(r), port = added ? detach(r) : 0;
	int fw = xnh_fw_netdev_guard(r, NULL, false);

	return ret < 0 ? ret : port < 0 ? port : fw;
}

static const struct xnh_cmd cmds[] = {
	{ "online", vo_up, 0 },
	{ "add", vo_up, 0 },
	{ "offline", vo_down, 0 },
	{ "remove", vo_down, 0 },
	{ "status", vo_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "vif-openvswitch",
	.flags = XNH_PROG_VIF | XNH_PROG_BRIDGE,
	.usage = "online|offline|add|remove|status [type_if=vif|tap]"
		 " [bridge=BR[.VLAN][:TRUNK...]] [ip=ADDRS] [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
