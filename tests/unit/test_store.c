/*
 * test_store.c: unit tests of the record store (daemon/store/):
 * records and revisions, lists, references, unique indexes, the write path
 * with the caller's parsed document, field indexes and their rebuild, aux
 * tables, reader slots, the event chain and its tamper checks, batches, a
 * full map, and write throughput.
 */
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <jansson.h>
#include <lmdb.h>

#include "config.h"
#include "store/store.h"
#include "util.h"

static char	tmpdir[] = "/tmp/test_store.XXXXXX";

static const struct store_ref principal_refs[] = {
	{ "auditor", NULL, 0, "auditors" },
};
static const struct store_unique principal_uniq[] = {
	{ "certs", 1 },
};
static const struct store_unique auditor_uniq[] = {
	{ "email", 0 },
};
static const struct store_ref evaluation_refs[] = {
	{ "auditor", NULL, 0, "auditors" },
	{ "assessed", "area", 0, "areas" },
};
static const struct store_ref training_refs[] = {
	{ "auditor", NULL, 0, "auditors" },
	{ "areas", NULL, 1, "areas" },
};
static const struct store_ref node_refs[] = {
	{ "parent", NULL, 0, "nodes" },
};

static const struct store_index thing_idx[] = {
	{ "tag", 0 },
	{ "labels", 1 },
};

static const struct store_coll colls[] = {
	{ "areas", NULL, 0, NULL, 0, NULL, 0 },
	{ "auditors", NULL, 0, auditor_uniq, 1, NULL, 0 },
	{ "evaluations", evaluation_refs, 2, NULL, 0, NULL, 0 },
	{ "items", NULL, 0, NULL, 0, NULL, 0 },
	{ "nodes", node_refs, 1, NULL, 0, NULL, 0 },
	{ "principals", principal_refs, 1, principal_uniq, 1, NULL, 0 },
	{ "things", NULL, 0, NULL, 0, thing_idx, 2 },
	{ "trainings", training_refs, 2, NULL, 0, NULL, 0 },
	{ NULL, NULL, 0, NULL, 0, NULL, 0 }
};

static const char *const aux_tables[] = { "hours", "totals", NULL };

/* ---- helpers ------------------------------------------------------------ */

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
suite_init(void)
{
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
suite_clean(void)
{
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Open tmpdir/name with table t and the aux tables. */
static struct store *
open_with(const char *name, size_t map_size, const struct store_coll *t)
{
	struct store_opts	 o;
	char			 path[256], err[256];
	struct store		*st;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	memset(&o, 0, sizeof o);
	o.path = path;
	o.map_size = map_size;
	o.colls = t;
	o.aux = aux_tables;
	st = store_open(&o, err, sizeof err);
	if (st == NULL)
		fprintf(stderr, "store_open %s: %s\n", path, err);
	return st;
}

static struct store *
open_store(const char *name, size_t map_size)
{
	return open_with(name, map_size, colls);
}

/* One put or delete, as a change. */
struct op {
	const char		*coll;
	const char		*id;
	const char		*json;		/* NULL: delete */
	int64_t			 rev;
	int			 rc;
	struct store_err	 err;
	char			*out;
	size_t			 outlen;
};

static int
apply_op(struct store_txn *t, void *arg)
{
	struct op	*o = arg;
	json_t		*d;

	if (o->json == NULL)
		o->rc = store_txn_delete(t, o->coll, o->id, o->rev, &o->err);
	else {
		if ((d = json_loads(o->json, 0, NULL)) == NULL)
			return STORE_INVALID;
		o->rc = store_txn_put(t, o->coll, o->id, d, o->rev, &o->out,
		    &o->outlen, &o->err);
		json_decref(d);
	}
	return o->rc;
}

static int
put_err(struct store *st, const char *coll, const char *id,
    const char *json, int64_t rev, struct store_err *err)
{
	struct op	o;
	int		rc;

	memset(&o, 0, sizeof o);
	o.coll = coll;
	o.id = id;
	o.json = json;
	o.rev = rev;
	rc = store_write(st, apply_op, &o, "tester");
	free(o.out);
	if (err != NULL)
		*err = o.err;
	return rc;
}

static int
put(struct store *st, const char *coll, const char *id, const char *json,
    int64_t rev)
{
	return put_err(st, coll, id, json, rev, NULL);
}

static int
del_err(struct store *st, const char *coll, const char *id, int64_t rev,
    struct store_err *err)
{
	return put_err(st, coll, id, NULL, rev, err);
}

/* coll/id parsed from a fresh read transaction, or NULL. */
static json_t *
get_doc(struct store *st, const char *coll, const char *id)
{
	MDB_txn	*txn;
	MDB_val	 v;
	json_t	*d = NULL;

	if (store_read_begin(st, &txn) != STORE_OK)
		return NULL;
	if (store_get(st, txn, coll, id, &v) == STORE_OK)
		d = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	mdb_txn_abort(txn);
	return d;
}

static int
verify(struct store *st, uint64_t *count, char head[65], uint64_t *bad,
    struct store_err *err)
{
	MDB_txn	*txn;
	int	 rc;

	if (store_read_begin(st, &txn) != STORE_OK)
		return -1;
	rc = store_events_verify(st, txn, count, head, bad, err);
	mdb_txn_abort(txn);
	return rc;
}

static uint64_t
event_count(struct store *st)
{
	uint64_t	n = 0, bad;
	char		head[65];

	CU_ASSERT_EQUAL(verify(st, &n, head, &bad, NULL), STORE_OK);
	return n;
}

static const char *
jstr(const json_t *d, const char *key)
{
	return json_string_value(json_object_get(d, key));
}

static long long
jint(const json_t *d, const char *key)
{
	return json_integer_value(json_object_get(d, key));
}

/* ---- records ------------------------------------------------------------ */

static void
test_open(void)
{
	struct store	*st;
	struct stat	 sb;
	char		 path[256], err[256];

	st = open_store("open", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(store_fresh(st), 1);
	CU_ASSERT_PTR_NOT_NULL(store_env(st));
	store_free(st);
	snprintf(path, sizeof path, "%s/open", tmpdir);
	CU_ASSERT_EQUAL(stat(path, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0700);
	st = open_store("open", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(store_fresh(st), 0);
	store_free(st);
	store_free(NULL);

	/* Tables the store cannot key are refused. */
	{
		static const struct store_coll bad1[] = {
			{ "_meta", NULL, 0, NULL, 0, NULL, 0 },
			{ NULL, NULL, 0, NULL, 0, NULL, 0 } };
		static const struct store_ref r[] = {
			{ "x", NULL, 0, "nowhere" } };
		static const struct store_coll bad2[] = {
			{ "a", r, 1, NULL, 0, NULL, 0 },
			{ NULL, NULL, 0, NULL, 0, NULL, 0 } };
		static const struct store_index ix[] = { { "id", 0 } };
		static const struct store_coll bad3[] = {
			{ "a", NULL, 0, NULL, 0, ix, 1 },
			{ NULL, NULL, 0, NULL, 0, NULL, 0 } };
		static const char *const bad_aux[] = { "x", "a/b", NULL };
		static const char *const twice[] = { "x", "x", NULL };
		struct store_opts o;

		memset(&o, 0, sizeof o);
		o.path = path;
		o.map_size = 1 << 20;
		o.colls = bad1;
		err[0] = '\0';
		CU_ASSERT_PTR_NULL(store_open(&o, err, sizeof err));
		CU_ASSERT(err[0] != '\0');
		o.colls = bad2;
		CU_ASSERT_PTR_NULL(store_open(&o, err, sizeof err));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "nowhere"));
		o.colls = bad3;
		CU_ASSERT_PTR_NULL(store_open(&o, err, sizeof err));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "id needs no"));
		o.colls = colls;
		o.aux = bad_aux;
		CU_ASSERT_PTR_NULL(store_open(&o, err, sizeof err));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "a/b"));
		o.aux = twice;
		CU_ASSERT_PTR_NULL(store_open(&o, err, sizeof err));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "twice"));
		CU_ASSERT_PTR_NULL(store_open(NULL, err, sizeof err));
	}
}

static void
test_crud(void)
{
	struct store		*st;
	struct store_err	 err;
	struct op		 o;
	json_t			*d;
	char			 created[32];
	MDB_txn			*txn;
	MDB_val			 v;

	st = open_store("crud", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);

	memset(&o, 0, sizeof o);
	o.coll = "areas";
	o.id = "a1";
	o.json = "{\"title\":\"One\",\"id\":\"ignored\",\"rev\":99,"
	    "\"created\":\"x\"}";
	o.rev = STORE_REV_CREATE;
	CU_ASSERT_EQUAL(store_write(st, apply_op, &o, "alice"), STORE_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
	CU_ASSERT_EQUAL(strlen(o.out), o.outlen);
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_get(st, txn, "areas", "a1", &v), STORE_OK);
	CU_ASSERT(v.mv_size == o.outlen &&
	    memcmp(v.mv_data, o.out, o.outlen) == 0);
	CU_ASSERT_EQUAL(store_get(st, txn, "areas", "zz", &v),
	    STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_get(st, txn, "areas", "../x", &v),
	    STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_get(st, txn, "nope", "a1", &v), STORE_INVALID);
	mdb_txn_abort(txn);
	free(o.out);

	d = get_doc(st, "areas", "a1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(jstr(d, "id"), "a1");
	CU_ASSERT_EQUAL(jint(d, "rev"), 1);
	CU_ASSERT(util_datetime_valid(jstr(d, "created")));
	CU_ASSERT_STRING_EQUAL(jstr(d, "created"), jstr(d, "updated"));
	snprintf(created, sizeof created, "%s", jstr(d, "created"));
	json_decref(d);

	CU_ASSERT_EQUAL(put_err(st, "areas", "a1", "{\"title\":\"Again\"}",
	    STORE_REV_CREATE, &err), STORE_EXISTS);
	CU_ASSERT_EQUAL(put(st, "areas", "a1", "{\"title\":\"Two\"}", 5),
	    STORE_STALE);
	sleep(1);	/* so updated moves on */
	CU_ASSERT_EQUAL(put(st, "areas", "a1", "{\"title\":\"Two\"}", 1),
	    STORE_OK);
	CU_ASSERT_EQUAL(put(st, "areas", "a1", "{\"title\":\"Three\"}",
	    STORE_REV_ANY), STORE_OK);
	d = get_doc(st, "areas", "a1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(jint(d, "rev"), 3);
	CU_ASSERT_STRING_EQUAL(jstr(d, "title"), "Three");
	CU_ASSERT_STRING_EQUAL(jstr(d, "created"), created);
	CU_ASSERT(util_datetime_valid(jstr(d, "updated")));
	CU_ASSERT(strcmp(jstr(d, "updated"), created) > 0);
	json_decref(d);

	CU_ASSERT_EQUAL(put(st, "areas", "zz", "{}", STORE_REV_ANY),
	    STORE_NOTFOUND);
	CU_ASSERT_EQUAL(put(st, "areas", "zz", "{}", 1), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(put_err(st, "areas", "bad id", "{}",
	    STORE_REV_CREATE, &err), STORE_INVALID);
	CU_ASSERT_STRING_EQUAL(err.path, "/id");
	CU_ASSERT_EQUAL(put(st, "areas", "arr", "[1]", STORE_REV_CREATE),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(put(st, "nope", "x", "{}", STORE_REV_CREATE),
	    STORE_INVALID);

	CU_ASSERT_EQUAL(del_err(st, "areas", "a1", 2, &err), STORE_STALE);
	CU_ASSERT_EQUAL(del_err(st, "areas", "a1", STORE_REV_CREATE, &err),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(del_err(st, "areas", "a1", 3, &err), STORE_OK);
	CU_ASSERT_PTR_NULL(get_doc(st, "areas", "a1"));
	CU_ASSERT_EQUAL(del_err(st, "areas", "a1", STORE_REV_ANY, &err),
	    STORE_NOTFOUND);
	/* The id is free again: a new record starts at rev 1. */
	CU_ASSERT_EQUAL(put(st, "areas", "a1", "{}", STORE_REV_CREATE),
	    STORE_OK);
	d = get_doc(st, "areas", "a1");
	CU_ASSERT_EQUAL(jint(d, "rev"), 1);
	json_decref(d);
	CU_ASSERT_EQUAL(event_count(st), 5);
	store_free(st);
}

struct list_acc {
	char	ids[32][ID_MAX + 1];
	int	n;
	int	odd_only;
	int	stop_after;
};

static int
list_cb(const char *id, const MDB_val *doc, void *arg)
{
	struct list_acc	*a = arg;
	json_t		*d;
	int		 n;

	d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL(d);
	CU_ASSERT_STRING_EQUAL(jstr(d, "id"), id);
	n = (int)jint(d, "n");
	json_decref(d);
	if (a->stop_after > 0 && a->n == a->stop_after)
		return -1;
	if (a->odd_only && n % 2 == 0)
		return 0;
	snprintf(a->ids[a->n++], ID_MAX + 1, "%s", id);
	return 1;
}

static int
list_page(struct store *st, const char *after, size_t limit,
    struct list_acc *a, char *next)
{
	MDB_txn	*txn;
	int	 rc;

	a->n = 0;
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	rc = store_list(st, txn, "items", after, limit, list_cb, a, next);
	mdb_txn_abort(txn);
	return rc;
}

static void
test_list(void)
{
	struct store	*st;
	struct list_acc	 a;
	char		 id[16], json[64], next[ID_MAX + 1];
	int		 i;

	st = open_store("list", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	/* Submitted in reverse: the list is in id order regardless. */
	for (i = 24; i >= 0; i--) {
		snprintf(id, sizeof id, "n%02d", i);
		snprintf(json, sizeof json, "{\"n\":%d}", i);
		CU_ASSERT_EQUAL(put(st, "items", id, json, STORE_REV_CREATE),
		    STORE_OK);
	}
	memset(&a, 0, sizeof a);
	CU_ASSERT_EQUAL(list_page(st, NULL, 10, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 10);
	CU_ASSERT_STRING_EQUAL(a.ids[0], "n00");
	CU_ASSERT_STRING_EQUAL(a.ids[9], "n09");
	CU_ASSERT_STRING_EQUAL(next, "n09");
	CU_ASSERT_EQUAL(list_page(st, next, 10, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 10);
	CU_ASSERT_STRING_EQUAL(a.ids[0], "n10");
	CU_ASSERT_STRING_EQUAL(next, "n19");
	CU_ASSERT_EQUAL(list_page(st, next, 10, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 5);
	CU_ASSERT_STRING_EQUAL(a.ids[0], "n20");
	CU_ASSERT_STRING_EQUAL(a.ids[4], "n24");
	CU_ASSERT_STRING_EQUAL(next, "");

	/* Exactly a page left: no next. */
	CU_ASSERT_EQUAL(list_page(st, "n14", 10, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 10);
	CU_ASSERT_STRING_EQUAL(next, "");
	/* after need not exist. */
	CU_ASSERT_EQUAL(list_page(st, "n105", 3, &a, next), STORE_OK);
	CU_ASSERT_STRING_EQUAL(a.ids[0], "n11");
	CU_ASSERT_STRING_EQUAL(next, "n13");
	/* No limit. */
	CU_ASSERT_EQUAL(list_page(st, "", 0, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 25);
	CU_ASSERT_STRING_EQUAL(next, "");

	/* The filter skips even records; limits count taken ones. */
	a.odd_only = 1;
	CU_ASSERT_EQUAL(list_page(st, NULL, 5, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 5);
	CU_ASSERT_STRING_EQUAL(a.ids[0], "n01");
	CU_ASSERT_STRING_EQUAL(a.ids[4], "n09");
	CU_ASSERT_STRING_EQUAL(next, "n09");
	CU_ASSERT_EQUAL(list_page(st, next, 5, &a, next), STORE_OK);
	CU_ASSERT_STRING_EQUAL(a.ids[0], "n11");
	CU_ASSERT_STRING_EQUAL(next, "n19");
	CU_ASSERT_EQUAL(list_page(st, next, 5, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 2);
	CU_ASSERT_STRING_EQUAL(a.ids[1], "n23");
	CU_ASSERT_STRING_EQUAL(next, "");

	/* A callback may stop the walk; next lets the caller go on. */
	a.odd_only = 0;
	a.stop_after = 3;
	CU_ASSERT_EQUAL(list_page(st, NULL, 10, &a, next), STORE_OK);
	CU_ASSERT_EQUAL(a.n, 3);
	CU_ASSERT_STRING_EQUAL(next, "n02");

	CU_ASSERT_EQUAL(list_page(st, NULL, 0, &a, next), STORE_OK);
	store_free(st);
}

static void
test_refs(void)
{
	struct store		*st;
	struct store_err	 err;
	MDB_txn			*txn;

	st = open_store("refs", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(put(st, "areas", "a1", "{}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "areas", "a2", "{}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "auditors", "alice", "{}",
	    STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "auditors", "bob", "{}", STORE_REV_CREATE),
	    0);

	CU_ASSERT_EQUAL(put_err(st, "principals", "p1",
	    "{\"auditor\":\"carol\"}", STORE_REV_CREATE, &err),
	    STORE_BADREF);
	CU_ASSERT_STRING_EQUAL(err.path, "/auditor");
	CU_ASSERT_STRING_EQUAL(err.message, "unknown auditors id 'carol'");
	CU_ASSERT_EQUAL(put_err(st, "principals", "p1", "{\"auditor\":7}",
	    STORE_REV_CREATE, &err), STORE_BADREF);
	CU_ASSERT_EQUAL(put_err(st, "trainings", "t1",
	    "{\"auditor\":\"alice\",\"areas\":[\"a1\",\"a2\",\"a9\"]}",
	    STORE_REV_CREATE, &err), STORE_BADREF);
	CU_ASSERT_STRING_EQUAL(err.path, "/areas/2");
	CU_ASSERT_STRING_EQUAL(err.message, "unknown areas id 'a9'");
	CU_ASSERT_EQUAL(put_err(st, "evaluations", "e1",
	    "{\"auditor\":\"alice\",\"assessed\":[{\"area\":\"a1\"},"
	    "{\"area\":\"a1\"},{\"area\":\"zz\"}]}",
	    STORE_REV_CREATE, &err), STORE_BADREF);
	CU_ASSERT_STRING_EQUAL(err.path, "/assessed/2/area");
	CU_ASSERT_EQUAL(event_count(st), 4);
	CU_ASSERT_PTR_NULL(get_doc(st, "evaluations", "e1"));

	/* Null and absent references name nothing. */
	CU_ASSERT_EQUAL(put(st, "principals", "p0", "{\"auditor\":null}",
	    STORE_REV_CREATE), STORE_OK);
	/* e1 names a1 twice and alice. */
	CU_ASSERT_EQUAL(put(st, "evaluations", "e1",
	    "{\"auditor\":\"alice\",\"assessed\":[{\"area\":\"a1\"},"
	    "{\"area\":\"a1\"},{\"level\":\"x\"}]}", STORE_REV_CREATE),
	    STORE_OK);
	CU_ASSERT_EQUAL(put(st, "trainings", "t1",
	    "{\"auditor\":\"alice\",\"areas\":[\"a1\",\"a2\"]}",
	    STORE_REV_CREATE), STORE_OK);

	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_referenced(st, txn, "auditors", "alice"), 1);
	CU_ASSERT_EQUAL(store_referenced(st, txn, "auditors", "bob"), 0);
	CU_ASSERT_EQUAL(store_referenced(st, txn, "areas", "a2"), 1);
	CU_ASSERT_EQUAL(store_referenced(st, txn, "nope", "a2"), 0);
	mdb_txn_abort(txn);

	CU_ASSERT_EQUAL(del_err(st, "auditors", "alice", STORE_REV_ANY, &err),
	    STORE_REFERENCED);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "referenced by"));
	CU_ASSERT_EQUAL(del_err(st, "areas", "a1", STORE_REV_ANY, &err),
	    STORE_REFERENCED);
	CU_ASSERT_EQUAL(del_err(st, "areas", "a2", STORE_REV_ANY, &err),
	    STORE_REFERENCED);
	CU_ASSERT_STRING_EQUAL(err.message, "referenced by trainings/t1");

	/* Move the references away; then the deletes work. */
	CU_ASSERT_EQUAL(put(st, "evaluations", "e1",
	    "{\"auditor\":\"bob\",\"assessed\":[{\"area\":\"a2\"}]}", 1),
	    STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "auditors", "alice", STORE_REV_ANY, &err),
	    STORE_REFERENCED);
	CU_ASSERT_EQUAL(put(st, "trainings", "t1", "{\"auditor\":\"bob\"}",
	    1), STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "auditors", "alice", STORE_REV_ANY, &err),
	    STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "areas", "a1", STORE_REV_ANY, &err),
	    STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "areas", "a2", STORE_REV_ANY, &err),
	    STORE_REFERENCED);
	/* Deleting the referrer frees its targets. */
	CU_ASSERT_EQUAL(del_err(st, "evaluations", "e1", STORE_REV_ANY, &err),
	    STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "areas", "a2", STORE_REV_ANY, &err),
	    STORE_OK);

	/* A record may name itself, and is not held by that. */
	CU_ASSERT_EQUAL(put(st, "nodes", "root", "{\"parent\":\"root\"}",
	    STORE_REV_CREATE), STORE_OK);
	CU_ASSERT_EQUAL(put(st, "nodes", "kid", "{\"parent\":\"root\"}",
	    STORE_REV_CREATE), STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "nodes", "root", STORE_REV_ANY, &err),
	    STORE_REFERENCED);
	CU_ASSERT_STRING_EQUAL(err.message, "referenced by nodes/kid");
	CU_ASSERT_EQUAL(del_err(st, "nodes", "kid", STORE_REV_ANY, &err),
	    STORE_OK);
	CU_ASSERT_EQUAL(del_err(st, "nodes", "root", STORE_REV_ANY, &err),
	    STORE_OK);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);
	store_free(st);
}

static void
test_unique(void)
{
	struct store		*st;
	struct store_err	 err;
	MDB_txn			*txn;
	char			 id[ID_MAX + 1], json[800], longv[700];

	st = open_store("uniq", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(put(st, "principals", "p1",
	    "{\"certs\":[\"c1\",\"c2\",\"c1\"]}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put_err(st, "principals", "p2",
	    "{\"certs\":[\"c3\",\"c2\"]}", STORE_REV_CREATE, &err),
	    STORE_DUPLICATE);
	CU_ASSERT_STRING_EQUAL(err.path, "/certs/1");
	CU_ASSERT_STRING_EQUAL(err.message, "already mapped to principal 'p1'");
	CU_ASSERT_EQUAL(put(st, "auditors", "alice",
	    "{\"email\":\"a@example.org\"}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put_err(st, "auditors", "al",
	    "{\"email\":\"a@example.org\"}", STORE_REV_CREATE, &err),
	    STORE_DUPLICATE);
	CU_ASSERT_STRING_EQUAL(err.path, "/email");
	CU_ASSERT_STRING_EQUAL(err.message,
	    "already mapped to auditor 'alice'");

	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_index_get(st, txn, "principals", "certs", "c2",
	    id), STORE_OK);
	CU_ASSERT_STRING_EQUAL(id, "p1");
	CU_ASSERT_EQUAL(store_index_get(st, txn, "principals", "certs", "c3",
	    id), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_index_get(st, txn, "auditors", "email",
	    "a@example.org", id), STORE_OK);
	CU_ASSERT_STRING_EQUAL(id, "alice");
	mdb_txn_abort(txn);

	/* Replacing p1 without c1 frees c1; re-putting c2 keeps it. */
	CU_ASSERT_EQUAL(put(st, "principals", "p1", "{\"certs\":[\"c2\"]}",
	    1), 0);
	CU_ASSERT_EQUAL(put(st, "principals", "p2",
	    "{\"certs\":[\"c3\",\"c1\"]}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_index_get(st, txn, "principals", "certs", "c1",
	    id), STORE_OK);
	CU_ASSERT_STRING_EQUAL(id, "p2");
	CU_ASSERT_EQUAL(store_index_get(st, txn, "principals", "certs", "c2",
	    id), STORE_OK);
	CU_ASSERT_STRING_EQUAL(id, "p1");
	mdb_txn_abort(txn);

	/* A value too long for a key is indexed by its digest. */
	memset(longv, 'x', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	snprintf(json, sizeof json, "{\"email\":\"%s\"}", longv);
	CU_ASSERT_EQUAL(put(st, "auditors", "bob", json, STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "auditors", "bob2", json, STORE_REV_CREATE),
	    STORE_DUPLICATE);

	CU_ASSERT_EQUAL(del_err(st, "principals", "p1", STORE_REV_ANY, &err),
	    0);
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_index_get(st, txn, "principals", "certs", "c2",
	    id), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_index_get(st, txn, "auditors", "email", longv,
	    id), STORE_OK);
	CU_ASSERT_STRING_EQUAL(id, "bob");
	mdb_txn_abort(txn);
	CU_ASSERT_EQUAL(put(st, "principals", "p3", "{\"certs\":[\"c2\"]}",
	    STORE_REV_CREATE), 0);
	store_free(st);
}

/* Two puts in one change; the second refers to nothing. */
static int
apply_half(struct store_txn *t, void *arg)
{
	json_t	*d;
	int	 rc, *keep_going = arg;

	d = json_pack("{s:s}", "title", "x");
	rc = store_txn_put(t, "areas", "h1", d, STORE_REV_CREATE, NULL, NULL,
	    NULL);
	json_decref(d);
	if (rc != STORE_OK)
		return rc;
	d = json_pack("{s:s}", "auditor", "ghost");
	rc = store_txn_put(t, "trainings", "h2", d, STORE_REV_CREATE, NULL,
	    NULL, NULL);
	json_decref(d);
	CU_ASSERT_EQUAL(rc, STORE_BADREF);
	CU_ASSERT_STRING_EQUAL(store_txn_principal(t), "halfway");
	return *keep_going ? STORE_OK : rc;
}

/* store_write from inside an apply would wait for itself: refused. */
static int
apply_nested(struct store_txn *t, void *arg)
{
	struct store	*st = arg;

	(void)t;
	CU_ASSERT_EQUAL(store_write(st, apply_nested, st, "x"),
	    STORE_INVALID);
	return STORE_OK;
}

static void
test_change_atomic(void)
{
	struct store	*st;
	int		 keep = 0;

	st = open_store("atomic", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(store_write(st, apply_half, &keep, "halfway"),
	    STORE_BADREF);
	CU_ASSERT_PTR_NULL(get_doc(st, "areas", "h1"));
	CU_ASSERT_EQUAL(event_count(st), 0);
	/* A refused put leaves nothing even when the change goes on. */
	keep = 1;
	CU_ASSERT_EQUAL(store_write(st, apply_half, &keep, "halfway"),
	    STORE_OK);
	json_decref(get_doc(st, "areas", "h1"));
	CU_ASSERT_PTR_NULL(get_doc(st, "trainings", "h2"));
	CU_ASSERT_EQUAL(event_count(st), 1);

	CU_ASSERT_EQUAL(store_write(st, apply_nested, st, "x"), STORE_OK);
	/* The event log holds principals as JSON strings: UTF-8 only. */
	CU_ASSERT_EQUAL(store_write(st, apply_half, &keep, "\xff\xfe"),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(event_count(st), 1);
	store_free(st);
}

/* ---- events ------------------------------------------------------------- */

struct ev_acc {
	char		prev[65];
	uint64_t	seq;
	int		n;
	struct store	*st;
	MDB_txn		*txn;
};

/* An independent check of each event, as a client would do it. */
static int
events_cb(uint64_t seq, const MDB_val *ev, void *arg)
{
	struct ev_acc	*a = arg;
	json_t		*e, *c;
	char		*s, h[65];
	size_t		 len;
	MDB_val		 doc;

	e = json_loadb(ev->mv_data, ev->mv_size, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(seq, a->seq + 1);
	CU_ASSERT_EQUAL((uint64_t)jint(e, "seq"), seq);
	CU_ASSERT_STRING_EQUAL(jstr(e, "prev"), a->prev);
	CU_ASSERT_STRING_EQUAL(jstr(e, "principal"), "tester");
	CU_ASSERT_STRING_EQUAL(jstr(e, "type"), "items");
	CU_ASSERT(util_datetime_valid(jstr(e, "time")));
	c = json_deep_copy(e);
	json_object_del(c, "hash");
	s = util_json_canonical(c, &len);
	util_sha256_hex(s, len, h);
	CU_ASSERT_STRING_EQUAL(h, jstr(e, "hash"));
	free(s);
	json_decref(c);
	if (strcmp(jstr(e, "action"), "delete") == 0) {
		CU_ASSERT(json_is_null(json_object_get(e, "sha256")));
	} else if (seq > 14 && store_get(a->st, a->txn, "items",
	    jstr(e, "record"), &doc) == STORE_OK) {
		/* The last change of each record: its bytes are current. */
		util_sha256_hex(doc.mv_data, doc.mv_size, h);
		CU_ASSERT_STRING_EQUAL(h, jstr(e, "sha256"));
	}
	snprintf(a->prev, sizeof a->prev, "%s", jstr(e, "hash"));
	a->seq = seq;
	a->n++;
	json_decref(e);
	return 1;
}

/* Rewrite the store's own data, as an attacker with file access could. */
static void
raw(struct store *st, const char *db, uint64_t seq, const MDB_val *val)
{
	MDB_txn		*txn;
	MDB_dbi		 dbi;
	MDB_val		 k;
	unsigned char	 key[8];
	int		 i;

	for (i = 7; i >= 0; i--, seq >>= 8)
		key[i] = seq & 0xff;
	k.mv_data = key;
	k.mv_size = 8;
	CU_ASSERT_EQUAL_FATAL(mdb_txn_begin(store_env(st), NULL, 0, &txn), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_dbi_open(txn, db, 0, &dbi), 0);
	if (val == NULL) {
		CU_ASSERT_EQUAL(mdb_del(txn, dbi, &k, NULL), 0);
	} else {
		CU_ASSERT_EQUAL(mdb_put(txn, dbi, &k, (MDB_val *)val, 0), 0);
	}
	CU_ASSERT_EQUAL(mdb_txn_commit(txn), 0);
}

/* A malloc'd copy of event seq, its length in *len. */
static char *
event_copy(struct store *st, uint64_t seq, size_t *len)
{
	struct copy { char *s; size_t len; uint64_t want; } c = { NULL, 0,
	    seq };
	MDB_txn		*txn;
	MDB_cursor	*cur;
	MDB_dbi		 dbi;
	MDB_val		 k, v;
	unsigned char	 key[8];
	int		 i;

	for (i = 7; i >= 0; i--, seq >>= 8)
		key[i] = seq & 0xff;
	k.mv_data = key;
	k.mv_size = 8;
	CU_ASSERT_EQUAL_FATAL(store_read_begin(st, &txn), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_dbi_open(txn, "_events", 0, &dbi), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_cursor_open(txn, dbi, &cur), 0);
	if (mdb_cursor_get(cur, &k, &v, MDB_SET_KEY) == 0) {
		c.s = malloc(v.mv_size + 1);
		memcpy(c.s, v.mv_data, v.mv_size);
		c.s[v.mv_size] = '\0';
		c.len = v.mv_size;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	*len = c.len;
	return c.s;
}

static void
expect_bad(struct store *st, uint64_t want, const char *what)
{
	struct store_err	err;
	uint64_t		bad = 0, n;
	char			head[65];
	int			rc;

	rc = verify(st, &n, head, &bad, &err);
	CU_ASSERT_EQUAL(rc, STORE_INVALID);
	CU_ASSERT_EQUAL(bad, want);
	/* count and head describe the good prefix before the bad event. */
	CU_ASSERT_EQUAL(n, want - 1);
	CU_ASSERT_EQUAL(strlen(head), 64);
	if (rc != STORE_INVALID || bad != want)
		fprintf(stderr, "\n%s: rc %d bad %llu: %s\n", what, rc,
		    (unsigned long long)bad, err.message);
	CU_ASSERT(err.message[0] != '\0');
}

/* Store ev (len bytes) as its seq with another rev and a hash to match. */
static void
forge(struct store *st, const char *ev, size_t len)
{
	json_t	*f, *c;
	char	*fs, h[65];
	size_t	 fl;
	MDB_val	 v;

	f = json_loadb(ev, len, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	json_object_set_new(f, "rev", json_integer(jint(f, "rev") + 1));
	c = json_copy(f);
	json_object_del(c, "hash");
	fs = util_json_canonical(c, &fl);
	util_sha256_hex(fs, fl, h);
	free(fs);
	json_decref(c);
	json_object_set_new(f, "hash", json_string(h));
	fs = util_json_canonical(f, &fl);
	v.mv_data = fs;
	v.mv_size = fl;
	raw(st, "_events", (uint64_t)jint(f, "seq"), &v);
	free(fs);
	json_decref(f);
}

static void
test_events(void)
{
	struct store		*st;
	struct store_err	 err;
	struct ev_acc		 a;
	MDB_txn			*txn;
	MDB_val			 v, v2;
	char			 id[16], head[65], head2[65], *e3, *e7, *p;
	uint64_t		 n, bad, next;
	size_t			 l3, l7;
	int			 i;

	st = open_store("events", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(verify(st, &n, head, &bad, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(head, "00000000000000000000000000000000"
	    "00000000000000000000000000000000");
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof id, "e%d", i % 7);
		CU_ASSERT_EQUAL(put(st, "items", id, "{\"v\":1}",
		    STORE_REV_ANY), i < 7 ? STORE_NOTFOUND : STORE_OK);
		if (i < 7)
			CU_ASSERT_EQUAL(put(st, "items", id, "{}",
			    STORE_REV_CREATE), STORE_OK);
	}
	CU_ASSERT_EQUAL(del_err(st, "items", "e0", STORE_REV_ANY, &err), 0);
	/* 7 creates, 13 updates, 1 delete. */
	CU_ASSERT_EQUAL(verify(st, &n, head, &bad, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, 21);

	memset(&a, 0, sizeof a);
	memset(a.prev, '0', 64);
	a.st = st;
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	a.txn = txn;
	next = 0;
	do {
		CU_ASSERT_EQUAL(store_events(st, txn, next, 8, events_cb, &a,
		    &next), STORE_OK);
	} while (next != 0);
	CU_ASSERT_EQUAL(a.n, 21);
	CU_ASSERT_STRING_EQUAL(a.prev, head);
	CU_ASSERT_EQUAL(store_events(st, txn, 15, 0, NULL, NULL, &next), 0);
	CU_ASSERT_EQUAL(next, 0);
	CU_ASSERT_EQUAL(store_events(st, txn, 15, 3, NULL, NULL, &next), 0);
	CU_ASSERT_EQUAL(next, 18);
	mdb_txn_abort(txn);
	e3 = event_copy(st, 21, &l3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e3);
	CU_ASSERT_PTR_NOT_NULL(strstr(e3, "\"action\":\"delete\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(e3, "\"rev\":3,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e3, "\"sha256\":null"));
	free(e3);

	/* Edit: one byte of event 4. */
	e3 = event_copy(st, 4, &l3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e3);
	p = strstr(e3, "tester");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p[0] = 'T';
	v.mv_data = e3;
	v.mv_size = l3;
	raw(st, "_events", 4, &v);
	expect_bad(st, 4, "edit");
	p[0] = 't';
	raw(st, "_events", 4, &v);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);
	free(e3);

	/* Deletion of event 6. */
	e3 = event_copy(st, 6, &l3);
	v.mv_data = e3;
	v.mv_size = l3;
	raw(st, "_events", 6, NULL);
	expect_bad(st, 6, "delete");
	raw(st, "_events", 6, &v);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);
	free(e3);

	/* Reordering: events 3 and 7 swapped. */
	e3 = event_copy(st, 3, &l3);
	e7 = event_copy(st, 7, &l7);
	v.mv_data = e7;
	v.mv_size = l7;
	v2.mv_data = e3;
	v2.mv_size = l3;
	raw(st, "_events", 3, &v);
	raw(st, "_events", 7, &v2);
	expect_bad(st, 3, "swap");
	raw(st, "_events", 3, &v2);
	raw(st, "_events", 7, &v);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);
	free(e3);
	free(e7);

	/* Truncation: the last event goes; the head in _meta tells. */
	e3 = event_copy(st, 21, &l3);
	v.mv_data = e3;
	v.mv_size = l3;
	raw(st, "_events", 21, NULL);
	expect_bad(st, 21, "truncate");
	/* New events chain on from the head, not from what is left. */
	CU_ASSERT_EQUAL(put(st, "items", "e1", "{}", STORE_REV_ANY), 0);
	expect_bad(st, 21, "truncate, then append");
	raw(st, "_events", 21, &v);
	CU_ASSERT_EQUAL(verify(st, &n, head2, &bad, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, 22);
	free(e3);
	e3 = event_copy(st, 22, &l3);
	CU_ASSERT_PTR_NOT_NULL(strstr(e3, head));
	free(e3);

	/* A forged last event, chained right but not the head. */
	e3 = event_copy(st, 22, &l3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e3);
	forge(st, e3, l3);
	expect_bad(st, 22, "forged last event");
	v.mv_data = e3;
	v.mv_size = l3;
	raw(st, "_events", 22, &v);
	CU_ASSERT_EQUAL(verify(st, &n, head2, &bad, &err), STORE_OK);
	free(e3);

	/* Events survive a reopen and the chain goes on from the head. */
	store_free(st);
	st = open_store("events", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(put(st, "items", "e2", "{}", STORE_REV_ANY), 0);
	CU_ASSERT_EQUAL(verify(st, &n, head, &bad, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, 23);
	e3 = event_copy(st, 23, &l3);
	CU_ASSERT_PTR_NOT_NULL(strstr(e3, head2));
	free(e3);
	store_free(st);
}

/* store_events_verify_to: where the chain holds want, UINT64_MAX if not. */
static int
verify_to(struct store *st, const char *want, uint64_t *at, uint64_t *count)
{
	MDB_txn	*txn;
	int	 rc;

	if (store_read_begin(st, &txn) != STORE_OK)
		return -1;
	rc = store_events_verify_to(st, txn, want, at, count, NULL, NULL,
	    NULL);
	mdb_txn_abort(txn);
	return rc;
}

/* _meta's head rewritten to (seq, hash), as an attacker with the file could. */
static void
raw_head(struct store *st, uint64_t seq, const char *hash)
{
	MDB_txn		*txn;
	MDB_dbi		 dbi;
	MDB_val		 k = { 4, (void *)"head" }, v;
	unsigned char	 h[8 + 64];
	int		 i;

	for (i = 7; i >= 0; i--, seq >>= 8)
		h[i] = seq & 0xff;
	memcpy(h + 8, hash, 64);
	v.mv_data = h;
	v.mv_size = sizeof h;
	CU_ASSERT_EQUAL_FATAL(mdb_txn_begin(store_env(st), NULL, 0, &txn), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_dbi_open(txn, "_meta", 0, &dbi), 0);
	CU_ASSERT_EQUAL(mdb_put(txn, dbi, &k, &v, 0), 0);
	CU_ASSERT_EQUAL(mdb_txn_commit(txn), 0);
}

/*
 * The end of the log cut off and the stored head rewritten to match: the
 * chain holds, so only a head saved before the cut finds it. Events never
 * hold a record's values, only its id and its hash.
 */
static void
test_events_head(void)
{
	struct store	*st;
	char		 h3[65], h5[65], zero[65], *e;
	uint64_t	 n, at, bad;
	size_t		 len;
	int		 i;
	json_t		*ev;
	const char	*k;
	json_t		*val;

	st = open_store("events-head", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	memset(zero, '0', 64);
	zero[64] = '\0';
	CU_ASSERT_EQUAL(verify_to(st, zero, &at, &n), STORE_OK);
	CU_ASSERT_EQUAL(at, 0);
	CU_ASSERT_EQUAL(put(st, "items", "p1", "{\"name\":\"Ada Lovelace\","
	    "\"email\":\"ada@example.org\"}", STORE_REV_CREATE), STORE_OK);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(put(st, "items", "p1", i == 0 ?
		    "{\"name\":\"Ada King\"}" : "{\"unit\":\"Secret Unit\"}",
		    STORE_REV_ANY), STORE_OK);
	CU_ASSERT_EQUAL(verify(st, &n, h3, &bad, NULL), STORE_OK);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(put(st, "items", "p2", "{}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(del_err(st, "items", "p1", STORE_REV_ANY, NULL), 0);
	CU_ASSERT_EQUAL(verify(st, &n, h5, &bad, NULL), STORE_OK);
	CU_ASSERT_EQUAL(n, 5);

	/* Both saved heads are held, each where it was taken. */
	CU_ASSERT_EQUAL(verify_to(st, h3, &at, &n), STORE_OK);
	CU_ASSERT_EQUAL(at, 3);
	CU_ASSERT_EQUAL(verify_to(st, h5, &at, &n), STORE_OK);
	CU_ASSERT_EQUAL(at, 5);

	/* No event holds a value of the record: ids, revs and hashes only. */
	for (i = 1; i <= 5; i++) {
		e = event_copy(st, (uint64_t)i, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_PTR_NULL(strstr(e, "Ada"));
		CU_ASSERT_PTR_NULL(strstr(e, "example.org"));
		CU_ASSERT_PTR_NULL(strstr(e, "Secret"));
		ev = json_loads(e, 0, NULL);
		CU_ASSERT_EQUAL(json_object_size(ev), 10);
		json_object_foreach(ev, k, val)
			CU_ASSERT(strcmp(k, "action") == 0 ||
			    strcmp(k, "hash") == 0 || strcmp(k, "prev") == 0 ||
			    strcmp(k, "principal") == 0 ||
			    strcmp(k, "record") == 0 || strcmp(k, "rev") == 0 ||
			    strcmp(k, "seq") == 0 || strcmp(k, "sha256") == 0 ||
			    strcmp(k, "time") == 0 || strcmp(k, "type") == 0);
		json_decref(ev);
		free(e);
	}

	/* Cut events 4 and 5 off and make the stored head event 3's. */
	raw(st, "_events", 5, NULL);
	raw(st, "_events", 4, NULL);
	raw_head(st, 3, h3);
	CU_ASSERT_EQUAL(verify(st, &n, NULL, &bad, NULL), STORE_OK);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(verify_to(st, h3, &at, &n), STORE_OK);
	CU_ASSERT_EQUAL(at, 3);
	/* The head saved after event 5 is not held: the cut is found. */
	CU_ASSERT_EQUAL(verify_to(st, h5, &at, &n), STORE_OK);
	CU_ASSERT_EQUAL(at, UINT64_MAX);
	/* A chain broken before the saved head does not hold it either. */
	e = event_copy(st, 2, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	{
		MDB_val	v = { len, e };

		e[len - 3] ^= 1;
		raw(st, "_events", 2, &v);
		CU_ASSERT_EQUAL(verify_to(st, h3, &at, &n), STORE_INVALID);
		CU_ASSERT_EQUAL(at, UINT64_MAX);
		CU_ASSERT_EQUAL(n, 1);
	}
	free(e);
	store_free(st);
}

/* ---- the write path: store_txn_write and store_txn_remove ---------------- */

/* A fresh parsed document from JSON text. */
static json_t *
J(const char *s)
{
	json_t	*d = json_loads(s, 0, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

struct wr {
	struct store	*st;
	char		*out;
	size_t		 outlen;
	int64_t		 rev;
};

/* Create, update with old, and the failures that must still take doc. */
static int
apply_write_basics(struct store_txn *t, void *arg)
{
	struct wr		*w = arg;
	struct store_result	 res;
	struct store_err	 err;
	json_t			*old = NULL;

	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1",
	    J("{\"tag\":\"red\",\"rev\":42}"), NULL, STORE_REV_CREATE, &res,
	    &err), STORE_OK);
	CU_ASSERT_EQUAL(res.rev, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res.out);
	CU_ASSERT_EQUAL(strlen(res.out), res.outlen);
	free(res.out);

	CU_ASSERT_EQUAL(store_txn_get(t, "things", "w1", &old), STORE_OK);
	/* Each failure below leaves nothing and still releases its doc. */
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1", J("{}"), NULL,
	    STORE_REV_CREATE, &res, &err), STORE_EXISTS);
	CU_ASSERT_PTR_NULL(res.out);
	CU_ASSERT_EQUAL(res.rev, 0);
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1", J("{}"), old,
	    STORE_REV_CREATE, &res, &err), STORE_EXISTS);
	CU_ASSERT_STRING_EQUAL(err.path, "/id");
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1", J("{}"), old, 7,
	    &res, &err), STORE_STALE);
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w9", J("{}"), NULL,
	    STORE_REV_ANY, &res, &err), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w9", J("{}"), old,
	    STORE_REV_ANY, &res, &err), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1", J("[1]"), old,
	    STORE_REV_ANY, &res, &err), STORE_INVALID);
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "bad id", J("{}"), NULL,
	    STORE_REV_CREATE, &res, &err), STORE_INVALID);
	CU_ASSERT_EQUAL(store_txn_write(t, "nope", "w1", J("{}"), NULL,
	    STORE_REV_CREATE, &res, &err), STORE_INVALID);
	CU_ASSERT_EQUAL(store_txn_write(t, "trainings", "w1",
	    J("{\"auditor\":\"ghost\"}"), NULL, STORE_REV_CREATE, &res, &err),
	    STORE_BADREF);
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1", NULL, old,
	    STORE_REV_ANY, NULL, NULL), STORE_INVALID);

	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w1",
	    J("{\"tag\":\"green\"}"), old, 1, &res, &err), STORE_OK);
	CU_ASSERT_EQUAL(res.rev, 2);
	w->out = res.out;
	w->outlen = res.outlen;
	w->rev = res.rev;
	json_decref(old);
	/* res NULL: the bytes are not wanted. */
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w2",
	    J("{\"tag\":\"red\"}"), NULL, STORE_REV_CREATE, NULL, NULL),
	    STORE_OK);
	return STORE_OK;
}

/*
 * The store takes the index values to drop from old, not from the stored
 * record: given an old that differs from what is stored (the caller's
 * contract broken on purpose), the stored value's entry stays behind.
 */
static int
apply_trusts_old(struct store_txn *t, void *arg)
{
	json_t	*old = NULL;

	(void)arg;
	CU_ASSERT_EQUAL(store_txn_get(t, "things", "w2", &old), STORE_OK);
	json_object_set_new(old, "tag", json_string("blue"));
	CU_ASSERT_EQUAL(store_txn_write(t, "things", "w2",
	    J("{\"tag\":\"green\"}"), old, STORE_REV_ANY, NULL, NULL),
	    STORE_OK);
	json_decref(old);
	return STORE_OK;
}

static int
apply_remove(struct store_txn *t, void *arg)
{
	struct store_err	 err;
	json_t			*old = NULL;
	int			 rc;

	(void)arg;
	CU_ASSERT_EQUAL(store_txn_remove(t, "things", "w9", NULL,
	    STORE_REV_ANY, &err), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_txn_get(t, "things", "w1", &old), STORE_OK);
	CU_ASSERT_EQUAL(store_txn_remove(t, "things", "w1", old, 1, &err),
	    STORE_STALE);
	CU_ASSERT_EQUAL(store_txn_remove(t, "things", "w1", old,
	    STORE_REV_CREATE, &err), STORE_INVALID);
	rc = store_txn_remove(t, "things", "w1", old, 2, &err);
	CU_ASSERT_EQUAL(rc, STORE_OK);
	/* The same old again: the record is gone. */
	CU_ASSERT_EQUAL(store_txn_remove(t, "things", "w1", old, 2, &err),
	    STORE_NOTFOUND);
	json_decref(old);
	return rc;
}

static int
has(struct store *st, const char *coll, const char *field, const char *value,
    const char *id)
{
	MDB_txn	*txn;
	int	 r;

	if (store_read_begin(st, &txn) != STORE_OK)
		return -1;
	r = store_index_has(st, txn, coll, field, value, id);
	mdb_txn_abort(txn);
	return r;
}

static void
test_write(void)
{
	struct store	*st;
	struct wr	 w;
	MDB_txn		*txn;
	MDB_val		 v;
	json_t		*d;
	char		*ev;
	size_t		 len;

	st = open_store("write", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	memset(&w, 0, sizeof w);
	w.st = st;
	CU_ASSERT_EQUAL(store_write(st, apply_write_basics, &w, "tester"),
	    STORE_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.out);
	/* res holds the stored bytes and the rev they record. */
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_get(st, txn, "things", "w1", &v), STORE_OK);
	CU_ASSERT(v.mv_size == w.outlen && memcmp(v.mv_data, w.out,
	    w.outlen) == 0);
	mdb_txn_abort(txn);
	free(w.out);
	d = get_doc(st, "things", "w1");
	CU_ASSERT_EQUAL(jint(d, "rev"), w.rev);
	CU_ASSERT_STRING_EQUAL(jstr(d, "tag"), "green");
	json_decref(d);
	CU_ASSERT_EQUAL(has(st, "things", "tag", "green", "w1"), 1);
	CU_ASSERT_EQUAL(has(st, "things", "tag", "red", "w1"), 0);
	CU_ASSERT_EQUAL(event_count(st), 3);
	/* The update's event: canonical, hash right after the action. */
	ev = event_copy(st, 2, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_EQUAL(strncmp(ev, "{\"action\":\"update\",\"hash\":\"", 27),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(ev, "\"rev\":2,"));
	free(ev);

	CU_ASSERT_EQUAL(store_write(st, apply_trusts_old, NULL, "tester"),
	    STORE_OK);
	CU_ASSERT_EQUAL(has(st, "things", "tag", "green", "w2"), 1);
	CU_ASSERT_EQUAL(has(st, "things", "tag", "red", "w2"), 1);
	CU_ASSERT_EQUAL(has(st, "things", "tag", "blue", "w2"), 0);

	CU_ASSERT_EQUAL(store_write(st, apply_remove, NULL, "tester"),
	    STORE_OK);
	CU_ASSERT_PTR_NULL(get_doc(st, "things", "w1"));
	CU_ASSERT_EQUAL(has(st, "things", "tag", "green", "w1"), 0);
	ev = event_copy(st, 5, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_EQUAL(strncmp(ev, "{\"action\":\"delete\",\"hash\":\"", 27),
	    0);
	free(ev);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);
	store_free(st);
}

/* ---- field indexes ------------------------------------------------------ */

#define IDX_IDS		40
#define IDX_OPS		600
#define IDX_PAGE	3

/* The values the random documents use; "x\0y" has an embedded NUL. */
static char	long_value[700];
static const char *const idx_values[] = { "red", "green", "blue", "",
    "x", long_value, "nope" };
#define NVALUES		(sizeof idx_values / sizeof idx_values[0])

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* A random string value (a few have an embedded NUL), or another kind. */
static json_t *
rnd_value(void)
{
	unsigned	r = rnd(10);

	if (r == 8)
		return json_stringn("x\0y", 3);
	if (r == 9)
		return json_integer(7);
	return json_string(idx_values[r % (NVALUES - 1)]);
}

/* Random tag, labels (with repeats) and color fields, each maybe absent. */
static json_t *
rnd_doc(void)
{
	json_t		*d = json_object(), *a;
	unsigned	 i, n;

	if (rnd(4) != 0)
		json_object_set_new(d, "tag", rnd_value());
	if (rnd(4) != 0) {
		a = json_array();
		for (i = 0, n = rnd(5); i < n; i++)
			json_array_append_new(a, rnd_value());
		json_object_set_new(d, "labels", a);
	} else if (rnd(3) == 0)
		json_object_set_new(d, "labels", rnd_value());
	if (rnd(2) != 0)
		json_object_set_new(d, "color", rnd_value());
	return d;
}

/* One random change to thing id: create, patch, replace or remove. */
static int
apply_random(struct store_txn *t, void *arg)
{
	const char	*id = arg;
	json_t		*old = NULL, *doc, *patch, *v;
	const char	*k;
	int		 rc;

	rc = store_txn_get(t, "things", id, &old);
	if (rc == STORE_NOTFOUND && rnd(2))
		return store_txn_write(t, "things", id, rnd_doc(), NULL,
		    STORE_REV_CREATE, NULL, NULL);
	if (rc == STORE_NOTFOUND) {
		doc = rnd_doc();
		rc = store_txn_put(t, "things", id, doc, STORE_REV_CREATE,
		    NULL, NULL, NULL);
		json_decref(doc);
		return rc;
	}
	CU_ASSERT_EQUAL_FATAL(rc, STORE_OK);
	switch (rnd(5)) {
	case 0:
		rc = store_txn_remove(t, "things", id, old, STORE_REV_ANY, NULL);
		break;
	case 1:
		rc = store_txn_delete(t, "things", id, STORE_REV_ANY, NULL);
		break;
	case 2:
		doc = rnd_doc();
		rc = store_txn_put(t, "things", id, doc, STORE_REV_ANY, NULL,
		    NULL, NULL);
		json_decref(doc);
		break;
	default:
		/* A patch: some fields of a random document over the old. */
		doc = json_deep_copy(old);
		patch = rnd_doc();
		json_object_foreach(patch, k, v)
			if (rnd(2))
				json_object_set(doc, k, v);
		json_decref(patch);
		rc = store_txn_write(t, "things", id, doc, old,
		    json_integer_value(json_object_get(old, "rev")), NULL,
		    NULL);
	}
	json_decref(old);
	return rc;
}

/* 1 if d's field holds value under the index rule (string, or in array). */
static int
brute_holds(const json_t *d, const char *field, int array,
    const char *value)
{
	const json_t	*f = json_object_get(d, field), *el;
	size_t		 i, vl = strlen(value);

	if (json_is_string(f))
		return json_string_length(f) == vl &&
		    memcmp(json_string_value(f), value, vl) == 0;
	if (array && json_is_array(f))
		json_array_foreach(f, i, el)
			if (json_is_string(el) && json_string_length(el) == vl &&
			    memcmp(json_string_value(el), value, vl) == 0)
				return 1;
	return 0;
}

struct idlist {
	char		 ids[IDX_IDS][ID_MAX + 1];
	int		 n;
	int		 page;		/* taken on this page */
	const char	*field;
	int		 array;
	const char	*value;
};

/* The old way: parse every record and compare. */
static int
brute_cb(const char *id, const MDB_val *doc, void *arg)
{
	struct idlist	*l = arg;
	json_t		*d;
	int		 take;

	d = json_loadb(doc->mv_data, doc->mv_size, JSON_ALLOW_NUL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	take = brute_holds(d, l->field, l->array, l->value);
	json_decref(d);
	if (take && l->n < IDX_IDS)
		snprintf(l->ids[l->n++], ID_MAX + 1, "%s", id);
	return take;
}

static int
by_cb(const char *id, const MDB_val *doc, void *arg)
{
	struct idlist	*l = arg;
	json_t		*d;

	/* The bytes are the record's own. */
	d = json_loadb(doc->mv_data, doc->mv_size, JSON_ALLOW_NUL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(jstr(d, "id"), id);
	json_decref(d);
	if (l->n < IDX_IDS)
		snprintf(l->ids[l->n++], ID_MAX + 1, "%s", id);
	l->page++;
	return 1;
}

/* store_list_by over pages of IDX_PAGE against the brute-force filter. */
static void
compare_one(struct store *st, MDB_txn *txn, const char *field, int array,
    const char *value)
{
	struct idlist	 brute, by;
	char		 next[ID_MAX + 1] = "";
	int		 i, pages = 0;

	memset(&brute, 0, sizeof brute);
	brute.field = field;
	brute.array = array;
	brute.value = value;
	CU_ASSERT_EQUAL(store_list(st, txn, "things", NULL, 0, brute_cb,
	    &brute, next), STORE_OK);
	next[0] = '\0';
	memset(&by, 0, sizeof by);
	do {
		by.page = 0;
		CU_ASSERT_EQUAL_FATAL(store_list_by(st, txn, "things", field,
		    value, next, IDX_PAGE, by_cb, &by, next), STORE_OK);
		/* Only the first page may be empty; next "" means no more. */
		CU_ASSERT(by.page <= IDX_PAGE);
		CU_ASSERT(by.page > 0 || pages == 0);
		CU_ASSERT(next[0] == '\0' || by.page == IDX_PAGE);
		pages++;
	} while (next[0] != '\0' && pages <= IDX_IDS);
	CU_ASSERT_EQUAL(by.n, brute.n);
	for (i = 0; i < brute.n && i < by.n; i++)
		CU_ASSERT_STRING_EQUAL(by.ids[i], brute.ids[i]);
	if (by.n != brute.n)
		fprintf(stderr, "\n%s=%.10s: %d by index, %d by parsing\n",
		    field, value, by.n, brute.n);
	/* store_index_has agrees record by record. */
	for (i = 0; i < IDX_IDS; i++) {
		char	id[16];
		int	j, want = 0;

		snprintf(id, sizeof id, "t%02d", i);
		for (j = 0; j < brute.n; j++)
			want |= strcmp(brute.ids[j], id) == 0;
		CU_ASSERT_EQUAL(store_index_has(st, txn, "things", field,
		    value, id), want);
	}
}

/* Every indexed field and value of t's "things" against brute force. */
static void
compare_all(struct store *st, const struct store_index *ix, size_t nix)
{
	MDB_txn	*txn;
	size_t	 i, j;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(st, &txn), STORE_OK);
	for (i = 0; i < nix; i++)
		for (j = 0; j < NVALUES; j++)
			compare_one(st, txn, ix[i].field, ix[i].array,
			    idx_values[j]);
	mdb_txn_abort(txn);
}

static void
random_changes(struct store *st, int n)
{
	char	id[16];
	int	i, rc;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "t%02u", rnd(IDX_IDS));
		rc = store_write(st, apply_random, id, "tester");
		CU_ASSERT(rc == STORE_OK);
	}
}

/* Delete what a store made before field indexes would lack. */
static void
forget_indexes(struct store *st)
{
	MDB_txn	*txn;
	MDB_dbi	 dbi;
	MDB_val	 k = { 7, (void *)"indexes" };

	CU_ASSERT_EQUAL_FATAL(mdb_txn_begin(store_env(st), NULL, 0, &txn), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_dbi_open(txn, "_idx", 0, &dbi), 0);
	CU_ASSERT_EQUAL(mdb_drop(txn, dbi, 1), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_dbi_open(txn, "_meta", 0, &dbi), 0);
	CU_ASSERT_EQUAL(mdb_del(txn, dbi, &k, NULL), 0);
	CU_ASSERT_EQUAL(mdb_txn_commit(txn), 0);
}

/* store_list_by on "id", and what it refuses. */
static void
index_edges(struct store *st)
{
	struct idlist	 l;
	MDB_txn		*txn;
	MDB_val		 v;
	char		 next[ID_MAX + 1], id[16];
	int		 i, there;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(st, &txn), STORE_OK);
	for (i = 0; i < IDX_IDS; i++) {
		snprintf(id, sizeof id, "t%02d", i);
		there = store_get(st, txn, "things", id, &v) == STORE_OK;
		memset(&l, 0, sizeof l);
		CU_ASSERT_EQUAL(store_list_by(st, txn, "things", "id", id, NULL,
		    5, by_cb, &l, next), STORE_OK);
		CU_ASSERT_EQUAL(l.n, there);
		CU_ASSERT_STRING_EQUAL(next, "");
		CU_ASSERT_EQUAL(store_index_has(st, txn, "things", "id", id,
		    id), there);
		memset(&l, 0, sizeof l);
		CU_ASSERT_EQUAL(store_list_by(st, txn, "things", "id", id, id,
		    5, by_cb, &l, next), STORE_OK);
		CU_ASSERT_EQUAL(l.n, 0);
	}
	CU_ASSERT_EQUAL(store_index_has(st, txn, "things", "id", "t01", "t02"),
	    0);
	CU_ASSERT_EQUAL(store_list_by(st, txn, "things", "color", "red", NULL,
	    5, by_cb, &l, next), STORE_INVALID);
	CU_ASSERT_EQUAL(store_index_has(st, txn, "things", "color", "red",
	    "t01"), 0);
	CU_ASSERT_EQUAL(store_list_by(st, txn, "nope", "tag", "red", NULL, 5,
	    by_cb, &l, next), STORE_INVALID);
	CU_ASSERT_EQUAL(store_list_by(st, txn, "things", "tag", "red",
	    long_value, 5, by_cb, &l, next), STORE_INVALID);
	CU_ASSERT_EQUAL(store_list_by(st, txn, "things", "tag", NULL, NULL, 5,
	    by_cb, &l, next), STORE_INVALID);
	mdb_txn_abort(txn);
}

static void
test_index(void)
{
	static const struct store_index more_idx[] = {
		{ "tag", 0 }, { "labels", 1 }, { "color", 0 } };
	struct store_coll	 more[sizeof colls / sizeof colls[0]];
	struct store		*st;
	size_t			 i;

	memset(long_value, 'v', sizeof long_value - 1);
	st = open_store("index", 8 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	random_changes(st, IDX_OPS);
	compare_all(st, thing_idx, 2);
	index_edges(st);
	store_free(st);

	/* Another index table: _idx is rebuilt at open. */
	memcpy(more, colls, sizeof more);
	for (i = 0; more[i].name != NULL; i++)
		if (strcmp(more[i].name, "things") == 0) {
			more[i].indexes = more_idx;
			more[i].nindexes = 3;
		}
	st = open_with("index", 8 << 20, more);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	compare_all(st, more_idx, 3);
	random_changes(st, IDX_OPS / 4);
	compare_all(st, more_idx, 3);
	store_free(st);

	/* A store from before field indexes: built at open. */
	st = open_store("index", 8 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	forget_indexes(st);
	store_free(st);
	st = open_store("index", 8 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	compare_all(st, thing_idx, 2);
	random_changes(st, IDX_OPS / 4);
	compare_all(st, thing_idx, 2);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);
	store_free(st);
}

/* ---- aux tables --------------------------------------------------------- */

struct aux_arg {
	int	fail;		/* apply fails after its rows */
	int	n;
};

/* Rows "alice/2024-0M-01" -> hours, and a document in the same change. */
static int
apply_aux(struct store_txn *t, void *arg)
{
	struct aux_arg	*a = arg;
	json_t		*d;
	char		 key[32], val[16];
	int		 i, rc;

	for (i = 1; i <= a->n; i++) {
		snprintf(key, sizeof key, "alice/2024-%02d-01", i);
		snprintf(val, sizeof val, "%d", i * 2);
		if ((rc = store_txn_aux_put(t, "hours", key, strlen(key), val,
		    strlen(val))) != STORE_OK)
			return rc;
	}
	CU_ASSERT_EQUAL(store_txn_aux_put(t, "hours", "bob/2024-01-01", 14,
	    "9", 1), STORE_OK);
	CU_ASSERT_EQUAL(store_txn_aux_put(t, "totals", "alice", 5, NULL, 0),
	    STORE_OK);
	CU_ASSERT_EQUAL(store_txn_aux_put(t, "nope", "k", 1, "v", 1),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(store_txn_aux_put(t, "hours", "", 0, "v", 1),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(store_txn_aux_put(t, "hours", long_value, 512, "v",
	    1), STORE_INVALID);
	CU_ASSERT_EQUAL(store_txn_aux_del(t, "hours", "carol", 5),
	    STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_txn_aux_del(t, "nope", "carol", 5),
	    STORE_INVALID);
	d = json_object();
	CU_ASSERT_EQUAL(store_txn_put(t, "areas", "aux1", d, STORE_REV_CREATE,
	    NULL, NULL, NULL), STORE_OK);
	json_decref(d);
	return a->fail ? STORE_INVALID : STORE_OK;
}

static int
apply_aux_del(struct store_txn *t, void *arg)
{
	(void)arg;
	CU_ASSERT_EQUAL(store_txn_aux_del(t, "hours", "alice/2024-02-01", 16),
	    STORE_OK);
	return store_txn_aux_del(t, "hours", "alice/2024-02-01", 16);
}

/* A row too big for the map breaks the change, as a put would. */
static int
apply_aux_full(struct store_txn *t, void *arg)
{
	size_t	 len = 2 << 20;
	char	*big = calloc(1, len);
	int	 rc;

	(void)arg;
	rc = store_txn_aux_put(t, "hours", "big", 3, big, len);
	free(big);
	CU_ASSERT_EQUAL(rc, STORE_FULL);
	CU_ASSERT_EQUAL(store_txn_aux_put(t, "hours", "small", 5, "1", 1),
	    STORE_FULL);
	CU_ASSERT_EQUAL(store_txn_aux_del(t, "hours", "bob/2024-01-01", 14),
	    STORE_FULL);
	return STORE_OK;
}

struct walk_acc {
	int	n;
	int	sum;
	int	stop_at;
};

static int
aux_cb(const MDB_val *key, const MDB_val *val, void *arg)
{
	struct walk_acc	*w = arg;

	CU_ASSERT(key->mv_size > 0);
	w->n++;
	w->sum += atoi(val->mv_size > 0 ? (const char *)val->mv_data : "0");
	return w->stop_at > 0 && w->n == w->stop_at;
}

static struct walk_acc
aux_walk(struct store *st, const char *table, const char *prefix, int stop)
{
	struct walk_acc	 w = { 0, 0, stop };
	MDB_txn		*txn;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_aux_walk(st, txn, table, prefix, prefix != NULL ?
	    strlen(prefix) : 0, aux_cb, &w), STORE_OK);
	mdb_txn_abort(txn);
	return w;
}

static void
test_aux(void)
{
	struct store	*st;
	struct aux_arg	 a = { 1, 3 };
	MDB_txn		*txn;
	MDB_val		 v;

	st = open_store("aux", 256 << 10);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	/* A failed change leaves none of its rows, nor its document. */
	CU_ASSERT_EQUAL(store_write(st, apply_aux, &a, "tester"),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", NULL, 0).n, 0);
	CU_ASSERT_EQUAL(aux_walk(st, "totals", NULL, 0).n, 0);
	CU_ASSERT_PTR_NULL(get_doc(st, "areas", "aux1"));
	a.fail = 0;
	CU_ASSERT_EQUAL(store_write(st, apply_aux, &a, "tester"), STORE_OK);
	json_decref(get_doc(st, "areas", "aux1"));

	CU_ASSERT_EQUAL(aux_walk(st, "hours", NULL, 0).n, 4);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "alice/", 0).n, 3);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "alice/", 0).sum, 12);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "alice/2024-02", 0).sum, 4);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "alice/", 2).n, 2);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "carol/", 0).n, 0);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "c", 0).n, 0);
	CU_ASSERT_EQUAL(aux_walk(st, "totals", NULL, 0).n, 1);

	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(store_aux_get(st, txn, "hours", "bob/2024-01-01", 14,
	    &v), STORE_OK);
	CU_ASSERT(v.mv_size == 1 && memcmp(v.mv_data, "9", 1) == 0);
	CU_ASSERT_EQUAL(store_aux_get(st, txn, "totals", "alice", 5, &v),
	    STORE_OK);
	CU_ASSERT_EQUAL(v.mv_size, 0);
	CU_ASSERT_EQUAL(store_aux_get(st, txn, "hours", "bob", 3, &v),
	    STORE_NOTFOUND);
	CU_ASSERT_EQUAL(store_aux_get(st, txn, "nope", "bob", 3, &v),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(store_aux_get(st, txn, "hours", "bob", 0, &v),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(store_aux_walk(st, txn, "nope", NULL, 0, aux_cb, NULL),
	    STORE_INVALID);
	mdb_txn_abort(txn);

	/* The second delete of one key fails the change: the first is undone. */
	CU_ASSERT_EQUAL(store_write(st, apply_aux_del, NULL, "tester"),
	    STORE_NOTFOUND);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", "alice/", 0).n, 3);
	CU_ASSERT_EQUAL(store_write(st, apply_aux_full, NULL, "tester"),
	    STORE_FULL);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", NULL, 0).n, 4);
	store_free(st);

	/* Rows last. */
	st = open_store("aux", 256 << 10);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(aux_walk(st, "hours", NULL, 0).n, 4);
	store_free(st);
}

/* ---- store_check, the lock file, the compacted copy ---------------------- */

struct seen {
	int	tables, differ;
	char	first[80];
};

static void
seen_table(const char *table, size_t stored, size_t derived, int same,
    void *arg)
{
	struct seen	*s = arg;

	(void)stored;
	(void)derived;
	s->tables++;
	if (!same && s->differ++ == 0)
		snprintf(s->first, sizeof s->first, "%s", table);
}

/* Put (or, val NULL, delete) one raw row of database name, behind the store. */
static void
raw_row(struct store *st, const char *name, const char *key, size_t klen,
    const char *val)
{
	MDB_txn	*txn;
	MDB_dbi	 dbi;
	MDB_val	 k = { klen, (void *)key }, v;

	CU_ASSERT_EQUAL_FATAL(mdb_txn_begin(store_env(st), NULL, 0, &txn), 0);
	CU_ASSERT_EQUAL_FATAL(mdb_dbi_open(txn, name, 0, &dbi), 0);
	if (val != NULL) {
		v.mv_size = strlen(val);
		v.mv_data = (void *)val;
		CU_ASSERT_EQUAL(mdb_put(txn, dbi, &k, &v, 0), 0);
	} else
		CU_ASSERT_EQUAL(mdb_del(txn, dbi, &k, NULL), 0);
	CU_ASSERT_EQUAL(mdb_txn_commit(txn), 0);
}

static void
test_check(void)
{
	struct store_opts	 o;
	struct store_err	 err;
	struct store		*st;
	struct seen		 s;
	json_t			*doc;
	char			 path[256], e[256], copy[300];
	size_t			 n;
	int			 fd;

	st = open_store("check", 4 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(put(st, "auditors", "a1", "{\"email\":\"a@x\"}",
	    STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "areas", "ar1", "{}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "trainings", "t1", "{\"auditor\":\"a1\","
	    "\"areas\":[\"ar1\"]}", STORE_REV_CREATE), 0);
	CU_ASSERT_EQUAL(put(st, "things", "th1", "{\"tag\":\"red\","
	    "\"labels\":[\"x\",\"y\"]}", STORE_REV_CREATE), 0);

	/* Sound: every table as derived, and nothing written by the check. */
	memset(&s, 0, sizeof s);
	memset(&err, 0, sizeof err);
	CU_ASSERT_EQUAL(store_check(st, seen_table, &s, &n, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(s.tables, 3);	/* no aux_rebuild: aux not judged */
	CU_ASSERT_EQUAL(s.differ, 0);
	CU_ASSERT_EQUAL(store_check(st, NULL, NULL, NULL, NULL), STORE_OK);

	/* A lost field index row, a stray reference: each is found. */
	raw_row(st, "_refs", "auditors/zz", 11, "trainings/t9");
	memset(&s, 0, sizeof s);
	CU_ASSERT_EQUAL(store_check(st, seen_table, &s, &n, &err),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(s.differ, 1);
	CU_ASSERT_STRING_EQUAL(s.first, "_refs");
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "_refs"));
	raw_row(st, "_refs", "auditors/zz", 11, NULL);
	CU_ASSERT_EQUAL(store_check(st, NULL, NULL, NULL, NULL), STORE_OK);
	/* A unique value's row gone. */
	raw_row(st, "_uniq", "auditors\0email\0=a@x",
	    sizeof "auditors\0email\0=a@x" - 1, NULL);
	memset(&s, 0, sizeof s);
	CU_ASSERT_EQUAL(store_check(st, seen_table, &s, NULL, &err),
	    STORE_INVALID);

	/* A second open of the same store is refused while this one holds it. */
	snprintf(path, sizeof path, "%s/check", tmpdir);
	memset(&o, 0, sizeof o);
	o.path = path;
	o.colls = colls;
	CU_ASSERT_PTR_NULL(store_open(&o, e, sizeof e));
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "in use by another process"));

	/* The compacted copy opens as a store of its own with the records. */
	snprintf(copy, sizeof copy, "%s/check-copy", tmpdir);
	CU_ASSERT_EQUAL_FATAL(mkdir(copy, 0700), 0);
	strncat(copy, "/data.mdb", sizeof copy - strlen(copy) - 1);
	fd = open(copy, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_EQUAL(store_copy_fd(st, fd), STORE_OK);
	close(fd);
	store_free(st);
	st = open_store("check-copy", 4 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	doc = get_doc(st, "trainings", "t1");
	CU_ASSERT_PTR_NOT_NULL(doc);
	json_decref(doc);
	store_free(st);
}

/* ---- stale reader slots ------------------------------------------------- */

static int
count_line(const char *msg, void *arg)
{
	(void)msg;
	(*(int *)arg)++;
	return 0;
}

/* Reader slots in the lock table, one line each after mdb_reader_list's title. */
static int
reader_slots(MDB_env *env)
{
	int	n = 0;

	mdb_reader_list(env, count_line, &n);
	return n > 0 ? n - 1 : 0;
}

/* In a child: open the environment at path read-only; NULL on failure. */
static MDB_env *
child_env(const char *path)
{
	MDB_env	*env;

	if (mdb_env_create(&env) != 0 || mdb_env_set_maxdbs(env, 32) != 0 ||
	    mdb_env_open(env, path, MDB_NOTLS | MDB_RDONLY, 0600) != 0)
		return NULL;
	return env;
}

/*
 * A process that dies inside a read transaction leaves its slot in the
 * lock table while other processes keep the environment open (the first
 * process to open it alone resets the table), pinning the pages of its
 * snapshot for ever; store_open clears it (mdb_reader_check). Child A
 * holds the environment open throughout, child B dies in a transaction.
 */
static void
test_stale_readers(void)
{
	struct store	*st;
	MDB_env		*env;
	MDB_txn		*txn;
	char		 path[256], c;
	pid_t		 a, b;
	int		 ready[2], hold[2], status;

	st = open_store("stale", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	store_free(st);
	snprintf(path, sizeof path, "%s/stale", tmpdir);
	CU_ASSERT_FATAL(pipe(ready) == 0 && pipe(hold) == 0);
	if ((a = fork()) == 0) {
		close(ready[0]);
		close(hold[1]);
		if (child_env(path) == NULL)
			_exit(1);
		(void)!write(ready[1], "r", 1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	CU_ASSERT_FATAL(a > 0 && read(ready[0], &c, 1) == 1);
	if ((b = fork()) == 0) {
		if ((env = child_env(path)) == NULL ||
		    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) != 0)
			_exit(1);
		_exit(0);	/* no abort, no close: the slot stays taken */
	}
	CU_ASSERT_FATAL(b > 0 && waitpid(b, &status, 0) == b);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* Seen from here, before the store opens: the dead one's slot. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(env = child_env(path));
	CU_ASSERT_EQUAL(reader_slots(env), 1);
	mdb_env_close(env);
	st = open_store("stale", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(reader_slots(store_env(st)), 0);
	store_free(st);
	close(hold[1]);
	close(ready[0]);
	CU_ASSERT(waitpid(a, &status, 0) == a && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
}

/* ---- reader slots and the worker cap ------------------------------------ */

static void
test_readers(void)
{
	struct store_opts	 o;
	struct config		 c;
	struct store		*st;
	MDB_txn			*txn[64];
	char			 path[256], err[256];
	unsigned		 n, max, i;

	/* The worker count is capped, the one-per-core path too. */
	memset(&c, 0, sizeof c);
	CU_ASSERT_EQUAL(config_workers(&c, 4), 4);
	CU_ASSERT_EQUAL(config_workers(&c, 256), CONFIG_WORKERS_MAX);
	CU_ASSERT_EQUAL(config_workers(&c, 0), 1);
	CU_ASSERT_EQUAL(config_workers(&c, -1), 1);
	c.workers = 3;
	CU_ASSERT_EQUAL(config_workers(&c, 256), 3);
	CU_ASSERT_EQUAL(CONFIG_WORKERS_MAX, 64);
	/* The most slots a daemon asks for stay within LMDB's default. */
	CU_ASSERT(store_max_readers(CONFIG_WORKERS_MAX) <= 126);

	/* 2 workers: each worker's txn, the writer, scans and slack fit. */
	snprintf(path, sizeof path, "%s/readers", tmpdir);
	memset(&o, 0, sizeof o);
	o.path = path;
	o.map_size = 1 << 20;
	o.max_readers = max = store_max_readers(2);
	o.colls = colls;
	st = store_open(&o, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(mdb_env_get_maxreaders(store_env(st), &n), 0);
	CU_ASSERT_EQUAL(n, max);
	CU_ASSERT(max >= 2 + 1 + STORE_SCAN_READERS);
	CU_ASSERT_FATAL(max < sizeof txn / sizeof txn[0]);
	for (i = 0; i < max; i++)
		CU_ASSERT_EQUAL(store_read_begin(st, &txn[i]), STORE_OK);
	/* One past the table is refused; writes go on meanwhile. */
	CU_ASSERT_EQUAL(store_read_begin(st, &txn[max]), STORE_IO);
	CU_ASSERT_PTR_NULL(txn[max]);
	CU_ASSERT_EQUAL(put(st, "items", "r1", "{}", STORE_REV_CREATE), 0);
	for (i = 0; i < max; i++)
		mdb_txn_abort(txn[i]);
	CU_ASSERT_EQUAL(store_read_begin(st, &txn[0]), STORE_OK);
	mdb_txn_abort(txn[0]);
	store_free(st);
}

/* ---- a _uniq key whose digest ends at the key's last byte ---------------- */

/*
 * With coll "items" (5 bytes) and a 439-byte field name the key is
 * "items" NUL field NUL '#' and 64 digits: exactly 511 bytes, LMDB's
 * largest. A digest written with its NUL there overruns the key buffer
 * (AddressSanitizer reports the stack overflow). One byte more has no
 * room and is refused; one less fits.
 */
static void
test_uniq_key_limit(void)
{
	struct store	*st;
	MDB_txn		*txn;
	char		 field[450], value[100], id[ID_MAX + 1] = "x";

	st = open_store("uniqkey", 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	memset(value, 'v', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	CU_ASSERT_EQUAL(store_read_begin(st, &txn), STORE_OK);
	memset(field, 'f', 439);
	field[439] = '\0';
	CU_ASSERT_EQUAL(store_index_get(st, txn, "items", field, value, id),
	    STORE_NOTFOUND);
	CU_ASSERT_STRING_EQUAL(id, "");
	field[438] = '\0';
	CU_ASSERT_EQUAL(store_index_get(st, txn, "items", field, value, id),
	    STORE_NOTFOUND);
	memset(field, 'f', 440);
	field[440] = '\0';
	CU_ASSERT_EQUAL(store_index_get(st, txn, "items", field, value, id),
	    STORE_INVALID);
	mdb_txn_abort(txn);
	store_free(st);
}

/* ---- batches ------------------------------------------------------------ */

struct writer_arg {
	struct store	*st;
	int		 thread;
	int		 n;
	int		 failed;
};

static void *
writer_thread(void *arg)
{
	struct writer_arg	*w = arg;
	char			 id[32];
	int			 i;

	for (i = 0; i < w->n; i++) {
		snprintf(id, sizeof id, "w%d-%04d", w->thread, i);
		if (put(w->st, "items", id, "{\"x\":1}", STORE_REV_CREATE) != 0)
			w->failed++;
	}
	return NULL;
}

/* Holds the writer until released, so the next changes form one batch. */
struct gate {
	pthread_mutex_t	lock;
	pthread_cond_t	cond;
	int		entered;
	int		open;
};

static int
apply_gate(struct store_txn *t, void *arg)
{
	struct gate	*g = arg;

	(void)t;
	pthread_mutex_lock(&g->lock);
	g->entered = 1;
	pthread_cond_broadcast(&g->cond);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return STORE_OK;
}

struct job {
	struct store_change	 ch;
	struct event		*ev;
	struct op		 op;
	char			 id[16];
	int			*left;
	struct event_base	*base;
	void			(*next)(struct job *);
	void			*owner;
};

static void
job_done(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;

	(void)fd;
	(void)what;
	if (j->next != NULL)
		j->next(j);
	if (--*j->left == 0)
		event_base_loopbreak(j->base);
}

static void
job_init(struct job *j, struct event_base *base, int *left,
    int (*apply)(struct store_txn *, void *), void *arg)
{
	memset(j, 0, sizeof *j);
	j->ch.apply = apply;
	j->ch.arg = arg;
	snprintf(j->ch.principal, sizeof j->ch.principal, "tester");
	j->ev = event_new(base, -1, 0, job_done, j);
	j->ch.done = j->ev;
	j->left = left;
	j->base = base;
}

static void
test_batch(void)
{
	struct store		*st;
	struct writer_arg	 w[4];
	pthread_t		 th[4];
	struct event_base	*base;
	struct gate		 g;
	struct job		 gate_job, jobs[40];
	uint64_t		 b0, b1, c0, c1, n0;
	int			 i, left;
	json_t			*d;

	st = open_store("batch", 8 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);

	/* Several threads through store_write: every change lands. */
	for (i = 0; i < 4; i++) {
		w[i].st = st;
		w[i].thread = i;
		w[i].n = 150;
		w[i].failed = 0;
		pthread_create(&th[i], NULL, writer_thread, &w[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(w[i].failed, 0);
	}
	CU_ASSERT_EQUAL(event_count(st), 600);

	/*
	 * One batch of 40 behind a gate: every 4th change fails after a put
	 * of its own; the others persist.
	 */
	base = event_base_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	g.entered = g.open = 0;
	left = 41;
	job_init(&gate_job, base, &left, apply_gate, &g);
	CU_ASSERT_EQUAL(store_submit(st, &gate_job.ch), 0);
	pthread_mutex_lock(&g.lock);
	while (!g.entered)
		pthread_cond_wait(&g.cond, &g.lock);
	pthread_mutex_unlock(&g.lock);
	store_stats(st, &b0, &c0);
	n0 = event_count(st);
	for (i = 0; i < 40; i++) {
		job_init(&jobs[i], base, &left, apply_op, &jobs[i].op);
		snprintf(jobs[i].id, sizeof jobs[i].id, "b%02d", i);
		jobs[i].op.coll = i % 4 == 3 ? "trainings" : "items";
		jobs[i].op.id = jobs[i].id;
		jobs[i].op.json = i % 4 == 3 ? "{\"auditor\":\"ghost\"}" :
		    "{\"batch\":true}";
		jobs[i].op.rev = STORE_REV_CREATE;
		CU_ASSERT_EQUAL(store_submit(st, &jobs[i].ch), 0);
	}
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	CU_ASSERT_EQUAL(left, 0);
	store_stats(st, &b1, &c1);
	/* The gate's batch, then the 40 in one. */
	CU_ASSERT_EQUAL(b1 - b0, 2);
	CU_ASSERT_EQUAL(c1 - c0, 41);
	CU_ASSERT_EQUAL(gate_job.ch.rc, STORE_OK);
	for (i = 0; i < 40; i++) {
		d = get_doc(st, jobs[i].op.coll, jobs[i].id);
		if (i % 4 == 3) {
			CU_ASSERT_EQUAL(jobs[i].ch.rc, STORE_BADREF);
			CU_ASSERT_STRING_EQUAL(jobs[i].op.err.path, "/auditor");
			CU_ASSERT_PTR_NULL(d);
		} else {
			CU_ASSERT_EQUAL(jobs[i].ch.rc, STORE_OK);
			CU_ASSERT_PTR_NOT_NULL(d);
		}
		json_decref(d);
		free(jobs[i].op.out);
		event_free(jobs[i].ev);
	}
	event_free(gate_job.ev);
	CU_ASSERT_EQUAL(event_count(st) - n0, 30);
	CU_ASSERT_EQUAL(verify(st, NULL, NULL, NULL, NULL), STORE_OK);

	/* A full queue answers busy; a bad change is refused outright. */
	{
		struct store_change c;

		memset(&c, 0, sizeof c);
		CU_ASSERT_EQUAL(store_submit(st, &c), STORE_INVALID);
	}
	event_base_free(base);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);
	store_free(st);
}

/* A full queue answers STORE_BUSY, and store_free drains what is queued. */
static void
test_busy(void)
{
	struct store		*st;
	struct event_base	*base;
	struct gate		 g;
	struct job		 gate_job, *jobs;
	int			 i, left, busy = 0, n = 4096 + 10;

	st = open_store("busy", 8 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	base = event_base_new();
	jobs = calloc((size_t)n, sizeof *jobs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jobs);
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	g.entered = g.open = 0;
	left = 1;
	job_init(&gate_job, base, &left, apply_gate, &g);
	CU_ASSERT_EQUAL(store_submit(st, &gate_job.ch), 0);
	pthread_mutex_lock(&g.lock);
	while (!g.entered)
		pthread_cond_wait(&g.cond, &g.lock);
	pthread_mutex_unlock(&g.lock);
	for (i = 0; i < n; i++) {
		job_init(&jobs[i], base, &left, apply_op, &jobs[i].op);
		snprintf(jobs[i].id, sizeof jobs[i].id, "q%05d", i);
		jobs[i].op.coll = "items";
		jobs[i].op.id = jobs[i].id;
		jobs[i].op.json = "{}";
		jobs[i].op.rev = STORE_REV_CREATE;
		if (store_submit(st, &jobs[i].ch) == STORE_BUSY)
			busy++;
		else
			left++;
	}
	CU_ASSERT_EQUAL(busy, 10);
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	/* Closing runs all that was queued before the writer stops. */
	store_free(st);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CU_ASSERT_EQUAL(left, 0);
	for (i = 0; i < n - busy; i++) {
		CU_ASSERT_EQUAL(jobs[i].ch.rc, STORE_OK);
		free(jobs[i].op.out);
	}
	for (i = 0; i < n; i++)
		event_free(jobs[i].ev);
	event_free(gate_job.ev);
	free(jobs);
	event_base_free(base);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);

	st = open_store("busy", 8 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(event_count(st), (uint64_t)(n - busy));
	store_free(st);
}

/* ---- a full map --------------------------------------------------------- */

static void
test_full(void)
{
	static const size_t	 sizes[] = { 32 << 10, 48 << 10, 64 << 10 };
	struct store		*st = NULL;
	struct store_err	 err;
	struct event_base	*base;
	struct gate		 g;
	struct job		 gate_job, jobs[3];
	json_t			*d;
	char			 id[16], *json, *big, name[32];
	uint64_t		 n, bad;
	char			 head[65];
	size_t			 si, map = 0;
	int			 i, rc = 0, ok = 0, left;

	/* How small a map can hold an empty store (64 KiB must do). */
	for (si = 0; si < sizeof sizes / sizeof sizes[0] && st == NULL;
	    si++) {
		snprintf(name, sizeof name, "tiny%zu", si);
		map = sizes[si];
		st = open_store(name, map);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	fprintf(stderr, "\n  smallest map that opens: %zu KiB; ", map >> 10);
	store_free(st);

	snprintf(name, sizeof name, "full");
	map = 256 << 10;
	st = open_store(name, map);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);

	/* In one batch, a change too big for the map fails alone. */
	big = malloc(2 << 20);
	json = malloc((2 << 20) + 64);
	memset(big, 'b', (2 << 20) - 1);
	big[(2 << 20) - 1] = '\0';
	snprintf(json, (2 << 20) + 64, "{\"blob\":\"%s\"}", big);
	base = event_base_new();
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	g.entered = g.open = 0;
	left = 4;
	job_init(&gate_job, base, &left, apply_gate, &g);
	CU_ASSERT_EQUAL(store_submit(st, &gate_job.ch), 0);
	pthread_mutex_lock(&g.lock);
	while (!g.entered)
		pthread_cond_wait(&g.cond, &g.lock);
	pthread_mutex_unlock(&g.lock);
	for (i = 0; i < 3; i++) {
		job_init(&jobs[i], base, &left, apply_op, &jobs[i].op);
		snprintf(jobs[i].id, sizeof jobs[i].id, "j%d", i);
		jobs[i].op.coll = "items";
		jobs[i].op.id = jobs[i].id;
		jobs[i].op.json = i == 1 ? json : "{\"small\":1}";
		jobs[i].op.rev = STORE_REV_CREATE;
		CU_ASSERT_EQUAL(store_submit(st, &jobs[i].ch), 0);
	}
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	CU_ASSERT_EQUAL(jobs[0].ch.rc, STORE_OK);
	CU_ASSERT_EQUAL(jobs[1].ch.rc, STORE_FULL);
	CU_ASSERT_EQUAL(jobs[2].ch.rc, STORE_OK);
	CU_ASSERT_STRING_EQUAL(jobs[1].op.err.message, "store is full");
	for (i = 0; i < 3; i++) {
		free(jobs[i].op.out);
		event_free(jobs[i].ev);
	}
	event_free(gate_job.ev);
	event_base_free(base);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);
	CU_ASSERT_PTR_NULL(get_doc(st, "items", "j1"));
	CU_ASSERT_EQUAL(event_count(st), 2);
	ok = 2;

	/* Fill it one change at a time. */
	memset(big, 'x', 1000);
	big[1000] = '\0';
	snprintf(json, (2 << 20) + 64, "{\"blob\":\"%s\"}", big);
	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "f%05d", i);
		if ((rc = put_err(st, "items", id, json, STORE_REV_CREATE,
		    &err)) != STORE_OK)
			break;
		ok++;
	}
	CU_ASSERT_EQUAL(rc, STORE_FULL);
	fprintf(stderr, "a %zu KiB map took %d 1 KiB records ", map >> 10,
	    ok - 2);
	CU_ASSERT(ok - 2 > 10);
	CU_ASSERT_PTR_NULL(get_doc(st, "items", id));
	CU_ASSERT_EQUAL(verify(st, &n, head, &bad, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, (uint64_t)ok);
	/* Reads go on. */
	d = get_doc(st, "items", "j0");
	CU_ASSERT_PTR_NOT_NULL(d);
	json_decref(d);
	store_free(st);

	/* Reopened at the same size, everything committed is there. */
	st = open_store(name, map);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(store_fresh(st), 0);
	CU_ASSERT_EQUAL(verify(st, &n, head, &bad, &err), STORE_OK);
	CU_ASSERT_EQUAL(n, (uint64_t)ok);
	snprintf(id, sizeof id, "f%05d", ok - 3);
	d = get_doc(st, "items", id);
	CU_ASSERT_PTR_NOT_NULL(d);
	json_decref(d);
	d = get_doc(st, "items", "j2");
	CU_ASSERT_PTR_NOT_NULL(d);
	json_decref(d);
	store_free(st);
	free(big);
	free(json);
}

/* ---- throughput --------------------------------------------------------- */

#define BENCH_THREADS	4
#define BENCH_TOTAL	10000
#ifndef BENCH_WINDOW
#define BENCH_WINDOW	64	/* changes in flight per thread */
#endif

struct bench {
	struct store		*st;
	int			 thread;
	int			 n;
	int			 sent;
	int			 left;
	int			 failed;
	struct event_base	*base;
	struct job		*jobs;
};

static int
apply_bench(struct store_txn *t, void *arg)
{
	struct job	*j = arg;
	json_t		*d;
	int		 rc;

	d = json_pack("{s:s, s:s, s:[s, s], s:i}", "name", "An Auditor",
	    "email", j->id, "languages", "en", "de", "n", 7);
	rc = store_txn_put(t, "items", j->id, d, STORE_REV_CREATE, NULL,
	    NULL, NULL);
	json_decref(d);
	return rc;
}

static void bench_send(struct bench *);

static void
bench_next(struct job *j)
{
	struct bench	*b = j->owner;

	if (j->ch.rc != STORE_OK)
		b->failed++;
	bench_send(b);
}

static void
bench_send(struct bench *b)
{
	struct job	*j;

	if (b->sent == b->n)
		return;
	j = &b->jobs[b->sent++];
	job_init(j, b->base, &b->left, apply_bench, j);
	j->next = bench_next;
	j->owner = b;
	snprintf(j->id, sizeof j->id, "t%d-%05d", b->thread, b->sent);
	if (store_submit(b->st, &j->ch) != STORE_OK) {
		b->failed++;
		b->left--;
	}
}

static void *
bench_thread(void *arg)
{
	struct bench	*b = arg;
	int		 i;

	b->base = event_base_new();
	b->jobs = calloc((size_t)b->n, sizeof *b->jobs);
	b->left = b->n;
	for (i = 0; i < BENCH_WINDOW; i++)
		bench_send(b);
	event_base_loop(b->base, EVLOOP_NO_EXIT_ON_EMPTY);
	for (i = 0; i < b->sent; i++)
		event_free(b->jobs[i].ev);
	free(b->jobs);
	event_base_free(b->base);
	return NULL;
}

static void
test_throughput(void)
{
	struct store	*st;
	struct bench	 b[BENCH_THREADS];
	pthread_t	 th[BENCH_THREADS];
	struct timespec	 t0, t1;
	uint64_t	 b0, b1, c0, c1;
	double		 secs;
	int		 i;

	st = open_store("bench", 256 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	store_stats(st, &b0, &c0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < BENCH_THREADS; i++) {
		memset(&b[i], 0, sizeof b[i]);
		b[i].st = st;
		b[i].thread = i;
		b[i].n = BENCH_TOTAL / BENCH_THREADS;
		pthread_create(&th[i], NULL, bench_thread, &b[i]);
	}
	for (i = 0; i < BENCH_THREADS; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(b[i].failed, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	store_stats(st, &b1, &c1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "\n  %d changes from %d threads in %.3f s: %.0f "
	    "changes/s, %llu batches (%.1f changes/batch) ", BENCH_TOTAL,
	    BENCH_THREADS, secs, BENCH_TOTAL / secs,
	    (unsigned long long)(b1 - b0),
	    (double)(c1 - c0) / (double)(b1 - b0));
	CU_ASSERT_EQUAL(c1 - c0, BENCH_TOTAL);
	/* The writer batched: fewer commits than changes. */
	CU_ASSERT(b1 - b0 < c1 - c0);
	CU_ASSERT_EQUAL(event_count(st), BENCH_TOTAL);
	store_free(st);
}

/* ---- the writer batches concurrent submitters --------------------------- */

#define GROUP_THREADS	4
#define GROUP_EACH	500

struct submitter {
	struct store		*st;
	int			 thread;
	int			 left;
	int			 failed;
	int			 refused;
	struct event_base	*base;
	struct job		 jobs[GROUP_EACH];
};

static void
submitter_done(struct job *j)
{
	struct submitter	*s = j->owner;

	if (j->ch.rc != STORE_OK)
		s->failed++;
}

/* Submit every change at once, then wait for all of them. */
static void *
submitter_thread(void *arg)
{
	struct submitter	*s = arg;
	struct job		*j;
	int			 i;

	s->base = event_base_new();
	s->left = GROUP_EACH;
	for (i = 0; i < GROUP_EACH; i++) {
		j = &s->jobs[i];
		job_init(j, s->base, &s->left, apply_bench, j);
		j->next = submitter_done;
		j->owner = s;
		snprintf(j->id, sizeof j->id, "g%d-%04d", s->thread, i);
		if (store_submit(s->st, &j->ch) != STORE_OK) {
			s->refused++;
			s->left--;
		}
	}
	if (s->left > 0)
		event_base_loop(s->base, EVLOOP_NO_EXIT_ON_EMPTY);
	for (i = 0; i < GROUP_EACH; i++)
		event_free(s->jobs[i].ev);
	event_base_free(s->base);
	return NULL;
}

/*
 * Changes that arrive while a batch commits wait for the next one, which
 * takes them all: some batch holds more than one change, and every change
 * is committed.
 */
static void
test_group_commit(void)
{
	struct store		*st;
	struct submitter	*s;
	pthread_t		 th[GROUP_THREADS];
	uint64_t		 b0, b1, c0, c1;
	int			 i;

	st = open_store("group", 64 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	s = calloc(GROUP_THREADS, sizeof *s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	store_stats(st, &b0, &c0);
	for (i = 0; i < GROUP_THREADS; i++) {
		s[i].st = st;
		s[i].thread = i;
		pthread_create(&th[i], NULL, submitter_thread, &s[i]);
	}
	for (i = 0; i < GROUP_THREADS; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(s[i].refused, 0);
		CU_ASSERT_EQUAL(s[i].failed, 0);
		CU_ASSERT_EQUAL(s[i].left, 0);
	}
	store_stats(st, &b1, &c1);
	fprintf(stderr, "\n  %d changes from %d threads in %llu batches ",
	    GROUP_THREADS * GROUP_EACH, GROUP_THREADS,
	    (unsigned long long)(b1 - b0));
	CU_ASSERT_EQUAL(c1 - c0, GROUP_THREADS * GROUP_EACH);
	CU_ASSERT(b1 - b0 < c1 - c0);
	CU_ASSERT_EQUAL(event_count(st), GROUP_THREADS * GROUP_EACH);
	free(s);
	store_free(st);
}

int
main(void)
{
	CU_pSuite	s;
	unsigned int	failed;

	if (evthread_use_pthreads() != 0)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return CU_get_error();
	s = CU_add_suite("store", suite_init, suite_clean);
	if (s == NULL ||
	    CU_add_test(s, "open", test_open) == NULL ||
	    CU_add_test(s, "create, get, replace, delete", test_crud) == NULL ||
	    CU_add_test(s, "list pages and filters", test_list) == NULL ||
	    CU_add_test(s, "references", test_refs) == NULL ||
	    CU_add_test(s, "unique indexes", test_unique) == NULL ||
	    CU_add_test(s, "a unique key at the key limit",
	    test_uniq_key_limit) == NULL ||
	    CU_add_test(s, "write and remove with the parsed current record",
	    test_write) == NULL ||
	    CU_add_test(s, "field indexes against a parse of every record",
	    test_index) == NULL ||
	    CU_add_test(s, "aux tables", test_aux) == NULL ||
	    CU_add_test(s, "store_check, the lock, the compacted copy",
	    test_check) == NULL ||
	    CU_add_test(s, "stale reader slots cleared at open",
	    test_stale_readers) == NULL ||
	    CU_add_test(s, "reader slots and the worker cap", test_readers) ==
	    NULL ||
	    CU_add_test(s, "a change is atomic", test_change_atomic) == NULL ||
	    CU_add_test(s, "event chain and tampering", test_events) == NULL ||
	    CU_add_test(s, "a saved head finds a cut end; events hold no "
	    "values", test_events_head) == NULL ||
	    CU_add_test(s, "batches", test_batch) == NULL ||
	    CU_add_test(s, "busy queue, drain on close", test_busy) == NULL ||
	    CU_add_test(s, "full map", test_full) == NULL ||
	    CU_add_test(s, "write throughput", test_throughput) == NULL ||
	    CU_add_test(s, "concurrent submitters share batches",
	    test_group_commit) == NULL) {
		CU_cleanup_registry();
		return CU_get_error();
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	libevent_global_shutdown();
	return failed == 0 ? 0 : 1;
}
