/*
 * status.h: an auditor's standing on one day (GET /v1/auditors/{id}/status,
 * and the "status" of GET /v1/me for role auditor): whether they are fit
 * to audit, the gaps that say why not, and the qualifications, CPD hours,
 * evaluation and open declarations behind it, judged by the member rules
 * (check/rules.h) from the derived rows alone.
 */
#ifndef STATUS_H
#define STATUS_H

#include <stdint.h>

#include <jansson.h>
#include <lmdb.h>

#include "api/resource.h"
#include "store/store.h"

/*
 * The status of auditor on day on (valid, within check_date_ok) as JSON
 * (schemas/status.schema.json) into *out, a new reference the caller
 * owns. A store result: STORE_NOTFOUND when there is no such auditor,
 * STORE_IO also when memory ran out; *out is NULL on any failure.
 */
int	status_json(struct store *, MDB_txn *, const char *auditor,
	    const char *on, json_t **out);

/* GET /v1/auditors/{id}/status?on=DATE (the route's handler). */
void	status_get(struct call *);

/*
 * Hundredths of an hour as a JSON number: an integer when whole (20),
 * else a real (18.5). A new reference; NULL when memory ran out.
 */
json_t	*status_hours(uint64_t hundredths);

#endif
