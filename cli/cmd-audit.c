/*
 * cmd-audit.c: `auditorctl audit ...`: the audits of a programme
 * (/v1/audits). Fields, choices, required fields and filters come from
 * audit.schema.json; here are the verbs, --require AREA:LEVEL for the
 * competence the team needs (objects, which get no generated option; as
 * an evaluation's --assessed), one objective and criterion per option,
 * --from/--to on the start date, and the columns of a list.
 */
#include "cmd.h"
#include "levels.h"
#include "request.h"

#define REQUIRED	"required"
#define REQUIRE		"require"

static const struct output_column audit_columns[] = {
	{ "ID", "id", 0 },
	{ "PROGRAMME", "programme", 0 },
	{ "TYPE", "type", 0 },
	{ "START", "start", 0 },
	{ "END", "end", 0 },
	{ "STATUS", "status", 0 },
	{ "AUDITEE", "auditee", OUTPUT_TRUNC },
};

static const struct cmd_field audit_fields[] = {
	{ .name = "programme", .arg = "ID" },
	{ .name = "objectives", .opt = "objective", .arg = "TEXT" },
	{ .name = "criteria", .opt = "criterion", .arg = "TEXT" },
	{ .name = "start", .arg = "DATE" },
	{ .name = "end", .arg = "DATE" },
	{ .name = "language", .arg = "TAG" },
	{ .name = "min_team_size", .arg = "N" },
	{ .name = NULL }
};

#define REQUIRE_HELP	"An area the team needs and the level, such as "     \
	"isms-standards:competent (the levels are the schema's); repeat for "  \
	"each area."

static const struct cmd_opt add_opts[] = {
	{ .name = REQUIRE, .arg = "AREA:LEVEL", .flags = CMD_OPT_REPEAT,
	    .help = REQUIRE_HELP },
	{ .name = NULL }
};

static const struct cmd_opt edit_opts[] = {
	REQUEST_IF_MATCH_OPT,
	{ .name = REQUIRE, .arg = "AREA:LEVEL", .flags = CMD_OPT_REPEAT,
	    .help = REQUIRE_HELP " Replaces the whole list; '' removes it." },
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("audits starting"),
	{ .name = NULL }
};

static int
audit_fill(json_t *body, const struct cmd_args *a, int patch)
{
	return levels_fill(body, a, patch, REQUIRE, REQUIRED);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb audit_verbs[] = {
	{ .name = "add", .help = "Add an audit to a programme.",
	    .opts = add_opts, .gen = CMD_GEN_ADD, .exec = request_add },
	REQUEST_DELETE("Delete an audit."),
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change an "
	    "audit's fields (a merge patch).", .opts = edit_opts,
	    .gen = CMD_GEN_EDIT, .exec = request_edit },
	REQUEST_LIST_DATED("List audits.", list_opts),
	REQUEST_SHOW("Show one audit."),
};

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.help = "The audits of a programme: auditee, dates, competence.",
	.verbs = audit_verbs,
	.nverbs = sizeof audit_verbs / sizeof *audit_verbs,
	.collection = "audits",
	.type = "audit",
	.fields = audit_fields,
	.columns = audit_columns,
	.ncolumns = sizeof audit_columns / sizeof *audit_columns,
	.fill = audit_fill,
};
