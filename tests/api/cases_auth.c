/*
 * cases_auth.c: who may call what: the TLS handshake, certificate to
 * principal mapping, roles, an auditor's own records, /v1/me, and the
 * event hash chain that records every change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "cases.h"

/* An auditor document with the status the server defaults to. */
static json_t *
with_status(json_t *d)
{
	json_object_set_new(d, "status", json_string("active"));
	return d;
}

#define ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

static void
sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char	md[32];

	mbedtls_sha256_ret((const unsigned char *)data, len, md, 0);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * POST a principal as admin; returns the status. On 201 the answer must be
 * the whole principal as sent, with the defaults (disabled false).
 */
static int
make_principal(const char *id, const char *role, const char *auditor,
    const char *certname)
{
	struct resp	 r;
	json_t		*doc;
	char		 hex[65];
	int		 st;

	doc = json_pack("{s:s, s:s, s:s, s:[], s:b}", "id", id, "name", id,
	    "role", role, "certs", "disabled", 0);
	if (auditor != NULL)
		json_object_set_new(doc, "auditor", json_string(auditor));
	if (certname != NULL) {
		CU_ASSERT_FATAL(client_cert_sha256(certname, hex) == 0);
		json_array_append_new(json_object_get(doc, "certs"),
		    json_string(hex));
	}
	json_incref(doc);
	client_json(&r, "admin", "POST", "/v1/principals", doc, NULL);
	st = r.status;
	if (st != 201)
		client_dump(&r, "principal not created");
	else
		EXPECT_RECORD(&r, 201, "principals", id, 1, json_incref(doc));
	json_decref(doc);
	client_resp_free(&r);
	return st;
}

/*
 * One request, expecting status (and slug when not NULL). For a 403 the
 * detail must name the role and the resource it may not touch.
 */
static void
expect(const char *who, const char *method, const char *path,
    const char *body, int status, const char *slug)
{
	struct resp	r;

	client_http(&r, who, method, path, body, NULL);
	if (slug != NULL) {
		EXPECT_PROBLEM(&r, status, slug);
	} else {
		EXPECT_STATUS(&r, status);
	}
	client_resp_free(&r);
}

/* Like expect, for a 403 whose detail names role and the verb. */
static void
expect_403(const char *who, const char *method, const char *path,
    const char *body, const char *detail)
{
	struct resp	r;

	client_http(&r, who, method, path, body, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	CU_ASSERT(client_detail_has(&r, detail));
	client_resp_free(&r);
}

/* GET path as who: 200 with the member key equal to value. */
static void
expect_read(const char *who, const char *path, const char *key,
    const char *value)
{
	struct resp	r;

	client_http(&r, who, "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	if (strcmp(client_sv(r.json, key), value) != 0)
		client_dump(&r, "unexpected body");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, key), value);
	client_resp_free(&r);
}

/* GET /v1/events?limit=1 as who: a page of one event, next its seq. */
static void
expect_events_page(const char *who)
{
	struct resp	 r;
	json_t		*ev;

	client_http(&r, who, "GET", "/v1/events?limit=1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	ev = json_array_get(json_object_get(r.json, "items"), 0);
	CU_ASSERT(json_array_size(json_object_get(r.json, "items")) == 1);
	CU_ASSERT(json_integer_value(json_object_get(ev, "seq")) == 1);
	CU_ASSERT(json_integer_value(json_object_get(r.json, "next")) == 1);
	CU_ASSERT(strlen(client_sv(ev, "hash")) == 64);
	client_resp_free(&r);
}

/* DELETE path as who: 204, then the record is gone. */
static void
expect_deleted(const char *who, const char *path)
{
	struct resp	r;

	client_http(&r, who, "DELETE", path, NULL, NULL);
	EXPECT_STATUS(&r, 204);
	CU_ASSERT(r.len == 0);
	client_resp_free(&r);
	CU_ASSERT(cases_rev(path) == -1);
}

void
auth_handshake_refused(void)
{
	struct resp	r;

	/* CN=admin, but signed by a CA the server does not trust. */
	client_http(&r, "rogue", "GET", "/v1/auditors", NULL, NULL);
	CU_ASSERT(r.curl != 0);
	CU_ASSERT_EQUAL(r.status, 0);
	if (r.curl == 0)
		client_dump(&r, "rogue certificate was accepted");
	client_resp_free(&r);
	/* No client certificate at all. */
	client_http(&r, NULL, "GET", "/livez", NULL, NULL);
	CU_ASSERT(r.curl != 0);
	CU_ASSERT_EQUAL(r.status, 0);
	if (r.curl == 0)
		client_dump(&r, "no certificate was accepted");
	client_resp_free(&r);
}

void
auth_unmapped(void)
{
	struct resp	r, r2;

	/* bob's certificate is from the right CA but no principal has it. */
	expect("bob", "GET", "/v1/auditors", NULL, 401, "unauthorized");
	expect("bob", "GET", "/v1/me", NULL, 401, "unauthorized");
	expect("bob", "POST", "/v1/auditors", "{\"id\":\"by-bob\","
	    "\"name\":\"B\"}", 401, "unauthorized");
	CU_ASSERT(cases_rev("/v1/auditors/by-bob") == -1);
	/*
	 * The 401 comes before anything else is looked at: a missing record
	 * and a malformed body answer just the same.
	 */
	client_http(&r, "bob", "GET", "/v1/auditors", NULL, NULL);
	CU_ASSERT(client_detail_has(&r, "not mapped"));
	client_http(&r2, "bob", "PATCH", "/v1/auditors/no-such", "{bad json",
	    NULL);
	CU_ASSERT(cases_same_answer(&r, &r2));
	client_resp_free(&r2);
	client_resp_free(&r);
}

void
auth_principals(void)
{
	struct resp	 r;
	json_t		*doc, *it, *p;
	char		 hex[65], fhex[65];
	static const char *const refused[] = { "p-dup", "p-ghost", "p-noaud",
			    "p-mgr2", "p-root", "p-hex", NULL };

	/* frank's certificate is this case's own: unmapped until now. */
	expect("frank", "GET", "/v1/me", NULL, 401, "unauthorized");
	CU_ASSERT_FATAL(cases_make_auditor("ap-aud", "Principals"));
	CU_ASSERT_FATAL(make_principal("p-frank", "auditor", "ap-aud",
	    "frank") == 201);
	CU_ASSERT_FATAL(client_cert_sha256("frank", fhex) == 0);

	client_http(&r, "admin", "GET", "/v1/principals/p-frank", NULL, NULL);
	EXPECT_RECORD(&r, 200, "principals", "p-frank", 1, json_pack(
	    "{s:s, s:s, s:s, s:[s], s:b}", "name", "p-frank", "role",
	    "auditor", "auditor", "ap-aud", "certs", fhex, "disabled", 0));
	client_resp_free(&r);

	/* The mapping works at once, as the principal just made. */
	client_http(&r, "frank", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "p-frank");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "auditor"),
	    "id"), "ap-aud");
	client_resp_free(&r);

	/* A certificate maps to one principal only. */
	doc = json_pack("{s:s, s:s, s:s, s:[s]}", "id", "p-dup", "name", "Dup",
	    "role", "viewer", "certs", fhex);
	client_json(&r, "admin", "POST", "/v1/principals", doc, NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	CU_ASSERT(client_error_paths(&r, (const char *[]){ "/certs/0",
	    NULL }));
	client_resp_free(&r);

	/* References and the role/auditor rule. */
	client_json(&r, "admin", "POST", "/v1/principals", json_pack(
	    "{s:s, s:s, s:s, s:s, s:[]}", "id", "p-ghost", "name", "Ghost",
	    "role", "auditor", "auditor", "no-such", "certs"), NULL);
	EXPECT_PROBLEM(&r, 422, "bad-reference");
	CU_ASSERT(client_error_paths(&r, (const char *[]){ "/auditor",
	    NULL }));
	client_resp_free(&r);
	client_json(&r, "admin", "POST", "/v1/principals", json_pack(
	    "{s:s, s:s, s:s, s:[]}", "id", "p-noaud", "name", "No auditor",
	    "role", "auditor", "certs"), NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_paths(&r, (const char *[]){ "/auditor",
	    NULL }));
	client_resp_free(&r);
	client_json(&r, "admin", "POST", "/v1/principals", json_pack(
	    "{s:s, s:s, s:s, s:s, s:[]}", "id", "p-mgr2", "name", "Mgr",
	    "role", "manager", "auditor", "ap-aud", "certs"), NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_paths(&r, (const char *[]){ "/auditor",
	    NULL }));
	client_resp_free(&r);
	client_json(&r, "admin", "POST", "/v1/principals", json_pack(
	    "{s:s, s:s, s:s, s:[]}", "id", "p-root", "name", "Root",
	    "role", "root", "certs"), NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/role"));
	client_resp_free(&r);
	client_json(&r, "admin", "POST", "/v1/principals", json_pack(
	    "{s:s, s:s, s:s, s:[s]}", "id", "p-hex", "name", "Hex",
	    "role", "viewer", "certs", "not-a-digest"), NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_paths(&r, (const char *[]){ "/certs/0",
	    NULL }));
	client_resp_free(&r);

	/* The list: admin as bootstrapped, p-frank, none of the refused. */
	client_http(&r, "admin", "GET", "/v1/principals?limit=1000", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	it = json_object_get(r.json, "items");
	p = client_find(it, "admin");
	CU_ASSERT(p != NULL && strcmp(client_sv(p, "role"), "admin") == 0);
	CU_ASSERT(client_cert_sha256("admin", hex) == 0);
	CU_ASSERT(p != NULL && json_array_size(json_object_get(p, "certs")) ==
	    1 && strcmp(client_s(json_array_get(json_object_get(p, "certs"),
	    0)), hex) == 0);
	p = client_find(it, "p-frank");
	CU_ASSERT(p != NULL && strcmp(client_sv(p, "auditor"), "ap-aud") == 0);
	for (const char *const *id = refused; *id != NULL; id++)
		CU_ASSERT(client_find(it, *id) == NULL);
	client_resp_free(&r);
	/* The filter by role. */
	client_http(&r, "admin", "GET", "/v1/principals?role=admin", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), "admin") !=
	    NULL);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), "p-frank") ==
	    NULL);
	client_resp_free(&r);
}

void
auth_roles(void)
{
	static const char	 aud[] = "{\"id\":\"role-made\",\"name\":\"R\","
				    "\"email\":\"r@example.org\"}";
	static const char	 area[] = "{\"id\":\"role-area\",\"title\":"
				    "\"Role area\",\"kind\":\"sector\"}";
	struct resp		 r;
	long long		 alice_rev;

	CU_ASSERT_FATAL(cases_principal("manager"));
	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	alice_rev = cases_rev("/v1/auditors/alice");

	/* manager: reads competence records, writes none of these. */
	expect_403("manager", "POST", "/v1/auditors", aud,
	    "role manager may not change auditors");
	expect_403("manager", "PATCH", "/v1/auditors/alice", "{\"unit\":\"x\"}",
	    "role manager may not change auditors");
	expect_403("manager", "POST", "/v1/areas", area,
	    "role manager may not change areas");
	expect_403("manager", "GET", "/v1/principals", NULL,
	    "role manager may not read principals");
	expect_read("manager", "/v1/areas/risk-management", "kind",
	    "knowledge");
	expect_read("manager", "/v1/auditors/alice", "name", "Alice Example");
	expect_events_page("manager");
	CU_ASSERT(cases_rev("/v1/auditors/role-made") == -1);
	CU_ASSERT(cases_rev("/v1/areas/role-area") == -1);

	/* hr: auditors and areas, but no principals. */
	expect_403("hr", "GET", "/v1/principals", NULL,
	    "role hr may not read principals");
	expect_403("hr", "GET", "/v1/principals/admin", NULL,
	    "role hr may not read principals");
	expect_403("hr", "POST", "/v1/principals", "{\"id\":\"p-x\",\"name\":"
	    "\"X\",\"role\":\"admin\",\"certs\":[]}",
	    "role hr may not change principals");
	CU_ASSERT(cases_rev("/v1/principals/p-x") == -1);
	client_http(&r, "hr", "POST", "/v1/auditors", aud, NULL);
	EXPECT_RECORD(&r, 201, "auditors", "role-made", 1, json_pack(
	    "{s:s, s:s, s:s}", "name", "R", "email", "r@example.org",
	    "status", "active"));
	client_resp_free(&r);
	client_http(&r, "hr", "PATCH", "/v1/auditors/role-made",
	    "{\"unit\":\"HR\"}", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "role-made", 2, json_pack(
	    "{s:s, s:s, s:s, s:s}", "name", "R", "email", "r@example.org",
	    "status", "active", "unit", "HR"));
	client_resp_free(&r);
	client_http(&r, "hr", "POST", "/v1/areas", area, NULL);
	EXPECT_RECORD(&r, 201, "areas", "role-area", 1, json_pack(
	    "{s:s, s:s}", "title", "Role area", "kind", "sector"));
	client_resp_free(&r);
	expect_deleted("hr", "/v1/areas/role-area");
	expect_events_page("hr");

	/* auditor: areas to read, nothing to write, no events. */
	expect_read("alice", "/v1/areas/risk-management", "kind", "knowledge");
	expect_403("alice", "POST", "/v1/areas", area,
	    "role auditor may not change areas");
	expect_403("alice", "POST", "/v1/auditors", aud,
	    "role auditor may not change auditors");
	expect_403("alice", "GET", "/v1/principals", NULL,
	    "role auditor may not read principals");
	expect_403("alice", "GET", "/v1/events", NULL,
	    "role auditor may not read events");
	expect_403("alice", "PATCH", "/v1/auditors/alice", "{\"unit\":\"x\"}",
	    "role auditor may not change auditors");
	CU_ASSERT(cases_rev("/v1/auditors/alice") == alice_rev);
	CU_ASSERT(cases_rev("/v1/areas/role-area") == -1);
}

void
auth_own_records(void)
{
	static const char *const other_paths[] = {
		"/v1/auditors/own-other", "/v1/auditors/no-such-auditor",
	};
	struct resp	 r, r2;
	json_t		*it;

	CU_ASSERT_FATAL(cases_principal("alice"));
	/* Someone else's record, in a unit only it has. */
	CU_ASSERT_FATAL(cases_make_auditor("own-other", "OwnScope"));

	client_http(&r, "alice", "GET", "/v1/auditors/alice", NULL, NULL);
	EXPECT_RECORD(&r, 200, "auditors", "alice", cases_rev(
	    "/v1/auditors/alice"), with_status(cases_alice()));
	client_resp_free(&r);

	/*
	 * Another auditor's record looks exactly like a missing one: same
	 * status, type, title, detail, to the byte, so that a 404 says
	 * nothing about what exists.
	 */
	client_http(&r, "alice", "GET", other_paths[0], NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_http(&r2, "alice", "GET", other_paths[1], NULL, NULL);
	EXPECT_PROBLEM(&r2, 404, "not-found");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "type"),
	    client_sv(r2.json, "type"));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "title"),
	    client_sv(r2.json, "title"));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "detail"),
	    client_sv(r2.json, "detail"));
	CU_ASSERT(cases_same_answer(&r, &r2));
	client_resp_free(&r);
	client_resp_free(&r2);
	/* The same for a HEAD: no body, but the same headers. */
	client_http(&r, "alice", "HEAD", other_paths[0], NULL, NULL);
	client_http(&r2, "alice", "HEAD", other_paths[1], NULL, NULL);
	EXPECT_STATUS(&r, 404);
	CU_ASSERT(cases_same_answer(&r, &r2));
	client_resp_free(&r);
	client_resp_free(&r2);

	client_http(&r, "alice", "GET", "/v1/auditors", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	it = json_object_get(r.json, "items");
	CU_ASSERT_EQUAL(json_array_size(it), 1);
	CU_ASSERT(client_find(it, "alice") != NULL);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);

	/* A filter on someone else's unit: nothing, though admin sees one. */
	client_http(&r, "alice", "GET", "/v1/auditors?unit=OwnScope", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_array(json_object_get(r.json, "items")) &&
	    json_array_size(json_object_get(r.json, "items")) == 0);
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors?unit=OwnScope", NULL,
	    NULL);
	CU_ASSERT(json_array_size(json_object_get(r.json, "items")) == 1);
	client_resp_free(&r);
	/* Paging past her own record shows no one else either. */
	client_http(&r, "alice", "GET", "/v1/auditors?after=alice", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_array_size(json_object_get(r.json, "items")) == 0);
	client_resp_free(&r);
}

void
auth_me(void)
{
	struct resp	 r;
	json_t		*p, *a;
	char		 why[128], hex[65];

	CU_ASSERT_FATAL(cases_principal("alice"));
	CU_ASSERT_FATAL(cases_principal("manager"));
	client_http(&r, "admin", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	/* principal, auditor and status: the last two null but for role auditor */
	CU_ASSERT(json_object_size(r.json) == 3);
	CU_ASSERT(json_is_null(json_object_get(r.json, "status")));
	p = json_object_get(r.json, "principal");
	CU_ASSERT(client_cert_sha256("admin", hex) == 0);
	CU_ASSERT_STRING_EQUAL(client_sv(p, "id"), "admin");
	CU_ASSERT(cases_fields_are(p, json_pack("{s:s, s:s, s:[s], s:b}",
	    "name", "admin", "role", "admin", "certs", hex, "disabled", 0),
	    why, sizeof why) == 1);
	CU_ASSERT(json_is_null(json_object_get(r.json, "auditor")));
	client_resp_free(&r);

	client_http(&r, "alice", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_object_size(r.json) == 3);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "status"),
	    "auditor"), "alice");
	p = json_object_get(r.json, "principal");
	a = json_object_get(r.json, "auditor");
	CU_ASSERT_STRING_EQUAL(client_sv(p, "id"), "p-alice");
	CU_ASSERT_STRING_EQUAL(client_sv(p, "role"), "auditor");
	CU_ASSERT_STRING_EQUAL(client_sv(p, "auditor"), "alice");
	CU_ASSERT_STRING_EQUAL(client_sv(a, "id"), "alice");
	CU_ASSERT(cases_fields_are(a, with_status(cases_alice()), why,
	    sizeof why) == 1);
	client_resp_free(&r);

	client_http(&r, "manager", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "p-manager");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "role"), "manager");
	CU_ASSERT(json_is_null(json_object_get(r.json, "auditor")));
	client_resp_free(&r);
}

void
auth_referenced(void)
{
	struct resp	r;
	long long	rev;

	CU_ASSERT_FATAL(cases_principal("alice"));
	rev = cases_rev("/v1/auditors/alice");
	CU_ASSERT_FATAL(rev > 0);
	client_http(&r, "admin", "DELETE", "/v1/auditors/alice", NULL, NULL);
	EXPECT_PROBLEM(&r, 409, "referenced");
	/* It names what holds the reference. */
	CU_ASSERT(client_detail_has(&r, "retire it"));
	CU_ASSERT(r.json != NULL && json_array_size(json_object_get(r.json,
	    "errors")) >= 1);
	client_resp_free(&r);
	CU_ASSERT(cases_rev("/v1/auditors/alice") == rev);
	/* Retiring is the way out, and it keeps the reference. */
	client_http(&r, "admin", "POST", "/v1/auditors/alice/retire", NULL,
	    NULL);
	EXPECT_RECORD(&r, 200, "auditors", "alice", rev + 1, json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:[s]}", "name", "Alice Example",
	    "email", "alice@example.org", "unit", "IT Operations",
	    "employment", "internal", "status", "retired", "languages", "en"));
	client_resp_free(&r);
	expect_read("admin", "/v1/principals/p-alice", "auditor", "alice");
	/* Undo, so that alice stays active for the cases that use her. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/alice",
	    "{\"status\":\"active\"}", NULL);
	EXPECT_RECORD(&r, 200, "auditors", "alice", rev + 2,
	    with_status(cases_alice()));
	client_resp_free(&r);
}

void
auth_disable(void)
{
	struct resp	r;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(make_principal("p-erin", "viewer", NULL, "erin") ==
	    201);
	/* viewer: reads all but principals, writes nothing. */
	expect_read("erin", "/v1/areas/risk-management", "kind", "knowledge");
	expect_events_page("erin");
	expect_403("erin", "GET", "/v1/principals", NULL,
	    "role viewer may not read principals");
	expect_403("erin", "POST", "/v1/areas", "{\"id\":\"erin-area\","
	    "\"title\":\"B\",\"kind\":\"sector\"}",
	    "role viewer may not change areas");
	/* Only an admin disables. */
	expect_403("hr", "POST", "/v1/principals/p-erin/disable", NULL,
	    "role hr may not change principals");
	CU_ASSERT(cases_rev("/v1/principals/p-erin") == 1);

	client_http(&r, "admin", "POST", "/v1/principals/p-erin/disable", NULL,
	    NULL);
	{
		char	hex[65];

		CU_ASSERT_FATAL(client_cert_sha256("erin", hex) == 0);
		EXPECT_RECORD(&r, 200, "principals", "p-erin", 2, json_pack(
		    "{s:s, s:s, s:[s], s:b}", "name", "p-erin", "role",
		    "viewer", "certs", hex, "disabled", 1));
	}
	client_resp_free(&r);
	expect("erin", "GET", "/v1/areas", NULL, 401, "unauthorized");
	expect("erin", "GET", "/v1/me", NULL, 401, "unauthorized");
	/* Health still answers any certificate the CA signed. */
	expect_read("erin", "/livez", "status", "ok");
	expect("admin", "POST", "/v1/principals/no-such/disable", NULL, 404,
	    "not-found");
}

/* Every event from the start, following next; NULL on a bad answer. */
static json_t *
all_events(const char *after)
{
	json_t	*all = json_array();
	char	 url[128], cur[32];

	snprintf(cur, sizeof cur, "%s", after);
	for (int pages = 0; pages < 100; pages++) {
		struct resp	 r;
		json_t		*next;
		int		 more;

		snprintf(url, sizeof url, "/v1/events?limit=50&after=%s", cur);
		client_http(&r, "admin", "GET", url, NULL, NULL);
		if (!client_status(&r, 200) ||
		    !json_is_array(json_object_get(r.json, "items"))) {
			client_resp_free(&r);
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, json_object_get(r.json, "items"));
		next = json_object_get(r.json, "next");
		more = json_is_integer(next);
		if (more) {
			snprintf(cur, sizeof cur, "%lld",
			    (long long)json_integer_value(next));
		} else {
			CU_ASSERT(json_is_null(next));
		}
		client_resp_free(&r);
		if (!more)
			return all;
	}
	json_decref(all);
	return NULL;
}

/*
 * Check each event's hash against its canonical JSON without "hash", and
 * its prev against the previous event's hash (prev0 for the first).
 */
static int
chain_ok(json_t *evs, const char *prev0)
{
	char	 prev[65], hex[65];
	json_t	*ev;
	size_t	 i;
	long long last = -1;

	snprintf(prev, sizeof prev, "%s", prev0);
	json_array_foreach(evs, i, ev) {
		json_t	*copy = json_deep_copy(ev);
		char	*canon;
		long long seq = json_integer_value(json_object_get(ev, "seq"));

		json_object_del(copy, "hash");
		canon = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		json_decref(copy);
		sha256_hex(canon, strlen(canon), hex);
		free(canon);
		if (strcmp(client_sv(ev, "prev"), prev) != 0 ||
		    strcmp(client_sv(ev, "hash"), hex) != 0 ||
		    (last != -1 && seq != last + 1)) {
			char	*s = json_dumps(ev, JSON_COMPACT);

			printf("\n  ** event %zu breaks the chain (expected "
			    "prev %.12s…, hash %.12s…): %s\n", i, prev, hex, s);
			free(s);
			return 0;
		}
		last = seq;
		snprintf(prev, sizeof prev, "%s", hex);
	}
	return 1;
}

static json_t *
last_of(json_t *a)
{
	return json_array_get(a, json_array_size(a) - 1);
}

/* Check one new event's fields. */
static void
check_event(json_t *ev, const char *action, const char *principal,
    const char *record, long long rev, const char *doc_sha)
{
	static const char *const members[] = { "seq", "time", "principal",
			    "action", "type", "record", "rev", "sha256", "prev",
			    "hash", NULL };

	/* The documented members and no others (docs/api.md). */
	for (const char *const *m = members; *m != NULL; m++)
		CU_ASSERT(json_object_get(ev, *m) != NULL);
	CU_ASSERT_EQUAL(json_object_size(ev), 10);
	CU_ASSERT_STRING_EQUAL(client_sv(ev, "action"), action);
	CU_ASSERT_STRING_EQUAL(client_sv(ev, "type"), "auditors");
	CU_ASSERT_STRING_EQUAL(client_sv(ev, "record"), record);
	CU_ASSERT_STRING_EQUAL(client_sv(ev, "principal"), principal);
	CU_ASSERT(json_is_string(json_object_get(ev, "time")));
	if (rev > 0) {
		CU_ASSERT(json_integer_value(json_object_get(ev, "rev")) ==
		    rev);
	}
	if (doc_sha != NULL) {
		CU_ASSERT_STRING_EQUAL(client_sv(ev, "sha256"), doc_sha);
	} else {
		CU_ASSERT(json_is_null(json_object_get(ev, "sha256")));
	}
}

/* SHA-256 of a record's canonical bytes, from a GET as admin. */
static void
doc_sha(const char *path, char out[65])
{
	struct resp	 r;
	char		*canon;

	out[0] = '\0';
	client_http(&r, "admin", "GET", path, NULL, NULL);
	if (r.json != NULL && (canon = json_dumps(r.json, JSON_COMPACT |
	    JSON_SORT_KEYS)) != NULL) {
		sha256_hex(canon, strlen(canon), out);
		free(canon);
	}
	client_resp_free(&r);
}

void
events_chain(void)
{
	json_t		*evs, *more;
	char		 head[65], seq[32], sha1[65], sha2[65];
	struct resp	 r;
	size_t		 n;

	CU_ASSERT_FATAL(cases_principal("hr"));
	evs = all_events("0");
	CU_ASSERT_FATAL(evs != NULL);
	n = json_array_size(evs);
	/*
	 * At least what a fresh store holds: the bootstrapped admin and the
	 * ten seeded areas (and p-hr, made just now or earlier).
	 */
	CU_ASSERT(n >= 12);
	CU_ASSERT(json_integer_value(json_object_get(json_array_get(evs, 0),
	    "seq")) == 1);
	CU_ASSERT(chain_ok(evs, ZERO_HASH));
	snprintf(head, sizeof head, "%s", client_sv(last_of(evs), "hash"));
	snprintf(seq, sizeof seq, "%lld", (long long)json_integer_value(
	    json_object_get(last_of(evs), "seq")));
	json_decref(evs);

	CU_ASSERT_FATAL(cases_make_auditor("ev-1", "Events"));
	doc_sha("/v1/auditors/ev-1", sha1);
	client_http(&r, "hr", "PATCH", "/v1/auditors/ev-1", "{\"unit\":\"E\"}",
	    NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	doc_sha("/v1/auditors/ev-1", sha2);
	/* A refused change appends nothing. */
	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor("ev-1", "Events"), NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	client_resp_free(&r);
	expect_deleted("admin", "/v1/auditors/ev-1");

	more = all_events(seq);
	CU_ASSERT_FATAL(more != NULL);
	if (json_array_size(more) != 3) {
		char	*s = json_dumps(more, JSON_INDENT(1));

		printf("\n  ** expected 3 events after seq %s, got: %s\n", seq,
		    s);
		free(s);
	}
	CU_ASSERT_EQUAL_FATAL(json_array_size(more), 3);
	CU_ASSERT(chain_ok(more, head));
	check_event(json_array_get(more, 0), "create", "admin", "ev-1", 1,
	    sha1);
	check_event(json_array_get(more, 1), "update", "p-hr", "ev-1", 2,
	    sha2);
	check_event(json_array_get(more, 2), "delete", "admin", "ev-1", 0,
	    NULL);
	json_decref(more);
}

void
events_verify(void)
{
	struct resp	 r;
	json_t		*evs;

	evs = all_events("0");
	CU_ASSERT_FATAL(evs != NULL);
	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_true(json_object_get(r.json, "ok")));
	if (client_int(&r, "count") != (long long)json_array_size(evs))
		printf("\n  ** verify counts %lld events, the list has %zu\n",
		    client_int(&r, "count"), json_array_size(evs));
	CU_ASSERT(client_int(&r, "count") == (long long)json_array_size(evs));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "head"), client_sv(last_of(evs), "hash"));
	client_resp_free(&r);
	json_decref(evs);
	CU_ASSERT_FATAL(cases_principal("alice"));
	expect_403("alice", "GET", "/v1/events/verify", NULL,
	    "role auditor may not read events");
	/* A saved head must be a SHA-256 hash; nothing else is asked. */
	client_http(&r, "admin", "GET", "/v1/events/verify?head=ABC", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	CU_ASSERT(strstr(client_sv(r.json, "detail"), "64 of 0-9 a-f") !=
	    NULL);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/events/verify?after=1", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
}

/*
 * With the daemon stopped, change one byte of a stored event (the record id
 * of the admin principal's create event) with mdb_dump/mdb_load, restart,
 * and require that verify names that event: the API says ok false with
 * bad_seq, the CLI exits 1. Stops the daemon first when it runs, and again
 * at the end.
 */
void
events_tamper(void)
{
	struct proc	 p;
	struct resp	 r;
	char		 data[PATH_MAX], dump[PATH_MAX], *at, *line, *s;
	const char	*dump_argv[] = { "mdb_dump", "-p", "-s", "_events",
			    data, NULL };
	const char	*load_argv[] = { "mdb_load", "-s", "_events", "-f",
			    dump, data, NULL };
	long long	 seq = -1;
	FILE		*f;

	/* Run alone (AUDITORD_API_ONLY) the daemon is still up: stop it. */
	if (harness.pid != 0)
		CU_ASSERT_FATAL(harness_stop(5000) == 0);
	harness_file(data, "data");
	harness_file(dump, "events.dump");
	harness_run(dump_argv, NULL, NULL, 0, 10000, &p);
	if (p.code != 0)
		printf("\n  ** mdb_dump: exit %d: %s\n", p.code, p.err);
	CU_ASSERT_FATAL(p.code == 0);
	at = strstr(p.out, "\"record\":\"admin\"");
	if (at != NULL) {
		at[strlen("\"record\":\"adm")] = 'j';
		for (line = at; line > p.out && line[-1] != '\n'; line--)
			;
		if ((s = strstr(line, "\"seq\":")) != NULL)
			seq = strtoll(s + 6, NULL, 10);
	}
	f = fopen(dump, "w");
	if (f != NULL) {
		fwrite(p.out, 1, p.outlen, f);
		fclose(f);
	}
	harness_proc_free(&p);
	CU_ASSERT_FATAL(at != NULL && seq > 0 && f != NULL);
	harness_run(load_argv, NULL, NULL, 0, 10000, &p);
	if (p.code != 0)
		printf("\n  ** mdb_load: exit %d: %s\n", p.code, p.err);
	CU_ASSERT_FATAL(p.code == 0);
	harness_proc_free(&p);

	CU_ASSERT_FATAL(harness_start() == 0);
	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_false(json_object_get(r.json, "ok")));
	CU_ASSERT(client_int(&r, "bad_seq") == seq);
	CU_ASSERT(client_sv(r.json, "detail")[0] != '\0');
	if (client_int(&r, "bad_seq") != seq)
		client_dump(&r, "verify did not name the changed event");
	client_resp_free(&r);

	client_ctl(&p, "admin", "events", "verify", NULL);
	CU_ASSERT_EQUAL(p.code, 1);
	CU_ASSERT(p.outlen + p.errlen > 0);
	harness_proc_free(&p);
	client_ctl(&p, "admin", "--json", "events", "verify", NULL);
	CU_ASSERT_EQUAL(p.code, 1);
	{
		json_t	*j = json_loadb(p.out, p.outlen, 0, NULL);

		CU_ASSERT(json_is_false(json_object_get(j, "ok")));
		json_decref(j);
	}
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(harness_stop(5000), 0);
}
