/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_dhcp.c: libFuzzer target for the DHCP config editors (ISC dhcpd, its
 * defaults file, dnsmasq's hosts and options files). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROP(cond) do { if (!(cond)) abort(); } while (0)
#include "dhcp_props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xnh_dhcp_host h = { .name = "dom1", .mac = { 0, 0x16, 0x3e, 0, 1, 0 } };
	char *in;

	if (size > 8192)
		return 0;
	in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	inet_pton(AF_INET, "10.0.0.1", &h.addr);
	inet_pton(AF_INET, "10.0.0.128", &h.router);
	fuzz_isc(in, &h);
	fuzz_lines(in, &h);
	free(in);
	return 0;
}
