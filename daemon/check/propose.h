/*
 * propose.h: who could audit, and the smallest team that passes. Both
 * judge every active auditor by the member rules of role auditor (and, to
 * lead, lead_qualification and lead_experience) through check_member_rule,
 * so a candidate's failures read as the team check's would.
 *
 * Candidates are ranked: passing every member rule first, then fewest
 * failed rules, then most still-missing areas covered (missing: what the
 * team that stands does not cover), then lightest workload (days of their
 * proposed, confirmed or completed assignments within the programme's
 * period), then id.
 *
 * propose is exact: among the auditors who pass every member rule, it
 * finds a lead and the fewest others whose evidenced areas and languages
 * cover what the audit needs (an exact set cover by branch and bound over
 * the distinct, undominated coverage masks: ROWS_AREAS_MAX areas and the
 * language fit one 64-bit mask), then fills up to min_team_size by
 * lightest workload.
 */
#ifndef PROPOSE_H
#define PROPOSE_H

#include <stdint.h>

#include <jansson.h>
#include <lmdb.h>

#include "check/team.h"

struct candidate {
	char		 auditor[ID_MAX + 1];
	char		 name[ASSIGN_TEXT_MAX + 1];
	unsigned	 failed;	/* a bit per enum check_rule */
	int		 nfailed;
	int		 can_lead;
	uint64_t	 mask;		/* needs met: bit i area i, then the
					   language (bit nneeds) */
	int		 covers;	/* still-missing areas evidenced */
	long		 workload;	/* days */
};

struct candidates {
	struct candidate	*c;	/* ranked */
	size_t			 n;
	uint64_t		 missing;	/* needs the team does not meet */
	uint64_t		 all;		/* every need */
};

/*
 * Every active auditor for plan, ranked, into *cs (candidates_free frees
 * it). exclude_team: leave out who is on the team that stands (the
 * candidates answer); 0: everyone (propose). A store result.
 */
int	candidates_find(struct store *, MDB_txn *, const struct check_plan *,
	    int exclude_team, struct candidates *cs);
void	candidates_free(struct candidates *);

/*
 * The detail of rule for candidate c (as the team check would say it),
 * into r.
 */
int	candidates_detail(struct store *, MDB_txn *, const struct check_plan *,
	    const struct candidate *c, enum check_rule rule,
	    struct check_result *r);

/* The candidates answer (schemas/candidates.schema.json). */
json_t	*candidates_json(struct store *, MDB_txn *, const struct check_plan *,
	    const struct candidates *, size_t offset, size_t limit,
	    const char *as_of);

struct proposal {
	int			 found;
	size_t			 n;
	struct check_member	 team[CHECK_TEAM_MAX];	/* lead first */
	size_t			 passing;
	size_t			 nreasons;
	char			 reasons[8][CHECK_DETAIL_MAX];
};

/* The smallest passing team for plan, or why none exists, into *pr. */
int	propose_team(struct store *, MDB_txn *, const struct check_plan *,
	    struct proposal *pr);

#endif
