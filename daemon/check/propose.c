/*
 * propose.c: candidates for an audit and the smallest team that passes
 * (see propose.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/profile.h"
#include "check/propose.h"
#include "check/rules.h"

#define BIT(r)		(1u << (r))
#define SEARCH_BUDGET	5000000L	/* nodes; far above any real need */

static int
popcount64(uint64_t m)
{
	return __builtin_popcountll(m);
}

/* The area bits of the needs. */
static uint64_t
area_mask(const struct check_plan *p)
{
	return p->nneeds >= 64 ? ~0ull : (1ull << p->nneeds) - 1;
}

/* The need bits: area i is bit i, the language the bit after the areas. */
static uint64_t
need_mask(const struct check_plan *p)
{
	uint64_t	m = p->nneeds >= 64 ? ~0ull : (1ull << p->nneeds) - 1;

	if (p->language[0] != '\0')
		m |= 1ull << p->nneeds;
	return m;
}

/* The needs auditor a (pf's) meets: areas at their level, and the language. */
static int
auditor_mask(struct check_profile *pf, const struct check_plan *p,
    const struct assign_auditor *a, uint64_t *mask)
{
	int	lv[ROWS_AREAS_MAX];
	size_t	i;
	int	rc;

	*mask = 0;
	if ((rc = check_profile_levels(pf, p, lv, NULL)) != STORE_OK)
		return rc;
	for (i = 0; i < p->nneeds; i++)
		if (lv[i] >= (int)p->needs[i].level)
			*mask |= 1ull << i;
	for (i = 0; p->language[0] != '\0' && i < a->nlangs; i++)
		if (strcmp(a->langs[i], p->language) == 0)
			*mask |= 1ull << p->nneeds;
	return STORE_OK;
}

/* ---- workload ------------------------------------------------------------ */

struct load_walk {
	const struct check_window	*period;
	long				 days;
};

static int
load_one(const struct assign_busy *b, void *arg)
{
	struct load_walk	*x = arg;
	const char		*s, *e;

	if (strcmp(b->start, x->period->end) > 0)
		return 1;
	if (b->status == ASSIGN_WITHDRAWN ||
	    b->audit_status == ASSIGN_CANCELLED ||
	    strcmp(b->end, x->period->start) < 0)
		return 0;
	s = strcmp(b->start, x->period->start) > 0 ? b->start :
	    x->period->start;
	e = strcmp(b->end, x->period->end) < 0 ? b->end : x->period->end;
	x->days += check_date_diff(s, e) + 1;
	return 0;
}

/* ---- candidates ---------------------------------------------------------- */

struct find {
	struct store		*st;
	MDB_txn			*txn;
	const struct check_plan	*p;
	struct check_member	 team[CHECK_TEAM_MAX];
	size_t			 nteam;
	int			 exclude;
	struct candidates	*cs;
	size_t			 cap;
	struct check_profile	 pf;
	struct check_scan	 scan;
	struct check_result	 r;
	int			 rc;
};

static int
on_team(const struct find *f, const char *auditor)
{
	size_t	i;

	for (i = 0; i < f->nteam; i++)
		if (strcmp(f->team[i].auditor, auditor) == 0)
			return 1;
	return 0;
}

/*
 * Every rule of a candidate over one profile (each table read once), and
 * quiet: a candidate's ranking needs pass or fail only, and the details of
 * the few shown are judged again by candidates_json().
 */
static int
find_one(const struct assign_auditor *a, void *arg)
{
	struct find		*f = arg;
	struct check_profile	*pf = &f->pf;
	struct candidate	*c, *nc;
	struct load_walk	 lw = { &f->p->period, 0 };
	unsigned		 rules = check_role_rules(ASSIGN_AUDITOR);
	size_t			 i;
	int			 rule, rc;

	if (a->status != ASSIGN_ACTIVE || (f->exclude && on_team(f, a->id)))
		return 0;
	if (f->cs->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		nc = reallocarray(f->cs->c, f->cap, sizeof *nc);
		if (nc == NULL) {
			f->rc = STORE_IO;
			return 1;
		}
		f->cs->c = nc;
	}
	c = &f->cs->c[f->cs->n];
	memset(c, 0, sizeof *c);
	memcpy(c->auditor, a->id, sizeof c->auditor);
	memcpy(c->name, a->name, sizeof c->name);
	/* The row the walk gave is the one assign_auditor() would read. */
	check_profile_reset(pf, a->id);
	pf->a = *a;
	pf->loaded |= PROFILE_AUDITOR;
	if ((rc = check_scan_fill(&f->scan, pf)) != STORE_OK)
		goto fail;
	for (rule = 0; rule <= CHECK_AVAILABILITY; rule++) {
		if (!(rules & BIT(rule)))
			continue;
		if ((rc = check_profile_rule(pf, (enum check_rule)rule, f->p,
		    1, &f->r)) != STORE_OK)
			goto fail;
		if (!f->r.ok) {
			c->failed |= BIT(rule);
			c->nfailed++;
		}
	}
	c->can_lead = 1;
	if ((rc = check_profile_rule(pf, CHECK_LEAD_QUALIFICATION, f->p, 1,
	    &f->r)) != STORE_OK)
		goto fail;
	c->can_lead &= f->r.ok;
	if ((rc = check_profile_rule(pf, CHECK_LEAD_EXPERIENCE, f->p, 1,
	    &f->r)) != STORE_OK)
		goto fail;
	c->can_lead &= f->r.ok;
	if ((rc = auditor_mask(pf, f->p, a, &c->mask)) != STORE_OK ||
	    (rc = check_profile_busy(pf)) != STORE_OK)
		goto fail;
	for (i = 0; i < pf->nbusy; i++)
		if (load_one(&pf->busy[i], &lw) != 0)
			break;
	c->workload = lw.days;
	/* Areas only: the language ranks nobody (propose weighs it). */
	c->covers = popcount64(c->mask & f->cs->missing & area_mask(f->p));
	f->cs->n++;
	return 0;
fail:
	f->rc = rc;
	return 1;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct candidate	*x = a, *y = b;

	if ((x->nfailed == 0) != (y->nfailed == 0))
		return x->nfailed == 0 ? -1 : 1;
	if (x->nfailed != y->nfailed)
		return x->nfailed < y->nfailed ? -1 : 1;
	if (x->covers != y->covers)
		return x->covers > y->covers ? -1 : 1;
	if (x->workload != y->workload)
		return x->workload < y->workload ? -1 : 1;
	return strcmp(x->auditor, y->auditor);
}

static int
rank_ptr_cmp(const void *a, const void *b)
{
	return rank_cmp(*(const struct candidate *const *)a,
	    *(const struct candidate *const *)b);
}

/*
 * Sort the candidates by rank. Pointers are sorted, then each candidate
 * moved once: qsort over the records themselves (some 300 bytes each)
 * takes a scratch copy of them all, megabytes for a large programme.
 */
static int
rank(struct candidates *cs)
{
	struct candidate	**order, *sorted;
	size_t			  i;

	if (cs->n < 2)
		return STORE_OK;
	order = reallocarray(NULL, cs->n, sizeof *order);
	sorted = reallocarray(NULL, cs->n, sizeof *sorted);
	if (order == NULL || sorted == NULL) {
		free(order);
		free(sorted);
		candidates_free(cs);
		return STORE_IO;
	}
	for (i = 0; i < cs->n; i++)
		order[i] = &cs->c[i];
	qsort(order, cs->n, sizeof *order, rank_ptr_cmp);
	for (i = 0; i < cs->n; i++)
		sorted[i] = *order[i];
	free(order);
	free(cs->c);
	cs->c = sorted;
	return STORE_OK;
}

/* What the team that stands does not meet yet. */
static int
team_missing(struct find *f, uint64_t *missing)
{
	uint64_t		have = 0, m;
	size_t			i;
	int			rc;

	for (i = 0; i < f->nteam; i++) {
		if (f->team[i].role != ASSIGN_LEAD &&
		    f->team[i].role != ASSIGN_AUDITOR &&
		    f->team[i].role != ASSIGN_TECHNICAL_EXPERT)
			continue;
		check_profile_reset(&f->pf, f->team[i].auditor);
		if ((rc = check_profile_auditor(&f->pf)) == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK || (rc = auditor_mask(&f->pf, f->p,
		    &f->pf.a, &m)) != STORE_OK)
			return rc;
		/* A technical expert brings areas, not the language. */
		if (f->team[i].role == ASSIGN_TECHNICAL_EXPERT)
			m &= ~(1ull << f->p->nneeds);
		have |= m;
	}
	*missing = need_mask(f->p) & ~have;
	return STORE_OK;
}

int
candidates_find(struct store *st, MDB_txn *txn, const struct check_plan *p,
    int exclude_team, struct candidates *cs)
{
	struct find	*f;
	uint64_t	 missing = 0;
	int		 rc;

	memset(cs, 0, sizeof *cs);
	if ((f = calloc(1, sizeof *f)) == NULL)
		return STORE_IO;
	f->st = st;
	f->txn = txn;
	f->p = p;
	f->exclude = exclude_team;
	f->cs = cs;
	check_profile_init(&f->pf, st, txn);
	cs->all = need_mask(p);
	if ((rc = check_team_of(st, txn, p->id, NULL, f->team, &f->nteam)) ==
	    STORE_OK && (rc = team_missing(f, &missing)) == STORE_OK) {
		cs->missing = missing;
		/* Every auditor in id order: each table read once, forward. */
		if ((rc = check_scan_open(&f->scan, st, txn)) == STORE_OK) {
			rc = assign_auditors(st, txn, find_one, f);
			check_scan_close(&f->scan);
		}
	}
	if (rc == STORE_OK)
		rc = f->rc;
	check_profile_free(&f->pf);
	free(f);
	if (rc != STORE_OK) {
		candidates_free(cs);
		return rc;
	}
	return rank(cs);
}

void
candidates_free(struct candidates *cs)
{
	free(cs->c);
	memset(cs, 0, sizeof *cs);
}

int
candidates_detail(struct store *st, MDB_txn *txn, const struct check_plan *p,
    const struct candidate *c, enum check_rule rule, struct check_result *r)
{
	return check_member_rule(st, txn, rule, c->auditor, p, r);
}

json_t *
candidates_json(struct store *st, MDB_txn *txn, const struct check_plan *p,
    const struct candidates *cs, size_t offset, size_t limit,
    const char *as_of)
{
	struct check_result	*r;
	json_t			*list, *missing, *failed, *covers, *j;
	const struct candidate	*c;
	size_t			 i, end;
	int			 rule;

	if ((r = malloc(sizeof *r)) == NULL)
		return NULL;
	list = json_array();
	missing = json_array();
	for (i = 0; missing != NULL && i < p->nneeds; i++)
		if (cs->missing & (1ull << i))
			json_array_append_new(missing,
			    json_string(p->needs[i].area));
	end = offset + limit < offset || offset + limit > cs->n ? cs->n :
	    offset + limit;
	for (i = offset; list != NULL && i < end; i++) {
		c = &cs->c[i];
		failed = json_array();
		covers = json_array();
		for (rule = 0; failed != NULL && rule <= CHECK_AVAILABILITY;
		    rule++) {
			if (!(c->failed & BIT(rule)) || candidates_detail(st,
			    txn, p, c, (enum check_rule)rule, r) != STORE_OK)
				continue;
			json_array_append_new(failed, json_pack("{s:s, s:s}",
			    "rule", check_rule_name((enum check_rule)rule),
			    "detail", r->detail));
		}
		for (rule = 0; covers != NULL && (size_t)rule < p->nneeds;
		    rule++)
			if (c->mask & cs->missing & (1ull << rule))
				json_array_append_new(covers,
				    json_string(p->needs[rule].area));
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:o*, "
		    "s:o*, s:I, s:b}", "auditor", c->auditor, "name", c->name,
		    "passes", c->nfailed == 0, "failed", failed, "covers",
		    covers, "workload", (json_int_t)c->workload, "can_lead",
		    c->can_lead));
	}
	free(r);
	j = json_pack("{s:s, s:s, s:o*, s:o*}", "audit", p->id, "as_of",
	    as_of, "missing", missing, "candidates", list);
	if (j != NULL)
		json_object_set_new(j, "next", end < cs->n ?
		    json_integer((json_int_t)end) : json_null());
	return j;
}

/* ---- propose ------------------------------------------------------------- */

/* A distinct coverage mask and the lightest people who have it. */
struct kind {
	uint64_t	mask;
	size_t		who[2];		/* indexes into the candidates */
	size_t		nwho;
};

struct search {
	const struct kind	*kinds;
	size_t			 nkinds;
	size_t			 chosen[CHECK_TEAM_MAX], best[CHECK_TEAM_MAX];
	size_t			 nbest;		/* SIZE_MAX: none yet */
	long			 nodes;
};

/* An exact minimum cover of rem: branch on its lowest bit, bound by best. */
static void
cover(struct search *s, uint64_t rem, size_t depth)
{
	uint64_t	bit;
	size_t		i;

	if (++s->nodes > SEARCH_BUDGET)
		return;
	if (rem == 0) {
		if (depth < s->nbest) {
			s->nbest = depth;
			memcpy(s->best, s->chosen, depth * sizeof s->chosen[0]);
		}
		return;
	}
	/* One more kind at least: no better than what we have. */
	if (depth + 1 >= s->nbest || depth + 1 >= CHECK_TEAM_MAX)
		return;
	bit = rem & -rem;
	for (i = 0; i < s->nkinds; i++) {
		if (!(s->kinds[i].mask & bit))
			continue;
		s->chosen[depth] = i;
		cover(s, rem & ~s->kinds[i].mask, depth + 1);
	}
}

/* Lighter first: workload, then id (the candidates' own order breaks ties). */
static int
lighter(const struct candidate *a, const struct candidate *b)
{
	if (a->workload != b->workload)
		return a->workload < b->workload;
	return strcmp(a->auditor, b->auditor) < 0;
}

static void
kind_add(struct kind *k, const struct candidates *cs, size_t i)
{
	if (k->nwho < 2) {
		k->who[k->nwho++] = i;
		if (k->nwho == 2 && lighter(&cs->c[k->who[1]], &cs->c[k->who[0]])) {
			size_t t = k->who[0];
			k->who[0] = k->who[1];
			k->who[1] = t;
		}
		return;
	}
	if (lighter(&cs->c[i], &cs->c[k->who[0]])) {
		k->who[1] = k->who[0];
		k->who[0] = i;
	} else if (lighter(&cs->c[i], &cs->c[k->who[1]]))
		k->who[1] = i;
}

static int
kind_cmp(const void *a, const void *b)
{
	const struct kind	*x = a, *y = b;
	int			 px = popcount64(x->mask), py = popcount64(y->mask);

	if (px != py)
		return px > py ? -1 : 1;
	return x->mask < y->mask ? -1 : x->mask > y->mask;
}

/*
 * The distinct masks (need bits only) of the candidates pick() accepts,
 * with the two lightest people each; dominated masks dropped when prune.
 */
static size_t
kinds_of(const struct candidates *cs, uint64_t need,
    int (*pick)(const struct candidate *), int prune, struct kind *k)
{
	size_t		i, j, n = 0, m;
	uint64_t	mask;

	for (i = 0; i < cs->n; i++) {
		if (!pick(&cs->c[i]))
			continue;
		mask = cs->c[i].mask & need;
		for (j = 0; j < n && k[j].mask != mask; j++)
			;
		if (j == n) {
			k[n].mask = mask;
			k[n].nwho = 0;
			n++;
		}
		kind_add(&k[j], cs, i);
	}
	if (prune) {
		for (i = 0, m = 0; i < n; i++) {
			for (j = 0; j < n; j++)
				if (j != i && (k[i].mask & k[j].mask) ==
				    k[i].mask && k[j].mask != k[i].mask)
					break;
			if (j == n && k[i].mask != 0)
				k[m++] = k[i];
		}
		n = m;
	}
	qsort(k, n, sizeof *k, kind_cmp);
	return n;
}

static int
passes(const struct candidate *c)
{
	return c->nfailed == 0;
}

static int
leads(const struct candidate *c)
{
	return c->nfailed == 0 && c->can_lead;
}

static void
reason(struct proposal *pr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(struct proposal *pr, const char *fmt, ...)
{
	va_list	ap;

	if (pr->nreasons == sizeof pr->reasons / sizeof pr->reasons[0])
		return;
	va_start(ap, fmt);
	vsnprintf(pr->reasons[pr->nreasons++], sizeof pr->reasons[0], fmt, ap);
	va_end(ap);
}

/* "for Finance", "for ISO/IEC 27001" or "": what a rule is judged for. */
static void
rule_for(const struct check_plan *p, int rule, char *out, size_t len)
{
	out[0] = '\0';
	if (rule == CHECK_INDEPENDENCE || rule == CHECK_OWN_UNIT ||
	    rule == CHECK_ROTATION)
		snprintf(out, len, " for %s", p->auditee);
	else if (rule == CHECK_QUALIFICATION && p->standard[0] != '\0')
		snprintf(out, len, " for %s", p->standard);
	else if (rule == CHECK_AVAILABILITY)
		snprintf(out, len, " from %s to %s", p->w.start, p->w.end);
}

/* Why nobody, or too few, pass the member rules. */
static void
why_rules(const struct check_plan *p, const struct candidates *cs,
    size_t want, struct proposal *pr)
{
	unsigned	rules = check_role_rules(ASSIGN_AUDITOR);
	size_t		i, ok;
	int		rule;
	char		what[ASSIGN_TEXT_MAX + 64];

	for (rule = 0; rule <= CHECK_AVAILABILITY; rule++) {
		if (!(rules & BIT(rule)))
			continue;
		for (i = 0, ok = 0; i < cs->n; i++)
			if (!(cs->c[i].failed & BIT(rule)))
				ok++;
		if (ok >= want)
			continue;
		rule_for(p, rule, what, sizeof what);
		if (ok == 0)
			reason(pr, "no active auditor passes %s%s",
			    check_rule_name((enum check_rule)rule), what);
		else
			reason(pr, "only %zu auditor%s pass%s %s%s", ok,
			    ok == 1 ? "" : "s", ok == 1 ? "es" : "",
			    check_rule_name((enum check_rule)rule), what);
	}
}

/* Why a need is met by nobody who passes. */
static void
why_need(const struct check_plan *p, const struct candidates *cs, size_t bit,
    struct proposal *pr)
{
	char	who[256] = "", part[ID_MAX + 48];
	size_t	i, n = 0;
	int	rule;
	int	lang = bit == p->nneeds;

	for (i = 0; i < cs->n; i++) {
		if (!(cs->c[i].mask & (1ull << bit)))
			continue;
		if (n++ >= 3)
			continue;
		for (rule = 0; !(cs->c[i].failed & BIT(rule)) &&
		    rule < CHECK_NRULES; rule++)
			;
		snprintf(part, sizeof part, "%s%s fails %s", n > 1 ? "; " : "",
		    cs->c[i].auditor, check_rule_name((enum check_rule)rule));
		if (strlen(who) + strlen(part) < sizeof who)
			strcat(who, part);
	}
	if (lang && n == 0)
		reason(pr, "no active auditor speaks %s", p->language);
	else if (lang)
		reason(pr, "no auditor who passes every member rule speaks %s "
		    "(%s)", p->language, who);
	else if (n == 0)
		reason(pr, "no active auditor is evidenced at %s in %s",
		    rows_level_name(p->needs[bit].level), p->needs[bit].area);
	else
		reason(pr, "no auditor who passes every member rule is "
		    "evidenced at %s in %s (%s)",
		    rows_level_name(p->needs[bit].level), p->needs[bit].area,
		    who);
}

static void
why_lead(const struct candidates *cs, struct proposal *pr)
{
	size_t	i, q = 0;

	for (i = 0; i < cs->n; i++)
		if (passes(&cs->c[i]))
			q++;
	reason(pr, "none of the %zu auditor%s who pass every member rule "
	    "may lead (lead_qualification and lead_experience)", q,
	    q == 1 ? "" : "s");
}

/* Add the lightest passing auditors not on the team until it has want. */
static void
fill(const struct candidates *cs, size_t want, struct proposal *pr)
{
	size_t	i, j, best;
	int	on;

	while (pr->n < want && pr->n < CHECK_TEAM_MAX) {
		best = cs->n;
		for (i = 0; i < cs->n; i++) {
			if (!passes(&cs->c[i]))
				continue;
			for (j = 0, on = 0; j < pr->n; j++)
				if (strcmp(pr->team[j].auditor,
				    cs->c[i].auditor) == 0)
					on = 1;
			if (!on && (best == cs->n ||
			    lighter(&cs->c[i], &cs->c[best])))
				best = i;
		}
		if (best == cs->n)
			return;
		memcpy(pr->team[pr->n].auditor, cs->c[best].auditor,
		    ID_MAX + 1);
		pr->team[pr->n++].role = ASSIGN_AUDITOR;
	}
}

static int
member_cmp(const void *a, const void *b)
{
	const struct check_member	*x = a, *y = b;

	return strcmp(x->auditor, y->auditor);
}

/* The best lead kind with the fewest others: the search itself. */
static int
search(const struct check_plan *p, const struct candidates *cs,
    uint64_t need, struct proposal *pr)
{
	struct kind	*lk, *ok;
	struct search	 s;
	size_t		 nl, no, i, j, lead = 0, bestn = SIZE_MAX;
	size_t		 pick[CHECK_TEAM_MAX], npick = 0, who;
	int		 rc = STORE_OK;

	lk = calloc(cs->n + 1, sizeof *lk);
	ok = calloc(cs->n + 1, sizeof *ok);
	if (lk == NULL || ok == NULL) {
		rc = STORE_IO;
		goto done;
	}
	nl = kinds_of(cs, need, leads, 0, lk);
	no = kinds_of(cs, need, passes, 1, ok);
	memset(&s, 0, sizeof s);
	s.kinds = ok;
	s.nkinds = no;
	for (i = 0; i < nl && bestn > 1; i++) {
		s.nbest = bestn == SIZE_MAX ? CHECK_TEAM_MAX : bestn - 1;
		cover(&s, need & ~lk[i].mask, 0);
		if (s.nodes > SEARCH_BUDGET)
			break;
		/* s.nbest still the bound: no cover within it. */
		if (s.nbest + 1 < bestn && s.nbest < CHECK_TEAM_MAX) {
			bestn = s.nbest + 1;
			lead = i;
			npick = s.nbest;
			memcpy(pick, s.best, npick * sizeof pick[0]);
		}
	}
	if (s.nodes > SEARCH_BUDGET) {
		reason(pr, "the search for a smallest team gave up after %ld "
		    "steps; name the team with check instead", SEARCH_BUDGET);
		goto done;
	}
	if (bestn == SIZE_MAX) {
		reason(pr, "no team of at most %d members covers every required "
		    "area%s", CHECK_TEAM_MAX, p->language[0] != '\0' ?
		    " and the language" : "");
		goto done;
	}
	who = lk[lead].who[0];
	memcpy(pr->team[0].auditor, cs->c[who].auditor, ID_MAX + 1);
	pr->team[0].role = ASSIGN_LEAD;
	pr->n = 1;
	for (i = 0; i < npick; i++) {
		j = ok[pick[i]].who[0];
		/* Two people per kind: one is not the lead. */
		if (j == who && ok[pick[i]].nwho < 2)
			continue;
		if (j == who)
			j = ok[pick[i]].who[1];
		memcpy(pr->team[pr->n].auditor, cs->c[j].auditor, ID_MAX + 1);
		pr->team[pr->n++].role = ASSIGN_AUDITOR;
	}
	fill(cs, (size_t)p->min_team_size, pr);
	qsort(pr->team + 1, pr->n - 1, sizeof pr->team[0], member_cmp);
	pr->found = pr->n >= (size_t)p->min_team_size;
done:
	free(lk);
	free(ok);
	return rc;
}

int
propose_team(struct store *st, MDB_txn *txn, const struct check_plan *p,
    struct proposal *pr)
{
	struct candidates	cs;
	uint64_t		need = need_mask(p), have = 0;
	size_t			i, want;
	int			rc, anylead = 0;

	memset(pr, 0, sizeof *pr);
	if ((rc = candidates_find(st, txn, p, 0, &cs)) != STORE_OK)
		return rc;
	want = (size_t)p->min_team_size;
	for (i = 0; i < cs.n; i++)
		if (passes(&cs.c[i])) {
			pr->passing++;
			have |= cs.c[i].mask;
			anylead |= cs.c[i].can_lead;
		}
	if (cs.n == 0)
		reason(pr, "there is no active auditor");
	else if (pr->passing == 0)
		reason(pr, "none of the %zu active auditors passes every member "
		    "rule", cs.n);
	if (cs.n > 0 && pr->passing < want)
		why_rules(p, &cs, want, pr);
	if (pr->passing > 0 && pr->passing < want)
		reason(pr, "only %zu auditor%s pass%s every member rule; the "
		    "audit needs %zu", pr->passing, pr->passing == 1 ? "" :
		    "s", pr->passing == 1 ? "es" : "", want);
	for (i = 0; i <= p->nneeds && cs.n > 0; i++)
		if ((need & (1ull << i)) && !(have & (1ull << i)))
			why_need(p, &cs, i, pr);
	if (pr->passing > 0 && !anylead)
		why_lead(&cs, pr);
	if (pr->nreasons == 0)
		rc = search(p, &cs, need, pr);
	candidates_free(&cs);
	return rc;
}
