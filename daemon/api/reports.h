/*
 * reports.h: the HR reports over every active auditor (api-reports.c
 * serves them): CPD hours against the prorated minimum, qualifications
 * expiring or expired, evaluations due, and the competence matrix. Each
 * is built from the derived rows (check/rows.h) and the active auditors'
 * index, parsing no record but each listed auditor's own (for its name),
 * and written straight out as text (jw.h).
 * They walk the whole store, so they run only off the event loop
 * (http_offload), in a read transaction of their own.
 */
#ifndef REPORTS_H
#define REPORTS_H

#include <stddef.h>

#include <lmdb.h>

#include "store/store.h"
#include "util.h"

struct report_args {
	char	on[UTIL_DATE_LEN];	/* the day judged (today) */
	char	from[UTIL_DATE_LEN];	/* cpd: the period */
	char	to[UTIL_DATE_LEN];
	int	within;			/* expiring, evaluations-due: days */
	int	own;			/* own scope: only this auditor: */
	char	only[ID_MAX + 1];
};

/*
 * Each report as canonical JSON text (docs/api.md describes it) into *out,
 * malloc'd and NUL-terminated, which the caller frees; its length in
 * *len. A store result; STORE_IO also when memory ran out; *out is NULL
 * on any failure.
 */
int	report_cpd(struct store *, MDB_txn *, const struct report_args *,
	    char **out, size_t *len);
int	report_expiring(struct store *, MDB_txn *, const struct report_args *,
	    char **out, size_t *len);
int	report_evaluations_due(struct store *, MDB_txn *,
	    const struct report_args *, char **out, size_t *len);
int	report_matrix(struct store *, MDB_txn *, const struct report_args *,
	    char **out, size_t *len);
/*
 * The corrective actions open or implemented past their due day, oldest
 * due first; under own scope those the auditor shares through its
 * audits' teams (view_shares). It parses each open or implemented
 * action and the finding of each overdue one.
 */
int	report_actions_overdue(struct store *, MDB_txn *,
	    const struct report_args *, char **out, size_t *len);

#endif
