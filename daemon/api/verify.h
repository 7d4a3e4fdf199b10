/*
 * verify.h: what qualifications and trainings share: HR verifies them, and
 * only verified ones count. verified_by and verified_on are the server's:
 * set from the caller and the day when verified becomes true, kept while it
 * stays true, removed when it becomes false. An auditor (own scope) may
 * record their own, unverified, but may not verify, may not set the
 * server's fields, and may not change or delete a record once verified.
 */
#ifndef VERIFY_H
#define VERIFY_H

#include "api/resource.h"

/* The rule above, for a prepare hook (doc NULL: a delete). */
void	verify_prepare(json_t *doc, struct prep *);

/* POST .../{id}/verify: set verified (the server sets the rest). */
void	verify_action(struct call *);

/* Who may verify: admin and hr (write grants for the verify route). */
extern const struct grants	verify_grants;

#endif
