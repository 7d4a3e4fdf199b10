/*
 * records.h: the generic record handlers every collection shares: list with
 * filters and cursor, read, create, replace, merge patch, delete, and
 * actions that set fields. A collection describes itself once in a struct
 * collection; its api-<resource>.c points its routes at these handlers.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include <jansson.h>

#include "server/http.h"
#include "store/store.h"

struct collection {
	const char		*name;		/* URL segment and store db */
	const char		*schema;	/* built-in schema type */
	/*
	 * The field that names the auditor a record belongs to ("id" for
	 * auditors), for role auditor's "own" scope; NULL: none.
	 */
	const char		*own;
	/* Query keys matched exactly against top-level fields. */
	const char *const	*filters;
	/*
	 * Before validation, on the writer thread: fill defaults (old is NULL
	 * on create) and check rules the schema cannot say, appending
	 * {path, message} objects to errors. NULL: nothing to do.
	 */
	void			(*prepare)(json_t *doc, const json_t *old,
				    json_t *errors);
	struct store_coll	 store;
};

/* Handlers for routes whose coll is set. */
void	records_list(struct req *);
void	records_get(struct req *);
void	records_create(struct req *);
void	records_replace(struct req *);
void	records_patch(struct req *);
void	records_delete(struct req *);

/*
 * Apply the merge patch in patch (a JSON text) to the record named by the
 * route's first parameter: the body of actions such as retire and disable.
 */
void	records_action(struct req *, const char *patch);

/*
 * The store table of every collection, NULL-name terminated, built from
 * router_resources. Valid for the life of the process.
 */
const struct store_coll *records_store_colls(void);

/* Seed a fresh store with the ISO/IEC 27006 areas (api-areas.c). */
int	areas_seed(struct store *);

#endif
