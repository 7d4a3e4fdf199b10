/*
 * test_propose.c: who could audit and the smallest team that passes
 * (check/propose.h): the candidates' ranking and can_lead, their JSON; an
 * exact propose on a case where the greedy choice is not the smallest, the
 * fill up to min_team_size by lightest workload, and the reasons given
 * when no team exists. On hand-built stores (team-fx.h), where every
 * active auditor is one the test made.
 */
#include "team-fx.h"

#define AREAS_AF	"{\"required\":[" \
	"{\"area\":\"a\",\"level\":\"competent\"}," \
	"{\"area\":\"b\",\"level\":\"competent\"}," \
	"{\"area\":\"c\",\"level\":\"competent\"}," \
	"{\"area\":\"d\",\"level\":\"competent\"}," \
	"{\"area\":\"e\",\"level\":\"competent\"}," \
	"{\"area\":\"f\",\"level\":\"competent\"}]"

/* propose_team over audit into *pr. */
static void
propose(const char *audit, struct proposal *pr)
{
	struct check_plan	*p = tf_plan(audit);
	MDB_txn			*txn;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(propose_team(tf.st, txn, p, pr), STORE_OK);
	mdb_txn_abort(txn);
	free(p);
}

/* The team of pr as "lead:lee auditor:y ..." */
static void
expect_team(const struct proposal *pr, const char *want)
{
	char	got[1024] = "", one[128];
	size_t	i;

	for (i = 0; i < pr->n; i++) {
		snprintf(one, sizeof one, "%s%s:%s", i > 0 ? " " : "",
		    pr->team[i].auditor, assign_role_name(pr->team[i].role));
		strcat(got, one);
	}
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\nteam: %s\n", got);
	TF_STREQ(got, want);
}

/* pr found nothing and says exactly the reasons (NULL-ended). */
static void
expect_reasons(const struct proposal *pr, ...)
{
	va_list		 ap;
	const char	*s;
	size_t		 n = 0;

	CU_ASSERT_FALSE(pr->found);
	va_start(ap, pr);
	while ((s = va_arg(ap, const char *)) != NULL) {
		CU_ASSERT(n < pr->nreasons && strcmp(pr->reasons[n], s) == 0);
		if (n >= pr->nreasons || strcmp(pr->reasons[n], s) != 0)
			fprintf(stderr, "\nreason %zu: %s\n  want %s\n", n,
			    n < pr->nreasons ? pr->reasons[n] : "(none)", s);
		n++;
	}
	va_end(ap);
	CU_ASSERT_EQUAL(pr->nreasons, n);
}

/* The team of pr passes the team check. */
static void
expect_compliant(const char *audit, const struct proposal *pr)
{
	struct check_plan	*p = tf_plan(audit);
	struct check_verdict	 v;
	MDB_txn			*txn;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(check_team(tf.st, txn, p, pr->team, pr->n, &v),
	    STORE_OK);
	mdb_txn_abort(txn);
	CU_ASSERT_TRUE(v.compliant);
	CU_ASSERT_EQUAL(v.nwarnings, 0);
	check_verdict_free(&v);
	free(p);
}

/* aud on a new audit id of programme p over [start, end], as status. */
static void
busy(const char *id, const char *start, const char *end, const char *aud,
    const char *status, const char *audit_status)
{
	char	extra[64];

	snprintf(extra, sizeof extra, "{\"status\":\"%s\"}", audit_status);
	tf_audit(id, "IT", start, end, extra);
	tf_on_ok(id, aud, "auditor", status);
}

/*
 * Areas a..f: x is evidenced in a b c d, y in a b e, z in c d f, and the
 * only one who may lead, lee, in none. Greedy takes x first and then
 * needs both y and z; the smallest team is lee, y and z.
 */
static void
pool_xyz(void)
{
	tf_fit("lee", 1);
	tf_fit("x", 0);
	tf_areas("x", "a:competent b:competent c:competent d:competent");
	tf_fit("y", 0);
	tf_areas("y", "a:competent b:expert e:competent");
	tf_fit("z", 0);
	tf_areas("z", "c:competent d:competent f:expert");
}

static void
test_propose_exact(void)
{
	struct proposal	pr;

	tf_open();
	tf_begin();
	tf_audit("pr", "Finance", W_START, W_END, AREAS_AF "}");
	pool_xyz();
	tf_end();
	propose("pr", &pr);
	CU_ASSERT_TRUE(pr.found);
	CU_ASSERT_EQUAL(pr.passing, 4);
	CU_ASSERT_EQUAL(pr.nreasons, 0);
	expect_team(&pr, "lee:lead y:auditor z:auditor");
	expect_compliant("pr", &pr);

	/*
	 * A lead who brings areas himself: lex covers a b e, so lex and z
	 * are enough, and lex leads rather than lee.
	 */
	tf_fit("lex", 1);
	tf_areas("lex", "a:competent b:competent e:competent");
	propose("pr", &pr);
	expect_team(&pr, "lex:lead z:auditor");
	expect_compliant("pr", &pr);
	tf_close();
}

static void
test_propose_fill(void)
{
	struct proposal	pr;

	tf_open();
	tf_begin();
	tf_audit("pf", "Finance", W_START, W_END, AREAS_AF ","
	    "\"min_team_size\":5}");
	pool_xyz();
	/* Workloads within 2026: x 10 days, w1 3, w2 2; v fails cpd. */
	busy("b1", "2026-02-01", "2026-02-10", "x", "proposed", "planned");
	tf_fit("w1", 0);
	busy("b2", "2026-03-01", "2026-03-03", "w1", "proposed", "planned");
	tf_fit("w2", 0);
	busy("b3", "2026-03-10", "2026-03-11", "w2", "proposed", "planned");
	tf_fit("v", 0);
	tf_patch("trainings", "t.v", "{\"verified\":false}");
	tf_end();
	propose("pf", &pr);
	CU_ASSERT_TRUE(pr.found);
	CU_ASSERT_EQUAL(pr.passing, 6);
	/* The cover first, then the two lightest: lead first, then by id. */
	expect_team(&pr, "lee:lead w1:auditor w2:auditor y:auditor z:auditor");
	expect_compliant("pf", &pr);
	/* w1 busier than x now: x comes in instead. */
	tf_begin();
	busy("b4", "2026-04-01", "2026-04-10", "w1", "completed", "reported");
	tf_end();
	propose("pf", &pr);
	expect_team(&pr, "lee:lead w2:auditor x:auditor y:auditor z:auditor");
	/* Seven are more than pass: v's cpd is named. */
	tf_patch("audits", "pf", "{\"min_team_size\":7}");
	propose("pf", &pr);
	expect_reasons(&pr, "only 6 auditors pass cpd", "only 6 auditors pass "
	    "every member rule; the audit needs 7", NULL);
	CU_ASSERT_EQUAL(pr.passing, 6);
	tf_close();
}

static void
test_propose_reasons(void)
{
	struct proposal	pr;

	/* Nobody at all. */
	tf_open();
	tf_audit("rn", "Finance", W_START, W_END, NULL);
	propose("rn", &pr);
	expect_reasons(&pr, "there is no active auditor", NULL);
	CU_ASSERT_EQUAL(pr.passing, 0);
	/* With nothing required, one who may lead is the team. */
	tf_begin();
	tf_fit("abe", 0);
	tf_fit("lee", 1);
	tf_end();
	propose("rn", &pr);
	CU_ASSERT_TRUE(pr.found);
	expect_team(&pr, "lee:lead");
	tf_close();

	/* An area nobody active is evidenced in, then one who fails. */
	tf_open();
	tf_begin();
	tf_audit("rl", "Finance", W_START, W_END, "{\"required\":["
	    "{\"area\":\"legislation\",\"level\":\"competent\"}]}");
	tf_fit("lee", 1);
	tf_fit("abe", 0);
	tf_fit("sus", 0);
	tf_areas("sus", "legislation:expert");
	tf_patch("auditors", "sus", "{\"status\":\"suspended\"}");
	tf_end();
	propose("rl", &pr);
	expect_reasons(&pr, "no active auditor is evidenced at competent in "
	    "legislation", NULL);
	CU_ASSERT_EQUAL(pr.passing, 2);
	tf_begin();
	tf_fit("leg", 0);
	tf_areas("leg", "legislation:competent");
	tf_decl("d.leg", "leg", "Finance", "consultancy", "2025-01-01", NULL);
	tf_end();
	propose("rl", &pr);
	expect_reasons(&pr, "no auditor who passes every member rule is "
	    "evidenced at competent in legislation (leg fails independence)",
	    NULL);
	tf_close();

	/* Too few pass independence for a team of two. */
	tf_open();
	tf_begin();
	tf_audit("ri", "Finance", W_START, W_END, "{\"min_team_size\":2}");
	tf_fit("lee", 1);
	tf_fit("abe", 0);
	tf_decl("d.abe", "abe", "Finance", "employment", "2020-01-01",
	    "2025-01-01");
	tf_end();
	propose("ri", &pr);
	expect_reasons(&pr, "only 1 auditor passes independence for Finance",
	    "only 1 auditor passes every member rule; the audit needs 2", NULL);
	CU_ASSERT_EQUAL(pr.passing, 1);
	tf_close();

	/* Nobody may lead. */
	tf_open();
	tf_begin();
	tf_audit("rd", "Finance", W_START, W_END, NULL);
	tf_fit("abe", 0);
	tf_fit("ann", 0);
	/* A lead certificate without the experience. */
	tf_qual("ql.ann", "ann", "lead_auditor_certificate", STD, "2024-01-01",
	    NULL, 1, NULL);
	tf_end();
	propose("rd", &pr);
	expect_reasons(&pr, "none of the 2 auditors who pass every member rule "
	    "may lead (lead_qualification and lead_experience)", NULL);
	tf_close();

	/* A language nobody speaks, then only one who fails. */
	tf_open();
	tf_begin();
	tf_audit("rf", "Finance", W_START, W_END, "{\"language\":\"fr\"}");
	tf_fit("lee", 1);
	tf_fit("abe", 0);
	tf_end();
	propose("rf", &pr);
	expect_reasons(&pr, "no active auditor speaks fr", NULL);
	tf_begin();
	tf_fit("fran", 0);
	tf_patch("auditors", "fran", "{\"languages\":[\"fr\"]}");
	tf_patch("trainings", "t.fran", "{\"verified\":false}");
	tf_end();
	propose("rf", &pr);
	expect_reasons(&pr, "no auditor who passes every member rule speaks fr "
	    "(fran fails cpd)", NULL);
	/* Trained, fran makes the team. */
	tf_patch("trainings", "t.fran", "{\"verified\":true}");
	propose("rf", &pr);
	CU_ASSERT_TRUE(pr.found);
	expect_team(&pr, "lee:lead fran:auditor");
	expect_compliant("rf", &pr);
	tf_close();
}

/*
 * Fifty areas, each evidenced by one auditor only, and a lead who brings
 * none: no team of CHECK_TEAM_MAX covers them, and propose says so rather
 * than answer a team it cannot hold.
 */
static void
test_propose_too_many(void)
{
	struct proposal	 pr;
	json_t		*req = json_array(), *x;
	char		 id[16], a[32];
	int		 i;

	tf_open();
	tf_begin();
	tf_fit("lee", 1);
	for (i = 0; i < ROWS_AREAS_MAX; i++) {
		snprintf(id, sizeof id, "z%02d", i);
		tf_put("areas", id, json_pack("{s:s, s:s}", "title", id,
		    "kind", "sector"));
		json_array_append_new(req, json_pack("{s:s, s:s}", "area", id,
		    "level", "awareness"));
		snprintf(a, sizeof a, "%s:competent", id);
		snprintf(id, sizeof id, "n%02d", i);
		tf_fit(id, 0);
		tf_areas(id, a);
	}
	tf_end();
	x = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "programme", "p",
	    "auditee", "Finance", "type", "internal", "start", W_START, "end",
	    W_END, "required", req);
	tf_put("audits", "big", x);
	propose("big", &pr);
	CU_ASSERT(pr.n <= CHECK_TEAM_MAX);
	expect_reasons(&pr, "no team of at most 50 members covers every "
	    "required area", NULL);
	CU_ASSERT_EQUAL(pr.passing, 51);
	tf_close();
}

/* ---- candidates ---------------------------------------------------------- */

static const struct candidate *
cand(const struct candidates *cs, const char *aud)
{
	size_t	i;

	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].auditor, aud) == 0)
			return &cs->c[i];
	return NULL;
}

static void
test_candidates(void)
{
	struct check_plan	*p;
	struct candidates	 cs;
	const struct candidate	*c;
	MDB_txn			*txn;
	json_t			*j, *errors, *list, *e;
	char			 got[512] = "";
	size_t			 i;

	tf_open();
	tf_begin();
	tf_audit("cr", "Finance", W_START, W_END, "{\"required\":["
	    "{\"area\":\"a\",\"level\":\"competent\"},"
	    "{\"area\":\"b\",\"level\":\"competent\"},"
	    "{\"area\":\"c\",\"level\":\"competent\"}]}");
	/* On the team already: covers a, so only b and c are missing. */
	tf_fit("tom", 1);
	tf_areas("tom", "a:expert");
	tf_on_ok("cr", "tom", "lead", "proposed");
	tf_fit("ada", 1);
	tf_areas("ada", "b:competent c:competent");
	tf_fit("bea", 0);
	tf_areas("bea", "b:competent c:expert");
	tf_qual("ql.bea", "bea", "lead_auditor_certificate", STD, "2024-01-01",
	    NULL, 1, NULL);
	tf_fit("cyd", 0);
	tf_areas("cyd", "b:competent c:competent");
	/* 5 days in 2026, 2 of 4 within it, withdrawn and cancelled not. */
	busy("w1", "2026-02-01", "2026-02-05", "cyd", "proposed", "planned");
	busy("w2", "2025-12-30", "2026-01-02", "cyd", "completed", "reported");
	busy("w3", "2026-03-01", "2026-03-05", "cyd", "withdrawn", "planned");
	busy("w4", "2026-04-01", "2026-04-05", "cyd", "proposed", "cancelled");
	tf_fit("dan", 0);
	tf_areas("dan", "a:competent b:competent");
	tf_fit("eve", 0);
	tf_areas("eve", "a:competent");
	tf_fit("fay", 1);
	tf_areas("fay", "b:competent c:competent");
	tf_patch("trainings", "t.fay", "{\"verified\":false}");
	tf_fit("gus", 0);
	tf_areas("gus", "b:competent c:competent");
	tf_patch("trainings", "t.gus", "{\"verified\":false}");
	tf_eval("v.gus", "gus", "2026-02-01", "does_not_meet", NULL, NULL);
	tf_fit("hal", 0);
	tf_decl("d.hal", "hal", "Finance", "family", "2020-01-01", NULL);
	tf_fit("ret", 0);
	tf_areas("ret", "b:expert c:expert");
	tf_patch("auditors", "ret", "{\"status\":\"retired\"}");
	tf_end();

	p = tf_plan("cr");
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(candidates_find(tf.st, txn, p, 1, &cs),
	    STORE_OK);
	/*
	 * Passing first; then fewer failures; then more missing areas
	 * covered (dan's a is not missing); then lighter; then id.
	 */
	for (i = 0; i < cs.n; i++) {
		strcat(got, i > 0 ? " " : "");
		strcat(got, cs.c[i].auditor);
	}
	if (strcmp(got, "ada bea cyd dan eve fay hal gus") != 0)
		fprintf(stderr, "\nranked: %s\n", got);
	TF_STREQ(got, "ada bea cyd dan eve fay hal gus");
	CU_ASSERT_EQUAL(cs.missing, 0x6);
	CU_ASSERT_EQUAL(cs.all, 0x7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c = cand(&cs, "cyd"));
	CU_ASSERT_EQUAL(c->workload, 7);
	CU_ASSERT_EQUAL(c->covers, 2);
	CU_ASSERT_EQUAL(cand(&cs, "ada")->workload, 0);
	CU_ASSERT_EQUAL(cand(&cs, "dan")->covers, 1);
	CU_ASSERT_EQUAL(cand(&cs, "dan")->mask, 0x3);
	CU_ASSERT_EQUAL(cand(&cs, "eve")->covers, 0);
	/* can_lead: the lead rules only, whatever else fails. */
	CU_ASSERT_TRUE(cand(&cs, "ada")->can_lead);
	CU_ASSERT_FALSE(cand(&cs, "bea")->can_lead);
	CU_ASSERT_FALSE(cand(&cs, "cyd")->can_lead);
	CU_ASSERT_TRUE(cand(&cs, "fay")->can_lead);
	CU_ASSERT_EQUAL(cand(&cs, "fay")->nfailed, 1);
	CU_ASSERT_EQUAL(cand(&cs, "fay")->failed, 1u << CHECK_CPD);
	CU_ASSERT_EQUAL(cand(&cs, "gus")->failed, (1u << CHECK_CPD) |
	    (1u << CHECK_EVALUATION));
	CU_ASSERT_EQUAL(cand(&cs, "hal")->failed, 1u << CHECK_INDEPENDENCE);
	CU_ASSERT_PTR_NULL(cand(&cs, "tom"));
	CU_ASSERT_PTR_NULL(cand(&cs, "ret"));

	/* As JSON, in its schema's shape. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(j = candidates_json(tf.st, txn, p, &cs,
	    0, 100, "2026-05-01"));
	errors = json_array();
	CU_ASSERT_EQUAL(schema_validate(schema_builtin("candidates"), j,
	    errors, 10), 0);
	CU_ASSERT_EQUAL(json_array_size(errors), 0);
	json_decref(errors);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "missing")), 2);
	TF_STREQ(json_string_value(json_array_get(
	    json_object_get(j, "missing"), 0)), "b");
	CU_ASSERT(json_is_null(json_object_get(j, "next")));
	list = json_object_get(j, "candidates");
	CU_ASSERT_EQUAL(json_array_size(list), 8);
	e = json_array_get(list, 5);
	TF_STREQ(tf_str(e, "auditor"), "fay");
	CU_ASSERT(json_is_false(json_object_get(e, "passes")));
	CU_ASSERT(json_is_true(json_object_get(e, "can_lead")));
	CU_ASSERT_EQUAL(json_array_size(json_object_get(e, "failed")), 1);
	TF_STREQ(tf_str(json_array_get(json_object_get(e,
	    "failed"), 0), "rule"), "cpd");
	TF_STREQ(tf_str(json_array_get(json_object_get(e,
	    "failed"), 0), "detail"), "0 verified CPD hours from 2025-06-01 "
	    "to 2026-06-01; 20 needed");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(e, "covers")), 2);
	e = json_array_get(list, 2);
	TF_STREQ(tf_str(e, "auditor"), "cyd");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(e, "workload")), 7);
	json_decref(j);
	/* A page: two from the third, and where to go on. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(j = candidates_json(tf.st, txn, p, &cs,
	    2, 2, "2026-05-01"));
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "candidates")), 2);
	TF_STREQ(tf_str(json_array_get(json_object_get(j,
	    "candidates"), 0), "auditor"), "cyd");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "next")), 4);
	json_decref(j);
	candidates_free(&cs);

	/* For propose, the team that stands is among them. */
	CU_ASSERT_EQUAL_FATAL(candidates_find(tf.st, txn, p, 0, &cs),
	    STORE_OK);
	CU_ASSERT_PTR_NOT_NULL(cand(&cs, "tom"));
	CU_ASSERT_EQUAL(cs.n, 9);
	candidates_free(&cs);
	mdb_txn_abort(txn);
	free(p);
	tf_close();
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "propose: exact, not greedy", test_propose_exact },
		{ "propose: filled by lightest workload", test_propose_fill },
		{ "propose: why no team exists", test_propose_reasons },
		{ "propose: more needs than a team holds",
		    test_propose_too_many },
		{ "candidates: ranking, can_lead, JSON", test_candidates },
		{ NULL, NULL }
	};
	int	rc;

	rc = cu_run("propose", tests);
	schema_builtin_free();
	return rc;
}
