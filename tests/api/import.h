/*
 * import.h: what the bulk cases (cases_import.c, cases_export.c,
 * cases_bulkcli.c) share; defined in cases_import.c.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "client.h"

/* Write len bytes of text to the test directory's file name; 0 or -1. */
int	 import_put_file(const char *name, const char *text, size_t len);

/* POST body as NDJSON to /v1/import + query ("" or "?dry_run=true"). */
int	 import_post(struct resp *, const char *who, const char *query,
	    const char *body);

/* The status of GET path as who. */
int	 import_status(const char *who, const char *path);

/* NDJSON text as an array of its parsed lines, or NULL (printed). */
json_t	*import_lines(const char *body, size_t len);

#endif
