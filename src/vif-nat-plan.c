/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vif-nat-plan.c: what vif-nat gives a guest (router and guest addresses,
 * DHCP entry), worked out and checked before any change. */
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

/* The state file of this vif's online. */
void vn_state_name(const struct xnh_run *r, char *buf, size_t len)
{
	snprintf(buf, len, "vif-nat.%u.%u", r->ctx.domid, r->ctx.devid);
}

/* A number key of the backend; *out keeps its default when the key is missing. */
int vn_store_uint(struct xnh_run *r, const char *key, unsigned long max, unsigned int *out)
{
	unsigned long n;
	char *v, q[64];
	int ret = xnh_store_read_key(&r->st, r->ctx.xb_path, key, &v);

	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read %s/%s", r->ctx.xb_path, key);
	ret = xnh_parse_uint(v, max, &n);
	xnh_quote(v, q, sizeof(q));
	free(v);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, -EINVAL, "invalid %s '%s' (xenstore)", key, q);
	*out = (unsigned int)n;
	return 0;
}

/* The guest's addresses: `ip` (IPv4 only: NAT is for IPv4), else (unset,
 * or blanks only) the default 10.<domid/256>.<domid%256>.<vifid>/16; the
 * router address from the first. */
int vn_addresses(struct xnh_run *r, struct plan *p, unsigned int domid, unsigned int vifid)
{
	const struct xnh_iplist *ip = &r->ctx.ip;
	struct xnh_iplist def = { .n = 1 };
	struct xnh_inet rt;
	char q[64];
	size_t i;

	if (!r->ctx.val[XNH_K_IP] || !ip->n) {
		if (xnh_nat_default_ip(domid, vifid, &def.e[0]) < 0)
			return xnh_ctx_fail(&r->ctx, -ERANGE, "no default address for domain %u"
					    " vif %u: set ip", domid, vifid);
		ip = &def;
		r->ctx.ip = def;	/* the firewall guards it by that address, as
					 * the old script's rules named it */
	}
	for (i = 0; i < ip->n; i++) {
		xnh_inet_format(&ip->e[i], ip->e[i].has_prefix, q, sizeof(q));
		if (ip->e[i].family != AF_INET)
			return xnh_ctx_fail(&r->ctx, -EAFNOSUPPORT, "vif-nat routes IPv4"
					    " only: '%s'", q);
		if (i == 0 && xnh_nat_router(&ip->e[0], &rt) < 0)
			return xnh_ctx_fail(&r->ctx, -EINVAL, "'%s' is not a host address", q);
		p->v.guest[p->v.n++] = ip->e[i].a.v4;
	}
	p->v.router = rt.a.v4;
	return 0;
}

/* DHCP: which servers, and the guest's entry (its MAC from xenstore). */
static int dhcp_plan(struct xnh_run *r, struct plan *p, unsigned int domid, unsigned int vifid)
{
	const char *d = r->ctx.val[XNH_K_DHCP];
	char *mac, q[64];
	int ret = xnh_dhcp_conf_load(&p->dc);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "invalid %s (environment)", p->dc.failed);
	p->v.dhcp = xnh_dhcp_backends(&p->dc, d ? xnh_ctx_bool(&r->ctx, XNH_K_DHCP, false) : -1);
	if (!p->v.dhcp)
		return 0;
	xnh_nat_hostname(domid, vifid, p->v.host, sizeof(p->v.host));
	snprintf(p->host.name, sizeof(p->host.name), "%s", p->v.host);
	p->host.addr = p->v.guest[0];
	p->host.router = p->v.router;
	ret = xnh_store_read_key(&r->st, r->ctx.xb_path, "mac", &mac);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read %s/mac (needed for DHCP)",
					  r->ctx.xb_path);
	ret = xnh_parse_mac(mac, p->host.mac);
	xnh_quote(mac, q, sizeof(q));
	free(mac);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, -EINVAL, "invalid mac '%s' (xenstore)", q);
	return 0;
}

int vn_plan(struct xnh_run *r, struct plan *p)
{
	unsigned int domid = r->ctx.domid, handle = r->ctx.devid;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = vn_store_uint(r, "frontend-id", DOMID_MAX, &domid);
	if (ret >= 0)
		ret = vn_store_uint(r, "handle", HANDLE_MAX, &handle);
	if (ret >= 0)
		ret = vn_addresses(r, p, domid, handle + 1);
	if (ret >= 0)
		ret = dhcp_plan(r, p, domid, handle + 1);
	return ret;
}

/* xnh_nat_conflict() has looked each guest address up (dom0's own, routed
 * elsewhere): what is left is the default gateway, which as a guest
 * address would take the LAN's traffic for it. */
static int check_gateway(struct xnh_run *r, const struct xnh_natvif *v)
{
	struct xnh_inet e = { .family = AF_INET, .prefix = 32 };
	struct xnh_claim c;
	char why[256];
	size_t i;
	int ret;

	for (i = 0; i < v->n; i++) {
		e.a.v4 = v->guest[i];
		ret = xnh_claim_gateway(&r->nl, &e, &c);
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "cannot look up the routes");
		if (ret > 0) {
			xnh_claim_describe(&r->nl, &e, &c, why, sizeof(why));
			return xnh_ctx_fail(&r->ctx, -EADDRINUSE, "%s", why);
		}
	}
	return 0;
}

int vn_check_conflicts(struct xnh_run *r, const struct xnh_natvif *v, int ifindex)
{
	struct xnh_link other = { .name = "?" };
	char a[INET_ADDRSTRLEN];
	struct in_addr addr;
	int oif, ret = xnh_nat_conflict(&r->nl, v, ifindex, &addr, &oif);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot list routes");
	if (!ret)
		return check_gateway(r, v);
	inet_ntop(AF_INET, &addr, a, sizeof(a));
	if (ret == XNH_NAT_LOCAL)
		return xnh_ctx_fail(&r->ctx, -EADDRINUSE, "%s is an address of dom0", a);
	xnh_link_get_index(&r->nl, oif, &other);
	return xnh_ctx_fail(&r->ctx, -EADDRINUSE, "%s is already routed through %s", a,
			    other.name);
}

/* "GUEST dev VIF scope link src ROUTER" for guest @i. */
void vn_route_of(const struct xnh_natvif *v, size_t i, int oif, struct xnh_route *rt)
{
	memset(rt, 0, sizeof(*rt));
	rt->dst.family = rt->src.family = AF_INET;
	rt->dst.a.v4 = v->guest[i];
	rt->dst.prefix = rt->src.prefix = 32;
	rt->src.a.v4 = v->router;
	rt->has_src = true;
	rt->oif = oif;
	rt->scope = RT_SCOPE_LINK;
}

/* The router's /32 on the vif. */
void vn_addr_of(const struct xnh_natvif *v, int ifindex, struct xnh_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	a->local.family = AF_INET;
	a->local.prefix = 32;
	a->local.a.v4 = v->router;
}
