/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netbr_undo.c: a journal of the changes a run made, undone in reverse when a later step fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "sys/sys.h"
#include "net/net.h"
#include "netbr/netbr.h"

enum kind { U_LINK_DEL, U_LINK, U_ADDR_ADD, U_ADDR_DEL, U_ROUTE_ADD, U_ROUTE_DEL, U_FILE };

struct xnh_undo_step {
	enum kind kind;
	int ifindex;
	char dev[XNH_IFNAMSIZ];		/* the device's name when the step is undone */
	char rename[XNH_IFNAMSIZ];	/* U_LINK: the name to give back, or "" */
	char master_name[XNH_IFNAMSIZ];
	int master, up;			/* U_LINK: as in struct xnh_link_req */
	struct xnh_addr addr;
	struct xnh_route route;
	char *path, *data;		/* U_FILE: the content to put back; NULL: remove */
};

/* Room for @n more steps, so that recording a change that was made cannot
 * fail for want of memory. */
int xnh_undo_reserve(struct xnh_undo *u, size_t n)
{
	struct xnh_undo_step *v;

	if (u->n + n <= u->cap)
		return 0;
	v = realloc(u->v, (u->n + n) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	u->v = v;
	u->cap = u->n + n;
	return 0;
}

static struct xnh_undo_step *push(struct xnh_undo *u, enum kind kind, const char *dev)
{
	struct xnh_undo_step *s;

	if (xnh_undo_reserve(u, 1) < 0)
		return NULL;
	s = &u->v[u->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	snprintf(s->dev, sizeof(s->dev), "%s", dev ? dev : "");
	return s;
}

int xnh_undo_link_del(struct xnh_undo *u, int ifindex, const char *name)
{
	struct xnh_undo_step *s = push(u, U_LINK_DEL, name);

	if (!s)
		return -ENOMEM;
	s->ifindex = ifindex;
	return 0;
}

/* Undone by applying @req (rename, master and up only). */
int xnh_undo_link(struct xnh_undo *u, const struct xnh_link_req *req)
{
	struct xnh_undo_step *s = push(u, U_LINK, req->name);

	if (!s)
		return -ENOMEM;
	s->ifindex = req->ifindex;
	snprintf(s->rename, sizeof(s->rename), "%s", req->rename ? req->rename : "");
	snprintf(s->master_name, sizeof(s->master_name), "%s",
		 req->master_name ? req->master_name : "");
	s->master = req->master;
	s->up = req->up;
	return 0;
}

/* Undone by adding @a to @dev (@add) or by deleting it. */
int xnh_undo_addr(struct xnh_undo *u, const char *dev, const struct xnh_addr *a, bool add)
{
	struct xnh_undo_step *s = push(u, add ? U_ADDR_ADD : U_ADDR_DEL, dev);

	if (!s)
		return -ENOMEM;
	s->addr = *a;
	return 0;
}

int xnh_undo_route(struct xnh_undo *u, const char *dev, const struct xnh_route *rt, bool add)
{
	struct xnh_undo_step *s = push(u, add ? U_ROUTE_ADD : U_ROUTE_DEL, dev);

	if (!s)
		return -ENOMEM;
	s->route = *rt;
	return 0;
}

/* Undone by writing @data back to @path, or by removing @path (NULL). */
int xnh_undo_file(struct xnh_undo *u, const char *path, const char *data)
{
	struct xnh_undo_step *s = push(u, U_FILE, NULL);

	if (!s)
		return -ENOMEM;
	s->path = strdup(path);
	s->data = data ? strdup(data) : NULL;
	if (!s->path || (data && !s->data)) {
		free(s->path);
		free(s->data);
		u->n--;
		return -ENOMEM;
	}
	return 0;
}

static int undo_link(struct xnh_nl *nl, const struct xnh_undo_step *s)
{
	struct xnh_link_req req = XNH_LINK_REQ_INIT;

	req.ifindex = s->ifindex;
	req.name = s->dev;
	req.rename = s->rename[0] ? s->rename : NULL;
	req.master = s->master;
	req.master_name = s->master_name;
	req.up = s->up;
	return xnh_link_apply(nl, &req);
}

/* What is already as the undo wants it counts as undone. */
static int undo_one(struct xnh_nl *nl, const struct xnh_undo_step *s)
{
	int r;

	switch (s->kind) {
	case U_LINK_DEL:
		r = xnh_link_del(nl, s->ifindex, s->dev);
		return r == -ENODEV ? 0 : r;
	case U_LINK:
		return undo_link(nl, s);
	case U_ADDR_ADD:
		r = xnh_addr_restore(nl, s->dev, &s->addr, NULL);
		return r == -EEXIST ? 0 : r;
	case U_ADDR_DEL:
		r = xnh_addr_del(nl, s->dev, &s->addr);
		return r == -EADDRNOTAVAIL || r == -ENODEV ? 0 : r;
	case U_ROUTE_ADD:
		r = xnh_route_add(nl, s->dev, &s->route);
		return r == -EEXIST ? 0 : r;
	case U_ROUTE_DEL:
		r = xnh_route_del(nl, s->dev, &s->route);
		return r == -ESRCH || r == -ENODEV ? 0 : r;
	case U_FILE:
		if (s->data)
			return xnh_file_replace(s->path, s->data, strlen(s->data), 0644);
		return xnh_file_remove(s->path);
	}
	return -EINVAL;
}

/* Undoes every step, last first, on through failures; returns the first
 * failure (the host then differs from before) and empties the journal.
 * *@failed (if given) gets the step that failed, in xnh_trace() words. */
int xnh_undo_run(struct xnh_undo *u, struct xnh_nl *nl, char *failed, size_t len)
{
	int r, first = 0;

	while (u->n) {
		r = undo_one(nl, &u->v[u->n - 1]);
		if (r < 0 && !first) {
			first = r;
			if (failed)
				snprintf(failed, len, "%s", xnh_trace_last());
		}
		free(u->v[u->n - 1].path);
		free(u->v[u->n - 1].data);
		u->n--;
	}
	return first;
}

/* Forgets the journal: what it recorded stays done. */
void xnh_undo_free(struct xnh_undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		free(u->v[i].path);
		free(u->v[i].data);
	}
	free(u->v);
	memset(u, 0, sizeof(*u));
}
