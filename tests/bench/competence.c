/*
 * competence.c: the competence benchmark's two halves (make
 * bench-competence; docs/benchmarks.md, "Status and reports").
 *
 *   competence gen DIR [AUDITORS [TRAININGS]]
 *	fills a fresh store in DIR (default 10000 auditors, 1000000
 *	trainings) with auditors, qualifications, trainings, evaluations and
 *	declarations dated around today, through store_write in batches of
 *	BATCH records, each record through records_apply (validation, the
 *	store write, its indexes, event and derived rows): what the daemon
 *	does per record, minus HTTP.
 *   competence time DIR [STATUSES]
 *	times, in this process, what the daemon's handlers do: the status of
 *	STATUSES auditors (default 1000, spread over the ids), each built and
 *	serialised as GET /v1/auditors/{id}/status does; and each report,
 *	written as its offloaded job writes it, three runs each, for everyone
 *	and under one auditor's own scope.
 *
 * Deterministic: the same arguments on the same day give the same store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/records.h"
#include "api/reports.h"
#include "api/router.h"
#include "api/status.h"
#include "schema/schema.h"
#include "store/store.h"

#include "bench.h"

#define BATCH		10000

/* ---- gen ----------------------------------------------------------------- */

struct batch {
	struct records_change	 ch[BATCH];
	size_t			 n;
};

static int
batch_apply(struct store_txn *t, void *arg)
{
	struct batch	*b = arg;
	size_t		 i;
	int		 rc;

	for (i = 0; i < b->n; i++)
		if ((rc = records_apply(t, &b->ch[i])) != STORE_OK) {
			fprintf(stderr, "competence: %s %s: %s\n",
			    b->ch[i].res->name, b->ch[i].id, store_strerror(rc));
			return rc;
		}
	return STORE_OK;
}

static void
batch_flush(struct store *st, struct batch *b)
{
	size_t	i;

	if (b->n == 0)
		return;
	if (store_write(st, batch_apply, b, "bench") != STORE_OK)
		exit(1);
	for (i = 0; i < b->n; i++)
		records_change_clear(&b->ch[i]);
	b->n = 0;
}

/* Queue the creation of coll/id with doc (taken). */
static void
put(struct store *st, struct batch *b, const char *coll, const char *id,
    json_t *doc)
{
	struct records_change	*ch = &b->ch[b->n++];

	memset(ch, 0, sizeof *ch);
	ch->res = router_resource(coll);
	ch->op = RECORDS_CREATE;
	snprintf(ch->id, sizeof ch->id, "%s", id);
	ch->body = doc;
	snprintf(ch->who.id, sizeof ch->who.id, "bench");
	ch->who.role = ROLE_ADMIN;
	ch->scope = SCOPE_ALL;
	if (b->n == BATCH)
		batch_flush(st, b);
}

static json_t *
some_areas(size_t n)
{
	json_t	*a = json_array();
	size_t	 i, s = rnd(NAREAS);

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(areas[(s + i) % NAREAS]));
	return a;
}

/* One auditor's qualifications, evaluations and declaration. */
static void
gen_records(struct store *st, struct batch *b, const char *aud, unsigned a)
{
	static const char *const results[] = { "meets", "meets", "meets",
	    "partially_meets", "does_not_meet" };
	static const char *const levels[] = { "awareness", "competent",
	    "expert" };
	char	id[ID_MAX + 1];
	long	issued = -(long)rnd(1500) - 30;
	int	k;

	snprintf(id, sizeof id, "q%05u-1", a);
	put(st, b, "qualifications", id, json_pack("{s:s, s:s, s:s, s:s, "
	    "s:o, s:o, s:b, s:o}", "auditor", aud, "kind",
	    "auditor_certificate", "title", "ISO/IEC 27001 Auditor",
	    "standard", "ISO/IEC 27001", "issued", day(issued), "expires",
	    day(issued + 1095), "verified", rnd(10) != 0, "areas",
	    some_areas(2)));
	snprintf(id, sizeof id, "q%05u-2", a);
	put(st, b, "qualifications", id, json_pack("{s:s, s:s, s:s, s:o, "
	    "s:b, s:o}", "auditor", aud, "kind", "education", "title", "MSc",
	    "issued", day(-5000), "verified", 1, "areas", some_areas(1)));
	for (k = 0; k < 3; k++) {
		long	d = k < 2 ? -700 + 350 * k : -(long)rnd(400);

		snprintf(id, sizeof id, "e%05u-%d", a, k);
		put(st, b, "evaluations", id, json_pack("{s:s, s:o, s:s, s:s, "
		    "s:o, s:[{s:s, s:s}, {s:s, s:s}]}", "auditor", aud, "date",
		    day(d), "method", "interview", "result", results[rnd(5)],
		    "next_due", day(d + 365), "assessed", "area",
		    areas[(a + k) % NAREAS], "level", levels[rnd(3)], "area",
		    areas[(a + k + 3) % NAREAS], "level", levels[rnd(3)]));
	}
	snprintf(id, sizeof id, "d%05u", a);
	put(st, b, "declarations", id, json_pack("{s:s, s:s, s:s, s:o}",
	    "auditor", aud, "party", "Finance", "kind", "consultancy", "from",
	    day(-(long)rnd(2000))));
}

static int
gen(const char *dir, unsigned nauditors, unsigned ntrainings)
{
	static struct batch	 b;
	struct store		*st = open_store(dir);
	char			 aud[ID_MAX + 1], id[ID_MAX + 1];
	unsigned		 a, t;
	double			 t0 = now();

	if (!store_fresh(st) || areas_seed(st) != STORE_OK) {
		fprintf(stderr, "competence: %s is not a fresh store\n", dir);
		return 1;
	}
	for (a = 0; a < nauditors; a++) {
		snprintf(aud, sizeof aud, "a%05u", a);
		put(st, &b, "auditors", aud, json_pack("{s:s, s:s, s:s}",
		    "name", aud, "email", "a@example.org", "status",
		    a % 20 == 19 ? "retired" : "active"));
	}
	batch_flush(st, &b);
	for (a = 0; a < nauditors; a++) {
		snprintf(aud, sizeof aud, "a%05u", a);
		gen_records(st, &b, aud, a);
	}
	/* Trainings spread over the auditors and the last five years. */
	for (t = 0; t < ntrainings; t++) {
		snprintf(aud, sizeof aud, "a%05u", t % nauditors);
		snprintf(id, sizeof id, "t%07u", t);
		put(st, &b, "trainings", id, json_pack("{s:s, s:s, s:o, s:f, "
		    "s:b, s:b}", "auditor", aud, "title", "Course", "date",
		    day(-(long)rnd(1826)), "hours", (double)(1 + rnd(16)) / 2,
		    "verified", rnd(10) != 0, "cpd", rnd(20) != 0));
		if (t % 100000 == 99999)
			fprintf(stderr, "  %u trainings, %.0f s\n", t + 1,
			    now() - t0);
	}
	batch_flush(st, &b);
	printf("generated %u auditors, %u trainings, %u qualifications, %u "
	    "evaluations, %u declarations in %.1f s\n", nauditors, ntrainings,
	    2 * nauditors, 3 * nauditors, nauditors, now() - t0);
	store_free(st);
	return 0;
}

/* ---- time ---------------------------------------------------------------- */

static int
dcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
time_status(struct store *st, unsigned nauditors, unsigned n)
{
	double	*ms = calloc(n, sizeof *ms), t0, sum = 0;
	char	 aud[ID_MAX + 1], *s;
	size_t	 len, bytes = 0;
	json_t	*j;
	MDB_txn	*txn;
	unsigned i;

	for (i = 0; i < n; i++) {
		snprintf(aud, sizeof aud, "a%05u", (unsigned)((uint64_t)i *
		    nauditors / n));
		t0 = now();
		/* A worker renews its read transaction per request. */
		if (store_read_begin(st, &txn) != STORE_OK ||
		    status_json(st, txn, aud, today, &j) != STORE_OK ||
		    (s = util_json_canonical(j, &len)) == NULL) {
			fprintf(stderr, "competence: status of %s failed\n",
			    aud);
			exit(1);
		}
		mdb_txn_abort(txn);
		ms[i] = (now() - t0) * 1000;
		sum += ms[i];
		bytes += len;
		json_decref(j);
		free(s);
	}
	qsort(ms, n, sizeof *ms, dcmp);
	printf("%-28s %6u calls  mean %7.3f ms  median %7.3f  p99 %7.3f  "
	    "max %7.3f  (%zu bytes each)\n", "status", n, sum / n, ms[n / 2],
	    ms[n * 99 / 100], ms[n - 1], bytes / n);
	free(ms);
}

static void
time_report(struct store *st, const char *name,
    int (*fn)(struct store *, MDB_txn *, const struct report_args *,
    char **, size_t *), const struct report_args *a)
{
	double	 best = 1e9, t0, t;
	char	*s;
	size_t	 len = 0, items = 0;
	json_t	*j;
	MDB_txn	*txn;
	int	 run;

	printf("%-28s", name);
	for (run = 0; run < 3; run++) {
		t0 = now();
		if (store_read_begin(st, &txn) != STORE_OK ||
		    fn(st, txn, a, &s, &len) != STORE_OK) {
			fprintf(stderr, "competence: %s failed\n", name);
			exit(1);
		}
		mdb_txn_abort(txn);
		t = (now() - t0) * 1000;
		/* Counted outside the time: a parse is no part of the work. */
		j = json_loadb(s, len, 0, NULL);
		items = json_array_size(json_object_get(j, "items"));
		json_decref(j);
		free(s);
		printf(" %9.1f ms", t);
		if (t < best)
			best = t;
	}
	printf("   best %9.1f ms  %6zu items  %9zu bytes\n", best, items, len);
}

static int
timing(const char *dir, unsigned nstatus)
{
	struct store		*st = open_store(dir);
	struct report_args	 a;
	MDB_txn			*txn;
	MDB_stat		 ms;
	MDB_dbi			 dbi;
	unsigned		 nauditors;

	if (store_read_begin(st, &txn) != STORE_OK ||
	    mdb_dbi_open(txn, "auditors", 0, &dbi) != 0 ||
	    mdb_stat(txn, dbi, &ms) != 0) {
		fprintf(stderr, "competence: %s holds no auditors\n", dir);
		return 1;
	}
	nauditors = (unsigned)ms.ms_entries;
	mdb_txn_abort(txn);
	printf("store %s: %u auditors; on %s\n", dir, nauditors, today);
	time_status(st, nauditors, nstatus);

	memset(&a, 0, sizeof a);
	memcpy(a.on, today, UTIL_DATE_LEN);
	memcpy(a.to, today, UTIL_DATE_LEN);
	util_date_add_months(today, -12, a.from);
	time_report(st, "reports/cpd (12 months)", report_cpd, &a);
	a.within = 90;
	time_report(st, "reports/expiring", report_expiring, &a);
	a.within = 60;
	time_report(st, "reports/evaluations-due", report_evaluations_due,
	    &a);
	time_report(st, "reports/matrix", report_matrix, &a);
	util_date_add_months(today, -120, a.from);
	time_report(st, "reports/cpd (10 years)", report_cpd, &a);
	/* Own scope: one auditor's row. */
	util_date_add_months(today, -12, a.from);
	a.own = 1;
	snprintf(a.only, sizeof a.only, "a00000");
	time_report(st, "reports/cpd (own scope)", report_cpd, &a);
	time_report(st, "reports/matrix (own scope)", report_matrix, &a);
	store_free(st);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const char	usage[] = "usage: competence gen DIR "
	    "[AUDITORS [TRAININGS]]\n       competence time DIR [STATUSES]\n";
	int			rc;

	if ((rc = bench_start(argc, argv, usage)) != -1)
		return rc;
	if (strcmp(argv[1], "gen") == 0)
		rc = gen(argv[2], argc > 3 ? (unsigned)atoi(argv[3]) : 10000,
		    argc > 4 ? (unsigned)atoi(argv[4]) : 1000000);
	else
		rc = timing(argv[2], argc > 3 ? (unsigned)atoi(argv[3]) : 1000);
	schema_builtin_free();
	return rc;
}
