/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dhcp_dnsmasq.c: dnsmasq's dhcp-hostsfile and dhcp-optsfile lines, and its SIGHUP. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "dhcp/dhcp.h"

#define PID_MAX_LINUX	4194304

/* A guest's hostsfile line is "MAC,ADDRESS,NAME", found again by its NAME
 * field. No set: tag: dnsmasq 2.90 crashes re-reading a hostsfile with
 * tags once a leased guest's vif has lost its address (vif-nat offline).
 * The optsfile line matches on the tag dnsmasq gives every interface, the
 * vif's name: "tag:DEV,option:router,ROUTER". */
int xnh_dnsmasq_host_format(const struct xnh_dhcp_host *h, char *buf, size_t len)
{
	const uint8_t *m = h->mac;
	char a[INET_ADDRSTRLEN];
	int n;

	if (xnh_valid_ifname(h->name) < 0)
		return -EINVAL;
	inet_ntop(AF_INET, &h->addr, a, sizeof(a));
	n = snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x,%s,%s", m[0], m[1], m[2], m[3],
		     m[4], m[5], a, h->name);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int xnh_dnsmasq_opt_format(const struct xnh_dhcp_host *h, const char *dev, char *buf,
			   size_t len)
{
	char r[INET_ADDRSTRLEN];
	int n;

	if (xnh_valid_ifname(dev) < 0 || strchr(dev, ','))
		return -EINVAL;
	inet_ntop(AF_INET, &h->router, r, sizeof(r));
	n = snprintf(buf, len, "tag:%s,option:router,%s", dev, r);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* Is @field one of the comma-separated fields of the line (the first only,
 * when @first)? */
static bool has_field(const char *line, size_t len, const char *field, bool first)
{
	size_t i = 0, f, n = strlen(field);

	while (i < len) {
		f = i;
		while (i < len && line[i] != ',' && line[i] != '\n' && line[i] != '\r')
			i++;
		if (i - f == n && !memcmp(line + f, field, n))
			return true;
		if (first || i >= len || line[i] != ',')
			return false;
		i++;
	}
	return false;
}

/* @in without the lines of @key (the hostsfile's NAME field, or the
 * optsfile's first field "tag:DEV"), then @line when not NULL; returns how
 * many lines went. */
static int edit(const char *in, const char *key, bool opts, const char *line, char **out)
{
	char field[XNH_IFNAMSIZ + 8], *o;
	size_t i, len, n = 0, l = line ? strlen(line) : 0;
	int gone = 0;

	if (xnh_valid_ifname(key) < 0)
		return -EINVAL;
	snprintf(field, sizeof(field), "%s%s", opts ? "tag:" : "", key);
	o = malloc(strlen(in) + l + 3);
	if (!o)
		return -ENOMEM;
	for (i = 0; in[i]; i += len) {
		len = strcspn(in + i, "\n");
		len += in[i + len] == '\n';
		if (has_field(in + i, len, field, opts)) {
			gone++;
			continue;
		}
		memcpy(o + n, in + i, len);
		n += len;
	}
	if (line && n && o[n - 1] != '\n')
		o[n++] = '\n';
	if (line) {
		memcpy(o + n, line, l);
		n += l;
		o[n++] = '\n';
	}
	o[n] = '\0';
	*out = o;
	return gone;
}

int xnh_dnsmasq_hosts_set(const char *in, const struct xnh_dhcp_host *h, char **out)
{
	char line[128];
	int r = xnh_dnsmasq_host_format(h, line, sizeof(line));

	return r < 0 ? r : edit(in, h->name, false, line, out);
}

int xnh_dnsmasq_hosts_del(const char *in, const char *name, char **out)
{
	return edit(in, name, false, NULL, out);
}

int xnh_dnsmasq_opts_set(const char *in, const struct xnh_dhcp_host *h, const char *dev,
			 char **out)
{
	char line[128];
	int r = xnh_dnsmasq_opt_format(h, dev, line, sizeof(line));

	return r < 0 ? r : edit(in, dev, true, line, out);
}

int xnh_dnsmasq_opts_del(const char *in, const char *dev, char **out)
{
	return edit(in, dev, true, NULL, out);
}

/* A pidfile: a decimal pid, perhaps blanks and a newline after it. */
int xnh_pidfile_parse(const char *text, int *pid)
{
	char buf[16];
	size_t n = strcspn(text, " \t\r\n");
	unsigned long v;

	if (n == 0 || n >= sizeof(buf) || text[n + strspn(text + n, " \t\r\n")])
		return -EINVAL;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (xnh_parse_uint(buf, PID_MAX_LINUX, &v) < 0 || v < 2)
		return -EINVAL;
	*pid = (int)v;
	return 0;
}

/* Is process @pid a dnsmasq (and not another that took a stale pid)? */
static bool is_dnsmasq(int pid)
{
	char path[32], comm[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);	/* st_size is 0 in /proc: read it all */
	if (fd < 0)
		return false;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n < 0)
		return false;
	comm[n] = '\0';
	return !strcmp(comm, "dnsmasq\n");
}

/* Makes the dnsmasq of @pidfile re-read its hostsfile and optsfile:
 * 1 when signalled, 0 when it is not running, or -errno. */
int xnh_dnsmasq_reload(const char *pidfile)
{
	char *text;
	int pid, r = xnh_file_read(pidfile, &text, NULL);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = xnh_pidfile_parse(text, &pid);
	free(text);
	if (r < 0)
		return r;
	if (!is_dnsmasq(pid))
		return 0;
	if (xnh_trace("kill -HUP %d (dnsmasq)", pid))
		return 1;
	if (kill(pid, SIGHUP) < 0)
		return errno == ESRCH ? 0 : -errno;
	return 1;
}
