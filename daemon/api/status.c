/*
 * status.c: an auditor's status on one day (see status.h). Every verdict
 * comes from the member rules (check/rules.h), so a gap here reads as the
 * team check and the reports say it; the lists around the verdict come
 * from the same derived rows.
 */
#include <string.h>

#include "api/status.h"
#include "check/assign.h"
#include "api/view.h"
#include "check/rules.h"

static const char *const status_query[] = { "on", NULL };

json_t *
status_hours(uint64_t h)
{
	if (h % 100 == 0)
		return json_integer((json_int_t)(h / 100));
	return json_real((double)h / 100);
}

/* A date, or null for "" (none). */
static json_t *
date_or_null(const char *d)
{
	return d[0] != '\0' ? json_string(d) : json_null();
}

/* Append v (taken) to a; a NULL v (out of memory) sets *bad. */
static void
append(json_t *a, json_t *v, int *bad)
{
	if (v == NULL || json_array_append_new(a, v) != 0)
		*bad = 1;
}

struct quals_ctx {
	const char		*on;
	const struct policy	*p;
	json_t			*list;
	int			 bad;
};

static int
status_qual(const struct rows_qual *q, void *arg)
{
	struct quals_ctx	*c = arg;
	json_t			*o;

	o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s}", "id", q->id, "kind",
	    rows_qual_kind_name(q->kind), "standard",
	    date_or_null(q->standard), "issued", q->issued, "expires",
	    date_or_null(q->expires), "state",
	    check_qual_state_name(check_qual_state(q, c->on, c->p)));
	if (o != NULL && q->expires[0] != '\0' && json_object_set_new(o,
	    "days_left", json_integer(check_date_diff(c->on, q->expires))) != 0)
		c->bad = 1;
	append(c->list, o, &c->bad);
	return 0;
}

static int
status_decl(const struct rows_decl *d, void *arg)
{
	struct quals_ctx	*c = arg;

	/* Open on on: not ended before it (one that begins later too). */
	if (d->until[0] != '\0' && strcmp(d->until, c->on) < 0)
		return 0;
	append(c->list, json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", d->id,
	    "party", d->party, "kind", rows_decl_kind_name(d->kind), "from",
	    d->from, "until", date_or_null(d->until)), &c->bad);
	return 0;
}

static int
status_training(const struct rows_cpd *t, void *arg)
{
	struct quals_ctx	*c = arg;
	char			 ev[ID_MAX + 16];

	snprintf(ev, sizeof ev, "trainings/%s", t->id);
	append(c->list, json_string(ev), &c->bad);
	return 0;
}

/*
 * Current and upcoming assignments: proposed or confirmed, on an audit not
 * cancelled that ends on or after on, in the order of their audits' start.
 */
static int
status_assignment(const struct assign_busy *b, void *arg)
{
	struct quals_ctx	*c = arg;

	if ((b->status != ASSIGN_PROPOSED && b->status != ASSIGN_CONFIRMED) ||
	    b->audit_status == ASSIGN_CANCELLED || strcmp(b->end, c->on) < 0)
		return 0;
	append(c->list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
	    b->id, "audit", b->audit, "role", assign_role_name(b->role),
	    "status", assign_status_name(b->status), "start", b->start, "end",
	    b->end, "current", strcmp(b->start, c->on) <= 0), &c->bad);
	return 0;
}

/* The "cpd" member: the rule's window, its hours and their trainings. */
static int
status_cpd(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, const struct policy *p, json_t **out)
{
	struct check_window	w;
	struct quals_ctx	c = { on, p, json_array(), 0 };
	uint64_t		sum;
	int			rc;

	*out = NULL;
	if (c.list == NULL)
		return STORE_IO;
	check_window_back(&w, on, p->cpd_window_months);
	rc = check_cpd_sum(st, txn, auditor, &w, &sum, status_training, &c);
	if (rc == STORE_OK && !c.bad)
		*out = json_pack("{s:s, s:s, s:o, s:o, s:o}", "from", w.start,
		    "to", w.end, "hours", status_hours(sum), "min_hours",
		    status_hours((uint64_t)p->cpd_min_hours_x100), "evidence",
		    c.list);
	else
		json_decref(c.list);
	if (rc == STORE_OK && *out == NULL)
		rc = STORE_IO;
	return rc;
}

/* The "evaluation" member: the latest on or before on, and its state. */
static int
status_eval(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, const struct policy *p, json_t **out)
{
	struct rows_eval	e;
	char			latest[ID_MAX + 16], due[UTIL_DATE_LEN];
	int			found, rc;

	*out = NULL;
	if ((rc = check_eval_latest(st, txn, auditor, on, &e, &found)) !=
	    STORE_OK)
		return rc;
	if (!found)
		*out = json_pack("{s:n, s:n, s:n, s:n, s:s}", "latest", "date",
		    "result", "next_due", "state",
		    check_eval_state_name(CHECK_EVAL_NONE));
	else {
		snprintf(latest, sizeof latest, "evaluations/%s", e.id);
		check_eval_due(p, &e, due);
		*out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "latest", latest,
		    "date", e.date, "result", rows_result_name(e.result),
		    "next_due", due, "state",
		    check_eval_state_name(check_eval_state(p, &e, on)));
	}
	return *out != NULL ? STORE_OK : STORE_IO;
}

/* {rule, detail} of r into list. */
static void
add_finding(json_t *list, const struct check_result *r, int *bad)
{
	append(list, json_pack("{s:s, s:s}", "rule", check_rule_name(r->rule),
	    "detail", r->detail), bad);
}

/* The verdicts: the rules in their order, each failed one a gap. */
static int
status_verdicts(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, const struct policy *p, json_t *gaps, json_t *warnings)
{
	struct check_result	r[5];
	struct check_window	day;
	size_t			i;
	int			rc, bad = 0;

	check_window_day(&day, on);
	if ((rc = check_active(st, txn, auditor, &r[0])) != STORE_OK ||
	    (rc = check_qualification(st, txn, auditor, NULL, &day, &r[1])) !=
	    STORE_OK ||
	    (rc = check_cpd(st, txn, auditor, on, p, &r[2])) != STORE_OK ||
	    (rc = check_evaluation(st, txn, auditor, on, p, &r[3])) !=
	    STORE_OK ||
	    (rc = check_expiry(st, txn, auditor, NULL, &day, p, &r[4])) !=
	    STORE_OK)
		return rc;
	for (i = 0; i < 5; i++) {
		if (!r[i].ok)
			add_finding(gaps, &r[i], &bad);
		else if (r[i].warn)
			add_finding(warnings, &r[i], &bad);
	}
	return bad ? STORE_IO : STORE_OK;
}

int
status_json(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, json_t **out)
{
	struct policy		p;
	struct quals_ctx	q, d, a;
	json_t			*gaps, *warn, *cpd = NULL, *eval = NULL;
	int			rc;

	*out = NULL;
	policy_default(&p);
	q = (struct quals_ctx){ on, &p, json_array(), 0 };
	d = (struct quals_ctx){ on, &p, json_array(), 0 };
	a = (struct quals_ctx){ on, &p, json_array(), 0 };
	gaps = json_array();
	warn = json_array();
	if (q.list == NULL || d.list == NULL || a.list == NULL ||
	    gaps == NULL || warn == NULL)
		rc = STORE_IO;
	else if ((rc = status_verdicts(st, txn, auditor, on, &p, gaps,
	    warn)) == STORE_OK &&
	    (rc = rows_quals(st, txn, auditor, status_qual, &q)) == STORE_OK &&
	    (rc = rows_decls(st, txn, auditor, status_decl, &d)) == STORE_OK &&
	    (rc = assign_busy(st, txn, auditor, status_assignment, &a)) ==
	    STORE_OK &&
	    (rc = status_cpd(st, txn, auditor, on, &p, &cpd)) == STORE_OK &&
	    (rc = status_eval(st, txn, auditor, on, &p, &eval)) == STORE_OK &&
	    !q.bad && !d.bad && !a.bad) {
		*out = json_pack("{s:s, s:s, s:b, s:O, s:O, s:O, s:O, s:O, "
		    "s:O, s:O}", "auditor", auditor, "on", on, "fit",
		    json_array_size(gaps) == 0, "gaps", gaps, "qualifications",
		    q.list, "cpd", cpd, "evaluation", eval, "declarations",
		    d.list, "assignments", a.list, "warnings", warn);
		if (*out == NULL)
			rc = STORE_IO;
	} else if (rc == STORE_OK)
		rc = STORE_IO;
	json_decref(q.list);
	json_decref(d.list);
	json_decref(a.list);
	json_decref(gaps);
	json_decref(warn);
	json_decref(cpd);
	json_decref(eval);
	return rc;
}

void
status_get(struct call *c)
{
	struct req	*r = c->req;
	const char	*on;
	char		 today[UTIL_DATE_LEN];
	json_t		*j;
	int		 rc;

	if (http_query_check(r, status_query) != 0)
		return;
	if ((on = http_query(r, "on")) == NULL) {
		util_today(today);
		on = today;
	} else if (!check_date_ok(on)) {
		http_problem(r, 400, "bad-request", "on must be a date "
		    "YYYY-MM-DD from %s to %s", CHECK_DATE_MIN, CHECK_DATE_MAX);
		return;
	}
	rc = status_json(c->store, r->txn, r->params[0], on, &j);
	if (rc != STORE_OK) {
		view_store_error(r, rc, NULL);
		return;
	}
	http_reply_json_take(r, 200, j);
}
