/*
 * policy.h: the competence policy the rules judge by. The defaults are the
 * programme-independent ones; a programme's policy overrides them field by
 * field (its JSON nests at each dot: {"cpd": {"min_hours": 30}}).
 */
#ifndef POLICY_H
#define POLICY_H

#include <jansson.h>

#include "check/rows.h"
#include "jw.h"

#define POLICY_DUE_DAYS		60	/* an evaluation is "due" this close */

struct policy {
	int	cpd_window_months;		/* cpd.window_months */
	int	cpd_min_hours_x100;		/* cpd.min_hours, in hundredths */
	int	evaluation_max_age_months;	/* evaluation.max_age_months */
	int	lead_min_audits;		/* lead.min_audits */
	int	rotation_max_consecutive;	/* rotation.max_consecutive */
	int	cooling_off_months[ROWS_OTHER_INTEREST + 1];	/* by kind */
	int	warn_expiry_days;		/* warn.expiry_days */
	int	systemic_minor_count;		/* systemic.minor_count */
};

/* The default policy. */
void	policy_default(struct policy *);

/*
 * Override p field by field with a programme's policy o (valid against
 * policy.schema.json; a member left out keeps p's value).
 */
void	policy_apply(struct policy *p, const json_t *o);

/*
 * The policy as JSON, nested at each dot as a programme would write it,
 * every member present: written to w, keys sorted.
 */
void	policy_write(struct jw *w, const struct policy *);

#endif
