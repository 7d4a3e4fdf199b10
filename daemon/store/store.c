/*
 * store.c: the record store's environment (open, close), its reads (get,
 * list, unique and reference lookups, events) and the hash chain check.
 * The writer thread is in writer.c, the write side of a transaction in
 * store-txn.c.
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
 *   _refs         MDB_DUPSORT. key: "target_coll/target_id"
 *                 values: "source_coll/source_id", one per record whose
 *                 references (struct store_ref) name the target. A record
 *                 that names a target twice has one value.
 *   _uniq         key: "coll" NUL "field" NUL, then '=' and the value's bytes,
 *                 or, when that would pass LMDB's 511-byte key limit, '#'
 *                 and the value's SHA-256 hex; value: the record id.
 *
 * A full map answers STORE_FULL (507); the map is not grown.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "store-private.h"

#define COLL_NAME_MAX	64
#define FIELD_NAME_MAX	64
#define INTERNAL_DBS	4

static const char	zero_hash[SHA256_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

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

/* Verification errors name no field. */
#define serr(err, ...)	store_err_set((err), "", __VA_ARGS__)

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

void
store_seq_key(uint64_t seq, unsigned char key[8])
{
	int	i;

	for (i = 7; i >= 0; i--) {
		key[i] = seq & 0xff;
		seq >>= 8;
	}
}

uint64_t
store_seq_get(const unsigned char key[8])
{
	uint64_t	seq = 0;
	int		i;

	for (i = 0; i < 8; i++)
		seq = (seq << 8) | key[i];
	return seq;
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
	/* Too long for a key: its digest stands in (collisions: none known). */
	key[n] = '#';
	util_sha256_hex(value, vlen, key + n + 1);
	return n + 1 + SHA256_HEX - 1;
}

int
store_head_get(struct store *st, MDB_txn *txn, uint64_t *seq,
    char hash[SHA256_HEX])
{
	MDB_val	k = { 4, (void *)"head" }, v;
	int	rc;

	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		*seq = 0;
		memcpy(hash, zero_hash, SHA256_HEX);
		return STORE_OK;
	}
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != STORE_HEAD_LEN) {
		log_warnx("store: _meta head has %zu bytes", v.mv_size);
		return STORE_IO;
	}
	*seq = store_seq_get(v.mv_data);
	memcpy(hash, (char *)v.mv_data + 8, 64);
	hash[64] = '\0';
	return STORE_OK;
}

int
store_event_hash(const json_t *ev, char out[SHA256_HEX])
{
	json_t	*copy;
	char	*s;
	size_t	 len;

	/* A shallow copy: the values are shared, only the key set differs. */
	if ((copy = json_copy((json_t *)ev)) == NULL)
		return STORE_IO;
	json_object_del(copy, "hash");
	s = util_json_canonical(copy, &len);
	json_decref(copy);
	if (s == NULL)
		return STORE_IO;
	util_sha256_hex(s, len, out);
	free(s);
	return STORE_OK;
}

/* Refuse tables whose names could not form keys, or that name unknown dbs. */
static int
check_table(const struct store_coll *colls, size_t *ncolls, char *err,
    size_t errlen)
{
	size_t	n, i, j, k;

	for (n = 0; colls != NULL && colls[n].name != NULL; n++) {
		const struct store_coll *c = &colls[n];
		size_t len = strlen(c->name);

		if (len == 0 || len > COLL_NAME_MAX || c->name[0] == '_' ||
		    strchr(c->name, '/') != NULL) {
			seterr(err, errlen, "bad collection name '%s'",
			    c->name);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (strcmp(colls[i].name, c->name) == 0) {
				seterr(err, errlen, "collection '%s' twice",
				    c->name);
				return -1;
			}
		for (i = 0; i < c->nrefs; i++) {
			const struct store_ref *r = &c->refs[i];

			if (r->field == NULL || strlen(r->field) == 0 ||
			    r->target == NULL) {
				seterr(err, errlen, "%s: bad reference",
				    c->name);
				return -1;
			}
		}
		for (i = 0; i < c->nuniques; i++) {
			const char *f = c->uniques[i].field;

			if (f == NULL || strlen(f) == 0 ||
			    strlen(f) > FIELD_NAME_MAX) {
				seterr(err, errlen, "%s: bad unique index",
				    c->name);
				return -1;
			}
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

/* Close what store_open made; the writer is not running. */
static void
store_close(struct store *st)
{
	if (st->env != NULL)
		mdb_env_close(st->env);
	pthread_cond_destroy(&st->done);
	pthread_cond_destroy(&st->work);
	pthread_mutex_destroy(&st->lock);
	free(st->dbis);
	free(st);
}

/* Open every database and write the _meta marker of a new store. */
static int
open_dbs(struct store *st, char *err, size_t errlen)
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
	};
	MDB_txn		*txn = NULL;
	MDB_val		 k, v;
	char		 now[32];
	const char	*what = "begin";
	size_t		 i;
	int		 rc;

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		goto fail;
	what = "open database";
	for (i = 0; i < st->ncolls; i++)
		if ((rc = mdb_dbi_open(txn, st->colls[i].name, MDB_CREATE,
		    &st->dbis[i])) != 0)
			goto fail;
	for (i = 0; i < sizeof internal / sizeof internal[0]; i++)
		if ((rc = mdb_dbi_open(txn, internal[i].name,
		    MDB_CREATE | internal[i].flags,
		    (MDB_dbi *)((char *)st + internal[i].off))) != 0)
			goto fail;

	what = "read _meta";
	k.mv_data = (void *)"created";
	k.mv_size = strlen("created");
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		what = "write _meta";
		st->fresh = 1;
		util_now_rfc3339(now, sizeof now);
		v.mv_data = now;
		v.mv_size = strlen(now);
		if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0)
			goto fail;
		k.mv_data = (void *)"schema";
		k.mv_size = strlen("schema");
		v.mv_data = (void *)STORE_SCHEMA;
		v.mv_size = strlen(STORE_SCHEMA);
		if ((rc = mdb_put(txn, st->meta, &k, &v, 0)) != 0)
			goto fail;
	} else if (rc != 0)
		goto fail;
	else {
		k.mv_data = (void *)"schema";
		k.mv_size = strlen("schema");
		if ((rc = mdb_get(txn, st->meta, &k, &v)) != 0)
			goto fail;
		if (v.mv_size != strlen(STORE_SCHEMA) ||
		    memcmp(v.mv_data, STORE_SCHEMA, v.mv_size) != 0) {
			seterr(err, errlen, "store layout version '%.*s' is "
			    "not %s", (int)(v.mv_size > 16 ? 16 : v.mv_size),
			    (char *)v.mv_data, STORE_SCHEMA);
			mdb_txn_abort(txn);
			return -1;
		}
	}
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

struct store *
store_open(const char *path, size_t map_size, const struct store_coll *colls,
    char *err, size_t errlen)
{
	struct store		*st;
	struct stat		 sb;
	pthread_condattr_t	 ca;
	size_t			 n;
	int			 rc, dead;

	if (check_table(colls, &n, err, errlen) == -1)
		return NULL;
	if (mkdir(path, 0700) == -1 && errno != EEXIST) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (stat(path, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		seterr(err, errlen, "%s: not a directory", path);
		return NULL;
	}
	if ((st = calloc(1, sizeof *st)) == NULL ||
	    (st->dbis = calloc(n + 1, sizeof *st->dbis)) == NULL) {
		free(st);
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	st->colls = colls;
	st->ncolls = n;
	/* The writer's idle wait is timed (reader checks): a steady clock. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->work, &ca);
	pthread_cond_init(&st->done, NULL);
	pthread_condattr_destroy(&ca);

	if ((rc = mdb_env_create(&st->env)) != 0) {
		st->env = NULL;
		seterr(err, errlen, "mdb_env_create: %s", mdb_strerror(rc));
		goto fail;
	}
	if ((rc = mdb_env_set_maxdbs(st->env, (MDB_dbi)(n + INTERNAL_DBS)))
	    != 0 || (map_size > 0 &&
	    (rc = mdb_env_set_mapsize(st->env, map_size)) != 0)) {
		seterr(err, errlen, "store setup: %s", mdb_strerror(rc));
		goto fail;
	}
	if ((rc = mdb_env_open(st->env, path, MDB_NOTLS, 0600)) != 0) {
		seterr(err, errlen, "%s: %s", path, mdb_strerror(rc));
		goto fail;
	}
	/* Slots of readers that died with the last process would pin pages. */
	if ((rc = mdb_reader_check(st->env, &dead)) != 0) {
		seterr(err, errlen, "reader check: %s", mdb_strerror(rc));
		goto fail;
	}
	if (dead > 0)
		log_info("store: cleared %d stale reader slots", dead);
	if (open_dbs(st, err, errlen) == -1)
		goto fail;
	if (writer_start(st, err, errlen) == -1)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
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
store_read_begin(struct store *st, MDB_txn **txn)
{
	int	rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn)) != 0) {
		*txn = NULL;
		return store_mdb_rc(rc);
	}
	return STORE_OK;
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

int
store_list(struct store *st, MDB_txn *txn, const char *coll,
    const char *after, size_t limit,
    int (*cb)(const char *, const MDB_val *, void *), void *arg, char *next)
{
	MDB_cursor	*cur;
	MDB_val		 k, v;
	char		 id[ID_MAX + 1], last[ID_MAX + 1] = "";
	char		 from[STORE_KEY_MAX + 1];
	size_t		 taken = 0, fromlen = 0;
	int		 i, rc, r, ret = STORE_OK;

	/* after may be next itself (the last page's cursor): keep a copy. */
	if (after != NULL && (fromlen = strlen(after)) > STORE_KEY_MAX)
		return STORE_INVALID;
	if (fromlen > 0)
		memcpy(from, after, fromlen + 1);
	if (next != NULL)
		next[0] = '\0';
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
		if (limit > 0 && taken == limit) {
			/* A record follows the last one taken. */
			if (next != NULL)
				memcpy(next, last, sizeof last);
			break;
		}
		if (k.mv_size == 0 || k.mv_size > ID_MAX) {
			log_warnx("store: %s holds a %zu-byte key", coll,
			    k.mv_size);
			ret = STORE_IO;
			break;
		}
		memcpy(id, k.mv_data, k.mv_size);
		id[k.mv_size] = '\0';
		r = cb != NULL ? cb(id, &v, arg) : 1;
		if (r < 0) {
			if (taken > 0 && next != NULL)
				memcpy(next, last, sizeof last);
			break;
		}
		if (r > 0) {
			taken++;
			memcpy(last, id, sizeof id);
		}
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
	char		 key[COLL_NAME_MAX + ID_MAX + 2];
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

int
store_events(struct store *st, MDB_txn *txn, uint64_t after, size_t limit,
    int (*cb)(uint64_t, const MDB_val *, void *), void *arg,
    uint64_t *next_seq)
{
	MDB_cursor	*cur;
	MDB_val		 k, v;
	unsigned char	 key[8];
	uint64_t	 seq, last = 0;
	size_t		 taken = 0;
	int		 rc, r, ret = STORE_OK;

	if (next_seq != NULL)
		*next_seq = 0;
	if (after == UINT64_MAX)
		return STORE_OK;
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0)
		return store_mdb_rc(rc);
	store_seq_key(after + 1, key);
	k.mv_data = key;
	k.mv_size = sizeof key;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (limit > 0 && taken == limit) {
			if (next_seq != NULL)
				*next_seq = last;
			break;
		}
		if (k.mv_size != 8) {
			log_warnx("store: _events holds a %zu-byte key",
			    k.mv_size);
			ret = STORE_IO;
			break;
		}
		seq = store_seq_get(k.mv_data);
		r = cb != NULL ? cb(seq, &v, arg) : 1;
		if (r < 0) {
			if (taken > 0 && next_seq != NULL)
				*next_seq = last;
			break;
		}
		if (r > 0) {
			taken++;
			last = seq;
		}
	}
	if (ret == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		ret = store_mdb_rc(rc);
	mdb_cursor_close(cur);
	return ret;
}

/*
 * Check one stored event against its key and the previous hash; on success
 * its hash is copied into prev.
 */
static int
verify_one(uint64_t seq, const MDB_val *v, char prev[SHA256_HEX],
    struct store_err *err)
{
	json_t		*ev;
	json_error_t	 jerr;
	const char	*hash, *p;
	char		*canon = NULL, h[SHA256_HEX];
	size_t		 len;
	int		 ok = 0;

	ev = json_loadb(v->mv_data, v->mv_size, JSON_REJECT_DUPLICATES, &jerr);
	if (ev == NULL || !json_is_object(ev)) {
		serr(err, "event %llu is not a JSON object",
		    (unsigned long long)seq);
		goto done;
	}
	if (!json_is_integer(json_object_get(ev, "seq")) ||
	    (uint64_t)json_integer_value(json_object_get(ev, "seq")) != seq) {
		serr(err, "the event stored as %llu has another seq",
		    (unsigned long long)seq);
		goto done;
	}
	hash = json_string_value(json_object_get(ev, "hash"));
	p = json_string_value(json_object_get(ev, "prev"));
	if (hash == NULL || strlen(hash) != 64 || p == NULL) {
		serr(err, "event %llu lacks its hash or prev",
		    (unsigned long long)seq);
		goto done;
	}
	if ((canon = util_json_canonical(ev, &len)) == NULL ||
	    len != v->mv_size || memcmp(canon, v->mv_data, len) != 0) {
		serr(err, "event %llu is not stored in canonical form",
		    (unsigned long long)seq);
		goto done;
	}
	if (strcmp(p, prev) != 0) {
		serr(err, "event %llu: prev does not match the hash of event "
		    "%llu", (unsigned long long)seq,
		    (unsigned long long)seq - 1);
		goto done;
	}
	if (store_event_hash(ev, h) != STORE_OK || strcmp(h, hash) != 0) {
		serr(err, "event %llu: hash does not match its content",
		    (unsigned long long)seq);
		goto done;
	}
	memcpy(prev, hash, SHA256_HEX);
	ok = 1;
done:
	free(canon);
	json_decref(ev);
	return ok;
}

/*
 * The hash event seq records, into out; the zero hash for seq 0. For the
 * good prefix of a failed check, whose events were already verified.
 */
static void
event_hash_at(struct store *st, MDB_txn *txn, uint64_t seq,
    char out[SHA256_HEX])
{
	unsigned char	 key[8];
	MDB_val		 k = { sizeof key, key }, v;
	json_t		*ev;
	const char	*h;

	memcpy(out, zero_hash, SHA256_HEX);
	if (seq == 0)
		return;
	store_seq_key(seq, key);
	if (mdb_get(txn, st->events, &k, &v) != 0 ||
	    (ev = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
		return;
	h = json_string_value(json_object_get(ev, "hash"));
	if (h != NULL && strlen(h) == SHA256_HEX - 1)
		memcpy(out, h, SHA256_HEX);
	json_decref(ev);
}

int
store_events_verify(struct store *st, MDB_txn *txn, uint64_t *count,
    char head[65], uint64_t *bad, struct store_err *err)
{
	MDB_cursor	*cur;
	MDB_val		 k, v;
	char		 prev[SHA256_HEX], hhash[SHA256_HEX];
	uint64_t	 expect = 1, seq, hseq, badseq = 0;
	int		 rc, ret = STORE_OK;

	memcpy(prev, zero_hash, SHA256_HEX);
	if (err != NULL)
		err->path[0] = err->message[0] = '\0';
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0)
		return store_mdb_rc(rc);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), expect++) {
		if (k.mv_size != 8) {
			serr(err, "event key of %zu bytes", k.mv_size);
			badseq = expect;
			break;
		}
		seq = store_seq_get(k.mv_data);
		if (seq != expect) {
			serr(err, "event %llu is missing (next is %llu)",
			    (unsigned long long)expect,
			    (unsigned long long)seq);
			badseq = expect;
			break;
		}
		if (!verify_one(seq, &v, prev, err)) {
			badseq = seq;
			break;
		}
	}
	mdb_cursor_close(cur);
	if (badseq == 0 && rc != 0 && rc != MDB_NOTFOUND)
		return store_mdb_rc(rc);
	if (badseq == 0) {
		/* The chain holds; it must also end where the head says. */
		seq = expect - 1;
		if ((ret = store_head_get(st, txn, &hseq, hhash)) != STORE_OK) {
			serr(err, "the chain head record is malformed");
			badseq = seq + 1;
		} else if (hseq > seq) {
			serr(err, "the log ends at event %llu but the head is "
			    "%llu", (unsigned long long)seq,
			    (unsigned long long)hseq);
			badseq = seq + 1;
		} else if (hseq < seq) {
			serr(err, "event %llu is past the head %llu",
			    (unsigned long long)hseq + 1,
			    (unsigned long long)hseq);
			badseq = hseq + 1;
		} else if (strcmp(hhash, prev) != 0) {
			serr(err, "event %llu does not match the head's hash",
			    (unsigned long long)seq);
			badseq = seq;
		}
	}
	/* On failure: the good prefix, the events before the bad one. */
	if (badseq != 0)
		event_hash_at(st, txn, badseq - 1, prev);
	if (count != NULL)
		*count = badseq != 0 ? badseq - 1 : expect - 1;
	if (head != NULL)
		memcpy(head, prev, SHA256_HEX);
	if (bad != NULL)
		*bad = badseq;
	return badseq == 0 ? STORE_OK : STORE_INVALID;
}
