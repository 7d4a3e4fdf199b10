/*
 * export.h: GET /v1/export/<name>, the standard verb VERB_EXPORT: every
 * record of a collection the caller may read (under own scope: their own
 * auditor's), in id order, as NDJSON lines
 * {"collection":"<name>","record":<stored bytes>}, read on a thread of its
 * own (http_offload) in one read transaction per page.
 *
 * Pages: an answer holds whole lines only and stops once it holds
 * EXPORT_PAGE_MAX bytes or more; when records follow, it carries
 * Link: </v1/export/<name>?after=ID>; rel="next" and the client asks again
 * from there. Each page is one consistent read; a store that changes
 * between pages may show a record in the state of the later page.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include "api/resource.h"

#define EXPORT_PAGE_MAX	(8u << 20)	/* bytes of lines per answer, about */

/* The handler of the VERB_EXPORT route of every resource with records. */
void	export_records(struct call *);

#endif
