/*
 * team.h: the team check of an audit: its plan as the rules need it (with
 * the effective policy), the member rules that depend on the audit, the
 * team rules, and the verdict, which check_verdict_json() turns into the
 * shape of schemas/verdict.schema.json. Candidates and the smallest
 * passing team (propose.h) are built on the same functions.
 *
 * Pure functions over a read transaction: the plan is read once per check
 * (the audit's and its programme's documents), and every rule after that
 * reads derived rows only (check/rows.h, check/assign.h). Every date rule
 * is judged over the audit's window [start, end]; CPD and the evaluation
 * on its start.
 */
#ifndef TEAM_H
#define TEAM_H

#include <jansson.h>
#include <lmdb.h>

#include "check/assign.h"
#include "check/check.h"
#include "check/policy.h"
#include "check/rows.h"
#include "check/window.h"
#include "jw.h"
#include "store/store.h"

#define CHECK_TEAM_MAX		50	/* members in one check */
#define CHECK_ROTATION_MAX	20	/* rotation.max_consecutive's maximum */

struct check_need {
	char		area[ID_MAX + 1];
	enum rows_level	level;
};

/* An audit as the rules read it. */
struct check_plan {
	char				id[ID_MAX + 1];
	char				programme[ID_MAX + 1];
	char				auditee[ASSIGN_TEXT_MAX + 1];
	char				standard[ROWS_TEXT_MAX + 1];	/* "": any */
	char				language[ASSIGN_LANG_MAX + 1];	/* "": none */
	struct check_window		w;
	struct check_window		period;	/* the programme's */
	int				min_team_size;
	enum assign_audit_status	status;
	size_t				nneeds;
	struct check_need		needs[ROWS_AREAS_MAX];
	struct policy			policy;	/* the effective one */
	/*
	 * rotation, found once per plan: the audits of the auditee that
	 * count (the last rotation.max_consecutive before start, latest
	 * first) and who led every one of them.
	 */
	size_t				nrotation;
	char				rotation[CHECK_ROTATION_MAX][ID_MAX + 1];
	size_t				nblocked;
	char				blocked[4][ID_MAX + 1];
};

struct check_member {
	char			auditor[ID_MAX + 1];
	enum assign_role	role;
};

/*
 * The plan of audit into *p: STORE_NOTFOUND for no such audit; STORE_IO
 * when its document (or its programme's) does not read.
 */
int	check_plan_load(struct store *, MDB_txn *, const char *audit,
	    struct check_plan *p);

/* The rules that apply to a member in role (a bit per enum check_rule). */
unsigned	check_role_rules(enum assign_role);

/*
 * The member rules that need the audit, each filling one result (see
 * rules.h for the others). Evidence names the records each rests on.
 */
int	check_lead_experience(struct store *, MDB_txn *, const char *auditor,
	    const struct check_plan *, struct check_result *r);
int	check_independence(struct store *, MDB_txn *, const char *auditor,
	    const struct check_plan *, struct check_result *r);
int	check_own_unit(struct store *, MDB_txn *, const char *auditor,
	    const struct check_plan *, struct check_result *r);
void	check_rotation(const char *auditor, const struct check_plan *,
	    struct check_result *r);
int	check_availability(struct store *, MDB_txn *, const char *auditor,
	    const struct check_plan *, struct check_result *r);

/*
 * rule for auditor judged over plan, whatever its role (supervision and
 * the team rules excepted): the one entry the team check, candidates and
 * propose share.
 */
int	check_member_rule(struct store *, MDB_txn *, enum check_rule rule,
	    const char *auditor, const struct check_plan *,
	    struct check_result *r);

/*
 * The level auditor is evidenced at in each area the plan needs, into
 * levels[i] (-1: not evidenced at all): the latest evaluation on or before
 * start that assessed the area, or competent for a verified qualification
 * valid over the window that lists it, whichever is higher. evidence[i]
 * (may be NULL) gets the record that gives the level, as coll/id.
 */
int	check_levels(struct store *, MDB_txn *, const char *auditor,
	    const struct check_plan *, int levels[ROWS_AREAS_MAX],
	    char evidence[][CHECK_REF_LEN]);

struct check_member_verdict {
	struct check_member	 m;
	int			 compliant;
	size_t			 nchecks;
	struct check_result	 checks[CHECK_SUPERVISION + 1];
};

enum { TEAM_LEAD_COUNT = 0, TEAM_SIZE, TEAM_COVERAGE,
    TEAM_LANGUAGE, TEAM_NRULES };

struct check_warning {
	char			 auditor[ID_MAX + 1];
	struct check_result	 r;
};

struct check_verdict {
	int				 compliant;
	size_t				 nmembers;
	struct check_member_verdict	*members;	/* nmembers */
	struct check_result		 team[TEAM_NRULES];
	size_t				 nmissing;	/* coverage */
	char				 missing[ROWS_AREAS_MAX][ID_MAX + 1];
	size_t				 nwarnings;
	struct check_warning		*warnings;
};

/*
 * Judge team (n members, at most CHECK_TEAM_MAX, each auditor once) for
 * plan into *v, which check_verdict_free() frees. STORE_NOTFOUND when a
 * member is no auditor; other results are read errors.
 */
int	check_team(struct store *, MDB_txn *, const struct check_plan *,
	    const struct check_member *team, size_t n, struct check_verdict *v);
void	check_verdict_free(struct check_verdict *);

/*
 * The team that stands for plan: its proposed and confirmed assignments,
 * in assignment id order, into team (at most CHECK_TEAM_MAX; *n their
 * count). Assignment skip (may be NULL) is left out.
 */
int	check_team_of(struct store *, MDB_txn *, const char *audit,
	    const char *skip, struct check_member *team, size_t *n);

/*
 * v as schemas/verdict.schema.json says, written to w as canonical JSON
 * text (keys sorted, no white space): the answer's bytes.
 */
void	check_verdict_write(struct jw *w, const struct check_plan *,
	    const struct check_verdict *v, const char *as_of);

/* The same as a jansson tree (a new reference; NULL: no memory). */
json_t	*check_verdict_json(const struct check_plan *,
	    const struct check_verdict *v, const char *as_of);

#endif
