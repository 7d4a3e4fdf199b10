/*
 * team.h: an audit team for a person: the verdict of the team check (the
 * answer of POST /v1/audits/{id}/check, and the one a 409 check-failed
 * carries when an assignment cannot be confirmed) drawn member by member
 * and rule by rule, the ranked candidates for a team as a table, a
 * proposed team; and the --team AUDITOR:ROLE list the check takes, its
 * roles those of assignment.schema.json.
 */
#ifndef TEAM_H
#define TEAM_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "output.h"

#define TEAM_MALFORMED	(-2)
#define TEAM_MAX	50	/* members of a team, at most */

/*
 * Write verdict doc for a person to fp: a headline, each member (auditor
 * and role) with each rule checked, marked as holding or not (UTF-8 marks
 * when utf8 is set, + and x otherwise), its detail and the records it
 * rests on (as collection/id), then the team's rules, the warnings and a
 * summary line ("compliant", "not compliant: 3 checks fail"). The
 * server's text is written with control characters escaped. Returns 0,
 * -1 when fp could not be written, or TEAM_MALFORMED (nothing written)
 * when doc is no verdict: no boolean "compliant", or "members" or "team"
 * not arrays.
 */
int	team_verdict_print(FILE *, const json_t *doc, int utf8);

/*
 * Write candidates doc with out: a table (output_table) of RANK (from
 * offset + 1), AUDITOR, NAME, PASSES, LEAD, COVERS, WORKLOAD and FAILS
 * (the rule ids it fails), PASSES and LEAD as marks (yes/no without
 * utf8); CSV with the values as they are; or the document (output_json).
 * With decorate (a terminal), the table has the required areas the team
 * still misses above it, "None." for no candidates, and where the next
 * page starts below it. Returns 0, -1 when the output could not be made
 * or written, or TEAM_MALFORMED (nothing written) when doc has no
 * "candidates" array.
 */
int	team_candidates_print(FILE *, const struct output *out,
	    const json_t *doc, long offset, int utf8, int decorate);

/*
 * Write proposal doc for a person: when a team was found, its members lead
 * first (with the assignment recorded for each, if any) and then its
 * verdict as team_verdict_print draws it; otherwise "no team passes every
 * rule:" and each reason on a line of its own. Returns 0, -1 when fp could
 * not be written, or TEAM_MALFORMED (nothing written) when doc has no
 * boolean "found" or no "team" array.
 */
int	team_proposal_print(FILE *, const json_t *doc, int utf8);

/*
 * The roles of a team member: assignment.schema.json's role enum, from the
 * built-in schema (it belongs to that module), or NULL when the build has
 * none.
 */
const char *const	*team_roles(void);

/*
 * The team of the values of --team (each a comma-separated list of
 * AUDITOR:ROLE) as [{"auditor":…,"role":…}, …] in the order given.
 * Returns 0 and the array in *out (the caller's reference), or -1 with a
 * message in err naming the item at fault: an empty item, no colon, an
 * auditor that is no record id, a role the schema does not know (with the
 * nearest one when close), an auditor given twice, more than TEAM_MAX.
 */
int	team_parse(const char *const *values, size_t n, json_t **out,
	    char *err, size_t errlen);

/*
 * The verdict a refusal carries: problem's "verdict" when its type is
 * check-failed, else NULL. Borrowed from problem.
 */
const json_t	*team_check_failed(const json_t *problem);

struct cmd_ctx;

/*
 * Print an answer with ctx's output: the human view in the locale's marks
 * for a table, the server's document for --json. Each returns an exit
 * code: team_verdict_show CMD_OK for a compliant team and CMD_FAILED for
 * one that is not; team_proposal_show CMD_OK when a team was found and
 * CMD_FAILED when none was; team_candidates_show CMD_OK. All CMD_SERVER
 * (after a message) when the answer is not what was asked for or the
 * output could not be written.
 */
int	team_verdict_show(struct cmd_ctx *, const json_t *doc);
int	team_candidates_show(struct cmd_ctx *, const json_t *doc,
	    long offset);
int	team_proposal_show(struct cmd_ctx *, const json_t *doc);

#endif
