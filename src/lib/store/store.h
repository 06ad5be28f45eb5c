/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store/: xenstore through libxenstore (XENSTORED_PATH honoured): reads,
 * writes, and the hotplug-status/hotplug-error pair in one transaction.
 * Values read are untrusted text for text/ to check. Uses sys/ (trace). */
#ifndef XNH_STORE_H
#define XNH_STORE_H

struct xs_handle;

/* ---- store.c: xenstore through libxenstore ---- */
struct xnh_store {
	struct xs_handle *xs;
	char *dir;		/* listed by xnh_store_list, until a write */
	char **keys;		/* its keys then (one block, libxenstore's) */
	unsigned int nkeys;
};

int xnh_store_open(struct xnh_store *st);
int xnh_store_report(struct xnh_store *st, const char *dir, const char *err);
void xnh_store_close(struct xnh_store *st);
int xnh_store_read(struct xnh_store *st, const char *path, char **val);
int xnh_store_read_key(struct xnh_store *st, const char *dir, const char *key, char **val);
int xnh_store_write(struct xnh_store *st, const char *path, const char *val);
int xnh_store_write_key(struct xnh_store *st, const char *dir, const char *key,
			const char *val);
int xnh_store_remove(struct xnh_store *st, const char *path);
int xnh_store_list(struct xnh_store *st, const char *dir);
const char *xnh_store_socket(void);

#endif
