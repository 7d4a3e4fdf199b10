/*
 * api-auditors.c: /v1/auditors, the people the audit programme draws its
 * teams from. Special: status defaults to active; retire; an auditor's
 * status on a day (status.c).
 */
#include <string.h>

#include "api/personal.h"
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

/* The standard delete, or with ?erase=true the erasure (personal.c). */
static void
auditors_delete(struct call *c)
{
	static const char *const keys[] = { "erase", NULL };
	const char		*erase;

	if (http_query_check(c->req, keys) != 0)
		return;
	erase = http_query(c->req, "erase");
	if (erase == NULL || strcmp(erase, "false") == 0)
		records_delete(c);
	else if (strcmp(erase, "true") == 0)
		personal_erase(c);
	else
		http_problem(c->req, 400, "bad-request",
		    "erase must be true or false");
}

static const struct route auditors_routes[] = {
	{ EVHTTP_REQ_DELETE, "{id}", ACCESS_WRITE, OWNER_RECORD,
	    auditors_delete, NULL },
	/* The person's records: their own, HR's and admin's to read. */
	{ EVHTTP_REQ_GET, "{id}/export", ACCESS_READ, OWNER_PARAM,
	    personal_export, &personal_export_grants },
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
	.verbs = VERBS_ALL & ~VERB_DELETE,	/* its own: auditors_delete */
	.routes = auditors_routes,
	.nroutes = NELEM(auditors_routes),
	.prepare = auditors_prepare,
	.derive = assign_derive_auditor,
};
