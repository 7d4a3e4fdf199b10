/*
 * view.c: reads as the caller may see them (see view.h), and the answer
 * every store result maps to.
 */
#include <string.h>

#include "api/records.h"
#include "api/router.h"
#include "api/view.h"

int
view_owned(const struct resource *res, const char *auditor, const char *id,
    const json_t *d)
{
	const char	*v;

	if (res->owner == NULL || auditor[0] == '\0')
		return 0;
	if (strcmp(res->owner, "id") == 0)
		return strcmp(id, auditor) == 0;
	v = json_string_value(json_object_get(d, res->owner));
	return v != NULL && strcmp(v, auditor) == 0;
}

const struct resource *
view_via_target(const struct resource *res)
{
	size_t	i;

	if (res->via == NULL)
		return NULL;
	for (i = 0; i < res->nrefs; i++)
		if (strcmp(res->refs[i].field, res->via) == 0 &&
		    res->refs[i].sub == NULL && !res->refs[i].array)
			return router_resource(res->refs[i].target);
	return NULL;
}

int
view_by_owner(const struct resource *res)
{
	return res->owner != NULL && res->via == NULL;
}

/* Bounded: a chain of via longer than this is a broken table. */
#define VIEW_VIA_DEPTH	4

static int
shares(struct store *st, MDB_txn *txn, const struct resource *res,
    const char *auditor, const char *id, int depth)
{
	const struct resource	*up;
	char			 key[RECORDS_DATE_KEY], parent[ID_MAX + 1];
	MDB_val			 v;
	size_t			 n;

	if (auditor[0] == '\0' || depth > VIEW_VIA_DEPTH)
		return 0;
	if (res->via != NULL) {
		n = records_date_key(res, id, key);
		if ((up = view_via_target(res)) == NULL ||
		    store_aux_get(st, txn, "via", key, n, &v) != STORE_OK ||
		    v.mv_size == 0 || v.mv_size > ID_MAX)
			return 0;
		memcpy(parent, v.mv_data, v.mv_size);
		parent[v.mv_size] = '\0';
		return shares(st, txn, up, auditor, parent, depth + 1);
	}
	if (res->owner == NULL)
		return res->member != NULL && res->member(st, txn, auditor, id);
	if (strcmp(res->owner, "id") == 0)
		return strcmp(id, auditor) == 0;
	/* The owner field is indexed (records_store_colls): no parse. */
	return store_index_has(st, txn, res->name, res->owner, auditor, id);
}

int
view_shares(struct store *st, MDB_txn *txn, const struct resource *res,
    const char *auditor, const char *id)
{
	return shares(st, txn, res, auditor, id, 0);
}

int
view_shares_via(struct store *st, MDB_txn *txn, const struct resource *res,
    const char *auditor, const json_t *d)
{
	const struct resource	*up = view_via_target(res);
	const char		*parent;

	parent = json_string_value(json_object_get(d, res->via));
	if (up == NULL || parent == NULL || !util_id_valid(parent))
		return 0;
	return shares(st, txn, up, auditor, parent, 1);
}

int
view_visible(struct call *c, const struct resource *res, const char *id,
    const MDB_val *doc)
{
	(void)doc;
	if (c->scope == SCOPE_ALL)
		return 1;
	if (c->scope != SCOPE_OWN)
		return 0;
	return view_shares(c->store, c->req->txn, res, c->who.auditor, id);
}

int
view_get(struct call *c, const struct resource *res, const char *id,
    MDB_val *doc)
{
	int	rc;

	if ((rc = store_get(c->store, c->req->txn, res->name, id, doc)) != 0)
		return rc;
	/* Another auditor's record: as if it did not exist. */
	if (!view_visible(c, res, id, doc))
		return STORE_NOTFOUND;
	return STORE_OK;
}

static json_t *
one_error(const struct store_err *e)
{
	if (e == NULL || (e->path[0] == '\0' && e->message[0] == '\0'))
		return NULL;
	return json_pack("[{s:s, s:s}]", "path", e->path, "message",
	    e->message);
}

void
view_store_error(struct req *r, int rc, const struct store_err *e)
{
	const char	*msg = e != NULL && e->message[0] != '\0' ? e->message :
			    store_strerror(rc);

	switch (rc) {
	case STORE_NOTFOUND:
		http_problem(r, 404, "not-found", "no such record");
		break;
	case STORE_EXISTS:
		http_problem(r, 409, "conflict", "a record with this id exists");
		break;
	case STORE_DUPLICATE:
		http_problem_errors(r, 409, "conflict", one_error(e), "%s", msg);
		break;
	case STORE_STALE:
		http_problem(r, 412, "stale", "the record has changed: "
		    "If-Match does not match its current rev");
		break;
	case STORE_REFERENCED:
		http_problem_errors(r, 409, "referenced", one_error(e),
		    "other records reference this record (%s); retire it "
		    "instead of deleting it", msg);
		break;
	case STORE_BADREF:
		http_problem_errors(r, 422, "bad-reference", one_error(e),
		    "%s", msg);
		break;
	case STORE_INVALID:
		http_problem_errors(r, 422, "validation", one_error(e), "%s",
		    msg);
		break;
	case STORE_FULL:
		http_problem(r, 507, "store-full", "the store is full; nothing "
		    "was written");
		break;
	case STORE_BUSY:
		http_problem(r, 503, "busy", "too many changes are queued; "
		    "retry shortly");
		break;
	default:
		http_problem(r, 500, "internal", "store error: %s; nothing was "
		    "written", store_strerror(rc));
		break;
	}
}
