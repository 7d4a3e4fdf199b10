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

/*
 * Every case builds what it needs (its own ids, and the shared principals
 * through cases_principal()), so the cases run in any order: see the
 * AUDITORD_API_* variables in main(). The tail (TAIL) stops the daemon and
 * so always runs last, in this order.
 */
#define CASE(fn, text)	{ #fn, text, fn, 0 }
#define TAIL(fn, text)	{ #fn, text, fn, 1 }

static const struct api_case {
	const char	*name;		/* the function's name */
	const char	*text;		/* what it checks */
	CU_TestFunc	 fn;
	int		 tail;
} cases[] = {
	CASE(rest_health, "livez and readyz answer"),
	CASE(rest_areas_seeded, "fresh store holds the 10 knowledge areas"),
	CASE(metrics_scrape, "metrics count requests; promtool accepts them"),
	CASE(logs_access, "access log: a line a request, query values "
	    "dropped; 401 and 403 warn with the certificate"),
	CASE(auth_handshake_refused,
	    "rogue and missing certificates fail the handshake"),
	CASE(auth_unmapped, "valid but unmapped certificate gets 401"),
	CASE(rest_area_crud, "areas: create, get, put, patch, delete"),
	CASE(rest_auditor_crud, "auditors: create, get, put, patch, delete"),
	CASE(rest_auditor_retire, "auditors: retire"),
	CASE(rest_server_id, "POST without id gets a server-made id"),
	CASE(rest_conflict, "409 on create of an existing id"),
	CASE(rest_stale, "If-Match: 412 when stale, success with the rev"),
	CASE(rest_validation, "422 with JSON Pointers"),
	CASE(rest_bad_requests, "400 and 415 on bad requests, 405 with Allow"),
	CASE(rest_not_found, "404 on unknown ids and routes"),
	CASE(rest_conditions,
	    "If-Match lists and weak tags, OPTIONS, 204, no-op changes"),
	CASE(rest_too_large, "413 on a body over 1 MiB"),
	CASE(rest_pagination, "pagination: 3 pages, nothing lost or repeated"),
	CASE(rest_filters, "filters: status and unit"),
	CASE(auth_principals,
	    "principals: create, 409 on mapped cert, 422 rules"),
	CASE(auth_roles, "roles: 403 where the role may not"),
	CASE(auth_own_records, "auditor principal sees only its own record"),
	CASE(auth_me, "GET /v1/me for admin and auditor"),
	CASE(auth_referenced,
	    "409 referenced on delete of a referenced auditor"),
	CASE(auth_disable, "disabled principal's certificate gets 401"),
	CASE(tokens_routes, "tokens: create, read without secret, refusals"),
	CASE(tokens_bearer,
	    "tokens: bearer alone or with a certificate, expiry, revocation"),
	CASE(tokens_last_used, "tokens: last_used, coalesced"),
	CASE(tokens_off, "tokens off: Authorization is 401"),
	CASE(cli_token, "cli: token create/list/show/revoke/delete"),
	CASE(matrix_roles,
	    "role matrix: every route x caller x object, status and body"),
	CASE(matrix_fields, "fields a role may not set; another's records "
	    "out of filters, reports, exports, import"),
	CASE(crl_handshake, "CRL: a revoked certificate fails the handshake"),
	CASE(crl_sighup,
	    "CRL: revoked after SIGHUP, refused when resuming too"),
	CASE(events_chain, "events: one per change, hash chain recomputed"),
	CASE(events_verify, "events/verify agrees with the chain"),
	CASE(wire_pipelined,
	    "framing control: two good pipelined requests both run"),
	CASE(wire_framing_table, "framing: the table of smuggling, limits, "
	    "media types and HEAD"),
	CASE(wire_continue, "framing: Expect: 100-continue before the body"),
	CASE(wire_too_large, "framing: 413 at once, without draining"),
	CASE(wire_dropped_writes,
	    "a client gone while its change is pending harms nothing"),
	CASE(programmes_crud, "programmes and audits: CRUD, filters, dates, 409"),
	CASE(programmes_rules, "programmes and audits: 422 paths"),
	CASE(programmes_grants, "programmes and audits: who may"),
	CASE(cli_programmes,
	    "cli: programme and audit add/list/show/edit, usage, refusals"),
	CASE(team_check_verdict, "team check: verdict, rules, schema"),
	CASE(team_check_errors, "team check: 404, 422 paths, who may"),
	CASE(team_confirm_gate, "assignments: confirm gate, override, completed"),
	CASE(team_own_scope, "role auditor: the audits of its teams only"),
	CASE(team_candidates_propose, "candidates and propose, --assign"),
	CASE(cli_team, "auditorctl audit check/candidates/propose, confirm"),
	CASE(team_policy_override, "team check: a programme's policy, changed"),
	CASE(report_audit_items, "audit report: 6.5.1 items, missing, systemic"),
	CASE(report_issue, "audit report: issue-report refuses, then issues"),
	CASE(report_programme, "programme dashboard: audits, findings, actions"),
	CASE(report_cli_render, "auditorctl report audit/programme, plan, HTML"),
	CASE(cli_usage, "cli: usage errors exit 2"),
	CASE(cli_auditor, "cli: auditor add/list/show/edit/retire/delete"),
	CASE(cli_area, "cli: area list/show/add/edit/delete"),
	CASE(cli_principal, "cli: principal add/edit/list/show/disable/enable/delete"),
	CASE(cli_me, "cli: me"),
	CASE(cli_events, "cli: events list/verify"),
	CASE(cli_environment, "cli: AUDITORCTL_* environment"),
	CASE(cli_refused, "cli: server refusals exit 3"),
	CASE(cli_competence_usage,
	    "cli competence: usage errors exit 2, nothing sent"),
	CASE(cli_qualification,
	    "cli competence: qualification add/list/show/edit/verify/delete"),
	CASE(cli_training,
	    "cli competence: training add/list/edit/verify/delete, refusals"),
	CASE(cli_evaluation,
	    "cli competence: evaluation add/list/show/edit/delete"),
	CASE(cli_declaration,
	    "cli competence: declaration add/list/show/edit/delete"),
	CASE(cli_own_training,
	    "cli competence: role auditor's own training, unverified"),
	CASE(cli_tls_failed, "cli: TLS failures and wrong port exit 4"),
	CASE(daemon_config_check, "auditord -n checks the configuration"),
	CASE(daemon_bootstrap_refusals,
	    "bootstrap refuses bad input and a mapped certificate"),
	CASE(daemon_sighup, "SIGHUP reloads TLS and keeps serving"),
	CASE(daemon_connection_cap,
	    "connection cap pauses accepting, then resumes"),
	CASE(daemon_deadline, "a trickling peer meets the request deadline"),
	CASE(daemon_flood, "a flood of idle connections from one address "
	    "locks no other out"),
	CASE(daemon_port_taken, "a second auditord on the same port is refused"),
	CASE(import_batches,
	    "import: 1,500 lines, a batch with a bad line keeps nothing"),
	CASE(import_replace, "import: replace as PUT, unchanged, server-made ids"),
	CASE(import_forbidden, "import: per-line grants for hr and auditor"),
	CASE(import_dry_run, "import: dry run writes nothing"),
	CASE(import_bad_bodies,
	    "import: 415, empty bodies, lines not JSON or of no collection"),
	CASE(import_too_many_lines, "import: more than 100,000 lines is 413"),
	CASE(export_collections, "export: every collection, as its list"),
	CASE(export_own, "export: an auditor's own records only"),
	CASE(bulk_cli_exits, "bulk cli: import exit codes and messages"),
	CASE(bulk_csv_round_trip,
	    "bulk cli: CSV round trip into a fresh daemon"),
	CASE(export_pages,
	    "export: pages of 8 MiB, followed by curl and the CLI"),
	CASE(status_answers, "status: fit, gaps, states, ?on=, 400 and 404"),
	CASE(status_me, "status: GET /v1/me embeds it for role auditor"),
	CASE(reports_cpd, "reports: cpd against the prorated minimum"),
	CASE(reports_expiring, "reports: expiring and expired qualifications"),
	CASE(reports_evaluations_due, "reports: evaluations due"),
	CASE(reports_matrix, "reports: competence matrix"),
	CASE(reports_own_scope,
	    "reports: own scope holds only the caller's auditor"),
	CASE(findings_roles, "findings: role auditor through its audits' teams"),
	CASE(findings_lifecycle, "actions: transitions, follow-up, closing"),
	CASE(findings_overdue, "reports: actions overdue"),
	CASE(findings_cli, "auditorctl finding and action: exit codes"),
	CASE(ops_backup, "backup: admin only, an LMDB file, 0600, never half"),
	CASE(ops_personal_export, "personal data: an auditor's export"),
	CASE(ops_personal_erase, "personal data: erasure leaves a tombstone"),
	COMPETENCE_CASES,
	TAIL(daemon_stops_cleanly, "auditord exits 0 on SIGTERM"),
	TAIL(cli_server_down, "cli: server down exits 4"),
	TAIL(events_tamper,
	    "a changed event fails verify (API ok false, CLI exit 1)"),
};
#define NCASES	(sizeof cases / sizeof cases[0])

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

/*
 * 1 if an item of the comma-separated list is part of the case's name
 * (rest_area_crud, rest_) or of its text (framing).
 */
static int
selected(const char *list, const struct api_case *c)
{
	char	 buf[512], *w, *save = NULL;

	snprintf(buf, sizeof buf, "%s", list);
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save))
		if (strstr(c->name, w) != NULL || strstr(c->text, w) != NULL)
			return 1;
	return 0;
}

/* A small PRNG of our own: the same seed gives the same order anywhere. */
static unsigned long
next_rand(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return *state >> 33;
}

/*
 * The run order: the cases the variables select, in table order, reversed
 * or shuffled as asked, then the tail. Returns how many.
 */
static size_t
run_order(const struct api_case **out)
{
	const char		*only = getenv("AUDITORD_API_ONLY");
	const char		*skip = getenv("AUDITORD_API_SKIP");
	const char		*shuffle = getenv("AUDITORD_API_SHUFFLE");
	const char		*reverse = getenv("AUDITORD_API_REVERSE");
	const struct api_case	*t;
	unsigned long		 state;
	size_t			 i, n = 0, body;

	for (i = 0; i < NCASES; i++)
		if (!cases[i].tail &&
		    (only == NULL || selected(only, &cases[i])) &&
		    (skip == NULL || !selected(skip, &cases[i])))
			out[n++] = &cases[i];
	body = n;
	if (reverse != NULL && *reverse != '\0' && strcmp(reverse, "0") != 0)
		for (i = 0; i < body / 2; i++) {
			t = out[i];
			out[i] = out[body - 1 - i];
			out[body - 1 - i] = t;
		}
	if (shuffle != NULL && *shuffle != '\0') {
		state = strtoul(shuffle, NULL, 10);
		for (i = body; i > 1; i--) {
			size_t	j = next_rand(&state) % i;

			t = out[i - 1];
			out[i - 1] = out[j];
			out[j] = t;
		}
	}
	for (i = 0; i < NCASES; i++)
		if (cases[i].tail &&
		    (only == NULL || selected(only, &cases[i])) &&
		    (skip == NULL || !selected(skip, &cases[i])))
			out[n++] = &cases[i];
	return n;
}

int
main(void)
{
	const struct api_case	*order[NCASES];
	CU_pSuite		 s;
	unsigned		 fails;
	size_t			 i, n;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return CU_get_error();
	s = CU_add_suite("api", suite_init, suite_clean);
	if (s == NULL)
		goto err;
	n = run_order(order);
	/* AUDITORD_API_LIST=1: print the run order's names, run nothing. */
	if (getenv("AUDITORD_API_LIST") != NULL) {
		for (i = 0; i < n; i++)
			printf("%s\n", order[i]->name);
		CU_cleanup_registry();
		return fflush(stdout) != 0;
	}
	if (getenv("AUDITORD_API_SHUFFLE") != NULL)
		printf("cases shuffled with seed %s\n",
		    getenv("AUDITORD_API_SHUFFLE"));
	if (n == 0) {
		/* A selection that matches nothing is a mistake, not a pass. */
		fprintf(stderr, "no case matches AUDITORD_API_ONLY/SKIP\n");
		CU_cleanup_registry();
		return 1;
	}
	for (i = 0; i < n; i++)
		if (CU_add_test(s, order[i]->text, order[i]->fn) == NULL)
			goto err;
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
