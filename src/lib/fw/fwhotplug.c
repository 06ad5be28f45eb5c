/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwhotplug.c: the guest firewall as the programs use it: one call each, and its status lines. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "store/store.h"
#include "run/run.h"
#include "fw/fw.h"

/* -1 unset, 0 no, 1 yes (the value was checked with the other parameters). */
static int antispoof(const struct xnh_ctx *c)
{
	if (!c->val[XNH_K_ANTISPOOF])
		return -1;
	return xnh_ctx_bool(c, XNH_K_ANTISPOOF, false);
}

/* Reads and checks xenstore `mac` before anything changes: a bridged vif
 * with `ip` is guarded by its MAC too, so it must have a valid one. */
int xnh_fw_mac_load(struct xnh_run *r, uint8_t mac[6], bool *has_mac)
{
	struct xnh_ctx *c = &r->ctx;
	char *v = NULL, q[64];
	int ret = xnh_store_read_key(&r->st, c->xb_path, "mac", &v);

	*has_mac = false;
	if (ret < 0 && ret != -ENOENT)
		return xnh_ctx_fail(c, ret, "cannot read %s/mac: %s", c->xb_path, strerror(-ret));
	if (ret == 0 && *v) {
		xnh_quote(v, q, sizeof(q));
		ret = xnh_parse_mac(v, mac);
		*has_mac = ret == 0;
	}
	free(v);
	if (ret < 0 && ret != -ENOENT)
		return xnh_ctx_fail(c, -EINVAL, "invalid mac '%s' (xenstore)", q);
	if (xnh_fw_policy(XNH_FW_BRIDGE, &c->ip, *has_mac, antispoof(c)) == -ENOENT)
		return xnh_ctx_fail(c, -EINVAL, "cannot guard %s: `ip` is set but %s/mac is not"
				    " (antispoof=no runs it unguarded)", c->dev, c->xb_path);
	return 0;
}

/* The guard is wanted but nftables cannot be used: never a silent
 * downgrade; the reason names the setting that waives the guard. */
static int unavailable(struct xnh_ctx *c, int err, const char *what)
{
	return xnh_ctx_fail(c, err, "cannot guard %s: nftables cannot be used (%s: %s); load"
			    " nf_tables, or run the guest unguarded with antispoof=no"
			    " (XNET_ANTISPOOF=no in xl's environment)", c->dev, what,
			    strerror(-err));
}

static int describe(struct xnh_ctx *c, int err, enum xnh_fw_table t)
{
	const char *fam = t == XNH_FW_BRIDGE ? "bridge" : "inet";

	if (err == -EOPNOTSUPP || err == -EAFNOSUPPORT)
		return unavailable(c, err, "nfnetlink has no nf_tables");
	if (err == -EEXIST)
		return xnh_ctx_fail(c, err, "nft table %s xen exists and is not xnet's", fam);
	if (err == -EPROTONOSUPPORT)
		return xnh_ctx_fail(c, err, "nft table %s xen has a newer layout than %d", fam,
				    XNH_FW_LAYOUT);
	return xnh_ctx_fail(c, err, "guest firewall of %s (nft table %s xen): %s", c->dev, fam,
			    strerror(-err));
}

/* @kernel: the kernel's own reason (extended ack), after ours. */
static int fail(struct xnh_ctx *c, int err, enum xnh_fw_table t, const char *kernel)
{
	size_t n;

	err = describe(c, err, t);
	n = strlen(c->err);
	if (kernel)
		snprintf(c->err + n, sizeof(c->err) - n, " (kernel: %s)", kernel);
	return err;
}

/* antispoof=, else yes on a bridge in @strict_bridges. An error of that
 * check fails the run: taking it for "not strict" would let a vif
 * without `ip` on a strict bridge come online unguarded. */
static int strictness(struct xnh_run *r, struct xnh_fw *fw, enum xnh_fw_table t,
		      const char *bridge, int *as)
{
	int ret;

	*as = antispoof(&r->ctx);
	if (*as >= 0 || !bridge || t != XNH_FW_BRIDGE)
		return 0;
	ret = xnh_fault("strict", -EIO);
	if (!ret)
		ret = xnh_fw_strict_check(fw, bridge);
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot tell whether bridge %s is strict"
				    " (network-bridge antispoof=yes): %s", bridge, strerror(-ret));
	*as = ret > 0 ? 1 : -1;
	return 0;
}

/* Guarded unless antispoof=no; on a bridge in @strict_bridges as if
 * antispoof=yes was given. */
/* Until the programs have parameters for them, this run's environment:
 * XNET_FW_DHCP_SERVER=yes lets the vif answer DHCP clients, XNET_FW_STRICT
 * =yes drops a family `ip` does not list. Read for the vif an online
 * describes, never for one put back from its record (xnet-guard). */
static void env_settings(struct xnh_fw_vif *v)
{
	const char *d = getenv("XNET_FW_DHCP_SERVER"), *s = getenv("XNET_FW_STRICT");
	bool yes;

	v->dhcp_server = d && xnh_parse_bool(d, &yes) == 0 && yes;
	v->strict = s && xnh_parse_bool(s, &yes) == 0 && yes;
}

static int up(struct xnh_run *r, struct xnh_fw *fw, enum xnh_fw_table t, const uint8_t *mac,
	      int as)
{
	struct xnh_ctx *c = &r->ctx;
	struct xnh_fw_vif v;
	int g;

	g = xnh_fw_policy(t, &c->ip, mac != NULL, as);
	if (g < 0)
		return g;
	if (!g)
		return xnh_fw_vif_unguard(fw, t, c->dev);	/* what an earlier online added */
	memset(&v, 0, sizeof(v));
	v.table = t;
	snprintf(v.ifname, sizeof(v.ifname), "%s", c->dev);
	if (xnh_dry_run() && c->renamed_from[0] && !if_nametoindex(c->dev))
		v.ifindex = if_nametoindex(c->renamed_from);	/* not renamed in a dry run */
	v.has_mac = mac != NULL;
	if (mac)
		memcpy(v.mac, mac, sizeof(v.mac));
	v.ip = c->ip;
	env_settings(&v);
	return xnh_fw_vif_add(fw, &v);
}

/* This process is an online (it called the guard as one): whatever it
 * takes away is a rollback or an earlier online's leftovers, and goes at
 * once, not retired, so that a failed online leaves the host as it was. */
static bool undoing;

bool xnh_fw_undoing(void)
{
	return undoing;
}

/* @on: the vif's elements (after xnh_fw_mac_load() for a bridged vif;
 * @mac NULL for a routed one); off: exactly the elements online added (a
 * rollback or offline). @bridge: the bridge a bridged vif is on, or NULL. */
int xnh_fw_guard(struct xnh_run *r, enum xnh_fw_table t, const uint8_t *mac,
		 const char *bridge, bool on)
{
	struct xnh_fw fw = { 0 };
	int ret = xnh_fault("nft", -EPROTONOSUPPORT), as, retired = 0;

	undoing = xnh_cmd_up(r);
	/* offline: no socket unless a sweep is due */
	if (!on && !ret && !undoing) {
		retired = xnh_fw_vif_retire(t, r->ctx.dev);
		if (retired > 0 && xnh_fw_gone_count() <= XNH_FW_GONE_MAX)
			return 0;
		if (retired < 0)
			return fail(&r->ctx, retired, t, NULL);
	}
	if (!ret)
		ret = xnh_fw_open(&fw);
	/* without nf_tables, nothing was added that could be removed */
	if (ret < 0 && (!on || xnh_fw_policy(t, &r->ctx.ip, mac != NULL,
					     antispoof(&r->ctx)) <= 0))
		return 0;
	if (ret < 0)
		return unavailable(&r->ctx, ret, "cannot open nfnetlink");
	if (on) {
		ret = strictness(r, &fw, t, bridge, &as);
		if (ret < 0) {
			xnh_fw_close(&fw);
			return ret;
		}
	}
	if (retired > 0) {	/* a failed sweep is retried by the next offline */
		xnh_fw_gone_sweep(&fw);
		ret = 0;
	} else if (!on && xnh_cmd_up(r)) {	/* a failed online's rollback: gone now */
		ret = xnh_fw_vif_unguard(&fw, t, r->ctx.dev);
	} else {
		ret = on ? up(r, &fw, t, mac, as) : xnh_fw_vif_del(&fw, t, r->ctx.dev);
	}
	xnh_fw_close(&fw);
	return ret < 0 ? fail(&r->ctx, ret, t, xnh_fw_ext_msg(&fw, ret)) : 0;
}

/* online/add add the vif's elements, offline/remove delete them. */
int xnh_fw_hotplug(struct xnh_run *r, enum xnh_fw_table t, const uint8_t *mac,
		   const char *bridge)
{
	return xnh_fw_guard(r, t, mac, bridge, xnh_cmd_up(r));
}

/* status: the families of a guarded vif that are not held to addresses
 * (`ip` lists none of them), as online recorded them (else as `ip` and
 * the environment say now), and how to hold them. */
static void open_families_status(struct xnh_run *r, struct xnh_status *s, enum xnh_fw_table t)
{
	struct xnh_fw_vif v;
	bool o4, o6;

	if (xnh_fw_vif_load(t, r->ctx.dev, &v) < 0) {
		memset(&v, 0, sizeof(v));
		v.ip = r->ctx.ip;
		env_settings(&v);
	}
	xnh_fw_vif_open(&v, &o4, &o6);
	if (o4 || o6)
		xnh_status_check(s, XNH_OK, NULL, "%s's %s%s%s not held to addresses (`ip` lists"
				 " none; MAC, RA, ND and DHCP-server guards apply): list them in"
				 " `ip`, or XNET_FW_STRICT=yes drops them", r->ctx.dev,
				 o4 ? "IPv4" : "", o4 && o6 ? " and IPv6 are" : o4 ? " is" : "",
				 o6 && !o4 ? "IPv6 is" : "");
}

/* status: whether the vif's elements are in place, as one line in @s: all
 * that online recorded; with no record, whether the policy guards it at
 * all; then the families it does not hold to addresses. @has_mac: whether
 * a bridged vif's MAC is known (without xenstore, it is taken to be). */
void xnh_fw_vif_status(struct xnh_run *r, struct xnh_status *s, enum xnh_fw_table t,
		       bool has_mac, const char *bridge)
{
	const char *where = t == XNH_FW_BRIDGE ? "nft table bridge xen" :
			    "nft tables inet xen and arp xen", *dev = r->ctx.dev;
	struct xnh_fw fw = { 0 };
	unsigned int present = 0, expected = 0;
	int ret = xnh_fw_open(&fw), as = antispoof(&r->ctx), g;
	char fix[200];

	if (ret >= 0 && as < 0 && bridge && t == XNH_FW_BRIDGE &&
	    xnh_fw_strict_check(&fw, bridge) > 0)
		as = 1;
	g = xnh_fw_policy(t, &r->ctx.ip, has_mac, as);
	if (ret >= 0)
		ret = xnh_fw_vif_check(&fw, t, dev, &present, &expected);
	xnh_fw_close(&fw);
	xnh_check_fix_online(r, fix, sizeof(fix));
	if (ret < 0 && g)
		xnh_status_check(s, XNH_FAIL, fix, "%s's guest firewall elements are in place (%s:"
				 " %s)", dev, where, strerror(-ret));
	else if (expected || g)
		xnh_status_check(s, expected && present == expected ? XNH_OK : XNH_FAIL, fix,
				 "%s's guest firewall elements are in place (%u of %u in %s)", dev,
				 present, expected, where);
	else
		xnh_status_check(s, XNH_OK, NULL, "%s is not guarded by the guest firewall (%s)",
				 dev, antispoof(&r->ctx) == 0 ? "antispoof=no" : "no ip");
	if (g > 0)
		open_families_status(r, s, t);
}

/* status: "guest traffic leaving @ifname is masqueraded", network-nat's. */
void xnh_fw_nat_status(struct xnh_status *s, const char *ifname)
{
	struct xnh_fw fw = { 0 };
	int ret = xnh_fw_open(&fw);
	char fix[64];

	if (ret >= 0)
		ret = xnh_fw_nat_uplink_check(&fw, ifname);
	xnh_fw_close(&fw);
	snprintf(fix, sizeof(fix), "network-nat start netdev=%s", ifname);
	xnh_status_check(s, ret > 0 ? XNH_OK : XNH_FAIL, fix, "guest traffic leaving %s is"
			 " masqueraded (nft set inet xen @nat_uplinks)", ifname);
}
