/*
 * cmd-evaluation.c: `auditorctl evaluation ...`: evaluations of an
 * auditor's competence (/v1/evaluations). Fields, choices, required fields
 * and filters come from evaluation.schema.json; here are the verbs,
 * --assessed AREA:LEVEL for the list of assessed areas (objects, which get
 * no generated option), --from/--to on the evaluation's date, and the
 * columns of a list.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "request.h"
#include "schema/schema.h"
#include "util.h"

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

/*
 * The levels the built-in schema allows an assessed area (a new
 * reference), or NULL when the schema does not say (a broken build).
 */
static json_t *
evaluation_levels(void)
{
	const struct schema_text	*t;
	json_t				*doc, *en;

	for (t = schema_texts; t->type != NULL; t++)
		if (strcmp(t->type, "evaluation") == 0)
			break;
	if (t->type == NULL || (doc = json_loadb(t->text, t->len, 0,
	    NULL)) == NULL)
		return NULL;
	en = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(doc, "properties"), ASSESSED),
	    "items"), "properties"), "level"), "enum");
	en = json_is_array(en) ? json_incref(en) : NULL;
	json_decref(doc);
	return en;
}

/* 1 if level is one of levels; the levels joined with ", " into list. */
static int
evaluation_level_ok(const json_t *levels, const char *level, char *list,
    size_t len)
{
	const json_t	*l;
	size_t		 i, n = 0;
	int		 ok = 0;

	list[0] = '\0';
	json_array_foreach(levels, i, l) {
		if (n < len)
			n += (size_t)snprintf(list + n, len - n, "%s%s", i ? ", " :
			    "", json_string_value(l));
		if (json_is_string(l) && strcmp(json_string_value(l),
		    level) == 0)
			ok = 1;
	}
	return ok;
}

/* One AREA:LEVEL into arr (which holds those before it). */
static int
evaluation_assessed(const struct cmd_args *a, const json_t *levels,
    json_t *arr, const char *v)
{
	const char	*colon = strrchr(v, ':');
	char		 area[ID_MAX + 1], list[256];
	json_t		*e;
	size_t		 i;

	if (colon == NULL || colon == v || colon[1] == '\0')
		return cmd_usage_error(a->entry, a->verb, "--assessed: '%s' is "
		    "not AREA:LEVEL", v);
	area[0] = '\0';
	if ((size_t)(colon - v) <= ID_MAX)
		snprintf(area, sizeof area, "%.*s", (int)(colon - v), v);
	if (!util_id_valid(area))
		return cmd_usage_error(a->entry, a->verb, "--assessed: '%.*s' is "
		    "not an area id", (int)(colon - v), v);
	if (!evaluation_level_ok(levels, colon + 1, list, sizeof list))
		return cmd_usage_error(a->entry, a->verb, "--assessed: level "
		    "'%s' is not one of: %s", colon + 1, list);
	json_array_foreach(arr, i, e)
		if (strcmp(json_string_value(json_object_get(e, "area")),
		    area) == 0)
			return cmd_usage_error(a->entry, a->verb, "--assessed: "
			    "area '%s' is given twice", area);
	if (json_array_append_new(arr, json_pack("{s:s,s:s}", "area", area,
	    "level", colon + 1)) == -1)
		return cmd_usage_error(a->entry, a->verb, "--assessed: '%s' is "
		    "not UTF-8 text", v);
	return 0;
}

/* assessed from --assessed: the whole list, or null for '' on edit. */
static int
evaluation_fill(json_t *body, const struct cmd_args *a, int patch)
{
	const char *const	*v;
	json_t			*levels, *arr;
	size_t			 i, n = cmd_arg_all(a, ASSESSED, &v);
	int			 rc = 0;

	if (n == 0)
		return 0;
	if (n == 1 && v[0][0] == '\0') {
		if (!patch)
			return cmd_usage_error(a->entry, a->verb, "--assessed: "
			    "'' is not AREA:LEVEL (only edit removes the list)");
		json_object_set_new(body, ASSESSED, json_null());
		return 0;
	}
	if ((levels = evaluation_levels()) == NULL)
		return cmd_usage_error(a->entry, a->verb, "the built-in "
		    "evaluation schema names no levels");
	if ((arr = json_array()) == NULL)
		rc = CMD_USAGE;
	for (i = 0; rc == 0 && i < n; i++)
		rc = evaluation_assessed(a, levels, arr, v[i]);
	if (rc == 0 && json_object_set(body, ASSESSED, arr) == -1)
		rc = CMD_USAGE;
	json_decref(arr);
	json_decref(levels);
	return rc;
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
