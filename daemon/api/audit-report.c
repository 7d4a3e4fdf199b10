/*
 * audit-report.c: an audit's report (ISO 19011 6.5.1), its issue, and the
 * programme dashboard (see audit-report.h). Both are assembled as jansson
 * trees: an audit has tens of findings, a programme hundreds of audits,
 * and the trees are what the tests and the CLI read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "api/audit-report.h"
#include "api/records.h"
#include "api/view.h"
#include "check/team.h"

extern const struct resource resource_audits;

static const char *const items[] = { "objectives", "scope", "client", "team",
    "dates", "criteria", "findings", "conclusions", "fulfilment",
    "disagreements", "sampling" };
static const char *const finding_types[] = { "major_nc", "minor_nc",
    "observation", "ofi", "good_practice" };
static const char *const action_states[] = { "open", "implemented",
    "verified_effective", "not_effective", "closed" };

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

/* s, or JSON null when it is NULL or empty. */
static json_t *
text_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

/* A copy of doc's array k, or an empty array. */
static json_t *
array_of(const json_t *doc, const char *k)
{
	const json_t	*a = json_object_get(doc, k);

	return json_is_array(a) ? json_deep_copy(a) : json_array();
}

static int
is_nc(const char *type)
{
	return type != NULL && (strcmp(type, "major_nc") == 0 ||
	    strcmp(type, "minor_nc") == 0);
}

/* 1 if an action in state status due on due is overdue on today. */
static int
overdue(const char *status, const char *due, const char *today)
{
	return status != NULL && due != NULL && (strcmp(status, "open") == 0 ||
	    strcmp(status, "implemented") == 0) && strcmp(due, today) < 0;
}

/* ---- reading records by an indexed field -------------------------------- */

struct collect {
	json_t	*list;		/* parsed documents */
	int	 bad;
};

static int
collect_one(const char *id, const MDB_val *doc, void *arg)
{
	struct collect	*c = arg;
	json_t		*d;

	(void)id;
	if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL) {
		c->bad = 1;
		return -1;
	}
	json_array_append_new(c->list, d);
	return 1;
}

/* Every record of coll whose field is value, parsed, in id order. */
static int
records_by(struct store *st, MDB_txn *txn, const char *coll,
    const char *field, const char *value, json_t **out)
{
	struct collect	c = { json_array(), 0 };
	char		next[ID_MAX + 1];
	int		rc;

	*out = NULL;
	if (c.list == NULL)
		return STORE_IO;
	rc = store_list_by(st, txn, coll, field, value, NULL, 0, collect_one,
	    &c, next);
	if (rc == STORE_OK && c.bad)
		rc = STORE_IO;
	if (rc != STORE_OK) {
		json_decref(c.list);
		return rc;
	}
	*out = c.list;
	return STORE_OK;
}

/* date then id order, for qsort over json_t pointers. */
static int
by_date_id(const void *a, const void *b)
{
	const json_t	*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char	*dx = str(x, "date"), *dy = str(y, "date");
	int		 c;

	if ((c = strcmp(dx != NULL ? dx : "", dy != NULL ? dy : "")) != 0)
		return c;
	return strcmp(str(x, "id"), str(y, "id"));
}

static int
by_criterion(const void *a, const void *b)
{
	return strcmp(str(*(json_t *const *)a, "criterion"),
	    str(*(json_t *const *)b, "criterion"));
}

/* Sort a JSON array of objects in place with cmp. */
static void
sort_array(json_t *a, int (*cmp)(const void *, const void *))
{
	json_t	**v;
	size_t	  i, n = json_array_size(a);

	if (n < 2 || (v = calloc(n, sizeof *v)) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof *v, cmp);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}

/* ---- the audit report ---------------------------------------------------- */

/* The actions of finding fid, as the report lists them. */
static int
finding_actions(struct store *st, MDB_txn *txn, const char *fid,
    const char *today, json_t **out)
{
	json_t	*list, *a, *o;
	size_t	 i;
	int	 rc;

	if ((rc = records_by(st, txn, "actions", "finding", fid, &list)) !=
	    STORE_OK)
		return rc;
	*out = json_array();
	json_array_foreach(list, i, a) {
		o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", str(a, "id"),
		    "status", str(a, "status"), "due", str(a, "due"), "owner",
		    str(a, "owner"), "overdue", overdue(str(a, "status"),
		    str(a, "due"), today));
		json_array_append_new(*out, o);
	}
	json_decref(list);
	return *out != NULL ? STORE_OK : STORE_IO;
}

/* g) the findings with their evidence (and their actions), counted. */
static int
report_findings(struct store *st, MDB_txn *txn, const char *audit,
    const char *today, json_t **findings, json_t **counts)
{
	json_t	*list, *f, *o, *acts;
	size_t	 i, k;
	int	 rc;

	if ((rc = records_by(st, txn, "findings", "audit", audit, &list)) !=
	    STORE_OK)
		return rc;
	sort_array(list, by_date_id);
	*findings = json_array();
	*counts = json_object();
	for (k = 0; k < sizeof finding_types / sizeof finding_types[0]; k++)
		json_object_set_new(*counts, finding_types[k], json_integer(0));
	json_array_foreach(list, i, f) {
		o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "id",
		    str(f, "id"), "type", str(f, "type"), "criterion",
		    str(f, "criterion"), "statement", str(f, "statement"),
		    "evidence", array_of(f, "evidence"), "auditor",
		    str(f, "auditor"), "date", str(f, "date"), "status",
		    str(f, "status"));
		if (o != NULL && is_nc(str(f, "type"))) {
			if ((rc = finding_actions(st, txn, str(f, "id"), today,
			    &acts)) != STORE_OK) {
				json_decref(o);
				break;
			}
			json_object_set_new(o, "actions", acts);
		}
		json_array_append_new(*findings, o);
		if (str(f, "type") != NULL)
			json_object_set_new(*counts, str(f, "type"),
			    json_integer(json_integer_value(json_object_get(
			    *counts, str(f, "type"))) + 1));
	}
	json_decref(list);
	return rc;
}

/*
 * Criteria with at least systemic.minor_count minor nonconformities: a
 * possible major nonconformity (ISO/IEC 17021-1's note on systemic
 * failure).
 */
static json_t *
report_systemic(const json_t *findings, int threshold)
{
	json_t		*out = json_array(), *by = json_object(), *f, *ids;
	const char	*crit;
	void		*it;
	size_t		 i;

	json_array_foreach(findings, i, f) {
		if (str(f, "type") == NULL ||
		    strcmp(str(f, "type"), "minor_nc") != 0 ||
		    (crit = str(f, "criterion")) == NULL)
			continue;
		if ((ids = json_object_get(by, crit)) == NULL) {
			ids = json_array();
			json_object_set_new(by, crit, ids);
		}
		json_array_append_new(ids, json_string(str(f, "id")));
	}
	/* Keys in sorted order: the answer is the same from run to run. */
	for (it = json_object_iter(by); it != NULL;
	    it = json_object_iter_next(by, it)) {
		ids = json_object_iter_value(it);
		if ((int)json_array_size(ids) < threshold)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:I, s:O}",
		    "criterion", json_object_iter_key(it), "minor_count",
		    (json_int_t)json_array_size(ids), "findings", ids));
	}
	json_decref(by);
	sort_array(out, by_criterion);
	return out;
}

/* d) the team (withdrawn aside) and the auditee's participants. */
struct team_walk {
	struct store	*st;
	MDB_txn		*txn;
	json_t		*members;
};

static int
team_one(const struct assign_member *m, void *arg)
{
	struct team_walk	*w = arg;
	struct assign_auditor	 a;

	if (m->status == ASSIGN_WITHDRAWN)
		return 0;
	if (assign_auditor(w->st, w->txn, m->auditor, &a) != STORE_OK)
		a.name[0] = '\0';
	json_array_append_new(w->members, json_pack("{s:s, s:s, s:s, s:s}",
	    "auditor", m->auditor, "name", a.name[0] != '\0' ? a.name :
	    m->auditor, "role", assign_role_name(m->role), "status",
	    assign_status_name(m->status)));
	return 0;
}

static json_t *
participants(const json_t *audit)
{
	json_t	*out = json_array(), *e, *p, *q;
	size_t	 i, j, k;
	int	 seen;

	json_array_foreach(json_object_get(audit, "schedule"), i, e)
		json_array_foreach(json_object_get(e, "auditees"), j, p) {
			seen = 0;
			json_array_foreach(out, k, q)
				if (json_equal(p, q))
					seen = 1;
			if (!seen)
				json_array_append(out, p);
		}
	return out;
}

/* 1 if item k of the report is empty. */
static int
item_missing(const json_t *it, const char *k)
{
	const json_t	*v = json_object_get(it, k), *d;

	if (strcmp(k, "scope") == 0)
		return !json_is_string(json_object_get(v, "scope"));
	if (strcmp(k, "client") == 0)
		return 0;
	if (strcmp(k, "team") == 0)
		return json_array_size(json_object_get(v, "members")) == 0;
	if (strcmp(k, "dates") == 0) {
		d = json_object_get(v, "method");
		return json_array_size(json_object_get(v, "locations")) == 0 &&
		    !json_is_string(d);
	}
	if (json_is_array(v))
		return json_array_size(v) == 0;
	return !json_is_string(v);
}

int
audit_report_json(struct store *st, MDB_txn *txn, const char *audit,
    const char *today, json_t **out)
{
	struct check_plan	*plan = NULL;
	struct team_walk	 tw;
	MDB_val			 v;
	json_t			*a = NULL, *g = NULL, *it, *findings = NULL;
	json_t			*counts = NULL, *missing, *rep;
	const json_t		*report;
	size_t			 k;
	int			 rc;

	*out = NULL;
	if ((rc = store_get(st, txn, "audits", audit, &v)) != STORE_OK)
		return rc;
	if ((a = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL ||
	    (plan = malloc(sizeof *plan)) == NULL) {
		rc = STORE_IO;
		goto done;
	}
	if ((rc = check_plan_load(st, txn, audit, plan)) != STORE_OK)
		goto done;
	if (store_get(st, txn, "programmes", str(a, "programme"), &v) ==
	    STORE_OK)
		g = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	tw = (struct team_walk){ st, txn, json_array() };
	if ((rc = assign_team(st, txn, audit, team_one, &tw)) != STORE_OK ||
	    (rc = report_findings(st, txn, audit, today, &findings,
	    &counts)) != STORE_OK) {
		json_decref(tw.members);
		goto done;
	}
	report = json_object_get(a, "report");
	it = json_pack("{s:o, s:{s:o, s:s}, s:{s:s, s:s, s:o}, "
	    "s:{s:o, s:o}, s:{s:s, s:s, s:o, s:o}, s:o, s:O, s:o, s:o, s:o, "
	    "s:o}",
	    "objectives", array_of(a, "objectives"),
	    "scope", "scope", text_or_null(str(a, "scope")), "auditee",
	    str(a, "auditee"),
	    "client", "programme", str(a, "programme"), "title",
	    g != NULL && str(g, "title") != NULL ? str(g, "title") : "",
	    "manager", text_or_null(str(g, "manager")),
	    "team", "members", tw.members, "participants", participants(a),
	    "dates", "start", str(a, "start"), "end", str(a, "end"), "method",
	    text_or_null(str(a, "method")), "locations", array_of(a,
	    "locations"),
	    "criteria", array_of(a, "criteria"),
	    "findings", findings,
	    "conclusions", text_or_null(str(report, "conclusions")),
	    "fulfilment", text_or_null(str(report, "fulfilment")),
	    "disagreements", text_or_null(str(report, "disagreements")),
	    "sampling", text_or_null(str(report, "sampling")));
	missing = json_array();
	for (k = 0; it != NULL && k < sizeof items / sizeof items[0]; k++)
		if (item_missing(it, items[k]))
			json_array_append_new(missing, json_string(items[k]));
	rep = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o}", "audit", audit, "as_of", today, "complete",
	    json_array_size(missing) == 0, "missing", missing, "items", it,
	    "summary", text_or_null(str(report, "summary")),
	    "recommendations", text_or_null(str(report, "recommendations")),
	    "issued", text_or_null(str(report, "issued")), "distribution",
	    array_of(report, "distribution"), "counts", counts, "systemic",
	    report_systemic(findings, plan->policy.systemic_minor_count));
	counts = NULL;
	rc = rep != NULL ? STORE_OK : STORE_IO;
	*out = rep;
done:
	/* items holds findings ("O" above): this reference is ours. */
	json_decref(findings);
	json_decref(counts);
	json_decref(a);
	json_decref(g);
	free(plan);
	return rc;
}

void
audit_report_get(struct call *c)
{
	char	 today[UTIL_DATE_LEN];
	json_t	*j;
	int	 rc;

	util_today(today);
	/* Role auditor: only the audits whose team it is on. */
	if (!view_visible(c, &resource_audits, c->req->params[0], NULL)) {
		view_store_error(c->req, STORE_NOTFOUND, NULL);
		return;
	}
	if ((rc = audit_report_json(c->store, c->req->txn, c->req->params[0],
	    today, &j)) != STORE_OK) {
		view_store_error(c->req, rc, NULL);
		return;
	}
	http_reply_json_take(c->req, 200, j);
}

/* ---- issuing it ---------------------------------------------------------- */

static int
issue_apply(struct store_txn *t, void *arg)
{
	struct records_change	*ch = arg;
	struct store		*st;
	MDB_txn			*txn;
	json_t			*rep = NULL, *missing;
	const char		*issued;
	char			 today[UTIL_DATE_LEN];
	int			 rc;

	store_txn_view(t, &st, &txn);
	util_today(today);
	/* Judged in the change that writes it: nothing slips in between. */
	if ((rc = audit_report_json(st, txn, ch->id, today, &rep)) !=
	    STORE_OK)
		return rc;
	missing = json_object_get(rep, "missing");
	issued = json_string_value(json_object_get(rep, "issued"));
	if (json_array_size(missing) > 0) {
		ch->refused.status = 409;
		snprintf(ch->refused.slug, sizeof ch->refused.slug,
		    "report-incomplete");
		snprintf(ch->refused.detail, sizeof ch->refused.detail, "the "
		    "report of audit %s lacks %zu item%s of ISO 19011 6.5.1",
		    ch->id, json_array_size(missing), json_array_size(missing)
		    == 1 ? "" : "s");
		ch->refused.members = json_pack("{s:O}", "missing", missing);
		rc = STORE_INVALID;
	} else if (issued != NULL) {
		ch->refused.status = 409;
		snprintf(ch->refused.slug, sizeof ch->refused.slug,
		    "conflict");
		snprintf(ch->refused.detail, sizeof ch->refused.detail, "the "
		    "report of audit %s was issued on %s", ch->id, issued);
		rc = STORE_INVALID;
	} else {
		ch->body = json_pack("{s:s, s:{s:s}}", "status", "reported",
		    "report", "issued", today);
		rc = ch->body != NULL ? records_apply(t, ch) : STORE_IO;
	}
	json_decref(rep);
	return rc;
}

static void
issue_done(struct req *r, int rc)
{
	records_change_answer(r, r->wctx, rc);
}

static void
issue_free(void *arg)
{
	struct records_change	*ch = arg;

	if (ch != NULL)
		records_change_clear(ch);
	free(ch);
}

void
audit_report_issue(struct call *c)
{
	struct records_change	*ch;

	if ((ch = malloc(sizeof *ch)) == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	records_change_init(ch, c, &resource_audits, RECORDS_PATCH,
	    c->req->params[0], NULL);
	http_submit(c->req, issue_apply, ch, issue_free, issue_done);
}

/* ---- the programme dashboard --------------------------------------------- */

/* The rule ids that fail in v, each once, in the order of the rules. */
static json_t *
failing_rules(const struct check_verdict *v)
{
	json_t	*out = json_array();
	int	 fails[CHECK_NRULES] = { 0 };
	size_t	 i, j;
	int	 r;

	for (i = 0; i < v->nmembers; i++)
		for (j = 0; j < v->members[i].nchecks; j++)
			if (!v->members[i].checks[j].ok)
				fails[v->members[i].checks[j].rule] = 1;
	for (i = 0; i < TEAM_NRULES; i++)
		if (!v->team[i].ok)
			fails[v->team[i].rule] = 1;
	for (r = 0; r < CHECK_NRULES; r++)
		if (fails[r])
			json_array_append_new(out, json_string(check_rule_name(
			    (enum check_rule)r)));
	return out;
}

/* One audit's line: its team counted and checked. */
static int
dash_audit(struct store *st, MDB_txn *txn, const json_t *a,
    struct check_plan *plan, json_t *audits)
{
	struct check_member	team[CHECK_TEAM_MAX];
	struct check_verdict	v;
	size_t			n;
	int			rc;

	if ((rc = check_plan_load(st, txn, str(a, "id"), plan)) != STORE_OK ||
	    (rc = check_team_of(st, txn, plan->id, NULL, team, &n)) !=
	    STORE_OK)
		return rc;
	if ((rc = check_team(st, txn, plan, team, n, &v)) != STORE_OK) {
		check_verdict_free(&v);
		return rc;
	}
	json_array_append_new(audits, json_pack("{s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:I, s:b, s:o}", "id", str(a, "id"), "auditee",
	    str(a, "auditee"), "type", str(a, "type"), "start", str(a, "start"),
	    "end", str(a, "end"), "status", str(a, "status"), "team",
	    (json_int_t)n, "compliant", v.compliant, "failing",
	    failing_rules(&v)));
	check_verdict_free(&v);
	return STORE_OK;
}

static int
by_start_id(const void *a, const void *b)
{
	const json_t	*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int		 c;

	if ((c = strcmp(str(x, "start"), str(y, "start"))) != 0)
		return c;
	return strcmp(str(x, "id"), str(y, "id"));
}

static int
by_count_criterion(const void *a, const void *b)
{
	const json_t	*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t	 cx = json_integer_value(json_object_get(x, "count"));
	json_int_t	 cy = json_integer_value(json_object_get(y, "count"));

	if (cx != cy)
		return cx > cy ? -1 : 1;
	return strcmp(str(x, "criterion"), str(y, "criterion"));
}

static int
by_due_id(const void *a, const void *b)
{
	const json_t	*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int		 c;

	if ((c = strcmp(str(x, "due"), str(y, "due"))) != 0)
		return c;
	return strcmp(str(x, "id"), str(y, "id"));
}

static json_t *
zeros(const char *const *names, size_t n)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_object_set_new(o, names[i], json_integer(0));
	return o;
}

static void
bump(json_t *o, const char *k)
{
	if (k != NULL)
		json_object_set_new(o, k, json_integer(json_integer_value(
		    json_object_get(o, k)) + 1));
}

/* Findings by type and criterion; actions by state and the overdue. */
static int
dash_findings(struct store *st, MDB_txn *txn, const char *audit,
    const char *today, json_t *by_type, json_t *crit, json_t *by_status,
    json_t *late)
{
	json_t		*fs, *as, *f, *a, *c;
	const char	*k;
	size_t		 i, j;
	int		 rc;

	if ((rc = records_by(st, txn, "findings", "audit", audit, &fs)) !=
	    STORE_OK)
		return rc;
	json_array_foreach(fs, i, f) {
		bump(by_type, str(f, "type"));
		if ((k = str(f, "criterion")) != NULL) {
			if ((c = json_object_get(crit, k)) == NULL) {
				c = json_pack("{s:s, s:i, s:o}", "criterion", k,
				    "count", 0, "by_type", zeros(finding_types,
				    5));
				json_object_set_new(crit, k, c);
			}
			bump(c, "count");
			bump(json_object_get(c, "by_type"), str(f, "type"));
		}
		if ((rc = records_by(st, txn, "actions", "finding",
		    str(f, "id"), &as)) != STORE_OK)
			break;
		json_array_foreach(as, j, a) {
			bump(by_status, str(a, "status"));
			if (overdue(str(a, "status"), str(a, "due"), today))
				json_array_append_new(late, json_pack("{s:s, "
				    "s:s, s:s, s:s, s:s, s:I}", "id",
				    str(a, "id"), "finding", str(f, "id"),
				    "audit", audit, "owner", str(a, "owner"),
				    "due", str(a, "due"), "days",
				    (json_int_t)check_date_diff(str(a, "due"),
				    today)));
		}
		json_decref(as);
	}
	json_decref(fs);
	return rc;
}

int
programme_report_json(struct store *st, MDB_txn *txn, const char *programme,
    const char *today, json_t **out)
{
	struct check_plan	*plan;
	MDB_val			 v;
	json_t			*g, *list, *a, *audits, *by_type, *crit, *critl;
	json_t			*by_status, *late, *c;
	const json_t		*period;
	void			*it;
	size_t			 i;
	int			 rc;

	*out = NULL;
	if ((rc = store_get(st, txn, "programmes", programme, &v)) != STORE_OK)
		return rc;
	if ((g = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
		return STORE_IO;
	if ((plan = malloc(sizeof *plan)) == NULL) {
		json_decref(g);
		return STORE_IO;
	}
	audits = json_array();
	by_type = zeros(finding_types, 5);
	crit = json_object();
	by_status = zeros(action_states, 5);
	late = json_array();
	if ((rc = records_by(st, txn, "audits", "programme", programme,
	    &list)) == STORE_OK) {
		json_array_foreach(list, i, a) {
			if ((rc = dash_audit(st, txn, a, plan, audits)) !=
			    STORE_OK || (rc = dash_findings(st, txn,
			    str(a, "id"), today, by_type, crit, by_status,
			    late)) != STORE_OK)
				break;
		}
		json_decref(list);
	}
	free(plan);
	critl = json_array();
	for (it = json_object_iter(crit); it != NULL;
	    it = json_object_iter_next(crit, it)) {
		c = json_object_iter_value(it);
		json_array_append(critl, c);
	}
	json_decref(crit);
	sort_array(audits, by_start_id);
	sort_array(critl, by_count_criterion);
	sort_array(late, by_due_id);
	period = json_object_get(g, "period");
	if (rc == STORE_OK) {
		*out = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o, "
		    "s:{s:o, s:o}, s:{s:o, s:o}}", "programme", programme,
		    "title", str(g, "title") != NULL ? str(g, "title") : "",
		    "period", "from", str(period, "from"), "to",
		    str(period, "to"), "as_of", today, "audits", audits,
		    "findings", "by_type", by_type, "by_criterion", critl,
		    "actions", "by_status", by_status, "overdue", late);
		if (*out == NULL)
			rc = STORE_IO;
	} else {
		json_decref(audits);
		json_decref(by_type);
		json_decref(critl);
		json_decref(by_status);
		json_decref(late);
	}
	json_decref(g);
	return rc;
}

struct dash_job {
	struct store	*store;
	char		 programme[ID_MAX + 1];
	char		 today[UTIL_DATE_LEN];
	json_t		*out;
};

static int
dash_run(void *arg)
{
	struct dash_job	*j = arg;
	MDB_txn		*txn;
	int		 rc;

	if ((rc = store_read_begin(j->store, &txn)) != STORE_OK)
		return rc;
	rc = programme_report_json(j->store, txn, j->programme, j->today,
	    &j->out);
	store_read_end(j->store, txn);
	return rc;
}

static void
dash_free(void *arg)
{
	struct dash_job	*j = arg;

	if (j != NULL)
		json_decref(j->out);
	free(j);
}

static void
dash_done(struct req *r, int rc)
{
	struct dash_job	*j = r->wctx;

	if (rc != STORE_OK) {
		view_store_error(r, rc, NULL);
		return;
	}
	http_reply_json_take(r, 200, json_incref(j->out));
}

void
programme_report_get(struct call *c)
{
	struct dash_job	*j;

	if ((j = calloc(1, sizeof *j)) == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	j->store = c->store;
	snprintf(j->programme, sizeof j->programme, "%s", c->req->params[0]);
	util_today(j->today);
	http_offload(c->req, dash_run, j, dash_free, dash_done);
}
