/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report.c: what the toolstack reads back: hotplug-status and hotplug-error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "run/run.h"

/* Netback keeps the guest's NIC unconnected until it reads this. */
int xnh_report_connected(struct xnh_run *r)
{
	int ret = xnh_store_report(&r->st, r->ctx.xb_path, NULL);

	if (ret == -ENOENT)
		return xnh_ctx_fail(&r->ctx, ret, "%s is gone: the toolstack removed the device",
				    r->ctx.xb_path);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot write %s/hotplug-status",
					  r->ctx.xb_path);
	return 0;
}

/* Writes the reason where libxl shows it, when the backend directory is
 * still there (an offline after libxl removed it must not re-create it). */
void xnh_report_error(struct xnh_run *r, int err)
{
	const char *xb = r->ctx.val[XNH_K_XENBUS_PATH];

	if (!xb)
		xb = r->ctx.xb_path[0] ? r->ctx.xb_path : NULL;
	if (!xb || xnh_store_open(&r->st) < 0)
		return;
	if (!r->ctx.err[0])
		snprintf(r->ctx.err, sizeof(r->ctx.err), "%s", strerror(-err));
	xnh_store_report(&r->st, xb, r->ctx.err);
}
