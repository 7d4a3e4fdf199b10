/*
 * test_auth.c: the role table of DESIGN §7 and role names.
 */
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/records.h"
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

static void
test_scopes(void)
{
	/* admin: everything */
	CU_ASSERT_EQUAL(auth_scope(ROLE_ADMIN, "principals", ACCESS_WRITE),
	    SCOPE_ALL);
	CU_ASSERT_EQUAL(auth_scope(ROLE_ADMIN, "auditors", ACCESS_WRITE),
	    SCOPE_ALL);
	/* manager reads competence records, does not write them */
	CU_ASSERT_EQUAL(auth_scope(ROLE_MANAGER, "auditors", ACCESS_READ),
	    SCOPE_ALL);
	CU_ASSERT_EQUAL(auth_scope(ROLE_MANAGER, "auditors", ACCESS_WRITE),
	    SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(ROLE_MANAGER, "principals", ACCESS_READ),
	    SCOPE_DENY);
	/* hr keeps auditors and areas */
	CU_ASSERT_EQUAL(auth_scope(ROLE_HR, "auditors", ACCESS_WRITE),
	    SCOPE_ALL);
	CU_ASSERT_EQUAL(auth_scope(ROLE_HR, "areas", ACCESS_WRITE), SCOPE_ALL);
	CU_ASSERT_EQUAL(auth_scope(ROLE_HR, "principals", ACCESS_READ),
	    SCOPE_DENY);
	/* an auditor sees their own profile only */
	CU_ASSERT_EQUAL(auth_scope(ROLE_AUDITOR, "auditors", ACCESS_READ),
	    SCOPE_OWN);
	CU_ASSERT_EQUAL(auth_scope(ROLE_AUDITOR, "auditors", ACCESS_WRITE),
	    SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(ROLE_AUDITOR, "events", ACCESS_READ),
	    SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(ROLE_AUDITOR, "me", ACCESS_READ),
	    SCOPE_ALL);
	/* viewer reads all but principals */
	CU_ASSERT_EQUAL(auth_scope(ROLE_VIEWER, "auditors", ACCESS_READ),
	    SCOPE_ALL);
	CU_ASSERT_EQUAL(auth_scope(ROLE_VIEWER, "areas", ACCESS_WRITE),
	    SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(ROLE_VIEWER, "principals", ACCESS_READ),
	    SCOPE_DENY);
	/* unknown objects are admin-only; no role means nothing */
	CU_ASSERT_EQUAL(auth_scope(ROLE_ADMIN, "backup", ACCESS_READ),
	    SCOPE_ALL);
	CU_ASSERT_EQUAL(auth_scope(ROLE_VIEWER, "backup", ACCESS_READ),
	    SCOPE_DENY);
	CU_ASSERT_EQUAL(auth_scope(ROLE_NONE, "areas", ACCESS_READ),
	    SCOPE_DENY);
	/* open routes need no role */
	CU_ASSERT_EQUAL(auth_scope(ROLE_NONE, NULL, ACCESS_OPEN), SCOPE_ALL);
}

/* Every route's object is in the role table or is admin-only on purpose. */
static void
test_routes_have_grants(void)
{
	const struct resource *const	*r;
	size_t				 i;

	for (r = router_resources; *r != NULL; r++)
		for (i = 0; i < (*r)->nroutes; i++) {
			const struct route *rt = &(*r)->routes[i];
			if (rt->access == ACCESS_OPEN)
				continue;
			CU_ASSERT_EQUAL(auth_scope(ROLE_ADMIN, rt->object,
			    ACCESS_READ), SCOPE_ALL);
		}
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
	/* Twice: the second answer comes from the cache, the same. */
	memset(&who, 0, sizeof who);
	CU_ASSERT_EQUAL(lookup_now(st, c, sha, &who), 0);
	CU_ASSERT_STRING_EQUAL(who.id, "p1");
	CU_ASSERT_EQUAL(lookup_now(st, c, other, &who), -1);

	/* Disabled: the very next lookup says no. */
	json_object_set_new(put_doc, "disabled", json_true());
	CU_ASSERT_EQUAL_FATAL(store_write(st, put_principal, NULL, "t"), 0);
	CU_ASSERT_EQUAL(lookup_now(st, c, sha, &who), -1);
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
		{ "role table scopes", test_scopes },
		{ "every route is granted to admin", test_routes_have_grants },
		{ "principal cache follows the store", test_cache_follows_store },
		{ NULL, NULL }
	};

	return cu_run("auth", tests);
}
