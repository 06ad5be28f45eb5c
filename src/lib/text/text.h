/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* text/: checks and parsing of untrusted text (xenstore values, argv, the
 * environment, our own records): interface names, numbers, MACs, booleans,
 * addresses and `ip` lists, XENBUS_PATH and tap names. Pure functions: no
 * I/O, no state; every other subsystem may use it, it uses none. */
#ifndef XNH_TEXT_H
#define XNH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define XNH_IFNAMSIZ	16		/* IFNAMSIZ: 15 bytes and a NUL */
#define XNH_VALUE_MAX	1024		/* longest parameter value we accept */
#define XNH_IP_MAX	64		/* most addresses in one `ip` list */
#define XNH_MTU_MIN	68
#define XNH_MTU_MAX	65535

/* ---- valid.c: checks of untrusted text ---- */
int xnh_valid_ifname(const char *s);
int xnh_ifname_copy(char *dst, const char *src);
int xnh_valid_text(const char *s);
int xnh_parse_uint(const char *s, unsigned long max, unsigned long *out);
int xnh_parse_mtu(const char *s, unsigned int *mtu);
int xnh_parse_mac(const char *s, uint8_t mac[6]);
int xnh_parse_bool(const char *s, bool *out);
void xnh_quote(const char *s, char *buf, size_t len);

/* ---- inet.c: addresses and `ip` lists ---- */
struct xnh_inet {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t prefix;			/* as given, else 32 or 128 */
	bool has_prefix;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} a;
};

struct xnh_iplist {
	size_t n;
	struct xnh_inet e[XNH_IP_MAX];
};

int xnh_inet_parse(const char *s, struct xnh_inet *out);
int xnh_inet_format(const struct xnh_inet *in, bool prefix, char *buf, size_t len);
int xnh_iplist_parse(const char *s, struct xnh_iplist *out);
size_t xnh_inet_len(const struct xnh_inet *in);
bool xnh_inet_host_bits(const struct xnh_inet *in);
bool xnh_inet_in(const struct xnh_inet *net, const struct xnh_inet *a);

/* ---- names.c: the names a hotplug run is given ---- */
int xnh_xenbus_path_parse(const char *s, unsigned int *domid, unsigned int *devid);
int xnh_tap_name_parse(const char *s, unsigned int *domid, unsigned int *devid);

/* ---- vlan.c: a port's VLANs (Open vSwitch, VLAN-aware bridges) ---- */
#define XNH_VLAN_ID_MAX	4095

struct xnh_vlan {
	int pvid;			/* the untagged (native) VLAN, or -1 */
	uint64_t member[64];		/* every VLAN of the port, pvid too */
	uint64_t untagged[64];		/* those that egress untagged */
};

void xnh_vlan_init(struct xnh_vlan *v);
int xnh_vlan_bridge_parse(const char *s, char bridge[XNH_IFNAMSIZ], struct xnh_vlan *v);
int xnh_vlan_list_parse(const char *s, struct xnh_vlan *v);
bool xnh_vlan_has(const struct xnh_vlan *v, unsigned int id);
bool xnh_vlan_untagged(const struct xnh_vlan *v, unsigned int id);
int xnh_vlan_next_trunk(const struct xnh_vlan *v, int after);
unsigned int xnh_vlan_ntrunks(const struct xnh_vlan *v);

#endif
