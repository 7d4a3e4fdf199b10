/*
 * router.h: the route table. Each api-<resource>.c exports one struct
 * resource with its routes; router.c collects them in one table (the tmux
 * cmd-*.c pattern), so adding a resource is adding a file and a line.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include <event2/http.h>

#include "server/http.h"

struct collection;

enum access {
	ACCESS_OPEN = 0,	/* no principal needed: any CA-signed cert */
	ACCESS_READ,
	ACCESS_WRITE
};

struct route {
	enum evhttp_cmd_type	 method;
	const char		*pattern;	/* "/v1/auditors/{id}/retire" */
	const char		*object;	/* permission object, e.g. "auditors" */
	enum access		 access;
	const struct collection	*coll;		/* for the records_* handlers */
	void			(*handler)(struct req *);
};

struct resource {
	const char		*name;
	const struct route	*routes;
	size_t			 nroutes;
	const struct collection	*coll;		/* NULL: no collection */
};

/* The resources, NULL-terminated. */
extern const struct resource *const router_resources[];

enum router_rc {
	ROUTER_OK = 0,
	ROUTER_NOTFOUND,	/* no pattern matches the path */
	ROUTER_BADMETHOD	/* a pattern matches, not with this method */
};

/*
 * Match method and path (no query, already checked to be a clean absolute
 * path). On ROUTER_OK *route is set and params holds the {…} segments in
 * order. On ROUTER_BADMETHOD, *allow gets the EVHTTP_REQ_* bits that match.
 */
int	router_match(enum evhttp_cmd_type, const char *path,
	    const struct route **route, char params[][ID_MAX + 1],
	    unsigned *allow);

/* "GET, POST" for a set of EVHTTP_REQ_* bits, into buf. */
void	router_allow_string(unsigned allow, char *buf, size_t len);

/* The method's name ("GET"), or NULL. */
const char *router_method_name(enum evhttp_cmd_type);

#endif
