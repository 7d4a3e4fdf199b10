/*
 * api-me.c: GET /v1/me, the caller as the server sees them: their principal
 * and, for role auditor, their auditor profile.
 */
#include <event2/buffer.h>

#include "api/records.h"
#include "api/router.h"
#include "server/worker.h"

static void
me_get(struct req *r)
{
	struct store	*st = r->worker->srv->store;
	struct evbuffer	*b;
	MDB_val		 p, a;

	if (store_get(st, r->txn, "principals", r->who.id, &p) != 0) {
		http_problem(r, 401, "unauthorized", "the principal is gone");
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	evbuffer_add_printf(b, "{\"auditor\":");
	if (r->who.auditor[0] != '\0' &&
	    store_get(st, r->txn, "auditors", r->who.auditor, &a) == 0)
		evbuffer_add(b, a.mv_data, a.mv_size);
	else
		evbuffer_add_printf(b, "null");
	evbuffer_add_printf(b, ",\"principal\":");
	evbuffer_add(b, p.mv_data, p.mv_size);
	evbuffer_add_printf(b, "}");
	http_reply_buffer(r, 200, "application/json", b);
	evbuffer_free(b);
}

static const struct route me_routes[] = {
	{ EVHTTP_REQ_GET, "/v1/me", "me", ACCESS_READ, NULL, me_get },
};

const struct resource resource_me = {
	.name = "me",
	.routes = me_routes,
	.nroutes = sizeof me_routes / sizeof me_routes[0],
};
