/*
 * cases.h: the API test cases, one function each, and what they share
 * (cases_common.c). Each case builds the records it needs under ids of its
 * own, and gets the principals of the suite's client certificates through
 * cases_principal(), so the cases run in any order (test_api.c).
 */
#ifndef CASES_H
#define CASES_H

#include <CUnit/CUnit.h>

#include "client.h"

/* Check the HTTP status; on mismatch print the exchange. */
#define EXPECT_STATUS(r, code)	CU_ASSERT(client_status((r), (code)))
/* Check a problem+json answer: status, content type, type slug, title. */
#define EXPECT_PROBLEM(r, code, slug)					\
	CU_ASSERT(client_problem((r), (code), (slug)))
/* Check a record answer (see cases_record). */
#define EXPECT_RECORD(r, code, coll, id, rev, want)			\
	CU_ASSERT(cases_record((r), (code), (coll), (id), (rev), (want)))

/* A valid auditor document with this id (new reference). */
json_t	*cases_auditor(const char *id, const char *unit);

/* The fixture auditor alice's document, as cases_principal makes it. */
json_t	*cases_alice(void);

/* POST a valid auditor as admin; 1 if it answered 201. */
int	 cases_make_auditor(const char *id, const char *unit);

/* The current rev of a record (GET as admin), or -1. */
long long cases_rev(const char *path);

/* 1 if s ends with suffix. */
int	 cases_ends_with(const char *s, const char *suffix);

/*
 * 1 if r answers status with the record coll/id at rev: application/json,
 * ETag "rev" equal to the body's rev, server-set created and updated,
 * Location /v1/coll/id on 201 and none otherwise, and, when want is not
 * NULL (taken), exactly want's fields besides id, rev, created and updated.
 * Prints what differs otherwise.
 */
int	 cases_record(const struct resp *r, int status, const char *coll,
	    const char *id, long long rev, json_t *want);

/*
 * 1 if doc has exactly want's fields (besides id, rev, created, updated),
 * with equal values; else 0 with the first difference in why.
 */
int	 cases_fields_are(const json_t *doc, const json_t *want, char *why,
	    size_t len);

/*
 * 1 if two answers are the same to the byte: status, Content-Type,
 * Content-Length and body. Prints both otherwise.
 */
int	 cases_same_answer(const struct resp *, const struct resp *);

/*
 * 1 if r's body is valid against the daemon's built-in schema type
 * (verdict, status, audit-report...); else prints why and the answer.
 */
int	 cases_valid_as(const struct resp *r, const char *type);

/*
 * The principal for one of the suite's client certificates: "manager"
 * (p-manager, role manager), "hr" (p-hr, hr) or "alice" (p-alice, role
 * auditor for the auditor alice, who is made too). Made if missing, so any
 * case may come first. 1 when it is there, enabled, with its role.
 */
int	 cases_principal(const char *cert);

/* cases_metrics.c: GET /metrics, checked by promtool */
void	metrics_scrape(void);
void	logs_access(void);

/* cases_rest.c: records over curl */
void	rest_health(void);
void	rest_conditions(void);
void	rest_areas_seeded(void);
void	rest_area_crud(void);
void	rest_auditor_crud(void);
void	rest_auditor_retire(void);
void	rest_server_id(void);
void	rest_conflict(void);
void	rest_stale(void);
void	rest_validation(void);
void	rest_bad_requests(void);
void	rest_not_found(void);
void	rest_too_large(void);
void	rest_pagination(void);
void	rest_filters(void);

/* cases_auth.c: certificates, principals, roles, events */
void	auth_handshake_refused(void);
void	auth_unmapped(void);
void	auth_principals(void);
void	auth_roles(void);
void	auth_own_records(void);
void	auth_me(void);
void	auth_referenced(void);
void	auth_disable(void);
void	events_chain(void);
void	events_verify(void);
void	events_tamper(void);

/* cases_wire.c: framing on raw TLS connections */
void	wire_pipelined(void);
void	wire_framing_table(void);
void	wire_continue(void);
void	wire_too_large(void);
void	wire_dropped_writes(void);

/*
 * cases_cli.c: the real auditorctl, and what its cases share: CTL runs it
 * as who with the arguments given; EXPECT_EXIT checks its exit code.
 */
#define CTL(p, who, ...)	client_ctl((p), (who), __VA_ARGS__, NULL)
#define EXPECT_EXIT(p, want)	CU_ASSERT(cli_exit_is((p), (want)))

/* 1 if p exited with want; prints its output otherwise. */
int	 cli_exit_is(struct proc *p, int want);
/* 1 if one line of out holds every one of the NULL-ended strings. */
int	 cli_line_has(const char *out, ...) __attribute__((sentinel));
/* p's --json output parsed (new reference), or NULL after printing it. */
json_t	*cli_json_out(const struct proc *p);
/* The array of a JSON list output: a bare array or {"items": [...]}. */
json_t	*cli_json_list(json_t *j);
/*
 * In CSV output: the value of column col in the row whose "id" column is
 * id, copied into out. 1 if found.
 */
int	 cli_csv_get(const char *csv, const char *id, const char *col,
	    char *out, size_t len);

void	cli_usage(void);
void	cli_auditor(void);
void	cli_area(void);
void	cli_principal(void);
void	cli_me(void);
void	cli_events(void);
void	cli_environment(void);
void	cli_refused(void);
void	cli_tls_failed(void);
void	cli_server_down(void);

/* cases_cli_competence.c: the competence nouns through auditorctl */
void	cli_competence_usage(void);
void	cli_qualification(void);
void	cli_training(void);
void	cli_evaluation(void);
void	cli_declaration(void);
void	cli_own_training(void);
/* cases_import.c, cases_export.c: bulk import and export */
void	import_batches(void);
void	import_replace(void);
void	import_forbidden(void);
void	import_dry_run(void);
void	import_bad_bodies(void);
void	import_too_many_lines(void);
void	export_collections(void);
void	export_own(void);
void	export_pages(void);
void	bulk_cli_exits(void);
void	bulk_csv_round_trip(void);
/*
 * cases_status.c: status and reports on a data set of their own, dated
 * relative to today (UTC). Shared with cases_reports.c:
 */
/* Today + off days as YYYY-MM-DD (one of 16 rotating buffers). */
const char	*cases_day(long off);
/* d a year before (29 February: the 28th), into out. */
void		 cases_year_back(const char *d, char out[11]);
/* The day number (days since 1970-01-01) of YYYY-MM-DD d. */
long		 cases_day_num(const char *d);
/* GET path as who, expecting 200; the parsed body (borrowed from r). */
json_t		*cases_get_ok(struct resp *r, const char *who, const char *path);
/* 1 if got equals want (taken, compared with json_equal); else prints. */
int		 cases_same(const json_t *got, json_t *want, const char *what);
/* The index in items of the object whose key is val, or -1. */
int		 cases_item_at(const json_t *items, const char *key,
		    const char *val);
/* GET path as who must be a 400 bad-request problem. */
void		 cases_expect_400(const char *who, const char *path);
/* st-cid's name: a quote, a backslash, a tab and a non-ASCII letter. */
#define CID_NAME	"Cid \"C\" St\\\tS\u00f6"
/* st-ann's status today as the data set makes it (a new reference). */
json_t		*cases_ann_status(void);
/*
 * The data set (st-ann, st-ben, st-cid, st-dot and their records), made or
 * put back as it should be by the first call; later calls do nothing. A
 * failed import is a fatal assertion in the calling case.
 */
void		 cases_status_data(void);
void	status_answers(void);
void	status_me(void);

/* cases_reports.c */
void	reports_cpd(void);
void	reports_expiring(void);
void	reports_evaluations_due(void);
void	reports_matrix(void);
void	reports_own_scope(void);

/* cases_daemon.c */
void	daemon_config_check(void);
void	daemon_bootstrap_refusals(void);
void	daemon_sighup(void);
void	daemon_connection_cap(void);
void	daemon_deadline(void);
void	daemon_flood(void);
void	daemon_port_taken(void);

/* cases_programmes.c: programmes and audits over curl */
void	programmes_crud(void);
void	programmes_rules(void);
void	programmes_grants(void);
void	cli_programmes(void);

/* cases_team.c: audit teams, the team check, candidates, propose */
void	team_check_verdict(void);
void	team_check_errors(void);
void	team_confirm_gate(void);
void	team_own_scope(void);
void	team_candidates_propose(void);
void	cli_team(void);
void	team_policy_override(void);

/* cases_audit_report.c: the audit report, its issue, the dashboard */
void	report_audit_items(void);
void	report_issue(void);
void	report_programme(void);
void	report_cli_render(void);

/* cases_findings.c: findings, corrective actions, actions-overdue */
void	findings_roles(void);
void	findings_lifecycle(void);
void	findings_overdue(void);
void	findings_cli(void);

#include "cases_competence.h"
/* cases_tokens.c: bearer tokens and revocation (the sec.h daemon). */
void	tokens_routes(void);
void	tokens_bearer(void);
void	tokens_last_used(void);
void	tokens_off(void);
void	cli_token(void);
void	crl_handshake(void);
void	crl_sighup(void);

/* cases_matrix.c: every route x caller x object against the policy. */
void	matrix_roles(void);
void	matrix_fields(void);

/* cases_ops.c: backup, personal data */
void	ops_backup(void);
void	ops_personal_export(void);
void	ops_personal_erase(void);

#endif
