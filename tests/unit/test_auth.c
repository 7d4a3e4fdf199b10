/*
 * test_auth.c: every route's grants against a table written out here,
 * role names, scope edges, and the principal cache.
 */
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/records.h"
#include "api/router.h"
#include "store/store.h"

static void
test_roles(void)
{
	CU_ASSERT_EQUAL(auth_role_parse("admin"), ROLE_ADMIN);
	CU_ASSERT_EQUAL(auth_role_parse("viewer"), ROLE_VIEWER);
	CU_ASSERT_EQUAL(auth_role_parse("root"), ROLE_NONE);
	CU_ASSERT_EQUAL(auth_role_parse(""), ROLE_NONE);
	CU_ASSERT_EQUAL(auth_role_parse("none"), ROLE_NONE);
	CU_ASSERT_STRING_EQUAL(auth_role_name(ROLE_HR), "hr");
}

/*
 * Who may do what, written out route by route (DESIGN's role table): the
 * router's table must hold exactly these routes with exactly these scopes.
 * A new route fails this test until its row is written here.
 * Scopes per role, in the order admin, manager, hr, auditor, viewer:
 * A all, O own, D deny; "open" routes need no principal.
 */
struct row {
	const char	*method;
	const char	*pattern;
	const char	*scopes;	/* 5 letters, or "open" */
};

static const struct row rows[] = {
	{ "GET",	"/livez",			"open" },
	{ "GET",	"/readyz",			"open" },
	/* Every role; the handler narrows to admin, or anyone on loopback. */
	{ "GET",	"/metrics",			"AAAAA" },
	{ "GET",	"/v1/actions",			"AAAOA" },
	{ "POST",	"/v1/actions",			"AADDD" },
	{ "GET",	"/v1/actions/{id}",		"AAAOA" },
	{ "PUT",	"/v1/actions/{id}",		"AADDD" },
	{ "PATCH",	"/v1/actions/{id}",		"AADDD" },
	{ "DELETE",	"/v1/actions/{id}",		"AADDD" },
	{ "GET",	"/v1/areas",			"AAAAA" },
	{ "GET",	"/v1/assignments",		"AAAOA" },
	{ "POST",	"/v1/assignments",		"AADDD" },
	{ "GET",	"/v1/assignments/{id}",		"AAAOA" },
	{ "PUT",	"/v1/assignments/{id}",		"AADDD" },
	{ "PATCH",	"/v1/assignments/{id}",		"AADDD" },
	{ "DELETE",	"/v1/assignments/{id}",		"AADDD" },
	{ "POST",	"/v1/areas",			"ADADD" },
	{ "GET",	"/v1/areas/{id}",		"AAAAA" },
	{ "PUT",	"/v1/areas/{id}",		"ADADD" },
	{ "PATCH",	"/v1/areas/{id}",		"ADADD" },
	{ "DELETE",	"/v1/areas/{id}",		"ADADD" },
	{ "GET",	"/v1/auditors",			"AAAOA" },
	{ "POST",	"/v1/auditors",			"ADADD" },
	{ "GET",	"/v1/auditors/{id}",		"AAAOA" },
	{ "PUT",	"/v1/auditors/{id}",		"ADADD" },
	{ "PATCH",	"/v1/auditors/{id}",		"ADADD" },
	{ "DELETE",	"/v1/auditors/{id}",		"ADADD" },
	{ "POST",	"/v1/auditors/{id}/retire",	"ADADD" },
	{ "GET",	"/v1/auditors/{id}/status",	"AAAOA" },
	{ "GET",	"/v1/auditors/{id}/export",	"ADAOD" },
	{ "GET",	"/v1/backup",			"ADDDD" },
	{ "GET",	"/v1/audits",			"AAAOA" },
	{ "POST",	"/v1/audits",			"AADDD" },
	{ "GET",	"/v1/audits/{id}",			"AAAOA" },
	{ "PUT",	"/v1/audits/{id}",			"AADDD" },
	{ "PATCH",	"/v1/audits/{id}",			"AADDD" },
	{ "DELETE",	"/v1/audits/{id}",			"AADDD" },
	{ "POST",	"/v1/audits/{id}/check",		"AAADA" },
	{ "GET",	"/v1/audits/{id}/report",		"AAAOA" },
	{ "POST",	"/v1/audits/{id}/issue-report",		"AADDD" },
	{ "GET",	"/v1/audits/{id}/candidates",		"AAADA" },
	{ "POST",	"/v1/audits/{id}/propose",		"AADDD" },
	{ "GET",	"/v1/events",			"AAADA" },
	{ "GET",	"/v1/events/verify",		"AAADA" },
	{ "GET",	"/v1/findings",			"AAAOA" },
	{ "POST",	"/v1/findings",			"AADOD" },
	{ "GET",	"/v1/findings/{id}",		"AAAOA" },
	{ "PUT",	"/v1/findings/{id}",		"AADOD" },
	{ "PATCH",	"/v1/findings/{id}",		"AADOD" },
	{ "DELETE",	"/v1/findings/{id}",		"AADOD" },
	{ "GET",	"/v1/me",			"AAAOA" },
	{ "GET",	"/v1/principals",		"ADDDD" },
	{ "POST",	"/v1/principals",		"ADDDD" },
	{ "GET",	"/v1/principals/{id}",		"ADDDD" },
	{ "PUT",	"/v1/principals/{id}",		"ADDDD" },
	{ "PATCH",	"/v1/principals/{id}",		"ADDDD" },
	{ "DELETE",	"/v1/principals/{id}",		"ADDDD" },
	{ "POST",	"/v1/principals/{id}/disable",	"ADDDD" },
	{ "POST",	"/v1/principals/{id}/enable",	"ADDDD" },
	{ "GET",	"/v1/tokens",			"ADDDD" },
	{ "POST",	"/v1/tokens",			"ADDDD" },
	{ "GET",	"/v1/tokens/{id}",		"ADDDD" },
	{ "DELETE",	"/v1/tokens/{id}",		"ADDDD" },
	{ "POST",	"/v1/tokens/{id}/revoke",	"ADDDD" },
	{ "GET",	"/v1/declarations",			"AAAOA" },
	{ "POST",	"/v1/declarations",			"ADAOD" },
	{ "GET",	"/v1/declarations/{id}",			"AAAOA" },
	{ "PUT",	"/v1/declarations/{id}",			"ADAOD" },
	{ "PATCH",	"/v1/declarations/{id}",			"ADAOD" },
	{ "DELETE",	"/v1/declarations/{id}",			"ADAOD" },
	{ "GET",	"/v1/evaluations",			"AAAOA" },
	{ "POST",	"/v1/evaluations",			"AAADD" },
	{ "GET",	"/v1/evaluations/{id}",			"AAAOA" },
	{ "PUT",	"/v1/evaluations/{id}",			"AAADD" },
	{ "PATCH",	"/v1/evaluations/{id}",			"AAADD" },
	{ "DELETE",	"/v1/evaluations/{id}",			"AAADD" },
	{ "GET",	"/v1/programmes",			"AAADA" },
	{ "POST",	"/v1/programmes",			"AADDD" },
	{ "GET",	"/v1/programmes/{id}",			"AAADA" },
	{ "PUT",	"/v1/programmes/{id}",			"AADDD" },
	{ "PATCH",	"/v1/programmes/{id}",			"AADDD" },
	{ "DELETE",	"/v1/programmes/{id}",			"AADDD" },
	{ "GET",	"/v1/qualifications",			"AAAOA" },
	{ "POST",	"/v1/qualifications",			"ADADD" },
	{ "GET",	"/v1/qualifications/{id}",		"AAAOA" },
	{ "PUT",	"/v1/qualifications/{id}",		"ADADD" },
	{ "PATCH",	"/v1/qualifications/{id}",		"ADADD" },
	{ "DELETE",	"/v1/qualifications/{id}",		"ADADD" },
	{ "POST",	"/v1/qualifications/{id}/verify",	"ADADD" },
	{ "GET",	"/v1/reports/cpd",			"AAAOA" },
	{ "GET",	"/v1/reports/expiring",			"AAAOA" },
	{ "GET",	"/v1/reports/evaluations-due",		"AAAOA" },
	{ "GET",	"/v1/reports/matrix",			"AAAOA" },
	{ "GET",	"/v1/reports/programme/{id}",		"AAADA" },
	{ "GET",	"/v1/reports/actions-overdue",		"AAAOA" },
	{ "GET",	"/v1/trainings",				"AAAOA" },
	{ "POST",	"/v1/trainings",				"ADAOD" },
	{ "GET",	"/v1/trainings/{id}",			"AAAOA" },
	{ "PUT",	"/v1/trainings/{id}",			"ADAOD" },
	{ "PATCH",	"/v1/trainings/{id}",			"ADAOD" },
	{ "DELETE",	"/v1/trainings/{id}",			"ADAOD" },
	{ "POST",	"/v1/trainings/{id}/verify",		"ADADD" },
	{ "POST",	"/v1/import",				"AAAOD" },
	{ "GET",	"/v1/export/actions",			"AAAOA" },
	{ "GET",	"/v1/export/areas",			"AAAAA" },
	{ "GET",	"/v1/export/assignments",		"AAAOA" },
	{ "GET",	"/v1/export/auditors",			"AAAOA" },
	{ "GET",	"/v1/export/audits",			"AAAOA" },
	{ "GET",	"/v1/export/declarations",		"AAAOA" },
	{ "GET",	"/v1/export/evaluations",		"AAAOA" },
	{ "GET",	"/v1/export/findings",			"AAAOA" },
	{ "GET",	"/v1/export/principals",		"ADDDD" },
	{ "GET",	"/v1/export/programmes",		"AAADA" },
	{ "GET",	"/v1/export/qualifications",		"AAAOA" },
	{ "GET",	"/v1/export/trainings",			"AAAOA" },
};

static char
letter(enum scope s)
{
	switch (s) {
	case SCOPE_ALL:
		return 'A';
	case SCOPE_OWN:
		return 'O';
	case SCOPE_DENY:
		return 'D';
	default:
		return '?';
	}
}

/* The route's scopes as the daemon decides them, through auth_scope. */
static void
decided(const struct router_entry *e, char *out)
{
	const struct grants	*g = router_grants(e);
	int			 role;

	if (e->route->access == ACCESS_OPEN) {
		strcpy(out, "open");
		return;
	}
	for (role = ROLE_ADMIN; role < ROLE_COUNT; role++)
		out[role - 1] = letter(auth_scope(g, (enum role)role,
		    e->route->access));
	out[ROLE_COUNT - 1] = '\0';
}

static void
test_route_grants(void)
{
	size_t	i, j, n = router_count();
	int	seen[sizeof rows / sizeof rows[0]];
	char	got[8];

	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++) {
		const struct router_entry *e = router_entry(i);
		const char *m = http_method_name(e->route->method);

		for (j = 0; j < sizeof rows / sizeof rows[0]; j++)
			if (strcmp(rows[j].method, m) == 0 &&
			    strcmp(rows[j].pattern, e->pattern) == 0)
				break;
		if (j == sizeof rows / sizeof rows[0]) {
			fprintf(stderr, "no row for %s %s\n", m, e->pattern);
			CU_FAIL("a route has no row in the test's table");
			continue;
		}
		seen[j] = 1;
		decided(e, got);
		if (strcmp(got, rows[j].scopes) != 0)
			fprintf(stderr, "%s %s: %s, want %s\n", m, e->pattern,
			    got, rows[j].scopes);
		CU_ASSERT_STRING_EQUAL(got, rows[j].scopes);
	}
	for (j = 0; j < sizeof rows / sizeof rows[0]; j++) {
		if (!seen[j])
			fprintf(stderr, "no route for %s %s\n", rows[j].method,
			    rows[j].pattern);
		CU_ASSERT(seen[j]);
	}
}

static void
test_scope_edges(void)
{
	static const struct grants	g = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, DENY, ALL, DENY, DENY),
	};
	static const struct grants	unset = { .read = { SCOPE_UNSET } };

	CU_ASSERT_EQUAL(auth_scope(&g, ROLE_AUDITOR, ACCESS_READ), SCOPE_OWN);
	CU_ASSERT_EQUAL(auth_scope(&g, ROLE_MANAGER, ACCESS_WRITE),
	    SCOPE_DENY);
	/* no role, an unknown role, or a grant left unset: nothing */
	CU_ASSERT_EQUAL(auth_scope(&g, ROLE_NONE, ACCESS_READ), SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(&g, ROLE_COUNT, ACCESS_READ), SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(&unset, ROLE_ADMIN, ACCESS_READ),
	    SCOPE_DENY);
	/* open routes need no role */
	CU_ASSERT_EQUAL(auth_scope(&unset, ROLE_NONE, ACCESS_OPEN), SCOPE_ALL);
}

static json_t	*put_doc;

static int
put_principal(struct store_txn *t, void *arg)
{
	struct store_err	err;

	(void)arg;
	return store_txn_put(t, "principals", "p1", put_doc, STORE_REV_ANY,
	    NULL, NULL, &err);
}

static int
create_principal(struct store_txn *t, void *arg)
{
	struct store_err	err;

	(void)arg;
	return store_txn_put(t, "principals", "p1", put_doc, STORE_REV_CREATE,
	    NULL, NULL, &err);
}

static int
lookup_now(struct store *st, struct auth_cache *c, const unsigned char *sha,
    struct principal *who)
{
	MDB_txn	*txn;
	int	 rc;

	CU_ASSERT_FATAL(store_read_begin(st, &txn) == 0);
	rc = auth_principal(st, txn, c, sha, who);
	mdb_txn_abort(txn);
	return rc;
}

/* The cache answers as the store does, before and after a change. */
static void
test_cache_follows_store(void)
{
	char			 dir[] = "/tmp/auditord-auth-XXXXXX", err[256];
	char			 hex[SHA256_HEX], cmd[64];
	unsigned char		 sha[32], other[32];
	struct auth_cache	*c = calloc(1, sizeof *c);
	struct principal	 who;
	struct store		*st;
	int			 i;

	CU_ASSERT_FATAL(c != NULL && mkdtemp(dir) != NULL);
	st = store_open(&(struct store_opts){ .path = dir, .map_size = 1 << 20,
	    .colls = records_store_colls() }, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	for (i = 0; i < 32; i++) {
		sha[i] = (unsigned char)(i * 7 + 1);
		other[i] = (unsigned char)(i * 7 + 1);
	}
	other[31] ^= 1;		/* same slot, other digest */
	util_hex(sha, 32, hex);
	put_doc = json_pack("{s:s, s:s, s:[s], s:b}", "name", "P", "role",
	    "hr", "certs", hex, "disabled", 0);
	CU_ASSERT_EQUAL_FATAL(store_write(st, create_principal, NULL, "t"), 0);

	CU_ASSERT_EQUAL(lookup_now(st, c, sha, &who), 0);
	CU_ASSERT_STRING_EQUAL(who.id, "p1");
	CU_ASSERT_EQUAL(who.role, ROLE_HR);
	CU_ASSERT_EQUAL(c->lookups, 1);
	/* Twice: the second answer comes from the cache, the same. */
	memset(&who, 0, sizeof who);
	CU_ASSERT_EQUAL(lookup_now(st, c, sha, &who), 0);
	CU_ASSERT_STRING_EQUAL(who.id, "p1");
	CU_ASSERT_EQUAL(c->lookups, 1);
	/* Same slot, other digest: a lookup, and the answer is no. */
	CU_ASSERT_EQUAL(lookup_now(st, c, other, &who), -1);
	CU_ASSERT_EQUAL(c->lookups, 2);
	CU_ASSERT_EQUAL(lookup_now(st, c, other, &who), -1);
	CU_ASSERT_EQUAL(c->lookups, 2);

	/* Disabled: the very next lookup goes to the store and says no. */
	json_object_set_new(put_doc, "disabled", json_true());
	CU_ASSERT_EQUAL_FATAL(store_write(st, put_principal, NULL, "t"), 0);
	CU_ASSERT_EQUAL(lookup_now(st, c, sha, &who), -1);
	CU_ASSERT_EQUAL(c->lookups, 3);
	CU_ASSERT_EQUAL(lookup_now(st, NULL, sha, &who), -1);

	/* Enabled again with another role: seen at once. */
	json_object_set_new(put_doc, "disabled", json_false());
	json_object_set_new(put_doc, "role", json_string("viewer"));
	CU_ASSERT_EQUAL_FATAL(store_write(st, put_principal, NULL, "t"), 0);
	CU_ASSERT_EQUAL(lookup_now(st, c, sha, &who), 0);
	CU_ASSERT_EQUAL(who.role, ROLE_VIEWER);

	json_decref(put_doc);
	store_free(st);
	free(c);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "role names", test_roles },
		{ "every route's grants, role by role", test_route_grants },
		{ "scope edges", test_scope_edges },
		{ "principal cache follows the store", test_cache_follows_store },
		{ NULL, NULL }
	};

	char	err[256];

	if (router_init(err, sizeof err) != 0) {
		fprintf(stderr, "router_init: %s\n", err);
		return 1;
	}
	return cu_run("auth", tests);
}
