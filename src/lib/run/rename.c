/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rename.c: the vif a run acts on: found, renamed to `vifname` (or its "-emu"
 * tap) at online and back after a failure, taken down at offline. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "text/text.h"
#include "sys/sys.h"
#include "store/store.h"
#include "net/net.h"
#include "run/run.h"

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
		return xnh_ctx_fail_errno(c, ret, "cannot read %s/vifname", c->xb_path);
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

/* The mark a renamed vif carries, so that a run interrupted after the
 * rename (killed, or the host rebooting xenstored) recognises it. */
static void owner_alias(const struct xnh_ctx *c, char *buf, size_t len)
{
	snprintf(buf, len, "xen backend/vif/%u/%u", c->domid, c->devid);
}

/* The device an online/add acts on: the one netback made, or, when an
 * earlier run already renamed it to `vifname`, that one (by its mark). */
int xnh_vif_find(struct xnh_run *r, struct xnh_link *out)
{
	struct xnh_ctx *c = &r->ctx;
	char mine[64];
	int ret = xnh_link_get(&r->nl, c->dev, out);

	if (ret == -ENODEV && c->vifname[0] && xnh_link_get(&r->nl, c->vifname, out) == 0) {
		owner_alias(c, mine, sizeof(mine));
		if (!strcmp(out->alias, mine)) {
			snprintf(c->dev, sizeof(c->dev), "%s", c->vifname);
			return 0;
		}
	}
	if (ret < 0)
		return xnh_ctx_fail(c, ret, "interface %s not found", c->dev);
	return 0;
}

/* Renames the device to `vifname`, refusing a name in use: that is most
 * likely another guest's interface, and taking it would cut that guest off. */
int xnh_vif_rename(struct xnh_run *r)
{
	struct xnh_ctx *c = &r->ctx;
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct xnh_link cur, other;
	char alias[64];
	int ret;

	if (!c->vifname[0] || !strcmp(c->vifname, c->dev))
		return 0;
	if (xnh_link_get(&r->nl, c->vifname, &other) == 0)
		return xnh_ctx_fail(c, -EEXIST, "cannot rename %s to %s: an interface named %s"
				    " already exists", c->dev, c->vifname, c->vifname);
	ret = xnh_link_get(&r->nl, c->dev, &cur);
	if (ret < 0)
		return xnh_ctx_fail(c, ret, "interface %s not found", c->dev);
	ret = xnh_link_set_up(&r->nl, &cur, false);	/* the kernel renames only links that are down */
	if (ret < 0)
		return xnh_ctx_fail_errno(c, ret, "set %s down", c->dev);
	req.ifindex = cur.ifindex;
	req.name = c->dev;
	owner_alias(c, alias, sizeof(alias));
	req.rename = c->vifname;
	req.alias = alias;
	ret = xnh_link_apply(&r->nl, &req);
	if (ret < 0)
		return xnh_ctx_fail_errno(c, ret, "rename %s to %s", c->dev, c->vifname);
	snprintf(c->renamed_from, sizeof(c->renamed_from), "%s", c->dev);
	snprintf(c->dev, sizeof(c->dev), "%s", c->vifname);
	return 0;
}

/* A failed online gives the vif its name back (and drops the mark), so
 * that the host is as it was; the link is down by then, as the kernel
 * renames only links that are down (else the name stays: it is logged). */
void xnh_vif_rename_undo(struct xnh_run *r)
{
	struct xnh_ctx *c = &r->ctx;
	struct xnh_link_req req = XNH_LINK_REQ_INIT;
	struct xnh_link cur;

	if (!c->renamed_from[0] || xnh_link_get(&r->nl, c->dev, &cur) < 0)
		return;
	xnh_link_set_up(&r->nl, &cur, false);
	req.ifindex = cur.ifindex;
	req.name = c->dev;
	req.rename = c->renamed_from;
	req.alias = "";
	if (xnh_link_apply(&r->nl, &req) == 0) {
		snprintf(c->dev, sizeof(c->dev), "%s", c->renamed_from);
		c->renamed_from[0] = '\0';
	}
}

/* offline/remove act on the device this vif's online set up: the one
 * named `vifname` only when it carries this vif's mark. Another guest's
 * interface of that name (this vif's own online was refused it) is left
 * alone: the run acts on netback's device instead. */
int xnh_vif_mine(struct xnh_run *r)
{
	struct xnh_ctx *c = &r->ctx;
	struct xnh_link l;
	char mine[64];
	int ret;

	if (!c->vifname[0] || strcmp(c->dev, c->vifname))
		return 0;
	ret = xnh_link_get(&r->nl, c->vifname, &l);
	if (ret == -ENODEV)
		return 0;	/* gone: what is left under its name is stale */
	if (ret < 0)
		return xnh_ctx_fail_errno(c, ret, "look up %s", c->vifname);
	owner_alias(c, mine, sizeof(mine));
	if (!strcmp(l.alias, mine))
		return 0;
	xnh_log(LOG_NOTICE, "%s is not %s's (its alias is '%s'): left alone", c->vifname, mine,
		l.alias);
	snprintf(c->dev, sizeof(c->dev), "%s",
		 c->val[c->type_if == XNH_TYPE_TAP ? XNH_K_INTERFACE : XNH_K_VIF]);
	return 0;
}

/* offline/remove: the run's vif down; one that is gone already is fine. */
int xnh_vif_down(struct xnh_run *r)
{
	struct xnh_link vif;
	int ret = xnh_link_get(&r->nl, r->ctx.dev, &vif);

	if (ret >= 0)
		ret = xnh_link_set_up(&r->nl, &vif, false);
	if (ret < 0 && ret != -ENODEV)
		return xnh_ctx_fail_errno(&r->ctx, ret, "bring %s down", r->ctx.dev);
	return 0;
}
