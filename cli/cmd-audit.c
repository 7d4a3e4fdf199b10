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
 * drawn by team.c; the audit plan (plan, drawn by cli/render/plan.c with
 * the team from /v1/assignments) and issuing its report (issue-report).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "levels.h"
#include "log.h"
#include "render/docs.h"
#include "report.h"
#include "request.h"
#include "response.h"
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
schedule_one(const struct cmd_args *a, const char *v, json_t *list,
    void *arg)
{
	char		 date[11], time[6] = "";
	const char	*p = v;

	(void)arg;
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
	return cmd_list_fill(body, a, patch, SCHEDULE, SCHEDULE, "an entry",
	    schedule_one, NULL);
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

static const struct cmd_opt plan_opts[] = {
	REPORT_FORMAT_OPT,
	{ .name = NULL }
};

/* A team is at most 50; pages are followed all the same. */
#define TEAM_PAGES	20

/*
 * The assignments of audit that stand (not withdrawn), each as
 * {auditor, name, role, status}: the name from /v1/auditors/ID, or null
 * when it cannot be read (the plan shows the id).
 */
static int
plan_team(struct cmd_ctx *ctx, const char *audit, json_t **out)
{
	json_t		*team, *page = NULL, *rec, *v, *who;
	struct response	*resp;
	const char	*status, *next = NULL, *id;
	char		 path[512], cursor[128] = "", apath[256];
	size_t		 i;
	int		 rc = 0, pages = 0;

	if ((team = json_array()) == NULL)
		return CMD_SERVER;
	do {
		snprintf(path, sizeof path, "/assignments");
		if (request_query_add(path, sizeof path, "audit", audit) == -1 ||
		    request_query_add(path, sizeof path, "limit", "1000") == -1 ||
		    (cursor[0] != '\0' && request_query_add(path, sizeof path,
		    "after", cursor) == -1)) {
			rc = CMD_USAGE;
			break;
		}
		if ((rc = request_call(ctx, "GET", path, NULL, NULL,
		    &page)) != 0)
			break;
		if (!json_is_array(json_object_get(page, "items"))) {
			log_warnx("malformed answer from %s: not a list",
			    ctx->server);
			rc = CMD_SERVER;
			break;
		}
		json_array_foreach(json_object_get(page, "items"), i, v) {
			status = json_string_value(json_object_get(v,
			    "status"));
			if (status == NULL || strcmp(status, "withdrawn") == 0)
				continue;
			id = json_string_value(json_object_get(v, "auditor"));
			who = NULL;
			/* A name the caller may not read is shown by id. */
			if (id != NULL && util_id_valid(id)) {
				snprintf(apath, sizeof apath, "/auditors/%s", id);
				if (request_send(ctx, "GET", apath, NULL, NULL, 0,
				    &resp) == 0) {
					if (resp->status == 200)
						who = json_loads(resp->body, 0,
						    NULL);
					response_free(resp);
				}
			}
			rec = json_pack("{s:O?, s:O?, s:O?, s:s}", "auditor",
			    json_object_get(v, "auditor"), "name",
			    json_object_get(who, "name"), "role",
			    json_object_get(v, "role"), "status", status);
			json_decref(who);
			if (rec == NULL || json_array_append_new(team,
			    rec) == -1) {
				rc = CMD_SERVER;
				break;
			}
		}
		next = json_string_value(json_object_get(page, "next"));
		if (next != NULL)
			snprintf(cursor, sizeof cursor, "%s", next);
		json_decref(page);
		page = NULL;
	} while (rc == 0 && next != NULL && ++pages < TEAM_PAGES);
	json_decref(page);
	if (rc != 0) {
		json_decref(team);
		return rc;
	}
	*out = team;
	return 0;
}

static int
audit_plan(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	enum render_format	 f;
	char			 path[256];
	json_t			*audit = NULL, *team = NULL;
	const char		*id;
	int			 rc;

	if ((rc = report_format(ctx, a, &f)) != 0 || (rc = audit_no_csv(ctx,
	    a)) != 0 || (rc = cmd_record_path(a, path, sizeof path,
	    a->entry->collection, a->argv[0], NULL)) != 0)
		return rc;
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &audit)) != 0)
		return rc;
	if ((id = json_string_value(json_object_get(audit, "id"))) == NULL) {
		log_warnx("malformed answer from %s: not an audit",
		    ctx->server);
		rc = CMD_SERVER;
	} else if ((rc = plan_team(ctx, id, &team)) == 0) {
		if (ctx->out == &output_json) {
			json_object_set(audit, "team", team);
			rc = request_print(ctx, audit);
		} else
			rc = report_rendered(ctx, render_audit_plan(ctx->fp,
			    f, audit, team, output_utf8()), "an audit");
	}
	json_decref(team);
	json_decref(audit);
	return rc;
}

/* The 409 that names the report's items still empty, or NULL. */
static const json_t *
report_incomplete(const json_t *problem)
{
	const char	*type = json_string_value(json_object_get(problem,
			    "type"));

	if (type == NULL || strcmp(type,
	    "urn:auditord:problem:report-incomplete") != 0)
		return NULL;
	return json_is_array(json_object_get(problem, "missing")) ?
	    json_object_get(problem, "missing") : NULL;
}

static int
audit_issue_report(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char		 path[256], buf[128];
	json_t		*rec = NULL, *problem = NULL, *v;
	const json_t	*missing;
	size_t		 i;
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], "issue-report")) != 0)
		return rc;
	rc = request_call_problem(ctx, "POST", path, NULL, NULL, &rec,
	    &problem);
	if (rc == 0)
		rc = request_print(ctx, rec);
	else if ((missing = report_incomplete(problem)) != NULL) {
		fprintf(stderr, "the report lacks:\n");
		json_array_foreach(missing, i, v)
			fprintf(stderr, "  %s\n", request_safe(
			    json_string_value(v) ? json_string_value(v) : "?",
			    buf, sizeof buf));
		fprintf(stderr, "fill them in and issue again; "
		    "'auditorctl report audit %s' shows the report\n",
		    a->argv[0]);
	}
	json_decref(problem);
	json_decref(rec);
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
	{ .name = "issue-report", .args = "ID", .nargs = 1, .help = "Issue "
	    "the audit's report once every item is filled in.",
	    .exec = audit_issue_report },
	REQUEST_LIST_DATED("List audits.", list_opts),
	{ .name = "plan", .args = "ID", .nargs = 1, .help = "The audit plan: "
	    "objectives, scope, criteria, team, schedule.", .opts = plan_opts,
	    .exec = audit_plan },
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
