/*
 * test_check.c: the rule ids the verdicts key on, and evidence lists.
 */
#include <string.h>

#include "cu.h"

#include "check/check.h"

/* The ids are a published contract: spelled out here, not derived. */
static void
test_rule_names(void)
{
	static const char *const want[] = { "active", "qualification",
	    "lead_qualification", "lead_experience", "cpd", "evaluation",
	    "independence", "own_unit", "rotation", "availability",
	    "supervision", "lead_count", "team_size", "coverage", "language",
	    "expiry" };
	int	i;

	CU_ASSERT_EQUAL_FATAL(sizeof want / sizeof want[0], CHECK_NRULES);
	for (i = 0; i < CHECK_NRULES; i++) {
		CU_ASSERT_STRING_EQUAL(check_rule_name((enum check_rule)i),
		    want[i]);
		CU_ASSERT_EQUAL(check_rule_parse(want[i]), i);
	}
	CU_ASSERT_EQUAL(check_rule_parse("Active"), CHECK_NRULES);
	CU_ASSERT_EQUAL(check_rule_parse(""), CHECK_NRULES);
	CU_ASSERT_STRING_EQUAL(check_rule_name(CHECK_NRULES), "unknown");
}

static void
test_evidence(void)
{
	struct check_result	r;
	int			i;

	memset(&r, 0, sizeof r);
	check_evidence_add(&r, "trainings", "t1");
	CU_ASSERT_STRING_EQUAL(r.evidence[0], "trainings/t1");
	for (i = 0; i < CHECK_EVIDENCE_MAX + 3; i++)
		check_evidence_add(&r, "trainings", "t");
	/* The list stops at its size; the count goes on. */
	CU_ASSERT_EQUAL(r.nevidence, CHECK_EVIDENCE_MAX + 4);
	CU_ASSERT_STRING_EQUAL(r.evidence[CHECK_EVIDENCE_MAX - 1],
	    "trainings/t");
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "rule ids", test_rule_names },
		{ "evidence lists", test_evidence },
		{ NULL, NULL }
	};

	return cu_run("check", tests);
}
