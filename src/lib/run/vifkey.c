/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vifkey.c: a vif's optional xenstore keys (mtu, vlan, ...), and the MTU
 * the frontend is told; what every vif program reads the same way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "store/store.h"
#include "run/run.h"

/* The vif's key @key in its backend directory: *@v is NULL when it is
 * absent or empty, or when the run has no xenstore (status by name). */
int xnh_vif_key(struct xnh_run *r, const char *key, char **v)
{
	int ret;

	*v = NULL;
	if (!r->st.xs || !r->ctx.xb_path[0])
		return 0;
	ret = xnh_store_read_key(&r->st, r->ctx.xb_path, key, v);
	if (ret == -ENOENT || (ret == 0 && !**v)) {
		free(*v);
		*v = NULL;
		return 0;
	}
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read %s/%s", r->ctx.xb_path, key);
	return 0;
}

/* "invalid KEY 'VALUE' (xenstore)", the value quoted as untrusted text. */
int xnh_vif_key_bad(struct xnh_run *r, const char *key, const char *v)
{
	char q[64];

	xnh_quote(v, q, sizeof(q));
	return xnh_ctx_fail(&r->ctx, -EINVAL, "invalid %s '%s' (xenstore)", key, q);
}

/* The xenstore `mtu` when set, else @dflt (the bridge's). */
int xnh_vif_mtu(struct xnh_run *r, unsigned int dflt, unsigned int *mtu)
{
	char *v;
	int ret = xnh_vif_key(r, "mtu", &v);

	*mtu = dflt;
	if (ret < 0 || !v)
		return ret;
	if (xnh_parse_mtu(v, mtu) < 0)
		ret = xnh_vif_key_bad(r, "mtu", v);
	free(v);
	return ret;
}

/* Tells the guest the MTU: by the backend path's numbers, never by the
 * device name (which `vifname` may have changed: the old bug). */
int xnh_vif_tell_mtu(struct xnh_run *r, unsigned int mtu)
{
	char path[96], val[12];
	int ret;

	if (r->ctx.type_if != XNH_TYPE_VIF)
		return 0;
	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/mtu", r->ctx.domid,
		 r->ctx.devid);
	snprintf(val, sizeof(val), "%u", mtu);
	ret = xnh_store_write(&r->st, path, val);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot write %s", path);
	return 0;
}
