/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report.c: what the toolstack reads back: hotplug-status and hotplug-error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

/* Netback keeps the guest's NIC unconnected until it reads this. */
int xnh_report_connected(struct xnh_run *r)
{
	return xnh_store_write_key(&r->st, r->ctx.xb_path, "hotplug-status", "connected");
}

/* Writes the reason where libxl shows it, when the backend directory is
 * still there (an offline after libxl removed it must not re-create it). */
void xnh_report_error(struct xnh_run *r, int err)
{
	const char *xb = r->ctx.val[XNH_K_XENBUS_PATH];
	char *v;

	if (!xb)
		xb = r->ctx.xb_path[0] ? r->ctx.xb_path : NULL;
	if (!xb || xnh_store_open(&r->st) < 0)
		return;
	if (xnh_store_read(&r->st, xb, &v) < 0)
		return;
	free(v);
	if (!r->ctx.err[0])
		snprintf(r->ctx.err, sizeof(r->ctx.err), "%s", strerror(-err));
	xnh_store_write_key(&r->st, xb, "hotplug-error", r->ctx.err);
	xnh_store_write_key(&r->st, xb, "hotplug-status", "error");
}
