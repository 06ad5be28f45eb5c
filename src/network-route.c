/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-route: forwarding and proxy ARP/NDP for routed guests; stop undoes start. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/text/text.h"
#include "lib/sys/sys.h"
#include "network-route.h"

const struct setting nr_settings[NR_NSETTINGS] = {
	{ "ipv4", NULL, "ip_forward", "1", NULL, "IPv4 forwarding is on", "" },
	{ "ipv4", NETDEV, "proxy_arp", "1", NULL, "proxy ARP is on for", "" },
	{ "ipv6", "all", "forwarding", "1", NULL, "IPv6 forwarding is on", "" },
	{ "ipv6", NETDEV, "proxy_ndp", "1", NULL, "proxy NDP is on for", "" },
	/* A router ignores router advertisements unless accept_ra is 2: without
	 * it the host would lose the default route it learns from them. */
	{ "ipv6", NETDEV, "accept_ra", "2", "1", "router advertisements count on",
	  " while forwarding (accept_ra is not 1)" },
};

/* "net/ipv4/conf/eth0/proxy_arp" (/proc/sys), or with @sep '.' and a dot
 * in the interface name (eth0.100) as a slash, the sysctl(8) name. */
static void path_of(const struct setting *s, const char *netdev, char sep, char *buf,
		    size_t len)
{
	char dev[XNH_IFNAMSIZ], *p;

	snprintf(dev, sizeof(dev), "%s", !s->dev ? "" : *s->dev ? s->dev : netdev);
	for (p = dev; sep == '.' && *p; p++)
		if (*p == '.')
			*p = '/';
	if (s->dev)
		snprintf(buf, len, "net%c%s%cconf%c%s%c%s", sep, s->family, sep, sep, dev, sep,
			 s->name);
	else
		snprintf(buf, len, "net%c%s%c%s", sep, s->family, sep, s->name);
}

/* Every setting's current value; an IPv6 one is absent when the kernel
 * has no IPv6, which is not an error. */
int nr_read_all(struct xnh_run *r, const char *dev, struct value *v)
{
	size_t i;
	int ret;

	for (i = 0; i < NR_NSETTINGS; i++) {
		path_of(&nr_settings[i], dev, '/', v[i].path, sizeof(v[i].path));
		ret = xnh_sysctl_read(v[i].path, v[i].val, sizeof(v[i].val));
		if (ret == -ENOENT && !strcmp(nr_settings[i].family, "ipv6")) {
			v[i].val[0] = '\0';
			continue;
		}
		if (ret < 0)
			return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read /proc/sys/%s", v[i].path);
	}
	return 0;
}

/* ip_forward is network-nat's too: counted in forward.c, not kept here. */
static bool shared(const struct setting *s)
{
	return !s->dev && !strcmp(s->name, "ip_forward");
}

bool nr_wanted(const struct setting *s, const char *val)
{
	if (s->only_from)
		return strcmp(val, s->only_from) != 0;
	return strcmp(val, s->want) == 0;
}

int nr_find_netdev(struct xnh_run *r, struct xnh_link *nd)
{
	int ret = xnh_netdev_get(&r->nl, r->ctx.val[XNH_K_NETDEV], nd);

	if (ret == -ENODEV)
		return xnh_ctx_fail(&r->ctx, ret, "netdev %s does not exist (name the uplink"
				    " with netdev=)", nd->name);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot find the uplink");
	snprintf(r->ctx.dev, sizeof(r->ctx.dev), "%s", nd->name);
	return 0;
}

/* A record is held against the kernel before it is trusted: what it
 * says of an earlier boot, or of an interface that is gone, is logged and
 * forgotten (a reboot or the interface's removal put those values back). */
static int heal(struct xnh_run *r, struct xnh_saved *sv)
{
	char why[128];
	int ret = xnh_saved_heal(sv, why, sizeof(why));

	if (ret <= 0)
		return sv->n ? 1 : 0;
	xnh_log(LOG_WARNING, "forgetting %d entr%s of network-route's record %s/%s (%s)", ret,
		ret == 1 ? "y" : "ies", xnh_state_dir(), NR_STATE, why);
	ret = sv->n ? xnh_saved_store(NR_STATE, sv) : xnh_state_remove(NR_STATE);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot rewrite %s/%s", xnh_state_dir(),
					  NR_STATE);
	return sv->n ? 1 : 0;
}

static int lock_and_load(struct xnh_run *r, int *lock, struct xnh_saved *sv)
{
	int ret = xnh_lock(NR_STATE, lock);

	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot lock %s/%s", xnh_state_dir(), NR_STATE);
	ret = xnh_saved_load(NR_STATE, sv);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot read %s/%s (remove it if the"
					  " values it kept are not to be put back)", xnh_state_dir(),
					  NR_STATE);
	return heal(r, sv);
}

/* Keeps what this start found, unless an earlier start saved it first. */
static int save_found(struct xnh_run *r, struct xnh_saved *sv, const struct value *v)
{
	size_t i;
	int ret, added = 0;

	for (i = 0; i < NR_NSETTINGS; i++) {
		if (shared(&nr_settings[i]))
			continue;
		ret = v[i].val[0] ? xnh_saved_put(sv, v[i].path, v[i].val) : 0;
		if (ret < 0)
			return xnh_ctx_fail(&r->ctx, ret, "cannot keep /proc/sys/%s = '%s'",
					    v[i].path, v[i].val);
		added += ret;
	}
	ret = added ? xnh_saved_store(NR_STATE, sv) : 0;
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot write %s/%s", xnh_state_dir(),
					  NR_STATE);
	return 0;
}

/* Writes back the first @n values of @v that differ now (a failed start's rollback). */
static void put_back(const struct value *v, size_t n)
{
	char now[XNH_SAVED_VAL];

	while (n-- > 0)
		if (v[n].val[0] && xnh_sysctl_read(v[n].path, now, sizeof(now)) >= 0 &&
		    strcmp(now, v[n].val))
			xnh_sysctl_write(v[n].path, v[n].val);
}

static int write_wanted(struct xnh_run *r, const struct value *v)
{
	size_t i;
	int ret;

	for (i = 0; i < NR_NSETTINGS; i++) {
		if (!v[i].val[0] || nr_wanted(&nr_settings[i], v[i].val) || shared(&nr_settings[i]))
			continue;	/* absent, right already, or shared: no write here */
		ret = xnh_sysctl_write(v[i].path, nr_settings[i].want);
		if (ret < 0) {
			put_back(v, i);
			return xnh_ctx_fail_errno(&r->ctx, ret, "cannot set /proc/sys/%s to %s",
						  v[i].path, nr_settings[i].want);
		}
	}
	return 0;
}

/* ip_forward, counted with network-nat's use (forward.c); a stale count
 * is logged as it is forgotten. -ENOENT from a stop that was not counted. */
static int nr_forward(struct xnh_run *r, bool on)
{
	char why[160];
	int ret = on ? xnh_forward_take("network-route", why, sizeof(why)) :
		       xnh_forward_release("network-route", why, sizeof(why));

	if (why[0])
		xnh_log(LOG_WARNING, "%s", why);
	if (ret < 0 && (on || ret != -ENOENT))
		return xnh_ctx_fail_errno(&r->ctx, ret, on ? "cannot enable ip_forward" :
					  "cannot put ip_forward back");
	return ret;
}

/* IPv4 forwarding and proxy ARP on netdev (the old script), IPv6
 * forwarding and proxy NDP on netdev (new). A second start keeps the
 * values the first one found. */
static int nr_start(struct xnh_run *r)
{
	struct value v[NR_NSETTINGS];
	struct xnh_saved sv = { .n = 0 }, before;
	struct xnh_link nd;
	int lock = -1, ret;

	memset(v, 0, sizeof(v));
	ret = nr_find_netdev(r, &nd);
	if (ret >= 0)
		ret = nr_read_all(r, nd.name, v);
	if (ret >= 0)
		ret = lock_and_load(r, &lock, &sv);
	before = sv;
	if (ret >= 0)
		ret = save_found(r, &sv, v);
	if (ret >= 0) {
		ret = nr_forward(r, true);
		if (ret >= 0 && (ret = write_wanted(r, v)) < 0)
			nr_forward(r, false);
		/* the values are back: so is the record, or its absence */
		if (ret < 0 && before.n)
			xnh_saved_store(NR_STATE, &before);
		else if (ret < 0)
			xnh_state_remove(NR_STATE);
	}
	xnh_unlock(lock);
	return ret;
}

static int restore_one(struct xnh_run *r, const char *path, const char *val)
{
	char now[XNH_SAVED_VAL];
	int ret = xnh_sysctl_read(path, now, sizeof(now));

	if (ret == -ENOENT || (ret >= 0 && !strcmp(now, val)))
		return 0;	/* its interface has gone, or it is as start found it */
	if (ret >= 0)
		ret = xnh_sysctl_write(path, val);
	if (ret < 0)
		return xnh_ctx_fail_errno(&r->ctx, ret, "cannot restore /proc/sys/%s = %s", path, val);
	return 0;
}

/* The uplink start recorded (its nr_settings' paths name it), for the log
 * line of a stop that was not told netdev=. */
static void name_netdev(struct xnh_run *r, const struct xnh_saved *sv)
{
	const char *p, *e;
	size_t i;

	for (i = 0; i < sv->n && !r->ctx.dev[0]; i++) {
		p = strstr(sv->e[i].key, "/conf/");
		e = p ? strchr(p + 6, '/') : NULL;
		if (!e || (size_t)(e - p - 6) >= sizeof(r->ctx.dev) || !strncmp(p + 6, "all/", 4) ||
		    !strncmp(p + 6, "default/", 8))
			continue;
		snprintf(r->ctx.dev, sizeof(r->ctx.dev), "%.*s", (int)(e - p - 6), p + 6);
	}
}

/* Writes back every value start found, last saved first, then forgets
 * them. Nothing saved: nothing to do. */
static int nr_stop(struct xnh_run *r)
{
	struct xnh_saved sv;
	bool legacy;
	size_t i;
	int lock = -1, ret, one;

	memset(&sv, 0, sizeof(sv));
	ret = lock_and_load(r, &lock, &sv);
	if (r->ctx.val[XNH_K_NETDEV])
		snprintf(r->ctx.dev, sizeof(r->ctx.dev), "%s", r->ctx.val[XNH_K_NETDEV]);
	name_netdev(r, &sv);
	/* ip_forward: back only when network-nat does not need it; a record
	 * of an older xnet kept it with the rest */
	one = ret >= 0 ? nr_forward(r, false) : 0;
	legacy = one == -ENOENT;
	if (one < 0 && !legacy)
		ret = one;
	for (i = sv.n; ret > 0 && i-- > 0;) {
		if (!legacy && !strcmp(sv.e[i].key, "net/ipv4/ip_forward"))
			continue;
		one = restore_one(r, sv.e[i].key, sv.e[i].val);
		if (one < 0)
			ret = one;
	}
	if (ret > 0) {
		ret = xnh_state_remove(NR_STATE);
		if (ret < 0)
			xnh_ctx_fail_errno(&r->ctx, ret, "cannot remove %s/%s", xnh_state_dir(), NR_STATE);
	}
	xnh_unlock(lock);
	return ret < 0 ? ret : 0;
}

static const struct xnh_cmd cmds[] = {
	{ "start", nr_start, 0 },
	{ "stop", nr_stop, 0 },
	{ "status", nr_status, XNH_CMD_READONLY },
	{ NULL, NULL, 0 },
};

static const struct xnh_prog prog = {
	.name = "network-route",
	.flags = 0,
	.usage = "start|stop|status [netdev=DEV]",
	.cmds = cmds,
};

int main(int argc, char **argv)
{
	return xnh_main(&prog, argc, argv);
}
