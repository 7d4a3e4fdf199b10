/*
 * api-audits.c: /v1/audits, the audits of a programme: auditee, type,
 * criteria, dates, the competence the team needs, the plan and the
 * report. Special: status defaults to planned and min_team_size to 1; end
 * is not before start; every schedule date lies within start and end; an
 * area is required at most once. Role auditor reads the audits it is on
 * the team of (a proposed, confirmed or completed assignment) and nothing
 * else; the team routes (team.c) are not theirs.
 */
#include <stdio.h>
#include <string.h>

#include "api/audit-report.h"
#include "api/records.h"
#include "api/team.h"
#include "check/assign.h"
#include "check/plans.h"

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

/* Role auditor's own scope: the audits whose team they are on. */
struct member_walk {
	const char	*auditor;
	int		 on;
};

static int
member_one(const struct assign_member *m, void *arg)
{
	struct member_walk	*w = arg;

	if (m->status == ASSIGN_WITHDRAWN || strcmp(m->auditor, w->auditor) != 0)
		return 0;
	w->on = 1;
	return 1;
}

static int
audits_member(struct store *st, MDB_txn *txn, const char *auditor,
    const char *id)
{
	struct member_walk	w = { auditor, 0 };

	return assign_team(st, txn, id, member_one, &w) == STORE_OK && w.on;
}

static const struct grants team_read = {
	.read = SCOPES(ALL, ALL, ALL, DENY, ALL),
	.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
};

static const struct grants team_write = {
	.read = SCOPES(DENY, DENY, DENY, DENY, DENY),
	.write = SCOPES(ALL, ALL, DENY, DENY, DENY),
};

static const struct grants report_read = {
	.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
	.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
};

static const struct route audits_routes[] = {
	/* The report: role auditor reads those of its teams' audits. */
	{ EVHTTP_REQ_GET, "{id}/report", ACCESS_READ, OWNER_RECORD,
	    audit_report_get, &report_read },
	{ EVHTTP_REQ_POST, "{id}/issue-report", ACCESS_WRITE, OWNER_RECORD,
	    audit_report_issue, &team_write },
	/* A check changes nothing: a read, whatever its method. */
	{ EVHTTP_REQ_POST, "{id}/check", ACCESS_READ, OWNER_RECORD,
	    team_check, &team_read },
	{ EVHTTP_REQ_GET, "{id}/candidates", ACCESS_READ, OWNER_RECORD,
	    team_candidates, &team_read },
	{ EVHTTP_REQ_POST, "{id}/propose", ACCESS_WRITE, OWNER_RECORD,
	    team_propose, &team_write },
};

/* The plan row, then the rows of its assignments that carry its dates. */
static int
audits_derive(struct store_txn *t, const char *id, const json_t *old,
    const json_t *doc)
{
	int	rc;

	if ((rc = plans_derive_audit(t, id, old, doc)) != STORE_OK)
		return rc;
	return assign_derive_audit(t, id, old, doc);
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
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, ALL, DENY, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.routes = audits_routes,
	.nroutes = NELEM(audits_routes),
	.member = audits_member,
	.prepare = audits_prepare,
	.derive = audits_derive,
};
