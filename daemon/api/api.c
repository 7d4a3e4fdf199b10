/*
 * api.c: every request's way from the server to its handler: route,
 * caller, grant, own scope, If-Match and body, in that order, so that a
 * caller learns nothing (not even that their body is malformed) before
 * they are known and allowed. See api.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/router.h"
#include "config.h"

int
api_init(char *err, size_t errlen)
{
	return router_init(err, errlen);
}

static void *
api_worker_new(struct worker *w)
{
	struct auth_cache	*cache = calloc(1, sizeof *cache);

	if (cache != NULL)
		cache->base = w->base;
	return cache;
}

static void
api_worker_free(void *arg)
{
	free(arg);
}

/* The principal of an "Authorization: Bearer" header; -1 after 401. */
static int
api_bearer(struct call *c, const char *authz, struct principal *who)
{
	static const char *const why[] = {
		[AUTH_TOKEN_UNKNOWN] = "this bearer token is not known",
		[AUTH_TOKEN_EXPIRED] = "this bearer token has expired",
		[AUTH_TOKEN_REVOKED] = "this bearer token was revoked",
		[AUTH_TOKEN_DISABLED] = "this bearer token's principal is "
		    "disabled",
	};
	struct req		*r = c->req;
	struct auth_token_info	 info;
	enum auth_token		 rc;

	if (!r->worker->srv->cfg->tokens) {
		http_problem(r, 401, "unauthorized", "bearer tokens are off "
		    "([auth] tokens in auditord.conf)");
		return -1;
	}
	/* RFC 7235: the scheme is case-insensitive, then one space. */
	if (strncasecmp(authz, "Bearer ", 7) != 0) {
		http_problem(r, 401, "unauthorized",
		    "Authorization takes only the Bearer scheme");
		return -1;
	}
	rc = auth_token(c->store, r->txn, authz + 7, who, &info);
	if (rc != AUTH_TOKEN_OK) {
		http_problem(r, 401, "unauthorized", "%s", why[rc]);
		return -1;
	}
	auth_token_touch(r->worker->app, c->store, who, &info);
	return 0;
}

/*
 * The caller's principal from the client certificate, the bearer token,
 * or both, which must then name the same principal; -1 after 401.
 */
static int
api_caller(struct call *c)
{
	struct req	*r = c->req;
	struct principal tok;
	const char	*authz = http_header(r, "Authorization");
	unsigned char	 sha[32];
	int		 has_cert;

	has_cert = http_peer_sha256(r, sha) == 0;
	if (authz != NULL && api_bearer(c, authz, &tok) != 0)
		return -1;
	if (has_cert && auth_principal(c->store, r->txn, r->worker->app, sha,
	    &c->who) != 0) {
		http_problem(r, 401, "unauthorized", "this client certificate "
		    "is not mapped to an enabled principal");
		return -1;
	}
	if (!has_cert && authz == NULL) {
		http_problem(r, 401, "unauthorized", "a client certificate or "
		    "a bearer token is required");
		return -1;
	}
	if (has_cert && authz != NULL && strcmp(c->who.id, tok.id) != 0) {
		http_problem(r, 401, "unauthorized", "the client certificate "
		    "and the bearer token name different principals");
		return -1;
	}
	if (!has_cert)
		c->who = tok;
	memcpy(r->who, c->who.id, sizeof r->who);
	return 0;
}

/* The caller's scope on the route; -1 after answering 403 or 404. */
static int
api_allow(struct call *c, const struct router_entry *e)
{
	enum access	access = e->route->access;

	c->scope = auth_scope(router_grants(e), c->who.role, access);
	if (c->scope == SCOPE_DENY) {
		http_problem(c->req, 403, "forbidden", "role %s may not %s %s",
		    auth_role_name(c->who.role), access == ACCESS_READ ?
		    "read" : "change", e->res->name);
		return -1;
	}
	/* Another auditor's id in the path: as if it did not exist. */
	if (c->scope == SCOPE_OWN && e->route->owner == OWNER_PARAM &&
	    strcmp(c->req->params[0], c->who.auditor) != 0) {
		http_problem(c->req, 404, "not-found", "no such record");
		return -1;
	}
	return 0;
}

static void
api_dispatch(struct req *r)
{
	const struct router_entry	*e;
	struct call			 c;
	unsigned			 allow;
	char				 allowbuf[128];
	int				 rc;

	rc = router_match(r->method, r->path, &e, r->params, &allow);
	if (rc == ROUTER_NOTFOUND) {
		http_problem(r, 404, "not-found", "no such path");
		return;
	}
	if (rc == ROUTER_BADMETHOD) {
		router_allow_string(allow, allowbuf, sizeof allowbuf);
		http_header_add(r, "Allow", allowbuf);
		http_problem(r, 405, "method-not-allowed",
		    "this path takes %s", allowbuf);
		return;
	}
	r->route = (unsigned)router_index(e) + 1;
	memset(&c, 0, sizeof c);
	c.req = r;
	c.res = e->res;
	c.route = e->route;
	c.store = r->worker->srv->store;
	c.scope = SCOPE_ALL;
	if (e->route->access != ACCESS_OPEN &&
	    (api_caller(&c) != 0 || api_allow(&c, e) != 0))
		return;
	if (http_parse_if_match(r) != 0 ||
	    (!e->res->raw_body && http_parse_body(r) != 0))
		return;
	e->route->handler(&c);
}

const struct server_app api_app = {
	.worker_new = api_worker_new,
	.worker_free = api_worker_free,
	.dispatch = api_dispatch,
};
