/*
 * records.h: the handlers every resource with records shares (list with
 * filters and cursor, read, create, replace, merge patch, delete, and
 * actions that set fields), the routes the router builds from a resource's
 * standard verbs, and the store table made from the resource list.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include <jansson.h>

#include "api/resource.h"

/* The standard routes, one per VERB_* bit; *n gets their count. */
const struct route	*records_routes(size_t *n);
/* The VERB_* bit of a standard route. */
unsigned		 records_route_verb(const struct route *);

enum records_op {
	RECORDS_CREATE,
	RECORDS_REPLACE,
	RECORDS_PATCH,
	RECORDS_DELETE
};

/*
 * One change of one record, as the writer runs it (records_apply): the
 * standard verbs, actions and each line of an import are one each. The
 * caller fills the first part (records_change_init) and frees what the
 * change holds with records_change_clear.
 */
struct records_change {
	const struct resource	*res;
	enum records_op		 op;
	char			 id[ID_MAX + 1];
	json_t			*body;		/* document or merge patch; owned */
	struct if_match		 if_match;
	struct principal	 who;		/* who makes it */
	enum scope		 scope;		/* SCOPE_OWN: who.auditor's only */
	/*
	 * Set on the worker by records_precheck: the body, completed as
	 * records_apply would complete it over the record at checked_rev
	 * (STORE_REV_CREATE: none), broke the schema as schema_errors says
	 * (owned; empty: it met it). The writer validates again only when
	 * the record changed since.
	 */
	int			 checked;
	int64_t			 checked_rev;
	json_t			*schema_errors;
	/* results, set by records_apply on the writer thread */
	json_t			*errors;	/* [{path, message}] */
	char			*out;		/* stored bytes (malloc'd) */
	size_t			 outlen;
	int64_t			 rev;
	int			 unchanged;	/* nothing changed: rev kept */
	struct store_err	 err;
	char			 forbidden[256];	/* non-empty: 403 */
	struct refusal		 refused;	/* status 0: none */
	char			 made[ID_MAX + 1];	/* the gate's (struct prep) */
};

/* Fill ch for res from the call (who, scope, If-Match); body is taken. */
void	records_change_init(struct records_change *, const struct call *,
	    const struct resource *res, enum records_op, const char *id,
	    json_t *body);
void	records_change_clear(struct records_change *);

/*
 * Run one change inside the writer's transaction: load and check the
 * current record (own scope, If-Match), merge, complete and prepare the
 * document, validate it, store it, and keep its derived rows. A store
 * result: STORE_INVALID with ch->errors (422) or ch->forbidden (403), or
 * what the store said. On any failure the caller's change must be dropped
 * (the writer does so when apply returns it).
 */
int	records_apply(struct store_txn *, struct records_change *);

/*
 * The worker's half of a create or replace, in its read snapshot txn of
 * st: what records_apply would do before the write (the current record,
 * own scope, If-Match, the server's fields, prepare) on a copy of the
 * body, and the schema. STORE_OK with ch->checked set: ch->errors holds
 * what prepare and own scope said, ch->schema_errors what the schema said
 * (both empty: the writer needs no validation); another result is the
 * answer records_apply would give (ch->forbidden, ch->refused, errors);
 * STORE_IO (also for a change that is neither create nor replace): not
 * checked, the writer does it all.
 */
int	records_precheck(struct store *, MDB_txn *, struct records_change *);

/*
 * 1 if records a and b hold the same fields with the same values, apart
 * from what the server sets (rev, created, updated).
 */
int	records_same(const json_t *a, const json_t *b);

/*
 * Store a new record of res that a change makes besides its own (the
 * follow-up of an action found not effective): doc (taken) is validated
 * against the schema, written as id and its rows derived, in t. A store
 * result; STORE_INVALID when the schema refuses it.
 */
int	records_store_new(struct store_txn *, const struct resource *res,
	    const char *id, json_t *doc, struct store_err *);

/* The answer to a change that ran with result rc (201/200/204 or error). */
void	records_change_answer(struct req *, const struct records_change *,
	    int rc);

/*
 * The "dates" and "via" aux tables' key for id of res (coll \0 id), into
 * key; its length.
 */
#define RECORDS_DATE_KEY	(64 + 1 + ID_MAX)
size_t	records_date_key(const struct resource *, const char *id, char *key);

/* DELETE /v1/<name>/{id}, the standard verb, for a resource's own route. */
void	records_delete(struct call *);

/*
 * Apply the merge patch in patch (a JSON text) to the record named by the
 * route's first parameter: the body of actions such as retire and disable.
 * The call's scope applies as for PATCH.
 */
void	records_action(struct call *, const char *patch);

/*
 * The query keys res's lists filter on (the schema's x-filters): their
 * count, the names in *names (owned by the built-in schema).
 */
size_t	records_filters(const struct resource *, const char *const **names);

/*
 * The store table of every resource with records, NULL-name terminated,
 * built from router_resources. Valid for the life of the process.
 */
const struct store_coll *records_store_colls(void);

/*
 * The aux tables of every resource (the dates of dated records and the
 * competence rows, check/rows.h), NULL-terminated, for store_opts.aux.
 */
const char *const *records_aux_names(void);

/*
 * The layout of every derived row (the dates and via tables, check/rows.h,
 * check/assign.h, check/plans.h): change it with any row's form, and every store opened
 * after rebuilds its rows (store_opts.aux_version).
 */
#define RECORDS_ROWS_VERSION	"6"

/*
 * store_opts.aux_rebuild: derive every row of the aux tables again from the
 * documents of every resource (its date and its derive hook).
 */
int	records_rebuild(struct store_txn *, void *arg);

/* Seed a fresh store with the ISO/IEC 27006 areas (api-areas.c). */
int	areas_seed(struct store *);

#endif
