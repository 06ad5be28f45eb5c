/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-openvswitch-status.c: what the vif asks for, and `status`: whether it has it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/store/store.h"
#include "lib/fw/fw.h"
#include "vif-openvswitch.h"

static int bad(struct xnh_run *r, const char *key, const char *v, const char *why)
{
	char q[64];

	xnh_quote(v, q, sizeof(q));
	return xnh_ctx_fail(&r->ctx, -EINVAL, "invalid %s '%s' (%s)", key, q, why);
}

/* libxl's `vlan` key, when there: the bridge's own spec must name none. */
static int load_vlan_key(struct xnh_run *r, struct vo_want *w)
{
	unsigned int id;
	char *v;
	int ret = xnh_vif_key(r, "vlan", &v);

	if (ret < 0 || !v)
		return ret;
	if (w->vlan.pvid >= 0 || xnh_vlan_ntrunks(&w->vlan))
		ret = bad(r, "vlan", v, "the bridge names VLANs too");
	else if (xnh_vlan_list_parse(v, &w->vlan) < 0)
		ret = bad(r, "vlan", v, "xenstore; VLAN[p|u], A-B[u] or V+OxN[u], 1..4094, "
			  "separated by /");
	for (id = 0; ret >= 0 && id <= XNH_VLAN_ID_MAX; id++)
		if (xnh_vlan_untagged(&w->vlan, id) && (int)id != w->vlan.pvid)
			ret = bad(r, "vlan", v, "an Open vSwitch port has one untagged VLAN");
	free(v);
	return ret;
}

/* xenstore `bridge` (else bridge= given to the program; the driver reads
 * it, XNH_PROG_BRIDGE): BRIDGE[.VLAN][:TRUNK...], VLANs 0..4095; then
 * `vlan`. */
int vo_want_load(struct xnh_run *r, struct vo_want *w)
{
	const char *spec = r->ctx.val[XNH_K_BRIDGE];
	int ret = 0;

	if (!spec)
		ret = xnh_ctx_fail(&r->ctx, -EINVAL, "no bridge given (xenstore %s/bridge)",
				   r->ctx.xb_path[0] ? r->ctx.xb_path : "XENBUS_PATH");
	else if (xnh_valid_text(spec) < 0 || xnh_vlan_bridge_parse(spec, w->bridge, &w->vlan) < 0)
		ret = bad(r, "bridge", spec, "BRIDGE[.VLAN][:TRUNK...], VLANs 0..4095");
	return ret < 0 ? ret : load_vlan_key(r, w);
}

/* xenstore `mtu` when set, else the bridge's (its internal port's). */
int vo_choose_mtu(struct xnh_run *r, const char *bridge, unsigned int *mtu)
{
	struct xnh_link br;

	return xnh_vif_mtu(r, xnh_link_get(&r->nl, bridge, &br) == 0 ? br.mtu : 1500, mtu);
}

/* tag, trunks and vlan_mode as asked */
static void check_vlans(struct xnh_status *s, const struct vo_want *w,
			const struct xnh_ovs_state *st, const char *dev)
{
	unsigned int ntr = xnh_vlan_ntrunks(&w->vlan), same = 0;
	int id = -1;
	char fix[96];

	while ((id = xnh_vlan_next_trunk(&w->vlan, id)) >= 0)
		same += xnh_vlan_has(&st->trunks, (unsigned int)id);
	snprintf(fix, sizeof(fix), "vif-openvswitch online (it sets them)");
	xnh_status_check(s, st->tag == w->vlan.pvid ? XNH_OK : XNH_FAIL, fix,
			 "port %s has tag %d (asked %d; -1: none)", dev, st->tag, w->vlan.pvid);
	xnh_status_check(s, same == ntr && st->ntrunks == ntr ? XNH_OK : XNH_FAIL, fix,
			 "port %s has the %u trunks asked (it has %u)", dev, ntr, st->ntrunks);
	if (w->vlan.pvid >= 0 && ntr)
		xnh_status_check(s, !strcmp(st->vlan_mode, "native-untagged") ? XNH_OK : XNH_FAIL,
				 fix, "port %s is native-untagged (tag and trunks both kept)", dev);
}

static void check_port(struct xnh_run *r, struct xnh_status *s, const struct vo_want *w)
{
	struct xnh_ovs_state st;
	struct xnh_ovs o;
	const char *dev = r->ctx.dev;
	char fix[160];
	int ret = xnh_ovs_open(&o, NULL, vo_timeout_ms());

	if (ret >= 0)
		ret = xnh_ovs_port_get(&o, dev, &st);
	xnh_ovs_close(&o);
	xnh_status_check(s, ret >= 0 ? XNH_OK : XNH_FAIL, "systemctl start openvswitch-switch",
			 "Open vSwitch's database at %s answers (%s)", o.path,
			 ret >= 0 ? "yes" : o.err[0] ? o.err : strerror(-ret));
	if (ret < 0)
		return;
	xnh_check_fix_online(r, fix, sizeof(fix));
	xnh_status_check(s, st.has_port && !strcmp(st.bridge, w->bridge) ? XNH_OK : XNH_FAIL, fix,
			 "%s is a port of %s (now: %s)", dev, w->bridge,
			 st.bridge[0] ? st.bridge : "none");
	if (!st.has_port)
		return;
	check_vlans(s, w, &st, dev);
	xnh_status_check(s, st.ofport > 0 && !st.error[0] ? XNH_OK : XNH_FAIL,
			 "ovs-vsctl list interface VIF; journalctl -u ovs-vswitchd",
			 "%s has an OpenFlow port (ofport %lld%s%s)", dev, (long long)st.ofport,
			 st.error[0] ? ", error: " : "", st.error);
}

static void check_link(struct xnh_run *r, struct xnh_status *s, const struct vo_want *w)
{
	const char *dev = r->ctx.dev;
	struct xnh_link vif;
	unsigned int mtu;
	char fix[96];
	int ret = xnh_link_get(&r->nl, dev, &vif);

	xnh_status_check(s, ret == 0 ? XNH_OK : XNH_FAIL, "is the guest running? (xl list)",
			 "%s exists", dev);
	if (ret < 0)
		return;
	snprintf(fix, sizeof(fix), "ip link set dev %s up", dev);
	xnh_status_check(s, xnh_link_is_up(&vif) ? XNH_OK : XNH_FAIL, fix, "%s is up", dev);
	if (vo_choose_mtu(r, w->bridge, &mtu) < 0) {
		xnh_status_check(s, XNH_FAIL, "xenstore-write XENBUS_PATH/mtu with a number "
				 "from 68 to 65535", "%s", r->ctx.err);
		return;
	}
	snprintf(fix, sizeof(fix), "ip link set dev %s mtu %u", dev, mtu);
	xnh_status_check(s, vif.mtu == mtu ? XNH_OK : XNH_FAIL, fix, "%s has MTU %u (now %u)",
			 dev, mtu, vif.mtu);
}

/* The vif's chain in table netdev xen, when its policy guards it. */
static void check_fw(struct xnh_run *r, struct xnh_status *s)
{
	uint8_t mac[6];
	bool has_mac = true;
	char fix[160];
	int g, ret;

	if (r->st.xs && xnh_fw_mac_load(r, mac, &has_mac) < 0) {
		xnh_status_check(s, XNH_FAIL, "correct the vif's mac, or give antispoof=no", "%s",
				 r->ctx.err);
		return;
	}
	g = xnh_fw_netdev_wanted(r, has_mac);
	ret = xnh_fw_netdev_check(r->ctx.dev);
	xnh_check_fix_online(r, fix, sizeof(fix));
	if (g <= 0)
		xnh_status_check(s, XNH_OK, NULL, "%s is not guarded by the guest firewall (%s)",
				 r->ctx.dev, g == 0 && r->ctx.ip.n ? "antispoof=no" : "no ip");
	else
		xnh_status_check(s, ret > 0 ? XNH_OK : XNH_FAIL, fix, "%s's guard is in place"
				 " (nft chains netdev xen %s, %s/nd, %s/frag6%s%s)", r->ctx.dev,
				 r->ctx.dev, r->ctx.dev, r->ctx.dev, ret < 0 ? ": " : "",
				 ret < 0 ? strerror(-ret) : "");
}

/* `vif-openvswitch status`: each check one line, a fix for each failure. */
int vo_status(struct xnh_run *r)
{
	struct xnh_status s;
	struct vo_want w;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	if (vo_want_load(r, &w) < 0) {
		xnh_status_check(&s, XNH_FAIL, "xenstore-write XENBUS_PATH/bridge BR[.VLAN]",
				 "%s", r->ctx.err);
	} else {
		check_port(r, &s, &w);
		check_link(r, &s, &w);
	}
	check_fw(r, &s);
	xnh_check_hotplug(r, &s);
	return xnh_status_end(&s);
}
