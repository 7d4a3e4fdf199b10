/*
 * api-principals.c: /v1/principals, who may call the API: a role and the
 * SHA-256 digests of the client certificates that act as it (admin only).
 */
#include <string.h>

#include "api/records.h"
#include "api/router.h"
#include "server/worker.h"

static const char *const principals_filters[] = { "role", NULL };

static void
principals_prepare(json_t *doc, const json_t *old, json_t *errors)
{
	const char	*role = json_string_value(json_object_get(doc, "role"));
	const json_t	*aud = json_object_get(doc, "auditor");

	(void)old;
	if (json_object_get(doc, "certs") == NULL)
		json_object_set_new(doc, "certs", json_array());
	if (json_object_get(doc, "disabled") == NULL)
		json_object_set_new(doc, "disabled", json_false());
	if (role == NULL)
		return;		/* the schema says what is wrong */
	if (strcmp(role, "auditor") == 0 && !json_is_string(aud))
		json_array_append_new(errors, json_pack("{s:s, s:s}", "path",
		    "/auditor", "message", "is required for role auditor"));
	else if (strcmp(role, "auditor") != 0 && aud != NULL &&
	    !json_is_null(aud))
		json_array_append_new(errors, json_pack("{s:s, s:s}", "path",
		    "/auditor", "message", "is only for role auditor"));
}

static void
principals_disable(struct req *r)
{
	records_action(r, "{\"disabled\":true}");
}

static const struct store_ref principals_refs[] = {
	{ .field = "auditor", .target = "auditors" },
};

static const struct store_unique principals_uniques[] = {
	{ .field = "certs", .array = 1 },
};

static const struct collection principals_coll = {
	.name = "principals",
	.schema = "principal",
	.filters = principals_filters,
	.prepare = principals_prepare,
	.store = {
		.name = "principals",
		.refs = principals_refs,
		.nrefs = 1,
		.uniques = principals_uniques,
		.nuniques = 1,
	},
};

#define C	&principals_coll
static const struct route principals_routes[] = {
	{ EVHTTP_REQ_GET, "/v1/principals", "principals", ACCESS_READ, C,
	    records_list },
	{ EVHTTP_REQ_POST, "/v1/principals", "principals", ACCESS_WRITE, C,
	    records_create },
	{ EVHTTP_REQ_GET, "/v1/principals/{id}", "principals", ACCESS_READ, C,
	    records_get },
	{ EVHTTP_REQ_PUT, "/v1/principals/{id}", "principals", ACCESS_WRITE,
	    C, records_replace },
	{ EVHTTP_REQ_PATCH, "/v1/principals/{id}", "principals", ACCESS_WRITE,
	    C, records_patch },
	{ EVHTTP_REQ_DELETE, "/v1/principals/{id}", "principals",
	    ACCESS_WRITE, C, records_delete },
	{ EVHTTP_REQ_POST, "/v1/principals/{id}/disable", "principals",
	    ACCESS_WRITE, C, principals_disable },
};
#undef C

const struct resource resource_principals = {
	.name = "principals",
	.routes = principals_routes,
	.nroutes = sizeof principals_routes / sizeof principals_routes[0],
	.coll = &principals_coll,
};
