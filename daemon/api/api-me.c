/*
 * api-me.c: GET /v1/me, the caller as the server sees them: their principal
 * and, for role auditor, their auditor profile and its status today. Every
 * read goes through the call's view, so role auditor sees only what is
 * their own.
 */
#include <stdlib.h>

#include <event2/buffer.h>

#include "api/records.h"
#include "api/router.h"
#include "api/status.h"
#include "api/view.h"

/* The auditor's status today as JSON text (malloc'd), or NULL. */
static char *
me_status(struct call *c, size_t *len)
{
	char	 today[UTIL_DATE_LEN], *s;
	json_t	*j;

	util_today(today);
	if (status_json(c->store, c->req->txn, c->who.auditor, today, &j) !=
	    STORE_OK)
		return NULL;
	s = util_json_canonical(j, len);
	json_decref(j);
	return s;
}

static void
me_get(struct call *c)
{
	struct req	*r = c->req;
	struct evbuffer	*b;
	MDB_val		 p, a;
	char		*st = NULL;
	size_t		 stlen = 0;
	int		 have_a, bad;

	if (view_get(c, router_resource("principals"), c->who.id, &p) != 0) {
		http_problem(r, 401, "unauthorized", "the principal is gone");
		return;
	}
	have_a = c->who.auditor[0] != '\0' && view_get(c,
	    router_resource("auditors"), c->who.auditor, &a) == 0;
	if (have_a && (st = me_status(c, &stlen)) == NULL) {
		http_problem(r, 500, "internal", "cannot judge the status");
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		free(st);
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
	bad |= evbuffer_add_printf(b, ",\"status\":") < 0;
	if (st != NULL)
		bad |= evbuffer_add(b, st, stlen) != 0;
	else
		bad |= evbuffer_add_printf(b, "null") < 0;
	bad |= evbuffer_add_printf(b, "}") < 0;
	free(st);
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
