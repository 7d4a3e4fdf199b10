/*
 * test_router.c: route matching, parameters, 404/405 and the Allow list.
 */
#include <string.h>

#include "cu.h"

#include "api/router.h"

static char	params[REQ_MAXPARAMS][ID_MAX + 1];

static const struct route *
get(enum evhttp_cmd_type m, const char *path, int *rc, unsigned *allow)
{
	const struct route	*rt = NULL;

	memset(params, 0, sizeof params);
	*rc = router_match(m, path, &rt, params, allow);
	return rt;
}

static void
test_collection_routes(void)
{
	const struct route	*rt;
	unsigned		 allow;
	int			 rc;

	rt = get(EVHTTP_REQ_GET, "/v1/auditors", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/v1/auditors");
	CU_ASSERT_EQUAL(rt->access, ACCESS_READ);

	rt = get(EVHTTP_REQ_POST, "/v1/auditors", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_EQUAL(rt->access, ACCESS_WRITE);

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
	const struct route	*rt;
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
	const struct route	*rt;
	unsigned		 allow;
	int			 rc;

	rt = get(EVHTTP_REQ_HEAD, "/v1/areas/legislation", &rc, &allow);
	CU_ASSERT_EQUAL(rc, ROUTER_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_EQUAL(rt->method, EVHTTP_REQ_GET);
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

/* Every route is well formed and no two routes shadow each other. */
static void
test_table_sound(void)
{
	const struct resource *const	*r;
	size_t				 i, n = 0;

	for (r = router_resources; *r != NULL; r++) {
		for (i = 0; i < (*r)->nroutes; i++) {
			const struct route	*rt = &(*r)->routes[i], *got;
			char			 path[256], *p;
			unsigned		 allow;
			int			 rc;

			CU_ASSERT_PTR_NOT_NULL(rt->handler);
			CU_ASSERT(rt->pattern[0] == '/');
			CU_ASSERT(rt->access == ACCESS_OPEN ||
			    rt->object != NULL);
			/* Fill each {x} with "x1" and match it back. */
			snprintf(path, sizeof path, "%s", rt->pattern);
			while ((p = strchr(path, '{')) != NULL) {
				char *q = strchr(p, '}');
				CU_ASSERT_PTR_NOT_NULL_FATAL(q);
				memmove(p + 2, q + 1, strlen(q + 1) + 1);
				p[0] = 'x';
				p[1] = '1';
			}
			got = get(rt->method, path, &rc, &allow);
			CU_ASSERT_EQUAL(rc, ROUTER_OK);
			CU_ASSERT_PTR_EQUAL(got, rt);
			n++;
		}
	}
	CU_ASSERT(n >= 20);
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
		{ NULL, NULL }
	};

	return cu_run("router", tests);
}
