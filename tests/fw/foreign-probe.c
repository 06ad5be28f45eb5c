/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* foreign-probe: xnf_scan from the command line, for tests/netns/foreign-scan.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foreign/foreign.h"

#define MAX_BLOCKS	16

static const char usage[] =
	"usage: foreign-probe VIF BRIDGE|- 4|6|46 [UPLINK]\n"
	"  prints each chain that drops the guest's traffic:\n"
	"  blocked: FAMILY TABLE CHAIN: WHY, then fix: and alt: lines\n";

static int families(const char *s)
{
	int f = 0;

	for (; *s; s++) {
		if (*s == '4')
			f |= XNF_IPV4;
		else if (*s == '6')
			f |= XNF_IPV6;
		else
			return 0;
	}
	return f;
}

int main(int argc, char **argv)
{
	struct xnf_block b[MAX_BLOCKS];
	struct xnf_guest g;
	int n, i;

	if (argc < 4 || argc > 5 || !families(argv[3])) {
		fputs(usage, stderr);
		return 2;
	}
	g.vif = argv[1];
	g.bridge = strcmp(argv[2], "-") ? argv[2] : NULL;
	g.families = families(argv[3]);
	g.uplink = argc > 4 ? argv[4] : NULL;
	n = xnf_scan(&g, b, MAX_BLOCKS);
	if (n < 0) {
		fprintf(stderr, "foreign-probe: scan: %s\n", strerror(-n));
		return 1;
	}
	for (i = 0; i < n && i < MAX_BLOCKS; i++) {
		printf("blocked: %s %s %s: %s\n", b[i].family, b[i].table, b[i].chain, b[i].why);
		if (b[i].fix[0])
			printf("fix: %s\n", b[i].fix);
		if (b[i].alt[0])
			printf("alt: %s\n", b[i].alt);
	}
	return 0;
}
