/*
 * api-areas.c: /v1/areas, the catalogue of competence areas that
 * qualifications, trainings, evaluations and audit plans refer to. A fresh
 * store is seeded with the ISMS knowledge areas of ISO/IEC 27006.
 * Special: the seed.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "api/records.h"

const struct resource resource_areas = {
	.name = "areas",
	.schema = "area",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, ALL, ALL),
		.write = SCOPES(ALL, DENY, ALL, DENY, DENY),
	},
	.verbs = VERBS_ALL,
};

/* The knowledge ISO/IEC 27006 (7.1.2) asks of an ISMS audit team. */
static const struct {
	const char	*id;
	const char	*title;
} seed[] = {
	{ "infosec-terminology", "Information security management "
	    "terminology, principles, practices and techniques" },
	{ "isms-standards", "ISMS standards and normative documents "
	    "(ISO/IEC 27001, ISO/IEC 27002)" },
	{ "risk-management", "Information security risk assessment and "
	    "treatment" },
	{ "security-controls", "Information security controls and their "
	    "implementation" },
	{ "legislation", "Legal, regulatory and contractual requirements for "
	    "information security" },
	{ "business-management", "Business management practices" },
	{ "client-sector", "The client's business sector" },
	{ "client-organisation", "The client's products, processes and "
	    "organisation" },
	{ "audit-principles", "Audit principles, practices and techniques "
	    "(ISO 19011, ISO/IEC 27007)" },
	{ "performance-evaluation", "Monitoring, measurement, analysis and "
	    "evaluation of an ISMS" },
};

static int
seed_apply(struct store_txn *t, void *arg)
{
	struct store_err	 err;
	json_t			*doc;
	size_t			 i;
	int			 rc;

	(void)arg;
	for (i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		doc = json_pack("{s:s, s:s}", "title", seed[i].title, "kind",
		    "knowledge");
		if (doc == NULL)
			return STORE_IO;
		rc = store_txn_put(t, "areas", seed[i].id, doc,
		    STORE_REV_CREATE, NULL, NULL, &err);
		json_decref(doc);
		if (rc != 0) {
			log_warnx("seeding area %s: %s %s", seed[i].id,
			    store_strerror(rc), err.message);
			return rc;
		}
	}
	return STORE_OK;
}

int
areas_seed(struct store *st)
{
	return store_write(st, seed_apply, NULL, "system");
}
