/*
 * rules.h: the member rules that need no audit (active, qualification,
 * cpd, evaluation, and the expiry warning), each a pure function over a
 * read transaction: it reads the derived rows (check/rows.h) and, for
 * active only, the auditor's document, and fills one struct check_result.
 * Nothing here knows of HTTP. The status answer and the reports use the
 * same functions and the helpers below, so a gap reads the same wherever
 * it shows.
 *
 * Every function that reads the store returns a store result: STORE_OK
 * (the rule was judged, r says how), STORE_NOTFOUND (check_active: no
 * such auditor), or a read error. Dates are valid YYYY-MM-DD strings,
 * best within check_date_ok().
 */
#ifndef RULES_H
#define RULES_H

#include <stdint.h>

#include <lmdb.h>

#include "check/check.h"
#include "check/policy.h"
#include "check/rows.h"
#include "check/window.h"
#include "store/store.h"

/* ---- the rules ----------------------------------------------------------- */

/*
 * active: the auditor's status is active (evidence: the auditor), from its
 * row (check/assign.h).
 */
int	check_active(struct store *, MDB_txn *, const char *auditor,
	    struct check_result *r);

/*
 * qualification: a verified auditor or lead auditor certificate valid on
 * every day of w (issued <= w.start, expires >= w.end or none), for
 * standard (NULL: any standard). Evidence: every such certificate.
 */
int	check_qualification(struct store *, MDB_txn *, const char *auditor,
	    const char *standard, const struct check_window *w,
	    struct check_result *r);

/* lead_qualification: check_qualification for lead auditor certificates. */
int	check_lead_qualification(struct store *, MDB_txn *,
	    const char *auditor, const char *standard,
	    const struct check_window *w, struct check_result *r);

/*
 * cpd: at least cpd.min_hours verified CPD hours dated in
 * [on - cpd.window_months, on] (check_window_back). Evidence: the
 * trainings counted.
 */
int	check_cpd(struct store *, MDB_txn *, const char *auditor,
	    const char *on, const struct policy *, struct check_result *r);

/*
 * evaluation: the latest evaluation dated on or before on exists, is not
 * past its due day (check_eval_due) and does not find does_not_meet. It
 * passes with a warning when it partially meets the criteria, or when the
 * next evaluation is due within POLICY_DUE_DAYS. Evidence: the evaluation.
 */
int	check_evaluation(struct store *, MDB_txn *, const char *auditor,
	    const char *on, const struct policy *, struct check_result *r);

/*
 * expiry (a warning only: r->ok is always 1): warns when every
 * certificate that passes check_qualification for standard and w expires
 * within warn.expiry_days after w.end. Evidence: the one valid longest.
 */
int	check_expiry(struct store *, MDB_txn *, const char *auditor,
	    const char *standard, const struct check_window *w,
	    const struct policy *, struct check_result *r);

/* ---- what the rules, the status and the reports share -------------------- */

enum check_qual_state {
	CHECK_QUAL_VALID = 0,
	CHECK_QUAL_EXPIRING,		/* valid, expires within warn days */
	CHECK_QUAL_EXPIRED,
	CHECK_QUAL_NOT_YET_VALID,
	CHECK_QUAL_UNVERIFIED		/* whatever its dates */
};

/* q's state on day on. */
enum check_qual_state	 check_qual_state(const struct rows_qual *q,
			    const char *on, const struct policy *);
const char		*check_qual_state_name(enum check_qual_state);

/*
 * The verified CPD hours of auditor dated in w, in hundredths, into *sum;
 * cb (may be NULL) sees each training counted, in date order, and returns
 * 0 to go on.
 */
int	check_cpd_sum(struct store *, MDB_txn *, const char *auditor,
	    const struct check_window *w, uint64_t *sum,
	    int (*cb)(const struct rows_cpd *, void *), void *arg);

/*
 * cpd.min_hours (hundredths) prorated to period: min_hours x the days of
 * period / the days of the cpd window that ends on period.end, both
 * counted with both ends included and rounded half up to a hundredth. A
 * period that is exactly that window needs exactly min_hours.
 */
uint64_t check_cpd_prorated(const struct policy *,
	    const struct check_window *period);

/*
 * The latest evaluation of auditor dated on or before on, into *e (the
 * last in date order, then id order); *found says whether there is one.
 */
int	check_eval_latest(struct store *, MDB_txn *, const char *auditor,
	    const char *on, struct rows_eval *e, int *found);

/*
 * The last day e is current: the earlier of its next_due and the last day
 * it is at most evaluation.max_age_months old (check_window_last_day).
 */
void	check_eval_due(const struct policy *, const struct rows_eval *e,
	    char out[UTIL_DATE_LEN]);

enum check_eval_state {
	CHECK_EVAL_CURRENT = 0,
	CHECK_EVAL_DUE,			/* due within POLICY_DUE_DAYS */
	CHECK_EVAL_OVERDUE,		/* on is after its due day */
	CHECK_EVAL_FAILED,		/* it found does_not_meet */
	CHECK_EVAL_NONE
};

/* The state of latest (NULL: none) on day on. */
enum check_eval_state	 check_eval_state(const struct policy *,
			    const struct rows_eval *latest, const char *on);
const char		*check_eval_state_name(enum check_eval_state);

/* Hundredths of an hour as a person writes them: "20", "18.5", "7.25". */
#define CHECK_HOURS_LEN	UTIL_HOURS_LEN
void	check_hours_str(uint64_t hundredths, char out[CHECK_HOURS_LEN]);

#endif
