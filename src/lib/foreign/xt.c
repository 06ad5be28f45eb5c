/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xt.c: the iptables matches that iptables-nft leaves as xt expressions. */
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_physdev.h>
#include <linux/netfilter/xt_state.h>
#include <stddef.h>
#include <string.h>

#include "ruleset.h"

#define UNSURE	(-1)

/* As the kernel's ifname_compare_aligned(): @mask marks the bytes compared. */
static int name_is(const char *name, const char *want, const char *mask)
{
	char n[IFNAMSIZ] = { 0 };
	int i;

	if (!name)
		return UNSURE;
	strncpy(n, name, sizeof(n) - 1);
	for (i = 0; i < IFNAMSIZ; i++)
		if ((n[i] ^ want[i]) & mask[i])
			return 0;
	return 1;
}

/* -m physdev: a packet that br_netfilter did not bring matches only where
 * each option used is inverted, as in the kernel's physdev_mt(). */
static int physdev(const struct xt_physdev_info *i, const struct xnf_pkt *p)
{
	int r;

	if (!p->bridged)
		return !(i->bitmask & ~i->invert & XT_PHYSDEV_OP_MASK);
	if ((i->bitmask & XT_PHYSDEV_OP_BRIDGED) && (i->invert & XT_PHYSDEV_OP_BRIDGED))
		return 0;
	if ((i->bitmask & (XT_PHYSDEV_OP_ISIN | XT_PHYSDEV_OP_ISOUT)) &&
	    (i->invert & (XT_PHYSDEV_OP_ISIN | XT_PHYSDEV_OP_ISOUT)))
		return 0;
	if (i->bitmask & XT_PHYSDEV_OP_IN) {
		r = name_is(p->physin, i->physindev, i->in_mask);
		if (r < 0 || r == !!(i->invert & XT_PHYSDEV_OP_IN))
			return r < 0 ? UNSURE : 0;
	}
	if (i->bitmask & XT_PHYSDEV_OP_OUT) {
		r = name_is(p->physout, i->physoutdev, i->out_mask);
		if (r < 0 || r == !!(i->invert & XT_PHYSDEV_OP_OUT))
			return r < 0 ? UNSURE : 0;
	}
	return 1;
}

/* -m conntrack --ctstate alone (revisions 1 to 3); anything more: unsure. */
static int conntrack(uint32_t rev, const void *info, uint32_t len, const struct xnf_pkt *p)
{
	const struct xt_conntrack_mtinfo1 *i1 = info;
	const struct xt_conntrack_mtinfo2 *i2 = info;
	uint16_t state, flags, inv;

	if (rev == 1 && len >= sizeof(*i1)) {
		state = i1->state_mask;
		flags = i1->match_flags;
		inv = i1->invert_flags;
	} else if ((rev == 2 && len >= sizeof(*i2)) ||
		   (rev == 3 && len >= sizeof(struct xt_conntrack_mtinfo3))) {
		state = i2->state_mask;
		flags = i2->match_flags;
		inv = i2->invert_flags;
	} else {
		return UNSURE;
	}
	if (flags & ~(XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS))
		return UNSURE;
	if (!(flags & XT_CONNTRACK_STATE))
		return 1;
	return !!(state & p->ctstate) != !!(inv & XT_CONNTRACK_STATE);
}

int xnf_xt_match(const char *name, uint32_t rev, const void *info, uint32_t len,
		 const struct xnf_pkt *p)
{
	if (!name || !info)
		return UNSURE;
	if (!strcmp(name, "comment"))
		return 1;
	if (!strcmp(name, "physdev") && len >= sizeof(struct xt_physdev_info))
		return physdev(info, p);
	if (!strcmp(name, "conntrack"))
		return conntrack(rev, info, len, p);
	if (!strcmp(name, "state") && len >= sizeof(struct xt_state_info))
		return !!(((const struct xt_state_info *)info)->statemask & p->ctstate);
	return UNSURE;
}
