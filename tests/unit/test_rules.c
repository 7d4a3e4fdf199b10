/*
 * test_rules.c: the member rules (check/rules.h) and their date
 * arithmetic (check/window.h) on hand-built stores, with every edge worked
 * out by hand: the CPD window's both ends and month-end clamping, a
 * certificate's first and last day, an evaluation's age and due day.
 */
#include "cu.h"
#include "fixture.h"

#include "api/status.h"
#include "check/rules.h"

static struct fixture	fx;
static struct policy	pol;

/* ---- records ------------------------------------------------------------ */

static void
auditor(const char *id, const char *status)
{
	CU_ASSERT_EQUAL_FATAL(fixture_put(&fx, "auditors", id,
	    "{s:s, s:s, s:s}", "name", id, "email", "x@example.org", "status",
	    status), STORE_OK);
}

static void
training(const char *id, const char *aud, const char *date, double hours,
    int verified, int cpd)
{
	CU_ASSERT_EQUAL_FATAL(fixture_put(&fx, "trainings", id,
	    "{s:s, s:s, s:s, s:f, s:b, s:b}", "auditor", aud, "title", "T",
	    "date", date, "hours", hours, "verified", verified, "cpd", cpd),
	    STORE_OK);
}

static void
qualification(const char *id, const char *aud, const char *kind,
    const char *standard, const char *issued, const char *expires,
    int verified)
{
	json_t	*d = json_pack("{s:s, s:s, s:s, s:s, s:b}", "auditor", aud,
		    "kind", kind, "title", "Q", "issued", issued, "verified",
		    verified);

	if (standard != NULL)
		json_object_set_new(d, "standard", json_string(standard));
	if (expires != NULL)
		json_object_set_new(d, "expires", json_string(expires));
	CU_ASSERT_EQUAL_FATAL(fixture_apply(&fx, "qualifications",
	    RECORDS_CREATE, id, d), STORE_OK);
}

static void
evaluation(const char *id, const char *aud, const char *date,
    const char *result, const char *next_due)
{
	json_t	*d = json_pack("{s:s, s:s, s:s, s:s}", "auditor", aud, "date",
		    date, "method", "interview", "result", result);

	if (next_due != NULL)
		json_object_set_new(d, "next_due", json_string(next_due));
	CU_ASSERT_EQUAL_FATAL(fixture_apply(&fx, "evaluations",
	    RECORDS_CREATE, id, d), STORE_OK);
}

static void
patch(const char *coll, const char *id, const char *json)
{
	CU_ASSERT_EQUAL_FATAL(fixture_apply(&fx, coll, RECORDS_PATCH, id,
	    json_loads(json, 0, NULL)), STORE_OK);
}

/* ---- judging ------------------------------------------------------------ */

enum rule { R_ACTIVE, R_QUAL, R_CPD, R_EVAL, R_EXPIRY };

/*
 * Judge rule for aud on on (standard and the window [on, until] for the
 * qualification rules; until NULL: the day). Returns the store result.
 */
static int
judge(enum rule rule, const char *aud, const char *on, const char *standard,
    const char *until, struct check_result *r)
{
	struct check_window	w;
	MDB_txn			*txn;
	int			 rc;

	CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
	check_window_day(&w, on);
	if (until != NULL)
		snprintf(w.end, sizeof w.end, "%s", until);
	switch (rule) {
	case R_ACTIVE:
		rc = check_active(fx.st, txn, aud, r);
		break;
	case R_QUAL:
		rc = check_qualification(fx.st, txn, aud, standard, &w, r);
		break;
	case R_CPD:
		rc = check_cpd(fx.st, txn, aud, on, &pol, r);
		break;
	case R_EVAL:
		rc = check_evaluation(fx.st, txn, aud, on, &pol, r);
		break;
	default:
		rc = check_expiry(fx.st, txn, aud, standard, &w, &pol, r);
		break;
	}
	mdb_txn_abort(txn);
	return rc;
}

/* Judge and require ok, warn, the detail and the evidence (NULL-ended). */
static void
expect(enum rule rule, const char *aud, const char *on, const char *standard,
    const char *until, int ok, int warn, const char *detail, ...)
{
	struct check_result	 r;
	va_list			 ap;
	const char		*ev;
	size_t			 n = 0;

	CU_ASSERT_EQUAL_FATAL(judge(rule, aud, on, standard, until, &r),
	    STORE_OK);
	if (r.ok != ok || r.warn != warn || strcmp(r.detail, detail) != 0)
		fprintf(stderr, "\n%s on %s: ok %d warn %d \"%s\"\n", aud, on,
		    r.ok, r.warn, r.detail);
	CU_ASSERT_EQUAL(r.ok, ok);
	CU_ASSERT_EQUAL(r.warn, warn);
	CU_ASSERT_STRING_EQUAL(r.detail, detail);
	va_start(ap, detail);
	while ((ev = va_arg(ap, const char *)) != NULL) {
		CU_ASSERT(n < r.nevidence && strcmp(r.evidence[n], ev) == 0);
		if (n < r.nevidence && strcmp(r.evidence[n], ev) != 0)
			fprintf(stderr, "\nevidence %zu: %s, want %s\n", n,
			    r.evidence[n], ev);
		n++;
	}
	va_end(ap);
	CU_ASSERT_EQUAL(r.nevidence, n);
}

/* ---- the tests ----------------------------------------------------------- */

static void
test_window(void)
{
	struct check_window	w, p;
	char			d[UTIL_DATE_LEN];

	/* Months on the calendar, clamped to the month's last day. */
	check_window_back(&w, "2027-03-31", 12);
	CU_ASSERT_STRING_EQUAL(w.start, "2026-03-31");
	CU_ASSERT_STRING_EQUAL(w.end, "2027-03-31");
	check_window_back(&w, "2027-02-28", 12);
	CU_ASSERT_STRING_EQUAL(w.start, "2026-02-28");
	check_window_back(&w, "2024-02-29", 12);
	CU_ASSERT_STRING_EQUAL(w.start, "2023-02-28");
	check_window_back(&w, "2025-02-28", 12);
	CU_ASSERT_STRING_EQUAL(w.start, "2024-02-28");
	check_window_back(&w, "2027-03-31", 1);
	CU_ASSERT_STRING_EQUAL(w.start, "2027-02-28");
	/* Both ends count. */
	check_window_back(&w, "2026-11-30", 12);
	CU_ASSERT_EQUAL(check_window_days(&w), 366);
	CU_ASSERT(check_window_has(&w, "2025-11-30"));
	CU_ASSERT(check_window_has(&w, "2026-11-30"));
	CU_ASSERT(!check_window_has(&w, "2025-11-29"));
	CU_ASSERT(!check_window_has(&w, "2026-12-01"));
	check_window_day(&w, "2026-11-30");
	CU_ASSERT_EQUAL(check_window_days(&w), 1);
	CU_ASSERT(check_window_covered(&w, "2026-11-30", "2026-11-30"));
	CU_ASSERT(check_window_covered(&w, "2000-01-01", ""));
	CU_ASSERT(check_window_covered(&w, "2000-01-01", NULL));
	CU_ASSERT(!check_window_covered(&w, "2026-12-01", ""));
	CU_ASSERT(!check_window_covered(&w, "2000-01-01", "2026-11-29"));
	snprintf(w.end, sizeof w.end, "2026-12-31");
	CU_ASSERT(!check_window_covered(&w, "2000-01-01", "2026-12-30"));
	CU_ASSERT(check_window_covered(&w, "2026-11-30", "2026-12-31"));

	/* The last day a record dated d is within 12 months. */
	check_window_last_day("2026-06-01", 12, d);
	CU_ASSERT_STRING_EQUAL(d, "2027-06-01");
	check_window_last_day("2023-02-28", 12, d);
	CU_ASSERT_STRING_EQUAL(d, "2024-02-29");
	check_window_last_day("2024-02-29", 12, d);
	CU_ASSERT_STRING_EQUAL(d, "2025-02-28");
	check_window_last_day("2026-03-29", 11, d);
	CU_ASSERT_STRING_EQUAL(d, "2027-02-28");

	/* Prorated CPD minimum: 20 h x days / days of the 12-month window. */
	check_window_back(&p, "2026-11-30", 12);
	CU_ASSERT_EQUAL(check_cpd_prorated(&pol, &p), 2000);
	snprintf(p.start, sizeof p.start, "2026-01-01");
	snprintf(p.end, sizeof p.end, "2026-06-30");
	/* 2000 x 181 / 366 = 989.07 */
	CU_ASSERT_EQUAL(check_cpd_prorated(&pol, &p), 989);
	check_window_day(&p, "2026-11-30");
	/* 2000 / 366 = 5.46 */
	CU_ASSERT_EQUAL(check_cpd_prorated(&pol, &p), 5);
	check_window_day(&p, "2026-12-31");
	snprintf(p.start, sizeof p.start, "2026-12-01");
	/* 2000 x 31 / 366 = 169.40; and 2000 x 3 / 366 = 16.39 */
	CU_ASSERT_EQUAL(check_cpd_prorated(&pol, &p), 169);

	CU_ASSERT(check_date_ok("1000-01-01"));
	CU_ASSERT(check_date_ok("8999-12-31"));
	CU_ASSERT(!check_date_ok("0999-12-31"));
	CU_ASSERT(!check_date_ok("9000-01-01"));
	CU_ASSERT(!check_date_ok("2026-02-29"));
	CU_ASSERT(!check_date_ok("2026-1-01"));
	CU_ASSERT(!check_date_ok(NULL));
	check_date_add_days("2024-02-28", 2, d);
	CU_ASSERT_STRING_EQUAL(d, "2024-03-01");
	CU_ASSERT_EQUAL(check_date_diff("2026-11-30", "2026-09-01"), -90);
}

static void
test_hours(void)
{
	char	s[CHECK_HOURS_LEN];

	check_hours_str(2000, s);
	CU_ASSERT_STRING_EQUAL(s, "20");
	check_hours_str(1850, s);
	CU_ASSERT_STRING_EQUAL(s, "18.5");
	check_hours_str(725, s);
	CU_ASSERT_STRING_EQUAL(s, "7.25");
	check_hours_str(5, s);
	CU_ASSERT_STRING_EQUAL(s, "0.05");
	check_hours_str(0, s);
	CU_ASSERT_STRING_EQUAL(s, "0");
}

static void
test_active(void)
{
	struct check_result	r;

	auditor("alice", "active");
	auditor("rex", "retired");
	expect(R_ACTIVE, "alice", "2026-11-30", NULL, NULL, 1, 0,
	    "status is active", "auditors/alice", NULL);
	expect(R_ACTIVE, "rex", "2026-11-30", NULL, NULL, 0, 0,
	    "status is retired", "auditors/rex", NULL);
	CU_ASSERT_EQUAL(judge(R_ACTIVE, "nobody", "2026-11-30", NULL, NULL,
	    &r), STORE_NOTFOUND);
	patch("auditors", "rex", "{\"status\":\"suspended\"}");
	expect(R_ACTIVE, "rex", "2026-11-30", NULL, NULL, 0, 0,
	    "status is suspended", "auditors/rex", NULL);
}

static void
test_cpd(void)
{
	static const char	*win = "from 2025-11-30 to 2026-11-30";
	char			 want[128];

	training("t0", "alice", "2025-11-29", 10, 1, 1);	/* a day early */
	training("t1", "alice", "2025-11-30", 8, 1, 1);		/* first day */
	training("t2", "alice", "2026-11-30", 5.5, 1, 1);	/* on itself */
	training("t3", "alice", "2026-12-01", 10, 1, 1);	/* after */
	training("t4", "alice", "2026-06-01", 5, 0, 1);		/* unverified */
	training("t5", "alice", "2026-06-02", 5, 1, 0);		/* not CPD */
	snprintf(want, sizeof want, "13.5 verified CPD hours %s; 20 needed",
	    win);
	expect(R_CPD, "alice", "2026-11-30", NULL, NULL, 0, 0, want,
	    "trainings/t1", "trainings/t2", NULL);
	/* Verified, t4 counts; date order in the evidence. */
	patch("trainings", "t4", "{\"verified\":true}");
	snprintf(want, sizeof want, "18.5 verified CPD hours %s; 20 needed",
	    win);
	expect(R_CPD, "alice", "2026-11-30", NULL, NULL, 0, 0, want,
	    "trainings/t1", "trainings/t4", "trainings/t2", NULL);
	training("t6", "alice", "2026-01-15", 1.5, 1, 1);
	snprintf(want, sizeof want, "20 verified CPD hours %s; 20 needed", win);
	expect(R_CPD, "alice", "2026-11-30", NULL, NULL, 1, 0, want,
	    "trainings/t1", "trainings/t6", "trainings/t4", "trainings/t2",
	    NULL);
	/* A day earlier the window takes t0 and leaves t2. */
	expect(R_CPD, "alice", "2026-11-29", NULL, NULL, 1, 0,
	    "24.5 verified CPD hours from 2025-11-29 to 2026-11-29; 20 needed",
	    "trainings/t0", "trainings/t1", "trainings/t6", "trainings/t4",
	    NULL);
	/* A day later t1 has left and t3 has come. */
	expect(R_CPD, "alice", "2026-12-01", NULL, NULL, 1, 0,
	    "22 verified CPD hours from 2025-12-01 to 2026-12-01; 20 needed",
	    "trainings/t6", "trainings/t4", "trainings/t2", "trainings/t3",
	    NULL);
	/* Unverified again, and a changed date: the rows follow. */
	patch("trainings", "t4", "{\"verified\":false}");
	patch("trainings", "t6", "{\"date\":\"2025-01-15\"}");
	expect(R_CPD, "alice", "2026-11-30", NULL, NULL, 0, 0, "13.5 verified "
	    "CPD hours from 2025-11-30 to 2026-11-30; 20 needed",
	    "trainings/t1", "trainings/t2", NULL);
	/* Nobody's hours. */
	expect(R_CPD, "rex", "2026-11-30", NULL, NULL, 0, 0, "0 verified CPD "
	    "hours from 2025-11-30 to 2026-11-30; 20 needed", NULL);
}

static void
test_cpd_month_ends(void)
{
	auditor("bob", "active");
	training("b1", "bob", "2026-03-31", 20, 1, 1);
	training("b2", "bob", "2026-03-30", 20, 1, 1);
	/* On 2027-03-31 the window starts on 2026-03-31. */
	expect(R_CPD, "bob", "2027-03-31", NULL, NULL, 1, 0, "20 verified CPD "
	    "hours from 2026-03-31 to 2027-03-31; 20 needed", "trainings/b1",
	    NULL);
	expect(R_CPD, "bob", "2027-03-30", NULL, NULL, 1, 0, "40 verified CPD "
	    "hours from 2026-03-30 to 2027-03-30; 20 needed", "trainings/b2",
	    "trainings/b1", NULL);
	expect(R_CPD, "bob", "2027-04-01", NULL, NULL, 0, 0, "0 verified CPD "
	    "hours from 2026-04-01 to 2027-04-01; 20 needed", NULL);

	auditor("leap", "active");
	training("l1", "leap", "2024-02-28", 10, 1, 1);
	training("l2", "leap", "2024-02-29", 10, 1, 1);
	training("l3", "leap", "2023-02-28", 10, 1, 1);
	training("l4", "leap", "2023-02-27", 10, 1, 1);
	/* 2025 has no 29 February: the window starts on the 28th. */
	expect(R_CPD, "leap", "2025-02-28", NULL, NULL, 1, 0, "20 verified CPD "
	    "hours from 2024-02-28 to 2025-02-28; 20 needed", "trainings/l1",
	    "trainings/l2", NULL);
	expect(R_CPD, "leap", "2025-03-01", NULL, NULL, 0, 0, "0 verified CPD "
	    "hours from 2024-03-01 to 2025-03-01; 20 needed", NULL);
	/* On the leap day the window starts on 2023-02-28, clamped. */
	expect(R_CPD, "leap", "2024-02-29", NULL, NULL, 1, 0, "30 verified CPD "
	    "hours from 2023-02-28 to 2024-02-29; 20 needed", "trainings/l3",
	    "trainings/l1", "trainings/l2", NULL);
	expect(R_CPD, "leap", "2024-02-28", NULL, NULL, 1, 0, "20 verified CPD "
	    "hours from 2023-02-28 to 2024-02-28; 20 needed", "trainings/l3",
	    "trainings/l1", NULL);
}

static void
test_qualification(void)
{
	auditor("quinn", "active");
	qualification("q1", "quinn", "auditor_certificate", "ISO/IEC 27001",
	    "2025-03-01", "2026-11-30", 1);
	qualification("q2", "quinn", "education", NULL, "2010-01-01", NULL,
	    1);
	/* Valid on its last day, expired the day after. */
	expect(R_QUAL, "quinn", "2026-11-30", NULL, NULL, 1, 0,
	    "auditor_certificate q1 (ISO/IEC 27001) valid on 2026-11-30, "
	    "until 2026-11-30", "qualifications/q1", NULL);
	expect(R_QUAL, "quinn", "2026-12-01", NULL, NULL, 0, 0,
	    "no verified auditor or lead auditor certificate valid on "
	    "2026-12-01; q1 expired on 2026-11-30", NULL);
	/* Valid from its first day, not the day before. */
	expect(R_QUAL, "quinn", "2025-03-01", NULL, NULL, 1, 0,
	    "auditor_certificate q1 (ISO/IEC 27001) valid on 2025-03-01, "
	    "until 2026-11-30", "qualifications/q1", NULL);
	expect(R_QUAL, "quinn", "2025-02-28", NULL, NULL, 0, 0,
	    "no verified auditor or lead auditor certificate valid on "
	    "2025-02-28; q1 is valid from 2025-03-01", NULL);
	/* Unverified never counts, and says so. */
	qualification("q3", "quinn", "lead_auditor_certificate",
	    "ISO/IEC 27701", "2026-01-01", NULL, 0);
	expect(R_QUAL, "quinn", "2026-12-01", NULL, NULL, 0, 0,
	    "no verified auditor or lead auditor certificate valid on "
	    "2026-12-01; q3 is not verified", NULL);
	patch("qualifications", "q3", "{\"verified\":true}");
	expect(R_QUAL, "quinn", "2026-12-01", NULL, NULL, 1, 0,
	    "lead_auditor_certificate q3 (ISO/IEC 27701) valid on 2026-12-01, "
	    "with no expiry", "qualifications/q3", NULL);
	/* Both valid: both are evidence, the longer-lasting one is named. */
	expect(R_QUAL, "quinn", "2026-06-01", NULL, NULL, 1, 0,
	    "lead_auditor_certificate q3 (ISO/IEC 27701) valid on 2026-06-01, "
	    "with no expiry", "qualifications/q1", "qualifications/q3", NULL);
	/* For one standard only. */
	expect(R_QUAL, "quinn", "2026-12-01", "ISO/IEC 27001", NULL, 0, 0,
	    "no verified auditor or lead auditor certificate for ISO/IEC 27001 "
	    "valid on 2026-12-01; q1 expired on 2026-11-30", NULL);
	expect(R_QUAL, "quinn", "2026-06-01", "ISO/IEC 27001", NULL, 1, 0,
	    "auditor_certificate q1 (ISO/IEC 27001) valid on 2026-06-01, "
	    "until 2026-11-30", "qualifications/q1", NULL);
	/* Over a window: valid on every day of it. */
	expect(R_QUAL, "quinn", "2025-12-01", NULL, "2026-06-01", 1, 0,
	    "auditor_certificate q1 (ISO/IEC 27001) valid from 2025-12-01 to "
	    "2026-06-01, until 2026-11-30", "qualifications/q1", NULL);
	expect(R_QUAL, "quinn", "2026-06-01", "ISO/IEC 27001", "2026-12-31",
	    0, 0, "no verified auditor or lead auditor certificate for "
	    "ISO/IEC 27001 valid from 2026-06-01 to 2026-12-31; q1 expires on "
	    "2026-11-30", NULL);
	/* Nothing at all. */
	expect(R_QUAL, "rex", "2026-06-01", NULL, NULL, 0, 0,
	    "no verified auditor or lead auditor certificate valid on "
	    "2026-06-01", NULL);
}

static void
test_qual_state(void)
{
	struct rows_qual	q;

	memset(&q, 0, sizeof q);
	q.verified = 1;
	snprintf(q.issued, sizeof q.issued, "2025-03-01");
	snprintf(q.expires, sizeof q.expires, "2026-11-30");
	CU_ASSERT_EQUAL(check_qual_state(&q, "2026-11-30", &pol),
	    CHECK_QUAL_EXPIRING);
	CU_ASSERT_EQUAL(check_qual_state(&q, "2026-12-01", &pol),
	    CHECK_QUAL_EXPIRED);
	CU_ASSERT_EQUAL(check_qual_state(&q, "2025-02-28", &pol),
	    CHECK_QUAL_NOT_YET_VALID);
	CU_ASSERT_EQUAL(check_qual_state(&q, "2025-03-01", &pol),
	    CHECK_QUAL_VALID);
	/* warn.expiry_days is 90: 90 days before is expiring, 91 is not. */
	CU_ASSERT_EQUAL(check_qual_state(&q, "2026-09-01", &pol),
	    CHECK_QUAL_EXPIRING);
	CU_ASSERT_EQUAL(check_qual_state(&q, "2026-08-31", &pol),
	    CHECK_QUAL_VALID);
	q.expires[0] = '\0';
	CU_ASSERT_EQUAL(check_qual_state(&q, "2099-01-01", &pol),
	    CHECK_QUAL_VALID);
	q.verified = 0;
	CU_ASSERT_EQUAL(check_qual_state(&q, "2026-01-01", &pol),
	    CHECK_QUAL_UNVERIFIED);
	CU_ASSERT_STRING_EQUAL(check_qual_state_name(CHECK_QUAL_NOT_YET_VALID),
	    "not_yet_valid");
	CU_ASSERT_STRING_EQUAL(check_qual_state_name(CHECK_QUAL_UNVERIFIED),
	    "unverified");
}

static void
test_expiry(void)
{
	auditor("xena", "active");
	qualification("x1", "xena", "auditor_certificate", "ISO/IEC 27001",
	    "2025-03-01", "2026-11-30", 1);
	expect(R_EXPIRY, "xena", "2026-09-01", NULL, NULL, 1, 1,
	    "auditor_certificate x1 (ISO/IEC 27001), the last valid "
	    "certificate, expires on 2026-11-30, in 90 days",
	    "qualifications/x1", NULL);
	expect(R_EXPIRY, "xena", "2026-08-31", NULL, NULL, 1, 0,
	    "auditor_certificate x1 (ISO/IEC 27001), the last valid "
	    "certificate, expires on 2026-11-30, in 91 days",
	    "qualifications/x1", NULL);
	/* A renewal that lasts longer ends the warning. */
	qualification("x2", "xena", "auditor_certificate", "ISO/IEC 27001",
	    "2026-08-01", "2029-11-30", 1);
	expect(R_EXPIRY, "xena", "2026-09-01", NULL, NULL, 1, 0,
	    "auditor_certificate x2 (ISO/IEC 27001), the last valid "
	    "certificate, expires on 2029-11-30, in 1186 days",
	    "qualifications/x2", NULL);
	expect(R_EXPIRY, "xena", "2030-01-01", NULL, NULL, 1, 0,
	    "no valid certificate to expire", NULL);
}

static void
test_evaluation(void)
{
	auditor("eve", "active");
	expect(R_EVAL, "eve", "2026-11-30", NULL, NULL, 0, 0,
	    "no evaluation on or before 2026-11-30", NULL);
	/* Exactly 12 months old is still current, a day more is not. */
	evaluation("e1", "eve", "2025-11-30", "meets", NULL);
	expect(R_EVAL, "eve", "2026-11-30", NULL, NULL, 1, 1,
	    "the latest evaluation, e1 on 2025-11-30, meets the criteria; "
	    "the next is due by 2026-11-30, in 0 days", "evaluations/e1", NULL);
	expect(R_EVAL, "eve", "2026-12-01", NULL, NULL, 0, 0,
	    "the latest evaluation, e1 on 2025-11-30, is older than 12 months "
	    "on 2026-12-01", "evaluations/e1", NULL);
	expect(R_EVAL, "eve", "2025-11-29", NULL, NULL, 0, 0,
	    "no evaluation on or before 2025-11-29", NULL);
	/* One dated after on does not count on on. */
	evaluation("e2", "eve", "2026-12-15", "meets", "2027-06-01");
	expect(R_EVAL, "eve", "2026-12-01", NULL, NULL, 0, 0,
	    "the latest evaluation, e1 on 2025-11-30, is older than 12 months "
	    "on 2026-12-01", "evaluations/e1", NULL);
	expect(R_EVAL, "eve", "2026-12-15", NULL, NULL, 1, 0,
	    "the latest evaluation, e2 on 2026-12-15, meets the criteria; "
	    "the next is due by 2027-06-01", "evaluations/e2", NULL);
	/* Due on next_due itself; overdue the day after. */
	expect(R_EVAL, "eve", "2027-06-01", NULL, NULL, 1, 1,
	    "the latest evaluation, e2 on 2026-12-15, meets the criteria; "
	    "the next is due by 2027-06-01, in 0 days", "evaluations/e2",
	    NULL);
	expect(R_EVAL, "eve", "2027-04-02", NULL, NULL, 1, 1,
	    "the latest evaluation, e2 on 2026-12-15, meets the criteria; "
	    "the next is due by 2027-06-01, in 60 days", "evaluations/e2",
	    NULL);
	expect(R_EVAL, "eve", "2027-04-01", NULL, NULL, 1, 0,
	    "the latest evaluation, e2 on 2026-12-15, meets the criteria; "
	    "the next is due by 2027-06-01", "evaluations/e2", NULL);
	expect(R_EVAL, "eve", "2027-06-02", NULL, NULL, 0, 0,
	    "the latest evaluation, e2 on 2026-12-15, was due again by "
	    "2027-06-01", "evaluations/e2", NULL);
	/* does_not_meet fails whatever its dates. */
	evaluation("e3", "eve", "2027-01-10", "does_not_meet", "2027-04-10");
	expect(R_EVAL, "eve", "2027-01-10", NULL, NULL, 0, 0,
	    "the latest evaluation, e3 on 2027-01-10, does not meet the "
	    "criteria", "evaluations/e3", NULL);
	/* partially_meets passes with a warning. */
	evaluation("e4", "eve", "2027-02-01", "partially_meets", "2028-01-01");
	expect(R_EVAL, "eve", "2027-02-01", NULL, NULL, 1, 1,
	    "the latest evaluation, e4 on 2027-02-01, partially meets the "
	    "criteria; the next is due by 2028-01-01", "evaluations/e4", NULL);

	/* Age over a leap day: 2023-02-28 is current through 2024-02-29. */
	auditor("lea", "active");
	evaluation("v1", "lea", "2023-02-28", "meets", NULL);
	expect(R_EVAL, "lea", "2024-02-29", NULL, NULL, 1, 1,
	    "the latest evaluation, v1 on 2023-02-28, meets the criteria; "
	    "the next is due by 2024-02-29, in 0 days", "evaluations/v1", NULL);
	expect(R_EVAL, "lea", "2024-03-01", NULL, NULL, 0, 0,
	    "the latest evaluation, v1 on 2023-02-28, is older than 12 months "
	    "on 2024-03-01", "evaluations/v1", NULL);
}

/* The states the status and the reports show. */
static void
test_eval_state(void)
{
	struct rows_eval	e;

	memset(&e, 0, sizeof e);
	snprintf(e.date, sizeof e.date, "2025-11-30");
	CU_ASSERT_EQUAL(check_eval_state(&pol, NULL, "2026-01-01"),
	    CHECK_EVAL_NONE);
	CU_ASSERT_EQUAL(check_eval_state(&pol, &e, "2026-09-30"),
	    CHECK_EVAL_CURRENT);
	CU_ASSERT_EQUAL(check_eval_state(&pol, &e, "2026-10-01"),
	    CHECK_EVAL_DUE);
	CU_ASSERT_EQUAL(check_eval_state(&pol, &e, "2026-11-30"),
	    CHECK_EVAL_DUE);
	CU_ASSERT_EQUAL(check_eval_state(&pol, &e, "2026-12-01"),
	    CHECK_EVAL_OVERDUE);
	snprintf(e.next_due, sizeof e.next_due, "2026-03-01");
	CU_ASSERT_EQUAL(check_eval_state(&pol, &e, "2026-03-02"),
	    CHECK_EVAL_OVERDUE);
	e.result = ROWS_DOES_NOT_MEET;
	CU_ASSERT_EQUAL(check_eval_state(&pol, &e, "2026-01-01"),
	    CHECK_EVAL_FAILED);
	CU_ASSERT_STRING_EQUAL(check_eval_state_name(CHECK_EVAL_OVERDUE),
	    "overdue");
}

/* The status answer: the rules' verdicts in order, in its schema's shape. */
static void
test_status(void)
{
	MDB_txn		*txn;
	json_t		*j, *errors = json_array(), *g;
	const char	*s;

	CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
	CU_ASSERT_EQUAL_FATAL(status_json(fx.st, txn, "quinn", "2026-12-01",
	    &j), STORE_OK);
	CU_ASSERT_EQUAL(schema_validate(schema_builtin("status"), j, errors,
	    10), 0);
	CU_ASSERT(json_is_false(json_object_get(j, "fit")));
	g = json_object_get(j, "gaps");
	/* quinn: qualified (q3), but no CPD hours and no evaluation. */
	CU_ASSERT_EQUAL(json_array_size(g), 2);
	s = json_string_value(json_object_get(json_array_get(g, 0), "rule"));
	CU_ASSERT(s != NULL && strcmp(s, "cpd") == 0);
	s = json_string_value(json_object_get(json_array_get(g, 1), "rule"));
	CU_ASSERT(s != NULL && strcmp(s, "evaluation") == 0);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "qualifications")),
	    3);
	json_decref(j);
	CU_ASSERT_EQUAL(status_json(fx.st, txn, "nobody", "2026-12-01", &j),
	    STORE_NOTFOUND);
	CU_ASSERT_PTR_NULL(j);
	mdb_txn_abort(txn);
	json_decref(errors);
}

static int
suite_init(void)
{
	policy_default(&pol);
	return fixture_open(&fx, 64 << 20);
}

static int
suite_clean(void)
{
	fixture_close(&fx);
	schema_builtin_free();
	return 0;
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "windows, clamping, proration, date limits", test_window },
		{ "hours as a person writes them", test_hours },
		{ "active", test_active },
		{ "cpd: window ends, verification, cpd flag", test_cpd },
		{ "cpd: month ends and leap years", test_cpd_month_ends },
		{ "qualification: first and last day, verified, standard, "
		    "window", test_qualification },
		{ "qualification states", test_qual_state },
		{ "expiry warning", test_expiry },
		{ "evaluation: age, next_due, result", test_evaluation },
		{ "evaluation states", test_eval_state },
		{ "status: verdicts in order, schema shape", test_status },
		{ NULL, NULL }
	};

	int	rc;

	if (suite_init() != 0)
		return 1;
	rc = cu_run("rules", tests);
	suite_clean();
	return rc;
}
