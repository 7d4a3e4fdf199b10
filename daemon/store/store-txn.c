/*
 * store-txn.c: the operations inside a change's write transaction (get,
 * write, remove, and the put and delete that read the record themselves)
 * with their revision, reference and unique index upkeep; field indexes
 * are index.c's, the event appended events.c's. The writer thread that
 * runs the changes is in writer.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store-private.h"

#define REF_KEY_MAX		(64 + 1 + ID_MAX + 1)

/* What a walk over a document's references or unique values works on. */
struct walk {
	struct store_txn	*t;
	const char		*coll;
	const char		*id;
	char			 self[REF_KEY_MAX];	/* "coll/id" */
	struct store_err	*err;
	int			 add;	/* *_update: add, or drop */
};

/* Short, so that messages fit their lines. */
#define serr	store_err_set

int
store_txn_broken(struct store_txn *t, int rc)
{
	if ((rc == STORE_FULL || rc == STORE_IO) && t->broken == 0)
		t->broken = rc;
	return rc;
}

/* Append "/token" to a JSON Pointer, escaping '~' and '/' (RFC 6901). */
static void
ptr_add(char *path, size_t len, const char *token)
{
	size_t	n = strlen(path);

	if (n + 1 >= len)
		return;
	path[n++] = '/';
	for (; *token != '\0' && n + 2 < len; token++) {
		if (*token == '~' || *token == '/') {
			path[n++] = '~';
			path[n++] = *token == '~' ? '0' : '1';
		} else
			path[n++] = *token;
	}
	path[n] = '\0';
}

static void
ptr_index(char *path, size_t len, size_t i)
{
	char	tok[32];

	snprintf(tok, sizeof tok, "%zu", i);
	ptr_add(path, len, tok);
}

/* "principals" -> "principal": how messages name one record. */
static const char *
singular(const char *coll, char *buf, size_t len)
{
	size_t	n = strlen(coll);

	if (n > 1 && coll[n - 1] == 's' && n < len) {
		memcpy(buf, coll, n - 1);
		buf[n - 1] = '\0';
		return buf;
	}
	return coll;
}

/*
 * Call fn for each reference doc holds under c's table, with the JSON
 * Pointer of the value. Absent and null values reference nothing; a value
 * of the wrong kind is passed on (fn decides). Stops at fn's first non-zero.
 */
static int
refs_walk(const struct store_coll *c, const json_t *doc,
    int (*fn)(struct walk *, const struct store_ref *, const char *,
    const json_t *), struct walk *w)
{
	const struct store_ref	*r;
	const json_t		*f, *el, *val;
	char			 path[128], epath[128];
	size_t			 i, j;
	int			 rc;

	for (i = 0; i < c->nrefs; i++) {
		r = &c->refs[i];
		f = json_object_get(doc, r->field);
		if (f == NULL || json_is_null(f))
			continue;
		path[0] = '\0';
		ptr_add(path, sizeof path, r->field);
		if ((r->sub == NULL && !r->array) || !json_is_array(f)) {
			if ((rc = fn(w, r, path, f)) != 0)
				return rc;
			continue;
		}
		json_array_foreach(f, j, el) {
			memcpy(epath, path, sizeof path);
			ptr_index(epath, sizeof epath, j);
			val = el;
			if (r->sub != NULL) {
				if (!json_is_object(el))
					continue;
				val = json_object_get(el, r->sub);
				ptr_add(epath, sizeof epath, r->sub);
			}
			if (val == NULL || json_is_null(val))
				continue;
			if ((rc = fn(w, r, epath, val)) != 0)
				return rc;
		}
	}
	return 0;
}

/* The same over the string values of c's unique indexes. */
static int
uniq_walk(const struct store_coll *c, const json_t *doc,
    int (*fn)(struct walk *, const struct store_unique *, const char *,
    const json_t *), struct walk *w)
{
	const struct store_unique	*u;
	const json_t			*f, *el;
	char				 path[128], epath[128];
	size_t				 i, j;
	int				 rc;

	for (i = 0; i < c->nuniques; i++) {
		u = &c->uniques[i];
		f = json_object_get(doc, u->field);
		path[0] = '\0';
		ptr_add(path, sizeof path, u->field);
		if (json_is_string(f)) {
			if ((rc = fn(w, u, path, f)) != 0)
				return rc;
		} else if (u->array && json_is_array(f)) {
			json_array_foreach(f, j, el) {
				if (!json_is_string(el))
					continue;
				memcpy(epath, path, sizeof path);
				ptr_index(epath, sizeof epath, j);
				if ((rc = fn(w, u, epath, el)) != 0)
					return rc;
			}
		}
	}
	return 0;
}

/* A reference of the new document must name a record that exists. */
static int
ref_check(struct walk *w, const struct store_ref *r, const char *path,
    const json_t *val)
{
	struct store	*st = w->t->st;
	const char	*tid = json_string_value(val);
	MDB_val		 k, v;
	int		 ti, rc;

	if (tid == NULL) {
		serr(w->err, path, "a reference to %s must be an id",
		    r->target);
		return STORE_BADREF;
	}
	if (strcmp(r->target, w->coll) == 0 && strcmp(tid, w->id) == 0)
		return 0;
	if ((ti = store_coll_index(st, r->target)) == -1) {
		serr(w->err, path, "unknown collection '%s'", r->target);
		return STORE_INVALID;
	}
	if (util_id_valid(tid)) {
		k.mv_data = (void *)tid;
		k.mv_size = strlen(tid);
		rc = mdb_get(w->t->txn, st->dbis[ti], &k, &v);
		if (rc == 0)
			return 0;
		if (rc != MDB_NOTFOUND)
			return store_txn_broken(w->t, store_mdb_rc(rc));
	}
	serr(w->err, path, "unknown %s id '%.80s'", r->target, tid);
	return STORE_BADREF;
}

/* Add (w->add) or drop the _refs entry of one reference. */
static int
ref_update(struct walk *w, const struct store_ref *r, const char *path,
    const json_t *val)
{
	const char	*tid = json_string_value(val);
	char		 key[REF_KEY_MAX];
	MDB_val		 k, v;
	int		 rc;

	(void)path;
	if (tid == NULL || !util_id_valid(tid) ||
	    (k.mv_size = store_ref_key(key, sizeof key, r->target, tid)) == 0)
		return 0;
	k.mv_data = key;
	v.mv_size = strlen(w->self);
	v.mv_data = w->self;
	if (w->add)
		rc = mdb_put(w->t->txn, w->t->st->refs, &k, &v, 0);
	else
		rc = mdb_del(w->t->txn, w->t->st->refs, &k, &v);
	/* A target named twice has one entry: added or dropped once. */
	if (rc != 0 && rc != MDB_KEYEXIST && rc != MDB_NOTFOUND)
		return store_txn_broken(w->t, store_mdb_rc(rc));
	return 0;
}

enum holder { FREE, OURS, OTHER };

/*
 * Find who holds val in u: *who FREE, OURS or OTHER (then named in other).
 * k and key are left holding val's _uniq key. Returns 0 or a store error.
 */
static int
uniq_lookup(struct walk *w, const struct store_unique *u, const json_t *val,
    MDB_val *k, char *key, char other[ID_MAX + 1], enum holder *who)
{
	MDB_val	v;
	int	rc;

	*who = FREE;
	k->mv_size = store_uniq_key(key, w->coll, u->field,
	    json_string_value(val), json_string_length(val));
	k->mv_data = key;
	if (k->mv_size == 0)
		return STORE_INVALID;
	rc = mdb_get(w->t->txn, w->t->st->uniq, k, &v);
	if (rc == MDB_NOTFOUND)
		return STORE_OK;
	if (rc != 0)
		return store_txn_broken(w->t, store_mdb_rc(rc));
	if (v.mv_size == strlen(w->id) && memcmp(v.mv_data, w->id,
	    v.mv_size) == 0)
		*who = OURS;
	else {
		*who = OTHER;
		snprintf(other, ID_MAX + 1, "%.*s",
		    (int)(v.mv_size > ID_MAX ? ID_MAX : v.mv_size),
		    (const char *)v.mv_data);
	}
	return STORE_OK;
}

static int
uniq_check(struct walk *w, const struct store_unique *u, const char *path,
    const json_t *val)
{
	char		key[STORE_KEY_MAX], other[ID_MAX + 1], name[80];
	MDB_val		k;
	enum holder	who;
	int		rc;

	if ((rc = uniq_lookup(w, u, val, &k, key, other, &who)) != STORE_OK)
		return rc;
	if (who == OTHER) {
		serr(w->err, path, "already mapped to %s '%s'",
		    singular(w->coll, name, sizeof name), other);
		return STORE_DUPLICATE;
	}
	return STORE_OK;
}

/* Add (w->add) or drop, if it is ours, the _uniq entry of one value. */
static int
uniq_update(struct walk *w, const struct store_unique *u, const char *path,
    const json_t *val)
{
	char		key[STORE_KEY_MAX], other[ID_MAX + 1];
	MDB_val		k, v;
	enum holder	who;
	int		rc;

	(void)path;
	if ((rc = uniq_lookup(w, u, val, &k, key, other, &who)) != STORE_OK)
		return rc;
	if (w->add) {
		v.mv_data = (void *)w->id;
		v.mv_size = strlen(w->id);
		rc = mdb_put(w->t->txn, w->t->st->uniq, &k, &v, 0);
	} else
		rc = who == OURS ? mdb_del(w->t->txn, w->t->st->uniq, &k,
		    NULL) : 0;
	if (rc != 0)
		return store_txn_broken(w->t, store_mdb_rc(rc));
	return STORE_OK;
}

/*
 * Read and parse coll/id for a change: 0 with *old and *rev set, or
 * STORE_NOTFOUND (*old NULL), or an error.
 */
static int
load_old(struct store_txn *t, int ci, const char *id, json_t **old,
    int64_t *rev)
{
	json_error_t	 jerr;
	json_t		*r;
	MDB_val		 k, v;
	int		 rc;

	*old = NULL;
	*rev = 0;
	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	if ((rc = mdb_get(t->txn, t->st->dbis[ci], &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? STORE_NOTFOUND :
		    store_txn_broken(t, store_mdb_rc(rc));
	/* What the store wrote it reads back: strings may hold NULs. */
	*old = json_loadb(v.mv_data, v.mv_size, JSON_ALLOW_NUL, &jerr);
	r = *old != NULL ? json_object_get(*old, "rev") : NULL;
	if (!json_is_integer(r) || json_integer_value(r) < 1) {
		log_warnx("store: %s/%s is corrupt", t->st->colls[ci].name, id);
		json_decref(*old);
		*old = NULL;
		return STORE_IO;
	}
	*rev = json_integer_value(r);
	return STORE_OK;
}

/* Set up a walk; -1 when coll or id cannot name a record. */
static int
walk_init(struct walk *w, struct store_txn *t, const char *coll,
    const char *id, struct store_err *err)
{
	w->t = t;
	w->coll = coll;
	w->id = id;
	w->err = err;
	w->add = 0;
	return store_ref_key(w->self, sizeof w->self, coll, id) > 0 ? 0 : -1;
}

int
store_txn_get(struct store_txn *t, const char *coll, const char *id,
    json_t **doc)
{
	int64_t	rev;
	int	ci;

	*doc = NULL;
	if (t->broken)
		return t->broken;
	if ((ci = store_coll_index(t->st, coll)) == -1)
		return STORE_INVALID;
	if (id == NULL || !util_id_valid(id))
		return STORE_NOTFOUND;
	return load_old(t, ci, id, doc, &rev);
}

/*
 * What put and delete begin with: err cleared, a transaction that already
 * met FULL or IO refused, and coll resolved to its index in *ci.
 */
static int
op_start(struct store_txn *t, const char *coll, struct store_err *err,
    int *ci)
{
	serr(err, "", "%s", "");
	if (t->broken)
		return t->broken;
	if ((*ci = store_coll_index(t->st, coll)) == -1) {
		serr(err, "", "unknown collection '%.64s'", coll != NULL ?
		    coll : "");
		return STORE_INVALID;
	}
	return STORE_OK;
}

/* The revision old records, into *rev; STORE_INVALID if it has none. */
static int
old_rev(const json_t *old, int64_t *rev, struct store_err *err)
{
	const json_t	*r = json_object_get(old, "rev");

	if (!json_is_integer(r) || json_integer_value(r) < 1) {
		serr(err, "", "the current record has no revision");
		return STORE_INVALID;
	}
	*rev = json_integer_value(r);
	return STORE_OK;
}

/* Whether coll ci holds id, into *there: a lookup, no parse. */
static int
exists(struct store_txn *t, int ci, const char *id, int *there)
{
	MDB_val	k, v;
	int	rc;

	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	rc = mdb_get(t->txn, t->st->dbis[ci], &k, &v);
	*there = rc == 0;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_txn_broken(t, store_mdb_rc(rc));
	return STORE_OK;
}

/* A write's arguments, and its walk set up. */
static int
write_args(struct walk *w, struct store_txn *t, const char *coll,
    const char *id, const json_t *doc, int64_t expect_rev,
    struct store_err *err)
{
	if (id == NULL || !util_id_valid(id) ||
	    walk_init(w, t, coll, id, err) == -1) {
		serr(err, "/id", "not a valid record id");
		return STORE_INVALID;
	}
	if (!json_is_object(doc)) {
		serr(err, "", "a record must be a JSON object");
		return STORE_INVALID;
	}
	if (expect_rev < STORE_REV_CREATE) {
		serr(err, "", "bad expected revision %lld",
		    (long long)expect_rev);
		return STORE_INVALID;
	}
	return STORE_OK;
}

/*
 * A write's revision check against old, the caller's current document:
 * *rev gets old's revision (0 for a create).
 */
static int
write_rev(struct store_txn *t, int ci, const char *id, const json_t *old,
    int64_t expect_rev, int64_t *rev, struct store_err *err)
{
	const char	*coll = t->st->colls[ci].name;
	int		 rc, there;

	*rev = 0;
	if (old != NULL && (rc = old_rev(old, rev, err)) != STORE_OK)
		return rc;
	if (expect_rev == STORE_REV_CREATE && old != NULL) {
		serr(err, "/id", "%s '%s' exists", coll, id);
		return STORE_EXISTS;
	}
	if (expect_rev != STORE_REV_CREATE && old == NULL) {
		serr(err, "", "no %s '%s'", coll, id);
		return STORE_NOTFOUND;
	}
	if (old != NULL && expect_rev > 0 && expect_rev != *rev) {
		serr(err, "", "revision %lld is not the current %lld",
		    (long long)expect_rev, (long long)*rev);
		return STORE_STALE;
	}
	/* old is trusted for its content; its existence costs a lookup. */
	if ((rc = exists(t, ci, id, &there)) != STORE_OK)
		return rc;
	if (old == NULL && there) {
		serr(err, "/id", "%s '%s' exists", coll, id);
		return STORE_EXISTS;
	}
	if (old != NULL && !there) {
		serr(err, "", "no %s '%s'", coll, id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * Set the fields the store owns in doc (rev is the new revision; created
 * is kept from old) and make its canonical bytes, the one serialisation.
 */
static int
write_stamp(json_t *doc, const char *id, int64_t rev, const json_t *old,
    char **bytes, size_t *len)
{
	const json_t	*cr = old != NULL ? json_object_get(old, "created") :
			    NULL;
	char		 now[32];

	util_now_rfc3339(now, sizeof now);
	if (json_object_set_new(doc, "id", json_string(id)) != 0 ||
	    json_object_set_new(doc, "rev", json_integer(rev)) != 0 ||
	    json_object_set_new(doc, "created", json_is_string(cr) ?
	    json_stringn(json_string_value(cr), json_string_length(cr)) :
	    json_string(now)) != 0 ||
	    json_object_set_new(doc, "updated", json_string(now)) != 0 ||
	    (*bytes = util_json_canonical(doc, len)) == NULL)
		return STORE_IO;
	return STORE_OK;
}

/*
 * Check doc's references and unique values, then move the reference,
 * unique and field index entries from old's values (NULL: none) to doc's.
 */
static int
write_links(struct walk *w, const struct store_coll *c, const json_t *old,
    const json_t *doc)
{
	int	rc;

	/* Every check before the first write: a refused put leaves nothing. */
	if ((rc = refs_walk(c, doc, ref_check, w)) != 0 ||
	    (rc = uniq_walk(c, doc, uniq_check, w)) != 0)
		return rc;
	w->add = 0;
	if (old != NULL && ((rc = refs_walk(c, old, ref_update, w)) != 0 ||
	    (rc = uniq_walk(c, old, uniq_update, w)) != 0))
		return rc;
	w->add = 1;
	if ((rc = refs_walk(c, doc, ref_update, w)) != 0 ||
	    (rc = uniq_walk(c, doc, uniq_update, w)) != 0)
		return rc;
	return store_txn_broken(w->t, index_update(w->t->txn, w->t->st, c,
	    w->id, old, doc));
}

int
store_txn_relink(struct store_txn *t, int ci, const char *id,
    const json_t *doc, struct store_err *err)
{
	struct walk	w;

	if (walk_init(&w, t, t->st->colls[ci].name, id, err) == -1)
		return STORE_INVALID;
	return write_links(&w, &t->st->colls[ci], NULL, doc);
}

/* Store the bytes as coll ci's id and append the change's event. */
static int
write_record(struct store_txn *t, int ci, const char *id, const char *bytes,
    size_t len, int create, int64_t rev)
{
	char	sha[SHA256_HEX];
	MDB_val	k, v;
	int	rc;

	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	v.mv_data = (void *)bytes;
	v.mv_size = len;
	if ((rc = mdb_put(t->txn, t->st->dbis[ci], &k, &v, 0)) != 0)
		return store_txn_broken(t, store_mdb_rc(rc));
	util_sha256_hex(bytes, len, sha);
	return events_append(t, create ? "create" : "update",
	    t->st->colls[ci].name, id, rev, sha);
}

int
store_txn_write(struct store_txn *t, const char *coll, const char *id,
    json_t *doc, const json_t *old, int64_t expect_rev,
    struct store_result *res, struct store_err *err)
{
	struct walk	 w;
	char		*bytes = NULL;
	size_t		 len = 0;
	int64_t		 rev;
	int		 ci, rc;

	if (res != NULL) {
		res->out = NULL;
		res->outlen = 0;
		res->rev = 0;
	}
	if ((rc = op_start(t, coll, err, &ci)) != STORE_OK ||
	    (rc = write_args(&w, t, coll, id, doc, expect_rev, err)) !=
	    STORE_OK ||
	    (rc = write_rev(t, ci, id, old, expect_rev, &rev, err)) !=
	    STORE_OK)
		goto done;
	if ((rc = write_stamp(doc, id, rev + 1, old, &bytes, &len)) !=
	    STORE_OK) {
		serr(err, "", "out of memory");
		goto done;
	}
	if ((rc = write_links(&w, &t->st->colls[ci], old, doc)) !=
	    STORE_OK ||
	    (rc = write_record(t, ci, id, bytes, len, old == NULL, rev + 1))
	    != STORE_OK)
		goto done;
	if (res != NULL) {
		res->out = bytes;
		res->outlen = len;
		res->rev = rev + 1;
		bytes = NULL;
	}
done:
	if (rc == STORE_FULL || rc == STORE_IO)
		serr(err, "", "%s", store_strerror(rc));
	free(bytes);
	json_decref(doc);
	return rc;
}

int
store_txn_put(struct store_txn *t, const char *coll, const char *id,
    json_t *doc, int64_t expect_rev, char **out, size_t *outlen,
    struct store_err *err)
{
	struct store_result	 res;
	json_t			*old = NULL;
	int			 rc;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	/* store_txn_write words the other failures (collection, id). */
	rc = store_txn_get(t, coll, id, &old);
	if (rc == STORE_FULL || rc == STORE_IO) {
		serr(err, "", "%s", store_strerror(rc));
		return rc;
	}
	rc = store_txn_write(t, coll, id, json_incref(doc), old, expect_rev,
	    &res, err);
	json_decref(old);
	if (rc == STORE_OK) {
		if (out != NULL)
			*out = res.out;
		else
			free(res.out);
		if (outlen != NULL)
			*outlen = res.outlen;
	}
	return rc;
}

/*
 * Whether another record references w's record: *by gets the first such
 * (coll/id), or "" when none. Returns 0 or a store error.
 */
static int
referrer(struct walk *w, char *by, size_t len)
{
	MDB_cursor	*cur;
	MDB_val		 k, v;
	int		 rc;

	by[0] = '\0';
	k.mv_data = w->self;
	k.mv_size = strlen(w->self);
	if ((rc = mdb_cursor_open(w->t->txn, w->t->st->refs, &cur)) != 0)
		return store_txn_broken(w->t, store_mdb_rc(rc));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP))
		/* A record that references itself does not hold itself. */
		if (v.mv_size != strlen(w->self) ||
		    memcmp(v.mv_data, w->self, v.mv_size) != 0) {
			snprintf(by, len, "%.*s", (int)v.mv_size,
			    (const char *)v.mv_data);
			break;
		}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_txn_broken(w->t, store_mdb_rc(rc));
	return STORE_OK;
}

/* Drop old's reference, unique and field index entries, and the record. */
static int
remove_links(struct walk *w, int ci, const json_t *old)
{
	const struct store_coll	*c = &w->t->st->colls[ci];
	MDB_val			 k;
	int			 rc;

	w->add = 0;
	if ((rc = refs_walk(c, old, ref_update, w)) != 0 ||
	    (rc = uniq_walk(c, old, uniq_update, w)) != 0)
		return rc;
	if ((rc = index_update(w->t->txn, w->t->st, c, w->id, old, NULL)) !=
	    STORE_OK)
		return store_txn_broken(w->t, rc);
	k.mv_data = (void *)w->id;
	k.mv_size = strlen(w->id);
	if ((rc = mdb_del(w->t->txn, w->t->st->dbis[ci], &k, NULL)) != 0)
		return store_txn_broken(w->t, store_mdb_rc(rc));
	return STORE_OK;
}

int
store_txn_remove(struct store_txn *t, const char *coll, const char *id,
    const json_t *old, int64_t expect_rev, struct store_err *err)
{
	struct walk	 w;
	char		 by[REF_KEY_MAX];
	int64_t		 rev;
	int		 ci, rc, there;

	if ((rc = op_start(t, coll, err, &ci)) != STORE_OK)
		return rc;
	if (expect_rev < 0) {
		serr(err, "", "bad expected revision %lld",
		    (long long)expect_rev);
		return STORE_INVALID;
	}
	if (id == NULL || !util_id_valid(id) ||
	    walk_init(&w, t, coll, id, err) == -1 || old == NULL) {
		serr(err, "", "no %s '%.80s'", coll, id != NULL ? id : "");
		return STORE_NOTFOUND;
	}
	if ((rc = old_rev(old, &rev, err)) != STORE_OK)
		return rc;
	if (expect_rev > 0 && expect_rev != rev) {
		serr(err, "", "revision %lld is not the current %lld",
		    (long long)expect_rev, (long long)rev);
		return STORE_STALE;
	}
	/* Checked before the first write: a refused delete leaves nothing. */
	if ((rc = exists(t, ci, id, &there)) != STORE_OK ||
	    (rc = referrer(&w, by, sizeof by)) != STORE_OK)
		goto done;
	if (!there) {
		serr(err, "", "no %s '%s'", coll, id);
		return STORE_NOTFOUND;
	}
	if (by[0] != '\0') {
		serr(err, "", "referenced by %s", by);
		return STORE_REFERENCED;
	}
	/* The event names the revision that was deleted. */
	if ((rc = remove_links(&w, ci, old)) == STORE_OK)
		rc = events_append(t, "delete", coll, id, rev, NULL);
done:
	if (rc == STORE_FULL || rc == STORE_IO)
		serr(err, "", "%s", store_strerror(rc));
	return rc;
}

int
store_txn_delete(struct store_txn *t, const char *coll, const char *id,
    int64_t expect_rev, struct store_err *err)
{
	json_t	*old = NULL;
	int	 rc;

	/* store_txn_remove words the other failures (collection, id). */
	rc = store_txn_get(t, coll, id, &old);
	if (rc == STORE_FULL || rc == STORE_IO) {
		serr(err, "", "%s", store_strerror(rc));
		return rc;
	}
	rc = store_txn_remove(t, coll, id, old, expect_rev, err);
	json_decref(old);
	return rc;
}

const char *
store_txn_principal(struct store_txn *t)
{
	return t->principal;
}
