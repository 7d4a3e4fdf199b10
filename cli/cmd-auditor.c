/*
 * cmd-auditor.c: `auditorctl auditor ...`: auditor profiles
 * (/v1/auditors): add, list, show, edit (merge patch), retire, delete.
 */
#include "cmd.h"
#include "request.h"

#define EMPLOYMENT	"internal external"
#define STATUS		"active suspended retired"

static const struct output_column auditor_columns[] = {
	{ "ID", "id", 0 },
	{ "NAME", "name", OUTPUT_TRUNC },
	{ "UNIT", "unit", OUTPUT_TRUNC },
	{ "EMAIL", "email", OUTPUT_TRUNC },
	{ "STATUS", "status", 0 },
	{ "LANGUAGES", "languages", 0 },
};

static const struct cmd_opt add_opts[] = {
	{ "email", "EMAIL", 0, NULL, "e-mail address" },
	{ "employment", "KIND", 0, EMPLOYMENT, "employment" },
	{ "id", "ID", 0, NULL, "record id (default: the server makes one)" },
	{ "language", "LANG", CMD_OPT_REPEAT, NULL,
	    "a language the auditor can audit in" },
	{ "name", "NAME", 0, NULL, "full name" },
	{ "notes", "TEXT", 0, NULL, "free-text notes" },
	{ "unit", "UNIT", 0, NULL, "organisational unit" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct cmd_opt edit_opts[] = {
	{ "email", "EMAIL", 0, NULL, "e-mail address ('' removes it)" },
	{ "employment", "KIND", 0, EMPLOYMENT, "employment" },
	REQUEST_IF_MATCH_OPT,
	{ "language", "LANG", CMD_OPT_REPEAT, NULL,
	    "replace the languages ('' removes them)" },
	{ "name", "NAME", 0, NULL, "full name" },
	{ "notes", "TEXT", 0, NULL, "free-text notes ('' removes them)" },
	{ "status", "STATUS", 0, STATUS, "status" },
	{ "unit", "UNIT", 0, NULL, "organisational unit" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_OPTS("ID"),
	{ "status", "STATUS", 0, STATUS, "only auditors with this status" },
	{ "unit", "UNIT", 0, NULL, "only auditors of this unit" },
	{ NULL, NULL, 0, NULL, NULL }
};

/* The fields add and edit share: option name = field name. */
static int
fields(json_t *body, const struct cmd_args *a, int patch)
{
	static const char *const	strings[] = { "email", "employment",
	    "name", "notes", "status", "unit", NULL };
	int				rc;

	if ((rc = cmd_body_strings(body, a, strings, patch)) != 0)
		return rc;
	return cmd_body_list(body, a, "language", "languages", patch);
}

static int
auditor_add(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_add(ctx, a, "auditors", fields);
}

static int
auditor_list(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	static const char *const	filters[] = { "status", "unit", NULL };

	return request_list(ctx, a, "auditors", filters, auditor_columns,
	    sizeof auditor_columns / sizeof *auditor_columns);
}

static int
auditor_show(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_show(ctx, a, "auditors");
}

static int
auditor_edit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_edit(ctx, a, "auditors", fields);
}

static int
auditor_retire(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "auditors", "retire", 1);
}

static int
auditor_delete(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "DELETE", "auditors", NULL, 0);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb auditor_verbs[] = {
	{ "add", NULL, 0, "Add an auditor profile.", add_opts, auditor_add },
	{ "delete", "ID", 1, "Delete an auditor no record refers to "
	    "(retire otherwise).", request_change_opts, auditor_delete },
	{ "edit", "ID", 1, "Change an auditor's fields (a merge patch).",
	    edit_opts, auditor_edit },
	{ "list", NULL, 0, "List auditors.", list_opts, auditor_list },
	{ "retire", "ID", 1, "Set an auditor's status to retired.",
	    request_change_opts, auditor_retire },
	{ "show", "ID", 1, "Show one auditor.", NULL, auditor_show },
};

const struct cmd_entry cmd_auditor_entry = {
	"auditor", "Auditor profiles.", auditor_verbs,
	sizeof auditor_verbs / sizeof *auditor_verbs, NULL
};
