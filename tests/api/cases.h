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

/* cases_daemon.c */
void	daemon_config_check(void);
void	daemon_bootstrap_refusals(void);
void	daemon_sighup(void);
void	daemon_connection_cap(void);
void	daemon_deadline(void);
void	daemon_port_taken(void);

#include "cases_competence.h"
#endif
