/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* file.c: files we own or edit: read whole, replace atomically, lock, state dir. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sys/sys.h"

#define FILE_MAX	(4 << 20)	/* the configs we edit are small */

/* Where state files and locks live: XNET_STATE_DIR, else /run/xnet. */
const char *xnh_state_dir(void)
{
	const char *d = getenv("XNET_STATE_DIR");

	return d && *d == '/' ? d : "/run/xnet";
}

/* This boot's id (the kernel's random boot_id): records carry it, so that
 * one written before a reboot is known for what it is. */
int xnh_boot_id(char *buf, size_t len)
{
	char text[64];
	ssize_t n;
	size_t k;
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	text[n] = '\0';
	k = strcspn(text, "\n");
	if (!k || k >= len)
		return -EINVAL;
	snprintf(buf, len, "%.*s", (int)k, text);
	return 0;
}

int xnh_state_path(const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", xnh_state_dir(), name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The whole file, NUL-terminated; -ENOENT when missing. */
int xnh_file_read(const char *path, char **buf, size_t *len)
{
	struct stat st;
	char *b = NULL;
	ssize_t n = 0;
	int fd, r = 0;

	*buf = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_size > FILE_MAX) {
		r = st.st_size > FILE_MAX ? -EFBIG : -errno;
		goto out;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		r = -ENOMEM;
		goto out;
	}
	n = read(fd, b, (size_t)st.st_size);
	if (n < 0) {
		r = -errno;
		free(b);
		goto out;
	}
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = (size_t)n;
out:
	close(fd);
	return r;
}

/* A symlink is edited where it points, so that the link itself survives;
 * a dangling one too (one level: the file it names is created). */
static int target_of(const char *path, char *out, size_t len)
{
	char *real = realpath(path, NULL), link[PATH_MAX], *slash;
	ssize_t n;
	int w;

	if (real) {
		w = snprintf(out, len, "%s", real);
		free(real);
		return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
	}
	if (errno != ENOENT)
		return -errno;
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno == EINVAL || errno == ENOENT ?
			(snprintf(out, len, "%s", path) < (int)len ? 0 : -ENAMETOOLONG) : -errno;
	link[n] = '\0';
	slash = strrchr(path, '/');
	if (link[0] == '/' || !slash)
		w = snprintf(out, len, "%s", link);
	else
		w = snprintf(out, len, "%.*s/%s", (int)(slash - path), path, link);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* State files describe this boot's kernel state, which a crash loses as
 * well: they need the rename's atomicity, not fsync's durability (an fsync
 * is most of a hotplug run's time where /run is not a tmpfs). */
static bool is_state(const char *target)
{
	const char *d = xnh_state_dir();
	size_t n = strlen(d);

	return !strncmp(target, d, n) && target[n] == '/';
}

/* The replaced file's owner, group and POSIX ACLs go to its successor
 * (its mode is set by the caller): an administrator's dhcpd.conf stays
 * theirs. A file system without ACLs has none to keep. */
static int keep_owner(int fd, const char *target, const struct stat *st)
{
	char acl[4096];
	ssize_t n;

	if (fchown(fd, st->st_uid, st->st_gid) < 0)
		return -errno;
	n = getxattr(target, "system.posix_acl_access", acl, sizeof(acl));
	if (n < 0)
		return errno == ENODATA || errno == ENOTSUP ? 0 : -errno;
	return fsetxattr(fd, "system.posix_acl_access", acl, (size_t)n, 0) < 0 ? -errno : 0;
}

/* After the rename, the directory entry itself is made durable. */
static int sync_dir(const char *target)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(target, '/');
	int fd, r = 0;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == target ? 1 : (int)(slash - target),
			 target);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Writes a temporary file beside @path and renames it into place: readers
 * see the old or the new content, never a part. A replaced file keeps its
 * mode, owner, group and ACLs; configs are synced, and their directory
 * after the rename. */
int xnh_file_replace(const char *path, const char *data, size_t len, unsigned int mode)
{
	char target[PATH_MAX], tmp[PATH_MAX + 16];
	struct stat st;
	bool old;
	int fd, r;

	r = target_of(path, target, sizeof(target));
	if (r < 0 || xnh_trace("write %s (%zu bytes)", target, len))
		return r;
	old = stat(target, &st) == 0;
	if (old)
		mode = st.st_mode & 07777u;
	snprintf(tmp, sizeof(tmp), "%s.xnet-XXXXXX", target);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write_all(fd, data, len);
	if (r >= 0 && old)
		r = keep_owner(fd, target, &st);
	if (r >= 0 && fchmod(fd, (mode_t)mode) < 0)
		r = -errno;
	if (r >= 0 && !is_state(target) && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r >= 0)
		r = -errno;
	if (r >= 0 && rename(tmp, target) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	if (r >= 0 && !is_state(target))
		r = sync_dir(target);
	return r;
}

/* mkdir -p @dir with @mode for what it creates. */
int xnh_mkdir_p(const char *dir, unsigned int mode)
{
	char d[PATH_MAX], *p;

	if (snprintf(d, sizeof(d), "%s", dir) >= (int)sizeof(d))
		return -ENAMETOOLONG;
	for (p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, (mode_t)mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(d, (mode_t)mode) < 0 && errno != EEXIST ? -errno : 0;
}

/* A dry run creates nothing: the files it would write are only printed. */
int xnh_state_mkdir(void)
{
	return xnh_dry_run() ? 0 : xnh_mkdir_p(xnh_state_dir(), 0755);
}

/* An exclusive lock named @name in the state directory, held until
 * xnh_unlock() or exit. The lock file is never removed, so two runs can
 * never hold locks on two different files of the same name. A dry run,
 * which changes nothing, takes no lock (and so creates no lock file). */
int xnh_lock(const char *name, int *fd)
{
	char path[PATH_MAX], file[NAME_MAX];
	int r;

	*fd = -1;
	if (xnh_dry_run())
		return 0;
	snprintf(file, sizeof(file), "%s.lock", name);
	r = xnh_state_mkdir();
	if (r >= 0)
		r = xnh_state_path(file, path, sizeof(path));
	if (r < 0)
		return r;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return -errno;
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	xnh_watchdog_waiting("waiting for the lock %s, which another run holds: is one stuck?",
			     path);
	while (flock(*fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			r = -errno;
			close(*fd);
			*fd = -1;
			return r;
		}
	}
	xnh_watchdog_waiting(NULL);
	return 0;
}

void xnh_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Removes @path; one that is not there is fine. */
int xnh_file_remove(const char *path)
{
	if (xnh_trace("rm -f %s", path))
		return 0;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

/* State file @name, NUL-terminated; -ENOENT when there is none. */
int xnh_state_read(const char *name, char **buf)
{
	char path[PATH_MAX];
	int r = xnh_state_path(name, path, sizeof(path));

	*buf = NULL;
	return r < 0 ? r : xnh_file_read(path, buf, NULL);
}

/* Replaces state file @name atomically (0644), making the directory. */
int xnh_state_write(const char *name, const char *data, size_t len)
{
	char path[PATH_MAX];
	int r = xnh_state_mkdir();

	if (r >= 0)
		r = xnh_state_path(name, path, sizeof(path));
	return r < 0 ? r : xnh_file_replace(path, data, len, 0644);
}

/* Removes state file @name; one that is not there is fine. */
int xnh_state_remove(const char *name)
{
	char path[PATH_MAX];
	int r = xnh_state_path(name, path, sizeof(path));

	return r < 0 ? r : xnh_file_remove(path);
}
