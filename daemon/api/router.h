/*
 * router.h: the one list of resources and the routes built from it. Each
 * resource's standard verbs and extra routes become entries of one table
 * at start-up (router_init), which also refuses a table in which any route
 * lacks a grant for some role.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include <event2/http.h>

#include "api/resource.h"

/* The resources, NULL-terminated. */
extern const struct resource *const router_resources[];

/* One built route: its full pattern, its entry and its resource. */
struct router_entry {
	char			 pattern[128];	/* "/v1/auditors/{id}/retire" */
	const struct route	*route;
	const struct resource	*res;
};

/*
 * Build the route table from router_resources and check it: every route
 * that needs a principal has a grant (not SCOPE_UNSET) for every role for
 * its access; own scope only where the route maps records to an owner; no
 * two routes with one method and pattern; every resource with records has
 * a schema. Returns 0, or -1 with the first problem in err. Call once
 * before threads start; later calls only read.
 */
int	router_init(char *err, size_t errlen);

/*
 * router_init over another NULL-terminated list (for tests). On failure
 * the table is left empty.
 */
int	router_build(const struct resource *const *list, char *err,
	    size_t errlen);

/* The built table: router_count() entries, valid after router_init. */
size_t				 router_count(void);
const struct router_entry	*router_entry(size_t i);

/* e's index in the table (router_entry(router_index(e)) == e). */
size_t				 router_index(const struct router_entry *e);

/* The resource named name (its collection), or NULL. */
const struct resource	*router_resource(const char *name);

/* The grants that decide a route: its own, else its resource's. */
const struct grants	*router_grants(const struct router_entry *);

enum router_rc {
	ROUTER_OK = 0,
	ROUTER_NOTFOUND,	/* no pattern matches the path */
	ROUTER_BADMETHOD	/* a pattern matches, not with this method */
};

/*
 * Match method and path (no query, already checked to be a clean absolute
 * path). On ROUTER_OK *hit is the entry and params holds the {…} segments
 * in order (unused slots empty). On ROUTER_BADMETHOD, *allow gets the
 * EVHTTP_REQ_* bits that match. HEAD matches a GET route.
 */
int	router_match(enum evhttp_cmd_type, const char *path,
	    const struct router_entry **hit, char params[][ID_MAX + 1],
	    unsigned *allow);

/* "GET, POST" for a set of EVHTTP_REQ_* bits, into buf. */
void	router_allow_string(unsigned allow, char *buf, size_t len);

#endif
