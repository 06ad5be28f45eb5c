/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-stop.c: fw-tool stop: answers read only in part leave the handle usable. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <string.h>

#include "fw-tool.h"

static int refuse(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	++*(int *)arg;
	return -ECANCELED;
}

/* Asks for set @name (its elements with @type GETSETELEM, a dump) and
 * refuses the first answer; then the next request on the same handle. */
static int stop_then_ask(struct xnh_fw *fw, enum xnh_fw_table t, const char *name, int type)
{
	const struct xnh_fw_layout *l = xnh_fw_layout_of(t);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	int seen = 0, r, v = -1;
	bool dump = type == NFT_MSG_GETSETELEM;

	if (!s)
		return -ENOMEM;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, "xen");
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nlh = nftnl_nlmsg_build_hdr(buf, (uint16_t)type, l->family,
				    dump ? NLM_F_DUMP : NLM_F_ACK, fw->seq++);
	if (dump)
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
	else
		nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	r = xnh_fw_talk(fw, nlh, refuse, &seen);
	printf("%s %s: stopped after %d answer(s): %s\n", dump ? "dump" : "get", name, seen,
	       strerror(-r));
	if (r != -ECANCELED)
		return r < 0 ? r : -EPROTO;
	r = xnh_fw_table_version(fw, t, &v);
	printf("then the table's layout: %d (%s)\n", v, r < 0 ? strerror(-r) : "ok");
	return r < 0 ? r : v == XNH_FW_LAYOUT ? 0 : -EPROTO;
}

/* stop bridge|inet SET: a dump of the set's elements, and a request for
 * the set itself, each stopped at its first answer by the callback; the
 * request after each must get its own answer, not the rest of theirs. */
int stop(struct xnh_fw *fw, enum xnh_fw_table t, const char *set)
{
	int r = stop_then_ask(fw, t, set, NFT_MSG_GETSETELEM);

	if (r >= 0)
		r = stop_then_ask(fw, t, set, NFT_MSG_GETSET);
	return r;
}
