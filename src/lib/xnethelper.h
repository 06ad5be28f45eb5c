/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xnethelper.h: the one header the xnet hotplug programs include. */
#ifndef XNETHELPER_H
#define XNETHELPER_H

#include <stdarg.h>
#include <stdbool.h>
#include <time.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <syslog.h>

struct nl_sock;
struct nl_msg;
struct rtnl_link;
struct xs_handle;
struct nlmsghdr;

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

/* ---- trace.c: dry-run and verbose output of each change ---- */
void xnh_trace_setup(bool dry_run, bool verbose);
bool xnh_dry_run(void);
bool xnh_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *xnh_trace_last(void);
struct xnh_run;
int xnh_fault(const char *step, int err);
int xnh_step(struct xnh_run *r, const char *step, int ret);

/* ---- log.c: syslog (daemon) and stderr ---- */
void xnh_log_open(const char *ident, bool to_stderr);
void xnh_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int xnh_log_errno(int prio, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xnh_log_close(void);
const char *xnh_log_file(void);
void xnh_log_hotplug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- store.c: xenstore through libxenstore ---- */
struct xnh_store {
	struct xs_handle *xs;
};

int xnh_store_open(struct xnh_store *st);
int xnh_store_report(struct xnh_store *st, const char *dir, const char *err);
void xnh_store_close(struct xnh_store *st);
int xnh_store_read(struct xnh_store *st, const char *path, char **val);
int xnh_store_read_key(struct xnh_store *st, const char *dir, const char *key, char **val);
int xnh_store_write(struct xnh_store *st, const char *path, const char *val);
int xnh_store_write_key(struct xnh_store *st, const char *dir, const char *key,
			const char *val);
int xnh_store_remove(struct xnh_store *st, const char *path);
const char *xnh_store_socket(void);

/* ---- nl.c: one rtnetlink socket, raw errnos ---- */
struct xnh_nl {
	struct nl_sock *sk;
	int err;			/* errno of the last NLMSG_ERROR */
	char ext_msg[160];		/* and the kernel's reason, if it gave one */
};

int xnh_nl_open(struct xnh_nl *nl);
void xnh_nl_close(struct xnh_nl *nl);
int xnh_nl_errno(int nle);
const char *xnh_nl_ext_msg(const struct xnh_nl *nl, int err);
int xnh_nl_send(struct xnh_nl *nl, struct nl_msg *msg);
int xnh_nl_commit(struct xnh_nl *nl, struct nl_msg *msg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xnh_nl_dump(struct xnh_nl *nl, struct nl_msg *msg,
		int (*valid)(struct nl_msg *msg, void *arg), void (*reset)(void *arg), void *arg);
void xnh_vec_reset(void *arg);
int xnh_nl_get(struct xnh_nl *nl, struct nl_msg *msg,
	       int (*valid)(struct nl_msg *msg, void *arg), void *arg);

/* What a dump collects, to be walked after it ended (free v). */
struct xnh_vec {
	void *v;
	size_t n, cap;
	int err;
};

void *xnh_vec_add(struct xnh_vec *vec, size_t size);

/* ---- link.c: links by name, one change request at a time ---- */
#define XNH_UNCHANGED	(-1)

struct xnh_link {
	int ifindex;
	char name[XNH_IFNAMSIZ];
	unsigned int flags;		/* IFF_* */
	unsigned int mtu;
	int master;			/* ifindex, 0 for none */
	uint8_t mac[6];
	bool has_mac;
	char kind[16];			/* "bridge", "veth", ... or "" */
	char alias[64];			/* IFLA_IFALIAS, cut */
};

struct xnh_link_req {
	int ifindex;
	const char *name;		/* current name, for messages */
	const char *rename;		/* new name, or NULL */
	const char *alias;		/* new ifalias, or NULL */
	const uint8_t *mac;		/* or NULL */
	unsigned int mtu;		/* 0: unchanged */
	int master;			/* XNH_UNCHANGED, 0 (nomaster) or ifindex */
	const char *master_name;	/* for messages */
	int up;				/* XNH_UNCHANGED, 0 or 1 */
	int arp;			/* XNH_UNCHANGED, 0 (IFF_NOARP) or 1 */
};

#define XNH_LINK_REQ_INIT { .master = XNH_UNCHANGED, .up = XNH_UNCHANGED, .arp = XNH_UNCHANGED }

int xnh_link_get(struct xnh_nl *nl, const char *name, struct xnh_link *out);
int xnh_link_get_index(struct xnh_nl *nl, int ifindex, struct xnh_link *out);
void xnh_link_from_rtnl(struct rtnl_link *rl, struct xnh_link *out);
int xnh_link_build(const struct xnh_link_req *req, struct nl_msg **msg);
int xnh_link_apply(struct xnh_nl *nl, const struct xnh_link_req *req);
bool xnh_link_is_up(const struct xnh_link *l);
int xnh_link_set_up(struct xnh_nl *nl, struct xnh_link *l, bool up);

/* ---- addr.c: addresses of one link ---- */
struct xnh_addr {
	int ifindex;
	struct xnh_inet local;		/* with prefix length */
	int scope;
	unsigned int flags;		/* IFA_F_* */
	char label[XNH_IFNAMSIZ];
	bool has_broadcast;
	struct in_addr broadcast;
	uint32_t valid_lft;		/* seconds left (IFA_CACHEINFO); 0: unset (forever) */
	uint32_t preferred_lft;
	uint32_t rt_priority;		/* metric of its prefix route; 0: default */
	uint8_t proto;			/* IFAPROT_*: who made it; 0: unspecified */
};

typedef int (*xnh_addr_cb)(const struct xnh_addr *a, void *arg);

int xnh_addr_foreach(struct xnh_nl *nl, int ifindex, int family, xnh_addr_cb cb, void *arg);
int xnh_addr_build(const struct xnh_addr *a, bool add, struct nl_msg **msg);
int xnh_addr_build_change(const struct xnh_addr *a, struct nl_msg **msg);
int xnh_addr_add(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_addr_del(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_addr_change(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_addr_flush(struct xnh_nl *nl, const char *dev, int ifindex);
int xnh_addr_first_v4(struct xnh_nl *nl, int ifindex, struct in_addr *out);

/* ---- route.c: routes ---- */
struct xnh_route {
	struct xnh_inet dst;		/* prefix 0: default */
	int oif;			/* 0: none */
	bool has_gw, has_src;
	struct xnh_inet gw;
	struct xnh_inet src;		/* preferred source */
	uint32_t metric;
	uint32_t table;			/* 0: main */
	uint8_t scope;			/* RT_SCOPE_UNIVERSE (0), RT_SCOPE_LINK, ... */
	uint8_t protocol;		/* 0: RTPROT_BOOT, as ip does */
	uint8_t type;			/* 0: RTN_UNICAST */
	unsigned int nh_flags;		/* RTNH_F_ONLINK, ... */
	int nexthops;			/* dumps only: > 1 for multipath */
};

typedef int (*xnh_route_cb)(const struct xnh_route *rt, void *arg);

int xnh_route_build(const struct xnh_route *rt, bool add, struct nl_msg **msg);
void xnh_route_describe(const struct xnh_route *rt, const char *dev, char *buf, size_t len);
int xnh_route_add(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt);
int xnh_route_del(struct xnh_nl *nl, const char *dev, const struct xnh_route *rt);
int xnh_route_foreach(struct xnh_nl *nl, int family, int oif, xnh_route_cb cb, void *arg);
int xnh_route_match(struct xnh_nl *nl, const struct xnh_inet *addr, struct xnh_route *out);

/* ---- claim.c: whether a guest's `ip` entry would take others' traffic ---- */
enum xnh_claim_kind {
	XNH_CLAIM_LOCAL = 1,		/* dom0's own address */
	XNH_CLAIM_GATEWAY,		/* the default route's gateway */
	XNH_CLAIM_ROUTED,		/* a host route through another device */
	XNH_CLAIM_NETWORK,		/* a network routed through another device */
};

struct xnh_claim {
	enum xnh_claim_kind kind;
	struct xnh_route route;		/* what it conflicts with */
};

/* Whether device @oif is the guest's own (its vif, or its tap). */
typedef bool (*xnh_claim_ours)(int oif, void *arg);

int xnh_claim_check(struct xnh_nl *nl, const struct xnh_inet *e, xnh_claim_ours ours, void *arg,
		    struct xnh_claim *c);
int xnh_claim_gateway(struct xnh_nl *nl, const struct xnh_inet *e, struct xnh_claim *c);
void xnh_claim_describe(struct xnh_nl *nl, const struct xnh_inet *e, const struct xnh_claim *c,
			char *buf, size_t len);

/* ---- bridge.c: finding the bridge a vif joins, and its ports ---- */
typedef int (*xnh_link_cb)(const struct xnh_link *l, void *arg);

int xnh_bridge_first(struct xnh_nl *nl, struct xnh_link *out);
int xnh_bridge_ports(struct xnh_nl *nl, int master, xnh_link_cb cb, void *arg);
int xnh_bridge_resolve(struct xnh_nl *nl, const char *want, struct xnh_link *out);
bool xnh_link_is_bridge(const struct xnh_link *l);

struct xnh_bridge_info {
	int ifindex;
	uint32_t stp_state;		/* 0: off */
	uint32_t forward_delay;		/* in USER_HZ (1/100 s), as `ip -d link` shows it */
};

int xnh_bridge_info_parse(const struct nlmsghdr *h, struct xnh_bridge_info *out);
int xnh_bridge_info_get(struct xnh_nl *nl, int ifindex, struct xnh_bridge_info *out);

/* ---- hotplug.c: the parameters of one run ---- */
enum xnh_key {
	XNH_K_VIF,
	XNH_K_TYPE_IF,
	XNH_K_INTERFACE,
	XNH_K_XENBUS_PATH,
	XNH_K_NETDEV,
	XNH_K_BRIDGE,
	XNH_K_IP,
	XNH_K_DHCP,
	XNH_K_ANTISPOOF,
	XNH_K_DRY_RUN,
	XNH_K_VERBOSE,
	XNH_K_JSON,
	XNH_K_FORCE,
	XNH_K_COUNT
};

enum xnh_src { XNH_SRC_NONE, XNH_SRC_ENV, XNH_SRC_ARG, XNH_SRC_STORE };

enum xnh_type_if { XNH_TYPE_VIF, XNH_TYPE_TAP };

struct xnh_ctx {
	const char *prog;
	const char *command;
	const char *val[XNH_K_COUNT];	/* NULL when unset; never "" */
	enum xnh_src src[XNH_K_COUNT];
	char *owned[XNH_K_COUNT];	/* values read from xenstore */
	char *ip_spaced;		/* `ip` with its tabs and newlines made spaces */
	enum xnh_type_if type_if;
	char dev[XNH_IFNAMSIZ];		/* the interface acted on */
	char vifname[XNH_IFNAMSIZ];	/* xenstore `vifname` (+ "-emu" for a tap) */
	char renamed_from[XNH_IFNAMSIZ];	/* this run renamed dev from it */
	char xb_path[96];		/* XENBUS_PATH, validated */
	unsigned int domid, devid;
	struct xnh_iplist ip;
	char main_ip[64];		/* vif-route/vif-nat: dom0's address, for hooks */
	char err[256];			/* the one-line reason of a failure */
};

const char *xnh_key_name(enum xnh_key k);
int xnh_ctx_parse(struct xnh_ctx *c, int argc, char **argv, char **envp);
int xnh_ctx_set(struct xnh_ctx *c, enum xnh_key k, const char *v, enum xnh_src src);
int xnh_ctx_check(struct xnh_ctx *c, enum xnh_key k);
int xnh_ctx_vif(struct xnh_ctx *c);
int xnh_ctx_load_store(struct xnh_ctx *c, struct xnh_store *st, bool bridge);
bool xnh_ctx_bool(const struct xnh_ctx *c, enum xnh_key k, bool def);
int xnh_ctx_fail(struct xnh_ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xnh_ctx_free(struct xnh_ctx *c);
int xnh_xenbus_path_parse(const char *s, unsigned int *domid, unsigned int *devid);
int xnh_tap_name_parse(const char *s, unsigned int *domid, unsigned int *devid);

/* ---- sysctl.c ---- */
int xnh_sysctl_read(const char *path, char *buf, size_t len);
int xnh_sysctl_write(const char *path, const char *val);
int xnh_sysctl_dev(const char *family, const char *dev, const char *name, const char *val);

/* ---- file.c: files we own or edit ---- */
const char *xnh_state_dir(void);
/* forward.c: ip_forward, shared by network-route and network-nat */
int xnh_forward_take(const char *user);
int xnh_forward_release(const char *user);
int xnh_boot_id(char *buf, size_t len);
int xnh_state_path(const char *name, char *buf, size_t len);
int xnh_mkdir_p(const char *dir, unsigned int mode);
int xnh_state_mkdir(void);
int xnh_file_read(const char *path, char **buf, size_t *len);
int xnh_file_replace(const char *path, const char *data, size_t len, unsigned int mode);
int xnh_file_remove(const char *path);
int xnh_state_read(const char *name, char **buf);
int xnh_state_write(const char *name, const char *data, size_t len);
int xnh_state_remove(const char *name);
int xnh_lock(const char *name, int *fd);
void xnh_unlock(int fd);

/* ---- status.c: what `status` commands print ---- */
enum xnh_verdict { XNH_OK, XNH_WARN, XNH_FAIL };

struct xnh_status {
	bool json;
	unsigned int n, failed, warned;
};

void xnh_status_begin(struct xnh_status *s, bool json);
void xnh_status_check(struct xnh_status *s, enum xnh_verdict v, const char *fix,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int xnh_status_end(struct xnh_status *s);

/* ---- neigh.c: proxy neighbour entries ---- */
int xnh_neigh_proxy_build(int ifindex, const struct xnh_inet *addr, bool add,
			  struct nl_msg **msg);
int xnh_neigh_proxy_add(struct xnh_nl *nl, const char *dev, int ifindex,
			const struct xnh_inet *addr);
int xnh_neigh_proxy_del(struct xnh_nl *nl, const char *dev, int ifindex,
			const struct xnh_inet *addr);
int xnh_neigh_proxy_build_dump(int family, int ifindex, struct nl_msg **msg);
int xnh_neigh_proxy_parse(const struct nlmsghdr *h, int *ifindex, struct xnh_inet *dst);
int xnh_neigh_proxy_has(struct xnh_nl *nl, int ifindex, const struct xnh_inet *addr);

/* ---- netdev.c: the host's uplink (`netdev`, default route, eth0) ---- */
int xnh_netdev_default_oif(struct xnh_nl *nl);
int xnh_netdev_get(struct xnh_nl *nl, const char *want, struct xnh_link *out);

/* ---- vifstate.c: what a vif's online added, and its removal at offline ---- */
struct xnh_vifstate {
	char dev[XNH_IFNAMSIZ];		/* the vif, as online left it */
	int ifindex;			/* tells our vif from a re-created one */
	uint32_t metric;		/* of the routes */
	bool has_addr;
	struct xnh_inet addr;		/* put on the vif (with prefix) */
	struct xnh_iplist routes;	/* destinations routed through the vif */
	char netdev[XNH_IFNAMSIZ];	/* where the proxy entries are */
	struct xnh_iplist proxies;	/* addresses answered for on netdev */
};

int xnh_vifstate_format(const struct xnh_vifstate *s, char *buf, size_t len);
int xnh_vifstate_parse(const char *text, struct xnh_vifstate *s);
int xnh_vifstate_load(const char *name, struct xnh_vifstate *s);
int xnh_vifstate_save(const char *name, const struct xnh_vifstate *s);

/* How much of a state is in place (a failed online's rollback). */
struct xnh_vifstate_done {
	bool addr;
	size_t routes, proxies;
};

void xnh_vifstate_route(const struct xnh_vifstate *s, size_t i, struct xnh_route *rt);
int xnh_vifstate_undo(struct xnh_nl *nl, const struct xnh_vifstate *s,
		      const struct xnh_vifstate_done *d, const char *sibling);
int xnh_vifstate_forget(struct xnh_nl *nl, const char *name, const char *sibling);

/* ---- saved.c: sysctl values a start found, for its stop ---- */
#define XNH_SAVED_MAX	16
#define XNH_SAVED_KEY	96		/* "net/ipv6/conf/<ifname>/accept_ra" fits */
#define XNH_SAVED_VAL	24

struct xnh_saved {
	size_t n;
	struct {
		char key[XNH_SAVED_KEY];	/* a path under /proc/sys */
		char val[XNH_SAVED_VAL];
	} e[XNH_SAVED_MAX];
};

const char *xnh_saved_get(const struct xnh_saved *s, const char *key);
int xnh_saved_put(struct xnh_saved *s, const char *key, const char *val);
int xnh_saved_format(const struct xnh_saved *s, char *buf, size_t len);
int xnh_saved_parse(const char *text, struct xnh_saved *s);
int xnh_saved_load(const char *name, struct xnh_saved *s);
int xnh_saved_store(const char *name, const struct xnh_saved *s);

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

/* ---- natstate.c: what vif-nat online and network-nat start did ---- */
#define XNH_NAT_UPLINKS	8

struct xnh_natvif {
	char dev[XNH_IFNAMSIZ];
	int ifindex;
	struct in_addr router;		/* the /32 on the vif */
	size_t n;
	struct in_addr guest[XNH_IP_MAX];	/* routed through the vif */
	char host[XNH_IFNAMSIZ];	/* the DHCP entry's name, "" for none */
	unsigned int dhcp;		/* XNH_DHCP_* holding that entry */
};

struct xnh_natnet {
	bool has_forward, forward;	/* ip_forward as the first start found it */
	size_t n;
	char uplink[XNH_NAT_UPLINKS][XNH_IFNAMSIZ];	/* masqueraded */
	bool subnet;			/* the ISC subnet was added */
};

int xnh_natvif_parse(const char *text, struct xnh_natvif *v);
int xnh_natvif_format(const struct xnh_natvif *v, char *buf, size_t len);
int xnh_natnet_parse(const char *text, struct xnh_natnet *s);
int xnh_natnet_format(const struct xnh_natnet *s, char *buf, size_t len);
int xnh_natnet_find(const struct xnh_natnet *s, const char *dev);
int xnh_natvif_load(const char *name, struct xnh_natvif *v);
int xnh_natvif_save(const char *name, const struct xnh_natvif *v);
int xnh_natnet_load(const char *name, struct xnh_natnet *s);
int xnh_natnet_save(const char *name, const struct xnh_natnet *s);

/* ---- nat.c: addresses of NAT guests ---- */
int xnh_nat_default_ip(unsigned int domid, unsigned int vifid, struct xnh_inet *out);
int xnh_nat_router(const struct xnh_inet *guest, struct xnh_inet *router);
int xnh_nat_hostname(unsigned int domid, unsigned int vifid, char *buf, size_t len);
#define XNH_NAT_ROUTED	1
#define XNH_NAT_LOCAL	2
int xnh_nat_conflict(struct xnh_nl *nl, const struct xnh_natvif *v, int ifindex,
		     struct in_addr *addr, int *oif);

/* ---- netbr_link.c: the bridge network-bridge makes; link delete ---- */
struct xnh_bridge_new {
	const char *name;
	const uint8_t *mac;		/* or NULL */
	unsigned int mtu;		/* 0: the kernel's */
};

int xnh_bridge_build_new(const struct xnh_bridge_new *req, struct nl_msg **msg);
int xnh_bridge_new(struct xnh_nl *nl, const struct xnh_bridge_new *req);
int xnh_link_build_del(int ifindex, struct nl_msg **msg);
int xnh_link_del(struct xnh_nl *nl, int ifindex, const char *name);

/* ---- netbr_undo.c: a journal of changes, undone last first on failure ---- */
struct xnh_undo_step;

struct xnh_undo {
	struct xnh_undo_step *v;
	size_t n, cap;
};

int xnh_undo_reserve(struct xnh_undo *u, size_t n);
int xnh_undo_link_del(struct xnh_undo *u, int ifindex, const char *name);
int xnh_undo_link(struct xnh_undo *u, const struct xnh_link_req *req);
int xnh_undo_addr(struct xnh_undo *u, const char *dev, const struct xnh_addr *a, bool add);
int xnh_undo_route(struct xnh_undo *u, const char *dev, const struct xnh_route *rt, bool add);
int xnh_undo_file(struct xnh_undo *u, const char *path, const char *data);
int xnh_undo_run(struct xnh_undo *u, struct xnh_nl *nl, char *failed, size_t len);
void xnh_undo_free(struct xnh_undo *u);

/* ---- netbr_move.c: what moves from a NIC to its bridge and back ---- */
struct xnh_netbr_set {
	struct xnh_addr *addr;		/* in the order that rebuilds the list */
	size_t naddr;
	struct xnh_route *route;	/* routes without a gateway first */
	size_t nroute;
	struct xnh_route bad;		/* what stopped xnh_netbr_collect() */
};

bool xnh_netbr_addr_moves(const struct xnh_addr *a);
bool xnh_netbr_route_moves(const struct xnh_route *rt);
int xnh_netbr_label(const char *label, const char *from, const char *to, char *out, size_t len);
int xnh_netbr_collect(struct xnh_nl *nl, int ifindex, struct xnh_netbr_set *s);
void xnh_netbr_set_free(struct xnh_netbr_set *s);
const struct xnh_addr *xnh_netbr_label_misfit(const struct xnh_netbr_set *s, const char *from,
					      const char *to);
int xnh_netbr_addr_put(struct xnh_nl *nl, const char *dev, const struct xnh_addr *a);
int xnh_netbr_addrs_add(struct xnh_nl *nl, const struct xnh_netbr_set *s, int family,
			const char *from, const struct xnh_link *to, struct xnh_undo *u);
int xnh_netbr_routes_add(struct xnh_nl *nl, const struct xnh_netbr_set *s,
			 const struct xnh_link *to, struct xnh_undo *u);
int xnh_netbr_strip(struct xnh_nl *nl, const struct xnh_netbr_set *s,
		    const struct xnh_link *from, struct xnh_undo *u);

/* ---- netbr_step.c: network-bridge's link changes, each with its undo ---- */
int xnh_netbr_up(struct xnh_nl *nl, struct xnh_link *l, bool up, struct xnh_undo *u);
int xnh_netbr_rename(struct xnh_nl *nl, struct xnh_link *l, const char *to, struct xnh_undo *u);
int xnh_netbr_join(struct xnh_nl *nl, struct xnh_link *port, const struct xnh_link *br,
		   bool join, struct xnh_undo *u);
int xnh_netbr_bridge(struct xnh_nl *nl, const char *name, const struct xnh_link *nic,
		     struct xnh_link *out, struct xnh_undo *u);

/* ---- netbr_state.c: layout names, and the record start leaves for stop ---- */
struct xnh_netbr_state {
	char bridge[XNH_IFNAMSIZ];
	char nic[XNH_IFNAMSIZ];		/* the NIC's own name (netdev) */
	char port[XNH_IFNAMSIZ];	/* its name in the bridge: nic, or p<nic> */
	char tmp[XNH_IFNAMSIZ];		/* the bridge's name while nic's is taken */
	bool renamed;			/* the bridge takes the NIC's name */
	bool nic_up;			/* the NIC was up before start */
	bool antispoof;
	char boot[40];			/* the boot it was written in ("": unknown) */
};

int xnh_netbr_names(const char *netdev, const char *bridge, int nic_ifindex,
		    struct xnh_netbr_state *st);
int xnh_netbr_state_format(const struct xnh_netbr_state *st, char *buf, size_t len);
int xnh_netbr_state_parse(const char *text, struct xnh_netbr_state *st);
int xnh_netbr_state_path(const char *bridge, char *buf, size_t len);
int xnh_netbr_state_load(const char *bridge, struct xnh_netbr_state *st, char **text);
int xnh_netbr_state_save(const struct xnh_netbr_state *st, struct xnh_undo *u);
int xnh_netbr_state_drop(const char *bridge, const char *old, struct xnh_undo *u);

/* ---- netbr_plan.c: what network-bridge acts on, checked before any change ---- */
struct xnh_netbr {
	struct xnh_netbr_state st;	/* the layout asked for */
	struct xnh_netbr_state made;	/* start's record of it, when there is one */
	char *record;			/* that record as written, or NULL */
	struct xnh_link nic, br;	/* the NIC (by its port name), the bridge */
	bool has_br;			/* (br: whatever holds the bridge's name) */
	bool adopted;			/* the default route is on an admin's bridge: used as is */
	struct xnh_netbr_set set;	/* what moves */
	struct xnh_undo undo;
	int lock;			/* -1: not held */
};

#define XNH_NETBR_INIT { .lock = -1 }

struct xnh_run;
int xnh_netbr_prepare(struct xnh_run *r, struct xnh_netbr *nb, bool lock);
bool xnh_netbr_done(const struct xnh_netbr *nb);
bool xnh_netbr_name_taken(struct xnh_run *r, const char *name);
int xnh_netbr_start_check(struct xnh_run *r, struct xnh_netbr *nb);
int xnh_netbr_stop_check(struct xnh_run *r, struct xnh_netbr *nb);
void xnh_netbr_finish(struct xnh_netbr *nb);

/* ---- fw*.c: the guest firewall, tables `bridge xen` and `inet xen` (nftables) ---- */
#define XNH_FW_LAYOUT		4	/* the tables' layout version, in their comment */
#define XNH_FW_KEY_MAX		40	/* longest set key: ifname . ether_addr . ipv6_addr */
#define XNH_FW_VIF_ELEMS	(8 + 2 * XNH_IP_MAX)	/* inet: its arp table's too */

/* XNH_FW_ARP: `table arp xen`, the ARP of routed and NAT guests (inet's companion) */
enum xnh_fw_table { XNH_FW_BRIDGE, XNH_FW_INET, XNH_FW_ARP };

/* What a guest may send from: a vif's name, its MAC (bridged) and addresses. */
struct xnh_fw_vif {
	enum xnh_fw_table table;
	char ifname[XNH_IFNAMSIZ];
	bool has_mac;
	uint8_t mac[6];
	struct xnh_iplist ip;		/* none on a bridge: the MAC only is enforced */
	bool dhcp_server;		/* may answer DHCP/DHCPv6 clients */
	bool strict;			/* a family `ip` does not list is dropped */
};

struct xnh_fw_status {
	int layout;			/* version; 0: the table is missing; -1: not ours */
	uint64_t packets, bytes;	/* dropped by the guard */
};

struct mnl_socket;
struct nftnl_set;
struct xnh_fw_layout;
struct xnh_fw_batch;
struct xnh_run;
struct nlmsghdr;

struct xnh_fw {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
};

/* fw.c: the tables, made once, and their shared sets (fwbatch.c: the socket) */
int xnh_fw_open(struct xnh_fw *fw);
void xnh_fw_close(struct xnh_fw *fw);
int xnh_fw_ensure(struct xnh_fw *fw, enum xnh_fw_table t);
int xnh_fw_owned(struct xnh_fw *fw, enum xnh_fw_table t);
int xnh_fw_status(struct xnh_fw *fw, enum xnh_fw_table t, struct xnh_fw_status *st);
int xnh_fw_nat_uplink(struct xnh_fw *fw, const char *ifname, bool add);
int xnh_fw_nat_uplink_check(struct xnh_fw *fw, const char *ifname);
int xnh_fw_strict(struct xnh_fw *fw, const char *bridge, bool add);
int xnh_fw_strict_check(struct xnh_fw *fw, const char *bridge);

/* fwvif.c: one vif's elements, recorded so that offline removes exactly them */
int xnh_fw_policy(enum xnh_fw_table t, const struct xnh_iplist *ip, bool has_mac,
		  int antispoof);
int xnh_fw_vif_add(struct xnh_fw *fw, const struct xnh_fw_vif *v);
int xnh_fw_vif_del(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname);
int xnh_fw_vif_check(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname,
		     unsigned int *present, unsigned int *expected);
int xnh_fw_vif_format(const struct xnh_fw_vif *v, char *buf, size_t len);
int xnh_fw_vif_parse(const char *text, struct xnh_fw_vif *v);
int xnh_fw_vif_load(enum xnh_fw_table t, const char *ifname, struct xnh_fw_vif *v);
void xnh_fw_vif_open(const struct xnh_fw_vif *v, bool *open4, bool *open6);
int xnh_fw_records_put(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l);

/* fwrecords.c: the per-vif records, walked (a layout upgrade, xnet-guard) */
typedef int (*xnh_fw_record_cb)(enum xnh_fw_table t, const char *ifname, void *arg);
int xnh_fw_records_walk(enum xnh_fw_table t, xnh_fw_record_cb cb, void *arg);

/* fwhotplug.c: the vif programs' calls */
int xnh_fw_mac_load(struct xnh_run *r, uint8_t mac[6], bool *has_mac);
int xnh_fw_hotplug(struct xnh_run *r, enum xnh_fw_table t, const uint8_t *mac,
		   const char *bridge);
int xnh_fw_guard(struct xnh_run *r, enum xnh_fw_table t, const uint8_t *mac,
		 const char *bridge, bool on);
void xnh_fw_vif_status(struct xnh_run *r, struct xnh_status *s, enum xnh_fw_table t,
		       bool has_mac, const char *bridge);
void xnh_fw_nat_status(struct xnh_status *s, const char *ifname);

/* fwbatch.c: nft batches; every message acked, every ack read */
struct xnh_fw_msg {
	uint32_t seq;
	int err;			/* its ack: 0 or -errno; 1 until read */
	int tag;			/* the caller's: an element's index */
	char what[192];			/* in nft's words, for xnh_trace() */
};

struct xnh_fw_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq0;			/* BATCH_BEGIN's */
	struct nlmsghdr *cur;		/* the message being filled */
	struct xnh_fw_msg *msg;
	unsigned int n, nmax;
	int err;			/* sticky: the first failure while building */
	int begin_err;			/* an ack of BATCH_BEGIN (ERESTART: stale genid) */
	bool quiet;			/* already traced (a retry) */
	bool ended;			/* BATCH_END is in */
};

int xnh_fw_batch_init(struct xnh_fw_batch *b, struct xnh_fw *fw, uint32_t genid);
struct nlmsghdr *xnh_fw_batch_put(struct xnh_fw_batch *b, struct xnh_fw *fw, uint16_t type,
				  uint16_t family, uint16_t flags, int tag, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
int xnh_fw_batch_end(struct xnh_fw_batch *b, struct xnh_fw *fw);
void xnh_fw_batch_free(struct xnh_fw_batch *b);
int xnh_fw_acks_parse(struct xnh_fw_batch *b, const void *buf, size_t len);
int xnh_fw_batch_result(const struct xnh_fw_batch *b);
int xnh_fw_batch_send(struct xnh_fw *fw, struct xnh_fw_batch *b);

/* fwquery.c: reading the tables back */
typedef int (*xnh_fw_msg_cb)(const struct nlmsghdr *nlh, void *arg);

int xnh_fw_talk(struct xnh_fw *fw, struct nlmsghdr *nlh, xnh_fw_msg_cb cb, void *arg);
int xnh_fw_table_version(struct xnh_fw *fw, enum xnh_fw_table t, int *version);
int xnh_fw_genid(struct xnh_fw *fw, uint32_t *genid);
int xnh_fw_counter(struct xnh_fw *fw, enum xnh_fw_table t, uint64_t *pkts, uint64_t *bytes);
int xnh_fw_version_parse(const void *udata, size_t len);
int xnh_fw_set_get(struct xnh_fw *fw, const struct xnh_fw_layout *l, const char *name,
		   struct nftnl_set **out);

/* fwlayout.c: the sets of each table, and the table built in one batch */
enum xnh_fw_field { XNH_FWF_IFNAME, XNH_FWF_ETHER, XNH_FWF_IPV4, XNH_FWF_IPV6 };

struct xnh_fw_set {
	const char *name;
	unsigned int nfields;
	enum xnh_fw_field field[3];
	bool interval;			/* address ranges (a concatenated interval set) */
	bool per_vif;			/* each element begins with a vif's name */
};

struct xnh_fw_layout {
	enum xnh_fw_table table;
	uint16_t family;		/* NFPROTO_BRIDGE or NFPROTO_INET */
	const char *family_name;
	const struct xnh_fw_set *sets;
	unsigned int nsets;
	int (*rules)(struct xnh_fw_batch *b, struct xnh_fw *fw);
};

const struct xnh_fw_layout *xnh_fw_layout_of(enum xnh_fw_table t);
const struct xnh_fw_set *xnh_fw_set_find(const struct xnh_fw_layout *l, const char *name);
const struct xnh_fw_layout *xnh_fw_set_layout(const struct xnh_fw_set *s);
unsigned int xnh_fw_field_len(enum xnh_fw_field f);
unsigned int xnh_fw_set_keylen(const struct xnh_fw_set *s);
uint32_t xnh_fw_set_keytype(const struct xnh_fw_set *s);
int xnh_fw_layout_build(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l);

/* fwexpr.c, fwrules.c: the fixed rules, one helper per nft expression */
struct nftnl_rule;

struct xnh_fw_rule {
	struct nftnl_rule *r;
	int err;			/* sticky: the first failure */
	uint32_t reg;			/* next free 32-bit register of a concatenation */
	bool bridge;			/* the bridge family: ether type, not nfproto */
};

int xnh_fw_rule_start(struct xnh_fw_rule *rb, const struct xnh_fw_layout *l, const char *chain);
int xnh_fw_rule_put(struct xnh_fw_rule *rb, struct xnh_fw_batch *b, struct xnh_fw *fw,
		    const struct xnh_fw_layout *l, const char *what);
void xnh_fwx_meta(struct xnh_fw_rule *rb, uint32_t key);
void xnh_fwx_payload(struct xnh_fw_rule *rb, uint32_t base, uint32_t off, uint32_t len);
void xnh_fwx_cmp(struct xnh_fw_rule *rb, uint32_t op, const void *data, uint32_t len);
void xnh_fwx_mask(struct xnh_fw_rule *rb, const void *mask, uint32_t len);
void xnh_fwx_lookup(struct xnh_fw_rule *rb, const char *set, bool inv);
void xnh_fwx_counter(struct xnh_fw_rule *rb, const char *name);
void xnh_fwx_verdict(struct xnh_fw_rule *rb, int verdict);
void xnh_fwx_masq(struct xnh_fw_rule *rb);
void xnh_fwx_l3(struct xnh_fw_rule *rb, uint16_t ethertype);
void xnh_fwx_l4proto(struct xnh_fw_rule *rb, uint8_t proto);
void xnh_fwx_icmpv6_type(struct xnh_fw_rule *rb, uint8_t type);
void xnh_fwx_jump(struct xnh_fw_rule *rb, const char *chain);
void xnh_fwx_exthdr6(struct xnh_fw_rule *rb, uint8_t type, uint32_t off, uint32_t len,
		     bool present);
void xnh_fwx_ct(struct xnh_fw_rule *rb, uint32_t key);
int xnh_fw_bridge_rules(struct xnh_fw_batch *b, struct xnh_fw *fw);
int xnh_fw_inet_rules(struct xnh_fw_batch *b, struct xnh_fw *fw);
int xnh_fw_arp_rules(struct xnh_fw_batch *b, struct xnh_fw *fw);

/* fwelem.c, fwset.c: set elements: keys, messages, lookups, batches, dumps */
struct xnh_fw_elem {
	const struct xnh_fw_set *set;
	uint8_t key[XNH_FW_KEY_MAX];
	uint8_t key_end[XNH_FW_KEY_MAX];	/* a range's last key */
	unsigned int len;
	bool range;
};

bool xnh_fw_inet_is_net(const struct xnh_inet *a);
int xnh_fw_elem_make(const struct xnh_fw_set *s, const char *ifname, const uint8_t *mac,
		     const struct xnh_inet *a, struct xnh_fw_elem *e);
int xnh_fw_vif_elems(const struct xnh_fw_vif *v, struct xnh_fw_elem *e, size_t max);
int xnh_fw_elem_describe(const struct xnh_fw_elem *e, char *buf, size_t len);
int xnh_fw_elem_put(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l,
		    const struct xnh_fw_elem *e, size_t n, uint16_t type, int tag);
int xnh_fw_elem_get(struct xnh_fw *fw, const struct xnh_fw_layout *l,
		    const struct xnh_fw_elem *e);
int xnh_fw_elems_apply(struct xnh_fw *fw, const struct xnh_fw_layout *l,
		       const struct xnh_fw_elem *del, size_t ndel,
		       const struct xnh_fw_elem *add, size_t nadd);
int xnh_fw_set_dump(struct xnh_fw *fw, const struct xnh_fw_layout *l, const struct xnh_fw_set *s,
		    const char *ifname, struct xnh_fw_elem **e, size_t *n);

/* ---- check.c: checks several `status` commands make (one line each) ---- */
struct xnh_sysctl_check {
	const char *what;		/* the claim: "IPv4 forwarding is on" */
	const char *path;		/* under /proc/sys */
	const char *want;
	const char *all;		/* a conf/all twin that does as well (proxy_arp), or NULL */
	enum xnh_verdict bad;		/* when it is not @want: XNH_FAIL, or XNH_WARN */
	const char *by;			/* whose job it is: "network-route start", or NULL */
};

void xnh_check_fix_online(const struct xnh_run *r, char *buf, size_t len);
enum xnh_verdict xnh_check_sysctl(struct xnh_status *s, const struct xnh_sysctl_check *c);
enum xnh_verdict xnh_check_dev_sysctl(struct xnh_status *s, struct xnh_sysctl_check *c,
				      const char *family, const char *dev, const char *name,
				      bool or_all);
void xnh_check_hotplug(struct xnh_run *r, struct xnh_status *s);
enum xnh_verdict xnh_check_addr(struct xnh_run *r, struct xnh_status *s,
				const struct xnh_link *l, const struct xnh_inet *a,
				const char *why);
enum xnh_verdict xnh_check_route(struct xnh_run *r, struct xnh_status *s, const char *dev,
				 const struct xnh_route *rt);

/* ---- main.c: the shared driver; each program is a table of handlers ---- */
struct xnh_run {
	struct xnh_ctx ctx;
	struct xnh_store st;
	struct xnh_nl nl;
	const struct xnh_cmd *cmd;
	bool skipped;			/* a run that was not ours (type_if mismatch) */
	/* Set by an online once it has made its changes: a failure after
	 * that (reporting connected) runs it to take them back. */
	int (*undo)(struct xnh_run *r);
};

typedef int (*xnh_handler)(struct xnh_run *r);

struct xnh_cmd {
	const char *name;
	xnh_handler fn;
	unsigned int flags;		/* XNH_CMD_* */
};

/* A read-only command (status): XENBUS_PATH optional, nothing written to
 * xenstore or the hotplug log, no hooks; its handler returns 1 when a
 * check failed (exit 1 without a hotplug-error). */
#define XNH_CMD_READONLY	0x1

#define XNH_PROG_VIF	0x1		/* a per-vif program: needs XENBUS_PATH */
#define XNH_PROG_BRIDGE	0x2		/* it reads the vif's `bridge` key */

struct xnh_prog {
	const char *name;
	unsigned int flags;
	const char *usage;
	const struct xnh_cmd *cmds;	/* ends with { NULL, NULL } */
};

int xnh_main(const struct xnh_prog *p, int argc, char **argv);
bool xnh_cmd_is(const struct xnh_run *r, const char *name);
bool xnh_cmd_up(const struct xnh_run *r);
int xnh_run_lock(struct xnh_run *r, const char *name, int *fd);

/* ---- hooks.c: <script dir>/vif-post.d/NAME.hook ---- */
const char *xnh_hook_dir(void);
int xnh_hooks_run(const struct xnh_run *r, const struct timespec *deadline,
		  void (*fail)(const char *hook, int status));
void xnh_watchdog_waiting(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- rename.c: the `vifname` key ---- */
int xnh_vifname_load(struct xnh_run *r);
int xnh_vif_find(struct xnh_run *r, struct xnh_link *out);
int xnh_vif_rename(struct xnh_run *r);
void xnh_vif_rename_undo(struct xnh_run *r);
int xnh_vif_mine(struct xnh_run *r);
int xnh_vif_down(struct xnh_run *r);

/* ---- report.c: hotplug-status and hotplug-error ---- */
int xnh_report_connected(struct xnh_run *r);
void xnh_report_error(struct xnh_run *r, int err);

#endif
