/*
 * cases_rest.c: areas and auditors over curl: CRUD, ETag and If-Match,
 * validation errors, bad requests, size limit, pagination and filters.
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"

/*
 * A whole document for PUT: status has a default on create only, so a
 * replacement carries it.
 */
static json_t *
full_auditor(const char *id, const char *unit)
{
	json_t	*d = cases_auditor(id, unit);

	json_object_set_new(d, "status", json_string("active"));
	return d;
}

/*
 * The items array of a list answer, checked for shape: exactly items and
 * next (an id or null), every item an object with an id.
 */
static json_t *
items(const struct resp *r)
{
	json_t	*it = json_object_get(r->json, "items"), *v;
	json_t	*next = json_object_get(r->json, "next");
	size_t	 i;

	if (!json_is_array(it) || !(json_is_null(next) ||
	    json_is_string(next)) || json_object_size(r->json) != 2) {
		client_dump(r, "not a list answer {items, next}");
		return NULL;
	}
	json_array_foreach(it, i, v)
		if (!json_is_string(json_object_get(v, "id"))) {
			client_dump(r, "a list item without an id");
			return NULL;
		}
	return it;
}

/* A JSON object from text (for expected documents). */
static json_t *
doc(const char *text)
{
	json_t	*d = json_loads(text, 0, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

/* want with key set to a string (want is returned, for chaining). */
static json_t *
with(json_t *want, const char *key, const char *value)
{
	json_object_set_new(want, key, json_string(value));
	return want;
}

/* A 204: no body, no Content-Type, no Content-Length. */
static int
empty_204(const struct resp *r)
{
	char	buf[128];

	if (r->status == 204 && r->len == 0 &&
	    !client_header(r, "Content-Type", buf, sizeof buf) &&
	    !client_header(r, "Content-Length", buf, sizeof buf))
		return 1;
	client_dump(r, "expected a bare 204");
	return 0;
}

static int
is_json_answer(const struct resp *r)
{
	char	ct[128];

	client_header(r, "Content-Type", ct, sizeof ct);
	return strncmp(ct, "application/json", 16) == 0 && r->json != NULL;
}

void
rest_health(void)
{
	static const struct {
		const char	*who, *path, *body;
	} rows[] = {
		{ "admin", "/livez", "{\"status\":\"ok\"}" },
		{ "admin", "/readyz", "{\"status\":\"ready\"}" },
		/* Health needs no principal: bob's certificate maps to none. */
		{ "bob", "/livez", "{\"status\":\"ok\"}" },
		{ "bob", "/readyz", "{\"status\":\"ready\"}" },
	};
	struct resp	r;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		client_http(&r, rows[i].who, "GET", rows[i].path, NULL, NULL);
		EXPECT_STATUS(&r, 200);
		CU_ASSERT(is_json_answer(&r));
		CU_ASSERT_STRING_EQUAL(r.body, rows[i].body);
		client_resp_free(&r);
	}
}

/* The knowledge areas of ISO/IEC 27006 a fresh store holds, in id order. */
static const char *const seeded[] = {
	"audit-principles", "business-management", "client-organisation",
	"client-sector", "infosec-terminology", "isms-standards",
	"legislation", "performance-evaluation", "risk-management",
	"security-controls", NULL
};

void
rest_areas_seeded(void)
{
	struct resp	 r;
	json_t		*it, *a;
	size_t		 i, k, nknow = 0;
	char		 why[128];

	/* Filtered: exactly the ten, in id order, as seeded. */
	client_http(&r, "admin", "GET", "/v1/areas?kind=knowledge", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(is_json_answer(&r));
	CU_ASSERT_FATAL((it = items(&r)) != NULL);
	CU_ASSERT_EQUAL(json_array_size(it), 10);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	json_array_foreach(it, i, a) {
		const char	*title = client_sv(a, "title");

		CU_ASSERT(i < 10 && strcmp(client_sv(a, "id"), seeded[i]) ==
		    0);
		CU_ASSERT_STRING_EQUAL(client_sv(a, "kind"), "knowledge");
		CU_ASSERT(title[0] != '\0');
		CU_ASSERT(json_integer_value(json_object_get(a, "rev")) == 1);
		CU_ASSERT(client_sv(a, "created")[0] != '\0');
		CU_ASSERT_STRING_EQUAL(client_sv(a, "created"),
		    client_sv(a, "updated"));
		/* Nothing but the record's fields. */
		CU_ASSERT(cases_fields_are(a, json_pack("{s:s, s:s}", "title",
		    title, "kind", "knowledge"), why, sizeof why) == 1);
	}
	client_resp_free(&r);

	/* Unfiltered: every seeded area among them, all in id order. */
	client_http(&r, "admin", "GET", "/v1/areas", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_FATAL((it = items(&r)) != NULL);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	for (k = 0; seeded[k] != NULL; k++)
		CU_ASSERT(client_find(it, seeded[k]) != NULL);
	json_array_foreach(it, i, a) {
		if (strcmp(client_sv(a, "kind"), "knowledge") == 0)
			nknow++;
		if (i > 0)
			CU_ASSERT(strcmp(client_sv(json_array_get(it, i - 1),
			    "id"), client_sv(a, "id")) < 0);
	}
	CU_ASSERT_EQUAL(nknow, 10);
	client_resp_free(&r);

	/* A kind no case makes: an empty first page. */
	client_http(&r, "admin", "GET", "/v1/areas?kind=standard", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT((it = items(&r)) != NULL && json_array_size(it) == 0);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);
}

void
rest_area_crud(void)
{
	struct resp	 r;
	json_t		*listed;
	char		 created[64], body1[512];

	client_json(&r, "admin", "POST", "/v1/areas", json_pack(
	    "{s:s, s:s, s:s}", "id", "sector-energy", "title",
	    "Energy sector", "kind", "sector"), NULL);
	EXPECT_RECORD(&r, 201, "areas", "sector-energy", 1,
	    doc("{\"title\":\"Energy sector\",\"kind\":\"sector\"}"));
	snprintf(created, sizeof created, "%s", client_sv(r.json, "created"));
	CU_ASSERT_STRING_EQUAL(created, client_sv(r.json, "updated"));
	snprintf(body1, sizeof body1, "%s", r.body);
	client_resp_free(&r);

	/* A read answers the stored bytes the create answered. */
	client_http(&r, "admin", "GET", "/v1/areas/sector-energy", NULL, NULL);
	EXPECT_RECORD(&r, 200, "areas", "sector-energy", 1,
	    doc("{\"title\":\"Energy sector\",\"kind\":\"sector\"}"));
	CU_ASSERT_STRING_EQUAL(r.body, body1);
	client_resp_free(&r);

	/* PUT replaces: description is new, and created stays. */
	client_json(&r, "admin", "PUT", "/v1/areas/sector-energy", json_pack(
	    "{s:s, s:s, s:s}", "title", "Energy and utilities", "kind",
	    "sector", "description", "Power, gas, water"),
	    "If-Match: \"1\"", NULL);
	EXPECT_RECORD(&r, 200, "areas", "sector-energy", 2,
	    doc("{\"title\":\"Energy and utilities\",\"kind\":\"sector\","
	    "\"description\":\"Power, gas, water\"}"));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "created"), created);
	client_resp_free(&r);

	/* Merge patch: one field changed, one removed, the rest kept. */
	client_http(&r, "admin", "PATCH", "/v1/areas/sector-energy",
	    "{\"title\":\"Energy\",\"description\":null}",
	    "Content-Type: application/merge-patch+json", NULL);
	EXPECT_RECORD(&r, 200, "areas", "sector-energy", 3,
	    doc("{\"title\":\"Energy\",\"kind\":\"sector\"}"));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "created"), created);
	client_resp_free(&r);

	/* The list holds the record as a read answers it. */
	client_http(&r, "admin", "GET", "/v1/areas?kind=sector", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	listed = client_find(items(&r), "sector-energy");
	CU_ASSERT(listed != NULL &&
	    json_integer_value(json_object_get(listed, "rev")) == 3 &&
	    strcmp(client_sv(listed, "title"), "Energy") == 0 &&
	    json_object_get(listed, "description") == NULL);
	client_resp_free(&r);

	client_http(&r, "admin", "DELETE", "/v1/areas/sector-energy", NULL,
	    "If-Match: \"3\"", NULL);
	CU_ASSERT(empty_204(&r));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/areas/sector-energy", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	CU_ASSERT(client_detail_has(&r, "no such record"));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/areas?kind=sector", NULL, NULL);
	CU_ASSERT(client_find(items(&r), "sector-energy") == NULL);
	client_resp_free(&r);
}

void
rest_auditor_crud(void)
{
	struct resp	 r;
	json_t		*want;
	char		 created[64];

	want = with(cases_auditor("crud-1", "IT Operations"), "status",
	    "active");				/* the default */
	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor("crud-1", "IT Operations"), NULL);
	EXPECT_RECORD(&r, 201, "auditors", "crud-1", 1, json_incref(want));
	snprintf(created, sizeof created, "%s", client_sv(r.json, "created"));
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/auditors/crud-1", NULL, NULL);
	EXPECT_RECORD(&r, 200, "auditors", "crud-1", 1, want);
	client_resp_free(&r);

	/* PUT replaces the whole document: fields left out are gone. */
	want = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name",
	    "Renamed Auditor", "email", "renamed@example.org", "unit",
	    "IT Operations", "employment", "external", "notes", "n1", "status",
	    "active");
	client_json(&r, "admin", "PUT", "/v1/auditors/crud-1",
	    json_deep_copy(want), "If-Match: \"1\"", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "crud-1", 2, json_incref(want));
	CU_ASSERT(json_object_get(r.json, "languages") == NULL);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "created"), created);
	client_resp_free(&r);

	/* Merge patch: a member set to null is removed. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/crud-1",
	    "{\"unit\":\"Finance\",\"notes\":null}",
	    "Content-Type: application/merge-patch+json", NULL);
	json_object_del(want, "notes");
	with(want, "unit", "Finance");
	EXPECT_RECORD(&r, 200, "auditors", "crud-1", 3, json_incref(want));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "created"), created);
	client_resp_free(&r);

	/* PATCH also takes application/json. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/crud-1",
	    "{\"languages\":[\"en\",\"de\"]}", NULL);
	json_object_set_new(want, "languages", json_pack("[s,s]", "en", "de"));
	EXPECT_RECORD(&r, 200, "auditors", "crud-1", 4, json_incref(want));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/crud-1", NULL, NULL);
	EXPECT_RECORD(&r, 200, "auditors", "crud-1", 4, want);
	client_resp_free(&r);

	client_http(&r, "admin", "DELETE", "/v1/auditors/crud-1", NULL, NULL);
	CU_ASSERT(empty_204(&r));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/crud-1", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

void
rest_auditor_retire(void)
{
	struct resp	 r;
	json_t		*want;

	CU_ASSERT_FATAL(cases_make_auditor("ret-1", "Audit"));
	want = with(cases_auditor("ret-1", "Audit"), "status", "retired");
	client_http(&r, "admin", "POST", "/v1/auditors/ret-1/retire", NULL,
	    NULL);
	EXPECT_RECORD(&r, 200, "auditors", "ret-1", 2, json_incref(want));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/ret-1", NULL, NULL);
	EXPECT_RECORD(&r, 200, "auditors", "ret-1", 2, want);
	client_resp_free(&r);
	/* An action takes no body. */
	client_http(&r, "admin", "POST", "/v1/auditors/ret-1/retire",
	    "{\"status\":\"active\"}", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	CU_ASSERT(client_detail_has(&r, "takes no body"));
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/ret-1") == 2);
	client_http(&r, "admin", "POST", "/v1/auditors/no-such/retire", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

void
rest_server_id(void)
{
	struct resp	 r, r2;
	json_t		*d, *want;
	regex_t		 re;
	char		 id[80], path[128];

	d = cases_auditor("x", "Audit");
	json_object_del(d, "id");
	want = with(json_deep_copy(d), "status", "active");
	/* rev, created and updated from a client are ignored. */
	json_object_set_new(d, "rev", json_integer(42));
	json_object_set_new(d, "created", json_string("2000-01-01T00:00:00Z"));
	json_object_set_new(d, "updated", json_string("2000-01-01T00:00:00Z"));
	client_json(&r, "admin", "POST", "/v1/auditors", d, NULL);
	snprintf(id, sizeof id, "%s", client_sv(r.json, "id"));
	regcomp(&re, "^[0-9a-f]{16}$", REG_EXTENDED | REG_NOSUB);
	CU_ASSERT(regexec(&re, id, 0, NULL, 0) == 0);
	regfree(&re);
	EXPECT_RECORD(&r, 201, "auditors", id, 1, want);
	CU_ASSERT(strcmp(client_sv(r.json, "created"), "2000-01-01T00:00:00Z")
	    != 0);
	CU_ASSERT(strcmp(client_sv(r.json, "updated"), "2000-01-01T00:00:00Z")
	    != 0);
	snprintf(path, sizeof path, "/v1/auditors/%s", id);
	client_http(&r2, "admin", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r2, 200);
	/* Stored as answered. */
	CU_ASSERT_STRING_EQUAL(r2.body, r.body);
	client_resp_free(&r);
	client_resp_free(&r2);
}

void
rest_conflict(void)
{
	struct resp	 r;

	CU_ASSERT_FATAL(cases_make_auditor("dup-1", "Audit"));
	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor("dup-1", "Elsewhere"), NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	CU_ASSERT(client_detail_has(&r, "exists"));
	client_resp_free(&r);
	/* The first record is untouched. */
	client_http(&r, "admin", "GET", "/v1/auditors/dup-1", NULL, NULL);
	EXPECT_RECORD(&r, 200, "auditors", "dup-1", 1,
	    with(cases_auditor("dup-1", "Audit"), "status", "active"));
	client_resp_free(&r);

	/* A seeded area's id is taken too, and the area stays as it was. */
	client_json(&r, "admin", "POST", "/v1/areas", json_pack(
	    "{s:s, s:s, s:s}", "id", "risk-management", "title", "Again",
	    "kind", "knowledge"), NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/areas/risk-management", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_int(&r, "rev") == 1);
	CU_ASSERT(strcmp(client_sv(r.json, "title"), "Again") != 0);
	client_resp_free(&r);
}

void
rest_stale(void)
{
	struct resp	 r;
	json_t		*want;

	CU_ASSERT_FATAL(cases_make_auditor("stale-1", "Audit"));
	client_json(&r, "admin", "PUT", "/v1/auditors/stale-1",
	    full_auditor("stale-1", "Moved"), "If-Match: \"5\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	CU_ASSERT(client_detail_has(&r, "If-Match"));
	client_resp_free(&r);
	client_http(&r, "admin", "PATCH", "/v1/auditors/stale-1",
	    "{\"unit\":\"Moved\"}", "If-Match: \"2\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);
	client_http(&r, "admin", "DELETE", "/v1/auditors/stale-1", NULL,
	    "If-Match: \"9\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);
	/* Nothing changed. */
	client_http(&r, "admin", "GET", "/v1/auditors/stale-1", NULL, NULL);
	EXPECT_RECORD(&r, 200, "auditors", "stale-1", 1,
	    full_auditor("stale-1", "Audit"));
	client_resp_free(&r);

	want = full_auditor("stale-1", "Moved");
	client_json(&r, "admin", "PUT", "/v1/auditors/stale-1",
	    json_deep_copy(want), "If-Match: \"1\"", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "stale-1", 2, json_incref(want));
	client_resp_free(&r);
	/* The bare form REV is accepted too. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/stale-1",
	    "{\"unit\":\"Again\"}", "If-Match: 2", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "stale-1", 3,
	    with(want, "unit", "Again"));
	client_resp_free(&r);
	/* The old rev is stale now. */
	client_http(&r, "admin", "DELETE", "/v1/auditors/stale-1", NULL,
	    "If-Match: \"2\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/stale-1") == 3);
	client_http(&r, "admin", "DELETE", "/v1/auditors/stale-1", NULL,
	    "If-Match: \"3\"", NULL);
	CU_ASSERT(empty_204(&r));
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/stale-1") == -1);
}

/*
 * Send doc as admin; expect 422 slug whose errors[] name exactly ptrs, and
 * a detail that holds detail.
 */
static void
expect_422(const char *method, const char *path, json_t *doc,
    const char *slug, const char *detail, const char *const ptrs[])
{
	struct resp	r;

	client_json(&r, "admin", method, path, doc, NULL);
	EXPECT_PROBLEM(&r, 422, slug);
	CU_ASSERT(client_error_paths(&r, ptrs));
	CU_ASSERT(client_detail_has(&r, detail));
	client_resp_free(&r);
}

#define AUD_INVALID	"the auditor record is not valid"
#define AREA_INVALID	"the area record is not valid"

void
rest_validation(void)
{
	json_t	*d;

	d = cases_auditor("val-1", "Audit");
	json_object_del(d, "name");
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/name", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "email", json_string("not an email"));
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/email", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "foo", json_string("bar"));
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/foo", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "employment", json_string("contractor"));
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/employment", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "status", json_string("sleeping"));
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/status", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "languages", json_pack("[s,i]", "en", 7));
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/languages/1", NULL });

	d = cases_auditor("bad id!", "Audit");
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/id", NULL });

	/* Every error is listed, not just the first. */
	d = cases_auditor("val-1", "Audit");
	json_object_del(d, "name");
	json_object_set_new(d, "employment", json_integer(3));
	expect_422("POST", "/v1/auditors", d, "validation", AUD_INVALID,
	    (const char *[]){ "/name", "/employment", NULL });

	expect_422("POST", "/v1/areas", json_pack("{s:s, s:s, s:s}", "id",
	    "val-area", "title", "T", "kind", "bogus"), "validation",
	    AREA_INVALID, (const char *[]){ "/kind", NULL });
	expect_422("POST", "/v1/areas", json_pack("{s:s, s:s}", "id",
	    "val-area", "kind", "sector"), "validation", AREA_INVALID,
	    (const char *[]){ "/title", NULL });

	/* A patch is validated as the document it makes. */
	CU_ASSERT_FATAL(cases_make_auditor("val-2", "Audit"));
	expect_422("PATCH", "/v1/auditors/val-2", json_pack("{s:s}",
	    "employment", "freelance"), "validation", AUD_INVALID,
	    (const char *[]){ "/employment", NULL });
	/* A body may not move a record to another id. */
	expect_422("PATCH", "/v1/auditors/val-2", json_pack("{s:s}",
	    "id", "val-3"), "validation", AUD_INVALID,
	    (const char *[]){ "/id", NULL });
	CU_ASSERT(cases_rev("/v1/auditors/val-2") == 1);
	/* Nothing was created by the failures. */
	CU_ASSERT(cases_rev("/v1/auditors/val-1") == -1);
	CU_ASSERT(cases_rev("/v1/auditors/val-3") == -1);
	CU_ASSERT(cases_rev("/v1/areas/val-area") == -1);
}

void
rest_bad_requests(void)
{
	static const struct {
		const char	*query;
		const char	*detail;
	} bad_queries[] = {
		{ "/v1/auditors?bogus=1", "unknown query parameter 'bogus'" },
		{ "/v1/auditors?limit=0", "limit must be" },
		{ "/v1/auditors?limit=1001", "limit must be" },
		{ "/v1/auditors?limit=ten", "limit must be" },
		{ "/v1/auditors?limit=-5", "limit must be" },
		{ "/v1/auditors?after=a%20b", "after must be a record id" },
		{ "/v1/areas?status=active", "unknown query parameter" },
	};
	struct resp		 r;
	char			 allow[128];

	client_http(&r, "admin", "POST", "/v1/auditors",
	    "{\"id\": \"bad-json\", \"name\": ", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	CU_ASSERT(client_detail_has(&r, "malformed JSON"));
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/bad-json") == -1);
	/* Duplicate members are refused, not resolved silently. */
	client_http(&r, "admin", "POST", "/v1/auditors",
	    "{\"id\":\"bad-dup\",\"name\":\"A\",\"name\":\"B\","
	    "\"email\":\"a@example.org\"}", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/bad-dup") == -1);
	/* A write needs a body. */
	client_http(&r, "admin", "POST", "/v1/auditors", NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	CU_ASSERT(client_detail_has(&r, "JSON body is required"));
	client_resp_free(&r);

	for (size_t i = 0; i < sizeof bad_queries / sizeof bad_queries[0];
	    i++) {
		client_http(&r, "admin", "GET", bad_queries[i].query, NULL,
		    NULL);
		EXPECT_PROBLEM(&r, 400, "bad-request");
		CU_ASSERT(client_detail_has(&r, bad_queries[i].detail));
		client_resp_free(&r);
	}
	client_http(&r, "admin", "GET", "/v1/auditors?limit=1000", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(items(&r) != NULL);
	client_resp_free(&r);

	client_http(&r, "admin", "POST", "/v1/auditors", "id=x&name=y",
	    "Content-Type: application/x-www-form-urlencoded", NULL);
	EXPECT_PROBLEM(&r, 415, "unsupported-media-type");
	CU_ASSERT(client_detail_has(&r, "application/json"));
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/x") == -1);

	client_http(&r, "admin", "DELETE", "/v1/auditors", NULL, NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	client_header(&r, "Allow", allow, sizeof allow);
	CU_ASSERT_STRING_EQUAL(allow, "GET, HEAD, POST");
	CU_ASSERT(client_detail_has(&r, allow));
	client_resp_free(&r);
	client_http(&r, "admin", "POST", "/v1/auditors/x", "{}", NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	client_header(&r, "Allow", allow, sizeof allow);
	CU_ASSERT_STRING_EQUAL(allow, "GET, HEAD, PUT, PATCH, DELETE");
	client_resp_free(&r);
}

void
rest_not_found(void)
{
	static const char	*methods[] = { "PUT", "PATCH", "DELETE",
				    "POST", NULL };
	struct resp		 r, first;

	/*
	 * Every way to reach a missing record answers the same: a read, a
	 * change through the writer, an action.
	 */
	client_http(&first, "admin", "GET", "/v1/auditors/no-such", NULL,
	    NULL);
	EXPECT_PROBLEM(&first, 404, "not-found");
	CU_ASSERT(client_detail_has(&first, "no such record"));
	for (const char **m = methods; *m != NULL; m++) {
		if (strcmp(*m, "PUT") == 0)
			client_json(&r, "admin", *m, "/v1/auditors/no-such",
			    full_auditor("no-such", "Audit"), NULL);
		else if (strcmp(*m, "PATCH") == 0)
			client_http(&r, "admin", *m, "/v1/auditors/no-such",
			    "{\"unit\":\"x\"}", NULL);
		else if (strcmp(*m, "POST") == 0)
			client_http(&r, "admin", *m,
			    "/v1/auditors/no-such/retire", NULL, NULL);
		else
			client_http(&r, "admin", *m, "/v1/auditors/no-such",
			    NULL, NULL);
		EXPECT_PROBLEM(&r, 404, "not-found");
		CU_ASSERT(cases_same_answer(&first, &r));
		client_resp_free(&r);
	}
	client_resp_free(&first);
	CU_ASSERT(cases_rev("/v1/auditors/no-such") == -1);
	client_http(&r, "admin", "GET", "/v1/areas/no-such", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	CU_ASSERT(client_detail_has(&r, "no such record"));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/no-such-collection", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	CU_ASSERT(client_detail_has(&r, "no such path"));
	client_resp_free(&r);
	/* Unclean paths are no paths. */
	client_http(&r, "admin", "GET", "/v1/auditors/./x", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}
/*
 * Write an auditor document of exactly size bytes into the test directory's
 * file name: valid JSON, padded with spaces, or with a long notes string
 * when over the limit (so only the size can be the reason for a refusal).
 */
static int
sized_body(const char *name, const char *id, size_t size)
{
	char	 path[PATH_MAX], head[128];
	FILE	*f;
	size_t	 n;
	int	 rc = 0;

	n = (size_t)snprintf(head, sizeof head, "{\"id\":\"%s\",\"name\":\"N\","
	    "\"email\":\"n@example.org\"}", id);
	if ((f = fopen(harness_file(path, name), "w")) == NULL)
		return -1;
	fwrite(head, 1, n, f);
	for (; n < size; n++)
		fputc(' ', f);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

void
rest_too_large(void)
{
	static const char	*expect[] = { NULL, "Expect:" };
	struct resp		 r;
	char			 path[PATH_MAX];

	/* Over the limit, with and without Expect: 100-continue. */
	CU_ASSERT_FATAL(sized_body("big.json", "big-1", (1 << 20) + 1) == 0);
	for (size_t i = 0; i < 2; i++) {
		char	 conn[64] = "";

		/*
		 * evhttp 2.1 answers this itself, before any handler, with
		 * its own text/html page (docs/api.md): the status and the
		 * closed connection are the contract.
		 */
		client_http_file(&r, "admin", "POST", "/v1/auditors",
		    "big.json", expect[i]);
		EXPECT_STATUS(&r, 413);
		CU_ASSERT(client_header(&r, "Connection", conn,
		    sizeof conn) == 1 && strcasecmp(conn, "close") == 0);
		client_resp_free(&r);
		CU_ASSERT(cases_rev("/v1/auditors/big-1") == -1);
	}
	/* Exactly at the limit is fine, and stored as sent. */
	CU_ASSERT_FATAL(sized_body("big.json", "big-2", 1 << 20) == 0);
	client_http_file(&r, "admin", "POST", "/v1/auditors", "big.json",
	    NULL);
	EXPECT_RECORD(&r, 201, "auditors", "big-2", 1, doc("{\"name\":\"N\","
	    "\"email\":\"n@example.org\",\"status\":\"active\"}"));
	client_resp_free(&r);
	remove(harness_file(path, "big.json"));
	/* The daemon is unharmed: every worker still answers. */
	for (int i = 0; i < 6; i++) {
		client_http(&r, "admin", "GET", "/livez", NULL, NULL);
		EXPECT_STATUS(&r, 200);
		CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"ok\"}");
		client_resp_free(&r);
	}
	CU_ASSERT(cases_make_auditor("after-413", "Audit"));
}

/* Walk all pages of path (which has a query) with limit; collect ids. */
static json_t *
walk(const char *path, int limit, int *pages)
{
	json_t	*ids = json_array();
	char	 url[512], after[80] = "";

	*pages = 0;
	for (;;) {
		struct resp	 r;
		json_t		*it, *v, *next;
		size_t		 i;

		if (after[0] != '\0')
			snprintf(url, sizeof url, "%s&limit=%d&after=%s", path,
			    limit, after);
		else
			snprintf(url, sizeof url, "%s&limit=%d", path, limit);
		client_http(&r, "admin", "GET", url, NULL, NULL);
		/* A bound, so a server that never ends a walk fails it. */
		if (!client_status(&r, 200) || (it = items(&r)) == NULL ||
		    ++*pages > 500) {
			client_resp_free(&r);
			break;
		}
		CU_ASSERT(json_array_size(it) <= (size_t)limit);
		json_array_foreach(it, i, v)
			json_array_append(ids, json_object_get(v, "id"));
		next = json_object_get(r.json, "next");
		if (json_is_string(next)) {
			snprintf(after, sizeof after, "%s",
			    json_string_value(next));
		} else {
			CU_ASSERT(json_is_null(next));
			after[0] = '\0';
		}
		client_resp_free(&r);
		if (after[0] == '\0')
			break;
	}
	return ids;
}

void
rest_pagination(void)
{
	struct resp	 r;
	json_t		*ids, *it, *v;
	char		 id[16], why[128];
	int		 pages, i;
	size_t		 k;

	for (i = 0; i < 25; i++) {
		snprintf(id, sizeof id, "pg-%02d", i);
		CU_ASSERT_FATAL(cases_make_auditor(id, "Paging"));
	}
	ids = walk("/v1/auditors?unit=Paging", 10, &pages);
	CU_ASSERT_EQUAL(pages, 3);
	CU_ASSERT_EQUAL(json_array_size(ids), 25);
	/* In id order, each exactly once: pg-00 .. pg-24. */
	for (i = 0; i < 25 && (size_t)i < json_array_size(ids); i++) {
		snprintf(id, sizeof id, "pg-%02d", i);
		CU_ASSERT_STRING_EQUAL(client_s(json_array_get(ids,
		    (size_t)i)), id);
	}
	json_decref(ids);

	/* The items are the whole records, and next is the last id. */
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Paging&limit=10&"
	    "after=pg-09", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_FATAL((it = items(&r)) != NULL);
	CU_ASSERT_EQUAL(json_array_size(it), 10);
	json_array_foreach(it, k, v) {
		snprintf(id, sizeof id, "pg-%02zu", k + 10);
		CU_ASSERT_STRING_EQUAL(client_sv(v, "id"), id);
		CU_ASSERT(json_integer_value(json_object_get(v, "rev")) == 1);
		CU_ASSERT(cases_fields_are(v, with(cases_auditor(id, "Paging"),
		    "status", "active"), why, sizeof why) == 1);
	}
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "next"), "pg-19");
	client_resp_free(&r);

	/* A walk over every active auditor sees each pg- once, in order. */
	ids = walk("/v1/auditors?status=active", 7, &pages);
	CU_ASSERT(pages >= 4);
	{
		size_t	 found = 0;

		json_array_foreach(ids, k, v) {
			if (strncmp(client_s(v), "pg-", 3) == 0)
				found++;
			if (k > 0)
				CU_ASSERT(strcmp(client_s(json_array_get(ids,
				    k - 1)), client_s(v)) < 0);
		}
		CU_ASSERT_EQUAL(found, 25);
	}
	json_decref(ids);
}

/* The ids of a list answer's items, comma-separated, into out. */
static const char *
ids_of(const struct resp *r, char *out, size_t len)
{
	json_t	*v;
	size_t	 i, off = 0;

	out[0] = '\0';
	json_array_foreach(json_object_get(r->json, "items"), i, v)
		off += (size_t)snprintf(out + off, off < len ? len - off : 0,
		    "%s%s", i > 0 ? "," : "", client_sv(v, "id"));
	return out;
}

void
rest_filters(void)
{
	struct resp	 r;
	json_t		*it, *v;
	char		 id[16], path[64], got[512];
	size_t		 k;

	/* Its own ten, two of them retired. */
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof id, "flt-%02d", i);
		CU_ASSERT_FATAL(cases_make_auditor(id, "Filters"));
	}
	for (int i = 3; i <= 7; i += 4) {
		snprintf(id, sizeof id, "flt-%02d", i);
		snprintf(path, sizeof path, "/v1/auditors/%s/retire", id);
		client_http(&r, "admin", "POST", path, NULL, NULL);
		EXPECT_RECORD(&r, 200, "auditors", id, 2, with(cases_auditor(id,
		    "Filters"), "status", "retired"));
		client_resp_free(&r);
	}

	client_http(&r, "admin", "GET", "/v1/auditors?status=retired&unit="
	    "Filters", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(items(&r) != NULL);
	CU_ASSERT_STRING_EQUAL(ids_of(&r, got, sizeof got), "flt-03,flt-07");
	json_array_foreach(json_object_get(r.json, "items"), k, v)
		CU_ASSERT_STRING_EQUAL(client_sv(v, "status"), "retired");
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/auditors?unit=Filters&status="
	    "active&limit=1000", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(items(&r) != NULL);
	CU_ASSERT_STRING_EQUAL(ids_of(&r, got, sizeof got), "flt-00,flt-01,"
	    "flt-02,flt-04,flt-05,flt-06,flt-08,flt-09");
	json_array_foreach(json_object_get(r.json, "items"), k, v) {
		CU_ASSERT_STRING_EQUAL(client_sv(v, "status"), "active");
		CU_ASSERT_STRING_EQUAL(client_sv(v, "unit"), "Filters");
	}
	client_resp_free(&r);

	/* Exact match: a prefix of the unit finds nothing. */
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Filt", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT((it = items(&r)) != NULL && json_array_size(it) == 0);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);

	/* Percent-encoded values are decoded. */
	CU_ASSERT_FATAL(cases_make_auditor("enc-1", "Quality Assurance"));
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Quality%20Assurance",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(items(&r) != NULL);
	CU_ASSERT_STRING_EQUAL(ids_of(&r, got, sizeof got), "enc-1");
	client_resp_free(&r);
}

/* The events' count from /v1/events/verify, or -1. */
static long long
event_count(void)
{
	struct resp	r;
	long long	n;

	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	n = r.status == 200 && json_is_true(json_object_get(r.json, "ok")) ?
	    client_int(&r, "count") : -1;
	client_resp_free(&r);
	return n;
}

/* If-Match lists and weak tags; OPTIONS; 204 framing; no-op changes. */
void
rest_conditions(void)
{
	struct resp	 r;
	json_t		*want;
	char		 buf[64], body[1024];
	long long	 events;

	CU_ASSERT_FATAL(cases_make_auditor("cond-1", "Cond"));
	CU_ASSERT_FATAL(cases_rev("/v1/auditors/cond-1") == 1);
	want = with(cases_auditor("cond-1", "Cond"), "status", "active");

	/* A weak tag never matches under strong comparison: 412. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Weak\"}", "If-Match: W/\"1\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);
	/* Malformed tags: 400, naming the forms it takes. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Bad\"}", "If-Match: \"1", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	CU_ASSERT(client_detail_has(&r, "If-Match"));
	client_resp_free(&r);
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Bad\"}", "If-Match: 1,2,3,4,5,6,7,8,9", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/cond-1") == 1);
	/* A list holding the current rev: applied. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Listed\"}", "If-Match: \"7\", \"1\"", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "cond-1", 2,
	    json_incref(with(want, "unit", "Listed")));
	client_resp_free(&r);
	/* "*": any current record. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Star\"}", "If-Match: *", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "cond-1", 3,
	    json_incref(with(want, "unit", "Star")));
	client_resp_free(&r);

	/* A change that changes nothing keeps rev, bytes, and adds no event. */
	client_http(&r, "admin", "POST", "/v1/auditors/cond-1/retire", NULL,
	    NULL);
	EXPECT_RECORD(&r, 200, "auditors", "cond-1", 4,
	    json_incref(with(want, "status", "retired")));
	snprintf(body, sizeof body, "%s", r.body);
	client_resp_free(&r);
	events = event_count();
	CU_ASSERT(events > 0);
	client_http(&r, "admin", "POST", "/v1/auditors/cond-1/retire", NULL,
	    NULL);
	EXPECT_RECORD(&r, 200, "auditors", "cond-1", 4, json_incref(want));
	CU_ASSERT_STRING_EQUAL(r.body, body);
	client_resp_free(&r);
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Star\"}", "If-Match: \"4\"", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "cond-1", 4, want);
	CU_ASSERT_STRING_EQUAL(r.body, body);
	client_resp_free(&r);
	CU_ASSERT_EQUAL(event_count(), events);

	/*
	 * With a filter, next is null exactly when nothing further matches:
	 * "zz-" ids sort after every other auditor, and a non-matching one
	 * follows the last match.
	 */
	CU_ASSERT_FATAL(cases_make_auditor("zz-n1", "Nexty"));
	CU_ASSERT_FATAL(cases_make_auditor("zz-n2", "Nexty"));
	CU_ASSERT_FATAL(cases_make_auditor("zz-n3", "Other"));
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Nexty&limit=1",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(json_array_size(items(&r)), 1);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(items(&r), 0), "id"),
	    "zz-n1");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "next"), "zz-n1");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Nexty&limit=1&"
	    "after=zz-n1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(json_array_size(items(&r)), 1);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(items(&r), 0), "id"),
	    "zz-n2");
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);

	/* A NUL in a query value is refused, not cut short. */
	client_http(&r, "admin", "GET", "/v1/auditors?after=cond-1%00zz",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	CU_ASSERT(client_detail_has(&r, "malformed query string"));
	client_resp_free(&r);

	/* OPTIONS: 405 problem+json with the methods the path takes. */
	client_http(&r, "admin", "OPTIONS", "/v1/auditors", NULL, NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	CU_ASSERT(client_header(&r, "Allow", buf, sizeof buf) == 1);
	CU_ASSERT_STRING_EQUAL(buf, "GET, HEAD, POST");
	client_resp_free(&r);

	/* 204 carries no body, no type and no Content-Length (RFC 9110 8.6). */
	client_http(&r, "admin", "DELETE", "/v1/auditors/cond-1", NULL, NULL);
	CU_ASSERT(empty_204(&r));
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/cond-1") == -1);
}
