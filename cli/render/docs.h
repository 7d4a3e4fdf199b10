/*
 * docs.h: the documents auditorctl draws for people from the server's
 * JSON, each through the document model of render.h in any of its
 * formats: the audit plan (plan.c), the audit report (audit-report.c),
 * the programme dashboard with its timeline and calendar (programme.c),
 * the competence heatmap (matrix.c) and the overdue actions
 * (programme.c). Each returns 0, -1 when the output could not be written,
 * or RENDER_MALFORMED (nothing written) when doc is not what the server
 * promises (its schema in schemas/).
 */
#ifndef RENDER_DOCS_H
#define RENDER_DOCS_H

#include <stdio.h>

#include <jansson.h>

#include "render/render.h"

#define RENDER_MALFORMED	(-2)

/*
 * The plan of audit (an audit record, audit.schema.json); team is an
 * array of {"auditor", "name" (string or null), "role", "status"}, the
 * audit's assignments that stand (not withdrawn).
 */
int	render_audit_plan(FILE *, enum render_format, const json_t *audit,
	    const json_t *team, int utf8);

/* GET /v1/audits/{id}/report (audit-report.schema.json). */
int	render_audit_report(FILE *, enum render_format, const json_t *doc,
	    int utf8);

/* GET /v1/reports/programme/{id} (programme-report.schema.json). */
int	render_programme(FILE *, enum render_format, const json_t *doc,
	    int utf8);

/*
 * The audits as a month calendar for a terminal: per month of from..to,
 * a line of day numbers and a line per audit running that month, a mark
 * on each of its days. Malloc'd; NULL if out of memory or the dates are
 * not dates.
 */
char	*render_calendar(const json_t *audits, const char *from,
	    const char *to, int utf8);

/* GET /v1/reports/matrix as a heatmap (Markdown: a table of levels). */
int	render_matrix(FILE *, enum render_format, const json_t *doc,
	    int utf8);

/* The human name of a finding type ("minor nonconformity"). */
const char	*render_finding_type(const char *, int plural);

/* Helpers the documents share (render.c). */
const char	*render_str(const json_t *, const char *key);
/* The strings of array a as a list, or "Not stated." when there are none. */
void		 render_strings(struct render *, const json_t *a);
/* The strings of array a joined by sep; malloc'd ("" for none). */
char		*render_join(const json_t *a, const char *sep);

#endif
