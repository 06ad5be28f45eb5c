/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dhcp/: the DHCP servers' files NAT guests get their address from (ISC
 * dhcpd.conf and its defaults file, dnsmasq's hosts and options files):
 * pure text edits (dhcp_isc.c, dhcp_ifaces.c, dhcp_dnsmasq.c) and their
 * locked, atomic application (dhcp.c). Uses text/ and sys/. */
#ifndef XNH_DHCP_H
#define XNH_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "text/text.h"

/* ---- dhcp_isc.c, dhcp_ifaces.c, dhcp_dnsmasq.c: DHCP configs as text (pure) ---- */
#define XNH_DOMAIN_MAX	254
#define XNH_PATH_MAX	256

struct xnh_dhcp_host {
	char name[XNH_IFNAMSIZ];	/* domN or domN-V */
	uint8_t mac[6];
	struct in_addr addr;		/* fixed address */
	struct in_addr router;
};

struct xnh_isc_subnet {			/* the options of network-nat's subnet */
	char domain[XNH_DOMAIN_MAX];	/* "" for none */
	struct in_addr dns;		/* 0 for none */
};

int xnh_isc_host_format(const struct xnh_dhcp_host *h, char *buf, size_t len);
int xnh_isc_host_set(const char *in, const struct xnh_dhcp_host *h, char **out);
int xnh_isc_host_del(const char *in, const char *name, char **out);
int xnh_isc_subnet_format(const struct xnh_isc_subnet *sn, char *buf, size_t len);
int xnh_isc_subnet_set(const char *in, const struct xnh_isc_subnet *sn, char **out);
int xnh_isc_subnet_del(const char *in, char **out);
int xnh_isc_ifaces_add(const char *in, const char *dev, char **out);
int xnh_isc_ifaces_del(const char *in, const char *dev, char **out);
int xnh_dnsmasq_host_format(const struct xnh_dhcp_host *h, char *buf, size_t len);
int xnh_dnsmasq_opt_format(const struct xnh_dhcp_host *h, const char *dev, char *buf,
			   size_t len);
int xnh_dnsmasq_hosts_set(const char *in, const struct xnh_dhcp_host *h, char **out);
int xnh_dnsmasq_hosts_del(const char *in, const char *name, char **out);
int xnh_dnsmasq_opts_set(const char *in, const struct xnh_dhcp_host *h, const char *dev,
			 char **out);
int xnh_dnsmasq_opts_del(const char *in, const char *dev, char **out);
int xnh_pidfile_parse(const char *text, int *pid);
int xnh_dnsmasq_reload(const char *pidfile);

/* ---- dhcp.c: which DHCP servers, their files, locked edits ---- */
#define XNH_DHCP_ISC		0x1
#define XNH_DHCP_DNSMASQ	0x2

struct xnh_dhcp_conf {
	char isc_conf[XNH_PATH_MAX];		/* XNET_DHCPD_CONF */
	char isc_defaults[XNH_PATH_MAX];	/* XNET_DHCPD_DEFAULTS */
	char dnsmasq_hosts[XNH_PATH_MAX];	/* XNET_DNSMASQ_HOSTS */
	char dnsmasq_opts[XNH_PATH_MAX];	/* XNET_DNSMASQ_OPTS */
	char dnsmasq_pid[XNH_PATH_MAX];		/* XNET_DNSMASQ_PIDFILE */
	char resolv[XNH_PATH_MAX];		/* XNET_RESOLV_CONF */
	const char *failed;			/* what a failure was about */
};

int xnh_dhcp_conf_load(struct xnh_dhcp_conf *c);
unsigned int xnh_dhcp_backends(const struct xnh_dhcp_conf *c, int want);
int xnh_dhcp_host_add(struct xnh_dhcp_conf *c, unsigned int b, const struct xnh_dhcp_host *h,
		      const char *dev);
int xnh_dhcp_host_del(struct xnh_dhcp_conf *c, unsigned int b, const char *name,
		      const char *dev);
int xnh_resolv_parse(const char *in, struct xnh_isc_subnet *sn);
int xnh_dhcp_net_start(struct xnh_dhcp_conf *c, unsigned int b);
int xnh_dhcp_net_stop(struct xnh_dhcp_conf *c);

/* What status looks for in the servers' files. */
enum xnh_dhcp_entry {
	XNH_DHCP_ISC_HOST,		/* host NAME { ... } in dhcpd.conf */
	XNH_DHCP_ISC_IFACE,		/* the vif in the defaults file's interface list */
	XNH_DHCP_ISC_SUBNET,		/* network-nat's subnet 10.0.0.0 netmask 255.255.0.0 */
	XNH_DHCP_DNSMASQ_HOST,		/* MAC,ADDRESS,NAME in the hostsfile */
	XNH_DHCP_DNSMASQ_OPT,		/* tag:VIF,option:router,... in the optsfile */
};

int xnh_dhcp_has(const struct xnh_dhcp_conf *c, enum xnh_dhcp_entry e, const char *key,
		 const char **path);

#endif
