/*
 * report.c: the daemon's reports for a person and for a spreadsheet
 * (report.h). Each report is two column lists over the items the server
 * answered, one for the table (numbers, days and counts spelled for
 * reading) and one for CSV (the values as they are); the matrix, whose
 * columns are the areas the server names, is made here cell by cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "render/docs.h"
#include "report.h"
#include "request.h"

#define CELL_MAX	256	/* a table cell this file spells */

/* One column: the item's member and, for a table, how it reads. */
struct report_col {
	const char	*title;		/* the table's heading */
	const char	*field;		/* the item's member; CSV heading */
	int		 flags;		/* OUTPUT_TRUNC, OUTPUT_RIGHT */
	/* The table's text of the member (NULL: output_text's). */
	void		(*fmt)(const json_t *, char *, size_t);
};

/* 18.5, 20: hours as people write them; "" when no number. */
static void
fmt_hours(const json_t *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (json_is_number(v))
		output_number(json_number_value(v), buf, len);
}

/* How many: the evidence behind a figure. */
static void
fmt_count(const json_t *v, char *buf, size_t len)
{
	snprintf(buf, len, "%zu", json_array_size(v));
}

/* Days from the report's day: "in 41 days", "today", "3 days ago". */
static void
fmt_when(const json_t *v, char *buf, size_t len)
{
	json_int_t	d = json_integer_value(v);

	if (!json_is_integer(v))
		buf[0] = '\0';
	else if (d == 0)
		snprintf(buf, len, "today");
	else
		snprintf(buf, len, "%s%" JSON_INTEGER_FORMAT " day%s%s",
		    d > 0 ? "in " : "", d > 0 ? d : -d, d == 1 || d == -1 ?
		    "" : "s", d < 0 ? " ago" : "");
}

static const struct report_col cpd_table[] = {
	{ "AUDITOR", "auditor", 0, NULL },
	{ "NAME", "name", OUTPUT_TRUNC, NULL },
	{ "HOURS", "hours", OUTPUT_RIGHT, fmt_hours },
	{ "MIN", "min_hours", OUTPUT_RIGHT, fmt_hours },
	{ "SHORTFALL", "shortfall", OUTPUT_RIGHT, fmt_hours },
	{ "TRAININGS", "evidence", OUTPUT_RIGHT, fmt_count },
	{ NULL, NULL, 0, NULL }
};
static const struct report_col cpd_csv[] = {
	{ NULL, "auditor", 0, NULL }, { NULL, "name", 0, NULL },
	{ NULL, "hours", 0, NULL }, { NULL, "min_hours", 0, NULL },
	{ NULL, "shortfall", 0, NULL }, { NULL, "evidence", 0, NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct report_col expiring_table[] = {
	{ "AUDITOR", "auditor", 0, NULL },
	{ "QUALIFICATION", "qualification", 0, NULL },
	{ "KIND", "kind", 0, NULL },
	{ "STANDARD", "standard", OUTPUT_TRUNC, NULL },
	{ "EXPIRES", "expires", 0, NULL },
	{ "WHEN", "days", 0, fmt_when },
	{ "STATE", "state", 0, NULL },
	{ NULL, NULL, 0, NULL }
};
static const struct report_col expiring_csv[] = {
	{ NULL, "qualification", 0, NULL }, { NULL, "auditor", 0, NULL },
	{ NULL, "kind", 0, NULL }, { NULL, "standard", 0, NULL },
	{ NULL, "expires", 0, NULL }, { NULL, "days", 0, NULL },
	{ NULL, "state", 0, NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct report_col due_table[] = {
	{ "AUDITOR", "auditor", 0, NULL },
	{ "NAME", "name", OUTPUT_TRUNC, NULL },
	{ "STATE", "state", 0, NULL },
	{ "LATEST", "latest", 0, NULL },
	{ "NEXT DUE", "next_due", 0, NULL },
	{ "WHEN", "days", 0, fmt_when },
	{ NULL, NULL, 0, NULL }
};
static const struct report_col due_csv[] = {
	{ NULL, "auditor", 0, NULL }, { NULL, "name", 0, NULL },
	{ NULL, "state", 0, NULL }, { NULL, "latest", 0, NULL },
	{ NULL, "next_due", 0, NULL }, { NULL, "days", 0, NULL },
	{ NULL, NULL, 0, NULL }
};

static const struct report_col overdue_table[] = {
	{ "ID", "id", 0, NULL },
	{ "AUDIT", "audit", 0, NULL },
	{ "FINDING", "finding", 0, NULL },
	{ "OWNER", "owner", OUTPUT_TRUNC, NULL },
	{ "DUE", "due", 0, NULL },
	{ "DAYS", "days", OUTPUT_RIGHT, NULL },
	{ NULL, NULL, 0, NULL }
};
static const struct report_col overdue_csv[] = {
	{ NULL, "id", 0, NULL }, { NULL, "audit", 0, NULL },
	{ NULL, "finding", 0, NULL }, { NULL, "owner", 0, NULL },
	{ NULL, "due", 0, NULL }, { NULL, "days", 0, NULL },
	{ NULL, "status", 0, NULL },
	{ NULL, NULL, 0, NULL }
};

/* A level's mark in a matrix cell; the legend lists them in order. */
struct mark {
	const char	*level;
	const char	*utf8;
	const char	*ascii;
};
static const struct mark marks[] = {
	{ "awareness", "\xe2\x97\x8b", "A" },		/* white circle */
	{ "competent", "\xe2\x97\x90", "C" },		/* half circle */
	{ "expert", "\xe2\x97\x8f", "E" },		/* black circle */
};
#define NMARKS		(sizeof marks / sizeof *marks)
#define MARK_NONE_UTF8	"\xc2\xb7"			/* middle dot */
#define MARK_NONE_ASCII	"."
#define MARK_UNKNOWN	"?"

/* The grid being made; its strings are malloc'd, titles included. */
struct grid {
	struct output_grid	 g;
	char			**titles;
	int			*flags;
	int			 oom;
};

static int
grid_init(struct grid *gr, size_t ncols, size_t nrows)
{
	memset(gr, 0, sizeof *gr);
	gr->g.ncols = ncols;
	gr->g.nrows = nrows;
	if ((gr->titles = calloc(ncols + 1, sizeof *gr->titles)) == NULL ||
	    (gr->flags = calloc(ncols + 1, sizeof *gr->flags)) == NULL ||
	    (gr->g.cells = calloc(ncols * nrows + 1,
	    sizeof *gr->g.cells)) == NULL)
		gr->oom = 1;
	gr->g.titles = (const char **)gr->titles;
	gr->g.flags = gr->flags;
	return gr->oom ? -1 : 0;
}

/* Store s (copied) as a title (row -1) or a cell; "" for NULL. */
static void
grid_set(struct grid *gr, long row, size_t col, const char *s)
{
	char	**at = row < 0 ? &gr->titles[col] :
		    &gr->g.cells[(size_t)row * gr->g.ncols + col];

	if (gr->oom)
		return;
	free(*at);
	if ((*at = strdup(s ? s : "")) == NULL)
		gr->oom = 1;
}

/* Takes s (NULL: out of memory). */
static void
grid_take(struct grid *gr, long row, size_t col, char *s)
{
	if (s == NULL)
		gr->oom = 1;
	grid_set(gr, row, col, s);
	free(s);
}

static void
grid_free(struct grid *gr)
{
	size_t	i;

	for (i = 0; gr->titles != NULL && i < gr->g.ncols; i++)
		free(gr->titles[i]);
	for (i = 0; gr->g.cells != NULL && i < gr->g.ncols * gr->g.nrows; i++)
		free(gr->g.cells[i]);
	free(gr->titles);
	free(gr->flags);
	free(gr->g.cells);
	memset(gr, 0, sizeof *gr);
}

/* The grid of a report with fixed columns. */
static int
grid_columns(struct grid *gr, const struct report_col *cols, int csv,
    const json_t *items)
{
	const json_t	*item;
	char		 buf[CELL_MAX];
	size_t		 n, c, r;

	for (n = 0; cols[n].field != NULL; n++)
		;
	if (grid_init(gr, n, json_array_size(items)) == -1)
		return -1;
	for (c = 0; c < n; c++) {
		grid_set(gr, -1, c, csv ? cols[c].field : cols[c].title);
		gr->flags[c] = cols[c].flags;
	}
	json_array_foreach(items, r, item)
		for (c = 0; c < n; c++) {
			if (!csv && cols[c].fmt != NULL) {
				cols[c].fmt(json_object_get(item,
				    cols[c].field), buf, sizeof buf);
				grid_set(gr, (long)r, c, buf);
			} else
				grid_take(gr, (long)r, c, output_text(
				    json_object_get(item, cols[c].field), 0));
		}
	return gr->oom ? -1 : 0;
}

/* What a matrix cell shows: a mark for a person, the level's name in CSV. */
static const char *
matrix_cell(const json_t *cell, int csv, int utf8)
{
	const char	*level = json_string_value(json_object_get(cell,
			    "level"));
	size_t		 i;

	if (csv)
		return level ? level : "";
	if (level == NULL)
		return utf8 ? MARK_NONE_UTF8 : MARK_NONE_ASCII;
	for (i = 0; i < NMARKS; i++)
		if (strcmp(level, marks[i].level) == 0)
			return utf8 ? marks[i].utf8 : marks[i].ascii;
	return MARK_UNKNOWN;
}

/* Auditors down, areas across. */
static int
grid_matrix(struct grid *gr, const json_t *doc, int csv, int utf8)
{
	const json_t	*areas = json_object_get(doc, "areas");
	const json_t	*items = json_object_get(doc, "items"), *item, *cells;
	size_t		 na = json_array_size(areas), r, c;

	if (grid_init(gr, na + 2, json_array_size(items)) == -1)
		return -1;
	grid_set(gr, -1, 0, csv ? "auditor" : "AUDITOR");
	grid_set(gr, -1, 1, csv ? "name" : "NAME");
	gr->flags[1] = OUTPUT_TRUNC;
	for (c = 0; c < na; c++)
		grid_set(gr, -1, c + 2, json_string_value(json_array_get(areas,
		    c)));
	json_array_foreach(items, r, item) {
		grid_set(gr, (long)r, 0, json_string_value(json_object_get(item,
		    "auditor")));
		grid_set(gr, (long)r, 1, json_string_value(json_object_get(item,
		    "name")));
		cells = json_object_get(item, "cells");
		for (c = 0; c < na; c++)
			grid_set(gr, (long)r, c + 2, matrix_cell(json_object_get(
			    cells, json_string_value(json_array_get(areas, c))),
			    csv, utf8));
	}
	return gr->oom ? -1 : 0;
}

/* The doc's member key as safe text for a line of ours, "?" if none. */
static const char *
member(const json_t *doc, const char *key, char *buf, size_t len)
{
	char	*t = output_text(json_object_get(doc, key), 0);

	snprintf(buf, len, "?");
	if (t != NULL && t[0] != '\0')
		request_safe(t, buf, len);
	free(t);
	return buf;
}

/* The line above a table: what it shows. */
static void
headline(FILE *fp, enum report_kind kind, const json_t *doc)
{
	char	a[64], b[64], c[64];

	switch (kind) {
	case REPORT_CPD:
		fmt_hours(json_object_get(doc, "min_hours"), c, sizeof c);
		fprintf(fp, "Verified CPD hours from %s to %s; %s h needed.\n",
		    member(doc, "from", a, sizeof a), member(doc, "to", b,
		    sizeof b), c[0] ? c : "?");
		break;
	case REPORT_EXPIRING:
		fprintf(fp, "Qualifications expired or expiring within %s days "
		    "of %s.\n", member(doc, "within", a, sizeof a), member(doc,
		    "on", b, sizeof b));
		break;
	case REPORT_EVALUATIONS_DUE:
		fprintf(fp, "Evaluations missing, overdue or due within %s days "
		    "of %s.\n", member(doc, "within", a, sizeof a), member(doc,
		    "on", b, sizeof b));
		break;
	case REPORT_MATRIX:
		fprintf(fp, "Competence levels found by evaluation, on %s.\n",
		    member(doc, "on", a, sizeof a));
		break;
	case REPORT_ACTIONS_OVERDUE:
		fprintf(fp, "Corrective actions past their due date on %s "
		    "(DAYS: days late).\n", member(doc, "as_of", a, sizeof a));
		break;
	}
}

static void
legend(FILE *fp, int utf8)
{
	size_t	i;

	for (i = 0; i < NMARKS; i++)
		fprintf(fp, "%s%s %s", i ? "  " : "", utf8 ? marks[i].utf8 :
		    marks[i].ascii, marks[i].level);
	fprintf(fp, "  %s not assessed\n", utf8 ? MARK_NONE_UTF8 :
	    MARK_NONE_ASCII);
}

int
report_print(FILE *fp, enum report_kind kind, const struct output *out,
    const json_t *doc, int utf8, int decorate)
{
	static const struct report_col *const tables[] = {
		[REPORT_CPD] = cpd_table,
		[REPORT_EVALUATIONS_DUE] = due_table,
		[REPORT_EXPIRING] = expiring_table,
		[REPORT_ACTIONS_OVERDUE] = overdue_table,
	};
	static const struct report_col *const csvs[] = {
		[REPORT_CPD] = cpd_csv,
		[REPORT_EVALUATIONS_DUE] = due_csv,
		[REPORT_EXPIRING] = expiring_csv,
		[REPORT_ACTIONS_OVERDUE] = overdue_csv,
	};
	const json_t	*items = json_object_get(doc, "items");
	struct grid	 gr;
	int		 csv = out == &output_csv, rc;

	if (!json_is_array(items) || (kind == REPORT_MATRIX &&
	    !json_is_array(json_object_get(doc, "areas"))))
		return REPORT_MALFORMED;
	if (out == &output_json)
		return out->show(fp, doc);
	rc = kind == REPORT_MATRIX ? grid_matrix(&gr, doc, csv, utf8) :
	    grid_columns(&gr, csv ? csvs[kind] : tables[kind], csv, items);
	if (rc == 0) {
		decorate = decorate && !csv;
		if (decorate)
			headline(fp, kind, doc);
		if (decorate && gr.g.nrows == 0)
			fprintf(fp, "None.\n");
		else
			rc = output_grid_write(out, fp, &gr.g);
		if (rc == 0 && decorate && kind == REPORT_MATRIX)
			legend(fp, utf8);
	}
	grid_free(&gr);
	return rc == 0 && !ferror(fp) ? 0 : -1;
}

int
report_format(struct cmd_ctx *ctx, const struct cmd_args *a,
    enum render_format *f)
{
	const char	*fmt = cmd_arg(a, "format");

	if (render_format_parse(fmt, f) == -1)
		return cmd_usage_error(a->entry, a->verb, "--format: '%s' is "
		    "none of md, html", fmt);
	if (fmt != NULL && ctx->out != &output_table)
		return cmd_usage_error(a->entry, a->verb, "--format %s and "
		    "--%s: give one", fmt, ctx->out->name);
	return 0;
}

int
report_rendered(struct cmd_ctx *ctx, int rc, const char *what)
{
	if (rc == RENDER_MALFORMED) {
		log_warnx("malformed answer from %s: not %s", ctx->server,
		    what);
		return CMD_SERVER;
	}
	if (rc != 0) {
		log_warnx("cannot write the output");
		return CMD_SERVER;
	}
	return CMD_OK;
}
