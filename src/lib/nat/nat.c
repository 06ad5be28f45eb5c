/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nat.c: addresses of NAT guests: the default address, the router address, the name. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "text/text.h"
#include "net/net.h"
#include "nat/nat.h"

#define NAT_DEFAULT_PREFIX	16	/* 10.<domid/256>.<domid%256>.<vifid>/16 */
#define NAT_ROUTER_PREFIX	24	/* the subnet of a bare address or a /31, /32 */

/* The old scripts' default: 10.<domid/256>.<domid%256>.<vifid>/16, where
 * vifid is handle + 1 (1..254: .255 is no host in 10.x.255.0 and above). */
int xnh_nat_default_ip(unsigned int domid, unsigned int vifid, struct xnh_inet *out)
{
	memset(out, 0, sizeof(*out));
	if (domid > 0xffff || vifid < 1 || vifid > 254)
		return -ERANGE;
	out->family = AF_INET;
	out->prefix = NAT_DEFAULT_PREFIX;
	out->has_prefix = true;
	out->a.v4.s_addr = htonl(10u << 24 | (domid >> 8) << 16 | (domid & 0xff) << 8 | vifid);
	return 0;
}

static uint32_t mask_of(unsigned int prefix)
{
	return prefix ? 0xffffffffu << (32 - prefix) : 0;
}

/* A host of the subnet: inside it, neither its network nor its broadcast address. */
static bool is_host(uint32_t a, uint32_t net, uint32_t mask)
{
	return (a & mask) == net && a != net && a != (net | ~mask);
}

/* The router address of a NAT guest: the old rule, last octet + 127
 * (10.0.0.1 -> 10.0.0.128), whenever that is a host of the guest's subnet;
 * else last octet - 127 (10.0.0.200 -> 10.0.0.73, 10.0.0.128 -> 10.0.0.1);
 * else the subnet's last host, or its first when that is the guest. The
 * subnet is the address's own prefix, or /24 for a bare address, a /31
 * or a /32 (the old rule's view: it only ever changed the last octet).
 * Always a host address of that subnet, never the guest's; a guest that
 * is the network or broadcast address of its own subnet is refused. */
int xnh_nat_router(const struct xnh_inet *guest, struct xnh_inet *router)
{
	unsigned int prefix = guest->has_prefix && guest->prefix <= 30 ? guest->prefix :
			      NAT_ROUTER_PREFIX;
	uint32_t g, mask = mask_of(prefix), net, last, r;

	if (guest->family != AF_INET)
		return -EAFNOSUPPORT;
	g = ntohl(guest->a.v4.s_addr);
	net = g & mask;
	if (guest->has_prefix && guest->prefix <= 30 && !is_host(g, net, mask))
		return -EADDRNOTAVAIL;
	last = g & 0xff;
	r = (g & ~0xffu) | (last + 127);
	if (last + 127 > 255 || !is_host(r, net, mask)) {
		r = (g & ~0xffu) | (last - 127);
		if (last < 127 || !is_host(r, net, mask))
			r = (net | ~mask) - 1;
		if (r == g)
			r = net + 1;
	}
	*router = *guest;
	router->a.v4.s_addr = htonl(r);
	router->prefix = 32;
	router->has_prefix = false;
	return 0;
}

/* "dom<domid>", and "-<vifid>" after it for every vif but the first: the
 * DHCP host name the old vif-nat used. */
int xnh_nat_hostname(unsigned int domid, unsigned int vifid, char *buf, size_t len)
{
	int n;

	if (vifid == 1)
		n = snprintf(buf, len, "dom%u", domid);
	else
		n = snprintf(buf, len, "dom%u-%u", domid, vifid);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* What a lookup of @a finds that @a may not have: dom0's own address (a
 * guest's, XNH_NAT_LOCAL), or a host route through another device
 * (XNH_NAT_ROUTED, *oif); 0 when it is clear. */
static int check_one(struct xnh_nl *nl, struct in_addr a, bool guest, int ifindex, int *oif)
{
	struct xnh_inet in = { .family = AF_INET, .prefix = 32, .a.v4 = a };
	struct xnh_route rt;
	int r = xnh_route_match(nl, &in, &rt);

	if (r == -ENETUNREACH || r == -EHOSTUNREACH)
		return 0;
	if (r < 0)
		return r;
	if (rt.type == RTN_LOCAL)
		return guest ? XNH_NAT_LOCAL : 0;
	if (rt.dst.prefix != 32 || rt.table != RT_TABLE_MAIN || !rt.oif || rt.oif == ifindex)
		return 0;
	*oif = rt.oif;
	return XNH_NAT_ROUTED;
}

/* Before vif-nat changes anything: a guest address must not be dom0's own
 * (XNH_NAT_LOCAL), and neither it nor the router address may be routed
 * through another device (XNH_NAT_ROUTED, *oif). Devices are told apart by
 * index, never by name: vif1.1 is not vif1.10. One lookup per address, so
 * that online costs the same whatever the number of guests. 0 when clear. */
int xnh_nat_conflict(struct xnh_nl *nl, const struct xnh_natvif *v, int ifindex,
		     struct in_addr *addr, int *oif)
{
	size_t i;
	int r = 0;

	*oif = 0;
	for (i = 0; r == 0 && i <= v->n; i++) {
		*addr = i < v->n ? v->guest[i] : v->router;
		r = check_one(nl, *addr, i < v->n, ifindex, oif);
	}
	return r;
}
