/*
 * store-check.c: what proves a store sound and what copies it: every
 * derived row (references, unique and field indexes, aux rows) derived
 * again from the documents and compared with the stored rows, and the
 * compacted copy that backups and compaction are made of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "log.h"
#include "store-private.h"

#define CHECK_TABLES_MAX	(3 + 64)

/* A table's rows, summed up: how many, and a digest of them in order. */
struct digest {
	size_t		n;
	unsigned char	md[32];
};

struct check {
	void		(*report)(const char *, size_t, size_t, int, void *);
	void		*arg;
	size_t		 records;
	int		 rc;
	struct store_err *err;
};

int
store_count(struct store *st, MDB_txn *txn, const char *coll, size_t *n)
{
	MDB_stat	ms;
	int		ci, rc;

	*n = 0;
	if ((ci = store_coll_index(st, coll)) == -1)
		return STORE_INVALID;
	if ((rc = mdb_stat(txn, st->dbis[ci], &ms)) != 0)
		return store_mdb_rc(rc);
	*n = ms.ms_entries;
	return STORE_OK;
}

static void
put_len(mbedtls_sha256_context *ctx, size_t len)
{
	unsigned char	b[8];
	int		i;

	for (i = 7; i >= 0; i--) {
		b[i] = len & 0xff;
		len >>= 8;
	}
	mbedtls_sha256_update_ret(ctx, b, sizeof b);
}

/* Every row of dbi (each value of a DUPSORT key too), lengths included. */
static int
digest(MDB_txn *txn, MDB_dbi dbi, struct digest *d)
{
	mbedtls_sha256_context	 ctx;
	MDB_cursor		*cur;
	MDB_val			 k, v;
	int			 rc;

	d->n = 0;
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
		return store_mdb_rc(rc);
	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		put_len(&ctx, k.mv_size);
		mbedtls_sha256_update_ret(&ctx, k.mv_data, k.mv_size);
		put_len(&ctx, v.mv_size);
		mbedtls_sha256_update_ret(&ctx, v.mv_data, v.mv_size);
		d->n++;
	}
	mbedtls_sha256_finish_ret(&ctx, d->md);
	mbedtls_sha256_free(&ctx);
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? STORE_OK : store_mdb_rc(rc);
}

/* Link every document of collection ci again, as a put would. */
static int
relink_coll(struct store_txn *t, size_t ci, struct check *ck)
{
	struct store		*st = t->st;
	MDB_cursor		*cur;
	MDB_val			 k, v;
	json_t			*doc;
	char			 id[ID_MAX + 1];
	int			 rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(t->txn, st->dbis[ci], &cur)) != 0)
		return store_mdb_rc(rc);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		ck->records++;
		doc = NULL;
		if (k.mv_size == 0 || k.mv_size > ID_MAX ||
		    (doc = json_loadb(v.mv_data, v.mv_size, JSON_ALLOW_NUL,
		    NULL)) == NULL) {
			if (ck->rc == STORE_OK)
				store_err_set(ck->err, "", "%s/%.*s is not a "
				    "JSON document", st->colls[ci].name,
				    (int)(k.mv_size > ID_MAX ? ID_MAX :
				    k.mv_size), (const char *)k.mv_data);
			ck->rc = STORE_INVALID;
			continue;
		}
		memcpy(id, k.mv_data, k.mv_size);
		id[k.mv_size] = '\0';
		rc = store_txn_relink(t, (int)ci, id, doc, ck->err);
		json_decref(doc);
		if (rc == STORE_FULL || rc == STORE_IO) {
			ret = rc;
			break;
		}
		if (rc != STORE_OK && ck->rc == STORE_OK) {
			/* err names the field; say which record it is. */
			log_warnx("store check: %s/%s: %s", st->colls[ci].name,
			    id, ck->err->message);
			ck->rc = STORE_INVALID;
		}
		rc = 0;
	}
	mdb_cursor_close(cur);
	if (ret == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		ret = store_mdb_rc(rc);
	return ret;
}

/*
 * The writer's change: digest the derived tables, empty them, derive them
 * again, digest once more. Always refused, so the writer undoes it.
 */
static int
check_apply(struct store_txn *t, void *arg)
{
	struct check	*ck = arg;
	struct store	*st = t->st;
	struct digest	 before[CHECK_TABLES_MAX], after;
	MDB_dbi		 dbis[CHECK_TABLES_MAX];
	char		 names[CHECK_TABLES_MAX][STORE_NAME_MAX + 8];
	size_t		 i, n = 0;
	int		 rc;

	dbis[n] = st->refs;
	snprintf(names[n++], sizeof names[0], "_refs");
	dbis[n] = st->uniq;
	snprintf(names[n++], sizeof names[0], "_uniq");
	dbis[n] = st->idx;
	snprintf(names[n++], sizeof names[0], "_idx");
	/* A program that cannot derive the aux rows must not judge them. */
	for (i = 0; st->aux_rebuild != NULL && i < st->naux &&
	    n < CHECK_TABLES_MAX; i++) {
		dbis[n] = st->auxdbis[i];
		snprintf(names[n++], sizeof names[0], "_aux_%s", st->aux[i]);
	}
	for (i = 0; i < n; i++)
		if ((rc = digest(t->txn, dbis[i], &before[i])) != STORE_OK ||
		    (rc = store_mdb_rc(mdb_drop(t->txn, dbis[i], 0))) !=
		    STORE_OK)
			goto out;
	for (i = 0; i < st->ncolls; i++)
		if ((rc = relink_coll(t, i, ck)) != STORE_OK)
			goto out;
	if (st->aux_rebuild != NULL) {
		if ((rc = st->aux_rebuild(t, st->aux_arg)) == STORE_OK &&
		    t->broken)
			rc = t->broken;
		if (rc != STORE_OK)
			goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = digest(t->txn, dbis[i], &after)) != STORE_OK)
			goto out;
		if (before[i].n != after.n ||
		    memcmp(before[i].md, after.md, sizeof after.md) != 0) {
			if (ck->rc == STORE_OK)
				store_err_set(ck->err, "", "%s: the stored rows "
				    "differ from the rows the documents give",
				    names[i]);
			ck->rc = STORE_INVALID;
			if (ck->report != NULL)
				ck->report(names[i], before[i].n, after.n, 0,
				    ck->arg);
		} else
			if (ck->report != NULL)
				ck->report(names[i], before[i].n, after.n, 1,
				    ck->arg);
	}
	rc = STORE_OK;
out:
	if (rc != STORE_OK)
		ck->rc = rc;
	return STORE_INVALID;	/* undo it all */
}

int
store_check(struct store *st, void (*report)(const char *, size_t, size_t,
    int, void *), void *arg, size_t *records, struct store_err *err)
{
	struct store_err	 e;
	struct check		 ck;
	int			 rc;

	memset(&ck, 0, sizeof ck);
	memset(&e, 0, sizeof e);
	ck.report = report;
	ck.arg = arg;
	ck.err = err != NULL ? err : &e;
	ck.rc = STORE_OK;
	rc = store_write(st, check_apply, &ck, "check");
	if (records != NULL)
		*records = ck.records;
	/* check_apply always refuses; only a refusal of the writer's counts. */
	if (rc != STORE_INVALID)
		return rc;
	return ck.rc;
}

int
store_copy_fd(struct store *st, int fd)
{
	int	rc;

	/* LMDB's copy reads in a transaction of its own: hold the gate. */
	pthread_rwlock_rdlock(&st->gate);
	rc = mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT);
	pthread_rwlock_unlock(&st->gate);
	if (rc != 0) {
		log_warnx("store: copy: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	return STORE_OK;
}
