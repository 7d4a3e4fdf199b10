/*
 * view.h: the store as a call may see it. Under role auditor's own scope a
 * record that belongs to another auditor does not exist: every read a
 * handler makes goes through here, so no handler can forget the scope.
 * Under SCOPE_ALL these are plain store reads.
 */
#ifndef VIEW_H
#define VIEW_H

#include <lmdb.h>

#include "api/resource.h"

/*
 * The stored bytes of res's record id, as store_get (pointing into the
 * call's read transaction, valid until the handler returns). STORE_NOTFOUND
 * also for another auditor's record under own scope.
 */
int	view_get(struct call *, const struct resource *res, const char *id,
	    MDB_val *doc);

/*
 * 1 if the call may see record id of res: always under SCOPE_ALL; under
 * SCOPE_OWN only when the record's owner field names the caller's auditor,
 * answered from the owner field's index without parsing the record (doc is
 * not read; it may be NULL), or, for a resource without an owner field,
 * when its member hook says the caller's auditor shares the record.
 */
int	view_visible(struct call *, const struct resource *res, const char *id,
	    const MDB_val *doc);

/*
 * 1 if the parsed record d (id id) of res belongs to auditor; d may be NULL
 * when the resource's owner field is its id.
 */
int	view_owned(const struct resource *res, const char *auditor,
	    const char *id, const json_t *d);

/*
 * 1 if auditor shares record id of res under own scope, in any read or
 * write transaction: its owner field names auditor (from the index), or
 * the member hook says so, or (res->via) auditor shares the record its via
 * field names (the "via" row). 0 for a missing record.
 */
int	view_shares(struct store *, MDB_txn *, const struct resource *res,
	    const char *auditor, const char *id);

/*
 * 1 if auditor shares the record that the via field of document d (of res,
 * which has a via) names: what own scope asks of a document about to be
 * written, whose via row may not exist yet. 0 when d names none.
 */
int	view_shares_via(struct store *, MDB_txn *, const struct resource *res,
	    const char *auditor, const json_t *d);

/* The resource res->via names (through its reference), or NULL. */
const struct resource *view_via_target(const struct resource *res);

/*
 * 1 if own scope over res walks its owner field's index (a list, an
 * export); 0 when it asks view_shares of each record.
 */
int	view_by_owner(const struct resource *res);

/* The one map from a store result to its HTTP answer. */
void	view_store_error(struct req *, int rc, const struct store_err *);

#endif
