/*
 * cases.h: the API test cases, one function each, run in the order of the
 * table in test_api.c (later cases use principals and records that earlier
 * ones made; each says what it needs).
 */
#ifndef CASES_H
#define CASES_H

#include <CUnit/CUnit.h>

#include "client.h"

/* Check the HTTP status; on mismatch print the exchange. */
#define EXPECT_STATUS(r, code)	CU_ASSERT(client_status((r), (code)))
/* Check a problem+json answer: status, content type, type slug. */
#define EXPECT_PROBLEM(r, code, slug)					\
	CU_ASSERT(client_problem((r), (code), (slug)))

/* A valid auditor document with this id (new reference). */
json_t	*cases_auditor(const char *id, const char *unit);

/* POST a valid auditor as admin; 1 if it answered 201. */
int	 cases_make_auditor(const char *id, const char *unit);

/* The current rev of a record (GET as admin), or -1. */
long long cases_rev(const char *path);

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
void	wire_two_content_lengths(void);
void	wire_xchunked(void);
void	wire_no_host(void);
void	wire_header_space(void);
void	wire_head_body(void);

/* cases_cli.c: the real auditorctl */
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
void	status_data(void);
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
void	daemon_port_taken(void);

#endif
