/*
 * api-me.c: GET /v1/me, the caller as the server sees them: their principal
 * and, for role auditor, their auditor profile. Every read goes through the
 * call's view, so role auditor sees only what is their own.
 */
#include <event2/buffer.h>

#include "api/records.h"
#include "api/router.h"
#include "api/view.h"

static void
me_get(struct call *c)
{
	struct req	*r = c->req;
	struct evbuffer	*b;
	MDB_val		 p, a;
	int		 have_a, bad;

	if (view_get(c, router_resource("principals"), c->who.id, &p) != 0) {
		http_problem(r, 401, "unauthorized", "the principal is gone");
		return;
	}
	have_a = c->who.auditor[0] != '\0' && view_get(c,
	    router_resource("auditors"), c->who.auditor, &a) == 0;
	if ((b = evbuffer_new()) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	bad = evbuffer_add_printf(b, "{\"auditor\":") < 0;
	if (have_a)
		bad |= evbuffer_add(b, a.mv_data, a.mv_size) != 0;
	else
		bad |= evbuffer_add_printf(b, "null") < 0;
	bad |= evbuffer_add_printf(b, ",\"principal\":") < 0;
	bad |= evbuffer_add(b, p.mv_data, p.mv_size) != 0;
	bad |= evbuffer_add_printf(b, "}") < 0;
	if (bad)
		http_problem(r, 500, "internal", "out of memory");
	else
		http_reply_buffer(r, 200, "application/json", b);
	evbuffer_free(b);
}

static const struct route me_routes[] = {
	{ EVHTTP_REQ_GET, "", ACCESS_READ, OWNER_CALLER, me_get, NULL },
};

const struct resource resource_me = {
	.name = "me",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
	},
	.routes = me_routes,
	.nroutes = NELEM(me_routes),
};
