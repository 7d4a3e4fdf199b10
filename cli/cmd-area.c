/*
 * cmd-area.c: `auditorctl area ...`: the catalogue of competence areas
 * (/v1/areas). Fields, choices, required fields and filters come from
 * area.schema.json; here are only the verbs and the columns of a list.
 */
#include "cmd.h"
#include "request.h"

static const struct output_column area_columns[] = {
	{ "ID", "id", 0 },
	{ "KIND", "kind", 0 },
	{ "TITLE", "title", OUTPUT_TRUNC },
};

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb area_verbs[] = {
	REQUEST_ADD("Add a competence area."),
	REQUEST_DELETE("Delete an area no record refers to."),
	REQUEST_EDIT("Change an area's fields (a merge patch)."),
	REQUEST_LIST("List competence areas."),
	REQUEST_SHOW("Show one area."),
};

const struct cmd_entry cmd_area_entry = {
	.name = "area",
	.help = "The catalogue of competence areas.",
	.verbs = area_verbs,
	.nverbs = sizeof area_verbs / sizeof *area_verbs,
	.collection = "areas",
	.type = "area",
	.columns = area_columns,
	.ncolumns = sizeof area_columns / sizeof *area_columns,
};
