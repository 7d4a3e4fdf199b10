/*
 * api-audits.c: /v1/audits, the audits of a programme: auditee, type,
 * criteria, dates, the competence the team needs, the plan and the
 * report. Special: status defaults to planned and min_team_size to 1; end
 * is not before start; every schedule date lies within start and end; an
 * area is required at most once. Role auditor is denied until audits have
 * assignments (then they read the audits they are assigned to).
 */
#include <stdio.h>
#include <string.h>

#include "api/records.h"
#include "check/assign.h"

static void
audits_defaults(json_t *doc, const struct prep *p)
{
	if (p->old != NULL)
		return;
	if (json_object_get(doc, "status") == NULL)
		json_object_set_new(doc, "status", json_string("planned"));
	if (json_object_get(doc, "min_team_size") == NULL)
		json_object_set_new(doc, "min_team_size", json_integer(1));
}

/* Each schedule date within [start, end]; both valid dates, else no rule. */
static void
audits_schedule(const json_t *doc, const char *start, const char *end,
    struct prep *p)
{
	const json_t	*e;
	const char	*d;
	size_t		 i;
	char		 path[64];

	json_array_foreach(json_object_get(doc, "schedule"), i, e) {
		d = json_string_value(json_object_get(e, "date"));
		if (d == NULL || !util_date_valid(d))
			continue;
		if (strcmp(d, start) < 0 || strcmp(d, end) > 0) {
			snprintf(path, sizeof path, "/schedule/%zu/date", i);
			prep_error(p, path, "is not within start and end");
		}
	}
}

static void
audits_required(const json_t *doc, struct prep *p)
{
	const json_t	*rq, *a;
	const char	*x, *y;
	size_t		 i, j;
	char		 path[64];

	rq = json_object_get(doc, "required");
	json_array_foreach(rq, i, a) {
		x = json_string_value(json_object_get(a, "area"));
		for (j = 0; x != NULL && j < i; j++) {
			y = json_string_value(json_object_get(
			    json_array_get(rq, j), "area"));
			if (y != NULL && strcmp(x, y) == 0) {
				snprintf(path, sizeof path,
				    "/required/%zu/area", i);
				prep_error(p, path, "is required twice");
				break;
			}
		}
	}
}

static void
audits_prepare(json_t *doc, struct prep *p)
{
	const char	*start, *end;

	if (doc == NULL)
		return;
	audits_defaults(doc, p);
	start = json_string_value(json_object_get(doc, "start"));
	end = json_string_value(json_object_get(doc, "end"));
	if (start != NULL && end != NULL && util_date_valid(start) &&
	    util_date_valid(end)) {
		if (strcmp(end, start) < 0)
			prep_error(p, "/end", "is before start");
		else
			audits_schedule(doc, start, end, p);
	}
	audits_required(doc, p);
}

static const struct store_ref audits_refs[] = {
	{ .field = "programme", .target = "programmes" },
	{ .field = "required", .sub = "area", .target = "areas" },
};

const struct resource resource_audits = {
	.name = "audits",
	.schema = "audit",
	.date = "start",
	.refs = audits_refs,
	.nrefs = NELEM(audits_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, DENY, ALL),
		.write = SCOPES(ALL, ALL, DENY, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = audits_prepare,
	.derive = assign_derive_audit,
};
