/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fwnetdev.c: the guard of a vif on Open vSwitch: a netdev ingress chain of its own. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include "text/text.h"
#include "sys/sys.h"
#include "run/run.h"
#include "fw/fw.h"

/* No bridge sees a vif's frames on Open vSwitch, so no `table bridge xen`
 * either: its policy is put in a base chain on the vif's own ingress hook
 * (`table netdev xen`, chain named after the vif), with the guest's MAC
 * and addresses as constants. The kernel datapath (an rx_handler) runs
 * after that hook. Linux 6.1 removes the base chain with its device
 * (newer kernels keep it, without one); offline deletes what is left. */
#define PRIO	(-300)

const struct xnh_fw_layout xnh_fw_netdev = {
	.table = XNH_FW_BRIDGE, .family = NFPROTO_NETDEV, .family_name = "netdev",
};

/* @add: add chain netdev xen @name (on the ingress hook of @hook_dev, if
 * given: a base chain) and flush it; else delete it, its rules with it. */
int xnh_fwn_chain(struct xnh_fw_batch *b, struct xnh_fw *fw, const char *name,
		  const char *hook_dev, bool add)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;
	char hook[96] = "";

	if (ch && r) {
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, "xen");
		nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
		if (add && hook_dev) {
			nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "filter");
			nftnl_chain_set_str(ch, NFTNL_CHAIN_DEV, hook_dev);
			nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, NF_NETDEV_INGRESS);
			nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, PRIO);
			nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
			snprintf(hook, sizeof(hook), " { type filter hook ingress device %s priority"
				 " %d; policy accept; }", hook_dev, PRIO);
		}
		nlh = xnh_fw_batch_put(b, fw, add ? NFT_MSG_NEWCHAIN : NFT_MSG_DELCHAIN,
				       NFPROTO_NETDEV, add ? NLM_F_CREATE : 0, -1,
				       "%s chain netdev xen \"%s\"%s", add ? "add" : "delete", name,
				       hook);
		if (nlh)
			nftnl_chain_nlmsg_build_payload(nlh, ch);
	}
	if (ch && r && add) {
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "xen");
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, name);
		nlh = xnh_fw_batch_put(b, fw, NFT_MSG_DELRULE, NFPROTO_NETDEV, 0, -1,
				       "flush chain netdev xen \"%s\"", name);
		if (nlh)
			nftnl_rule_nlmsg_build_payload(nlh, r);
	}
	nftnl_chain_free(ch);
	nftnl_rule_free(r);
	return ch && r ? b->err : -ENOMEM;
}

/* add table netdev xen; then the vif's base chain, flushed */
static int put_chain(struct xnh_fw_batch *b, struct xnh_fw *fw, const char *dev)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "xen");
	nlh = xnh_fw_batch_put(b, fw, NFT_MSG_NEWTABLE, NFPROTO_NETDEV, NLM_F_CREATE, -1,
			       "add table netdev xen");
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return b->err < 0 ? b->err : xnh_fwn_chain(b, fw, dev, dev, true);
}

/* The batch that guards @v (@v NULL: that removes the guard of @dev),
 * built without sending it: the unit tests read it back. */
int xnh_fw_netdev_build(struct xnh_fw_batch *b, struct xnh_fw *fw, const struct xnh_fw_vif *v,
			const char *dev)
{
	int r = xnh_fw_batch_init(b, fw, 0);

	if (r >= 0 && v)
		r = put_chain(b, fw, v->ifname);
	if (r >= 0 && v)
		r = xnh_fw_netdev6_chains(b, fw, v->ifname, true);
	if (r >= 0 && v)
		r = xnh_fw_netdev_rules(b, fw, v);
	if (r >= 0 && !v)
		r = xnh_fwn_chain(b, fw, dev, NULL, false);
	if (r >= 0 && !v)
		r = xnh_fw_netdev6_chains(b, fw, dev, false);
	return r;
}

/* XNET_FAIL_AT=fw_batch: the batch fails before the kernel sees it. */
static int send_batch(struct xnh_fw *fw, const struct xnh_fw_vif *v, const char *dev)
{
	struct xnh_fw_batch b;
	int r = xnh_fw_netdev_build(&b, fw, v, dev);

	if (r >= 0)
		r = xnh_fault("fw_batch", -EIO);
	if (r >= 0)
		r = xnh_fw_batch_send(fw, &b);
	xnh_fw_batch_free(&b);
	return r;
}

/* The vif's other chains, when its base chain went with its device: no
 * rule jumps to them any more. None (an older online, no table) is fine. */
static int del_own_chains(struct xnh_fw *fw, const char *dev)
{
	struct xnh_fw_batch b;
	int r = xnh_fw_batch_init(&b, fw, 0);

	if (r >= 0)
		r = xnh_fw_netdev6_chains(&b, fw, dev, false);
	if (r >= 0)
		r = xnh_fw_batch_send(fw, &b);
	xnh_fw_batch_free(&b);
	return r == -ENOENT ? 0 : r;
}

static int antispoof(const struct xnh_ctx *c)
{
	return c->val[XNH_K_ANTISPOOF] ? xnh_ctx_bool(c, XNH_K_ANTISPOOF, false) : -1;
}

/* The vif's guard wanted (@mac from xnh_fw_mac_load()), 1, or not, 0. */
int xnh_fw_netdev_wanted(const struct xnh_run *r, bool has_mac)
{
	return xnh_fw_policy(XNH_FW_BRIDGE, &r->ctx.ip, has_mac, antispoof(&r->ctx));
}

static void describe(struct xnh_ctx *c, struct xnh_fw *fw, int err)
{
	const char *k = xnh_fw_ext_msg(fw, err);

	xnh_ctx_fail(c, err, "guest firewall of %s (nft table netdev xen): %s%s%s%s", c->dev,
		     strerror(-err), k ? " (kernel: " : "", k ? k : "", k ? ")" : "");
}

/* @on: the vif's chain, made before it forwards; off: gone (also when
 * the vif, and so the chain, is gone already). */
int xnh_fw_netdev_guard(struct xnh_run *r, const uint8_t *mac, bool on)
{
	struct xnh_ctx *c = &r->ctx;
	struct xnh_fw fw = { 0 };
	struct xnh_fw_vif v;
	int g = xnh_fw_netdev_wanted(r, mac != NULL), ret = xnh_fault("nft", -EPROTONOSUPPORT);

	if (!ret)
		ret = xnh_fw_open(&fw);
	if (ret < 0 && (!on || g <= 0))
		return 0;
	if (ret < 0)
		return xnh_ctx_fail(c, ret, "cannot guard %s: nftables cannot be used (%s); load"
				    " nf_tables, or run the guest unguarded with antispoof=no",
				    c->dev, strerror(-ret));
	memset(&v, 0, sizeof(v));
	snprintf(v.ifname, sizeof(v.ifname), "%s", c->dev);
	v.table = XNH_FW_BRIDGE;
	v.has_mac = mac != NULL;
	if (mac)
		memcpy(v.mac, mac, sizeof(v.mac));
	v.ip = c->ip;
	ret = send_batch(&fw, on && g > 0 ? &v : NULL, c->dev);
	if (ret == -ENOENT && !(on && g > 0))	/* the kernel took the base chain */
		ret = del_own_chains(&fw, c->dev);	/* with its device */
	if (ret < 0)
		describe(c, &fw, ret);
	xnh_fw_close(&fw);
	return ret < 0 ? ret : 0;
}

static int chain_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	*(int *)arg = 1;
	return 0;
}

static int chain_there(struct xnh_fw *fw, const char *name)
{
	char buf[512];
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *nlh;
	int found = 0, r = ch ? 0 : -ENOMEM;

	if (r >= 0) {
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, "xen");
		nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, NFPROTO_NETDEV, NLM_F_ACK,
					    fw->seq++);
		nftnl_chain_nlmsg_build_payload(nlh, ch);
		r = xnh_fw_talk(fw, nlh, chain_cb, &found);
	}
	nftnl_chain_free(ch);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : found;
}

/* 1 when the vif's chains are there (its own, VIF/nd and VIF/frag6: one
 * made by an older xnet has no others), 0 when not, or -errno. */
int xnh_fw_netdev_check(const char *dev)
{
	static const char *const sub[] = { "", "/nd", "/frag6" };
	char name[XNH_IFNAMSIZ + 8];
	struct xnh_fw fw = { 0 };
	int r = xnh_fw_open(&fw);
	size_t i;

	for (i = 0; r >= 0 && i < sizeof(sub) / sizeof(sub[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", dev, sub[i]);
		r = chain_there(&fw, name);
		if (r == 0)
			break;
	}
	xnh_fw_close(&fw);
	return r;
}
