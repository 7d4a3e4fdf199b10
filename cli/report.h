/*
 * report.h: the reports the daemon computes (/v1/reports/...) as tables
 * for a person and CSV for a spreadsheet: CPD hours against the minimum,
 * qualifications expired or expiring, evaluations missing or due, and
 * the competence matrix of auditors by areas, the corrective actions
 * overdue; and what the documents of cli/render/ need of a command.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "output.h"
#include "render/render.h"

enum report_kind {
	REPORT_CPD = 0,
	REPORT_EVALUATIONS_DUE,
	REPORT_EXPIRING,
	REPORT_MATRIX,
	REPORT_ACTIONS_OVERDUE
};

#define REPORT_MALFORMED	(-2)

/*
 * Write report doc (the answer of /v1/reports/<kind>) with out:
 * output_table draws a table, its numbers, days and levels spelled for a
 * person (a matrix cell is a level's mark), output_csv writes the values
 * as they are (days as numbers, levels by name); output_json the document
 * itself. With decorate (a terminal), a table has a line saying what it
 * shows above it and, for the matrix, the legend of the marks below.
 * utf8 picks the marks (UTF-8 or ASCII). The server's text is written with
 * control characters escaped, and CSV cells neutralised for spreadsheets
 * (output_csv_safe). Returns 0, -1 when the output could not be made
 * (out of memory) or written, or
 * REPORT_MALFORMED (nothing written) when doc has no "items" array (the
 * matrix: or no "areas" array).
 */
int	report_print(FILE *, enum report_kind, const struct output *out,
	    const json_t *doc, int utf8, int decorate);

struct cmd_ctx;
struct cmd_args;

/*
 * The --format of a verb that draws a document (render.h) into *f:
 * RENDER_TEXT when not given. --format with --json or --csv, or --csv
 * where the document has no rows, is a usage error: returns CMD_USAGE
 * after a message, else 0.
 */
int	report_format(struct cmd_ctx *, const struct cmd_args *,
	    enum render_format *);

/*
 * The exit code of a document's renderer (render/docs.h) after a message:
 * 0, CMD_SERVER for a malformed answer or output not written.
 */
int	report_rendered(struct cmd_ctx *, int rc, const char *what);

/* The --format option of such verbs, for their option tables. */
#define REPORT_FORMAT_OPT						\
	{ .name = "format", .arg = "FORMAT", .choices = render_format_names,\
	    .help = "A document instead of the terminal view: md "	\
	    "(Markdown) or html (one self-contained page)." }

#endif
