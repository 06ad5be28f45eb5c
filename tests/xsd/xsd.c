/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xsd: test xenstore daemon: options, socket, daemonizing and the poll loop. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* accept4, ppoll, pipe2 */
#endif
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xsd.h"

/* A client that never reads its events is dropped past this much output. */
#define OUT_MAX (64u << 20)

struct conn *conns;
int verbose;

static volatile sig_atomic_t stop;
static int ready_fd = -1;	/* -D: pipe to the waiting parent */
static unsigned int nconns, last_conn_id;

void logmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xsd[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Startup errors go to the parent waiting for readiness, if any. */
static void fail(const char *what, const char *arg)
{
	char msg[512];
	int len = snprintf(msg, sizeof(msg), "xsd: %s%s%s: %s\n", what,
			   arg ? " " : "", arg ? arg : "", strerror(errno));

	if (ready_fd < 0 || write(ready_fd, msg, len) != len)
		fputs(msg, stderr);
}

void conn_queue(struct conn *c, const struct xsd_sockmsg *hdr,
		const void *data)
{
	size_t need = sizeof(*hdr) + hdr->len;

	if (c->dead)
		return;
	if (c->outlen + need > OUT_MAX) {
		logmsg("conn %u: too much unread output, dropped", c->id);
		c->dead = true;
		return;
	}
	if (c->outlen + need > c->outcap) {
		size_t cap = c->outcap ? c->outcap * 2 : 4096;
		unsigned char *out;

		while (cap < c->outlen + need)
			cap *= 2;
		out = realloc(c->out, cap);
		if (!out) {
			c->dead = true;
			return;
		}
		c->out = out;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, hdr, sizeof(*hdr));
	if (hdr->len)
		memcpy(c->out + c->outlen + sizeof(*hdr), data, hdr->len);
	c->outlen += need;
}

static void conn_flush(struct conn *c)
{
	size_t off = 0;

	while (off < c->outlen) {
		ssize_t n = send(c->fd, c->out + off, c->outlen - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->dead = true;
			break;
		}
		off += n;
	}
	if (off)
		memmove(c->out, c->out + off, c->outlen - off);
	c->outlen -= off;
}

/* Handles every complete message in the input buffer. */
static void conn_parse(struct conn *c)
{
	size_t off = 0;

	while (!c->dead && c->inlen - off >= sizeof(struct xsd_sockmsg)) {
		struct xsd_sockmsg hdr;

		memcpy(&hdr, c->in + off, sizeof(hdr));
		if (hdr.len > XENSTORE_PAYLOAD_MAX) {
			logmsg("conn %u: payload of %u bytes, dropped",
			       c->id, (unsigned int)hdr.len);
			c->dead = true;
			return;
		}
		if (c->inlen - off < sizeof(hdr) + hdr.len)
			break;
		proto_handle(c, &hdr, (const char *)c->in + off + sizeof(hdr));
		off += sizeof(hdr) + hdr.len;
	}
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
}

static void conn_read(struct conn *c)
{
	ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR))
		return;
	if (n <= 0) {
		if (verbose)
			logmsg("conn %u: closed", c->id);
		c->dead = true;
		return;
	}
	c->inlen += n;
	conn_parse(c);
}

static void conn_close(struct conn *c)
{
	conn_release(c);
	close(c->fd);
	free(c->out);
	free(c);
	nconns--;
}

static void reap_dead(void)
{
	struct conn **pc = &conns;

	while (*pc) {
		struct conn *c = *pc;

		if (c->dead) {
			*pc = c->next;
			conn_close(c);
		} else {
			pc = &c->next;
		}
	}
}

static void accept_all(int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				logmsg("accept: %s", strerror(errno));
			return;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->id = ++last_conn_id;
		c->next = conns;
		conns = c;
		nconns++;
		if (verbose)
			logmsg("conn %u: connected", c->id);
	}
}

/* One poll round: the listening socket first, then every client. */
static int poll_once(int lfd, struct pollfd **pfds, size_t *cap)
{
	sigset_t unblocked;
	struct conn *c;
	size_t i = 1;

	if (*cap < nconns + 1) {
		struct pollfd *p = realloc(*pfds, (nconns + 1) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*pfds = p;
		*cap = nconns + 1;
	}
	(*pfds)[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	for (c = conns; c; c = c->next)
		(*pfds)[i++] = (struct pollfd){ .fd = c->fd,
			.events = POLLIN | (c->outlen ? POLLOUT : 0) };
	sigemptyset(&unblocked);
	if (ppoll(*pfds, i, NULL, &unblocked) < 0)
		return errno == EINTR ? 0 : -errno;
	for (c = conns, i = 1; c; c = c->next, i++) {
		short ev = (*pfds)[i].revents;

		if (c->dead)	/* e.g. flooded by another client's changes */
			continue;
		if (ev & (POLLIN | POLLHUP | POLLERR))
			conn_read(c);
		if (ev & POLLOUT)
			conn_flush(c);
	}
	reap_dead();
	if ((*pfds)[0].revents & POLLIN)
		accept_all(lfd);
	return 0;
}

static int run(int lfd)
{
	struct pollfd *pfds = NULL;
	size_t cap = 0;
	int err = 0;

	while (!stop && !err)
		err = poll_once(lfd, &pfds, &cap);
	free(pfds);
	if (err)
		logmsg("poll: %s", strerror(-err));
	else if (verbose)
		logmsg("terminated by a signal, exiting");
	while (conns) {
		struct conn *c = conns;

		conns = c->next;
		conn_close(c);
	}
	return err ? 1 : 0;
}

/* Unlinks a leftover socket, refusing to steal one a daemon still serves. */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, live;

	if (lstat(sa->sun_path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		fail("cannot stat", sa->sun_path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		fail("not a socket, refusing to replace", sa->sun_path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	live = fd >= 0 &&
	       !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (fd >= 0)
		close(fd);
	if (live) {
		errno = EADDRINUSE;
		fail("another daemon listens on", sa->sun_path);
		return -1;
	}
	if (unlink(sa->sun_path) < 0 && errno != ENOENT) {
		fail("cannot remove stale socket", sa->sun_path);
		return -1;
	}
	return 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		fail("socket path too long:", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (remove_stale(&sa) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fail("socket", NULL);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		fail("cannot listen on", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* The parent relays the child's readiness or error, then exits. */
static void __attribute__((noreturn)) wait_ready(int fd)
{
	char buf[512];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	buf[total] = 0;
	if (!strcmp(buf, "ready"))
		_exit(0);
	fputs(total ? buf : "xsd: daemon died during startup\n", stderr);
	_exit(1);
}

static void daemonize(void)
{
	int p[2], null;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		fail("cannot daemonize", NULL);
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		wait_ready(p[0]);
	}
	close(p[0]);
	ready_fd = p[1];
	setsid();
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (!verbose)
			dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		fail("cannot write pid file", path);
		return -1;
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGTERM and SIGINT stay blocked except while waiting in ppoll(). */
static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct rlimit rl;
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void usage(FILE *f)
{
	fputs("usage: xsd -s SOCKET [-p PIDFILE] [-D] [-v]\n"
	      "  -s SOCKET   unix socket to listen on (XENSTORED_PATH)\n"
	      "  -p PIDFILE  write the daemon's pid there\n"
	      "  -D          daemonize once the socket is ready\n"
	      "  -v          log every request to stderr\n", f);
}

struct opts {
	const char *sock, *pidfile;
	bool background;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int opt;

	while ((opt = getopt(argc, argv, "s:p:Dvh")) != -1) {
		switch (opt) {
		case 's':
			o->sock = optarg;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'D':
			o->background = true;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	return o->sock && optind == argc ? 0 : -EINVAL;
}

static void report_ready(const char *sock)
{
	if (ready_fd >= 0) {
		if (write(ready_fd, "ready", 5) != 5)
			logmsg("cannot report readiness: %s", strerror(errno));
		close(ready_fd);
		ready_fd = -1;
	}
	if (verbose)
		logmsg("listening on %s", sock);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	int lfd, ret = 1;

	if (parse_opts(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	setup_signals();
	lfd = listen_on(o.sock);
	if (lfd < 0)
		return 1;
	if (o.background)
		daemonize();
	if (o.pidfile && write_pidfile(o.pidfile) < 0) {
		o.pidfile = NULL;
	} else if (store_init() < 0) {
		errno = ENOMEM;
		fail("cannot create the initial tree", NULL);
	} else {
		report_ready(o.sock);
		ret = run(lfd);
	}
	close(lfd);
	unlink(o.sock);
	if (o.pidfile)
		unlink(o.pidfile);
	store_fini();
	return ret;
}
