/*
 * cases_reports.c: the HR reports over curl, on the data set of
 * cases_status.c (cases_status_data(), called by each case), with the rows
 * of its auditors written out by hand. Other cases' auditors are in the
 * reports too: for those only the order is checked. Own scope is checked
 * through a principal of this file's own (certificate grace), pointed at
 * one auditor of the data set after another.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

#define T(off)		cases_day(off)
#define same		cases_same
#define get_ok		cases_get_ok
#define expect_400	cases_expect_400
/* The certificate of reports_own_scope's principal, rep-own. */
#define OWN		"grace"

/* The item of items whose key is val, or NULL (borrowed). */
static json_t *
item(const json_t *items, const char *key, const char *val)
{
	int	i = cases_item_at(items, key, val);

	return i < 0 ? NULL : json_array_get(items, (size_t)i);
}

/* 1 if the items with key a, b, c (in that order) come in that order. */
static int
in_order(const json_t *items, const char *key, const char *a, const char *b,
    const char *c)
{
	int	x = cases_item_at(items, key, a), y = cases_item_at(items, key,
		    b), z = c != NULL ? cases_item_at(items, key, c) : 1 << 30;

	if (x >= 0 && x < y && y < z)
		return 1;
	printf("\n  ** order: %s at %d, %s at %d, %s at %d\n", a, x, b, y,
	    c != NULL ? c : "-", c != NULL ? z : -1);
	return 0;
}

/*
 * 1 if r's body is canonical JSON (compact, keys sorted, reals to 15
 * digits) as every other answer is: the reports write their text
 * themselves.
 */
static int
canonical(const struct resp *r)
{
	char	*s = json_dumps(r->json, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_REAL_PRECISION(15));
	int	 ok = s != NULL && strcmp(s, r->body) == 0;

	if (!ok)
		printf("\n  ** %s: not canonical JSON\n", r->what);
	free(s);
	return ok;
}

/* A number in hundredths. */
static long
hundredths(const json_t *v)
{
	return lround(json_number_value(v) * 100);
}

/* ---- cpd ----------------------------------------------------------------- */

/* The cpd report over the 12 months that end today. */
static void
cpd_year(const char *who, struct resp *r)
{
	char	from[11], path[128];

	cases_year_back(T(0), from);
	snprintf(path, sizeof path, "/v1/reports/cpd?from=%s&to=%s", from,
	    T(0));
	get_ok(r, who, path);
}

void
reports_cpd(void)
{
	struct resp	 r;
	json_t		*items, *a, *b;
	char		 from[11], path[128];
	long		 wdays, min;
	size_t		 i;

	cases_status_data();
	cpd_year("admin", &r);
	CU_ASSERT(canonical(&r));
	cases_year_back(T(0), from);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "from"), from);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "to"), T(0));
	/* Exactly the cpd rule's window: exactly cpd.min_hours. */
	CU_ASSERT(same(json_object_get(r.json, "min_hours"), json_integer(20),
	    "min_hours over the rule's window"));
	items = json_object_get(r.json, "items");
	CU_ASSERT(same(item(items, "auditor", "st-ann"), json_pack("{s:s, s:s, "
	    "s:f, s:i, s:f, s:[s, s]}", "auditor", "st-ann", "name", "Ann St",
	    "hours", 18.5, "min_hours", 20, "shortfall", 1.5, "evidence",
	    "trainings/sa-t2", "trainings/sa-t1"), "st-ann's row"));
	CU_ASSERT(same(item(items, "auditor", "st-ben"), json_pack("{s:s, s:s, "
	    "s:i, s:i, s:i, s:[s]}", "auditor", "st-ben", "name", "Ben St",
	    "hours", 25, "min_hours", 20, "shortfall", 0, "evidence",
	    "trainings/sb-t1"), "st-ben's row"));
	CU_ASSERT(same(item(items, "auditor", "st-cid"), json_pack("{s:s, s:s, "
	    "s:i, s:i, s:i, s:[]}", "auditor", "st-cid", "name", CID_NAME,
	    "hours", 0, "min_hours", 20, "shortfall", 20, "evidence"),
	    "st-cid's row"));
	CU_ASSERT_PTR_NULL(item(items, "auditor", "st-dot"));	/* retired */
	/* The largest shortfall first, then by auditor id. */
	CU_ASSERT(in_order(items, "auditor", "st-cid", "st-ann", "st-ben"));
	for (i = 0; i + 1 < json_array_size(items); i++) {
		a = json_array_get(items, i);
		b = json_array_get(items, i + 1);
		CU_ASSERT(hundredths(json_object_get(a, "shortfall")) >
		    hundredths(json_object_get(b, "shortfall")) ||
		    (hundredths(json_object_get(a, "shortfall")) ==
		    hundredths(json_object_get(b, "shortfall")) &&
		    strcmp(client_sv(a, "auditor"), client_sv(b, "auditor")) <
		    0));
	}
	client_resp_free(&r);

	/* 16 days: 20 h x 16 / the days of the year that ends today. */
	wdays = cases_day_num(T(0)) - cases_day_num(from) + 1;
	min = (2000 * 16 * 2 + wdays) / (2 * wdays);
	snprintf(path, sizeof path, "/v1/reports/cpd?from=%s&to=%s", T(-15),
	    T(0));
	get_ok(&r, "admin", path);
	CU_ASSERT_EQUAL(hundredths(json_object_get(r.json, "min_hours")), min);
	a = item(json_object_get(r.json, "items"), "auditor", "st-ann");
	CU_ASSERT_EQUAL(hundredths(json_object_get(a, "hours")), 800);
	CU_ASSERT_EQUAL(hundredths(json_object_get(a, "shortfall")), 0);
	a = item(json_object_get(r.json, "items"), "auditor", "st-cid");
	CU_ASSERT_EQUAL(hundredths(json_object_get(a, "shortfall")), min);
	client_resp_free(&r);

	/* The period's limits. */
	expect_400("admin", "/v1/reports/cpd");
	expect_400("admin", "/v1/reports/cpd?from=2026-01-01");
	expect_400("admin", "/v1/reports/cpd?to=2026-01-01");
	expect_400("admin", "/v1/reports/cpd?from=2026-01-02&to=2026-01-01");
	expect_400("admin", "/v1/reports/cpd?from=2026-02-30&to=2026-03-01");
	expect_400("admin", "/v1/reports/cpd?from=2026-01-01&to=2026-01-01"
	    "&limit=5");
	expect_400("admin", "/v1/reports/cpd?from=2000-01-01&to=2010-01-02");
	get_ok(&r, "admin", "/v1/reports/cpd?from=2000-01-02&to=2010-01-02");
	client_resp_free(&r);
	get_ok(&r, "admin", "/v1/reports/cpd?from=2026-01-01&to=2026-01-01");
	client_resp_free(&r);
}

/* ---- expiring ------------------------------------------------------------ */

void
reports_expiring(void)
{
	struct resp	 r;
	json_t		*items;
	size_t		 i;

	cases_status_data();
	get_ok(&r, "admin", "/v1/reports/expiring");
	CU_ASSERT(canonical(&r));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "on"), T(0));
	CU_ASSERT_EQUAL(client_int(&r, "within"), 90);
	items = json_object_get(r.json, "items");
	CU_ASSERT(same(item(items, "qualification", "sb-q1"), json_pack("{s:s, "
	    "s:s, s:s, s:s, s:s, s:i, s:s}", "qualification", "sb-q1",
	    "auditor", "st-ben", "kind", "auditor_certificate", "standard",
	    "ISO/IEC 27001", "expires", T(-5), "days", -5, "state", "expired"),
	    "sb-q1, expired"));
	CU_ASSERT(same(item(items, "qualification", "sa-q1"), json_pack("{s:s, "
	    "s:s, s:s, s:s, s:s, s:i, s:s}", "qualification", "sa-q1",
	    "auditor", "st-ann", "kind", "auditor_certificate", "standard",
	    "ISO/IEC 27001", "expires", T(30), "days", 30, "state",
	    "expiring"), "sa-q1, expiring"));
	/* Unverified, renewed, never expiring, a retired auditor's: none. */
	CU_ASSERT_PTR_NULL(item(items, "qualification", "sa-q2"));
	CU_ASSERT_PTR_NULL(item(items, "qualification", "sb-q2"));
	CU_ASSERT_PTR_NULL(item(items, "qualification", "sb-q3"));
	CU_ASSERT_PTR_NULL(item(items, "qualification", "sd-q1"));
	CU_ASSERT(in_order(items, "qualification", "sb-q1", "sa-q1", NULL));
	for (i = 0; i + 1 < json_array_size(items); i++)
		CU_ASSERT(strcmp(client_sv(json_array_get(items, i), "expires"),
		    client_sv(json_array_get(items, i + 1), "expires")) <= 0);
	client_resp_free(&r);

	/* within: sa-q1 expires in 30 days. */
	get_ok(&r, "admin", "/v1/reports/expiring?within=29");
	CU_ASSERT_PTR_NULL(item(json_object_get(r.json, "items"),
	    "qualification", "sa-q1"));
	CU_ASSERT_PTR_NOT_NULL(item(json_object_get(r.json, "items"),
	    "qualification", "sb-q1"));
	client_resp_free(&r);
	get_ok(&r, "admin", "/v1/reports/expiring?within=30");
	CU_ASSERT_PTR_NOT_NULL(item(json_object_get(r.json, "items"),
	    "qualification", "sa-q1"));
	client_resp_free(&r);
	get_ok(&r, "admin", "/v1/reports/expiring?within=0");
	CU_ASSERT_EQUAL(client_int(&r, "within"), 0);
	CU_ASSERT_PTR_NOT_NULL(item(json_object_get(r.json, "items"),
	    "qualification", "sb-q1"));
	client_resp_free(&r);
	get_ok(&r, "admin", "/v1/reports/expiring?within=3650");
	client_resp_free(&r);
	expect_400("admin", "/v1/reports/expiring?within=3651");
	expect_400("admin", "/v1/reports/expiring?within=-1");
	expect_400("admin", "/v1/reports/expiring?within=1.5");
	expect_400("admin", "/v1/reports/expiring?within=");
	expect_400("admin", "/v1/reports/expiring?within=ninety");
	expect_400("admin", "/v1/reports/expiring?days=90");
}

/* ---- evaluations due ----------------------------------------------------- */

static int
state_rank(const char *s)
{
	return strcmp(s, "none") == 0 ? 0 : strcmp(s, "overdue") == 0 ? 1 : 2;
}

void
reports_evaluations_due(void)
{
	struct resp	 r;
	json_t		*items, *a, *b;
	size_t		 i;

	cases_status_data();
	get_ok(&r, "admin", "/v1/reports/evaluations-due");
	CU_ASSERT(canonical(&r));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "on"), T(0));
	CU_ASSERT_EQUAL(client_int(&r, "within"), 60);
	items = json_object_get(r.json, "items");
	CU_ASSERT(same(item(items, "auditor", "st-cid"), json_pack("{s:s, s:s, "
	    "s:s, s:n, s:n, s:n}", "auditor", "st-cid", "name", CID_NAME,
	    "state", "none", "latest", "next_due", "days"), "st-cid, none"));
	CU_ASSERT(same(item(items, "auditor", "st-ben"), json_pack("{s:s, s:s, "
	    "s:s, s:s, s:s, s:i}", "auditor", "st-ben", "name", "Ben St",
	    "state", "overdue", "latest", "evaluations/sb-e2", "next_due",
	    T(-3), "days", -3), "st-ben, overdue"));
	CU_ASSERT(same(item(items, "auditor", "st-ann"), json_pack("{s:s, s:s, "
	    "s:s, s:s, s:s, s:i}", "auditor", "st-ann", "name", "Ann St",
	    "state", "due", "latest", "evaluations/sa-e1", "next_due", T(20),
	    "days", 20), "st-ann, due"));
	CU_ASSERT_PTR_NULL(item(items, "auditor", "st-dot"));
	CU_ASSERT(in_order(items, "auditor", "st-cid", "st-ben", "st-ann"));
	for (i = 0; i + 1 < json_array_size(items); i++) {
		a = json_array_get(items, i);
		b = json_array_get(items, i + 1);
		CU_ASSERT(state_rank(client_sv(a, "state")) <
		    state_rank(client_sv(b, "state")) ||
		    (state_rank(client_sv(a, "state")) ==
		    state_rank(client_sv(b, "state")) &&
		    strcmp(client_sv(a, "next_due"), client_sv(b,
		    "next_due")) <= 0));
	}
	client_resp_free(&r);

	get_ok(&r, "admin", "/v1/reports/evaluations-due?within=19");
	items = json_object_get(r.json, "items");
	CU_ASSERT_PTR_NULL(item(items, "auditor", "st-ann"));
	CU_ASSERT_PTR_NOT_NULL(item(items, "auditor", "st-ben"));
	CU_ASSERT_PTR_NOT_NULL(item(items, "auditor", "st-cid"));
	client_resp_free(&r);
	get_ok(&r, "admin", "/v1/reports/evaluations-due?within=20");
	CU_ASSERT_PTR_NOT_NULL(item(json_object_get(r.json, "items"),
	    "auditor", "st-ann"));
	client_resp_free(&r);
	expect_400("admin", "/v1/reports/evaluations-due?within=3651");
	expect_400("admin", "/v1/reports/evaluations-due?within=x");
	expect_400("admin", "/v1/reports/evaluations-due?on=2026-01-01");
}

/* ---- matrix -------------------------------------------------------------- */

static json_t *
ann_cells(void)
{
	/* expires: sa-e1 is due again in 20 days, sa-q1 ends in 30. */
	return json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, "
	    "s:{s:s, s:s, s:s}}",
	    "isms-standards", "level", "expert", "evidence",
	    "evaluations/sa-e1", "expires", T(20), "risk-management", "level",
	    "awareness", "evidence", "evaluations/sa-e1", "expires", T(20),
	    "security-controls", "level", "competent", "evidence",
	    "qualifications/sa-q1", "expires", T(30));
}

void
reports_matrix(void)
{
	struct resp	 r;
	json_t		*items, *areas;
	size_t		 i;

	cases_status_data();
	get_ok(&r, "admin", "/v1/reports/matrix");
	CU_ASSERT(canonical(&r));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "on"), T(0));
	areas = json_object_get(r.json, "areas");
	CU_ASSERT(json_array_size(areas) >= 10);
	for (i = 0; i + 1 < json_array_size(areas); i++)
		CU_ASSERT(strcmp(client_s(json_array_get(areas, i)),
		    client_s(json_array_get(areas, i + 1))) < 0);
	items = json_object_get(r.json, "items");
	/*
	 * st-ann: two areas her evaluation assessed (its level wins over
	 * sa-q1's competent in isms-standards), one from sa-q1 alone;
	 * sa-q2's area does not count, unverified.
	 */
	CU_ASSERT(same(item(items, "auditor", "st-ann"), json_pack("{s:s, s:s, "
	    "s:o}", "auditor", "st-ann", "name", "Ann St", "cells",
	    ann_cells()), "st-ann's cells"));
	/* st-ben: the latest evaluation of legislation, not sb-q3 or sb-e1. */
	CU_ASSERT(same(item(items, "auditor", "st-ben"), json_pack("{s:s, s:s, "
	    "s:{s:{s:s, s:s, s:s}}}", "auditor", "st-ben", "name", "Ben St",
	    "cells", "legislation", "level", "awareness", "evidence",
	    "evaluations/sb-e2", "expires", T(-3)), "st-ben's cells"));
	CU_ASSERT(same(item(items, "auditor", "st-cid"), json_pack("{s:s, s:s, "
	    "s:{}}", "auditor", "st-cid", "name", CID_NAME, "cells"),
	    "st-cid's cells"));
	CU_ASSERT_PTR_NULL(item(items, "auditor", "st-dot"));
	for (i = 0; i + 1 < json_array_size(items); i++)
		CU_ASSERT(strcmp(client_sv(json_array_get(items, i), "auditor"),
		    client_sv(json_array_get(items, i + 1), "auditor")) < 0);
	client_resp_free(&r);
	expect_400("admin", "/v1/reports/matrix?area=legislation");
}

/* ---- own scope ----------------------------------------------------------- */

/*
 * The principal rep-own (role auditor, certificate grace) for auditor:
 * made on first use, its auditor changed after. Only this case uses it,
 * so no other case meets it pointed elsewhere.
 */
static void
point_own(const char *auditor)
{
	struct resp	 r;
	char		 hex[65];

	client_http(&r, "admin", "GET", "/v1/principals/rep-own", NULL, NULL);
	if (r.status == 404) {
		client_resp_free(&r);
		CU_ASSERT_FATAL(client_cert_sha256("grace", hex) == 0);
		client_json(&r, "admin", "POST", "/v1/principals", json_pack(
		    "{s:s, s:s, s:s, s:s, s:[s]}", "id", "rep-own", "name",
		    "Reports own scope", "role", "auditor", "auditor", auditor,
		    "certs", hex), NULL);
		EXPECT_STATUS(&r, 201);
	} else {
		client_resp_free(&r);
		client_json(&r, "admin", "PATCH", "/v1/principals/rep-own",
		    json_pack("{s:s}", "auditor", auditor), NULL);
		EXPECT_STATUS(&r, 200);
	}
	CU_ASSERT_FATAL(r.status == 200 || r.status == 201);
	client_resp_free(&r);
}

/* The report at path as rep-own holds exactly want (taken) as its items. */
static void
own_items(const char *path, json_t *want)
{
	struct resp	r;
	char		what[160];

	get_ok(&r, OWN, path);
	snprintf(what, sizeof what, "%s as rep-own", path);
	CU_ASSERT(same(json_object_get(r.json, "items"), want, what));
	client_resp_free(&r);
}

/* One item of the report at path as admin (a new reference). */
static json_t *
admin_item(const char *path, const char *key, const char *val)
{
	struct resp	 r;
	json_t		*v;

	get_ok(&r, "admin", path);
	v = json_incref(item(json_object_get(r.json, "items"), key, val));
	client_resp_free(&r);
	return v;
}

void
reports_own_scope(void)
{
	struct resp	 r, m;
	char		 from[11], cpd[128];

	cases_status_data();
	cases_year_back(T(0), from);
	snprintf(cpd, sizeof cpd, "/v1/reports/cpd?from=%s&to=%s", from, T(0));
	point_own("st-ann");

	/* Every report holds st-ann's row alone, as the full one has it. */
	own_items(cpd, json_pack("[o]", admin_item(cpd, "auditor",
	    "st-ann")));
	own_items("/v1/reports/expiring", json_pack("[o]", admin_item(
	    "/v1/reports/expiring", "qualification", "sa-q1")));
	own_items("/v1/reports/evaluations-due", json_pack("[o]",
	    admin_item("/v1/reports/evaluations-due", "auditor", "st-ann")));
	own_items("/v1/reports/matrix", json_pack("[{s:s, s:s, s:o}]",
	    "auditor", "st-ann", "name", "Ann St", "cells", ann_cells()));
	get_ok(&r, OWN, cpd);
	CU_ASSERT(same(json_object_get(r.json, "min_hours"), json_integer(20),
	    "min_hours as rep-own"));
	client_resp_free(&r);

	/* Her own status; another's is 404 exactly as a missing one. */
	get_ok(&r, OWN, "/v1/auditors/st-ann/status");
	CU_ASSERT(same(r.json, cases_ann_status(), "st-ann's status as "
	    "rep-own"));
	client_resp_free(&r);
	client_http(&r, OWN, "GET", "/v1/auditors/st-ben/status", NULL, NULL);
	client_http(&m, OWN, "GET", "/v1/auditors/no-such/status", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	EXPECT_PROBLEM(&m, 404, "not-found");
	CU_ASSERT_STRING_EQUAL(r.body, m.body);
	client_resp_free(&r);
	client_resp_free(&m);
	/* Even with a bad date: the id is refused before the query is read. */
	client_http(&r, OWN, "GET", "/v1/auditors/st-ben/status?on=x", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	get_ok(&r, OWN, "/v1/me");
	CU_ASSERT(same(json_object_get(r.json, "status"), cases_ann_status(),
	    "st-ann's status in /v1/me"));
	client_resp_free(&r);

	/* A retired auditor of her own is in no report. */
	point_own("st-dot");
	own_items(cpd, json_pack("[]"));
	own_items("/v1/reports/matrix", json_pack("[]"));
	/* Pointed at st-ben now: his row alone, nothing of st-ann's. */
	point_own("st-ben");
	own_items("/v1/reports/evaluations-due?within=3650", json_pack("[o]",
	    admin_item("/v1/reports/evaluations-due?within=3650", "auditor",
	    "st-ben")));
}
