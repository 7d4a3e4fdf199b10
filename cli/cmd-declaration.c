/*
 * cmd-declaration.c: `auditorctl declaration ...`: conflict-of-interest
 * declarations (/v1/declarations). Fields, choices, required fields and
 * filters come from declaration.schema.json (--until '' on edit: the
 * interest goes on); here are the verbs, --from/--to on the declaration's
 * start, and the columns of a list.
 */
#include "cmd.h"
#include "request.h"

static const struct output_column declaration_columns[] = {
	{ "ID", "id", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "KIND", "kind", 0 },
	{ "FROM", "from", 0 },
	{ "UNTIL", "until", 0 },
	{ "PARTY", "party", OUTPUT_TRUNC },
};

static const struct cmd_field declaration_fields[] = {
	{ .name = "auditor", .arg = "ID" },
	{ .name = "from", .arg = "DATE" },
	{ .name = "until", .arg = "DATE" },
	{ .name = NULL }
};

/*
 * The list's --from and --to bound the field from; add's --from is that
 * field. Different verbs, so the names do not clash.
 */
static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("declarations that began"),
	{ .name = NULL }
};

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb declaration_verbs[] = {
	REQUEST_ADD("Declare an interest."),
	REQUEST_DELETE("Delete a declaration."),
	REQUEST_EDIT("Change a declaration's fields (a merge patch)."),
	REQUEST_LIST_DATED("List declarations.", list_opts),
	REQUEST_SHOW("Show one declaration."),
};

const struct cmd_entry cmd_declaration_entry = {
	.name = "declaration",
	.help = "Conflict-of-interest declarations.",
	.verbs = declaration_verbs,
	.nverbs = sizeof declaration_verbs / sizeof *declaration_verbs,
	.collection = "declarations",
	.type = "declaration",
	.fields = declaration_fields,
	.columns = declaration_columns,
	.ncolumns = sizeof declaration_columns / sizeof *declaration_columns,
};
