/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check_fwack.c: the kernel's reason in an nft error ack (extended ack), parsed back. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <string.h>

#include "unit.h"
#include "xnethelper.h"

#define REASON	"Attribute failed policy validation"

/* An error ack of request @seq as the kernel sends it: the request's
 * header, its payload @echo unless capped, then the TLVs (an offset, and
 * @text if not NULL). */
static struct nlmsghdr *ack(char *buf, uint32_t seq, int err, bool capped, const void *echo,
			    size_t echo_len, const char *text)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e->error = err;
	e->msg.nlmsg_len = NLMSG_HDRLEN + echo_len;
	e->msg.nlmsg_seq = seq;
	if (!capped)
		memcpy(mnl_nlmsg_put_extra_header(nlh, echo_len), echo, echo_len);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	return nlh;
}

START_TEST(capped)
{
	char buf[512], t[160];
	struct nlmsghdr *nlh = ack(buf, 7, -ERANGE, true, NULL, 0, REASON);

	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), (int)strlen(REASON));
	ck_assert_str_eq(t, REASON);
	nlh = ack(buf, 7, -ERANGE, true, NULL, 0, NULL);	/* an offset, no message */
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "");
	nlh->nlmsg_flags &= ~NLM_F_ACK_TLVS;			/* an old kernel */
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), 0);
}
END_TEST

/* Uncapped, the request comes back first: what looks like a message in
 * it is the request's, not the kernel's. */
START_TEST(echoed)
{
	char buf[512], echo[32], t[160];
	struct nlattr *a = (struct nlattr *)echo;
	struct nlmsghdr *nlh;

	memset(echo, 0, sizeof(echo));
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + 6;
	memcpy(echo + NLA_HDRLEN, "bogus", 6);
	nlh = ack(buf, 7, -EINVAL, false, echo, sizeof(echo), REASON);
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), (int)strlen(REASON));
	ck_assert_str_eq(t, REASON);
	/* a request longer than the ack: malformed */
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4096;
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), -EBADMSG);
	ck_assert_str_eq(t, "");
}
END_TEST

START_TEST(malformed)
{
	char buf[512], t[160];
	struct nlmsghdr *nlh = ack(buf, 7, -ERANGE, true, NULL, 0, REASON);
	struct nlattr *msg = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) +
					       sizeof(struct nlmsgerr) + MNL_ALIGN(8));

	ck_assert_int_eq(mnl_attr_get_type(msg), NLMSGERR_ATTR_MSG);
	msg->nla_len += 64;			/* past the ack's end: not read */
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "");
	msg->nla_len -= 64;
	((char *)mnl_attr_get_payload(msg))[strlen(REASON)] = 'x';	/* no NUL */
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), -EBADMSG);
	ck_assert_str_eq(t, "");
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;			/* shorter than an error */
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), -EBADMSG);
	nlh->nlmsg_type = NLMSG_DONE;
	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), -EBADMSG);
}
END_TEST

START_TEST(truncated)
{
	char buf[512], t[8];
	struct nlmsghdr *nlh = ack(buf, 7, -ERANGE, true, NULL, 0, REASON);

	ck_assert_int_eq(xnh_fw_ext_parse(nlh, t, sizeof(t)), 7);
	ck_assert_str_eq(t, "Attribu");
}
END_TEST

/* A batch's acks: the reason goes with the message that failed, and the
 * handle gives it only for that failure. */
START_TEST(batch)
{
	struct xnh_fw fw;
	struct xnh_fw_batch b;
	char buf[1024];
	struct nlmsghdr *nlh;
	size_t len;

	memset(&fw, 0, sizeof(fw));
	fw.seq = 100;
	ck_assert_int_eq(xnh_fw_batch_init(&b, &fw, 0), 0);
	ck_assert_ptr_nonnull(xnh_fw_batch_put(&b, &fw, 0, 0, 0, 0, "one"));
	ck_assert_ptr_nonnull(xnh_fw_batch_put(&b, &fw, 0, 0, 0, 1, "two"));
	ck_assert_ptr_nonnull(xnh_fw_batch_put(&b, &fw, 0, 0, 0, 2, "three"));
	ck_assert_int_eq(xnh_fw_batch_end(&b, &fw), 0);
	nlh = ack(buf, b.msg[0].seq, -ENOENT, true, NULL, 0, NULL);
	len = NLMSG_ALIGN(nlh->nlmsg_len);
	nlh = ack(buf + len, b.msg[1].seq, -ERANGE, true, NULL, 0, REASON);
	len += NLMSG_ALIGN(nlh->nlmsg_len);
	nlh = ack(buf + len, b.msg[2].seq, 0, true, NULL, 0, NULL);
	len += NLMSG_ALIGN(nlh->nlmsg_len);
	ck_assert_int_eq(xnh_fw_acks_parse(&b, buf, len), 3);
	ck_assert_ptr_null(b.msg[0].ext);
	ck_assert_str_eq(b.msg[1].ext, REASON);
	ck_assert_int_eq(xnh_fw_batch_result(&b), -ENOENT);
	xnh_fw_ext_keep(&fw, &b, -ENOENT);
	ck_assert_ptr_null(xnh_fw_ext_msg(&fw, -ENOENT));	/* the kernel gave none */
	xnh_fw_ext_keep(&fw, &b, -ERANGE);
	ck_assert_str_eq(xnh_fw_ext_msg(&fw, -ERANGE), REASON);
	ck_assert_ptr_null(xnh_fw_ext_msg(&fw, -EIO));	/* another failure */
	xnh_fw_ext_keep(&fw, &b, 0);
	ck_assert_ptr_null(xnh_fw_ext_msg(&fw, -ERANGE));	/* a later success clears it */
	xnh_fw_batch_free(&b);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("fwack");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, capped);
	tcase_add_test(tc, echoed);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, batch);
	suite_add_tcase(s, tc);
	return s;
}
