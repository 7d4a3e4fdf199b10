/*
 * check.h: the competence and independence rules, as pure functions over a
 * read transaction of the store and its derived rows: no HTTP, no JSON
 * documents parsed in a rule's hot path. This header holds what every rule
 * shares: its stable id (scripts and reports key on the names, so they never
 * change) and the shape of one rule's outcome, with the records it rests on.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

/* Every rule, per member and per team, and the warnings. */
enum check_rule {
	CHECK_ACTIVE = 0,
	CHECK_QUALIFICATION,
	CHECK_LEAD_QUALIFICATION,
	CHECK_LEAD_EXPERIENCE,
	CHECK_CPD,
	CHECK_EVALUATION,
	CHECK_INDEPENDENCE,
	CHECK_OWN_UNIT,
	CHECK_ROTATION,
	CHECK_AVAILABILITY,
	CHECK_SUPERVISION,
	CHECK_LEAD_COUNT,
	CHECK_TEAM_SIZE,
	CHECK_COVERAGE,
	CHECK_LANGUAGE,
	CHECK_EXPIRY,		/* warning only */
	CHECK_NRULES
};

#define CHECK_EVIDENCE_MAX	16	/* records named per outcome */
/*
 * "collection/id": the longest collection name ("qualifications") is 14;
 * room for 16, the slash, an id and the NUL. A verdict of five members
 * holds some 900 of these: their size is what keeps it on the heap.
 */
#define CHECK_REF_LEN		(16 + 1 + ID_MAX + 1)
#define CHECK_DETAIL_MAX	512

/*
 * One rule's outcome: ok, a sentence for a person, and the records it rests
 * on as "collection/id" (the first CHECK_EVIDENCE_MAX; nevidence counts
 * them all, so a reader knows when the list was cut). warn marks an
 * outcome that passes but deserves a look (an evaluation that partially
 * meets the criteria); detail then says why.
 */
struct check_result {
	enum check_rule	rule;
	int		ok;
	int		warn;
	char		detail[CHECK_DETAIL_MAX];
	char		evidence[CHECK_EVIDENCE_MAX][CHECK_REF_LEN];
	size_t		nevidence;
};

/* The rule's id as the verdict spells it ("lead_qualification"). */
const char	*check_rule_name(enum check_rule);

/* The rule named name, or CHECK_NRULES if there is none. */
enum check_rule	 check_rule_parse(const char *name);

/* r as rule's outcome before it is judged: failed, no detail, no evidence. */
void		 check_result_init(struct check_result *r, enum check_rule);

/*
 * snprintf for the rules' sentences, cut at len; fast for %s, %d, %ld,
 * %zu and %% (anything else is handed to vsnprintf).
 */
void		 check_format(char *buf, size_t len, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 check_vformat(char *buf, size_t len, const char *fmt,
		    va_list ap);

/* r's detail from fmt, cut at CHECK_DETAIL_MAX. */
void		 check_detail(struct check_result *r, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Name the record coll/id as evidence of r (counted even when the list is
 * full).
 */
void		 check_evidence_add(struct check_result *r, const char *coll,
		    const char *id);

#endif
