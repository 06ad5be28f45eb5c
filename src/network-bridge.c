/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-bridge: move the host's NIC under a bridge (start), undo it (stop), show it (status). */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "lib/sys/sys.h"
#include "lib/net/net.h"
#include "lib/netbr/netbr.h"
#include "lib/fw/fw.h"
#include "network-bridge.h"

/* antispoof=yes: the bridge joins @strict_bridges (table bridge xen), and
 * every vif that comes online on it is guarded. Start does this last, so
 * that its failure (one atomic batch) rolls the whole start back. */
static int firewall(struct xnh_run *r, struct xnh_netbr *nb, bool on)
{
	const char *br = on ? nb->st.bridge : nb->made.bridge;
	struct xnh_fw fw = { 0 };
	int ret = xnh_fw_open(&fw);

	if (ret >= 0)
		ret = xnh_fw_strict(&fw, br, on);
	xnh_fw_close(&fw);
	if (!on && ret == -ENOENT)
		ret = 0;	/* off already */
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, ret, "%s antispoof on %s (nft table bridge xen): %s",
				    on ? "cannot turn" : "cannot turn off", br, strerror(-ret));
	return 0;
}

/* The journal goes first: what moves, as the NIC has it, so that a start
 * killed at any point is finished by the next start, or undone by stop;
 * the record of the layout made goes last. */
static int do_start(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	struct xnh_nl *nl = &r->nl;
	int ret;

	st->phase = XNH_NETBR_STARTING;
	st->ifindex = nb->nic.ifindex;
	ret = xnh_netbr_journal_save(st, &nb->set, st->nic, NULL, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_bridge(nl, st->renamed ? st->tmp : st->bridge, &nb->nic, &nb->br,
				       &nb->undo);
	/* Same names: give the addresses before taking them, so that the
	 * host never lacks one. Renamed: a rename relabels addresses, so
	 * they go over after it. */
	if (ret >= 0 && !st->renamed)
		ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->nic, &nb->br, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_strip(nl, &nb->set, &nb->nic, &nb->undo);
	if (ret >= 0 && st->renamed) {
		ret = xnh_netbr_rename(nl, &nb->nic, st->port, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_rename(nl, &nb->br, st->bridge, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->nic, &nb->br,
						  &nb->undo);
	}
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->br, true, &nb->undo);
	/* the bridge has carrier once the NIC is in: routes added then are
	 * not marked linkdown */
	if (ret >= 0)
		ret = xnh_netbr_join(nl, &nb->nic, &nb->br, true, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_routes_add(nl, &nb->set, &nb->br, &nb->undo);
	if (ret >= 0 && st->antispoof)
		ret = firewall(r, nb, true);
	st->phase = XNH_NETBR_STARTED;
	return ret < 0 ? ret : xnh_netbr_state_save(st, &nb->undo);
}

static int rollback(struct xnh_run *r, struct xnh_netbr *nb, int err)
{
	char why[256], failed[200];
	int ret;

	if (r->ctx.err[0])
		snprintf(why, sizeof(why), "%s", r->ctx.err);
	else
		snprintf(why, sizeof(why), "%s %s %s bridge %s: '%s' failed: %s",
			 xnh_cmd_is(r, "start") ? "putting" : "taking", nb->st.nic,
			 xnh_cmd_is(r, "start") ? "under" : "out of", nb->st.bridge,
			 xnh_trace_last(), strerror(-err));
	ret = xnh_undo_run(&nb->undo, &r->nl, failed, sizeof(failed));
	if (ret < 0)
		return xnh_ctx_fail(&r->ctx, err, "%s; undoing failed too at '%s': %s, so the host"
				    " is not as before", why, failed, strerror(-ret));
	return xnh_ctx_fail(&r->ctx, err, "%s; all undone", why);
}

/* The layout is there, made without antispoof and asked for it now: the
 * bridge turns strict, and start's record says so, so that stop lifts it. */
static int strict_now(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state st = nb->made;
	int ret;

	st.antispoof = true;
	ret = xnh_netbr_state_save(&st, &nb->undo);
	if (ret >= 0)
		ret = firewall(r, nb, true);
	return ret < 0 ? rollback(r, nb, ret) : 0;
}

/* start or stop was killed half-way: its journal puts the NIC back as it
 * was before start, from whatever point it reached. */
static int recover(struct xnh_run *r, struct xnh_netbr *nb)
{
	const struct xnh_netbr_state *j = &nb->made;
	const char *what = j->phase == XNH_NETBR_STARTING ? "start" : "stop";
	char path[512] = "";
	int ret = j->antispoof ? firewall(r, nb, false) : 0;

	if (ret < 0)
		return ret;
	xnh_log(LOG_NOTICE, "%s of bridge %s (for %s) was interrupted: putting %s back as it"
		" was before start", what, j->bridge, j->nic, j->nic);
	ret = xnh_netbr_recover(&r->nl, nb);
	if (ret < 0) {
		xnh_netbr_state_path(j->bridge, path, sizeof(path));
		return xnh_ctx_fail(&r->ctx, ret, "%s of bridge %s was interrupted, and putting %s"
				    " back as its journal %s says failed at '%s': %s", what,
				    j->bridge, j->nic, path, xnh_trace_last(), strerror(-ret));
	}
	return xnh_netbr_forget(r, nb);
}

static int nb_start(struct xnh_run *r)
{
	struct xnh_netbr nb = XNH_NETBR_INIT;
	int ret = xnh_netbr_prepare(r, &nb, true);

	if (ret >= 0 && xnh_netbr_interrupted(&nb))
		ret = recover(r, &nb);
	if (ret >= 0)
		ret = xnh_netbr_start_check(r, &nb);
	if (ret == 0) {
		ret = do_start(r, &nb);
		if (ret < 0)
			ret = rollback(r, &nb, ret);
	} else if (ret == 1 && nb.st.antispoof && nb.record && !nb.made.antispoof) {
		ret = strict_now(r, &nb);
	}
	xnh_netbr_finish(&nb);
	return ret < 0 ? ret : 0;
}

/* The bridge is gone (deleted by hand): the record, and a NIC still
 * under its port name, are what is left to undo. */
static int undo_stale(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	int ret = 0;

	if (st->renamed && nb->nic.ifindex && !xnh_netbr_name_taken(r, st->nic)) {
		ret = xnh_netbr_rename(&r->nl, &nb->nic, st->nic, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_up(&r->nl, &nb->nic, nb->made.nic_up, &nb->undo);
	}
	return ret < 0 ? ret : xnh_netbr_state_drop(st->bridge, nb->record, &nb->undo);
}

/* What stop will move back, in a journal (as do_start() writes it) that
 * puts the NIC back should stop be killed half-way. */
static int stop_journal(struct xnh_netbr *nb)
{
	struct xnh_netbr_state j = nb->made;

	j.phase = XNH_NETBR_STOPPING;
	j.ifindex = nb->nic.ifindex;
	memcpy(j.boot, nb->st.boot, sizeof(j.boot));
	return xnh_netbr_journal_save(&j, &nb->set, nb->st.bridge, nb->record, &nb->undo);
}

/* The reverse of do_start(), step by step. */
static int do_stop(struct xnh_run *r, struct xnh_netbr *nb)
{
	struct xnh_netbr_state *st = &nb->st;
	struct xnh_nl *nl = &r->nl;
	int ret = stop_journal(nb);

	if (ret >= 0 && nb->made.antispoof)
		ret = firewall(r, nb, false);
	if (ret >= 0 && !st->renamed)
		ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->bridge, &nb->nic, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_strip(nl, &nb->set, &nb->br, &nb->undo);
	/* the NIC leaves after the routes: undone, they come back to a bridge
	 * that has carrier */
	if (ret >= 0 && nb->nic.master == nb->br.ifindex)
		ret = xnh_netbr_join(nl, &nb->nic, &nb->br, false, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->br, false, &nb->undo);
	if (ret >= 0 && st->renamed) {
		ret = xnh_netbr_rename(nl, &nb->br, st->tmp, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_rename(nl, &nb->nic, st->nic, &nb->undo);
		if (ret >= 0)
			ret = xnh_netbr_addrs_add(nl, &nb->set, AF_UNSPEC, st->bridge, &nb->nic,
						  &nb->undo);
	}
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->nic, true, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_routes_add(nl, &nb->set, &nb->nic, &nb->undo);
	if (ret >= 0)
		ret = xnh_netbr_up(nl, &nb->nic, nb->made.nic_up, &nb->undo);
	/* the bridge goes last, for it cannot be undone; then the journal,
	 * which a stop killed before could not do without */
	if (ret >= 0)
		ret = xnh_link_del(nl, nb->br.ifindex, nb->br.name);
	if (ret < 0)
		return ret;
	xnh_undo_free(&nb->undo);
	return xnh_netbr_state_drop(st->bridge, NULL, &nb->undo);
}

static int nb_stop(struct xnh_run *r)
{
	struct xnh_netbr nb = XNH_NETBR_INIT;
	int ret = xnh_netbr_prepare(r, &nb, true);

	if (ret >= 0 && xnh_netbr_interrupted(&nb)) {
		ret = recover(r, &nb);
		ret = ret < 0 ? ret : 1;	/* that is all there was to do */
	}
	if (ret == 0)
		ret = xnh_netbr_stop_check(r, &nb);
	if (ret == 0) {
		if (nb.has_br && xnh_link_is_bridge(&nb.br))
			ret = do_stop(r, &nb);
		else
			ret = undo_stale(r, &nb);
		if (ret < 0)
			ret = rollback(r, &nb, ret);
	}
	xnh_netbr_finish(&nb);
	return ret < 0 ? ret : 0;
}

static const struct xnh_cmd cmds[] = {
	{ "start", nb_start, 0 },
	{ "stop", nb_stop, 0 },
	{ "status", nb_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "network-bridge",
	.usage = "start|stop|status [netdev=DEV] [bridge=BR] [antispoof=yes|no] [force=yes]"
		 " [--json]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
