/*
 * check.c: the team check benchmark (make bench-check; docs/benchmarks.md,
 * "Team check, candidates and propose").
 *
 *   check gen DIR [AUDITORS [TRAININGS]]
 *	fills a fresh store in DIR (default 10000 auditors, 1000000
 *	trainings) with what the team rules read: auditors with units and
 *	languages, 2 or 3 qualifications, 3 to 5 evaluations and 1 to 3
 *	declarations each, CPD trainings, four yearly programmes, AUDITS
 *	audits (150 closed, 50 planned, 3 to 5 required areas each) and 3 to
 *	5 assignments per audit (completed on the closed ones, drawn from a
 *	pool of seasoned auditors so that some may lead; proposed or
 *	confirmed on the planned ones). Every record goes through
 *	records_apply in batches of BATCH per store_write, as in
 *	competence.c: what the daemon does per record, minus HTTP.
 *   check time DIR [CHECKS [ONLY]]
 *	times in this process what the team routes do, each in a read
 *	transaction of its own: the team check of the planned audits' five
 *	member teams (CHECKS runs in all, default 10000, after one warm-up
 *	pass), the candidates of one audit (candidates_find over every
 *	auditor and candidates_json of the first 100; 21 runs after one to
 *	warm up) and propose_team (11 runs after one), and
 *	prints them against their targets. A target missed says MISS; the
 *	exit status is 0 all the same: timings never fail a build. ONLY
 *	(check, candidates or propose) times that one alone, for a profiler.
 *
 * Deterministic: the same arguments on the same day give the same store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/records.h"
#include "api/router.h"
#include "check/propose.h"
#include "check/team.h"
#include "schema/schema.h"
#include "store/store.h"

#include "bench.h"

#define BATCH		10000
#define NPAST		150	/* closed audits */
#define NPLANNED	50	/* planned audits */
#define SENIOR_EVERY	40	/* one auditor in 40 has audited before */

/* The targets, in microseconds. */
#define TARGET_CHECK_P99	100.0
#define TARGET_CANDIDATES	20000.0
#define TARGET_PROPOSE		100000.0

/* ---- gen ----------------------------------------------------------------- */

/* The auditees, which are also the auditors' units. */
static const char *const units[] = { "Finance", "IT Operations", "HR",
    "Legal", "Procurement", "Sales", "Marketing", "Facilities",
    "Development", "Support", "Logistics", "Research", "Treasury",
    "Compliance", "Security Office", "Data Centre", "Payroll",
    "Customer Care", "Quality", "Risk" };
#define NUNITS	(sizeof units / sizeof units[0])

static const char *const levels[] = { "awareness", "competent", "expert" };

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
			fprintf(stderr, "check: %s %s: %s %s\n",
			    b->ch[i].res->name, b->ch[i].id,
			    store_strerror(rc), b->ch[i].refused.detail);
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

	if (doc == NULL) {
		fprintf(stderr, "check: %s %s: no document\n", coll, id);
		exit(1);
	}
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

/* n distinct areas from a random one on. */
static json_t *
some_areas(size_t n)
{
	json_t	*a = json_array();
	size_t	 i, s = rnd(NAREAS);

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(areas[(s + i) % NAREAS]));
	return a;
}

static int
senior(unsigned a)
{
	return a % SENIOR_EVERY == 0;
}

static void
gen_auditor(struct store *st, struct batch *b, unsigned a)
{
	char	 aud[ID_MAX + 1];
	json_t	*langs = json_array();

	snprintf(aud, sizeof aud, "a%05u", a);
	json_array_append_new(langs, json_string("en"));
	if (rnd(10) < 3)
		json_array_append_new(langs, json_string("de"));
	if (rnd(10) < 1)
		json_array_append_new(langs, json_string("fr"));
	put(st, b, "auditors", aud, json_pack("{s:s, s:s, s:s, s:s, s:o}",
	    "name", aud, "email", "a@example.org", "status",
	    a % 20 == 19 ? "retired" : "active", "unit", units[rnd(NUNITS)],
	    "languages", langs));
}

/* One auditor's qualifications, evaluations and declarations. */
static void
gen_records(struct store *st, struct batch *b, unsigned a)
{
	static const char *const results[] = { "meets", "meets", "meets",
	    "meets", "partially_meets", "does_not_meet" };
	static const char *const kinds[] = { "employment", "consultancy",
	    "financial", "family", "process_owner", "other" };
	char	 aud[ID_MAX + 1], id[ID_MAX + 1];
	long	 issued = -(long)rnd(1500) - 30, d, from;
	json_t	*as, *doc;
	int	 k, n;
	size_t	 i, s, na;

	snprintf(aud, sizeof aud, "a%05u", a);
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
	if (senior(a) || rnd(10) == 0) {
		issued = -(long)rnd(700) - 30;
		snprintf(id, sizeof id, "q%05u-3", a);
		put(st, b, "qualifications", id, json_pack("{s:s, s:s, s:s, "
		    "s:s, s:o, s:o, s:b, s:o}", "auditor", aud, "kind",
		    "lead_auditor_certificate", "title",
		    "ISO/IEC 27001 Lead Auditor", "standard", "ISO/IEC 27001",
		    "issued", day(issued), "expires", day(issued + 1095),
		    "verified", rnd(20) != 0, "areas", some_areas(3)));
	}
	/* 3 to 5 evaluations, a year or so apart, the latest this year. */
	n = 3 + (int)rnd(3);
	for (k = 0; k < n; k++) {
		d = -(long)(n - 1 - k) * 330 - (long)rnd(200);
		as = json_array();
		na = 2 + rnd(2);
		s = rnd(NAREAS);
		for (i = 0; i < na; i++)
			json_array_append_new(as, json_pack("{s:s, s:s}",
			    "area", areas[(s + i * 3) % NAREAS], "level",
			    levels[rnd(3)]));
		snprintf(id, sizeof id, "e%05u-%d", a, k);
		put(st, b, "evaluations", id, json_pack("{s:s, s:o, s:s, s:s, "
		    "s:o, s:o}", "auditor", aud, "date", day(d), "method",
		    "interview", "result", results[rnd(6)], "next_due",
		    day(d + 365), "assessed", as));
	}
	/* 1 to 3 declarations, some of them about an auditee. */
	n = 1 + (int)rnd(3);
	for (k = 0; k < n; k++) {
		from = -(long)rnd(2000);
		snprintf(id, sizeof id, "d%05u-%d", a, k);
		doc = json_pack("{s:s, s:s, s:s, s:o}", "auditor", aud,
		    "party", rnd(3) == 0 ? "Acme Supplies" : units[rnd(NUNITS)],
		    "kind", kinds[rnd(6)], "from", day(from));
		if (doc != NULL && rnd(2) == 0)
			json_object_set_new(doc, "until",
			    day(from + (long)rnd(700)));
		put(st, b, "declarations", id, doc);
	}
}

/* Four yearly programmes, the last from today on. */
static void
gen_programmes(struct store *st, struct batch *b)
{
	char	id[ID_MAX + 1];
	int	y;

	for (y = 0; y < 4; y++) {
		snprintf(id, sizeof id, "pg%d", y);
		put(st, b, "programmes", id, json_pack("{s:s, s:{s:o, s:o}, "
		    "s:s, s:{s:{s:i}}}", "title", id, "period", "from",
		    day(-1095 + 365L * y), "to", day(-731 + 365L * y),
		    "status", y == 3 ? "active" : "closed", "policy", "lead",
		    "min_audits", 3));
	}
}

/* The programme whose period holds today + off. */
static int
programme_of(long off)
{
	int	y = (int)((off + 1095) / 365);

	return y < 0 ? 0 : y > 3 ? 3 : y;
}

/* n distinct auditors into who: the first a senior, the rest per pool. */
static void
pick_team(unsigned nauditors, int past, unsigned *who, int n)
{
	unsigned	nseniors = (nauditors + SENIOR_EVERY - 1) / SENIOR_EVERY;
	unsigned	a;
	int		i, j;

	for (i = 0; i < n; i++) {
		do {
			if (i == 0 || past)
				a = rnd(nseniors) * SENIOR_EVERY;
			else
				a = rnd(nauditors);
			for (j = 0; j < i && who[j] != a; j++)
				;
		} while (a % 20 == 19 || j < i);
		who[i] = a;
	}
}

/*
 * Audits and their teams: NPAST closed over the last three years, their
 * assignments completed; NPLANNED planned over the coming year, lead and
 * auditors proposed (every other lead confirmed by override).
 */
static void
gen_audits(struct store *st, struct batch *b, unsigned nauditors)
{
	char		 id[ID_MAX + 1], asg[ID_MAX + 1], aud[ID_MAX + 1];
	char		 pg[ID_MAX + 1];
	unsigned	 who[5];
	json_t		*rq, *doc;
	long		 start;
	int		 i, k, n, past, nrq, s;

	for (i = 0; i < NPAST + NPLANNED; i++) {
		past = i < NPAST;
		start = past ? -1095 + 7 * i + (long)rnd(5) :
		    14 + 6 * (i - NPAST) + (long)rnd(5);
		snprintf(id, sizeof id, "au%04d", i);
		snprintf(pg, sizeof pg, "pg%d", programme_of(start));
		rq = json_array();
		nrq = 3 + (int)rnd(3);
		s = (int)rnd(NAREAS);
		for (k = 0; k < nrq; k++)
			json_array_append_new(rq, json_pack("{s:s, s:s}",
			    "area", areas[(s + k) % NAREAS], "level",
			    levels[rnd(8) == 0 ? 2 : rnd(4) == 0 ? 0 : 1]));
		doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:i, "
		    "s:s}", "programme", pg, "auditee", units[rnd(NUNITS)],
		    "type", "internal", "standard", "ISO/IEC 27001", "start",
		    day(start), "end", day(start + (long)rnd(4)), "required",
		    rq, "min_team_size", 3, "status", past ? "closed" :
		    "planned");
		if (doc != NULL && rnd(4) == 0)
			json_object_set_new(doc, "language", json_string("de"));
		put(st, b, "audits", id, doc);
	}
	batch_flush(st, b);
	for (i = 0; i < NPAST + NPLANNED; i++) {
		past = i < NPAST;
		n = 3 + (int)rnd(3);
		pick_team(nauditors, past, who, n);
		for (k = 0; k < n; k++) {
			snprintf(id, sizeof id, "au%04d", i);
			snprintf(asg, sizeof asg, "as%04d-%d", i, k);
			snprintf(aud, sizeof aud, "a%05u", who[k]);
			doc = json_pack("{s:s, s:s, s:s, s:s}", "audit", id,
			    "auditor", aud, "role", k == 0 ? "lead" :
			    "auditor", "status", past ? "completed" :
			    "proposed");
			if (doc != NULL && !past && k == 0 && i % 2 == 0) {
				json_object_set_new(doc, "status",
				    json_string("confirmed"));
				json_object_set_new(doc, "override",
				    json_pack("{s:s}", "reason", "bench"));
			}
			put(st, b, "assignments", asg, doc);
		}
	}
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
		fprintf(stderr, "check: %s is not a fresh store\n", dir);
		return 1;
	}
	gen_programmes(st, &b);
	for (a = 0; a < nauditors; a++)
		gen_auditor(st, &b, a);
	batch_flush(st, &b);
	for (a = 0; a < nauditors; a++)
		gen_records(st, &b, a);
	batch_flush(st, &b);
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
	gen_audits(st, &b, nauditors);
	batch_flush(st, &b);
	printf("generated %u auditors, %u trainings, %d audits in %.1f s\n",
	    nauditors, ntrainings, NPAST + NPLANNED, now() - t0);
	store_free(st);
	return 0;
}

/* ---- time ---------------------------------------------------------------- */

/*
 * Each run is timed twice: on the wall clock, and in this thread's CPU time,
 * which leaves out the time the thread waited while others ran (on a
 * shared machine, a preemption of a few milliseconds lands in about one run
 * in a hundred, and so in the wall clock's p99).
 */
struct tick {
	double	wall, cpu;
};

static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
tick_start(struct tick *t)
{
	t->wall = now();
	t->cpu = cpu_now();
}

/* Microseconds since t, into wall[i] and cpu[i]. */
static void
tick_stop(const struct tick *t, double *wall, double *cpu, size_t i)
{
	cpu[i] = (cpu_now() - t->cpu) * 1e6;
	wall[i] = (now() - t->wall) * 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct pct {
	double	p50, p99, max;	/* microseconds */
};

struct timing {
	const char	*what;
	size_t		 runs;
	struct pct	 wall, cpu;
	double		 target;
	int		 on_p99;	/* the target is for p99, not p50 */
	char		 note[1024];
};

static void
pct_of(struct pct *p, double *us, size_t n)
{
	qsort(us, n, sizeof *us, dcmp);
	p->p50 = us[n / 2];
	p->p99 = us[n * 99 / 100];
	p->max = us[n - 1];
}

static void
stat_of(struct timing *s, double *wall, double *cpu, size_t n)
{
	s->runs = n;
	pct_of(&s->wall, wall, n);
	pct_of(&s->cpu, cpu, n);
}

static void
die(const char *what, const char *audit, int rc)
{
	fprintf(stderr, "check: %s of %s: %s\n", what, audit,
	    store_strerror(rc));
	exit(1);
}

/* Two arrays of n doubles, or exit. */
static void
runs_alloc(size_t n, double **wall, double **cpu)
{
	if ((*wall = calloc(n, sizeof **wall)) == NULL ||
	    (*cpu = calloc(n, sizeof **cpu)) == NULL) {
		fprintf(stderr, "check: out of memory\n");
		exit(1);
	}
}

/* The planned audits whose team that stands has five members. */
static size_t
five_teams(struct store *st, char (*ids)[ID_MAX + 1], size_t max)
{
	struct check_member	team[CHECK_TEAM_MAX];
	MDB_txn			*txn;
	size_t			 n = 0, k;
	char			 id[ID_MAX + 1];
	int			 i, rc;

	if ((rc = store_read_begin(st, &txn)) != STORE_OK)
		die("read", "the store", rc);
	for (i = NPAST; i < NPAST + NPLANNED && n < max; i++) {
		snprintf(id, sizeof id, "au%04d", i);
		if ((rc = check_team_of(st, txn, id, NULL, team, &k)) !=
		    STORE_OK)
			die("team", id, rc);
		if (k == 5)
			memcpy(ids[n++], id, sizeof ids[0]);
	}
	mdb_txn_abort(txn);
	return n;
}

/*
 * One team check as POST /v1/audits/{id}/check without a body does it,
 * timed into wall[i] and cpu[i].
 */
static void
one_check(struct store *st, struct check_plan *plan, const char *audit,
    double *wall, double *cpu, size_t i, size_t *bytes, int *compliant)
{
	struct check_member	 team[CHECK_TEAM_MAX];
	struct check_verdict	 v;
	struct tick		 t;
	struct jw		 w;
	MDB_txn			*txn;
	size_t			 n;
	char			*s;
	int			 rc;

	tick_start(&t);
	if ((rc = store_read_begin(st, &txn)) != STORE_OK ||
	    (rc = check_plan_load(st, txn, audit, plan)) != STORE_OK ||
	    (rc = check_team_of(st, txn, audit, NULL, team, &n)) !=
	    STORE_OK)
		die("check", audit, rc);
	if ((rc = check_team(st, txn, plan, team, n, &v)) != STORE_OK)
		die("check", audit, rc);
	/* The answer's bytes, as the route writes them. */
	jw_init(&w);
	check_verdict_write(&w, plan, &v, today);
	s = jw_take(&w, bytes);
	*compliant = v.compliant;
	check_verdict_free(&v);
	mdb_txn_abort(txn);
	tick_stop(&t, wall, cpu, i);
	if (s == NULL)
		die("verdict", audit, STORE_IO);
	free(s);
}

static void
time_check(struct store *st, struct check_plan *plan, size_t runs,
    struct timing *s)
{
	char	(*ids)[ID_MAX + 1] = calloc(NPLANNED, sizeof *ids);
	double	*wall, *cpu;
	size_t	 n, i, bytes = 0, b;
	int	 ok = 0, c;

	runs_alloc(runs, &wall, &cpu);
	if (ids == NULL || (n = five_teams(st, ids, NPLANNED)) == 0) {
		fprintf(stderr, "check: no planned audit has five members\n");
		exit(1);
	}
	for (i = 0; i < n; i++)		/* warm up: their rows in memory */
		one_check(st, plan, ids[i], wall, cpu, 0, &b, &c);
	for (i = 0; i < runs; i++) {
		one_check(st, plan, ids[i % n], wall, cpu, i, &b, &c);
		if (i < n) {
			bytes += b;
			ok += c;
		}
	}
	stat_of(s, wall, cpu, runs);
	snprintf(s->note, sizeof s->note, "%zu audits, %d compliant; "
	    "verdict %zu bytes", n, ok, bytes / n);
	free(ids);
	free(wall);
	free(cpu);
}

static void
time_candidates(struct store *st, struct check_plan *plan, const char *audit,
    size_t runs, struct timing *s)
{
	struct candidates	 cs;
	struct tick		 t;
	MDB_txn			*txn;
	json_t			*j = NULL;
	double			*wall, *cpu;
	size_t			 i, pass = 0, k;
	int			 rc;

	runs_alloc(runs + 1, &wall, &cpu);
	/* Run 0 warms up (its pages mapped, as in a daemon that runs on). */
	for (i = 0; i <= runs; i++) {
		tick_start(&t);
		if ((rc = store_read_begin(st, &txn)) != STORE_OK ||
		    (rc = check_plan_load(st, txn, audit, plan)) != STORE_OK ||
		    (rc = candidates_find(st, txn, plan, 1, &cs)) != STORE_OK)
			die("candidates", audit, rc);
		if ((j = candidates_json(st, txn, plan, &cs, 0, 100,
		    today)) == NULL)
			die("candidates", audit, STORE_IO);
		mdb_txn_abort(txn);
		tick_stop(&t, wall, cpu, i);
		for (k = 0, pass = 0; k < cs.n; k++)
			pass += cs.c[k].nfailed == 0;
		snprintf(s->note, sizeof s->note, "%s: %zu judged, %zu pass; "
		    "%zu listed", audit, cs.n, pass, json_array_size(
		    json_object_get(j, "candidates")));
		candidates_free(&cs);
		json_decref(j);
	}
	stat_of(s, wall + 1, cpu + 1, runs);
	free(wall);
	free(cpu);
}

static void
time_propose(struct store *st, struct check_plan *plan, const char *audit,
    size_t runs, struct timing *s)
{
	struct proposal	*pr = malloc(sizeof *pr);
	struct tick	 t;
	MDB_txn		*txn;
	double		*wall, *cpu;
	size_t		 i;
	int		 rc;

	if (pr == NULL)
		die("propose", audit, STORE_IO);
	runs_alloc(runs + 1, &wall, &cpu);
	for (i = 0; i <= runs; i++) {	/* run 0 warms up */
		tick_start(&t);
		if ((rc = store_read_begin(st, &txn)) != STORE_OK ||
		    (rc = check_plan_load(st, txn, audit, plan)) != STORE_OK ||
		    (rc = propose_team(st, txn, plan, pr)) != STORE_OK)
			die("propose", audit, rc);
		mdb_txn_abort(txn);
		tick_stop(&t, wall, cpu, i);
	}
	stat_of(s, wall + 1, cpu + 1, runs);
	if (pr->found)
		snprintf(s->note, sizeof s->note, "%s: %zu pass; a team of "
		    "%zu, led by %s", audit, pr->passing, pr->n,
		    pr->team[0].auditor);
	else
		snprintf(s->note, sizeof s->note, "%s: %zu pass; none: %s",
		    audit, pr->passing, pr->nreasons ? pr->reasons[0] : "");
	free(pr);
	free(wall);
	free(cpu);
}

/* us in a unit a person reads at a glance */
static const char *
dur(double us, char *buf, size_t len)
{
	if (us < 1000)
		snprintf(buf, len, "%.1f us", us);
	else
		snprintf(buf, len, "%.2f ms", us / 1000);
	return buf;
}

static const char *
verdict(const struct timing *s, const struct pct *p)
{
	return (s->on_p99 ? p->p99 : p->p50) <= s->target ? "PASS" : "MISS";
}

static void
stat_print(const struct timing *s)
{
	char	a[32], b[32], c[32], d[32], e[32], t[32];

	printf("%-28s %6zu %10s %10s %10s %10s %10s   %s <= %-9s %s %s\n",
	    s->what, s->runs, dur(s->wall.p50, a, sizeof a),
	    dur(s->wall.p99, b, sizeof b), dur(s->wall.max, c, sizeof c),
	    dur(s->cpu.p50, d, sizeof d), dur(s->cpu.p99, e, sizeof e),
	    s->on_p99 ? "p99" : "p50", dur(s->target, t, sizeof t),
	    verdict(s, &s->wall), verdict(s, &s->cpu));
}

static int
timing(const char *dir, size_t nchecks, const char *only)
{
	struct store		*st = open_store(dir);
	struct check_plan	*plan = malloc(sizeof *plan);
	struct timing		 s[3];
	char			 audit[ID_MAX + 1];
	size_t			 i;

	if (plan == NULL)
		return 1;
	memset(s, 0, sizeof s);
	/* The first planned audit: candidates and propose judge for it. */
	snprintf(audit, sizeof audit, "au%04d", NPAST);
	printf("store %s; on %s\n", dir, today);
	s[0].what = "team check (5 members)";
	s[0].target = TARGET_CHECK_P99;
	s[0].on_p99 = 1;
	s[1].what = "candidates (first 100)";
	s[1].target = TARGET_CANDIDATES;
	s[2].what = "propose";
	s[2].target = TARGET_PROPOSE;
	if (only == NULL || strcmp(only, "check") == 0)
		time_check(st, plan, nchecks, &s[0]);
	if (only == NULL || strcmp(only, "candidates") == 0)
		time_candidates(st, plan, audit, 21, &s[1]);
	if (only == NULL || strcmp(only, "propose") == 0)
		time_propose(st, plan, audit, 11, &s[2]);
	printf("\n%-35s %-32s %-24s %s\n", "", "------------ wall clock",
	    "------ thread CPU", "verdict on");
	printf("%-28s %6s %10s %10s %10s %10s %10s   %-20s %s\n", "what",
	    "runs", "p50", "p99", "max", "p50", "p99", "target", "wall cpu");
	for (i = 0; i < 3; i++)
		if (s[i].runs > 0)
			stat_print(&s[i]);
	printf("\n");
	for (i = 0; i < 3; i++)
		if (s[i].runs > 0)
			printf("%-28s %s\n", s[i].what, s[i].note);
	free(plan);
	store_free(st);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const char	usage[] = "usage: check gen DIR [AUDITORS [TRAININGS]]\n"
	    "       check time DIR [CHECKS]\n";
	int			rc;

	if ((rc = bench_start(argc, argv, usage)) != -1)
		return rc;
	if (strcmp(argv[1], "gen") == 0)
		rc = gen(argv[2], argc > 3 ? (unsigned)atoi(argv[3]) : 10000,
		    argc > 4 ? (unsigned)atoi(argv[4]) : 1000000);
	else
		rc = timing(argv[2], argc > 3 ? (size_t)atol(argv[3]) : 10000,
		    argc > 4 ? argv[4] : NULL);
	schema_builtin_free();
	return rc;
}
