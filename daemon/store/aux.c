/*
 * aux.c: aux tables, the rows that resource hooks derive from documents
 * (say, an auditor's CPD hours by date) and keep in the change that writes
 * the documents. Each table is its own database, "_aux_<name>", declared
 * at open; the store gives its keys and values no meaning.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "log.h"
#include "store-private.h"

int
aux_dbi(struct store *st, const char *name, MDB_dbi *dbi)
{
	size_t	i;

	for (i = 0; name != NULL && i < st->naux; i++)
		if (strcmp(st->aux[i], name) == 0) {
			*dbi = st->auxdbis[i];
			return 0;
		}
	return -1;
}

/* 1 if klen bytes can be an LMDB key. */
static int
key_ok(const void *key, size_t klen)
{
	return key != NULL && klen > 0 && klen <= STORE_KEY_MAX;
}

int
store_txn_aux_put(struct store_txn *t, const char *table, const void *key,
    size_t klen, const void *val, size_t vlen)
{
	MDB_dbi	dbi;
	MDB_val	k, v;
	int	rc;

	if (t->broken)
		return t->broken;
	if (aux_dbi(t->st, table, &dbi) == -1 || !key_ok(key, klen) ||
	    (val == NULL && vlen > 0))
		return STORE_INVALID;
	k.mv_data = (void *)key;
	k.mv_size = klen;
	v.mv_data = val != NULL ? (void *)val : (void *)"";
	v.mv_size = vlen;
	if ((rc = mdb_put(t->txn, dbi, &k, &v, 0)) != 0)
		return store_txn_broken(t, store_mdb_rc(rc));
	return STORE_OK;
}

int
store_txn_aux_del(struct store_txn *t, const char *table, const void *key,
    size_t klen)
{
	MDB_dbi	dbi;
	MDB_val	k;
	int	rc;

	if (t->broken)
		return t->broken;
	if (aux_dbi(t->st, table, &dbi) == -1 || !key_ok(key, klen))
		return STORE_INVALID;
	k.mv_data = (void *)key;
	k.mv_size = klen;
	if ((rc = mdb_del(t->txn, dbi, &k, NULL)) == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0)
		return store_txn_broken(t, store_mdb_rc(rc));
	return STORE_OK;
}

int
store_aux_get(struct store *st, MDB_txn *txn, const char *table,
    const void *key, size_t klen, MDB_val *val)
{
	MDB_dbi	dbi;
	MDB_val	k;

	if (aux_dbi(st, table, &dbi) == -1 || !key_ok(key, klen))
		return STORE_INVALID;
	k.mv_data = (void *)key;
	k.mv_size = klen;
	return store_mdb_rc(mdb_get(txn, dbi, &k, val));
}

int
store_aux_walk(struct store *st, MDB_txn *txn, const char *table,
    const void *prefix, size_t plen,
    int (*cb)(const MDB_val *, const MDB_val *, void *), void *arg)
{
	return store_aux_walk_from(st, txn, table, prefix, plen, prefix, plen,
	    cb, arg);
}

int
store_aux_walk_from(struct store *st, MDB_txn *txn, const char *table,
    const void *prefix, size_t plen, const void *start, size_t slen,
    int (*cb)(const MDB_val *, const MDB_val *, void *), void *arg)
{
	MDB_cursor	*cur;
	MDB_dbi		 dbi;
	MDB_val		 k, v;
	int		 rc;

	if (aux_dbi(st, table, &dbi) == -1 || plen > STORE_KEY_MAX ||
	    slen > STORE_KEY_MAX || (prefix == NULL && plen > 0) ||
	    (start == NULL && slen > 0) || cb == NULL)
		return STORE_INVALID;
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
		return store_mdb_rc(rc);
	/* A start before the prefix would walk rows without it first. */
	if (slen < plen || memcmp(start, prefix, plen) != 0) {
		start = prefix;
		slen = plen;
	}
	if (slen > 0) {
		k.mv_data = (void *)start;
		k.mv_size = slen;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	} else
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* Keys in byte order: the first without the prefix ends it. */
		if (plen > 0 && (k.mv_size < plen ||
		    memcmp(k.mv_data, prefix, plen) != 0))
			break;
		if (cb(&k, &v, arg) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_mdb_rc(rc);
	return STORE_OK;
}

int
store_aux_cursor(struct store *st, MDB_txn *txn, const char *table,
    MDB_cursor **cur)
{
	MDB_dbi	dbi;
	int	rc;

	*cur = NULL;
	if (aux_dbi(st, table, &dbi) == -1)
		return STORE_INVALID;
	if ((rc = mdb_cursor_open(txn, dbi, cur)) != 0) {
		*cur = NULL;
		return store_mdb_rc(rc);
	}
	return STORE_OK;
}

void
store_txn_view(struct store_txn *t, struct store **st, MDB_txn **txn)
{
	*st = t->st;
	*txn = t->txn;
}

/* SHA-256 hex of the aux layout: the version and every table's name. */
static void
aux_signature(struct store *st, char out[SHA256_HEX])
{
	mbedtls_sha256_context	 ctx;
	const char		*v = st->aux_version != NULL ? st->aux_version :
				    "";
	unsigned char		 md[32];
	size_t			 i;

	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	/* Each with its NUL: no two layouts read alike. */
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)v,
	    strlen(v) + 1);
	for (i = 0; i < st->naux; i++)
		mbedtls_sha256_update_ret(&ctx, (const unsigned char *)
		    st->aux[i], strlen(st->aux[i]) + 1);
	mbedtls_sha256_finish_ret(&ctx, md);
	mbedtls_sha256_free(&ctx);
	util_hex(md, sizeof md, out);
}

int
aux_sync(struct store *st, MDB_txn *txn, char *err, size_t errlen)
{
	MDB_val			 k = { 3, (void *)"aux" }, v;
	struct store_txn	 t;
	char			 sig[SHA256_HEX];
	size_t			 i;
	int			 rc;

	/* A program that cannot derive the rows leaves them as they are. */
	if (st->aux_rebuild == NULL)
		return 0;
	aux_signature(st, sig);
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == 0 && v.mv_size == SHA256_HEX - 1 &&
	    memcmp(v.mv_data, sig, SHA256_HEX - 1) == 0)
		return 0;
	if (rc != 0 && rc != MDB_NOTFOUND) {
		rc = store_mdb_rc(rc);
		goto fail;
	}
	/* Built for another layout, or never: start from nothing. */
	for (i = 0; i < st->naux; i++)
		if ((rc = store_mdb_rc(mdb_drop(txn, st->auxdbis[i], 0))) !=
		    STORE_OK)
			goto fail;
	memset(&t, 0, sizeof t);
	t.st = st;
	t.txn = txn;
	t.principal = "system";
	if ((rc = st->aux_rebuild(&t, st->aux_arg)) == STORE_OK && t.broken)
		rc = t.broken;
	if (rc != STORE_OK)
		goto fail;
	v.mv_data = sig;
	v.mv_size = SHA256_HEX - 1;
	if ((rc = store_mdb_rc(mdb_put(txn, st->meta, &k, &v, 0))) !=
	    STORE_OK)
		goto fail;
	if (!st->fresh)
		log_info("store: derived rows rebuilt for a new layout");
	return 0;
fail:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "building derived rows: %s",
		    store_strerror(rc));
	return -1;
}
