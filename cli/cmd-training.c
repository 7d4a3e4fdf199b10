/*
 * cmd-training.c: `auditorctl training ...`: the trainings an auditor took
 * and their hours (/v1/trainings); verified CPD hours count. Fields,
 * choices, required fields and filters come from training.schema.json;
 * here are the verbs (verify: HR's), --auditor and --area spelled for
 * people, --no-cpd (cpd defaults to true), --from/--to on the training's
 * date, and the columns of a list. Two decimals of --hours at most is the
 * server's rule, not restated here.
 */
#include "cmd.h"
#include "request.h"

static const struct output_column training_columns[] = {
	{ "ID", "id", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "DATE", "date", 0 },
	{ "HOURS", "hours", OUTPUT_RIGHT },
	{ "CPD", "cpd", 0 },
	{ "VERIFIED", "verified", 0 },
	{ "TITLE", "title", OUTPUT_TRUNC },
};

static const struct cmd_field training_fields[] = {
	{ .name = "auditor", .arg = "ID" },
	{ .name = "areas", .opt = "area", .arg = "AREA" },
	{ .name = "cpd", .flags = CMD_FIELD_NEGATE },
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("trainings dated"),
	{ .name = NULL }
};

static int
training_verify(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "verify", 1);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb training_verbs[] = {
	REQUEST_ADD("Add a training (unverified unless HR says --verified)."),
	REQUEST_DELETE("Delete a training."),
	REQUEST_EDIT("Change a training's fields (a merge patch)."),
	REQUEST_LIST_DATED("List trainings.", list_opts),
	REQUEST_SHOW("Show one training."),
	{ .name = "verify", .args = "ID", .nargs = 1, .help = "Mark a "
	    "training verified against its evidence (HR).",
	    .opts = request_change_opts, .exec = training_verify },
};

const struct cmd_entry cmd_training_entry = {
	.name = "training",
	.help = "Trainings and their hours (CPD).",
	.verbs = training_verbs,
	.nverbs = sizeof training_verbs / sizeof *training_verbs,
	.collection = "trainings",
	.type = "training",
	.fields = training_fields,
	.columns = training_columns,
	.ncolumns = sizeof training_columns / sizeof *training_columns,
};
