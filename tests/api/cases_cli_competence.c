/*
 * cases_cli_competence.c: the competence nouns through the real auditorctl
 * against the real daemon: qualification, training, evaluation and
 * declaration add/list/show/edit/delete and verify, checked against what
 * curl sees; usage errors (exit 2, nothing sent), refusals (exit 3), and
 * role auditor's own training. The auditor alice, her principal p-alice
 * (certificate alice), p-hr and p-manager come from cases_principal(),
 * called by each case for those it uses; the areas are the seeded ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

/* GET path as admin: its JSON (new reference), NULL unless 200. */
static json_t *
server_doc(const char *path)
{
	struct resp	 r;
	json_t		*j = NULL;

	if (client_http(&r, "admin", "GET", path, NULL, NULL) == 200)
		j = json_incref(r.json);
	client_resp_free(&r);
	return j;
}

/* The number of items GET path (a list) answers admin, or -1. */
static long
server_count(const char *path)
{
	json_t	*j = server_doc(path);
	long	 n = json_is_array(json_object_get(j, "items")) ?
		    (long)json_array_size(json_object_get(j, "items")) : -1;

	json_decref(j);
	return n;
}

/* 1 if stderr names what; prints it otherwise. */
static int
err_has(const struct proc *p, const char *what)
{
	if (p->err != NULL && strstr(p->err, what) != NULL)
		return 1;
	printf("\n  ** want \"%s\" on stderr: %.1500s\n", what,
	    p->err ? p->err : "");
	return 0;
}

/*
 * Exit 2 and nothing sent: each command line here would make a record
 * with its id if it reached the server.
 */
void
cli_competence_usage(void)
{
	struct proc	 p;
	long		 before = server_count("/v1/trainings");

	CU_ASSERT_FATAL(before >= 0);
	CTL(&p, "admin", "training", "add", "--id", "clic-u1", "--title",
	    "T", "--hours", "2", "--date", "2026-10-01");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(err_has(&p, "missing required option --auditor"));
	CU_ASSERT(p.outlen == 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "training", "add", "--id", "clic-u1", "--auditor",
	    "alice", "--title", "T", "--hours", "7.5h", "--date",
	    "2026-10-01");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(err_has(&p, "--hours: '7.5h' is not a number"));
	harness_proc_free(&p);
	CTL(&p, "admin", "training", "add", "--id", "clic-u1", "--auditor",
	    "alice", "--title", "T", "--hours", "1", "--date", "2026-10-01",
	    "--cpd", "--no-cpd");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CU_ASSERT(server_count("/v1/trainings") == before);
	CU_ASSERT(cases_rev("/v1/trainings/clic-u1") == -1);

	CTL(&p, "admin", "qualification", "add", "--id", "clic-u2",
	    "--auditor", "alice", "--kind", "lead_auditor", "--title", "T",
	    "--issued", "2025-03-01");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(err_has(&p, "--kind: 'lead_auditor' is not one of: "
	    "auditor_certificate, lead_auditor_certificate, education, "
	    "work_experience, other"));
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/qualifications/clic-u2") == -1);

	CTL(&p, "admin", "evaluation", "add", "--id", "clic-u3", "--auditor",
	    "alice", "--date", "2026-06-01", "--method", "observation",
	    "--result", "meets", "--assessed", "isms-standards:master");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(err_has(&p, "--assessed: level 'master' is not one of: "
	    "awareness, competent, expert"));
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/evaluations/clic-u3") == -1);

	CTL(&p, "admin", "declaration", "list", "--from", "2026-02-30");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(err_has(&p, "--from: '2026-02-30' is not a date"));
	CU_ASSERT(p.outlen == 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "training", "list", "--from", "2026-12-01", "--to",
	    "2026-01-01");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CTL(&p, "admin", "auditor", "status", "alice", "--on", "today");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
}

/* clic-q1 in lists: its filters and dates (issued, both days in). */
static void
qualification_lists(void)
{
	struct proc	 p;
	json_t		*j;
	char		 v[256];

	CTL(&p, "hr", "qualification", "list", "--auditor", "alice");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "clic-q1", "alice",
	    "lead_auditor_certificate", "2025-03-01", "2028-03-01", "false",
	    NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "--json", "qualification", "list", "--from",
	    "2025-03-01", "--to", "2025-03-01", "--kind",
	    "lead_auditor_certificate");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(client_find(cli_json_list(j), "clic-q1") != NULL);
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "hr", "--json", "qualification", "list", "--from",
	    "2025-03-02");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(j != NULL && client_find(cli_json_list(j), "clic-q1") ==
	    NULL);
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "hr", "--csv", "qualification", "list", "--auditor", "alice");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "clic-q1", "standard", v, sizeof v) &&
	    strcmp(v, "ISO/IEC 27001") == 0);
	harness_proc_free(&p);
}

void
cli_qualification(void)
{
	struct proc	 p;
	json_t		*j;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("manager"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	CTL(&p, "hr", "qualification", "add", "--id", "clic-q1", "--auditor",
	    "alice", "--kind", "lead_auditor_certificate", "--standard",
	    "ISO/IEC 27001", "--title", "ISO/IEC 27001 Lead Auditor",
	    "--issuer", "PECB", "--issued", "2025-03-01", "--expires",
	    "2028-03-01", "--area", "isms-standards", "--area",
	    "risk-management");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "clic-q1", NULL));
	harness_proc_free(&p);
	j = server_doc("/v1/qualifications/clic-q1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "kind"), "lead_auditor_certificate");
	CU_ASSERT_STRING_EQUAL(client_sv(j, "issuer"), "PECB");
	CU_ASSERT_STRING_EQUAL(client_sv(j, "expires"), "2028-03-01");
	CU_ASSERT_STRING_EQUAL(client_s(json_array_get(json_object_get(j,
	    "areas"), 1)), "risk-management");
	CU_ASSERT(json_is_false(json_object_get(j, "verified")));
	json_decref(j);

	qualification_lists();

	CTL(&p, "hr", "--json", "qualification", "show", "clic-q1");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "title"),
	    "ISO/IEC 27001 Lead Auditor");
	json_decref(j);
	harness_proc_free(&p);

	/* '' removes expires: it no longer expires. */
	CTL(&p, "hr", "qualification", "edit", "clic-q1", "--expires", "",
	    "--number", "L-42");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/qualifications/clic-q1");
	CU_ASSERT(j != NULL && json_object_get(j, "expires") == NULL);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "number"), "L-42");
	json_decref(j);

	/* HR verifies; the server says who and when. */
	CTL(&p, "hr", "qualification", "verify", "clic-q1");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/qualifications/clic-q1");
	CU_ASSERT(json_is_true(json_object_get(j, "verified")));
	CU_ASSERT_STRING_EQUAL(client_sv(j, "verified_by"), "p-hr");
	CU_ASSERT(strlen(client_sv(j, "verified_on")) == 10);
	json_decref(j);
	/* The manager may not verify: a refusal, exit 3. */
	CTL(&p, "manager", "qualification", "verify", "clic-q1");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	CTL(&p, "hr", "qualification", "delete", "clic-q1");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.outlen == 0);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/qualifications/clic-q1") == -1);
	CTL(&p, "hr", "qualification", "show", "clic-q1");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
}

void
cli_training(void)
{
	struct proc	 p;
	json_t		*j;
	char		 v[64];

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	CTL(&p, "hr", "training", "add", "--id", "clic-t1", "--auditor",
	    "alice", "--title", "Annex A 2022 controls", "--hours", "7.5",
	    "--date", "2026-10-01", "--cpd", "--category",
	    "information_security");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CTL(&p, "hr", "training", "add", "--id", "clic-t2", "--auditor",
	    "alice", "--title", "Team lunch", "--hours", "1.25", "--date",
	    "2026-10-02", "--no-cpd");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/trainings/clic-t1");
	CU_ASSERT(json_real_value(json_object_get(j, "hours")) == 7.5);
	CU_ASSERT(json_is_true(json_object_get(j, "cpd")));
	CU_ASSERT(json_is_false(json_object_get(j, "verified")));
	json_decref(j);
	j = server_doc("/v1/trainings/clic-t2");
	CU_ASSERT(json_is_false(json_object_get(j, "cpd")));
	json_decref(j);

	/* Server refusals: an auditor who does not exist, a third decimal. */
	CTL(&p, "hr", "training", "add", "--id", "clic-t3", "--auditor",
	    "no-such-auditor", "--title", "T", "--hours", "1", "--date",
	    "2026-10-01");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "/auditor"));
	harness_proc_free(&p);
	CTL(&p, "hr", "training", "add", "--id", "clic-t3", "--auditor",
	    "alice", "--title", "T", "--hours", "7.125", "--date",
	    "2026-10-01");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "/hours: has more than two decimals"));
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/trainings/clic-t3") == -1);

	/* Columns ID, AUDITOR, DATE, HOURS, CPD, VERIFIED, TITLE. */
	CTL(&p, "hr", "training", "list", "--auditor", "alice", "--from",
	    "2026-10-01", "--to", "2026-10-01");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "clic-t1\talice\t2026-10-01\t7.5\ttrue\t"
	    "false\tAnnex A 2022 controls", NULL));
	CU_ASSERT(strstr(p.out, "clic-t2") == NULL);
	harness_proc_free(&p);
	CTL(&p, "hr", "--csv", "training", "list", "--category",
	    "information_security");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "clic-t1", "hours", v, sizeof v) &&
	    strcmp(v, "7.5") == 0);
	harness_proc_free(&p);

	CTL(&p, "hr", "training", "verify", "clic-t1");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "verified_by", "p-hr", NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "training", "edit", "clic-t2", "--cpd", "true",
	    "--hours", "2");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/trainings/clic-t2");
	CU_ASSERT(json_is_true(json_object_get(j, "cpd")));
	CU_ASSERT(json_number_value(json_object_get(j, "hours")) == 2);
	json_decref(j);

	CTL(&p, "hr", "training", "delete", "clic-t1");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CTL(&p, "hr", "training", "delete", "clic-t2");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/trainings/clic-t1") == -1);
	CU_ASSERT(cases_rev("/v1/trainings/clic-t2") == -1);
}

void
cli_evaluation(void)
{
	struct proc	 p;
	json_t		*j, *as;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	CTL(&p, "hr", "evaluation", "add", "--id", "clic-e1", "--auditor",
	    "alice", "--date", "2026-06-01", "--method", "observation",
	    "--result", "meets", "--assessed", "isms-standards:expert",
	    "--assessed", "legislation:competent", "--next-due",
	    "2027-06-01");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/evaluations/clic-e1");
	as = json_object_get(j, "assessed");
	CU_ASSERT(json_array_size(as) == 2);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(as, 0), "area"),
	    "isms-standards");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(as, 0), "level"),
	    "expert");
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(as, 1), "level"),
	    "competent");
	CU_ASSERT_STRING_EQUAL(client_sv(j, "next_due"), "2027-06-01");
	json_decref(j);

	/* next_due before date: the server's rule, exit 3. */
	CTL(&p, "hr", "evaluation", "edit", "clic-e1", "--next-due",
	    "2026-01-01");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	CTL(&p, "hr", "evaluation", "list", "--result", "meets", "--from",
	    "2026-06-01");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "clic-e1", "observation", "meets",
	    "2027-06-01", NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "evaluation", "show", "clic-e1");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "assessed", "isms-standards", NULL));
	harness_proc_free(&p);

	CTL(&p, "hr", "evaluation", "edit", "clic-e1", "--assessed", "",
	    "--evaluator", "Eve");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/evaluations/clic-e1");
	CU_ASSERT(j != NULL && json_object_get(j, "assessed") == NULL);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "evaluator"), "Eve");
	json_decref(j);

	CTL(&p, "hr", "evaluation", "delete", "clic-e1");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/evaluations/clic-e1") == -1);
}

void
cli_declaration(void)
{
	struct proc	 p;
	json_t		*j;
	char		 v[64];

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	CTL(&p, "hr", "declaration", "add", "--id", "clic-d1", "--auditor",
	    "alice", "--party", "Finance", "--kind", "consultancy", "--from",
	    "2024-01-01", "--until", "2025-06-30");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/declarations/clic-d1");
	CU_ASSERT_STRING_EQUAL(client_sv(j, "until"), "2025-06-30");
	json_decref(j);

	/* until before from: the server's rule, exit 3. */
	CTL(&p, "hr", "declaration", "edit", "clic-d1", "--until",
	    "2023-12-31");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	CTL(&p, "hr", "declaration", "list", "--kind", "consultancy",
	    "--auditor", "alice", "--to", "2024-01-01");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "clic-d1\talice\tconsultancy\t"
	    "2024-01-01\t2025-06-30\tFinance", NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "--csv", "declaration", "list", "--from", "2024-01-02");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(strstr(p.out, "clic-d1") == NULL);
	harness_proc_free(&p);

	/* --until '' on edit: the interest goes on. */
	CTL(&p, "hr", "declaration", "edit", "clic-d1", "--until", "");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/declarations/clic-d1");
	CU_ASSERT(j != NULL && json_object_get(j, "until") == NULL);
	json_decref(j);
	CTL(&p, "hr", "--csv", "declaration", "show", "clic-d1");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "clic-d1", "party", v, sizeof v) &&
	    strcmp(v, "Finance") == 0);
	harness_proc_free(&p);

	CTL(&p, "hr", "declaration", "delete", "clic-d1");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/declarations/clic-d1") == -1);
}

/* Role auditor records their own training: stored unverified. */
void
cli_own_training(void)
{
	struct proc	 p;
	json_t		*j;

	CU_ASSERT_FATAL(cases_principal("alice"));
	CU_ASSERT_FATAL(cases_principal("hr"));
	/* Another auditor, this case's own. */
	CU_ASSERT_FATAL(cases_make_auditor("clic-oth", "Other"));
	CTL(&p, "alice", "training", "add", "--id", "clic-own", "--auditor",
	    "alice", "--title", "Self-study", "--hours", "3", "--date",
	    "2026-09-01");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	j = server_doc("/v1/trainings/clic-own");
	CU_ASSERT_PTR_NOT_NULL(j);
	CU_ASSERT(json_is_false(json_object_get(j, "verified")));
	CU_ASSERT(json_object_get(j, "verified_by") == NULL);
	json_decref(j);

	/* Not for another auditor, not verified by themselves. */
	CTL(&p, "alice", "training", "add", "--id", "clic-other", "--auditor",
	    "clic-oth", "--title", "T", "--hours", "1", "--date", "2026-09-01");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/trainings/clic-other") == -1);
	CTL(&p, "alice", "training", "add", "--id", "clic-self", "--auditor",
	    "alice", "--title", "T", "--hours", "1", "--date", "2026-09-01",
	    "--verified");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/trainings/clic-self") == -1);
	CTL(&p, "alice", "training", "verify", "clic-own");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	/* Their own list holds it. */
	CTL(&p, "alice", "training", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "clic-own", "Self-study", NULL));
	harness_proc_free(&p);

	CTL(&p, "hr", "training", "delete", "clic-own");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
}
