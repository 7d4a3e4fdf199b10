/*
 * cmd-audit.c: `auditorctl audit ...`: the audits of a programme
 * (/v1/audits). Fields, choices, required fields and filters come from
 * audit.schema.json; here are the verbs, --require AREA:LEVEL for the
 * competence the team needs (objects, which get no generated option; as
 * an evaluation's --assessed), --schedule 'DATE [HH:MM] ACTIVITY' for the
 * plan's entries, one objective and criterion per option,
 * --from/--to on the start date, and the columns of a list; and what the
 * daemon computes of an audit's team: check (the competence and
 * independence verdict of the team assigned, or of one given with
 * --team), candidates (ranked), propose (a smallest team that passes),
 * drawn by team.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "levels.h"
#include "request.h"
#include "util.h"
#include "team.h"

#define REQUIRED	"required"
#define REQUIRE		"require"
#define SCHEDULE	"schedule"

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

#define SCHEDULE_HELP	"An entry of the audit plan: its date, an optional "  \
	"time and the activity, such as '2027-03-01 09:00 Opening meeting'; "  \
	"repeat for each, in order."

static const struct cmd_opt add_opts[] = {
	{ .name = REQUIRE, .arg = "AREA:LEVEL", .flags = CMD_OPT_REPEAT,
	    .help = REQUIRE_HELP },
	{ .name = SCHEDULE, .arg = "'DATE [HH:MM] ACTIVITY'",
	    .flags = CMD_OPT_REPEAT, .help = SCHEDULE_HELP },
	{ .name = NULL }
};

static const struct cmd_opt edit_opts[] = {
	REQUEST_IF_MATCH_OPT,
	{ .name = REQUIRE, .arg = "AREA:LEVEL", .flags = CMD_OPT_REPEAT,
	    .help = REQUIRE_HELP " Replaces the whole list; '' removes it." },
	{ .name = SCHEDULE, .arg = "'DATE [HH:MM] ACTIVITY'",
	    .flags = CMD_OPT_REPEAT, .help = SCHEDULE_HELP " Replaces the "
	    "whole plan; '' removes it." },
	{ .name = NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_DATED_OPTS("audits starting"),
	{ .name = NULL }
};

static const struct cmd_opt check_opts[] = {
	{ .name = "team", .arg = "AUDITOR:ROLE,...", .flags = CMD_OPT_REPEAT,
	    .help = "Check this team instead of the audit's proposed and "
	    "confirmed assignments: AUDITOR:ROLE items, comma-separated (the "
	    "roles are the assignment schema's)." },
	{ .name = NULL }
};

/* Pages of candidates: the server ranks all of them each time. */
#define CANDIDATES_MAX	1000L
#define OFFSET_MAX	1000000L

static const struct cmd_opt candidates_opts[] = {
	{ .name = "limit", .arg = "N", .help = "At most N candidates "
	    "(1-1000; default: all)." },
	{ .name = "offset", .arg = "N", .help = "Skip the first N of the "
	    "ranking." },
	{ .name = NULL }
};

static const struct cmd_opt propose_opts[] = {
	{ .name = "assign", .help = "Record the team found as proposed "
	    "assignments." },
	{ .name = NULL }
};

/* One --schedule value, 'DATE [HH:MM] ACTIVITY', appended to list. */
static int
schedule_one(const struct cmd_args *a, const char *v, json_t *list)
{
	char		 date[11], time[6] = "";
	const char	*p = v;

	if (strlen(p) < 12 || p[10] != ' ')
		goto bad;
	memcpy(date, p, 10);
	date[10] = '\0';
	if (!util_date_valid(date))
		goto bad;
	p += 11;
	/* HH:MM 00:00 to 23:59, then a space, is the time. */
	if (strlen(p) >= 5 && p[2] == ':' && (p[5] == ' ' || p[5] == '\0') &&
	    isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4])) {
		/* A time that is none, or one with no activity after it. */
		if (p[0] > '2' || (p[0] == '2' && p[1] > '3') || p[3] > '5' ||
		    p[5] == '\0')
			goto bad;
		memcpy(time, p, 5);
		time[5] = '\0';
		p += 5;
	}
	while (*p == ' ')
		p++;
	if (*p == '\0')
		goto bad;
	json_array_append_new(list, time[0] != '\0' ? json_pack("{s:s, s:s, "
	    "s:s}", "date", date, "time", time, "activity", p) :
	    json_pack("{s:s, s:s}", "date", date, "activity", p));
	return 0;
bad:
	return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is not "
	    "'DATE [HH:MM] ACTIVITY' (a date YYYY-MM-DD, a time 00:00 to "
	    "23:59, then what happens)", SCHEDULE, v);
}

static int
schedule_fill(json_t *body, const struct cmd_args *a, int patch)
{
	const char *const	*v;
	json_t			*list;
	size_t			 i, n = cmd_arg_all(a, SCHEDULE, &v);
	int			 rc = 0;

	if (n == 0)
		return 0;
	if (n == 1 && v[0][0] == '\0') {
		if (!patch)
			return cmd_usage_error(a->entry, a->verb, "--%s: '' is "
			    "not an entry (only edit removes the plan)",
			    SCHEDULE);
		json_object_set_new(body, SCHEDULE, json_null());
		return 0;
	}
	if ((list = json_array()) == NULL)
		return CMD_USAGE;
	for (i = 0; rc == 0 && i < n; i++)
		rc = schedule_one(a, v[i], list);
	if (rc == 0)
		json_object_set(body, SCHEDULE, list);
	json_decref(list);
	return rc;
}

static int
audit_fill(json_t *body, const struct cmd_args *a, int patch)
{
	int	rc;

	if ((rc = levels_fill(body, a, patch, REQUIRE, REQUIRED)) != 0)
		return rc;
	return schedule_fill(body, a, patch);
}

/* The verdict is for a person or --json; CSV has no shape for it. */
static int
audit_no_csv(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (ctx->out == &output_csv)
		return cmd_usage_error(a->entry, a->verb, "--csv: '%s %s' "
		    "prints no table; use --json", a->entry->name,
		    a->verb->name);
	return 0;
}

static int
audit_check(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *const	*v;
	char			 path[256], err[512];
	json_t			*team = NULL, *body = NULL, *doc = NULL;
	size_t			 n = cmd_arg_all(a, "team", &v);
	int			 rc;

	if ((rc = audit_no_csv(ctx, a)) != 0 || (rc = cmd_record_path(a, path,
	    sizeof path, a->entry->collection, a->argv[0], "check")) != 0)
		return rc;
	if (n > 0) {
		if (team_parse(v, n, &team, err, sizeof err) == -1)
			return cmd_usage_error(a->entry, a->verb, "%s", err);
		body = json_pack("{s:o}", "team", team);
	}
	/* Without --team, no body: the server checks the assigned team. */
	if ((rc = request_call(ctx, "POST", path, body, NULL, &doc)) == 0)
		rc = team_verdict_show(ctx, doc);
	json_decref(doc);
	json_decref(body);
	return rc;
}

static int
audit_candidates(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	 path[256], n[24];
	json_t	*doc = NULL;
	long	 limit = 0, offset = 0;
	int	 rc;

	if ((rc = cmd_arg_long(a, "limit", 1, CANDIDATES_MAX, &limit)) != 0 ||
	    (rc = cmd_arg_long(a, "offset", 0, OFFSET_MAX, &offset)) != 0 ||
	    (rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], "candidates")) != 0)
		return rc;
	/* Numbers and an id: the query always fits. */
	if (limit > 0) {
		snprintf(n, sizeof n, "%ld", limit);
		request_query_add(path, sizeof path, "limit", n);
	}
	if (cmd_arg(a, "offset") != NULL) {
		snprintf(n, sizeof n, "%ld", offset);
		request_query_add(path, sizeof path, "offset", n);
	}
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &doc)) == 0)
		rc = team_candidates_show(ctx, doc, offset);
	json_decref(doc);
	return rc;
}

static int
audit_propose(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	 path[256];
	json_t	*doc = NULL;
	int	 rc;

	if ((rc = audit_no_csv(ctx, a)) != 0 || (rc = cmd_record_path(a, path,
	    sizeof path, a->entry->collection, a->argv[0], "propose")) != 0)
		return rc;
	request_query_add(path, sizeof path, "assign",
	    cmd_arg(a, "assign") != NULL ? "true" : "false");
	if ((rc = request_call(ctx, "POST", path, NULL, NULL, &doc)) == 0)
		rc = team_proposal_show(ctx, doc);
	json_decref(doc);
	return rc;
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb audit_verbs[] = {
	{ .name = "add", .help = "Add an audit to a programme.",
	    .opts = add_opts, .gen = CMD_GEN_ADD, .exec = request_add },
	{ .name = "candidates", .args = "ID", .nargs = 1, .help = "Rank the "
	    "active auditors not on the team as candidates for it.",
	    .opts = candidates_opts, .exec = audit_candidates },
	{ .name = "check", .args = "ID", .nargs = 1, .help = "Check the "
	    "team's competence and independence, rule by rule.",
	    .opts = check_opts, .exec = audit_check },
	REQUEST_DELETE("Delete an audit."),
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change an "
	    "audit's fields (a merge patch).", .opts = edit_opts,
	    .gen = CMD_GEN_EDIT, .exec = request_edit },
	REQUEST_LIST_DATED("List audits.", list_opts),
	{ .name = "propose", .args = "ID", .nargs = 1, .help = "Propose a "
	    "smallest team that passes every rule.", .opts = propose_opts,
	    .exec = audit_propose },
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
