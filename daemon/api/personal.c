/*
 * personal.c: an auditor's personal data as one document (GET
 * /v1/auditors/{id}/export) and its erasure (DELETE /v1/auditors/{id}
 * ?erase=true). Which records are about a person is read from the resource
 * table: every resource whose owner field names an auditor. Erasure removes
 * those that describe the person (competence records and principals) and
 * keeps those that are the programme's own history (assignments, findings),
 * which then point at the tombstone. The event chain is never rewritten:
 * its events hold record ids and hashes, no personal values.
 */
#include <stdlib.h>
#include <string.h>

#include "api/personal.h"
#include "api/records.h"
#include "api/router.h"
#include "api/view.h"

/* Removed on erasure; the other owned resources are kept. */
static const char *const erased_colls[] = { "declarations", "evaluations",
    "principals", "qualifications", "trainings", NULL };

const struct grants personal_export_grants = {
	.read = SCOPES(ALL, DENY, ALL, OWN, DENY),
	.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
};

/* 1 if res's records each name the auditor they are about. */
static int
about_person(const struct resource *res)
{
	return res->schema != NULL && res->owner != NULL &&
	    strcmp(res->owner, "id") != 0;
}

static int
take_doc(const char *id, const MDB_val *doc, void *arg)
{
	json_t	*d;

	(void)id;
	d = json_loadb(doc->mv_data, doc->mv_size, JSON_ALLOW_NUL, NULL);
	if (d == NULL || json_array_append_new(arg, d) != 0)
		return -1;
	return 1;
}

void
personal_export(struct call *c)
{
	const struct resource	*res;
	struct req		*r = c->req;
	const char		*id = r->params[0];
	json_t			*out, *recs, *list, *auditor;
	MDB_val			 doc;
	char			 now[32], next[ID_MAX + 1];
	size_t			 i;
	int			 rc;

	if (http_query_check(r, NULL) != 0)
		return;
	if ((rc = store_get(c->store, r->txn, "auditors", id, &doc)) != 0) {
		/* The words of an own-scope refusal: no hint it exists. */
		if (rc == STORE_NOTFOUND)
			http_problem(r, 404, "not-found", "no such record");
		else
			view_store_error(r, rc, NULL);
		return;
	}
	auditor = json_loadb(doc.mv_data, doc.mv_size, JSON_ALLOW_NUL, NULL);
	util_now_rfc3339(now, sizeof now);
	recs = json_object();
	out = json_pack("{s:s, s:s, s:o, s:o}", "exported", now, "auditor_id",
	    id, "auditor", auditor != NULL ? auditor : json_null(), "records",
	    recs != NULL ? recs : json_null());
	if (auditor == NULL || recs == NULL || out == NULL) {
		json_decref(out);
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	for (i = 0; (res = router_resources[i]) != NULL; i++) {
		if (!about_person(res))
			continue;
		if ((list = json_array()) == NULL ||
		    json_object_set_new(recs, res->name, list) != 0) {
			rc = STORE_IO;
			break;
		}
		if ((rc = store_list_by(c->store, r->txn, res->name,
		    res->owner, id, NULL, 0, take_doc, list, next)) != 0)
			break;
	}
	if (rc != STORE_OK) {
		json_decref(out);
		view_store_error(r, rc, NULL);
		return;
	}
	http_reply_json_take(r, 200, out);
}

/* ---- erasure ------------------------------------------------------------ */

struct erase {
	char			 id[ID_MAX + 1];
	struct principal	 who;
	json_t			*removed;	/* {collection: count} */
	struct records_change	 tomb;		/* the tombstone's change */
	struct records_change	 failed;	/* the change that failed */
	int			 nfailed;
};

static void
erase_free(void *arg)
{
	struct erase	*e = arg;

	json_decref(e->removed);
	records_change_clear(&e->tomb);
	records_change_clear(&e->failed);
	free(e);
}

static int
take_id(const char *id, const MDB_val *doc, void *arg)
{
	json_t	*s;

	(void)doc;
	if ((s = json_string(id)) == NULL || json_array_append_new(arg, s))
		return -1;
	return 1;
}

/* One change of the erasure, run as the caller's own would be. */
static int
erase_one(struct store_txn *t, struct erase *e, struct records_change *ch,
    const struct resource *res, enum records_op op, const char *id,
    json_t *body)
{
	int	rc;

	memset(ch, 0, sizeof *ch);
	ch->res = res;
	ch->op = op;
	snprintf(ch->id, sizeof ch->id, "%s", id);
	ch->body = body;
	ch->who = e->who;
	ch->scope = SCOPE_ALL;
	if ((rc = records_apply(t, ch)) != STORE_OK && ch != &e->failed) {
		/* Kept for the answer: which record refused, and why. */
		e->failed = *ch;
		memset(ch, 0, sizeof *ch);
		e->nfailed = 1;
	}
	return rc;
}

static int
erase_apply(struct store_txn *t, void *arg)
{
	struct erase		*e = arg;
	struct records_change	 ch;
	const struct resource	*res;
	struct store		*st;
	MDB_txn			*txn;
	json_t			*ids, *body;
	MDB_val			 doc;
	char			 next[ID_MAX + 1], note[96], today[32];
	size_t			 i, j;
	int			 rc;

	store_txn_view(t, &st, &txn);
	/* The auditor first: erasing no one removes nothing. */
	if ((rc = store_get(st, txn, "auditors", e->id, &doc)) != STORE_OK) {
		e->failed.res = router_resource("auditors");
		return rc;
	}
	for (i = 0; erased_colls[i] != NULL; i++) {
		res = router_resource(erased_colls[i]);
		if ((ids = json_array()) == NULL)
			return STORE_IO;
		rc = store_list_by(st, txn, res->name, res->owner, e->id, NULL,
		    0, take_id, ids, next);
		for (j = 0; rc == STORE_OK && j < json_array_size(ids); j++) {
			rc = erase_one(t, e, &ch, res, RECORDS_DELETE,
			    json_string_value(json_array_get(ids, j)), NULL);
			records_change_clear(&ch);
		}
		if (rc == STORE_OK)
			rc = json_object_set_new(e->removed, res->name,
			    json_integer((json_int_t)j)) == 0 ? STORE_OK :
			    STORE_IO;
		json_decref(ids);
		if (rc != STORE_OK)
			return rc;
	}
	util_now_rfc3339(today, sizeof today);
	today[10] = '\0';
	snprintf(note, sizeof note, "Personal data erased on %s.", today);
	/* Only what the schema requires, with values that name no one. */
	body = json_pack("{s:s, s:s, s:s, s:s}", "name", "Erased auditor",
	    "email", "erased@invalid", "status", "retired", "notes", note);
	if (body == NULL)
		return STORE_IO;
	return erase_one(t, e, &e->tomb, router_resource("auditors"),
	    RECORDS_REPLACE, e->id, body);
}

static void
erase_done(struct req *r, int rc)
{
	struct erase	*e = r->wctx;
	json_t		*tomb;

	if (rc != STORE_OK) {
		if (e->nfailed)
			records_change_answer(r, &e->failed, rc);
		else if (rc == STORE_NOTFOUND)
			http_problem(r, 404, "not-found", "no such auditor: %s",
			    e->id);
		else
			view_store_error(r, rc, NULL);
		return;
	}
	tomb = json_loadb(e->tomb.out, e->tomb.outlen, 0, NULL);
	http_reply_json_take(r, 200, json_pack("{s:o, s:O}", "auditor",
	    tomb != NULL ? tomb : json_null(), "removed", e->removed));
}

void
personal_erase(struct call *c)
{
	struct erase	*e;

	if (c->who.role != ROLE_ADMIN) {
		http_problem(c->req, 403, "forbidden", "only an admin may "
		    "erase an auditor's personal data");
		return;
	}
	if ((e = calloc(1, sizeof *e)) == NULL ||
	    (e->removed = json_object()) == NULL) {
		free(e);
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	snprintf(e->id, sizeof e->id, "%s", c->req->params[0]);
	e->who = c->who;
	http_submit(c->req, erase_apply, e, erase_free, erase_done);
}
