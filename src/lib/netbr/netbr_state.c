/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_state.c: the names of a network-bridge layout, and the record start leaves for stop. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "netbr/netbr.h"

/* Pure: the names of the layout for @netdev and @bridge. When the bridge
 * takes the NIC's name, the NIC becomes p<netdev> and the bridge is made
 * under a name of its own first; -ENAMETOOLONG when p<netdev> does not fit. */
int xnh_netbr_names(const char *netdev, const char *bridge, int nic_ifindex,
		    struct xnh_netbr_state *st)
{
	int w;

	memset(st, 0, sizeof(*st));
	snprintf(st->bridge, sizeof(st->bridge), "%s", bridge);
	snprintf(st->nic, sizeof(st->nic), "%s", netdev);
	st->renamed = !strcmp(netdev, bridge);
	w = snprintf(st->port, sizeof(st->port), "%s%s", st->renamed ? "p" : "", netdev);
	if (w < 0 || (size_t)w >= sizeof(st->port))
		return -ENAMETOOLONG;
	snprintf(st->tmp, sizeof(st->tmp), "xnb%d", nic_ifindex);
	return 0;
}

static const char *const phases[] = {
	[XNH_NETBR_STARTED] = "started",
	[XNH_NETBR_STARTING] = "starting",
	[XNH_NETBR_STOPPING] = "stopping",
};

const char *xnh_netbr_phase_name(enum xnh_netbr_phase p)
{
	return (unsigned int)p < 3 ? phases[p] : "?";
}

/* Pure: the record, one key=value a line. */
int xnh_netbr_state_format(const struct xnh_netbr_state *st, char *buf, size_t len)
{
	char ifindex[32] = "";
	int w;

	if (st->ifindex > 0)
		snprintf(ifindex, sizeof(ifindex), "ifindex=%d\n", st->ifindex);
	w = snprintf(buf, len, "# network-bridge start (xnet): what stop undoes\n"
		     "bridge=%s\nnetdev=%s\nport=%s\nnic_up=%s\nantispoof=%s\nphase=%s\n%s%s%s%s",
		     st->bridge, st->nic, st->port, st->nic_up ? "yes" : "no",
		     st->antispoof ? "yes" : "no", xnh_netbr_phase_name(st->phase), ifindex,
		     st->boot[0] ? "boot=" : "", st->boot, st->boot[0] ? "\n" : "");
	return w < 0 || (size_t)w >= len ? -ENOSPC : 0;
}

static int set_phase(const char *v, struct xnh_netbr_state *st)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(v, phases[i])) {
			st->phase = (enum xnh_netbr_phase)i;
			return 0;
		}
	return -EINVAL;
}

static int set_ifindex(const char *v, struct xnh_netbr_state *st)
{
	unsigned long i;

	if (xnh_parse_uint(v, INT32_MAX, &i) < 0)
		return -EINVAL;
	st->ifindex = (int)i;
	return 0;
}

static int set_name(char *dst, const char *v)
{
	return xnh_ifname_copy(dst, v) < 0 ? -EINVAL : 1;
}

/* 1 when the key was known (and its value good), 0 when ignored. */
static int parse_line(char *line, struct xnh_netbr_state *st)
{
	char *v = strchr(line, '=');

	if (line[0] == '#' || !line[0])
		return 0;
	if (!v)
		return -EINVAL;
	*v++ = '\0';
	if (!strcmp(line, "bridge"))
		return set_name(st->bridge, v);
	if (!strcmp(line, "netdev"))
		return set_name(st->nic, v);
	if (!strcmp(line, "port"))
		return set_name(st->port, v);
	if (!strcmp(line, "nic_up"))
		return xnh_parse_bool(v, &st->nic_up) < 0 ? -EINVAL : 0;
	if (!strcmp(line, "antispoof"))
		return xnh_parse_bool(v, &st->antispoof) < 0 ? -EINVAL : 0;
	if (!strcmp(line, "phase"))
		return set_phase(v, st);
	if (!strcmp(line, "ifindex"))
		return set_ifindex(v, st);
	if (!strcmp(line, "boot")) {
		if (strlen(v) >= sizeof(st->boot) || xnh_valid_text(v) < 0)
			return -EINVAL;
		snprintf(st->boot, sizeof(st->boot), "%s", v);
	}
	return 0;
}

/* Pure: a record back; -EINVAL unless it names a consistent layout. One
 * without a phase (an older xnet's) is of a layout made. */
int xnh_netbr_state_parse(const char *text, struct xnh_netbr_state *st)
{
	char *copy = strdup(text), *line, *save = NULL;
	struct xnh_netbr_state names;
	int r = 0, known = 0;

	if (!copy)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	st->nic_up = true;
	for (line = strtok_r(copy, "\n", &save); line && r >= 0; line = strtok_r(NULL, "\n", &save)) {
		r = parse_line(line, st);
		known += r > 0;
	}
	free(copy);
	if (r < 0 || known != 3)
		return -EINVAL;
	/* the port name follows from the other two */
	if (xnh_netbr_names(st->nic, st->bridge, st->ifindex, &names) < 0 ||
	    strcmp(names.port, st->port))
		return -EINVAL;
	st->renamed = names.renamed;
	memcpy(st->tmp, names.tmp, sizeof(st->tmp));
	return 0;
}

int xnh_netbr_state_path(const char *bridge, char *buf, size_t len)
{
	char name[64];

	if (xnh_valid_ifname(bridge) < 0)
		return -EINVAL;
	snprintf(name, sizeof(name), "network-bridge.%s", bridge);
	return xnh_state_path(name, buf, len);
}

/* The record of what start did to @bridge: -ENOENT when there is none,
 * -EINVAL when it is not one we wrote. @text (if given) gets the file. */
int xnh_netbr_state_load(const char *bridge, struct xnh_netbr_state *st, char **text)
{
	char path[512], *buf;
	int r = xnh_netbr_state_path(bridge, path, sizeof(path));

	if (r >= 0)
		r = xnh_file_read(path, &buf, NULL);
	if (r < 0)
		return r;
	r = xnh_netbr_state_parse(buf, st);
	if (r >= 0 && strcmp(st->bridge, bridge))
		r = -EINVAL;
	if (r >= 0 && text)
		*text = buf;
	else
		free(buf);
	return r;
}

/* Writes the record (undone by removing it). */
int xnh_netbr_state_save(const struct xnh_netbr_state *st, struct xnh_undo *u)
{
	char path[512], text[512];
	int r = xnh_netbr_state_path(st->bridge, path, sizeof(path));

	if (r >= 0)
		r = xnh_netbr_state_format(st, text, sizeof(text));
	if (r >= 0 && !xnh_dry_run())
		r = xnh_state_mkdir();
	if (r >= 0)
		r = xnh_file_replace(path, text, strlen(text), 0644);
	if (r >= 0)
		r = xnh_undo_file(u, path, NULL);
	return r;
}

/* Removes the record (undone by writing @old back). */
int xnh_netbr_state_drop(const char *bridge, const char *old, struct xnh_undo *u)
{
	char path[512];
	int r = xnh_netbr_state_path(bridge, path, sizeof(path));

	if (r >= 0)
		r = xnh_file_remove(path);
	if (r >= 0 && old)
		r = xnh_undo_file(u, path, old);
	return r;
}
