/*
 * export.c: GET /v1/export/<name> (see export.h). The walk runs on its own
 * thread with its own read transaction and never parses a document: under
 * own scope it walks the owner field's index, so an auditor's export holds
 * only their own auditor's records, as their lists do (records shared by
 * membership or through another record are tested one by one with
 * view_shares, from derived rows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "api/export.h"
#include "api/view.h"

static const char *const export_query[] = { "after", NULL };

struct export_job {
	struct store		*store;
	const struct resource	*res;
	enum scope		 scope;
	char			 auditor[ID_MAX + 1];
	char			 after[ID_MAX + 1];	/* "" from the start */
	struct evbuffer		*out;
	char			 last[ID_MAX + 1];	/* last id written */
	int			 more;		/* records follow the page */
	int			 nomem;
	MDB_txn			*txn;		/* while the job runs */
};

static void
export_job_free(void *arg)
{
	struct export_job	*x = arg;

	if (x == NULL)
		return;
	if (x->out != NULL)
		evbuffer_free(x->out);
	free(x);
}

static int
export_take(const char *id, const MDB_val *doc, void *arg)
{
	struct export_job	*x = arg;

	/* Records shared by membership (an audit and its team). */
	if (x->scope == SCOPE_OWN && !view_by_owner(x->res) &&
	    !view_shares(x->store, x->txn, x->res, x->auditor, id))
		return 0;
	/* One record past a full page: there is a next page. */
	if (evbuffer_get_length(x->out) >= EXPORT_PAGE_MAX) {
		x->more = 1;
		return -1;
	}
	if (evbuffer_add_printf(x->out, "{\"collection\":\"%s\",\"record\":",
	    x->res->name) < 0 ||
	    evbuffer_add(x->out, doc->mv_data, doc->mv_size) != 0 ||
	    evbuffer_add(x->out, "}\n", 2) != 0) {
		x->nomem = 1;
		return -1;
	}
	snprintf(x->last, sizeof x->last, "%s", id);
	return 1;
}

static int
export_job(void *arg)
{
	struct export_job	*x = arg;
	const char		*after = x->after[0] != '\0' ? x->after : NULL;
	char			 next[ID_MAX + 1];
	MDB_txn			*txn;
	int			 rc;

	if ((rc = store_read_begin(x->store, &txn)) != 0)
		return rc;
	x->txn = txn;
	if (x->scope == SCOPE_OWN && view_by_owner(x->res))
		rc = store_list_by(x->store, txn, x->res->name, x->res->owner,
		    x->auditor, after, 0, export_take, x, next);
	else
		rc = store_list(x->store, txn, x->res->name, after, 0,
		    export_take, x, next);
	store_read_end(x->store, txn);
	if (rc == STORE_OK && x->nomem)
		rc = STORE_IO;
	return rc;
}

static void
export_done(struct req *r, int rc)
{
	struct export_job	*x = r->wctx;
	char			 link[sizeof x->last + 128];

	if (rc != STORE_OK) {
		if (x->nomem)
			http_problem(r, 500, "internal", "out of memory");
		else
			view_store_error(r, rc, NULL);
		return;
	}
	/* Ids need no escaping in a URL. */
	if (x->more) {
		snprintf(link, sizeof link, "</v1/export/%s?after=%s>; "
		    "rel=\"next\"", x->res->name, x->last);
		http_header_add(r, "Link", link);
	}
	http_reply_buffer(r, 200, "application/x-ndjson", x->out);
}

void
export_records(struct call *c)
{
	struct export_job	*x;
	const char		*after;

	if (http_query_check(c->req, export_query) != 0)
		return;
	after = http_query(c->req, "after");
	if (after != NULL && !util_id_valid(after)) {
		http_problem(c->req, 400, "bad-request",
		    "after must be a record id");
		return;
	}
	if ((x = calloc(1, sizeof *x)) == NULL ||
	    (x->out = evbuffer_new()) == NULL) {
		export_job_free(x);
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	x->store = c->store;
	x->res = c->res;
	x->scope = c->scope;
	snprintf(x->auditor, sizeof x->auditor, "%s", c->who.auditor);
	snprintf(x->after, sizeof x->after, "%s", after != NULL ? after : "");
	http_offload(c->req, export_job, x, export_job_free, export_done);
}
