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

void
policy_write(struct jw *w, const struct policy *p)
{
	/* Keys sorted at each level, as the canonical form has them. */
	static const int	order[] = { ROWS_CONSULTANCY, ROWS_EMPLOYMENT,
				    ROWS_FAMILY, ROWS_FINANCIAL,
				    ROWS_OTHER_INTEREST, ROWS_PROCESS_OWNER };
	size_t			i;

	jw_open(w, '{');
	jw_key(w, "cooling_off_months");
	jw_open(w, '{');
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		jw_key(w, rows_decl_kind_name((enum rows_decl_kind)order[i]));
		jw_int(w, p->cooling_off_months[order[i]]);
	}
	jw_close(w, '}');
	jw_key(w, "cpd");
	jw_open(w, '{');
	jw_key(w, "min_hours");
	jw_hours(w, (uint64_t)p->cpd_min_hours_x100);
	jw_key(w, "window_months");
	jw_int(w, p->cpd_window_months);
	jw_close(w, '}');
	jw_key(w, "evaluation");
	jw_open(w, '{');
	jw_key(w, "max_age_months");
	jw_int(w, p->evaluation_max_age_months);
	jw_close(w, '}');
	jw_key(w, "lead");
	jw_open(w, '{');
	jw_key(w, "min_audits");
	jw_int(w, p->lead_min_audits);
	jw_close(w, '}');
	jw_key(w, "rotation");
	jw_open(w, '{');
	jw_key(w, "max_consecutive");
	jw_int(w, p->rotation_max_consecutive);
	jw_close(w, '}');
	jw_key(w, "systemic");
	jw_open(w, '{');
	jw_key(w, "minor_count");
	jw_int(w, p->systemic_minor_count);
	jw_close(w, '}');
	jw_key(w, "warn");
	jw_open(w, '{');
	jw_key(w, "expiry_days");
	jw_int(w, p->warn_expiry_days);
	jw_close(w, '}');
	jw_close(w, '}');
}
