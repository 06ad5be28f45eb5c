/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw/: the guest firewall in nftables (doc/firewall.md): tables `bridge
 * xen`, `inet xen` and `arp xen`, made once in one batch with their layout
 * version; each guarded vif's elements (its name, MAC and addresses) in
 * the tables' sets, added in one batch before the vif forwards, recorded
 * in the state directory so that offline removes exactly them, and walked
 * by xnet-guard to put them back; the vif programs' calls (fwhotplug.c)
 * and their status. Every message acked, the kernel's reason kept. Uses
 * text/, sys/, store/ and run/, and libmnl/libnftnl. */
#ifndef XNH_FW_H
#define XNH_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/text.h"
#include "run/run.h"

#define XNH_FW_LAYOUT		6	/* the tables' layout version, in their comment */
#define XNH_FW_KEY_MAX		44	/* longest key: iface_index . ifname . ether_addr . ipv6_addr */
#define XNH_FW_GONE_MAX		128	/* retired vifs kept before an offline sweeps them */
#define XNH_FW_VIF_ELEMS	(8 + 2 * XNH_IP_MAX)	/* inet: its arp table's too */

/* XNH_FW_ARP: `table arp xen`, the ARP of routed and NAT guests (inet's companion) */
enum xnh_fw_table { XNH_FW_BRIDGE, XNH_FW_INET, XNH_FW_ARP };

/* What a guest may send from: a vif's index and name, its MAC (bridged)
 * and addresses. Every element is keyed by index and name: the kernel
 * never gives a new interface the index of a gone one (short of a wrap
 * of 2^31 or an index asked for by root), and a name is unique while its
 * interface exists, so an element of a gone vif matches nothing. */
struct xnh_fw_vif {
	enum xnh_fw_table table;
	uint32_t ifindex;		/* 0: looked up by name when needed */
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
struct xnh_fw_elem;
struct xnh_run;
struct nlmsghdr;

struct xnh_fw {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	int err;			/* the kernel's answer to the last request or batch */
	char ext_msg[160];		/* and its reason (extended ack), if it gave one */
};

/* fw.c: the tables, made once, and their shared sets (fwbatch.c: the socket) */
int xnh_fw_open(struct xnh_fw *fw);
void xnh_fw_close(struct xnh_fw *fw);
int xnh_fw_ensure(struct xnh_fw *fw, enum xnh_fw_table t);
int xnh_fw_owned(struct xnh_fw *fw, enum xnh_fw_table t);
int xnh_fw_status(struct xnh_fw *fw, enum xnh_fw_table t, struct xnh_fw_status *st);
int xnh_fw_nat_uplink(struct xnh_fw *fw, const char *ifname, bool add);
int xnh_fw_nat_uplink_check(struct xnh_fw *fw, const char *ifname);
int xnh_fw_nat_source(struct xnh_fw *fw, const struct xnh_inet *a, bool add);
int xnh_fw_nat_source_check(struct xnh_fw *fw, const struct xnh_inet *a);
int xnh_fw_strict(struct xnh_fw *fw, const char *bridge, bool add);
int xnh_fw_strict_check(struct xnh_fw *fw, const char *bridge);

/* fwvif.c: one vif's elements, recorded so that offline removes exactly them */
int xnh_fw_policy(enum xnh_fw_table t, const struct xnh_iplist *ip, bool has_mac,
		  int antispoof);
int xnh_fw_vif_add(struct xnh_fw *fw, const struct xnh_fw_vif *v);
int xnh_fw_vif_del(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname);
int xnh_fw_vif_retire(enum xnh_fw_table t, const char *ifname);
int xnh_fw_vif_unguard(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname);
int xnh_fw_vif_check(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname,
		     unsigned int *present, unsigned int *expected);
int xnh_fw_vif_format(const struct xnh_fw_vif *v, char *buf, size_t len);
int xnh_fw_vif_parse(const char *text, struct xnh_fw_vif *v);
int xnh_fw_vif_load(enum xnh_fw_table t, const char *ifname, struct xnh_fw_vif *v);
void xnh_fw_vif_open(const struct xnh_fw_vif *v, bool *open4, bool *open6);
int xnh_fw_records_put(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l);
int xnh_fw_vif_ifindex(struct xnh_fw_vif *v);

/* fwgone.c: offline retires a vif's record (state dir, fw-gone/TABLE-IFINDEX)
 * instead of deleting its elements, which then match nothing (a delete
 * costs an RCU grace period at the socket's close); an online of the same
 * index takes them back, and a sweep deletes many in one batch. */
struct xnh_fw_gone;
int xnh_fw_gone_lock(bool exclusive);
void xnh_fw_gone_unlock(int fd);
int xnh_fw_gone_retire(enum xnh_fw_table t, const char *ifname, const struct xnh_fw_vif *rec);
int xnh_fw_gone_take(struct xnh_fw *fw, enum xnh_fw_table t, uint32_t ifindex,
		     struct xnh_fw_elem **e, size_t *n);
int xnh_fw_gone_drop(enum xnh_fw_table t, uint32_t ifindex);
bool xnh_fw_gone_has(enum xnh_fw_table t, uint32_t ifindex);
int xnh_fw_gone_source(const struct xnh_inet *a, bool retire);
int xnh_fw_gone_count(void);
int xnh_fw_gone_sweep(struct xnh_fw *fw);

/* fwrecords.c: the per-vif records: written, removed, walked (a layout
 * upgrade, xnet-guard); the elements a vif may have now */
int xnh_fw_record_write(const struct xnh_fw_vif *v, const struct xnh_fw_vif *was);
int xnh_fw_record_remove(enum xnh_fw_table t, const char *ifname);
int xnh_fw_record_retire(enum xnh_fw_table t, const char *ifname, uint32_t keep);
int xnh_fw_vif_current(struct xnh_fw *fw, enum xnh_fw_table t, const char *ifname,
		       struct xnh_fw_elem **e, size_t *n, struct xnh_fw_vif *rec);
size_t xnh_fw_elems_stale(struct xnh_fw_elem *old, size_t nold, const struct xnh_fw_elem *new,
			  size_t nnew);
size_t xnh_fw_elems_keep(struct xnh_fw_elem *e, size_t n, enum xnh_fw_table t);
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
bool xnh_fw_undoing(void);

/* fwbatch.c: nft batches; every message acked, every ack read */
struct xnh_fw_msg {
	uint32_t seq;
	int err;			/* its ack: 0 or -errno; 1 until read */
	int tag;			/* the caller's: an element's index */
	char what[192];			/* in nft's words, for xnh_trace() */
	char *ext;			/* the kernel's reason for its error, or NULL */
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
int xnh_fw_ext_parse(const struct nlmsghdr *nlh, char *buf, size_t len);
void xnh_fw_ext_keep(struct xnh_fw *fw, const struct xnh_fw_batch *b, int err);
const char *xnh_fw_ext_msg(const struct xnh_fw *fw, int err);

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
enum xnh_fw_field { XNH_FWF_IFNAME, XNH_FWF_ETHER, XNH_FWF_IPV4, XNH_FWF_IPV6, XNH_FWF_IFINDEX };

struct xnh_fw_set {
	const char *name;
	unsigned int nfields;
	enum xnh_fw_field field[4];
	bool interval;			/* address ranges (a concatenated interval set) */
	bool per_vif;			/* each element begins with a vif's index and name */
};

struct xnh_fw_layout {
	enum xnh_fw_table table;
	uint16_t family;		/* NFPROTO_BRIDGE or NFPROTO_INET */
	const char *family_name;
	const struct xnh_fw_set *sets;
	unsigned int nsets;
	int (*rules)(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_layout *l);
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
int xnh_fw_bridge_rules(struct xnh_fw_batch *b, struct xnh_fw *fw,
		     const struct xnh_fw_layout *l);
int xnh_fw_inet_rules(struct xnh_fw_batch *b, struct xnh_fw *fw,
		      const struct xnh_fw_layout *l);
int xnh_fw_arp_rules(struct xnh_fw_batch *b, struct xnh_fw *fw,
		     const struct xnh_fw_layout *l);

/* fwelem.c, fwset.c: set elements: keys, messages, lookups, batches, dumps */
struct xnh_fw_elem {
	const struct xnh_fw_set *set;
	uint8_t key[XNH_FW_KEY_MAX];
	uint8_t key_end[XNH_FW_KEY_MAX];	/* a range's last key */
	unsigned int len;
	bool range;
};

bool xnh_fw_inet_is_net(const struct xnh_inet *a);
int xnh_fw_elem_make(const struct xnh_fw_set *s, uint32_t ifindex, const char *ifname,
		     const uint8_t *mac, const struct xnh_inet *a, struct xnh_fw_elem *e);
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

/* fwnetdev.c: a vif on Open vSwitch: its own chain in table netdev xen,
 * on its ingress hook, with the bridge guard's policy as constants */
int xnh_fw_netdev_build(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_vif *v,
			const char *dev);
int xnh_fw_netdev_wanted(const struct xnh_run *r, bool has_mac);
int xnh_fw_netdev_guard(struct xnh_run *r, const uint8_t *mac, bool on);
int xnh_fw_netdev_check(const char *dev);

/* its rules (fwnetdevrules.c; fwnetdev6.c: IPv6 neighbours, fragments) */
struct xnh_fwn {
	struct xnh_fw_batch *b;
	struct xnh_fw *fw;
	const struct xnh_fw_vif *v;
	struct xnh_fw_rule rb;
	int err;
};

extern const struct xnh_fw_layout xnh_fw_netdev;
struct xnh_fw_rule *xnh_fwn_start_in(struct xnh_fwn *c, const char *chain);
void xnh_fwn_put(struct xnh_fwn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xnh_fwn_proto(struct xnh_fw_rule *rb, uint16_t ethertype);
void xnh_fwn_drop(struct xnh_fw_rule *rb);
void xnh_fwn_addr_cmp(struct xnh_fw_rule *rb, uint32_t base, uint32_t off,
		      const struct xnh_inet *a, uint32_t op);
void xnh_fw_eui64_link_local(const uint8_t *mac, struct xnh_inet *a);
int xnh_fwn_chain(struct xnh_fw_batch *b, struct xnh_fw *fw, const char *name,
		  const char *hook_dev, bool add);
int xnh_fw_netdev_rules(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_vif *v);
int xnh_fw_netdev6_chains(struct xnh_fw_batch *b, struct xnh_fw *fw, const char *dev, bool add);
void xnh_fw_netdev6_base(struct xnh_fwn *c);
void xnh_fw_netdev6_chain_rules(struct xnh_fwn *c);

#endif
