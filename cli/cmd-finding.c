/*
 * cmd-finding.c: `auditorctl finding ...`: what an audit found
 * (/v1/findings). Fields, choices, required fields and filters come from
 * finding.schema.json; here are the verbs (close: a change of status),
 * --evidence KIND:DESCRIPTION for the list of evidence items (objects,
 * which get no generated option; the kinds are the schema's), --auditor
 * left to the server for role auditor (its own), --from/--to on the
 * finding's date, and the columns of a list.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "request.h"
#include "schema/schema.h"

#define EVIDENCE	"evidence"

static const struct output_column finding_columns[] = {
	{ "ID", "id", 0 },
	{ "AUDIT", "audit", 0 },
	{ "TYPE", "type", 0 },
	{ "STATUS", "status", 0 },
	{ "CRITERION", "criterion", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "DATE", "date", 0 },
	{ "EVIDENCE", EVIDENCE, OUTPUT_COUNT },
	{ "STATEMENT", "statement", OUTPUT_TRUNC },
};

static const struct cmd_field finding_fields[] = {
	{ .name = "audit", .arg = "ID" },
	{ .name = "auditor", .arg = "ID", .flags = CMD_FIELD_OPTIONAL },
	{ .name = "date", .arg = "DATE" },
	{ .name = NULL }
};

#define EVIDENCE_HELP	"An item of objective evidence, such as "	\
	"record:'Access review log Q3, 25 of 25 sampled' (KIND is how it was " \
	"gathered: interview, observation or record); repeat for each item; " \
	"a nonconformity needs one."

static const struct cmd_opt add_opts[] = {
	{ .name = EVIDENCE, .arg = "KIND:DESCRIPTION", .flags = CMD_OPT_REPEAT,
	    .help = EVIDENCE_HELP },
	{ .name = NULL }
};

static const struct cmd_opt edit_opts[] = {
	{ .name = EVIDENCE, .arg = "KIND:DESCRIPTION", .flags = CMD_OPT_REPEAT,
	    .help = EVIDENCE_HELP " Replaces the whole list; '' removes it." },
	REQUEST_IF_MATCH_OPT,
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("findings dated"),
	{ .name = NULL }
};

/* The kinds of evidence the built-in schema allows (a new reference). */
static json_t *
finding_kinds(void)
{
	const struct schema_text	*t;
	json_t				*doc, *en;

	for (t = schema_texts; t->type != NULL; t++)
		if (strcmp(t->type, "finding") == 0)
			break;
	if (t->type == NULL || (doc = json_loadb(t->text, t->len, 0,
	    NULL)) == NULL)
		return NULL;
	en = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(doc, "properties"), EVIDENCE),
	    "items"), "properties"), "kind"), "enum");
	en = json_is_array(en) ? json_incref(en) : NULL;
	json_decref(doc);
	return en;
}

/* One KIND:DESCRIPTION into arr. */
static int
finding_evidence_one(const struct cmd_args *a, const char *v, json_t *arr,
    void *arg)
{
	const json_t	*kinds = arg;

	const char	*colon = strchr(v, ':');
	const json_t	*k;
	char		 kind[32], list[128];
	size_t		 i, n = 0;
	int		 found = 0;

	if (colon == NULL || colon == v || colon[1] == '\0' ||
	    (size_t)(colon - v) >= sizeof kind)
		return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is not "
		    "KIND:DESCRIPTION", EVIDENCE, v);
	snprintf(kind, sizeof kind, "%.*s", (int)(colon - v), v);
	list[0] = '\0';
	json_array_foreach(kinds, i, k) {
		if (strcmp(json_string_value(k), kind) == 0)
			found = 1;
		if (n < sizeof list)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
			    i ? ", " : "", json_string_value(k));
	}
	if (!found)
		return cmd_usage_error(a->entry, a->verb, "--%s: kind '%s' is "
		    "not one of: %s", EVIDENCE, kind, list);
	if (json_array_append_new(arr, json_pack("{s:s,s:s}", "kind", kind,
	    "description", colon + 1)) == -1)
		return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is not "
		    "UTF-8 text", EVIDENCE, v);
	return 0;
}

static int
finding_fill(json_t *body, const struct cmd_args *a, int patch)
{
	const char *const	*given;
	json_t			*kinds;
	int			 rc;

	if (cmd_arg_all(a, EVIDENCE, &given) == 0)
		return 0;
	if ((kinds = finding_kinds()) == NULL)
		return cmd_usage_error(a->entry, a->verb, "the built-in "
		    "finding schema names no kinds of evidence");
	rc = cmd_list_fill(body, a, patch, EVIDENCE, EVIDENCE,
	    "KIND:DESCRIPTION", finding_evidence_one, kinds);
	json_decref(kinds);
	return rc;
}

static int
finding_close(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char		 path[256], etag[32];
	const char	*if_match;
	json_t		*body, *rec = NULL;
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], NULL)) != 0 || (rc = cmd_if_match(a, etag,
	    sizeof etag, &if_match)) != 0)
		return rc;
	if ((body = json_pack("{s:s}", "status", "closed")) == NULL) {
		log_warnx("out of memory");
		return CMD_SERVER;
	}
	rc = request_call(ctx, "PATCH", path, body, if_match, &rec);
	if (rc == 0)
		rc = request_print(ctx, rec);
	json_decref(body);
	json_decref(rec);
	return rc;
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb finding_verbs[] = {
	{ .name = "add", .help = "Record a finding of an audit.",
	    .opts = add_opts, .gen = CMD_GEN_ADD, .exec = request_add },
	{ .name = "close", .args = "ID", .nargs = 1, .help = "Close a "
	    "finding (a nonconformity: its corrective actions verified "
	    "effective).", .opts = request_change_opts, .exec = finding_close },
	REQUEST_DELETE("Delete a finding."),
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change a "
	    "finding's fields (a merge patch).", .opts = edit_opts,
	    .gen = CMD_GEN_EDIT, .exec = request_edit },
	REQUEST_LIST_DATED("List findings.", list_opts),
	REQUEST_SHOW("Show one finding."),
};

const struct cmd_entry cmd_finding_entry = {
	.name = "finding",
	.help = "Audit findings: nonconformities, observations, "
	    "opportunities for improvement.",
	.verbs = finding_verbs,
	.nverbs = sizeof finding_verbs / sizeof *finding_verbs,
	.collection = "findings",
	.type = "finding",
	.fields = finding_fields,
	.columns = finding_columns,
	.ncolumns = sizeof finding_columns / sizeof *finding_columns,
	.fill = finding_fill,
};
