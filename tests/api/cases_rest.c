/*
 * cases_rest.c: areas and auditors over curl: CRUD, ETag and If-Match,
 * validation errors, bad requests, size limit, pagination and filters.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"

json_t *
cases_auditor(const char *id, const char *unit)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "id", id,
	    "name", "Test Auditor", "email", "test@example.org", "unit", unit,
	    "employment", "internal", "languages", "en");
}

int
cases_make_auditor(const char *id, const char *unit)
{
	struct resp	r;
	int		ok;

	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor(id, unit), NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

long long
cases_rev(const char *path)
{
	struct resp	r;
	long long	rev;

	client_http(&r, "admin", "GET", path, NULL, NULL);
	rev = r.status == 200 ? client_int(&r, "rev") : -1;
	client_resp_free(&r);
	return rev;
}

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

/* 1 if s ends with suffix. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 1 if the answer's ETag is "rev" and its body's rev is rev. */
static int
etag_is(const struct resp *r, long long rev)
{
	char	tag[64], want[64];

	client_header(r, "ETag", tag, sizeof tag);
	snprintf(want, sizeof want, "\"%lld\"", rev);
	if (strcmp(tag, want) == 0 && client_int(r, "rev") == rev)
		return 1;
	printf("\n  ** ETag '%s' / rev %lld, expected %s\n", tag,
	    client_int(r, "rev"), want);
	return 0;
}

/* The items array of a list answer, checked for shape. */
static json_t *
items(const struct resp *r)
{
	json_t	*it = json_object_get(r->json, "items");

	if (!json_is_array(it) || json_object_get(r->json, "next") == NULL) {
		client_dump(r, "not a list answer {items, next}");
		return NULL;
	}
	return it;
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
	struct resp	r;

	client_http(&r, "admin", "GET", "/livez", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/readyz", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	/* Health needs no principal: bob's certificate is mapped to none. */
	client_http(&r, "bob", "GET", "/livez", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "bob", "GET", "/readyz", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
}

void
rest_areas_seeded(void)
{
	struct resp	 r;
	json_t		*it, *a;
	size_t		 i;

	client_http(&r, "admin", "GET", "/v1/areas", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(is_json_answer(&r));
	CU_ASSERT_FATAL((it = items(&r)) != NULL);
	CU_ASSERT_EQUAL(json_array_size(it), 10);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	json_array_foreach(it, i, a) {
		const char	*kind = json_string_value(json_object_get(a,
				    "kind"));
		const char	*title = json_string_value(json_object_get(a,
				    "title"));

		CU_ASSERT(json_is_string(json_object_get(a, "id")));
		CU_ASSERT(kind != NULL && strcmp(kind, "knowledge") == 0);
		CU_ASSERT(title != NULL && title[0] != '\0');
		CU_ASSERT(json_integer_value(json_object_get(a, "rev")) == 1);
		CU_ASSERT(json_is_string(json_object_get(a, "created")));
		CU_ASSERT(json_is_string(json_object_get(a, "updated")));
		/* In id order. */
		if (i > 0) {
			const char	*prev = json_string_value(
					    json_object_get(json_array_get(it,
					    i - 1), "id"));
			const char	*id = json_string_value(
					    json_object_get(a, "id"));

			CU_ASSERT(prev != NULL && id != NULL &&
			    strcmp(prev, id) < 0);
		}
	}
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/areas?kind=knowledge", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_array_size(json_object_get(r.json, "items")) == 10);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/areas?kind=sector", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_array(json_object_get(r.json, "items")) &&
	    json_array_size(json_object_get(r.json, "items")) == 0);
	client_resp_free(&r);
}

void
rest_area_crud(void)
{
	struct resp	 r;
	char		 loc[256], created[64];
	const char	*s;

	client_json(&r, "admin", "POST", "/v1/areas", json_pack(
	    "{s:s, s:s, s:s}", "id", "sector-energy", "title",
	    "Energy sector", "kind", "sector"), NULL);
	EXPECT_STATUS(&r, 201);
	CU_ASSERT(is_json_answer(&r));
	client_header(&r, "Location", loc, sizeof loc);
	CU_ASSERT(ends_with(loc, "/v1/areas/sector-energy"));
	CU_ASSERT(etag_is(&r, 1));
	s = client_str(&r, "created");
	snprintf(created, sizeof created, "%s", s != NULL ? s : "");
	CU_ASSERT(created[0] != '\0');
	CU_ASSERT(client_str(&r, "updated") != NULL);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/areas/sector-energy", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 1));
	s = client_str(&r, "title");
	CU_ASSERT(s != NULL && strcmp(s, "Energy sector") == 0);
	client_resp_free(&r);

	client_json(&r, "admin", "PUT", "/v1/areas/sector-energy", json_pack(
	    "{s:s, s:s}", "title", "Energy and utilities", "kind", "sector"),
	    "If-Match: \"1\"", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 2));
	s = client_str(&r, "title");
	CU_ASSERT(s != NULL && strcmp(s, "Energy and utilities") == 0);
	s = client_str(&r, "created");
	CU_ASSERT(s != NULL && strcmp(s, created) == 0);
	client_resp_free(&r);

	client_http(&r, "admin", "PATCH", "/v1/areas/sector-energy",
	    "{\"title\":\"Energy\"}",
	    "Content-Type: application/merge-patch+json", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 3));
	s = client_str(&r, "kind");
	CU_ASSERT(s != NULL && strcmp(s, "sector") == 0);
	s = client_str(&r, "title");
	CU_ASSERT(s != NULL && strcmp(s, "Energy") == 0);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/areas?kind=sector", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_array_size(json_object_get(r.json, "items")) == 1);
	CU_ASSERT(client_find(json_object_get(r.json, "items"),
	    "sector-energy") != NULL);
	client_resp_free(&r);

	client_http(&r, "admin", "DELETE", "/v1/areas/sector-energy", NULL,
	    "If-Match: \"3\"", NULL);
	EXPECT_STATUS(&r, 204);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/areas/sector-energy", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

void
rest_auditor_crud(void)
{
	struct resp	 r;
	char		 loc[256];
	const char	*s;

	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor("crud-1", "IT Operations"), NULL);
	EXPECT_STATUS(&r, 201);
	client_header(&r, "Location", loc, sizeof loc);
	CU_ASSERT(ends_with(loc, "/v1/auditors/crud-1"));
	CU_ASSERT(etag_is(&r, 1));
	s = client_str(&r, "status");
	CU_ASSERT(s != NULL && strcmp(s, "active") == 0);	/* default */
	s = client_str(&r, "id");
	CU_ASSERT(s != NULL && strcmp(s, "crud-1") == 0);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/auditors/crud-1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(is_json_answer(&r));
	CU_ASSERT(etag_is(&r, 1));
	s = client_str(&r, "email");
	CU_ASSERT(s != NULL && strcmp(s, "test@example.org") == 0);
	client_resp_free(&r);

	/* PUT replaces the whole document: fields left out are gone. */
	client_json(&r, "admin", "PUT", "/v1/auditors/crud-1", json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s}", "name", "Renamed Auditor",
	    "email", "renamed@example.org", "unit", "IT Operations",
	    "employment", "external", "notes", "n1", "status", "active"),
	    "If-Match: \"1\"", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 2));
	s = client_str(&r, "employment");
	CU_ASSERT(s != NULL && strcmp(s, "external") == 0);
	CU_ASSERT(json_object_get(r.json, "languages") == NULL);
	client_resp_free(&r);

	/* Merge patch: a member set to null is removed. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/crud-1",
	    "{\"unit\":\"Finance\",\"notes\":null}",
	    "Content-Type: application/merge-patch+json", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 3));
	s = client_str(&r, "unit");
	CU_ASSERT(s != NULL && strcmp(s, "Finance") == 0);
	s = client_str(&r, "name");
	CU_ASSERT(s != NULL && strcmp(s, "Renamed Auditor") == 0);
	CU_ASSERT(json_object_get(r.json, "notes") == NULL);
	client_resp_free(&r);

	/* PATCH also takes application/json. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/crud-1",
	    "{\"languages\":[\"en\",\"de\"]}", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 4));
	CU_ASSERT(json_array_size(json_object_get(r.json, "languages")) == 2);
	client_resp_free(&r);

	client_http(&r, "admin", "DELETE", "/v1/auditors/crud-1", NULL, NULL);
	EXPECT_STATUS(&r, 204);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/crud-1", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

void
rest_auditor_retire(void)
{
	struct resp	 r;
	const char	*s;

	CU_ASSERT_FATAL(cases_make_auditor("ret-1", "Audit"));
	client_http(&r, "admin", "POST", "/v1/auditors/ret-1/retire", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(etag_is(&r, 2));
	s = client_str(&r, "status");
	CU_ASSERT(s != NULL && strcmp(s, "retired") == 0);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/ret-1", NULL, NULL);
	s = client_str(&r, "status");
	CU_ASSERT(s != NULL && strcmp(s, "retired") == 0);
	client_resp_free(&r);
	client_http(&r, "admin", "POST", "/v1/auditors/no-such/retire", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

void
rest_server_id(void)
{
	struct resp	 r;
	json_t		*doc;
	regex_t		 re;
	char		 id[80], loc[256], path[128];
	const char	*s;

	doc = cases_auditor("x", "Audit");
	json_object_del(doc, "id");
	/* rev, created and updated from a client are ignored. */
	json_object_set_new(doc, "rev", json_integer(42));
	json_object_set_new(doc, "created", json_string("2000-01-01T00:00:00Z"));
	json_object_set_new(doc, "updated", json_string("2000-01-01T00:00:00Z"));
	client_json(&r, "admin", "POST", "/v1/auditors", doc, NULL);
	EXPECT_STATUS(&r, 201);
	s = client_str(&r, "id");
	snprintf(id, sizeof id, "%s", s != NULL ? s : "");
	regcomp(&re, "^[0-9a-f]{16}$", REG_EXTENDED | REG_NOSUB);
	CU_ASSERT(regexec(&re, id, 0, NULL, 0) == 0);
	regfree(&re);
	CU_ASSERT(client_int(&r, "rev") == 1);
	s = client_str(&r, "created");
	CU_ASSERT(s != NULL && strcmp(s, "2000-01-01T00:00:00Z") != 0);
	client_header(&r, "Location", loc, sizeof loc);
	snprintf(path, sizeof path, "/v1/auditors/%s", id);
	CU_ASSERT(id[0] != '\0' && ends_with(loc, path));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
}

void
rest_conflict(void)
{
	struct resp	 r;
	const char	*s;

	CU_ASSERT_FATAL(cases_make_auditor("dup-1", "Audit"));
	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor("dup-1", "Elsewhere"), NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	client_resp_free(&r);
	/* The first record is untouched. */
	client_http(&r, "admin", "GET", "/v1/auditors/dup-1", NULL, NULL);
	s = client_str(&r, "unit");
	CU_ASSERT(s != NULL && strcmp(s, "Audit") == 0);
	CU_ASSERT(client_int(&r, "rev") == 1);
	client_resp_free(&r);

	/* A seeded area's id is taken too. */
	client_http(&r, "admin", "GET", "/v1/areas?limit=1", NULL, NULL);
	s = json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id"));
	CU_ASSERT_FATAL(s != NULL);
	{
		struct resp	r2;

		client_json(&r2, "admin", "POST", "/v1/areas", json_pack(
		    "{s:s, s:s, s:s}", "id", s, "title", "Again", "kind",
		    "knowledge"), NULL);
		EXPECT_PROBLEM(&r2, 409, "conflict");
		client_resp_free(&r2);
	}
	client_resp_free(&r);
}

void
rest_stale(void)
{
	struct resp	r;

	CU_ASSERT_FATAL(cases_make_auditor("stale-1", "Audit"));
	client_json(&r, "admin", "PUT", "/v1/auditors/stale-1",
	    full_auditor("stale-1", "Moved"), "If-Match: \"5\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
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
	CU_ASSERT(cases_rev("/v1/auditors/stale-1") == 1);

	client_json(&r, "admin", "PUT", "/v1/auditors/stale-1",
	    full_auditor("stale-1", "Moved"), "If-Match: \"1\"", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_int(&r, "rev") == 2);
	client_resp_free(&r);
	/* The bare form REV is accepted too. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/stale-1",
	    "{\"unit\":\"Again\"}", "If-Match: 2", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_int(&r, "rev") == 3);
	client_resp_free(&r);
	/* The old rev is stale now. */
	client_http(&r, "admin", "DELETE", "/v1/auditors/stale-1", NULL,
	    "If-Match: \"2\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);
	client_http(&r, "admin", "DELETE", "/v1/auditors/stale-1", NULL,
	    "If-Match: \"3\"", NULL);
	EXPECT_STATUS(&r, 204);
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/stale-1") == -1);
}

/* POST doc as admin to path; expect 422 slug naming each of paths. */
static void
expect_422(const char *method, const char *path, json_t *doc,
    const char *slug, const char *const ptrs[])
{
	struct resp	r;

	client_json(&r, "admin", method, path, doc, NULL);
	EXPECT_PROBLEM(&r, 422, slug);
	for (; *ptrs != NULL; ptrs++)
		CU_ASSERT(client_error_path(&r, *ptrs));
	client_resp_free(&r);
}

void
rest_validation(void)
{
	json_t	*d;

	d = cases_auditor("val-1", "Audit");
	json_object_del(d, "name");
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/name", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "email", json_string("not an email"));
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/email", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "foo", json_string("bar"));
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/foo", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "employment", json_string("contractor"));
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/employment", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "status", json_string("sleeping"));
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/status", NULL });

	d = cases_auditor("val-1", "Audit");
	json_object_set_new(d, "languages", json_pack("[s,i]", "en", 7));
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/languages/1", NULL });

	d = cases_auditor("bad id!", "Audit");
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/id", NULL });

	/* Every error is listed, not just the first. */
	d = cases_auditor("val-1", "Audit");
	json_object_del(d, "name");
	json_object_set_new(d, "employment", json_integer(3));
	expect_422("POST", "/v1/auditors", d, "validation",
	    (const char *[]){ "/name", "/employment", NULL });

	expect_422("POST", "/v1/areas", json_pack("{s:s, s:s, s:s}", "id",
	    "val-area", "title", "T", "kind", "bogus"), "validation",
	    (const char *[]){ "/kind", NULL });
	expect_422("POST", "/v1/areas", json_pack("{s:s, s:s}", "id",
	    "val-area", "kind", "sector"), "validation",
	    (const char *[]){ "/title", NULL });

	/* A patch is validated as the document it makes. */
	CU_ASSERT_FATAL(cases_make_auditor("val-2", "Audit"));
	expect_422("PATCH", "/v1/auditors/val-2", json_pack("{s:s}",
	    "employment", "freelance"), "validation",
	    (const char *[]){ "/employment", NULL });
	CU_ASSERT(cases_rev("/v1/auditors/val-2") == 1);
	/* Nothing was created by the failures. */
	CU_ASSERT(cases_rev("/v1/auditors/val-1") == -1);
	CU_ASSERT(cases_rev("/v1/areas/val-area") == -1);
}

void
rest_bad_requests(void)
{
	static const char	*bad_queries[] = {
		"/v1/auditors?bogus=1", "/v1/auditors?limit=0",
		"/v1/auditors?limit=1001", "/v1/auditors?limit=ten", NULL
	};
	struct resp		 r;
	char			 allow[128];

	client_http(&r, "admin", "POST", "/v1/auditors",
	    "{\"id\": \"bad-json\", \"name\": ", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/bad-json") == -1);

	for (const char **q = bad_queries; *q != NULL; q++) {
		client_http(&r, "admin", "GET", *q, NULL, NULL);
		EXPECT_PROBLEM(&r, 400, "bad-request");
		client_resp_free(&r);
	}
	client_http(&r, "admin", "GET", "/v1/auditors?limit=1000", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	client_http(&r, "admin", "POST", "/v1/auditors", "id=x&name=y",
	    "Content-Type: application/x-www-form-urlencoded", NULL);
	EXPECT_PROBLEM(&r, 415, "unsupported-media-type");
	client_resp_free(&r);

	client_http(&r, "admin", "DELETE", "/v1/auditors", NULL, NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	client_header(&r, "Allow", allow, sizeof allow);
	CU_ASSERT(strstr(allow, "GET") != NULL && strstr(allow, "POST") !=
	    NULL && strstr(allow, "DELETE") == NULL);
	client_resp_free(&r);
}

void
rest_not_found(void)
{
	static const char	*methods[] = { "GET", "PUT", "PATCH", "DELETE",
				    NULL };
	struct resp		 r;

	for (const char **m = methods; *m != NULL; m++) {
		if (strcmp(*m, "PUT") == 0)
			client_json(&r, "admin", *m, "/v1/auditors/no-such",
			    full_auditor("no-such", "Audit"), NULL);
		else if (strcmp(*m, "PATCH") == 0)
			client_http(&r, "admin", *m, "/v1/auditors/no-such",
			    "{\"unit\":\"x\"}", NULL);
		else
			client_http(&r, "admin", *m, "/v1/auditors/no-such",
			    NULL, NULL);
		EXPECT_PROBLEM(&r, 404, "not-found");
		client_resp_free(&r);
	}
	client_http(&r, "admin", "GET", "/v1/areas/no-such", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/no-such-collection", NULL, NULL);
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
	/* Exactly at the limit is fine. */
	CU_ASSERT_FATAL(sized_body("big.json", "big-2", 1 << 20) == 0);
	client_http_file(&r, "admin", "POST", "/v1/auditors", "big.json",
	    NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
	remove(harness_file(path, "big.json"));
	/* The daemon is unharmed: every worker still answers. */
	for (int i = 0; i < 6; i++) {
		client_http(&r, "admin", "GET", "/livez", NULL, NULL);
		EXPECT_STATUS(&r, 200);
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
		if (!client_status(&r, 200) || (it = items(&r)) == NULL ||
		    ++*pages > 10) {
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
	json_t	*ids;
	char	 id[16];
	int	 pages, i;

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

	/* A walk over every active auditor sees each pg- once, in order. */
	ids = walk("/v1/auditors?status=active", 7, &pages);
	CU_ASSERT(pages >= 4);
	{
		size_t	 k, found = 0;
		json_t	*v;

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

void
rest_filters(void)
{
	struct resp	 r;
	json_t		*it;

	client_http(&r, "admin", "POST", "/v1/auditors/pg-03/retire", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "admin", "POST", "/v1/auditors/pg-07/retire", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/auditors?status=retired&unit="
	    "Paging", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	it = json_object_get(r.json, "items");
	CU_ASSERT_EQUAL(json_array_size(it), 2);
	CU_ASSERT(client_find(it, "pg-03") != NULL);
	CU_ASSERT(client_find(it, "pg-07") != NULL);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/auditors?unit=Paging&status="
	    "active&limit=1000", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	it = json_object_get(r.json, "items");
	CU_ASSERT_EQUAL(json_array_size(it), 23);
	CU_ASSERT(client_find(it, "pg-03") == NULL);
	CU_ASSERT(client_find(it, "pg-04") != NULL);
	client_resp_free(&r);

	/* Exact match: a prefix of the unit finds nothing. */
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Pag", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_array(json_object_get(r.json, "items")) &&
	    json_array_size(json_object_get(r.json, "items")) == 0);
	client_resp_free(&r);

	/* Percent-encoded values are decoded. */
	CU_ASSERT_FATAL(cases_make_auditor("enc-1", "Quality Assurance"));
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Quality%20Assurance",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	it = json_object_get(r.json, "items");
	CU_ASSERT(json_array_size(it) == 1 && client_find(it, "enc-1") != NULL);
	client_resp_free(&r);
}

/* If-Match lists and weak tags; OPTIONS; 204 framing; no-op changes. */
void
rest_conditions(void)
{
	struct resp	 r;
	char		 buf[64], tag[64];
	long long	 rev;

	CU_ASSERT_FATAL(cases_make_auditor("cond-1", "Cond"));
	rev = cases_rev("/v1/auditors/cond-1");
	CU_ASSERT_FATAL(rev == 1);

	/* A weak tag never matches under strong comparison: 412. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Weak\"}", "If-Match: W/\"1\"", NULL);
	EXPECT_PROBLEM(&r, 412, "stale");
	client_resp_free(&r);
	/* Malformed tags: 400. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Bad\"}", "If-Match: \"1", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	/* A list holding the current rev: applied. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Listed\"}", "If-Match: \"7\", \"1\"", NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(client_int(&r, "rev"), 2);
	client_resp_free(&r);
	/* "*": any current record. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cond-1",
	    "{\"unit\":\"Star\"}", "If-Match: *", NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	/* A change that changes nothing keeps rev and adds no event. */
	client_http(&r, "admin", "POST", "/v1/auditors/cond-1/retire", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	rev = client_int(&r, "rev");
	client_resp_free(&r);
	client_http(&r, "admin", "POST", "/v1/auditors/cond-1/retire", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(client_int(&r, "rev"), rev);
	CU_ASSERT(client_header(&r, "ETag", tag, sizeof tag) == 1);
	snprintf(buf, sizeof buf, "\"%lld\"", rev);
	CU_ASSERT_STRING_EQUAL(tag, buf);
	client_resp_free(&r);

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
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "next"), "zz-n1");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Nexty&limit=1&"
	    "after=zz-n1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(json_array_size(items(&r)), 1);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);

	/* A NUL in a query value is refused, not cut short. */
	client_http(&r, "admin", "GET", "/v1/auditors?after=cond-1%00zz",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);

	/* OPTIONS: 405 problem+json with the methods the path takes. */
	client_http(&r, "admin", "OPTIONS", "/v1/auditors", NULL, NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	CU_ASSERT(client_header(&r, "Allow", buf, sizeof buf) == 1 &&
	    strstr(buf, "POST") != NULL);
	client_resp_free(&r);

	/* 204 carries no Content-Length (RFC 9110 8.6). */
	client_http(&r, "admin", "DELETE", "/v1/auditors/cond-1", NULL, NULL);
	EXPECT_STATUS(&r, 204);
	CU_ASSERT(client_header(&r, "Content-Length", buf, sizeof buf) == 0);
	client_resp_free(&r);
}
