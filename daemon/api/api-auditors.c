/*
 * api-auditors.c: /v1/auditors, the people the audit programme draws its
 * teams from.
 */
#include <string.h>

#include "api/records.h"
#include "api/router.h"
#include "server/worker.h"

static const char *const auditors_filters[] = { "status", "unit", NULL };

static void
auditors_prepare(json_t *doc, const json_t *old, json_t *errors)
{
	(void)errors;
	if (old == NULL && json_object_get(doc, "status") == NULL)
		json_object_set_new(doc, "status", json_string("active"));
}

static void
auditors_retire(struct req *r)
{
	records_action(r, "{\"status\":\"retired\"}");
}

static const struct collection auditors_coll = {
	.name = "auditors",
	.schema = "auditor",
	.own = "id",
	.filters = auditors_filters,
	.prepare = auditors_prepare,
	.store = { .name = "auditors" },
};

#define C	&auditors_coll
static const struct route auditors_routes[] = {
	{ EVHTTP_REQ_GET, "/v1/auditors", "auditors", ACCESS_READ, C,
	    records_list },
	{ EVHTTP_REQ_POST, "/v1/auditors", "auditors", ACCESS_WRITE, C,
	    records_create },
	{ EVHTTP_REQ_GET, "/v1/auditors/{id}", "auditors", ACCESS_READ, C,
	    records_get },
	{ EVHTTP_REQ_PUT, "/v1/auditors/{id}", "auditors", ACCESS_WRITE, C,
	    records_replace },
	{ EVHTTP_REQ_PATCH, "/v1/auditors/{id}", "auditors", ACCESS_WRITE, C,
	    records_patch },
	{ EVHTTP_REQ_DELETE, "/v1/auditors/{id}", "auditors", ACCESS_WRITE, C,
	    records_delete },
	{ EVHTTP_REQ_POST, "/v1/auditors/{id}/retire", "auditors",
	    ACCESS_WRITE, C, auditors_retire },
};
#undef C

const struct resource resource_auditors = {
	.name = "auditors",
	.routes = auditors_routes,
	.nroutes = sizeof auditors_routes / sizeof auditors_routes[0],
	.coll = &auditors_coll,
};
