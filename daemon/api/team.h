/*
 * team.h: the team routes of an audit (team.c): the team check, the
 * candidates and a proposal, as route handlers of the audits resource.
 */
#ifndef API_TEAM_H
#define API_TEAM_H

#include "api/resource.h"

/* POST /v1/audits/{id}/check: the verdict (schemas/verdict.schema.json). */
void	team_check(struct call *);

/* GET /v1/audits/{id}/candidates?limit=&offset= */
void	team_candidates(struct call *);

/* POST /v1/audits/{id}/propose?assign=true|false */
void	team_propose(struct call *);

#endif
