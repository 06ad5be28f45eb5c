/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwrecords.c: the per-vif records of the guest firewall (state dir,
 * fw-<family>-<ifname>, written by fwvif.c), walked: by a layout upgrade
 * to put every vif's elements in the new tables, by xnet-guard to put
 * them back after a flush. Uses the state directory only. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

/* Calls @cb with each vif that has a record in table @t (inet also for
 * table arp xen, which has no records of its own), in name order. */
int xnh_fw_records_walk(enum xnh_fw_table t, xnh_fw_record_cb cb, void *arg)
{
	struct dirent **names;
	char prefix[16];
	size_t len;
	int i, n, r = 0;

	len = (size_t)snprintf(prefix, sizeof(prefix), "fw-%s-",
			       t == XNH_FW_BRIDGE ? "bridge" : "inet");
	n = scandir(xnh_state_dir(), &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < n; i++) {
		if (r >= 0 && !strncmp(names[i]->d_name, prefix, len) &&
		    xnh_valid_ifname(names[i]->d_name + len) == 0)
			r = cb(t == XNH_FW_ARP ? XNH_FW_INET : t, names[i]->d_name + len, arg);
		free(names[i]);
	}
	free(names);
	return r;
}
