/*
 * api-trainings.c: /v1/trainings, the trainings an auditor took and their
 * hours; verified CPD hours count toward continuing professional
 * development. Special: an auditor records their own (unverified); HR
 * verifies (verify.c); hours have at most two decimals; cpd defaults to
 * true; the CPD rows (check/rows.c).
 */
#include <math.h>

#include "api/records.h"
#include "api/verify.h"
#include "check/rows.h"

static void
trainings_prepare(json_t *doc, struct prep *p)
{
	const json_t	*h;
	double		 v, k;

	verify_prepare(doc, p);
	if (doc == NULL || p->forbidden[0] != '\0')
		return;
	if (json_object_get(doc, "cpd") == NULL)
		json_object_set_new(doc, "cpd", json_true());
	/*
	 * Hours are kept as hundredths: a third decimal would be lost. A
	 * double cannot hold 7.35 (it is 7.3499999...), but the double
	 * nearest to a whole number of hundredths k is exactly k / 100
	 * (IEEE division rounds correctly), so the test is exact: a value
	 * that is not was sent with a decimal past the hundredths (even
	 * 7.3500000001), and is refused, never rounded. Beyond 2^52
	 * hundredths it is far over the schema's maximum, which says so.
	 */
	h = json_object_get(doc, "hours");
	if (json_is_number(h)) {
		v = json_number_value(h);
		k = nearbyint(v * 100);
		if (fabs(k) < 0x1p52 && k / 100 != v)
			prep_error(p, "/hours", "has more than two decimals");
	}
}

static const struct route trainings_routes[] = {
	{ EVHTTP_REQ_POST, "{id}/verify", ACCESS_WRITE, OWNER_RECORD,
	    verify_action, &verify_grants },
};

static const struct store_ref trainings_refs[] = {
	{ .field = "auditor", .target = "auditors" },
	{ .field = "areas", .array = 1, .target = "areas" },
};

const struct resource resource_trainings = {
	.name = "trainings",
	.schema = "training",
	.owner = "auditor",
	.date = "date",
	.refs = trainings_refs,
	.nrefs = NELEM(trainings_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, DENY, ALL, OWN, DENY),
	},
	.verbs = VERBS_ALL,
	.routes = trainings_routes,
	.nroutes = NELEM(trainings_routes),
	.prepare = trainings_prepare,
	.derive = rows_derive_training,
};
