/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hotplug.c: the parameters of one run, from environment, argv and xenstore. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "run/run.h"

static const char *const key_names[XNH_K_COUNT] = {
	[XNH_K_VIF] = "vif",
	[XNH_K_TYPE_IF] = "type_if",
	[XNH_K_INTERFACE] = "INTERFACE",
	[XNH_K_XENBUS_PATH] = "XENBUS_PATH",
	[XNH_K_NETDEV] = "netdev",
	[XNH_K_BRIDGE] = "bridge",
	[XNH_K_IP] = "ip",
	[XNH_K_DHCP] = "dhcp",
	[XNH_K_ANTISPOOF] = "antispoof",
	[XNH_K_DRY_RUN] = "dry_run",
	[XNH_K_VERBOSE] = "verbose",
	[XNH_K_JSON] = "json",
	[XNH_K_FORCE] = "force",
};

const char *xnh_key_name(enum xnh_key k)
{
	return key_names[k];
}

int xnh_ctx_fail(struct xnh_ctx *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -EINVAL;
}

/* xnh_ctx_fail() with ": " and the errno's text after @fmt. */
int xnh_ctx_fail_errno(struct xnh_ctx *c, int err, const char *fmt, ...)
		       {
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	n = strlen(c->err);
	snprintf(c->err + n, sizeof(c->err) - n, ": %s", strerror(err < 0 ? -err : EINVAL));
	return err < 0 ? err : -EINVAL;
}

static int key_find(const char *name, size_t len)
{
	int k;

	for (k = 0; k < XNH_K_COUNT; k++)
		if (strlen(key_names[k]) == len && !strncmp(name, key_names[k], len))
			return k;
	return -ENOENT;
}

/* The check each parameter's value gets, wherever it came from. */
static int check_value(struct xnh_ctx *c, enum xnh_key k, const char *v)
{
	char name[XNH_IFNAMSIZ];
	struct xnh_vlan vlan;
	unsigned int a, b;
	bool yes;

	switch (k) {
	case XNH_K_VIF:
	case XNH_K_INTERFACE:
	case XNH_K_NETDEV:
		return xnh_valid_ifname(v) < 0 ? -EINVAL : 0;
	case XNH_K_BRIDGE:		/* a name, or BRIDGE[.VLAN][:TRUNK...] */
		return xnh_valid_ifname(v) < 0 && xnh_vlan_bridge_parse(v, name, &vlan) < 0 ?
		       -EINVAL : 0;
	case XNH_K_TYPE_IF:
		return strcmp(v, "vif") && strcmp(v, "tap") ? -EINVAL : 0;
	case XNH_K_XENBUS_PATH:
		return xnh_xenbus_path_parse(v, &a, &b);
	case XNH_K_IP:
		return xnh_iplist_parse(v, &c->ip);
	default:
		return xnh_parse_bool(v, &yes);
	}
}

static const char *const src_names[] = { "", "environment", "argument", "xenstore" };

/* `ip` entries are separated by whitespace of any kind, as the old
 * scripts' `for addr in $ip` took them: tabs and newlines become spaces,
 * in a copy (c->ip_spaced once the value is taken; hooks see it so). */
static char *ip_spaced(const char *v)
{
	char *n = strdup(v), *p;

	for (p = n; p && *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return n;
}

/* Sets @k unless the value is empty (libxl passes `netdev=` when it has no
 * gateway device); a bad value fails the run with its reason in c->err. */
int xnh_ctx_set(struct xnh_ctx *c, enum xnh_key k, const char *v, enum xnh_src src)
{
	char q[64], *fresh = NULL;
	int r;

	if (!*v)
		return 0;
	if (k == XNH_K_IP && strpbrk(v, "\t\n\r") && !(v = fresh = ip_spaced(v)))
		return xnh_ctx_fail(c, -ENOMEM, "out of memory");
	r = xnh_valid_text(v);
	if (r >= 0)
		r = check_value(c, k, v);
	if (r < 0) {
		xnh_quote(v, q, sizeof(q));
		free(fresh);
		return xnh_ctx_fail(c, -EINVAL, "invalid %s '%s' (%s)", key_names[k], q,
				    src_names[src]);
	}
	if (fresh) {		/* the one before was only c->val[XNH_K_IP] */
		free(c->ip_spaced);
		c->ip_spaced = fresh;
	}
	c->val[k] = v;
	c->src[k] = src;
	return 0;
}

/* xnet's own knobs come from the command line, xenstore or an XNET_
 * variable, never from a bare name in the environment: `dry_run=yes` left
 * exported in an administrator's shell would reach every hotplug run that
 * an `xl create` from it starts, and report success for a vif never
 * attached. The old scripts' parameters (vif, ip, bridge, netdev, ...)
 * still come from the environment, as libxl, udev and xend pass them. */
static bool is_knob(enum xnh_key k)
{
	return k == XNH_K_DRY_RUN || k == XNH_K_VERBOSE || k == XNH_K_ANTISPOOF ||
	       k == XNH_K_JSON || k == XNH_K_FORCE;
}

/* The key an environment variable NAME (@n bytes) sets: an old scripts'
 * parameter by its own name, a knob only as XNET_<NAME> in capitals
 * (XNET_DRY_RUN, XNET_ANTISPOOF, ...); -ENOENT for anything else. */
static int env_key(const char *name, size_t n)
{
	char lower[32];
	size_t i;
	int k;

	if (n > 5 && n - 5 < sizeof(lower) && !strncmp(name, "XNET_", 5)) {
		for (i = 0; i < n - 5; i++)
			lower[i] = (char)(name[5 + i] >= 'A' && name[5 + i] <= 'Z' ?
					  name[5 + i] - 'A' + 'a' : name[5 + i]);
		k = key_find(lower, n - 5);
		return k >= 0 && is_knob((enum xnh_key)k) && k != XNH_K_JSON ? k : -ENOENT;
	}
	k = key_find(name, n);
	return k >= 0 && !is_knob((enum xnh_key)k) ? k : -ENOENT;
}

static int parse_env(struct xnh_ctx *c, char **envp)
{
	const char *eq;
	int k, r;

	for (; envp && *envp; envp++) {
		eq = strchr(*envp, '=');
		if (!eq)
			continue;
		k = env_key(*envp, (size_t)(eq - *envp));
		r = k < 0 ? 0 : xnh_ctx_set(c, (enum xnh_key)k, eq + 1, XNH_SRC_ENV);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool is_ident(const char *s, size_t len)
{
	size_t i;

	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", s[i]))
			return false;
	return true;
}

static int parse_arg(struct xnh_ctx *c, const char *a)
{
	const char *eq = strchr(a, '=');
	char q[64];
	int k;

	if (!strcmp(a, "--json"))	/* `status --json` */
		return xnh_ctx_set(c, XNH_K_JSON, "yes", XNH_SRC_ARG);
	xnh_quote(a, q, sizeof(q));
	if (!eq) {
		if (c->command)
			return xnh_ctx_fail(c, -EINVAL, "unexpected argument '%s'", q);
		if (xnh_valid_text(a) < 0 || !*a)
			return xnh_ctx_fail(c, -EINVAL, "invalid command '%s'", q);
		c->command = a;
		return 0;
	}
	if (!is_ident(a, (size_t)(eq - a)))
		return xnh_ctx_fail(c, -EINVAL, "malformed argument '%s'", q);
	k = key_find(a, (size_t)(eq - a));
	if (k < 0)
		return 0;	/* the old scripts ignored what they did not use */
	return xnh_ctx_set(c, (enum xnh_key)k, eq + 1, XNH_SRC_ARG);
}

/* Environment first, then the command line over it (the old precedence);
 * xenstore comes last, in xnh_ctx_load_store(). */
int xnh_ctx_parse(struct xnh_ctx *c, int argc, char **argv, char **envp)
{
	int i, r;

	r = parse_env(c, envp);
	for (i = 1; r >= 0 && i < argc; i++)
		r = parse_arg(c, argv[i]);
	if (r >= 0 && !c->command)
		r = xnh_ctx_fail(c, -EINVAL, "no command given");
	return r;
}

bool xnh_ctx_bool(const struct xnh_ctx *c, enum xnh_key k, bool def)
{
	bool v;

	if (!c->val[k] || xnh_parse_bool(c->val[k], &v) < 0)
		return def;
	return v;
}

void xnh_ctx_free(struct xnh_ctx *c)
{
	int k;

	for (k = 0; k < XNH_K_COUNT; k++)
		free(c->owned[k]);
	memset(c->owned, 0, sizeof(c->owned));
	free(c->ip_spaced);
	c->ip_spaced = NULL;
}

bool xnh_cmd_is(const struct xnh_run *r, const char *name)
{
	return !strcmp(r->ctx.command, name);
}

/* online (vif) and add (tap) bring a device up; offline and remove take it down. */
bool xnh_cmd_up(const struct xnh_run *r)
{
	return xnh_cmd_is(r, "online") || xnh_cmd_is(r, "add");
}
