/*
 * member.c: the member rules that depend on the audit (lead_experience,
 * independence, own_unit, rotation, availability), the levels a member is
 * evidenced at in the areas the audit needs, and the one entry that judges
 * any member rule (see team.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check/profile.h"
#include "check/rules.h"
#include "check/team.h"

#define BIT(r)	(1u << (r))

unsigned
check_role_rules(enum assign_role role)
{
	const unsigned	both = BIT(CHECK_ACTIVE) | BIT(CHECK_QUALIFICATION) |
			    BIT(CHECK_CPD) | BIT(CHECK_EVALUATION) |
			    BIT(CHECK_INDEPENDENCE) | BIT(CHECK_OWN_UNIT) |
			    BIT(CHECK_ROTATION) | BIT(CHECK_AVAILABILITY);
	const unsigned	aside = BIT(CHECK_INDEPENDENCE) |
			    BIT(CHECK_AVAILABILITY);

	switch (role) {
	case ASSIGN_LEAD:
		return both | BIT(CHECK_LEAD_QUALIFICATION) |
		    BIT(CHECK_LEAD_EXPERIENCE);
	case ASSIGN_AUDITOR:
		return both;
	case ASSIGN_TRAINEE:
		return aside | BIT(CHECK_SUPERVISION);
	default:
		return aside;
	}
}

/* ---- lead_experience ----------------------------------------------------- */

struct exp_walk {
	const struct check_plan	*p;
	struct check_result	*r;	/* NULL: quiet */
	int			 count;
};

static int
exp_one(const struct assign_busy *b, void *arg)
{
	struct exp_walk	*x = arg;

	if (b->status != ASSIGN_COMPLETED || strcmp(b->audit, x->p->id) == 0 ||
	    (b->role != ASSIGN_LEAD && b->role != ASSIGN_AUDITOR))
		return 0;
	x->count++;
	if (x->r != NULL)
		check_evidence_add(x->r, "assignments", b->id);
	return 0;
}

static void
exp_judge(const struct exp_walk *x, const struct check_plan *p,
    struct check_result *r)
{
	r->ok = x->count >= p->policy.lead_min_audits;
	if (x->r != NULL)
		check_detail(r, "%d completed audit%s as lead "
		    "or auditor; %d needed to lead", x->count, x->count == 1 ?
		    "" : "s", p->policy.lead_min_audits);
}

int
check_lead_experience(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_plan *p, struct check_result *r)
{
	struct exp_walk	x = { p, r, 0 };
	int		rc;

	check_result_init(r, CHECK_LEAD_EXPERIENCE);
	if ((rc = assign_busy(st, txn, auditor, exp_one, &x)) != STORE_OK)
		return rc;
	exp_judge(&x, p, r);
	return STORE_OK;
}

/* ---- independence -------------------------------------------------------- */

struct indep_walk {
	const struct check_plan	*p;
	struct check_result	*r;	/* NULL: quiet */
	char			 first[ID_MAX + 1];
	char			 kind[32];
	char			 last[UTIL_DATE_LEN];	/* "": ongoing */
};

static int
indep_one(const struct rows_decl *d, void *arg)
{
	struct indep_walk	*x = arg;
	char			 last[UTIL_DATE_LEN] = "";
	int			 cool;

	if (strcasecmp(d->party, x->p->auditee) != 0)
		return 0;
	if (strcmp(d->from, x->p->w.end) > 0)
		return 0;	/* begins after the audit */
	if (d->until[0] != '\0') {
		cool = (unsigned)d->kind <= ROWS_OTHER_INTEREST ?
		    x->p->policy.cooling_off_months[d->kind] : 0;
		util_date_add_months(d->until, cool, last);
		if (strcmp(last, x->p->w.start) < 0)
			return 0;	/* cooled off before the audit */
	}
	if (x->first[0] == '\0') {
		memcpy(x->first, d->id, sizeof x->first);
		check_format(x->kind, sizeof x->kind, "%s",
		    rows_decl_kind_name(d->kind));
		memcpy(x->last, last, sizeof x->last);
	}
	if (x->r == NULL)
		return 1;	/* quiet: one interest fails it */
	check_evidence_add(x->r, "declarations", d->id);
	return 0;
}

static void
indep_judge(const struct indep_walk *x, const struct check_plan *p,
    struct check_result *r)
{
	r->ok = x->first[0] == '\0';
	if (x->r == NULL)
		return;
	if (r->ok)
		check_detail(r, "no declared interest in "
		    "%s meets %s to %s", p->auditee, p->w.start, p->w.end);
	else if (x->last[0] == '\0')
		check_detail(r, "declared %s interest in "
		    "%s (%s) is ongoing", x->kind, p->auditee, x->first);
	else
		check_detail(r, "declared %s interest in "
		    "%s (%s) counts until %s with its cooling-off, within "
		    "the audit's days", x->kind, p->auditee, x->first,
		    x->last);
}

int
check_independence(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_plan *p, struct check_result *r)
{
	struct indep_walk	x;
	int			rc;

	check_result_init(r, CHECK_INDEPENDENCE);
	memset(&x, 0, sizeof x);
	x.p = p;
	x.r = r;
	if ((rc = rows_decls(st, txn, auditor, indep_one, &x)) != STORE_OK)
		return rc;
	indep_judge(&x, p, r);
	return STORE_OK;
}

/* ---- own_unit ------------------------------------------------------------ */

static void
own_unit_judge(const struct assign_auditor *a, const char *auditor,
    const struct check_plan *p, int quiet, struct check_result *r)
{
	r->ok = strcasecmp(a->unit, p->auditee) != 0;
	if (quiet)
		return;
	check_evidence_add(r, "auditors", auditor);
	if (r->ok)
		check_detail(r, "unit %s is not the "
		    "auditee %s", a->unit[0] != '\0' ? a->unit : "(none)",
		    p->auditee);
	else
		check_detail(r, "belongs to %s, the "
		    "auditee", a->unit);
}

int
check_own_unit(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_plan *p, struct check_result *r)
{
	struct assign_auditor	a;
	int			rc;

	check_result_init(r, CHECK_OWN_UNIT);
	if ((rc = assign_auditor(st, txn, auditor, &a)) != STORE_OK)
		return rc;
	own_unit_judge(&a, auditor, p, 0, r);
	return STORE_OK;
}

/* ---- rotation ------------------------------------------------------------ */

static void
rotation(const char *auditor, const struct check_plan *p, int quiet,
    struct check_result *r)
{
	size_t	i;

	check_result_init(r, CHECK_ROTATION);
	r->ok = 1;
	for (i = 0; i < p->nblocked; i++)
		if (strcmp(p->blocked[i], auditor) == 0)
			r->ok = 0;
	if (quiet)
		return;
	if (r->ok) {
		check_detail(r, "did not lead the last "
		    "%d audits of %s", p->policy.rotation_max_consecutive,
		    p->auditee);
		return;
	}
	for (i = 0; i < p->nrotation; i++)
		check_evidence_add(r, "audits", p->rotation[i]);
	check_detail(r, "led the last %d audits of %s, "
	    "the most rotation.max_consecutive allows",
	    p->policy.rotation_max_consecutive, p->auditee);
}

void
check_rotation(const char *auditor, const struct check_plan *p,
    struct check_result *r)
{
	rotation(auditor, p, 0, r);
}

/* ---- availability -------------------------------------------------------- */

struct avail_walk {
	const struct check_plan	*p;
	struct check_result	*r;	/* NULL: quiet */
	char			 first[ID_MAX + 1];
	char			 audit[ID_MAX + 1];
};

static int
avail_one(const struct assign_busy *b, void *arg)
{
	struct avail_walk	*x = arg;

	/* Start order: an audit that starts after this one ends, and all
	 * after it, do not meet it. */
	if (strcmp(b->start, x->p->w.end) > 0)
		return 1;
	if (strcmp(b->end, x->p->w.start) < 0 ||
	    strcmp(b->audit, x->p->id) == 0 ||
	    (b->status != ASSIGN_PROPOSED && b->status != ASSIGN_CONFIRMED) ||
	    b->audit_status == ASSIGN_CANCELLED)
		return 0;
	if (x->first[0] == '\0') {
		memcpy(x->first, b->id, sizeof x->first);
		memcpy(x->audit, b->audit, sizeof x->audit);
	}
	if (x->r == NULL)
		return 1;	/* quiet: one assignment fails it */
	check_evidence_add(x->r, "assignments", b->id);
	return 0;
}

static void
avail_judge(const struct avail_walk *x, const struct check_plan *p,
    struct check_result *r)
{
	r->ok = x->first[0] == '\0';
	if (x->r == NULL)
		return;
	if (r->ok)
		check_detail(r, "no other assignment "
		    "from %s to %s", p->w.start, p->w.end);
	else
		check_detail(r, "already on audit %s "
		    "(%s) in that time%s", x->audit, x->first,
		    r->nevidence > 1 ? ", and more" : "");
}

int
check_availability(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_plan *p, struct check_result *r)
{
	struct avail_walk	x;
	int			rc;

	check_result_init(r, CHECK_AVAILABILITY);
	memset(&x, 0, sizeof x);
	x.p = p;
	x.r = r;
	if ((rc = assign_busy(st, txn, auditor, avail_one, &x)) != STORE_OK)
		return rc;
	avail_judge(&x, p, r);
	return STORE_OK;
}

/* ---- any member rule ----------------------------------------------------- */

int
check_member_rule(struct store *st, MDB_txn *txn, enum check_rule rule,
    const char *auditor, const struct check_plan *p, struct check_result *r)
{
	const char	*std = p->standard[0] != '\0' ? p->standard : NULL;

	switch (rule) {
	case CHECK_ACTIVE:
		return check_active(st, txn, auditor, r);
	case CHECK_QUALIFICATION:
		return check_qualification(st, txn, auditor, std, &p->w, r);
	case CHECK_LEAD_QUALIFICATION:
		return check_lead_qualification(st, txn, auditor, std, &p->w,
		    r);
	case CHECK_LEAD_EXPERIENCE:
		return check_lead_experience(st, txn, auditor, p, r);
	case CHECK_CPD:
		return check_cpd(st, txn, auditor, p->w.start, &p->policy, r);
	case CHECK_EVALUATION:
		return check_evaluation(st, txn, auditor, p->w.start,
		    &p->policy, r);
	case CHECK_INDEPENDENCE:
		return check_independence(st, txn, auditor, p, r);
	case CHECK_OWN_UNIT:
		return check_own_unit(st, txn, auditor, p, r);
	case CHECK_ROTATION:
		check_rotation(auditor, p, r);
		return STORE_OK;
	case CHECK_AVAILABILITY:
		return check_availability(st, txn, auditor, p, r);
	default:
		check_result_init(r, rule);
		return STORE_INVALID;
	}
}

/* ---- levels -------------------------------------------------------------- */

struct levels_walk {
	const struct check_plan	*p;
	int			*levels;
	char			(*evidence)[CHECK_REF_LEN];
};

static void
level_set(struct levels_walk *x, size_t i, int level, const char *coll,
    const char *id, int replace)
{
	if (!replace && x->levels[i] >= level)
		return;
	x->levels[i] = level;
	if (x->evidence != NULL)
		check_format(x->evidence[i], sizeof x->evidence[i], "%s/%s", coll,
		    id);
}

static int
levels_eval(const struct rows_eval *e, void *arg)
{
	struct levels_walk	*x = arg;
	size_t			 i, j;

	if (strcmp(e->date, x->p->w.start) > 0)
		return 1;	/* date order: none later counts */
	/* The latest evaluation that assessed an area says its level. */
	for (i = 0; i < e->nassessed; i++)
		for (j = 0; j < x->p->nneeds; j++)
			if (strcmp(e->assessed[i].area, x->p->needs[j].area) ==
			    0)
				level_set(x, j, (int)e->assessed[i].level,
				    "evaluations", e->id, 1);
	return 0;
}

static int
levels_qual(const struct rows_qual *q, void *arg)
{
	struct levels_walk	*x = arg;
	size_t			 i, j;

	if (!q->verified || !check_window_covered(&x->p->w, q->issued,
	    q->expires))
		return 0;
	for (i = 0; i < q->nareas; i++)
		for (j = 0; j < x->p->nneeds; j++)
			if (strcmp(q->areas[i], x->p->needs[j].area) == 0)
				level_set(x, j, ROWS_COMPETENT,
				    "qualifications", q->id, 0);
	return 0;
}

int
check_levels(struct store *st, MDB_txn *txn, const char *auditor,
    const struct check_plan *p, int levels[ROWS_AREAS_MAX],
    char evidence[][CHECK_REF_LEN])
{
	struct levels_walk	x = { p, levels, evidence };
	size_t			i;
	int			rc;

	for (i = 0; i < p->nneeds; i++)
		levels[i] = -1;
	if (p->nneeds == 0)
		return STORE_OK;
	if ((rc = rows_evals(st, txn, auditor, levels_eval, &x)) != STORE_OK)
		return rc;
	return rows_quals(st, txn, auditor, levels_qual, &x);
}

/* ---- over a profile ------------------------------------------------------ */

int
check_profile_rule(struct check_profile *pf, enum check_rule rule,
    const struct check_plan *p, int quiet, struct check_result *r)
{
	const char		*std = p->standard[0] != '\0' ? p->standard : NULL;
	struct exp_walk		 ex;
	struct indep_walk	 in;
	struct avail_walk	 av;
	size_t			 i;
	int			 rc;

	check_result_init(r, rule);
	switch (rule) {
	case CHECK_ACTIVE:
		if ((rc = check_profile_auditor(pf)) != STORE_OK)
			return rc;
		check_active_row(&pf->a, pf->auditor, quiet, r);
		return STORE_OK;
	case CHECK_QUALIFICATION:
	case CHECK_LEAD_QUALIFICATION:
		if ((rc = check_profile_quals(pf)) != STORE_OK)
			return rc;
		check_qualification_rows(pf->quals, pf->nquals, std,
		    rule == CHECK_LEAD_QUALIFICATION, &p->w, quiet, r);
		return STORE_OK;
	case CHECK_LEAD_EXPERIENCE:
		if ((rc = check_profile_busy(pf)) != STORE_OK)
			return rc;
		ex.p = p;
		ex.r = quiet ? NULL : r;
		ex.count = 0;
		for (i = 0; i < pf->nbusy; i++)
			if (exp_one(&pf->busy[i], &ex) != 0)
				break;
		exp_judge(&ex, p, r);
		return STORE_OK;
	case CHECK_CPD:
		if (quiet)
			return check_profile_cpd_ok(pf, p, r);
		rc = check_cpd_judge(pf->st, pf->txn, pf->auditor, p->w.start,
		    &p->policy, 0, r, &pf->cpd_w, &pf->cpd_sum);
		if (rc == STORE_OK)
			pf->loaded |= PROFILE_CPD;
		return rc;
	case CHECK_EVALUATION:
		if ((rc = check_profile_evals(pf)) != STORE_OK)
			return rc;
		check_evaluation_rows(pf->evals, pf->nevals, p->w.start,
		    &p->policy, quiet, r);
		return STORE_OK;
	case CHECK_INDEPENDENCE:
		if ((rc = check_profile_decls(pf)) != STORE_OK)
			return rc;
		memset(&in, 0, sizeof in);
		in.p = p;
		in.r = quiet ? NULL : r;
		for (i = 0; i < pf->ndecls; i++)
			if (indep_one(&pf->decls[i], &in) != 0)
				break;
		indep_judge(&in, p, r);
		return STORE_OK;
	case CHECK_OWN_UNIT:
		if ((rc = check_profile_auditor(pf)) != STORE_OK)
			return rc;
		own_unit_judge(&pf->a, pf->auditor, p, quiet, r);
		return STORE_OK;
	case CHECK_ROTATION:
		rotation(pf->auditor, p, quiet, r);
		return STORE_OK;
	case CHECK_AVAILABILITY:
		if ((rc = check_profile_busy(pf)) != STORE_OK)
			return rc;
		memset(&av, 0, sizeof av);
		av.p = p;
		av.r = quiet ? NULL : r;
		for (i = 0; i < pf->nbusy; i++)
			if (avail_one(&pf->busy[i], &av) != 0)
				break;
		avail_judge(&av, p, r);
		return STORE_OK;
	default:
		return STORE_INVALID;
	}
}

int
check_profile_levels(struct check_profile *pf, const struct check_plan *p,
    int levels[ROWS_AREAS_MAX], char evidence[][CHECK_REF_LEN])
{
	struct levels_walk	x = { p, levels, evidence };
	size_t			i;
	int			rc;

	for (i = 0; i < p->nneeds; i++)
		levels[i] = -1;
	if (p->nneeds == 0)
		return STORE_OK;
	if ((rc = check_profile_evals(pf)) != STORE_OK)
		return rc;
	for (i = 0; i < pf->nevals; i++)
		if (levels_eval(&pf->evals[i], &x) != 0)
			break;
	if ((rc = check_profile_quals(pf)) != STORE_OK)
		return rc;
	for (i = 0; i < pf->nquals; i++)
		if (levels_qual(&pf->quals[i], &x) != 0)
			break;
	return STORE_OK;
}
