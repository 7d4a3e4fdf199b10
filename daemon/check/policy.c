/*
 * policy.c: the default competence policy and its JSON form (see
 * policy.h).
 */
#include <math.h>

#include "check/policy.h"

void
policy_default(struct policy *p)
{
	p->cpd_window_months = 12;
	p->cpd_min_hours_x100 = 2000;
	p->evaluation_max_age_months = 12;
	p->lead_min_audits = 3;
	p->rotation_max_consecutive = 3;
	p->cooling_off_months[ROWS_EMPLOYMENT] = 24;
	p->cooling_off_months[ROWS_CONSULTANCY] = 24;
	p->cooling_off_months[ROWS_FINANCIAL] = 0;
	p->cooling_off_months[ROWS_FAMILY] = 0;
	p->cooling_off_months[ROWS_PROCESS_OWNER] = 0;
	p->cooling_off_months[ROWS_OTHER_INTEREST] = 0;
	p->warn_expiry_days = 90;
	p->systemic_minor_count = 3;
}

json_t *
policy_json(const struct policy *p)
{
	json_t	*cool, *j;
	int	 k;

	if ((cool = json_object()) == NULL)
		return NULL;
	for (k = 0; k <= ROWS_OTHER_INTEREST; k++)
		json_object_set_new(cool, rows_decl_kind_name(
		    (enum rows_decl_kind)k), json_integer(
		    p->cooling_off_months[k]));
	j = json_pack("{s:{s:i, s:f}, s:{s:i}, s:{s:i}, s:{s:i}, s:o, "
	    "s:{s:i}, s:{s:i}}",
	    "cpd", "window_months", p->cpd_window_months, "min_hours",
	    p->cpd_min_hours_x100 / 100.0,
	    "evaluation", "max_age_months", p->evaluation_max_age_months,
	    "lead", "min_audits", p->lead_min_audits,
	    "rotation", "max_consecutive", p->rotation_max_consecutive,
	    "cooling_off_months", cool,
	    "warn", "expiry_days", p->warn_expiry_days,
	    "systemic", "minor_count", p->systemic_minor_count);
	return j;
}

/* o.k, if it is an integer, into *v. */
static void
take_int(const json_t *o, const char *k, int *v)
{
	const json_t	*x = json_object_get(o, k);

	if (json_is_integer(x))
		*v = (int)json_integer_value(x);
}

void
policy_apply(struct policy *p, const json_t *o)
{
	const json_t	*cpd, *h, *cool;
	int		 k;

	if (!json_is_object(o))
		return;
	cpd = json_object_get(o, "cpd");
	take_int(cpd, "window_months", &p->cpd_window_months);
	h = json_object_get(cpd, "min_hours");
	if (json_is_number(h))
		p->cpd_min_hours_x100 = (int)llround(json_number_value(h) * 100);
	take_int(json_object_get(o, "evaluation"), "max_age_months",
	    &p->evaluation_max_age_months);
	take_int(json_object_get(o, "lead"), "min_audits", &p->lead_min_audits);
	take_int(json_object_get(o, "rotation"), "max_consecutive",
	    &p->rotation_max_consecutive);
	cool = json_object_get(o, "cooling_off_months");
	for (k = 0; k <= ROWS_OTHER_INTEREST; k++)
		take_int(cool, rows_decl_kind_name((enum rows_decl_kind)k),
		    &p->cooling_off_months[k]);
	take_int(json_object_get(o, "warn"), "expiry_days",
	    &p->warn_expiry_days);
	take_int(json_object_get(o, "systemic"), "minor_count",
	    &p->systemic_minor_count);
}
