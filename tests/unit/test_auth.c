/*
 * test_auth.c: the role table of DESIGN §7 and role names.
 */
#include "cu.h"

#include "auth.h"

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

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "role names", test_roles },
		{ "role table scopes", test_scopes },
		{ "every route is granted to admin", test_routes_have_grants },
		{ NULL, NULL }
	};

	return cu_run("auth", tests);
}
