/*
 * api-events.c: /v1/events, the hash-chained change log, and its verifier,
 * which walks the whole chain and so runs on a thread of its own
 * (http_offload), never on a worker's event loop.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "api/page.h"
#include "api/records.h"
#include "api/view.h"

static const char *const events_query[] = { "after", "limit", NULL };
static const char *const verify_query[] = { "head", NULL };

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
	char			 want[65];	/* ?head=; "" when not asked */
	uint64_t		 want_seq;
};

static int
events_verify_job(void *arg)
{
	struct verify_job	*v = arg;
	MDB_txn			*txn;
	int			 rc;

	if ((rc = store_read_begin(v->store, &txn)) != 0)
		return rc;
	rc = store_events_verify_to(v->store, txn, v->want[0] != '\0' ?
	    v->want : NULL, &v->want_seq, &v->count, v->head, &v->bad,
	    &v->err);
	store_read_end(v->store, txn);
	/*
	 * An intact chain without the head saved earlier lost its end (or
	 * was made again): the events after the good ones are what is gone.
	 */
	if (rc == STORE_OK && v->want[0] != '\0' &&
	    v->want_seq == UINT64_MAX) {
		snprintf(v->err.message, sizeof v->err.message, "the chain "
		    "(%" PRIu64 " events) does not hold the head %s: events "
		    "were cut off its end, or it was rewritten", v->count,
		    v->want);
		v->bad = v->count + 1;
		rc = STORE_INVALID;
	}
	return rc;
}

static void
events_verify_done(struct req *r, int rc)
{
	struct verify_job	*v = r->wctx;

	if (rc == STORE_OK && v->want[0] != '\0')
		http_reply_json_take(r, 200, json_pack("{s:b, s:I, s:s, s:I}",
		    "ok", 1, "count", (json_int_t)v->count, "head", v->head,
		    "head_seq", (json_int_t)v->want_seq));
	else if (rc == STORE_OK)
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
	const char		*want;

	if (http_query_check(c->req, verify_query) != 0)
		return;
	want = http_query(c->req, "head");
	if (want != NULL && (strlen(want) != 64 ||
	    strspn(want, "0123456789abcdef") != 64)) {
		http_problem(c->req, 400, "bad-request", "head must be a "
		    "SHA-256 hash: 64 of 0-9 a-f");
		return;
	}
	if ((v = calloc(1, sizeof *v)) == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	v->store = c->store;
	if (want != NULL)
		memcpy(v->want, want, sizeof v->want);
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
