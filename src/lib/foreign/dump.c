/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dump.c: every chain and rule of the current netns, read with libmnl/libnftnl. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ruleset.h"

#define DUMP_SIZE	32768	/* what one recvmsg() of a dump may bring */
#define TRIES		5	/* dumps a concurrent change may interrupt */

struct dump {
	struct xnf_ruleset *rs;
	int err;
	bool intr;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 8;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, c * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

static void copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

const struct xnf_chain *xnf_chain_find(const struct xnf_ruleset *rs, uint32_t family,
				       const char *table, const char *name)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct xnf_chain *c = &rs->chains[i];

		if (c->family == family && !strcmp(c->table, table) && !strcmp(c->name, name))
			return c;
	}
	return NULL;
}

static int chain_add(struct xnf_ruleset *rs, struct nftnl_chain *nc)
{
	struct xnf_chain *c;
	int r = grow((void **)&rs->chains, &rs->cap, rs->n, sizeof(*c));

	if (r < 0)
		return r;
	c = &rs->chains[rs->n++];
	memset(c, 0, sizeof(*c));
	copy(c->table, sizeof(c->table), nftnl_chain_get_str(nc, NFTNL_CHAIN_TABLE));
	copy(c->name, sizeof(c->name), nftnl_chain_get_str(nc, NFTNL_CHAIN_NAME));
	c->family = nftnl_chain_get_u32(nc, NFTNL_CHAIN_FAMILY);
	c->base = nftnl_chain_is_set(nc, NFTNL_CHAIN_HOOKNUM);
	if (c->base) {
		c->hook = nftnl_chain_get_u32(nc, NFTNL_CHAIN_HOOKNUM);
		c->policy = nftnl_chain_is_set(nc, NFTNL_CHAIN_POLICY) ?
			nftnl_chain_get_u32(nc, NFTNL_CHAIN_POLICY) : NF_ACCEPT;
	}
	return 0;
}

/* A rule goes to its chain, whose rules the dump gives in their order; a
 * rule of a chain made after the chains' dump is left out. */
static int rule_add(struct xnf_ruleset *rs, struct nftnl_rule *nr)
{
	struct xnf_chain *c = (struct xnf_chain *)xnf_chain_find(rs,
		nftnl_rule_get_u32(nr, NFTNL_RULE_FAMILY),
		nftnl_rule_get_str(nr, NFTNL_RULE_TABLE),
		nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN));
	int r;

	if (!c)
		return 0;
	r = grow((void **)&c->rules, &c->cap, c->nrules, sizeof(*c->rules));
	if (r < 0)
		return r;
	c->rules[c->nrules++] = nr;
	return 1;
}

static int data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;
	int type = nlh->nlmsg_type & 0xff, r = -ENOMEM;

	d->intr |= !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
	if (type == NFT_MSG_NEWCHAIN) {
		struct nftnl_chain *c = nftnl_chain_alloc();

		if (c) {
			r = nftnl_chain_nlmsg_parse(nlh, c) < 0 ? -EBADMSG : chain_add(d->rs, c);
			nftnl_chain_free(c);
		}
	} else if (type == NFT_MSG_NEWRULE) {
		struct nftnl_rule *rl = nftnl_rule_alloc();

		if (rl)
			r = nftnl_rule_nlmsg_parse(nlh, rl) < 0 ? -EBADMSG : rule_add(d->rs, rl);
		if (rl && r <= 0)
			nftnl_rule_free(rl);	/* not kept by a chain */
	} else {
		r = 0;
	}
	if (r < 0) {
		d->err = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Reads the answers to request @seq until the dump's end. */
static int dump_read(struct mnl_socket *nl, uint32_t seq, struct dump *d)
{
	char buf[DUMP_SIZE];
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		r = mnl_cb_run(buf, (size_t)n, seq, portid, data_cb, d);
		if (r < 0)
			return d->err ? d->err : -errno;
		if (r == MNL_CB_STOP)
			return d->intr ? -EAGAIN : 0;
	}
}

/* One dump request on a fresh socket (a dump stopped part-way would leave
 * its rest queued for the next request): -EAGAIN when interrupted. */
static int dump_one(struct xnf_ruleset *rs, uint16_t msg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump d = { rs, 0, false };
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *nlh;
	int r;

	if (!nl)
		return -errno;
	r = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ? -errno : 0;
	if (r < 0)
		goto out;
	nlh = nftnl_nlmsg_build_hdr(buf, msg, NFPROTO_UNSPEC, NLM_F_DUMP, seq);
	r = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
	if (r == 0)
		r = dump_read(nl, seq, &d);
out:
	mnl_socket_close(nl);
	return r;
}

void xnf_ruleset_free(struct xnf_ruleset *rs)
{
	size_t i, j;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->chains[i].nrules; j++)
			nftnl_rule_free(rs->chains[i].rules[j]);
		free(rs->chains[i].rules);
	}
	free(rs->chains);
	memset(rs, 0, sizeof(*rs));
}

/* Whether another owner has a base chain on the forward hook: without
 * one, nothing of anyone's can drop a guest's forwarded traffic, and the
 * rules need not be read (xnet's own tables are the common case). */
static bool foreign_forward(const struct xnf_ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct xnf_chain *c = &rs->chains[i];

		if (c->base && c->hook == NF_INET_FORWARD &&
		    (strcmp(c->table, "xen") || c->family == NFPROTO_IPV4 ||
		     c->family == NFPROTO_IPV6))
			return true;
	}
	return false;
}

/* The chains, then their rules (when any chain is another owner's on the
 * forward hook); both again when a change interrupted either. */
int xnf_ruleset_dump(struct xnf_ruleset *rs)
{
	int i, r = -EAGAIN;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < TRIES && r == -EAGAIN; i++) {
		xnf_ruleset_free(rs);
		r = dump_one(rs, NFT_MSG_GETCHAIN);
		if (r == 0 && foreign_forward(rs))
			r = dump_one(rs, NFT_MSG_GETRULE);
	}
	if (r < 0)
		xnf_ruleset_free(rs);
	return r;
}
