/*
 * cases_status.c: an auditor's status over curl, on a data set of its own
 * (auditors st-ann, st-ben, st-cid, st-dot and their records, dated
 * relative to today, UTC) whose answers are written out here by hand. The
 * data set comes from cases_status_data(), which every status and report
 * case that reads it calls first, so any of them may run alone or in any
 * order; status_me reads alice's status and needs only the principals.
 *
 * T is today; "T-12m" the same day a year before (29 February: the 28th),
 * the first day of the CPD window that ends today.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases.h"

#define T(off)		cases_day(off)
#define same		cases_same
#define get_ok		cases_get_ok
#define expect_400	cases_expect_400
#define year_back	cases_year_back

/* ---- dates relative to today --------------------------------------------- */

static long	today_n;		/* days since 1970-01-01 */

static void
day_str(long n, char out[11])
{
	time_t		t = (time_t)n * 86400;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

const char *
cases_day(long off)
{
	static char	buf[16][11];
	static int	i;

	/* Once per run: every date of the data set is relative to one day. */
	if (today_n == 0)
		today_n = (long)(time(NULL) / 86400);
	i = (i + 1) % 16;
	day_str(today_n + off, buf[i]);
	return buf[i];
}

void
cases_year_back(const char *d, char out[11])
{
	unsigned	y = (unsigned)atoi(d) - 1;

	memcpy(out, d, 11);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	/* 29 February a year back is the 28th. */
	if (strcmp(d + 4, "-02-29") == 0)
		out[9] = '8';
}

long
cases_day_num(const char *d)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8);
	return (long)(timegm(&tm) / 86400);
}

/* ---- the data set -------------------------------------------------------- */

/* Append one import line: doc (taken) as a record of coll. */
static void
line(json_t *lines, const char *coll, json_t *doc)
{
	json_array_append_new(lines, json_pack("{s:s, s:o}", "collection",
	    coll, "record", doc));
}

static void
auditor(json_t *l, const char *id, const char *name, const char *status)
{
	line(l, "auditors", json_pack("{s:s, s:s, s:s, s:s}", "id", id, "name",
	    name, "email", "st@example.org", "status", status));
}

/* expires NULL: none; areas a JSON array text. */
static void
qual(json_t *l, const char *id, const char *aud, const char *kind,
    const char *std, const char *issued, const char *expires, int verified,
    const char *areas)
{
	json_t	*d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}",
		    "id", id, "auditor", aud, "kind", kind, "title", "Q",
		    "standard", std, "issued", issued, "verified", verified,
		    "areas", json_loads(areas, 0, NULL));

	if (expires != NULL)
		json_object_set_new(d, "expires", json_string(expires));
	line(l, "qualifications", d);
}

static void
training(json_t *l, const char *id, const char *aud, const char *date,
    double hours, int verified)
{
	line(l, "trainings", json_pack("{s:s, s:s, s:s, s:s, s:f, s:b}", "id",
	    id, "auditor", aud, "title", "T", "date", date, "hours", hours,
	    "verified", verified));
}

static void
evaluation(json_t *l, const char *id, const char *aud, const char *date,
    const char *result, const char *next_due, const char *assessed)
{
	json_t	*d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", id,
		    "auditor", aud, "date", date, "method", "interview",
		    "result", result, "assessed", json_loads(assessed, 0,
		    NULL));

	if (next_due != NULL)
		json_object_set_new(d, "next_due", json_string(next_due));
	line(l, "evaluations", d);
}

static void
declaration(json_t *l, const char *id, const char *aud, const char *party,
    const char *kind, const char *from, const char *until)
{
	json_t	*d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id,
		    "auditor", aud, "party", party, "kind", kind, "from", from);

	if (until != NULL)
		json_object_set_new(d, "until", json_string(until));
	line(l, "declarations", d);
}

/* The data set's records as import lines, auditors before their records. */
static json_t *
data_lines(void)
{
	json_t	*l = json_array();
	char	 from[11], before[11];

	year_back(T(0), from);
	day_str(cases_day_num(from) - 1, before);

	/* st-ann: qualified, 18.5 of 20 CPD hours, evaluation due soon. */
	auditor(l, "st-ann", "Ann St", "active");
	qual(l, "sa-q1", "st-ann", "auditor_certificate", "ISO/IEC 27001",
	    T(-400), T(30), 1, "[\"isms-standards\",\"security-controls\"]");
	qual(l, "sa-q2", "st-ann", "lead_auditor_certificate", "ISO/IEC 27001",
	    T(-10), T(1000), 0, "[\"audit-principles\"]");
	training(l, "sa-t1", "st-ann", T(-10), 8, 1);
	training(l, "sa-t2", "st-ann", T(-20), 10.5, 1);
	training(l, "sa-t3", "st-ann", T(-30), 6, 0);	/* unverified */
	training(l, "sa-t4", "st-ann", before, 5, 1);	/* a day too early */
	evaluation(l, "sa-e1", "st-ann", T(-100), "meets", T(20),
	    "[{\"area\":\"isms-standards\",\"level\":\"expert\"},"
	    "{\"area\":\"risk-management\",\"level\":\"awareness\"}]");
	declaration(l, "sa-d1", "st-ann", "Finance", "consultancy", T(-800),
	    T(-1));
	declaration(l, "sa-d2", "st-ann", "Supplier", "employment", T(-50),
	    NULL);

	/* st-ben: certificate expired 5 days ago, evaluation overdue. */
	auditor(l, "st-ben", "Ben St", "active");
	qual(l, "sb-q1", "st-ben", "auditor_certificate", "ISO/IEC 27001",
	    T(-2000), T(-5), 1, "[]");
	qual(l, "sb-q2", "st-ben", "auditor_certificate", "ISO/IEC 27001",
	    T(-3000), T(-1000), 1, "[]");	/* renewed by sb-q1 */
	qual(l, "sb-q3", "st-ben", "education", "ISO/IEC 27001", T(-5000),
	    NULL, 1, "[\"legislation\"]");
	training(l, "sb-t1", "st-ben", T(0), 25, 1);
	evaluation(l, "sb-e1", "st-ben", T(-500), "meets", NULL,
	    "[{\"area\":\"legislation\",\"level\":\"expert\"}]");
	evaluation(l, "sb-e2", "st-ben", T(-200), "meets", T(-3),
	    "[{\"area\":\"legislation\",\"level\":\"awareness\"}]");

	/*
	 * st-cid: nothing at all, and a name the reports must escape. st-dot:
	 * retired, so in no report.
	 */
	auditor(l, "st-cid", CID_NAME, "active");
	auditor(l, "st-dot", "Dot St", "retired");
	qual(l, "sd-q1", "st-dot", "auditor_certificate", "ISO/IEC 27001",
	    T(-100), T(10), 1, "[]");
	training(l, "sd-t1", "st-dot", T(-1), 3, 1);
	return l;
}

/*
 * One import as admin: each record is created, or replaced by the data
 * set's own when something left it otherwise, or found unchanged; all in
 * one batch, so kept whole or not at all. Once it has worked, later calls
 * return at once: nothing else writes these ids.
 */
void
cases_status_data(void)
{
	static int	 built;
	struct resp	 r;
	json_t		*lines, *v;
	char		*body = NULL, *s;
	size_t		 i, len = 0;
	FILE		*f;

	if (built)
		return;
	f = open_memstream(&body, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	lines = data_lines();
	json_array_foreach(lines, i, v) {
		s = json_dumps(v, JSON_COMPACT);
		fprintf(f, "%s\n", s);
		free(s);
	}
	fclose(f);
	client_http(&r, "admin", "POST", "/v1/import", body,
	    "Content-Type: application/x-ndjson", NULL);
	built = r.status == 200 &&
	    client_int(&r, "lines") == (long long)json_array_size(lines) &&
	    client_int(&r, "failed_batches") == 0 &&
	    client_int(&r, "created") + client_int(&r, "replaced") +
	    client_int(&r, "unchanged") == (long long)json_array_size(lines);
	if (!built)
		client_dump(&r, "the status data set was not imported whole");
	client_resp_free(&r);
	json_decref(lines);
	free(body);
	CU_ASSERT_FATAL(built);
}

/* ---- helpers ------------------------------------------------------------- */

json_t *
cases_get_ok(struct resp *r, const char *who, const char *path)
{
	client_http(r, who, "GET", path, NULL, NULL);
	EXPECT_STATUS(r, 200);
	return r->json;
}

int
cases_same(const json_t *got, json_t *want, const char *what)
{
	char	*g, *w;
	int	 ok = got != NULL && want != NULL && json_equal(got, want);

	if (!ok) {
		g = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT |
		    JSON_ENCODE_ANY);
		w = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT |
		    JSON_ENCODE_ANY);
		printf("\n  ** %s:\n     got  %s\n     want %s\n", what,
		    g != NULL ? g : "(none)", w != NULL ? w : "(none)");
		free(g);
		free(w);
	}
	json_decref(want);
	return ok;
}

int
cases_item_at(const json_t *items, const char *key, const char *val)
{
	size_t	i;

	for (i = 0; i < json_array_size(items); i++)
		if (strcmp(client_sv(json_array_get(items, i), key), val) == 0)
			return (int)i;
	return -1;
}

void
cases_expect_400(const char *who, const char *path)
{
	struct resp	r;

	client_http(&r, who, "GET", path, NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
}

json_t *
cases_ann_status(void)
{
	char	from[11], gap[160], w1[200], w2[200];

	year_back(T(0), from);
	snprintf(gap, sizeof gap, "18.5 verified CPD hours from %s to %s; 20 "
	    "needed", from, T(0));
	snprintf(w1, sizeof w1, "the latest evaluation, sa-e1 on %s, meets the "
	    "criteria; the next is due by %s, in 20 days", T(-100), T(20));
	snprintf(w2, sizeof w2, "auditor_certificate sa-q1 (ISO/IEC 27001), "
	    "the last valid certificate, expires on %s, in 30 days", T(30));
	return json_pack("{s:s, s:s, s:b, s:[{s:s, s:s}], "
	    "s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:i}, "
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:i}], "
	    "s:{s:s, s:s, s:f, s:i, s:[s, s]}, "
	    "s:{s:s, s:s, s:s, s:s, s:s}, "
	    "s:[{s:s, s:s, s:s, s:s, s:n}], s:[], "
	    "s:[{s:s, s:s}, {s:s, s:s}]}",
	    "auditor", "st-ann", "on", T(0), "fit", 0,
	    "gaps", "rule", "cpd", "detail", gap,
	    "qualifications",
	    "id", "sa-q1", "kind", "auditor_certificate", "standard",
	    "ISO/IEC 27001", "issued", T(-400), "expires", T(30), "state",
	    "expiring", "days_left", 30,
	    "id", "sa-q2", "kind", "lead_auditor_certificate", "standard",
	    "ISO/IEC 27001", "issued", T(-10), "expires", T(1000), "state",
	    "unverified", "days_left", 1000,
	    "cpd", "from", from, "to", T(0), "hours", 18.5, "min_hours", 20,
	    "evidence", "trainings/sa-t2", "trainings/sa-t1",
	    "evaluation", "latest", "evaluations/sa-e1", "date", T(-100),
	    "result", "meets", "next_due", T(20), "state", "due",
	    "declarations", "id", "sa-d2", "party", "Supplier", "kind",
	    "employment", "from", T(-50), "until", "assignments",
	    "warnings", "rule", "evaluation", "detail", w1, "rule", "expiry",
	    "detail", w2);
}

/* ---- status -------------------------------------------------------------- */

void
status_answers(void)
{
	struct resp	 r;
	json_t		*j, *g;
	char		 gap[200], path[128];

	cases_status_data();
	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("manager"));
	/* admin, hr and manager read the same status. */
	j = get_ok(&r, "admin", "/v1/auditors/st-ann/status");
	CU_ASSERT(same(j, cases_ann_status(), "st-ann's status as admin"));
	client_resp_free(&r);
	j = get_ok(&r, "hr", "/v1/auditors/st-ann/status");
	CU_ASSERT(same(j, cases_ann_status(), "st-ann's status as hr"));
	client_resp_free(&r);
	snprintf(path, sizeof path, "/v1/auditors/st-ann/status?on=%s", T(0));
	j = get_ok(&r, "manager", path);
	CU_ASSERT(same(j, cases_ann_status(), "st-ann's status on today"));
	client_resp_free(&r);

	/* st-ben: expired certificate, overdue evaluation, enough CPD. */
	j = get_ok(&r, "admin", "/v1/auditors/st-ben/status");
	CU_ASSERT(json_is_false(json_object_get(j, "fit")));
	g = json_object_get(j, "gaps");
	snprintf(gap, sizeof gap, "no verified auditor or lead auditor "
	    "certificate valid on %s; sb-q1 expired on %s", T(0), T(-5));
	CU_ASSERT_EQUAL(json_array_size(g), 2);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(g, 0), "detail"), gap);
	snprintf(gap, sizeof gap, "the latest evaluation, sb-e2 on %s, was due "
	    "again by %s", T(-200), T(-3));
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(g, 1), "rule"),
	    "evaluation");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(g, 1), "detail"), gap);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "evaluation"),
	    "state"), "overdue");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(j,
	    "cpd"), "hours")), 25);
	client_resp_free(&r);

	/* st-dot: retired comes first; st-cid: all four rules fail. */
	j = get_ok(&r, "admin", "/v1/auditors/st-dot/status");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(json_object_get(j,
	    "gaps"), 0), "detail"), "status is retired");
	client_resp_free(&r);
	j = get_ok(&r, "admin", "/v1/auditors/st-cid/status");
	g = json_object_get(j, "gaps");
	CU_ASSERT_EQUAL(json_array_size(g), 3);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(g, 0), "rule"),
	    "qualification");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(g, 2), "rule"),
	    "evaluation");
	CU_ASSERT(same(json_object_get(j, "evaluation"), json_pack("{s:n, s:n, "
	    "s:n, s:n, s:s}", "latest", "date", "result", "next_due", "state",
	    "none"), "st-cid's evaluation"));
	client_resp_free(&r);

	/* ?on= moves the window: 20 days back, sa-t2 is its last day's. */
	snprintf(path, sizeof path, "/v1/auditors/st-ann/status?on=%s",
	    T(-20));
	j = get_ok(&r, "admin", path);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "on"), T(-20));
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "cpd"), "to"),
	    T(-20));
	CU_ASSERT(same(json_object_get(json_object_get(j, "cpd"), "evidence"),
	    json_pack("[s, s]", "trainings/sa-t4", "trainings/sa-t2"),
	    "st-ann's trainings 20 days ago"));
	client_resp_free(&r);

	/* Bad requests and unknown auditors. */
	expect_400("admin", "/v1/auditors/st-ann/status?on=2026-02-30");
	expect_400("admin", "/v1/auditors/st-ann/status?on=0999-12-31");
	expect_400("admin", "/v1/auditors/st-ann/status?on=9000-01-01");
	expect_400("admin", "/v1/auditors/st-ann/status?on=");
	expect_400("admin", "/v1/auditors/st-ann/status?at=2026-01-01");
	client_http(&r, "admin", "GET", "/v1/auditors/no-such/status", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	client_http(&r, "admin", "POST", "/v1/auditors/st-ann/status", "{}",
	    NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	client_resp_free(&r);
}

/* GET /v1/me: the status for role auditor, null for the others. */
void
status_me(void)
{
	struct resp	 r, s;
	json_t		*j;

	CU_ASSERT_FATAL(cases_principal("alice"));
	CU_ASSERT_FATAL(cases_principal("hr"));
	j = get_ok(&r, "alice", "/v1/me");
	get_ok(&s, "admin", "/v1/auditors/alice/status");
	CU_ASSERT(same(json_object_get(j, "status"), json_incref(s.json),
	    "alice's status in /v1/me"));
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "status"),
	    "auditor"), "alice");
	client_resp_free(&s);
	client_resp_free(&r);
	j = get_ok(&r, "admin", "/v1/me");
	CU_ASSERT(json_is_null(json_object_get(j, "status")));
	client_resp_free(&r);
	j = get_ok(&r, "hr", "/v1/me");
	CU_ASSERT(json_is_null(json_object_get(j, "status")));
	client_resp_free(&r);
}
