/*
 * audit-report.h: an audit's report as ISO 19011 6.5.1 lists its items,
 * assembled from the audit, its programme, its team, its findings and
 * their corrective actions (schemas/audit-report.schema.json), and the
 * route that issues it once nothing is missing; the programme dashboard
 * (schemas/programme-report.schema.json) built from the same pieces.
 */
#ifndef AUDIT_REPORT_H
#define AUDIT_REPORT_H

#include <jansson.h>
#include <lmdb.h>

#include "api/resource.h"
#include "store/store.h"

/*
 * The report of audit on day today, as JSON, into *out (a new reference).
 * A store result: STORE_NOTFOUND for no such audit.
 */
int	audit_report_json(struct store *, MDB_txn *, const char *audit,
	    const char *today, json_t **out);

/* GET /v1/audits/{id}/report */
void	audit_report_get(struct call *);

/*
 * POST /v1/audits/{id}/issue-report: 409 report-incomplete with the
 * missing items, else the audit becomes reported with report.issued
 * today (kept when already set), judged and written in one change.
 */
void	audit_report_issue(struct call *);

/*
 * The dashboard of programme on day today into *out (a new reference):
 * STORE_NOTFOUND for no such programme.
 */
int	programme_report_json(struct store *, MDB_txn *, const char *programme,
	    const char *today, json_t **out);

/* GET /v1/reports/programme/{id} (offloaded: it checks every team). */
void	programme_report_get(struct call *);

#endif
