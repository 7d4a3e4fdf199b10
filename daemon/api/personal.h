/*
 * personal.h: what the programme holds about one person, for data
 * protection requests: the export of everything about an auditor (right of
 * access) and the erasure that leaves a tombstone (right to erasure).
 */
#ifndef PERSONAL_H
#define PERSONAL_H

#include "api/resource.h"

/* GET /v1/auditors/{id}/export: one JSON document (personal-export). */
void	personal_export(struct call *);

/*
 * DELETE /v1/auditors/{id}?erase=true (admin): the person's competence
 * records and principals removed, the auditor replaced by a tombstone, in
 * one change. 200 with the tombstone and what was removed.
 */
void	personal_erase(struct call *);

/* The grants of the export: the auditor themself, HR, admin. */
extern const struct grants	personal_export_grants;

#endif
