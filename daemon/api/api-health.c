/*
 * api-health.c: /livez and /readyz for supervisors and load balancers. They
 * need a certificate the CA signed but no principal.
 */
#include "api/records.h"

static void
health_live(struct call *c)
{
	static const char	ok[] = "{\"status\":\"ok\"}";

	http_reply(c->req, 200, "application/json", ok, sizeof ok - 1);
}

static void
health_ready(struct call *c)
{
	static const char	ok[] = "{\"status\":\"ready\"}";
	MDB_val			doc;
	int			rc;

	if (http_stopping(c->req)) {
		http_problem(c->req, 503, "stopping", "the server is stopping");
		return;
	}
	/* A read through the worker's own transaction proves the store. */
	rc = store_get(c->store, c->req->txn, "principals", "-", &doc);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		http_problem(c->req, 503, "not-ready", "the store cannot be "
		    "read: %s", store_strerror(rc));
		return;
	}
	http_reply(c->req, 200, "application/json", ok, sizeof ok - 1);
}

static const struct route health_routes[] = {
	{ EVHTTP_REQ_GET, "/livez", ACCESS_OPEN, OWNER_CALLER, health_live,
	    NULL },
	{ EVHTTP_REQ_GET, "/readyz", ACCESS_OPEN, OWNER_CALLER, health_ready,
	    NULL },
};

const struct resource resource_health = {
	.name = "health",
	.routes = health_routes,
	.nroutes = NELEM(health_routes),
};
