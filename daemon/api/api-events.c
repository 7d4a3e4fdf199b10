/*
 * api-events.c: /v1/events, the hash-chained change log, and its verifier.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "api/records.h"
#include "api/router.h"
#include "server/worker.h"

static const char *const events_query[] = { "after", "limit", NULL };

struct events_ctx {
	struct evbuffer	*out;
	size_t		 n;
};

static int
events_take(uint64_t seq, const MDB_val *ev, void *arg)
{
	struct events_ctx	*e = arg;

	(void)seq;
	if (e->n++ > 0)
		evbuffer_add(e->out, ",", 1);
	evbuffer_add(e->out, ev->mv_data, ev->mv_size);
	return 1;
}

static void
events_list(struct req *r)
{
	struct events_ctx	 e = { NULL, 0 };
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
	if ((e.out = evbuffer_new()) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	evbuffer_add_printf(e.out, "{\"items\":[");
	rc = store_events(r->worker->srv->store, r->txn, after, limit,
	    events_take, &e, &next);
	if (rc != 0) {
		evbuffer_free(e.out);
		http_store_error(r, rc, NULL);
		return;
	}
	if (next != 0)
		evbuffer_add_printf(e.out, "],\"next\":%" PRIu64 "}", next);
	else
		evbuffer_add_printf(e.out, "],\"next\":null}");
	http_reply_buffer(r, 200, "application/json", e.out);
	evbuffer_free(e.out);
}

static void
events_verify(struct req *r)
{
	struct store_err	 err;
	uint64_t		 count = 0, bad = 0;
	char			 head[65] = "";
	int			 rc;

	if (http_query_check(r, NULL) != 0)
		return;
	memset(&err, 0, sizeof err);
	rc = store_events_verify(r->worker->srv->store, r->txn, &count, head,
	    &bad, &err);
	if (rc == STORE_OK)
		http_reply_json_take(r, 200, json_pack("{s:b, s:I, s:s}", "ok",
		    1, "count", (json_int_t)count, "head", head));
	else if (rc == STORE_INVALID)
		http_reply_json_take(r, 200, json_pack("{s:b, s:I, s:I, s:s}",
		    "ok", 0, "count", (json_int_t)count, "bad_seq",
		    (json_int_t)bad, "detail", err.message));
	else
		http_store_error(r, rc, NULL);
}

static const struct route events_routes[] = {
	{ EVHTTP_REQ_GET, "/v1/events", "events", ACCESS_READ, NULL,
	    events_list },
	{ EVHTTP_REQ_GET, "/v1/events/verify", "events", ACCESS_READ, NULL,
	    events_verify },
};

const struct resource resource_events = {
	.name = "events",
	.routes = events_routes,
	.nroutes = sizeof events_routes / sizeof events_routes[0],
};
