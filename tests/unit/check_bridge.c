/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_bridge.c: a bridge's STP state and forward delay, read from its RTM_NEWLINK. */
#include <errno.h>
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
	nlmsg_free(m);
	m = bridge_msg(9, true, 1, 1500);	/* the kernel's defaults: STP on, 15 s */
	ck_assert_int_eq(xnh_bridge_info_parse(nlmsg_hdr(m), &bi), 0);
	ck_assert_int_eq(bi.ifindex, 9);
	ck_assert_uint_eq(bi.stp_state, 1);
	ck_assert_uint_eq(bi.forward_delay, 1500);
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
	suite_add_tcase(s, tc);
	return s;
}
