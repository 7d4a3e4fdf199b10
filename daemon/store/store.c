/*
 * store.c: the record store's environment (open, close) and its reads
 * (get, list, unique and reference lookups). The hash chain is in
 * events.c, field indexes in index.c, aux tables in aux.c, the writer
 * thread in writer.c, the write side of a transaction in store-txn.c.
 *
 * One LMDB environment (a directory), opened MDB_NOTLS with LMDB's default
 * durability: every commit is synced. Named databases and their keys:
 *
 *   <collection>  key: record id (1..64 bytes, [A-Za-z0-9._-])
 *                 value: the record's canonical JSON (util_json_canonical),
 *                 not NUL-terminated.
 *   _events       key: seq, 8 bytes big-endian (so byte order is seq order),
 *                 from 1 with no gaps
 *                 value: the event's canonical JSON: {"action","hash",
 *                 "prev","principal","record","rev","seq","sha256","time",
 *                 "type"}; hash is SHA-256 hex of the canonical JSON of the
 *                 event without "hash", prev the previous event's hash (64
 *                 '0's for seq 1).
 *   _meta         "schema" -> "1" (layout version; other values are refused)
 *                 "created" -> RFC 3339 time the store was made (its
 *                 presence is what makes a store not fresh)
 *                 "head" -> 8-byte big-endian seq of the last event, then
 *                 its 64-byte hex hash (absent until the first event).
 *                 "indexes" -> SHA-256 hex of the field index table _idx
 *                 was built for (index.c); another table rebuilds _idx.
 *   _refs         MDB_DUPSORT. key: "target_coll/target_id"
 *                 values: "source_coll/source_id", one per record whose
 *                 references (struct store_ref) name the target. A record
 *                 that names a target twice has one value.
 *   _uniq         key: "coll" NUL "field" NUL, then '=' and the value's bytes,
 *                 or, when that would pass LMDB's 511-byte key limit, '#'
 *                 and the value's SHA-256 hex; value: the record id.
 *   _idx          key: "coll" NUL "field" NUL, the 32-byte SHA-256 of the
 *                 value's bytes, then the record id; value: empty. One key
 *                 per (record, indexed field, distinct string value).
 *                 Why: everything before the id has one length for a
 *                 given coll, field and value, so "ids of coll whose field
 *                 is value, after a cursor" is one prefix walk from
 *                 prefix + cursor, in id order (the keys compare as the
 *                 collection's do), ending at the first key without the
 *                 prefix. The digest stands in for the value so that a
 *                 value of any length fits LMDB's 511-byte key (the key is
 *                 at most 226 bytes) and a value's bytes, embedded NULs
 *                 included, can never run into the id that follows: a
 *                 value written out would need escaping or a length for
 *                 that. Nothing reads a value back from the index.
 *   _aux_<name>   one per aux table named at open: keys and values as the
 *                 resource hooks that own them write them (1..511-byte
 *                 keys in byte order).
 *
 * A full map answers STORE_FULL (507); the writer grows it up to map_max
 * (writer.c, map_grow), behind the read gate (store_read_begin).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store-private.h"

#define INTERNAL_DBS	5	/* _events, _meta, _refs, _uniq, _idx */
#define AUX_PREFIX	"_aux_"

static void seterr(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
store_err_set(struct store_err *err, const char *path, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return;
	snprintf(err->path, sizeof err->path, "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

const char *
store_strerror(int rc)
{
	switch (rc) {
	case STORE_OK:		return "ok";
	case STORE_NOTFOUND:	return "no such record";
	case STORE_EXISTS:	return "record exists";
	case STORE_STALE:	return "revision is stale";
	case STORE_REFERENCED:	return "record is referenced";
	case STORE_BADREF:	return "reference to a missing record";
	case STORE_DUPLICATE:	return "unique value taken";
	case STORE_INVALID:	return "change refused";
	case STORE_FULL:	return "store is full";
	case STORE_BUSY:	return "write queue is full";
	case STORE_IO:		return "store error";
	default:		return "unknown store error";
	}
}

int
store_coll_index(struct store *st, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < st->ncolls; i++)
		if (strcmp(st->colls[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
store_mdb_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:	return STORE_OK;
	case MDB_NOTFOUND:	return STORE_NOTFOUND;
	case MDB_MAP_FULL:	return STORE_FULL;
	default:
		log_warnx("store: %s", mdb_strerror(rc));
		return STORE_IO;
	}
}

size_t
store_ref_key(char *key, size_t keylen, const char *coll, const char *id)
{
	int	n;

	n = snprintf(key, keylen, "%s/%s", coll, id);
	if (n < 0 || (size_t)n >= keylen)
		return 0;
	return (size_t)n;
}

size_t
store_uniq_key(char *key, const char *coll, const char *field,
    const char *value, size_t vlen)
{
	size_t	cl = strlen(coll), fl = strlen(field), n;
	char	hex[SHA256_HEX];

	n = cl + 1 + fl + 1;
	if (n + 1 + SHA256_HEX - 1 > STORE_KEY_MAX)
		return 0;
	memcpy(key, coll, cl + 1);
	memcpy(key + cl + 1, field, fl + 1);
	if (n + 1 + vlen <= STORE_KEY_MAX) {
		key[n] = '=';
		memcpy(key + n + 1, value, vlen);
		return n + 1 + vlen;
	}
	/*
	 * Too long for a key: its digest stands in (collisions: none known).
	 * Only the 64 digits go in: where they end at the key's last byte the
	 * digest's NUL would land past it.
	 */
	key[n] = '#';
	util_sha256_hex(value, vlen, hex);
	memcpy(key + n + 1, hex, SHA256_HEX - 1);
	return n + 1 + SHA256_HEX - 1;
}

unsigned
store_max_readers(unsigned workers)
{
	return workers + 1 + STORE_SCAN_READERS + STORE_SPARE_READERS;
}

/* 1 if name can name a collection, field or aux table. */
static int
name_ok(const char *name)
{
	size_t	len;

	if (name == NULL)
		return 0;
	len = strlen(name);
	return len > 0 && len <= STORE_NAME_MAX;
}

/* Refuse one collection whose names could not form keys. */
static int
check_coll(const struct store_coll *c, char *err, size_t errlen)
{
	size_t	i;

	if (!name_ok(c->name) || c->name[0] == '_' ||
	    strchr(c->name, '/') != NULL) {
		seterr(err, errlen, "bad collection name '%s'", c->name);
		return -1;
	}
	for (i = 0; i < c->nrefs; i++)
		if (!name_ok(c->refs[i].field) || c->refs[i].target == NULL) {
			seterr(err, errlen, "%s: bad reference", c->name);
			return -1;
		}
	for (i = 0; i < c->nuniques; i++)
		if (!name_ok(c->uniques[i].field)) {
			seterr(err, errlen, "%s: bad unique index", c->name);
			return -1;
		}
	for (i = 0; i < c->nindexes; i++) {
		if (!name_ok(c->indexes[i].field)) {
			seterr(err, errlen, "%s: bad field index", c->name);
			return -1;
		}
		/* store_list_by answers "id" from the records themselves. */
		if (strcmp(c->indexes[i].field, "id") == 0) {
			seterr(err, errlen, "%s: the id needs no field index",
			    c->name);
			return -1;
		}
	}
	return 0;
}

/* Refuse tables whose names could not form keys, or that name unknown dbs. */
static int
check_table(const struct store_coll *colls, size_t *ncolls, char *err,
    size_t errlen)
{
	size_t	n, i, j, k;

	for (n = 0; colls != NULL && colls[n].name != NULL; n++) {
		if (check_coll(&colls[n], err, errlen) == -1)
			return -1;
		for (i = 0; i < n; i++)
			if (strcmp(colls[i].name, colls[n].name) == 0) {
				seterr(err, errlen, "collection '%s' twice",
				    colls[n].name);
				return -1;
			}
	}
	/* A target may be declared after its referrers: check at the end. */
	for (i = 0; i < n; i++)
		for (j = 0; j < colls[i].nrefs; j++) {
			for (k = 0; k < n; k++)
				if (strcmp(colls[k].name,
				    colls[i].refs[j].target) == 0)
					break;
			if (k == n) {
				seterr(err, errlen, "%s.%s references unknown "
				    "collection '%s'", colls[i].name,
				    colls[i].refs[j].field,
				    colls[i].refs[j].target);
				return -1;
			}
		}
	*ncolls = n;
	return 0;
}

/* Refuse aux table names that could not name a database. */
static int
check_aux(const char *const *aux, size_t *naux, char *err, size_t errlen)
{
	size_t	n, i;

	for (n = 0; aux != NULL && aux[n] != NULL; n++) {
		if (!name_ok(aux[n]) || strchr(aux[n], '/') != NULL) {
			seterr(err, errlen, "bad aux table name '%s'", aux[n]);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (strcmp(aux[i], aux[n]) == 0) {
				seterr(err, errlen, "aux table '%s' twice",
				    aux[n]);
				return -1;
			}
	}
	*naux = n;
	return 0;
}

/* Close what store_open made; the writer is not running. */
static void
store_close(struct store *st)
{
	if (st->env != NULL)
		mdb_env_close(st->env);
	if (st->lockfd != -1)
		close(st->lockfd);	/* the lock goes with it */
	pthread_cond_destroy(&st->done);
	pthread_cond_destroy(&st->work);
	pthread_mutex_destroy(&st->lock);
	pthread_rwlock_destroy(&st->gate);
	free(st->dbis);
	free(st->auxdbis);
	free(st);
}

/* Open every database: collections, internal ones, aux tables. */
static int
open_dbs(struct store *st, MDB_txn *txn)
{
	static const struct {
		const char	*name;
		unsigned int	 flags;
		size_t		 off;
	} internal[] = {
		{ "_events", 0, offsetof(struct store, events) },
		{ "_meta", 0, offsetof(struct store, meta) },
		{ "_refs", MDB_DUPSORT, offsetof(struct store, refs) },
		{ "_uniq", 0, offsetof(struct store, uniq) },
		{ "_idx", 0, offsetof(struct store, idx) },
	};
	char	name[sizeof AUX_PREFIX + STORE_NAME_MAX];
	size_t	i;
	int	rc;

	for (i = 0; i < st->ncolls; i++)
		if ((rc = mdb_dbi_open(txn, st->colls[i].name, MDB_CREATE,
		    &st->dbis[i])) != 0)
			return rc;
	for (i = 0; i < sizeof internal / sizeof internal[0]; i++)
		if ((rc = mdb_dbi_open(txn, internal[i].name,
		    MDB_CREATE | internal[i].flags,
		    (MDB_dbi *)((char *)st + internal[i].off))) != 0)
			return rc;
	for (i = 0; i < st->naux; i++) {
		snprintf(name, sizeof name, AUX_PREFIX "%s", st->aux[i]);
		if ((rc = mdb_dbi_open(txn, name, MDB_CREATE,
		    &st->auxdbis[i])) != 0)
			return rc;
	}
	return 0;
}

static int
meta_put(struct store *st, MDB_txn *txn, const char *key, const char *val)
{
	MDB_val	k = { strlen(key), (void *)key }, v = { strlen(val),
	    (void *)val };

	return mdb_put(txn, st->meta, &k, &v, 0);
}

/*
 * Mark a new store in _meta, or check an old one's layout version.
 * Returns an LMDB error, or -1 with a message in err.
 */
static int
meta_init(struct store *st, MDB_txn *txn, char *err, size_t errlen)
{
	MDB_val	 k = { 7, (void *)"created" }, v;
	char	 now[32];
	int	 rc;

	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		st->fresh = 1;
		util_now_rfc3339(now, sizeof now);
		if ((rc = meta_put(st, txn, "created", now)) != 0)
			return rc;
		return meta_put(st, txn, "schema", STORE_SCHEMA);
	}
	if (rc != 0)
		return rc;
	k.mv_data = (void *)"schema";
	k.mv_size = strlen("schema");
	if ((rc = mdb_get(txn, st->meta, &k, &v)) != 0)
		return rc;
	if (v.mv_size != strlen(STORE_SCHEMA) ||
	    memcmp(v.mv_data, STORE_SCHEMA, v.mv_size) != 0) {
		seterr(err, errlen, "store layout version '%.*s' is not %s",
		    (int)(v.mv_size > 16 ? 16 : v.mv_size), (char *)v.mv_data,
		    STORE_SCHEMA);
		return -1;
	}
	return 0;
}

/*
 * In one write transaction: open every database, write the _meta marker of
 * a new store, and bring the field indexes and the aux rows up to their
 * tables.
 */
static int
store_setup(struct store *st, char *err, size_t errlen)
{
	MDB_txn		*txn = NULL;
	const char	*what = "begin";
	int		 rc;

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		goto fail;
	what = "open database";
	if ((rc = open_dbs(st, txn)) != 0)
		goto fail;
	what = "_meta";
	if ((rc = meta_init(st, txn, err, errlen)) == -1 ||
	    (rc == 0 && (rc = index_sync(st, txn, err, errlen)) == -1) ||
	    (rc == 0 && (rc = aux_sync(st, txn, err, errlen)) == -1)) {
		mdb_txn_abort(txn);
		return -1;
	}
	if (rc != 0)
		goto fail;
	what = "commit";
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc != 0)
		goto fail;
	return 0;
fail:
	if (txn != NULL)
		mdb_txn_abort(txn);
	seterr(err, errlen, "%s: %s", what, mdb_strerror(rc));
	return -1;
}

/* The store's memory and locks, for the tables that check_* accepted. */
static struct store *
store_new(const struct store_opts *o, size_t ncolls, size_t naux)
{
	struct store		*st;
	pthread_condattr_t	 ca;

	if ((st = calloc(1, sizeof *st)) == NULL)
		return NULL;
	if ((st->dbis = calloc(ncolls + 1, sizeof *st->dbis)) == NULL ||
	    (st->auxdbis = calloc(naux + 1, sizeof *st->auxdbis)) == NULL) {
		free(st->dbis);
		free(st);
		return NULL;
	}
	st->colls = o->colls;
	st->ncolls = ncolls;
	st->aux = o->aux;
	st->naux = naux;
	st->aux_version = o->aux_version;
	st->aux_rebuild = o->aux_rebuild;
	st->aux_arg = o->aux_arg;
	st->lockfd = -1;
	st->map_max = o->map_max > o->map_size ? o->map_max : 0;
	/* The writer's idle wait is timed (reader checks): a steady clock. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&st->lock, NULL);
	pthread_rwlock_init(&st->gate, NULL);
	pthread_cond_init(&st->work, &ca);
	pthread_cond_init(&st->done, NULL);
	pthread_condattr_destroy(&ca);
	return st;
}

/*
 * Take the store's lock file, so that a second process (a second daemon,
 * or `auditord restore` and `compact` while the daemon runs) is refused
 * before it opens the environment: LMDB itself lets several processes
 * share one, and a restore under a running daemon would lose writes.
 */
static int
lock_take(struct store *st, const char *path, char *err, size_t errlen)
{
	char	file[4096], pid[32];
	ssize_t	n;

	if ((size_t)snprintf(file, sizeof file, "%s/%s", path,
	    STORE_LOCK_FILE) >= sizeof file) {
		seterr(err, errlen, "%s: path too long", path);
		return -1;
	}
	if ((st->lockfd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) ==
	    -1) {
		seterr(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (flock(st->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			seterr(err, errlen, "%s: %s", file, strerror(errno));
			return -1;
		}
		n = pread(st->lockfd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		seterr(err, errlen, "%s is in use by another process%s%s%s "
		    "(is auditord running?)", path, pid[0] ? " (pid " : "",
		    pid, pid[0] ? ")" : "");
		return -1;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(st->lockfd, 0) == -1 ||
	    pwrite(st->lockfd, pid, (size_t)n, 0) != n)
		log_warnx("store: %s: cannot write the pid", file);
	return 0;
}

/* Create and open st's environment as o says. */
static int
env_open(struct store *st, const struct store_opts *o, char *err,
    size_t errlen)
{
	MDB_dbi	ndbs = (MDB_dbi)(st->ncolls + INTERNAL_DBS + st->naux);
	int	rc, dead;

	if ((rc = mdb_env_create(&st->env)) != 0) {
		st->env = NULL;
		seterr(err, errlen, "mdb_env_create: %s", mdb_strerror(rc));
		return -1;
	}
	if ((rc = mdb_env_set_maxdbs(st->env, ndbs)) != 0 ||
	    (o->map_size > 0 &&
	    (rc = mdb_env_set_mapsize(st->env, o->map_size)) != 0) ||
	    (o->max_readers > 0 &&
	    (rc = mdb_env_set_maxreaders(st->env, o->max_readers)) != 0)) {
		seterr(err, errlen, "store setup: %s", mdb_strerror(rc));
		return -1;
	}
	if ((rc = mdb_env_open(st->env, o->path, MDB_NOTLS, 0600)) != 0) {
		seterr(err, errlen, "%s: %s", o->path, mdb_strerror(rc));
		return -1;
	}
	/* Slots of readers that died with the last process would pin pages. */
	if ((rc = mdb_reader_check(st->env, &dead)) != 0) {
		seterr(err, errlen, "reader check: %s", mdb_strerror(rc));
		return -1;
	}
	if (dead > 0)
		log_info("store: cleared %d stale reader slots", dead);
	return 0;
}

struct store *
store_open(const struct store_opts *o, char *err, size_t errlen)
{
	struct store	*st;
	struct stat	 sb;
	size_t		 ncolls, naux;

	if (o == NULL || o->path == NULL) {
		seterr(err, errlen, "no store path");
		return NULL;
	}
	if (check_table(o->colls, &ncolls, err, errlen) == -1 ||
	    check_aux(o->aux, &naux, err, errlen) == -1)
		return NULL;
	if (mkdir(o->path, 0700) == -1 && errno != EEXIST) {
		seterr(err, errlen, "%s: %s", o->path, strerror(errno));
		return NULL;
	}
	if (stat(o->path, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		seterr(err, errlen, "%s: not a directory", o->path);
		return NULL;
	}
	if ((st = store_new(o, ncolls, naux)) == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	if (lock_take(st, o->path, err, errlen) == -1 ||
	    env_open(st, o, err, errlen) == -1 ||
	    store_setup(st, err, errlen) == -1 ||
	    writer_start(st, err, errlen) == -1) {
		store_close(st);
		return NULL;
	}
	return st;
}

void
store_free(struct store *st)
{
	if (st == NULL)
		return;
	writer_stop(st);
	store_close(st);
}

MDB_env *
store_env(struct store *st)
{
	return st->env;
}

int
store_fresh(struct store *st)
{
	return st->fresh;
}

void
store_stats(struct store *st, uint64_t *batches, uint64_t *changes)
{
	pthread_mutex_lock(&st->lock);
	if (batches != NULL)
		*batches = st->nbatches;
	if (changes != NULL)
		*changes = st->nchanges;
	pthread_mutex_unlock(&st->lock);
}

int
store_metrics(struct store *st, struct store_metrics *m)
{
	MDB_envinfo	 info;
	MDB_stat	 ms;
	MDB_txn		*txn;
	struct stat	 sb;
	char		 hash[SHA256_HEX];
	const char	*path;
	char		 file[PATH_MAX];
	int		 rc;

	memset(m, 0, sizeof *m);
	pthread_mutex_lock(&st->lock);
	m->batches = st->nbatches;
	m->changes = st->nchanges;
	memcpy(m->batch_size, st->batch_hist, sizeof m->batch_size);
	memcpy(m->commit_us, st->commit_hist, sizeof m->commit_us);
	m->commit_us_sum = st->commit_us_sum;
	pthread_mutex_unlock(&st->lock);

	if (mdb_env_info(st->env, &info) != 0 || mdb_env_stat(st->env, &ms))
		return STORE_IO;
	m->map_size = info.me_mapsize;
	m->map_max = st->map_max > info.me_mapsize ? st->map_max :
	    info.me_mapsize;
	m->map_used = (uint64_t)(info.me_last_pgno + 1) * ms.ms_psize;
	if (mdb_env_get_path(st->env, &path) == 0 &&
	    snprintf(file, sizeof file, "%s/data.mdb", path) <
	    (int)sizeof file && stat(file, &sb) == 0)
		m->file_size = (uint64_t)sb.st_size;
	if ((rc = store_read_begin(st, &txn)) != STORE_OK)
		return rc;
	rc = events_head_get(st, txn, &m->events_seq, hash);
	store_read_end(st, txn);
	return rc;
}

int
store_read_begin(struct store *st, MDB_txn **txn)
{
	int	rc;

	pthread_rwlock_rdlock(&st->gate);
	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn)) != 0) {
		pthread_rwlock_unlock(&st->gate);
		*txn = NULL;
		return store_mdb_rc(rc);
	}
	return STORE_OK;
}

void
store_read_end(struct store *st, MDB_txn *txn)
{
	if (txn == NULL)
		return;
	mdb_txn_abort(txn);
	pthread_rwlock_unlock(&st->gate);
}

int
store_read_renew(struct store *st, MDB_txn *txn)
{
	int	rc;

	pthread_rwlock_rdlock(&st->gate);
	if ((rc = mdb_txn_renew(txn)) != 0) {
		pthread_rwlock_unlock(&st->gate);
		return store_mdb_rc(rc);
	}
	return STORE_OK;
}

void
store_read_reset(struct store *st, MDB_txn *txn)
{
	mdb_txn_reset(txn);
	pthread_rwlock_unlock(&st->gate);
}

int
store_get(struct store *st, MDB_txn *txn, const char *coll, const char *id,
    MDB_val *doc)
{
	MDB_val	k;
	int	i, rc;

	if ((i = store_coll_index(st, coll)) == -1)
		return STORE_INVALID;
	if (id == NULL || !util_id_valid(id))
		return STORE_NOTFOUND;
	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	if ((rc = mdb_get(txn, st->dbis[i], &k, doc)) != 0)
		return store_mdb_rc(rc);
	return STORE_OK;
}

void
store_page_init(struct store_page *pg, size_t limit, char *next,
    int (*cb)(const char *, const MDB_val *, void *), void *arg)
{
	pg->limit = limit;
	pg->taken = 0;
	pg->next = next;
	pg->last[0] = '\0';
	pg->cb = cb;
	pg->arg = arg;
	if (next != NULL)
		next[0] = '\0';
}

int
store_page_offer(struct store_page *pg, const char *id, const MDB_val *doc)
{
	int	r;

	if (pg->limit > 0 && pg->taken == pg->limit) {
		/* A record follows the last one taken. */
		if (pg->next != NULL)
			memcpy(pg->next, pg->last, sizeof pg->last);
		return 1;
	}
	r = pg->cb != NULL ? pg->cb(id, doc, pg->arg) : 1;
	if (r < 0) {
		if (pg->taken > 0 && pg->next != NULL)
			memcpy(pg->next, pg->last, sizeof pg->last);
		return 1;
	}
	if (r > 0) {
		pg->taken++;
		snprintf(pg->last, sizeof pg->last, "%s", id);
	}
	return 0;
}

int
store_list(struct store *st, MDB_txn *txn, const char *coll,
    const char *after, size_t limit,
    int (*cb)(const char *, const MDB_val *, void *), void *arg, char *next)
{
	struct store_page	 pg;
	MDB_cursor		*cur;
	MDB_val			 k, v;
	char			 id[ID_MAX + 1], from[STORE_KEY_MAX + 1];
	size_t			 fromlen = 0;
	int			 i, rc, ret = STORE_OK;

	/* after may be next itself (the last page's cursor): keep a copy. */
	if (after != NULL && (fromlen = strlen(after)) > STORE_KEY_MAX)
		return STORE_INVALID;
	if (fromlen > 0)
		memcpy(from, after, fromlen + 1);
	store_page_init(&pg, limit, next, cb, arg);
	if ((i = store_coll_index(st, coll)) == -1)
		return STORE_INVALID;
	if ((rc = mdb_cursor_open(txn, st->dbis[i], &cur)) != 0)
		return store_mdb_rc(rc);
	if (fromlen > 0) {
		k.mv_data = from;
		k.mv_size = fromlen;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc == 0 && k.mv_size == fromlen &&
		    memcmp(k.mv_data, from, fromlen) == 0)
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	} else
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size == 0 || k.mv_size > ID_MAX) {
			log_warnx("store: %s holds a %zu-byte key", coll,
			    k.mv_size);
			ret = STORE_IO;
			break;
		}
		memcpy(id, k.mv_data, k.mv_size);
		id[k.mv_size] = '\0';
		if (store_page_offer(&pg, id, &v))
			break;
	}
	if (ret == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		ret = store_mdb_rc(rc);
	mdb_cursor_close(cur);
	return ret;
}

int
store_index_get(struct store *st, MDB_txn *txn, const char *coll,
    const char *field, const char *value, char *id)
{
	char	key[STORE_KEY_MAX];
	MDB_val	k, v;
	int	rc;

	id[0] = '\0';
	if (store_coll_index(st, coll) == -1 || field == NULL ||
	    value == NULL)
		return STORE_INVALID;
	if ((k.mv_size = store_uniq_key(key, coll, field, value,
	    strlen(value))) == 0)
		return STORE_INVALID;
	k.mv_data = key;
	if ((rc = mdb_get(txn, st->uniq, &k, &v)) != 0)
		return store_mdb_rc(rc);
	if (v.mv_size == 0 || v.mv_size > ID_MAX) {
		log_warnx("store: _uniq value of %zu bytes", v.mv_size);
		return STORE_IO;
	}
	memcpy(id, v.mv_data, v.mv_size);
	id[v.mv_size] = '\0';
	return STORE_OK;
}

int
store_referenced(struct store *st, MDB_txn *txn, const char *coll,
    const char *id)
{
	char		 key[STORE_NAME_MAX + ID_MAX + 2];
	MDB_cursor	*cur;
	MDB_val		 k, v;
	int		 rc, found = 0;

	if (store_coll_index(st, coll) == -1 || id == NULL ||
	    !util_id_valid(id))
		return 0;
	k.mv_size = store_ref_key(key, sizeof key, coll, id);
	k.mv_data = key;
	if (mdb_cursor_open(txn, st->refs, &cur) != 0)
		return 0;
	/* A record that references itself does not count. */
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP))
		if (v.mv_size != strlen(key) ||
		    memcmp(v.mv_data, key, v.mv_size) != 0) {
			found = 1;
			break;
		}
	mdb_cursor_close(cur);
	return found;
}

