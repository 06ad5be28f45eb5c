/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwrestore.c: the guard of every vif rebuilt from xnet's records, after
 * something (nft flush ruleset, nftables.service) removed the tables; and
 * each vif's guard looked at, for status. Uses the records (state dir),
 * the kernel's links and the firewall API; nothing above it. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xnethelper.h"

/* fw-bridge-IFNAME, fw-inet-IFNAME: the per-vif records fwvif.c keeps. */
static int record_table(const char *name, enum xnh_fw_table *t, const char **ifname)
{
	if (!strncmp(name, "fw-bridge-", 10)) {
		*t = XNH_FW_BRIDGE;
		*ifname = name + 10;
	} else if (!strncmp(name, "fw-inet-", 8)) {
		*t = XNH_FW_INET;
		*ifname = name + 8;
	} else {
		return -ENOENT;
	}
	return xnh_valid_ifname(*ifname) < 0 || strchr(name, '.') == name ? -EINVAL : 0;
}

/* Calls @cb for each per-vif record, in name order; @v is NULL for one
 * that cannot be read or parsed (@path names it). */
int xnh_fw_records_walk(xnh_fw_record_cb cb, void *arg)
{
	char path[PATH_MAX], *text;
	struct dirent **names;
	enum xnh_fw_table t;
	struct xnh_fw_vif v;
	const char *ifname;
	int i, n, r = 0;

	n = scandir(xnh_state_dir(), &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < n; i++) {
		if (r >= 0 && record_table(names[i]->d_name, &t, &ifname) == 0 &&
		    xnh_state_path(names[i]->d_name, path, sizeof(path)) >= 0) {
			text = NULL;
			if (xnh_file_read(path, &text, NULL) == 0 && xnh_fw_vif_parse(text, &v) == 0 &&
			    v.table == t && !strcmp(v.ifname, ifname))
				r = cb(&v, path, arg);
			else
				r = cb(NULL, path, arg);
			free(text);
		}
		free(names[i]);
	}
	free(names);
	return r;
}
