/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pktsend: sends one crafted frame a guest should not be able to send (or a
 * DHCP discover), from an interface, for the firewall's scenario tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct frame {
	uint8_t b[128];
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

int main(int argc, char **argv)
{
	struct frame f = { { 0 }, 0 };
	uint8_t mac[6];
	int r = -EINVAL;

	if (argc < 3 || mac_of(argv[1], mac) < 0) {
		fprintf(stderr, "usage: pktsend IFACE ra|dhcp|arp SENDER-MAC SENDER-IP TARGET-IP\n");
		return 2;
	}
	if (!strcmp(argv[2], "ra")) {
		ra(&f, mac);
		r = 0;
	} else if (!strcmp(argv[2], "dhcp")) {
		dhcp(&f, mac);
		r = 0;
	} else if (!strcmp(argv[2], "arp") && argc == 6) {
		r = arp(&f, mac, argv + 3);
	}
	if (r >= 0)
		r = send_frame(argv[1], &f);
	if (r < 0)
		fprintf(stderr, "pktsend: %s\n", strerror(-r));
	return r < 0 ? 2 : 0;
}
