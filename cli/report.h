/*
 * report.h: the reports the daemon computes (/v1/reports/...) as tables
 * for a person and CSV for a spreadsheet: CPD hours against the minimum,
 * qualifications expired or expiring, evaluations missing or due, and
 * the competence matrix of auditors by areas.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "output.h"

enum report_kind {
	REPORT_CPD = 0,
	REPORT_EVALUATIONS_DUE,
	REPORT_EXPIRING,
	REPORT_MATRIX
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

#endif
