/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xsd: the in-memory xenstore tree, paths, permissions and transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct node *store_root;
uint64_t store_gen;
static uint32_t next_txn_id = 1;

static const char default_perms[] = "n0";	/* sizeof includes the NUL */

static const char path_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz"
				 "0123456789/_@-";

/* Canonicalizes a client path into out: absolute, or "@..." if special. */
int path_canon(const char *in, bool special, char *out, size_t outsz)
{
	size_t len = strlen(in);
	size_t off = 0;

	if (in[0] == '@' && !special)
		return -EINVAL;
	if (in[0] != '/' && in[0] != '@') {
		if (len > XENSTORE_REL_PATH_MAX)
			return -EINVAL;
		off = sizeof(XSD_DOM0_PATH);	/* prefix and its '/' */
	}
	if (off + len > XENSTORE_ABS_PATH_MAX || off + len >= outsz)
		return -EINVAL;
	if (off)
		memcpy(out, XSD_DOM0_PATH "/", off);
	memcpy(out + off, in, len + 1);
	len += off;
	if (strspn(out, path_chars) != len || strstr(out, "//"))
		return -EINVAL;
	if (len > 1 && out[len - 1] == '/')
		return -EINVAL;
	return 0;
}

/* Path as seen by a client that used a relative path. */
const char *path_rel(const char *abs)
{
	size_t len = sizeof(XSD_DOM0_PATH) - 1;

	if (!strncmp(abs, XSD_DOM0_PATH "/", len + 1))
		return abs + len + 1;
	return abs;
}

/* True if path is top or lies below it. */
bool path_under(const char *path, const char *top)
{
	size_t len = strlen(top);

	if (!strcmp(top, "/"))
		return path[0] == '/';
	return !strncmp(path, top, len) && (!path[len] || path[len] == '/');
}

static int name_cmp(const char *a, const char *b, size_t blen)
{
	int r = strncmp(a, b, blen);

	if (r)
		return r;
	return a[blen] ? 1 : 0;
}

/* Index of the child named name[0..len), or where it would be inserted. */
static size_t kid_index(const struct node *n, const char *name, size_t len,
			bool *found)
{
	size_t lo = 0, hi = n->nkids;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = name_cmp(n->kids[mid]->name, name, len);

		if (!cmp) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Trees are persistent: a transaction starts with a reference to the global
 * root and shares every node with the store until one side changes it.
 * A node's refs counts the kids arrays (and tree roots) that hold it; a
 * node with refs > 1 is never changed, whoever changes the tree first takes
 * a copy of it (node_own).  Walking down from a root the tree owns, a node
 * with refs == 1 belongs to that tree alone.  Dropping a tree frees only the
 * nodes no other tree holds.
 */
static void node_unref(struct node *n)
{
	size_t i;

	if (!n || --n->refs)
		return;
	for (i = 0; i < n->nkids; i++)
		node_unref(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->value);
	free(n->perms);
	free(n);
}

static struct node *node_new(const char *name, size_t nlen,
			     const char *perms, size_t plen)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->refs = 1;
	n->name = strndup(name, nlen);
	n->perms = malloc(plen);
	if (!n->name || !n->perms) {
		node_unref(n);
		return NULL;
	}
	memcpy(n->perms, perms, plen);
	n->plen = plen;
	return n;
}

/* A copy of src that shares src's children. */
static struct node *node_clone(const struct node *src)
{
	struct node *n = node_new(src->name, strlen(src->name), src->perms,
				  src->plen);
	size_t i;

	if (!n)
		return NULL;
	n->gen = src->gen;
	n->value = src->vlen ? malloc(src->vlen) : NULL;
	n->kids = src->nkids ? malloc(src->nkids * sizeof(*n->kids)) : NULL;
	if ((src->vlen && !n->value) || (src->nkids && !n->kids)) {
		node_unref(n);
		return NULL;
	}
	if (src->vlen)
		memcpy(n->value, src->value, src->vlen);
	n->vlen = src->vlen;
	for (i = 0; i < src->nkids; i++) {
		n->kids[i] = src->kids[i];
		n->kids[i]->refs++;
	}
	n->nkids = src->nkids;
	return n;
}

/* Makes *slot (a root, or a kid of a node the tree owns) the tree's own. */
static struct node *node_own(struct node **slot)
{
	struct node *n = *slot;

	if (n->refs > 1) {
		n = node_clone(n);
		if (!n)
			return NULL;
		(*slot)->refs--;
		*slot = n;
	}
	return n;
}

/* Finds the node at path[0..plen); plen == 1 is the root. */
static struct node *node_findn(struct node *root, const char *path,
			       size_t plen)
{
	struct node *n = root;
	size_t off = 1;
	bool found;

	while (n && off < plen) {
		size_t len = strcspn(path + off, "/");
		size_t i;

		if (off + len > plen)
			len = plen - off;
		i = kid_index(n, path + off, len, &found);
		n = found ? n->kids[i] : NULL;
		off += len + 1;
	}
	return n;
}

struct node *node_find(struct node *root, const char *path)
{
	return node_findn(root, path, strlen(path));
}

static struct node *kid_add(struct node *n, size_t i, const char *name,
			    size_t len, uint64_t gen)
{
	struct node **kids = realloc(n->kids, (n->nkids + 1) * sizeof(*kids));
	struct node *k;

	if (!kids)
		return NULL;
	n->kids = kids;
	k = node_new(name, len, n->perms, n->plen);
	if (!k)
		return NULL;
	memmove(&kids[i + 1], &kids[i], (n->nkids - i) * sizeof(*kids));
	kids[i] = k;
	n->nkids++;
	k->gen = gen;
	n->gen = gen;
	return k;
}

/*
 * Makes the nodes from the root to path[0..plen) the tree's own, creating
 * missing ones if create (else NULL when one is missing), and returns the
 * last.  Only the nodes this returns or walks through may then be changed.
 */
static struct node *node_own_path(struct node **rootp, const char *path,
				  size_t plen, bool create, uint64_t gen)
{
	struct node *n = node_own(rootp);
	size_t off = 1;

	while (n && off < plen) {
		size_t len = strcspn(path + off, "/");
		bool found;
		size_t i;

		if (off + len > plen)
			len = plen - off;
		i = kid_index(n, path + off, len, &found);
		if (found)
			n = node_own(&n->kids[i]);
		else
			n = create ? kid_add(n, i, path + off, len, gen) : NULL;
		off += len + 1;
	}
	return n;
}

/* Child names, each NUL-terminated; *len is their total size. */
char *node_list(const struct node *n, size_t *len)
{
	size_t i, off = 0;
	char *buf;

	for (i = 0; i < n->nkids; i++)
		off += strlen(n->kids[i]->name) + 1;
	buf = malloc(off + 1);
	if (!buf)
		return NULL;
	*len = off;
	for (i = off = 0; i < n->nkids; i++) {
		size_t l = strlen(n->kids[i]->name) + 1;

		memcpy(buf + off, n->kids[i]->name, l);
		off += l;
	}
	return buf;
}

int store_write(struct node **root, const char *path, const char *val,
		size_t len, uint64_t gen)
{
	struct node *n = node_own_path(root, path, strlen(path), true, gen);
	char *copy = NULL;

	if (!n)
		return -ENOMEM;
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, val, len);
	}
	free(n->value);
	n->value = copy;
	n->vlen = len;
	n->gen = gen;
	return 0;
}

/* Returns 1 if the node was created, 0 if it already existed. */
int store_mkdir(struct node **root, const char *path, uint64_t gen)
{
	if (node_find(*root, path))
		return 0;
	return node_own_path(root, path, strlen(path), true, gen) ? 1 : -ENOMEM;
}

/* Returns 1 if something was removed, 0 if only the parent exists. */
int store_rm(struct node **root, const char *path, uint64_t gen)
{
	const char *name = strrchr(path, '/') + 1;
	size_t plen = name - 1 - path;
	struct node *parent;
	size_t i;
	bool found;

	if (!strcmp(path, "/"))
		return -EINVAL;
	if (!plen)
		plen = 1;
	if (!node_find(*root, path))
		return node_findn(*root, path, plen) ? 0 : -ENOENT;
	parent = node_own_path(root, path, plen, false, gen);
	if (!parent)
		return -ENOMEM;
	i = kid_index(parent, name, strlen(name), &found);
	if (!found)		/* cannot happen: the node was found above */
		return -ENOENT;
	node_unref(parent->kids[i]);
	memmove(&parent->kids[i], &parent->kids[i + 1],
		(parent->nkids - i - 1) * sizeof(*parent->kids));
	parent->nkids--;
	parent->gen = gen;
	return 1;
}

/* Each perm is one of n, r, w, b followed by a decimal domain id. */
bool perms_valid(const char *perms, size_t plen)
{
	size_t off = 0;

	if (!plen || perms[plen - 1])
		return false;
	while (off < plen) {
		const char *p = perms + off;
		size_t len = strlen(p);

		if (len < 2 || !strchr("nrwb", p[0]) ||
		    strspn(p + 1, "0123456789") != len - 1)
			return false;
		off += len + 1;
	}
	return true;
}

int store_set_perms(struct node **root, const char *path, const char *perms,
		    size_t plen, uint64_t gen)
{
	struct node *n;
	char *copy;

	if (!node_find(*root, path))
		return -ENOENT;
	n = node_own_path(root, path, strlen(path), false, gen);
	if (!n)
		return -ENOMEM;
	copy = malloc(plen);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, perms, plen);
	free(n->perms);
	n->perms = copy;
	n->plen = plen;
	n->gen = gen;
	return 0;
}

int store_init(void)
{
	static const char *const initial[] = {
		"/local/domain/0", "/tool",
	};
	size_t i;

	store_root = node_new("", 0, default_perms, sizeof(default_perms));
	if (!store_root)
		return -ENOMEM;
	for (i = 0; i < sizeof(initial) / sizeof(initial[0]); i++)
		if (store_mkdir(&store_root, initial[i], 0) < 0)
			return -ENOMEM;
	return 0;
}

void store_fini(void)
{
	node_unref(store_root);
	store_root = NULL;
}

struct txn *txn_new(void)
{
	struct txn *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->root = store_root;	/* shared until one side changes it */
	store_root->refs++;
	t->id = next_txn_id++;
	if (!next_txn_id)
		next_txn_id = 1;
	t->start_gen = store_gen;
	return t;
}

int txn_record(struct txn *t, const char *path, bool rm)
{
	struct change *ch;
	size_t i;

	for (i = 0; i < t->nchanges; i++)
		if (t->changes[i].rm == rm && !strcmp(t->changes[i].path, path))
			return 0;
	ch = realloc(t->changes, (t->nchanges + 1) * sizeof(*ch));
	if (!ch)
		return -ENOMEM;
	t->changes = ch;
	ch[t->nchanges].path = strdup(path);
	if (!ch[t->nchanges].path)
		return -ENOMEM;
	ch[t->nchanges++].rm = rm;
	return 0;
}

/* The node at @path and its parent (a child made or removed changes it),
 * as the global tree has them when the transaction first touches them. */
int txn_access(struct txn *t, const char *path)
{
	char parent[XSD_PATH_BUF];
	const char *p[2] = { path, NULL };
	struct access *a;
	struct node *n;
	size_t i, k;
	char *slash;

	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		p[1] = parent;
	}
	for (k = 0; k < 2 && p[k]; k++) {
		for (i = 0; i < t->nacc && strcmp(t->acc[i].path, p[k]); i++)
			;
		if (i < t->nacc)
			continue;
		a = realloc(t->acc, (t->nacc + 1) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		t->acc = a;
		n = node_find(store_root, p[k]);
		a[t->nacc].gen = n ? n->gen : 0;
		a[t->nacc].path = strdup(p[k]);
		if (!a[t->nacc].path)
			return -ENOMEM;
		t->nacc++;
	}
	return 0;
}

/* Makes the global node at @path what the transaction's copy holds. */
static int apply_one(struct txn *t, const char *path, uint64_t gen)
{
	struct node *n = node_find(t->root, path);
	int err;

	if (!n) {
		err = store_rm(&store_root, path, gen);
		return err == -ENOENT ? 0 : err < 0 ? err : 0;
	}
	err = store_write(&store_root, path, n->value, n->vlen, gen);
	if (!err)
		err = store_set_perms(&store_root, path, n->perms, n->plen, gen);
	return err;
}

/*
 * As xenstored does, a transaction conflicts only when a node it touched
 * (read, listed or changed, or the parent of one it made or removed)
 * changed since: -EAGAIN. Otherwise each path it changed takes the state
 * its copy holds, removals first, then writes, shallower paths first.
 */
int txn_commit(struct txn *t)
{
	struct node *n;
	uint64_t gen;
	size_t i, pass;
	int err = 0;

	if (!t->nchanges)
		return 0;
	for (i = 0; i < t->nacc; i++) {
		n = node_find(store_root, t->acc[i].path);
		if ((n ? n->gen : 0) != t->acc[i].gen)
			return -EAGAIN;
	}
	gen = ++store_gen;
	for (pass = 0; pass < 2 && !err; pass++)
		for (i = 0; i < t->nchanges && !err; i++)
			if ((node_find(t->root, t->changes[i].path) == NULL) == (pass == 0))
				err = apply_one(t, t->changes[i].path, gen);
	return err;
}

void txn_free(struct txn *t)
{
	size_t i;

	for (i = 0; i < t->nchanges; i++)
		free(t->changes[i].path);
	free(t->changes);
	for (i = 0; i < t->nacc; i++)
		free(t->acc[i].path);
	free(t->acc);
	node_unref(t->root);
	free(t);
}
