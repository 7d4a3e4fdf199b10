/*
 * api-events.c: /v1/events, the hash-chained change log, and its verifier,
 * which walks the whole chain and so runs on a thread of its own
 * (http_offload), never on a worker's event loop.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "api/page.h"
#include "api/records.h"
#include "api/view.h"

static const char *const events_query[] = { "after", "limit", NULL };

static int
events_take(uint64_t seq, const MDB_val *ev, void *arg)
{
	(void)seq;
	return page_add(arg, ev->mv_data, ev->mv_size) == 0 ? 1 : -1;
}

static void
events_list(struct call *c)
{
	struct req		*r = c->req;
	struct page		 page;
	char			 nextbuf[32];
	const char		*s;
	char			*end;
	unsigned long long	 after = 0;
	uint64_t		 next;
	size_t			 limit;
	int			 rc;

	if (http_query_check(r, events_query) != 0)
		return;
	if ((s = http_query(r, "after")) != NULL) {
		after = strtoull(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0') {
			http_problem(r, 400, "bad-request",
			    "after must be an event seq");
			return;
		}
	}
	if (http_limit(r, &limit) != 0)
		return;
	if (page_begin(r, &page) != 0)
		return;
	rc = store_events(c->store, r->txn, after, limit, events_take, &page,
	    &next);
	snprintf(nextbuf, sizeof nextbuf, "%" PRIu64, next);
	page_end(r, &page, rc, next != 0 ? nextbuf : NULL);
}

/* The verifier's work, done on its own thread in its own read txn. */
struct verify_job {
	struct store		*store;
	struct store_err	 err;
	uint64_t		 count, bad;
	char			 head[65];
};

static int
events_verify_job(void *arg)
{
	struct verify_job	*v = arg;
	MDB_txn			*txn;
	int			 rc;

	if ((rc = store_read_begin(v->store, &txn)) != 0)
		return rc;
	rc = store_events_verify(v->store, txn, &v->count, v->head, &v->bad,
	    &v->err);
	mdb_txn_abort(txn);
	return rc;
}

static void
events_verify_done(struct req *r, int rc)
{
	struct verify_job	*v = r->wctx;

	if (rc == STORE_OK)
		http_reply_json_take(r, 200, json_pack("{s:b, s:I, s:s}", "ok",
		    1, "count", (json_int_t)v->count, "head", v->head));
	else if (rc == STORE_INVALID)
		http_reply_json_take(r, 200, json_pack("{s:b, s:I, s:I, s:s}",
		    "ok", 0, "count", (json_int_t)v->count, "bad_seq",
		    (json_int_t)v->bad, "detail", v->err.message));
	else
		view_store_error(r, rc, NULL);
}

static void
events_verify(struct call *c)
{
	struct verify_job	*v;

	if (http_query_check(c->req, NULL) != 0)
		return;
	if ((v = calloc(1, sizeof *v)) == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	v->store = c->store;
	http_offload(c->req, events_verify_job, v, free, events_verify_done);
}

static const struct route events_routes[] = {
	{ EVHTTP_REQ_GET, "", ACCESS_READ, OWNER_RECORD, events_list, NULL },
	{ EVHTTP_REQ_GET, "verify", ACCESS_READ, OWNER_RECORD, events_verify,
	    NULL },
};

/*
 * Events name records of every kind and so have no owner: role auditor
 * reads none of them.
 */
const struct resource resource_events = {
	.name = "events",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, DENY, ALL),
		.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
	},
	.routes = events_routes,
	.nroutes = NELEM(events_routes),
};
