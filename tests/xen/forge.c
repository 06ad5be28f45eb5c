/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* forge: the lab guest's forged traffic. Sends COUNT ICMP echo requests in
 * raw Ethernet frames with any source MAC and IP, whatever the interface's
 * own are (AF_PACKET), 10 ms apart, going on when one cannot be sent (a
 * link without carrier yet: the flood during an attach); exits 1 if none
 * could.
 *   forge IFACE SRC-MAC SRC-IP DST-MAC DST-IP COUNT */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int mac(const char *s, uint8_t *m)
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)b[i];
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_halen = 6 };
	uint8_t f[14 + 20 + 16] = { 0 }, *ip = f + 14, *icmp = f + 34;
	int fd, n, sent = 0;
	uint16_t c;

	if (argc != 7 || mac(argv[4], f) || mac(argv[2], f + 6) ||
	    inet_pton(AF_INET, argv[3], ip + 12) != 1 || inet_pton(AF_INET, argv[5], ip + 16) != 1) {
		fprintf(stderr, "usage: forge IFACE SRC-MAC SRC-IP DST-MAC DST-IP COUNT\n");
		return 2;
	}
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = sizeof(f) - 14;
	ip[4] = 0x7a; /* id 0x7a7a: the LAN counts these */
	ip[5] = 0x7a;
	ip[8] = 64;
	ip[9] = 1;
	c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	icmp[0] = 8;
	memcpy(icmp + 8, "xnet-lab", 8);
	c = csum(icmp, 16);
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	sa.sll_ifindex = (int)if_nametoindex(argv[1]);
	memcpy(sa.sll_addr, f, 6);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 || !sa.sll_ifindex) {
		perror("forge");
		return 1;
	}
	for (n = atoi(argv[6]); n > 0; n--) {
		if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)sizeof(f))
			sent++;
		usleep(10000);
	}
	if (!sent)
		perror("forge: sendto");
	return sent ? 0 : 1;
}
