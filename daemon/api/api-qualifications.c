/*
 * api-qualifications.c: /v1/qualifications, an auditor's certificates,
 * education and experience, and the competence areas each evidences.
 * Special: HR verifies them (verify.c); expires is not before issued; the
 * rows the competence rules read (check/rows.c).
 */
#include <string.h>

#include "api/records.h"
#include "api/verify.h"
#include "check/rows.h"

static void
qualifications_prepare(json_t *doc, struct prep *p)
{
	const char	*issued, *expires;

	verify_prepare(doc, p);
	if (doc == NULL || p->forbidden[0] != '\0')
		return;
	issued = json_string_value(json_object_get(doc, "issued"));
	expires = json_string_value(json_object_get(doc, "expires"));
	if (issued != NULL && expires != NULL && util_date_valid(issued) &&
	    util_date_valid(expires) && strcmp(expires, issued) < 0)
		prep_error(p, "/expires", "is before issued");
}

static const struct route qualifications_routes[] = {
	{ EVHTTP_REQ_POST, "{id}/verify", ACCESS_WRITE, OWNER_RECORD,
	    verify_action, &verify_grants },
};

static const struct store_ref qualifications_refs[] = {
	{ .field = "auditor", .target = "auditors" },
	{ .field = "areas", .array = 1, .target = "areas" },
};

const struct resource resource_qualifications = {
	.name = "qualifications",
	.schema = "qualification",
	.owner = "auditor",
	.date = "issued",
	.refs = qualifications_refs,
	.nrefs = NELEM(qualifications_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, DENY, ALL, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.routes = qualifications_routes,
	.nroutes = NELEM(qualifications_routes),
	.prepare = qualifications_prepare,
	.derive = rows_derive_qualification,
};
