/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-nat: route a NAT guest through dom0: router address, host route, proxy ARP, DHCP. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/text/text.h"
#include "lib/sys/sys.h"
#include "lib/store/store.h"
#include "lib/state/state.h"
#include "lib/fw/fw.h"
#include "vif-nat.h"

static int save_state(struct xnh_run *r, const struct xnh_natvif *v)
{
	char name[64];
	int ret;

	vn_state_name(r, name, sizeof(name));
	ret = xnh_natvif_save(name, v);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot save state %s", name);
	return 0;
}

/* The guest's addresses in @nat_sources: their traffic is masqueraded
 * where it leaves by a NAT uplink, a routed guest's is not. */
static int nat_sources(struct xnh_run *r, const struct xnh_natvif *v, bool on)
{
	struct xnh_inet a = { .family = AF_INET, .prefix = 32 };
	struct xnh_fw fw = { 0 };
	size_t i;
	int ret = xnh_fw_open(&fw);

	for (i = 0; ret >= 0 && i < v->n; i++) {
		a.a.v4 = v->guest[i];
		ret = xnh_fw_nat_source(&fw, &a, on);
	}
	xnh_fw_close(&fw);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot %s the addresses of %s (nft set"
					  " inet xen nat_sources)", on ? "masquerade" :
					  "stop masquerading", v->dev);
	return 0;
}

/* The NAT guest's firewall elements (table inet xen), added at online;
 * removed at offline or by a rollback, as the firewall recorded them. */
static int fw_guest(struct xnh_run *r, const struct xnh_natvif *v, bool on)
{
	int ret = xnh_fw_guard(r, XNH_FW_INET, NULL, NULL, on);

	if (ret >= 0 && v && on)
		ret = nat_sources(r, v, true);
	return ret;
}

static void reload_dnsmasq(struct xnh_dhcp_conf *dc, unsigned int backends)
{
	int ret;

	if (!(backends & XNH_DHCP_DNSMASQ))
		return;
	ret = xnh_dnsmasq_reload(dc->dnsmasq_pid);
	if (ret < 0)
		xnh_log_errno(LOG_WARNING, ret, "cannot signal dnsmasq (pidfile %s)",
			      dc->dnsmasq_pid);
}

/* Link up with ARP, proxy ARP, the router's /32, a route to each guest
 * from the router's address. */
static int configure(struct xnh_run *r, struct plan *p, const struct xnh_link *vif)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	const char *dev = r->ctx.dev;
	struct xnh_route rt;
	struct xnh_addr a;
	size_t i;
	int ret;

	req.ifindex = vif->ifindex;
	req.name = dev;
	req.up = 1;
	if (vif->flags & IFF_NOARP)
		req.arp = 1;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret >= 0)
		ret = xnh_sysctl_dev("ipv4", dev, "proxy_arp", "1");
	vn_addr_of(&p->v, vif->ifindex, &a);
	if (ret >= 0 && (ret = xnh_addr_add(&r->nl, dev, &a)) == -EEXIST)
		ret = 0;
	for (i = 0; ret >= 0 && i < p->v.n; i++) {
		vn_route_of(&p->v, i, vif->ifindex, &rt);
		if ((ret = xnh_route_add(&r->nl, dev, &rt)) == -EEXIST)
			ret = 0;	/* ours: vn_check_conflicts() saw every other */
	}
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "configure %s", dev);
	return 0;
}

/* The guest's DHCP entry, when it takes its address by DHCP. */
static int dhcp_add(struct xnh_run *r, struct plan *p)
{
	int ret;

	if (!p->v.dhcp)
		return 0;
	ret = xnh_dhcp_host_add(&p->dc, p->v.dhcp, &p->host, r->ctx.dev);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot add DHCP host %s to %s",
					  p->host.name, p->dc.failed);
	reload_dnsmasq(&p->dc, p->v.dhcp);
	return 0;
}

/* The guard first: nothing the guest sends is routed before it is in
 * place; a failure at any step is undone by the caller. */
static int apply(struct xnh_run *r, struct plan *p, const struct xnh_link *vif)
{
	int ret = xnh_step(r, "guard", fw_guest(r, &p->v, true));

	if (ret >= 0)
		ret = xnh_step(r, "up", configure(r, p, vif));
	if (ret >= 0)
		ret = xnh_step(r, "dhcp", dhcp_add(r, p));
	return ret;
}

static int ok_if(int ret, int e1, int e2)
{
	return ret == e1 || ret == e2 ? 0 : ret;
}

/* Are the DHCP entries keyed by @v's device name (ISC's interface list,
 * dnsmasq's tag) still @v's? Not when that name is now another vif's (a
 * vifname reused by another domain, or a record of an earlier boot). */
static bool dev_entries_ours(struct xnh_run *r, const struct xnh_natvif *v, bool stale)
{
	struct xnh_link l;

	if (xnh_link_get(&r->nl, v->dev, &l) < 0)
		return true;
	return !stale && (!v->ifindex || l.ifindex == v->ifindex);
}

static int undo_dhcp(struct xnh_run *r, const struct xnh_natvif *v, struct xnh_dhcp_conf *dc,
		     bool stale)
{
	int ret;

	if (!v->dhcp || !v->host[0])
		return 0;
	ret = xnh_dhcp_host_del(dc, v->dhcp, v->host,
				dev_entries_ours(r, v, stale) ? v->dev : NULL);
	reload_dnsmasq(dc, v->dhcp);
	return ret;
}

/* Removes what @v says was added (the firewall elements too if @fw);
 * goes on after a failure, returns the first. A record of an earlier boot
 * describes nothing left in the kernel (its ifindex, its addresses may be
 * another guest's now): only its DHCP host entry, which outlives a
 * reboot in dhcpd.conf, is removed. */
static int undo(struct xnh_run *r, const struct xnh_natvif *v, struct xnh_dhcp_conf *dc, bool fw)
{
	bool stale = xnh_boot_other(v->boot);
	int first = undo_dhcp(r, v, dc, stale), ret = 0;
	struct xnh_link vif;
	struct xnh_route rt;
	struct xnh_addr a;
	size_t i;

	if (fw) {
		ret = xnh_fw_guard(r, XNH_FW_INET, NULL, NULL, false);
		first = first < 0 ? first : ret;
	}
	if (stale)
		return first;
	ret = nat_sources(r, v, false);
	first = first < 0 ? first : ret;
	ret = xnh_link_get(&r->nl, v->dev, &vif);
	if (ret < 0 || (v->ifindex && vif.ifindex != v->ifindex))
		return first < 0 ? first : ok_if(ret, -ENODEV, 0);	/* went with its device */
	for (i = 0; i < v->n; i++) {
		vn_route_of(v, i, vif.ifindex, &rt);
		ret = ok_if(xnh_route_del(&r->nl, v->dev, &rt), -ESRCH, -ENODEV);
		first = first < 0 ? first : ret;
	}
	vn_addr_of(v, vif.ifindex, &a);
	ret = ok_if(xnh_addr_del(&r->nl, v->dev, &a), -EADDRNOTAVAIL, -ENODEV);
	first = first < 0 ? first : ret;
	ret = ok_if(xnh_sysctl_dev("ipv4", v->dev, "proxy_arp", "0"), -ENOENT, 0);
	first = first < 0 ? first : ret;
	ret = ok_if(xnh_link_set_up(&r->nl, &vif, false), -ENODEV, 0);
	return first < 0 ? first : ret;
}

/* What an earlier online of this vif added (its record), removed first:
 * a changed `ip` must leave no route or entry of the old one behind. */
static void forget(struct xnh_run *r, struct xnh_dhcp_conf *dc)
{
	struct xnh_natvif old;
	char name[64];
	int ret;

	vn_state_name(r, name, sizeof(name));
	if (xnh_natvif_load(name, &old) < 0)
		return;
	if (xnh_boot_other(old.boot))
		xnh_log(LOG_WARNING, "forgetting vif-nat's record %s/%s of an earlier boot (%s,"
			" DHCP host '%s')", xnh_state_dir(), name, old.dev, old.host);
	ret = undo(r, &old, dc, true);
	if (ret < 0)
		xnh_log_errno(LOG_WARNING, ret, "removing what an earlier online of %s added",
			      old.dev);
}

static int up(struct xnh_run *r, struct plan *p)
{
	char name[64];
	struct xnh_link vif;
	int ret = xnh_vif_find(r, &vif);	/* netback's vif, or ours renamed already */

	if (ret >= 0)
		ret = vn_check_conflicts(r, &p->v, vif.ifindex);
	if (ret >= 0)
		ret = xnh_step(r, "rename", xnh_vif_rename(r));
	if (ret < 0)
		return ret;
	snprintf(p->v.dev, sizeof(p->v.dev), "%s", r->ctx.dev);
	p->v.ifindex = vif.ifindex;
	forget(r, &p->dc);
	ret = xnh_step(r, "state", save_state(r, &p->v));
	if (ret >= 0)
		ret = apply(r, p, &vif);
	if (ret < 0) {		/* as it was, or as near as the kernel lets us; down */
		vn_state_name(r, name, sizeof(name));
		undo(r, &p->v, &p->dc, true);
		xnh_state_remove(name);
	}
	return ret;
}

static int vn_down(struct xnh_run *r);

static int vn_up(struct xnh_run *r)
{
	struct plan p;
	int lock = -1, ret = vn_plan(r, &p);

	/* One run at a time: no other guest takes an address meanwhile. */
	if (ret >= 0)
		ret = xnh_run_lock(r, "vif-nat", &lock);
	if (ret >= 0)
		ret = up(r, &p);
	xnh_unlock(lock);
	if (ret >= 0)
		r->undo = vn_down;	/* should reporting it connected fail */
	r->at = XNH_AT_ROUTED;
	return ret;
}

/* Removes exactly what online added; a vif that is gone already, or a
 * second offline, is fine. */
static int vn_down(struct xnh_run *r)
{
	struct xnh_dhcp_conf dc;
	struct xnh_natvif v;
	char name[64];
	int lock = -1, ret = xnh_dhcp_conf_load(&dc);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "invalid %s (environment)", dc.failed);
	ret = xnh_run_lock(r, "vif-nat", &lock);
	if (ret < 0)
		return ret;
	vn_state_name(r, name, sizeof(name));
	ret = xnh_natvif_load(name, &v);
	if (ret == -EINVAL)
		xnh_log(LOG_WARNING, "ignoring unreadable state %s/%s", xnh_state_dir(), name);
	if (ret >= 0 && xnh_boot_other(v.boot)) {	/* online never ran in this boot */
		xnh_log(LOG_WARNING, "forgetting vif-nat's record %s/%s of an earlier boot (%s,"
			" DHCP host '%s')", xnh_state_dir(), name, v.dev, v.host);
		undo(r, &v, &dc, false);
		ret = -ESTALE;
	}
	if (ret < 0) {		/* netback's vif, or online never ran: down */
		ret = xnh_vif_down(r);
	} else {
		ret = undo(r, &v, &dc, false);
		if (ret < 0)
			xnh_ctx_fail(&r->ctx, ret, "remove %s's NAT set-up%s%s: %s", v.dev,
				     dc.failed ? " from " : "", dc.failed ? dc.failed : "",
				     strerror(-ret));
	}
	if (ret >= 0 && (ret = xnh_state_remove(name)) < 0)
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot remove state %s", name);
	/* The elements are this vif's alone: other runs need not wait for
	 * their removal (an nft delete ends by waiting for an RCU grace period). */
	xnh_unlock(lock);
	if (ret >= 0)
		ret = fw_guest(r, NULL, false);
	return ret;
}

/* The emulated NIC's tap of an HVM guest: nothing to do, as before. */
static int vn_tap(struct xnh_run *r)
{
	(void)r;
	return 0;
}

static const struct xnh_cmd cmds[] = {
	{ "online", vn_up, 0 },
	{ "offline", vn_down, 0 },
	{ "add", vn_tap, 0 },
	{ "remove", vn_tap, 0 },
	{ "status", vn_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "vif-nat",
	.flags = XNH_PROG_VIF,
	.usage = "online|offline|add|remove|status [type_if=vif|tap] [ip=ADDRS] [dhcp=yes|no]"
		 " [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
