/*
 * api-evaluations.c: /v1/evaluations, evaluations of an auditor's
 * competence and the level found per area. Special: an area is assessed
 * at most once, next_due is after date; the rows the rules read.
 */
#include <stdio.h>
#include <string.h>

#include "api/records.h"
#include "check/rows.h"

static void
evaluations_prepare(json_t *doc, struct prep *p)
{
	const json_t	*as, *a, *b;
	const char	*date, *due, *x, *y;
	size_t		 i, j;
	char		 path[64];

	if (doc == NULL)
		return;
	date = json_string_value(json_object_get(doc, "date"));
	due = json_string_value(json_object_get(doc, "next_due"));
	if (date != NULL && due != NULL && util_date_valid(date) &&
	    util_date_valid(due) && strcmp(due, date) <= 0)
		prep_error(p, "/next_due", "is not after date");
	as = json_object_get(doc, "assessed");
	json_array_foreach(as, i, a) {
		x = json_string_value(json_object_get(a, "area"));
		for (j = 0; x != NULL && j < i; j++) {
			b = json_array_get(as, j);
			y = json_string_value(json_object_get(b, "area"));
			if (y != NULL && strcmp(x, y) == 0) {
				snprintf(path, sizeof path, "/assessed/%zu/area",
				    i);
				prep_error(p, path, "is assessed twice");
				break;
			}
		}
	}
}

static const struct store_ref evaluations_refs[] = {
	{ .field = "auditor", .target = "auditors" },
	{ .field = "assessed", .sub = "area", .target = "areas" },
};

const struct resource resource_evaluations = {
	.name = "evaluations",
	.schema = "evaluation",
	.owner = "auditor",
	.date = "date",
	.refs = evaluations_refs,
	.nrefs = NELEM(evaluations_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, ALL, ALL, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = evaluations_prepare,
	.derive = rows_derive_evaluation,
};
