/*
 * cases_programmes.c: audit programmes and their audits over curl: CRUD,
 * list filters, ?from=/?to= on an audit's start, the cross-field rules
 * (422 with their exact paths), references both ways and who may. Each
 * case makes its own records under its own prefix and the principals it
 * uses, so it needs no other case and no order.
 */
#include <stdio.h>
#include <string.h>

#include "comp.h"

#define BADREF	"bad-reference"
#define INVALID	"validation"

/* A valid programme document (new reference). */
static json_t *
pg_programme(const char *id, const char *status)
{
	json_t	*d;

	d = comp_j("{\"title\":\"ISMS audits 2027\",\"period\":{\"from\":"
	    "\"2027-01-01\",\"to\":\"2027-12-31\"},\"objectives\":[\"Certify\"],"
	    "\"policy\":{\"cpd\":{\"min_hours\":30.5}}}");
	json_object_set_new(d, "id", json_string(id));
	if (status != NULL)
		json_object_set_new(d, "status", json_string(status));
	return d;
}

/* A valid audit of programme prog starting on start (new reference). */
static json_t *
pg_audit(const char *id, const char *prog, const char *start,
    const char *status)
{
	json_t	*d;

	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "programme",
	    prog, "auditee", "Finance", "type", "internal", "start", start,
	    "end", start);
	if (status != NULL)
		json_object_set_new(d, "status", json_string(status));
	return d;
}

static int
pg_post(const char *who, const char *coll, json_t *doc)
{
	struct resp	r;
	int		ok;

	client_json(&r, who, "POST", coll, doc, NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

void
programmes_crud(void)
{
	struct resp	 r;
	json_t		*got;

	client_json(&r, "admin", "POST", "/v1/programmes",
	    pg_programme("pc-p1", NULL), NULL);
	EXPECT_STATUS(&r, 201);
	CU_ASSERT(comp_etag(&r, 1));
	/* status defaults to planned; the policy is kept as sent. */
	CU_ASSERT_STRING_EQUAL(client_str(&r, "status"), "planned");
	CU_ASSERT(json_real_value(json_object_get(json_object_get(
	    json_object_get(r.json, "policy"), "cpd"), "min_hours")) == 30.5);
	client_resp_free(&r);
	CU_ASSERT(pg_post("admin", "/v1/programmes", pg_programme("pc-p2",
	    "active")));
	comp_expect("admin", "PATCH", "/v1/programmes/pc-p1",
	    "{\"status\":\"closed\",\"manager\":\"Programme manager\"}", 200,
	    NULL);
	got = comp_get("/v1/programmes/pc-p1");
	CU_ASSERT_STRING_EQUAL(client_sv(got, "status"), "closed");
	CU_ASSERT_STRING_EQUAL(client_sv(got, "manager"), "Programme manager");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(got, "rev")), 2);
	json_decref(got);
	EXPECT_IDS("admin", "/v1/programmes?status=active&after=pc-p0&limit=2",
	    "pc", "p2");
	EXPECT_IDS("admin", "/v1/programmes?status=closed&after=pc-p0&limit=2",
	    "pc", "p1");

	/* Audits: defaults, filters, the start date bounds. */
	client_json(&r, "admin", "POST", "/v1/audits", pg_audit("pc-a1",
	    "pc-p1", "2027-03-01", NULL), NULL);
	EXPECT_STATUS(&r, 201);
	CU_ASSERT_STRING_EQUAL(client_str(&r, "status"), "planned");
	CU_ASSERT_EQUAL(client_int(&r, "min_team_size"), 1);
	client_resp_free(&r);
	CU_ASSERT(pg_post("admin", "/v1/audits", pg_audit("pc-a2", "pc-p1",
	    "2027-04-10", "closed")));
	CU_ASSERT(pg_post("admin", "/v1/audits", pg_audit("pc-a3", "pc-p2",
	    "2027-04-20", NULL)));
	EXPECT_IDS("admin", "/v1/audits?programme=pc-p1", "pc", "a1,a2");
	EXPECT_IDS("admin", "/v1/audits?programme=pc-p1&status=closed", "pc",
	    "a2");
	EXPECT_IDS("admin", "/v1/audits?programme=pc-p2", "pc", "a3");
	EXPECT_IDS("admin", "/v1/audits?programme=pc-p1&from=2027-04-10"
	    "&to=2027-04-30", "pc", "a2");
	EXPECT_IDS("admin", "/v1/audits?programme=pc-p1&to=2027-03-01", "pc",
	    "a1");
	comp_expect("admin", "GET", "/v1/audits?from=2027-13-01", NULL, 400,
	    NULL);
	comp_expect("admin", "PUT", "/v1/audits/pc-a3",
	    "{\"programme\":\"pc-p2\",\"auditee\":\"HR\",\"type\":\"supplier\","
	    "\"start\":\"2027-05-01\",\"end\":\"2027-05-02\","
	    "\"min_team_size\":3,\"status\":\"planned\"}", 200, NULL);
	/* Defaults are filled on create only: a replacement names them. */
	comp_422("admin", "PUT", "/v1/audits/pc-a3", comp_j("{\"programme\":"
	    "\"pc-p2\",\"auditee\":\"HR\",\"type\":\"supplier\",\"start\":"
	    "\"2027-05-01\",\"end\":\"2027-05-02\"}"), INVALID,
	    "/min_team_size,/status", NULL, NULL);
	got = comp_get("/v1/audits/pc-a3");
	CU_ASSERT_STRING_EQUAL(client_sv(got, "auditee"), "HR");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(got,
	    "min_team_size")), 3);
	json_decref(got);

	/* A programme an audit names stays; without audits it goes. */
	comp_expect("admin", "DELETE", "/v1/programmes/pc-p1", NULL, 409,
	    "referenced");
	CU_ASSERT_PTR_NOT_NULL(got = comp_get("/v1/programmes/pc-p1"));
	json_decref(got);
	comp_expect("admin", "DELETE", "/v1/audits/pc-a1", NULL, 204, NULL);
	comp_expect("admin", "DELETE", "/v1/audits/pc-a2", NULL, 204, NULL);
	comp_expect("admin", "DELETE", "/v1/programmes/pc-p1", NULL, 204,
	    NULL);
	comp_expect("admin", "GET", "/v1/programmes/pc-p1", NULL, 404, NULL);
}

/* POST doc (taken) to coll: 422 of slug at exactly paths; nothing stored. */
static void
pg_422(const char *coll, json_t *doc, const char *slug, const char *paths,
    const char *message)
{
	char	path[128];

	snprintf(path, sizeof path, "%s/%s", coll, client_sv(doc, "id"));
	comp_422("admin", "POST", coll, doc, slug, paths, message, path);
}

void
programmes_rules(void)
{
	json_t	*d;

	CU_ASSERT_FATAL(comp_area("pr-area") && pg_post("admin",
	    "/v1/programmes", pg_programme("pr-p", NULL)));
	d = pg_programme("pr-x", NULL);
	json_object_set_new(d, "period", comp_j("{\"from\":\"2027-06-01\","
	    "\"to\":\"2027-05-31\"}"));
	pg_422("/v1/programmes", d, INVALID, "/period/to",
	    "is before period.from");
	d = pg_programme("pr-x", NULL);
	json_object_set_new(d, "policy", comp_j("{\"cpd\":{\"min_hrs\":3}}"));
	pg_422("/v1/programmes", d, INVALID, "/policy/cpd/min_hrs", NULL);
	d = pg_programme("pr-x", NULL);
	json_object_set_new(d, "policy", comp_j("{\"warn\":{\"expiry_days\":"
	    "3651}}"));
	pg_422("/v1/programmes", d, INVALID, "/policy/warn/expiry_days", NULL);
	d = pg_programme("pr-x", NULL);
	json_object_set_new(d, "policy", comp_j("{\"cpd\":{\"min_hours\":"
	    "7.355}}"));
	pg_422("/v1/programmes", d, INVALID, "/policy/cpd/min_hours",
	    "has more than two decimals");

	d = pg_audit("pr-a", "pr-p", "2027-03-02", NULL);
	json_object_set_new(d, "end", json_string("2027-03-01"));
	pg_422("/v1/audits", d, INVALID, "/end", "is before start");
	d = pg_audit("pr-a", "pr-p", "2027-03-02", NULL);
	json_object_set_new(d, "end", json_string("2027-03-03"));
	json_object_set_new(d, "schedule", comp_j("[{\"date\":\"2027-03-02\","
	    "\"activity\":\"Opening\"},{\"date\":\"2027-03-04\",\"activity\":"
	    "\"Closing\"},{\"date\":\"2027-03-01\",\"activity\":\"Early\"}]"));
	pg_422("/v1/audits", d, INVALID, "/schedule/1/date,/schedule/2/date",
	    "is not within start and end");
	d = pg_audit("pr-a", "pr-p", "2027-03-02", NULL);
	json_object_set_new(d, "required", comp_j("[{\"area\":\"pr-area\","
	    "\"level\":\"expert\"},{\"area\":\"pr-area\",\"level\":"
	    "\"awareness\"}]"));
	pg_422("/v1/audits", d, INVALID, "/required/1/area",
	    "is required twice");
	pg_422("/v1/audits", pg_audit("pr-a", "pr-none", "2027-03-02", NULL),
	    BADREF, "/programme", NULL);
	d = pg_audit("pr-a", "pr-p", "2027-03-02", NULL);
	json_object_set_new(d, "required", comp_j("[{\"area\":\"pr-area\","
	    "\"level\":\"expert\"},{\"area\":\"pr-no-area\",\"level\":"
	    "\"awareness\"}]"));
	pg_422("/v1/audits", d, BADREF, "/required/1/area", NULL);
	/* The same rules on a change. */
	CU_ASSERT(pg_post("admin", "/v1/audits", pg_audit("pr-ok", "pr-p",
	    "2027-03-02", NULL)));
	comp_422("admin", "PATCH", "/v1/audits/pr-ok", comp_j("{\"end\":"
	    "\"2027-03-01\"}"), INVALID, "/end", "is before start", NULL);
}

void
programmes_grants(void)
{
	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("hr") &&
	    cases_principal("alice") &&
	    comp_principal("pa-viewer", "viewer", NULL));
	/* Manager keeps programmes and audits. */
	CU_ASSERT(pg_post("manager", "/v1/programmes", pg_programme("pa-p",
	    NULL)));
	CU_ASSERT(pg_post("manager", "/v1/audits", pg_audit("pa-a", "pa-p",
	    "2027-03-02", NULL)));
	comp_expect("manager", "PATCH", "/v1/audits/pa-a",
	    "{\"status\":\"in_progress\"}", 200, NULL);
	/* hr and viewer read, never write. */
	comp_expect("hr", "GET", "/v1/programmes/pa-p", NULL, 200, NULL);
	comp_expect("pa-viewer", "GET", "/v1/audits/pa-a", NULL, 200, NULL);
	EXPECT_IDS("pa-viewer", "/v1/audits?programme=pa-p", "pa", "a");
	comp_expect("hr", "POST", "/v1/programmes", "{\"id\":\"pa-h\","
	    "\"title\":\"T\",\"period\":{\"from\":\"2027-01-01\",\"to\":"
	    "\"2027-01-02\"}}", 403, "forbidden");
	comp_expect("hr", "PATCH", "/v1/audits/pa-a", "{\"status\":"
	    "\"closed\"}", 403, "forbidden");
	comp_expect("pa-viewer", "DELETE", "/v1/audits/pa-a", NULL, 403,
	    "forbidden");
	comp_expect("admin", "GET", "/v1/programmes/pa-h", NULL, 404, NULL);
	/*
	 * Role auditor: no programmes; only the audits whose team they are
	 * on (cases_team.c), so not this one.
	 */
	comp_expect("alice", "GET", "/v1/programmes", NULL, 403, "forbidden");
	comp_expect("alice", "GET", "/v1/audits/pa-a", NULL, 404, "not-found");
	EXPECT_IDS("alice", "/v1/audits?programme=pa-p", "pa", "");
	comp_expect("alice", "POST", "/v1/audits", "{\"id\":\"pa-x\"}", 403,
	    "forbidden");
	comp_expect("admin", "GET", "/v1/audits/pa-a", NULL, 200, NULL);
	comp_expect("admin", "GET", "/v1/audits/pa-x", NULL, 404, NULL);
}

/* 1 if got equals the JSON literal lit. */
static int
pg_equal(const json_t *got, const char *lit)
{
	json_t	*want = comp_j(lit);
	int	 eq = json_equal(got, want);

	json_decref(want);
	return eq;
}

/* 1 if p's stderr names what; prints it otherwise. */
static int
pg_err_has(const struct proc *p, const char *what)
{
	if (p->err != NULL && strstr(p->err, what) != NULL)
		return 1;
	printf("\n  ** want \"%s\" on stderr: %.1500s\n", what,
	    p->err ? p->err : "");
	return 0;
}

/* Exit 2 and nothing sent: each line would make its record otherwise. */
static void
cli_programmes_usage(void)
{
	struct proc	 p;

	CTL(&p, "admin", "programme", "add", "--id", "cp-u1", "--title", "T",
	    "--from", "2027-01-01", "--to", "2027-12-31", "--policy",
	    "cpd.min_hrs=30");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(pg_err_has(&p, "--policy: unknown key 'cpd.min_hrs=30'; "
	    "the keys are: cpd.window_months, cpd.min_hours,"));
	CU_ASSERT(pg_err_has(&p, "systemic.minor_count"));
	harness_proc_free(&p);
	CTL(&p, "admin", "programme", "add", "--id", "cp-u1", "--title", "T",
	    "--from", "2027-01-01", "--to", "2027-12-31", "--policy",
	    "warn.expiry_days=3651");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(pg_err_has(&p, "warn.expiry_days is an integer from 0 to "
	    "3650"));
	harness_proc_free(&p);
	CTL(&p, "admin", "programme", "add", "--id", "cp-u1", "--title", "T",
	    "--from", "2027-01-01");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(pg_err_has(&p, "missing required option --to"));
	harness_proc_free(&p);
	CTL(&p, "admin", "audit", "add", "--id", "cp-u2", "--programme", "x",
	    "--auditee", "F", "--type", "internal", "--start", "2027-03-01",
	    "--end", "2027-03-01", "--require", "isms-standards:guru");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(pg_err_has(&p, "--require: level 'guru' is not one of: "
	    "awareness, competent, expert"));
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/programmes/cp-u1") == -1);
	CU_ASSERT(cases_rev("/v1/audits/cp-u2") == -1);
}

void
cli_programmes(void)
{
	struct proc	 p;
	json_t		*d;

	CU_ASSERT_FATAL(cases_principal("hr"));
	cli_programmes_usage();
	CTL(&p, "admin", "programme", "add", "--id", "cp-P2027", "--title",
	    "ISMS audits 2027", "--from", "2027-01-01", "--to", "2027-12-31",
	    "--objective", "Certify the ISMS", "--objective", "Cover HQ",
	    "--risk", "Too few auditors", "--policy", "cpd.min_hours=30",
	    "--policy", "cooling_off_months.employment=36");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	d = comp_get("/v1/programmes/cp-P2027");
	CU_ASSERT(pg_equal(json_object_get(d, "policy"), "{\"cpd\":"
	    "{\"min_hours\":30},\"cooling_off_months\":{\"employment\":36}}"));
	CU_ASSERT(pg_equal(json_object_get(d, "risks"), "[{"
	    "\"description\":\"Too few auditors\"}]"));
	CU_ASSERT_EQUAL(json_array_size(json_object_get(d, "objectives")), 2);
	CU_ASSERT_STRING_EQUAL(client_sv(d, "status"), "planned");
	json_decref(d);

	CTL(&p, "admin", "audit", "add", "--id", "cp-A1", "--programme",
	    "cp-P2027", "--auditee", "Finance", "--type", "internal",
	    "--standard", "ISO/IEC 27001", "--start", "2027-03-01", "--end",
	    "2027-03-03", "--language", "en", "--require",
	    "isms-standards:competent", "--min-team-size", "2", "--scope",
	    "HQ", "--criterion", "ISO/IEC 27001:2022 9.2", "--schedule",
	    "2027-03-01 09:00 Opening meeting", "--schedule",
	    "2027-03-03 Closing meeting: findings");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	d = comp_get("/v1/audits/cp-A1");
	CU_ASSERT(pg_equal(json_object_get(d, "schedule"), "[{\"date\":"
	    "\"2027-03-01\",\"time\":\"09:00\",\"activity\":\"Opening "
	    "meeting\"},{\"date\":\"2027-03-03\",\"activity\":\"Closing "
	    "meeting: findings\"}]"));
	CU_ASSERT(pg_equal(json_object_get(d, "required"), "[{"
	    "\"area\":\"isms-standards\",\"level\":\"competent\"}]"));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(d,
	    "min_team_size")), 2);
	json_decref(d);

	/* A plan entry that is not 'DATE [HH:MM] ACTIVITY': nothing sent. */
	CTL(&p, "admin", "audit", "edit", "cp-A1", "--schedule",
	    "2027-03-01 25:00 Late");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(strstr(p.err, "DATE [HH:MM] ACTIVITY") != NULL);
	harness_proc_free(&p);
	CTL(&p, "admin", "audit", "edit", "cp-A1", "--schedule",
	    "2027-03-01 09:00");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(strstr(p.err, "DATE [HH:MM] ACTIVITY") != NULL);
	harness_proc_free(&p);
	CTL(&p, "admin", "audit", "edit", "cp-A1", "--schedule", "tomorrow 9am");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	/* A day outside the audit is the daemon's 422, named by its path. */
	CTL(&p, "admin", "audit", "edit", "cp-A1", "--schedule",
	    "2027-03-09 Extra day");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(strstr(p.err, "/schedule/0/date") != NULL);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/audits/cp-A1") == 1);

	/* Columns: ID, STATUS, FROM, TO, MANAGER, TITLE. */
	CTL(&p, "hr", "programme", "list", "--status", "planned");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "cp-P2027\tplanned\t2027-01-01\t"
	    "2027-12-31\t\tISMS audits 2027", NULL));
	harness_proc_free(&p);
	/* Columns: ID, PROGRAMME, TYPE, START, END, STATUS, AUDITEE. */
	CTL(&p, "hr", "audit", "list", "--programme", "cp-P2027", "--from",
	    "2027-03-01", "--to", "2027-03-01");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "cp-A1\tcp-P2027\tinternal\t2027-03-01\t"
	    "2027-03-03\tplanned\tFinance", NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "audit", "show", "cp-A1");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "standard", "ISO/IEC 27001", NULL));
	harness_proc_free(&p);

	CTL(&p, "admin", "programme", "edit", "cp-P2027", "--policy",
	    "warn.expiry_days=30", "--to", "2027-11-30", "--risk", "");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	d = comp_get("/v1/programmes/cp-P2027");
	CU_ASSERT(pg_equal(json_object_get(d, "policy"), "{\"cpd\":"
	    "{\"min_hours\":30},\"cooling_off_months\":{\"employment\":36},"
	    "\"warn\":{\"expiry_days\":30}}"));
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(d, "period"), "to"),
	    "2027-11-30");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(d, "period"),
	    "from"), "2027-01-01");
	CU_ASSERT_PTR_NULL(json_object_get(d, "risks"));
	json_decref(d);

	/* Refusals: hr may not write; the server's rules; exit 3. */
	CTL(&p, "hr", "audit", "edit", "cp-A1", "--status", "closed");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(pg_err_has(&p, "role hr may not change audits"));
	harness_proc_free(&p);
	CTL(&p, "admin", "audit", "edit", "cp-A1", "--end", "2027-02-28");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(pg_err_has(&p, "/end: is before start"));
	harness_proc_free(&p);
	CTL(&p, "admin", "programme", "delete", "cp-P2027");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/audits/cp-A1") == 1);
	CU_ASSERT(cases_rev("/v1/programmes/cp-P2027") == 2);
}
