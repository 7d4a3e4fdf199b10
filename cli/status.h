/*
 * status.h: an auditor's competence status for a person: the answer of
 * GET /v1/auditors/{id}/status (also the "status" member of /v1/me for
 * role auditor) drawn as a headline, the qualifications and their state,
 * the verified CPD hours against the minimum as a bar, the latest
 * evaluation, the declarations, what stands between the auditor and being
 * fit, and the warnings.
 */
#ifndef STATUS_H
#define STATUS_H

#include <stdio.h>

#include <jansson.h>

#define STATUS_MALFORMED	(-2)

/*
 * Write status document doc for a person to fp, with UTF-8 symbols when
 * utf8 is set, ASCII ones otherwise, the columns of each part aligned.
 * A part the document lacks is left out; the server's text is written
 * with control characters escaped. Returns 0, -1 when fp could not be
 * written, or STATUS_MALFORMED (nothing written) when doc is no status: no
 * "auditor" string or no boolean "fit".
 */
int	status_print(FILE *, const json_t *doc, int utf8);

struct cmd_ctx;

/*
 * Print a status answer with ctx's output: status_print in the locale's
 * symbols for a table, the server's document for --json and --csv.
 * Returns an exit code: CMD_OK, or CMD_SERVER when the answer is no status
 * or the output could not be written (after a message).
 */
int	status_show(struct cmd_ctx *, const json_t *doc);

/*
 * Print the answer of /v1/me with ctx's output. A table shows the records
 * as FIELD VALUE pairs and, when the answer holds a "status" (role
 * auditor), that status as status_show does, below them; --json and --csv
 * get the document as it is. Returns an exit code, as status_show.
 */
int	status_show_me(struct cmd_ctx *, const json_t *me);

#endif
