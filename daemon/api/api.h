/*
 * api.h: the HTTP API as the server sees it: one server_app (worker.h)
 * whose dispatch routes each request, authenticates the caller, decides the
 * scope from the route's grants, applies own scope where the route maps to
 * an owner, and runs the handler.
 */
#ifndef API_H
#define API_H

#include <stddef.h>

#include "server/worker.h"

/* Build and check the route table (router_init). 0, or -1 and err. */
int	api_init(char *err, size_t errlen);

extern const struct server_app	api_app;

#endif
