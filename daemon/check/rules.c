/*
 * rules.c: the member rules that need no audit, and what the status and
 * the reports share with them (see rules.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check/assign.h"
#include "check/profile.h"
#include "check/rules.h"

void
check_hours_str(uint64_t h, char out[CHECK_HOURS_LEN])
{
	util_hours_str(h, out);
}

/* "on 2026-11-30", or "from 2026-11-01 to 2026-11-30". */
static void
when_str(const struct check_window *w, char *out, size_t len)
{
	if (strcmp(w->start, w->end) == 0)
		check_format(out, len, "on %s", w->start);
	else
		check_format(out, len, "from %s to %s", w->start, w->end);
}

/* ---- active -------------------------------------------------------------- */

void
check_active_row(const struct assign_auditor *a, const char *auditor,
    int quiet, struct check_result *r)
{
	check_result_init(r, CHECK_ACTIVE);
	r->ok = a->status == ASSIGN_ACTIVE;
	if (quiet)
		return;
	check_detail(r, "status is %s",
	    a->status == ASSIGN_ACTIVE ? "active" : a->status ==
	    ASSIGN_SUSPENDED ? "suspended" : "retired");
	check_evidence_add(r, "auditors", auditor);
}

int
check_active(struct store *st, MDB_txn *txn, const char *auditor,
    struct check_result *r)
{
	struct assign_auditor	a;
	int			rc;

	check_result_init(r, CHECK_ACTIVE);
	if ((rc = assign_auditor(st, txn, auditor, &a)) != STORE_OK)
		return rc;
	check_active_row(&a, auditor, 0, r);
	return STORE_OK;
}

/* ---- qualification ------------------------------------------------------- */

/*
 * 1 if q is an auditor or lead auditor certificate (for standard, unless
 * NULL): the kind of record the qualification rules count once verified.
 */
static int
qual_kind_counts(const struct rows_qual *q, const char *standard, int lead)
{
	if (q->kind != ROWS_LEAD_AUDITOR_CERTIFICATE &&
	    (lead || q->kind != ROWS_AUDITOR_CERTIFICATE))
		return 0;
	return standard == NULL || strcmp(q->standard, standard) == 0;
}

/* 1 if a lasts longer than b (no expiry lasts longest). */
static int
lasts_longer(const char *a, const char *b)
{
	if (a[0] == '\0')
		return b[0] != '\0';
	return b[0] != '\0' && strcmp(a, b) > 0;
}

/*
 * One walk over an auditor's qualifications for the qualification and
 * expiry rules: the certificate that passes and lasts longest, and, for a
 * failure's detail, the nearest miss.
 */
struct qual_walk {
	const char			*standard;
	int				 lead;	/* lead certificates only */
	const struct check_window	*w;
	struct check_result		*r;	/* NULL: no evidence */
	int				 found;
	/* the certificate that lasts longest: what the details name */
	struct {
		char			 id[ID_MAX + 1];
		enum rows_qual_kind	 kind;
		char			 expires[UTIL_DATE_LEN];
		char			 standard[ROWS_TEXT_MAX + 1];
	}				 best;
	/* why the nearest misses miss */
	char				 unverified[ID_MAX + 1];
	char				 ended[ID_MAX + 1];
	char				 ended_on[UTIL_DATE_LEN];
	char				 later[ID_MAX + 1];
	char				 later_on[UTIL_DATE_LEN];
};

static void
qual_miss(struct qual_walk *qw, const struct rows_qual *q)
{
	if (q->expires[0] != '\0' && strcmp(q->expires, qw->w->end) < 0) {
		if (strcmp(q->expires, qw->ended_on) > 0) {
			memcpy(qw->ended, q->id, sizeof qw->ended);
			memcpy(qw->ended_on, q->expires, UTIL_DATE_LEN);
		}
	} else if (qw->later[0] == '\0' ||
	    strcmp(q->issued, qw->later_on) < 0) {
		memcpy(qw->later, q->id, sizeof qw->later);
		memcpy(qw->later_on, q->issued, UTIL_DATE_LEN);
	}
}

static int
qual_one(const struct rows_qual *q, void *arg)
{
	struct qual_walk	*qw = arg;

	if (!qual_kind_counts(q, qw->standard, qw->lead))
		return 0;
	if (!check_window_covered(qw->w, q->issued, q->expires)) {
		if (q->verified)
			qual_miss(qw, q);
		return 0;
	}
	if (!q->verified) {
		if (qw->unverified[0] == '\0')
			memcpy(qw->unverified, q->id, sizeof qw->unverified);
		return 0;
	}
	if (qw->r != NULL)
		check_evidence_add(qw->r, "qualifications", q->id);
	/* The few fields the details name, not the row's 3 KB of areas. */
	if (!qw->found || lasts_longer(q->expires, qw->best.expires)) {
		memcpy(qw->best.id, q->id, sizeof qw->best.id);
		qw->best.kind = q->kind;
		memcpy(qw->best.expires, q->expires, sizeof qw->best.expires);
		memcpy(qw->best.standard, q->standard,
		    sizeof qw->best.standard);
	}
	qw->found = 1;
	return 0;
}

/* " (ISO/IEC 27001)" or "". */
static void
standard_str(const char *standard, char *out, size_t len)
{
	if (standard[0] != '\0')
		check_format(out, len, " (%s)", standard);
	else
		out[0] = '\0';
}

static void
qual_failed(struct qual_walk *qw, const char *standard, struct check_result *r)
{
	char	when[40], hint[120] = "", std[ROWS_TEXT_MAX + 8] = "";

	when_str(qw->w, when, sizeof when);
	if (standard != NULL)
		check_format(std, sizeof std, " for %s", standard);
	if (qw->unverified[0] != '\0')
		check_format(hint, sizeof hint, "; %s is not verified",
		    qw->unverified);
	else if (qw->ended[0] != '\0')
		check_format(hint, sizeof hint, "; %s %s on %s", qw->ended,
		    strcmp(qw->ended_on, qw->w->start) < 0 ? "expired" :
		    "expires", qw->ended_on);
	else if (qw->later[0] != '\0')
		check_format(hint, sizeof hint, "; %s is valid from %s", qw->later,
		    qw->later_on);
	check_detail(r, "no verified %s"
	    "certificate%s valid %s%s", qw->lead ? "lead auditor " :
	    "auditor or lead auditor ", std, when, hint);
}

static void
qual_start(struct qual_walk *qw, const char *standard, int lead,
    const struct check_window *w, int quiet, struct check_result *r)
{
	check_result_init(r, lead ? CHECK_LEAD_QUALIFICATION :
	    CHECK_QUALIFICATION);
	memset(qw, 0, sizeof *qw);
	qw->standard = standard;
	qw->lead = lead;
	qw->w = w;
	qw->r = quiet ? NULL : r;
}

/* What the walk found, into r. */
static void
qual_judge(struct qual_walk *qw, const char *standard,
    const struct check_window *w, int quiet, struct check_result *r)
{
	char	when[40], std[ROWS_TEXT_MAX + 8], until[40];

	r->ok = qw->found;
	if (quiet)
		return;
	if (!qw->found) {
		qual_failed(qw, standard, r);
		return;
	}
	when_str(w, when, sizeof when);
	standard_str(qw->best.standard, std, sizeof std);
	if (qw->best.expires[0] == '\0')
		check_format(until, sizeof until, "with no expiry");
	else
		check_format(until, sizeof until, "until %s", qw->best.expires);
	check_detail(r, "%s %s%s valid %s, %s",
	    rows_qual_kind_name(qw->best.kind), qw->best.id, std, when, until);
}

static int
qualification(struct store *st, MDB_txn *txn, const char *auditor,
    const char *standard, int lead, const struct check_window *w,
    struct check_result *r)
{
	struct qual_walk	qw;
	int			rc;

	qual_start(&qw, standard, lead, w, 0, r);
	if ((rc = rows_quals(st, txn, auditor, qual_one, &qw)) != STORE_OK)
		return rc;
	qual_judge(&qw, standard, w, 0, r);
	return STORE_OK;
}

void
check_qualification_rows(const struct rows_qual *q, size_t n,
    const char *standard, int lead, const struct check_window *w, int quiet,
    struct check_result *r)
{
	struct qual_walk	qw;
	size_t			i;

	qual_start(&qw, standard, lead, w, quiet, r);
	for (i = 0; i < n; i++)
		if (qual_one(&q[i], &qw) != 0)
			break;
	qual_judge(&qw, standard, w, quiet, r);
}

int
check_qualification(struct store *st, MDB_txn *txn, const char *auditor,
    const char *standard, const struct check_window *w,
    struct check_result *r)
{
	return qualification(st, txn, auditor, standard, 0, w, r);
}

int
check_lead_qualification(struct store *st, MDB_txn *txn, const char *auditor,
    const char *standard, const struct check_window *w,
    struct check_result *r)
{
	return qualification(st, txn, auditor, standard, 1, w, r);
}

static void
expiry_start(struct qual_walk *qw, const char *standard,
    const struct check_window *w, struct check_result *r)
{
	check_result_init(r, CHECK_EXPIRY);
	r->ok = 1;
	memset(qw, 0, sizeof *qw);
	qw->standard = standard;
	qw->w = w;
}

static void
expiry_judge(struct qual_walk *qw, const struct check_window *w,
    const struct policy *p, struct check_result *r)
{
	char	std[ROWS_TEXT_MAX + 8];
	long	days;

	if (!qw->found) {
		check_detail(r, "no valid certificate "
		    "to expire");
		return;
	}
	check_evidence_add(r, "qualifications", qw->best.id);
	if (qw->best.expires[0] == '\0') {
		check_detail(r, "%s has no expiry",
		    qw->best.id);
		return;
	}
	days = check_date_diff(w->end, qw->best.expires);
	r->warn = days <= p->warn_expiry_days;
	standard_str(qw->best.standard, std, sizeof std);
	check_detail(r, "%s %s%s, the last valid "
	    "certificate, expires on %s, in %ld day%s",
	    rows_qual_kind_name(qw->best.kind), qw->best.id, std,
	    qw->best.expires, days, days == 1 ? "" : "s");
}

int
check_expiry(struct store *st, MDB_txn *txn, const char *auditor,
    const char *standard, const struct check_window *w,
    const struct policy *p, struct check_result *r)
{
	struct qual_walk	qw;
	int			rc;

	expiry_start(&qw, standard, w, r);
	if ((rc = rows_quals(st, txn, auditor, qual_one, &qw)) != STORE_OK)
		return rc;
	expiry_judge(&qw, w, p, r);
	return STORE_OK;
}

void
check_expiry_rows(const struct rows_qual *q, size_t n, const char *standard,
    const struct check_window *w, const struct policy *p,
    struct check_result *r)
{
	struct qual_walk	qw;
	size_t			i;

	expiry_start(&qw, standard, w, r);
	for (i = 0; i < n; i++)
		if (qual_one(&q[i], &qw) != 0)
			break;
	expiry_judge(&qw, w, p, r);
}

static const char *const qual_states[] = { "valid", "expiring", "expired",
    "not_yet_valid", "unverified" };

enum check_qual_state
check_qual_state(const struct rows_qual *q, const char *on,
    const struct policy *p)
{
	if (!q->verified)
		return CHECK_QUAL_UNVERIFIED;
	if (strcmp(q->issued, on) > 0)
		return CHECK_QUAL_NOT_YET_VALID;
	if (q->expires[0] == '\0')
		return CHECK_QUAL_VALID;
	if (strcmp(q->expires, on) < 0)
		return CHECK_QUAL_EXPIRED;
	if (check_date_diff(on, q->expires) <= p->warn_expiry_days)
		return CHECK_QUAL_EXPIRING;
	return CHECK_QUAL_VALID;
}

const char *
check_qual_state_name(enum check_qual_state s)
{
	if ((unsigned)s > CHECK_QUAL_UNVERIFIED)
		return "unknown";
	return qual_states[s];
}

/* ---- cpd ----------------------------------------------------------------- */

struct cpd_walk {
	uint64_t	  sum;
	uint64_t	  enough;	/* stop at this sum; 0: never */
	int		(*cb)(const struct rows_cpd *, void *);
	void		 *arg;
};

static int
cpd_one(const struct rows_cpd *c, void *arg)
{
	struct cpd_walk	*cw = arg;

	cw->sum += c->hundredths;
	if (cw->enough != 0 && cw->sum >= cw->enough)
		return 1;
	return cw->cb != NULL ? cw->cb(c, cw->arg) : 0;
}

static int
cpd_sum(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_window *w, uint64_t enough, uint64_t *sum,
    int (*cb)(const struct rows_cpd *, void *), void *arg)
{
	struct cpd_walk	cw = { 0, enough, cb, arg };
	int		rc;

	/* The hours alone: the auditor's one cpdsum row says them. */
	if (cb == NULL)
		return rows_cpd_hours(st, txn, auditor, w->start, w->end,
		    enough, sum);
	rc = rows_cpd(st, txn, auditor, w->start, w->end, cpd_one, &cw);
	*sum = cw.sum;
	return rc;
}

int
check_cpd_sum(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_window *w, uint64_t *sum,
    int (*cb)(const struct rows_cpd *, void *), void *arg)
{
	return cpd_sum(st, txn, auditor, w, 0, sum, cb, arg);
}

uint64_t
check_cpd_prorated(const struct policy *p, const struct check_window *period)
{
	struct check_window	window;
	uint64_t		days, wdays;

	check_window_back(&window, period->end, p->cpd_window_months);
	days = (uint64_t)check_window_days(period);
	wdays = (uint64_t)check_window_days(&window);
	return ((uint64_t)p->cpd_min_hours_x100 * days * 2 + wdays) /
	    (wdays * 2);
}

static int
cpd_evidence(const struct rows_cpd *c, void *arg)
{
	check_evidence_add(arg, "trainings", c->id);
	return 0;
}

int
check_cpd(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, const struct policy *p, struct check_result *r)
{
	return check_cpd_judge(st, txn, auditor, on, p, 0, r, NULL, NULL);
}

int
check_cpd_judge(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, const struct policy *p, int quiet,
    struct check_result *r, struct check_window *wout, uint64_t *sumout)
{
	struct check_window	w;
	uint64_t		sum, min = (uint64_t)p->cpd_min_hours_x100;
	char			have[CHECK_HOURS_LEN], need[CHECK_HOURS_LEN];
	int			rc;

	check_result_init(r, CHECK_CPD);
	check_window_back(&w, on, p->cpd_window_months);
	if (wout != NULL)
		*wout = w;
	if (quiet) {
		/* Pass or fail only: the first hours that reach min do. */
		if (min == 0)
			sum = 0;
		else if ((rc = cpd_sum(st, txn, auditor, &w, min, &sum, NULL,
		    NULL)) != STORE_OK)
			return rc;
		r->ok = sum >= min;
		return STORE_OK;
	}
	if ((rc = check_cpd_sum(st, txn, auditor, &w, &sum, cpd_evidence,
	    r)) != STORE_OK)
		return rc;
	if (sumout != NULL)
		*sumout = sum;
	r->ok = sum >= (uint64_t)p->cpd_min_hours_x100;
	check_hours_str(sum, have);
	check_hours_str((uint64_t)p->cpd_min_hours_x100, need);
	check_detail(r, "%s verified CPD hours from %s "
	    "to %s; %s needed", have, w.start, w.end, need);
	return STORE_OK;
}

/* ---- evaluation ---------------------------------------------------------- */

struct eval_walk {
	const char		*on;
	struct rows_eval	*e;
	int			 found;
};

static int
eval_one(const struct rows_eval *e, void *arg)
{
	struct eval_walk	*ew = arg;

	/* Date order: an evaluation after on, and all after it, are not yet. */
	if (strcmp(e->date, ew->on) > 0)
		return 1;
	*ew->e = *e;
	ew->found = 1;
	return 0;
}

int
check_eval_latest(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, struct rows_eval *e, int *found)
{
	struct eval_walk	ew = { on, e, 0 };
	int			rc;

	rc = rows_evals(st, txn, auditor, eval_one, &ew);
	*found = ew.found;
	return rc;
}

void
check_eval_due(const struct policy *p, const struct rows_eval *e,
    char out[UTIL_DATE_LEN])
{
	check_window_last_day(e->date, p->evaluation_max_age_months, out);
	if (e->next_due[0] != '\0' && strcmp(e->next_due, out) < 0)
		memcpy(out, e->next_due, UTIL_DATE_LEN);
}

static const char *const eval_states[] = { "current", "due", "overdue",
    "failed", "none" };

enum check_eval_state
check_eval_state(const struct policy *p, const struct rows_eval *e,
    const char *on)
{
	char	due[UTIL_DATE_LEN];

	if (e == NULL)
		return CHECK_EVAL_NONE;
	if (e->result == ROWS_DOES_NOT_MEET)
		return CHECK_EVAL_FAILED;
	check_eval_due(p, e, due);
	if (strcmp(due, on) < 0)
		return CHECK_EVAL_OVERDUE;
	if (check_date_diff(on, due) <= POLICY_DUE_DAYS)
		return CHECK_EVAL_DUE;
	return CHECK_EVAL_CURRENT;
}

const char *
check_eval_state_name(enum check_eval_state s)
{
	if ((unsigned)s > CHECK_EVAL_NONE)
		return "unknown";
	return eval_states[s];
}

/* The sentence for a latest evaluation e that passes, and its warning. */
static void
eval_passed(const struct policy *p, const struct rows_eval *e,
    const char *on, struct check_result *r)
{
	char	due[UTIL_DATE_LEN], soon[64] = "";
	long	days;

	check_eval_due(p, e, due);
	days = check_date_diff(on, due);
	if (days <= POLICY_DUE_DAYS) {
		r->warn = 1;
		check_format(soon, sizeof soon, "; the next is due by %s, in %ld "
		    "day%s", due, days, days == 1 ? "" : "s");
	} else
		check_format(soon, sizeof soon, "; the next is due by %s", due);
	if (e->result == ROWS_PARTIALLY_MEETS)
		r->warn = 1;
	check_detail(r, "the latest evaluation, %s on "
	    "%s, %s the criteria%s", e->id, e->date,
	    e->result == ROWS_PARTIALLY_MEETS ? "partially meets" : "meets",
	    soon);
}

/* The latest evaluation e (NULL: none) judged on on, into r. */
static void
eval_judge(const struct rows_eval *e, const char *on, const struct policy *p,
    int quiet, struct check_result *r)
{
	char	due[UTIL_DATE_LEN];

	if (e == NULL) {
		if (!quiet)
			check_detail(r, "no evaluation "
			    "on or before %s", on);
		return;
	}
	if (!quiet)
		check_evidence_add(r, "evaluations", e->id);
	check_eval_due(p, e, due);
	if (e->result == ROWS_DOES_NOT_MEET) {
		if (!quiet)
			check_detail(r, "the latest "
			    "evaluation, %s on %s, does not meet the criteria",
			    e->id, e->date);
	} else if (strcmp(due, on) < 0 && strcmp(e->next_due, due) == 0) {
		if (!quiet)
			check_detail(r, "the latest "
			    "evaluation, %s on %s, was due again by %s", e->id,
			    e->date, due);
	} else if (strcmp(due, on) < 0) {
		if (!quiet)
			check_detail(r, "the latest "
			    "evaluation, %s on %s, is older than %d months on "
			    "%s", e->id, e->date, p->evaluation_max_age_months,
			    on);
	} else {
		r->ok = 1;
		if (!quiet)
			eval_passed(p, e, on, r);
	}
}

int
check_evaluation(struct store *st, MDB_txn *txn, const char *auditor,
    const char *on, const struct policy *p, struct check_result *r)
{
	struct rows_eval	e;
	int			found, rc;

	check_result_init(r, CHECK_EVALUATION);
	if ((rc = check_eval_latest(st, txn, auditor, on, &e, &found)) !=
	    STORE_OK)
		return rc;
	eval_judge(found ? &e : NULL, on, p, 0, r);
	return STORE_OK;
}

void
check_evaluation_rows(const struct rows_eval *e, size_t n, const char *on,
    const struct policy *p, int quiet, struct check_result *r)
{
	const struct rows_eval	*latest = NULL;
	size_t			 i;

	check_result_init(r, CHECK_EVALUATION);
	/* As eval_one: date order, the last on or before on. */
	for (i = 0; i < n && strcmp(e[i].date, on) <= 0; i++)
		latest = &e[i];
	eval_judge(latest, on, p, quiet, r);
}
