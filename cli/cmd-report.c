/*
 * cmd-report.c: `auditorctl report ...`: what the daemon computes over
 * every auditor (/v1/reports/...): CPD hours in a window, qualifications
 * expired or expiring, evaluations missing or due, the competence matrix.
 * Tables for a person, --csv for a spreadsheet, --json as the server
 * answered (report.c draws them); the corrective actions overdue. And the
 * documents (cli/render/, --format md|html): an audit's report
 * (/v1/audits/{id}/report), a programme's dashboard
 * (/v1/reports/programme/{id}) and the matrix as a heatmap.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "render/docs.h"
#include "report.h"
#include "request.h"

/* A window a report looks ahead: ten years is more than any policy. */
#define WITHIN_MAX	3660L

static const struct cmd_opt cpd_opts[] = {
	{ .name = "from", .arg = "DATE", .flags = CMD_OPT_REQUIRED |
	    CMD_OPT_DATE, .help = "The window's first day." },
	{ .name = "to", .arg = "DATE", .flags = CMD_OPT_REQUIRED |
	    CMD_OPT_DATE, .help = "The window's last day." },
	{ .name = NULL }
};

static const struct cmd_opt within_opts[] = {
	{ .name = "within", .arg = "N", .help = "Look N days ahead (0-3660; "
	    "default: the server's)." },
	{ .name = NULL }
};

/* GET /reports/NAME with the query in path, printed as kind. */
static int
report_run(struct cmd_ctx *ctx, const char *path, enum report_kind kind)
{
	json_t	*doc = NULL;
	int	 rc;

	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &doc)) != 0)
		return rc;
	if ((rc = report_print(ctx->fp, kind, ctx->out, doc, output_utf8(),
	    isatty(fileno(ctx->fp)))) == REPORT_MALFORMED) {
		log_warnx("malformed answer from %s: not a report", ctx->server);
		rc = CMD_SERVER;
	} else if (rc == -1) {
		log_warnx("cannot write the output");
		rc = CMD_SERVER;
	}
	json_decref(doc);
	return rc;
}

static int
report_cpd(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char	*from = cmd_arg(a, "from"), *to = cmd_arg(a, "to");
	char		 path[128] = "/reports/cpd";

	/* Dates (check_values): as strings they sort as days. */
	if (strcmp(from, to) > 0)
		return cmd_usage_error(a->entry, a->verb, "--from %s is after "
		    "--to %s", from, to);
	request_query_add(path, sizeof path, "from", from);
	request_query_add(path, sizeof path, "to", to);
	return report_run(ctx, path, REPORT_CPD);
}

/* A report that looks --within N days ahead. */
static int
report_within(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *name, enum report_kind kind)
{
	char	path[128], n[24];
	long	within = -1;
	int	rc;

	if ((rc = cmd_arg_long(a, "within", 0, WITHIN_MAX, &within)) != 0)
		return rc;
	snprintf(path, sizeof path, "/reports/%s", name);
	if (within >= 0) {
		snprintf(n, sizeof n, "%ld", within);
		request_query_add(path, sizeof path, "within", n);
	}
	return report_run(ctx, path, kind);
}

static int
report_expiring(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return report_within(ctx, a, "expiring", REPORT_EXPIRING);
}

static int
report_due(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return report_within(ctx, a, "evaluations-due",
	    REPORT_EVALUATIONS_DUE);
}

static const struct cmd_opt format_opts[] = {
	REPORT_FORMAT_OPT,
	{ .name = NULL }
};

/* A document: GET path, drawn by fn as --format says (--json: as is). */
static int
report_doc(struct cmd_ctx *ctx, const struct cmd_args *a, const char *path,
    int (*fn)(FILE *, enum render_format, const json_t *, int),
    const char *what)
{
	enum render_format	 f;
	json_t			*doc = NULL;
	int			 rc;

	if ((rc = report_format(ctx, a, &f)) != 0)
		return rc;
	if (ctx->out == &output_csv)
		return cmd_usage_error(a->entry, a->verb, "--csv: '%s %s' "
		    "prints no table; use --json or --format",
		    a->entry->name, a->verb->name);
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &doc)) != 0)
		return rc;
	if (ctx->out == &output_json)
		rc = request_print(ctx, doc);
	else
		rc = report_rendered(ctx, fn(ctx->fp, f, doc, output_utf8()),
		    what);
	json_decref(doc);
	return rc;
}

static int
report_matrix(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	enum render_format	f;
	int			rc;

	if ((rc = report_format(ctx, a, &f)) != 0)
		return rc;
	if (f == RENDER_TEXT)
		return report_run(ctx, "/reports/matrix", REPORT_MATRIX);
	return report_doc(ctx, a, "/reports/matrix", render_matrix,
	    "a competence matrix");
}

static int
report_audit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	path[256];
	int	rc;

	if ((rc = cmd_record_path(a, path, sizeof path, "audits", a->argv[0],
	    "report")) != 0)
		return rc;
	return report_doc(ctx, a, path, render_audit_report,
	    "an audit report");
}

static int
report_programme(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	path[256];
	int	rc;

	if ((rc = cmd_record_path(a, path, sizeof path, "reports/programme",
	    a->argv[0], NULL)) != 0)
		return rc;
	return report_doc(ctx, a, path, render_programme,
	    "a programme dashboard");
}

static int
report_overdue(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	(void)a;
	return report_run(ctx, "/reports/actions-overdue",
	    REPORT_ACTIONS_OVERDUE);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb report_verbs[] = {
	{ .name = "actions-overdue", .help = "Corrective actions past their "
	    "due date.", .exec = report_overdue },
	{ .name = "audit", .args = "ID", .nargs = 1, .help = "An audit's "
	    "report (ISO 19011 6.5.1), item by item.", .opts = format_opts,
	    .exec = report_audit },
	{ .name = "cpd", .help = "Verified CPD hours per auditor in a window, "
	    "shortfalls first.", .opts = cpd_opts, .exec = report_cpd },
	{ .name = "evaluations-due", .help = "Auditors never evaluated, "
	    "overdue, or due within N days.", .opts = within_opts,
	    .exec = report_due },
	{ .name = "expiring", .help = "Qualifications expired or expiring "
	    "within N days.", .opts = within_opts, .exec = report_expiring },
	{ .name = "matrix", .help = "Auditors by competence areas: the level "
	    "evaluated in each.", .opts = format_opts, .exec = report_matrix },
	{ .name = "programme", .args = "ID", .nargs = 1, .help = "A "
	    "programme's dashboard: audits by month, findings, actions.",
	    .opts = format_opts, .exec = report_programme },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.help = "Reports: CPD, expiry, evaluations, matrix, audits, "
	    "programmes, overdue actions.",
	.verbs = report_verbs,
	.nverbs = sizeof report_verbs / sizeof *report_verbs,
};
