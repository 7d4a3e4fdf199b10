/*
 * profile.c: one auditor's rows read once for many rules (see profile.h):
 * the lazy reads, their buffers, and the profile's counterparts of
 * check_expiry() and check_cpd_sum(). The member rules over a profile are
 * in member.c, next to the walks they share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "check/profile.h"
#include "check/rules.h"

void
check_profile_init(struct check_profile *pf, struct store *st, MDB_txn *txn)
{
	memset(pf, 0, sizeof *pf);
	pf->st = st;
	pf->txn = txn;
}

void
check_profile_reset(struct check_profile *pf, const char *auditor)
{
	size_t	n = strlen(auditor);

	/* An id too long is no auditor: its walks find nothing. */
	if (n > ID_MAX)
		n = 0;
	memcpy(pf->auditor, auditor, n);
	pf->auditor[n] = '\0';
	pf->loaded = 0;
	pf->arc = STORE_OK;
	pf->nquals = pf->nevals = pf->ndecls = pf->nbusy = 0;
	pf->ncpdsum = 0;
}

void
check_profile_free(struct check_profile *pf)
{
	free(pf->quals);
	free(pf->evals);
	free(pf->decls);
	free(pf->busy);
	memset(pf, 0, sizeof *pf);
}

/* A free slot at the end of an array of rows, grown as needed. */
static void *
slot(void **rows, size_t n, size_t *cap, size_t size)
{
	void	*p;
	size_t	 c;

	if (n == *cap) {
		c = *cap ? *cap * 2 : 4;
		if ((p = reallocarray(*rows, c, size)) == NULL)
			return NULL;
		*rows = p;
		*cap = c;
	}
	return (char *)*rows + n * size;
}

struct rows_qual *
check_profile_slot_qual(struct check_profile *pf)
{
	return slot((void **)&pf->quals, pf->nquals, &pf->capquals,
	    sizeof *pf->quals);
}

struct rows_eval *
check_profile_slot_eval(struct check_profile *pf)
{
	return slot((void **)&pf->evals, pf->nevals, &pf->capevals,
	    sizeof *pf->evals);
}

struct rows_decl *
check_profile_slot_decl(struct check_profile *pf)
{
	return slot((void **)&pf->decls, pf->ndecls, &pf->capdecls,
	    sizeof *pf->decls);
}

struct assign_busy *
check_profile_slot_busy(struct check_profile *pf)
{
	return slot((void **)&pf->busy, pf->nbusy, &pf->capbusy,
	    sizeof *pf->busy);
}

int
check_profile_auditor(struct check_profile *pf)
{
	if (!(pf->loaded & PROFILE_AUDITOR)) {
		pf->arc = assign_auditor(pf->st, pf->txn, pf->auditor, &pf->a);
		pf->loaded |= PROFILE_AUDITOR;
	}
	return pf->arc;
}

/* One table's walk: each row decoded straight into the profile's array. */
struct load {
	struct check_profile	*pf;
	const char		*table;
	unsigned		 what;
	int			 nomem;
};

static int
load_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct load		*l = arg;
	struct check_profile	*pf = l->pf;
	void			*row;
	int			 bad;

	switch (l->what) {
	case PROFILE_CPDSUM:
		/* One row per auditor, read where it lies: a few hundred
		 * bytes of which the window's sum reads a few. */
		pf->cpdsum = v->mv_data;
		pf->ncpdsum = v->mv_size;
		return 0;
	case PROFILE_QUALS:
		if ((row = check_profile_slot_qual(pf)) == NULL)
			break;
		if (!(bad = rows_decode_qual(k, v, row)))
			pf->nquals++;
		goto decoded;
	case PROFILE_EVALS:
		if ((row = check_profile_slot_eval(pf)) == NULL)
			break;
		if (!(bad = rows_decode_eval(k, v, row)))
			pf->nevals++;
		goto decoded;
	case PROFILE_DECLS:
		if ((row = check_profile_slot_decl(pf)) == NULL)
			break;
		if (!(bad = rows_decode_decl(k, v, row)))
			pf->ndecls++;
		goto decoded;
	default:
		if ((row = check_profile_slot_busy(pf)) == NULL)
			break;
		if (!(bad = assign_decode_busy(k, v, row)))
			pf->nbusy++;
		goto decoded;
	}
	l->nomem = 1;
	return 1;
decoded:
	/* As the walks of rows.c and assign.c say it. */
	if (bad && l->what == PROFILE_BUSY)
		log_warnx("busy: a row that does not decode");
	else if (bad)
		log_warnx("%s: a row that does not decode (%zu bytes)",
		    l->table, v->mv_size);
	return 0;
}

static int
load(struct check_profile *pf, unsigned what, const char *table)
{
	struct load	l = { pf, table, what, 0 };
	size_t		n = strlen(pf->auditor);
	int		rc;

	if (pf->loaded & what)
		return STORE_OK;
	/* The NUL ends the auditor: "al" never reads "alice"'s rows. */
	if (n == 0)
		return STORE_NOTFOUND;
	if (what == PROFILE_QUALS)
		pf->nquals = 0;
	else if (what == PROFILE_EVALS)
		pf->nevals = 0;
	else if (what == PROFILE_DECLS)
		pf->ndecls = 0;
	else if (what == PROFILE_CPDSUM)
		pf->ncpdsum = 0;
	else
		pf->nbusy = 0;
	rc = store_aux_walk(pf->st, pf->txn, table, pf->auditor, n + 1,
	    load_one, &l);
	if (rc == STORE_OK && l.nomem)
		rc = STORE_IO;
	if (rc == STORE_OK)
		pf->loaded |= what;
	return rc;
}

/* ---- the scan ------------------------------------------------------------ */

static const char *const scan_tables[CHECK_SCAN_TABLES] = { "quals",
    "evals", "decls", "busy", "cpdsum" };
static const unsigned scan_what[CHECK_SCAN_TABLES] = { PROFILE_QUALS,
    PROFILE_EVALS, PROFILE_DECLS, PROFILE_BUSY, PROFILE_CPDSUM };

int
check_scan_open(struct check_scan *sc, struct store *st, MDB_txn *txn)
{
	size_t	i;
	int	rc;

	memset(sc, 0, sizeof *sc);
	for (i = 0; i < CHECK_SCAN_TABLES; i++) {
		if ((rc = store_aux_cursor(st, txn, scan_tables[i],
		    &sc->cur[i])) != STORE_OK) {
			check_scan_close(sc);
			return rc;
		}
		sc->mrc[i] = mdb_cursor_get(sc->cur[i], &sc->k[i], &sc->v[i],
		    MDB_FIRST);
	}
	return STORE_OK;
}

void
check_scan_close(struct check_scan *sc)
{
	size_t	i;

	for (i = 0; i < CHECK_SCAN_TABLES; i++)
		if (sc->cur[i] != NULL)
			mdb_cursor_close(sc->cur[i]);
	memset(sc, 0, sizeof *sc);
}

/*
 * Where a row's key stands to auditor's rows (n bytes and its NUL):
 * before (< 0), among (0) or after (> 0), in the tables' key order (the
 * auditor, a NUL, then the rest). An id holds no NUL, so the auditor and
 * its NUL against the key's first bytes say it, in one memcmp.
 */
static int
key_cmp(const MDB_val *k, const char *auditor, size_t n)
{
	size_t	ks = k->mv_size;
	int	c;

	if ((c = memcmp(k->mv_data, auditor, ks < n + 1 ? ks : n + 1)) != 0)
		return c;
	return ks < n ? -1 : 0;
}

int
check_scan_fill(struct check_scan *sc, struct check_profile *pf)
{
	struct load	l = { pf, NULL, 0, 0 };
	size_t		n = strlen(pf->auditor), i;
	int		c;

	if (n == 0)
		return STORE_NOTFOUND;
	for (i = 0; i < CHECK_SCAN_TABLES; i++) {
		l.table = scan_tables[i];
		l.what = scan_what[i];
		while (sc->mrc[i] == 0 && (c = key_cmp(&sc->k[i], pf->auditor,
		    n)) <= 0) {
			if (c == 0 && load_one(&sc->k[i], &sc->v[i], &l) != 0)
				return STORE_IO;	/* no memory */
			sc->mrc[i] = mdb_cursor_get(sc->cur[i], &sc->k[i],
			    &sc->v[i], MDB_NEXT);
		}
		if (sc->mrc[i] != 0 && sc->mrc[i] != MDB_NOTFOUND)
			return STORE_IO;
		pf->loaded |= l.what;
	}
	return STORE_OK;
}

int
check_profile_quals(struct check_profile *pf)
{
	return load(pf, PROFILE_QUALS, "quals");
}

int
check_profile_evals(struct check_profile *pf)
{
	return load(pf, PROFILE_EVALS, "evals");
}

int
check_profile_decls(struct check_profile *pf)
{
	return load(pf, PROFILE_DECLS, "decls");
}

int
check_profile_busy(struct check_profile *pf)
{
	return load(pf, PROFILE_BUSY, "busy");
}

int
check_profile_cpdsum(struct check_profile *pf)
{
	return load(pf, PROFILE_CPDSUM, "cpdsum");
}

int
check_profile_expiry(struct check_profile *pf, const struct check_plan *p,
    struct check_result *r)
{
	int	rc;

	if ((rc = check_profile_quals(pf)) != STORE_OK) {
		check_result_init(r, CHECK_EXPIRY);
		r->ok = 1;
		return rc;
	}
	check_expiry_rows(pf->quals, pf->nquals, p->standard[0] != '\0' ?
	    p->standard : NULL, &p->w, &p->policy, r);
	return STORE_OK;
}

/* rows_cpd_hours() from the profile's cpdsum row, over days from, to. */
static int
cpd_hours(struct check_profile *pf, const struct check_window *w, long from,
    long to, uint64_t enough, uint64_t *sum)
{
	int	rc;

	if ((rc = check_profile_cpdsum(pf)) != STORE_OK)
		return rc;
	if (rows_cpdsum_hours(pf->cpdsum, pf->ncpdsum, from, to, enough,
	    sum) == 0)
		return STORE_OK;
	/* Past its bound: the cpd rows. */
	return rows_cpd_hours(pf->st, pf->txn, pf->auditor, w->start, w->end,
	    enough, sum);
}

int
check_profile_cpd_sum(struct check_profile *pf, const struct check_window *w,
    uint64_t *sum)
{
	long	from, to;
	int	ok, ok2;

	if ((pf->loaded & PROFILE_CPD) && strcmp(pf->cpd_w.start,
	    w->start) == 0 && strcmp(pf->cpd_w.end, w->end) == 0) {
		*sum = pf->cpd_sum;
		return STORE_OK;
	}
	from = rows_day(w->start, ROWS_DAY_FIRST, &ok);
	to = rows_day(w->end, ROWS_DAY_LAST, &ok2);
	if (!ok || !ok2)
		return rows_cpd_hours(pf->st, pf->txn, pf->auditor, w->start,
		    w->end, 0, sum);
	return cpd_hours(pf, w, from, to, 0, sum);
}

int
check_profile_cpd_ok(struct check_profile *pf, const struct check_plan *p,
    struct check_result *r)
{
	struct profile_cpdw	*c = &pf->cpdw;
	uint64_t		 sum = 0, min;
	int			 rc, ok, ok2;

	min = (uint64_t)p->policy.cpd_min_hours_x100;
	check_result_init(r, CHECK_CPD);
	/* One window for every auditor of a plan: worked out once. */
	if (c->on[0] == '\0' || strcmp(c->on, p->w.start) != 0 ||
	    c->months != p->policy.cpd_window_months) {
		check_window_back(&c->w, p->w.start,
		    p->policy.cpd_window_months);
		c->from = rows_day(c->w.start, ROWS_DAY_FIRST, &ok);
		c->to = rows_day(c->w.end, ROWS_DAY_LAST, &ok2);
		c->days = ok && ok2;
		check_format(c->on, sizeof c->on, "%s", p->w.start);
		c->months = p->policy.cpd_window_months;
	}
	/* Pass or fail only: the first hours that reach min do. */
	if (min == 0)
		rc = STORE_OK;
	else if (c->days)
		rc = cpd_hours(pf, &c->w, c->from, c->to, min, &sum);
	else
		rc = rows_cpd_hours(pf->st, pf->txn, pf->auditor, c->w.start,
		    c->w.end, min, &sum);
	if (rc != STORE_OK)
		return rc;
	r->ok = sum >= min;
	return STORE_OK;
}
