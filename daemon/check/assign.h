/*
 * assign.h: the derived rows the team rules read about auditors and their
 * assignments, kept like check/rows.h's in the same write transaction as
 * the documents by the derive hooks of auditors, audits and assignments.
 *
 * Tables, keys and what gives a row:
 *   auds   auditor                               every auditor
 *   busy   auditor \0 start \0 assignment id     every assignment
 *   team   audit \0 assignment id                every assignment
 *   leads  auditee \0 start \0 audit \0 auditor  a lead assignment that is
 *          confirmed or completed, on an audit not cancelled; the
 *          auditee in lower case (rotation ignores case, as
 *          independence and own_unit do)
 * start and the audit's end, auditee and status in busy and leads are the
 * audit's: the audits hook rewrites the rows of its assignments when one of
 * them changes, so they never go stale.
 *
 * Readers decode into the structs below, which live only for the callback;
 * callbacks return 0 to go on, anything else to stop the walk. Every reader
 * answers STORE_OK (also when the walk was stopped) or a store error; a row
 * that does not decode is skipped and logged.
 */
#ifndef ASSIGN_H
#define ASSIGN_H

#include <jansson.h>
#include <lmdb.h>

#include "store/store.h"
#include "util.h"

#define ASSIGN_TEXT_MAX		200	/* name, unit, auditee */
#define ASSIGN_LANGS_MAX	20	/* the auditor schema's maxItems */
#define ASSIGN_LANG_MAX		6

enum assign_auditor_status { ASSIGN_ACTIVE = 0, ASSIGN_SUSPENDED,
    ASSIGN_RETIRED };
enum assign_role { ASSIGN_LEAD = 0, ASSIGN_AUDITOR, ASSIGN_TECHNICAL_EXPERT,
    ASSIGN_OBSERVER, ASSIGN_TRAINEE, ASSIGN_NROLES };
enum assign_status { ASSIGN_PROPOSED = 0, ASSIGN_CONFIRMED, ASSIGN_WITHDRAWN,
    ASSIGN_COMPLETED };
enum assign_audit_status { ASSIGN_PLANNED = 0, ASSIGN_IN_PROGRESS,
    ASSIGN_REPORTED, ASSIGN_CLOSED, ASSIGN_CANCELLED };

struct assign_auditor {
	char				id[ID_MAX + 1];
	enum assign_auditor_status	status;
	char				name[ASSIGN_TEXT_MAX + 1];
	char				unit[ASSIGN_TEXT_MAX + 1];	/* "": none */
	size_t				nlangs;
	char				langs[ASSIGN_LANGS_MAX][ASSIGN_LANG_MAX + 1];
};

/* One assignment as its auditor's busy row tells it. */
struct assign_busy {
	char				id[ID_MAX + 1];	/* the assignment */
	char				audit[ID_MAX + 1];
	char				start[UTIL_DATE_LEN];	/* the audit's */
	char				end[UTIL_DATE_LEN];
	enum assign_role		role;
	enum assign_status		status;
	enum assign_audit_status	audit_status;
};

/* One assignment as its audit's team row tells it. */
struct assign_member {
	char			id[ID_MAX + 1];	/* the assignment */
	char			auditor[ID_MAX + 1];
	enum assign_role	role;
	enum assign_status	status;
};

/* The aux table names, NULL-terminated, for store_opts.aux. */
extern const char *const	assign_aux_names[];

/* The derive hooks (struct resource's derive) of the three resources. */
int	assign_derive_auditor(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);
int	assign_derive_assignment(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);
int	assign_derive_audit(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);

/* auditor's row into *a; STORE_NOTFOUND when there is no such auditor. */
int	assign_auditor(struct store *, MDB_txn *, const char *auditor,
	    struct assign_auditor *a);
/* Every auditor, in id order. */
int	assign_auditors(struct store *, MDB_txn *,
	    int (*cb)(const struct assign_auditor *, void *), void *arg);
/* Every assignment of auditor, in the order of its audits' start. */
int	assign_busy(struct store *, MDB_txn *, const char *auditor,
	    int (*cb)(const struct assign_busy *, void *), void *arg);
/* Every assignment of audit, in assignment id order. */
int	assign_team(struct store *, MDB_txn *, const char *audit,
	    int (*cb)(const struct assign_member *, void *), void *arg);
/*
 * Decode one busy row (its key and value) as assign_busy() does: 0, or -1
 * for a row that does not decode. For readers that walk the table
 * themselves (check/profile.h).
 */
int	assign_decode_busy(const MDB_val *key, const MDB_val *val,
	    struct assign_busy *);
/*
 * The leads of auditee's audits that start before before, latest first:
 * cb gets the audit, its start and its lead (once per lead; an audit with
 * two leads comes twice, one after the other).
 */
int	assign_leads(struct store *, MDB_txn *, const char *auditee,
	    const char *before, int (*cb)(const char *audit,
	    const char *start, const char *auditor, void *), void *arg);

/* The enum values as the schemas spell them, and back (-1: none). */
const char	*assign_role_name(enum assign_role);
int		 assign_role_parse(const char *);
const char	*assign_status_name(enum assign_status);
int		 assign_status_parse(const char *);
int		 assign_audit_status_parse(const char *);

#endif
