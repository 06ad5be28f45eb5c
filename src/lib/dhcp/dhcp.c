/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dhcp.c: DHCP for NAT guests: where the servers' files are, which to edit, locked edits. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "dhcp/dhcp.h"

struct var {
	const char *env, *def;		/* def NULL: in the state directory */
	size_t off;
};

#define VAR(e, d, f)	{ e, d, offsetof(struct xnh_dhcp_conf, f) }
static const struct var vars[] = {
	VAR("XNET_DHCPD_CONF", "/etc/dhcp/dhcpd.conf", isc_conf),
	VAR("XNET_DHCPD_DEFAULTS", "/etc/default/isc-dhcp-server", isc_defaults),
	VAR("XNET_DNSMASQ_HOSTS", NULL, dnsmasq_hosts),
	VAR("XNET_DNSMASQ_OPTS", NULL, dnsmasq_opts),
	VAR("XNET_DNSMASQ_PIDFILE", "/run/dnsmasq/dnsmasq.pid", dnsmasq_pid),
	VAR("XNET_RESOLV_CONF", "/etc/resolv.conf", resolv),
};

/* The files, from the environment or Debian's defaults; a bad value sets
 * c->failed to the variable's name. dnsmasq's two files default to the
 * state directory (/run/xnet/dnsmasq-hosts, /run/xnet/dnsmasq-opts): they
 * describe running guests and go with them at reboot. */
int xnh_dhcp_conf_load(struct xnh_dhcp_conf *c)
{
	const char *v;
	char *dst;
	size_t i;
	int n;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		dst = (char *)c + vars[i].off;
		v = getenv(vars[i].env);
		if (v && *v && (*v != '/' || xnh_valid_text(v) < 0 || strlen(v) >= XNH_PATH_MAX)) {
			c->failed = vars[i].env;
			return -EINVAL;
		}
		if (v && *v)
			n = snprintf(dst, XNH_PATH_MAX, "%s", v);
		else if (vars[i].def)
			n = snprintf(dst, XNH_PATH_MAX, "%s", vars[i].def);
		else
			n = snprintf(dst, XNH_PATH_MAX, "%s/%s", xnh_state_dir(),
				     i == 2 ? "dnsmasq-hosts" : "dnsmasq-opts");
		if (n < 0 || n >= XNH_PATH_MAX) {
			c->failed = vars[i].env;
			return -ENAMETOOLONG;
		}
	}
	return 0;
}

/* @want is the `dhcp` parameter: -1 unset, 0 no, 1 yes. Each server whose
 * file exists is used (dhcpd.conf for ISC, the hostsfile for dnsmasq);
 * yes with neither starts dnsmasq's hostsfile. */
unsigned int xnh_dhcp_backends(const struct xnh_dhcp_conf *c, int want)
{
	unsigned int b = 0;

	if (want == 0)
		return 0;
	if (access(c->isc_conf, F_OK) == 0)
		b |= XNH_DHCP_ISC;
	if (access(c->dnsmasq_hosts, F_OK) == 0)
		b |= XNH_DHCP_DNSMASQ;
	if (!b && want == 1)
		b = XNH_DHCP_DNSMASQ;
	return b;
}

typedef int (*edit_fn)(const char *in, const void *arg, char **out);

/* Read, edit, and replace atomically when changed; a missing file is
 * started empty when @create, else left missing. */
static int edit_file(struct xnh_dhcp_conf *c, const char *path, bool create, edit_fn fn,
		     const void *arg)
{
	char *in = NULL, *out = NULL;
	int r = xnh_file_read(path, &in, NULL);

	if (r == -ENOENT && !create)
		return 0;
	if (r == -ENOENT)
		r = 0;
	if (r >= 0)
		r = fn(in ? in : "", arg, &out);
	if (r >= 0 && (!in || strcmp(in, out)))
		r = xnh_file_replace(path, out, strlen(out), 0644);
	if (r < 0)
		c->failed = path;
	free(in);
	free(out);
	return r;
}

static int isc_set(const char *in, const void *h, char **out)
{
	return xnh_isc_host_set(in, h, out);
}

static int isc_del(const char *in, const void *name, char **out)
{
	return xnh_isc_host_del(in, name, out);
}

static int ifaces_add(const char *in, const void *dev, char **out)
{
	return xnh_isc_ifaces_add(in, dev, out);
}

static int ifaces_del(const char *in, const void *dev, char **out)
{
	return xnh_isc_ifaces_del(in, dev, out);
}

static int hosts_set(const char *in, const void *h, char **out)
{
	return xnh_dnsmasq_hosts_set(in, h, out);
}

static int hosts_del(const char *in, const void *name, char **out)
{
	return xnh_dnsmasq_hosts_del(in, name, out);
}

struct opt {
	const struct xnh_dhcp_host *h;
	const char *dev;
};

static int opts_set(const char *in, const void *arg, char **out)
{
	const struct opt *o = arg;

	return xnh_dnsmasq_opts_set(in, o->h, o->dev, out);
}

static int opts_del(const char *in, const void *dev, char **out)
{
	return xnh_dnsmasq_opts_del(in, dev, out);
}

/* The guest's entry with each backend of @b, and @dev in ISC's interface
 * list, under the "dhcp" lock. dnsmasq is told by xnh_dnsmasq_reload(). */
int xnh_dhcp_host_add(struct xnh_dhcp_conf *c, unsigned int b, const struct xnh_dhcp_host *h,
		      const char *dev)
{
	int fd, r = xnh_lock("dhcp", &fd);

	if (r < 0)
		return r;
	if (b & XNH_DHCP_ISC) {
		r = edit_file(c, c->isc_conf, false, isc_set, h);
		if (r >= 0)
			r = edit_file(c, c->isc_defaults, false, ifaces_add, dev);
	}
	if (r >= 0 && (b & XNH_DHCP_DNSMASQ)) {
		r = edit_file(c, c->dnsmasq_hosts, true, hosts_set, h);
		if (r >= 0)
			r = edit_file(c, c->dnsmasq_opts, true, opts_set,
				      &(struct opt){ .h = h, .dev = dev });
	}
	xnh_unlock(fd);
	return r;
}

/* Exactly the entries named @name, and @dev's (ISC's interface list,
 * dnsmasq's options), unless @dev is NULL: that name is another vif's now. */
int xnh_dhcp_host_del(struct xnh_dhcp_conf *c, unsigned int b, const char *name,
		      const char *dev)
{
	int fd, r = xnh_lock("dhcp", &fd), r2;

	if (r < 0)
		return r;
	if (b & XNH_DHCP_ISC) {
		r = edit_file(c, c->isc_conf, false, isc_del, name);
		r2 = dev ? edit_file(c, c->isc_defaults, false, ifaces_del, dev) : 0;
		r = r < 0 ? r : r2;
	}
	if (b & XNH_DHCP_DNSMASQ) {
		r2 = edit_file(c, c->dnsmasq_hosts, false, hosts_del, name);
		r = r < 0 ? r : r2;
		r2 = dev ? edit_file(c, c->dnsmasq_opts, false, opts_del, dev) : 0;
		r = r < 0 ? r : r2;
	}
	xnh_unlock(fd);
	return r;
}

/* The first word after the keyword of a resolv.conf line, in @buf. */
static bool word_after(const char *line, const char *kw, char *buf, size_t len)
{
	size_t k = strlen(kw), n;

	if (strncmp(line, kw, k) || (line[k] != ' ' && line[k] != '\t'))
		return false;
	line += k + strspn(line + k, " \t");
	n = strcspn(line, " \t\r\n#;");
	if (n == 0 || n >= len)
		return false;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return true;
}

/* The guests' DNS from dom0's resolv.conf, as the old network-nat took it:
 * the domain of the last `domain` or `search` line and the first
 * `nameserver` that a guest can reach (IPv4, not loopback). */
int xnh_resolv_parse(const char *in, struct xnh_isc_subnet *sn)
{
	char w[XNH_DOMAIN_MAX];
	struct xnh_inet a;
	const char *l;

	memset(sn, 0, sizeof(*sn));
	for (l = in; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		l += strspn(l, " \t");
		if ((word_after(l, "domain", w, sizeof(w)) || word_after(l, "search", w, sizeof(w))) &&
		    strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
		    strlen(w))
			snprintf(sn->domain, sizeof(sn->domain), "%s", w);
		if (!sn->dns.s_addr && word_after(l, "nameserver", w, sizeof(w)) &&
		    xnh_inet_parse(w, &a) == 0 && a.family == AF_INET && !a.has_prefix)
			sn->dns = a.a.v4;
	}
	return 0;
}

static int subnet_set(const char *in, const void *sn, char **out)
{
	return xnh_isc_subnet_set(in, sn, out);
}

static int subnet_del(const char *in, const void *unused, char **out)
{
	(void)unused;
	return xnh_isc_subnet_del(in, out);
}

static int keep(const char *in, const void *unused, char **out)
{
	(void)unused;
	*out = strdup(in);
	return *out ? 0 : -ENOMEM;
}

/* network-nat start: ISC gets its subnet (it serves only declared
 * networks; one declared already stays as it is), dnsmasq its hostsfile
 * and optsfile (empty, so that later vif-nat runs find it in use). */
int xnh_dhcp_net_start(struct xnh_dhcp_conf *c, unsigned int b)
{
	struct xnh_isc_subnet sn;
	char *text;
	int fd, r;

	memset(&sn, 0, sizeof(sn));
	if ((b & XNH_DHCP_ISC) && xnh_file_read(c->resolv, &text, NULL) == 0) {
		xnh_resolv_parse(text, &sn);
		free(text);
	}
	r = xnh_lock("dhcp", &fd);
	if (r < 0)
		return r;
	if (b & XNH_DHCP_ISC)
		r = edit_file(c, c->isc_conf, false, subnet_set, &sn);
	if (r >= 0 && (b & XNH_DHCP_DNSMASQ))
		r = edit_file(c, c->dnsmasq_hosts, true, keep, NULL);
	if (r >= 0 && (b & XNH_DHCP_DNSMASQ))
		r = edit_file(c, c->dnsmasq_opts, true, keep, NULL);
	xnh_unlock(fd);
	return r;
}

/* network-nat stop: the subnet start added (marked so), and no other. */
int xnh_dhcp_net_stop(struct xnh_dhcp_conf *c)
{
	int fd, r = xnh_lock("dhcp", &fd);

	if (r < 0)
		return r;
	r = edit_file(c, c->isc_conf, false, subnet_del, NULL);
	xnh_unlock(fd);
	return r;
}

/* Does @in hold the entry? A removal that changes the text says it does;
 * for the subnet, an add that changes nothing. */
static int holds(enum xnh_dhcp_entry e, const char *in, const char *key)
{
	struct xnh_isc_subnet sn = { .domain = "" };
	char *out = NULL;
	int r;

	switch (e) {
	case XNH_DHCP_ISC_HOST:
		r = xnh_isc_host_del(in, key, &out);
		break;
	case XNH_DHCP_ISC_IFACE:
		r = xnh_isc_ifaces_del(in, key, &out);
		break;
	case XNH_DHCP_DNSMASQ_HOST:
		r = xnh_dnsmasq_hosts_del(in, key, &out);
		break;
	case XNH_DHCP_DNSMASQ_OPT:
		r = xnh_dnsmasq_opts_del(in, key, &out);
		break;
	default:
		r = xnh_isc_subnet_set(in, &sn, &out);
		free(out);
		return r < 0 ? r : r == 0;
	}
	if (r >= 0)
		r = strcmp(in, out) != 0;
	free(out);
	return r;
}

/* status: 1 when the file of entry @e holds it (@key: the host's name, or
 * the vif of an interface list or option; none for the subnet), 0 when it
 * does not or there is no file; *path names the file. Reads only. */
int xnh_dhcp_has(const struct xnh_dhcp_conf *c, enum xnh_dhcp_entry e, const char *key,
		 const char **path)
{
	static const size_t file[] = {
		[XNH_DHCP_ISC_HOST] = offsetof(struct xnh_dhcp_conf, isc_conf),
		[XNH_DHCP_ISC_IFACE] = offsetof(struct xnh_dhcp_conf, isc_defaults),
		[XNH_DHCP_ISC_SUBNET] = offsetof(struct xnh_dhcp_conf, isc_conf),
		[XNH_DHCP_DNSMASQ_HOST] = offsetof(struct xnh_dhcp_conf, dnsmasq_hosts),
		[XNH_DHCP_DNSMASQ_OPT] = offsetof(struct xnh_dhcp_conf, dnsmasq_opts),
	};
	char *in;
	int r;

	*path = (const char *)c + file[e];
	r = xnh_file_read(*path, &in, NULL);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = holds(e, in, key);
	free(in);
	return r;
}
