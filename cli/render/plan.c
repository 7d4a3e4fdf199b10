/*
 * plan.c: the audit plan (ISO/IEC 27007 Annex C, in spirit) of one audit
 * record and the team that stands: objectives, scope, criteria, method
 * and locations, dates, the competence needed, the team with roles, and
 * the schedule as a table. Owned by the audit's `plan` verb
 * (cmd-audit.c), which fetches the audit and its team.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/docs.h"

static const char *
plan_method(const char *m)
{
	if (m == NULL)
		return NULL;
	if (strcmp(m, "on_site") == 0)
		return "on site";
	return m;
}

static void
plan_team(struct render *r, const json_t *team)
{
	static const char *const titles[] = { "AUDITOR", "NAME", "ROLE",
	    "STATUS" };
	const json_t	*m;
	const char	*row[4];
	size_t		 i;

	if (json_array_size(team) == 0) {
		render_par(r, "No auditor is assigned yet.");
		return;
	}
	render_table_begin(r, 4, titles, NULL);
	json_array_foreach(team, i, m) {
		row[0] = render_str(m, "auditor");
		row[1] = render_str(m, "name");
		row[2] = render_str(m, "role");
		row[3] = render_str(m, "status");
		render_row(r, row[3] != NULL && strcmp(row[3], "proposed") ==
		    0 ? RENDER_WARN : RENDER_PLAIN, row);
	}
	render_table_end(r);
}

static void
plan_schedule(struct render *r, const json_t *schedule)
{
	static const char *const titles[] = { "DATE", "TIME", "ACTIVITY",
	    "AUDITEES", "AUDITORS", "CRITERIA" };
	const json_t	*e;
	const char	*row[6];
	char		*j[3];
	size_t		 i, k;

	if (json_array_size(schedule) == 0) {
		render_par(r, "No schedule yet.");
		return;
	}
	render_table_begin(r, 6, titles, NULL);
	json_array_foreach(schedule, i, e) {
		j[0] = render_join(json_object_get(e, "auditees"), ", ");
		j[1] = render_join(json_object_get(e, "auditors"), ", ");
		j[2] = render_join(json_object_get(e, "criteria"), ", ");
		row[0] = render_str(e, "date");
		row[1] = render_str(e, "time");
		row[2] = render_str(e, "activity");
		row[3] = j[0];
		row[4] = j[1];
		row[5] = j[2];
		render_row(r, RENDER_PLAIN, row);
		for (k = 0; k < 3; k++)
			free(j[k]);
	}
	render_table_end(r);
}

int
render_audit_plan(FILE *fp, enum render_format f, const json_t *audit,
    const json_t *team, int utf8)
{
	static const char *const req_titles[] = { "AREA", "LEVEL" };
	const json_t	*req, *v;
	const char	*id = render_str(audit, "id"), *row[2];
	struct render	*r;
	char		*title, *locs;
	size_t		 i;

	if (id == NULL || render_str(audit, "auditee") == NULL ||
	    render_str(audit, "start") == NULL || !json_is_array(team))
		return RENDER_MALFORMED;
	if (asprintf(&title, "Audit plan: %s, %s", id, render_str(audit,
	    "auditee")) == -1)
		return -1;
	r = render_begin(fp, f, title, utf8);
	free(title);
	if (r == NULL)
		return -1;

	render_field(r, "Audit", id);
	render_field(r, "Programme", render_str(audit, "programme"));
	render_field(r, "Type", render_str(audit, "type"));
	render_field(r, "Status", render_str(audit, "status"));

	render_heading(r, 2, "Objectives");
	render_strings(r, json_object_get(audit, "objectives"));

	render_heading(r, 2, "Scope");
	render_field(r, "Auditee", render_str(audit, "auditee"));
	render_field(r, "Scope", render_str(audit, "scope"));
	render_field(r, "Standard", render_str(audit, "standard"));
	render_field(r, "Language", render_str(audit, "language"));

	render_heading(r, 2, "Criteria");
	render_strings(r, json_object_get(audit, "criteria"));

	render_heading(r, 2, "Method and locations");
	locs = render_join(json_object_get(audit, "locations"), "; ");
	render_field(r, "Method", plan_method(render_str(audit, "method")));
	render_field(r, "Locations", locs);
	free(locs);

	render_heading(r, 2, "Dates");
	render_field(r, "Start", render_str(audit, "start"));
	render_field(r, "End", render_str(audit, "end"));

	if (json_array_size(req = json_object_get(audit, "required")) > 0) {
		render_heading(r, 2, "Competence the team needs");
		render_table_begin(r, 2, req_titles, NULL);
		json_array_foreach(req, i, v) {
			row[0] = render_str(v, "area");
			row[1] = render_str(v, "level");
			render_row(r, RENDER_PLAIN, row);
		}
		render_table_end(r);
	}

	render_heading(r, 2, "Audit team");
	plan_team(r, team);

	render_heading(r, 2, "Schedule");
	plan_schedule(r, json_object_get(audit, "schedule"));
	return render_end(r);
}
