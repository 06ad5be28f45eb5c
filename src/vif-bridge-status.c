/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-bridge-status.c: the seed guide's troubleshooting of a bridged vif, done by the program. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fw/fw.h"
#include "vif-bridge.h"

/* A guest's port: netback's or qemu's name, or one a vifname gave (its
 * mark), or the MAC online gives every vif. Any other port is an uplink. */
static bool is_guest_port(const struct xnh_link *l)
{
	return !strncmp(l->name, "vif", 3) || !strncmp(l->name, "tap", 3) ||
	       !strncmp(l->alias, "xen backend/vif/", 16) ||
	       (l->has_mac && !memcmp(l->mac, vb_vif_mac, sizeof(vb_vif_mac)));
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
	if (xnh_vif_mtu(r, br->mtu, &mtu) < 0) {
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

/* `vif-bridge status`: each check one line, a fix for each failure. */
/* "10 untagged (PVID), 20 30": a port's VLANs, as `bridge vlan` lists them. */
static void vlans_text(const struct xnh_vlan *v, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int id;

	buf[0] = '\0';
	for (id = 0; id <= XNH_VLAN_ID_MAX && n < len; id++)
		if (xnh_vlan_has(v, id))
			n += (size_t)snprintf(buf + n, len - n, "%s%u%s%s", n ? " " : "", id,
					      xnh_vlan_untagged(v, id) ? " untagged" : "",
					      (int)id == v->pvid ? " (PVID)" : "");
	if (!buf[0])
		snprintf(buf, len, "none");
}

static bool same_vlans(const struct xnh_vlan *a, const struct xnh_vlan *b)
{
	return a->pvid == b->pvid && !memcmp(a->member, b->member, sizeof(a->member)) &&
	       !memcmp(a->untagged, b->untagged, sizeof(a->untagged));
}

/* On a VLAN-aware bridge: the port is in exactly its VLANs (no VLAN 1). */
static void check_vlans(struct xnh_run *r, struct xnh_status *s, const struct vb_where *w,
			const struct xnh_link *vif)
{
	char want[256], have_text[256], fix[160];
	struct xnh_vlan have;
	int ret = xnh_brvlan_get(&r->nl, vif->ifindex, &have);

	vlans_text(&w->vlan, want, sizeof(want));
	if (ret < 0)
		snprintf(have_text, sizeof(have_text), "cannot be read: %s", strerror(-ret));
	else
		vlans_text(&have, have_text, sizeof(have_text));
	xnh_check_fix_online(r, fix, sizeof(fix));
	xnh_status_check(s, ret >= 0 && same_vlans(&have, &w->vlan) ? XNH_OK : XNH_FAIL, fix,
			 "%s is in VLANs %s and no other (now %s)", r->ctx.dev, want, have_text);
}

int vb_status(struct xnh_run *r)
{
	struct xnh_status s;
	struct vb_where w = { .br.ifindex = 0 };
	struct xnh_link *br = &w.br, vif;
	char fix[160];
	int ret;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	ret = vb_find_bridge(r, &w);
	if (ret == -EOPNOTSUPP)
		snprintf(fix, sizeof(fix), "ip link set dev %s type bridge vlan_filtering 1",
			 br->name);
	if (ret < 0)
		xnh_status_check(&s, XNH_FAIL, ret == -EOPNOTSUPP ? fix :
				 "network-bridge start, or give bridge=NAME", "%s", r->ctx.err);
	if (ret < 0 && ret != -EOPNOTSUPP)
		br->ifindex = 0;
	if (br->ifindex)
		check_bridge(r, &s, br);
	ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);
	xnh_status_check(&s, ret == 0 ? XNH_OK : XNH_FAIL, "is the guest running? (xl list)",
			 "%s exists", r->ctx.dev);
	if (ret == 0 && br->ifindex)
		check_vif(r, &s, br, &vif);
	if (ret == 0 && br->ifindex && w.vlans)
		check_vlans(r, &s, &w, &vif);
	check_fw(r, &s, br);
	if (br->ifindex)
		xnh_check_others(&s, &(struct xnh_others){ .vif = r->ctx.dev, .bridge = br->name,
				 .families = xnh_others_families(&r->ctx.ip) });
	xnh_check_hotplug(r, &s);
	return xnh_status_end(&s);
}
