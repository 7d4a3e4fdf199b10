/*
 * profile.h: one auditor's derived rows, each table read once and kept in
 * memory while many rules judge them. The team check judges some ten rules
 * per member and candidates and propose a dozen per auditor for thousands
 * of auditors; each rule's public function (rules.h, team.h) reads the
 * rows it needs itself, which read the same tables several times over.
 *
 * check_profile_rule() gives the result check_member_rule() gives: the
 * public functions and the functions below run the same judging code over
 * the same rows (the walk callbacks and what follows them are shared), only
 * where the rows come from differs. With quiet set only r->ok is judged:
 * no detail, no evidence, no warn, and a walk may stop as soon as the
 * outcome is known; for callers that rank by pass or fail.
 *
 * A profile is read lazily, table by table, in the read transaction it was
 * started in, and answers the store result its read gave (STORE_NOTFOUND
 * where the public function would: no auditor row for active, own_unit and
 * the team's language). The profile owns its rows; reset it for the next
 * auditor to keep its buffers.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdint.h>

#include <lmdb.h>

#include "check/assign.h"
#include "check/check.h"
#include "check/rows.h"
#include "check/team.h"
#include "store/store.h"

enum {
	PROFILE_AUDITOR = 1 << 0,
	PROFILE_QUALS = 1 << 1,
	PROFILE_EVALS = 1 << 2,
	PROFILE_DECLS = 1 << 3,
	PROFILE_BUSY = 1 << 4,
	PROFILE_CPD = 1 << 5,		/* cpd_sum over cpd_w */
	PROFILE_CPDSUM = 1 << 6
};

/* The cpd rule's window for a plan, kept across auditors. */
struct profile_cpdw {
	char			 on[UTIL_DATE_LEN];	/* "": none yet */
	int			 months;
	struct check_window	 w;
	long			 from, to;	/* w's days */
	int			 days;		/* from, to are w's */
};

struct check_profile {
	struct store		*st;
	MDB_txn			*txn;
	char			 auditor[ID_MAX + 1];
	unsigned		 loaded;	/* PROFILE_* read so far */
	int			 arc;		/* assign_auditor()'s result */
	struct assign_auditor	 a;
	struct rows_qual	*quals;
	size_t			 nquals, capquals;
	struct rows_eval	*evals;		/* date order */
	size_t			 nevals, capevals;
	struct rows_decl	*decls;
	size_t			 ndecls, capdecls;
	struct assign_busy	*busy;		/* start order */
	size_t			 nbusy, capbusy;
	/*
	 * The cpdsum row's value (ncpdsum bytes, 0: no row). It points into
	 * the map, as store_aux_get()'s bytes do: valid until the
	 * transaction writes or ends, which no profile outlives (a check
	 * in a write transaction judges before the change writes).
	 */
	const unsigned char	*cpdsum;
	size_t			 ncpdsum;
	struct profile_cpdw	 cpdw;
	/* the cpd rule's full sum (not quiet) over cpd_w, for the warnings */
	struct check_window	 cpd_w;
	uint64_t		 cpd_sum;
};

void	check_profile_init(struct check_profile *, struct store *,
	    MDB_txn *);
/* Start on auditor, keeping the buffers. */
void	check_profile_reset(struct check_profile *, const char *auditor);
void	check_profile_free(struct check_profile *);

/*
 * The rows of one table, read now if they were not yet: a store result
 * (the walk's). A slot each for a reader that fills the profile itself
 * (check_profile_slot_*: a pointer to the next row, NULL for no memory;
 * the caller decodes into it and counts it in n*).
 */
int	check_profile_auditor(struct check_profile *);
int	check_profile_quals(struct check_profile *);
int	check_profile_evals(struct check_profile *);
int	check_profile_decls(struct check_profile *);
int	check_profile_busy(struct check_profile *);
int	check_profile_cpdsum(struct check_profile *);
struct rows_qual	*check_profile_slot_qual(struct check_profile *);
struct rows_eval	*check_profile_slot_eval(struct check_profile *);
struct rows_decl	*check_profile_slot_decl(struct check_profile *);
struct assign_busy	*check_profile_slot_busy(struct check_profile *);

/*
 * Profiles of many auditors in id order, each table read by one cursor
 * that only moves forward: what candidates judge, every auditor in turn.
 * check_scan_fill() reads every table of pf->auditor (after
 * check_profile_reset(), auditors in increasing id order) in the rows
 * left since the last; a store result.
 */
#define CHECK_SCAN_TABLES	5
struct check_scan {
	MDB_cursor	*cur[CHECK_SCAN_TABLES];
	MDB_val		 k[CHECK_SCAN_TABLES], v[CHECK_SCAN_TABLES];
	int		 mrc[CHECK_SCAN_TABLES];	/* the cursor's last */
};

int	check_scan_open(struct check_scan *, struct store *, MDB_txn *);
int	check_scan_fill(struct check_scan *, struct check_profile *);
void	check_scan_close(struct check_scan *);

/* check_member_rule() over the profile; quiet: ok only. */
int	check_profile_rule(struct check_profile *, enum check_rule,
	    const struct check_plan *, int quiet, struct check_result *r);

/* check_levels() over the profile. */
int	check_profile_levels(struct check_profile *, const struct check_plan *,
	    int levels[ROWS_AREAS_MAX], char evidence[][CHECK_REF_LEN]);

/* check_expiry() over the profile, for the plan's standard and window. */
int	check_profile_expiry(struct check_profile *, const struct check_plan *,
	    struct check_result *r);

/*
 * The verified CPD hours in w (check_cpd_sum()), from the cpd rule's
 * walk when it judged the same window, else from the cpdsum row.
 */
int	check_profile_cpd_sum(struct check_profile *,
	    const struct check_window *w, uint64_t *sum);

/*
 * The cpd rule quiet (check_cpd_judge()'s r->ok) over the profile: the
 * hours from the cpdsum row, no cpd row read unless it is past its bound.
 */
int	check_profile_cpd_ok(struct check_profile *, const struct check_plan *,
	    struct check_result *r);

/* ---- the judging code the public rules share (rules.c) ------------------ */

void	check_active_row(const struct assign_auditor *, const char *auditor,
	    int quiet, struct check_result *r);
void	check_qualification_rows(const struct rows_qual *, size_t n,
	    const char *standard, int lead, const struct check_window *w,
	    int quiet, struct check_result *r);
void	check_evaluation_rows(const struct rows_eval *, size_t n,
	    const char *on, const struct policy *, int quiet,
	    struct check_result *r);
void	check_expiry_rows(const struct rows_qual *, size_t n,
	    const char *standard, const struct check_window *w,
	    const struct policy *, struct check_result *r);
/*
 * check_cpd(); quiet stops at min_hours. *w gets the window judged and
 * *sum (not quiet) the hours in it; either may be NULL.
 */
int	check_cpd_judge(struct store *, MDB_txn *, const char *auditor,
	    const char *on, const struct policy *, int quiet,
	    struct check_result *r, struct check_window *w, uint64_t *sum);

#endif
