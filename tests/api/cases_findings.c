/*
 * cases_findings.c: findings and corrective actions over curl and
 * auditorctl: what role auditor sees and records through an audit's team
 * (404 for another audit's, in gets, lists and exports alike), the
 * transitions of an action with its 409s and 422s, the follow-up of one
 * found not effective (named in a Link header), closing a nonconformity,
 * the actions-overdue report, and the CLI nouns' exit codes. Each case
 * makes its records under ids of its own (fresh per run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comp.h"
#include "harness.h"

/* A fresh id for this run: cases may run more than once. */
static const char *
fresh(const char *base, char *out, size_t len)
{
	static int	n;

	snprintf(out, len, "%s-%d-%d", base, (int)getpid(), ++n);
	return out;
}

static void
post(const char *coll, json_t *doc)
{
	struct resp	r;
	char		path[64];

	snprintf(path, sizeof path, "/v1/%s", coll);
	client_json(&r, "admin", "POST", path, doc, NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);
}

/*
 * Audits a (alice on its team, proposed) and b (tm-less: nobody), in a
 * programme of their own; nonconformity fa on a, fb on b (by fd-bob).
 */
struct fd {
	char	p[48], a[48], b[48], bob[48], fa[48], fb[48];
};

static void
fd_setup(struct fd *x)
{
	char	asg[64];

	CU_ASSERT_FATAL(cases_principal("alice") && cases_principal("hr") &&
	    cases_principal("manager"));
	fresh("fd-p", x->p, sizeof x->p);
	fresh("fd-a", x->a, sizeof x->a);
	fresh("fd-b", x->b, sizeof x->b);
	fresh("fd-bob", x->bob, sizeof x->bob);
	fresh("fd-fa", x->fa, sizeof x->fa);
	fresh("fd-fb", x->fb, sizeof x->fb);
	CU_ASSERT_FATAL(cases_make_auditor(x->bob, "Audit"));
	post("programmes", json_pack("{s:s, s:s, s:{s:s, s:s}}", "id", x->p,
	    "title", "Findings", "period", "from", "2027-01-01", "to",
	    "2027-12-31"));
	post("audits", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", x->a,
	    "programme", x->p, "auditee", "IT", "type", "internal", "start",
	    "2027-09-01", "end", "2027-09-02"));
	post("audits", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", x->b,
	    "programme", x->p, "auditee", "HR", "type", "internal", "start",
	    "2027-09-01", "end", "2027-09-02"));
	snprintf(asg, sizeof asg, "%s-alice", x->a);
	post("assignments", json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", asg,
	    "audit", x->a, "auditor", "alice", "role", "auditor", "status",
	    "proposed"));
	post("findings", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[{s:s, s:s}]}", "id", x->fa, "audit", x->a, "type", "minor_nc",
	    "criterion", "A.5.15", "statement", "No access reviews",
	    "auditor", "alice", "evidence", "kind", "record", "description",
	    "Access review log Q3"));
	post("findings", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[{s:s, s:s}]}", "id", x->fb, "audit", x->b, "type", "major_nc",
	    "criterion", "A.8.13", "statement", "No backups", "auditor",
	    x->bob, "evidence", "kind", "interview", "description",
	    "IT manager"));
}

/* An open action id on finding f, due due. */
static void
fd_action(const char *id, const char *f, const char *due)
{
	post("actions", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
	    id, "finding", f, "correction", "Fixed at once", "root_cause",
	    "No owner", "action", "Quarterly review", "owner", "IT manager",
	    "due", due));
}

void
findings_roles(void)
{
	struct fd	 x;
	struct resp	 r;
	char		 path[160], body[512], ca[64], cb[64], mine[64];

	fd_setup(&x);
	fd_action(fresh("fd-ca", ca, sizeof ca), x.fa, "2027-12-01");
	fd_action(fresh("fd-cb", cb, sizeof cb), x.fb, "2027-12-01");

	/* The audit she is not on, and its findings: not there. */
	snprintf(path, sizeof path, "/v1/audits/%s", x.b);
	comp_expect("alice", "GET", path, NULL, 404, "not-found");
	snprintf(path, sizeof path, "/v1/findings/%s", x.fb);
	comp_expect("alice", "GET", path, NULL, 404, "not-found");
	comp_expect("alice", "PATCH", path, "{\"notes\":\"x\"}", 404,
	    "not-found");
	snprintf(path, sizeof path, "/v1/actions/%s", cb);
	comp_expect("alice", "GET", path, NULL, 404, "not-found");
	/* Her audit's: there. */
	snprintf(path, sizeof path, "/v1/findings/%s", x.fa);
	comp_expect("alice", "GET", path, NULL, 200, NULL);
	snprintf(path, sizeof path, "/v1/actions/%s", ca);
	comp_expect("alice", "GET", path, NULL, 200, NULL);
	/* Lists and exports alike. */
	snprintf(path, sizeof path, "/v1/findings?limit=1000");
	client_http(&r, "alice", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), x.fa) != NULL);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), x.fb) == NULL);
	client_resp_free(&r);
	snprintf(path, sizeof path, "/v1/findings?audit=%s", x.b);
	client_http(&r, "alice", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_array_size(json_object_get(r.json, "items")) == 0);
	client_resp_free(&r);
	snprintf(path, sizeof path, "/v1/actions?finding=%s", x.fa);
	client_http(&r, "alice", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_find(json_object_get(r.json, "items"), ca) != NULL);
	client_resp_free(&r);
	client_http(&r, "alice", "GET", "/v1/export/findings", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(r.body != NULL && strstr(r.body, x.fa) != NULL &&
	    strstr(r.body, x.fb) == NULL);
	client_resp_free(&r);
	client_http(&r, "alice", "GET", "/v1/export/actions", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(r.body != NULL && strstr(r.body, ca) != NULL &&
	    strstr(r.body, cb) == NULL);
	client_resp_free(&r);

	/* She records on her audit as herself, her auditor the default. */
	snprintf(body, sizeof body, "{\"id\":\"%s\",\"audit\":\"%s\","
	    "\"type\":\"ofi\",\"criterion\":\"9.2\",\"statement\":\"x\"}",
	    fresh("fd-m", mine, sizeof mine), x.a);
	client_http(&r, "alice", "POST", "/v1/findings", body, NULL);
	EXPECT_STATUS(&r, 201);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "auditor"), "alice");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "status"), "open");
	client_resp_free(&r);
	/* Not as another. */
	snprintf(body, sizeof body, "{\"audit\":\"%s\",\"type\":\"ofi\","
	    "\"criterion\":\"9.2\",\"statement\":\"x\",\"auditor\":\"%s\"}",
	    x.a, x.bob);
	client_http(&r, "alice", "POST", "/v1/findings", body, NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/auditor"));
	client_resp_free(&r);
	/* Not on an audit she is not on: as if it did not exist. */
	snprintf(body, sizeof body, "{\"audit\":\"%s\",\"type\":\"ofi\","
	    "\"criterion\":\"9.2\",\"statement\":\"x\"}", x.b);
	client_http(&r, "alice", "POST", "/v1/findings", body, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	/* A teammate's finding she reads but does not change. */
	snprintf(path, sizeof path, "/v1/findings/%s", x.fa);
	snprintf(body, sizeof body, "{\"auditor\":\"%s\"}", x.bob);
	comp_expect("admin", "PATCH", path, body, 200, NULL);
	comp_expect("alice", "PATCH", path, "{\"notes\":\"x\"}", 403,
	    "forbidden");
	/* Actions: she may not verify one, nor change any. */
	snprintf(path, sizeof path, "/v1/actions/%s", ca);
	comp_expect("alice", "PATCH", path, "{\"status\":\"implemented\","
	    "\"implementation\":\"x\"}", 403, "forbidden");
	comp_expect("alice", "PATCH", path, "{\"status\":\"verified_effective\","
	    "\"verification\":{\"by\":\"alice\",\"date\":\"2027-10-01\","
	    "\"result\":\"ok\",\"evidence\":\"log\"}}", 403, "forbidden");
	/* HR reads findings and writes none. */
	snprintf(path, sizeof path, "/v1/findings/%s", x.fb);
	comp_expect("hr", "GET", path, NULL, 200, NULL);
	comp_expect("hr", "PATCH", path, "{\"notes\":\"x\"}", 403,
	    "forbidden");
	comp_expect("manager", "PATCH", path, "{\"notes\":\"x\"}", 200, NULL);
}

void
findings_lifecycle(void)
{
	struct fd	 x;
	struct resp	 r;
	char		 path[160], c[64], link[256], want[160];
	const char	*verif = "{\"status\":\"not_effective\",\"verification\":"
	    "{\"by\":\"Lead auditor\",\"date\":\"2027-10-01\",\"result\":"
	    "\"still missing\",\"evidence\":\"Q3 log\"}}";

	fd_setup(&x);
	fd_action(fresh("fd-c", c, sizeof c), x.fa, "2027-12-01");
	snprintf(path, sizeof path, "/v1/actions/%s", c);
	/* 409 for a transition, 422 for what it lacks. */
	client_http(&r, "manager", "PATCH", path, "{\"status\":\"closed\"}",
	    NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	CU_ASSERT(client_detail_has(&r, "from open to closed"));
	client_resp_free(&r);
	client_http(&r, "manager", "PATCH", path,
	    "{\"status\":\"implemented\"}", NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/implementation"));
	client_resp_free(&r);
	comp_expect("manager", "PATCH", path, "{\"status\":\"implemented\","
	    "\"implementation\":\"Owner named\"}", 200, NULL);
	client_http(&r, "manager", "PATCH", path, "{\"status\":"
	    "\"verified_effective\",\"verification\":{\"by\":\"IT manager\","
	    "\"date\":\"2027-10-01\",\"result\":\"ok\",\"evidence\":\"log\"}}",
	    NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/verification/by"));
	client_resp_free(&r);
	/* Not effective: the changed action, and a Link to its follow-up. */
	client_http(&r, "manager", "PATCH", path, verif, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "status"), "not_effective");
	CU_ASSERT(client_header(&r, "Link", link, sizeof link));
	CU_ASSERT(strncmp(link, "</v1/actions/", 13) == 0 &&
	    strstr(link, ">; rel=\"related\"") != NULL);
	client_resp_free(&r);
	snprintf(want, sizeof want, "%.*s", (int)strcspn(link + 1, ">"),
	    link + 1);
	client_http(&r, "alice", "GET", want, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "follows"), c);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "status"), "open");
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "due"), "2027-12-01");
	client_resp_free(&r);
	/* The nonconformity stays open while the follow-up is. */
	snprintf(path, sizeof path, "/v1/findings/%s", x.fa);
	client_http(&r, "manager", "PATCH", path, "{\"status\":\"closed\"}",
	    NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	CU_ASSERT(client_detail_has(&r, "is not_effective"));
	client_resp_free(&r);
	/* A nonconformity without evidence is refused. */
	client_http(&r, "manager", "PATCH", path, "{\"evidence\":[]}", NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/evidence"));
	client_resp_free(&r);
	/* Actions only on nonconformities. */
	comp_expect("manager", "PATCH", path, "{\"type\":\"observation\"}",
	    200, NULL);
	client_json(&r, "manager", "POST", "/v1/actions", json_pack("{s:s, "
	    "s:s, s:s, s:s}", "finding", x.fa, "action", "x", "owner", "o",
	    "due", "2027-12-01"), NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/finding"));
	client_resp_free(&r);
}

/* The report: past due, open or implemented, oldest first, by team. */
void
findings_overdue(void)
{
	struct fd	 x;
	struct resp	 r;
	json_t		*items, *it;
	char		 c1[64], c2[64], c3[64], path[160];
	size_t		 i;
	int		 seen1 = 0, seen2 = 0, seen3 = 0, pos1 = -1, pos2 = -1;

	fd_setup(&x);
	fd_action(fresh("fd-o", c1, sizeof c1), x.fa, "2020-01-02");
	fd_action(fresh("fd-o", c2, sizeof c2), x.fb, "2020-01-01");
	fd_action(fresh("fd-o", c3, sizeof c3), x.fa, "2099-01-01");
	snprintf(path, sizeof path, "/v1/actions/%s", c2);
	comp_expect("manager", "PATCH", path, "{\"status\":\"implemented\","
	    "\"implementation\":\"x\"}", 200, NULL);
	client_http(&r, "manager", "GET", "/v1/reports/actions-overdue", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_str(&r, "as_of") != NULL);
	items = json_object_get(r.json, "items");
	json_array_foreach(items, i, it) {
		if (strcmp(client_sv(it, "id"), c1) == 0) {
			seen1 = 1;
			pos1 = (int)i;
			CU_ASSERT_STRING_EQUAL(client_sv(it, "audit"), x.a);
			CU_ASSERT_STRING_EQUAL(client_sv(it, "finding"), x.fa);
			CU_ASSERT_STRING_EQUAL(client_sv(it, "owner"),
			    "IT manager");
			CU_ASSERT_STRING_EQUAL(client_sv(it, "due"),
			    "2020-01-02");
			CU_ASSERT_STRING_EQUAL(client_sv(it, "status"), "open");
			CU_ASSERT(json_integer_value(json_object_get(it,
			    "days")) >= 1);
		}
		if (strcmp(client_sv(it, "id"), c2) == 0) {
			seen2 = 1;
			pos2 = (int)i;
			CU_ASSERT_STRING_EQUAL(client_sv(it, "status"),
			    "implemented");
		}
		if (strcmp(client_sv(it, "id"), c3) == 0)
			seen3 = 1;
	}
	CU_ASSERT(seen1 && seen2 && !seen3);
	CU_ASSERT(pos2 < pos1);
	client_resp_free(&r);
	comp_expect("manager", "GET", "/v1/reports/actions-overdue?x=1", NULL,
	    400, "bad-request");
	/* alice: her audit's alone. */
	client_http(&r, "alice", "GET", "/v1/reports/actions-overdue", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	items = json_object_get(r.json, "items");
	CU_ASSERT(client_find(items, c1) != NULL);
	CU_ASSERT(client_find(items, c2) == NULL);
	client_resp_free(&r);
}

/* p's stderr holds text; prints it otherwise. */
static int
err_has(const struct proc *p, const char *text)
{
	if (p->err != NULL && strstr(p->err, text) != NULL)
		return 1;
	fprintf(stderr, "\nstderr lacks \"%s\": %s\n", text, p->err != NULL ?
	    p->err : "");
	return 0;
}

/* auditorctl finding and action: exit 0, 2 (before a request), 3. */
void
findings_cli(void)
{
	struct fd	 x;
	struct proc	 p;
	json_t		*j;
	char		 f[64], c[64], c2[64];

	fd_setup(&x);
	fresh("fd-cf", f, sizeof f);
	fresh("fd-cc", c, sizeof c);
	/* alice, on the team, as herself. */
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "--json", "finding", "add",
	    "--id", f, "--audit", x.a, "--type", "minor_nc", "--criterion",
	    "A.5.15", "--statement", "Access reviews not done", "--evidence",
	    "record:Access review log Q3, 25 of 25 sampled", "--evidence",
	    "interview:IT manager", NULL), 0);
	j = p.out != NULL ? json_loads(p.out, 0, NULL) : NULL;
	CU_ASSERT_STRING_EQUAL(client_sv(j, "auditor"), "alice");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "evidence")), 2);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(json_object_get(j,
	    "evidence"), 0), "description"),
	    "Access review log Q3, 25 of 25 sampled");
	json_decref(j);
	harness_proc_free(&p);
	/* A kind the schema does not name: a usage error. */
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "finding", "add", "--audit",
	    x.a, "--type", "minor_nc", "--criterion", "A.5.15", "--statement",
	    "x", "--evidence", "rumour:heard it", NULL), 2);
	CU_ASSERT(err_has(&p, "kind 'rumour' is not one of: interview, "
	    "observation, record"));
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "finding", "add", "--audit",
	    x.a, "--type", "minor_nc", "--criterion", "A.5.15", "--statement",
	    "x", "--evidence", "no colon", NULL), 2);
	harness_proc_free(&p);
	/* Another audit's: refused by the server. */
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "finding", "add", "--audit",
	    x.b, "--type", "ofi", "--criterion", "A.5.15", "--statement", "x",
	    NULL), 3);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "finding", "show", x.fb,
	    NULL), 3);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "finding", "list", "--audit",
	    x.a, NULL), 0);
	CU_ASSERT(p.out != NULL && strstr(p.out, f) != NULL);
	harness_proc_free(&p);
	/* The manager's actions on it. */
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "add", "--id", c,
	    "--finding", f, "--correction", "Reviewed now", "--root-cause",
	    "No owner", "--action", "Quarterly review", "--owner",
	    "IT manager", "--due", "2027-05-01", NULL), 0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "add",
	    "--finding", f, "--action", "x", "--owner", "o", "--due",
	    "2027-13-01", NULL), 2);
	harness_proc_free(&p);
	/* Not yet implemented: verify is refused. */
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "verify", c,
	    "--by", "Lead auditor", "--date", "2027-06-01", "--result", "ok",
	    "--evidence", "log", "--effective", NULL), 3);
	CU_ASSERT(err_has(&p, "from open to verified_effective"));
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "implement", c,
	    "--implementation", "Owner named", "--on", "2027-04-10", NULL), 0);
	harness_proc_free(&p);
	/* One verdict exactly. */
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "verify", c,
	    "--by", "Lead auditor", "--date", "2027-06-01", "--result", "ok",
	    "--evidence", "log", NULL), 2);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "verify", c,
	    "--by", "Lead auditor", "--date", "2027-06-01", "--result", "ok",
	    "--evidence", "log", "--effective", "--not-effective", NULL), 2);
	harness_proc_free(&p);
	/* The owner does not verify their own action. */
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "verify", c,
	    "--by", "IT manager", "--date", "2027-06-01", "--result", "ok",
	    "--evidence", "log", "--effective", NULL), 3);
	CU_ASSERT(err_has(&p, "/verification/by"));
	harness_proc_free(&p);
	/* alice may not verify. */
	CU_ASSERT_EQUAL(client_ctl(&p, "alice", "action", "verify", c,
	    "--by", "alice", "--date", "2027-06-01", "--result", "ok",
	    "--evidence", "log", "--effective", NULL), 3);
	harness_proc_free(&p);
	/* Not effective: the follow-up is named. */
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "verify", c,
	    "--by", "Lead auditor", "--date", "2027-06-01", "--result",
	    "still missing", "--evidence", "log", "--not-effective", NULL), 0);
	CU_ASSERT(err_has(&p, "follow-up action "));
	snprintf(c2, sizeof c2, "%s", p.err != NULL && strstr(p.err,
	    "follow-up action ") != NULL ? strstr(p.err, "follow-up action ") +
	    17 : "");
	c2[strcspn(c2, " \n")] = '\0';
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "finding", "close", f,
	    NULL), 3);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "close", c, NULL),
	    0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "implement", c2,
	    "--implementation", "Review owner trained", NULL), 0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "verify", c2,
	    "--by", "Lead auditor", "--date", "2027-09-01", "--result", "ok",
	    "--evidence", "Q3 log", "--effective", NULL), 0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "finding", "close", f,
	    NULL), 0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "list",
	    "--finding", f, NULL), 0);
	CU_ASSERT(p.out != NULL && strstr(p.out, c2) != NULL &&
	    strstr(p.out, "verified_effective") != NULL);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(client_ctl(&p, "manager", "action", "delete", c,
	    NULL), 3);
	harness_proc_free(&p);
}
