/*
 * cmd-auditor.c: `auditorctl auditor ...`: auditor profiles (/v1/auditors).
 * Fields, choices, required fields and filters come from
 * auditor.schema.json; here are only the verbs, --language for the
 * languages list, and the columns of a list.
 */
#include "cmd.h"
#include "request.h"

static const struct output_column auditor_columns[] = {
	{ "ID", "id", 0 },
	{ "NAME", "name", OUTPUT_TRUNC },
	{ "UNIT", "unit", OUTPUT_TRUNC },
	{ "EMAIL", "email", OUTPUT_TRUNC },
	{ "STATUS", "status", 0 },
	{ "LANGUAGES", "languages", 0 },
};

/* One language per --language, as people say it. */
static const struct cmd_field auditor_fields[] = {
	{ .name = "languages", .opt = "language", .arg = "LANG" },
	{ .name = NULL }
};

static int
auditor_retire(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "retire", 1);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb auditor_verbs[] = {
	REQUEST_ADD("Add an auditor profile."),
	REQUEST_DELETE("Delete an auditor no record refers to (retire "
	    "otherwise)."),
	REQUEST_EDIT("Change an auditor's fields (a merge patch)."),
	REQUEST_LIST("List auditors."),
	{ .name = "retire", .args = "ID", .nargs = 1, .help = "Set an "
	    "auditor's status to retired.", .opts = request_change_opts,
	    .exec = auditor_retire },
	REQUEST_SHOW("Show one auditor."),
};

const struct cmd_entry cmd_auditor_entry = {
	.name = "auditor",
	.help = "Auditor profiles.",
	.verbs = auditor_verbs,
	.nverbs = sizeof auditor_verbs / sizeof *auditor_verbs,
	.collection = "auditors",
	.type = "auditor",
	.fields = auditor_fields,
	.columns = auditor_columns,
	.ncolumns = sizeof auditor_columns / sizeof *auditor_columns,
};
