/*
 * cmd-action.c: `auditorctl action ...`: the corrective actions on a
 * nonconformity (/v1/actions). Fields, choices, required fields and
 * filters come from action.schema.json; here are the verbs implement,
 * verify and close as the changes of status they are (the server holds
 * the order and what each needs), the verification as options (an object,
 * which gets no generated option), follows left to the server, --from/--to
 * on the action's due day, and the columns of a list. An action verified
 * not effective gets a follow-up from the server; verify names it.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "request.h"

static const struct output_column action_columns[] = {
	{ "ID", "id", 0 },
	{ "FINDING", "finding", 0 },
	{ "STATUS", "status", 0 },
	{ "DUE", "due", 0 },
	{ "OWNER", "owner", 0 },
	{ "FOLLOWS", "follows", 0 },
	{ "ACTION", "action", OUTPUT_TRUNC },
};

static const struct cmd_field action_fields[] = {
	{ .name = "finding", .arg = "ID" },
	{ .name = "due", .arg = "DATE" },
	{ .name = "implemented_on", .arg = "DATE" },
	{ .name = "follows", .flags = CMD_FIELD_HIDE },
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("actions due"),
	{ .name = NULL }
};

static const struct cmd_opt implement_opts[] = {
	REQUEST_IF_MATCH_OPT,
	{ .name = "implementation", .arg = "TEXT", .flags = CMD_OPT_REQUIRED,
	    .help = "What was done." },
	{ .name = "on", .arg = "DATE", .flags = CMD_OPT_DATE,
	    .help = "When it was implemented (the server says today when "
	    "it is not given)." },
	{ .name = NULL }
};

static const struct cmd_opt verify_opts[] = {
	{ .name = "by", .arg = "NAME", .flags = CMD_OPT_REQUIRED,
	    .help = "Who verified it (not the action's owner)." },
	{ .name = "date", .arg = "DATE", .flags = CMD_OPT_REQUIRED |
	    CMD_OPT_DATE, .help = "When it was verified." },
	{ .name = "effective", .help = "It was effective: verified_effective "
	    "(this or --not-effective)." },
	{ .name = "evidence", .arg = "TEXT", .flags = CMD_OPT_REQUIRED,
	    .help = "What the verification rests on." },
	REQUEST_IF_MATCH_OPT,
	{ .name = "not-effective", .help = "It was not effective: "
	    "not_effective, and the server opens a follow-up action." },
	{ .name = "result", .arg = "TEXT", .flags = CMD_OPT_REQUIRED,
	    .help = "What the verification found." },
	{ .name = NULL }
};

/* PATCH the action named by the verb's argument with body; print it. */
static int
action_patch(struct cmd_ctx *ctx, const struct cmd_args *a, json_t *body,
    json_t **rec)
{
	char		 path[256], etag[32];
	const char	*if_match;
	int		 rc;

	*rec = NULL;
	if (body == NULL) {
		log_warnx("out of memory");
		return CMD_SERVER;
	}
	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], NULL)) != 0 || (rc = cmd_if_match(a, etag,
	    sizeof etag, &if_match)) != 0)
		return rc;
	rc = request_call(ctx, "PATCH", path, body, if_match, rec);
	if (rc == 0)
		rc = request_print(ctx, *rec);
	return rc;
}

static int
action_implement(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char	*on = cmd_arg(a, "on");
	json_t		*body, *rec;
	int		 rc;

	body = json_pack("{s:s,s:s}", "status", "implemented",
	    "implementation", cmd_arg(a, "implementation"));
	if (body == NULL)
		return cmd_usage_error(a->entry, a->verb, "--implementation: "
		    "not UTF-8 text");
	if (on != NULL)
		json_object_set_new(body, "implemented_on", json_string(on));
	rc = action_patch(ctx, a, body, &rec);
	json_decref(rec);
	json_decref(body);
	return rc;
}

/* The open follow-up of action id on finding, into out ("": none found). */
static void
action_follow_up(struct cmd_ctx *ctx, const char *finding, const char *id,
    char *out, size_t len)
{
	char		 path[256];
	json_t		*list = NULL, *it;
	const char	*f;
	size_t		 i;

	out[0] = '\0';
	snprintf(path, sizeof path, "/actions?finding=%s&status=open",
	    finding);
	if (request_call(ctx, "GET", path, NULL, NULL, &list) != 0)
		return;
	json_array_foreach(json_object_get(list, "items"), i, it)
		if ((f = json_string_value(json_object_get(it, "follows"))) !=
		    NULL && strcmp(f, id) == 0)
			snprintf(out, len, "%s", json_string_value(
			    json_object_get(it, "id")));
	json_decref(list);
}

static int
action_verify(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	int		 yes = cmd_arg(a, "effective") != NULL;
	int		 no = cmd_arg(a, "not-effective") != NULL;
	const char	*finding, *id;
	char		 next[128];
	json_t		*body, *rec;
	int		 rc;

	if (yes == no)
		return cmd_usage_error(a->entry, a->verb, "give one of "
		    "--effective and --not-effective");
	body = json_pack("{s:s,s:{s:s,s:s,s:s,s:s}}", "status", yes ?
	    "verified_effective" : "not_effective", "verification", "by",
	    cmd_arg(a, "by"), "date", cmd_arg(a, "date"), "result",
	    cmd_arg(a, "result"), "evidence", cmd_arg(a, "evidence"));
	if (body == NULL)
		return cmd_usage_error(a->entry, a->verb, "--by, --result and "
		    "--evidence must be UTF-8 text");
	rc = action_patch(ctx, a, body, &rec);
	/* The server opened a follow-up: say which, for what comes next. */
	if (rc == 0 && no &&
	    (finding = json_string_value(json_object_get(rec, "finding"))) !=
	    NULL && (id = json_string_value(json_object_get(rec, "id"))) !=
	    NULL) {
		action_follow_up(ctx, finding, id, next, sizeof next);
		if (next[0] != '\0')
			log_warnx("not effective: follow-up action %s is open",
			    next);
	}
	json_decref(rec);
	json_decref(body);
	return rc;
}

static int
action_close(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	json_t	*body = json_pack("{s:s}", "status", "closed"), *rec;
	int	 rc;

	rc = action_patch(ctx, a, body, &rec);
	json_decref(rec);
	json_decref(body);
	return rc;
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb action_verbs[] = {
	REQUEST_ADD("Add a corrective action to a nonconformity."),
	{ .name = "close", .args = "ID", .nargs = 1, .help = "Close an "
	    "action verified effective (or not effective, once followed "
	    "up).", .opts = request_change_opts, .exec = action_close },
	REQUEST_DELETE("Delete a corrective action."),
	REQUEST_EDIT("Change an action's fields (a merge patch)."),
	{ .name = "implement", .args = "ID", .nargs = 1, .help = "Mark an "
	    "open action implemented: what was done.", .opts = implement_opts,
	    .exec = action_implement },
	REQUEST_LIST_DATED("List corrective actions.", list_opts),
	REQUEST_SHOW("Show one corrective action."),
	{ .name = "verify", .args = "ID", .nargs = 1, .help = "Record the "
	    "verification of an implemented action: effective or not.",
	    .opts = verify_opts, .exec = action_verify },
};

const struct cmd_entry cmd_action_entry = {
	.name = "action",
	.help = "Corrective actions on nonconformities.",
	.verbs = action_verbs,
	.nverbs = sizeof action_verbs / sizeof *action_verbs,
	.collection = "actions",
	.type = "action",
	.fields = action_fields,
	.columns = action_columns,
	.ncolumns = sizeof action_columns / sizeof *action_columns,
};
