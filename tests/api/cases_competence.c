/*
 * cases_competence.c: qualifications, trainings, evaluations and
 * declarations over curl: CRUD, list filters, ?from=/?to= and pages, the
 * cross-field rules (422 with their exact paths), references, and the
 * events every change appends. Each case makes its own auditors, areas and
 * principals, with ids that start with its prefix, and needs nothing from
 * any other case nor any order (cases_competence_access.c: who may).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "comp.h"

/* ---- CRUD, filters, dates, paging (any of the four) --------------------- */

/*
 * The list at url (as admin, one page) holds each of the ','-joined ids
 * in and none of out, both naming id PFX-x as x.
 */
static void
comp_seen(const char *url, const char *pfx, const char *in, const char *out)
{
	json_t		*it = comp_items("admin", url);
	const char	*s;
	char		 id[80];
	size_t		 n;
	int		 want;

	for (want = 1; want >= 0; want--)
		for (s = want ? in : out; *s != '\0'; s += n + (s[n] == ',')) {
			n = strcspn(s, ",");
			snprintf(id, sizeof id, "%s-%.*s", pfx, (int)n, s);
			if ((client_find(it, id) != NULL) == want)
				continue;
			printf("\n  ** %s %s %s\n", url, want ? "lacks" :
			    "holds", id);
			CU_FAIL("wrong ids listed");
		}
	json_decref(it);
}

/* Create, read, replace, patch: the record PFX-r1 ends at rev 4. */
static void
comp_crud_write(const struct comp_kind *k, const char *aud, const char *area)
{
	struct resp	 r;
	json_t		*made, *d;
	char		 id[64], path[128], loc[256];

	snprintf(id, sizeof id, "%s-r1", k->pfx);
	snprintf(path, sizeof path, "/v1/%s/%s", k->coll, id);
	snprintf(loc, sizeof loc, "/v1/%s", k->coll);
	client_json(&r, "admin", "POST", loc, k->doc(id, aud, "2025-01-10",
	    k->fv[0], area), NULL);
	EXPECT_STATUS(&r, 201);
	client_header(&r, "Location", loc, sizeof loc);
	CU_ASSERT_STRING_EQUAL(loc, path);
	CU_ASSERT(comp_etag(&r, 1));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "id"), id);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "auditor"), aud);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, k->date), "2025-01-10");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, k->filter), k->fv[0]);
	CU_ASSERT(client_str(&r, "created") != NULL &&
	    client_str(&r, "updated") != NULL);
	made = json_incref(r.json);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 1));
	CU_ASSERT(json_equal(r.json, made));
	client_resp_free(&r);

	d = k->doc(id, aud, "2025-01-10", k->fv[0], area);
	json_object_set_new(d, k->field, json_string("Put"));
	client_json(&r, "admin", "PUT", path, d, "If-Match: \"1\"", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 2));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, k->field), "Put");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "created"),
	    client_sv(made, "created"));
	client_resp_free(&r);

	d = json_pack("{s:s}", k->field, "Patched");
	client_json(&r, "admin", "PATCH", path, d, COMP_MERGE, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 3));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, k->field), "Patched");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, k->date), "2025-01-10");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "auditor"), aud);
	client_resp_free(&r);
	client_json(&r, "admin", "PATCH", path, json_pack("{s:s}", k->field,
	    "Stale"), COMP_MERGE, "If-Match: \"2\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);

	/* A replacement drops what it leaves out. */
	client_json(&r, "admin", "PUT", path, k->doc(id, aud, "2025-01-10",
	    k->fv[0], area), NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 4));
	CU_ASSERT(json_object_get(r.json, k->field) == NULL);
	client_resp_free(&r);
	json_decref(made);
}

/*
 * Lists over PFX-r1 (2025-01-10, fv[0]), r2 (01-20, fv[1]), r3 (01-31,
 * fv[0]) of auditor PFX-a and r9 (01-20, fv[0]) of PFX-b.
 */
static void
comp_crud_list(const struct comp_kind *k)
{
	const char	*p = k->pfx;
	char		 base[128], url[256];

	snprintf(base, sizeof base, "/v1/%s?auditor=%s-a", k->coll, p);
	EXPECT_IDS("admin", base, p, "r1,r2,r3");
	snprintf(url, sizeof url, "/v1/%s?auditor=%s-b", k->coll, p);
	EXPECT_IDS("admin", url, p, "r9");
	snprintf(url, sizeof url, "%s&%s=%s", base, k->filter, k->fv[0]);
	EXPECT_IDS("admin", url, p, "r1,r3");
	snprintf(url, sizeof url, "%s&%s=%s", base, k->filter, k->fv[1]);
	EXPECT_IDS("admin", url, p, "r2");
	/* The other filter alone: every auditor's, only that value. */
	snprintf(url, sizeof url, "/v1/%s?%s=%s&limit=1000", k->coll,
	    k->filter, k->fv[1]);
	comp_seen(url, p, "r2", "r1,r3,r9");

	/* ?from= and ?to= on the record's date, both days included. */
	snprintf(url, sizeof url, "%s&from=2025-01-20&to=2025-01-31", base);
	EXPECT_IDS("admin", url, p, "r2,r3");
	snprintf(url, sizeof url, "%s&from=2025-01-10&to=2025-01-10", base);
	EXPECT_IDS("admin", url, p, "r1");
	snprintf(url, sizeof url, "%s&from=2025-01-11&to=2025-01-19", base);
	EXPECT_IDS("admin", url, p, "");
	snprintf(url, sizeof url, "%s&to=2025-01-19", base);
	EXPECT_IDS("admin", url, p, "r1");
	snprintf(url, sizeof url, "%s&from=2025-01-21", base);
	EXPECT_IDS("admin", url, p, "r3");
	snprintf(url, sizeof url, "%s&%s=%s&from=2025-01-20", base, k->filter,
	    k->fv[0]);
	EXPECT_IDS("admin", url, p, "r3");
	snprintf(url, sizeof url, "/v1/%s?from=2025-01-20&to=2025-01-20"
	    "&limit=1000", k->coll);
	comp_seen(url, p, "r2,r9", "r1,r3");
	snprintf(url, sizeof url, "/v1/%s?from=2026-02-30", k->coll);
	comp_expect("admin", "GET", url, NULL, 400, "bad-request");
	snprintf(url, sizeof url, "%s&to=2025-1-31", base);
	comp_expect("admin", "GET", url, NULL, 400, "bad-request");
	snprintf(url, sizeof url, "/v1/%s?from=", k->coll);
	comp_expect("admin", "GET", url, NULL, 400, "bad-request");

	/* Pages: next names the last id, and only when a match follows. */
	snprintf(url, sizeof url, "%s&limit=2", base);
	EXPECT_IDS("admin", url, p, "r1,r2 next=r2");
	snprintf(url, sizeof url, "%s&limit=2&after=%s-r2", base, p);
	EXPECT_IDS("admin", url, p, "r3");
	snprintf(url, sizeof url, "%s&limit=1&after=%s-r1&to=2025-01-20", base,
	    p);
	EXPECT_IDS("admin", url, p, "r2");
	snprintf(url, sizeof url, "%s&limit=1&%s=%s", base, k->filter,
	    k->fv[0]);
	EXPECT_IDS("admin", url, p, "r1 next=r1");
}

/*
 * One competence resource end to end: create (201, Location, ETag = rev),
 * read, replace, merge patch, If-Match, the list filters, ?from=/?to=,
 * pages, and delete (204, then 404).
 */
static void
comp_crud(const struct comp_kind *k)
{
	struct resp	 r;
	char		 a[64], b[64], area[64], id[64], path[128], url[128];
	static const struct {
		const char	*id, *aud, *date;
		int		 fv;
	} more[] = {
		{ "r2", "a", "2025-01-20", 1 },
		{ "r3", "a", "2025-01-31", 0 },
		{ "r9", "b", "2025-01-20", 0 },
	};

	snprintf(a, sizeof a, "%s-a", k->pfx);
	snprintf(b, sizeof b, "%s-b", k->pfx);
	snprintf(area, sizeof area, "%s-area", k->pfx);
	CU_ASSERT_FATAL(cases_make_auditor(a, "Audit") &&
	    cases_make_auditor(b, "Audit") && comp_area(area));
	comp_crud_write(k, a, area);
	snprintf(url, sizeof url, "/v1/%s", k->coll);
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
		char	aud[64];

		snprintf(id, sizeof id, "%s-%s", k->pfx, more[i].id);
		snprintf(aud, sizeof aud, "%s-%s", k->pfx, more[i].aud);
		client_json(&r, "admin", "POST", url, k->doc(id, aud,
		    more[i].date, k->fv[more[i].fv], area), NULL);
		EXPECT_STATUS(&r, 201);
		client_resp_free(&r);
	}
	comp_crud_list(k);

	snprintf(path, sizeof path, "/v1/%s/%s-r1", k->coll, k->pfx);
	client_http(&r, "admin", "DELETE", path, NULL, "If-Match: \"4\"",
	    NULL);
	EXPECT_STATUS(&r, 204);
	CU_ASSERT(r.len == 0);
	client_resp_free(&r);
	comp_expect("admin", "GET", path, NULL, 404, "not-found");
	comp_expect("admin", "DELETE", path, NULL, 404, "not-found");
	snprintf(url, sizeof url, "/v1/%s?auditor=%s", k->coll, a);
	EXPECT_IDS("admin", url, k->pfx, "r2,r3");
	snprintf(url, sizeof url, "/v1/%s?to=2025-01-10&auditor=%s", k->coll,
	    a);
	EXPECT_IDS("admin", url, k->pfx, "");

	/* A change of date or filter value moves the record in the lists. */
	snprintf(path, sizeof path, "/v1/%s/%s-r3", k->coll, k->pfx);
	client_json(&r, "admin", "PATCH", path, json_pack("{s:s, s:s}",
	    k->date, "2025-02-15", k->filter, k->fv[1]), NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	snprintf(url, sizeof url, "/v1/%s?auditor=%s&to=2025-01-31", k->coll,
	    a);
	EXPECT_IDS("admin", url, k->pfx, "r2");
	snprintf(url, sizeof url, "/v1/%s?auditor=%s&from=2025-02-15", k->coll,
	    a);
	EXPECT_IDS("admin", url, k->pfx, "r3");
	snprintf(url, sizeof url, "/v1/%s?auditor=%s&%s=%s", k->coll, a,
	    k->filter, k->fv[0]);
	EXPECT_IDS("admin", url, k->pfx, "");
}

void
competence_qualifications(void)
{
	json_t	*q;

	comp_crud(&comp_quals);
	/* verified defaults to false; expires may be null. */
	q = comp_get("/v1/qualifications/cq-r2");
	CU_ASSERT(json_is_false(json_object_get(q, "verified")));
	CU_ASSERT(json_object_get(q, "verified_by") == NULL &&
	    json_object_get(q, "verified_on") == NULL);
	json_decref(q);
	comp_expect("admin", "PATCH", "/v1/qualifications/cq-r2",
	    "{\"expires\":null}", 200, NULL);
	comp_expect("admin", "PATCH", "/v1/qualifications/cq-r2",
	    "{\"expires\":\"2025-01-20\"}", 200, NULL);
}

void
competence_trainings(void)
{
	struct resp	 r;
	json_t		*d;

	comp_crud(&comp_trainings);
	/* cpd defaults to true; false is kept; hours keep two decimals. */
	d = comp_training_doc("ct-hours", "ct-a", "2025-02-01", "legal",
	    "ct-area");
	json_object_set_new(d, "hours", json_real(7.35));
	client_json(&r, "admin", "POST", "/v1/trainings", d, NULL);
	EXPECT_STATUS(&r, 201);
	CU_ASSERT(json_is_true(json_object_get(r.json, "cpd")));
	CU_ASSERT(json_is_false(json_object_get(r.json, "verified")));
	CU_ASSERT(strstr(r.body, "\"hours\":7.35,") != NULL);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/trainings/ct-hours", NULL, NULL);
	CU_ASSERT(strstr(r.body, "\"hours\":7.35,") != NULL);
	CU_ASSERT(json_real_value(json_object_get(r.json, "hours")) == 7.35);
	client_resp_free(&r);
	client_http(&r, "admin", "PATCH", "/v1/trainings/ct-hours",
	    "{\"cpd\":false,\"hours\":1000}", COMP_MERGE, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_false(json_object_get(r.json, "cpd")));
	CU_ASSERT(strstr(r.body, "\"hours\":1000,") != NULL);
	client_resp_free(&r);
	comp_expect("admin", "PATCH", "/v1/trainings/ct-hours",
	    "{\"hours\":0.01}", 200, NULL);
	/* Decimals past the hundredths are refused, never rounded away. */
	comp_422("admin", "PATCH", "/v1/trainings/ct-hours",
	    comp_j("{\"hours\":7.3499999999}"), "validation", "/hours",
	    "has more than two decimals", NULL);
	CU_ASSERT(cases_rev("/v1/trainings/ct-hours") == 3);
}

void
competence_evaluations(void)
{
	comp_crud(&comp_evals);
	comp_expect("admin", "PATCH", "/v1/evaluations/ce-r2",
	    "{\"next_due\":\"2025-01-21\"}", 200, NULL);
}

void
competence_declarations(void)
{
	comp_crud(&comp_decls);
	comp_expect("admin", "PATCH", "/v1/declarations/cd-r2",
	    "{\"until\":\"2025-01-20\"}", 200, NULL);
	comp_expect("admin", "PATCH", "/v1/declarations/cd-r2",
	    "{\"until\":null}", 200, NULL);
}

/* ---- the rules: 422 with exact paths ------------------------------------ */

/*
 * POST k's valid document cv-PFX for auditor cv-a with field set to value
 * (taken; no change when field is NULL) as admin: 422 of type slug with
 * exactly these error paths (and message, see comp_422); nothing stored.
 */
static void
comp_rule(const struct comp_kind *k, const char *field, json_t *value,
    const char *slug, const char *paths, const char *message)
{
	char	 id[32], coll[64], path[128];
	json_t	*d;

	snprintf(id, sizeof id, "cv-%s", k->pfx);
	snprintf(coll, sizeof coll, "/v1/%s", k->coll);
	snprintf(path, sizeof path, "/v1/%s/%s", k->coll, id);
	d = k->doc(id, "cv-a", "2025-03-10", k->fv[0], "cv-area");
	json_object_set_new(d, field, value);
	comp_422("admin", "POST", coll, d, slug, paths, message, path);
}

#define BADREF	"bad-reference"
#define INVALID	"validation"

/* The auditor and every area must exist. */
static void
comp_rules_refs(void)
{
	size_t	i;

	for (i = 0; i < 4; i++)
		comp_rule(comp_all[i], "auditor", json_string("cv-nobody"),
		    BADREF, "/auditor", NULL);
	comp_rule(&comp_quals, "areas", json_pack("[s]", "cv-no-area"), BADREF,
	    "/areas/0", NULL);
	comp_rule(&comp_quals, "areas", json_pack("[s, s]", "cv-area",
	    "cv-no-area"), BADREF, "/areas/1", NULL);
	comp_rule(&comp_trainings, "areas", json_pack("[s]", "cv-no-area"),
	    BADREF, "/areas/0", NULL);
	comp_rule(&comp_evals, "assessed", json_pack("[{s:s, s:s}]", "area",
	    "cv-no-area", "level", "expert"), BADREF, "/assessed/0/area",
	    NULL);
}

/* Dates that do not exist; hours over (0, 1000] with two decimals. */
static void
comp_rules_values(void)
{
	static const struct {
		const struct comp_kind	*k;
		const char		*field;
	} dates[] = {
		{ &comp_quals, "issued" }, { &comp_quals, "expires" },
		{ &comp_trainings, "date" }, { &comp_evals, "date" },
		{ &comp_evals, "next_due" }, { &comp_decls, "from" },
		{ &comp_decls, "until" },
	};
	char	path[32];
	size_t	i;

	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		snprintf(path, sizeof path, "/%s", dates[i].field);
		comp_rule(dates[i].k, dates[i].field, json_string("2026-02-30"),
		    INVALID, path, NULL);
	}
	comp_rule(&comp_trainings, "hours", json_real(7.355), INVALID, "/hours",
	    "has more than two decimals");
	comp_rule(&comp_trainings, "hours", json_real(0.001), INVALID, "/hours",
	    "has more than two decimals");
	comp_rule(&comp_trainings, "hours", json_real(7.350000001), INVALID,
	    "/hours", "has more than two decimals");
	comp_rule(&comp_trainings, "hours", json_real(1e-9), INVALID,
	    "/hours", "has more than two decimals");
	comp_rule(&comp_trainings, "hours", json_integer(0), INVALID, "/hours",
	    NULL);
	comp_rule(&comp_trainings, "hours", json_real(1000.01), INVALID,
	    "/hours", NULL);
	comp_rule(&comp_trainings, "hours", json_integer(-1), INVALID, "/hours",
	    NULL);
}

/* The cross-field rules, each on its own path. */
static void
comp_rules_cross(void)
{
	comp_rule(&comp_quals, "expires", json_string("2025-03-09"), INVALID,
	    "/expires", "is before issued");
	comp_rule(&comp_decls, "until", json_string("2025-03-09"), INVALID,
	    "/until", "is before from");
	comp_rule(&comp_evals, "next_due", json_string("2025-03-10"), INVALID,
	    "/next_due", "is not after date");
	comp_rule(&comp_evals, "next_due", json_string("2025-03-09"), INVALID,
	    "/next_due", "is not after date");
	comp_rule(&comp_evals, "assessed", json_pack("[{s:s, s:s}, {s:s, s:s}]",
	    "area", "cv-area", "level", "expert", "area", "cv-area", "level",
	    "awareness"), INVALID, "/assessed/1/area", "is assessed twice");
	comp_rule(&comp_evals, "assessed", json_pack("[{s:s, s:s}, {s:s, s:s}, "
	    "{s:s, s:s}]", "area", "cv-area", "level", "expert", "area",
	    "cv-area2", "level", "expert", "area", "cv-area2", "level",
	    "expert"), INVALID, "/assessed/2/area", "is assessed twice");
}

void
competence_rules(void)
{
	static const char	 t[] = "/v1/trainings/cv-ct";
	static const char	 e[] = "/v1/evaluations/cv-ce";
	struct resp		 r;

	CU_ASSERT_FATAL(cases_make_auditor("cv-a", "Audit") &&
	    comp_area("cv-area") && comp_area("cv-area2"));
	comp_rules_refs();
	comp_rules_values();
	comp_rules_cross();
	comp_expect("admin", "POST", "/v1/qualifications", NULL, 400,
	    "bad-request");

	/* The same rules on a change: 422, and the record stays as it was. */
	client_json(&r, "admin", "POST", "/v1/trainings", comp_training_doc(
	    "cv-ct", "cv-a", "2025-03-10", "legal", "cv-area"), NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
	client_json(&r, "admin", "POST", "/v1/evaluations", json_pack("{s:s, "
	    "s:s, s:s, s:s, s:s, s:s}", "id", "cv-ce", "auditor", "cv-a",
	    "date", "2025-03-10", "next_due", "2025-03-11", "method",
	    "interview", "result", "meets"), NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
	comp_422("admin", "PATCH", t, comp_j("{\"hours\":7.355}"), INVALID,
	    "/hours", "has more than two decimals", NULL);
	comp_422("admin", "PATCH", e, comp_j("{\"date\":\"2025-03-11\"}"),
	    INVALID, "/next_due", "is not after date", NULL);
	comp_422("admin", "PATCH", t, comp_j("{\"areas\":[\"cv-no-area\"]}"),
	    BADREF, "/areas/0", NULL, NULL);
	CU_ASSERT(cases_rev(t) == 1);
	CU_ASSERT(cases_rev(e) == 1);
}

#undef BADREF
#undef INVALID

/* ---- references --------------------------------------------------------- */

/* DELETE path: 409 referenced, naming by in its errors; path stays. */
static void
comp_referenced(const char *path, const char *by)
{
	struct resp	 r;
	json_t		*e;

	client_http(&r, "admin", "DELETE", path, NULL, NULL);
	EXPECT_PROBLEM(&r, 409, "referenced");
	e = json_array_get(json_object_get(r.json, "errors"), 0);
	if (strstr(client_sv(e, "message"), by) == NULL) {
		printf("\n  ** expected a reference by %s\n", by);
		client_dump(&r, "the referrer is not named");
		CU_FAIL("referrer not named");
	}
	client_resp_free(&r);
	CU_ASSERT(cases_rev(path) >= 1);
}

/*
 * Each kind's record holds its auditor, and its areas (declarations have
 * none): neither can be deleted until the record is.
 */
void
competence_references(void)
{
	static const char	 aud[] = "/v1/auditors/cr-a";
	static const char	 area[] = "/v1/areas/cr-area";
	const struct comp_kind	*k;
	struct resp		 r;
	char			 id[32], url[64], by[96];
	size_t			 i;

	CU_ASSERT_FATAL(cases_make_auditor("cr-a", "Audit") &&
	    comp_area("cr-area"));
	for (i = 0; i < 4; i++) {
		k = comp_all[i];
		snprintf(id, sizeof id, "cr-%s", k->pfx);
		snprintf(url, sizeof url, "/v1/%s", k->coll);
		client_json(&r, "admin", "POST", url, k->doc(id, "cr-a",
		    "2025-04-01", k->fv[0], "cr-area"), NULL);
		EXPECT_STATUS(&r, 201);
		client_resp_free(&r);
		snprintf(by, sizeof by, "%s/%s", k->coll, id);
		comp_referenced(aud, by);
		if (k != &comp_decls)
			comp_referenced(area, by);
		snprintf(url, sizeof url, "/v1/%s/%s", k->coll, id);
		comp_expect("admin", "DELETE", url, NULL, 204, NULL);
	}
	/* Nothing holds them now. */
	comp_expect("admin", "DELETE", aud, NULL, 204, NULL);
	comp_expect("admin", "DELETE", area, NULL, 204, NULL);
}

/* ---- events ------------------------------------------------------------- */

/* One event the case expects, and the stored bytes it names. */
struct comp_event {
	const char	*action, *type, *principal;
	char		 record[64];
	long long	 rev;
	char		 sha[65];	/* "" for a delete */
};

/* Record in ev what r (a change answered 2xx) must have appended. */
static void
comp_event_of(struct comp_event *ev, const struct resp *r,
    const char *action, const char *type, const char *principal,
    const char *record, long long rev)
{
	unsigned char	md[32];

	ev->action = action;
	ev->type = type;
	ev->principal = principal;
	snprintf(ev->record, sizeof ev->record, "%s", record);
	ev->rev = rev;
	ev->sha[0] = '\0';
	if (strcmp(action, "delete") == 0)
		return;
	mbedtls_sha256_ret((const unsigned char *)r->body, r->len, md, 0);
	for (int i = 0; i < 32; i++)
		snprintf(ev->sha + 2 * i, 3, "%02x", md[i]);
}

/* The chain's length and head from /v1/events/verify (ok required). */
static long long
comp_chain(char head[65])
{
	struct resp	r;
	long long	n;

	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_true(json_object_get(r.json, "ok")));
	n = client_int(&r, "count");
	snprintf(head, 65, "%s", client_sv(r.json, "head"));
	client_resp_free(&r);
	return n;
}

/*
 * For k: create (admin), update (ev-hr), a refused change, HR's verify
 * where k has one, delete (admin); the events they must append into evs.
 */
static size_t
comp_event_changes(const struct comp_kind *k, struct comp_event *evs)
{
	struct resp	 r;
	char		 id[64], coll[64], path[128], url[160];
	size_t		 n = 0;
	int		 verify = k == &comp_quals || k == &comp_trainings;

	snprintf(id, sizeof id, "ev-%s", k->pfx);
	snprintf(coll, sizeof coll, "/v1/%s", k->coll);
	snprintf(path, sizeof path, "/v1/%s/%s", k->coll, id);
	client_json(&r, "admin", "POST", coll, k->doc(id, "ev-a", "2025-07-01",
	    k->fv[0], "ev-area"), NULL);
	EXPECT_STATUS(&r, 201);
	comp_event_of(&evs[n++], &r, "create", k->coll, "admin", id, 1);
	client_resp_free(&r);
	client_json(&r, "ev-hr", "PATCH", path, json_pack("{s:s}", k->field,
	    "Changed"), NULL);
	EXPECT_STATUS(&r, 200);
	comp_event_of(&evs[n++], &r, "update", k->coll, "p-ev-hr", id, 2);
	client_resp_free(&r);
	comp_422("admin", "PATCH", path, json_pack("{s:s}", k->date,
	    "2026-02-30"), "validation", k->date[0] == 'i' ? "/issued" :
	    k->date[0] == 'd' ? "/date" : "/from", NULL, NULL);
	if (verify) {
		snprintf(url, sizeof url, "%s/verify", path);
		client_http(&r, "ev-hr", "POST", url, NULL, NULL);
		EXPECT_STATUS(&r, 200);
		comp_event_of(&evs[n++], &r, "update", k->coll, "p-ev-hr", id,
		    3);
		client_resp_free(&r);
	}
	client_http(&r, "admin", "DELETE", path, NULL, NULL);
	EXPECT_STATUS(&r, 204);
	comp_event_of(&evs[n++], &r, "delete", k->coll, "admin", id,
	    verify ? 3 : 2);
	client_resp_free(&r);
	return n;
}

/* Check the events after seq `after` against want[0..n). */
static void
comp_events_match(long long after, const struct comp_event *want, size_t n)
{
	struct resp	 r;
	json_t		*it, *ev;
	char		 url[96];
	size_t		 i;

	snprintf(url, sizeof url, "/v1/events?after=%lld&limit=1000", after);
	client_http(&r, "admin", "GET", url, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	it = json_object_get(r.json, "items");
	if (json_array_size(it) != n)
		client_dump(&r, "not the events the changes made");
	CU_ASSERT_EQUAL(json_array_size(it), n);
	for (i = 0; i < n && i < json_array_size(it); i++) {
		ev = json_array_get(it, i);
		CU_ASSERT(json_integer_value(json_object_get(ev, "seq")) ==
		    after + 1 + (long long)i);
		CU_ASSERT_STRING_EQUAL(client_sv(ev, "action"), want[i].action);
		CU_ASSERT_STRING_EQUAL(client_sv(ev, "type"), want[i].type);
		CU_ASSERT_STRING_EQUAL(client_sv(ev, "record"), want[i].record);
		CU_ASSERT_STRING_EQUAL(client_sv(ev, "principal"),
		    want[i].principal);
		CU_ASSERT(json_integer_value(json_object_get(ev, "rev")) ==
		    want[i].rev);
		if (want[i].sha[0] != '\0') {
			CU_ASSERT_STRING_EQUAL(client_sv(ev, "sha256"),
			    want[i].sha);
		} else {
			CU_ASSERT(json_is_null(json_object_get(ev, "sha256")));
		}
	}
	client_resp_free(&r);
}

void
competence_events(void)
{
	struct comp_event	 want[32];
	char			 head[65], head2[65];
	long long		 start, end;
	size_t			 i, n = 0;

	CU_ASSERT_FATAL(cases_make_auditor("ev-a", "Audit") &&
	    comp_area("ev-area") && comp_principal("ev-hr", "hr", NULL));
	start = comp_chain(head);
	CU_ASSERT_FATAL(start > 0);
	for (i = 0; i < 4; i++)
		n += comp_event_changes(comp_all[i], want + n);
	/* Refused changes append nothing either. */
	comp_expect("ev-hr", "DELETE", "/v1/auditors/no-such-ev", NULL, 404,
	    "not-found");
	comp_events_match(start, want, n);
	end = comp_chain(head2);
	CU_ASSERT(end == start + (long long)n);
	CU_ASSERT(strcmp(head, head2) != 0);
}

