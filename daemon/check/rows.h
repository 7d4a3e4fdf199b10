/*
 * rows.h: the derived rows the competence rules and reports read instead of
 * documents. Each table is an aux table of the store, kept by its
 * resource's derive hook in the same write transaction as the documents,
 * so it is never out of step with them; each row is a few dozen bytes (a
 * cpdsum row a few hundred) in a fixed binary form, read without any JSON
 * parse.
 *
 * Tables, keys (auditor id, NUL, then what orders the auditor's rows) and
 * which documents give a row:
 *   quals  auditor \0 qualification id       every qualification
 *   cpd    auditor \0 date \0 training id    verified CPD trainings only
 *   evals  auditor \0 date \0 evaluation id  every evaluation
 *   decls  auditor \0 declaration id         every declaration
 *   cpdsum auditor \0                        verified CPD trainings only
 * A walk over one auditor's cpd or evals rows is in date order.
 *
 * cpdsum is the auditor's CPD hours by date in one row, for the rules
 * that need the hours but not which trainings give them (candidates and
 * propose judge every auditor): an entry per verified CPD training, its
 * day and its hours x 100, sorted, packed in 4 bytes each when they fit
 * (rows.c says the forms); no row for none. Each change of a training
 * rewrites its auditor's row, so past rows_cpdsum_max entries (4096 by
 * default: 16 to 32 KB) the row holds only their number and readers sum
 * the cpd rows instead: the same hours, a walk slower.
 *
 * Readers decode into the structs below, which live only for the callback:
 * copy what must be kept. The callbacks return 0 to go on, anything else
 * to stop the walk.
 */
#ifndef ROWS_H
#define ROWS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <lmdb.h>

#include "store/store.h"
#include "util.h"

#define ROWS_AREAS_MAX		50	/* the schemas' maxItems */
#define ROWS_TEXT_MAX		200	/* standard, party */

enum rows_qual_kind {
	ROWS_AUDITOR_CERTIFICATE = 0,
	ROWS_LEAD_AUDITOR_CERTIFICATE,
	ROWS_EDUCATION,
	ROWS_WORK_EXPERIENCE,
	ROWS_OTHER_QUALIFICATION
};

enum rows_result { ROWS_MEETS = 0, ROWS_PARTIALLY_MEETS, ROWS_DOES_NOT_MEET };
enum rows_level { ROWS_AWARENESS = 0, ROWS_COMPETENT, ROWS_EXPERT };

enum rows_decl_kind {
	ROWS_EMPLOYMENT = 0,
	ROWS_CONSULTANCY,
	ROWS_FINANCIAL,
	ROWS_FAMILY,
	ROWS_PROCESS_OWNER,
	ROWS_OTHER_INTEREST
};

struct rows_qual {
	char			 id[ID_MAX + 1];
	int			 verified;
	enum rows_qual_kind	 kind;
	char			 issued[UTIL_DATE_LEN];
	char			 expires[UTIL_DATE_LEN];	/* "": none */
	char			 standard[ROWS_TEXT_MAX + 1];	/* "": none */
	size_t			 nareas;
	char			 areas[ROWS_AREAS_MAX][ID_MAX + 1];
};

struct rows_cpd {
	char			 id[ID_MAX + 1];
	char			 date[UTIL_DATE_LEN];
	uint32_t		 hundredths;	/* hours x 100 */
};

struct rows_assessed {
	char			 area[ID_MAX + 1];
	enum rows_level		 level;
};

struct rows_eval {
	char			 id[ID_MAX + 1];
	char			 date[UTIL_DATE_LEN];
	enum rows_result	 result;
	char			 next_due[UTIL_DATE_LEN];	/* "": none */
	size_t			 nassessed;
	struct rows_assessed	 assessed[ROWS_AREAS_MAX];
};

struct rows_decl {
	char			 id[ID_MAX + 1];
	enum rows_decl_kind	 kind;
	char			 from[UTIL_DATE_LEN];
	char			 until[UTIL_DATE_LEN];		/* "": ongoing */
	char			 party[ROWS_TEXT_MAX + 1];
};

/* The aux table names, NULL-terminated, for store_opts.aux. */
extern const char *const	rows_aux_names[];

/*
 * The derive hooks of the competence resources (struct resource's derive):
 * drop the row old gave, put the row doc gives (old NULL on create, doc
 * NULL on delete). A store result; anything but STORE_OK undoes the change.
 */
int	rows_derive_qualification(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);
int	rows_derive_training(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);
int	rows_derive_evaluation(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);
int	rows_derive_declaration(struct store_txn *, const char *id,
	    const json_t *old, const json_t *doc);

/*
 * Walk one auditor's rows. rows_cpd walks the verified CPD trainings dated
 * in [from, to] (both YYYY-MM-DD, both included; NULL: unbounded), in date
 * order; rows_evals every evaluation in date order (the last is the
 * latest). Each answers STORE_OK (also when cb stopped the walk) or a store
 * error; a row that does not decode is skipped and logged, never half read.
 */
int	rows_quals(struct store *, MDB_txn *, const char *auditor,
	    int (*cb)(const struct rows_qual *, void *), void *arg);
int	rows_cpd(struct store *, MDB_txn *, const char *auditor,
	    const char *from, const char *to,
	    int (*cb)(const struct rows_cpd *, void *), void *arg);
int	rows_evals(struct store *, MDB_txn *, const char *auditor,
	    int (*cb)(const struct rows_eval *, void *), void *arg);
int	rows_decls(struct store *, MDB_txn *, const char *auditor,
	    int (*cb)(const struct rows_decl *, void *), void *arg);

/*
 * The verified CPD hours (hundredths) of auditor dated in [from, to] (as
 * rows_cpd()), into *sum: from the cpdsum row, or from the cpd rows when
 * it holds no entries. With enough not 0 the sum may stop as soon as it
 * reaches enough (pass or fail only). A store result.
 */
int	rows_cpd_hours(struct store *, MDB_txn *, const char *auditor,
	    const char *from, const char *to, uint64_t enough, uint64_t *sum);

/*
 * rows_cpd_hours() over a cpdsum row's value (len 0: no row) and days
 * from and to (util_date_days(); ROWS_DAY_FIRST, ROWS_DAY_LAST:
 * unbounded): 0, or -1 when the row holds no entries (past the bound, or
 * it does not decode) and the cpd rows must be summed instead.
 */
#define ROWS_DAY_FIRST		(-2147483647L - 1)
#define ROWS_DAY_LAST		2147483647L
int	rows_cpdsum_hours(const void *row, size_t len, long from, long to,
	    uint64_t enough, uint64_t *sum);

/* date's day number (util_date_days()), or none for NULL; *ok as it says. */
long	rows_day(const char *date, long none, int *ok);

/*
 * The most entries a cpdsum row holds; tests lower it to pass it with a
 * few trainings. Set it before the store opens: rows derived under
 * another bound differ.
 */
#define ROWS_CPDSUM_MAX		4096
extern size_t	rows_cpdsum_max;

/*
 * The cpdsum value of n entries (each as rows_encode() gives it, sorted
 * as bytes) into val (1 + 8 x n bytes): 1 and its length, or 0 for n 0
 * (no row). For tests that rebuild the rows from documents.
 */
#define ROWS_CPDSUM_ENTRY	8
int	rows_cpdsum_value(const unsigned char *entries, size_t n,
	    unsigned char *val, size_t *vlen);

/*
 * Decode one row of quals, evals or decls (its key and value) as the walks
 * above do: 0, or -1 for a row that does not decode. For readers that walk
 * a table themselves (check/profile.h).
 */
int	rows_decode_qual(const MDB_val *key, const MDB_val *val,
	    struct rows_qual *);
int	rows_decode_eval(const MDB_val *key, const MDB_val *val,
	    struct rows_eval *);
int	rows_decode_decl(const MDB_val *key, const MDB_val *val,
	    struct rows_decl *);

/*
 * The row a document gives in table ("quals", "cpd", "evals", "decls"),
 * encoded as the derive hooks store it: key into key (klen), value into
 * val (vlen). Returns 1, or 0 when the document gives no row (an
 * unverified training). For "cpdsum", the key of the auditor's row and
 * the one 8-byte entry the document adds to it. For tests that rebuild
 * the tables from documents. key and val must hold ROWS_KEY_MAX and
 * ROWS_VAL_MAX bytes.
 */
#define ROWS_KEY_MAX	(ID_MAX + 1 + UTIL_DATE_LEN + ID_MAX + 1)
#define ROWS_VAL_MAX	4096
int	rows_encode(const char *table, const char *id, const json_t *doc,
	    unsigned char *key, size_t *klen, unsigned char *val, size_t *vlen);

/* The enum names as the schemas spell them. */
const char	*rows_qual_kind_name(enum rows_qual_kind);
const char	*rows_result_name(enum rows_result);
const char	*rows_level_name(enum rows_level);
const char	*rows_decl_kind_name(enum rows_decl_kind);

#endif
