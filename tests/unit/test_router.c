/*
 * test_router.c: route matching, parameters, 404/405 and the Allow list.
 */
#include <stdio.h>
#include <string.h>

#include "cu.h"

#include "api/router.h"

static char	params[REQ_MAXPARAMS][ID_MAX + 1];
static int	rc_dummy;
static unsigned	allow_dummy;

static const struct router_entry *
get(enum evhttp_cmd_type m, const char *path, int *rc, unsigned *allow)
{
	const struct router_entry	*rt = NULL;

	memset(params, 0, sizeof params);
	*rc = router_match(m, path, &rt, params, allow);
	return rt;
}

static void
test_collection_routes(void)
{
	const struct router_entry	*rt;
	unsigned		 allow;
	int			 rc;

	rt = get(EVHTTP_REQ_GET, "/v1/auditors", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/v1/auditors");
	CU_ASSERT_EQUAL(rt->route->access, ACCESS_READ);

	rt = get(EVHTTP_REQ_POST, "/v1/auditors", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_EQUAL(rt->route->access, ACCESS_WRITE);

	rt = get(EVHTTP_REQ_PATCH, "/v1/auditors/alice", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/v1/auditors/{id}");
	CU_ASSERT_STRING_EQUAL(params[0], "alice");

	rt = get(EVHTTP_REQ_POST, "/v1/auditors/a.b-c_9/retire", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/v1/auditors/{id}/retire");
	CU_ASSERT_STRING_EQUAL(params[0], "a.b-c_9");
}

/* A route with fewer parameters leaves no stale segment behind. */
static void
test_params_cleared(void)
{
	const struct router_entry	*rt;
	char			 p[REQ_MAXPARAMS][ID_MAX + 1];
	unsigned		 allow;

	memset(p, 'x', sizeof p);
	CU_ASSERT_EQUAL(router_match(EVHTTP_REQ_GET, "/v1/auditors", &rt, p,
	    &allow), ROUTER_OK);
	CU_ASSERT_EQUAL(p[0][0], '\0');
	CU_ASSERT_EQUAL(p[REQ_MAXPARAMS - 1][0], '\0');
	memset(p, 'x', sizeof p);
	CU_ASSERT_EQUAL(router_match(EVHTTP_REQ_GET, "/v1/auditors/bob", &rt,
	    p, &allow), ROUTER_OK);
	CU_ASSERT_STRING_EQUAL(p[0], "bob");
	CU_ASSERT_EQUAL(p[1][0], '\0');
}

static void
test_head_is_get(void)
{
	const struct router_entry	*rt;
	unsigned		 allow;
	int			 rc;

	rt = get(EVHTTP_REQ_HEAD, "/v1/areas/legislation", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_EQUAL(rt->route->method, EVHTTP_REQ_GET);
}

static void
test_not_found(void)
{
	unsigned	allow;
	int		rc;

	get(EVHTTP_REQ_GET, "/v1/nothing", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
	get(EVHTTP_REQ_GET, "/v1/auditors/alice/extra/more", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
	get(EVHTTP_REQ_GET, "/v1", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
	get(EVHTTP_REQ_GET, "/v1/auditorsx", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
	/* A {id} segment must be a record id. */
	get(EVHTTP_REQ_GET, "/v1/auditors/a b", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
	get(EVHTTP_REQ_GET, "/v1/auditors/..", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
	get(EVHTTP_REQ_GET, "/v1/auditors/"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_NOTFOUND);
}

static void
test_bad_method(void)
{
	char		buf[128];
	unsigned	allow;
	int		rc;

	get(EVHTTP_REQ_DELETE, "/v1/auditors", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_BADMETHOD);
	CU_ASSERT(allow & EVHTTP_REQ_GET);
	CU_ASSERT(allow & EVHTTP_REQ_POST);
	CU_ASSERT_FALSE(allow & EVHTTP_REQ_DELETE);
	router_allow_string(allow, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "GET, HEAD, POST");

	get(EVHTTP_REQ_POST, "/v1/events", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_BADMETHOD);
	router_allow_string(allow, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "GET, HEAD");
}

/* Every built route is well formed and no two routes shadow each other. */
static void
test_table_sound(void)
{
	size_t	i, n = router_count();

	for (i = 0; i < n; i++) {
		const struct router_entry	*e = router_entry(i), *got;
		char				 path[256], *p;
		unsigned			 allow;
		int				 rc;

		CU_ASSERT_PTR_NOT_NULL(e->route->handler);
		CU_ASSERT(e->pattern[0] == '/');
		/* Fill each {x} with "x1" and match it back. */
		snprintf(path, sizeof path, "%s", e->pattern);
		while ((p = strchr(path, '{')) != NULL) {
			char *q = strchr(p, '}');
			CU_ASSERT_PTR_NOT_NULL_FATAL(q);
			memmove(p + 2, q + 1, strlen(q + 1) + 1);
			p[0] = 'x';
			p[1] = '1';
		}
		got = get(e->route->method, path, &rc, &allow);
		CU_ASSERT_EQUAL(rc, ROUTER_OK);
		CU_ASSERT_PTR_EQUAL(got, e);
	}
	CU_ASSERT(n >= 20);
	/* The standard verbs are built from the entry, under its name. */
	CU_ASSERT_PTR_NOT_NULL(get(EVHTTP_REQ_DELETE, "/v1/areas/x1", &rc_dummy,
	    &allow_dummy));
	CU_ASSERT_EQUAL(router_resource("trainings")->verbs, VERBS_ALL);
	/* Auditors have a delete of their own (?erase=true); it routes. */
	CU_ASSERT_EQUAL(router_resource("auditors")->verbs,
	    VERBS_ALL & ~VERB_DELETE);
	CU_ASSERT_PTR_NOT_NULL(get(EVHTTP_REQ_DELETE, "/v1/auditors/x1",
	    &rc_dummy, &allow_dummy));
	CU_ASSERT_PTR_NULL(router_resource("nosuch"));
}

static void
nop(struct call *c)
{
	(void)c;
}

/* A route without a decision for some role never gets into the table. */
static void
test_refuses_missing_grant(void)
{
	static const struct route	extra[] = {
		{ EVHTTP_REQ_GET, "{id}/x", ACCESS_READ, OWNER_RECORD, nop,
		    NULL },
	};
	/* hr's read left out */
	static const struct resource	r1 = {
		.name = "things", .schema = "area",
		.grants = {
			.read = { SCOPE_UNSET, SCOPE_ALL, SCOPE_ALL,
			    SCOPE_UNSET, SCOPE_DENY, SCOPE_ALL },
			.write = SCOPES(ALL, DENY, DENY, DENY, DENY),
		},
		.routes = extra, .nroutes = 1,
	};
	/* own scope, but the records name no owner */
	static const struct resource	r2 = {
		.name = "things", .schema = "area",
		.grants = {
			.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
			.write = SCOPES(ALL, DENY, DENY, DENY, DENY),
		},
		.verbs = VERB_GET,
	};
	/* a write route, and no write grants at all */
	static const struct resource	r3 = {
		.name = "things", .schema = "area",
		.grants = { .read = SCOPES(ALL, ALL, ALL, ALL, ALL) },
		.verbs = VERB_GET | VERB_DELETE,
	};
	/* the same, well granted */
	static const struct resource	r4 = {
		.name = "things", .schema = "area",
		.grants = {
			.read = SCOPES(ALL, ALL, ALL, ALL, ALL),
			.write = SCOPES(ALL, DENY, DENY, DENY, DENY),
		},
		.verbs = VERB_GET | VERB_DELETE,
	};
	const struct resource	*l1[] = { &r1, NULL }, *l2[] = { &r2, NULL };
	const struct resource	*l3[] = { &r3, NULL }, *l4[] = { &r4, NULL };
	const struct resource	*l5[] = { &r4, &r4, NULL };
	char			 err[256];

	CU_ASSERT_EQUAL(router_build(l1, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "GET /v1/things/{id}/x: no read grant for "
	    "role 3");
	CU_ASSERT_EQUAL(router_count(), 0);
	CU_ASSERT_EQUAL(router_build(l2, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "own scope"));
	CU_ASSERT_EQUAL(router_build(l3, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "DELETE /v1/things/{id}: no write grant "
	    "for role 1");
	CU_ASSERT_EQUAL(router_build(l4, err, sizeof err), 0);
	CU_ASSERT_EQUAL(router_count(), 2);
	CU_ASSERT_EQUAL(router_build(l5, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "two routes"));
	/* Back to the daemon's own table for the other tests. */
	CU_ASSERT_EQUAL_FATAL(router_init(err, sizeof err), 0);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "collection routes and parameters", test_collection_routes },
		{ "unused parameters are cleared", test_params_cleared },
		{ "HEAD answered by the GET route", test_head_is_get },
		{ "unknown paths and bad ids", test_not_found },
		{ "405 with the Allow list", test_bad_method },
		{ "every table route matches itself", test_table_sound },
		{ "a route without a grant is refused",
		    test_refuses_missing_grant },
		{ NULL, NULL }
	};

	char	err[256];

	if (router_init(err, sizeof err) != 0) {
		fprintf(stderr, "router_init: %s\n", err);
		return 1;
	}
	return cu_run("router", tests);
}
