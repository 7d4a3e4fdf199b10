/*
 * audit-report.c: the audit report (ISO 19011 6.5.1) from GET
 * /v1/audits/{id}/report: a banner naming the items still missing when it
 * is not complete, the systemic flags (a possible major nonconformity),
 * then every item a) to k) as a section in the standard's order, the
 * findings with their evidence and actions as a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/docs.h"

/* The items in order, with the clause letter and the section's title. */
static const struct {
	const char	*name;
	const char	*title;
} report_items[] = {
	{ "objectives", "a) Audit objectives" },
	{ "scope", "b) Scope and auditee" },
	{ "client", "c) Audit client" },
	{ "team", "d) Audit team and participants" },
	{ "dates", "e) Dates and locations" },
	{ "criteria", "f) Audit criteria" },
	{ "findings", "g) Findings and evidence" },
	{ "conclusions", "h) Conclusions" },
	{ "fulfilment", "i) Fulfilment of the audit objectives" },
	{ "disagreements", "j) Unresolved diverging opinions" },
	{ "sampling", "k) Sampling" },
};
#define NITEMS	(sizeof report_items / sizeof *report_items)

static const char *
item_title(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < NITEMS; i++)
		if (strcmp(name, report_items[i].name) == 0)
			return report_items[i].title;
	return name != NULL ? name : "?";
}

static void
text_or_missing(struct render *r, const json_t *v)
{
	render_par(r, json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : "Not stated.");
}

/* "interview: ... (sample: ...); record: ..." of a finding's evidence. */
static char *
evidence_text(const json_t *ev)
{
	const json_t	*e;
	const char	*sample;
	char		*s = strdup(""), *t;
	size_t		 i;

	json_array_foreach(ev, i, e) {
		if (s == NULL)
			return NULL;
		sample = render_str(e, "sample");
		if (asprintf(&t, "%s%s%s: %s%s%s%s", s, i ? "; " : "",
		    render_str(e, "kind") ? render_str(e, "kind") : "?",
		    render_str(e, "description") ? render_str(e,
		    "description") : "", sample ? " (sample: " : "", sample ?
		    sample : "", sample ? ")" : "") == -1)
			t = NULL;
		free(s);
		s = t;
	}
	return s;
}

/* "c1 open, due 2027-04-01, IT Ops, OVERDUE; ..." */
static char *
actions_text(const json_t *acts)
{
	const json_t	*a;
	char		*s = strdup(""), *t;
	size_t		 i;

	json_array_foreach(acts, i, a) {
		if (s == NULL)
			return NULL;
		if (asprintf(&t, "%s%s%s %s, due %s, %s%s", s, i ? "; " : "",
		    render_str(a, "id") ? render_str(a, "id") : "?",
		    render_str(a, "status") ? render_str(a, "status") : "?",
		    render_str(a, "due") ? render_str(a, "due") : "?",
		    render_str(a, "owner") ? render_str(a, "owner") : "?",
		    json_is_true(json_object_get(a, "overdue")) ?
		    ", OVERDUE" : "") == -1)
			t = NULL;
		free(s);
		s = t;
	}
	return s;
}

static void
findings(struct render *r, const json_t *doc, const json_t *list)
{
	static const char *const titles[] = { "ID", "TYPE", "CRITERION",
	    "STATEMENT", "EVIDENCE", "STATUS", "ACTIONS" };
	const json_t	*counts = json_object_get(doc, "counts"), *f, *n;
	const char	*type, *row[7], *k;
	char		*ev, *acts;
	size_t		 i;

	if (json_object_size(counts) > 0) {
		render_list_begin(r, RENDER_PLAIN, "Findings by type:");
		json_object_foreach((json_t *)counts, k, n)
			render_itemf(r, "%" JSON_INTEGER_FORMAT " %s",
			    json_integer_value(n), render_finding_type(k,
			    json_integer_value(n) != 1));
		render_list_end(r);
	}
	if (json_array_size(list) == 0) {
		render_par(r, "No findings.");
		return;
	}
	render_table_begin(r, 7, titles, NULL);
	json_array_foreach(list, i, f) {
		type = render_str(f, "type");
		ev = evidence_text(json_object_get(f, "evidence"));
		acts = actions_text(json_object_get(f, "actions"));
		row[0] = render_str(f, "id");
		row[1] = render_finding_type(type, 0);
		row[2] = render_str(f, "criterion");
		row[3] = render_str(f, "statement");
		row[4] = ev;
		row[5] = render_str(f, "status");
		row[6] = acts;
		render_row(r, type != NULL && strcmp(type, "major_nc") == 0 ?
		    RENDER_BAD : type != NULL && strcmp(type, "minor_nc") ==
		    0 ? RENDER_WARN : RENDER_PLAIN, row);
		free(ev);
		free(acts);
	}
	render_table_end(r);
}

static void
team(struct render *r, const json_t *t)
{
	static const char *const titles[] = { "AUDITOR", "NAME", "ROLE",
	    "STATUS" };
	const json_t	*m;
	const char	*row[4];
	char		*p;
	size_t		 i;

	if (json_array_size(json_object_get(t, "members")) == 0)
		render_par(r, "No audit team.");
	else {
		render_table_begin(r, 4, titles, NULL);
		json_array_foreach(json_object_get(t, "members"), i, m) {
			row[0] = render_str(m, "auditor");
			row[1] = render_str(m, "name");
			row[2] = render_str(m, "role");
			row[3] = render_str(m, "status");
			render_row(r, RENDER_PLAIN, row);
		}
		render_table_end(r);
	}
	p = render_join(json_object_get(t, "participants"), ", ");
	render_field(r, "Participants", p);
	free(p);
}

/* The systemic flags: each a possible major nonconformity. */
static void
systemic(struct render *r, const json_t *flags)
{
	const json_t	*s;
	json_int_t	 n;
	char		*ids;
	size_t		 i;

	if (json_array_size(flags) == 0)
		return;
	render_list_begin(r, RENDER_WARN, "Systemic: minor nonconformities "
	    "that together may be a major one (ISO/IEC 17021-1)");
	json_array_foreach(flags, i, s) {
		n = json_integer_value(json_object_get(s, "minor_count"));
		ids = render_join(json_object_get(s, "findings"), ", ");
		render_itemf(r, "possible major nonconformity: %"
		    JSON_INTEGER_FORMAT " minor nonconformit%s against %s%s%s%s",
		    n, n == 1 ? "y" : "ies", render_str(s, "criterion") ?
		    render_str(s, "criterion") : "?", ids && ids[0] ?
		    " (findings " : "", ids ? ids : "", ids && ids[0] ?
		    ")" : "");
		free(ids);
	}
	render_list_end(r);
}

int
render_audit_report(FILE *fp, enum render_format f, const json_t *doc,
    int utf8)
{
	const json_t	*items = json_object_get(doc, "items"), *it, *v;
	const json_t	*missing = json_object_get(doc, "missing");
	const char	*audit = render_str(doc, "audit");
	struct render	*r;
	char		*title, *s;
	size_t		 i;

	if (audit == NULL || !json_is_object(items) ||
	    !json_is_array(missing) || !json_is_boolean(json_object_get(doc,
	    "complete")))
		return RENDER_MALFORMED;
	if (asprintf(&title, "Audit report: %s", audit) == -1)
		return -1;
	r = render_begin(fp, f, title, utf8);
	free(title);
	if (r == NULL)
		return -1;

	render_field(r, "Audit", audit);
	render_field(r, "As of", render_str(doc, "as_of"));
	render_field(r, "Issued", render_str(doc, "issued") ? render_str(doc,
	    "issued") : "not issued");
	if (!json_is_true(json_object_get(doc, "complete"))) {
		render_list_begin(r, RENDER_BAD, "Incomplete: the report cannot "
		    "be issued until these items are filled in");
		json_array_foreach(missing, i, v)
			render_item(r, item_title(json_string_value(v)));
		if (json_array_size(missing) == 0)
			render_item(r, "(the server named none)");
		render_list_end(r);
	}
	systemic(r, json_object_get(doc, "systemic"));

	if ((v = json_object_get(doc, "summary")) != NULL &&
	    json_is_string(v)) {
		render_heading(r, 2, "Summary");
		render_par(r, json_string_value(v));
	}
	for (i = 0; i < NITEMS; i++) {
		it = json_object_get(items, report_items[i].name);
		render_heading(r, 2, report_items[i].title);
		switch (i) {
		case 0:		/* objectives */
		case 5:		/* criteria */
			render_strings(r, it);
			break;
		case 1:
			render_field(r, "Auditee", render_str(it, "auditee"));
			render_field(r, "Scope", render_str(it, "scope"));
			break;
		case 2:
			render_field(r, "Programme", render_str(it,
			    "programme"));
			render_field(r, "Title", render_str(it, "title"));
			render_field(r, "Manager", render_str(it, "manager"));
			break;
		case 3:
			team(r, it);
			break;
		case 4:
			render_field(r, "Start", render_str(it, "start"));
			render_field(r, "End", render_str(it, "end"));
			render_field(r, "Method", render_str(it, "method"));
			s = render_join(json_object_get(it, "locations"), "; ");
			render_field(r, "Locations", s);
			free(s);
			break;
		case 6:
			findings(r, doc, it);
			break;
		default:
			text_or_missing(r, it);
			break;
		}
	}
	if ((v = json_object_get(doc, "recommendations")) != NULL &&
	    json_is_string(v)) {
		render_heading(r, 2, "Recommendations");
		render_par(r, json_string_value(v));
	}
	if (json_array_size(json_object_get(doc, "distribution")) > 0) {
		render_heading(r, 2, "Distribution");
		render_strings(r, json_object_get(doc, "distribution"));
	}
	return render_end(r);
}
