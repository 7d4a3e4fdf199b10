/*
 * index.c: field indexes (struct store_index): the _idx entries a write
 * adds and drops, the lists and lookups they answer without parsing a
 * document, and their rebuild at open when the index table changed. The
 * key layout, and why it is so, is at the top of store.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "log.h"
#include "store-private.h"

/* Part of the signature, so that another key layout rebuilds _idx. */
#define IDX_LAYOUT	"idx1"

/* The field index field of c, or NULL. */
static const struct store_index *
index_of(const struct store_coll *c, const char *field)
{
	size_t	i;

	for (i = 0; field != NULL && i < c->nindexes; i++)
		if (strcmp(c->indexes[i].field, field) == 0)
			return &c->indexes[i];
	return NULL;
}

/*
 * The key prefix of value (vlen bytes) of coll's field into key: coll NUL
 * field NUL SHA-256(value). Returns its length. coll and field are names
 * the table check passed (at most STORE_NAME_MAX bytes each).
 */
static size_t
idx_prefix(unsigned char *key, const char *coll, const char *field,
    const char *value, size_t vlen)
{
	size_t	cl = strlen(coll) + 1, fl = strlen(field) + 1;

	memcpy(key, coll, cl);
	memcpy(key + cl, field, fl);
	mbedtls_sha256_ret((const unsigned char *)value, vlen, key + cl + fl,
	    0);
	return cl + fl + 32;
}

/* The whole key: the prefix, then id. Returns its length. */
static size_t
idx_key(unsigned char key[STORE_IDX_KEY_MAX], const char *coll,
    const char *field, const char *value, size_t vlen, const char *id)
{
	size_t	n = idx_prefix(key, coll, field, value, vlen);
	size_t	il = strlen(id);

	memcpy(key + n, id, il);
	return n + il;
}

static int
str_is(const json_t *v, const char *s, size_t len)
{
	return json_is_string(v) && json_string_length(v) == len &&
	    memcmp(json_string_value(v), s, len) == 0;
}

/* 1 if doc (may be NULL) holds the string s (len bytes) under ix. */
static int
holds(const json_t *doc, const struct store_index *ix, const char *s,
    size_t len)
{
	const json_t	*f, *el;
	size_t		 i;

	f = doc != NULL ? json_object_get(doc, ix->field) : NULL;
	if (json_is_string(f))
		return str_is(f, s, len);
	if (ix->array && json_is_array(f))
		json_array_foreach(f, i, el)
			if (str_is(el, s, len))
				return 1;
	return 0;
}

/* Add (add) or drop the entry of value val, unless other holds it too. */
static int
idx_one(MDB_txn *txn, struct store *st, const char *coll,
    const struct store_index *ix, const char *id, const json_t *val,
    const json_t *other, int add)
{
	unsigned char	key[STORE_IDX_KEY_MAX];
	const char	*s = json_string_value(val);
	size_t		 len = json_string_length(val);
	MDB_val		 k, v = { 0, (void *)"" };
	int		 rc;

	/* A value both old and new have keeps its entry as it is. */
	if (holds(other, ix, s, len))
		return STORE_OK;
	k.mv_size = idx_key(key, coll, ix->field, s, len, id);
	k.mv_data = key;
	if (add)
		rc = mdb_put(txn, st->idx, &k, &v, 0);
	else
		rc = mdb_del(txn, st->idx, &k, NULL);
	/* A value twice in an array has one entry: dropped once. */
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_mdb_rc(rc);
	return STORE_OK;
}

/* For each string value of ix in from that other lacks: add or drop. */
static int
idx_apply(MDB_txn *txn, struct store *st, const char *coll,
    const struct store_index *ix, const char *id, const json_t *from,
    const json_t *other, int add)
{
	const json_t	*f, *el;
	size_t		 i;
	int		 rc;

	if (from == NULL)
		return STORE_OK;
	f = json_object_get(from, ix->field);
	if (json_is_string(f))
		return idx_one(txn, st, coll, ix, id, f, other, add);
	if (!ix->array || !json_is_array(f))
		return STORE_OK;
	json_array_foreach(f, i, el)
		if (json_is_string(el) && (rc = idx_one(txn, st, coll, ix, id,
		    el, other, add)) != STORE_OK)
			return rc;
	return STORE_OK;
}

int
index_update(MDB_txn *txn, struct store *st, const struct store_coll *c,
    const char *id, const json_t *old, const json_t *doc)
{
	size_t	i;
	int	rc;

	for (i = 0; i < c->nindexes; i++)
		if ((rc = idx_apply(txn, st, c->name, &c->indexes[i], id, old,
		    doc, 0)) != STORE_OK ||
		    (rc = idx_apply(txn, st, c->name, &c->indexes[i], id, doc,
		    old, 1)) != STORE_OK)
			return rc;
	return STORE_OK;
}

/* SHA-256 hex of the index table: what _idx holds entries for. */
static void
idx_signature(struct store *st, char out[SHA256_HEX])
{
	mbedtls_sha256_context	 ctx;
	const struct store_coll	*c;
	unsigned char		 md[32];
	size_t			 i, j;

	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)IDX_LAYOUT,
	    sizeof IDX_LAYOUT);
	for (i = 0; i < st->ncolls; i++) {
		c = &st->colls[i];
		for (j = 0; j < c->nindexes; j++) {
			/* Each name with its NUL: no two tables read alike. */
			mbedtls_sha256_update_ret(&ctx, (const unsigned char *)
			    c->name, strlen(c->name) + 1);
			mbedtls_sha256_update_ret(&ctx, (const unsigned char *)
			    c->indexes[j].field,
			    strlen(c->indexes[j].field) + 1);
			mbedtls_sha256_update_ret(&ctx, (const unsigned char *)
			    (c->indexes[j].array ? "a" : "s"), 1);
		}
	}
	mbedtls_sha256_finish_ret(&ctx, md);
	mbedtls_sha256_free(&ctx);
	util_hex(md, sizeof md, out);
}

/* Add the entries of every record of collection ci; *n counts them. */
static int
idx_build(struct store *st, MDB_txn *txn, size_t ci, size_t *n)
{
	const struct store_coll	*c = &st->colls[ci];
	MDB_cursor		*cur;
	MDB_val			 k, v;
	json_t			*doc;
	char			 id[ID_MAX + 1];
	int			 rc, ret = 0;

	if ((rc = mdb_cursor_open(txn, st->dbis[ci], &cur)) != 0)
		return store_mdb_rc(rc);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size == 0 || k.mv_size > ID_MAX ||
		    (doc = json_loadb(v.mv_data, v.mv_size, JSON_ALLOW_NUL,
		    NULL)) == NULL) {
			/* An index cannot mend a record: name it, go on. */
			log_warnx("store: %s/%.*s is not a record; not indexed",
			    c->name, (int)(k.mv_size > ID_MAX ? ID_MAX :
			    k.mv_size), (const char *)k.mv_data);
			continue;
		}
		memcpy(id, k.mv_data, k.mv_size);
		id[k.mv_size] = '\0';
		ret = index_update(txn, st, c, id, NULL, doc);
		json_decref(doc);
		if (ret != STORE_OK)
			break;
		(*n)++;
	}
	mdb_cursor_close(cur);
	if (ret == STORE_OK && rc != MDB_NOTFOUND)
		ret = store_mdb_rc(rc);
	return ret;
}

int
index_sync(struct store *st, MDB_txn *txn, char *err, size_t errlen)
{
	MDB_val	 k = { 7, (void *)"indexes" }, v;
	char	 sig[SHA256_HEX];
	size_t	 i, n = 0;
	int	 rc;

	idx_signature(st, sig);
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == 0 && v.mv_size == SHA256_HEX - 1 &&
	    memcmp(v.mv_data, sig, SHA256_HEX - 1) == 0)
		return 0;
	if (rc != 0 && rc != MDB_NOTFOUND) {
		rc = store_mdb_rc(rc);
		goto fail;
	}
	/* Built for another table, or never: start from nothing. */
	if ((rc = store_mdb_rc(mdb_drop(txn, st->idx, 0))) != STORE_OK)
		goto fail;
	for (i = 0; i < st->ncolls; i++)
		if (st->colls[i].nindexes > 0 &&
		    (rc = idx_build(st, txn, i, &n)) != STORE_OK)
			goto fail;
	v.mv_data = sig;
	v.mv_size = SHA256_HEX - 1;
	if ((rc = store_mdb_rc(mdb_put(txn, st->meta, &k, &v, 0))) !=
	    STORE_OK)
		goto fail;
	if (!st->fresh)
		log_info("store: field indexes rebuilt from %zu records", n);
	return 0;
fail:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "building field indexes: %s",
		    store_strerror(rc));
	return -1;
}

/* store_list_by on "id": the one record whose id is value, if after it. */
static int
list_by_id(struct store *st, MDB_txn *txn, int ci, const char *value,
    const char *from, struct store_page *pg)
{
	MDB_val	k, doc;
	int	rc;

	if (!util_id_valid(value) || (from[0] != '\0' &&
	    strcmp(value, from) <= 0))
		return STORE_OK;
	k.mv_data = (void *)value;
	k.mv_size = strlen(value);
	if ((rc = mdb_get(txn, st->dbis[ci], &k, &doc)) == MDB_NOTFOUND)
		return STORE_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	store_page_offer(pg, value, &doc);
	return STORE_OK;
}

/*
 * Walk the _idx keys that start with key's plen bytes, from those past the
 * id from, fetching each record of collection ci for pg.
 */
static int
idx_walk(struct store *st, MDB_txn *txn, int ci, unsigned char *key,
    size_t plen, const char *from, struct store_page *pg)
{
	MDB_cursor	*cur;
	MDB_val		 k, v, dk, doc;
	char		 id[ID_MAX + 1];
	size_t		 fl = strlen(from);
	int		 rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(txn, st->idx, &cur)) != 0)
		return store_mdb_rc(rc);
	memcpy(key + plen, from, fl);
	k.mv_data = key;
	k.mv_size = plen + fl;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && fl > 0 && k.mv_size == plen + fl &&
	    memcmp(k.mv_data, key, plen + fl) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= plen || memcmp(k.mv_data, key, plen) != 0)
			break;		/* past the value's keys */
		if (k.mv_size - plen > ID_MAX) {
			log_warnx("store: _idx holds a %zu-byte id",
			    k.mv_size - plen);
			ret = STORE_IO;
			break;
		}
		memcpy(id, (char *)k.mv_data + plen, k.mv_size - plen);
		id[k.mv_size - plen] = '\0';
		dk.mv_data = id;
		dk.mv_size = k.mv_size - plen;
		if ((rc = mdb_get(txn, st->dbis[ci], &dk, &doc)) != 0) {
			log_warnx("store: _idx names %s/%s: %s",
			    st->colls[ci].name, id, mdb_strerror(rc));
			ret = rc == MDB_NOTFOUND ? STORE_IO : store_mdb_rc(rc);
			break;
		}
		if (store_page_offer(pg, id, &doc))
			break;
	}
	if (ret == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		ret = store_mdb_rc(rc);
	mdb_cursor_close(cur);
	return ret;
}

int
store_list_by(struct store *st, MDB_txn *txn, const char *coll,
    const char *field, const char *value, const char *after, size_t limit,
    int (*cb)(const char *, const MDB_val *, void *), void *arg, char *next)
{
	struct store_page	pg;
	unsigned char		key[STORE_IDX_KEY_MAX];
	char			from[ID_MAX + 1];
	size_t			plen, al = 0;
	int			ci;

	/*
	 * after may be next itself: keep a copy. No id is longer than
	 * ID_MAX, so its first ID_MAX bytes place it as well (the id equal
	 * to those is before it, and skipped as after itself would be).
	 */
	if (after != NULL && (al = strlen(after)) > STORE_KEY_MAX)
		return STORE_INVALID;
	if (al > ID_MAX)
		al = ID_MAX;
	if (al > 0)
		memcpy(from, after, al);
	from[al] = '\0';
	store_page_init(&pg, limit, next, cb, arg);
	if ((ci = store_coll_index(st, coll)) == -1 || field == NULL ||
	    value == NULL)
		return STORE_INVALID;
	if (strcmp(field, "id") == 0)
		return list_by_id(st, txn, ci, value, from, &pg);
	if (index_of(&st->colls[ci], field) == NULL)
		return STORE_INVALID;
	plen = idx_prefix(key, coll, field, value, strlen(value));
	return idx_walk(st, txn, ci, key, plen, from, &pg);
}

int
store_index_has(struct store *st, MDB_txn *txn, const char *coll,
    const char *field, const char *value, const char *id)
{
	unsigned char	key[STORE_IDX_KEY_MAX];
	MDB_val		k, v;
	int		ci;

	if ((ci = store_coll_index(st, coll)) == -1 || field == NULL ||
	    value == NULL || id == NULL || !util_id_valid(id))
		return 0;
	if (strcmp(field, "id") == 0) {
		if (strcmp(value, id) != 0)
			return 0;
		k.mv_data = (void *)id;
		k.mv_size = strlen(id);
		return mdb_get(txn, st->dbis[ci], &k, &v) == 0;
	}
	if (index_of(&st->colls[ci], field) == NULL)
		return 0;
	k.mv_size = idx_key(key, coll, field, value, strlen(value), id);
	k.mv_data = key;
	return mdb_get(txn, st->idx, &k, &v) == 0;
}
