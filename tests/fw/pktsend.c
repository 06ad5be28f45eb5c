/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pktsend: sends one crafted frame a guest should not be able to send (or a
 * DHCP discover), from an interface, for the firewall's scenario tests:
 * router advertisements (whole or fragmented), neighbour advertisements
 * and solicitations, DHCP and DHCPv6 server replies, forged ARP. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct frame {
	uint8_t b[256];
	size_t len;
};

static uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void eth(struct frame *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	f->b[12] = (uint8_t)(type >> 8);
	f->b[13] = (uint8_t)type;
	f->len = 14;
}

/* A router advertisement from the interface's EUI-64 link-local address. */
static void ra(struct frame *f, const uint8_t *mac)
{
	static const uint8_t all_nodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t *ip6 = f->b + 14, *icmp = ip6 + 40, pseudo[40 + 8];
	uint16_t c;

	eth(f, all_nodes, mac, 0x86dd);
	memset(ip6, 0, 40 + 16);
	ip6[0] = 0x60;
	ip6[5] = 16;				/* payload length */
	ip6[6] = IPPROTO_ICMPV6;
	ip6[7] = 255;				/* hop limit */
	ip6[8] = 0xfe;
	ip6[9] = 0x80;
	memcpy(ip6 + 16, (uint8_t[]){ mac[0] ^ 2, mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4],
				      mac[5] }, 8);
	ip6[24] = 0xff;
	ip6[25] = 0x02;
	ip6[39] = 1;
	icmp[0] = 134;				/* router advertisement */
	icmp[4] = 64;				/* cur hop limit */
	icmp[6] = 0x07;				/* router lifetime 1800 s */
	icmp[7] = 0x08;
	memcpy(pseudo, ip6 + 8, 32);
	memset(pseudo + 32, 0, 8);
	pseudo[35] = 16;
	pseudo[39] = IPPROTO_ICMPV6;
	c = csum(icmp, 16, (uint32_t)(0xffff & ~csum(pseudo, 40, 0)));
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	f->len = 14 + 40 + 16;
}

/* A DHCP client's first packet: 0.0.0.0:68 -> 255.255.255.255:67. */
static void dhcp(struct frame *f, const uint8_t *mac)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t *ip = f->b + 14, *udp = ip + 20;
	uint16_t c;

	eth(f, bcast, mac, 0x0800);
	memset(ip, 0, 20 + 8 + 16);
	ip[0] = 0x45;
	ip[3] = 20 + 8 + 16;			/* total length */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memset(ip + 16, 0xff, 4);
	c = csum(ip, 20, 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[1] = 68;
	udp[3] = 67;
	udp[5] = 8 + 16;			/* length; checksum 0: none */
	udp[8] = 1;				/* BOOTREQUEST, the start of one */
	f->len = 14 + 20 + 8 + 16;
}

/* An ARP request with the sender hardware and protocol addresses given. */
static int arp(struct frame *f, const uint8_t *mac, char **argv)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	uint8_t *a = f->b + 14;
	unsigned int m[6];

	eth(f, bcast, mac, 0x0806);
	memcpy(a, hdr, sizeof(hdr));
	if (sscanf(argv[0], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		a[8 + i] = (uint8_t)m[i];
	memset(a + 18, 0, 6);
	if (inet_pton(AF_INET, argv[1], a + 14) != 1 || inet_pton(AF_INET, argv[2], a + 24) != 1)
		return -EINVAL;
	f->len = 14 + 28;
	return 0;
}

/* fe80::/64 with the interface's modified EUI-64, as its kernel makes it. */
static void eui64_ll(const uint8_t *mac, uint8_t *a)
{
	memset(a, 0, 16);
	a[0] = 0xfe;
	a[1] = 0x80;
	a[8] = mac[0] ^ 2;
	a[9] = mac[1];
	a[10] = mac[2];
	a[11] = 0xff;
	a[12] = 0xfe;
	memcpy(a + 13, mac + 3, 3);
}

static int addr6(const char *s, const uint8_t *mac, uint8_t *a)
{
	if (!s || !strcmp(s, "ll")) {
		eui64_ll(mac, a);
		return 0;
	}
	return inet_pton(AF_INET6, s, a) == 1 ? 0 : -EINVAL;
}

/* Ethernet and IPv6 headers to @dst (its multicast MAC when multicast). */
static uint8_t *ip6_hdr(struct frame *f, const uint8_t *mac, const uint8_t *src,
			const uint8_t *dst, uint8_t nexthdr, size_t plen)
{
	uint8_t dmac[6] = { 0x33, 0x33, dst[12], dst[13], dst[14], dst[15] };
	uint8_t *ip6 = f->b + 14;

	eth(f, dmac, mac, 0x86dd);
	memset(ip6, 0, 40);
	ip6[0] = 0x60;
	ip6[4] = (uint8_t)(plen >> 8);
	ip6[5] = (uint8_t)plen;
	ip6[6] = nexthdr;
	ip6[7] = 255;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, dst, 16);
	f->len = 14 + 40 + plen;
	return ip6 + 40;
}

/* The checksum of an upper-layer @proto message over IPv6 (RFC 8200 8.1). */
static uint16_t csum6(const uint8_t *src, const uint8_t *dst, uint8_t proto, const uint8_t *p,
		      size_t len)
{
	uint8_t pseudo[40];

	memcpy(pseudo, src, 16);
	memcpy(pseudo + 16, dst, 16);
	memset(pseudo + 32, 0, 8);
	pseudo[34] = (uint8_t)(len >> 8);
	pseudo[35] = (uint8_t)len;
	pseudo[39] = proto;
	return csum(p, len, (uint32_t)(0xffff & ~csum(pseudo, 40, 0)));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* na TARGET [SRC]: an unsolicited advertisement with the override flag,
 * to all nodes, giving the interface's MAC for TARGET.
 * ns TARGET [SRC]: a solicitation for TARGET, from :: (duplicate address
 * detection) or with the interface's MAC as source link-layer address. */
static int nd(struct frame *f, const uint8_t *mac, bool advert, char **argv, int argc)
{
	static const uint8_t all_nodes[16] = { 0xff, 2, [15] = 1 };
	uint8_t src[16], dst[16], tgt[16], *icmp;
	bool unspec;
	size_t len;

	if (argc < 1 || inet_pton(AF_INET6, argv[0], tgt) != 1 ||
	    addr6(argc > 1 ? argv[1] : NULL, mac, src) < 0)
		return -EINVAL;
	unspec = !memcmp(src, (uint8_t[16]){ 0 }, 16);
	memcpy(dst, all_nodes, 16);
	if (!advert) {			/* solicited-node multicast */
		memcpy(dst, (uint8_t[13]){ 0xff, 2, [11] = 1, [12] = 0xff }, 13);
		memcpy(dst + 13, tgt + 13, 3);
	}
	len = 24 + (unspec ? 0 : 8);
	icmp = ip6_hdr(f, mac, src, dst, IPPROTO_ICMPV6, len);
	memset(icmp, 0, len);
	icmp[0] = advert ? 136 : 135;
	if (advert)
		icmp[4] = 0x20;		/* override */
	memcpy(icmp + 8, tgt, 16);
	if (!unspec) {
		icmp[24] = advert ? 2 : 1;	/* target / source link-layer address */
		icmp[25] = 1;
		memcpy(icmp + 26, mac, 6);
	}
	put16(icmp + 2, csum6(src, dst, IPPROTO_ICMPV6, icmp, len));
	return 0;
}

/* dhcp4-offer SRC: a DHCP server's reply, SRC:67 -> 255.255.255.255:68. */
static int dhcp_offer(struct frame *f, const uint8_t *mac, const char *src)
{
	uint8_t *ip, *udp;
	uint16_t c;

	dhcp(f, mac);
	ip = f->b + 14;
	udp = ip + 20;
	if (inet_pton(AF_INET, src, ip + 12) != 1)
		return -EINVAL;
	ip[10] = ip[11] = 0;
	c = csum(ip, 20, 0);
	put16(ip + 10, c);
	udp[1] = 67;
	udp[3] = 68;
	udp[8] = 2;				/* BOOTREPLY */
	return 0;
}

/* dhcp6-advert: a DHCPv6 server's Advertise from the interface's
 * link-local address, [SRC]:547 -> ff02::1:546. */
static int dhcp6_advert(struct frame *f, const uint8_t *mac, const char *src)
{
	static const uint8_t all_nodes[16] = { 0xff, 2, [15] = 1 };
	uint8_t s[16], *udp;

	if (addr6(src, mac, s) < 0)
		return -EINVAL;
	udp = ip6_hdr(f, mac, s, all_nodes, IPPROTO_UDP, 8 + 4);
	memset(udp, 0, 12);
	put16(udp, 547);
	put16(udp + 2, 546);
	put16(udp + 4, 12);
	udp[8] = 2;				/* ADVERTISE */
	udp[9] = 0x12;				/* a transaction id */
	put16(udp + 6, csum6(s, all_nodes, IPPROTO_UDP, udp, 12));
	return 0;
}

/* The router advertisement of ra(), its ICMPv6 message after a 16-byte
 * destination options header (PadN), cut in two fragments: "hidden", the
 * first ends inside the options (the ICMPv6 type is in the second);
 * "visible", no options and the first holds the ICMPv6 header. @second:
 * which of the two to build. */
static int frag_ra(struct frame *f, const uint8_t *mac, const char *kind, bool second)
{
	static const uint8_t all_nodes[16] = { 0xff, 2, [15] = 1 };
	bool hidden = !strcmp(kind, "hidden");
	uint8_t whole[64], src[16], *p;
	size_t opts = hidden ? 16 : 0, len = opts + 16, cut = 8, n;
	struct frame r;

	if (!hidden && strcmp(kind, "visible"))
		return -EINVAL;
	ra(&r, mac);			/* its ICMPv6 message, checksum and all */
	eui64_ll(mac, src);
	memset(whole, 0, sizeof(whole));
	if (hidden) {
		whole[0] = IPPROTO_ICMPV6;
		whole[1] = 1;			/* (1 + 1) * 8 bytes */
		whole[2] = 1;			/* PadN of 12 */
		whole[3] = 12;
	}
	memcpy(whole + opts, r.b + 14 + 40, 16);
	n = second ? len - cut : cut;
	p = ip6_hdr(f, mac, src, all_nodes, 44, 8 + n);
	p[0] = hidden ? 60 : IPPROTO_ICMPV6;
	p[1] = 0;
	put16(p + 2, (uint16_t)((second ? cut : 0) | !second));	/* offset, more */
	memcpy(p + 4, "\x58\x4e\x45\x54", 4);				/* id */
	memcpy(p + 8, whole + (second ? cut : 0), n);
	return 0;
}

/* tcp4 DSTMAC SRC DST FLAGS: a TCP segment with those flags (hex), from
 * port 40000 to 80; icmp4-err DSTMAC SRC DST: a port unreachable about a
 * UDP packet DST -> SRC that was never sent. Both are what conntrack
 * marks invalid, sent to DSTMAC (a routed guest's next hop). */
static int ip4_to(struct frame *f, const uint8_t *mac, char **argv, uint8_t proto, size_t plen)
{
	unsigned int m[6];
	uint8_t dmac[6], *ip = f->b + 14;

	if (sscanf(argv[0], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		dmac[i] = (uint8_t)m[i];
	eth(f, dmac, mac, 0x0800);
	memset(ip, 0, 20 + plen);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + plen));
	ip[8] = 64;
	ip[9] = proto;
	if (inet_pton(AF_INET, argv[1], ip + 12) != 1 || inet_pton(AF_INET, argv[2], ip + 16) != 1)
		return -EINVAL;
	put16(ip + 10, csum(ip, 20, 0));
	f->len = 14 + 20 + plen;
	return 0;
}

static int tcp4(struct frame *f, const uint8_t *mac, char **argv)
{
	uint8_t *ip = f->b + 14, *tcp = ip + 20, pseudo[12];
	int r = ip4_to(f, mac, argv, IPPROTO_TCP, 20);

	if (r < 0)
		return r;
	put16(tcp, 40000);
	put16(tcp + 2, 80);
	tcp[7] = 1;				/* a sequence number */
	tcp[12] = 5 << 4;
	tcp[13] = (uint8_t)strtoul(argv[3], NULL, 16);
	put16(tcp + 14, 1024);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, 20);
	put16(tcp + 16, csum(tcp, 20, (uint32_t)(0xffff & ~csum(pseudo, 12, 0))));
	return 0;
}

static int icmp4_err(struct frame *f, const uint8_t *mac, char **argv)
{
	uint8_t *ip = f->b + 14, *icmp = ip + 20, *inner = icmp + 8;
	int r = ip4_to(f, mac, argv, IPPROTO_ICMP, 8 + 28);

	if (r < 0)
		return r;
	icmp[0] = 3;				/* destination unreachable */
	icmp[1] = 3;				/* port unreachable */
	inner[0] = 0x45;
	put16(inner + 2, 28);
	inner[8] = 64;
	inner[9] = IPPROTO_UDP;
	memcpy(inner + 12, ip + 16, 4);		/* it "came" from DST to SRC */
	memcpy(inner + 16, ip + 12, 4);
	put16(inner + 10, csum(inner, 20, 0));
	put16(inner + 20, 53);
	put16(inner + 22, 33333);
	put16(inner + 24, 8);
	put16(icmp + 2, csum(icmp, 8 + 28, 0));
	return 0;
}

static int send_frame(const char *dev, const struct frame *f)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int fd = socket(AF_PACKET, SOCK_RAW, 0), r = 0;

	sa.sll_ifindex = (int)if_nametoindex(dev);
	memcpy(sa.sll_addr, f->b, 6);
	if (fd < 0 || !sa.sll_ifindex)
		r = -errno;
	else if (sendto(fd, f->b, f->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	return r;
}

static int mac_of(const char *dev, uint8_t *mac)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), r = 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		r = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (fd >= 0)
		close(fd);
	return r;
}

static const char usage[] =
	"usage: pktsend IFACE ra | dhcp | arp SENDER-MAC SENDER-IP TARGET-IP\n"
	"       | na TARGET [SRC] | ns TARGET [SRC] | dhcp4-offer SRC | dhcp6-advert [SRC]\n"
	"       | frag-ra hidden|visible | tcp4 DSTMAC SRC DST FLAGS | icmp4-err DSTMAC SRC DST\n"
	"  (an IPv6 SRC of \"ll\" or none: the interface's EUI-64 link-local)\n";

static int build(struct frame *f, const uint8_t *mac, int argc, char **argv)
{
	const char *cmd = argv[0];

	if (!strcmp(cmd, "ra"))
		return ra(f, mac), 0;
	if (!strcmp(cmd, "dhcp"))
		return dhcp(f, mac), 0;
	if (!strcmp(cmd, "arp") && argc == 4)
		return arp(f, mac, argv + 1);
	if (!strcmp(cmd, "na") || !strcmp(cmd, "ns"))
		return nd(f, mac, cmd[1] == 'a', argv + 1, argc - 1);
	if (!strcmp(cmd, "dhcp4-offer") && argc == 2)
		return dhcp_offer(f, mac, argv[1]);
	if (!strcmp(cmd, "tcp4") && argc == 5)
		return tcp4(f, mac, argv + 1);
	if (!strcmp(cmd, "icmp4-err") && argc == 4)
		return icmp4_err(f, mac, argv + 1);
	if (!strcmp(cmd, "dhcp6-advert"))
		return dhcp6_advert(f, mac, argc > 1 ? argv[1] : NULL);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct frame f = { { 0 }, 0 };
	uint8_t mac[6];
	int r;

	if (argc < 3 || mac_of(argv[1], mac) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[2], "frag-ra") && argc == 4) {
		r = frag_ra(&f, mac, argv[3], false);
		if (r >= 0)
			r = send_frame(argv[1], &f);
		if (r >= 0)
			r = frag_ra(&f, mac, argv[3], true);
	} else {
		r = build(&f, mac, argc - 2, argv + 2);
	}
	if (r == -EINVAL)
		fputs(usage, stderr);
	if (r >= 0)
		r = send_frame(argv[1], &f);
	if (r < 0)
		fprintf(stderr, "pktsend: %s\n", strerror(-r));
	return r < 0 ? 2 : 0;
}
