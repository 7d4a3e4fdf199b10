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

/* Seed a fresh store with the ISO/IEC 27006 areas (api-areas.c). */
int	areas_seed(struct store *);

#endif
