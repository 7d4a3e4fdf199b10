/*
 * api-health.c: /livez and /readyz for supervisors and load balancers. They
 * need a certificate the CA signed but no principal.
 */
#include "api/records.h"
#include "api/router.h"
#include "server/worker.h"

static void
health_live(struct req *r)
{
	static const char	ok[] = "{\"status\":\"ok\"}";

	http_reply(r, 200, "application/json", ok, sizeof ok - 1);
}

static void
health_ready(struct req *r)
{
	static const char	ok[] = "{\"status\":\"ready\"}";
	MDB_val			doc;
	int			rc;

	/* A read through the worker's own transaction proves the store. */
	rc = store_get(r->worker->srv->store, r->txn, "principals", "-", &doc);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		http_problem(r, 503, "not-ready", "the store cannot be read: %s",
		    store_strerror(rc));
		return;
	}
	http_reply(r, 200, "application/json", ok, sizeof ok - 1);
}

static const struct route health_routes[] = {
	{ EVHTTP_REQ_GET, "/livez", NULL, ACCESS_OPEN, NULL, health_live },
	{ EVHTTP_REQ_GET, "/readyz", NULL, ACCESS_OPEN, NULL, health_ready },
};

const struct resource resource_health = {
	.name = "health",
	.routes = health_routes,
	.nroutes = sizeof health_routes / sizeof health_routes[0],
};
