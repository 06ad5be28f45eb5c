/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xenbus.c: the vif a run acts on: its XENBUS_PATH, device name and keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "store/store.h"
#include "run/run.h"

static int tap_path(struct xnh_ctx *c)
{
	if (xnh_tap_name_parse(c->dev, &c->domid, &c->devid) < 0)
		return xnh_ctx_fail(c, -EINVAL, "XENBUS_PATH is not set and INTERFACE '%s'"
				    " is not named vif<domid>.<devid>-emu", c->dev);
	snprintf(c->xb_path, sizeof(c->xb_path), "backend/vif/%u/%u", c->domid, c->devid);
	return 0;
}

/* Works out type_if, the device and XENBUS_PATH of a per-vif run. */
int xnh_ctx_vif(struct xnh_ctx *c)
{
	const char *t = c->val[XNH_K_TYPE_IF], *xb = c->val[XNH_K_XENBUS_PATH];
	enum xnh_key devkey;

	c->type_if = t && !strcmp(t, "tap") ? XNH_TYPE_TAP : XNH_TYPE_VIF;
	devkey = c->type_if == XNH_TYPE_TAP ? XNH_K_INTERFACE : XNH_K_VIF;
	if (!c->val[devkey])
		return xnh_ctx_fail(c, -EINVAL, "%s is not set", xnh_key_name(devkey));
	snprintf(c->dev, sizeof(c->dev), "%s", c->val[devkey]);
	if (!xb) {
		if (c->type_if == XNH_TYPE_TAP)
			return tap_path(c);
		return xnh_ctx_fail(c, -EINVAL, "XENBUS_PATH is not set");
	}
	snprintf(c->xb_path, sizeof(c->xb_path), "%s", xb);
	return xnh_xenbus_path_parse(xb, &c->domid, &c->devid);
}

/* The per-device keys override environment and arguments. */
static int load_key(struct xnh_ctx *c, struct xnh_store *st, enum xnh_key k)
{
	char *v;
	int r = xnh_store_read_key(st, c->xb_path, xnh_key_name(k), &v);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return xnh_ctx_fail_errno(c, r, "cannot read %s/%s", c->xb_path,
					  xnh_key_name(k));
	free(c->owned[k]);
	c->owned[k] = v;
	return xnh_ctx_set(c, k, v, XNH_SRC_STORE);
}

/* `ip` for every vif program; `bridge` only for those that use it (a
 * xenstore round trip each). */
int xnh_ctx_load_store(struct xnh_ctx *c, struct xnh_store *st, bool bridge)
{
	int r = load_key(c, st, XNH_K_IP);

	return r < 0 || !bridge ? r : load_key(c, st, XNH_K_BRIDGE);
}
