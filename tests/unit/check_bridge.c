/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_bridge.c: a bridge's STP state, forward delay and VLAN filtering,
 * read from its RTM_NEWLINK; a port's VLANs, set and read (brvlan.c). */
#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>

#include "unit.h"
#include "xnethelper.h"

/* A bridge's RTM_NEWLINK as a dump returns it (kind, and its data unless
 * @data is false). */
static struct nl_msg *bridge_msg(int ifindex, bool data, uint32_t stp, uint32_t delay)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_MULTI);
	struct nlattr *li, *d;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	ck_assert_int_eq(nla_put_string(m, IFLA_IFNAME, "xenbr0"), 0);
	li = nla_nest_start(m, IFLA_LINKINFO);
	ck_assert_int_eq(nla_put_string(m, IFLA_INFO_KIND, "bridge"), 0);
	if (data) {
		d = nla_nest_start(m, IFLA_INFO_DATA);
		ck_assert_int_eq(nla_put_u32(m, IFLA_BR_FORWARD_DELAY, delay), 0);
		ck_assert_int_eq(nla_put_u32(m, IFLA_BR_HELLO_TIME, 200), 0);
		ck_assert_int_eq(nla_put_u32(m, IFLA_BR_STP_STATE, stp), 0);
		if (delay == 1500)
			ck_assert_int_eq(nla_put_u8(m, IFLA_BR_VLAN_FILTERING, 1), 0);
		nla_nest_end(m, d);
	}
	nla_nest_end(m, li);
	return m;
}

START_TEST(info)
{
	struct xnh_bridge_info bi;
	struct nl_msg *m = bridge_msg(3, true, 0, 0);

	ck_assert_int_eq(xnh_bridge_info_parse(nlmsg_hdr(m), &bi), 0);
	ck_assert_int_eq(bi.ifindex, 3);
	ck_assert_uint_eq(bi.stp_state, 0);
	ck_assert_uint_eq(bi.forward_delay, 0);
	ck_assert(!bi.vlan_filtering);
	nlmsg_free(m);
	m = bridge_msg(9, true, 1, 1500);	/* the kernel's defaults: STP on, 15 s */
	ck_assert_int_eq(xnh_bridge_info_parse(nlmsg_hdr(m), &bi), 0);
	ck_assert_int_eq(bi.ifindex, 9);
	ck_assert_uint_eq(bi.stp_state, 1);
	ck_assert_uint_eq(bi.forward_delay, 1500);
	ck_assert(bi.vlan_filtering);
	nlmsg_free(m);
}
END_TEST

/* The one VLAN entry of a built request: its flags and id. */
static const struct bridge_vlan_info *vlan_of(struct nlmsghdr *h, int *ifindex)
{
	struct nlattr *tb[IFLA_MAX + 1], *spec[IFLA_BRIDGE_MAX + 1];
	const struct ifinfomsg *ifi = nlmsg_data(h);

	ck_assert_int_eq(ifi->ifi_family, AF_BRIDGE);
	*ifindex = ifi->ifi_index;
	ck_assert_int_eq(nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL), 0);
	ck_assert_ptr_nonnull(tb[IFLA_AF_SPEC]);
	ck_assert_int_eq(nla_parse_nested(spec, IFLA_BRIDGE_MAX, tb[IFLA_AF_SPEC], NULL), 0);
	ck_assert_ptr_nonnull(spec[IFLA_BRIDGE_VLAN_INFO]);
	ck_assert_int_eq(nla_len(spec[IFLA_BRIDGE_VLAN_INFO]), sizeof(struct bridge_vlan_info));
	return nla_data(spec[IFLA_BRIDGE_VLAN_INFO]);
}

/* `bridge vlan add dev vif1.0 vid 10 pvid untagged` and `... del ... vid 1`. */
START_TEST(vlan_build)
{
	const struct bridge_vlan_info *vi;
	struct nl_msg *m;
	int ifindex;

	ck_assert_int_eq(xnh_brvlan_build(7, 10, BRIDGE_VLAN_INFO_PVID |
					  BRIDGE_VLAN_INFO_UNTAGGED, true, &m), 0);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_SETLINK);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_ACK);
	vi = vlan_of(nlmsg_hdr(m), &ifindex);
	ck_assert_int_eq(ifindex, 7);
	ck_assert_uint_eq(vi->vid, 10);
	ck_assert_uint_eq(vi->flags, BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED);
	nlmsg_free(m);
	ck_assert_int_eq(xnh_brvlan_build(7, 1, 0, false, &m), 0);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_DELLINK);
	vi = vlan_of(nlmsg_hdr(m), &ifindex);
	ck_assert_uint_eq(vi->vid, 1);
	ck_assert_uint_eq(vi->flags, 0);
	nlmsg_free(m);
	ck_assert_int_eq(xnh_brvlan_build(7, 0, 0, true, &m), -ERANGE);
	ck_assert_int_eq(xnh_brvlan_build(7, 4095, 0, true, &m), -ERANGE);
}
END_TEST

/* A port's answer to a VLAN dump: 10 untagged PVID, 20 and 30 tagged. */
START_TEST(vlan_parse)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = 5 };
	struct bridge_vlan_info v[] = {
		{ BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED, 10 }, { 0, 20 }, { 0, 30 },
	};
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_MULTI);
	struct xnh_vlan out;
	struct nlattr *spec;
	unsigned int i;
	int ifindex;

	ck_assert_int_eq(nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	ck_assert_int_eq(nla_put_string(m, IFLA_IFNAME, "vif1.0"), 0);
	spec = nla_nest_start(m, IFLA_AF_SPEC);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(nla_put(m, IFLA_BRIDGE_VLAN_INFO, sizeof(v[i]), &v[i]), 0);
	nla_nest_end(m, spec);
	ck_assert_int_eq(xnh_brvlan_parse(nlmsg_hdr(m), &ifindex, &out), 0);
	ck_assert_int_eq(ifindex, 5);
	ck_assert_int_eq(out.pvid, 10);
	ck_assert(xnh_vlan_has(&out, 10) && xnh_vlan_untagged(&out, 10));
	ck_assert(xnh_vlan_has(&out, 20) && !xnh_vlan_untagged(&out, 20));
	ck_assert(xnh_vlan_has(&out, 30) && !xnh_vlan_has(&out, 1));
	nlmsg_free(m);
	/* a short entry is refused, not read past */
	m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_MULTI);
	ck_assert_int_eq(nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	spec = nla_nest_start(m, IFLA_AF_SPEC);
	ck_assert_int_eq(nla_put_u16(m, IFLA_BRIDGE_VLAN_INFO, 10), 0);
	nla_nest_end(m, spec);
	ck_assert_int_eq(xnh_brvlan_parse(nlmsg_hdr(m), &ifindex, &out), -EINVAL);
	nlmsg_free(m);
}
END_TEST

START_TEST(not_bridge)
{
	struct xnh_bridge_info bi;
	struct nl_msg *m = bridge_msg(3, false, 0, 0);

	ck_assert_int_eq(xnh_bridge_info_parse(nlmsg_hdr(m), &bi), -EINVAL);
	nlmsg_free(m);
	m = nlmsg_alloc_simple(RTM_NEWADDR, 0);
	ck_assert_int_eq(nlmsg_append(m, &(struct ifinfomsg){ 0 }, sizeof(struct ifinfomsg),
				      NLMSG_ALIGNTO), 0);
	ck_assert_int_eq(xnh_bridge_info_parse(nlmsg_hdr(m), &bi), -EINVAL);
	nlmsg_free(m);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("bridge");
	TCase *tc = tcase_create("info");

	tcase_add_test(tc, info);
	tcase_add_test(tc, not_bridge);
	tcase_add_test(tc, vlan_build);
	tcase_add_test(tc, vlan_parse);
	suite_add_tcase(s, tc);
	return s;
}
