/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwgone.c: retired vifs. Deleting set elements queues work that the next
 * close of a netfilter socket waits out (an RCU grace period, 7 to 27 ms),
 * so offline deletes nothing: it moves the vif's record to
 * fw-gone/TABLE-IFINDEX. Its elements are keyed by that index and the
 * name; no later interface gets them both unless the same one comes back,
 * and an online of that index takes the entry back in its own batch. An
 * offline that finds more than XNH_FW_GONE_MAX entries deletes all of
 * their elements in one batch: one grace period for many offlines.
 * Onlines and offlines hold fw-gone.lock shared, a sweep exclusive, so an
 * entry is never swept while the same index comes online. */
#include <dirent.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"
#include "fw/fw.h"

#define GONE_DIR	"fw-gone"
#define SWEEP_CHUNK	4096	/* elements per batch: one message and ack each */
#define SWEEP_RCVBUF	(8 << 20)	/* room for that many acks */

static const char *tname(enum xnh_fw_table t)
{
	return t == XNH_FW_BRIDGE ? "bridge" : "inet";
}

static int gone_path(const char *name, char *buf, size_t len)
{
	char rel[64];

	snprintf(rel, sizeof(rel), GONE_DIR "%s%s", name ? "/" : "", name ? name : "");
	return xnh_state_path(rel, buf, len);
}

static int entry_path(enum xnh_fw_table t, uint32_t ifindex, char *buf, size_t len)
{
	char name[32];

	snprintf(name, sizeof(name), "%s-%u", tname(t), ifindex);
	return gone_path(name, buf, len);
}

static int gone_mkdir(void)
{
	char dir[PATH_MAX];
	int r = xnh_state_mkdir();

	if (r >= 0)
		r = gone_path(NULL, dir, sizeof(dir));
	if (r >= 0 && mkdir(dir, 0755) < 0 && errno != EEXIST)
		r = -errno;
	return r;
}

/* The lock's fd (>= 0), or -errno; in a dry run none is taken (1 << 30). */
int xnh_fw_gone_lock(bool exclusive)
{
	char path[PATH_MAX];
	int fd, r;

	if (xnh_dry_run())
		return 1 << 30;
	r = xnh_state_path("fw-gone.lock", path, sizeof(path));
	if (r < 0)
		return r;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && xnh_state_mkdir() >= 0)
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
		if (errno != EINTR) {
			r = -errno;
			close(fd);
			return r;
		}
	}
	return fd;
}

void xnh_fw_gone_unlock(int fd)
{
	if (fd >= 0 && fd != 1 << 30)
		close(fd);
}

static int append(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644), r = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || (st.st_size > 0 && write(fd, "was\n", 4) != 4) ||
	    write(fd, text, len) != (ssize_t)len)
		r = -errno;
	close(fd);
	return r;
}

/* Offline: vif @ifname's record @rec (already read) goes to fw-gone,
 * appended to an entry of the same index if one is there; its elements
 * stay in the kernel. The caller holds the lock (shared). */
int xnh_fw_gone_retire(enum xnh_fw_table t, const char *ifname, const struct xnh_fw_vif *rec)
{
	char path[PATH_MAX], text[4096];
	struct xnh_fw_vif v = *rec;
	int n, r = xnh_fw_vif_ifindex(&v);

	if (r == -ENODEV)	/* an old record, its interface gone: nothing can match */
		return xnh_fw_record_remove(t, ifname);
	if (r >= 0)
		r = entry_path(t, v.ifindex, path, sizeof(path));
	n = r < 0 ? r : xnh_fw_vif_format(&v, text, sizeof(text));
	if (n < 0)
		return n;
	if (xnh_trace("mv %s record to %s", ifname, path))
		return 0;
	r = gone_mkdir();
	if (r >= 0)
		r = append(path, text, (size_t)n);
	return r < 0 ? r : xnh_fw_record_remove(t, ifname);
}

/* The vifs an entry holds (sections separated by lines "was"). */
static int entry_elems(const char *path, enum xnh_fw_table t, uint32_t ifindex,
		       struct xnh_fw_elem **e, size_t *n, char *ifname)
{
	char *text, *p, *sep;
	struct xnh_fw_elem *g;
	struct xnh_fw_vif v;
	int r = xnh_file_read(path, &text, NULL), k;

	for (p = r < 0 ? NULL : text; r >= 0 && p && *p; p = sep ? sep + 5 : NULL) {
		sep = strstr(p, "\nwas\n");
		if (sep)
			sep[1] = '\0';
		if (xnh_fw_vif_parse(p, &v) < 0 || v.table != t || v.ifindex != ifindex)
			continue;	/* not ours to delete: left to the lost-record path */
		if (ifname)
			snprintf(ifname, XNH_IFNAMSIZ, "%s", v.ifname);
		g = reallocarray(*e, *n + XNH_FW_VIF_ELEMS, sizeof(**e));
		if (!g) {
			r = -ENOMEM;
			break;
		}
		*e = g;
		k = xnh_fw_vif_elems(&v, *e + *n, XNH_FW_VIF_ELEMS);
		if (k > 0)
			*n += (size_t)xnh_fw_elems_stale(*e + *n, (size_t)k, *e, *n);
	}
	if (r >= 0)
		free(text);
	return r == -ENOENT ? 0 : r;
}

/* Online of index @ifindex: appends to *@e the elements of its entry, so
 * that the online's batch deletes those it does not add again. */
int xnh_fw_gone_take(struct xnh_fw *fw, enum xnh_fw_table t, uint32_t ifindex,
		     struct xnh_fw_elem **e, size_t *n)
{
	char path[PATH_MAX];
	int r = entry_path(t, ifindex, path, sizeof(path));

	(void)fw;
	if (r < 0 || access(path, F_OK) < 0)
		return r < 0 ? r : 0;
	return entry_elems(path, t, ifindex, e, n, NULL);
}

bool xnh_fw_gone_has(enum xnh_fw_table t, uint32_t ifindex)
{
	char path[PATH_MAX];

	return entry_path(t, ifindex, path, sizeof(path)) >= 0 && access(path, F_OK) == 0;
}

/* After the online's batch was acked: its entry is done. */
int xnh_fw_gone_drop(enum xnh_fw_table t, uint32_t ifindex)
{
	char path[PATH_MAX];
	int r = entry_path(t, ifindex, path, sizeof(path));

	if (r < 0 || xnh_dry_run())
		return r;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

/* A NAT guest's address in @nat_sources outlives its offline the same
 * way (fw-gone/nat-ADDR): only a guest allowed that address can send
 * from it, and until the sweep its traffic leaving a NAT uplink is
 * masqueraded. @retire: offline's; else an online's, which re-added it. */
int xnh_fw_gone_source(const struct xnh_inet *a, bool retire)
{
	char name[32], path[PATH_MAX], ip[INET_ADDRSTRLEN];
	int fd, r;

	if (!inet_ntop(AF_INET, &a->a, ip, sizeof(ip)))
		return -EINVAL;
	snprintf(name, sizeof(name), "nat-%s", ip);
	r = gone_path(name, path, sizeof(path));
	if (r < 0 || xnh_trace("%s %s", retire ? "touch" : "rm", path))
		return r;
	if (!retire)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	r = gone_mkdir();
	fd = r < 0 ? -1 : open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return r < 0 ? r : -errno;
	close(fd);
	return 0;
}

static bool source_name(const char *d, struct xnh_inet *a)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->prefix = 32;
	return !strncmp(d, "nat-", 4) && inet_pton(AF_INET, d + 4, &a->a) == 1;
}

static bool entry_name(const char *d, enum xnh_fw_table *t, uint32_t *ifindex)
{
	unsigned long ix;
	char *end;

	if (!strncmp(d, "bridge-", 7))
		*t = XNH_FW_BRIDGE, d += 7;
	else if (!strncmp(d, "inet-", 5))
		*t = XNH_FW_INET, d += 5;
	else
		return false;
	ix = strtoul(d, &end, 10);
	*ifindex = (uint32_t)ix;
	return *d && !*end && ix > 0 && ix <= UINT32_MAX;
}

/* How many vifs are retired and not yet swept. */
int xnh_fw_gone_count(void)
{
	char dir[PATH_MAX];
	struct dirent *d;
	enum xnh_fw_table t;
	struct xnh_inet a;
	uint32_t ix;
	int n = 0, r = gone_path(NULL, dir, sizeof(dir));
	DIR *dp = r < 0 ? NULL : opendir(dir);

	if (!dp)
		return r < 0 ? r : errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dp)))
		n += entry_name(d->d_name, &t, &ix) || source_name(d->d_name, &a);
	closedir(dp);
	return n;
}

struct sweep {
	struct xnh_fw_elem *e;
	size_t n;
	char (*paths)[PATH_MAX];
	size_t npaths;
	int owned[3];
};

/* The elements of a live vif that came back on the same index (a killed
 * online between its ack and the entry's removal) are never deleted. */
static void keep_live(struct sweep *s, size_t from, enum xnh_fw_table t, const char *ifname,
		      uint32_t ifindex)
{
	struct xnh_fw_elem *live = calloc(XNH_FW_VIF_ELEMS, sizeof(*live));
	struct xnh_fw_vif v;
	size_t i, k = 0;
	int m;

	if (live && xnh_fw_vif_load(t, ifname, &v) >= 0 && v.ifindex == ifindex) {
		m = xnh_fw_vif_elems(&v, live, XNH_FW_VIF_ELEMS);
		if (m > 0)
			s->n = from + xnh_fw_elems_stale(s->e + from, s->n - from, live, (size_t)m);
	}
	for (i = from; i < s->n; i++)	/* nor in a table that is not (or no longer) ours */
		if (s->owned[xnh_fw_set_layout(s->e[i].set)->table] > 0)
			s->e[from + k++] = s->e[i];
	s->n = from + k;
	free(live);
}

/* A retired NAT source's element, unless table inet xen is not ours. */
static int source_elem(struct sweep *s, const struct xnh_inet *a)
{
	const struct xnh_fw_set *set = xnh_fw_set_find(xnh_fw_layout_of(XNH_FW_INET),
						       "nat_sources");
	struct xnh_fw_elem *g;

	if (s->owned[XNH_FW_INET] <= 0)
		return 0;
	g = reallocarray(s->e, s->n + 1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	s->e = g;
	if (xnh_fw_elem_make(set, 0, NULL, NULL, a, &s->e[s->n]) >= 0)
		s->n++;
	return 0;
}

static int gather(struct sweep *s, const char *dir, const char *name)
{
	char ifname[XNH_IFNAMSIZ] = "", (*p)[PATH_MAX];
	enum xnh_fw_table t;
	struct xnh_inet a;
	uint32_t ix;
	size_t from = s->n;
	int r;
	bool src = source_name(name, &a);

	if (!src && !entry_name(name, &t, &ix))
		return 0;
	p = reallocarray(s->paths, s->npaths + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->paths = p;
	if ((size_t)snprintf(p[s->npaths], PATH_MAX, "%s/%.32s", dir, name) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (src) {
		s->npaths++;
		return source_elem(s, &a);
	}
	r = entry_elems(p[s->npaths], t, ix, &s->e, &s->n, ifname);
	s->npaths++;
	if (r >= 0 && ifname[0])
		keep_live(s, from, t, ifname, ix);
	return r;
}

/* Deletes the elements of every retired vif in one batch, then their
 * entries; the socket's close then waits one grace period for them all. */
int xnh_fw_gone_sweep(struct xnh_fw *fw)
{
	struct sweep s = { 0 };
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	size_t i;
	int lock = xnh_fw_gone_lock(true), r = lock < 0 ? lock : 0, t;

	for (t = XNH_FW_BRIDGE; r >= 0 && t <= XNH_FW_ARP; t++)
		s.owned[t] = xnh_fw_owned(fw, (enum xnh_fw_table)t);
	if (r >= 0)
		r = gone_path(NULL, dir, sizeof(dir));
	dp = r < 0 ? NULL : opendir(dir);
	while (dp && r >= 0 && (d = readdir(dp)))
		r = gather(&s, dir, d->d_name);
	if (dp)
		closedir(dp);
	/* one batch, one grace period: room for its acks (root may exceed rmem_max) */
	if (r >= 0 && s.n > 128)
		setsockopt(mnl_socket_get_fd(fw->nl), SOL_SOCKET, SO_RCVBUFFORCE,
			   &(int){ SWEEP_RCVBUF }, sizeof(int));
	for (i = 0; r >= 0 && i < s.n; i += SWEEP_CHUNK)
		r = xnh_fw_elems_apply(fw, xnh_fw_layout_of(XNH_FW_BRIDGE), s.e + i,
				       s.n - i < SWEEP_CHUNK ? s.n - i : SWEEP_CHUNK, NULL, 0);
	for (i = 0; r >= 0 && i < s.npaths; i++)
		if (!xnh_trace("rm %s", s.paths[i]) && unlink(s.paths[i]) < 0 && errno != ENOENT)
			r = -errno;
	xnh_fw_gone_unlock(lock);
	free(s.e);
	free(s.paths);
	return r;
}
