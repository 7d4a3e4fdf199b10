/*
 * team.c: the team routes of an audit: POST /v1/audits/{id}/check (the
 * verdict for a team given or the team that stands), GET .../candidates
 * and POST .../propose (?assign=true records the team found as proposed
 * assignments). The check reads derived rows and runs on the worker;
 * candidates and propose judge every active auditor, so they run on a
 * thread of their own (http_offload) in a read transaction of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/records.h"
#include "api/team.h"
#include "api/view.h"
#include "check/propose.h"

#define CANDIDATES_LIMIT_MAX	10000

/* ---- check --------------------------------------------------------------- */

static void
team_error(json_t *errors, size_t i, const char *field, const char *msg)
{
	char	path[64];

	snprintf(path, sizeof path, "/team/%zu%s%s", i, field[0] ? "/" : "",
	    field);
	json_array_append_new(errors, json_pack("{s:s, s:s}", "path", path,
	    "message", msg));
}

/*
 * The team of a check body into team (*n): each item {auditor, role}, the
 * auditor an auditor record, each once. errors gets what is wrong.
 */
static int
team_parse(struct call *c, const json_t *body, struct check_member *team,
    size_t *n, json_t *errors)
{
	const json_t	*t, *m, *v;
	const char	*k, *a, *role;
	size_t		 i, j;
	MDB_val		 doc;
	int		 r;

	*n = 0;
	t = json_object_get(body, "team");
	json_object_foreach((json_t *)body, k, v)
		if (strcmp(k, "team") != 0) {
			char path[80];
			snprintf(path, sizeof path, "/%.64s", k);
			json_array_append_new(errors, json_pack("{s:s, s:s}",
			    "path", path, "message", "is not a member of a "
			    "check request (only team)"));
		}
	if (t == NULL)
		return 0;
	if (!json_is_array(t) || json_array_size(t) > CHECK_TEAM_MAX) {
		json_array_append_new(errors, json_pack("{s:s, s:s}", "path",
		    "/team", "message", "must be an array of at most 50 "
		    "{auditor, role}"));
		return 0;
	}
	json_array_foreach(t, i, m) {
		a = json_string_value(json_object_get(m, "auditor"));
		role = json_string_value(json_object_get(m, "role"));
		if (!json_is_object(m) || json_object_size(m) !=
		    (size_t)(json_object_get(m, "auditor") != NULL) +
		    (json_object_get(m, "role") != NULL)) {
			team_error(errors, i, "", "must be {auditor, role}");
			continue;
		}
		if (a == NULL || !util_id_valid(a) || store_get(c->store,
		    c->req->txn, "auditors", a, &doc) != STORE_OK) {
			team_error(errors, i, "auditor", "is not an auditor");
			continue;
		}
		if ((r = assign_role_parse(role)) < 0) {
			team_error(errors, i, "role", "must be lead, auditor, "
			    "technical_expert, observer or trainee");
			continue;
		}
		for (j = 0; j < *n; j++)
			if (strcmp(team[j].auditor, a) == 0)
				break;
		if (j < *n) {
			team_error(errors, i, "auditor", "is on the team twice");
			continue;
		}
		snprintf(team[*n].auditor, sizeof team[0].auditor, "%s", a);
		team[(*n)++].role = (enum assign_role)r;
	}
	return 0;
}

void
team_check(struct call *c)
{
	struct req		*r = c->req;
	struct check_member	 team[CHECK_TEAM_MAX];
	struct check_verdict	 v;
	struct check_plan	*plan;
	struct jw		 w;
	json_t			*errors;
	size_t			 n = 0, len;
	char			 today[UTIL_DATE_LEN], *text;
	int			 rc;

	if ((plan = malloc(sizeof *plan)) == NULL ||
	    (errors = json_array()) == NULL) {
		free(plan);
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	if ((rc = check_plan_load(c->store, r->txn, r->params[0], plan)) !=
	    STORE_OK) {
		view_store_error(r, rc, NULL);
		goto done;
	}
	if (r->body != NULL && !json_is_object(r->body))
		json_array_append_new(errors, json_pack("{s:s, s:s}", "path",
		    "", "message", "must be an object {team: [...]}"));
	else if (r->body != NULL)
		team_parse(c, r->body, team, &n, errors);
	if (json_array_size(errors) > 0) {
		http_problem_errors(r, 422, "validation", json_incref(errors),
		    "the team is not valid");
		goto done;
	}
	if ((r->body == NULL || json_object_get(r->body, "team") == NULL) &&
	    (rc = check_team_of(c->store, r->txn, plan->id, NULL, team,
	    &n)) != STORE_OK) {
		view_store_error(r, rc, NULL);
		goto done;
	}
	if ((rc = check_team(c->store, r->txn, plan, team, n, &v)) !=
	    STORE_OK) {
		check_verdict_free(&v);
		view_store_error(r, rc, NULL);
		goto done;
	}
	util_today(today);
	jw_init(&w);
	check_verdict_write(&w, plan, &v, today);
	check_verdict_free(&v);
	if ((text = jw_take(&w, &len)) == NULL)
		http_problem(r, 500, "internal", "out of memory");
	else
		http_reply(r, 200, "application/json", text, len);
	free(text);
done:
	json_decref(errors);
	free(plan);
}

/* ---- candidates and propose, off the worker ------------------------------ */

struct team_job {
	struct store		*store;
	char			 audit[ID_MAX + 1];
	int			 propose;
	int			 assign;
	size_t			 offset, limit;
	char			 today[UTIL_DATE_LEN];
	struct principal	 who;
	json_t			*out;
	/* propose --assign: what the writer records */
	struct proposal		 pr;
	char			 ids[CHECK_TEAM_MAX][ID_MAX + 1];
	struct records_change	 ch;
};

static void
team_job_free(void *arg)
{
	struct team_job	*j = arg;

	if (j == NULL)
		return;
	json_decref(j->out);
	records_change_clear(&j->ch);
	free(j);
}

static int
candidates_run(struct team_job *j, struct check_plan *plan, MDB_txn *txn)
{
	struct candidates	cs;
	int			rc;

	if ((rc = candidates_find(j->store, txn, plan, 1, &cs)) != STORE_OK)
		return rc;
	j->out = candidates_json(j->store, txn, plan, &cs, j->offset,
	    j->limit, j->today);
	candidates_free(&cs);
	return j->out != NULL ? STORE_OK : STORE_IO;
}

static json_t *
proposal_json(const struct team_job *j, const struct proposal *pr)
{
	json_t	*team, *reasons, *m;
	size_t	 i;

	team = json_array();
	reasons = json_array();
	for (i = 0; team != NULL && pr->found && i < pr->n; i++) {
		m = json_pack("{s:s, s:s}", "auditor", pr->team[i].auditor,
		    "role", assign_role_name(pr->team[i].role));
		if (m != NULL && j->assign)
			json_object_set_new(m, "assignment",
			    json_string(j->ids[i]));
		json_array_append_new(team, m);
	}
	for (i = 0; reasons != NULL && i < pr->nreasons; i++)
		json_array_append_new(reasons, json_string(pr->reasons[i]));
	return json_pack("{s:s, s:s, s:b, s:o*, s:o*, s:I}", "audit",
	    j->audit, "as_of", j->today, "found", pr->found, "team", team,
	    "reasons", reasons, "passing", (json_int_t)pr->passing);
}

static int
propose_run(struct team_job *j, struct check_plan *plan, MDB_txn *txn)
{
	struct check_verdict	v;
	json_t			*verdict;
	size_t			i;
	int			rc;

	if ((rc = propose_team(j->store, txn, plan, &j->pr)) != STORE_OK)
		return rc;
	for (i = 0; i < j->pr.n; i++)
		util_id_random(j->ids[i]);
	if ((j->out = proposal_json(j, &j->pr)) == NULL)
		return STORE_IO;
	if (!j->pr.found)
		return STORE_OK;
	if ((rc = check_team(j->store, txn, plan, j->pr.team, j->pr.n, &v)) !=
	    STORE_OK) {
		check_verdict_free(&v);
		return rc;
	}
	verdict = check_verdict_json(plan, &v, j->today);
	check_verdict_free(&v);
	if (verdict == NULL)
		return STORE_IO;
	json_object_set_new(j->out, "verdict", verdict);
	return STORE_OK;
}

static int
team_job_run(void *arg)
{
	struct team_job		*j = arg;
	struct check_plan	*plan;
	MDB_txn			*txn;
	int			 rc;

	if ((plan = malloc(sizeof *plan)) == NULL)
		return STORE_IO;
	if ((rc = store_read_begin(j->store, &txn)) != STORE_OK) {
		free(plan);
		return rc;
	}
	if ((rc = check_plan_load(j->store, txn, j->audit, plan)) == STORE_OK)
		rc = j->propose ? propose_run(j, plan, txn) :
		    candidates_run(j, plan, txn);
	store_read_end(j->store, txn);
	free(plan);
	return rc;
}

/* The writer: the team found, as proposed assignments, in one change. */
static int
assign_apply(struct store_txn *t, void *arg)
{
	struct team_job		*j = arg;
	struct records_change	*ch = &j->ch;
	extern const struct resource resource_assignments;
	size_t			 i;
	int			 rc = STORE_OK;

	for (i = 0; i < j->pr.n && rc == STORE_OK; i++) {
		records_change_clear(ch);
		memset(ch, 0, sizeof *ch);
		ch->res = &resource_assignments;
		ch->op = RECORDS_CREATE;
		ch->who = j->who;
		ch->scope = SCOPE_ALL;
		snprintf(ch->id, sizeof ch->id, "%s", j->ids[i]);
		ch->body = json_pack("{s:s, s:s, s:s, s:s}", "audit", j->audit,
		    "auditor", j->pr.team[i].auditor, "role",
		    assign_role_name(j->pr.team[i].role), "status", "proposed");
		if (ch->body == NULL)
			return STORE_IO;
		rc = records_apply(t, ch);
	}
	return rc;
}

static void
assign_done(struct req *r, int rc)
{
	struct team_job	*j = r->wctx;

	if (rc != STORE_OK) {
		records_change_answer(r, &j->ch, rc);
		return;
	}
	http_reply_json_take(r, 200, json_incref(j->out));
}

static void
team_job_done(struct req *r, int rc)
{
	struct team_job	*j = r->wctx;

	if (rc != STORE_OK) {
		view_store_error(r, rc, NULL);
		return;
	}
	if (j->propose && j->assign && j->pr.found) {
		/* The same job, now for the writer. */
		r->wctx = NULL;
		http_submit(r, assign_apply, j, team_job_free, assign_done);
		return;
	}
	http_reply_json_take(r, 200, json_incref(j->out));
}

/* ?name=N within [0, max] into *v; -1 after a 400. */
static int
query_size(struct req *r, const char *name, size_t max, size_t *v)
{
	const char	*s = http_query(r, name);
	char		*end;
	unsigned long	 n;

	if (s == NULL)
		return 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n > max) {
		http_problem(r, 400, "bad-request", "%s must be an integer "
		    "from 0 to %zu", name, max);
		return -1;
	}
	*v = n;
	return 0;
}

static void
team_start(struct call *c, int propose)
{
	static const char *const	cand_keys[] = { "limit", "offset", NULL };
	static const char *const	prop_keys[] = { "assign", NULL };
	struct req			*r = c->req;
	struct team_job			*j;
	const char			*a;
	MDB_val				 doc;
	int				 rc;

	if (http_query_check(r, propose ? prop_keys : cand_keys) != 0)
		return;
	if ((j = calloc(1, sizeof *j)) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	j->store = c->store;
	j->propose = propose;
	j->who = c->who;
	j->limit = CANDIDATES_LIMIT_MAX;
	snprintf(j->audit, sizeof j->audit, "%s", r->params[0]);
	util_today(j->today);
	if (!propose && (query_size(r, "limit", CANDIDATES_LIMIT_MAX,
	    &j->limit) != 0 || query_size(r, "offset", SIZE_MAX / 2,
	    &j->offset) != 0)) {
		free(j);
		return;
	}
	a = http_query(r, "assign");
	if (propose && a != NULL) {
		if (strcmp(a, "true") != 0 && strcmp(a, "false") != 0) {
			free(j);
			http_problem(r, 400, "bad-request", "assign must be "
			    "true or false");
			return;
		}
		j->assign = strcmp(a, "true") == 0;
	}
	/* 404 before a thread is spent on it. */
	if ((rc = store_get(c->store, r->txn, "audits", r->params[0],
	    &doc)) != STORE_OK) {
		free(j);
		view_store_error(r, rc, NULL);
		return;
	}
	http_offload(r, team_job_run, j, team_job_free, team_job_done);
}

void
team_candidates(struct call *c)
{
	team_start(c, 0);
}

void
team_propose(struct call *c)
{
	team_start(c, 1);
}
