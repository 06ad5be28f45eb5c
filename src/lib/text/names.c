/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* names.c: the names a hotplug run is given: XENBUS_PATH and a tap's name. */
#include <errno.h>
#include <string.h>

#include "text/text.h"

#define DOMID_MAX	32751		/* DOMID_FIRST_RESERVED - 1 */
#define DEVID_MAX	65535

/* Reads "<n>" up to @stop (or the end) and moves *s past it. */
static int number(const char **s, char stop, unsigned long max, unsigned int *out)
{
	char buf[12];
	size_t len = stop ? strcspn(*s, (char[]){ stop, '\0' }) : strlen(*s);
	unsigned long v;
	int r;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, *s, len);
	buf[len] = '\0';
	r = xnh_parse_uint(buf, max, &v);
	if (r < 0)
		return -EINVAL;
	*out = (unsigned int)v;
	*s += len;
	return 0;
}

/* "backend/vif/<domid>/<devid>", as libxl passes it, or its absolute form
 * "/local/domain/<backend>/backend/vif/<domid>/<devid>"; nothing else. */
int xnh_xenbus_path_parse(const char *s, unsigned int *domid, unsigned int *devid)
{
	unsigned int backend;

	if (!strncmp(s, "/local/domain/", 14)) {
		s += 14;
		if (number(&s, '/', DOMID_MAX, &backend) < 0 || *s++ != '/')
			return -EINVAL;
	}
	if (strncmp(s, "backend/vif/", 12))
		return -EINVAL;
	s += 12;
	if (number(&s, '/', DOMID_MAX, domid) < 0 || *s++ != '/')
		return -EINVAL;
	return number(&s, 0, DEVID_MAX, devid);
}

/* "vif<domid>.<devid>-emu", the name libxl gives an emulated NIC's tap. */
int xnh_tap_name_parse(const char *s, unsigned int *domid, unsigned int *devid)
{
	size_t len = strlen(s);
	char buf[XNH_IFNAMSIZ];

	if (strncmp(s, "vif", 3) || len < 8 || len >= sizeof(buf) ||
	    strcmp(s + len - 4, "-emu"))
		return -EINVAL;
	memcpy(buf, s + 3, len - 7);
	buf[len - 7] = '\0';
	s = buf;
	if (number(&s, '.', DOMID_MAX, domid) < 0 || *s++ != '.')
		return -EINVAL;
	return number(&s, 0, DEVID_MAX, devid);
}
