/*
 * cmd-auditor.c: `auditorctl auditor ...`: auditor profiles (/v1/auditors).
 * Fields, choices, required fields and filters come from
 * auditor.schema.json; here are only the verbs (status: what the server
 * judges of the auditor's competence, drawn for a person), --language for
 * the languages list, the person's export and erasure (personal data
 * requests), and the columns of a list.
 */
#include "cmd.h"
#include "log.h"
#include "request.h"
#include "status.h"

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

static const struct cmd_opt status_opts[] = {
	{ .name = "on", .arg = "DATE", .flags = CMD_OPT_DATE,
	    .help = "The status on DATE (default: the server's today)." },
	{ .name = NULL }
};

static int
auditor_status(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	 path[256];
	json_t	*doc = NULL;
	int	 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], "status")) != 0)
		return rc;
	/* A date (check_values) always fits. */
	if (cmd_arg(a, "on") != NULL)
		request_query_add(path, sizeof path, "on", cmd_arg(a, "on"));
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &doc)) == 0)
		rc = status_show(ctx, doc);
	json_decref(doc);
	return rc;
}

static int
auditor_retire(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "retire", 1);
}

/* Everything the server holds about the person, as its one document. */
static int
auditor_export(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	 path[256];
	json_t	*doc = NULL;
	int	 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], "export")) != 0)
		return rc;
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &doc)) == 0 &&
	    (json_dumpf(doc, ctx->fp, JSON_INDENT(2) | JSON_SORT_KEYS) != 0 ||
	    fputc('\n', ctx->fp) == EOF)) {
		log_warnx("cannot write the export");
		rc = CMD_SERVER;
	}
	json_decref(doc);
	return rc;
}

/* DELETE ?erase=true: the person's data gone, a tombstone in its place. */
static int
auditor_erase(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char	*coll;
	json_t		*doc = NULL, *n;
	char		 path[256];
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], NULL)) != 0)
		return rc;
	request_query_add(path, sizeof path, "erase", "true");
	if ((rc = request_call(ctx, "DELETE", path, NULL, NULL, &doc)) != 0)
		return rc;
	if (ctx->out == &output_json) {
		json_dumpf(doc, ctx->fp, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', ctx->fp);
	} else {
		fprintf(ctx->fp, "%s: personal data erased; removed", a->argv[0]);
		json_object_foreach(json_object_get(doc, "removed"), coll, n)
			fprintf(ctx->fp, " %lld %s", (long long)
			    json_integer_value(n), coll);
		fprintf(ctx->fp, "\n");
	}
	json_decref(doc);
	return CMD_OK;
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb auditor_verbs[] = {
	REQUEST_ADD("Add an auditor profile."),
	REQUEST_DELETE("Delete an auditor no record refers to (retire "
	    "otherwise)."),
	REQUEST_EDIT("Change an auditor's fields (a merge patch)."),
	{ .name = "erase", .args = "ID", .nargs = 1, .help = "Erase an "
	    "auditor's personal data, leaving a tombstone (admin).",
	    .exec = auditor_erase },
	{ .name = "export", .args = "ID", .nargs = 1, .help = "Print "
	    "everything held about an auditor as one JSON document.",
	    .exec = auditor_export },
	REQUEST_LIST("List auditors."),
	{ .name = "retire", .args = "ID", .nargs = 1, .help = "Set an "
	    "auditor's status to retired.", .opts = request_change_opts,
	    .exec = auditor_retire },
	REQUEST_SHOW("Show one auditor."),
	{ .name = "status", .args = "ID", .nargs = 1, .help = "Show whether "
	    "an auditor is fit to audit, and what stands in the way.",
	    .opts = status_opts, .exec = auditor_status },
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
