/*
 * test_rows.c: the derived rows (check/rows.h) never drift from the
 * documents. Thousands of random creates, replaces, merge patches and
 * deletes over the four competence collections (verification and cpd
 * flips, date, auditor and area changes, and changes the daemon refuses)
 * run through records_apply, each change in its own nested transaction as
 * the writer runs them; after every batch each row is rebuilt from the
 * stored documents with rows_encode() and every aux table must hold
 * exactly those rows: every key, every value, nothing more. cpdsum, one
 * row per auditor, is rebuilt from every training's entry
 * (rows_cpdsum_value()), and the hours it gives over random windows must
 * be those the cpd rows add up to. The run goes once as the daemon runs,
 * and once more in a fresh store with rows_cpdsum_max at 2, so that rows
 * pass their bound and fall back within it all the time; some hours (over
 * 655.35) and dates (further apart than 179 years) need the wide form.
 *
 * AUDITORD_ROWS_SEED and AUDITORD_ROWS_OPS change the seed (printed) and
 * the number of changes.
 */
#include <stdint.h>

#include "cu.h"
#include "fixture.h"

#include "check/profile.h"
#include "check/rows.h"
#include "check/rules.h"

#define POOL		24	/* ids per collection: changes collide */
#define NAUDITORS	5
#define BATCH		250
#define OPS_DEFAULT	6000

static struct fixture	 fx;
static uint64_t		 rng;

static const char *const colls[] = { "qualifications", "trainings",
    "evaluations", "declarations" };
static const char *const tables[] = { "quals", "cpd", "evals", "decls",
    "cpdsum" };
/* Where each table's rows come from (colls[]). */
static const size_t table_coll[] = { 0, 1, 2, 3, 1 };
static const char *const areas[] = { "audit-principles",
    "business-management", "client-sector", "infosec-terminology",
    "isms-standards", "legislation", "risk-management",
    "security-controls" };

#define NELEMS(a)	(sizeof (a) / sizeof (a)[0])

/* ---- random documents ---------------------------------------------------- */

static uint32_t
rnd(uint32_t n)
{
	/* xorshift64*: repeatable from the printed seed. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 33) % n;
}

static json_t *
rdate(long from)
{
	char	d[UTIL_DATE_LEN];

	/* Now and then two centuries on: a cpdsum row of the wide form. */
	util_date_str(from + (long)rnd(2500) + (rnd(30) == 0 ? 80000 : 0), d);
	return json_string(d);
}

static long
base_day(void)
{
	return util_date_days("2020-01-01", NULL);
}

static json_t *
rauditor(void)
{
	char	id[16];

	snprintf(id, sizeof id, "a%u", rnd(NAUDITORS));
	return json_string(id);
}

static const char *
pick(const char *const *names, size_t n)
{
	return names[rnd((uint32_t)n)];
}

static json_t *
rareas(void)
{
	json_t	*a = json_array();
	size_t	 i, start = rnd(NELEMS(areas)), n = rnd(4);

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(areas[(start + i) %
		    NELEMS(areas)]));
	return a;
}

/* A date after d (a string) by 1..800 days, or before it (refused). */
static json_t *
rafter(const json_t *d, int may_be_bad)
{
	long	n = util_date_days(json_string_value(d), NULL);
	char	s[UTIL_DATE_LEN];

	util_date_str(n + 1 + (long)rnd(800) - (may_be_bad && rnd(20) == 0 ?
	    900 : 0), s);
	return json_string(s);
}

static json_t *
rqualification(void)
{
	static const char *const kinds[] = { "auditor_certificate",
	    "lead_auditor_certificate", "education", "work_experience",
	    "other" };
	json_t	*d = json_pack("{s:o, s:s, s:s, s:o, s:b, s:o}", "auditor",
		    rauditor(), "kind", pick(kinds, NELEMS(kinds)), "title", "Q",
		    "issued", rdate(base_day()), "verified", rnd(2), "areas",
		    rareas());

	if (rnd(3) != 0)
		json_object_set_new(d, "expires", rafter(json_object_get(d,
		    "issued"), 1));
	if (rnd(2))
		json_object_set_new(d, "standard", json_string(rnd(2) ?
		    "ISO/IEC 27001" : "ISO/IEC 27701"));
	return d;
}

static json_t *
rhours(void)
{
	/* Now and then a third decimal, which the daemon refuses. */
	if (rnd(25) == 0)
		return json_real(1.005);
	/* Now and then more than a narrow cpdsum entry holds (655.35). */
	if (rnd(20) == 0)
		return json_real((double)(65536 + rnd(34465)) / 100);
	return json_real((double)(1 + rnd(4000)) / 100);
}

static json_t *
rtraining(void)
{
	json_t	*d = json_pack("{s:o, s:s, s:o, s:o, s:b, s:o}", "auditor",
		    rauditor(), "title", "T", "date", rdate(base_day()), "hours",
		    rhours(), "verified", rnd(2), "areas", rareas());

	if (rnd(3) != 0)
		json_object_set_new(d, "cpd", json_boolean(rnd(2)));
	return d;
}

static json_t *
rassessed(void)
{
	static const char *const levels[] = { "awareness", "competent",
	    "expert" };
	json_t	*a = json_array();
	size_t	 i, start = rnd(NELEMS(areas)), n = rnd(4);

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "area",
		    areas[(start + i) % NELEMS(areas)], "level",
		    pick(levels, NELEMS(levels))));
	return a;
}

static json_t *
revaluation(void)
{
	static const char *const results[] = { "meets", "partially_meets",
	    "does_not_meet" };
	json_t	*d = json_pack("{s:o, s:o, s:s, s:s, s:o}", "auditor",
		    rauditor(), "date", rdate(base_day()), "method", "interview",
		    "result", pick(results, NELEMS(results)), "assessed",
		    rassessed());

	if (rnd(2))
		json_object_set_new(d, "next_due", rafter(json_object_get(d,
		    "date"), 1));
	return d;
}

static json_t *
rdeclaration(void)
{
	static const char *const kinds[] = { "employment", "consultancy",
	    "financial", "family", "process_owner", "other" };
	json_t	*d = json_pack("{s:o, s:s, s:s, s:o}", "auditor", rauditor(),
		    "party", rnd(2) ? "Finance" : "Supplier Ltd", "kind",
		    pick(kinds, NELEMS(kinds)), "from", rdate(base_day()));

	if (rnd(3) == 0)
		json_object_set_new(d, "until", json_null());
	else if (rnd(2))
		json_object_set_new(d, "until", rafter(json_object_get(d,
		    "from"), 0));
	return d;
}

static json_t *
rdoc(size_t coll)
{
	switch (coll) {
	case 0:
		return rqualification();
	case 1:
		return rtraining();
	case 2:
		return revaluation();
	default:
		return rdeclaration();
	}
}

/* A merge patch of one to three fields the rows depend on. */
static json_t *
rpatch(size_t coll)
{
	json_t	*p = json_object(), *full = rdoc(coll);
	size_t	 i, n = 1 + rnd(3);

	for (i = 0; i < n; i++) {
		switch (rnd(6)) {
		case 0:
			json_object_set_new(p, "auditor", rauditor());
			break;
		case 1:
			json_object_set_new(p, "verified", json_boolean(rnd(2)));
			break;
		case 2:
			json_object_set_new(p, "cpd", json_boolean(rnd(2)));
			break;
		case 3:
			/* Whatever this collection dates by. */
			json_object_set_new(p, coll == 0 ? "issued" :
			    coll == 3 ? "from" : "date", rdate(base_day()));
			break;
		case 4:
			json_object_set_new(p, coll == 2 ? "assessed" : "areas",
			    coll == 2 ? rassessed() : rareas());
			break;
		default:
			/* Another field of a fresh document, or its removal. */
			json_object_set_new(p, coll == 0 ? "expires" :
			    coll == 1 ? "hours" : coll == 2 ? "next_due" :
			    "until", rnd(4) == 0 ? json_null() :
			    json_incref(json_object_get(full, coll == 0 ?
			    "issued" : coll == 1 ? "hours" : coll == 2 ?
			    "date" : "from")));
			break;
		}
	}
	json_decref(full);
	return p;
}

/* ---- rows rebuilt from the documents ------------------------------------- */

struct row {
	unsigned char	*key, *val;
	size_t		 klen, vlen;
};

struct rows {
	struct row	*v;
	size_t		 n, max;
};

static void
rows_add(struct rows *r, const void *k, size_t kl, const void *v, size_t vl)
{
	if (r->n == r->max) {
		r->max = r->max ? r->max * 2 : 256;
		r->v = realloc(r->v, r->max * sizeof *r->v);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r->v);
	}
	r->v[r->n].key = malloc(kl);
	r->v[r->n].val = malloc(vl + 1);
	memcpy(r->v[r->n].key, k, kl);
	memcpy(r->v[r->n].val, v, vl);
	r->v[r->n].klen = kl;
	r->v[r->n].vlen = vl;
	r->n++;
}

static void
rows_clear(struct rows *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].key);
		free(r->v[i].val);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct row	*x = a, *y = b;
	size_t			 n = x->klen < y->klen ? x->klen : y->klen;
	int			 c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

struct rebuild {
	const char	*table;
	const char	*coll;
	struct rows	*want;
	size_t		 docs;
};

/* Each document's row, as the derive hook should have stored it. */
static int
rebuild_one(const char *id, const MDB_val *doc, void *arg)
{
	struct rebuild	*rb = arg;
	unsigned char	 k[ROWS_KEY_MAX], v[ROWS_VAL_MAX];
	size_t		 kl, vl;
	json_t		*d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL);
	const char	*date;
	char		 dk[RECORDS_DATE_KEY];

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	rb->docs++;
	if (rb->table == NULL) {
		/* the "dates" table: collection \0 id -> the date field */
		date = json_string_value(json_object_get(d,
		    router_resource(rb->coll)->date));
		kl = records_date_key(router_resource(rb->coll), id, dk);
		if (date != NULL)
			rows_add(rb->want, dk, kl, date, strlen(date));
	} else if (rows_encode(rb->table, id, d, k, &kl, v, &vl))
		rows_add(rb->want, k, kl, v, vl);
	json_decref(d);
	return 1;
}

static int
take_row(const MDB_val *key, const MDB_val *val, void *arg)
{
	rows_add(arg, key->mv_data, key->mv_size, val->mv_data, val->mv_size);
	return 0;
}

static void
dump_row(const char *what, const struct row *r)
{
	size_t	i;

	fprintf(stderr, "  %s key ", what);
	for (i = 0; i < r->klen; i++)
		fputc(r->key[i] >= 32 && r->key[i] < 127 ? r->key[i] : '|',
		    stderr);
	fprintf(stderr, " (%zu-byte value)\n", r->vlen);
}

/*
 * want holds one row per training, its auditor's key and its entry, in
 * order: make it one row per auditor, the value of all its entries.
 */
static void
cpdsum_rows(struct rows *want)
{
	struct rows	 by;
	unsigned char	*e, *v;
	size_t		 i, j, n, vl;

	memset(&by, 0, sizeof by);
	for (i = 0; i < want->n; i = j) {
		for (j = i; j < want->n && want->v[j].klen == want->v[i].klen &&
		    memcmp(want->v[j].key, want->v[i].key, want->v[i].klen) ==
		    0; j++)
			;
		n = j - i;
		e = malloc(n * ROWS_CPDSUM_ENTRY);
		v = malloc(1 + n * ROWS_CPDSUM_ENTRY);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		for (n = 0; i + n < j; n++) {
			CU_ASSERT_EQUAL(want->v[i + n].vlen, ROWS_CPDSUM_ENTRY);
			memcpy(e + n * ROWS_CPDSUM_ENTRY, want->v[i + n].val,
			    ROWS_CPDSUM_ENTRY);
		}
		CU_ASSERT(rows_cpdsum_value(e, n, v, &vl) == 1);
		rows_add(&by, want->v[i].key, want->v[i].klen, v, vl);
		free(e);
		free(v);
	}
	rows_clear(want);
	*want = by;
}

/* Key order, then value order: a training's entries sorted as bytes. */
static int
row_val_cmp(const void *a, const void *b)
{
	const struct row	*x = a, *y = b;
	size_t			 n = x->vlen < y->vlen ? x->vlen : y->vlen;
	int			 c = row_cmp(a, b);

	if (c != 0)
		return c;
	if ((c = memcmp(x->val, y->val, n)) != 0)
		return c;
	return x->vlen < y->vlen ? -1 : x->vlen > y->vlen;
}

/*
 * The aux table (NULL: "dates", over every dated collection) against the
 * rows rebuilt from the documents; the number of rows in *nrows.
 */
static int
table_matches(MDB_txn *txn, const char *table, size_t *nrows)
{
	struct rows	want, got;
	struct rebuild	rb;
	char		next[ID_MAX + 1];
	size_t		i, c;
	int		ok = 1;

	memset(&want, 0, sizeof want);
	memset(&got, 0, sizeof got);
	for (c = 0; c < NELEMS(tables); c++) {
		if (table == NULL ? c >= NELEMS(colls) :
		    strcmp(tables[c], table) != 0)
			continue;
		rb = (struct rebuild){ table, colls[table_coll[c]], &want, 0 };
		CU_ASSERT_EQUAL(store_list(fx.st, txn, rb.coll, NULL, 0,
		    rebuild_one, &rb, next), STORE_OK);
	}
	qsort(want.v, want.n, sizeof *want.v, row_val_cmp);
	if (table != NULL && strcmp(table, "cpdsum") == 0)
		cpdsum_rows(&want);
	CU_ASSERT_EQUAL(store_aux_walk(fx.st, txn, table != NULL ? table :
	    "dates", NULL, 0, take_row, &got), STORE_OK);
	if (want.n != got.n) {
		fprintf(stderr, "\n%s: %zu rows, %zu rebuilt\n", table != NULL ?
		    table : "dates", got.n, want.n);
		ok = 0;
	}
	for (i = 0; ok && i < want.n; i++)
		if (row_cmp(&want.v[i], &got.v[i]) != 0 ||
		    want.v[i].vlen != got.v[i].vlen ||
		    memcmp(want.v[i].val, got.v[i].val, want.v[i].vlen) != 0) {
			fprintf(stderr, "\n%s: row %zu differs\n", table != NULL ?
			    table : "dates", i);
			dump_row("stored", &got.v[i]);
			dump_row("rebuilt", &want.v[i]);
			ok = 0;
		}
	*nrows = got.n;
	rows_clear(&want);
	rows_clear(&got);
	return ok;
}

/* ---- the changes --------------------------------------------------------- */

struct op {
	struct records_change	ch;
	struct store_change	sc;
};

static int
op_apply(struct store_txn *t, void *arg)
{
	return records_apply(t, arg);
}

static int
noop_apply(struct store_txn *t, void *arg)
{
	(void)t;
	(void)arg;
	return STORE_OK;
}

/* Queue one random change into o. */
static void
op_make(struct op *o)
{
	static const enum records_op ops[] = { RECORDS_CREATE, RECORDS_CREATE,
	    RECORDS_REPLACE, RECORDS_PATCH, RECORDS_PATCH, RECORDS_PATCH,
	    RECORDS_DELETE };
	size_t		 coll = rnd(NELEMS(colls));
	enum records_op	 op = ops[rnd(NELEMS(ops))];
	char		 id[16];
	json_t		*body = NULL;

	snprintf(id, sizeof id, "%c%u", colls[coll][0], rnd(POOL));
	if (op == RECORDS_PATCH)
		body = rpatch(coll);
	else if (op != RECORDS_DELETE)
		body = rdoc(coll);
	fixture_change(&o->ch, colls[coll], op, id, body);
	memset(&o->sc, 0, sizeof o->sc);
	o->sc.apply = op_apply;
	o->sc.arg = &o->ch;
	snprintf(o->sc.principal, sizeof o->sc.principal, "admin");
}

/* ---- the hours cpdsum gives ---------------------------------------------- */

static int
add_cpd(const struct rows_cpd *c, void *arg)
{
	*(uint64_t *)arg += c->hundredths;
	return 0;
}

/* The days of one auditor's cpd rows. */
struct days {
	char	d[64][UTIL_DATE_LEN];
	size_t	n;
};

static int
take_day(const struct rows_cpd *c, void *arg)
{
	struct days	*x = arg;

	if (x->n < 64)
		memcpy(x->d[x->n++], c->date, UTIL_DATE_LEN);
	return 0;
}

/*
 * A random window end: often a day a training is on (the bounds count),
 * or a day of the documents' range, or NULL now and then.
 */
static const char *
rbound(const struct days *x, char d[UTIL_DATE_LEN])
{
	if (rnd(8) == 0)
		return NULL;
	if (x->n > 0 && rnd(2) == 0) {
		memcpy(d, x->d[rnd((uint32_t)x->n)], UTIL_DATE_LEN);
		return d;
	}
	util_date_str(base_day() - 30 + (long)rnd(2600) + (rnd(40) == 0 ?
	    80000 : 0), d);
	return d;
}

/*
 * The hours of each auditor over random windows, from cpdsum (directly and
 * over a profile), against the cpd rows summed one by one; the forms the
 * cpdsum rows are in counted into forms[].
 */
static int
take_form(const MDB_val *k, const MDB_val *v, void *arg)
{
	size_t	*forms = arg;

	(void)k;
	if (v->mv_size > 0 && ((const unsigned char *)v->mv_data)[0] < 3)
		forms[((const unsigned char *)v->mv_data)[0]]++;
	return 0;
}

static int
hours_match(MDB_txn *txn, size_t forms[3])
{
	struct check_profile	 pf;
	struct check_window	 w;
	struct check_plan	*plan;
	struct check_result	*r;
	struct days		 days;
	uint64_t		 want, got, enough;
	const char		*from, *to;
	char			 f[UTIL_DATE_LEN], t[UTIL_DATE_LEN], aud[16];
	size_t			 a, i;
	int			 ok = 1;

	CU_ASSERT_EQUAL(store_aux_walk(fx.st, txn, "cpdsum", NULL, 0,
	    take_form, forms), STORE_OK);
	plan = calloc(1, sizeof *plan);
	r = calloc(2, sizeof *r);
	CU_ASSERT_FATAL(plan != NULL && r != NULL);
	policy_default(&plan->policy);
	check_profile_init(&pf, fx.st, txn);
	for (a = 0; a < NAUDITORS; a++) {
		snprintf(aud, sizeof aud, "a%zu", a);
		days.n = 0;
		CU_ASSERT_EQUAL(rows_cpd(fx.st, txn, aud, NULL, NULL, take_day,
		    &days), STORE_OK);
		for (i = 0; i < 20; i++) {
			from = rbound(&days, f);
			to = rbound(&days, t);
			want = 0;
			CU_ASSERT_EQUAL(rows_cpd(fx.st, txn, aud, from, to,
			    add_cpd, &want), STORE_OK);
			CU_ASSERT_EQUAL(rows_cpd_hours(fx.st, txn, aud, from,
			    to, 0, &got), STORE_OK);
			if (got != want) {
				fprintf(stderr, "\n%s from %s to %s: %llu "
				    "hundredths, %llu in the cpd rows\n", aud,
				    from ? from : "-", to ? to : "-",
				    (unsigned long long)got,
				    (unsigned long long)want);
				ok = 0;
			}
			/* Pass or fail only: enough or more iff want is. */
			enough = 1 + rnd(6000);
			CU_ASSERT_EQUAL(rows_cpd_hours(fx.st, txn, aud, from,
			    to, enough, &got), STORE_OK);
			CU_ASSERT_EQUAL(got >= enough, want >= enough);
			CU_ASSERT(got <= want);
			if (from == NULL || to == NULL)
				continue;
			/*
			 * The cpd rule quiet over a profile (the window kept
			 * from auditor to auditor) as check_cpd() judges.
			 */
			snprintf(plan->w.start, sizeof plan->w.start, "%s", to);
			plan->policy.cpd_window_months = 1 + (int)rnd(40);
			plan->policy.cpd_min_hours_x100 = rnd(6) == 0 ? 0 :
			    1 + (int)rnd(6000);
			check_profile_reset(&pf, aud);
			CU_ASSERT_EQUAL(check_profile_cpd_ok(&pf, plan, &r[0]),
			    STORE_OK);
			CU_ASSERT_EQUAL(check_cpd(fx.st, txn, aud, to,
			    &plan->policy, &r[1]), STORE_OK);
			CU_ASSERT_EQUAL(r[0].ok, r[1].ok);
			snprintf(w.start, sizeof w.start, "%s", from);
			snprintf(w.end, sizeof w.end, "%s", to);
			check_profile_reset(&pf, aud);
			CU_ASSERT_EQUAL(check_profile_cpd_sum(&pf, &w, &got),
			    STORE_OK);
			CU_ASSERT_EQUAL(got, want);
		}
	}
	check_profile_free(&pf);
	free(plan);
	free(r);
	return ok;
}

/* ---- the run ------------------------------------------------------------- */

/*
 * nops random changes in fx's store (fresh), every table checked after
 * each batch; forms[] counts the cpdsum rows seen in each form.
 */
static void
follow(size_t nops, size_t forms[3])
{
	static struct op	 batch[BATCH];
	size_t			 done = 0, i, n, t, nrows;
	size_t			 ok[4] = { 0 }, tried[4] = { 0 };
	size_t			 most[6] = { 0 };
	MDB_txn			*txn;
	char			 id[16];

	CU_ASSERT_EQUAL_FATAL(areas_seed(fx.st), STORE_OK);
	for (i = 0; i < NAUDITORS; i++) {
		snprintf(id, sizeof id, "a%zu", i);
		CU_ASSERT_EQUAL_FATAL(fixture_put(&fx, "auditors", id,
		    "{s:s, s:s}", "name", id, "email", "a@example.org"),
		    STORE_OK);
	}
	while (done < nops) {
		n = nops - done < BATCH ? nops - done : BATCH;
		for (i = 0; i < n; i++) {
			op_make(&batch[i]);
			CU_ASSERT_EQUAL_FATAL(store_submit(fx.st, &batch[i].sc),
			    STORE_OK);
		}
		/* The writer runs changes in order: after this, all ran. */
		CU_ASSERT_EQUAL_FATAL(store_write(fx.st, noop_apply, NULL,
		    "admin"), STORE_OK);
		for (i = 0; i < n; i++) {
			tried[batch[i].ch.op]++;
			ok[batch[i].ch.op] += batch[i].sc.rc == STORE_OK;
			records_change_clear(&batch[i].ch);
		}
		done += n;
		CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
		for (t = 0; t <= NELEMS(tables); t++) {
			CU_ASSERT(table_matches(txn, t < NELEMS(tables) ?
			    tables[t] : NULL, &nrows));
			if (nrows > most[t])
				most[t] = nrows;
		}
		CU_ASSERT(hours_match(txn, forms));
		mdb_txn_abort(txn);
	}
	printf("(create %zu/%zu, replace %zu/%zu, patch %zu/%zu, delete "
	    "%zu/%zu ran; most rows: quals %zu, cpd %zu, evals %zu, decls %zu, "
	    "cpdsum %zu, dates %zu; cpdsum forms seen: narrow %zu, wide %zu, "
	    "over %zu) ", ok[0], tried[0], ok[1], tried[1], ok[2], tried[2],
	    ok[3], tried[3], most[0], most[1], most[2], most[3], most[4],
	    most[5], forms[0], forms[1], forms[2]);
	/* The run must have done each kind of change often, and some refused. */
	for (i = 0; i < 4 && nops >= 1000; i++) {
		CU_ASSERT(ok[i] >= nops / 50);
		CU_ASSERT(ok[i] < tried[i]);
	}
	/* cpdsum: a row per auditor. */
	for (t = 0; t <= NELEMS(tables) && nops >= 1000; t++)
		CU_ASSERT(most[t] >= (t == 4 ? NAUDITORS - 1 : POOL / 4));
}

static size_t
ops(size_t dflt)
{
	const char	*s;
	uint64_t	 seed = 20261130;

	if ((s = getenv("AUDITORD_ROWS_SEED")) != NULL)
		seed = strtoull(s, NULL, 10);
	if ((s = getenv("AUDITORD_ROWS_OPS")) != NULL)
		dflt = strtoul(s, NULL, 10);
	printf("\n  seed %llu, %zu changes ", (unsigned long long)seed, dflt);
	rng = seed != 0 ? seed : 1;
	return dflt;
}

static void
test_rows_follow_documents(void)
{
	size_t	forms[3] = { 0 }, n = ops(OPS_DEFAULT);

	follow(n, forms);
	/* Both forms within the bound came up, and never past it. */
	if (n >= 1000) {
		CU_ASSERT(forms[0] > 0);
		CU_ASSERT(forms[1] > 0);
		CU_ASSERT(forms[2] == 0);
	}
}

/*
 * The same in a fresh store where a cpdsum row holds two entries at most:
 * rows pass their bound and fall back within it (derived again from the
 * cpd rows) at every turn, and their hours come from the cpd rows.
 */
static void
test_rows_follow_past_bound(void)
{
	size_t	forms[3] = { 0 }, n = ops(OPS_DEFAULT / 2);

	fixture_close(&fx);
	rows_cpdsum_max = 1;
	CU_ASSERT_FATAL(fixture_open(&fx, (size_t)512 << 20) == 0);
	follow(n, forms);
	if (n >= 1000) {
		CU_ASSERT(forms[0] > 0);
		CU_ASSERT(forms[2] > 0);
	}
}

static int
count_row(const MDB_val *k, const MDB_val *v, void *arg)
{
	(void)k;
	(void)v;
	(*(size_t *)arg)++;
	return 0;
}

static int
count_doc(const char *id, const MDB_val *doc, void *arg)
{
	(void)id;
	(void)doc;
	(*(size_t *)arg)++;
	return 1;
}

static int
bogus_row(struct store_txn *t, void *arg)
{
	int	rc;

	(void)arg;
	rc = store_txn_aux_put(t, "cpd", "zz\0" "2020-01-01\0x", 15,
	    "\0\0\0\1", 4);
	if (rc == STORE_OK)
		rc = store_txn_aux_put(t, "cpdsum", "zz", 3, "\0\0\0\0\0"
		    "\0\0\0\1", 9);
	return rc;
}

/* A cpdsum row of a0 that does not decode (arg: its value, 3 bytes). */
static int
damage_row(struct store_txn *t, void *arg)
{
	return store_txn_aux_put(t, "cpdsum", "a0", 3, arg, 3);
}

/*
 * A cpdsum row that does not decode (a store damaged, or written by a bug)
 * reads as no entries, its hours from the cpd rows, and the next change of
 * its auditor's trainings derives it again from them.
 */
static void
test_rows_damaged_cpdsum(void)
{
	static const char *const bad[] = { "\x07\0\0", "\x01\0\0",
	    "\x02\0\0" };
	MDB_txn		*txn;
	size_t		 i, nrows, forms[3] = { 0 };
	char		 id[16];

	for (i = 0; i < NELEMS(bad); i++) {
		snprintf(id, sizeof id, "damage%zu", i);
		CU_ASSERT_EQUAL_FATAL(fixture_put(&fx, "trainings", id,
		    "{s:s, s:s, s:s, s:f, s:b}", "auditor", "a0", "title", "T",
		    "date", "2021-03-01", "hours", 2.5, "verified", 1),
		    STORE_OK);
		CU_ASSERT_EQUAL_FATAL(store_write(fx.st, damage_row,
		    (void *)bad[i], "admin"), STORE_OK);
		CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
		CU_ASSERT(!table_matches(txn, "cpdsum", &nrows));
		/* The hours all the same, from the cpd rows. */
		CU_ASSERT(hours_match(txn, forms));
		mdb_txn_abort(txn);
		CU_ASSERT_EQUAL(fixture_apply(&fx, "trainings", RECORDS_DELETE,
		    id, NULL), STORE_OK);
		CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
		CU_ASSERT(table_matches(txn, "cpdsum", &nrows));
		CU_ASSERT(table_matches(txn, "cpd", &nrows));
		mdb_txn_abort(txn);
	}
}

/*
 * A store whose rows were built for another layout (another release): at
 * open every aux table is emptied and derived again from the documents,
 * so a stray row goes and every row is what the documents give.
 */
static void
test_rows_rebuilt_at_open(void)
{
	MDB_txn	*txn;
	size_t	 t, nrows, nauds = 0, nauditors = 0;
	char	 next[ID_MAX + 1];

	CU_ASSERT_EQUAL_FATAL(store_write(fx.st, bogus_row, NULL, "admin"),
	    STORE_OK);
	CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
	CU_ASSERT(!table_matches(txn, "cpd", &nrows));
	CU_ASSERT(!table_matches(txn, "cpdsum", &nrows));
	mdb_txn_abort(txn);
	CU_ASSERT_FATAL(fixture_reopen(&fx, (size_t)512 << 20,
	    "another layout") == 0);
	CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
	for (t = 0; t <= NELEMS(tables); t++)
		CU_ASSERT(table_matches(txn, t < NELEMS(tables) ? tables[t] :
		    NULL, &nrows));
	CU_ASSERT_EQUAL(store_aux_walk(fx.st, txn, "auds", NULL, 0, count_row,
	    &nauds), STORE_OK);
	CU_ASSERT_EQUAL(store_list(fx.st, txn, "auditors", NULL, 0,
	    count_doc, &nauditors, next), STORE_OK);
	CU_ASSERT(nauditors > 0);
	CU_ASSERT_EQUAL(nauds, nauditors);
	mdb_txn_abort(txn);
	/* The same layout again: nothing to do, the rows stay. */
	CU_ASSERT_FATAL(fixture_reopen(&fx, (size_t)512 << 20,
	    "another layout") == 0);
	CU_ASSERT_FATAL(store_read_begin(fx.st, &txn) == STORE_OK);
	nauds = 0;
	CU_ASSERT_EQUAL(store_aux_walk(fx.st, txn, "auds", NULL, 0, count_row,
	    &nauds), STORE_OK);
	CU_ASSERT_EQUAL(nauds, nauditors);
	mdb_txn_abort(txn);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "rows follow thousands of random changes",
		    test_rows_follow_documents },
		{ "cpdsum rows past their bound follow them too",
		    test_rows_follow_past_bound },
		{ "a damaged cpdsum row is derived again",
		    test_rows_damaged_cpdsum },
		{ "rows are rebuilt for a new layout at open",
		    test_rows_rebuilt_at_open },
		{ NULL, NULL }
	};
	int	rc;

	if (fixture_open(&fx, (size_t)512 << 20) != 0)
		return 1;
	rc = cu_run("rows", tests);
	fixture_close(&fx);
	schema_builtin_free();
	return rc;
}
