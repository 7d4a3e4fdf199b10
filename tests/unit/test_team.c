/*
 * test_team.c: the member rules that judge an auditor over an audit
 * (check/team.h: qualification and cpd over the audit's window and start,
 * evaluation, independence with cooling-off, own_unit, rotation,
 * availability, active, the lead rules and supervision), which rules each
 * role is judged by, the team rules (lead_count, team_size, coverage,
 * language), the warnings and the programme's policy overrides, on
 * hand-built stores (team-fx.h) with every edge worked out by hand.
 */
#include "team-fx.h"

/* ---- qualification, cpd, evaluation over the audit ----------------------- */

static void
test_qualification(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("q", "Finance", W_START, W_END, "{\"standard\":\"" STD "\"}");
	tf_audit("any", "Finance", W_START, W_END, NULL);
	tf_auditor("qa", "active", NULL, NULL);
	tf_qual("q.qa", "qa", "auditor_certificate", STD, "2024-01-01",
	    "2026-06-04", 1, NULL);
	tf_auditor("qb", "active", NULL, NULL);
	tf_qual("q.qb", "qb", "auditor_certificate", STD, "2024-01-01",
	    "2026-06-05", 1, NULL);
	tf_auditor("qc", "active", NULL, NULL);
	tf_qual("q.qc", "qc", "auditor_certificate", STD, "2026-06-02", NULL,
	    1, NULL);
	tf_auditor("qd", "active", NULL, NULL);
	tf_qual("q.qd", "qd", "auditor_certificate", STD, "2024-01-01", NULL,
	    0, NULL);
	tf_auditor("qe", "active", NULL, NULL);
	tf_qual("q.qe", "qe", "auditor_certificate", "ISO 9001", "2024-01-01",
	    NULL, 1, NULL);
	tf_auditor("qf", "active", NULL, NULL);
	tf_qual("q.qf", "qf", "lead_auditor_certificate", STD, W_START, NULL,
	    1, NULL);

	tf_end();
	/* Expiring the day before end fails; on end passes. */
	tf_expect(CHECK_QUALIFICATION, "qa", "q", 0, "no verified auditor or "
	    "lead auditor certificate for ISO/IEC 27001 valid from 2026-06-01 "
	    "to 2026-06-05; q.qa expires on 2026-06-04", NULL);
	tf_expect(CHECK_QUALIFICATION, "qb", "q", 1, "auditor_certificate q.qb "
	    "(ISO/IEC 27001) valid from 2026-06-01 to 2026-06-05, until "
	    "2026-06-05", "qualifications/q.qb", NULL);
	/* Issued the day after start fails; on start passes. */
	tf_expect(CHECK_QUALIFICATION, "qc", "q", 0, "no verified auditor or "
	    "lead auditor certificate for ISO/IEC 27001 valid from 2026-06-01 "
	    "to 2026-06-05; q.qc is valid from 2026-06-02", NULL);
	tf_expect(CHECK_QUALIFICATION, "qf", "q", 1, "lead_auditor_certificate "
	    "q.qf (ISO/IEC 27001) valid from 2026-06-01 to 2026-06-05, with no "
	    "expiry", "qualifications/q.qf", NULL);
	/* Unverified never counts; verified, it does. */
	tf_expect(CHECK_QUALIFICATION, "qd", "q", 0, "no verified auditor or "
	    "lead auditor certificate for ISO/IEC 27001 valid from 2026-06-01 "
	    "to 2026-06-05; q.qd is not verified", NULL);
	tf_patch("qualifications", "q.qd", "{\"verified\":true}");
	tf_expect(CHECK_QUALIFICATION, "qd", "q", 1, NULL,
	    "qualifications/q.qd", NULL);
	/* Another standard's certificate counts only where none is named. */
	tf_expect(CHECK_QUALIFICATION, "qe", "q", 0, "no verified auditor or "
	    "lead auditor certificate for ISO/IEC 27001 valid from 2026-06-01 "
	    "to 2026-06-05", NULL);
	tf_expect(CHECK_QUALIFICATION, "qe", "any", 1, "auditor_certificate "
	    "q.qe (ISO 9001) valid from 2026-06-01 to 2026-06-05, with no "
	    "expiry", "qualifications/q.qe", NULL);

	/* The team check says the same of a member, in its verdict. */
	tf_check(&c, "q", "qa:auditor qb:auditor");
	tf_result(tf_member(&c, "qa", CHECK_QUALIFICATION),
	    CHECK_QUALIFICATION, 0, "no verified auditor or lead auditor "
	    "certificate for ISO/IEC 27001 valid from 2026-06-01 to "
	    "2026-06-05; q.qa expires on 2026-06-04", NULL);
	CU_ASSERT_FALSE(tf_mv(&c, "qa")->compliant);
	CU_ASSERT_FALSE(c.v.compliant);
	TF_STREQ(tf_str(json_array_get(json_object_get(
	    json_array_get(json_object_get(c.j, "members"), 0), "checks"), 1),
	    "rule"), "qualification");
	CU_ASSERT(json_is_false(json_object_get(json_array_get(json_object_get(
	    json_array_get(json_object_get(c.j, "members"), 0), "checks"), 1),
	    "ok")));
	CU_ASSERT(json_is_true(json_object_get(json_array_get(json_object_get(
	    json_array_get(json_object_get(c.j, "members"), 1), "checks"), 1),
	    "ok")));
	tf_check_free(&c);
	tf_close();
}

static void
test_cpd(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_programme("p30", "{\"cpd\":{\"min_hours\":30}}");
	tf_audit("c", "Finance", W_START, W_END, NULL);
	tf_audit("c30", "Finance", W_START, W_END, "{\"programme\":\"p30\"}");
	/* The window is [2025-06-01, 2026-06-01]: both ends count. */
	tf_auditor("ca", "active", NULL, NULL);
	tf_training("t.ca", "ca", "2025-06-01", 20, 1);
	tf_auditor("cb", "active", NULL, NULL);
	tf_training("t.cb", "cb", "2025-05-31", 20, 1);
	tf_training("t2.cb", "cb", "2026-06-02", 20, 1);
	tf_auditor("cc", "active", NULL, NULL);
	tf_training("t.cc", "cc", "2026-03-01", 25, 0);
	tf_training("t2.cc", "cc", "2026-06-01", 10, 1);
	tf_end();
	tf_expect(CHECK_CPD, "ca", "c", 1, "20 verified CPD hours from "
	    "2025-06-01 to 2026-06-01; 20 needed", "trainings/t.ca", NULL);
	tf_expect(CHECK_CPD, "cb", "c", 0, "0 verified CPD hours from "
	    "2025-06-01 to 2026-06-01; 20 needed", NULL);
	tf_expect(CHECK_CPD, "cc", "c", 0, "10 verified CPD hours from "
	    "2025-06-01 to 2026-06-01; 20 needed", "trainings/t2.cc", NULL);
	tf_patch("trainings", "t.cc", "{\"verified\":true}");
	tf_expect(CHECK_CPD, "cc", "c", 1, "35 verified CPD hours from "
	    "2025-06-01 to 2026-06-01; 20 needed", "trainings/t.cc",
	    "trainings/t2.cc", NULL);

	/* The programme's policy: 30 hours make a 24-hour auditor fail. */
	tf_auditor("cd", "active", NULL, NULL);
	tf_training("t.cd", "cd", "2026-02-01", 24, 1);
	tf_expect(CHECK_CPD, "cd", "c", 1, NULL, "trainings/t.cd", NULL);
	tf_expect(CHECK_CPD, "cd", "c30", 0, "24 verified CPD hours from "
	    "2025-06-01 to 2026-06-01; 30 needed", "trainings/t.cd", NULL);

	/*
	 * Within 10% above the minimum warns: 20 and 21.99 hours do, 22 does
	 * not; a failed cpd and a technical expert's hours never warn.
	 */
	tf_auditor("ce", "active", NULL, NULL);
	tf_training("t.ce", "ce", "2026-02-01", 21.99, 1);
	tf_auditor("cf", "active", NULL, NULL);
	tf_training("t.cf", "cf", "2026-02-01", 22, 1);
	tf_auditor("cg", "active", NULL, NULL);
	tf_training("t.cg", "cg", "2026-02-01", 20, 1);
	tf_check(&c, "c", "ca:lead cb:auditor ce:auditor cf:auditor "
	    "cg:technical_expert");
	tf_result(tf_warning(&c, "ca", CHECK_CPD), CHECK_CPD, 1, "20 verified "
	    "CPD hours, within 10% of the 20 needed", "trainings/t.ca", NULL);
	tf_result(tf_warning(&c, "ce", CHECK_CPD), CHECK_CPD, 1, "21.99 "
	    "verified CPD hours, within 10% of the 20 needed", "trainings/t.ce",
	    NULL);
	CU_ASSERT_PTR_NULL(tf_warning(&c, "cf", CHECK_CPD));
	CU_ASSERT_PTR_NULL(tf_warning(&c, "cb", CHECK_CPD));
	CU_ASSERT_PTR_NULL(tf_warning(&c, "cg", CHECK_CPD));
	CU_ASSERT_EQUAL(c.v.nwarnings, 2);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(c.j, "warnings")), 2);
	TF_STREQ(tf_str(json_array_get(json_object_get(c.j,
	    "warnings"), 0), "rule"), "cpd");
	TF_STREQ(tf_str(json_array_get(json_object_get(c.j,
	    "warnings"), 0), "auditor"), "ca");
	tf_check_free(&c);
	/* Under 30 hours needed, 24 fails and 30 is within 10%. */
	tf_check(&c, "c30", "cd:lead");
	tf_result(tf_member(&c, "cd", CHECK_CPD), CHECK_CPD, 0, NULL,
	    "trainings/t.cd", NULL);
	CU_ASSERT_EQUAL(json_number_value(json_object_get(json_object_get(
	    json_object_get(c.j, "policy"), "cpd"), "min_hours")), 30);
	tf_check_free(&c);
	tf_close();
}

static void
test_evaluation(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("e", "Finance", W_START, W_END, NULL);
	/* Exactly 12 months old on start passes (due that very day). */
	tf_auditor("ea", "active", NULL, NULL);
	tf_eval("v.ea", "ea", "2025-06-01", "meets", NULL, NULL);
	tf_end();
	tf_expect(CHECK_EVALUATION, "ea", "e", 1, "the latest evaluation, v.ea "
	    "on 2025-06-01, meets the criteria; the next is due by 2026-06-01, "
	    "in 0 days", "evaluations/v.ea", NULL);
	/* A day older fails. */
	tf_auditor("eb", "active", NULL, NULL);
	tf_eval("v.eb", "eb", "2025-05-31", "meets", NULL, NULL);
	tf_expect(CHECK_EVALUATION, "eb", "e", 0, "the latest evaluation, v.eb "
	    "on 2025-05-31, is older than 12 months on 2026-06-01",
	    "evaluations/v.eb", NULL);
	/* next_due the day before start fails; on start passes. */
	tf_auditor("ec", "active", NULL, NULL);
	tf_eval("v.ec", "ec", "2026-01-10", "meets", "2026-05-31", NULL);
	tf_expect(CHECK_EVALUATION, "ec", "e", 0, "the latest evaluation, v.ec "
	    "on 2026-01-10, was due again by 2026-05-31", "evaluations/v.ec",
	    NULL);
	tf_auditor("ed", "active", NULL, NULL);
	tf_eval("v.ed", "ed", "2026-01-10", "meets", W_START, NULL);
	tf_expect(CHECK_EVALUATION, "ed", "e", 1, NULL, "evaluations/v.ed",
	    NULL);
	/* does_not_meet fails, however recent. */
	tf_auditor("ee", "active", NULL, NULL);
	tf_eval("v.ee", "ee", "2026-05-31", "does_not_meet", "2027-01-09",
	    NULL);
	tf_expect(CHECK_EVALUATION, "ee", "e", 0, "the latest evaluation, v.ee "
	    "on 2026-05-31, does not meet the criteria", "evaluations/v.ee",
	    NULL);
	/* partially_meets passes. */
	tf_auditor("ef", "active", NULL, NULL);
	tf_eval("v.ef", "ef", "2026-01-10", "partially_meets", "2027-01-09",
	    NULL);
	tf_expect(CHECK_EVALUATION, "ef", "e", 1, "the latest evaluation, v.ef "
	    "on 2026-01-10, partially meets the criteria; the next is due by "
	    "2027-01-09", "evaluations/v.ef", NULL);
	/* One after start is not yet; the one before it is the latest. */
	tf_auditor("eg", "active", NULL, NULL);
	tf_eval("v.eg", "eg", "2026-06-02", "meets", NULL, NULL);
	tf_expect(CHECK_EVALUATION, "eg", "e", 0, "no evaluation on or before "
	    "2026-06-01", NULL);
	tf_eval("v0.eg", "eg", "2026-01-10", "does_not_meet", NULL, NULL);
	tf_expect(CHECK_EVALUATION, "eg", "e", 0, NULL, "evaluations/v0.eg",
	    NULL);

	/* In the team check: partially_meets and due soon are warnings. */
	tf_check(&c, "e", "ea:lead ee:auditor ef:auditor");
	tf_result(tf_member(&c, "ef", CHECK_EVALUATION), CHECK_EVALUATION, 1,
	    NULL, "evaluations/v.ef", NULL);
	tf_result(tf_warning(&c, "ef", CHECK_EVALUATION), CHECK_EVALUATION, 1,
	    "the latest evaluation, v.ef on 2026-01-10, partially meets the "
	    "criteria; the next is due by 2027-01-09", "evaluations/v.ef",
	    NULL);
	tf_result(tf_warning(&c, "ea", CHECK_EVALUATION), CHECK_EVALUATION, 1,
	    NULL, "evaluations/v.ea", NULL);
	CU_ASSERT_PTR_NULL(tf_warning(&c, "ee", CHECK_EVALUATION));
	CU_ASSERT_FALSE(tf_mv(&c, "ee")->compliant);
	tf_check_free(&c);
	tf_close();
}

/* ---- independence, own_unit ---------------------------------------------- */

static void
test_independence(void)
{
	tf_open();
	tf_begin();
	tf_programme("p12", "{\"cooling_off_months\":{\"consultancy\":12}}");
	tf_audit("i", "Finance", W_START, W_END, NULL);
	tf_audit("i12", "Finance", W_START, W_END, "{\"programme\":\"p12\"}");
	/*
	 * Consultancy cools off for 24 months: ended 23 months before start
	 * fails, 25 passes; exactly 24 months before still meets start.
	 */
	tf_auditor("ia", "active", NULL, NULL);
	tf_decl("d.ia", "ia", "Finance", "consultancy", "2022-01-01",
	    "2024-07-01");
	tf_end();
	tf_expect(CHECK_INDEPENDENCE, "ia", "i", 0, "declared consultancy "
	    "interest in Finance (d.ia) counts until 2026-07-01 with its "
	    "cooling-off, within the audit's days", "declarations/d.ia",
	    NULL);
	tf_auditor("ib", "active", NULL, NULL);
	tf_decl("d.ib", "ib", "Finance", "consultancy", "2022-01-01",
	    "2024-05-01");
	tf_expect(CHECK_INDEPENDENCE, "ib", "i", 1, "no declared interest in "
	    "Finance meets 2026-06-01 to 2026-06-05", NULL);
	tf_auditor("ic", "active", NULL, NULL);
	tf_decl("d.ic", "ic", "Finance", "consultancy", "2022-01-01",
	    "2024-06-01");
	tf_expect(CHECK_INDEPENDENCE, "ic", "i", 0, NULL, "declarations/d.ic",
	    NULL);
	tf_auditor("id", "active", NULL, NULL);
	tf_decl("d.id", "id", "Finance", "consultancy", "2022-01-01",
	    "2024-05-31");
	tf_expect(CHECK_INDEPENDENCE, "id", "i", 1, NULL, NULL);
	/* The programme's 12 months let the 23-month one pass. */
	tf_expect(CHECK_INDEPENDENCE, "ia", "i12", 1, "no declared interest in "
	    "Finance meets 2026-06-01 to 2026-06-05", NULL);

	/* process_owner cools off at once: it fails only while it overlaps. */
	tf_auditor("ie", "active", NULL, NULL);
	tf_decl("d.ie", "ie", "Finance", "process_owner", "2025-01-01",
	    W_START);
	tf_expect(CHECK_INDEPENDENCE, "ie", "i", 0, NULL, "declarations/d.ie",
	    NULL);
	tf_auditor("if", "active", NULL, NULL);
	tf_decl("d.if", "if", "Finance", "process_owner", "2025-01-01",
	    "2026-05-31");
	tf_expect(CHECK_INDEPENDENCE, "if", "i", 1, NULL, NULL);
	tf_auditor("ig", "active", NULL, NULL);
	tf_decl("d.ig", "ig", "Finance", "process_owner", W_END, NULL);
	tf_expect(CHECK_INDEPENDENCE, "ig", "i", 0, "declared process_owner "
	    "interest in Finance (d.ig) is ongoing", "declarations/d.ig", NULL);
	tf_auditor("ih", "active", NULL, NULL);
	tf_decl("d.ih", "ih", "Finance", "process_owner", "2026-06-06", NULL);
	tf_expect(CHECK_INDEPENDENCE, "ih", "i", 1, NULL, NULL);

	/* Another party's interest is none of this audit's business. */
	tf_auditor("ii", "active", NULL, NULL);
	tf_decl("d.ii", "ii", "Sales", "employment", "2020-01-01", NULL);
	tf_expect(CHECK_INDEPENDENCE, "ii", "i", 1, NULL, NULL);
	/* The party is matched as a person writes it. */
	tf_decl("d2.ii", "ii", "FINANCE", "family", "2020-01-01", NULL);
	tf_expect(CHECK_INDEPENDENCE, "ii", "i", 0, "declared family interest "
	    "in Finance (d2.ii) is ongoing", "declarations/d2.ii", NULL);
	/* Every declaration that meets the audit is evidence. */
	tf_decl("d3.ii", "ii", "Finance", "employment", "2010-01-01",
	    "2025-01-01");
	tf_expect(CHECK_INDEPENDENCE, "ii", "i", 0, NULL, "declarations/d2.ii",
	    "declarations/d3.ii", NULL);
	tf_close();
}

static void
test_own_unit(void)
{
	tf_open();
	tf_begin();
	tf_audit("u", "Finance", W_START, W_END, NULL);
	tf_auditor("ua", "active", "Finance", NULL);
	tf_auditor("ub", "active", "IT", NULL);
	tf_auditor("uc", "active", NULL, NULL);
	tf_end();
	tf_expect(CHECK_OWN_UNIT, "ua", "u", 0, "belongs to Finance, the "
	    "auditee", "auditors/ua", NULL);
	tf_expect(CHECK_OWN_UNIT, "ub", "u", 1, "unit IT is not the auditee "
	    "Finance", "auditors/ub", NULL);
	tf_expect(CHECK_OWN_UNIT, "uc", "u", 1, "unit (none) is not the "
	    "auditee Finance", "auditors/uc", NULL);
	tf_patch("auditors", "ub", "{\"unit\":\"Finance\"}");
	tf_expect(CHECK_OWN_UNIT, "ub", "u", 0, NULL, "auditors/ub", NULL);
	tf_close();
}

/* ---- rotation, availability, active -------------------------------------- */

/* A closed audit of auditee on day start, led by each of leads. */
static void
led(const char *id, const char *auditee, const char *start,
    const char *leads)
{
	char	buf[256], *w, *last;

	tf_audit(id, auditee, start, start,
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	snprintf(buf, sizeof buf, "%s", leads);
	for (w = strtok_r(buf, " ", &last); w != NULL;
	    w = strtok_r(NULL, " ", &last))
		tf_on_ok(id, w, "lead", "completed");
}

static void
test_rotation(void)
{
	tf_open();
	tf_begin();
	tf_programme("p2", "{\"rotation\":{\"max_consecutive\":2}}");
	tf_auditor("rosa", "active", NULL, NULL);
	tf_auditor("otto", "active", NULL, NULL);

	/* Three in a row of Sales: rosa may not join the fourth. */
	led("s1", "Sales", "2023-03-01", "rosa");
	led("s2", "Sales", "2024-03-01", "rosa");
	led("s3", "Sales", "2025-03-01", "rosa");
	tf_audit("s4", "Sales", W_START, W_END, NULL);
	tf_end();
	tf_expect(CHECK_ROTATION, "rosa", "s4", 0, "led the last 3 audits of "
	    "Sales, the most rotation.max_consecutive allows", "audits/s3",
	    "audits/s2", "audits/s1", NULL);
	tf_expect(CHECK_ROTATION, "otto", "s4", 1, "did not lead the last 3 "
	    "audits of Sales", NULL);
	/* The auditee's case does not matter, as for independence. */
	tf_audit("s4b", "SALES", W_START, W_END, NULL);
	tf_expect(CHECK_ROTATION, "rosa", "s4b", 0, NULL, "audits/s3",
	    "audits/s2", "audits/s1", NULL);
	/* An audit that starts on this one's start or after does not count. */
	led("s9", "Sales", "2026-09-01", "otto");
	led("sx", "Sales", W_START, "otto");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 0, NULL, "audits/s3",
	    "audits/s2", "audits/s1", NULL);

	/* Two in a row are allowed; a third by someone else before, too. */
	led("hr1", "HR", "2024-03-01", "rosa");
	led("hr2", "HR", "2025-03-01", "rosa");
	tf_audit("hr3", "HR", W_START, W_END, NULL);
	tf_expect(CHECK_ROTATION, "rosa", "hr3", 1, NULL, NULL);
	led("hr0", "HR", "2023-03-01", "otto");
	tf_expect(CHECK_ROTATION, "rosa", "hr3", 1, NULL, NULL);
	/* The programme's max_consecutive 2 stops rosa after two. */
	tf_audit("hr3b", "HR", W_START, W_END, "{\"programme\":\"p2\"}");
	tf_expect(CHECK_ROTATION, "rosa", "hr3b", 0, "led the last 2 audits of "
	    "HR, the most rotation.max_consecutive allows", "audits/hr2",
	    "audits/hr1", NULL);
	tf_expect(CHECK_ROTATION, "otto", "hr3b", 1, NULL, NULL);

	/* Another lead in between breaks the run. */
	led("l1", "Legal", "2023-03-01", "rosa");
	led("l2", "Legal", "2024-03-01", "otto");
	led("l3", "Legal", "2025-03-01", "rosa");
	tf_audit("l4", "Legal", W_START, W_END, NULL);
	tf_expect(CHECK_ROTATION, "rosa", "l4", 1, NULL, NULL);
	tf_expect(CHECK_ROTATION, "otto", "l4", 1, NULL, NULL);

	/* Two leads of one audit: who led all three is the one blocked. */
	led("o1", "Ops", "2023-03-01", "rosa");
	led("o2", "Ops", "2024-03-01", "otto rosa");
	led("o3", "Ops", "2025-03-01", "rosa");
	tf_audit("o4", "Ops", W_START, W_END, NULL);
	tf_expect(CHECK_ROTATION, "rosa", "o4", 0, NULL, "audits/o3",
	    "audits/o2", "audits/o1", NULL);
	tf_expect(CHECK_ROTATION, "otto", "o4", 1, NULL, NULL);

	/* Only a lead counts: an auditor's assignments make no run. */
	tf_audit("m1", "Marketing", "2024-03-01", "2024-03-01",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_on_ok("m1", "otto", "auditor", "completed");
	tf_audit("m2", "Marketing", "2025-03-01", "2025-03-01",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_on_ok("m2", "otto", "auditor", "completed");
	tf_audit("m3", "Marketing", "2025-04-01", "2025-04-01",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_on_ok("m3", "otto", "auditor", "completed");
	tf_audit("m4", "Marketing", W_START, W_END, NULL);
	tf_expect(CHECK_ROTATION, "otto", "m4", 1, NULL, NULL);
	tf_close();
}

static void
test_availability(void)
{
	tf_open();
	tf_begin();
	tf_audit("av", "Finance", W_START, W_END, NULL);
	tf_audit("o1", "IT", "2026-06-03", "2026-06-10", NULL);
	tf_audit("o2", "IT", "2026-05-20", "2026-05-31", NULL);
	tf_audit("o3", "IT", "2026-06-05", "2026-06-06", NULL);
	tf_audit("o4", "IT", "2026-05-25", "2026-06-01", NULL);
	tf_audit("o5", "IT", "2026-06-06", "2026-06-09", NULL);
	tf_audit("ox", "IT", "2026-06-02", "2026-06-03",
	    "{\"status\":\"cancelled\"}");
	tf_audit("or", "IT", "2026-06-02", "2026-06-03",
	    "{\"status\":\"reported\"}");
	tf_auditor("va", "active", NULL, NULL);
	tf_on_ok("o1", "va", "auditor", "proposed");
	tf_end();
	tf_expect(CHECK_AVAILABILITY, "va", "av", 0, "already on audit o1 "
	    "(o1.va) in that time", "assignments/o1.va", NULL);
	/* Ending the day before start, starting the day after end: free. */
	tf_auditor("vb", "active", NULL, NULL);
	tf_on_ok("o2", "vb", "auditor", "proposed");
	tf_on_ok("o5", "vb", "observer", "proposed");
	tf_expect(CHECK_AVAILABILITY, "vb", "av", 1, "no other assignment from "
	    "2026-06-01 to 2026-06-05", NULL);
	/* Starting on end, ending on start: both meet it. */
	tf_auditor("vc", "active", NULL, NULL);
	tf_on_ok("o3", "vc", "trainee", "proposed");
	tf_expect(CHECK_AVAILABILITY, "vc", "av", 0, "already on audit o3 "
	    "(o3.vc) in that time", "assignments/o3.vc", NULL);
	tf_auditor("vd", "active", NULL, NULL);
	tf_on_ok("o4", "vd", "auditor", "proposed");
	tf_expect(CHECK_AVAILABILITY, "vd", "av", 0, NULL, "assignments/o4.vd",
	    NULL);
	/* Withdrawn, on a cancelled audit, completed: none counts. */
	tf_auditor("ve", "active", NULL, NULL);
	tf_on_ok("o1", "ve", "auditor", "withdrawn");
	tf_on_ok("ox", "ve", "auditor", "proposed");
	tf_on_ok("or", "ve", "auditor", "completed");
	tf_expect(CHECK_AVAILABILITY, "ve", "av", 1, NULL, NULL);
	/* Nor does this audit itself. */
	tf_on_ok("av", "ve", "auditor", "proposed");
	tf_expect(CHECK_AVAILABILITY, "ve", "av", 1, NULL, NULL);
	/* Withdrawn back to proposed counts again. */
	tf_patch("assignments", "o1.ve", "{\"status\":\"proposed\"}");
	tf_expect(CHECK_AVAILABILITY, "ve", "av", 0, "already on audit o1 "
	    "(o1.ve) in that time", "assignments/o1.ve", NULL);
	/* Two: the first (by start) is named, both are evidence. */
	tf_on_ok("o3", "va", "auditor", "proposed");
	tf_expect(CHECK_AVAILABILITY, "va", "av", 0, "already on audit o1 "
	    "(o1.va) in that time, and more", "assignments/o1.va",
	    "assignments/o3.va", NULL);
	tf_close();
}

static void
test_active(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("ac", "Finance", W_START, W_END, NULL);
	tf_fit("sam", 1);
	tf_end();
	tf_expect(CHECK_ACTIVE, "sam", "ac", 1, "status is active",
	    "auditors/sam", NULL);
	tf_check(&c, "ac", "sam:lead");
	CU_ASSERT_TRUE(c.v.compliant);
	tf_check_free(&c);
	tf_patch("auditors", "sam", "{\"status\":\"suspended\"}");
	tf_expect(CHECK_ACTIVE, "sam", "ac", 0, "status is suspended",
	    "auditors/sam", NULL);
	tf_check(&c, "ac", "sam:lead");
	CU_ASSERT_FALSE(c.v.compliant);
	CU_ASSERT_FALSE(tf_mv(&c, "sam")->compliant);
	tf_result(tf_member(&c, "sam", CHECK_ACTIVE), CHECK_ACTIVE, 0,
	    "status is suspended", "auditors/sam", NULL);
	tf_check_free(&c);
	tf_close();
}

/* ---- roles, supervision, the lead rules ---------------------------------- */

/* The rules aud was judged by in c, in order, as their ids. */
static void
expect_rules(const struct tf_check *c, const char *aud, const char *want)
{
	const struct check_member_verdict	*mv = tf_mv(c, aud);
	char					 got[512] = "";
	size_t					 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mv);
	for (i = 0; i < mv->nchecks; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, check_rule_name(mv->checks[i].rule));
	}
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n%s: %s\n", aud, got);
	TF_STREQ(got, want);
}

static void
test_roles(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("r", "Finance", W_START, W_END, NULL);
	tf_fit("lee", 1);
	tf_fit("abe", 0);
	/* Neither qualified nor trained: only what their roles ask. */
	tf_auditor("tex", "active", NULL, NULL);
	tf_auditor("obi", "active", NULL, NULL);
	tf_auditor("tia", "active", NULL, NULL);
	tf_end();
	tf_check(&c, "r", "lee:lead abe:auditor tex:technical_expert "
	    "obi:observer tia:trainee");
	expect_rules(&c, "lee", "active qualification lead_qualification "
	    "lead_experience cpd evaluation independence own_unit rotation "
	    "availability");
	expect_rules(&c, "abe", "active qualification cpd evaluation "
	    "independence own_unit rotation availability");
	expect_rules(&c, "tex", "independence availability");
	expect_rules(&c, "obi", "independence availability");
	expect_rules(&c, "tia", "independence availability supervision");
	tf_result(tf_member(&c, "tia", CHECK_SUPERVISION), CHECK_SUPERVISION,
	    1, "the team has a lead or auditor to supervise", "auditors/lee",
	    "auditors/abe", NULL);
	CU_ASSERT_TRUE(c.v.compliant);
	CU_ASSERT_EQUAL(c.v.nwarnings, 0);
	tf_check_free(&c);

	/* A trainee with only a technical expert and an observer. */
	tf_check(&c, "r", "tex:technical_expert obi:observer tia:trainee");
	tf_result(tf_member(&c, "tia", CHECK_SUPERVISION), CHECK_SUPERVISION,
	    0, "no lead or auditor on the team to supervise a trainee", NULL);
	CU_ASSERT_FALSE(tf_mv(&c, "tia")->compliant);
	CU_ASSERT_TRUE(tf_mv(&c, "tex")->compliant);
	tf_check_free(&c);
	/* The trainee's own independence still counts. */
	tf_decl("d.tia", "tia", "Finance", "family", "2020-01-01", NULL);
	tf_check(&c, "r", "lee:lead tia:trainee");
	tf_result(tf_member(&c, "tia", CHECK_SUPERVISION), CHECK_SUPERVISION,
	    1, NULL, "auditors/lee", NULL);
	tf_result(tf_member(&c, "tia", CHECK_INDEPENDENCE), CHECK_INDEPENDENCE,
	    0, NULL, "declarations/d.tia", NULL);
	CU_ASSERT_FALSE(c.v.compliant);
	tf_check_free(&c);
	tf_close();
}

static void
test_lead_rules(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("ld", "Finance", W_START, W_END, "{\"standard\":\"" STD "\"}");
	tf_audit("h4", "History", "2025-04-10", "2025-04-12",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_audit("fut", "History", "2026-09-01", "2026-09-02", NULL);
	/* Three completed audits, but only an auditor certificate. */
	tf_fit("abe", 0);
	tf_on_ok("h1", "abe", "auditor", "completed");
	tf_on_ok("h2", "abe", "lead", "completed");
	tf_on_ok("h3", "abe", "auditor", "completed");
	tf_end();
	tf_check(&c, "ld", "abe:lead");
	tf_result(tf_member(&c, "abe", CHECK_QUALIFICATION),
	    CHECK_QUALIFICATION, 1, NULL, "qualifications/q.abe", NULL);
	tf_result(tf_member(&c, "abe", CHECK_LEAD_QUALIFICATION),
	    CHECK_LEAD_QUALIFICATION, 0, "no verified lead auditor certificate "
	    "for ISO/IEC 27001 valid from 2026-06-01 to 2026-06-05", NULL);
	tf_result(tf_member(&c, "abe", CHECK_LEAD_EXPERIENCE),
	    CHECK_LEAD_EXPERIENCE, 1, "3 completed audits as lead or auditor; "
	    "3 needed to lead", "assignments/h1.abe", "assignments/h2.abe",
	    "assignments/h3.abe", NULL);
	CU_ASSERT_FALSE(c.v.compliant);
	tf_check_free(&c);
	/* As an auditor the lead rules do not apply. */
	tf_check(&c, "ld", "abe:auditor");
	CU_ASSERT_PTR_NULL(tf_member(&c, "abe", CHECK_LEAD_QUALIFICATION));
	CU_ASSERT_TRUE(tf_mv(&c, "abe")->compliant);
	tf_check_free(&c);

	/*
	 * A lead certificate, and only completed assignments as lead or
	 * auditor count: not proposed, withdrawn or as technical expert.
	 */
	tf_auditor("lou", "active", NULL, NULL);
	tf_qual("q.lou", "lou", "lead_auditor_certificate", STD, "2024-01-01",
	    NULL, 1, NULL);
	tf_on_ok("h1", "lou", "auditor", "completed");
	tf_on_ok("h2", "lou", "lead", "completed");
	tf_on_ok("h3", "lou", "auditor", "withdrawn");
	tf_on_ok("h4", "lou", "technical_expert", "completed");
	tf_on_ok("fut", "lou", "auditor", "proposed");
	tf_expect(CHECK_LEAD_QUALIFICATION, "lou", "ld", 1, NULL,
	    "qualifications/q.lou", NULL);
	tf_expect(CHECK_LEAD_EXPERIENCE, "lou", "ld", 0, "2 completed audits "
	    "as lead or auditor; 3 needed to lead", "assignments/h1.lou",
	    "assignments/h2.lou", NULL);
	tf_patch("assignments", "h3.lou", "{\"status\":\"completed\"}");
	tf_expect(CHECK_LEAD_EXPERIENCE, "lou", "ld", 1, "3 completed audits "
	    "as lead or auditor; 3 needed to lead", "assignments/h1.lou",
	    "assignments/h2.lou", "assignments/h3.lou", NULL);
	tf_close();
}

/* ---- the team rules ------------------------------------------------------ */

static const char *
team_str(const struct tf_check *c, int i, const char *k)
{
	return tf_str(json_array_get(json_object_get(c->j, "team"), (size_t)i),
	    k);
}

static void
test_lead_count_size(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("t", "Finance", W_START, W_END, "{\"min_team_size\":2}");
	tf_fit("lea", 1);
	tf_fit("leb", 1);
	tf_fit("abe", 0);
	tf_auditor("tex", "active", NULL, NULL);
	tf_auditor("tia", "active", NULL, NULL);

	tf_end();
	tf_check(&c, "t", "lea:lead leb:lead");
	tf_result(&c.v.team[TEAM_LEAD_COUNT], CHECK_LEAD_COUNT, 0, "2 members "
	    "lead the team; exactly one must", "auditors/lea", "auditors/leb",
	    NULL);
	tf_result(&c.v.team[TEAM_SIZE], CHECK_TEAM_SIZE, 1, "2 members in role "
	    "lead or auditor; the audit needs at least 2", NULL);
	CU_ASSERT_TRUE(tf_mv(&c, "lea")->compliant);
	CU_ASSERT_FALSE(c.v.compliant);
	TF_STREQ(team_str(&c, 0, "rule"), "lead_count");
	CU_ASSERT(json_is_false(json_object_get(json_array_get(
	    json_object_get(c.j, "team"), 0), "ok")));
	CU_ASSERT(json_is_false(json_object_get(c.j, "compliant")));
	tf_check_free(&c);

	tf_check(&c, "t", "abe:auditor tex:technical_expert");
	tf_result(&c.v.team[TEAM_LEAD_COUNT], CHECK_LEAD_COUNT, 0, "no member "
	    "leads the team", NULL);
	tf_check_free(&c);

	/* Technical experts, observers and trainees are not counted. */
	tf_check(&c, "t", "lea:lead tex:technical_expert tia:trainee");
	tf_result(&c.v.team[TEAM_LEAD_COUNT], CHECK_LEAD_COUNT, 1, "lea leads "
	    "the team", "auditors/lea", NULL);
	tf_result(&c.v.team[TEAM_SIZE], CHECK_TEAM_SIZE, 0, "1 member in role "
	    "lead or auditor; the audit needs at least 2", NULL);
	TF_STREQ(team_str(&c, 1, "rule"), "team_size");
	CU_ASSERT_FALSE(c.v.compliant);
	tf_check_free(&c);

	tf_check(&c, "t", "lea:lead abe:auditor tia:trainee");
	CU_ASSERT_TRUE(c.v.compliant);
	CU_ASSERT(json_is_true(json_object_get(c.j, "compliant")));
	CU_ASSERT_EQUAL(json_array_size(json_object_get(c.j, "members")), 3);
	TF_STREQ(tf_str(json_array_get(json_object_get(c.j,
	    "members"), 2), "role"), "trainee");
	TF_STREQ(tf_str(c.j, "audit"), "t");
	tf_check_free(&c);
	tf_close();
}

static void
test_coverage(void)
{
	struct tf_check	 c;
	const json_t	*miss;

	tf_open();
	tf_begin();
	tf_audit("cv", "Finance", W_START, W_END, "{\"required\":["
	    "{\"area\":\"a\",\"level\":\"competent\"},"
	    "{\"area\":\"b\",\"level\":\"expert\"}]}");
	tf_fit("lea", 1);
	tf_areas("lea", "a:competent b:competent");
	tf_fit("abe", 0);
	tf_fit("ann", 0);

	tf_end();
	/* b only at a lower level. */
	tf_check(&c, "cv", "lea:lead abe:auditor");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 0, "no member "
	    "evidenced at expert in b (only at a lower level)",
	    "evaluations/ea.lea", NULL);
	miss = json_object_get(json_array_get(json_object_get(c.j, "team"), 2),
	    "missing");
	CU_ASSERT_EQUAL(json_array_size(miss), 1);
	TF_STREQ(json_string_value(json_array_get(miss, 0)), "b");
	tf_check_free(&c);

	/* Nobody evidenced at all. */
	tf_check(&c, "cv", "abe:lead");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 0, "2 of 2 "
	    "required areas are not evidenced at their level, first a", NULL);
	CU_ASSERT_EQUAL(c.v.nmissing, 2);
	tf_check_free(&c);

	/* A technical expert brings b; an observer or a trainee would not. */
	tf_auditor("tex", "active", NULL, NULL);
	tf_eval("v.tex", "tex", "2026-02-01", "meets", NULL, "b:expert");
	tf_check(&c, "cv", "lea:lead tex:observer");
	CU_ASSERT_FALSE(c.v.team[TEAM_COVERAGE].ok);
	tf_check_free(&c);
	tf_check(&c, "cv", "lea:lead tex:trainee");
	CU_ASSERT_FALSE(c.v.team[TEAM_COVERAGE].ok);
	tf_check_free(&c);
	tf_check(&c, "cv", "lea:lead tex:technical_expert");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 1, "every required "
	    "area (2) is evidenced at its level", "evaluations/ea.lea",
	    "evaluations/v.tex", NULL);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(
	    json_object_get(c.j, "team"), 2), "missing")), 0);
	CU_ASSERT_TRUE(c.v.compliant);
	tf_check_free(&c);

	/*
	 * The latest evaluation on or before start that assessed an area
	 * says its level: a later one that found less wins, one after start
	 * does not count yet, one that assessed other areas changes nothing.
	 */
	tf_eval("v2.tex", "tex", "2026-03-01", "meets", NULL, "b:competent");
	tf_eval("v3.tex", "tex", "2026-06-02", "meets", NULL, "b:expert");
	tf_eval("v4.tex", "tex", "2026-04-01", "meets", NULL, "c:expert");
	tf_check(&c, "cv", "lea:lead tex:technical_expert");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 0, "no member "
	    "evidenced at expert in b (only at a lower level)",
	    "evaluations/ea.lea", NULL);
	tf_check_free(&c);

	/*
	 * A verified qualification valid over the window that lists an area
	 * evidences it at competent: enough for a, never for b.
	 */
	tf_qual("qa.ann", "ann", "education", NULL, "2020-01-01", NULL, 1,
	    "a b");
	tf_check(&c, "cv", "abe:lead ann:auditor");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 0, "no member "
	    "evidenced at expert in b (only at a lower level)",
	    "qualifications/qa.ann", NULL);
	tf_check_free(&c);
	/* Unverified, or expiring before end, it evidences nothing. */
	tf_qual("qa.abe", "abe", "education", NULL, "2020-01-01", "2026-06-04",
	    1, "a");
	tf_qual("qb.abe", "abe", "other", NULL, "2020-01-01", NULL, 0, "a");
	tf_check(&c, "cv", "abe:lead");
	CU_ASSERT_EQUAL(c.v.nmissing, 2);
	tf_check_free(&c);
	tf_patch("qualifications", "qb.abe", "{\"verified\":true}");
	tf_check(&c, "cv", "abe:lead");
	CU_ASSERT_EQUAL(c.v.nmissing, 1);
	TF_STREQ(c.v.missing[0], "b");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 0, "no member "
	    "evidenced at expert in b", "qualifications/qb.abe", NULL);
	tf_check_free(&c);
	/* An evaluation's level above it wins over a qualification's. */
	tf_eval("v.ann", "ann", "2026-02-01", "meets", NULL, "b:expert");
	tf_check(&c, "cv", "abe:lead ann:auditor");
	tf_result(&c.v.team[TEAM_COVERAGE], CHECK_COVERAGE, 1, NULL,
	    "qualifications/qb.abe", "evaluations/v.ann", NULL);
	tf_check_free(&c);
	tf_close();
}

static void
test_language(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("lg", "Finance", W_START, W_END, "{\"language\":\"de\"}");
	tf_audit("none", "Finance", W_START, W_END, NULL);
	tf_fit("lea", 1);
	tf_fit("abe", 0);
	tf_fit("ann", 0);
	tf_patch("auditors", "ann", "{\"languages\":[\"fr\",\"de\"]}");
	tf_auditor("tex", "active", NULL, "de");

	tf_end();
	tf_check(&c, "lg", "lea:lead abe:auditor tex:technical_expert");
	tf_result(&c.v.team[TEAM_LANGUAGE], CHECK_LANGUAGE, 0, "no lead or "
	    "auditor speaks de", NULL);
	TF_STREQ(team_str(&c, 3, "rule"), "language");
	CU_ASSERT_FALSE(c.v.compliant);
	tf_check_free(&c);
	tf_check(&c, "lg", "lea:lead ann:auditor");
	tf_result(&c.v.team[TEAM_LANGUAGE], CHECK_LANGUAGE, 1, "ann speaks de",
	    "auditors/ann", NULL);
	CU_ASSERT_TRUE(c.v.compliant);
	tf_check_free(&c);
	tf_check(&c, "none", "lea:lead");
	tf_result(&c.v.team[TEAM_LANGUAGE], CHECK_LANGUAGE, 1, "the audit "
	    "names no language", NULL);
	tf_check_free(&c);
	tf_close();
}

static void
test_expiry_warning(void)
{
	struct tf_check	c;

	tf_open();
	tf_begin();
	tf_audit("x", "Finance", W_START, W_END, "{\"standard\":\"" STD "\"}");
	tf_fit("lea", 1);
	tf_patch("qualifications", "q.lea", "{\"expires\":\"2026-09-03\"}");
	tf_fit("abe", 0);
	tf_patch("qualifications", "q.abe", "{\"expires\":\"2026-09-04\"}");
	/* A technical expert's certificates are not the team's concern. */
	tf_fit("tex", 0);
	tf_patch("qualifications", "q.tex", "{\"expires\":\"2026-06-30\"}");
	tf_end();
	/* 90 days after end warns, 91 does not. */
	tf_check(&c, "x", "lea:lead abe:auditor tex:technical_expert");
	CU_ASSERT_TRUE(c.v.compliant);
	tf_result(tf_warning(&c, "lea", CHECK_EXPIRY), CHECK_EXPIRY, 1,
	    "lead_auditor_certificate q.lea (ISO/IEC 27001), the last valid "
	    "certificate, expires on 2026-09-03, in 90 days",
	    "qualifications/q.lea", NULL);
	CU_ASSERT_PTR_NULL(tf_warning(&c, "abe", CHECK_EXPIRY));
	CU_ASSERT_EQUAL(c.v.nwarnings, 1);
	TF_STREQ(tf_str(json_array_get(json_object_get(c.j,
	    "warnings"), 0), "rule"), "expiry");
	tf_check_free(&c);
	/* A renewal valid longer ends it. */
	tf_qual("q2.lea", "lea", "auditor_certificate", STD, "2026-01-01",
	    "2030-01-01", 1, NULL);
	tf_check(&c, "x", "lea:lead");
	CU_ASSERT_EQUAL(c.v.nwarnings, 0);
	tf_check_free(&c);
	tf_close();
}

/* A member who is no auditor is no verdict, whatever the role. */
static void
test_no_auditor(void)
{
	static const char *const roles[] = { "lead", "auditor",
	    "technical_expert", "observer", "trainee" };
	struct check_plan	*p;
	struct check_member	 m[2];
	struct check_verdict	 v;
	MDB_txn			*txn;
	size_t			 i;

	tf_open();
	tf_fit("lee", 1);
	tf_audit("na", "Finance", W_START, W_END, NULL);
	p = tf_plan("na");
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	snprintf(m[0].auditor, sizeof m[0].auditor, "lee");
	m[0].role = ASSIGN_LEAD;
	snprintf(m[1].auditor, sizeof m[1].auditor, "ghost");
	for (i = 0; i < 5; i++) {
		m[1].role = (enum assign_role)assign_role_parse(roles[i]);
		CU_ASSERT_EQUAL(check_team(tf.st, txn, p, m, 2, &v),
		    STORE_NOTFOUND);
		check_verdict_free(&v);
	}
	mdb_txn_abort(txn);
	free(p);
	tf_close();
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "qualification over the audit's window", test_qualification },
		{ "cpd: window ends, verification, policy, warning", test_cpd },
		{ "evaluation: age, next_due, result, warnings",
		    test_evaluation },
		{ "independence: cooling-off by kind, party, policy",
		    test_independence },
		{ "own_unit", test_own_unit },
		{ "rotation: runs of leads, policy", test_rotation },
		{ "availability: overlap, withdrawn, cancelled, this audit",
		    test_availability },
		{ "active", test_active },
		{ "the rules of each role; supervision", test_roles },
		{ "lead_qualification and lead_experience", test_lead_rules },
		{ "lead_count and team_size", test_lead_count_size },
		{ "coverage: levels, qualifications, technical experts",
		    test_coverage },
		{ "language", test_language },
		{ "expiry warning", test_expiry_warning },
		{ "a member who is no auditor", test_no_auditor },
		{ NULL, NULL }
	};
	int	rc;

	rc = cu_run("team", tests);
	schema_builtin_free();
	return rc;
}
