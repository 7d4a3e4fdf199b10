/*
 * api-declarations.c: /v1/declarations, conflict-of-interest declarations:
 * an auditor's ties to parties they might audit. Special: an auditor
 * declares their own; until is not before from; the rows the
 * independence rule reads.
 */
#include <string.h>

#include "api/records.h"
#include "check/rows.h"

static void
declarations_prepare(json_t *doc, struct prep *p)
{
	const char	*from, *until;

	if (doc == NULL)
		return;
	from = json_string_value(json_object_get(doc, "from"));
	until = json_string_value(json_object_get(doc, "until"));
	if (from != NULL && until != NULL && util_date_valid(from) &&
	    util_date_valid(until) && strcmp(until, from) < 0)
		prep_error(p, "/until", "is before from");
}

static const struct store_ref declarations_refs[] = {
	{ .field = "auditor", .target = "auditors" },
};

const struct resource resource_declarations = {
	.name = "declarations",
	.schema = "declaration",
	.owner = "auditor",
	.date = "from",
	.refs = declarations_refs,
	.nrefs = NELEM(declarations_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, DENY, ALL, OWN, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = declarations_prepare,
	.derive = rows_derive_declaration,
};
