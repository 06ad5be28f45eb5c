/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-nat-status.c: vif-nat status: the seed's NAT troubleshooting, as checks. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/sys/sys.h"
#include "lib/fw/fw.h"
#include "lib/foreign/foreign.h"
#include "vif-nat.h"

/* The guest's domain and handle: from xenstore, else from the vif's name
 * (vif<domid>.<handle>, as libxl names it). */
static int numbers(struct xnh_run *r, unsigned int *domid, unsigned int *handle)
{
	const char *dev = r->ctx.dev;
	char tail;

	*domid = r->ctx.domid;
	*handle = r->ctx.devid;
	if (r->st.xs) {
		int ret = vn_store_uint(r, "frontend-id", DOMID_MAX, domid);

		return ret < 0 ? ret : vn_store_uint(r, "handle", HANDLE_MAX, handle);
	}
	if (sscanf(dev, "vif%u.%u%c", domid, handle, &tail) == 2 && *domid <= DOMID_MAX &&
	    *handle <= HANDLE_MAX)
		return 0;
	if (r->ctx.val[XNH_K_IP])
		return 0;	/* the address is given; only a DHCP name would need them */
	return xnh_ctx_fail(&r->ctx, -EINVAL, "give ip= or XENBUS_PATH=: the name %s does not"
			    " say which guest it is", dev);
}

/* What online added (its record), else what an online would add now. */
static int expect(struct xnh_run *r, struct xnh_status *s, struct plan *p)
{
	char name[64], path[256], fix[200];
	const char *d = r->ctx.val[XNH_K_DHCP];
	unsigned int domid, handle;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = xnh_dhcp_conf_load(&p->dc);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "invalid %s (environment)", p->dc.failed);
	if (r->st.xs) {
		vn_state_name(r, name, sizeof(name));
		ret = xnh_natvif_load(name, &p->v);
		xnh_state_path(name, path, sizeof(path));
		xnh_check_fix_online(r, fix, sizeof(fix));
		xnh_status_check(s, ret == 0 ? XNH_OK : XNH_FAIL, fix,
				 "vif-nat online recorded what it added (%s)", path);
		if (ret == 0)
			return 0;
		memset(&p->v, 0, sizeof(p->v));
	}
	ret = numbers(r, &domid, &handle);
	if (ret >= 0)
		ret = vn_addresses(r, p, domid, handle + 1);
	if (ret < 0)
		return ret;
	p->v.dhcp = xnh_dhcp_backends(&p->dc, d ? xnh_ctx_bool(&r->ctx, XNH_K_DHCP, false) : -1);
	if (p->v.dhcp)
		xnh_nat_hostname(domid, handle + 1, p->v.host, sizeof(p->v.host));
	return 0;
}

static void check_vif(struct xnh_run *r, struct xnh_status *s, const struct plan *p,
		      const struct xnh_link *vif)
{
	struct xnh_sysctl_check c = { .want = "1", .bad = XNH_FAIL };
	char fix[64], what[96];
	struct xnh_route rt;
	struct xnh_addr a;
	size_t i;

	snprintf(fix, sizeof(fix), "ip link set dev %s up", vif->name);
	xnh_status_check(s, xnh_link_is_up(vif) ? XNH_OK : XNH_FAIL, fix, "%s is up", vif->name);
	snprintf(fix, sizeof(fix), "ip link set dev %s arp on", vif->name);
	xnh_status_check(s, vif->flags & IFF_NOARP ? XNH_FAIL : XNH_OK, fix,
			 "%s does ARP (no NOARP flag)", vif->name);
	vn_addr_of(&p->v, vif->ifindex, &a);
	xnh_check_addr(r, s, vif, &a.local, " (the guest's router)");
	snprintf(what, sizeof(what), "proxy ARP is on for %s (the guest's gateway is"
		 " answered)", vif->name);
	c.what = what;
	xnh_check_dev_sysctl(s, &c, "ipv4", vif->name, "proxy_arp", true);
	for (i = 0; i < p->v.n; i++) {
		vn_route_of(&p->v, i, vif->ifindex, &rt);
		xnh_check_route(r, s, vif->name, &rt);
	}
}

/* network-nat's part: forwarding, and the masquerade of the uplink that
 * guest traffic leaves by (netdev=, else the default route's device). */
static void check_nat(struct xnh_run *r, struct xnh_status *s)
{
	struct xnh_sysctl_check c = { .what = "IPv4 forwarding is on", .want = "1",
				      .path = "net/ipv4/ip_forward", .bad = XNH_FAIL,
				      .by = "network-nat start" };
	struct xnh_link up;

	xnh_check_sysctl(s, &c);
	if (xnh_netdev_get(&r->nl, r->ctx.val[XNH_K_NETDEV], &up) == -ENODEV)
		xnh_status_check(s, XNH_FAIL, "name the uplink with netdev=", "uplink %s exists",
				 up.name);
	else
		xnh_fw_nat_status(s, up.name);
}

static void check_entry(struct xnh_run *r, struct xnh_status *s, const struct plan *p,
			enum xnh_dhcp_entry e, const char *key, const char *what)
{
	const char *path;
	char fix[200];
	int ret = xnh_dhcp_has(&p->dc, e, key, &path);

	xnh_check_fix_online(r, fix, sizeof(fix));
	xnh_status_check(s, ret > 0 ? XNH_OK : XNH_FAIL, fix, "%s %s is in %s", what, key, path);
}

/* The guest's entry with each DHCP server online gave it to. */
static void check_dhcp(struct xnh_run *r, struct xnh_status *s, const struct plan *p)
{
	if (!p->v.dhcp || !p->v.host[0]) {
		xnh_status_check(s, XNH_OK, NULL, "no DHCP server is in use for %s", r->ctx.dev);
		return;
	}
	if (p->v.dhcp & XNH_DHCP_ISC) {
		check_entry(r, s, p, XNH_DHCP_ISC_HOST, p->v.host, "host");
		/* online edits the defaults file only if it is there */
		if (!access(p->dc.isc_defaults, F_OK))
			check_entry(r, s, p, XNH_DHCP_ISC_IFACE, r->ctx.dev, "interface");
	}
	if (p->v.dhcp & XNH_DHCP_DNSMASQ) {
		check_entry(r, s, p, XNH_DHCP_DNSMASQ_HOST, p->v.host, "host");
		check_entry(r, s, p, XNH_DHCP_DNSMASQ_OPT, r->ctx.dev, "router option of");
	}
}

/* Each thing the seed guide's NAT troubleshooting compares by eye, one
 * line each; 1 when one failed. */
int vn_status(struct xnh_run *r)
{
	struct xnh_status s;
	struct xnh_link vif;
	struct plan p;
	int ret, known;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	known = expect(r, &s, &p) >= 0;
	if (!known)
		xnh_status_check(&s, XNH_FAIL, "correct ip, or give XENBUS_PATH=", "%s",
				 r->ctx.err);
	ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);
	xnh_status_check(&s, ret == 0 ? XNH_OK : XNH_FAIL, "is the guest running? (xl list)",
			 "%s exists", r->ctx.dev);
	if (known && ret == 0)
		check_vif(r, &s, &p, &vif);
	check_nat(r, &s);
	if (known)
		check_dhcp(r, &s, &p);
	xnh_fw_vif_status(r, &s, XNH_FW_INET, false, NULL);
	xnh_check_others(&s, &(struct xnh_others){ .vif = r->ctx.dev, .families = XNF_IPV4 });
	xnh_check_hotplug(r, &s);
	return xnh_status_end(&s);
}
