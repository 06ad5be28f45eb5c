/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-bridge: attach a guest's vif (or its emulated NIC's tap) to a bridge. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text/text.h"
#include "lib/store/store.h"
#include "lib/fw/fw.h"
#include "vif-bridge.h"

/* The numerically largest non-broadcast MAC: the bridge never takes it as
 * its own address (a bridge uses the lowest MAC of its ports). */
const uint8_t vb_vif_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The bridge by name; -ENODEV when there is no device of that name. */
static int resolve(struct xnh_run *r, const char *want, struct xnh_link *br)
{
	int ret = xnh_bridge_resolve(&r->nl, want, br);

	if (ret == -ENODEV && !want)
		return xnh_ctx_fail(&r->ctx, ret, "no bridge found, and none was specified");
	if (ret == -EMEDIUMTYPE)
		return xnh_ctx_fail(&r->ctx, ret, "%s is not a bridge", want);
	if (ret < 0 && ret != -ENODEV)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot look up bridge");
	return ret;
}

/* libxl's `vlan` key, when `bridge` gave no VLAN; absent or "": none. */
static int vlan_key(struct xnh_run *r, struct vb_where *w)
{
	char *v;
	int ret = xnh_vif_key(r, "vlan", &v);

	if (ret < 0 || !v)
		return ret;
	if (xnh_vlan_list_parse(v, &w->vlan) < 0)
		ret = xnh_vif_key_bad(r, "vlan", v);
	free(v);
	w->vlans = ret >= 0;
	return ret;
}

/* A Linux bridge takes VLANs 1..4094, on ports of a VLAN-filtering bridge. */
static int vlans_fit(struct xnh_run *r, const struct vb_where *w)
{
	struct xnh_bridge_info bi;
	int ret;

	if (xnh_vlan_has(&w->vlan, 0) || xnh_vlan_has(&w->vlan, XNH_VLAN_ID_MAX))
		return xnh_ctx_fail(&r->ctx, -ERANGE, "VLAN %u is not a VLAN of a Linux bridge"
				    " (1-4094)", xnh_vlan_has(&w->vlan, 0) ? 0 : XNH_VLAN_ID_MAX);
	ret = xnh_bridge_info_get(&r->nl, w->br.ifindex, &bi);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read bridge %s", w->br.name);
	if (!bi.vlan_filtering)
		return xnh_ctx_fail(&r->ctx, -EOPNOTSUPP, "bridge %s does not filter VLANs; make"
				    " it: ip link set dev %s type bridge vlan_filtering 1",
				    w->br.name, w->br.name);
	return 0;
}

/* The bridge `bridge` names (or the first one), and the VLANs of the vif:
 * `bridge=BR.VLAN:TRUNK...` when no device has that whole name, else
 * libxl's `vlan` key. */
int vb_find_bridge(struct xnh_run *r, struct vb_where *w)
{
	const char *want = r->ctx.val[XNH_K_BRIDGE];
	char name[XNH_IFNAMSIZ];
	int ret = resolve(r, want, &w->br);

	xnh_vlan_init(&w->vlan);
	w->vlans = false;
	if (want && ret == -ENODEV && xnh_vlan_bridge_parse(want, name, &w->vlan) == 0 &&
	    (w->vlan.pvid >= 0 || xnh_vlan_ntrunks(&w->vlan))) {
		w->vlans = true;
		ret = resolve(r, name, &w->br);
		want = name;
	}
	if (ret == -ENODEV && want)
		return xnh_ctx_fail(&r->ctx, ret, "bridge %s does not exist", want);
	if (ret >= 0 && !w->vlans)
		ret = vlan_key(r, w);
	if (ret >= 0 && w->vlans)
		ret = vlans_fit(r, w);
	return ret;
}

/* On a VLAN-aware bridge, the port (still down) is made a member of
 * exactly its VLANs: the bridge's default VLAN 1 goes. */
static int join_vlans(struct xnh_run *r, struct xnh_link *vif, const struct vb_where *w)
{
	struct xnh_vlan have;
	int ret = xnh_brvlan_get(&r->nl, vif->ifindex, &have);

	if (ret >= 0)
		ret = xnh_brvlan_apply(&r->nl, r->ctx.dev, vif->ifindex, &w->vlan, &have);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "set the VLANs of %s", r->ctx.dev);
	ret = xnh_link_set_up(&r->nl, vif, true);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "set %s up", r->ctx.dev);
	return 0;
}

/* Its address flushed, its MAC, MTU and bridge set, then up: by then its
 * guard is in place (and its VLANs, on a VLAN-aware bridge). */
static int attach(struct xnh_run *r, struct xnh_link *vif, const struct vb_where *w,
		  unsigned int mtu)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	const char *dev = r->ctx.dev;
	int ret = xnh_addr_flush(&r->nl, dev, vif->ifindex);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "reset %s", dev);
	req.ifindex = vif->ifindex;
	req.name = dev;
	req.mac = vb_vif_mac;
	req.mtu = mtu;
	req.master = w->br.ifindex;
	req.master_name = w->br.name;
	req.up = w->vlans ? XNH_UNCHANGED : 1;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "add %s to bridge %s", dev, w->br.name);
	return w->vlans ? join_vlans(r, vif, w) : 0;
}

/* Down first, so that nothing it sends is forwarded before its guard is
 * in place; any failure from here on runs vb_undo() (fail closed). */
static int quiesce(struct xnh_run *r, struct xnh_link *vif)
{
	int ret = xnh_link_set_up(&r->nl, vif, false);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "set %s down", r->ctx.dev);
	return 0;
}

static int vb_undo(struct xnh_run *r);

static int vb_up(struct xnh_run *r)
{
	struct vb_where w;
	struct xnh_link vif;
	unsigned int mtu;
	uint8_t mac[6];
	bool has_mac;
	int ret;

	ret = vb_find_bridge(r, &w);
	if (ret >= 0)
		ret = xnh_vif_mtu(r, w.br.mtu, &mtu);
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
							  w.br.name));
	if (ret >= 0)
		ret = xnh_step(r, "attach", attach(r, &vif, &w, mtu));
	if (ret >= 0)
		ret = xnh_step(r, "mtu", xnh_vif_tell_mtu(r, mtu));
	if (ret >= 0) {
		r->at = XNH_AT_BRIDGE;
		snprintf(r->bridge, sizeof(r->bridge), "%s", w.br.name);
	}
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
		return xnh_ctx_fail_errno(&r->ctx, ret, "look up %s", r->ctx.dev);
	req.ifindex = vif.ifindex;
	req.name = r->ctx.dev;
	req.up = 0;
	if (vif.master)
		req.master = 0;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret == -ENODEV)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "remove %s from its bridge", r->ctx.dev);
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
	.usage = "online|offline|add|remove|status [type_if=vif|tap]"
		 " [bridge=BR[.VLAN][:TRUNK...]] [ip=ADDRS] [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
