/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-bridge: attach a guest's vif (or its emulated NIC's tap) to a bridge. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xnethelper.h"

/* The numerically largest non-broadcast MAC: the bridge never takes it as
 * its own address (a bridge uses the lowest MAC of its ports). */
static const uint8_t vif_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

static int find_bridge(struct xnh_run *r, struct xnh_link *br)
{
	const char *want = r->ctx.val[XNH_K_BRIDGE];
	int ret = xnh_bridge_resolve(&r->nl, want, br);

	if (ret == -ENODEV && !want)
		return xnh_ctx_fail(&r->ctx, ret, "no bridge found, and none was specified");
	if (ret == -ENODEV)
		return xnh_ctx_fail(&r->ctx, ret, "bridge %s does not exist", want);
	if (ret == -EMEDIUMTYPE)
		return xnh_ctx_fail(&r->ctx, ret, "%s is not a bridge", want);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot look up bridge: %s", strerror(-ret));
	return 0;
}

/* xenstore `mtu` when set, else the bridge's. */
static int choose_mtu(struct xnh_run *r, const struct xnh_link *br, unsigned int *mtu)
{
	char *v, q[64];
	int ret;

	*mtu = br->mtu;
	if (!r->st.xs)		/* status by name, without xenstore */
		return 0;
	ret = xnh_store_read_key(&r->st, r->ctx.xb_path, "mtu", &v);
	if (ret == -ENOENT || (ret == 0 && !*v)) {
		free(v);
		return 0;
	}
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot read %s/mtu: %s", r->ctx.xb_path,
				    strerror(-ret));
	ret = xnh_parse_mtu(v, mtu);
	xnh_quote(v, q, sizeof(q));
	free(v);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, -EINVAL, "invalid mtu '%s' (xenstore)", q);
	return 0;
}

/* Tells the guest the MTU: by the backend path's numbers, never by the
 * device name (which `vifname` may have changed: the old bug). */
static int tell_frontend(struct xnh_run *r, unsigned int mtu)
{
	char path[96], val[12];
	int ret;

	if (r->ctx.type_if != XNH_TYPE_VIF)
		return 0;
	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/mtu", r->ctx.domid,
		 r->ctx.devid);
	snprintf(val, sizeof(val), "%u", mtu);
	ret = xnh_store_write(&r->st, path, val);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot write %s: %s", path, strerror(-ret));
	return 0;
}

/* Its address flushed, its MAC, MTU and bridge set, then up: by then its
 * guard is in place. */
static int attach(struct xnh_run *r, struct xnh_link *vif, const struct xnh_link *br,
		  unsigned int mtu)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	const char *dev = r->ctx.dev;
	int ret = xnh_addr_flush(&r->nl, dev, vif->ifindex);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "reset %s: %s", dev, strerror(-ret));
	req.ifindex = vif->ifindex;
	req.name = dev;
	req.mac = vif_mac;
	req.mtu = mtu;
	req.master = br->ifindex;
	req.master_name = br->name;
	req.up = 1;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "add %s to bridge %s: %s", dev, br->name,
				    strerror(-ret));
	return 0;
}

/* Down first, so that nothing it sends is forwarded before its guard is
 * in place; any failure from here on runs vb_undo() (fail closed). */
static int quiesce(struct xnh_run *r, struct xnh_link *vif)
{
	int ret = xnh_link_set_up(&r->nl, vif, false);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "set %s down: %s", r->ctx.dev, strerror(-ret));
	return 0;
}

static int vb_undo(struct xnh_run *r);

static int vb_up(struct xnh_run *r)
{
	struct xnh_link br, vif;
	unsigned int mtu;
	uint8_t mac[6];
	bool has_mac;
	int ret;

	ret = find_bridge(r, &br);
	if (ret >= 0)
		ret = choose_mtu(r, &br, &mtu);
	if (ret >= 0)
		ret = xnh_fw_mac_load(r, mac, &has_mac);
	if (ret >= 0)
		ret = xnh_vif_find(r, &vif);
	if (ret < 0)
		return ret;
	r->undo = vb_undo;
	ret = xnh_step(r, "down", quiesce(r, &vif));
	if (ret >= 0)
		ret = xnh_step(r, "rename", xnh_vif_rename(r));
	if (ret >= 0)
		ret = xnh_step(r, "guard", xnh_fw_hotplug(r, XNH_FW_BRIDGE, has_mac ? mac : NULL,
							  br.name));
	if (ret >= 0)
		ret = xnh_step(r, "attach", attach(r, &vif, &br, mtu));
	if (ret >= 0)
		ret = xnh_step(r, "mtu", tell_frontend(r, mtu));
	return ret;
}

/* Down and off its bridge; a device netback already removed is fine. */
static int detach(struct xnh_run *r)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct xnh_link vif;
	int ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);

	if (ret == -ENODEV)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "look up %s: %s", r->ctx.dev, strerror(-ret));
	req.ifindex = vif.ifindex;
	req.name = r->ctx.dev;
	req.up = 0;
	if (vif.master)
		req.master = 0;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret == -ENODEV)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "remove %s from its bridge: %s", r->ctx.dev,
				    strerror(-ret));
	return 0;
}

/* Its firewall elements go once it is down, even if the vif is gone. */
static int vb_down(struct xnh_run *r)
{
	int ret = detach(r);

	return ret < 0 ? ret : xnh_fw_hotplug(r, XNH_FW_BRIDGE, NULL, NULL);
}

/* A failed online: down, off the bridge, its elements gone (the rename
 * is undone after this, by the driver). */
static int vb_undo(struct xnh_run *r)
{
	int ret = detach(r), fw = xnh_fw_guard(r, XNH_FW_BRIDGE, NULL, NULL, false);

	return ret < 0 ? ret : fw;
}

/* ---- status: the seed guide's troubleshooting, done by the program ---- */

/* A guest's port: netback's or qemu's name, or one a vifname gave (its
 * mark), or the MAC online gives every vif. Any other port is an uplink. */
static bool is_guest_port(const struct xnh_link *l)
{
	return !strncmp(l->name, "vif", 3) || !strncmp(l->name, "tap", 3) ||
	       !strncmp(l->alias, "xen backend/vif/", 16) ||
	       (l->has_mac && !memcmp(l->mac, vif_mac, sizeof(vif_mac)));
}

static int count_uplinks(const struct xnh_link *l, void *arg)
{
	if (!is_guest_port(l))
		(*(int *)arg)++;
	return 0;
}

static void check_bridge(struct xnh_run *r, struct xnh_status *s, const struct xnh_link *br)
{
	char fix[128];
	int uplinks = 0, ret;

	snprintf(fix, sizeof(fix), "ip link set dev %s up", br->name);
	xnh_status_check(s, xnh_link_is_up(br) ? XNH_OK : XNH_FAIL, fix,
			 "bridge %s exists and is up", br->name);
	ret = xnh_bridge_ports(&r->nl, br->ifindex, count_uplinks, &uplinks);
	if (ret < 0) {
		xnh_status_check(s, XNH_FAIL, "bridge link show", "the ports of %s can be listed"
				 " (%s)", br->name, strerror(-ret));
		return;
	}
	snprintf(fix, sizeof(fix), "network-bridge start bridge=%s, or ip link set dev NIC "
		 "master %s", br->name, br->name);
	xnh_status_check(s, uplinks ? XNH_OK : XNH_WARN, fix, "%s has an uplink port besides "
			 "the guests' vifs (without one, guests reach only dom0)", br->name);
}

static void check_vif(struct xnh_run *r, struct xnh_status *s, const struct xnh_link *br,
		      const struct xnh_link *vif)
{
	const char *dev = r->ctx.dev;
	char fix[256], online[160];
	unsigned int mtu;

	xnh_check_fix_online(r, online, sizeof(online));
	snprintf(fix, sizeof(fix), "%s, or ip link set dev %s master %s", online, dev, br->name);
	xnh_status_check(s, vif->master == br->ifindex ? XNH_OK : XNH_FAIL, fix,
			 "%s is a port of %s", dev, br->name);
	snprintf(fix, sizeof(fix), "ip link set dev %s up", dev);
	xnh_status_check(s, xnh_link_is_up(vif) ? XNH_OK : XNH_FAIL, fix, "%s is up", dev);
	if (choose_mtu(r, br, &mtu) < 0) {
		xnh_status_check(s, XNH_FAIL, "xenstore-write XENBUS_PATH/mtu with a number "
				 "from 68 to 65535", "%s", r->ctx.err);
		return;
	}
	snprintf(fix, sizeof(fix), "ip link set dev %s mtu %u", dev, mtu);
	xnh_status_check(s, vif->mtu == mtu ? XNH_OK : XNH_FAIL, fix, "%s has MTU %u (now %u)",
			 dev, mtu, vif->mtu);
}

/* The guest's elements in table bridge xen (its MAC, when xenstore is
 * there to say it, is needed to guard it). */
static void check_fw(struct xnh_run *r, struct xnh_status *s, const struct xnh_link *br)
{
	uint8_t mac[6];
	bool has_mac = true;

	if (r->st.xs && xnh_fw_mac_load(r, mac, &has_mac) < 0) {
		xnh_status_check(s, XNH_FAIL, "correct the vif's mac, or give antispoof=no", "%s",
				 r->ctx.err);
		return;
	}
	xnh_fw_vif_status(r, s, XNH_FW_BRIDGE, has_mac, br->ifindex ? br->name : NULL);
}

static int vb_status(struct xnh_run *r)
{
	struct xnh_status s;
	struct xnh_link br = { .ifindex = 0 }, vif;
	int ret;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	ret = find_bridge(r, &br);
	if (ret < 0) {
		xnh_status_check(&s, XNH_FAIL, "network-bridge start, or give bridge=NAME",
				 "%s", r->ctx.err);
		br.ifindex = 0;
	} else {
		check_bridge(r, &s, &br);
	}
	ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);
	xnh_status_check(&s, ret == 0 ? XNH_OK : XNH_FAIL, "is the guest running? (xl list)",
			 "%s exists", r->ctx.dev);
	if (ret == 0 && br.ifindex)
		check_vif(r, &s, &br, &vif);
	check_fw(r, &s, &br);
	xnh_check_hotplug(r, &s);
	return xnh_status_end(&s);
}

static const struct xnh_cmd cmds[] = {
	{ "online", vb_up, 0 },
	{ "add", vb_up, 0 },
	{ "offline", vb_down, 0 },
	{ "remove", vb_down, 0 },
	{ "status", vb_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "vif-bridge",
	.flags = XNH_PROG_VIF | XNH_PROG_BRIDGE,
	.usage = "online|offline|add|remove|status [type_if=vif|tap] [bridge=BR] [ip=ADDRS]"
		 " [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
