/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* foreign.h: the firewalls of other owners that would drop a guest's traffic.
 *
 * This subsystem owns one question: which base chains on the forward hook,
 * in tables that xnet did not make (Docker's iptables-nft FORWARD, firewalld,
 * ufw, an administrator's nft table), will drop the forwarded traffic of one
 * guest, and what exact command would let it through. It reads the ruleset
 * of the current network namespace through libmnl and libnftnl (one dump of
 * chains, one of rules; never by running nft or iptables) and the
 * br_netfilter sysctls under /proc/sys/net/bridge; it changes nothing. It
 * uses only libc, libmnl, libnftnl and the kernel's uapi headers, includes
 * no other xnet header, and logs nothing: the caller reports the verdicts.
 */
#ifndef XNET_FOREIGN_H
#define XNET_FOREIGN_H

#define XNF_IPV4	(1 << 0)
#define XNF_IPV6	(1 << 1)

/* The guest whose traffic is asked about. */
struct xnf_guest {
	const char *vif;	/* the vif (or tap) name; NULL: any guest's (of @bridge) */
	const char *bridge;	/* its bridge, NULL for routed/NAT guests */
	const char *uplink;	/* the host's uplink/outgoing device if known, or NULL */
	int families;		/* XNF_IPV4 | XNF_IPV6: what the guest sends */
};

/* One chain that drops the guest's traffic; every field is one line of text. */
struct xnf_block {
	char table[64], chain[64], family[8];
	char why[96];		/* "policy drop", "final rule drops", ... */
	char fix[256];		/* the command that lets the guest through, or "" */
	char alt[128];		/* another way (the br_netfilter sysctl), or "" */
};

/* Scans the ruleset of the current netns for base chains on the forward
 * hook (families ip, ip6, inet, bridge) that this guest's packets traverse
 * and that drop them: by their policy or by an unconditional drop/reject,
 * and no accept before it for the guest's interfaces (iifname/oifname,
 * iif/oif, physdev, through jumps). For a bridged guest, ip/ip6/inet chains
 * count only when br_netfilter hands bridged packets to them
 * (bridge-nf-call-iptables/ip6tables = 1); for a routed guest, bridge-family
 * chains never count. Table xen of families bridge, inet, arp and netdev
 * (xnet's own) is ignored. Fills up to @max blocks; returns how many chains
 * block (possibly more than @max) or -errno. */
int xnf_scan(const struct xnf_guest *g, struct xnf_block *out, int max);

#endif
