/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rename.c: the `vifname` key: a vif (or its "-emu" tap) renamed at online. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

/* Reads and checks `vifname` before anything changes; for offline/remove
 * the device already carries that name. */
int xnh_vifname_load(struct xnh_run *r)
{
	struct xnh_ctx *c = &r->ctx;
	const char *sfx = c->type_if == XNH_TYPE_TAP ? "-emu" : "";
	char *v, q[64];
	int n, ret = xnh_store_read_key(&r->st, c->xb_path, "vifname", &v);

	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail(c, ret, "cannot read %s/vifname: %s", c->xb_path,
				    strerror(-ret));
	n = snprintf(c->vifname, sizeof(c->vifname), "%s%s", v, sfx);
	if (*v && ((size_t)n >= sizeof(c->vifname) || xnh_valid_ifname(c->vifname) < 0)) {
		xnh_quote(v, q, sizeof(q));
		c->vifname[0] = '\0';
		free(v);
		return xnh_ctx_fail(c, -EINVAL, "invalid vifname '%s' (xenstore)", q);
	}
	free(v);
	if (c->vifname[0] && !xnh_cmd_up(r))
		snprintf(c->dev, sizeof(c->dev), "%s", c->vifname);
	return 0;
}

/* Renames the device to `vifname`, refusing a name in use: that is most
 * likely another guest's interface, and taking it would cut that guest off. */
int xnh_vif_rename(struct xnh_run *r)
{
	struct xnh_ctx *c = &r->ctx;
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct xnh_link cur, other;
	int ret;

	if (!c->vifname[0] || !strcmp(c->vifname, c->dev))
		return 0;
	if (xnh_link_get(&r->nl, c->vifname, &other) == 0)
		return xnh_ctx_fail(c, -EEXIST, "cannot rename %s to %s: an interface named %s"
				    " already exists", c->dev, c->vifname, c->vifname);
	ret = xnh_link_get(&r->nl, c->dev, &cur);
	if (ret < 0)
		return xnh_ctx_fail(c, ret, "interface %s not found", c->dev);
	req.ifindex = cur.ifindex;
	req.name = c->dev;
	if (xnh_link_is_up(&cur)) {	/* the kernel renames only links that are down */
		req.up = 0;
		ret = xnh_link_apply(&r->nl, &req);
		if (ret < 0)
			return xnh_ctx_fail(c, ret, "set %s down: %s", c->dev, strerror(-ret));
		req.up = XNH_UNCHANGED;
	}
	req.rename = c->vifname;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret < 0)
		return xnh_ctx_fail(c, ret, "rename %s to %s: %s", c->dev, c->vifname,
				    strerror(-ret));
	snprintf(c->dev, sizeof(c->dev), "%s", c->vifname);
	return 0;
}
