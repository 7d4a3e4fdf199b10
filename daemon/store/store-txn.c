/*
 * store-txn.c: the operations inside a change's write transaction (get, put,
 * delete) with their revision, reference, unique index and event chain
 * upkeep. The writer thread that runs the changes is in writer.c.
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

/* After STORE_FULL or STORE_IO LMDB refuses the transaction: remember it. */
static int
broken(struct store_txn *t, int rc)
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
			return broken(w->t, store_mdb_rc(rc));
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
		return broken(w->t, store_mdb_rc(rc));
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
		return broken(w->t, store_mdb_rc(rc));
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
		return broken(w->t, store_mdb_rc(rc));
	return STORE_OK;
}

/* Append the event of a change and move the head, in the change's txn. */
static int
append_event(struct store_txn *t, const char *action, const char *coll,
    const char *id, int64_t rev, const char *sha)
{
	json_t		*ev = NULL, *who;
	char		 prev[SHA256_HEX], hash[SHA256_HEX], now[32], *s = NULL;
	unsigned char	 key[8], head[STORE_HEAD_LEN];
	uint64_t	 seq;
	size_t		 len;
	MDB_val		 k, v;
	int		 rc;

	if ((rc = store_head_get(t->st, t->txn, &seq, prev)) != STORE_OK)
		return broken(t, rc);
	seq++;
	util_now_rfc3339(now, sizeof now);
	if ((who = json_string(t->principal)) == NULL)
		return broken(t, STORE_IO);	/* out of memory */
	ev = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:I, s:o, s:s}",
	    "seq", (json_int_t)seq, "time", now, "principal", who,
	    "action", action, "type", coll, "record", id,
	    "rev", (json_int_t)rev,
	    "sha256", sha != NULL ? json_string(sha) : json_null(),
	    "prev", prev);
	rc = STORE_IO;
	if (ev == NULL || store_event_hash(ev, hash) != STORE_OK ||
	    json_object_set_new(ev, "hash", json_string(hash)) != 0 ||
	    (s = util_json_canonical(ev, &len)) == NULL)
		goto done;

	store_seq_key(seq, key);
	k.mv_data = key;
	k.mv_size = sizeof key;
	v.mv_data = s;
	v.mv_size = len;
	rc = mdb_put(t->txn, t->st->events, &k, &v, MDB_APPEND);
	if (rc == MDB_KEYEXIST) {
		log_warnx("store: event %llu exists past the head",
		    (unsigned long long)seq);
		rc = STORE_IO;
		goto done;
	}
	if (rc != 0) {
		rc = store_mdb_rc(rc);
		goto done;
	}
	memcpy(head, key, 8);
	memcpy(head + 8, hash, 64);
	k.mv_data = (void *)"head";
	k.mv_size = 4;
	v.mv_data = head;
	v.mv_size = sizeof head;
	rc = store_mdb_rc(mdb_put(t->txn, t->st->meta, &k, &v, 0));
done:
	free(s);
	json_decref(ev);
	return broken(t, rc);
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
		    broken(t, store_mdb_rc(rc));
	*old = json_loadb(v.mv_data, v.mv_size, 0, &jerr);
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

int
store_txn_put(struct store_txn *t, const char *coll, const char *id,
    json_t *doc, int64_t expect_rev, char **out, size_t *outlen,
    struct store_err *err)
{
	const struct store_coll	*c;
	struct walk		 w;
	json_t			*old = NULL, *cr;
	char			 now[32], sha[SHA256_HEX], *bytes = NULL;
	size_t			 len;
	int64_t			 rev;
	MDB_val			 k, v;
	int			 ci, rc;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if ((rc = op_start(t, coll, err, &ci)) != STORE_OK)
		return rc;
	c = &t->st->colls[ci];
	if (id == NULL || !util_id_valid(id) ||
	    walk_init(&w, t, coll, id, err) == -1) {
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

	rc = load_old(t, ci, id, &old, &rev);
	if (rc == STORE_OK && expect_rev == STORE_REV_CREATE) {
		serr(err, "/id", "%s '%s' exists", coll, id);
		rc = STORE_EXISTS;
		goto done;
	}
	if (rc == STORE_NOTFOUND && expect_rev == STORE_REV_CREATE)
		rc = STORE_OK;
	else if (rc == STORE_NOTFOUND)
		serr(err, "", "no %s '%s'", coll, id);
	else if (rc == STORE_OK && expect_rev > 0 && expect_rev != rev) {
		serr(err, "", "revision %lld is not the current %lld",
		    (long long)expect_rev, (long long)rev);
		rc = STORE_STALE;
	}
	if (rc != STORE_OK)
		goto done;

	util_now_rfc3339(now, sizeof now);
	cr = old != NULL ? json_object_get(old, "created") : NULL;
	rc = STORE_IO;
	if (json_object_set_new(doc, "id", json_string(id)) != 0 ||
	    json_object_set_new(doc, "rev", json_integer(rev + 1)) != 0 ||
	    json_object_set_new(doc, "created", json_is_string(cr) ?
	    json_copy(cr) : json_string(now)) != 0 ||
	    json_object_set_new(doc, "updated", json_string(now)) != 0 ||
	    (bytes = util_json_canonical(doc, &len)) == NULL) {
		serr(err, "", "out of memory");
		goto done;
	}

	/* Every check before the first write: a refused put leaves nothing. */
	if ((rc = refs_walk(c, doc, ref_check, &w)) != 0 ||
	    (rc = uniq_walk(c, doc, uniq_check, &w)) != 0)
		goto done;
	w.add = 0;
	if (old != NULL && ((rc = refs_walk(c, old, ref_update, &w)) != 0 ||
	    (rc = uniq_walk(c, old, uniq_update, &w)) != 0))
		goto done;
	w.add = 1;
	if ((rc = refs_walk(c, doc, ref_update, &w)) != 0 ||
	    (rc = uniq_walk(c, doc, uniq_update, &w)) != 0)
		goto done;
	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	v.mv_data = bytes;
	v.mv_size = len;
	if ((rc = mdb_put(t->txn, t->st->dbis[ci], &k, &v, 0)) != 0) {
		rc = broken(t, store_mdb_rc(rc));
		goto done;
	}
	util_sha256_hex(bytes, len, sha);
	if ((rc = append_event(t, old != NULL ? "update" : "create", coll, id,
	    rev + 1, sha)) != STORE_OK)
		goto done;
	if (out != NULL) {
		*out = bytes;
		bytes = NULL;
	}
	if (outlen != NULL)
		*outlen = len;
done:
	if (rc == STORE_FULL || rc == STORE_IO)
		serr(err, "", "%s", store_strerror(rc));
	free(bytes);
	json_decref(old);
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
		return broken(w->t, store_mdb_rc(rc));
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
		return broken(w->t, store_mdb_rc(rc));
	return STORE_OK;
}

int
store_txn_delete(struct store_txn *t, const char *coll, const char *id,
    int64_t expect_rev, struct store_err *err)
{
	const struct store_coll	*c;
	struct walk		 w;
	json_t			*old = NULL;
	char			 by[REF_KEY_MAX];
	int64_t			 rev;
	MDB_val			 k;
	int			 ci, rc;

	if ((rc = op_start(t, coll, err, &ci)) != STORE_OK)
		return rc;
	c = &t->st->colls[ci];
	if (expect_rev < 0) {
		serr(err, "", "bad expected revision %lld",
		    (long long)expect_rev);
		return STORE_INVALID;
	}
	if (id == NULL || !util_id_valid(id) ||
	    walk_init(&w, t, coll, id, err) == -1) {
		serr(err, "", "no %s '%.80s'", coll, id != NULL ? id : "");
		return STORE_NOTFOUND;
	}
	if ((rc = load_old(t, ci, id, &old, &rev)) != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			serr(err, "", "no %s '%s'", coll, id);
		goto done;
	}
	if (expect_rev > 0 && expect_rev != rev) {
		serr(err, "", "revision %lld is not the current %lld",
		    (long long)expect_rev, (long long)rev);
		rc = STORE_STALE;
		goto done;
	}
	if ((rc = referrer(&w, by, sizeof by)) != STORE_OK)
		goto done;
	if (by[0] != '\0') {
		serr(err, "", "referenced by %s", by);
		rc = STORE_REFERENCED;
		goto done;
	}
	w.add = 0;
	if ((rc = refs_walk(c, old, ref_update, &w)) != 0 ||
	    (rc = uniq_walk(c, old, uniq_update, &w)) != 0)
		goto done;
	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	if ((rc = mdb_del(t->txn, t->st->dbis[ci], &k, NULL)) != 0) {
		rc = broken(t, store_mdb_rc(rc));
		goto done;
	}
	/* The event names the revision that was deleted. */
	rc = append_event(t, "delete", coll, id, rev, NULL);
done:
	if (rc == STORE_FULL || rc == STORE_IO)
		serr(err, "", "%s", store_strerror(rc));
	json_decref(old);
	return rc;
}

const char *
store_txn_principal(struct store_txn *t)
{
	return t->principal;
}
