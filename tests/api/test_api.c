/*
 * test_api.c: end-to-end API tests: the real auditord on a free loopback
 * port with fresh certificates, driven by the real curl and auditorctl and
 * by raw TLS connections. Run from the repository root (`make api`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "cases.h"
#include "harness.h"

static void	daemon_stops_cleanly(void);

/* In run order: later cases rely on what earlier ones left (see each). */
static const struct {
	const char	*name;
	CU_TestFunc	 fn;
} cases[] = {
	{ "livez and readyz answer", rest_health },
	{ "fresh store holds the 10 knowledge areas", rest_areas_seeded },
	{ "rogue and missing certificates fail the handshake",
	    auth_handshake_refused },
	{ "valid but unmapped certificate gets 401", auth_unmapped },
	{ "areas: create, get, put, patch, delete", rest_area_crud },
	{ "auditors: create, get, put, patch, delete", rest_auditor_crud },
	{ "auditors: retire", rest_auditor_retire },
	{ "POST without id gets a server-made id", rest_server_id },
	{ "409 on create of an existing id", rest_conflict },
	{ "If-Match: 412 when stale, success with the rev", rest_stale },
	{ "422 with JSON Pointers", rest_validation },
	{ "400 and 415 on bad requests, 405 with Allow", rest_bad_requests },
	{ "404 on unknown ids and routes", rest_not_found },
	{ "If-Match lists and weak tags, OPTIONS, 204, no-op changes",
	    rest_conditions },
	{ "413 on a body over 1 MiB", rest_too_large },
	{ "pagination: 3 pages, nothing lost or repeated", rest_pagination },
	{ "filters: status and unit", rest_filters },
	{ "principals: create, 409 on mapped cert, 422 rules",
	    auth_principals },
	{ "roles: 403 where the role may not", auth_roles },
	{ "auditor principal sees only its own record", auth_own_records },
	{ "GET /v1/me for admin and auditor", auth_me },
	{ "409 referenced on delete of a referenced auditor",
	    auth_referenced },
	{ "disabled principal's certificate gets 401", auth_disable },
	{ "events: one per change, hash chain recomputed", events_chain },
	{ "events/verify agrees with the chain", events_verify },
	{ "framing control: two good pipelined requests both run",
	    wire_pipelined },
	{ "framing: two Content-Length headers", wire_two_content_lengths },
	{ "framing: Transfer-Encoding: xchunked", wire_xchunked },
	{ "framing: HTTP/1.1 without Host", wire_no_host },
	{ "framing: whitespace in a header name", wire_header_space },
	{ "framing: a length on HEAD", wire_head_body },
	{ "cli: usage errors exit 2", cli_usage },
	{ "cli: auditor add/list/show/edit/retire/delete", cli_auditor },
	{ "cli: area list/show/add/edit/delete", cli_area },
	{ "cli: principal add/list/show/disable", cli_principal },
	{ "cli: me", cli_me },
	{ "cli: events list/verify", cli_events },
	{ "cli: AUDITORCTL_* environment", cli_environment },
	{ "cli: server refusals exit 3", cli_refused },
	{ "cli: TLS failures and wrong port exit 4", cli_tls_failed },
	COMPETENCE_CASES,
	{ "auditord -n checks the configuration", daemon_config_check },
	{ "bootstrap refuses bad input and a mapped certificate",
	    daemon_bootstrap_refusals },
	{ "SIGHUP reloads TLS and keeps serving", daemon_sighup },
	{ "connection cap pauses accepting, then resumes",
	    daemon_connection_cap },
	{ "a trickling peer meets the request deadline", daemon_deadline },
	{ "a second auditord on the same port is refused",
	    daemon_port_taken },
	{ "auditord exits 0 on SIGTERM", daemon_stops_cleanly },
	{ "cli: server down exits 4", cli_server_down },
	{ "a changed event fails verify (API ok false, CLI exit 1)",
	    events_tamper },
};

static int
suite_init(void)
{
	return harness_setup() == 0 ? 0 : -1;
}

static int
suite_clean(void)
{
	return harness_teardown() == 0 ? 0 : -1;
}

static void
daemon_stops_cleanly(void)
{
	int	st = harness_stop(5000);

	if (st != 0) {
		printf("\n  ** auditord exit status %d after SIGTERM "
		    "(-1: still running after 5 s)\n", st);
		harness_print_log();
	}
	CU_ASSERT_EQUAL(st, 0);
}

int
main(void)
{
	CU_pSuite	 s;
	const char	*only, *skip;
	unsigned	 fails;
	size_t		 i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return CU_get_error();
	s = CU_add_suite("api", suite_init, suite_clean);
	if (s == NULL)
		goto err;
	/*
	 * AUDITORD_API_ONLY=WORD runs only the cases whose name has WORD,
	 * AUDITORD_API_SKIP=WORD all but those.
	 */
	only = getenv("AUDITORD_API_ONLY");
	skip = getenv("AUDITORD_API_SKIP");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if ((only != NULL && strstr(cases[i].name, only) == NULL) ||
		    (skip != NULL && strstr(cases[i].name, skip) != NULL))
			continue;
		if (CU_add_test(s, cases[i].name, cases[i].fn) == NULL)
			goto err;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failure_records();
	CU_cleanup_registry();
	if (fflush(stdout) != 0)
		return 1;
	return fails == 0 ? 0 : 1;
err:
	fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 1;
}
