/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xenbus.c: the vif a run acts on: its XENBUS_PATH, device name and keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xnethelper.h"

#define DOMID_MAX	32751		/* DOMID_FIRST_RESERVED - 1 */
#define DEVID_MAX	65535

/* Reads "<n>" up to @stop (or the end) and moves *s past it. */
static int number(const char **s, char stop, unsigned long max, unsigned int *out)
{
	char buf[12];
	size_t len = stop ? strcspn(*s, (char[]){ stop, '\0' }) : strlen(*s);
	unsigned long v;
	int r;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, *s, len);
	buf[len] = '\0';
	r = xnh_parse_uint(buf, max, &v);
	if (r < 0)
		return -EINVAL;
	*out = (unsigned int)v;
	*s += len;
	return 0;
}

/* "backend/vif/<domid>/<devid>", as libxl passes it, or its absolute form
 * "/local/domain/<backend>/backend/vif/<domid>/<devid>"; nothing else. */
int xnh_xenbus_path_parse(const char *s, unsigned int *domid, unsigned int *devid)
{
	unsigned int backend;

	if (!strncmp(s, "/local/domain/", 14)) {
		s += 14;
		if (number(&s, '/', DOMID_MAX, &backend) < 0 || *s++ != '/')
			return -EINVAL;
	}
	if (strncmp(s, "backend/vif/", 12))
		return -EINVAL;
	s += 12;
	if (number(&s, '/', DOMID_MAX, domid) < 0 || *s++ != '/')
		return -EINVAL;
	return number(&s, 0, DEVID_MAX, devid);
}

/* "vif<domid>.<devid>-emu", the name libxl gives an emulated NIC's tap. */
int xnh_tap_name_parse(const char *s, unsigned int *domid, unsigned int *devid)
{
	size_t len = strlen(s);
	char buf[XNH_IFNAMSIZ];

	if (strncmp(s, "vif", 3) || len < 8 || len >= sizeof(buf) ||
	    strcmp(s + len - 4, "-emu"))
		return -EINVAL;
	memcpy(buf, s + 3, len - 7);
	buf[len - 7] = '\0';
	s = buf;
	if (number(&s, '.', DOMID_MAX, domid) < 0 || *s++ != '.')
		return -EINVAL;
	return number(&s, 0, DEVID_MAX, devid);
}

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
		return xnh_ctx_fail(c, r, "cannot read %s/%s: %s", c->xb_path,
				    xnh_key_name(k), strerror(-r));
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
