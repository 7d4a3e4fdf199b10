/*
 * check.c: what the competence rules share: their ids and their evidence
 * lists. See check.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"

static const char *const rule_names[CHECK_NRULES] = {
	[CHECK_ACTIVE] = "active",
	[CHECK_QUALIFICATION] = "qualification",
	[CHECK_LEAD_QUALIFICATION] = "lead_qualification",
	[CHECK_LEAD_EXPERIENCE] = "lead_experience",
	[CHECK_CPD] = "cpd",
	[CHECK_EVALUATION] = "evaluation",
	[CHECK_INDEPENDENCE] = "independence",
	[CHECK_OWN_UNIT] = "own_unit",
	[CHECK_ROTATION] = "rotation",
	[CHECK_AVAILABILITY] = "availability",
	[CHECK_SUPERVISION] = "supervision",
	[CHECK_LEAD_COUNT] = "lead_count",
	[CHECK_TEAM_SIZE] = "team_size",
	[CHECK_COVERAGE] = "coverage",
	[CHECK_LANGUAGE] = "language",
	[CHECK_EXPIRY] = "expiry",
};

const char *
check_rule_name(enum check_rule r)
{
	if ((unsigned)r >= CHECK_NRULES)
		return "unknown";
	return rule_names[r];
}

enum check_rule
check_rule_parse(const char *name)
{
	int	i;

	for (i = 0; i < CHECK_NRULES; i++)
		if (strcmp(rule_names[i], name) == 0)
			return (enum check_rule)i;
	return CHECK_NRULES;
}

/*
 * "coll/id", cut as snprintf would cut it. Not snprintf itself: a team
 * check names some 200 records, and the format machinery was most of the
 * cost of naming them.
 */
void
check_evidence_add(struct check_result *r, const char *coll, const char *id)
{
	char	*e;
	size_t	 max = sizeof r->evidence[0] - 1, n, k;

	if (r->nevidence < CHECK_EVIDENCE_MAX) {
		e = r->evidence[r->nevidence];
		n = strnlen(coll, max);
		memcpy(e, coll, n);
		if (n < max)
			e[n++] = '/';
		k = strnlen(id, max - n);
		memcpy(e + n, id, k);
		e[n + k] = '\0';
	}
	r->nevidence++;
}

void
check_result_init(struct check_result *r, enum check_rule rule)
{
	/* Not the whole struct: the evidence array is most of it. */
	r->rule = rule;
	r->ok = 0;
	r->warn = 0;
	r->detail[0] = '\0';
	r->nevidence = 0;
}

void
check_detail(struct check_result *r, const char *fmt, ...)
{
	va_list	ap;

	/* A sentence longer than the buffer is cut, never refused. */
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}
