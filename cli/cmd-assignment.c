/*
 * cmd-assignment.c: `auditorctl assignment ...`: the auditors on an
 * audit's team, each in a role (/v1/assignments). Fields, choices,
 * required fields and filters come from assignment.schema.json (override
 * is the server's to complete, so it gets no generated option); here are
 * the verbs, confirm, withdraw and complete as the status changes they
 * are, --override REASON on confirm, the verdict a refused confirmation
 * carries (drawn by team.c), and the columns of a list.
 */
#include <stdio.h>

#include "cmd.h"
#include "log.h"
#include "request.h"
#include "team.h"

static const struct output_column assignment_columns[] = {
	{ "ID", "id", 0 },
	{ "AUDIT", "audit", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "ROLE", "role", 0 },
	{ "STATUS", "status", 0 },
	{ "OVERRIDDEN BY", "override.by", 0 },
	{ "NOTES", "notes", OUTPUT_TRUNC },
};

static const struct cmd_field assignment_fields[] = {
	{ .name = "audit", .arg = "ID" },
	{ .name = "auditor", .arg = "ID" },
	{ .name = NULL }
};

static const struct cmd_opt confirm_opts[] = {
	REQUEST_IF_MATCH_OPT,
	{ .name = "override", .arg = "REASON", .help = "Confirm although the "
	    "team check fails, for this reason (managers and admins; kept "
	    "with the record and in the change log)." },
	{ .name = NULL }
};

/*
 * After a refusal: when it was the team check that failed, its verdict on
 * stdout (or as JSON) and how to confirm all the same on stderr; how is
 * what the command line says (NULL: no hint). The exit code stays the
 * refusal's.
 */
static int
assignment_refused(struct cmd_ctx *ctx, const json_t *problem,
    const char *how, int rc)
{
	const json_t	*verdict = team_check_failed(problem);
	int		 vrc;

	if (verdict == NULL)
		return rc;
	if ((vrc = team_verdict_show(ctx, verdict)) == CMD_SERVER)
		return vrc;
	if (how != NULL)
		log_warnx("%s", how);
	return rc;
}

static int
assignment_add(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	json_t	*rec = NULL, *problem = NULL;
	char	 path[128];
	int	 rc;

	snprintf(path, sizeof path, "/%s", a->entry->collection);
	rc = request_call_problem(ctx, "POST", path, a->doc, NULL, &rec,
	    &problem);
	if (rc == 0)
		rc = request_print(ctx, rec);
	else
		rc = assignment_refused(ctx, problem, "to confirm the team all "
		    "the same, add the assignment as proposed, then (as a "
		    "manager or admin): auditorctl assignment confirm ID "
		    "--override REASON", rc);
	json_decref(problem);
	json_decref(rec);
	return rc;
}

/* PATCH the record with body; a refused confirmation shows its verdict. */
static int
assignment_patch(struct cmd_ctx *ctx, const struct cmd_args *a,
    json_t *body, int hint)
{
	char		 path[256], etag[32], how[512];
	const char	*if_match;
	json_t		*rec = NULL, *problem = NULL;
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], NULL)) != 0 || (rc = cmd_if_match(a, etag,
	    sizeof etag, &if_match)) != 0)
		return rc;
	rc = request_call_problem(ctx, "PATCH", path, body, if_match, &rec,
	    &problem);
	if (rc == 0)
		rc = request_print(ctx, rec);
	else {
		snprintf(how, sizeof how, "to confirm the team all the same "
		    "(as a manager or admin): auditorctl assignment confirm %s "
		    "--override REASON", a->argv[0]);
		rc = assignment_refused(ctx, problem, hint ? how : NULL, rc);
	}
	json_decref(problem);
	json_decref(rec);
	return rc;
}

static int
assignment_edit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	/* a->doc: the merge patch cmd_args_parse made (never empty). */
	return assignment_patch(ctx, a, a->doc, 1);
}

/* A change of status alone. */
static int
assignment_status(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *status)
{
	json_t	*body = json_pack("{s:s}", "status", status);
	int	 rc;

	if (body == NULL) {
		log_warnx("out of memory");
		return CMD_SERVER;
	}
	rc = assignment_patch(ctx, a, body, 0);
	json_decref(body);
	return rc;
}

static int
assignment_confirm(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char	*reason = cmd_arg(a, "override");
	json_t		*body;
	int		 rc;

	if (reason != NULL && reason[0] == '\0')
		return cmd_usage_error(a->entry, a->verb, "--override: the "
		    "reason is empty");
	if (reason == NULL)
		body = json_pack("{s:s}", "status", "confirmed");
	else if ((body = json_pack("{s:s,s:{s:s}}", "status", "confirmed",
	    "override", "reason", reason)) == NULL)
		return cmd_usage_error(a->entry, a->verb, "--override: the "
		    "reason is not UTF-8 text");
	if (body == NULL) {
		log_warnx("out of memory");
		return CMD_SERVER;
	}
	/* With --override a failed check is no refusal: nothing to hint. */
	rc = assignment_patch(ctx, a, body, reason == NULL);
	json_decref(body);
	return rc;
}

static int
assignment_withdraw(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return assignment_status(ctx, a, "withdrawn");
}

static int
assignment_complete(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return assignment_status(ctx, a, "completed");
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb assignment_verbs[] = {
	{ .name = "add", .help = "Put an auditor on an audit's team in a "
	    "role.", .gen = CMD_GEN_ADD, .exec = assignment_add },
	{ .name = "complete", .args = "ID", .nargs = 1, .help = "Mark an "
	    "assignment completed (the audit reported or closed).",
	    .opts = request_change_opts, .exec = assignment_complete },
	{ .name = "confirm", .args = "ID", .nargs = 1, .help = "Confirm an "
	    "assignment; the team check must pass, or --override says why.",
	    .opts = confirm_opts, .exec = assignment_confirm },
	REQUEST_DELETE("Delete an assignment."),
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change an "
	    "assignment's fields (a merge patch).",
	    .opts = request_change_opts, .gen = CMD_GEN_EDIT,
	    .exec = assignment_edit },
	REQUEST_LIST("List assignments."),
	REQUEST_SHOW("Show one assignment."),
	{ .name = "withdraw", .args = "ID", .nargs = 1, .help = "Withdraw an "
	    "assignment (the auditor leaves the team).",
	    .opts = request_change_opts, .exec = assignment_withdraw },
};

const struct cmd_entry cmd_assignment_entry = {
	.name = "assignment",
	.help = "Audit teams: an auditor on an audit, in a role.",
	.verbs = assignment_verbs,
	.nverbs = sizeof assignment_verbs / sizeof *assignment_verbs,
	.collection = "assignments",
	.type = "assignment",
	.fields = assignment_fields,
	.columns = assignment_columns,
	.ncolumns = sizeof assignment_columns / sizeof *assignment_columns,
};
