/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwrules.c: the fixed chains and rules of both tables; they never change. */
#include <errno.h>
#include <netinet/in.h>	/* before the linux/ headers, which it replaces */
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <string.h>

#include "fw/fw.h"

#define ND_ROUTER_SOLICIT	133
#define ND_ROUTER_ADVERT	134
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_REDIRECT		137
#define MLD2_LISTENER_REPORT	143
#define NEXTHDR_FRAGMENT	44

struct chain_def {
	const char *name, *type, *hook_name;
	uint32_t hook;
	int prio;
};

struct rule_def {
	const char *nft;		/* the rule in nft's words */
	void (*fn)(struct xnh_fw_rule *rb);
};

/* Before conntrack (-200) and before the bridge forwards: a spoofed
 * packet costs nothing further and is never learnt or tracked. */
static const struct chain_def guard_chain = { "prerouting", "filter", "prerouting",
					      NF_INET_PRE_ROUTING, -300 };
static const struct chain_def nat_chain = { "postrouting", "nat", "postrouting",
					    NF_INET_POST_ROUTING, 100 };
/* After conntrack (-200), before NAT (-100): what conntrack found invalid
 * would leave unmasqueraded. */
static const struct chain_def ct_chain = { "invalid", "filter", "prerouting",
					   NF_INET_PRE_ROUTING, -150 };
/* ARP for dom0 itself (NF_ARP_IN), from routed and NAT vifs. */
static const struct chain_def arp_chain = { "input", "filter", "input", 0, 0 };
/* Regular chains the guard jumps to (no hook): fixed like the rest. */
static const struct chain_def frag_chain = { "frag6", NULL, NULL, 0, 0 };
static const struct chain_def nd_chain = { "nd_target", NULL, NULL, 0, 0 };

/* `iif . iifname`: the vif's index and name, as its elements begin (an
 * element of a gone vif then matches no later interface of that name). */
static void iifname(struct xnh_fw_rule *rb)
{
	xnh_fwx_meta(rb, NFT_META_IIF);
	xnh_fwx_meta(rb, NFT_META_IIFNAME);
}

static void ether_saddr(struct xnh_fw_rule *rb)
{
	xnh_fwx_payload(rb, NFT_PAYLOAD_LL_HEADER, 6, 6);
}

static void drop(struct xnh_fw_rule *rb)
{
	xnh_fwx_counter(rb, "dropped");
	xnh_fwx_verdict(rb, NF_DROP);
}

static void unguarded(struct xnh_fw_rule *rb)
{
	iifname(rb);
	xnh_fwx_lookup(rb, "guarded", true);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void foreign_mac(struct xnh_fw_rule *rb)
{
	iifname(rb);
	ether_saddr(rb);
	xnh_fwx_lookup(rb, "macs", true);
	drop(rb);
}

/* Only Ethernet/IPv4 ARP, whose fields the next rules read. */
static void odd_arp(struct xnh_fw_rule *rb)
{
	static const uint8_t eth_ip[6] = { 0, 1, 8, 0, 6, 4 };

	xnh_fwx_l3(rb, ETH_P_ARP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 0, 6);
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, eth_ip, sizeof(eth_ip));
	drop(rb);
}

static void arp_sha(struct xnh_fw_rule *rb)
{
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 6);
}

static void arp_spa(struct xnh_fw_rule *rb)
{
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 14, 4);
}

static void arp_foreign_mac(struct xnh_fw_rule *rb)
{
	xnh_fwx_l3(rb, ETH_P_ARP);
	iifname(rb);
	arp_sha(rb);
	xnh_fwx_lookup(rb, "macs", true);
	drop(rb);
}

static void router_advert(struct xnh_fw_rule *rb)
{
	xnh_fwx_l3(rb, ETH_P_IPV6);
	xnh_fwx_icmpv6_type(rb, ND_ROUTER_ADVERT);
	drop(rb);
}

static void arp_in(struct xnh_fw_rule *rb, const char *set)
{
	xnh_fwx_l3(rb, ETH_P_ARP);
	iifname(rb);
	arp_sha(rb);
	arp_spa(rb);
	xnh_fwx_lookup(rb, set, false);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void arp_allowed(struct xnh_fw_rule *rb)
{
	arp_in(rb, "allowed4");
}

static void arp_allowed_net(struct xnh_fw_rule *rb)
{
	arp_in(rb, "allowed4_nets");
}

/* RFC 5227 probes: sender address 0.0.0.0 (the MAC was checked before). */
static void arp_probe(struct xnh_fw_rule *rb)
{
	static const uint8_t any[4];

	xnh_fwx_l3(rb, ETH_P_ARP);
	arp_spa(rb);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

/* iifname [. ether saddr] . ip|ip6 saddr @SET accept */
static void src_in(struct xnh_fw_rule *rb, uint16_t ethertype, const char *set)
{
	bool v6 = ethertype == ETH_P_IPV6;

	xnh_fwx_l3(rb, ethertype);
	iifname(rb);
	if (rb->bridge)
		ether_saddr(rb);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 8 : 12, v6 ? 16 : 4);
	xnh_fwx_lookup(rb, set, false);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void ip4_allowed(struct xnh_fw_rule *rb)
{
	src_in(rb, ETH_P_IP, "allowed4");
}

static void ip4_allowed_net(struct xnh_fw_rule *rb)
{
	src_in(rb, ETH_P_IP, "allowed4_nets");
}

static void ip6_allowed(struct xnh_fw_rule *rb)
{
	src_in(rb, ETH_P_IPV6, "allowed6");
}

static void ip6_allowed_net(struct xnh_fw_rule *rb)
{
	src_in(rb, ETH_P_IPV6, "allowed6_nets");
}

/* A DHCP client before it has an address: 0.0.0.0:68 -> 255.255.255.255:67. */
static void dhcp_discover(struct xnh_fw_rule *rb)
{
	static const uint8_t any[4], all[4] = { 255, 255, 255, 255 };
	static const uint8_t ports[4] = { 0, 68, 0, 67 };

	xnh_fwx_l3(rb, ETH_P_IP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, all, sizeof(all));
	xnh_fwx_l4proto(rb, IPPROTO_UDP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, ports, sizeof(ports));
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void link_local(struct xnh_fw_rule *rb)
{
	static const uint8_t mask[2] = { 0xff, 0xc0 }, fe80[2] = { 0xfe, 0x80 };

	xnh_fwx_l3(rb, ETH_P_IPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 2);
	xnh_fwx_mask(rb, mask, sizeof(mask));
	xnh_fwx_cmp(rb, NFT_CMP_EQ, fe80, sizeof(fe80));
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

/* Duplicate address detection sends from ::, its MLD report too. */
static void from_unspecified(struct xnh_fw_rule *rb, uint8_t icmpv6_type)
{
	static const uint8_t any[16];

	xnh_fwx_l3(rb, ETH_P_IPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 16);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_icmpv6_type(rb, icmpv6_type);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void dad(struct xnh_fw_rule *rb)
{
	from_unspecified(rb, ND_NEIGHBOR_SOLICIT);
}

static void dad_mld(struct xnh_fw_rule *rb)
{
	from_unspecified(rb, MLD2_LISTENER_REPORT);
}

/* udp sport SPORT udp dport DPORT iif . iifname != @dhcp_server drop: a DHCP
 * server's replies come only from a vif that opted in. */
static void dhcp_server(struct xnh_fw_rule *rb, uint16_t ethertype, uint16_t sport,
			uint16_t dport)
{
	uint8_t ports[4] = { (uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8),
			     (uint8_t)dport };

	xnh_fwx_l3(rb, ethertype);
	xnh_fwx_l4proto(rb, IPPROTO_UDP);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, ports, sizeof(ports));
	iifname(rb);
	xnh_fwx_lookup(rb, "dhcp_server", true);
	drop(rb);
}

static void dhcp4_server(struct xnh_fw_rule *rb)
{
	dhcp_server(rb, ETH_P_IP, 67, 68);
}

static void dhcp6_server(struct xnh_fw_rule *rb)
{
	dhcp_server(rb, ETH_P_IPV6, 547, 546);
}

/* IPv6 with a fragment header anywhere in its chain: to chain frag6. */
static void fragment(struct xnh_fw_rule *rb)
{
	static const uint8_t yes = 1;

	xnh_fwx_l3(rb, ETH_P_IPV6);
	xnh_fwx_exthdr6(rb, NEXTHDR_FRAGMENT, 0, 1, true);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &yes, 1);
	xnh_fwx_jump(rb, frag_chain.name);
}

/* RFC 6980: ND and RA are never fragmented. */
static void frag_nd(struct xnh_fw_rule *rb)
{
	static const uint8_t lo = ND_ROUTER_SOLICIT, hi = ND_REDIRECT;

	xnh_fwx_l4proto(rb, IPPROTO_ICMPV6);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_cmp(rb, NFT_CMP_GTE, &lo, 1);
	xnh_fwx_cmp(rb, NFT_CMP_LTE, &hi, 1);
	drop(rb);
}

/* A later fragment: what it carries was judged with the first one. */
static void frag_later(struct xnh_fw_rule *rb)
{
	static const uint8_t off[2] = { 0xff, 0xf8 }, zero[2];

	xnh_fwx_exthdr6(rb, NEXTHDR_FRAGMENT, 2, 2, false);
	xnh_fwx_mask(rb, off, sizeof(off));
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, zero, sizeof(zero));
	xnh_fwx_verdict(rb, NFT_RETURN);
}

/* A first fragment whose upper-layer header is in it (its first byte can
 * be read; the load fails otherwise): back to the guard's checks. */
static void frag_visible(struct xnh_fw_rule *rb)
{
	static const uint8_t zero;

	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	xnh_fwx_mask(rb, &zero, 1);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, &zero, 1);
	xnh_fwx_verdict(rb, NFT_RETURN);
}

static void ip6_src(struct xnh_fw_rule *rb)
{
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 8, 16);
}

static void ll_prefix(struct xnh_fw_rule *rb, uint32_t base, uint32_t off)
{
	static const uint8_t mask[2] = { 0xff, 0xc0 }, fe80[2] = { 0xfe, 0x80 };

	xnh_fwx_payload(rb, base, off, 2);
	xnh_fwx_mask(rb, mask, sizeof(mask));
	xnh_fwx_cmp(rb, NFT_CMP_EQ, fe80, sizeof(fe80));
}

/* A link-local source is the guest's own: derived from its MAC or listed. */
static void link_local_own(struct xnh_fw_rule *rb)
{
	xnh_fwx_l3(rb, ETH_P_IPV6);
	ll_prefix(rb, NFT_PAYLOAD_NETWORK_HEADER, 8);
	iifname(rb);
	ether_saddr(rb);
	ip6_src(rb);
	xnh_fwx_lookup(rb, "allowed6", true);
	drop(rb);
}

static void to_nd_chain(struct xnh_fw_rule *rb)
{
	xnh_fwx_jump(rb, nd_chain.name);
}

/* A neighbour advertisement names its target as the sender's. */
static void na(struct xnh_fw_rule *rb)
{
	xnh_fwx_l3(rb, ETH_P_IPV6);
	xnh_fwx_icmpv6_type(rb, ND_NEIGHBOR_ADVERT);
	to_nd_chain(rb);
}

/* Duplicate address detection: a solicitation from :: claims its target. */
static void dad_claim(struct xnh_fw_rule *rb)
{
	static const uint8_t any[16];

	xnh_fwx_l3(rb, ETH_P_IPV6);
	ip6_src(rb);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_icmpv6_type(rb, ND_NEIGHBOR_SOLICIT);
	to_nd_chain(rb);
}

/* iifname [. ether saddr] . nd target @SET return */
static void target_in(struct xnh_fw_rule *rb, const char *set)
{
	iifname(rb);
	if (rb->bridge)
		ether_saddr(rb);
	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 8, 16);
	xnh_fwx_lookup(rb, set, false);
	xnh_fwx_verdict(rb, NFT_RETURN);
}

static void target_own(struct xnh_fw_rule *rb)
{
	target_in(rb, "allowed6");
}

static void target_own_net(struct xnh_fw_rule *rb)
{
	target_in(rb, "allowed6_nets");
}

/* A vif whose IPv6 is not held to addresses may claim any global one;
 * link-local targets stay held to its own (a router's is fe80::...). */
static void target_open(struct xnh_fw_rule *rb)
{
	static const uint8_t mask[2] = { 0xff, 0xc0 }, fe80[2] = { 0xfe, 0x80 };

	xnh_fwx_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 8, 2);
	xnh_fwx_mask(rb, mask, sizeof(mask));
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, fe80, sizeof(fe80));
	iifname(rb);
	xnh_fwx_lookup(rb, "open6", false);
	xnh_fwx_verdict(rb, NFT_RETURN);
}

/* On a routed vif the guest's MAC is not known: link-local targets pass. */
static void target_link_local(struct xnh_fw_rule *rb)
{
	ll_prefix(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 8);
	xnh_fwx_verdict(rb, NFT_RETURN);
}

/* iif . iifname @open4|@open6 accept: a family `ip` does not list */
static void open_family(struct xnh_fw_rule *rb, uint16_t ethertype, const char *set)
{
	xnh_fwx_l3(rb, ethertype);
	iifname(rb);
	xnh_fwx_lookup(rb, set, false);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void open_arp(struct xnh_fw_rule *rb)
{
	open_family(rb, ETH_P_ARP, "open4");
}

static void open4(struct xnh_fw_rule *rb)
{
	open_family(rb, ETH_P_IP, "open4");
}

static void open6(struct xnh_fw_rule *rb)
{
	open_family(rb, ETH_P_IPV6, "open6");
}

/* iif . iifname @guarded ct state invalid drop */
static void ct_invalid(struct xnh_fw_rule *rb)
{
	static const uint32_t invalid = 1, zero;	/* NF_CT_STATE_INVALID_BIT */

	iifname(rb);
	xnh_fwx_lookup(rb, "guarded", false);
	xnh_fwx_ct(rb, NFT_CT_STATE);
	xnh_fwx_mask(rb, &invalid, sizeof(invalid));
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, &zero, sizeof(zero));
	drop(rb);
}

/* In table arp xen the network header is the ARP header: no ether type. */
static void arp_odd(struct xnh_fw_rule *rb)
{
	static const uint8_t eth_ip[6] = { 0, 1, 8, 0, 6, 4 };

	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 0, 6);
	xnh_fwx_cmp(rb, NFT_CMP_NEQ, eth_ip, sizeof(eth_ip));
	drop(rb);
}

static void arp_open(struct xnh_fw_rule *rb)
{
	iifname(rb);
	xnh_fwx_lookup(rb, "open4", false);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

/* iif . iifname . arp saddr ip @SET accept (no MAC on a point-to-point vif) */
static void arp_sender_in(struct xnh_fw_rule *rb, const char *set)
{
	iifname(rb);
	arp_spa(rb);
	xnh_fwx_lookup(rb, set, false);
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

static void arp_sender(struct xnh_fw_rule *rb)
{
	arp_sender_in(rb, "allowed4");
}

static void arp_sender_net(struct xnh_fw_rule *rb)
{
	arp_sender_in(rb, "allowed4_nets");
}

static void arp_sender_probe(struct xnh_fw_rule *rb)
{
	static const uint8_t any[4];

	arp_spa(rb);
	xnh_fwx_cmp(rb, NFT_CMP_EQ, any, sizeof(any));
	xnh_fwx_verdict(rb, NF_ACCEPT);
}

/* Only a NAT guest's traffic: a routed guest leaving by the same uplink
 * keeps its own address (iifname is unknown at postrouting: the source
 * address tells the guests apart). */
static void nat_uplink(struct xnh_fw_rule *rb)
{
	xnh_fwx_l3(rb, ETH_P_IP);
	xnh_fwx_meta(rb, NFT_META_OIFNAME);
	xnh_fwx_lookup(rb, "nat_uplinks", false);
	xnh_fwx_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	xnh_fwx_lookup(rb, "nat_sources", false);
	xnh_fwx_masq(rb);
}

#define ARP	"ether type arp "
#define IP4	"ether type ip "
#define IP6	"ether type ip6 "
#define DROP	" counter name \"dropped\" drop"

static const struct rule_def bridge_rules[] = {
	{ "iif . iifname != @guarded accept", unguarded },
	{ "iif . iifname . ether saddr != @macs" DROP, foreign_mac },
	{ ARP "@nh,0,48 != 0x000108000604" DROP, odd_arp },
	{ ARP "iif . iifname . arp saddr ether != @macs" DROP, arp_foreign_mac },
	{ IP6 "icmpv6 type nd-router-advert" DROP, router_advert },
	{ IP4 "udp sport 67 udp dport 68 iif . iifname != @dhcp_server" DROP, dhcp4_server },
	{ IP6 "udp sport 547 udp dport 546 iif . iifname != @dhcp_server" DROP, dhcp6_server },
	{ IP6 "exthdr frag exists jump frag6", fragment },
	{ IP6 "ip6 saddr fe80::/10 iif . iifname . ether saddr . ip6 saddr != @allowed6" DROP,
	  link_local_own },
	{ IP6 "icmpv6 type nd-neighbor-advert jump nd_target", na },
	{ IP6 "ip6 saddr :: icmpv6 type nd-neighbor-solicit jump nd_target", dad_claim },
	{ ARP "iif . iifname @open4 accept", open_arp },
	{ IP4 "iif . iifname @open4 accept", open4 },
	{ IP6 "iif . iifname @open6 accept", open6 },
	{ ARP "iif . iifname . arp saddr ether . arp saddr ip @allowed4 accept", arp_allowed },
	{ ARP "iif . iifname . arp saddr ether . arp saddr ip @allowed4_nets accept", arp_allowed_net },
	{ ARP "arp saddr ip 0.0.0.0 accept", arp_probe },
	{ IP4 "iif . iifname . ether saddr . ip saddr @allowed4 accept", ip4_allowed },
	{ IP4 "iif . iifname . ether saddr . ip saddr @allowed4_nets accept", ip4_allowed_net },
	{ IP4 "ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 accept",
	  dhcp_discover },
	{ IP6 "iif . iifname . ether saddr . ip6 saddr @allowed6 accept", ip6_allowed },
	{ IP6 "iif . iifname . ether saddr . ip6 saddr @allowed6_nets accept", ip6_allowed_net },
	{ IP6 "ip6 saddr :: icmpv6 type nd-neighbor-solicit accept", dad },
	{ IP6 "ip6 saddr :: icmpv6 type mld2-listener-report accept", dad_mld },
	{ "counter name \"dropped\" drop", drop },
};

/* frag6: IPv6 fragments (RFC 6980, RFC 7112). Later fragments first: a
 * kernel that reads a transport header at a later fragment's payload
 * (older ones did) must not judge its data as ICMPv6. */
static const struct rule_def frag_rules[] = {
	{ "frag frag-off != 0 return", frag_later },
	{ "icmpv6 type 133-137" DROP, frag_nd },
	{ "@th,0,8 & 0 == 0 return", frag_visible },
	{ "counter name \"dropped\" drop", drop },
};

/* nd_target: what a neighbour advertisement or a DAD probe claims */
static const struct rule_def bridge_nd_rules[] = {
	{ "iif . iifname . ether saddr . @th,64,128 @allowed6 return", target_own },
	{ "iif . iifname . ether saddr . @th,64,128 @allowed6_nets return", target_own_net },
	{ "@th,64,10 != fe80::/10 iif . iifname @open6 return", target_open },
	{ "counter name \"dropped\" drop", drop },
};

#undef ARP
#undef IP4
#undef IP6
#define IP4	"meta nfproto ipv4 "
#define IP6	"meta nfproto ipv6 "

static const struct rule_def inet_rules[] = {
	{ "iif . iifname != @guarded accept", unguarded },
	{ IP6 "icmpv6 type nd-router-advert" DROP, router_advert },
	{ IP4 "udp sport 67 udp dport 68 iif . iifname != @dhcp_server" DROP, dhcp4_server },
	{ IP6 "udp sport 547 udp dport 546 iif . iifname != @dhcp_server" DROP, dhcp6_server },
	{ IP6 "exthdr frag exists jump frag6", fragment },
	{ IP6 "icmpv6 type nd-neighbor-advert jump nd_target", na },
	{ IP6 "ip6 saddr :: icmpv6 type nd-neighbor-solicit jump nd_target", dad_claim },
	{ IP4 "iif . iifname @open4 accept", open4 },
	{ IP6 "iif . iifname @open6 accept", open6 },
	{ IP4 "iif . iifname . ip saddr @allowed4 accept", ip4_allowed },
	{ IP4 "iif . iifname . ip saddr @allowed4_nets accept", ip4_allowed_net },
	{ IP4 "ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 accept",
	  dhcp_discover },
	{ IP6 "iif . iifname . ip6 saddr @allowed6 accept", ip6_allowed },
	{ IP6 "iif . iifname . ip6 saddr @allowed6_nets accept", ip6_allowed_net },
	{ IP6 "ip6 saddr fe80::/10 accept", link_local },
	{ IP6 "ip6 saddr :: icmpv6 type nd-neighbor-solicit accept", dad },
	{ IP6 "ip6 saddr :: icmpv6 type mld2-listener-report accept", dad_mld },
	{ "counter name \"dropped\" drop", drop },
};

static const struct rule_def inet_nd_rules[] = {
	{ "iif . iifname . @th,64,128 @allowed6 return", target_own },
	{ "iif . iifname . @th,64,128 @allowed6_nets return", target_own_net },
	{ "@th,64,10 fe80::/10 return", target_link_local },
	{ "@th,64,10 != fe80::/10 iif . iifname @open6 return", target_open },
	{ "counter name \"dropped\" drop", drop },
};

static const struct rule_def ct_rules[] = {
	{ "iif . iifname @guarded ct state invalid" DROP, ct_invalid },
};

/* table arp xen, chain input: what dom0 learns from a routed guest's ARP */
static const struct rule_def arp_rules[] = {
	{ "iif . iifname != @guarded accept", unguarded },
	{ "arp htype != 1 arp ptype != ip arp hlen != 6 arp plen != 4" DROP, arp_odd },
	{ "iif . iifname @open4 accept", arp_open },
	{ "iif . iifname . arp saddr ip @allowed4 accept", arp_sender },
	{ "iif . iifname . arp saddr ip @allowed4_nets accept", arp_sender_net },
	{ "arp saddr ip 0.0.0.0 accept", arp_sender_probe },
	{ "counter name \"dropped\" drop", drop },
};

static const struct rule_def nat_rules[] = {
	{ IP4 "oifname @nat_uplinks ip saddr @nat_sources masquerade", nat_uplink },
};

/* add chain FAMILY xen NAME { type TYPE hook HOOK priority PRIO; policy accept; },
 * or a regular chain (no hook) that the others jump to */
static int put_chain(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		     const struct chain_def *c)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!ch)
		return -ENOMEM;
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, "xen");
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, c->name);
	if (c->hook_name) {
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, c->type);
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, c->hook);
		nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, c->prio);
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWCHAIN, l->family,
				       NLM_F_CREATE | NLM_F_EXCL, -1, "add chain %s xen %s { type"
				       " %s hook %s priority %d; policy accept; }", l->family_name,
				       c->name, c->type, c->hook_name, c->prio);
	} else {
		nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWCHAIN, l->family,
				       NLM_F_CREATE | NLM_F_EXCL, -1, "add chain %s xen %s",
				       l->family_name, c->name);
	}
	if (nlh)
		nftnl_chain_nlmsg_build_payload(nlh, ch);
	nftnl_chain_free(ch);
	return b->err;
}

/* add rule FAMILY xen CHAIN ..., for each rule in order */
static int put_rules(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		     const char *chain, const struct rule_def *defs, size_t n)
{
	struct xnh_fw_rule rb;
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < n; i++) {
		r = xnh_fw_rule_start(&rb, l, chain);
		if (r < 0)
			break;
		defs[i].fn(&rb);
		r = xnh_fw_rule_put(&rb, b, fw, l, defs[i].nft);
	}
	return r;
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* A chain and its rules. */
static int put_chain_rules(struct xnh_fw_batch *b, struct xnh_fw *fw,
			   const struct xnh_fw_layout *l, const struct chain_def *c,
			   const struct rule_def *defs, size_t n)
{
	int r = put_chain(b, fw, l, c);

	return r < 0 ? r : put_rules(b, fw, l, c->name, defs, n);
}

/* The chains jumped to come first: a rule may name only a chain that is there. */
int xnh_fw_bridge_rules(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	int r = put_chain_rules(b, fw, l, &frag_chain, frag_rules, N(frag_rules));

	if (r >= 0)
		r = put_chain_rules(b, fw, l, &nd_chain, bridge_nd_rules, N(bridge_nd_rules));
	if (r >= 0)
		r = put_chain_rules(b, fw, l, &guard_chain, bridge_rules, N(bridge_rules));
	return r;
}

int xnh_fw_inet_rules(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{
	int r = put_chain_rules(b, fw, l, &frag_chain, frag_rules, N(frag_rules));

	if (r >= 0)
		r = put_chain_rules(b, fw, l, &nd_chain, inet_nd_rules, N(inet_nd_rules));
	if (r >= 0)
		r = put_chain_rules(b, fw, l, &guard_chain, inet_rules, N(inet_rules));
	if (r >= 0)
		r = put_chain_rules(b, fw, l, &ct_chain, ct_rules, N(ct_rules));
	if (r >= 0)
		r = put_chain_rules(b, fw, l, &nat_chain, nat_rules, N(nat_rules));
	return r;
}

int xnh_fw_arp_rules(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l)
{

	return put_chain_rules(b, fw, l, &arp_chain, arp_rules, N(arp_rules));
}

int xnh_fw_rule_start(struct xnh_fw_rule *rb, const struct xnh_fw_layout *l, const char *chain)
{
	memset(rb, 0, sizeof(*rb));
	rb->reg = NFT_REG32_00;
	rb->bridge = l->family == NFPROTO_BRIDGE;
	rb->r = nftnl_rule_alloc();
	if (!rb->r)
		return -ENOMEM;
	nftnl_rule_set_str(rb->r, NFTNL_RULE_TABLE, "xen");
	nftnl_rule_set_str(rb->r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(rb->r, NFTNL_RULE_FAMILY, l->family);
	return 0;
}

/* Appends the rule to the batch and frees it. */
int xnh_fw_rule_put(struct xnh_fw_rule *rb, struct xnh_fw_batch *b, struct xnh_fw *fw,
		    const struct xnh_fw_layout *l, const char *what)
{
	struct nlmsghdr *nlh = NULL;
	int r = rb->err;

	if (r >= 0)
		nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWRULE, l->family,
				       NLM_F_CREATE | NLM_F_APPEND, -1, "add rule %s xen %s %s",
				       l->family_name, nftnl_rule_get_str(rb->r, NFTNL_RULE_CHAIN),
				       what);
	if (nlh)
		nftnl_rule_nlmsg_build_payload(nlh, rb->r);
	nftnl_rule_free(rb->r);
	rb->r = NULL;
	return r < 0 ? r : b->err;
}
