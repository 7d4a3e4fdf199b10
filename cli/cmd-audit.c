/*
 * cmd-audit.c: `auditorctl audit ...`: the audits of a programme
 * (/v1/audits). Fields, choices, required fields and filters come from
 * audit.schema.json; here are the verbs, --require AREA:LEVEL for the
 * competence the team needs (objects, which get no generated option; as
 * an evaluation's --assessed), one objective and criterion per option,
 * --from/--to on the start date, and the columns of a list.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "request.h"
#include "schema/schema.h"
#include "util.h"

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

/* The levels the built-in schema allows (a new reference), or NULL. */
static json_t *
audit_levels(void)
{
	const struct schema_text	*t;
	json_t				*doc, *en;

	for (t = schema_texts; t->type != NULL; t++)
		if (strcmp(t->type, "audit") == 0)
			break;
	if (t->type == NULL || (doc = json_loadb(t->text, t->len, 0,
	    NULL)) == NULL)
		return NULL;
	en = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(doc, "properties"), REQUIRED),
	    "items"), "properties"), "level"), "enum");
	en = json_is_array(en) ? json_incref(en) : NULL;
	json_decref(doc);
	return en;
}

/* 1 if level is one of levels; the levels joined with ", " into list. */
static int
audit_level_ok(const json_t *levels, const char *level, char *list,
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
audit_require(const struct cmd_args *a, const json_t *levels, json_t *arr,
    const char *v)
{
	const char	*colon = strrchr(v, ':');
	char		 area[ID_MAX + 1], list[256];
	json_t		*e;
	size_t		 i;

	if (colon == NULL || colon == v || colon[1] == '\0')
		return cmd_usage_error(a->entry, a->verb, "--require: '%s' is "
		    "not AREA:LEVEL", v);
	area[0] = '\0';
	if ((size_t)(colon - v) <= ID_MAX)
		snprintf(area, sizeof area, "%.*s", (int)(colon - v), v);
	if (!util_id_valid(area))
		return cmd_usage_error(a->entry, a->verb, "--require: '%.*s' is "
		    "not an area id", (int)(colon - v), v);
	if (!audit_level_ok(levels, colon + 1, list, sizeof list))
		return cmd_usage_error(a->entry, a->verb, "--require: level "
		    "'%s' is not one of: %s", colon + 1, list);
	json_array_foreach(arr, i, e)
		if (strcmp(json_string_value(json_object_get(e, "area")),
		    area) == 0)
			return cmd_usage_error(a->entry, a->verb, "--require: "
			    "area '%s' is given twice", area);
	if (json_array_append_new(arr, json_pack("{s:s,s:s}", "area", area,
	    "level", colon + 1)) == -1)
		return cmd_usage_error(a->entry, a->verb, "--require: '%s' is "
		    "not UTF-8 text", v);
	return 0;
}

/* required from --require: the whole list, or null for '' on edit. */
static int
audit_fill(json_t *body, const struct cmd_args *a, int patch)
{
	const char *const	*v;
	json_t			*levels, *arr;
	size_t			 i, n = cmd_arg_all(a, REQUIRE, &v);
	int			 rc = 0;

	if (n == 0)
		return 0;
	if (n == 1 && v[0][0] == '\0') {
		if (!patch)
			return cmd_usage_error(a->entry, a->verb, "--require: "
			    "'' is not AREA:LEVEL (only edit removes the list)");
		json_object_set_new(body, REQUIRED, json_null());
		return 0;
	}
	if ((levels = audit_levels()) == NULL)
		return cmd_usage_error(a->entry, a->verb, "the built-in "
		    "audit schema names no levels");
	if ((arr = json_array()) == NULL)
		rc = CMD_USAGE;
	for (i = 0; rc == 0 && i < n; i++)
		rc = audit_require(a, levels, arr, v[i]);
	if (rc == 0 && json_object_set(body, REQUIRED, arr) == -1)
		rc = CMD_USAGE;
	json_decref(arr);
	json_decref(levels);
	return rc;
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
