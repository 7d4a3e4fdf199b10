/*
 * api-auditors.c: /v1/auditors, the people the audit programme draws its
 * teams from. Special: status defaults to active; retire; an auditor's
 * status on a day (status.c).
 */
#include "api/records.h"
#include "check/assign.h"
#include "api/status.h"

static void
auditors_prepare(json_t *doc, struct prep *p)
{
	if (doc != NULL && p->old == NULL &&
	    json_object_get(doc, "status") == NULL)
		json_object_set_new(doc, "status", json_string("active"));
}

static void
auditors_retire(struct call *c)
{
	records_action(c, "{\"status\":\"retired\"}");
}

static const struct route auditors_routes[] = {
	{ EVHTTP_REQ_POST, "{id}/retire", ACCESS_WRITE, OWNER_RECORD,
	    auditors_retire, NULL },
	/* Role auditor: their own only; any other id is 404 (api.c). */
	{ EVHTTP_REQ_GET, "{id}/status", ACCESS_READ, OWNER_PARAM,
	    status_get, NULL },
};

const struct resource resource_auditors = {
	.name = "auditors",
	.schema = "auditor",
	.owner = "id",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, DENY, ALL, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.routes = auditors_routes,
	.nroutes = NELEM(auditors_routes),
	.prepare = auditors_prepare,
	.derive = assign_derive_auditor,
};
