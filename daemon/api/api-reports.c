/*
 * api-reports.c: /v1/reports/..., the HR reports (reports.c builds them).
 * Special: no records; each report walks every active auditor, so it runs
 * on a thread of its own (http_offload), never on a worker's event loop;
 * under role auditor's own scope a report holds only the caller's own
 * auditor's row (actions-overdue: the actions on its audits' findings).
 */
#include <stdlib.h>
#include <string.h>

#include "api/audit-report.h"
#include "api/reports.h"
#include "api/view.h"
#include "check/window.h"

enum report_kind {
	REPORT_CPD,
	REPORT_EXPIRING,
	REPORT_EVALUATIONS_DUE,
	REPORT_MATRIX,
	REPORT_ACTIONS_OVERDUE
};

static int (*const builders[])(struct store *, MDB_txn *,
    const struct report_args *, char **, size_t *) = {
	[REPORT_CPD] = report_cpd,
	[REPORT_EXPIRING] = report_expiring,
	[REPORT_EVALUATIONS_DUE] = report_evaluations_due,
	[REPORT_MATRIX] = report_matrix,
	[REPORT_ACTIONS_OVERDUE] = report_actions_overdue,
};

/*
 * One report's work, on its own thread in its own read transaction: its
 * text is written there, so the worker only sends the bytes.
 */
struct report_job {
	struct store		*store;
	enum report_kind	 kind;
	struct report_args	 args;
	char			*body;
	size_t			 len;
};

static void
report_job_free(void *arg)
{
	struct report_job	*j = arg;

	if (j != NULL)
		free(j->body);
	free(j);
}

static int
report_job_run(void *arg)
{
	struct report_job	*j = arg;
	MDB_txn			*txn;
	int			 rc;

	if ((rc = store_read_begin(j->store, &txn)) != STORE_OK)
		return rc;
	rc = builders[j->kind](j->store, txn, &j->args, &j->body, &j->len);
	store_read_end(j->store, txn);
	return rc;
}

static void
report_job_done(struct req *r, int rc)
{
	struct report_job	*j = r->wctx;

	if (rc != STORE_OK)
		view_store_error(r, rc, NULL);
	else
		http_reply(r, 200, "application/json", j->body, j->len);
}

/* Hand the report in j (taken) to a thread of its own. */
static void
report_start(struct call *c, struct report_job *j)
{
	j->store = c->store;
	util_today(j->args.on);
	j->args.own = c->scope == SCOPE_OWN;
	if (j->args.own)
		snprintf(j->args.only, sizeof j->args.only, "%s",
		    c->who.auditor);
	http_offload(c->req, report_job_run, j, report_job_free,
	    report_job_done);
}

static struct report_job *
report_new(struct call *c, enum report_kind kind)
{
	struct report_job	*j;

	if ((j = calloc(1, sizeof *j)) == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return NULL;
	}
	j->kind = kind;
	return j;
}

/* ?within=N, 0..CHECK_HORIZON_MAX_DAYS, into *n; -1 after a 400. */
static int
report_within(struct req *r, int def, int *n)
{
	const char	*s = http_query(r, "within");
	char		*end;
	long		 v;

	*n = def;
	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v < 0 ||
	    v > CHECK_HORIZON_MAX_DAYS) {
		http_problem(r, 400, "bad-request", "within must be a number "
		    "of days from 0 to %d", CHECK_HORIZON_MAX_DAYS);
		return -1;
	}
	*n = (int)v;
	return 0;
}

/* A required date parameter into out; -1 after a 400. */
static int
report_date(struct req *r, const char *key, char out[UTIL_DATE_LEN])
{
	const char	*s = http_query(r, key);

	if (s == NULL) {
		http_problem(r, 400, "bad-request", "%s is required", key);
		return -1;
	}
	if (!check_date_ok(s)) {
		http_problem(r, 400, "bad-request", "%s must be a date "
		    "YYYY-MM-DD from %s to %s", key, CHECK_DATE_MIN,
		    CHECK_DATE_MAX);
		return -1;
	}
	memcpy(out, s, UTIL_DATE_LEN);
	return 0;
}

static void
reports_cpd(struct call *c)
{
	static const char *const	 keys[] = { "from", "to", NULL };
	struct req			*r = c->req;
	char				 from[UTIL_DATE_LEN], to[UTIL_DATE_LEN];
	char				 oldest[UTIL_DATE_LEN];
	struct report_job		*j;

	if (http_query_check(r, keys) != 0 || report_date(r, "from",
	    from) != 0 || report_date(r, "to", to) != 0)
		return;
	if (strcmp(from, to) > 0) {
		http_problem(r, 400, "bad-request", "from is after to");
		return;
	}
	util_date_add_months(to, -CHECK_WINDOW_MAX_MONTHS, oldest);
	if (strcmp(from, oldest) < 0) {
		http_problem(r, 400, "bad-request", "the period is longer than "
		    "%d months (from may be %s at the earliest)",
		    CHECK_WINDOW_MAX_MONTHS, oldest);
		return;
	}
	if ((j = report_new(c, REPORT_CPD)) == NULL)
		return;
	memcpy(j->args.from, from, UTIL_DATE_LEN);
	memcpy(j->args.to, to, UTIL_DATE_LEN);
	report_start(c, j);
}

static void
reports_within(struct call *c, enum report_kind kind, int def)
{
	static const char *const	 keys[] = { "within", NULL };
	struct report_job		*j;
	int				 within;

	if (http_query_check(c->req, keys) != 0 ||
	    report_within(c->req, def, &within) != 0 ||
	    (j = report_new(c, kind)) == NULL)
		return;
	j->args.within = within;
	report_start(c, j);
}

static void
reports_expiring(struct call *c)
{
	reports_within(c, REPORT_EXPIRING, 90);
}

static void
reports_evaluations_due(struct call *c)
{
	reports_within(c, REPORT_EVALUATIONS_DUE, 60);
}

static void
reports_matrix(struct call *c)
{
	struct report_job	*j;

	if (http_query_check(c->req, NULL) != 0 ||
	    (j = report_new(c, REPORT_MATRIX)) == NULL)
		return;
	report_start(c, j);
}

/* The programme dashboard: the programme manager's, not an auditor's. */
static const struct grants programme_read = {
	.read = SCOPES(ALL, ALL, ALL, DENY, ALL),
	.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
};

static void
reports_actions_overdue(struct call *c)
{
	struct report_job	*j;

	if (http_query_check(c->req, NULL) != 0 ||
	    (j = report_new(c, REPORT_ACTIONS_OVERDUE)) == NULL)
		return;
	report_start(c, j);
}

/*
 * OWNER_CALLER: a report is about the records the caller may see; under
 * own scope report_start narrows it to the caller's own auditor.
 */
static const struct route reports_routes[] = {
	{ EVHTTP_REQ_GET, "/v1/reports/programme/{id}", ACCESS_READ,
	    OWNER_RECORD, programme_report_get, &programme_read },
	{ EVHTTP_REQ_GET, "/v1/reports/cpd", ACCESS_READ, OWNER_CALLER,
	    reports_cpd, NULL },
	{ EVHTTP_REQ_GET, "/v1/reports/expiring", ACCESS_READ, OWNER_CALLER,
	    reports_expiring, NULL },
	{ EVHTTP_REQ_GET, "/v1/reports/evaluations-due", ACCESS_READ,
	    OWNER_CALLER, reports_evaluations_due, NULL },
	{ EVHTTP_REQ_GET, "/v1/reports/matrix", ACCESS_READ, OWNER_CALLER,
	    reports_matrix, NULL },
	{ EVHTTP_REQ_GET, "/v1/reports/actions-overdue", ACCESS_READ,
	    OWNER_CALLER, reports_actions_overdue, NULL },
};

const struct resource resource_reports = {
	.name = "reports",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
	},
	.routes = reports_routes,
	.nroutes = NELEM(reports_routes),
};
