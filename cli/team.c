/*
 * team.c: the team check's verdict, the candidates and a proposed team for
 * a person, and the --team list (team.h). The daemon judges; this only
 * draws what it answered, so that a part it adds later or leaves out never
 * stops the rest from being shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "output.h"
#include "request.h"
#include "schema/schema.h"
#include "team.h"
#include "util.h"

#define TEXT_MAX	1024	/* a piece of the server's text, at most */
#define LIST_MAX	4096	/* a joined list (16 evidence records) */

/* The marks: UTF-8 or ASCII; ok to unknown each one column wide. */
struct marks {
	const char	*ok, *bad, *warn, *unknown, *bullet;
	const char	*yes, *no;		/* a table's cells */
};

static const struct marks utf8_marks = {
	"\xe2\x9c\x93", "\xe2\x9c\x97", "!", "?", "\xe2\x80\xa2",
	"\xe2\x9c\x93", "\xe2\x9c\x97"
};
static const struct marks ascii_marks = {
	"+", "x", "!", "?", "-", "yes", "no"
};

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* s made safe for a terminal into buf; dflt when there is none. */
static const char *
safe(const char *s, const char *dflt, char *buf, size_t len)
{
	return request_safe(s != NULL ? s : dflt, buf, len);
}

/* The strings of arr (made safe) joined with sep into buf; "" if none. */
static const char *
joined(const json_t *arr, const char *sep, char *buf, size_t len)
{
	const json_t	*e;
	char		 one[TEXT_MAX];
	size_t		 i, n = 0;

	buf[0] = '\0';
	json_array_foreach(arr, i, e)
		if (json_is_string(e) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n > 0 ? sep : "", safe(json_string_value(e), "",
			    one, sizeof one));
	return buf;
}

/* The widest of w and each item's member key as shown. */
static size_t
widest(const json_t *items, const char *key, size_t w)
{
	const json_t	*x;
	char		 buf[TEXT_MAX];
	size_t		 i, cw;

	json_array_foreach(items, i, x)
		if ((cw = output_width(safe(str(x, key), "?", buf,
		    sizeof buf))) > w)
			w = cw;
	return w;
}

/* How many of checks do not hold. */
static size_t
failures(const json_t *checks)
{
	const json_t	*c;
	size_t		 i, n = 0;

	json_array_foreach(checks, i, c)
		if (!json_is_true(json_object_get(c, "ok")))
			n++;
	return n;
}

static const char *
ok_mark(const json_t *ok, const struct marks *m)
{
	if (!json_is_boolean(ok))
		return m->unknown;
	return json_is_true(ok) ? m->ok : m->bad;
}

/* "label: a, b" under a row's detail, which starts in column indent. */
static void
under(FILE *fp, size_t indent, const char *label, const json_t *list)
{
	char	buf[LIST_MAX];

	if (json_array_size(list) > 0)
		fprintf(fp, "%*s%s: %s\n", (int)indent, "", label, joined(list,
		    ", ", buf, sizeof buf));
}

/*
 * "  + rule        detail", the rule column rulew wide; below the
 * detail, the areas still missing (coverage) and the evidence.
 */
static void
check_row(FILE *fp, const json_t *c, size_t rulew, const struct marks *m)
{
	char	rule[TEXT_MAX], detail[TEXT_MAX];

	safe(str(c, "rule"), "?", rule, sizeof rule);
	safe(str(c, "detail"), "", detail, sizeof detail);
	fprintf(fp, "  %s %s", ok_mark(json_object_get(c, "ok"), m), rule);
	if (detail[0] != '\0')
		fprintf(fp, "%*s  %s", (int)(rulew - output_width(rule)), "",
		    detail);
	fputc('\n', fp);
	under(fp, rulew + 6, "missing", json_object_get(c, "missing"));
	under(fp, rulew + 6, "evidence", json_object_get(c, "evidence"));
}

/* "  ! alice  expiry  detail" and its evidence below the detail. */
static void
part_warnings(FILE *fp, const json_t *warnings, const struct marks *m)
{
	const json_t	*x;
	char		 who[TEXT_MAX], rule[TEXT_MAX], detail[TEXT_MAX];
	size_t		 i, aw = widest(warnings, "auditor", 0);
	size_t		 rw = widest(warnings, "rule", 0);

	if (json_array_size(warnings) == 0)
		return;
	fprintf(fp, "\nWarnings\n");
	json_array_foreach(warnings, i, x) {
		safe(str(x, "auditor"), "?", who, sizeof who);
		safe(str(x, "rule"), "?", rule, sizeof rule);
		safe(str(x, "detail"), "", detail, sizeof detail);
		fprintf(fp, "  %s %s%*s  %s", m->warn, who, (int)(aw -
		    output_width(who)), "", rule);
		if (detail[0] != '\0')
			fprintf(fp, "%*s  %s", (int)(rw - output_width(rule)),
			    "", detail);
		fputc('\n', fp);
		under(fp, aw + rw + 8, "evidence", json_object_get(x,
		    "evidence"));
	}
}

int
team_verdict_print(FILE *fp, const json_t *doc, int utf8)
{
	const struct marks	*m = utf8 ? &utf8_marks : &ascii_marks;
	const json_t		*compliant = json_object_get(doc,
				    "compliant");
	const json_t		*members = json_object_get(doc, "members");
	const json_t		*team = json_object_get(doc, "team");
	const json_t		*mb, *checks, *c, *mc;
	char			 a[TEXT_MAX], b[TEXT_MAX];
	size_t			 i, j, w = 0, fails = 0;

	if (!json_is_boolean(compliant) || !json_is_array(members) ||
	    !json_is_array(team))
		return TEAM_MALFORMED;
	/* One rule column for members and team alike. */
	json_array_foreach(members, i, mb)
		w = widest(json_object_get(mb, "checks"), "rule", w);
	w = widest(team, "rule", w);

	fprintf(fp, "Team check of audit %s", safe(str(doc, "audit"), "?", a,
	    sizeof a));
	if (str(doc, "as_of") != NULL)
		fprintf(fp, " on %s", safe(str(doc, "as_of"), "", b, sizeof b));
	fputc('\n', fp);
	if (json_array_size(members) == 0)
		fprintf(fp, "\nNo members.\n");
	json_array_foreach(members, i, mb) {
		checks = json_object_get(mb, "checks");
		mc = json_object_get(mb, "compliant");
		fprintf(fp, "\n%s %s (%s)\n", json_is_boolean(mc) ?
		    ok_mark(mc, m) : failures(checks) ? m->bad : m->ok,
		    safe(str(mb, "auditor"), "?", a, sizeof a),
		    safe(str(mb, "role"), "?", b, sizeof b));
		fails += failures(checks);
		json_array_foreach(checks, j, c)
			check_row(fp, c, w, m);
	}
	fprintf(fp, "\n%s Team\n", failures(team) ? m->bad : m->ok);
	fails += failures(team);
	json_array_foreach(team, j, c)
		check_row(fp, c, w, m);
	part_warnings(fp, json_object_get(doc, "warnings"), m);

	if (json_is_true(compliant))
		fprintf(fp, "\ncompliant\n");
	else if (fails > 0)
		fprintf(fp, "\nnot compliant: %zu check%s fail%s\n", fails,
		    fails == 1 ? "" : "s", fails == 1 ? "s" : "");
	else
		fprintf(fp, "\nnot compliant\n");
	return ferror(fp) ? -1 : 0;
}

/* The candidates' columns: the table's heading, CSV's, their flags. */
static const char *const cand_titles[] = { "RANK", "AUDITOR", "NAME",
	"PASSES", "LEAD", "COVERS", "WORKLOAD", "FAILS" };
static const char *const cand_fields[] = { "rank", "auditor", "name",
	"passes", "can_lead", "covers", "workload", "failed" };
static const int cand_flags[] = { OUTPUT_RIGHT, 0, OUTPUT_TRUNC, 0, 0, 0,
	OUTPUT_RIGHT, 0 };
#define NCAND	(sizeof cand_fields / sizeof *cand_fields)

/* The rule ids of a candidate's failed list, joined with ",". */
static char *
failed_rules(const json_t *failed)
{
	const json_t	*f;
	json_t		*ids = json_array();
	char		*s;
	size_t		 i;

	if (ids == NULL)
		return NULL;
	json_array_foreach(failed, i, f)
		if (str(f, "rule") != NULL)
			json_array_append_new(ids, json_string(str(f, "rule")));
	s = output_text(ids, 0);
	json_decref(ids);
	return s;
}

/* One cell of candidate c (row r); malloc'd, NULL if out of memory. */
static char *
cand_cell(const json_t *c, size_t col, long rank, int csv,
    const struct marks *m)
{
	const json_t	*v = json_object_get(c, cand_fields[col]);
	char		 buf[32];

	switch (col) {
	case 0:
		snprintf(buf, sizeof buf, "%ld", rank);
		return strdup(buf);
	case 3:
	case 4:
		if (!csv && json_is_boolean(v))
			return strdup(json_is_true(v) ? m->yes : m->no);
		break;
	case 7:
		return failed_rules(v);
	}
	return output_text(v, 0);
}

int
team_candidates_print(FILE *fp, const struct output *out, const json_t *doc,
    long offset, int utf8, int decorate)
{
	const struct marks	*m = utf8 ? &utf8_marks : &ascii_marks;
	const json_t		*cands = json_object_get(doc, "candidates");
	const json_t		*c;
	const json_t		*next = json_object_get(doc, "next");
	struct output_grid	 g;
	char			**cells, buf[LIST_MAX];
	size_t			 i, col, n;
	int			 csv = out == &output_csv, rc = 0;

	if (!json_is_array(cands))
		return TEAM_MALFORMED;
	if (out == &output_json)
		return out->show(fp, doc);
	decorate = decorate && !csv;
	n = json_array_size(cands);
	if ((cells = calloc(n * NCAND + 1, sizeof *cells)) == NULL)
		return -1;
	json_array_foreach(cands, i, c)
		for (col = 0; col < NCAND; col++)
			if ((cells[i * NCAND + col] = cand_cell(c, col,
			    offset + (long)i + 1, csv, m)) == NULL)
				rc = -1;
	if (rc == 0) {
		g.ncols = NCAND;
		g.titles = (const char **)(csv ? cand_fields : cand_titles);
		g.flags = cand_flags;
		g.nrows = n;
		g.cells = cells;
		if (decorate && json_array_size(json_object_get(doc,
		    "missing")) > 0)
			fprintf(fp, "missing areas: %s\n", joined(
			    json_object_get(doc, "missing"), ", ", buf,
			    sizeof buf));
		if (decorate && n == 0)
			fprintf(fp, "No candidates.\n");
		else
			rc = output_grid_write(out, fp, &g);
		if (rc == 0 && decorate && json_is_integer(next))
			fprintf(fp, "More from --offset %" JSON_INTEGER_FORMAT
			    ".\n", json_integer_value(next));
	}
	for (i = 0; i < n * NCAND; i++)
		free(cells[i]);
	free(cells);
	return rc == 0 && !ferror(fp) ? 0 : -1;
}

/* The team's members, leads first, each with its assignment if recorded. */
static void
proposal_team(FILE *fp, const json_t *team)
{
	const json_t	*mb;
	char		 role[TEXT_MAX], who[TEXT_MAX], id[TEXT_MAX];
	char		 ids[LIST_MAX];
	size_t		 i, n = 0, rw = widest(team, "role", 0);
	size_t		 aw = widest(team, "auditor", 0);
	int		 lead, pass;

	ids[0] = '\0';
	for (pass = 0; pass < 2; pass++)
		json_array_foreach(team, i, mb) {
			lead = str(mb, "role") != NULL &&
			    strcmp(str(mb, "role"), "lead") == 0;
			if (lead != (pass == 0))
				continue;
			safe(str(mb, "role"), "?", role, sizeof role);
			safe(str(mb, "auditor"), "?", who, sizeof who);
			fprintf(fp, "  %s%*s  %s", role, (int)(rw -
			    output_width(role)), "", who);
			if (str(mb, "assignment") != NULL) {
				safe(str(mb, "assignment"), "", id, sizeof id);
				fprintf(fp, "%*s  assignment %s", (int)(aw -
				    output_width(who)), "", id);
				if (n < sizeof ids)
					n += (size_t)snprintf(ids + n,
					    sizeof ids - n, "%s%s", n ? ", " :
					    "", id);
			}
			fputc('\n', fp);
		}
	if (n > 0)
		fprintf(fp, "Recorded as proposed assignments: %s.\n", ids);
}

int
team_proposal_print(FILE *fp, const json_t *doc, int utf8)
{
	const struct marks	*m = utf8 ? &utf8_marks : &ascii_marks;
	const json_t		*found = json_object_get(doc, "found");
	const json_t		*team = json_object_get(doc, "team");
	const json_t		*passing = json_object_get(doc, "passing");
	const json_t		*verdict = json_object_get(doc, "verdict");
	const json_t		*r;
	char			 a[TEXT_MAX], b[TEXT_MAX];
	json_int_t		 np = json_integer_value(passing);
	size_t			 i;

	if (!json_is_boolean(found) || !json_is_array(team))
		return TEAM_MALFORMED;
	if (!json_is_true(found)) {
		fprintf(fp, "no team passes every rule:\n");
		json_array_foreach(json_object_get(doc, "reasons"), i, r)
			fprintf(fp, "  %s %s\n", m->bullet, safe(
			    json_string_value(r), "?", a, sizeof a));
		if (json_is_integer(passing))
			fprintf(fp, "(%" JSON_INTEGER_FORMAT " auditor%s "
			    "pass%s every member rule.)\n", np, np == 1 ? "" :
			    "s", np == 1 ? "es" : "");
		return ferror(fp) ? -1 : 0;
	}
	fprintf(fp, "Proposed team for audit %s", safe(str(doc, "audit"), "?",
	    a, sizeof a));
	if (str(doc, "as_of") != NULL)
		fprintf(fp, " on %s", safe(str(doc, "as_of"), "", b, sizeof b));
	if (json_is_integer(passing))
		fprintf(fp, " (%" JSON_INTEGER_FORMAT " auditor%s pass%s every "
		    "member rule)", np, np == 1 ? "" : "s", np == 1 ? "es" :
		    "");
	fprintf(fp, ":\n");
	proposal_team(fp, team);
	if (json_is_object(verdict)) {
		fputc('\n', fp);
		/* A verdict that is none is left out; the team still stands. */
		if (team_verdict_print(fp, verdict, utf8) == -1)
			return -1;
	}
	return ferror(fp) ? -1 : 0;
}

const char *const *
team_roles(void)
{
	const struct schema		*s = schema_builtin("assignment");
	const struct schema_prop	*p;

	p = s != NULL ? schema_prop_find(s, "role") : NULL;
	return p != NULL ? p->choices : NULL;
}

/* One AUDITOR:ROLE (item, which is changed) onto team; -1 after err. */
static int
team_item(json_t *team, char *item, const char *const *roles,
    char *err, size_t errlen)
{
	const json_t	*x;
	const char	*near;
	char		*colon = strchr(item, ':'), *role, list[512];
	size_t		 i, n, len = 0;

	if (colon == NULL || colon == item || colon[1] == '\0') {
		snprintf(err, errlen, "--team: '%s' is not AUDITOR:ROLE", item);
		return -1;
	}
	*colon = '\0';
	role = colon + 1;
	if (!util_id_valid(item)) {
		snprintf(err, errlen, "--team: '%s' is not an auditor id",
		    item);
		return -1;
	}
	list[0] = '\0';
	for (n = 0; roles[n] != NULL; n++) {
		if (strcmp(roles[n], role) == 0)
			break;
		if (len < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len,
			    "%s%s", n ? ", " : "", roles[n]);
	}
	if (roles[n] == NULL) {
		near = cmd_nearest(role, roles, n);
		snprintf(err, errlen, "--team: role '%s' of %s is not one of: "
		    "%s%s%s%s", role, item, list, near ? "; did you mean '" :
		    "", near ? near : "", near ? "'?" : "");
		return -1;
	}
	json_array_foreach(team, i, x)
		if (strcmp(str(x, "auditor"), item) == 0) {
			snprintf(err, errlen, "--team: auditor '%s' is given "
			    "twice", item);
			return -1;
		}
	if (json_array_size(team) >= TEAM_MAX) {
		snprintf(err, errlen, "--team: more than %d members", TEAM_MAX);
		return -1;
	}
	if (json_array_append_new(team, json_pack("{s:s,s:s}", "auditor", item,
	    "role", role)) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
team_parse(const char *const *values, size_t n, json_t **out, char *err,
    size_t errlen)
{
	const char *const	*roles = team_roles();
	const char		*p;
	json_t			*team;
	char			*item;
	size_t			 i, len;
	int			 rc = 0;

	*out = NULL;
	if (roles == NULL) {
		snprintf(err, errlen, "--team: the built-in assignment schema "
		    "names no roles");
		return -1;
	}
	if ((team = json_array()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; rc == 0 && i < n; i++)
		for (p = values[i]; rc == 0; p += len + 1) {
			len = strcspn(p, ",");
			if (len == 0) {
				snprintf(err, errlen, "--team: an empty "
				    "item in '%s'", values[i]);
				rc = -1;
			} else if ((item = strndup(p, len)) == NULL) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
			} else {
				rc = team_item(team, item, roles, err, errlen);
				free(item);
			}
			if (p[len] == '\0')
				break;
		}
	if (rc != 0) {
		json_decref(team);
		return -1;
	}
	*out = team;
	return 0;
}

const json_t *
team_check_failed(const json_t *problem)
{
	const char	*type = str(problem, "type");
	const json_t	*v = json_object_get(problem, "verdict");

	/* Problem types are urn:auditord:problem:SLUG (docs/api.md). */
	if (type == NULL || !json_is_object(v) ||
	    (strcmp(type, "urn:auditord:problem:check-failed") != 0 &&
	    strcmp(type, "check-failed") != 0))
		return NULL;
	return v;
}

/* rc of a printer as an exit code, after a message when it failed. */
static int
team_result(struct cmd_ctx *ctx, int rc, const char *what)
{
	if (rc == TEAM_MALFORMED) {
		log_warnx("malformed answer from %s: not %s", ctx->server,
		    what);
		return CMD_SERVER;
	}
	if (rc != 0) {
		log_warnx("cannot write the output%s%s", errno ? ": " : "",
		    errno ? strerror(errno) : "");
		return CMD_SERVER;
	}
	return CMD_OK;
}

int
team_verdict_show(struct cmd_ctx *ctx, const json_t *doc)
{
	const json_t	*c = json_object_get(doc, "compliant");
	int		 rc;

	errno = 0;
	if (!json_is_boolean(c))
		rc = TEAM_MALFORMED;
	else if (ctx->out == &output_json)
		rc = ctx->out->show(ctx->fp, doc);
	else
		rc = team_verdict_print(ctx->fp, doc, output_utf8());
	if ((rc = team_result(ctx, rc, "a team check's verdict")) != CMD_OK)
		return rc;
	return json_is_true(c) ? CMD_OK : CMD_FAILED;
}

int
team_candidates_show(struct cmd_ctx *ctx, const json_t *doc, long offset)
{
	errno = 0;
	return team_result(ctx, team_candidates_print(ctx->fp, ctx->out, doc,
	    offset, output_utf8(), isatty(fileno(ctx->fp))),
	    "a list of candidates");
}

int
team_proposal_show(struct cmd_ctx *ctx, const json_t *doc)
{
	const json_t	*found = json_object_get(doc, "found");
	int		 rc;

	errno = 0;
	if (!json_is_boolean(found) || !json_is_array(json_object_get(doc,
	    "team")))
		rc = TEAM_MALFORMED;
	else if (ctx->out == &output_json)
		rc = ctx->out->show(ctx->fp, doc);
	else
		rc = team_proposal_print(ctx->fp, doc, output_utf8());
	if ((rc = team_result(ctx, rc, "a team proposal")) != CMD_OK)
		return rc;
	return json_is_true(found) ? CMD_OK : CMD_FAILED;
}
