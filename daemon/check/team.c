/*
 * team.c: an audit's plan as the rules read it, the team rules and the
 * verdict of a team check (see team.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/profile.h"
#include "check/plans.h"
#include "check/rules.h"
#include "check/team.h"

static void
copy(char *dst, size_t max, const char *s)
{
	check_format(dst, max, "%s", s != NULL ? s : "");
}

/* ---- the plan ------------------------------------------------------------ */

/*
 * rotation: the last max_consecutive audits of the auditee before start,
 * latest first, and who led each of them.
 */
struct rot_walk {
	struct check_plan	*p;
	int			 want;
	char			 cur[ID_MAX + 1];	/* the audit being read */
	char			 leads[4][ID_MAX + 1];	/* its leads */
	size_t			 nleads;
	int			 first;
};

/* Keep in p->blocked only who also led x's current audit. */
static void
rot_close(struct rot_walk *x)
{
	struct check_plan	*p = x->p;
	size_t			 i, j, n = 0;

	if (x->cur[0] == '\0')
		return;
	if (x->first) {
		for (i = 0; i < x->nleads; i++)
			memcpy(p->blocked[n++], x->leads[i], ID_MAX + 1);
		x->first = 0;
	} else
		for (i = 0; i < p->nblocked; i++)
			for (j = 0; j < x->nleads; j++)
				if (strcmp(p->blocked[i], x->leads[j]) == 0) {
					memmove(p->blocked[n++], p->blocked[i],
					    ID_MAX + 1);
					break;
				}
	p->nblocked = n;
	memcpy(p->rotation[p->nrotation++], x->cur, ID_MAX + 1);
	x->cur[0] = '\0';
	x->nleads = 0;
}

static int
rot_one(const char *audit, const char *start, const char *auditor, void *arg)
{
	struct rot_walk	*x = arg;

	(void)start;
	if (strcmp(audit, x->p->id) == 0)
		return 0;
	if (strcmp(audit, x->cur) != 0) {
		rot_close(x);
		if ((int)x->p->nrotation == x->want)
			return 1;
		copy(x->cur, sizeof x->cur, audit);
	}
	if (x->nleads < 4)
		copy(x->leads[x->nleads++], sizeof x->leads[0], auditor);
	return 0;
}

static int
plan_rotation(struct store *st, MDB_txn *txn, struct check_plan *p)
{
	struct rot_walk	x;
	int		rc;

	memset(&x, 0, sizeof x);
	x.p = p;
	x.first = 1;
	x.want = p->policy.rotation_max_consecutive;
	if (x.want < 1 || x.want > CHECK_ROTATION_MAX)
		return STORE_OK;
	rc = assign_leads(st, txn, p->auditee, p->w.start, rot_one, &x);
	if (rc != STORE_OK)
		return rc;
	if ((int)p->nrotation < x.want)
		rot_close(&x);
	/* Fewer audits than that: nobody led them all. */
	if ((int)p->nrotation < x.want)
		p->nblocked = 0;
	return STORE_OK;
}

int
check_plan_load(struct store *st, MDB_txn *txn, const char *audit,
    struct check_plan *p)
{
	int	rc;

	/* Rows, not documents: no JSON is parsed for a check. */
	if ((rc = plans_load(st, txn, audit, p)) != STORE_OK)
		return rc;
	return plan_rotation(st, txn, p);
}

/* ---- the team that stands ------------------------------------------------ */

struct team_walk {
	const char		*skip;
	struct check_member	*team;
	size_t			 n;
};

static int
team_one(const struct assign_member *m, void *arg)
{
	struct team_walk	*x = arg;

	if ((m->status != ASSIGN_PROPOSED && m->status != ASSIGN_CONFIRMED) ||
	    (x->skip != NULL && strcmp(m->id, x->skip) == 0))
		return 0;
	if (x->n == CHECK_TEAM_MAX)
		return 1;
	memcpy(x->team[x->n].auditor, m->auditor, ID_MAX + 1);
	x->team[x->n].role = m->role;
	x->n++;
	return 0;
}

int
check_team_of(struct store *st, MDB_txn *txn, const char *audit,
    const char *skip, struct check_member *team, size_t *n)
{
	struct team_walk	x = { skip, team, 0 };
	int			rc;

	rc = assign_team(st, txn, audit, team_one, &x);
	*n = x.n;
	return rc;
}

/* ---- the team rules ------------------------------------------------------ */

static int
conducts(enum assign_role r)
{
	return r == ASSIGN_LEAD || r == ASSIGN_AUDITOR;
}

static void
team_lead_count(const struct check_member *team, size_t n,
    struct check_result *r)
{
	size_t	i, leads = 0;
	char	who[ID_MAX + 1] = "";

	check_result_init(r, CHECK_LEAD_COUNT);
	for (i = 0; i < n; i++)
		if (team[i].role == ASSIGN_LEAD) {
			if (leads++ == 0)
				copy(who, sizeof who, team[i].auditor);
			check_evidence_add(r, "auditors", team[i].auditor);
		}
	r->ok = leads == 1;
	if (leads == 0)
		check_detail(r, "no member leads the "
		    "team");
	else if (leads == 1)
		check_detail(r, "%s leads the team", who);
	else
		check_detail(r, "%zu members lead the "
		    "team; exactly one must", leads);
}

static void
team_size(const struct check_plan *p, const struct check_member *team,
    size_t n, struct check_result *r)
{
	size_t	i, k = 0;

	check_result_init(r, CHECK_TEAM_SIZE);
	for (i = 0; i < n; i++)
		if (conducts(team[i].role))
			k++;
	r->ok = k >= (size_t)p->min_team_size;
	check_detail(r, "%zu member%s in role lead or "
	    "auditor; the audit needs at least %d", k, k == 1 ? "" : "s",
	    p->min_team_size);
}

/*
 * coverage: each area the plan needs evidenced at its level by a lead,
 * auditor or technical expert (who brings the knowledge the auditors
 * lack); trainees and observers do not count.
 */
static int
team_coverage(struct check_profile *pf, const struct check_plan *p,
    const struct check_member *team, size_t n, struct check_verdict *v)
{
	struct check_result	*r = &v->team[TEAM_COVERAGE];
	int			 best[ROWS_AREAS_MAX], lv[ROWS_AREAS_MAX];
	char			 (*ev)[CHECK_REF_LEN], (*bev)[CHECK_REF_LEN];
	size_t			 i, j;
	int			 rc = STORE_OK;
	char			 low[ID_MAX + 1] = "";

	check_result_init(r, CHECK_COVERAGE);
	ev = calloc(ROWS_AREAS_MAX, sizeof *ev);
	bev = calloc(ROWS_AREAS_MAX, sizeof *bev);
	if (ev == NULL || bev == NULL) {
		free(ev);
		free(bev);
		return STORE_IO;
	}
	for (j = 0; j < p->nneeds; j++)
		best[j] = -1;
	for (i = 0; i < n && rc == STORE_OK; i++) {
		if (!conducts(team[i].role) &&
		    team[i].role != ASSIGN_TECHNICAL_EXPERT)
			continue;
		rc = check_profile_levels(&pf[i], p, lv, ev);
		for (j = 0; rc == STORE_OK && j < p->nneeds; j++)
			if (lv[j] > best[j]) {
				best[j] = lv[j];
				memcpy(bev[j], ev[j], sizeof bev[j]);
			}
	}
	for (j = 0; rc == STORE_OK && j < p->nneeds; j++) {
		if (best[j] >= (int)p->needs[j].level) {
			if (r->nevidence < CHECK_EVIDENCE_MAX)
				memcpy(r->evidence[r->nevidence], bev[j],
				    sizeof r->evidence[0]);
			r->nevidence++;
			continue;
		}
		if (best[j] >= 0 && low[0] == '\0')
			copy(low, sizeof low, p->needs[j].area);
		memcpy(v->missing[v->nmissing++], p->needs[j].area, ID_MAX + 1);
	}
	free(ev);
	free(bev);
	if (rc != STORE_OK)
		return rc;
	r->ok = v->nmissing == 0;
	if (p->nneeds == 0)
		check_detail(r, "the audit requires no "
		    "area");
	else if (r->ok)
		check_detail(r, "every required area "
		    "(%zu) is evidenced at its level", p->nneeds);
	else if (v->nmissing == 1)
		check_detail(r, "no member evidenced at "
		    "%s in %s%s", rows_level_name(p->needs[0].level),
		    v->missing[0], low[0] != '\0' ? " (only at a lower level)" :
		    "");
	else
		check_detail(r, "%zu of %zu required "
		    "areas are not evidenced at their level, first %s",
		    v->nmissing, p->nneeds, v->missing[0]);
	/* The level said must be the missing area's own. */
	if (v->nmissing == 1)
		for (j = 0; j < p->nneeds; j++)
			if (strcmp(p->needs[j].area, v->missing[0]) == 0)
				check_detail(r, "no member "
				    "evidenced at %s in %s%s",
				    rows_level_name(p->needs[j].level),
				    v->missing[0], best[j] >= 0 ?
				    " (only at a lower level)" : "");
	return STORE_OK;
}

static int
team_language(struct check_profile *pf, const struct check_plan *p,
    const struct check_member *team, size_t n, struct check_result *r)
{
	const struct assign_auditor	*a;
	size_t				 i, j;
	int				 rc;

	check_result_init(r, CHECK_LANGUAGE);
	if (p->language[0] == '\0') {
		r->ok = 1;
		check_detail(r, "the audit names no "
		    "language");
		return STORE_OK;
	}
	for (i = 0; i < n; i++) {
		if (!conducts(team[i].role))
			continue;
		if ((rc = check_profile_auditor(&pf[i])) != STORE_OK)
			return rc;
		a = &pf[i].a;
		for (j = 0; j < a->nlangs; j++)
			if (strcmp(a->langs[j], p->language) == 0) {
				r->ok = 1;
				check_evidence_add(r, "auditors", a->id);
				break;
			}
	}
	if (r->ok)
		check_detail(r, "%s speaks %s%s",
		    r->evidence[0] + strlen("auditors/"), p->language,
		    r->nevidence > 1 ? ", and others" : "");
	else
		check_detail(r, "no lead or auditor "
		    "speaks %s", p->language);
	return STORE_OK;
}

/* ---- the verdict --------------------------------------------------------- */

static int
warn(struct check_verdict *v, const char *auditor,
    const struct check_result *r)
{
	struct check_warning	*w;

	w = reallocarray(v->warnings, v->nwarnings + 1, sizeof *w);
	if (w == NULL)
		return STORE_IO;
	v->warnings = w;
	copy(w[v->nwarnings].auditor, sizeof w[0].auditor, auditor);
	w[v->nwarnings].r = *r;
	w[v->nwarnings].r.ok = 1;
	v->nwarnings++;
	return STORE_OK;
}

/* The warnings of a member who conducts the audit. */
static int
member_warnings(struct check_profile *pf, const struct check_plan *p,
    struct check_member_verdict *mv, struct check_verdict *v)
{
	struct check_result	 e;
	const struct check_result *c;
	uint64_t		 min = (uint64_t)p->policy.cpd_min_hours_x100;
	struct check_window	 cw;
	uint64_t		 sum;
	size_t			 i;
	int			 rc;
	char			 have[CHECK_HOURS_LEN], need[CHECK_HOURS_LEN];

	for (i = 0; i < mv->nchecks; i++) {
		c = &mv->checks[i];
		if (c->rule == CHECK_EVALUATION && c->ok && c->warn &&
		    (rc = warn(v, mv->m.auditor, c)) != STORE_OK)
			return rc;
		if (c->rule != CHECK_CPD || !c->ok || min == 0)
			continue;
		check_window_back(&cw, p->w.start, p->policy.cpd_window_months);
		if ((rc = check_profile_cpd_sum(pf, &cw, &sum)) != STORE_OK)
			return rc;
		/* Within 10% above the minimum. */
		if (sum * 10 < min * 11) {
			e = *c;
			check_hours_str(sum, have);
			check_hours_str(min, need);
			check_detail(&e, "%s verified CPD "
			    "hours, within 10%% of the %s needed", have, need);
			if ((rc = warn(v, mv->m.auditor, &e)) != STORE_OK)
				return rc;
		}
	}
	rc = check_profile_expiry(pf, p, &e);
	if (rc == STORE_OK && e.warn)
		rc = warn(v, mv->m.auditor, &e);
	return rc;
}

static int
judge_member(struct check_profile *pf, const struct check_plan *p,
    const struct check_member *team, size_t n, size_t k,
    struct check_verdict *v)
{
	struct check_member_verdict	*mv = &v->members[k];
	struct check_result		*r;
	unsigned			 rules = check_role_rules(team[k].role);
	size_t				 i;
	int				 rc, rule, sup;

	mv->m = team[k];
	mv->compliant = 1;
	for (rule = 0; rule <= CHECK_SUPERVISION; rule++) {
		if (!(rules & (1u << rule)))
			continue;
		r = &mv->checks[mv->nchecks++];
		if (rule == CHECK_SUPERVISION) {
			check_result_init(r, CHECK_SUPERVISION);
			for (i = 0, sup = 0; i < n; i++)
				if (conducts(team[i].role)) {
					sup = 1;
					check_evidence_add(r, "auditors",
					    team[i].auditor);
				}
			r->ok = sup;
			check_detail(r, sup ? "the team "
			    "has a lead or auditor to supervise" : "no lead or "
			    "auditor on the team to supervise a trainee");
		} else if ((rc = check_profile_rule(pf, (enum check_rule)rule,
		    p, 0, r)) != STORE_OK)
			return rc;
		if (!r->ok)
			mv->compliant = 0;
	}
	if (conducts(team[k].role))
		return member_warnings(pf, p, mv, v);
	return STORE_OK;
}

/*
 * Each member's rows are read once, into a profile every rule of the
 * member, the warnings and the team rules judge (check/profile.h): the
 * same results as check_member_rule() and check_levels() give.
 */
int
check_team(struct store *st, MDB_txn *txn, const struct check_plan *p,
    const struct check_member *team, size_t n, struct check_verdict *v)
{
	struct check_profile	*pf = NULL;
	struct assign_auditor	 a;
	size_t			 i;
	int			 rc = STORE_OK;

	memset(v, 0, sizeof *v);
	if (n > CHECK_TEAM_MAX)
		return STORE_INVALID;
	/* The rules of some roles read no auditor row: ask for each. */
	for (i = 0; i < n; i++)
		if ((rc = assign_auditor(st, txn, team[i].auditor, &a)) !=
		    STORE_OK)
			return rc;
	/*
	 * Not calloc: a member's checks are most of 30 KB, and only the
	 * results judge_member() fills are ever read.
	 */
	if (n > 0 && ((v->members = reallocarray(NULL, n,
	    sizeof *v->members)) == NULL || (pf = reallocarray(NULL, n,
	    sizeof *pf)) == NULL)) {
		free(v->members);
		v->members = NULL;
		return STORE_IO;
	}
	for (i = 0; i < n; i++) {
		/* As calloc left them: a member not judged is all zero. */
		memset(&v->members[i].m, 0, sizeof v->members[i].m);
		v->members[i].compliant = 0;
		v->members[i].nchecks = 0;
		check_profile_init(&pf[i], st, txn);
		check_profile_reset(&pf[i], team[i].auditor);
	}
	v->nmembers = n;
	v->compliant = 1;
	for (i = 0; i < n && rc == STORE_OK; i++) {
		rc = judge_member(&pf[i], p, team, n, i, v);
		if (!v->members[i].compliant)
			v->compliant = 0;
	}
	if (rc != STORE_OK)
		goto done;
	team_lead_count(team, n, &v->team[TEAM_LEAD_COUNT]);
	team_size(p, team, n, &v->team[TEAM_SIZE]);
	if ((rc = team_coverage(pf, p, team, n, v)) != STORE_OK ||
	    (rc = team_language(pf, p, team, n,
	    &v->team[TEAM_LANGUAGE])) != STORE_OK)
		goto done;
	for (i = 0; i < TEAM_NRULES; i++)
		if (!v->team[i].ok)
			v->compliant = 0;
done:
	for (i = 0; pf != NULL && i < n; i++)
		check_profile_free(&pf[i]);
	free(pf);
	return rc;
}

void
check_verdict_free(struct check_verdict *v)
{
	free(v->members);
	free(v->warnings);
	v->members = NULL;
	v->warnings = NULL;
	v->nmembers = v->nwarnings = 0;
}

/* ---- as JSON ------------------------------------------------------------- */

/*
 * The verdict is written as text, in the canonical form every answer has
 * (keys sorted, no white space), straight into one buffer: a team of five
 * gives some 60 results and 200 pieces of evidence, and a jansson tree of
 * them cost more than judging them.
 */
static void
evidence_write(struct jw *w, const struct check_result *r)
{
	size_t	i;

	jw_key(w, "evidence");
	jw_open(w, '[');
	for (i = 0; i < r->nevidence && i < CHECK_EVIDENCE_MAX; i++)
		jw_str(w, r->evidence[i]);
	jw_close(w, ']');
}

/* {detail, evidence, [missing,] ok, rule} */
static void
result_write(struct jw *w, const struct check_result *r,
    const struct check_verdict *missing)
{
	size_t	i;

	jw_open(w, '{');
	jw_key(w, "detail");
	jw_str(w, r->detail);
	evidence_write(w, r);
	if (missing != NULL) {
		jw_key(w, "missing");
		jw_open(w, '[');
		for (i = 0; i < missing->nmissing; i++)
			jw_str(w, missing->missing[i]);
		jw_close(w, ']');
	}
	jw_key(w, "ok");
	jw_bool(w, r->ok);
	jw_key(w, "rule");
	jw_str(w, check_rule_name(r->rule));
	jw_close(w, '}');
}

void
check_verdict_write(struct jw *w, const struct check_plan *p,
    const struct check_verdict *v, const char *as_of)
{
	const struct check_member_verdict	*m;
	const struct check_warning		*x;
	size_t					 i, j;

	jw_open(w, '{');
	jw_key(w, "as_of");
	jw_str(w, as_of);
	jw_key(w, "audit");
	jw_str(w, p->id);
	jw_key(w, "compliant");
	jw_bool(w, v->compliant);
	jw_key(w, "members");
	jw_open(w, '[');
	for (i = 0; i < v->nmembers; i++) {
		m = &v->members[i];
		jw_open(w, '{');
		jw_key(w, "auditor");
		jw_str(w, m->m.auditor);
		jw_key(w, "checks");
		jw_open(w, '[');
		for (j = 0; j < m->nchecks; j++)
			result_write(w, &m->checks[j], NULL);
		jw_close(w, ']');
		jw_key(w, "compliant");
		jw_bool(w, m->compliant);
		jw_key(w, "role");
		jw_str(w, assign_role_name(m->m.role));
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_key(w, "policy");
	policy_write(w, &p->policy);
	jw_key(w, "team");
	jw_open(w, '[');
	for (i = 0; i < TEAM_NRULES; i++)
		result_write(w, &v->team[i], i == TEAM_COVERAGE ? v : NULL);
	jw_close(w, ']');
	jw_key(w, "warnings");
	jw_open(w, '[');
	for (i = 0; i < v->nwarnings; i++) {
		x = &v->warnings[i];
		jw_open(w, '{');
		jw_key(w, "auditor");
		jw_str(w, x->auditor);
		jw_key(w, "detail");
		jw_str(w, x->r.detail);
		evidence_write(w, &x->r);
		jw_key(w, "rule");
		jw_str(w, check_rule_name(x->r.rule));
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

json_t *
check_verdict_json(const struct check_plan *p, const struct check_verdict *v,
    const char *as_of)
{
	struct jw	 w;
	json_t		*j;
	char		*s;
	size_t		 len;

	jw_init(&w);
	check_verdict_write(&w, p, v, as_of);
	if ((s = jw_take(&w, &len)) == NULL)
		return NULL;
	j = json_loadb(s, len, 0, NULL);
	free(s);
	return j;
}
