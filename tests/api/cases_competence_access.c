/*
 * cases_competence_access.c: who may do what to the competence records:
 * HR verification (the server's verified_by and verified_on), role
 * auditor's own scope (another auditor's records are missing ones), and
 * the grants of manager, hr and viewer. Each case makes its own auditors,
 * areas, certificates and principals and needs no other case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comp.h"

/* ---- HR verification ---------------------------------------------------- */

/* Require that r's record has verified v, by by on on (by NULL: neither). */
static void
comp_verified(const struct resp *r, int v, const char *by, const char *on)
{
	const json_t	*j = r->json;

	CU_ASSERT(json_is_boolean(json_object_get(j, "verified")) &&
	    json_is_true(json_object_get(j, "verified")) == v);
	if (by != NULL) {
		CU_ASSERT_STRING_EQUAL(client_sv(j, "verified_by"), by);
		CU_ASSERT_STRING_EQUAL(client_sv(j, "verified_on"), on);
	} else
		CU_ASSERT(json_object_get(j, "verified_by") == NULL &&
		    json_object_get(j, "verified_on") == NULL);
}

/* POST {id}/verify on the collection's path; who may not: 403, unchanged. */
static void
comp_verify_refused(const char *path, const char *who)
{
	char		url[160];
	long long	rev = cases_rev(path);

	snprintf(url, sizeof url, "%s/verify", path);
	comp_expect(who, "POST", url, NULL, 403, "forbidden");
	CU_ASSERT(cases_rev(path) == rev);
}

/* HR verifies path (not verified before): 200, by p-vf-hr today. */
static void
comp_verify(const char *path, long long rev, const char *today)
{
	struct resp	r;
	char		url[160];

	snprintf(url, sizeof url, "%s/verify", path);
	client_http(&r, "vf-hr", "POST", url, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, rev));
	comp_verified(&r, 1, "p-vf-hr", today);
	client_resp_free(&r);
}

/* Trainings: the same rule; admin verifies too. */
static void
comp_verify_trainings(const char *today)
{
	static const char	 t1[] = "/v1/trainings/vf-t1";
	struct resp		 r;

	client_json(&r, "vf-hr", "POST", "/v1/trainings", comp_training_doc(
	    "vf-t1", "vf-a", "2024-06-01", "legal", "vf-area"), NULL);
	EXPECT_STATUS(&r, 201);
	comp_verified(&r, 0, NULL, NULL);
	client_resp_free(&r);
	comp_verify_refused(t1, "vf-alice");
	comp_verify_refused(t1, "vf-mgr");
	comp_verify(t1, 2, today);
	client_http(&r, "vf-hr", "PATCH", t1, "{\"verified\":false}",
	    COMP_MERGE, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 3));
	comp_verified(&r, 0, NULL, NULL);
	client_resp_free(&r);
	client_http(&r, "admin", "POST", "/v1/trainings/vf-t1/verify", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	comp_verified(&r, 1, "admin", today);
	client_resp_free(&r);
}

void
competence_verification(void)
{
	static const char	 q1[] = "/v1/qualifications/vf-q1";
	static const char	 q2[] = "/v1/qualifications/vf-q2";
	struct resp		 r;
	json_t			*d;
	char			 today[16];

	comp_today(today);
	CU_ASSERT_FATAL(cases_make_auditor("vf-a", "Audit") &&
	    comp_area("vf-area") && comp_principal("vf-hr", "hr", NULL) &&
	    comp_principal("vf-mgr", "manager", NULL) &&
	    comp_principal("vf-alice", "auditor", "vf-a"));

	/* HR creates verified: the server says who and when, not the body. */
	d = comp_qual_doc("vf-q1", "vf-a", "2024-06-01",
	    "lead_auditor_certificate", "vf-area");
	json_object_set_new(d, "verified", json_true());
	json_object_set_new(d, "verified_by", json_string("admin"));
	json_object_set_new(d, "verified_on", json_string("2000-01-01"));
	client_json(&r, "vf-hr", "POST", "/v1/qualifications", d, NULL);
	EXPECT_STATUS(&r, 201);
	comp_verified(&r, 1, "p-vf-hr", today);
	client_resp_free(&r);
	/* Still verified: who and when stay, whatever a change says. */
	client_http(&r, "admin", "PATCH", q1, "{\"verified_by\":\"admin\","
	    "\"verified_on\":\"2000-01-01\",\"number\":\"LA-1\"}", COMP_MERGE,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 2));
	comp_verified(&r, 1, "p-vf-hr", today);
	client_resp_free(&r);
	/* Un-verifying removes both. */
	client_http(&r, "vf-hr", "PATCH", q1, "{\"verified\":false}",
	    COMP_MERGE, NULL);
	EXPECT_STATUS(&r, 200);
	comp_verified(&r, 0, NULL, NULL);
	client_resp_free(&r);

	/* Unverified: the body's verified_by and verified_on are dropped. */
	d = comp_qual_doc("vf-q2", "vf-a", "2024-06-01", "auditor_certificate",
	    "vf-area");
	json_object_set_new(d, "verified_by", json_string("p-vf-hr"));
	json_object_set_new(d, "verified_on", json_string(today));
	client_json(&r, "vf-hr", "POST", "/v1/qualifications", d, NULL);
	EXPECT_STATUS(&r, 201);
	comp_verified(&r, 0, NULL, NULL);
	client_resp_free(&r);
	comp_verify_refused(q2, "vf-alice");
	comp_verify_refused(q2, "vf-mgr");
	comp_verify(q2, 2, today);
	/* Verified again, by anyone: who and when stay, nothing changes. */
	client_http(&r, "admin", "POST", "/v1/qualifications/vf-q2/verify",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 2));
	comp_verified(&r, 1, "p-vf-hr", today);
	client_resp_free(&r);
	comp_expect("vf-hr", "POST", "/v1/qualifications/vf-none/verify", NULL,
	    404, "not-found");
	comp_expect("vf-hr", "POST", "/v1/qualifications/vf-q2/verify", "{}",
	    400, "bad-request");

	comp_verify_trainings(today);
}

/* ---- role auditor: own records only ------------------------------------- */

/*
 * method on hidden (another auditor's record) as who answers exactly what
 * the same request on missing (no such record) answers: 404, same bytes.
 */
static void
comp_hidden(const char *who, const char *method, const char *hidden,
    const char *missing, const json_t *body)
{
	struct resp	r1, r2;

	if (body != NULL) {
		client_json(&r1, who, method, hidden, json_deep_copy(body),
		    NULL);
		client_json(&r2, who, method, missing, json_deep_copy(body),
		    NULL);
	} else {
		client_http(&r1, who, method, hidden, NULL, NULL);
		client_http(&r2, who, method, missing, NULL, NULL);
	}
	EXPECT_PROBLEM(&r1, 404, "not-found");
	EXPECT_PROBLEM(&r2, 404, "not-found");
	if (r1.len != r2.len || memcmp(r1.body, r2.body, r1.len) != 0) {
		client_dump(&r1, "another auditor's record");
		client_dump(&r2, "a missing record");
		CU_FAIL("another auditor's record is unlike a missing one");
	}
	client_resp_free(&r1);
	client_resp_free(&r2);
}

/*
 * What os-alice sees of k's records: hers, never os-bob's. When her role
 * writes k, a write to bob's is the same 404 as to a missing record; when
 * it does not, both are the same 403.
 */
static void
comp_own_reads(const struct comp_kind *k, int writes)
{
	char		 mine[128], bobs[128], none[128], url[192], want[32];
	const char	*c = k->coll;
	json_t		*body;
	long long	 rev;

	snprintf(mine, sizeof mine, "/v1/%s/os-%s-alice", c, k->pfx);
	snprintf(bobs, sizeof bobs, "/v1/%s/os-%s-bob", c, k->pfx);
	snprintf(none, sizeof none, "/v1/%s/os-%s-none", c, k->pfx);
	snprintf(want, sizeof want, "%s-alice", k->pfx);
	comp_expect("os-alice", "GET", mine, NULL, 200, NULL);
	comp_hidden("os-alice", "GET", bobs, none, NULL);
	snprintf(url, sizeof url, "/v1/%s?limit=1000", c);
	EXPECT_IDS("os-alice", url, "os", want);
	snprintf(url, sizeof url, "/v1/%s?auditor=os-bob", c);
	EXPECT_IDS("os-alice", url, "os", "");
	snprintf(url, sizeof url, "/v1/%s?auditor=os-bob&%s=%s", c, k->filter,
	    k->fv[0]);
	EXPECT_IDS("os-alice", url, "os", "");
	snprintf(url, sizeof url, "/v1/%s?%s=%s&from=2025-05-01&to=2025-05-01",
	    c, k->filter, k->fv[0]);
	EXPECT_IDS("os-alice", url, "os", want);
	if (!writes) {
		comp_expect("os-alice", "DELETE", bobs, NULL, 403, "forbidden");
		comp_expect("os-alice", "DELETE", none, NULL, 403, "forbidden");
		return;
	}
	/* Writes to bob's record: the same 404, and it stays as it was. */
	rev = cases_rev(bobs);
	body = k->doc("x", "os-alice", "2025-05-02", k->fv[1], "os-area");
	json_object_del(body, "id");
	comp_hidden("os-alice", "PUT", bobs, none, body);
	json_decref(body);
	body = json_pack("{s:s}", k->field, "Alice was here");
	comp_hidden("os-alice", "PATCH", bobs, none, body);
	json_decref(body);
	comp_hidden("os-alice", "DELETE", bobs, none, NULL);
	CU_ASSERT(cases_rev(bobs) == rev);
}

/* os-alice's training rules: her own, unverified, until HR verifies. */
static void
comp_own_trainings(void)
{
	static const char	 ts[] = "/v1/trainings";
	static const char	 t[] = "/v1/trainings/os-t-new";
	static const char	*server[] = { "verified", "verified_by",
				    "verified_on" };
	struct resp		 r;
	json_t			*d;
	size_t			 i;

	client_json(&r, "os-alice", "POST", ts, comp_training_doc("os-t-new",
	    "os-alice", "2025-05-03", "legal", "os-area"), NULL);
	EXPECT_STATUS(&r, 201);
	comp_verified(&r, 0, NULL, NULL);
	client_resp_free(&r);
	/* The server's fields are not hers to send, even unchanged. */
	for (i = 0; i < 3; i++) {
		d = comp_training_doc("os-t-v", "os-alice", "2025-05-03",
		    "legal", "os-area");
		json_object_set_new(d, server[i], i == 0 ? json_true() :
		    json_string(i == 1 ? "p-os-alice" : "2025-05-03"));
		client_json(&r, "os-alice", "POST", ts, d, NULL);
		EXPECT_PROBLEM(&r, 403, "forbidden");
		client_resp_free(&r);
	}
	CU_ASSERT(cases_rev("/v1/trainings/os-t-v") == -1);
	comp_422("os-alice", "POST", ts, comp_training_doc("os-t-b", "os-bob",
	    "2025-05-03", "legal", "os-area"), "validation", "/auditor",
	    "must be your own auditor id", "/v1/trainings/os-t-b");

	comp_expect("os-alice", "PATCH", t, "{\"provider\":\"Alice\"}", 200,
	    NULL);
	comp_422("os-alice", "PATCH", t, comp_j("{\"auditor\":\"os-bob\"}"),
	    "validation", "/auditor", "must be your own auditor id", NULL);
	comp_expect("os-alice", "PATCH", t, "{\"verified\":true}", 403,
	    "forbidden");
	comp_expect("os-alice", "POST", "/v1/trainings/os-t-new/verify", NULL,
	    403, "forbidden");
	CU_ASSERT(cases_rev(t) == 2);

	/* Once HR verified it, it is HR's to change. */
	comp_expect("os-hr", "POST", "/v1/trainings/os-t-new/verify", NULL,
	    200, NULL);
	comp_expect("os-alice", "PATCH", t, "{\"provider\":\"Again\"}", 403,
	    "forbidden");
	comp_expect("os-alice", "PATCH", t, "{\"verified\":false}", 403,
	    "forbidden");
	client_json(&r, "os-alice", "PUT", t, comp_training_doc("os-t-new",
	    "os-alice", "2025-05-03", "legal", "os-area"), NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	comp_expect("os-alice", "DELETE", t, NULL, 403, "forbidden");
	client_http(&r, "os-alice", "GET", t, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(comp_etag(&r, 3));
	comp_verified(&r, 1, "p-os-hr", client_sv(r.json, "verified_on"));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "provider"), "Alice");
	client_resp_free(&r);

	EXPECT_IDS("os-alice", "/v1/trainings", "os", "ct-alice,t-new");
	client_json(&r, "os-alice", "POST", ts, comp_training_doc("os-t-gone",
	    "os-alice", "2025-05-03", "legal", "os-area"), NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
	comp_expect("os-alice", "DELETE", "/v1/trainings/os-t-gone", NULL, 204,
	    NULL);
}

void
competence_own_scope(void)
{
	static const char	*who[] = { "alice", "bob" };
	const struct comp_kind	*k;
	struct resp		 r;
	char			 id[64], aud[64], url[64];
	size_t			 i, j;

	CU_ASSERT_FATAL(cases_make_auditor("os-alice", "Audit") &&
	    cases_make_auditor("os-bob", "Audit") && comp_area("os-area") &&
	    comp_principal("os-alice", "auditor", "os-alice") &&
	    comp_principal("os-hr", "hr", NULL));
	for (i = 0; i < 4; i++)
		for (j = 0; j < 2; j++) {
			k = comp_all[i];
			snprintf(id, sizeof id, "os-%s-%s", k->pfx, who[j]);
			snprintf(aud, sizeof aud, "os-%s", who[j]);
			snprintf(url, sizeof url, "/v1/%s", k->coll);
			client_json(&r, "admin", "POST", url, k->doc(id, aud,
			    "2025-05-01", k->fv[0], "os-area"), NULL);
			EXPECT_STATUS(&r, 201);
			client_resp_free(&r);
		}
	for (i = 0; i < 4; i++)
		comp_own_reads(comp_all[i], comp_all[i] == &comp_trainings ||
		    comp_all[i] == &comp_decls);
	comp_own_trainings();

	/* Declarations: her own, any time; never bob's. */
	comp_expect("os-alice", "POST", "/v1/declarations", "{\"id\":"
	    "\"os-d-new\",\"auditor\":\"os-alice\",\"party\":\"Beta\","
	    "\"kind\":\"family\",\"from\":\"2025-05-04\"}", 201, NULL);
	comp_expect("os-alice", "PATCH", "/v1/declarations/os-d-new",
	    "{\"until\":\"2025-06-01\"}", 200, NULL);
	comp_422("os-alice", "POST", "/v1/declarations", comp_decl_doc("os-d-b",
	    "os-bob", "2025-05-04", "family", NULL), "validation", "/auditor",
	    "must be your own auditor id", "/v1/declarations/os-d-b");
	comp_expect("os-alice", "DELETE", "/v1/declarations/os-d-new", NULL,
	    204, NULL);

	/* Qualifications and evaluations: reads only, even her own. */
	comp_expect("os-alice", "POST", "/v1/qualifications", "{\"id\":"
	    "\"os-q-new\",\"auditor\":\"os-alice\",\"kind\":\"other\","
	    "\"title\":\"T\",\"issued\":\"2025-05-01\"}", 403, "forbidden");
	CU_ASSERT(cases_rev("/v1/qualifications/os-q-new") == -1);
	comp_expect("os-alice", "PATCH", "/v1/qualifications/os-cq-alice",
	    "{\"title\":\"Mine\"}", 403, "forbidden");
	comp_expect("os-alice", "DELETE", "/v1/qualifications/os-cq-alice",
	    NULL, 403, "forbidden");
	comp_expect("os-alice", "POST", "/v1/evaluations", "{\"id\":"
	    "\"os-e-new\",\"auditor\":\"os-alice\",\"date\":"
	    "\"2025-05-01\",\"method\":\"interview\",\"result\":"
	    "\"meets\"}", 403, "forbidden");
	CU_ASSERT(cases_rev("/v1/evaluations/os-e-new") == -1);
	comp_expect("os-alice", "PATCH", "/v1/evaluations/os-ce-alice",
	    "{\"result\":\"meets\"}", 403, "forbidden");
	comp_expect("os-alice", "DELETE", "/v1/evaluations/os-ce-alice", NULL,
	    403, "forbidden");
	CU_ASSERT(cases_rev("/v1/qualifications/os-cq-alice") == 1);
	CU_ASSERT(cases_rev("/v1/evaluations/os-ce-alice") == 1);
}

/* ---- the other roles ---------------------------------------------------- */

/* who may not write k's record ro-PFX (nor create ro-PFX-new): 403. */
static void
comp_no_writes(const char *who, const struct comp_kind *k)
{
	char		 coll[64], path[128], id[64];
	json_t		*d;
	struct resp	 r;
	long long	 rev;

	snprintf(coll, sizeof coll, "/v1/%s", k->coll);
	snprintf(path, sizeof path, "/v1/%s/ro-%s", k->coll, k->pfx);
	snprintf(id, sizeof id, "ro-%s-new", k->pfx);
	rev = cases_rev(path);
	client_json(&r, who, "POST", coll, k->doc(id, "ro-a", "2025-06-01",
	    k->fv[0], "ro-area"), NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	d = k->doc(id, "ro-a", "2025-06-01", k->fv[0], "ro-area");
	json_object_del(d, "id");
	client_json(&r, who, "PUT", path, d, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	client_json(&r, who, "PATCH", path, json_pack("{s:s}", k->field, "X"),
	    NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	comp_expect(who, "DELETE", path, NULL, 403, "forbidden");
	snprintf(coll, sizeof coll, "/v1/%s/ro-%s-new", k->coll, k->pfx);
	CU_ASSERT(cases_rev(coll) == -1);
	CU_ASSERT(cases_rev(path) == rev);
}

/* who reads k's record ro-PFX and finds it in the lists. */
static void
comp_reads(const char *who, const struct comp_kind *k)
{
	char	path[128], url[160], want[32];

	snprintf(path, sizeof path, "/v1/%s/ro-%s", k->coll, k->pfx);
	comp_expect(who, "GET", path, NULL, 200, NULL);
	snprintf(url, sizeof url, "/v1/%s?auditor=ro-a", k->coll);
	snprintf(want, sizeof want, "%s", k->pfx);
	EXPECT_IDS(who, url, "ro", want);
	snprintf(url, sizeof url, "/v1/%s?auditor=ro-a&from=2025-06-01",
	    k->coll);
	EXPECT_IDS(who, url, "ro", want);
}

void
competence_roles(void)
{
	static const char	 e[] = "/v1/evaluations/ro-ce";
	const struct comp_kind	*k;
	struct resp		 r;
	char			 id[64], url[64];
	size_t			 i;

	CU_ASSERT_FATAL(cases_make_auditor("ro-a", "Audit") &&
	    comp_area("ro-area") && comp_principal("ro-mgr", "manager", NULL) &&
	    comp_principal("ro-view", "viewer", NULL) &&
	    comp_principal("ro-hr", "hr", NULL));
	/* hr writes all four; manager evaluations only. */
	for (i = 0; i < 4; i++) {
		k = comp_all[i];
		snprintf(id, sizeof id, "ro-%s", k->pfx);
		snprintf(url, sizeof url, "/v1/%s", k->coll);
		client_json(&r, k == &comp_evals ? "ro-mgr" : "ro-hr", "POST",
		    url, k->doc(id, "ro-a", "2025-06-01", k->fv[0], "ro-area"),
		    NULL);
		EXPECT_STATUS(&r, 201);
		client_resp_free(&r);
	}
	comp_expect("ro-mgr", "PATCH", e, "{\"notes\":\"Good\"}", 200, NULL);
	client_json(&r, "ro-mgr", "POST", "/v1/evaluations", comp_eval_doc(
	    "ro-ce-2", "ro-a", "2025-06-02", "meets", "ro-area"), NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
	comp_expect("ro-mgr", "DELETE", "/v1/evaluations/ro-ce-2", NULL, 204,
	    NULL);
	comp_no_writes("ro-mgr", &comp_quals);
	comp_no_writes("ro-mgr", &comp_trainings);
	comp_no_writes("ro-mgr", &comp_decls);
	comp_expect("ro-mgr", "POST", "/v1/trainings/ro-ct/verify", NULL, 403,
	    "forbidden");

	/* viewer: reads every one, writes none, verifies none. */
	for (i = 0; i < 4; i++) {
		comp_reads("ro-view", comp_all[i]);
		comp_reads("ro-mgr", comp_all[i]);
		comp_no_writes("ro-view", comp_all[i]);
	}
	comp_expect("ro-view", "POST", "/v1/trainings/ro-ct/verify", NULL, 403,
	    "forbidden");
	comp_expect("ro-view", "POST", "/v1/qualifications/ro-cq/verify", NULL,
	    403, "forbidden");
	CU_ASSERT(cases_rev(e) == 2);
}

