/*
 * records.c: the handlers every collection shares (see records.h). Reads
 * answer stored bytes as they are; writes run on the store's writer thread:
 * load the current record, apply the change, fill defaults, validate
 * against the built-in schema, and store, all in one transaction. A create
 * or replace is checked on the worker first, so that a bad body never
 * reaches the writer and a good one is not validated there again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "log.h"
#include "api/export.h"
#include "api/page.h"
#include "api/records.h"
#include "api/router.h"
#include "api/view.h"
#include "check/assign.h"
#include "check/plans.h"
#include "check/rows.h"
#include "schema/schema.h"

#define MAX_ERRORS	50	/* validation errors listed in one answer */

/* Fields the server owns: whatever a client sends for them is ignored. */
static const char *const server_fields[] = { "rev", "created", "updated" };

static int	changed(const json_t *, const json_t *);

/* ---- list --------------------------------------------------------------- */

#define LIST_CONDS	8	/* filters (and own scope) on one list */

/*
 * A list is a walk of one field index (the most selective condition: the
 * caller's own auditor, else the first filter given) or of the whole
 * collection, with every other condition a point lookup in the same index
 * table: no document is parsed.
 */
struct list_ctx {
	struct call		*c;
	struct page		 page;
	size_t			 limit;
	const char		*from, *to;	/* the record's date bounds */
	const char		*field[LIST_CONDS];	/* conditions after the walk's */
	const char		*value[LIST_CONDS];
	size_t			 nconds;
	int			 more;		/* a match follows the page */
	char			 last[ID_MAX + 1];
};

size_t
records_date_key(const struct resource *res, const char *id, char *key)
{
	size_t	n = strlen(res->name), m = strlen(id);

	memcpy(key, res->name, n);
	key[n] = '\0';
	memcpy(key + n + 1, id, m);
	return n + 1 + m;
}

/* 1 if record id's date is within the list's bounds (both included). */
static int
list_in_dates(struct list_ctx *l, const char *id)
{
	char	key[RECORDS_DATE_KEY], date[UTIL_DATE_LEN];
	MDB_val	v;
	size_t	n = records_date_key(l->c->res, id, key);

	if (store_aux_get(l->c->store, l->c->req->txn, "dates", key, n,
	    &v) != 0 || v.mv_size != 10)
		return 0;
	memcpy(date, v.mv_data, 10);
	date[10] = '\0';
	return (l->from == NULL || strcmp(date, l->from) >= 0) &&
	    (l->to == NULL || strcmp(date, l->to) <= 0);
}

static int
list_take(const char *id, const MDB_val *doc, void *arg)
{
	struct list_ctx	*l = arg;
	size_t		 i;

	/* Records shared by membership: no index to walk, so a filter. */
	if (l->c->scope == SCOPE_OWN && !view_by_owner(l->c->res) &&
	    !view_visible(l->c, l->c->res, id, doc))
		return 0;
	for (i = 0; i < l->nconds; i++)
		if (!store_index_has(l->c->store, l->c->req->txn,
		    l->c->res->name, l->field[i], l->value[i], id))
			return 0;
	if ((l->from != NULL || l->to != NULL) && !list_in_dates(l, id))
		return 0;
	/* One match past the page: there is a next page, and it is not empty. */
	if (l->page.n == l->limit) {
		l->more = 1;
		return -1;
	}
	if (page_add(&l->page, doc->mv_data, doc->mv_size) != 0)
		return -1;
	snprintf(l->last, sizeof l->last, "%s", id);
	return 1;
}

/*
 * The query keys a list of res takes: limit, after, from and to when it
 * has a date, then its filters; *nfixed gets where the filters start.
 */
static size_t
list_keys(const struct resource *res, const char **keys, size_t max,
    size_t *nfixed)
{
	const char *const	*f;
	size_t			 i, n = 0, nf = records_filters(res, &f);

	keys[n++] = "limit";
	keys[n++] = "after";
	if (res->date != NULL) {
		keys[n++] = "from";
		keys[n++] = "to";
	}
	*nfixed = n;
	for (i = 0; i < nf && n < max - 1; i++)
		keys[n++] = f[i];
	keys[n] = NULL;
	return n;
}

/* ?from= and ?to= into l; -1 after answering 400. */
static int
list_dates(struct req *r, struct list_ctx *l)
{
	static const char *const	keys[] = { "from", "to" };
	const char			*v;
	size_t				 i;

	for (i = 0; i < NELEM(keys); i++) {
		if ((v = http_query(r, keys[i])) == NULL)
			continue;
		if (!util_date_valid(v)) {
			http_problem(r, 400, "bad-request", "%s must be a date "
			    "(YYYY-MM-DD)", keys[i]);
			return -1;
		}
		if (i == 0)
			l->from = v;
		else
			l->to = v;
	}
	return 0;
}

static void
records_list(struct call *c)
{
	const struct resource	*res = c->res;
	struct req		*r = c->req;
	const char		*keys[LIST_CONDS + 5], *after, *v;
	const char		*walk = NULL, *want = NULL;
	struct list_ctx		 l;
	size_t			 i, n, nfixed, limit;
	char			 next[ID_MAX + 1], quoted[ID_MAX + 3];
	int			 rc;

	n = list_keys(res, keys, NELEM(keys), &nfixed);
	memset(&l, 0, sizeof l);
	if (http_query_check(r, keys) != 0 ||
	    http_page(r, &limit, &after) != 0 || list_dates(r, &l) != 0)
		return;
	l.c = c;
	l.limit = limit;
	if (c->scope == SCOPE_OWN && view_by_owner(res)) {
		walk = res->owner;
		want = c->who.auditor;
	}
	for (i = nfixed; i < n; i++) {
		if ((v = http_query(r, keys[i])) == NULL)
			continue;
		if (walk == NULL) {
			walk = keys[i];
			want = v;
		} else {
			l.field[l.nconds] = keys[i];
			l.value[l.nconds++] = v;
		}
	}
	if (page_begin(r, &l.page) != 0)
		return;
	if (walk != NULL)
		rc = store_list_by(c->store, r->txn, res->name, walk, want,
		    after, limit + 1, list_take, &l, next);
	else
		rc = store_list(c->store, r->txn, res->name, after, limit + 1,
		    list_take, &l, next);
	/* Ids need no escaping in JSON. */
	snprintf(quoted, sizeof quoted, "\"%s\"", l.last);
	page_end(r, &l.page, rc, l.more ? quoted : NULL);
}

/* ---- read --------------------------------------------------------------- */

static void
records_get(struct call *c)
{
	struct req	*r = c->req;
	MDB_val		 doc;
	int		 rc;

	if ((rc = view_get(c, c->res, r->params[0], &doc)) != 0) {
		view_store_error(r, rc, NULL);
		return;
	}
	http_reply_record(r, 200, c->res->name, r->params[0], 0, doc.mv_data,
	    doc.mv_size);
}

/* ---- writes ------------------------------------------------------------- */

static void
add_error(json_t *errors, const char *path, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "path", path,
	    "message", message));
}

void
prep_error(struct prep *p, const char *path, const char *message)
{
	add_error(p->errors, path, message);
}

/* Forget what a check found, so that the writer starts afresh. */
static void
records_change_clear_results(struct records_change *ch)
{
	json_decref(ch->errors);
	json_decref(ch->schema_errors);
	json_decref(ch->refused.members);
	memset(&ch->refused, 0, sizeof ch->refused);
	ch->errors = ch->schema_errors = NULL;
	ch->forbidden[0] = ch->made[0] = '\0';
	ch->checked = 0;
}

void
records_change_clear(struct records_change *ch)
{
	json_decref(ch->body);
	json_decref(ch->errors);
	json_decref(ch->schema_errors);
	json_decref(ch->refused.members);
	free(ch->out);
	ch->refused.members = NULL;
	ch->body = ch->errors = ch->schema_errors = NULL;
	ch->out = NULL;
}

static void
change_free(void *arg)
{
	struct records_change	*ch = arg;

	if (ch != NULL)
		records_change_clear(ch);
	free(ch);
}

static int
server_field(const char *k)
{
	size_t	i;

	for (i = 0; i < NELEM(server_fields); i++)
		if (strcmp(k, server_fields[i]) == 0)
			return 1;
	return 0;
}

int
records_same(const json_t *a, const json_t *b)
{
	return !changed(a, b);
}

/* 1 if objects a and b differ in more than what the server sets. */
static int
changed(const json_t *a, const json_t *b)
{
	const char	*k;
	json_t		*v;
	size_t		 na = 0, nb = 0;

	json_object_foreach((json_t *)a, k, v) {
		if (server_field(k))
			continue;
		na++;
		if (!json_equal(v, json_object_get(b, k)))
			return 1;
	}
	json_object_foreach((json_t *)b, k, v)
		if (!server_field(k))
			nb++;
	return na != nb;
}

/* What prepare and gate know of a change; today is the caller's buffer. */
static void
prep_of(struct prep *p, struct records_change *ch, const json_t *old,
    char today[UTIL_DATE_LEN])
{
	memset(p, 0, sizeof *p);
	util_today(today);
	p->old = old;
	p->who = &ch->who;
	p->scope = ch->scope;
	p->today = today;
	p->errors = ch->errors;
	p->made = ch->made;
}

/* The resource's prepare hook, with what it may know of the change. */
static int
run_prepare(struct records_change *ch, json_t *doc, const json_t *old)
{
	struct prep	p;
	char		today[UTIL_DATE_LEN];

	if (ch->res->prepare == NULL)
		return 0;
	prep_of(&p, ch, old, today);
	ch->res->prepare(doc, &p);
	if (p.forbidden[0] == '\0')
		return 0;
	snprintf(ch->forbidden, sizeof ch->forbidden, "%s", p.forbidden);
	return -1;
}

/* The resource's gate, with what prepare knows of the change. */
static int
run_gate(struct store_txn *t, struct records_change *ch, json_t *doc,
    const json_t *old)
{
	struct prep	p;
	char		today[UTIL_DATE_LEN];
	int		rc;

	prep_of(&p, ch, old, today);
	rc = ch->res->gate(t, ch->id, old, doc, &p, &ch->refused);
	if (rc == STORE_OK && json_array_size(ch->errors) > 0)
		rc = STORE_INVALID;
	return rc;
}

/*
 * The whole record the schema sees: the server's fields set (put sets them
 * again), the id checked, defaults and cross-field rules applied, and own
 * scope held. Adds to ch->errors what is wrong; -1 when the change is
 * forbidden outright.
 */
static int
complete_doc(struct store *st, MDB_txn *txn, struct records_change *ch,
    json_t *doc, const json_t *old)
{
	const json_t	*idv;
	const char	*via;
	char		 now[32], path[80];
	size_t		 i;

	/* A body may not move a record to another id. */
	idv = json_object_get(doc, "id");
	if (idv != NULL && (!json_is_string(idv) ||
	    strcmp(json_string_value(idv), ch->id) != 0))
		add_error(ch->errors, "/id", ch->op == RECORDS_CREATE ?
		    "must be a record id ([A-Za-z0-9._-], 1 to 64)" :
		    "does not match the id in the path");
	for (i = 0; i < NELEM(server_fields); i++)
		json_object_del(doc, server_fields[i]);
	util_now_rfc3339(now, sizeof now);
	json_object_set_new(doc, "id", json_string(ch->id));
	json_object_set_new(doc, "rev", json_integer(old != NULL ?
	    json_integer_value(json_object_get(old, "rev")) + 1 : 1));
	json_object_set_new(doc, "created", json_string(now));
	json_object_set_new(doc, "updated", json_string(now));
	if (run_prepare(ch, doc, old) != 0)
		return STORE_INVALID;
	if (ch->scope != SCOPE_OWN)
		return STORE_OK;
	/*
	 * A record shared through another (a finding through its audit):
	 * one the caller may not see is not there for it, whatever it
	 * would say; the schema speaks of a via field that is no id.
	 */
	via = ch->res->via != NULL ? json_string_value(json_object_get(doc,
	    ch->res->via)) : NULL;
	if (via != NULL && util_id_valid(via) &&
	    !view_shares_via(st, txn, ch->res, ch->who.auditor, doc)) {
		ch->refused.status = 404;
		snprintf(ch->refused.slug, sizeof ch->refused.slug,
		    "not-found");
		snprintf(ch->refused.detail, sizeof ch->refused.detail,
		    "no such %s: %s", ch->res->via, via);
		return STORE_NOTFOUND;
	}
	if (ch->res->owner != NULL &&
	    !view_owned(ch->res, ch->who.auditor, ch->id, doc)) {
		snprintf(path, sizeof path, "/%s", ch->res->owner);
		add_error(ch->errors, path, "must be your own auditor id");
	}
	return STORE_OK;
}

/*
 * The "dates" table: coll \0 id -> the record's date field, so that ?from=
 * and ?to= bound a list with a point lookup instead of a parse.
 */
static int
keep_date(struct store_txn *t, const struct resource *res, const char *id,
    const json_t *doc)
{
	char		 key[RECORDS_DATE_KEY];
	const char	*d;
	size_t		 n;
	int		 rc;

	if (res->date == NULL)
		return STORE_OK;
	n = records_date_key(res, id, key);
	d = doc != NULL ? json_string_value(json_object_get(doc,
	    res->date)) : NULL;
	if (d == NULL) {
		rc = store_txn_aux_del(t, "dates", key, n);
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	}
	return store_txn_aux_put(t, "dates", key, n, d, strlen(d));
}

/*
 * The "via" table: coll \0 id -> the record its via field names, so that
 * own scope finds whom a record is shared with by point lookups alone.
 */
static int
keep_via(struct store_txn *t, const struct resource *res, const char *id,
    const json_t *doc)
{
	char		 key[RECORDS_DATE_KEY];
	const char	*v;
	size_t		 n;
	int		 rc;

	if (res->via == NULL)
		return STORE_OK;
	n = records_date_key(res, id, key);
	v = doc != NULL ? json_string_value(json_object_get(doc,
	    res->via)) : NULL;
	if (v == NULL) {
		rc = store_txn_aux_del(t, "via", key, n);
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	}
	return store_txn_aux_put(t, "via", key, n, v, strlen(v));
}

/* What is derived from record id of res, stored (doc) or removed (NULL). */
static int
derive_rows(struct store_txn *t, const struct resource *res, const char *id,
    const json_t *old, const json_t *doc)
{
	int	rc;

	if ((rc = keep_date(t, res, id, doc)) != STORE_OK ||
	    (rc = keep_via(t, res, id, doc)) != STORE_OK)
		return rc;
	if (res->derive != NULL)
		return res->derive(t, id, old, doc);
	return STORE_OK;
}

/* After the document was stored or removed: what is derived from it. */
static int
derive(struct store_txn *t, struct records_change *ch, const json_t *old,
    const json_t *doc)
{
	return derive_rows(t, ch->res, ch->id, old, doc);
}

int
records_store_new(struct store_txn *t, const struct resource *res,
    const char *id, json_t *doc, struct store_err *err)
{
	json_t	*errors;
	int	 rc;

	if ((errors = json_array()) == NULL) {
		json_decref(doc);
		return STORE_IO;
	}
	rc = schema_validate(schema_builtin(res->schema), doc, errors, 1);
	if (rc != 0 || json_array_size(errors) > 0) {
		json_decref(errors);
		json_decref(doc);
		return STORE_INVALID;
	}
	json_decref(errors);
	json_incref(doc);
	rc = store_txn_write(t, res->name, id, doc, NULL, STORE_REV_CREATE,
	    NULL, err);
	if (rc == STORE_OK)
		rc = derive_rows(t, res, id, NULL, doc);
	json_decref(doc);
	return rc;
}

static int
apply_delete(struct store_txn *t, struct records_change *ch,
    const json_t *old, int64_t rev)
{
	int	rc;

	if (run_prepare(ch, NULL, old) != 0)
		return STORE_INVALID;
	rc = store_txn_remove(t, ch->res->name, ch->id, old, rev, &ch->err);
	if (rc == STORE_OK)
		rc = derive(t, ch, old, NULL);
	return rc;
}

/*
 * Store doc (taken) over old (parsed once, in this transaction). The store
 * trusts old for the index values it drops and answers the stored bytes
 * and the new rev, so nothing is read or parsed again.
 */
static int
apply_store(struct store_txn *t, struct records_change *ch, json_t *doc,
    const json_t *old, int64_t expect)
{
	struct store_result	res;
	int			rc;

	rc = store_txn_write(t, ch->res->name, ch->id, doc, old, expect, &res,
	    &ch->err);
	ch->out = res.out;
	ch->outlen = res.outlen;
	ch->rev = res.rev;
	return rc;
}

/*
 * The current record, checked against own scope and If-Match: in the
 * writer's transaction t, or (t NULL) in the worker's read snapshot txn.
 */
static int
load_old(struct store *st, MDB_txn *txn, struct store_txn *t,
    struct records_change *ch, json_t **old, int64_t *expect)
{
	MDB_val	v;
	int	rc;

	if (t != NULL)
		rc = store_txn_get(t, ch->res->name, ch->id, old);
	else if ((rc = store_get(st, txn, ch->res->name, ch->id, &v)) == 0 &&
	    (*old = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
		rc = STORE_IO;
	if (rc != 0)
		return rc;
	*expect = json_integer_value(json_object_get(*old, "rev"));
	/* Another auditor's record is not there for this caller. */
	if (ch->scope == SCOPE_OWN && ch->res->via != NULL) {
		if (!view_shares_via(st, txn, ch->res, ch->who.auditor, *old))
			return STORE_NOTFOUND;
		/* Seen through the team, but another member's to change. */
		if (ch->res->owner != NULL &&
		    !view_owned(ch->res, ch->who.auditor, ch->id, *old)) {
			snprintf(ch->forbidden, sizeof ch->forbidden, "role "
			    "auditor changes only the %s it recorded itself",
			    ch->res->name);
			return STORE_INVALID;
		}
	} else if (ch->scope == SCOPE_OWN &&
	    !view_owned(ch->res, ch->who.auditor, ch->id, *old))
		return STORE_NOTFOUND;
	if (!http_if_match(&ch->if_match, *expect))
		return STORE_STALE;
	return STORE_OK;
}

int
records_apply(struct store_txn *t, struct records_change *ch)
{
	struct store	*st;
	MDB_txn		*txn;
	json_t		*old = NULL, *doc = NULL;
	int64_t		 expect = STORE_REV_CREATE;
	int		 rc;

	json_decref(ch->errors);
	if ((ch->errors = json_array()) == NULL)
		return STORE_IO;
	store_txn_view(t, &st, &txn);
	if (ch->op != RECORDS_CREATE &&
	    (rc = load_old(st, txn, t, ch, &old, &expect)) != STORE_OK)
		goto done;
	if (ch->op == RECORDS_DELETE) {
		rc = apply_delete(t, ch, old, expect);
		goto done;
	}
	/* The body was parsed once, on the worker, and is ours now. */
	if (ch->op == RECORDS_PATCH)
		doc = util_json_merge_patch(old, ch->body);
	else {
		doc = ch->body;
		ch->body = NULL;
	}
	if (doc == NULL) {
		rc = STORE_IO;
		goto done;
	}
	if (json_is_object(doc) &&
	    (rc = complete_doc(st, txn, ch, doc, old)) != STORE_OK)
		goto done;
	/* Checked on the worker over this very record: what it found holds. */
	if (ch->checked && ch->checked_rev == expect) {
		if (json_array_extend(ch->errors, ch->schema_errors) != 0) {
			rc = STORE_IO;
			goto done;
		}
	} else if (schema_validate(schema_builtin(ch->res->schema), doc,
	    ch->errors, MAX_ERRORS) != 0) {
		rc = STORE_INVALID;
		goto done;
	}
	if (json_array_size(ch->errors) > 0) {
		rc = STORE_INVALID;
		goto done;
	}
	if (ch->res->gate != NULL &&
	    (rc = run_gate(t, ch, doc, old)) != STORE_OK)
		goto done;
	/* A change that changes nothing keeps the record, rev and log as is. */
	if (old != NULL && !changed(old, doc)) {
		ch->out = util_json_canonical(old, &ch->outlen);
		ch->rev = expect;
		ch->unchanged = 1;
		rc = ch->out != NULL ? STORE_OK : STORE_IO;
		goto done;
	}
	rc = apply_store(t, ch, json_incref(doc), old, expect);
	if (rc == STORE_OK)
		rc = derive(t, ch, old, doc);
done:
	json_decref(old);
	json_decref(doc);
	return rc;
}

static int
apply_write(struct store_txn *t, void *arg)
{
	return records_apply(t, arg);
}

void
records_change_answer(struct req *r, const struct records_change *ch, int rc)
{
	char	link[ID_MAX * 2 + 64];

	if (rc == STORE_OK) {
		if (ch->made[0] != '\0') {
			/* Ids need no escaping in a URL. */
			snprintf(link, sizeof link, "</v1/%s/%s>; "
			    "rel=\"related\"", ch->res->name, ch->made);
			http_header_add(r, "Link", link);
		}
		if (ch->op == RECORDS_DELETE)
			http_reply_empty(r, 204);
		else
			http_reply_record(r, ch->op == RECORDS_CREATE ? 201 :
			    200, ch->res->name, ch->id, ch->rev, ch->out,
			    ch->outlen);
		return;
	}
	if (ch->forbidden[0] != '\0') {
		http_problem(r, 403, "forbidden", "%s", ch->forbidden);
		return;
	}
	if (ch->refused.status != 0) {
		http_problem_with(r, ch->refused.status, ch->refused.slug,
		    json_incref(ch->refused.members), "%s",
		    ch->refused.detail);
		return;
	}
	if (rc == STORE_INVALID && json_array_size(ch->errors) > 0) {
		http_problem_errors(r, 422, "validation",
		    json_incref(ch->errors), "the %s record is not valid",
		    ch->res->schema);
		return;
	}
	view_store_error(r, rc, &ch->err);
}

static void
write_done(struct req *r, int rc)
{
	records_change_answer(r, r->wctx, rc);
}

void
records_change_init(struct records_change *ch, const struct call *c,
    const struct resource *res, enum records_op op, const char *id,
    json_t *body)
{
	memset(ch, 0, sizeof *ch);
	ch->res = res;
	ch->op = op;
	snprintf(ch->id, sizeof ch->id, "%s", id);
	ch->body = body;
	ch->if_match = c->req->if_match;
	ch->who = c->who;
	ch->scope = c->scope;
}

int
records_precheck(struct store *st, MDB_txn *txn, struct records_change *ch)
{
	json_t	*old = NULL, *doc = NULL;
	int64_t	 expect = STORE_REV_CREATE;
	int	 rc = STORE_OK;

	if (ch->op != RECORDS_CREATE && ch->op != RECORDS_REPLACE)
		return STORE_IO;
	if ((ch->errors = json_array()) == NULL ||
	    (ch->schema_errors = json_array()) == NULL) {
		rc = STORE_IO;
		goto done;
	}
	if (ch->op == RECORDS_REPLACE &&
	    (rc = load_old(st, txn, NULL, ch, &old, &expect)) != STORE_OK)
		goto done;
	if ((doc = json_deep_copy(ch->body)) == NULL) {
		rc = STORE_IO;
		goto done;
	}
	if (json_is_object(doc) &&
	    (rc = complete_doc(st, txn, ch, doc, old)) != STORE_OK)
		goto done;
	(void)schema_validate(schema_builtin(ch->res->schema), doc,
	    ch->schema_errors, MAX_ERRORS);
	ch->checked = 1;
	ch->checked_rev = expect;
done:
	json_decref(old);
	json_decref(doc);
	/* Out of memory or a read error: the writer tries it for itself. */
	if (rc == STORE_IO)
		records_change_clear_results(ch);
	return rc;
}

/*
 * A create or replace checked on the worker (records_precheck): 0, the
 * change goes to the writer; -1, answered here as the writer would have
 * answered it, and never queued.
 */
static int
precheck(struct call *c, struct records_change *ch)
{
	int	rc;

	if (ch->op != RECORDS_CREATE && ch->op != RECORDS_REPLACE)
		return 0;
	rc = records_precheck(c->store, c->req->txn, ch);
	if (rc == STORE_IO)
		return 0;
	if (rc == STORE_OK) {
		if (json_array_size(ch->errors) == 0 &&
		    json_array_size(ch->schema_errors) == 0)
			return 0;
		json_array_extend(ch->errors, ch->schema_errors);
		rc = STORE_INVALID;
	}
	records_change_answer(c->req, ch, rc);
	return -1;
}

/* Hand the change to the writer; body is taken. */
static void
submit(struct call *c, enum records_op op, const char *id, json_t *body)
{
	struct records_change	*ch;

	if ((ch = malloc(sizeof *ch)) == NULL) {
		json_decref(body);
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	records_change_init(ch, c, c->res, op, id, body);
	if (precheck(c, ch) != 0) {
		change_free(ch);
		return;
	}
	http_submit(c->req, apply_write, ch, change_free, write_done);
}

static int
need_body(struct call *c)
{
	if (c->req->body == NULL) {
		http_problem(c->req, 400, "bad-request",
		    "a JSON body is required");
		return -1;
	}
	return 0;
}

static void
records_create(struct call *c)
{
	const json_t	*idv;
	char		 id[ID_MAX + 1];

	if (need_body(c) != 0)
		return;
	idv = json_object_get(c->req->body, "id");
	if (idv == NULL)
		util_id_random(id);
	else if (json_is_string(idv) && util_id_valid(json_string_value(idv)))
		snprintf(id, sizeof id, "%s", json_string_value(idv));
	else {
		json_t *errors = json_array();
		add_error(errors, "/id",
		    "must be a record id ([A-Za-z0-9._-], 1 to 64)");
		http_problem_errors(c->req, 422, "validation", errors,
		    "the %s record is not valid", c->res->schema);
		return;
	}
	submit(c, RECORDS_CREATE, id, http_body_take(c->req));
}

static void
records_replace(struct call *c)
{
	if (need_body(c) == 0)
		submit(c, RECORDS_REPLACE, c->req->params[0], http_body_take(c->req));
}

static void
records_patch(struct call *c)
{
	if (need_body(c) == 0)
		submit(c, RECORDS_PATCH, c->req->params[0], http_body_take(c->req));
}

void
records_delete(struct call *c)
{
	submit(c, RECORDS_DELETE, c->req->params[0], NULL);
}

void
records_action(struct call *c, const char *patch)
{
	json_t	*p;

	if (c->req->body != NULL) {
		http_problem(c->req, 400, "bad-request",
		    "this action takes no body");
		return;
	}
	if ((p = json_loads(patch, 0, NULL)) == NULL) {
		http_problem(c->req, 500, "internal", "bad built-in patch");
		return;
	}
	submit(c, RECORDS_PATCH, c->req->params[0], p);
}

/* ---- the standard routes ------------------------------------------------ */

static const struct route std_routes[] = {
	{ EVHTTP_REQ_GET, "", ACCESS_READ, OWNER_RECORD, records_list, NULL },
	{ EVHTTP_REQ_POST, "", ACCESS_WRITE, OWNER_RECORD, records_create,
	    NULL },
	{ EVHTTP_REQ_GET, "{id}", ACCESS_READ, OWNER_RECORD, records_get,
	    NULL },
	{ EVHTTP_REQ_PUT, "{id}", ACCESS_WRITE, OWNER_RECORD, records_replace,
	    NULL },
	{ EVHTTP_REQ_PATCH, "{id}", ACCESS_WRITE, OWNER_RECORD, records_patch,
	    NULL },
	{ EVHTTP_REQ_DELETE, "{id}", ACCESS_WRITE, OWNER_RECORD,
	    records_delete, NULL },
	/* The router makes its path /v1/export/<name> (export.c). */
	{ EVHTTP_REQ_GET, "", ACCESS_READ, OWNER_RECORD, export_records,
	    NULL },
};

/* In std_routes' order. */
static const unsigned std_verbs[] = {
	VERB_LIST, VERB_CREATE, VERB_GET, VERB_REPLACE, VERB_PATCH, VERB_DELETE,
	VERB_EXPORT
};

const struct route *
records_routes(size_t *n)
{
	*n = NELEM(std_routes);
	return std_routes;
}

unsigned
records_route_verb(const struct route *rt)
{
	if (rt < std_routes || rt >= std_routes + NELEM(std_routes))
		return 0;
	return std_verbs[rt - std_routes];
}

size_t
records_filters(const struct resource *res, const char *const **names)
{
	*names = NULL;
	if (res->schema == NULL)
		return 0;
	return schema_filters(schema_builtin(res->schema), names);
}

#define RECORDS_COLLS		32
#define RECORDS_INDEXES		(LIST_CONDS + 1)

/* res's field indexes: its filters, and its owner field unless "id". */
static size_t
records_indexes(const struct resource *res, struct store_index *idx)
{
	const char *const	*f;
	size_t			 i, n = 0, nf = records_filters(res, &f);

	if (nf > LIST_CONDS)
		fatalx("%s: more than %d filters", res->name, LIST_CONDS);
	for (i = 0; i < nf; i++)
		idx[n++].field = f[i];
	if (res->owner != NULL && strcmp(res->owner, "id") != 0) {
		for (i = 0; i < n; i++)
			if (strcmp(idx[i].field, res->owner) == 0)
				break;
		if (i == n)
			idx[n++].field = res->owner;
	}
	return n;
}

const char *const *
records_aux_names(void)
{
	static const char	*names[16];
	size_t			 i, n = 0;

	/* Built once at start-up, before any thread but main runs. */
	if (names[0] != NULL)
		return names;
	names[n++] = "dates";
	names[n++] = "via";
	for (i = 0; rows_aux_names[i] != NULL && n < NELEM(names) - 1; i++)
		names[n++] = rows_aux_names[i];
	for (i = 0; assign_aux_names[i] != NULL && n < NELEM(names) - 1; i++)
		names[n++] = assign_aux_names[i];
	for (i = 0; plans_aux_names[i] != NULL && n < NELEM(names) - 1; i++)
		names[n++] = plans_aux_names[i];
	names[n] = NULL;
	return names;
}

const struct store_coll *
records_store_colls(void)
{
	static struct store_coll	 colls[RECORDS_COLLS];
	static struct store_index	 idx[RECORDS_COLLS][RECORDS_INDEXES];
	static int			 done;
	const struct resource *const	*res;
	size_t				 n = 0;

	/* Built once at start-up, before any thread but main runs. */
	if (done)
		return colls;
	for (res = router_resources; *res != NULL; res++) {
		if ((*res)->schema == NULL)
			continue;
		if (n >= NELEM(colls) - 1)
			fatalx("too many collections");
		colls[n].name = (*res)->name;
		colls[n].refs = (*res)->refs;
		colls[n].nrefs = (*res)->nrefs;
		colls[n].uniques = (*res)->uniques;
		colls[n].nuniques = (*res)->nuniques;
		colls[n].indexes = idx[n];
		colls[n].nindexes = records_indexes(*res, idx[n]);
		n++;
	}
	colls[n].name = NULL;
	done = 1;
	return colls;
}

/* ---- rebuilding the derived rows ----------------------------------------- */

struct rebuild {
	struct store_txn	*t;
	const struct resource	*res;
	size_t			 n;
	int			 rc;
};

static int
rebuild_one(const char *id, const MDB_val *doc, void *arg)
{
	struct rebuild	*b = arg;
	json_t		*d;

	if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL) {
		log_warnx("%s/%s is not a record; no rows derived",
		    b->res->name, id);
		return 0;
	}
	b->rc = derive_rows(b->t, b->res, id, NULL, d);
	json_decref(d);
	if (b->rc != STORE_OK) {
		log_warnx("%s/%s: its rows: %s", b->res->name, id,
		    store_strerror(b->rc));
		return -1;
	}
	b->n++;
	return 0;
}

int
records_rebuild(struct store_txn *t, void *arg)
{
	const struct resource	*res;
	struct rebuild		 b;
	struct store		*st;
	MDB_txn			*txn;
	char			 next[ID_MAX + 1];
	size_t			 i, n = 0;
	int			 rc;

	(void)arg;
	store_txn_view(t, &st, &txn);
	for (i = 0; (res = router_resources[i]) != NULL; i++) {
		if (res->schema == NULL || (res->date == NULL &&
		    res->via == NULL && res->derive == NULL))
			continue;
		memset(&b, 0, sizeof b);
		b.t = t;
		b.res = res;
		rc = store_list(st, txn, res->name, NULL, 0, rebuild_one, &b,
		    next);
		if (rc == STORE_OK)
			rc = b.rc;
		if (rc != STORE_OK)
			return rc;
		n += b.n;
	}
	if (n > 0)
		log_info("store: derived rows rebuilt from %zu records", n);
	return STORE_OK;
}
