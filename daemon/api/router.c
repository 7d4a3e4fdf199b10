/*
 * router.c: the one list of resources, the route table built from it, and
 * matching a method and path to a route. Patterns are literal segments and
 * {name} segments; a {name} segment matches one record id.
 */
#include <stdio.h>
#include <string.h>

#include "api/records.h"
#include "api/router.h"
#include "api/view.h"
#include "server/metrics.h"

extern const struct resource resource_actions;
extern const struct resource resource_areas;
extern const struct resource resource_assignments;
extern const struct resource resource_auditors;
extern const struct resource resource_backup;
extern const struct resource resource_audits;
extern const struct resource resource_declarations;
extern const struct resource resource_evaluations;
extern const struct resource resource_events;
extern const struct resource resource_findings;
extern const struct resource resource_health;
extern const struct resource resource_import;
extern const struct resource resource_me;
extern const struct resource resource_metrics;
extern const struct resource resource_principals;
extern const struct resource resource_programmes;
extern const struct resource resource_qualifications;
extern const struct resource resource_reports;
extern const struct resource resource_tokens;
extern const struct resource resource_trainings;

const struct resource *const router_resources[] = {
	&resource_actions,
	&resource_areas,
	&resource_assignments,
	&resource_auditors,
	&resource_backup,
	&resource_audits,
	&resource_declarations,
	&resource_evaluations,
	&resource_events,
	&resource_findings,
	&resource_health,
	&resource_import,
	&resource_me,
	&resource_metrics,
	&resource_principals,
	&resource_programmes,
	&resource_qualifications,
	&resource_reports,
	&resource_tokens,
	&resource_trainings,
	NULL
};

#define ROUTER_MAX	256
/* Every route has counters of its own (route id = index + 1). */
_Static_assert(ROUTER_MAX < METRICS_ROUTES, "METRICS_ROUTES too small");

static struct router_entry	table[ROUTER_MAX];
static size_t			ntable;

static const enum evhttp_cmd_type all_methods[] = {
	EVHTTP_REQ_GET, EVHTTP_REQ_HEAD, EVHTTP_REQ_POST, EVHTTP_REQ_PUT,
	EVHTTP_REQ_PATCH, EVHTTP_REQ_DELETE, EVHTTP_REQ_OPTIONS,
	EVHTTP_REQ_TRACE, EVHTTP_REQ_CONNECT,
};

void
router_allow_string(unsigned allow, char *buf, size_t len)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NELEM(all_methods); i++) {
		if ((allow & all_methods[i]) == 0)
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
		    off > 0 ? ", " : "", http_method_name(all_methods[i]));
	}
}

const struct grants *
router_grants(const struct router_entry *e)
{
	return e->route->grants != NULL ? e->route->grants : &e->res->grants;
}

static int
check_grants(const struct router_entry *e, char *err, size_t errlen)
{
	const struct grants	*g = router_grants(e);
	const enum scope	*row;
	int			 role;

	if (e->route->access == ACCESS_OPEN)
		return 0;
	row = e->route->access == ACCESS_READ ? g->read : g->write;
	for (role = ROLE_ADMIN; role < ROLE_COUNT; role++) {
		if (row[role] == SCOPE_UNSET) {
			snprintf(err, errlen, "%s %s: no %s grant for role %d",
			    http_method_name(e->route->method), e->pattern,
			    e->route->access == ACCESS_READ ? "read" : "write",
			    role);
			return -1;
		}
		if (row[role] == SCOPE_OWN &&
		    e->route->owner == OWNER_RECORD && e->res->owner == NULL &&
		    e->res->via == NULL &&
		    (e->res->member == NULL || e->route->access != ACCESS_READ)) {
			snprintf(err, errlen, "%s %s: own scope, but %s names "
			    "no owner field", http_method_name(e->route->method),
			    e->pattern, e->res->name);
			return -1;
		}
	}
	return 0;
}

static int
add(const struct resource *res, const struct route *rt, char *err,
    size_t errlen)
{
	struct router_entry	*e;
	size_t			 i;
	int			 n;

	if (ntable == ROUTER_MAX) {
		snprintf(err, errlen, "more than %d routes", ROUTER_MAX);
		return -1;
	}
	e = &table[ntable];
	e->route = rt;
	e->res = res;
	if (records_route_verb(rt) == VERB_EXPORT)
		n = snprintf(e->pattern, sizeof e->pattern, "/v1/export/%s",
		    res->name);
	else if (rt->path[0] == '/')
		n = snprintf(e->pattern, sizeof e->pattern, "%s", rt->path);
	else
		n = snprintf(e->pattern, sizeof e->pattern, "/v1/%s%s%s",
		    res->name, rt->path[0] != '\0' ? "/" : "", rt->path);
	if (n < 0 || (size_t)n >= sizeof e->pattern) {
		snprintf(err, errlen, "%s: a route's path is too long",
		    res->name);
		return -1;
	}
	if (rt->handler == NULL) {
		snprintf(err, errlen, "%s: no handler", e->pattern);
		return -1;
	}
	for (i = 0; i < ntable; i++)
		if (table[i].route->method == rt->method &&
		    strcmp(table[i].pattern, e->pattern) == 0) {
			snprintf(err, errlen, "%s %s: two routes",
			    http_method_name(rt->method), e->pattern);
			return -1;
		}
	if (check_grants(e, err, errlen) != 0)
		return -1;
	ntable++;
	return 0;
}

int
router_init(char *err, size_t errlen)
{
	return router_build(router_resources, err, errlen);
}

int
router_build(const struct resource *const *list, char *err, size_t errlen)
{
	const struct resource *const	*r;
	const struct route		*std;
	size_t				 i, nstd;

	ntable = 0;
	std = records_routes(&nstd);
	for (r = list; *r != NULL; r++) {
		if ((*r)->via != NULL && view_via_target(*r) == NULL) {
			snprintf(err, errlen, "%s: via %s names no reference",
			    (*r)->name, (*r)->via);
			goto fail;
		}
		if ((*r)->verbs != 0 && (*r)->schema == NULL) {
			snprintf(err, errlen, "%s: records need a schema",
			    (*r)->name);
			goto fail;
		}
		for (i = 0; i < nstd; i++)
			if (((*r)->verbs & records_route_verb(&std[i])) != 0 &&
			    add(*r, &std[i], err, errlen) != 0)
				goto fail;
		for (i = 0; i < (*r)->nroutes; i++)
			if (add(*r, &(*r)->routes[i], err, errlen) != 0)
				goto fail;
	}
	return 0;
fail:
	ntable = 0;
	return -1;
}

size_t
router_count(void)
{
	return ntable;
}

const struct router_entry *
router_entry(size_t i)
{
	return i < ntable ? &table[i] : NULL;
}

size_t
router_index(const struct router_entry *e)
{
	return (size_t)(e - table);
}

const struct resource *
router_resource(const char *name)
{
	const struct resource *const	*r;

	for (r = router_resources; *r != NULL; r++)
		if (strcmp((*r)->name, name) == 0)
			return *r;
	return NULL;
}

/*
 * Match path against pattern, copying {…} segments into params. Both start
 * with '/'; the path holds no empty, "." or ".." segments (checked before).
 */
static int
match(const char *pattern, const char *path, char params[][ID_MAX + 1])
{
	const char	*p = pattern, *s = path;
	int		 np = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		if (*p == '{') {
			size_t n = strcspn(s, "/");
			if (n == 0 || n > ID_MAX || np >= REQ_MAXPARAMS)
				return 0;
			memcpy(params[np], s, n);
			params[np][n] = '\0';
			if (!util_id_valid(params[np]))
				return 0;
			np++;
			s += n;
			p = strchr(p, '}');
			if (p == NULL)
				return 0;
			p++;
		} else {
			size_t n = strcspn(p, "/");
			if (strncmp(p, s, n) != 0 || (s[n] != '/' && s[n] != '\0'))
				return 0;
			p += n;
			s += n;
		}
	}
	if (*p != '\0' || *s != '\0')
		return 0;
	/* Slots this pattern does not use hold no stale segment. */
	for (; np < REQ_MAXPARAMS; np++)
		params[np][0] = '\0';
	return 1;
}

int
router_match(enum evhttp_cmd_type method, const char *path,
    const struct router_entry **hit, char params[][ID_MAX + 1],
    unsigned *allow)
{
	size_t	i;
	char	scratch[REQ_MAXPARAMS][ID_MAX + 1];

	*allow = 0;
	for (i = 0; i < ntable; i++) {
		const struct route *rt = table[i].route;
		if (!match(table[i].pattern, path, scratch))
			continue;
		/* HEAD is answered by the GET route, without a body. */
		if (rt->method == method || (method == EVHTTP_REQ_HEAD &&
		    rt->method == EVHTTP_REQ_GET)) {
			*hit = &table[i];
			memcpy(params, scratch, sizeof scratch);
			return ROUTER_OK;
		}
		*allow |= rt->method;
		if (rt->method == EVHTTP_REQ_GET)
			*allow |= EVHTTP_REQ_HEAD;
	}
	return *allow != 0 ? ROUTER_BADMETHOD : ROUTER_NOTFOUND;
}
