/*
 * cmd-area.c: `auditorctl area ...`: the catalogue of competence areas
 * (/v1/areas): list, show, add, edit (merge patch), delete.
 */
#include "cmd.h"
#include "request.h"

#define KINDS	"knowledge sector standard"

static const struct output_column area_columns[] = {
	{ "ID", "id", 0 },
	{ "KIND", "kind", 0 },
	{ "TITLE", "title", OUTPUT_TRUNC },
};

static const struct cmd_opt add_opts[] = {
	{ "description", "TEXT", 0, NULL, "what the area covers" },
	{ "id", "ID", 0, NULL, "record id (default: the server makes one)" },
	{ "kind", "KIND", 0, KINDS, "kind of area" },
	{ "title", "TITLE", 0, NULL, "title" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct cmd_opt edit_opts[] = {
	{ "description", "TEXT", 0, NULL, "what the area covers ('' removes "
	    "it)" },
	REQUEST_IF_MATCH_OPT,
	{ "kind", "KIND", 0, KINDS, "kind of area" },
	{ "title", "TITLE", 0, NULL, "title" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_OPTS("ID"),
	{ "kind", "KIND", 0, KINDS, "only areas of this kind" },
	{ NULL, NULL, 0, NULL, NULL }
};

static int
fields(json_t *body, const struct cmd_args *a, int patch)
{
	static const char *const	strings[] = { "description", "kind",
	    "title", NULL };

	return cmd_body_strings(body, a, strings, patch);
}

static int
area_add(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_add(ctx, a, "areas", fields);
}

static int
area_delete(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "DELETE", "areas", NULL, 0);
}

static int
area_edit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_edit(ctx, a, "areas", fields);
}

static int
area_list(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	static const char *const	filters[] = { "kind", NULL };

	return request_list(ctx, a, "areas", filters, area_columns,
	    sizeof area_columns / sizeof *area_columns);
}

static int
area_show(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_show(ctx, a, "areas");
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb area_verbs[] = {
	{ "add", NULL, 0, "Add a competence area.", add_opts, area_add },
	{ "delete", "ID", 1, "Delete an area no record refers to.",
	    request_change_opts, area_delete },
	{ "edit", "ID", 1, "Change an area's fields (a merge patch).",
	    edit_opts, area_edit },
	{ "list", NULL, 0, "List competence areas.", list_opts, area_list },
	{ "show", "ID", 1, "Show one area.", NULL, area_show },
};

const struct cmd_entry cmd_area_entry = {
	"area", "The catalogue of competence areas.", area_verbs,
	sizeof area_verbs / sizeof *area_verbs, NULL
};
