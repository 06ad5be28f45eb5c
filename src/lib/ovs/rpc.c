/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rpc.c: JSON-RPC to ovsdb-server over its unix socket (RFC 7047 section 4). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "sys/sys.h"
#include "ovs/ovs.h"

/* $OVS_RUNDIR/db.sock, as ovs-vsctl finds it (default /var/run/openvswitch). */
int xnh_ovs_sock_path(char *buf, size_t len)
{
	const char *dir = getenv("OVS_RUNDIR");
	int n;

	if (!dir || !*dir)
		dir = XNH_OVS_RUNDIR;
	n = snprintf(buf, len, "%s/%s", dir, XNH_OVS_SOCK);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int64_t xnh_ovs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *xnh_ovs_json(struct json_object *j)
{
	return json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* @path NULL: xnh_ovs_sock_path()'s. Every answer must come within
 * @timeout_ms of now (xnh_ovs_port_wait() included). */
int xnh_ovs_open(struct xnh_ovs *o, const char *path, unsigned int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int r = 0;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->deadline = xnh_ovs_now() + timeout_ms;
	if (path)
		snprintf(o->path, sizeof(o->path), "%s", path);
	else
		r = xnh_ovs_sock_path(o->path, sizeof(o->path));
	if (r < 0 || strlen(o->path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, o->path, strlen(o->path) + 1);
	o->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (o->fd < 0)
		return -errno;
	if (connect(o->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(o->fd);
		o->fd = -1;
	}
	return r;
}

void xnh_ovs_close(struct xnh_ovs *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

/* Waits for @events until the deadline. */
static int wait_fd(struct xnh_ovs *o, short events)
{
	struct pollfd p = { .fd = o->fd, .events = events };
	int64_t left = o->deadline - xnh_ovs_now();
	int r;

	if (left <= 0)
		return -ETIMEDOUT;
	r = poll(&p, 1, (int)left);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int send_all(struct xnh_ovs *o, const char *s)
{
	size_t len = strlen(s), off = 0;
	ssize_t n;
	int r;

	while (off < len) {
		r = wait_fd(o, POLLOUT);
		if (r < 0)
			return r;
		n = send(o->fd, s + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		off += n > 0 ? (size_t)n : 0;
	}
	return 0;
}

static int send_json(struct xnh_ovs *o, struct json_object *msg)
{
	return send_all(o, xnh_ovs_json(msg));
}

/* The next whole message: parsed from what is buffered, else read. */
static int next_msg(struct xnh_ovs *o, struct json_tokener *tok, struct json_object **msg)
{
	ssize_t n;
	size_t used;
	int r;

	for (;;) {
		json_tokener_reset(tok);
		*msg = o->rlen ? json_tokener_parse_ex(tok, o->rbuf, (int)o->rlen) : NULL;
		used = json_tokener_get_parse_end(tok);
		if (*msg) {
			memmove(o->rbuf, o->rbuf + used, o->rlen - used);
			o->rlen -= used;
			return 0;
		}
		if (o->rlen && json_tokener_get_error(tok) != json_tokener_continue)
			return -EBADMSG;
		if (o->rlen == sizeof(o->rbuf))
			return -EMSGSIZE;
		r = wait_fd(o, POLLIN);
		if (r < 0)
			return r;
		n = recv(o->fd, o->rbuf + o->rlen, sizeof(o->rbuf) - o->rlen, MSG_DONTWAIT);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		o->rlen += n > 0 ? (size_t)n : 0;
	}
}

/* The server's "echo" (its inactivity probe) is answered in kind. */
static int answer_echo(struct xnh_ovs *o, struct json_object *msg)
{
	struct json_object *m, *reply;
	int r;

	if (!json_object_object_get_ex(msg, "method", &m) ||
	    strcmp(json_object_get_string(m), "echo"))
		return 0;		/* a notification we did not ask for */
	reply = json_object_new_object();
	json_object_object_add(reply, "result",
			       json_object_get(json_object_object_get(msg, "params")));
	json_object_object_add(reply, "error", NULL);
	json_object_object_add(reply, "id", json_object_get(json_object_object_get(msg, "id")));
	r = send_json(o, reply);
	json_object_put(reply);
	return r;
}

/* The answer to request @id; others are answered or dropped. */
static int read_reply(struct xnh_ovs *o, unsigned int id, struct json_object **reply)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *msg, *mid;
	int r = tok ? 0 : -ENOMEM;

	while (r >= 0) {
		r = next_msg(o, tok, &msg);
		if (r < 0)
			break;
		if (json_object_object_get_ex(msg, "id", &mid) &&
		    json_object_is_type(mid, json_type_int) &&
		    json_object_get_int64(mid) == (int64_t)id && !json_object_object_get_ex(msg,
											 "method", NULL)) {
			*reply = msg;
			break;
		}
		r = answer_echo(o, msg);
		json_object_put(msg);
	}
	json_tokener_free(tok);
	return r;
}

/* The reply's "error" (a request the server refused as a whole). */
static int rpc_error(struct xnh_ovs *o, struct json_object *reply)
{
	struct json_object *e;

	if (!json_object_object_get_ex(reply, "error", &e) || !e)
		return 0;
	snprintf(o->err, sizeof(o->err), "ovsdb-server: %s", xnh_ovs_json(e));
	return -EPROTO;
}

static struct json_object *request(unsigned int id, struct json_object *ops)
{
	struct json_object *req = json_object_new_object(), *params = json_object_new_array();
	size_t i;

	json_object_array_add(params, json_object_new_string("Open_vSwitch"));
	for (i = 0; i < json_object_array_length(ops); i++)
		json_object_array_add(params, json_object_get(json_object_array_get_idx(ops, i)));
	json_object_object_add(req, "method", json_object_new_string("transact"));
	json_object_object_add(req, "params", params);
	json_object_object_add(req, "id", json_object_new_int64(id));
	return req;
}

/* One transaction of @ops (an array of operations; not taken). On
 * success *@result is the server's array of results, the caller's to
 * put; a failed operation fails it all (-errno, the reason in o->err). */
int xnh_ovs_transact(struct xnh_ovs *o, struct json_object *ops, struct json_object **result)
{
	struct json_object *req, *reply = NULL, *res;
	int r;

	*result = NULL;
	o->err[0] = '\0';
	if (!ops)
		return -ENOMEM;
	req = request(++o->id, ops);
	r = send_json(o, req);
	json_object_put(req);
	if (r >= 0)
		r = read_reply(o, o->id, &reply);
	if (r >= 0)
		r = rpc_error(o, reply);
	if (r >= 0 && (!json_object_object_get_ex(reply, "result", &res) ||
		       !json_object_is_type(res, json_type_array)))
		r = -EBADMSG;
	if (r >= 0)
		r = xnh_ovs_result_check(ops, res, o->err, sizeof(o->err));
	if (r >= 0)
		*result = json_object_get(res);
	json_object_put(reply);
	return r;
}
