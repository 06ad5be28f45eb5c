/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_ovs.c: VLAN specs, and vif-openvswitch's OVSDB transactions built and read back. */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "text/text.h"
#include "ovs/ovs.h"

START_TEST(bridge_spec)
{
	static const char *const bad[] = { "", ".10", "br0.", "br0.4096", "br0:", "br0::1",
		"br0.10.20", "br0.-1", "br0.+1", "br0.010", "br0:1:", "br 0", "br0:x",
		"1234567890123456.1" };
	struct xnh_vlan v;
	char br[XNH_IFNAMSIZ];
	size_t i;

	ck_assert_int_eq(xnh_vlan_bridge_parse("xenbr0", br, &v), 0);
	ck_assert_str_eq(br, "xenbr0");
	ck_assert_int_eq(v.pvid, -1);
	ck_assert_uint_eq(xnh_vlan_ntrunks(&v), 0);
	ck_assert_int_eq(xnh_vlan_bridge_parse("br0.10:20:30", br, &v), 0);
	ck_assert_str_eq(br, "br0");
	ck_assert_int_eq(v.pvid, 10);
	ck_assert_uint_eq(xnh_vlan_ntrunks(&v), 2);
	ck_assert_int_eq(xnh_vlan_next_trunk(&v, -1), 20);
	ck_assert_int_eq(xnh_vlan_next_trunk(&v, 20), 30);
	ck_assert_int_eq(xnh_vlan_bridge_parse("br0:0:4095", br, &v), 0);
	ck_assert_int_eq(v.pvid, -1);
	ck_assert_uint_eq(xnh_vlan_ntrunks(&v), 2);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_msg(xnh_vlan_bridge_parse(bad[i], br, &v) < 0, "%s", bad[i]);
}
END_TEST

START_TEST(libxl_vlan)
{
	static const char *const bad[] = { "", "0", "4095", "10p/20p", "10/20", "20-10",
		"10p-20", "10/", "/10", "4000+100x2", "x" };
	struct xnh_vlan v;
	size_t i;

	ck_assert_int_eq(xnh_vlan_list_parse("10", &v), 0);
	ck_assert_int_eq(v.pvid, 10);
	ck_assert_int_eq(xnh_vlan_list_parse("10p/20-22/100+10x2", &v), 0);
	ck_assert_int_eq(v.pvid, 10);
	ck_assert_uint_eq(xnh_vlan_ntrunks(&v), 6);
	ck_assert(xnh_vlan_has(&v, 120) && !xnh_vlan_has(&v, 130));
	ck_assert_int_eq(xnh_vlan_list_parse("10p/20u", &v), 0);
	ck_assert(xnh_vlan_untagged(&v, 20));
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_msg(xnh_vlan_list_parse(bad[i], &v) < 0, "%s", bad[i]);
}
END_TEST

static struct json_object *field(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, k, &v), "no %s", k);
	return v;
}

static const char *op_name(struct json_object *ops, size_t i)
{
	return json_object_get_string(field(json_object_array_get_idx(ops, i), "op"));
}

START_TEST(add_txn)
{
	struct xnh_vlan v;
	char br[XNH_IFNAMSIZ];
	struct xnh_ovs_port p = { .bridge = "br0", .name = "vif1.0", .vlan = &v, .mtu = 9000,
				  .vm_name = "my \"vm\"", .vm_uuid = "u", .mac = "00:16:3e:00:00:01" };
	struct json_object *ops, *row;
	const char *s;

	ck_assert_int_eq(xnh_vlan_bridge_parse("br0.10:20", br, &v), 0);
	ops = xnh_ovs_txn_add(&p, "0e5c6a2e-0000-0000-0000-000000000001");
	ck_assert_str_eq(op_name(ops, 0), "wait");
	ck_assert_str_eq(op_name(ops, 1), "insert");
	ck_assert_str_eq(op_name(ops, 2), "insert");
	ck_assert_str_eq(op_name(ops, 4), "mutate");
	ck_assert_str_eq(op_name(ops, 5), "select");
	ck_assert_str_eq(op_name(ops, 7), "delete");
	row = field(json_object_array_get_idx(ops, 2), "row");
	ck_assert_int_eq(json_object_get_int(field(row, "tag")), 10);
	ck_assert_str_eq(json_object_get_string(field(row, "vlan_mode")), "native-untagged");
	s = xnh_ovs_json(field(row, "trunks"));
	ck_assert_str_eq(s, "[\"set\",[20]]");
	row = field(json_object_array_get_idx(ops, 1), "row");
	ck_assert_int_eq(json_object_get_int(field(row, "mtu_request")), 9000);
	s = xnh_ovs_json(field(row, "external_ids"));
	ck_assert_msg(strstr(s, "[\"xen-vm-name\",\"my \\\"vm\\\"\"]"), "%s", s);
	json_object_put(ops);
}
END_TEST

START_TEST(answers)
{
	static const char res[] = "[{\"rows\":[{\"cur_cfg\":5,\"next_cfg\":6}]},"
		"{\"rows\":[{\"ofport\":[\"set\",[]],\"error\":[\"set\",[]],\"mtu\":1500}]},"
		"{\"rows\":[{\"_uuid\":[\"uuid\",\"abc\"],\"tag\":10,\"trunks\":[\"set\",[20,30]],"
		"\"vlan_mode\":\"native-untagged\"}]},"
		"{\"rows\":[{\"name\":\"br0\",\"ports\":[\"set\",[[\"uuid\",\"x\"],[\"uuid\",\"abc\"]]]}]}]";
	struct json_object *r = json_tokener_parse(res), *ops = xnh_ovs_txn_state("vif1.0");
	struct xnh_ovs_state st;
	char err[64];

	ck_assert_int_eq(xnh_ovs_result_check(ops, r, err, sizeof(err)), 0);
	ck_assert_int_eq(xnh_ovs_state_parse(r, &st), 0);
	ck_assert_int_eq(st.cur_cfg, 5);
	ck_assert_int_eq(st.next_cfg, 6);
	ck_assert_int_eq(st.ofport, 0);
	ck_assert(st.has_port && st.has_iface);
	ck_assert_str_eq(st.bridge, "br0");
	ck_assert_int_eq(st.tag, 10);
	ck_assert_uint_eq(st.ntrunks, 2);
	ck_assert_str_eq(st.vlan_mode, "native-untagged");
	json_object_put(r);
	r = json_tokener_parse("[{\"error\":\"timed out\"},null,null,null]");
	ck_assert_int_eq(xnh_ovs_result_check(ops, r, err, sizeof(err)), -ETIMEDOUT);
	ck_assert_str_eq(err, "timed out");
	json_object_put(r);
	json_object_put(ops);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("ovs");
	TCase *tc = tcase_create("ovs");

	tcase_add_test(tc, bridge_spec);
	tcase_add_test(tc, libxl_vlan);
	tcase_add_test(tc, add_txn);
	tcase_add_test(tc, answers);
	suite_add_tcase(s, tc);
	return s;
}
