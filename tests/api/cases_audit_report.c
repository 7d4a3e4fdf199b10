/*
 * cases_audit_report.c: an audit's report over curl: every ISO 19011
 * 6.5.1 item from a hand-built audit with known findings, what is still
 * missing, the systemic-minor flag at exactly its threshold and not one
 * below, issue-report refusing an incomplete report and then issuing it,
 * and the programme dashboard. Records under the prefix rp- with a suffix
 * of their own per run, so the cases stand alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comp.h"

static char	sfx[32];

/* "rp-NAME-<pid>" into a rotating buffer. */
static const char *
rid(const char *name)
{
	static char	buf[8][96];
	static int	i;

	if (sfx[0] == '\0')
		snprintf(sfx, sizeof sfx, "%d", (int)getpid());
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "rp-%s-%s", name, sfx);
	return buf[i];
}

static void
post(const char *coll, json_t *doc)
{
	struct resp	r;
	char		path[64];

	snprintf(path, sizeof path, "/v1/%s", coll);
	client_json(&r, "admin", "POST", path, doc, NULL);
	CU_ASSERT_FATAL(client_status(&r, 201));
	client_resp_free(&r);
}

static void
finding(const char *id, const char *audit, const char *type,
    const char *criterion)
{
	post("findings", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[{s:s, s:s, s:s}]}", "id", rid(id), "audit", rid(audit),
	    "type", type, "criterion", criterion, "statement",
	    "Access reviews were not done <script>alert(1)</script>",
	    "auditor", rid("ann"), "date", "2027-03-02", "evidence", "kind",
	    "record", "description", "Access review log Q3", "sample",
	    "25 of 25"));
}

/*
 * Programme rp-p (manager "PM"), audit rp-a1 with three minor
 * nonconformities against A.5.15 (the threshold) and an observation,
 * audit rp-a2 with two against A.5.15 (one below), rp-a3 (a1's twin with
 * one observation, for issuing), rp-ann on every team.
 */
static void
report_data(void)
{
	static int	built;
	json_t		*a, *e;
	size_t		 i;

	if (built)
		return;
	post("programmes", json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "id",
	    rid("p"), "title", "Reports programme", "manager", "PM", "period",
	    "from", "2027-01-01", "to", "2027-12-31"));
	post("auditors", json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "id",
	    rid("ann"), "name", "Ann Report", "email", "ann@example.org",
	    "unit", "Audit", "languages", "en"));
	a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], "
	    "s:s, s:[s], s:[{s:s, s:s, s:s, s:[s, s]}, {s:s, s:s, s:[s]}]}",
	    "id", rid("a1"), "programme", rid("p"), "auditee", "Finance",
	    "type", "internal", "start", "2027-03-01", "end", "2027-03-03",
	    "scope", "Access control in Finance", "objectives",
	    "Conformity with ISO/IEC 27001", "criteria", "A.5.15", "method",
	    "on_site", "locations", "HQ", "schedule", "date", "2027-03-01",
	    "time", "09:00", "activity", "Opening meeting", "auditees", "CFO",
	    "IT manager", "date", "2027-03-02", "activity", "Interviews",
	    "auditees", "CFO");
	post("audits", json_deep_copy(a));
	/* a3: a1's twin, for the case that issues its report. */
	json_object_set_new(a, "id", json_string(rid("a3")));
	json_object_set_new(a, "start", json_string("2027-05-01"));
	json_object_set_new(a, "end", json_string("2027-05-03"));
	json_array_foreach(json_object_get(a, "schedule"), i, e)
		json_object_set_new(e, "date", json_string("2027-05-01"));
	post("audits", a);
	post("audits", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id",
	    rid("a2"), "programme", rid("p"), "auditee", "HR", "type",
	    "internal", "start", "2027-04-01", "end", "2027-04-01"));
	post("assignments", json_pack("{s:s, s:s, s:s, s:s}", "id",
	    rid("as1"), "audit", rid("a1"), "auditor", rid("ann"), "role",
	    "lead"));
	post("assignments", json_pack("{s:s, s:s, s:s, s:s}", "id",
	    rid("as2"), "audit", rid("a2"), "auditor", rid("ann"), "role",
	    "lead"));
	post("assignments", json_pack("{s:s, s:s, s:s, s:s}", "id",
	    rid("as3"), "audit", rid("a3"), "auditor", rid("ann"), "role",
	    "lead"));
	finding("f7", "a3", "observation", "A.8.1");
	finding("f1", "a1", "minor_nc", "A.5.15");
	finding("f2", "a1", "minor_nc", "A.5.15");
	finding("f3", "a1", "minor_nc", "A.5.15");
	finding("f4", "a1", "observation", "A.8.1");
	finding("f5", "a2", "minor_nc", "A.5.15");
	finding("f6", "a2", "minor_nc", "A.5.15");
	/* An action past due: the dashboard calls it out. */
	post("actions", json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
	    rid("c1"), "finding", rid("f1"), "action", "Review quarterly",
	    "owner", "IT manager", "due", "2020-01-31"));
	built = 1;
}

static json_t *
get_report(struct resp *r, const char *audit)
{
	char	path[128];

	snprintf(path, sizeof path, "/v1/audits/%s/report", audit);
	client_http(r, "manager", "GET", path, NULL, NULL);
	CU_ASSERT(client_status(r, 200));
	CU_ASSERT(cases_valid_as(r, "audit-report"));
	return r->json;
}

static int
missing_is(const json_t *rep, const char *want)
{
	json_t	*w = comp_j(want);
	int	 ok = json_equal(json_object_get(rep, "missing"), w);

	if (!ok) {
		char *s = json_dumps(json_object_get(rep, "missing"), 0);
		fprintf(stderr, "\nmissing is %s, expected %s\n", s, want);
		free(s);
	}
	json_decref(w);
	return ok;
}

void
report_audit_items(void)
{
	struct resp	 r;
	json_t		*rep, *it, *f, *sys;

	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("alice"));
	report_data();
	rep = get_report(&r, rid("a1"));
	CU_ASSERT(json_is_false(json_object_get(rep, "complete")));
	CU_ASSERT(missing_is(rep, "[\"conclusions\",\"fulfilment\","
	    "\"disagreements\",\"sampling\"]"));
	it = json_object_get(rep, "items");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(it, "scope"),
	    "auditee"), "Finance");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(it, "client"),
	    "manager"), "PM");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(json_object_get(
	    json_object_get(it, "team"), "members"), 0), "name"), "Ann Report");
	CU_ASSERT(json_equal(json_object_get(json_object_get(it, "team"),
	    "participants"), comp_j("[\"CFO\",\"IT manager\"]")) ||
	    (fprintf(stderr, "participants differ\n"), 0));
	CU_ASSERT_STRING_EQUAL(client_s(json_array_get(json_object_get(
	    json_object_get(it, "dates"), "locations"), 0)), "HQ");
	f = json_object_get(it, "findings");
	CU_ASSERT_EQUAL(json_array_size(f), 4);
	/* The statement is kept as written: escaping is the renderer's. */
	CU_ASSERT(strstr(client_sv(json_array_get(f, 0), "statement"),
	    "<script>") != NULL);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(f, 0),
	    "evidence")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(rep,
	    "counts"), "minor_nc")), 3);
	/* Three minors on A.5.15: exactly the threshold, flagged. */
	sys = json_object_get(rep, "systemic");
	CU_ASSERT_EQUAL(json_array_size(sys), 1);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(sys, 0), "criterion"),
	    "A.5.15");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(sys,
	    0), "minor_count")), 3);
	client_resp_free(&r);
	/* Two: one below, not flagged; and a2 misses more. */
	rep = get_report(&r, rid("a2"));
	CU_ASSERT_EQUAL(json_array_size(json_object_get(rep, "systemic")), 0);
	CU_ASSERT(missing_is(rep, "[\"objectives\",\"scope\",\"dates\","
	    "\"criteria\",\"conclusions\",\"fulfilment\",\"disagreements\","
	    "\"sampling\"]"));
	client_resp_free(&r);
	/* Role auditor: not on these teams. */
	{
		char path[128];
		snprintf(path, sizeof path, "/v1/audits/%s/report", rid("a1"));
		comp_expect("alice", "GET", path, NULL, 404, "not-found");
	}
	comp_expect("manager", "GET", "/v1/audits/rp-nosuch/report", NULL,
	    404, "not-found");
}

void
report_issue(void)
{
	struct resp	 r;
	json_t		*m, *d;
	char		 path[128], apath[128], today[16];

	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("hr"));
	report_data();
	snprintf(path, sizeof path, "/v1/audits/%s/issue-report", rid("a3"));
	snprintf(apath, sizeof apath, "/v1/audits/%s", rid("a3"));
	client_http(&r, "manager", "POST", path, NULL, NULL);
	CU_ASSERT(client_problem(&r, 409, "report-incomplete") ||
	    (client_dump(&r, "issue"), 0));
	m = json_object_get(r.json, "missing");
	CU_ASSERT_EQUAL(json_array_size(m), 4);
	client_resp_free(&r);
	comp_expect("hr", "POST", path, NULL, 403, "forbidden");
	comp_expect("manager", "PATCH", apath, "{\"report\":{\"conclusions\":"
	    "\"Access control is not effective\",\"fulfilment\":\"Partly\","
	    "\"disagreements\":\"None\",\"sampling\":\"Access reviews of Q3 "
	    "were sampled\"}}", 200, NULL);
	client_http(&r, "manager", "POST", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	comp_today(today);
	CU_ASSERT_STRING_EQUAL(client_str(&r, "status"), "reported");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "report"),
	    "issued"), today);
	client_resp_free(&r);
	d = comp_get(apath);
	CU_ASSERT_STRING_EQUAL(client_sv(d, "status"), "reported");
	json_decref(d);
	/* Once only. */
	comp_expect("manager", "POST", path, NULL, 409, "conflict");
	get_report(&r, rid("a3"));
	CU_ASSERT(json_is_true(json_object_get(r.json, "complete")));
	CU_ASSERT_STRING_EQUAL(client_str(&r, "issued"), today);
	client_resp_free(&r);
}

void
report_programme(void)
{
	struct resp	 r;
	json_t		*d, *a, *late;
	char		 path[128];

	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("alice"));
	report_data();
	snprintf(path, sizeof path, "/v1/reports/programme/%s", rid("p"));
	client_http(&r, "manager", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "programme-report"));
	d = r.json;
	a = json_object_get(d, "audits");
	CU_ASSERT_EQUAL(json_array_size(a), 3);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(a, 0), "id"),
	    rid("a1"));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(a,
	    0), "team")), 1);
	/* One member alone: team_size and more fail; the ids are named. */
	CU_ASSERT(json_is_false(json_object_get(json_array_get(a, 0),
	    "compliant")));
	CU_ASSERT(json_array_size(json_object_get(json_array_get(a, 0),
	    "failing")) > 0);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(
	    json_object_get(d, "findings"), "by_type"), "minor_nc")), 5);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(
	    json_object_get(d, "findings"), "by_type"), "observation")), 2);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(json_object_get(
	    json_object_get(d, "findings"), "by_criterion"), 0), "criterion"),
	    "A.5.15");
	late = json_object_get(json_object_get(d, "actions"), "overdue");
	CU_ASSERT_EQUAL(json_array_size(late), 1);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(late, 0), "id"),
	    rid("c1"));
	CU_ASSERT(json_integer_value(json_object_get(json_array_get(late, 0),
	    "days")) > 365);
	client_resp_free(&r);
	comp_expect("alice", "GET", path, NULL, 403, "forbidden");
	comp_expect("manager", "GET", "/v1/reports/programme/rp-nosuch", NULL,
	    404, "not-found");
}

/* 1 if xmllint finds text well-formed XML (the HTML is written so). */
static int
well_formed(const char *text)
{
	char	 path[] = "/tmp/auditord-html-XXXXXX", cmd[128];
	FILE	*f;
	int	 fd, rc;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return 0;
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
	rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* Count the non-overlapping occurrences of needle in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The renderers of auditorctl over the daemon's real answers. */
void
report_cli_render(void)
{
	struct proc	 p;

	CU_ASSERT_FATAL(cases_principal("manager") && cases_principal("hr"));
	report_data();
	CTL(&p, "manager", "report", "audit", rid("a1"), "--format", "html");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.out != NULL && well_formed(p.out));
	/* The statement's markup is text, never markup. */
	CU_ASSERT(p.out != NULL && strstr(p.out, "<script>") == NULL &&
	    strstr(p.out, "&lt;script&gt;") != NULL);
	CU_ASSERT(p.out != NULL && strstr(p.out, "possible major "
	    "nonconformity") != NULL);
	harness_proc_free(&p);
	CTL(&p, "manager", "report", "audit", rid("a1"), "--format", "md");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.out != NULL && strstr(p.out, "A.5.15") != NULL &&
	    strstr(p.out, "| ") != NULL);
	harness_proc_free(&p);
	/* The dashboard: one bar per audit on the timeline. */
	CTL(&p, "hr", "report", "programme", rid("p"), "--format", "html");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.out != NULL && well_formed(p.out));
	CU_ASSERT(p.out != NULL && count(p.out, "class=\"bar\"") == 3);
	harness_proc_free(&p);
	CTL(&p, "manager", "audit", "plan", rid("a1"));
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.out != NULL && strstr(p.out, "Opening meeting") != NULL &&
	    strstr(p.out, "Ann Report") != NULL);
	harness_proc_free(&p);
	/* Incomplete: the list, and the conflict exit. */
	CTL(&p, "manager", "audit", "issue-report", rid("a2"));
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(strstr(p.out, "sampling") != NULL ||
	    strstr(p.err, "sampling") != NULL);
	harness_proc_free(&p);
	/*
	 * The matrix as a heatmap: st-ann's evidence lapses within 90 days
	 * (sa-e1 in 20, sa-q1 in 30), so her three cells are marked.
	 */
	cases_status_data();
	CTL(&p, "hr", "report", "matrix", "--format", "html");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.out != NULL && well_formed(p.out));
	CU_ASSERT(p.out != NULL && strstr(p.out, "st-ann, isms-standards: "
	    "expert (evaluations/sa-e1), expiring") != NULL);
	CU_ASSERT(p.out != NULL && count(p.out, "class=\"marked\"") >= 3);
	harness_proc_free(&p);
	CTL(&p, "manager", "report", "actions-overdue");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, rid("c1"), "IT manager", NULL));
	harness_proc_free(&p);
}
