/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xnet-guard: every guest's guard put back from xnet's records, and what
 * is missing of it. `nft flush ruleset` (the first line of Debian's
 * /etc/nftables.conf, so every start or reload of nftables.service) takes
 * the tables `bridge xen` and `inet xen` with every guest's elements: until
 * this runs, those guests are unguarded. xnet-guard.service runs it after
 * each start or reload of nftables.service. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sys/sys.h"
#include "lib/net/net.h"
#include "lib/run/run.h"
#include "lib/nat/nat.h"
#include "lib/netbr/netbr.h"
#include "lib/fw/fw.h"

struct walk {
	struct xnh_run *r;
	struct xnh_fw *fw;
	struct xnh_status *s;		/* status; NULL: restore */
	int failed;
};

static const char *fam(enum xnh_fw_table t)
{
	return t == XNH_FW_BRIDGE ? "bridge" : "inet";
}

static bool link_there(struct xnh_run *r, const char *ifname)
{
	struct xnh_link l;

	return xnh_link_get(&r->nl, ifname, &l) == 0;
}

static int restore_one(enum xnh_fw_table t, const char *ifname, void *arg)
{
	struct walk *w = arg;
	unsigned int present = 0, expected = 0;
	struct xnh_fw_vif v;
	int ret;

	if (!link_there(w->r, ifname)) {	/* gone: its elements and record too */
		ret = xnh_fw_vif_del(w->fw, t, ifname);
		if (ret < 0) {
			xnh_log_errno(LOG_ERR, ret, "cannot forget %s's guard (nft table %s xen)",
				      ifname, fam(t));
			w->failed++;
		} else {
			xnh_log(LOG_NOTICE, "%s is gone: its guard (nft table %s xen) and record are"
				" forgotten", ifname, fam(t));
		}
		return 0;
	}
	ret = xnh_fw_vif_load(t, ifname, &v);
	if (ret < 0) {
		xnh_log_errno(LOG_WARNING, ret, "the record of %s (nft table %s xen) cannot be"
			      " read: left alone", ifname, fam(t));
		w->failed++;
		return 0;
	}
	ret = xnh_fw_vif_check(w->fw, t, ifname, &present, &expected);
	if (ret >= 0 && expected && present == expected)
		return 0;
	ret = xnh_fw_vif_add(w->fw, &v);
	if (ret < 0) {
		xnh_log_errno(LOG_ERR, ret, "cannot put back the guard of %s (nft table %s xen)",
			      ifname, fam(t));
		w->failed++;
		return 0;
	}
	if (!xnh_dry_run())
		xnh_log_hotplug("restore %s: guard put back (%u of %u elements were in place)",
				ifname, present, expected);
	return 0;
}

static int status_one(enum xnh_fw_table t, const char *ifname, void *arg)
{
	struct walk *w = arg;
	unsigned int present = 0, expected = 0;
	int ret;

	if (!link_there(w->r, ifname)) {
		xnh_status_check(w->s, XNH_WARN, "xnet-guard restore (forgets it)", "%s's record"
				 " is stale: the interface is gone", ifname);
		return 0;
	}
	ret = xnh_fw_vif_check(w->fw, t, ifname, &present, &expected);
	if (ret < 0)
		xnh_status_check(w->s, XNH_FAIL, "xnet-guard restore", "%s's guard is in place (nft"
				 " table %s xen: %s)", ifname, fam(t), strerror(-ret));
	else
		xnh_status_check(w->s, expected && present == expected ? XNH_OK : XNH_FAIL,
				 "xnet-guard restore", "%s's guard is in place (%u of %u elements in"
				 " nft table %s xen)", ifname, present, expected, fam(t));
	return 0;
}

/* Each table's recorded vifs through @cb. */
static int each_vif(xnh_fw_record_cb cb, struct walk *w)
{
	int ret = xnh_fw_records_walk(XNH_FW_BRIDGE, cb, w);

	return ret < 0 ? ret : xnh_fw_records_walk(XNH_FW_INET, cb, w);
}

/* network-bridge antispoof=yes: its bridge is in @strict_bridges. */
static int strict_bridges(struct walk *w)
{
	struct dirent **names;
	struct xnh_netbr_state st;
	char *text, fix[96];
	int i, n, on;

	n = scandir(xnh_state_dir(), &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (!strncmp(names[i]->d_name, "network-bridge.", 15) &&
		    !strchr(names[i]->d_name + 15, '.') &&
		    xnh_netbr_state_load(names[i]->d_name + 15, &st, &text) == 0) {
			free(text);
			on = st.antispoof && link_there(w->r, st.bridge) ?
			     xnh_fw_strict_check(w->fw, st.bridge) : -ENOENT;
			snprintf(fix, sizeof(fix), "xnet-guard restore");
			if (on == -ENOENT)
				;
			else if (w->s)
				xnh_status_check(w->s, on > 0 ? XNH_OK : XNH_FAIL, fix, "bridge %s is"
						 " strict (network-bridge antispoof=yes)", st.bridge);
			else if (on == 0 && xnh_fw_strict(w->fw, st.bridge, true) < 0)
				w->failed++;
			else if (on == 0 && !xnh_dry_run())
				xnh_log_hotplug("restore %s: strict bridge put back", st.bridge);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return 0;
}

/* network-nat start: its uplinks are in @nat_uplinks. */
static int nat_uplinks(struct walk *w)
{
	struct xnh_natnet s;
	size_t i;
	int on;

	if (xnh_natnet_load("network-nat", &s) < 0)
		return 0;
	for (i = 0; i < s.n; i++) {
		if (!link_there(w->r, s.uplink[i]))
			continue;
		on = xnh_fw_nat_uplink_check(w->fw, s.uplink[i]);
		if (w->s)
			xnh_status_check(w->s, on > 0 ? XNH_OK : XNH_FAIL, "xnet-guard restore",
					 "guest traffic leaving %s is masqueraded", s.uplink[i]);
		else if (on == 0 && xnh_fw_nat_uplink(w->fw, s.uplink[i], true) < 0)
			w->failed++;
		else if (on == 0 && !xnh_dry_run())
			xnh_log_hotplug("restore %s: masquerade put back", s.uplink[i]);
	}
	return 0;
}

/* One vif-nat record: its guests' addresses are in @nat_sources. */
static void nat_guest(struct walk *w, const char *name)
{
	struct xnh_inet a = { .family = AF_INET, .prefix = 32 };
	struct xnh_natvif v;
	size_t i;
	int on;

	if (xnh_natvif_load(name, &v) < 0 || !link_there(w->r, v.dev))
		return;
	for (i = 0; i < v.n; i++) {
		a.a.v4 = v.guest[i];
		on = xnh_fw_nat_source_check(w->fw, &a);
		if (w->s)
			xnh_status_check(w->s, on > 0 ? XNH_OK : XNH_FAIL, "xnet-guard restore",
					 "NAT guest %s of %s is masqueraded", inet_ntoa(a.a.v4),
					 v.dev);
		else if (on == 0 && xnh_fw_nat_source(w->fw, &a, true) < 0)
			w->failed++;
		else if (on == 0 && !xnh_dry_run())
			xnh_log_hotplug("restore %s: masquerade of %s put back", v.dev,
					inet_ntoa(a.a.v4));
	}
}

/* vif-nat online: its guests' addresses are in @nat_sources (a flush, or
 * a table made before layout 5, has none). */
static int nat_sources(struct walk *w)
{
	struct dirent **names;
	int i, n = scandir(xnh_state_dir(), &names, NULL, alphasort);

	for (i = 0; i < n; i++) {
		if (!strncmp(names[i]->d_name, "vif-nat.", 8) && !strstr(names[i]->d_name, ".xnet-"))
			nat_guest(w, names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return 0;
}

static int open_fw(struct xnh_run *r, struct xnh_fw *fw)
{
	int ret = xnh_fw_open(fw);

	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "cannot open nfnetlink: %s (is nf_tables"
				    " loaded?)", strerror(-ret));
	return 0;
}

static int guard_restore(struct xnh_run *r)
{
	struct xnh_fw fw = { 0 };
	struct walk w = { r, &fw, NULL, 0 };
	int lock = -1, ret = xnh_run_lock(r, "xnet-guard", &lock);

	if (ret >= 0)
		ret = open_fw(r, &fw);
	if (ret >= 0)
		ret = each_vif(restore_one, &w);
	if (ret >= 0)
		strict_bridges(&w);
	if (ret >= 0)
		nat_uplinks(&w);
	if (ret >= 0)
		nat_sources(&w);
	xnh_fw_close(&fw);
	xnh_unlock(lock);
	if (ret < 0 && !r->ctx.err[0])
		xnh_ctx_fail_errno(&r->ctx, ret, "cannot read the records in %s", xnh_state_dir());
	if (ret >= 0 && w.failed)
		ret = xnh_ctx_fail(&r->ctx, -EIO, "%d guard(s) could not be put back (see the log)",
				   w.failed);
	return ret;
}

static int guard_status(struct xnh_run *r)
{
	struct xnh_status s;
	struct xnh_fw fw = { 0 };
	struct walk w = { r, &fw, &s, 0 };
	int ret;

	xnh_status_begin(&s, xnh_ctx_bool(&r->ctx, XNH_K_JSON, false));
	ret = xnh_fw_open(&fw);
	if (ret < 0) {
		xnh_status_check(&s, XNH_FAIL, "modprobe nf_tables", "nftables can be used (%s)",
				 strerror(-ret));
		return xnh_status_end(&s);
	}
	ret = each_vif(status_one, &w);
	if (ret < 0)
		xnh_status_check(&s, XNH_FAIL, NULL, "the records in %s can be read (%s)",
				 xnh_state_dir(), strerror(-ret));
	strict_bridges(&w);
	nat_uplinks(&w);
	nat_sources(&w);
	xnh_fw_close(&fw);
	return xnh_status_end(&s);
}

static const struct xnh_cmd cmds[] = {
	{ "restore", guard_restore, 0 },
	{ "start", guard_restore, 0 },
	{ "status", guard_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "xnet-guard",
	.flags = 0,
	.usage = "restore|status [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
