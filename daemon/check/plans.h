/*
 * plans.h: the derived rows a team check reads its plan from, so that it
 * parses no document: per audit (table "plans", keyed by the audit's id)
 * what the rules need of it: programme, auditee, standard, language,
 * window, min_team_size, status and the areas it requires; per programme
 * (table "pols") its period and its effective policy (the defaults
 * overridden by its policy: a new default is a new RECORDS_ROWS_VERSION).
 * Kept by the derive hooks of audits and programmes in the change that
 * writes them.
 */
#ifndef PLANS_H
#define PLANS_H

#include <jansson.h>
#include <lmdb.h>

#include "check/team.h"
#include "store/store.h"

/* The aux table names, NULL-terminated, for store_opts.aux. */
extern const char *const	plans_aux_names[];

/* The derive hooks of audits and programmes (struct resource's derive). */
int	plans_derive_audit(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);
int	plans_derive_programme(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);

/*
 * audit's plan into *p, all but the rotation (check_plan_load adds it):
 * STORE_NOTFOUND for no such audit; STORE_IO for a row that does not
 * decode. An audit whose programme has no row keeps the default policy
 * and its own window as the period.
 */
int	plans_load(struct store *, MDB_txn *, const char *audit,
	    struct check_plan *p);

#endif
