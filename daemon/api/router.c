/*
 * router.c: the one table of resources, and matching a method and path to
 * a route. Patterns are literal segments and {name} segments; a {name}
 * segment matches one record id.
 */
#include <stdio.h>
#include <string.h>

#include "api/router.h"

extern const struct resource resource_areas;
extern const struct resource resource_auditors;
extern const struct resource resource_events;
extern const struct resource resource_health;
extern const struct resource resource_me;
extern const struct resource resource_principals;

const struct resource *const router_resources[] = {
	&resource_areas,
	&resource_auditors,
	&resource_events,
	&resource_health,
	&resource_me,
	&resource_principals,
	NULL
};

static const struct {
	enum evhttp_cmd_type	 method;
	const char		*name;
} methods[] = {
	{ EVHTTP_REQ_GET, "GET" },
	{ EVHTTP_REQ_HEAD, "HEAD" },
	{ EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
	{ EVHTTP_REQ_DELETE, "DELETE" },
	{ EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" },
	{ EVHTTP_REQ_CONNECT, "CONNECT" },
};

const char *
router_method_name(enum evhttp_cmd_type m)
{
	size_t	i;

	for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (methods[i].method == m)
			return methods[i].name;
	return NULL;
}

void
router_allow_string(unsigned allow, char *buf, size_t len)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if ((allow & methods[i].method) == 0)
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
		    off > 0 ? ", " : "", methods[i].name);
	}
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
    const struct route **route, char params[][ID_MAX + 1], unsigned *allow)
{
	const struct resource *const	*r;
	size_t				 i;
	char				 scratch[REQ_MAXPARAMS][ID_MAX + 1];

	*allow = 0;
	for (r = router_resources; *r != NULL; r++) {
		for (i = 0; i < (*r)->nroutes; i++) {
			const struct route *rt = &(*r)->routes[i];
			if (!match(rt->pattern, path, scratch))
				continue;
			/* HEAD is answered by the GET route, without a body. */
			if (rt->method == method || (method == EVHTTP_REQ_HEAD &&
			    rt->method == EVHTTP_REQ_GET)) {
				*route = rt;
				memcpy(params, scratch, sizeof scratch);
				return ROUTER_OK;
			}
			*allow |= rt->method;
			if (rt->method == EVHTTP_REQ_GET)
				*allow |= EVHTTP_REQ_HEAD;
		}
	}
	return *allow != 0 ? ROUTER_BADMETHOD : ROUTER_NOTFOUND;
}
