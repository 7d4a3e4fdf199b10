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

/* check_format writes what snprintf writes, cut where snprintf cuts. */
static void
test_format_as_snprintf(void)
{
	static const char *const strs[] = { "", "a", "ISO/IEC 27001",
	    "a long-ish auditee name with spaces", "100%" };
	static const int	 ints[] = { 0, 7, -3, 2147483647, -2147483647 };
	static const long	 longs[] = { 0, 86400, -1, 9000000000L };
	static const size_t	 sizes[] = { 0, 1, 12, 4294967296UL };
	char			 want[64], got[64];
	size_t			 a, b, c, d, len;

	for (a = 0; a < 5; a++)
	for (b = 0; b < 5; b++)
	for (c = 0; c < 4; c++)
	for (d = 0; d < 4; d++)
	for (len = 1; len <= sizeof want; len += 7) {
		snprintf(want, len, "x%sy%dz%ld%%w%zu:%s", strs[a], ints[b],
		    longs[c], sizes[d], strs[(a + 1) % 5]);
		memset(got, 'Q', sizeof got);
		check_format(got, len, "x%sy%dz%ld%%w%zu:%s", strs[a],
		    ints[b], longs[c], sizes[d], strs[(a + 1) % 5]);
		CU_ASSERT_STRING_EQUAL(got, want);
	}
	/* Another conversion goes to vsnprintf whole. */
	check_format(got, sizeof got, "%05d|%s", 42, "ok");
	CU_ASSERT_STRING_EQUAL(got, "00042|ok");
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "check_format writes what snprintf writes",
		    test_format_as_snprintf },
		{ "rule ids", test_rule_names },
		{ "evidence lists", test_evidence },
		{ NULL, NULL }
	};

	return cu_run("check", tests);
}
