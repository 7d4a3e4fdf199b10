/*
 * cases_team.c: audit teams over curl: the team check and its verdict
 * (held to schemas/verdict.schema.json by the daemon's own validator),
 * the confirm gate with its override, completed assignments, candidates,
 * propose with and without ?assign=true, and what role auditor sees of
 * audits and assignments. The data set is imported once under the prefix
 * tm-; each case then makes the audits and assignments it changes under
 * ids of its own, so the cases run alone and in any order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comp.h"

#define STD	"ISO/IEC 27001"

/* ---- the data set -------------------------------------------------------- */

static void
line(FILE *f, const char *coll, json_t *doc)
{
	json_t	*l = json_pack("{s:s, s:o}", "collection", coll, "record", doc);
	char	*s = json_dumps(l, JSON_COMPACT);

	fprintf(f, "%s\n", s);
	free(s);
	json_decref(l);
}

/*
 * An auditor fit to audit in March 2027: a verified certificate of kind
 * (areas listed), cpd hours of verified CPD in 2026, an evaluation that
 * meets the criteria and assessed area at competent.
 */
static void
fit_auditor(FILE *f, const char *id, const char *unit, const char *lang,
    const char *kind, const char *qarea, double cpd, const char *earea)
{
	char	qid[80], tid[80], eid[80];

	snprintf(qid, sizeof qid, "%s-q", id);
	snprintf(tid, sizeof tid, "%s-t", id);
	snprintf(eid, sizeof eid, "%s-e", id);
	line(f, "auditors", json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "id", id,
	    "name", id, "email", "tm@example.org", "unit", unit, "languages",
	    lang));
	line(f, "qualifications", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:b, s:[s]}", "id", qid, "auditor", id, "kind", kind,
	    "title", "Certificate", "standard", STD, "issued", "2024-01-01",
	    "expires", "2030-01-01", "verified", 1, "areas", qarea));
	if (cpd > 0)
		line(f, "trainings", json_pack("{s:s, s:s, s:s, s:s, s:f, "
		    "s:b, s:b}", "id", tid, "auditor", id, "title", "CPD",
		    "date", "2026-10-01", "hours", cpd, "cpd", 1, "verified",
		    1));
	line(f, "evaluations", json_pack("{s:s, s:s, s:s, s:s, s:s, "
	    "s:[{s:s, s:s}]}", "id", eid, "auditor", id, "date", "2026-12-01",
	    "method", "interview", "result", "meets", "assessed", "area",
	    earea, "level", "competent"));
}

/* A past audit of tm-Ops that lead led, reported, with her assignment. */
static void
past_audit(FILE *f, int n, const char *lead)
{
	char	id[32], aid[32], start[16];

	snprintf(id, sizeof id, "tm-past%d", n);
	snprintf(aid, sizeof aid, "tm-past%d-%s", n, lead + 3);
	snprintf(start, sizeof start, "2026-0%d-01", n + 1);
	line(f, "audits", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "id", id, "programme", "tm-p", "auditee", "tm-Ops", "type",
	    "internal", "start", start, "end", start, "status", "reported"));
	line(f, "assignments", json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
	    aid, "audit", id, "auditor", lead, "role", "lead", "status",
	    "completed"));
}

/*
 * tm-lena may lead (lead certificate, 3 completed audits, speaks en,
 * evidenced in tm-law by evaluation and tm-std by her certificate);
 * tm-bob is a fit auditor (de); tm-cy lacks CPD hours; tm-dee has an
 * ongoing consultancy for tm-Finance.
 */
static void
team_data(void)
{
	static int	 built;
	struct resp	 r;
	char		*body = NULL;
	size_t		 len = 0;
	FILE		*f;
	int		 i;

	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("hr") &&
	    cases_principal("alice"));
	if (built)
		return;
	f = open_memstream(&body, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	line(f, "areas", json_pack("{s:s, s:s, s:s}", "id", "tm-law", "title",
	    "Law", "kind", "sector"));
	line(f, "areas", json_pack("{s:s, s:s, s:s}", "id", "tm-std", "title",
	    "Standards", "kind", "sector"));
	line(f, "areas", json_pack("{s:s, s:s, s:s}", "id", "tm-none", "title",
	    "Nobody's", "kind", "sector"));
	line(f, "programmes", json_pack("{s:s, s:s, s:{s:s, s:s}}", "id",
	    "tm-p", "title", "Team programme", "period", "from", "2026-01-01",
	    "to", "2027-12-31"));
	fit_auditor(f, "tm-lena", "tm-IT", "en", "lead_auditor_certificate",
	    "tm-std", 24, "tm-law");
	fit_auditor(f, "tm-bob", "tm-HR", "de", "auditor_certificate",
	    "tm-std", 20, "tm-std");
	fit_auditor(f, "tm-cy", "tm-HR", "en", "auditor_certificate",
	    "tm-std", 0, "tm-law");
	fit_auditor(f, "tm-dee", "tm-HR", "en", "auditor_certificate",
	    "tm-std", 30, "tm-law");
	line(f, "declarations", json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
	    "tm-dee-d", "auditor", "tm-dee", "party", "tm-Finance", "kind",
	    "consultancy", "from", "2025-01-01"));
	for (i = 1; i <= 3; i++)
		past_audit(f, i, "tm-lena");
	fclose(f);
	client_http(&r, "admin", "POST", "/v1/import", body,
	    "Content-Type: application/x-ndjson", NULL);
	built = r.status == 200 && client_int(&r, "failed_batches") == 0;
	if (!built)
		client_dump(&r, "the team data set was not imported whole");
	client_resp_free(&r);
	free(body);
	CU_ASSERT_FATAL(built);
}

/* ---- helpers ------------------------------------------------------------- */


/* The member object of auditor in a verdict, or NULL. */
static json_t *
member_of(const json_t *v, const char *auditor)
{
	json_t	*m;
	size_t	 i;

	json_array_foreach(json_object_get(v, "members"), i, m)
		if (strcmp(client_sv(m, "auditor"), auditor) == 0)
			return m;
	return NULL;
}

/* The check of rule in checks (members' or the team's), or NULL. */
static json_t *
check_of(const json_t *checks, const char *rule)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach((json_t *)checks, i, c)
		if (strcmp(client_sv(c, "rule"), rule) == 0)
			return c;
	return NULL;
}

/* 1 if rule of auditor's member checks (team rules: auditor NULL) is ok. */
static int
rule_ok(const json_t *v, const char *auditor, const char *rule)
{
	const json_t	*checks;

	checks = auditor == NULL ? json_object_get(v, "team") :
	    json_object_get(member_of(v, auditor), "checks");
	return json_is_true(json_object_get(check_of(checks, rule), "ok"));
}

/* 1 if the rule's check is there at all. */
static int
rule_has(const json_t *v, const char *auditor, const char *rule)
{
	const json_t	*checks;

	checks = auditor == NULL ? json_object_get(v, "team") :
	    json_object_get(member_of(v, auditor), "checks");
	return check_of(checks, rule) != NULL;
}

/* POST the check of audit for team (a JSON text or NULL) as who. */
static void
check(struct resp *r, const char *who, const char *audit, const char *team)
{
	char	path[128];

	snprintf(path, sizeof path, "/v1/audits/%s/check", audit);
	client_http(r, who, "POST", path, team, NULL);
}

/* Create an assignment as admin; 1 if 201. */
static int
assign(const char *id, const char *audit, const char *auditor,
    const char *role, const char *status)
{
	struct resp	r;
	int		ok;

	client_json(&r, "admin", "POST", "/v1/assignments", json_pack("{s:s, "
	    "s:s, s:s, s:s, s:s}", "id", id, "audit", audit, "auditor",
	    auditor, "role", role, "status", status), NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

/* A fresh audit id for this run: cases may run more than once. */
static const char *
fresh(const char *base, char *out, size_t len)
{
	static int	n;

	snprintf(out, len, "%s-%d-%d", base, (int)getpid(), ++n);
	return out;
}

/*
 * An audit of tm-Finance in 2027 month month (days 1 to 3) needing tm-law
 * and tm-std. Each case takes months of its own, so that no case's
 * assignments make another's auditors busy (availability).
 */
static void
make_audit(const char *id, int month, int min, const char *extra)
{
	char	start[16], end[16];

	json_t		*d;
	struct resp	 r;

	snprintf(start, sizeof start, "2027-%02d-01", month);
	snprintf(end, sizeof end, "2027-%02d-03", month);
	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, "
	    "s:[{s:s, s:s}, {s:s, s:s}]}", "id", id, "programme", "tm-p",
	    "auditee", "tm-Finance", "type", "internal", "standard", STD,
	    "start", start, "end", end, "language", "en",
	    "min_team_size", min, "required", "area", "tm-law", "level",
	    "competent", "area", "tm-std", "level", "competent");
	if (extra != NULL)
		json_array_append_new(json_object_get(d, "required"),
		    json_pack("{s:s, s:s}", "area", extra, "level",
		    "competent"));
	client_json(&r, "admin", "POST", "/v1/audits", d, NULL);
	CU_ASSERT_FATAL(client_status(&r, 201));
	client_resp_free(&r);
}

/* 1 if one of a proposal's reasons holds text. */
static int
has_reason(const json_t *p, const char *text)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(json_object_get(p, "reasons"), i, v)
		if (strstr(client_s(v), text) != NULL)
			return 1;
	fprintf(stderr, "\nno reason holds '%s'\n", text);
	return 0;
}

/*
 * alice's status on day on lists her assignment to audit as current
 * ("true"), upcoming ("false"), or not at all (NULL); and it is valid.
 */
static void
status_has(const char *audit, const char *on, const char *current)
{
	struct resp	 r;
	json_t		*a, *found = NULL;
	char		 path[128];
	size_t		 i;

	snprintf(path, sizeof path, "/v1/auditors/alice/status?on=%s", on);
	client_http(&r, "alice", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "status"));
	json_array_foreach(json_object_get(r.json, "assignments"), i, a)
		if (strcmp(client_sv(a, "audit"), audit) == 0)
			found = a;
	if (current == NULL) {
		CU_ASSERT_PTR_NULL(found);
	} else {
		CU_ASSERT_PTR_NOT_NULL(found);
		CU_ASSERT(found != NULL && json_is_true(json_object_get(found,
		    "current")) == (strcmp(current, "true") == 0));
		CU_ASSERT_STRING_EQUAL(client_sv(found, "role"), "observer");
	}
	client_resp_free(&r);
}

/* ---- the cases ----------------------------------------------------------- */

void
team_check_verdict(void)
{
	struct resp	 r;
	char		 a[64];

	team_data();
	make_audit(fresh("tm-a", a, sizeof a), 3, 2, NULL);

	/* A team that passes every rule. */
	check(&r, "manager", a, "{\"team\":[{\"auditor\":\"tm-lena\","
	    "\"role\":\"lead\"},{\"auditor\":\"tm-bob\",\"role\":\"auditor\"}]}");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "verdict"));
	CU_ASSERT(json_is_true(json_object_get(r.json, "compliant")));
	CU_ASSERT_STRING_EQUAL(client_str(&r, "audit"), a);
	CU_ASSERT(rule_ok(r.json, "tm-lena", "lead_qualification"));
	CU_ASSERT(rule_ok(r.json, "tm-lena", "lead_experience"));
	CU_ASSERT(!rule_has(r.json, "tm-bob", "lead_qualification"));
	CU_ASSERT(rule_ok(r.json, NULL, "coverage"));
	CU_ASSERT(rule_ok(r.json, NULL, "language"));
	/* The effective policy: the defaults, as the programme sets none. */
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(
	    json_object_get(r.json, "policy"), "lead"), "min_audits")), 3);
	client_resp_free(&r);

	/* tm-cy lacks CPD hours; tm-dee consults for the auditee. */
	check(&r, "hr", a, "{\"team\":[{\"auditor\":\"tm-cy\",\"role\":"
	    "\"lead\"},{\"auditor\":\"tm-dee\",\"role\":\"auditor\"}]}");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "verdict"));
	CU_ASSERT(json_is_false(json_object_get(r.json, "compliant")));
	CU_ASSERT(!rule_ok(r.json, "tm-cy", "cpd"));
	CU_ASSERT(!rule_ok(r.json, "tm-cy", "lead_qualification"));
	CU_ASSERT(!rule_ok(r.json, "tm-dee", "independence"));
	CU_ASSERT(rule_ok(r.json, "tm-dee", "cpd"));
	/* The evidence names the declaration. */
	CU_ASSERT_STRING_EQUAL(client_s(json_array_get(json_object_get(
	    check_of(json_object_get(member_of(r.json, "tm-dee"), "checks"),
	    "independence"), "evidence"), 0)), "declarations/tm-dee-d");
	client_resp_free(&r);

	/* Two leads; bob alone does not speak en. */
	check(&r, "manager", a, "{\"team\":[{\"auditor\":\"tm-lena\","
	    "\"role\":\"lead\"},{\"auditor\":\"tm-bob\",\"role\":\"lead\"}]}");
	CU_ASSERT(!rule_ok(r.json, NULL, "lead_count"));
	client_resp_free(&r);
	check(&r, "manager", a, "{\"team\":[{\"auditor\":\"tm-bob\","
	    "\"role\":\"auditor\"}]}");
	CU_ASSERT(!rule_ok(r.json, NULL, "language"));
	CU_ASSERT(!rule_ok(r.json, NULL, "lead_count"));
	CU_ASSERT(!rule_ok(r.json, NULL, "team_size"));
	client_resp_free(&r);

	/* No body: the team that stands, here nobody. */
	check(&r, "manager", a, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "verdict"));
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r.json, "members")),
	    0);
	CU_ASSERT(!rule_ok(r.json, NULL, "lead_count"));
	client_resp_free(&r);
}

void
team_check_errors(void)
{
	struct resp	 r;
	char		 a[64];

	team_data();
	CU_ASSERT_FATAL(cases_principal("alice") && cases_principal("hr"));
	make_audit(fresh("tm-e", a, sizeof a), 3, 1, NULL);
	check(&r, "manager", "tm-nosuch", "{}");
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	check(&r, "manager", a, "{\"team\":[{\"auditor\":\"tm-nobody\","
	    "\"role\":\"lead\"},{\"auditor\":\"tm-bob\",\"role\":\"boss\"},"
	    "{\"auditor\":\"tm-lena\",\"role\":\"lead\"},{\"auditor\":"
	    "\"tm-lena\",\"role\":\"auditor\"},{\"who\":\"x\"}],\"x\":1}");
	EXPECT_PROBLEM(&r, 422, "validation");
	{
		static const char *const paths[] = { "/team/0/auditor",
		    "/team/1/role", "/team/3/auditor", "/team/4", "/x", NULL };
		CU_ASSERT(client_error_paths(&r, paths));
	}
	client_resp_free(&r);
	check(&r, "manager", a, "[1]");
	EXPECT_PROBLEM(&r, 422, "validation");
	client_resp_free(&r);
	/* The team routes are not role auditor's; a check is a read for hr. */
	check(&r, "alice", a, "{}");
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	comp_expect("hr", "POST", "/v1/audits/tm-nosuch/propose", NULL, 403,
	    "forbidden");
	comp_expect("alice", "GET", "/v1/audits/tm-nosuch/candidates", NULL,
	    403, "forbidden");
	comp_expect("manager", "GET", "/v1/audits/tm-nosuch/candidates", NULL,
	    404, "not-found");
	comp_expect("manager", "GET", "/v1/audits/tm-nosuch/candidates"
	    "?limit=x", NULL, 400, "bad-request");
	comp_expect("manager", "POST", "/v1/audits/tm-nosuch/propose"
	    "?assign=maybe", NULL, 400, "bad-request");
}

void
team_confirm_gate(void)
{
	struct resp	 r;
	char		 a[64], id[96], path[160];
	json_t		*got;

	team_data();
	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("hr"));
	make_audit(fresh("tm-g", a, sizeof a), 4, 2, NULL);
#define ASG(x)	(snprintf(id, sizeof id, "%s-%s", a, (x)), id)
#define AT(x)	(snprintf(path, sizeof path, "/v1/assignments/%s-%s", a, (x)), \
	path)
	CU_ASSERT(assign(ASG("lena"), a, "tm-lena", "lead", "proposed"));
	CU_ASSERT(assign(ASG("bob"), a, "tm-bob", "auditor", "proposed"));
	/* The team as it would stand passes: confirmed, no override kept. */
	comp_expect("manager", "PATCH", AT("lena"), "{\"status\":"
	    "\"confirmed\",\"override\":{\"reason\":\"not needed\"}}", 200,
	    NULL);
	got = comp_get(AT("lena"));
	CU_ASSERT_STRING_EQUAL(client_sv(got, "status"), "confirmed");
	CU_ASSERT_PTR_NULL(json_object_get(got, "override"));
	json_decref(got);
	comp_expect("manager", "PATCH", AT("bob"), "{\"status\":"
	    "\"confirmed\"}", 200, NULL);

	/* tm-cy fails cpd: confirming her is refused with the verdict. */
	CU_ASSERT(assign(ASG("cy"), a, "tm-cy", "auditor", "proposed"));
	client_http(&r, "manager", "PATCH", AT("cy"), "{\"status\":"
	    "\"confirmed\"}", COMP_MERGE, NULL);
	EXPECT_PROBLEM(&r, 409, "check-failed");
	CU_ASSERT(json_is_false(json_object_get(json_object_get(r.json,
	    "verdict"), "compliant")));
	CU_ASSERT(!rule_ok(json_object_get(r.json, "verdict"), "tm-cy", "cpd"));
	CU_ASSERT(client_detail_has(&r, "override"));
	client_resp_free(&r);
	got = comp_get(AT("cy"));
	CU_ASSERT_STRING_EQUAL(client_sv(got, "status"), "proposed");
	json_decref(got);
	/* An import meets the same gate, named on its line. */
	{
		char	line_[512], *msg;
		json_t	*e;

		snprintf(line_, sizeof line_, "{\"collection\":\"assignments\","
		    "\"record\":{\"id\":\"%s-cy\",\"audit\":\"%s\","
		    "\"auditor\":\"tm-cy\",\"role\":\"auditor\",\"status\":"
		    "\"confirmed\"}}\n", a, a);
		client_http(&r, "manager", "POST", "/v1/import", line_,
		    "Content-Type: application/x-ndjson", NULL);
		EXPECT_STATUS(&r, 200);
		CU_ASSERT_EQUAL(client_int(&r, "failed_batches"), 1);
		e = json_array_get(json_object_get(r.json, "errors"), 0);
		msg = (char *)client_sv(e, "message");
		CU_ASSERT(msg != NULL && strstr(msg, "team check") != NULL);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(e, "line")),
		    1);
		client_resp_free(&r);
	}
	/* hr may not override; nor confirm at all. */
	comp_expect("hr", "PATCH", AT("cy"), "{\"status\":\"confirmed\","
	    "\"override\":{\"reason\":\"x\"}}", 403, "forbidden");
	/* An override goes with a confirmation only. */
	comp_expect("manager", "PATCH", AT("cy"), "{\"override\":{\"reason\":"
	    "\"x\"}}", 422, "validation");
	/* A manager's reason: kept with who and when. */
	client_http(&r, "manager", "PATCH", AT("cy"), "{\"status\":"
	    "\"confirmed\",\"override\":{\"reason\":\"CPD hours are being "
	    "recorded\",\"by\":\"someone-else\"}}", COMP_MERGE, NULL);
	EXPECT_STATUS(&r, 200);
	got = json_object_get(r.json, "override");
	CU_ASSERT_STRING_EQUAL(client_sv(got, "by"), "p-manager");
	CU_ASSERT_STRING_EQUAL(client_sv(got, "reason"),
	    "CPD hours are being recorded");
	CU_ASSERT(client_sv(got, "at")[0] == '2');
	client_resp_free(&r);

	/* The same auditor twice on one team; withdrawn aside. */
	client_json(&r, "admin", "POST", "/v1/assignments", json_pack("{s:s, "
	    "s:s, s:s, s:s}", "id", ASG("bob2"), "audit", a, "auditor",
	    "tm-bob", "role", "observer"), NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	client_resp_free(&r);
	/* completed waits for the audit's report. */
	comp_expect("manager", "PATCH", AT("bob"), "{\"status\":"
	    "\"completed\"}", 409, "conflict");
	snprintf(path, sizeof path, "/v1/audits/%s", a);
	comp_expect("manager", "PATCH", path, "{\"status\":\"reported\"}", 200,
	    NULL);
	comp_expect("manager", "PATCH", AT("bob"), "{\"status\":"
	    "\"completed\"}", 200, NULL);
	comp_expect("manager", "PATCH", AT("bob"), "{\"status\":"
	    "\"withdrawn\"}", 200, NULL);
	CU_ASSERT(assign(ASG("bob3"), a, "tm-bob", "observer", "proposed"));
	/* References both ways. */
	comp_expect("admin", "POST", "/v1/assignments", "{\"audit\":"
	    "\"tm-nosuch\",\"auditor\":\"tm-bob\",\"role\":\"lead\","
	    "\"status\":\"confirmed\"}", 422, "bad-reference");
	comp_expect("admin", "DELETE", "/v1/audits/tm-past1", NULL, 409,
	    "referenced");
#undef ASG
#undef AT
}

void
team_own_scope(void)
{
	struct resp	 r;
	char		 a[64], b[64], id[96], path[128];

	team_data();
	CU_ASSERT_FATAL(cases_principal("alice"));
	make_audit(fresh("tm-o", a, sizeof a), 5, 1, NULL);
	make_audit(fresh("tm-o", b, sizeof b), 5, 1, NULL);
	snprintf(id, sizeof id, "%s-alice", a);
	CU_ASSERT(assign(id, a, "alice", "observer", "proposed"));
	snprintf(id, sizeof id, "%s-bob", b);
	CU_ASSERT(assign(id, b, "tm-bob", "auditor", "proposed"));

	snprintf(path, sizeof path, "/v1/audits/%s", a);
	comp_expect("alice", "GET", path, NULL, 200, NULL);
	comp_expect("alice", "PATCH", path, "{\"status\":\"closed\"}", 403,
	    "forbidden");
	snprintf(path, sizeof path, "/v1/audits/%s", b);
	comp_expect("alice", "GET", path, NULL, 404, "not-found");
	snprintf(path, sizeof path, "/v1/audits?programme=tm-p&limit=1000");
	client_http(&r, "alice", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), a) != NULL);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), b) == NULL);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), "tm-past1") ==
	    NULL);
	client_resp_free(&r);
	/* Her assignments only. */
	client_http(&r, "alice", "GET", "/v1/assignments?limit=1000", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	snprintf(id, sizeof id, "%s-alice", a);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), id) != NULL);
	snprintf(id, sizeof id, "%s-bob", b);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), id) == NULL);
	client_resp_free(&r);
	snprintf(path, sizeof path, "/v1/assignments/%s-bob", b);
	comp_expect("alice", "GET", path, NULL, 404, "not-found");
	/* Export: the same records. */
	client_http(&r, "alice", "GET", "/v1/export/audits", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(r.body != NULL && strstr(r.body, a) != NULL &&
	    strstr(r.body, b) == NULL);
	client_resp_free(&r);
	/* Her status lists it: upcoming, then current, then neither. */
	status_has(a, "2027-04-20", "false");
	status_has(a, "2027-05-02", "true");
	status_has(a, "2027-05-04", NULL);
	/* Withdrawn: the audit is no longer hers to read. */
	snprintf(path, sizeof path, "/v1/assignments/%s-alice", a);
	comp_expect("admin", "PATCH", path, "{\"status\":\"withdrawn\"}", 200,
	    NULL);
	snprintf(path, sizeof path, "/v1/audits/%s", a);
	comp_expect("alice", "GET", path, NULL, 404, "not-found");
}

void
team_candidates_propose(void)
{
	struct resp	 r;
	char		 a[64], b[64], path[160];
	json_t		*c, *t;
	size_t		 i;

	team_data();
	make_audit(fresh("tm-c", a, sizeof a), 6, 2, NULL);
	snprintf(path, sizeof path, "/v1/audits/%s/candidates", a);
	client_http(&r, "hr", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "candidates"));
	c = json_object_get(r.json, "candidates");
	/* Those who pass come first; tm-cy and tm-dee fail one rule each. */
	CU_ASSERT(json_is_true(json_object_get(json_array_get(c, 0),
	    "passes")));
	json_array_foreach(c, i, t) {
		const char *who = client_sv(t, "auditor");
		if (strcmp(who, "tm-cy") == 0) {
			CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(
			    json_object_get(t, "failed"), 0), "rule"), "cpd");
			CU_ASSERT(json_is_false(json_object_get(t, "passes")));
		}
		if (strcmp(who, "tm-lena") == 0)
			CU_ASSERT(json_is_true(json_object_get(t,
			    "can_lead")));
		if (strcmp(who, "tm-bob") == 0)
			CU_ASSERT(json_is_false(json_object_get(t,
			    "can_lead")));
	}
	client_resp_free(&r);
	snprintf(path, sizeof path, "/v1/audits/%s/candidates?limit=1", a);
	client_http(&r, "manager", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r.json,
	    "candidates")), 1);
	CU_ASSERT_EQUAL(client_int(&r, "next"), 1);
	client_resp_free(&r);

	/* The smallest team: tm-lena leads, tm-bob makes two. */
	snprintf(path, sizeof path, "/v1/audits/%s/propose", a);
	client_http(&r, "manager", "POST", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "proposal"));
	CU_ASSERT(json_is_true(json_object_get(r.json, "found")));
	t = json_object_get(r.json, "team");
	CU_ASSERT_EQUAL(json_array_size(t), 2);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(t, 0), "auditor"),
	    "tm-lena");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(t, 0), "role"), "lead");
	CU_ASSERT(json_is_true(json_object_get(json_object_get(r.json,
	    "verdict"), "compliant")));
	client_resp_free(&r);

	/* ?assign=true records it; a second time the team is there. */
	snprintf(path, sizeof path, "/v1/audits/%s/propose?assign=true", a);
	client_http(&r, "manager", "POST", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	t = json_object_get(r.json, "team");
	snprintf(path, sizeof path, "/v1/assignments/%s",
	    client_sv(json_array_get(t, 0), "assignment"));
	client_resp_free(&r);
	c = comp_get(path);
	CU_ASSERT_STRING_EQUAL(client_sv(c, "status"), "proposed");
	CU_ASSERT_STRING_EQUAL(client_sv(c, "audit"), a);
	json_decref(c);
	snprintf(path, sizeof path, "/v1/audits/%s/check", a);
	client_http(&r, "manager", "POST", path, NULL, NULL);
	CU_ASSERT(json_is_true(json_object_get(r.json, "compliant")));
	client_resp_free(&r);
	snprintf(path, sizeof path, "/v1/audits/%s/propose?assign=true", a);
	comp_expect("manager", "POST", path, NULL, 409, "conflict");

	/* No team: an area nobody is evidenced in. */
	make_audit(fresh("tm-n", b, sizeof b), 6, 1, "tm-none");
	snprintf(path, sizeof path, "/v1/audits/%s/propose", b);
	client_http(&r, "manager", "POST", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "proposal"));
	CU_ASSERT(json_is_false(json_object_get(r.json, "found")));
	/*
	 * Among others: the earlier proposal keeps tm-lena busy in those
	 * days, and the reasons say so too.
	 */
	CU_ASSERT(has_reason(r.json, "no active auditor is evidenced at "
	    "competent in tm-none"));
	CU_ASSERT(has_reason(r.json, "tm-lena fails availability"));
	client_resp_free(&r);
}

/* The team commands of auditorctl against the daemon: exits 0 and 1. */
void
cli_team(void)
{
	struct proc	 p;
	char		 a[64], id[96], path[128];
	json_t		*d, *v;

	team_data();
	make_audit(fresh("tm-l", a, sizeof a), 7, 2, NULL);

	CTL(&p, "manager", "audit", "check", a, "--team",
	    "tm-lena:lead,tm-bob:auditor");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(strstr(p.out, "compliant") != NULL);
	CU_ASSERT(strstr(p.out, "lead_qualification") != NULL);
	CU_ASSERT(strstr(p.out, "qualifications/tm-lena-q") != NULL);
	harness_proc_free(&p);
	CTL(&p, "manager", "audit", "check", a, "--team",
	    "tm-lena:lead,tm-cy:auditor");
	EXPECT_EXIT(&p, 1);
	CU_ASSERT(cli_line_has(p.out, "cpd", NULL));
	CU_ASSERT(strstr(p.out, "not compliant") != NULL);
	harness_proc_free(&p);
	CTL(&p, "manager", "audit", "check", a, "--team", "tm-cy:boss");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CTL(&p, "manager", "audit", "check", a, "--json", "--team",
	    "tm-lena:lead,tm-cy:auditor");
	EXPECT_EXIT(&p, 1);
	v = cli_json_out(&p);
	CU_ASSERT(v != NULL && json_is_false(json_object_get(v, "compliant")));
	json_decref(v);
	harness_proc_free(&p);

	/* Evidence as the verdict names it is what show takes. */
	CTL(&p, "hr", "qualification", "show", "qualifications/tm-lena-q");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(strstr(p.out, "tm-lena") != NULL);
	harness_proc_free(&p);
	CTL(&p, "hr", "training", "show", "qualifications/tm-lena-q");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(strstr(p.err, "not a record of trainings") != NULL);
	harness_proc_free(&p);

	/* Candidates and a proposal, recorded as proposed assignments. */
	CTL(&p, "hr", "audit", "candidates", a);
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "tm-cy", "cpd", NULL));
	harness_proc_free(&p);
	CTL(&p, "manager", "audit", "propose", a, "--assign", "--json");
	EXPECT_EXIT(&p, 0);
	v = cli_json_out(&p);
	CU_ASSERT(v != NULL && json_is_true(json_object_get(v, "found")));
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(json_object_get(v,
	    "team"), 0), "auditor"), "tm-lena");
	json_decref(v);
	harness_proc_free(&p);

	/* The confirm gate through the CLI: refused, then overridden. */
	snprintf(id, sizeof id, "%s-cy", a);
	CTL(&p, "manager", "assignment", "add", "--id", id, "--audit", a,
	    "--auditor", "tm-cy", "--role", "auditor");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CTL(&p, "manager", "assignment", "confirm", id);
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(strstr(p.out, "cpd") != NULL || strstr(p.err, "cpd") !=
	    NULL);
	CU_ASSERT(strstr(p.err, "--override") != NULL);
	harness_proc_free(&p);
	CTL(&p, "manager", "assignment", "confirm", id, "--override",
	    "CPD record pending");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	snprintf(path, sizeof path, "/v1/assignments/%s", id);
	d = comp_get(path);
	CU_ASSERT_STRING_EQUAL(client_sv(d, "status"), "confirmed");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(d, "override"), "by"),
	    "p-manager");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(d, "override"),
	    "reason"), "CPD record pending");
	json_decref(d);
}

/* A programme's policy, changed, changes the verdicts of its audits. */
void
team_policy_override(void)
{
	struct resp	 r;
	json_t		*d;
	char		 prog[64], a[64], path[128];
	const char	*team = "{\"team\":[{\"auditor\":\"tm-lena\",\"role\":"
			    "\"lead\"},{\"auditor\":\"tm-bob\",\"role\":\"auditor\"}]}";

	team_data();
	fresh("tm-pp", prog, sizeof prog);
	client_json(&r, "manager", "POST", "/v1/programmes", json_pack("{s:s, "
	    "s:s, s:{s:s, s:s}, s:{s:{s:i}}}", "id", prog, "title", "Strict",
	    "period", "from", "2027-01-01", "to", "2027-12-31", "policy", "cpd",
	    "min_hours", 25), NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
	fresh("tm-pa", a, sizeof a);
	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "id", a,
	    "programme", prog, "auditee", "tm-Finance", "type", "internal",
	    "standard", STD, "start", "2027-08-01", "end", "2027-08-02",
	    "language", "en", "min_team_size", 2);
	client_json(&r, "manager", "POST", "/v1/audits", d, NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);

	/* tm-lena's 24 hours fall short of 25. */
	check(&r, "manager", a, team);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(!rule_ok(r.json, "tm-lena", "cpd"));
	CU_ASSERT(rule_ok(r.json, "tm-bob", "qualification"));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(
	    json_object_get(r.json, "policy"), "cpd"), "min_hours")), 25);
	client_resp_free(&r);
	/* The programme lowers it: the same team passes cpd. */
	snprintf(path, sizeof path, "/v1/programmes/%s", prog);
	comp_expect("manager", "PATCH", path, "{\"policy\":{\"cpd\":"
	    "{\"min_hours\":20}}}", 200, NULL);
	check(&r, "manager", a, team);
	CU_ASSERT(rule_ok(r.json, "tm-lena", "cpd"));
	CU_ASSERT(json_is_true(json_object_get(r.json, "compliant")));
	client_resp_free(&r);
	/* The audit moves: its window, and so the CPD window, moves too. */
	snprintf(path, sizeof path, "/v1/audits/%s", a);
	comp_expect("manager", "PATCH", path, "{\"start\":\"2027-11-01\","
	    "\"end\":\"2027-11-02\"}", 200, NULL);
	check(&r, "manager", a, team);
	/* 2026-10-01's hours are out of the 12 months before 2027-11-01. */
	CU_ASSERT(!rule_ok(r.json, "tm-lena", "cpd"));
	client_resp_free(&r);
}
