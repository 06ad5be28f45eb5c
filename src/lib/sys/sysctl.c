/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysctl.c: /proc/sys/net settings of the current network namespace. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "sys/sys.h"

/* Reads the first line of /proc/sys/@path, without its newline. */
int xnh_sysctl_read(const char *path, char *buf, size_t len)
{
	char full[160];
	ssize_t n;
	int fd, r = 0;

	if (snprintf(full, sizeof(full), "/proc/sys/%s", path) >= (int)sizeof(full))
		return -ENAMETOOLONG;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		r = -errno;
	} else {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
	}
	close(fd);
	return r;
}

int xnh_sysctl_write(const char *path, const char *val)
{
	char full[160];
	size_t len = strlen(val);
	ssize_t n;
	int fd, r = 0;

	if (snprintf(full, sizeof(full), "/proc/sys/%s", path) >= (int)sizeof(full))
		return -ENAMETOOLONG;
	if (xnh_trace("sysctl -w %s=%s", path, val))
		return 0;
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	close(fd);
	return r;
}

/* net/@family/conf/@dev/@name; @dev is a validated interface name. */
int xnh_sysctl_dev(const char *family, const char *dev, const char *name, const char *val)
{
	char path[128];

	if (xnh_valid_ifname(dev) < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "net/%s/conf/%s/%s", family, dev, name);
	return xnh_sysctl_write(path, val);
}
