/*
 * cmd-qualification.c: `auditorctl qualification ...`: an auditor's
 * certificates, education and experience (/v1/qualifications). Fields,
 * choices, required fields and filters come from
 * qualification.schema.json; here are the verbs (verify: HR's), --auditor
 * and --area spelled for people, --from/--to on the issue date, and the
 * columns of a list. verified_by and verified_on are the server's.
 */
#include "cmd.h"
#include "request.h"

static const struct output_column qualification_columns[] = {
	{ "ID", "id", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "KIND", "kind", 0 },
	{ "STANDARD", "standard", OUTPUT_TRUNC },
	{ "ISSUED", "issued", 0 },
	{ "EXPIRES", "expires", 0 },
	{ "VERIFIED", "verified", 0 },
	{ "TITLE", "title", OUTPUT_TRUNC },
};

/* One area per --area, as for an auditor's --language. */
static const struct cmd_field qualification_fields[] = {
	{ .name = "auditor", .arg = "ID" },
	{ .name = "areas", .opt = "area", .arg = "AREA" },
	{ .name = "issued", .arg = "DATE" },
	{ .name = "expires", .arg = "DATE" },
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("qualifications issued"),
	{ .name = NULL }
};

static int
qualification_verify(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "verify", 1);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb qualification_verbs[] = {
	REQUEST_ADD("Add a qualification (unverified unless HR says "
	    "--verified)."),
	REQUEST_DELETE("Delete a qualification."),
	REQUEST_EDIT("Change a qualification's fields (a merge patch)."),
	REQUEST_LIST_DATED("List qualifications.", list_opts),
	REQUEST_SHOW("Show one qualification."),
	{ .name = "verify", .args = "ID", .nargs = 1, .help = "Mark a "
	    "qualification verified against its evidence (HR).",
	    .opts = request_change_opts, .exec = qualification_verify },
};

const struct cmd_entry cmd_qualification_entry = {
	.name = "qualification",
	.help = "Auditors' certificates, education and experience.",
	.verbs = qualification_verbs,
	.nverbs = sizeof qualification_verbs / sizeof *qualification_verbs,
	.collection = "qualifications",
	.type = "qualification",
	.fields = qualification_fields,
	.columns = qualification_columns,
	.ncolumns = sizeof qualification_columns /
	    sizeof *qualification_columns,
};
