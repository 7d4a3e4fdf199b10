/*
 * records.c: the handlers every collection shares (see records.h). Reads
 * answer stored bytes as they are; writes run on the store's writer thread:
 * load the current record, apply the change, fill defaults, validate
 * against the built-in schema, and store, all in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "log.h"
#include "api/records.h"
#include "api/router.h"
#include "schema/schema.h"
#include "server/worker.h"

#define MAX_ERRORS	50	/* validation errors listed in one answer */

/* Fields the server owns: whatever a client sends for them is ignored. */
static const char *const server_fields[] = { "rev", "created", "updated" };

static const struct collection *
coll_of(struct req *r)
{
	return r->route->coll;
}

/*
 * 1 if record id of c belongs to auditor. d is the parsed record; it may
 * be NULL when the collection's own field is its id.
 */
static int
owned(const struct collection *c, const char *auditor, const char *id,
    const json_t *d)
{
	const char	*v;

	if (c->own == NULL)
		return 0;
	if (strcmp(c->own, "id") == 0)
		return strcmp(id, auditor) == 0;
	v = json_string_value(json_object_get(d, c->own));
	return v != NULL && strcmp(v, auditor) == 0;
}

/* owned() for stored bytes, parsing them only when the field needs it. */
static int
is_own(struct req *r, const struct collection *c, const char *id,
    const MDB_val *doc)
{
	json_t	*d = NULL;
	int	 own;

	if (c->own != NULL && strcmp(c->own, "id") != 0 &&
	    (d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL)
		return 0;
	own = owned(c, r->who.auditor, id, d);
	json_decref(d);
	return own;
}

/* ---- list --------------------------------------------------------------- */

struct list_ctx {
	struct req		*r;
	const struct collection	*c;
	struct evbuffer		*out;
	size_t			 n;
	size_t			 limit;
	int			 parse;		/* filters or own scope */
	int			 more;		/* a match follows the page */
	char			 last[ID_MAX + 1];
};

static int
list_take(const char *id, const MDB_val *doc, void *arg)
{
	struct list_ctx	*l = arg;
	size_t		 i;

	if (l->parse) {
		json_t	*d;
		int	 take;

		if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) ==
		    NULL)
			return 0;
		take = l->r->scope != SCOPE_OWN || owned(l->c, l->r->who.auditor, id, d);
		for (i = 0; take && l->c->filters != NULL &&
		    l->c->filters[i] != NULL; i++) {
			const char *want = http_query(l->r, l->c->filters[i]);
			const char *have;
			if (want == NULL)
				continue;
			have = json_string_value(json_object_get(d,
			    l->c->filters[i]));
			take = have != NULL && strcmp(have, want) == 0;
		}
		json_decref(d);
		if (!take)
			return 0;
	}
	/* One match past the page: there is a next page, and it is not empty. */
	if (l->n == l->limit) {
		l->more = 1;
		return -1;
	}
	if (l->n++ > 0)
		evbuffer_add(l->out, ",", 1);
	evbuffer_add(l->out, doc->mv_data, doc->mv_size);
	snprintf(l->last, sizeof l->last, "%s", id);
	return 1;
}

void
records_list(struct req *r)
{
	const struct collection	*c = coll_of(r);
	const char		*keys[16], *after;
	struct list_ctx		 l;
	size_t			 i, n = 0, limit;
	char			 next[ID_MAX + 1];
	int			 rc;

	keys[n++] = "limit";
	keys[n++] = "after";
	for (i = 0; c->filters != NULL && c->filters[i] != NULL &&
	    n < sizeof keys / sizeof keys[0] - 1; i++)
		keys[n++] = c->filters[i];
	keys[n] = NULL;
	if (http_query_check(r, keys) != 0 || http_page(r, &limit, &after) != 0)
		return;

	memset(&l, 0, sizeof l);
	l.r = r;
	l.c = c;
	l.limit = limit;
	l.parse = r->scope == SCOPE_OWN;
	for (i = 2; keys[i] != NULL; i++)
		if (http_query(r, keys[i]) != NULL)
			l.parse = 1;
	if ((l.out = evbuffer_new()) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	evbuffer_add_printf(l.out, "{\"items\":[");
	rc = store_list(r->worker->srv->store, r->txn, c->name, after,
	    limit + 1, list_take, &l, next);
	if (rc != 0) {
		evbuffer_free(l.out);
		http_store_error(r, rc, NULL);
		return;
	}
	if (l.more)
		evbuffer_add_printf(l.out, "],\"next\":\"%s\"}", l.last);
	else
		evbuffer_add_printf(l.out, "],\"next\":null}");
	http_reply_buffer(r, 200, "application/json", l.out);
	evbuffer_free(l.out);
}

/* ---- read --------------------------------------------------------------- */

void
records_get(struct req *r)
{
	const struct collection	*c = coll_of(r);
	MDB_val			 doc;
	int			 rc;

	rc = store_get(r->worker->srv->store, r->txn, c->name, r->params[0],
	    &doc);
	if (rc != 0) {
		http_store_error(r, rc, NULL);
		return;
	}
	/* Another auditor's record: as if it did not exist (DESIGN §7). */
	if (r->scope == SCOPE_OWN && !is_own(r, c, r->params[0], &doc)) {
		http_store_error(r, STORE_NOTFOUND, NULL);
		return;
	}
	http_reply_record(r, 200, c->name, r->params[0], doc.mv_data,
	    doc.mv_size);
}

/* ---- writes ------------------------------------------------------------- */

enum wmode { W_CREATE, W_REPLACE, W_PATCH, W_DELETE };

struct wctx {
	const struct collection	*c;
	enum wmode		 mode;
	char			 id[ID_MAX + 1];
	json_t			*body;		/* document, or merge patch */
	struct if_match		 if_match;
	/* role auditor's own scope: the auditor every record must name */
	char			 own[ID_MAX + 1];
	/* results, set on the writer thread */
	json_t			*errors;
	char			*out;
	size_t			 outlen;
	struct store_err	 err;
};

static void
wctx_free(void *arg)
{
	struct wctx	*w = arg;

	if (w == NULL)
		return;
	json_decref(w->body);
	json_decref(w->errors);
	free(w->out);
	free(w);
}

/* RFC 7396: the result of applying patch to target (a new reference). */
static json_t *
merge_patch(const json_t *target, const json_t *patch)
{
	json_t		*out, *v;
	const char	*k;

	if (!json_is_object(patch))
		return json_deep_copy(patch);
	out = json_is_object(target) ? json_deep_copy(target) : json_object();
	if (out == NULL)
		return NULL;
	json_object_foreach((json_t *)patch, k, v) {
		if (json_is_null(v))
			json_object_del(out, k);
		else
			json_object_set_new(out, k,
			    merge_patch(json_object_get(out, k), v));
	}
	return out;
}

static void
add_error(json_t *errors, const char *path, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "path", path,
	    "message", message));
}

/* 1 if a and b differ in more than what the server sets. */
static int
changed(const json_t *a, const json_t *b)
{
	json_t	*x = json_deep_copy(a), *y = json_deep_copy(b);
	size_t	 i;
	int	 differ;

	for (i = 0; i < sizeof server_fields / sizeof server_fields[0]; i++) {
		json_object_del(x, server_fields[i]);
		json_object_del(y, server_fields[i]);
	}
	differ = x == NULL || y == NULL || !json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return differ;
}

static int
apply_write(struct store_txn *t, void *arg)
{
	struct wctx	*w = arg;
	json_t		*old = NULL, *doc = NULL;
	const json_t	*idv;
	char		 now[32], path[80];
	size_t		 i;
	int64_t		 expect = STORE_REV_CREATE;
	int		 rc;

	if (w->mode != W_CREATE) {
		if ((rc = store_txn_get(t, w->c->name, w->id, &old)) != 0)
			return rc;
		expect = json_integer_value(json_object_get(old, "rev"));
		/* Another auditor's record is not there for this caller. */
		if (w->own[0] != '\0' && !owned(w->c, w->own, w->id, old)) {
			rc = STORE_NOTFOUND;
			goto done;
		}
		if (!http_if_match(&w->if_match, expect)) {
			rc = STORE_STALE;
			goto done;
		}
		if (w->mode == W_DELETE) {
			rc = store_txn_delete(t, w->c->name, w->id, expect,
			    &w->err);
			goto done;
		}
	}
	if (w->mode == W_PATCH)
		doc = merge_patch(old, w->body);
	else
		doc = json_deep_copy(w->body);
	if (doc == NULL) {
		rc = STORE_IO;
		goto done;
	}
	if ((w->errors = json_array()) == NULL) {
		rc = STORE_IO;
		goto done;
	}
	if (json_is_object(doc)) {
		/* A body may not move a record to another id. */
		idv = json_object_get(doc, "id");
		if (idv != NULL && (!json_is_string(idv) ||
		    strcmp(json_string_value(idv), w->id) != 0))
			add_error(w->errors, "/id", w->mode == W_CREATE ?
			    "must be a record id ([A-Za-z0-9._-], 1 to 64)" :
			    "does not match the id in the path");
		for (i = 0; i < sizeof server_fields / sizeof server_fields[0];
		    i++)
			json_object_del(doc, server_fields[i]);
		/* Stand-ins so the schema sees a whole record; put sets them. */
		util_now_rfc3339(now, sizeof now);
		json_object_set_new(doc, "id", json_string(w->id));
		json_object_set_new(doc, "rev", json_integer(old != NULL ?
		    json_integer_value(json_object_get(old, "rev")) + 1 : 1));
		json_object_set_new(doc, "created", json_string(now));
		json_object_set_new(doc, "updated", json_string(now));
		if (w->c->prepare != NULL)
			w->c->prepare(doc, old, w->errors);
		if (w->own[0] != '\0' && !owned(w->c, w->own, w->id, doc)) {
			snprintf(path, sizeof path, "/%s", w->c->own);
			add_error(w->errors, path, "must be your own auditor id");
		}
	}
	if (schema_validate(schema_builtin(w->c->schema), doc, w->errors,
	    MAX_ERRORS) != 0 || json_array_size(w->errors) > 0) {
		rc = STORE_INVALID;
		goto done;
	}
	/* A change that changes nothing keeps the record, rev and log as is. */
	if (old != NULL && !changed(old, doc)) {
		w->out = util_json_canonical(old, &w->outlen);
		rc = w->out != NULL ? STORE_OK : STORE_IO;
		goto done;
	}
	rc = store_txn_put(t, w->c->name, w->id, doc, expect, &w->out,
	    &w->outlen, &w->err);
done:
	json_decref(old);
	json_decref(doc);
	return rc;
}

static void
write_done(struct req *r, int rc)
{
	struct wctx	*w = r->wctx;

	if (rc == STORE_OK) {
		if (w->mode == W_DELETE)
			http_reply_empty(r, 204);
		else
			http_reply_record(r, w->mode == W_CREATE ? 201 : 200,
			    w->c->name, w->id, w->out, w->outlen);
		return;
	}
	if (rc == STORE_INVALID && json_array_size(w->errors) > 0) {
		http_problem_errors(r, 422, "validation", json_incref(w->errors),
		    "the %s record is not valid", w->c->schema);
		return;
	}
	http_store_error(r, rc, &w->err);
}

static void
submit(struct req *r, enum wmode mode, const char *id, json_t *body)
{
	struct wctx	*w;

	if ((w = calloc(1, sizeof *w)) == NULL) {
		json_decref(body);
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	w->c = coll_of(r);
	w->mode = mode;
	snprintf(w->id, sizeof w->id, "%s", id);
	w->body = body;
	w->if_match = r->if_match;
	if (r->scope == SCOPE_OWN)
		snprintf(w->own, sizeof w->own, "%s", r->who.auditor);
	http_submit(r, apply_write, w, wctx_free, write_done);
}

static int
need_body(struct req *r)
{
	if (r->body == NULL) {
		http_problem(r, 400, "bad-request", "a JSON body is required");
		return -1;
	}
	return 0;
}

void
records_create(struct req *r)
{
	const json_t	*idv;
	char		 id[ID_MAX + 1];

	if (need_body(r) != 0)
		return;
	idv = json_object_get(r->body, "id");
	if (idv == NULL)
		util_id_random(id);
	else if (json_is_string(idv) && util_id_valid(json_string_value(idv)))
		snprintf(id, sizeof id, "%s", json_string_value(idv));
	else {
		json_t *errors = json_array();
		add_error(errors, "/id",
		    "must be a record id ([A-Za-z0-9._-], 1 to 64)");
		http_problem_errors(r, 422, "validation", errors,
		    "the %s record is not valid", coll_of(r)->schema);
		return;
	}
	submit(r, W_CREATE, id, json_incref(r->body));
}

void
records_replace(struct req *r)
{
	if (need_body(r) != 0)
		return;
	submit(r, W_REPLACE, r->params[0], json_incref(r->body));
}

void
records_patch(struct req *r)
{
	if (need_body(r) != 0)
		return;
	submit(r, W_PATCH, r->params[0], json_incref(r->body));
}

void
records_delete(struct req *r)
{
	submit(r, W_DELETE, r->params[0], NULL);
}

void
records_action(struct req *r, const char *patch)
{
	json_t	*p;

	if (r->body != NULL) {
		http_problem(r, 400, "bad-request", "this action takes no body");
		return;
	}
	if ((p = json_loads(patch, 0, NULL)) == NULL) {
		http_problem(r, 500, "internal", "bad built-in patch");
		return;
	}
	submit(r, W_PATCH, r->params[0], p);
}

const struct store_coll *
records_store_colls(void)
{
	static struct store_coll	 colls[32];
	static int			 done;
	const struct resource *const	*res;
	size_t				 n = 0;

	/* Built once at start-up, before any thread but main runs. */
	if (done)
		return colls;
	for (res = router_resources; *res != NULL; res++) {
		if ((*res)->coll == NULL)
			continue;
		if (n >= sizeof colls / sizeof colls[0] - 1)
			fatalx("too many collections");
		colls[n++] = (*res)->coll->store;
	}
	colls[n].name = NULL;
	done = 1;
	return colls;
}
