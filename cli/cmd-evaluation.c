/*
 * cmd-evaluation.c: `auditorctl evaluation ...`: evaluations of an
 * auditor's competence (/v1/evaluations). Fields, choices, required fields
 * and filters come from evaluation.schema.json; here are the verbs,
 * --assessed AREA:LEVEL for the list of assessed areas (objects, which get
 * no generated option), --from/--to on the evaluation's date, and the
 * columns of a list.
 */
#include "cmd.h"
#include "levels.h"
#include "request.h"

#define ASSESSED	"assessed"

static const struct output_column evaluation_columns[] = {
	{ "ID", "id", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "DATE", "date", 0 },
	{ "METHOD", "method", 0 },
	{ "RESULT", "result", 0 },
	{ "NEXT DUE", "next_due", 0 },
	{ "AREAS", ASSESSED, OUTPUT_COUNT },
	{ "EVALUATOR", "evaluator", OUTPUT_TRUNC },
};

static const struct cmd_field evaluation_fields[] = {
	{ .name = "auditor", .arg = "ID" },
	{ .name = "next_due", .arg = "DATE" },
	{ .name = NULL }
};

#define ASSESSED_HELP	"An area assessed and the level found in it, such "  \
	"as isms-standards:expert (the levels are the schema's); repeat for "  \
	"each area."

static const struct cmd_opt add_opts[] = {
	{ .name = ASSESSED, .arg = "AREA:LEVEL", .flags = CMD_OPT_REPEAT,
	    .help = ASSESSED_HELP },
	{ .name = NULL }
};

static const struct cmd_opt edit_opts[] = {
	{ .name = ASSESSED, .arg = "AREA:LEVEL", .flags = CMD_OPT_REPEAT,
	    .help = ASSESSED_HELP " Replaces the whole list; '' removes it." },
	REQUEST_IF_MATCH_OPT,
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("evaluations dated"),
	{ .name = NULL }
};

static int
evaluation_fill(json_t *body, const struct cmd_args *a, int patch)
{
	return levels_fill(body, a, patch, ASSESSED, ASSESSED);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb evaluation_verbs[] = {
	{ .name = "add", .help = "Record an evaluation of an auditor.",
	    .opts = add_opts, .gen = CMD_GEN_ADD, .exec = request_add },
	REQUEST_DELETE("Delete an evaluation."),
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change an "
	    "evaluation's fields (a merge patch).", .opts = edit_opts,
	    .gen = CMD_GEN_EDIT, .exec = request_edit },
	REQUEST_LIST_DATED("List evaluations.", list_opts),
	REQUEST_SHOW("Show one evaluation."),
};

const struct cmd_entry cmd_evaluation_entry = {
	.name = "evaluation",
	.help = "Evaluations of auditors' competence.",
	.verbs = evaluation_verbs,
	.nverbs = sizeof evaluation_verbs / sizeof *evaluation_verbs,
	.collection = "evaluations",
	.type = "evaluation",
	.fields = evaluation_fields,
	.columns = evaluation_columns,
	.ncolumns = sizeof evaluation_columns / sizeof *evaluation_columns,
	.fill = evaluation_fill,
};
