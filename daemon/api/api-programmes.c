/*
 * api-programmes.c: /v1/programmes, audit programmes: their period,
 * objectives, risks, resources and the competence policy their audits are
 * judged by. Special: status defaults to planned; period.to is not before
 * period.from; the policy's cpd.min_hours has at most two decimals (the
 * rules keep it in hundredths, check/policy.h).
 */
#include <math.h>
#include <string.h>

#include "api/records.h"
#include "check/plans.h"

static void
programmes_prepare(json_t *doc, struct prep *p)
{
	const json_t	*period, *h;
	const char	*from, *to;
	double		 v, k;

	if (doc == NULL)
		return;
	if (p->old == NULL && json_object_get(doc, "status") == NULL)
		json_object_set_new(doc, "status", json_string("planned"));
	period = json_object_get(doc, "period");
	from = json_string_value(json_object_get(period, "from"));
	to = json_string_value(json_object_get(period, "to"));
	if (from != NULL && to != NULL && util_date_valid(from) &&
	    util_date_valid(to) && strcmp(to, from) < 0)
		prep_error(p, "/period/to", "is before period.from");
	/* Exact for the same reason as a training's hours (api-trainings.c). */
	h = json_object_get(json_object_get(json_object_get(doc, "policy"),
	    "cpd"), "min_hours");
	if (json_is_number(h)) {
		v = json_number_value(h);
		k = nearbyint(v * 100);
		if (fabs(k) < 0x1p52 && k / 100 != v)
			prep_error(p, "/policy/cpd/min_hours",
			    "has more than two decimals");
	}
}

const struct resource resource_programmes = {
	.name = "programmes",
	.schema = "programme",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, DENY, ALL),
		.write = SCOPES(ALL, ALL, DENY, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = programmes_prepare,
	.derive = plans_derive_programme,
};
