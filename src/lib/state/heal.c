/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* heal.c: the boot a record was written in, against this one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sys/sys.h"
#include "state/state.h"

/* A boot id as a record holds it: hex digits and dashes, nothing else. */
int xnh_boot_valid(const char *boot)
{
	size_t n = strlen(boot);

	return n > 0 && n < XNH_BOOT_MAX && strspn(boot, "0123456789abcdef-") == n ? 0 : -EINVAL;
}

/* This boot's id, "" when the kernel does not tell it. */
void xnh_boot_of_now(char *buf, size_t len)
{
	if (xnh_boot_id(buf, len) < 0)
		buf[0] = '\0';
}

/* Was a record of @boot written in an earlier boot? A record without
 * one (an older xnet's) is of no known boot: false, and its caller holds
 * it against the kernel. */
bool xnh_boot_other(const char *boot)
{
	char now[XNH_BOOT_MAX];

	xnh_boot_of_now(now, sizeof(now));
	return boot[0] && now[0] && strcmp(boot, now);
}
