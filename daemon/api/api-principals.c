/*
 * api-principals.c: /v1/principals, who may call the API: a role and the
 * SHA-256 digests of the client certificates that act as it (admin only).
 * Special: defaults, the auditor field only for role auditor, disable
 * and enable.
 */
#include <string.h>

#include "api/records.h"

static void
principals_prepare(json_t *doc, struct prep *p)
{
	const char	*role;
	const json_t	*aud;

	if (doc == NULL)
		return;
	role = json_string_value(json_object_get(doc, "role"));
	aud = json_object_get(doc, "auditor");
	if (json_object_get(doc, "certs") == NULL)
		json_object_set_new(doc, "certs", json_array());
	if (json_object_get(doc, "disabled") == NULL)
		json_object_set_new(doc, "disabled", json_false());
	if (role == NULL)
		return;		/* the schema says what is wrong */
	if (strcmp(role, "auditor") == 0 && !json_is_string(aud))
		prep_error(p, "/auditor", "is required for role auditor");
	else if (strcmp(role, "auditor") != 0 && aud != NULL &&
	    !json_is_null(aud))
		prep_error(p, "/auditor", "is only for role auditor");
}

static void
principals_disable(struct call *c)
{
	records_action(c, "{\"disabled\":true}");
}

static void
principals_enable(struct call *c)
{
	records_action(c, "{\"disabled\":false}");
}

static const struct route principals_routes[] = {
	{ EVHTTP_REQ_POST, "{id}/disable", ACCESS_WRITE, OWNER_RECORD,
	    principals_disable, NULL },
	{ EVHTTP_REQ_POST, "{id}/enable", ACCESS_WRITE, OWNER_RECORD,
	    principals_enable, NULL },
};

static const struct store_ref principals_refs[] = {
	{ .field = "auditor", .target = "auditors" },
};

static const struct store_unique principals_uniques[] = {
	{ .field = "certs", .array = 1 },
};

const struct resource resource_principals = {
	.name = "principals",
	.schema = "principal",
	/* A principal of role auditor is that auditor's own (/v1/me). */
	.owner = "auditor",
	.refs = principals_refs,
	.nrefs = NELEM(principals_refs),
	.uniques = principals_uniques,
	.nuniques = NELEM(principals_uniques),
	.grants = {
		.read = SCOPES(ALL, DENY, DENY, DENY, DENY),
		.write = SCOPES(ALL, DENY, DENY, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.routes = principals_routes,
	.nroutes = NELEM(principals_routes),
	.prepare = principals_prepare,
};
