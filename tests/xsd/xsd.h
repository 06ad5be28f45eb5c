/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xsd: shared declarations of the test xenstore daemon. */
#ifndef XSD_H
#define XSD_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

/* Room for a canonical absolute path and its NUL. */
#define XSD_PATH_BUF (XENSTORE_ABS_PATH_MAX + 1)
/* Domain path of every client: all clients are dom0. */
#define XSD_DOM0_PATH "/local/domain/0"

struct node {
	char *name;		/* last path component, "" for the root */
	char *value;		/* arbitrary bytes, NULL when vlen == 0 */
	size_t vlen;
	char *perms;		/* NUL-terminated perm strings, back to back */
	size_t plen;
	uint64_t gen;		/* generation of the last change of the node */
	unsigned int refs;	/* trees holding it: shared if > 1 (store.c) */
	struct node **kids;	/* sorted by name */
	size_t nkids;
};

struct change {
	char *path;
	bool rm;
};

/* A node a transaction read or changed, as the global tree had it then. */
struct access {
	char *path;
	uint64_t gen;		/* 0: the node did not exist */
};

struct txn {
	uint32_t id;
	uint64_t start_gen;	/* store_gen when the transaction started */
	struct node *root;	/* its tree: shares unchanged nodes with the store */
	struct change *changes;	/* to fire as watch events on commit */
	size_t nchanges;
	struct access *acc;	/* what it touched: conflicts are per node */
	size_t nacc;
	struct txn *next;
};

struct watch {
	char *path;		/* as given by the client */
	char *abs;		/* canonical absolute path or "@name" */
	char *token;
	struct watch *next;
};

struct conn {
	int fd;
	unsigned int id;
	bool dead;		/* to be closed by the main loop */
	unsigned char in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t inlen;
	unsigned char *out;	/* queued replies and events */
	size_t outlen, outcap;
	struct watch *watches;
	struct txn *txns;
	struct conn *next;
};

/* store.c */
extern struct node *store_root;
extern uint64_t store_gen;
int store_init(void);
void store_fini(void);
int path_canon(const char *in, bool special, char *out, size_t outsz);
const char *path_rel(const char *abs);
bool path_under(const char *path, const char *top);
struct node *node_find(struct node *root, const char *path);
char *node_list(const struct node *n, size_t *len);
int store_write(struct node **root, const char *path, const char *val,
		size_t len, uint64_t gen);
int store_mkdir(struct node **root, const char *path, uint64_t gen);
int store_rm(struct node **root, const char *path, uint64_t gen);
bool perms_valid(const char *perms, size_t plen);
int store_set_perms(struct node **root, const char *path, const char *perms,
		    size_t plen, uint64_t gen);
struct txn *txn_new(void);
int txn_record(struct txn *t, const char *path, bool rm);
int txn_access(struct txn *t, const char *path);
int txn_commit(struct txn *t);
void txn_free(struct txn *t);

/* proto.c */
void proto_handle(struct conn *c, const struct xsd_sockmsg *hdr,
		  const char *payload);
void conn_release(struct conn *c);

/* xsd.c */
extern struct conn *conns;
extern int verbose;
void conn_queue(struct conn *c, const struct xsd_sockmsg *hdr,
		const void *data);
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
