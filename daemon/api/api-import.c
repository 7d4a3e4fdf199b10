/*
 * api-import.c: POST /v1/import, many records of any collections in one
 * request: an NDJSON body of lines {"collection":"<name>","record":{…}}.
 *
 * Lines run in batches of IMPORT_BATCH, each one change for the writer (one
 * nested write transaction): every line of a batch goes through
 * records_apply() as a single write would, and a batch with any bad line
 * keeps nothing (its change returns STORE_INVALID, so the writer drops it).
 * The batches are queued one after another, each completion submitting the
 * next (http_resubmit), so other changes get the writer between them.
 *
 * A line whose record has an id that exists replaces that record (rev + 1,
 * created kept) unless it holds the same fields, which keeps the record,
 * its rev and the change log as they are: an export imported again changes
 * nothing. A new id, or none (the server makes one), creates the record
 * (rev 1). Each line needs the caller's write grant on its collection; own
 * scope (role auditor) runs it as an auditor's own write would.
 *
 * Parsing happens on the worker, one batch at a time, before the batch is
 * submitted, and so does validation (records_precheck, in one read
 * snapshot a batch); the writer runs the changes and validates a line
 * again only when its record changed since the worker looked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/import.h"
#include "api/records.h"
#include "api/router.h"
#include "api/view.h"

#ifndef IMPORT_BATCH
#define IMPORT_BATCH		1000	/* lines per write transaction */
#endif
#define IMPORT_LINES_MAX	100000	/* lines per request */
#define IMPORT_LINE_MAX		65536	/* bytes per line, without the \n */
#define IMPORT_ERRORS_MAX	100	/* errors listed; the rest counted */
#define IMPORT_MSG		256	/* bytes of a message made here */

static const char *const import_query[] = { "dry_run", NULL };

struct import_line {
	size_t			 lineno;	/* 1-based, over the body */
	const struct resource	*res;		/* NULL: refused already */
	enum scope		 scope;
	char			 id[ID_MAX + 1];
	json_t			*record;	/* owned until the writer runs */
	/* records_precheck's, on the worker: see struct records_change */
	int			 checked;
	int64_t			 checked_rev;
	json_t			*schema_errors;	/* owned until the writer runs */
	/*
	 * Why a line was refused before the writer (res NULL): noted in line
	 * order with the writer's errors, when its batch runs.
	 */
	char			 coll[ID_MAX + 1];	/* "": not known */
	const char		*path;
	char			 msg[IMPORT_MSG];
};

struct import_job {
	struct principal	 who;
	struct store		*store;		/* NULL: lines are not prechecked */
	int			 dry_run;
	char			*body;		/* a copy of the request's */
	size_t			 len, off;	/* where the next batch starts */
	size_t			 lineno;	/* lines read so far */
	struct import_line	 lines[IMPORT_BATCH];
	size_t			 n;		/* lines in this batch */
	/* this batch, counted on the writer */
	size_t			 b_created, b_replaced, b_unchanged, b_bad;
	/* the whole request */
	size_t			 nlines, batches, created, replaced;
	size_t			 unchanged, failed, nerrors;
	json_t			*errors;
};

/* Note one error of a line; coll may be NULL (not known). */
static void
import_error(struct import_job *j, size_t lineno, const char *coll,
    const char *path, const char *message)
{
	if (j->nerrors++ >= IMPORT_ERRORS_MAX)
		return;
	json_array_append_new(j->errors, json_pack("{s:I, s:s?, s:s, s:s}",
	    "line", (json_int_t)lineno, "collection", coll, "path", path,
	    "message", message));
}

static void
import_lines_clear(struct import_job *j)
{
	size_t	i;

	for (i = 0; i < j->n; i++) {
		json_decref(j->lines[i].record);
		json_decref(j->lines[i].schema_errors);
		j->lines[i].record = NULL;
		j->lines[i].schema_errors = NULL;
	}
	j->n = 0;
}

static void
import_job_free(void *arg)
{
	struct import_job	*j = arg;

	if (j == NULL)
		return;
	import_lines_clear(j);
	json_decref(j->errors);
	free(j->body);
	free(j);
}

/* Refuse l before the writer: coll may be NULL (not known). */
static void
import_refuse(struct import_line *l, const char *coll, const char *path,
    const char *message)
{
	snprintf(l->coll, sizeof l->coll, "%s", coll != NULL ? coll : "");
	l->path = path;
	snprintf(l->msg, sizeof l->msg, "%s", message);
}

/*
 * The collection and record of one line (text, len bytes, no newline) into
 * l, checked as far as the worker can: JSON, shape, collection, the
 * caller's grant, the id. A refused line keeps res NULL and its error.
 */
static void
import_parse(struct import_job *j, struct import_line *l, const char *text,
    size_t len)
{
	const struct resource	*res;
	json_t			*line, *coll, *rec, *idv;
	json_error_t		 jerr;
	const char		*name = NULL;
	char			 msg[IMPORT_MSG];

	if (len > IMPORT_LINE_MAX) {
		snprintf(msg, sizeof msg, "line is longer than %d bytes",
		    IMPORT_LINE_MAX);
		import_refuse(l, NULL, "", msg);
		return;
	}
	if ((line = json_loadb(text, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		snprintf(msg, sizeof msg, "line is not JSON: %s", jerr.text);
		import_refuse(l, NULL, "", msg);
		return;
	}
	coll = json_object_get(line, "collection");
	rec = json_object_get(line, "record");
	if (json_is_string(coll))
		name = json_string_value(coll);
	if (!json_is_object(line) || name == NULL || !json_is_object(rec) ||
	    json_object_size(line) != 2) {
		import_refuse(l, name, "", "line is not an object with "
		    "exactly collection and record");
		goto done;
	}
	if ((res = router_resource(name)) == NULL || res->schema == NULL) {
		import_refuse(l, name, "", "unknown collection");
		goto done;
	}
	if (res->secret != NULL) {
		import_refuse(l, name, "", "this collection is made only "
		    "through its own routes");
		goto done;
	}
	l->scope = auth_scope(&res->grants, j->who.role, ACCESS_WRITE);
	if (l->scope == SCOPE_DENY) {
		snprintf(msg, sizeof msg, "forbidden: role %s may not change "
		    "%s", auth_role_name(j->who.role), res->name);
		import_refuse(l, name, "", msg);
		goto done;
	}
	idv = json_object_get(rec, "id");
	if (idv == NULL)
		util_id_random(l->id);
	else if (json_is_string(idv) && util_id_valid(json_string_value(idv)))
		snprintf(l->id, sizeof l->id, "%s", json_string_value(idv));
	else {
		import_refuse(l, name, "/id",
		    "must be a record id ([A-Za-z0-9._-], 1 to 64)");
		goto done;
	}
	l->res = res;
	l->record = json_incref(rec);
done:
	json_decref(line);
}

/*
 * The line as the writer will take it (create, or replace of a record the
 * caller may change), checked on the worker in snapshot txn so that the
 * writer validates it only if the record changes meanwhile. A line whose
 * fields are the stored ones (unchanged) or whose check failed for memory
 * is left to the writer.
 */
static void
import_precheck(struct import_job *j, MDB_txn *txn, struct import_line *l)
{
	struct records_change	 ch;
	MDB_val			 v;
	json_t			*old = NULL;

	memset(&ch, 0, sizeof ch);
	ch.res = l->res;
	ch.who = j->who;
	ch.scope = l->scope;
	ch.op = RECORDS_CREATE;
	snprintf(ch.id, sizeof ch.id, "%s", l->id);
	if (store_get(j->store, txn, l->res->name, l->id, &v) == STORE_OK) {
		if ((old = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
			return;
		if (l->scope != SCOPE_OWN || view_owned(l->res,
		    j->who.auditor, l->id, old))
			ch.op = records_same(old, l->record) ? RECORDS_DELETE :
			    RECORDS_REPLACE;
		json_decref(old);
		if (ch.op == RECORDS_DELETE)
			return;		/* unchanged, most likely */
	}
	ch.body = l->record;	/* borrowed: records_precheck copies it */
	if (records_precheck(j->store, txn, &ch) == STORE_OK) {
		l->checked = 1;
		l->checked_rev = ch.checked_rev;
		l->schema_errors = ch.schema_errors;
		ch.schema_errors = NULL;
	}
	ch.body = NULL;
	records_change_clear(&ch);
}

/* Read the next batch of lines from the body; returns how many. */
static size_t
import_read(struct import_job *j)
{
	struct import_line	*l;
	const char		*s, *nl;
	size_t			 len, i;
	MDB_txn			*txn;

	import_lines_clear(j);
	while (j->n < IMPORT_BATCH && j->off < j->len) {
		s = j->body + j->off;
		nl = memchr(s, '\n', j->len - j->off);
		len = nl != NULL ? (size_t)(nl - s) : j->len - j->off;
		j->off += len + (nl != NULL);
		j->lineno++;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;	/* blank lines are skipped */
		l = &j->lines[j->n++];
		memset(l, 0, sizeof *l);
		l->lineno = j->lineno;
		import_parse(j, l, s, len);
	}
	j->nlines += j->n;
	/* Validation on the worker, not the writer: one snapshot a batch. */
	if (j->store != NULL && j->n > 0 &&
	    store_read_begin(j->store, &txn) == STORE_OK) {
		for (i = 0; i < j->n; i++)
			if (j->lines[i].res != NULL)
				import_precheck(j, txn, &j->lines[i]);
		store_read_end(j->store, txn);
	}
	return j->n;
}

size_t
import_parse_body(const char *body, size_t len, enum role role,
    size_t *refused)
{
	struct import_job	*j;
	size_t			 i, n, ok = 0, bad = 0;

	if ((j = calloc(1, sizeof *j)) == NULL ||
	    (j->body = malloc(len + 1)) == NULL) {
		import_job_free(j);
		return 0;
	}
	if (len > 0)
		memcpy(j->body, body, len);
	j->len = len;
	j->who.role = role;
	while ((n = import_read(j)) > 0)
		for (i = 0; i < n; i++) {
			if (j->lines[i].res != NULL)
				ok++;
			else
				bad++;
		}
	import_job_free(j);
	if (refused != NULL)
		*refused = bad;
	return ok;
}

/* Note what records_apply said about a refused line. */
static void
import_refused(struct import_job *j, const struct import_line *l,
    const struct records_change *ch, int rc)
{
	const char	*name = l->res->name, *msg;
	json_t		*e;
	size_t		 i;

	if (ch->forbidden[0] != '\0') {
		import_error(j, l->lineno, name, "", ch->forbidden);
		return;
	}
	/* A gate's refusal: the confirm gate's team check, say. */
	if (ch->refused.status != 0) {
		import_error(j, l->lineno, name, "", ch->refused.detail);
		return;
	}
	if (rc == STORE_INVALID && json_array_size(ch->errors) > 0) {
		json_array_foreach(ch->errors, i, e)
			import_error(j, l->lineno, name,
			    json_string_value(json_object_get(e, "path")),
			    json_string_value(json_object_get(e, "message")));
		return;
	}
	if (rc == STORE_EXISTS)
		msg = "a record with this id exists";
	else
		msg = ch->err.message[0] != '\0' ? ch->err.message :
		    store_strerror(rc);
	import_error(j, l->lineno, name, ch->err.path, msg);
}

/*
 * One line on the writer: the same fields as stored count as unchanged;
 * else replace the record it names or create it. Returns the store result
 * (STORE_FULL and STORE_IO end the batch).
 */
static int
import_one(struct store_txn *t, struct import_job *j, struct import_line *l)
{
	struct records_change	 ch;
	json_t			*old = NULL;
	int			 rc, mine;

	memset(&ch, 0, sizeof ch);
	ch.res = l->res;
	ch.who = j->who;
	ch.scope = l->scope;
	snprintf(ch.id, sizeof ch.id, "%s", l->id);
	ch.body = l->record;
	l->record = NULL;
	ch.checked = l->checked;
	ch.checked_rev = l->checked_rev;
	ch.schema_errors = l->schema_errors;
	l->schema_errors = NULL;
	ch.op = RECORDS_CREATE;
	rc = store_txn_get(t, l->res->name, l->id, &old);
	if (rc == STORE_OK) {
		/* Another auditor's record is not there: a create meets it. */
		mine = l->scope != SCOPE_OWN || view_owned(l->res,
		    j->who.auditor, l->id, old);
		if (mine && records_same(old, ch.body)) {
			j->b_unchanged++;
			json_decref(old);
			records_change_clear(&ch);
			return STORE_OK;
		}
		if (mine)
			ch.op = RECORDS_REPLACE;
		json_decref(old);
	} else if (rc != STORE_NOTFOUND) {
		records_change_clear(&ch);
		return rc;
	}
	if ((rc = records_apply(t, &ch)) == STORE_OK) {
		if (ch.op == RECORDS_CREATE)
			j->b_created++;
		else if (ch.unchanged)
			j->b_unchanged++;
		else
			j->b_replaced++;
	} else if (rc != STORE_FULL && rc != STORE_IO)
		import_refused(j, l, &ch, rc);
	records_change_clear(&ch);
	return rc;
}

/* One batch, in the writer's nested transaction. */
static int
import_apply(struct store_txn *t, void *arg)
{
	struct import_job	*j = arg;
	size_t			 i;
	int			 rc;

	j->b_created = j->b_replaced = j->b_unchanged = j->b_bad = 0;
	for (i = 0; i < j->n; i++) {
		if (j->lines[i].res == NULL) {
			j->b_bad++;
			import_error(j, j->lines[i].lineno, j->lines[i].coll[0] ?
			    j->lines[i].coll : NULL, j->lines[i].path,
			    j->lines[i].msg);
			continue;
		}
		rc = import_one(t, j, &j->lines[i]);
		if (rc == STORE_FULL || rc == STORE_IO)
			return rc;
		if (rc != STORE_OK)
			j->b_bad++;
	}
	/* Nothing of a batch with a bad line is kept, nor of a dry run. */
	return j->b_bad > 0 || j->dry_run ? STORE_INVALID : STORE_OK;
}

static void
import_answer(struct req *r, struct import_job *j)
{
	http_reply_json_take(r, 200, json_pack("{s:b, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:O, s:I}", "dry_run", j->dry_run,
	    "lines", (json_int_t)j->nlines, "batches", (json_int_t)j->batches,
	    "created", (json_int_t)j->created,
	    "replaced", (json_int_t)j->replaced,
	    "unchanged", (json_int_t)j->unchanged,
	    "failed_batches", (json_int_t)j->failed, "errors", j->errors,
	    "errors_omitted", (json_int_t)(j->nerrors > IMPORT_ERRORS_MAX ?
	    j->nerrors - IMPORT_ERRORS_MAX : 0)));
}

/* A batch is done: count it, then submit the next or answer. */
static void
import_batch_done(struct req *r, int rc)
{
	struct import_job	*j = r->wctx;
	size_t			 first = j->n > 0 ? j->lines[0].lineno : 0;

	j->batches++;
	if (rc == STORE_OK ||
	    (rc == STORE_INVALID && j->dry_run && j->b_bad == 0)) {
		j->created += j->b_created;
		j->replaced += j->b_replaced;
		j->unchanged += j->b_unchanged;
	} else if (rc == STORE_INVALID)
		j->failed++;
	else {
		/* The store failed, not a line: stop here. */
		if (rc == STORE_FULL)
			http_problem(r, 507, "store-full", "the store is full "
			    "at the batch from line %zu; %s", first,
			    j->dry_run ? "nothing was written (dry run)" :
			    "the batches before it were kept");
		else
			http_problem(r, 500, "internal", "store error at the "
			    "batch from line %zu: %s; the batches before it "
			    "were kept", first, store_strerror(rc));
		return;
	}
	/*
	 * Stopping: no next batch, not even read (its checks would open a
	 * read transaction on a store that may be closing).
	 */
	if (j->off < j->len && http_stopping(r)) {
		http_header_add(r, "Connection", "close");
		http_problem(r, 503, "stopping", "the server is stopping: the "
		    "batches before line %zu ran (each kept unless it had a "
		    "bad line), none after", j->lineno + 1);
		return;
	}
	if (import_read(j) == 0) {
		import_answer(r, j);
		return;
	}
	http_resubmit(r);
}

static int
import_options(struct req *r, int *dry_run)
{
	const char	*v;

	if (http_query_check(r, import_query) != 0)
		return -1;
	*dry_run = 0;
	if ((v = http_query(r, "dry_run")) == NULL)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		*dry_run = v[0] == 't';
		return 0;
	}
	http_problem(r, 400, "bad-request", "dry_run must be true or false");
	return -1;
}

/* Lines in the body, the last one counted without its newline. */
static size_t
import_count(const char *s, size_t len)
{
	const char	*p = s, *end = s + len;
	size_t		 n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n + (len > 0 && s[len - 1] != '\n');
}

static void
import_post(struct call *c)
{
	struct req		*r = c->req;
	struct import_job	*j;
	const char		*data;
	size_t			 len;
	int			 dry_run;

	if (import_options(r, &dry_run) != 0 ||
	    http_body_raw(r, "application/x-ndjson", &data, &len) != 0)
		return;
	if (len == 0) {
		http_problem(r, 400, "bad-request", "an NDJSON body is "
		    "required: one {\"collection\":…,\"record\":{…}} a line");
		return;
	}
	if (import_count(data, len) > IMPORT_LINES_MAX) {
		http_problem(r, 413, "too-many-lines", "the body has more "
		    "than %d lines; split it into several requests",
		    IMPORT_LINES_MAX);
		return;
	}
	if ((j = calloc(1, sizeof *j)) == NULL ||
	    (j->body = malloc(len)) == NULL ||
	    (j->errors = json_array()) == NULL) {
		import_job_free(j);
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	memcpy(j->body, data, len);
	j->len = len;
	j->who = c->who;
	j->store = c->store;
	j->dry_run = dry_run;
	if (import_read(j) == 0) {
		import_job_free(j);
		http_problem(r, 400, "bad-request", "the body holds only "
		    "blank lines");
		return;
	}
	http_submit(r, import_apply, j, import_job_free, import_batch_done);
}

static const struct route import_routes[] = {
	{ EVHTTP_REQ_POST, "/v1/import", ACCESS_WRITE, OWNER_CALLER,
	    import_post, NULL },
};

const struct resource resource_import = {
	.name = "import",
	/* Write for every role that writes some collection; lines decide. */
	.grants = {
		.read = SCOPES(DENY, DENY, DENY, DENY, DENY),
		.write = SCOPES(ALL, ALL, ALL, OWN, DENY),
	},
	.routes = import_routes,
	.nroutes = NELEM(import_routes),
	.raw_body = 1,
};
