/*
 * import.h: the worker's half of POST /v1/import (api-import.c) on its own,
 * for the tests and the fuzz harness: splitting an NDJSON body into lines
 * and checking each as far as the worker can, without a store.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include "api/resource.h"

/*
 * Parse body (len bytes; not kept) line by line as an import by role would
 * before its batches reach the writer. Returns how many lines would go to
 * the writer; *refused (may be NULL) counts those refused already. Blank
 * lines count as neither.
 */
size_t	import_parse_body(const char *body, size_t len, enum role role,
	    size_t *refused);

#endif
