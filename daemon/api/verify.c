/*
 * verify.c: the verification rule qualifications and trainings share (see
 * verify.h).
 */
#include <stdio.h>
#include <string.h>

#include "api/records.h"
#include "api/verify.h"

const struct grants verify_grants = {
	.read = SCOPES(ALL, DENY, ALL, DENY, DENY),
	.write = SCOPES(ALL, DENY, ALL, DENY, DENY),
};

static int
is_verified(const json_t *d)
{
	return d != NULL && json_is_true(json_object_get(d, "verified"));
}

/* Role auditor on their own record: never verified, never verifying. */
static void
verify_own(json_t *doc, struct prep *p)
{
	static const char *const	server[] = { "verified_by",
					    "verified_on" };
	size_t				i;

	if (is_verified(p->old)) {
		snprintf(p->forbidden, sizeof p->forbidden, "a verified record "
		    "is changed by HR only");
		return;
	}
	if (doc == NULL)
		return;
	if (is_verified(doc)) {
		snprintf(p->forbidden, sizeof p->forbidden, "only HR may set "
		    "verified");
		return;
	}
	for (i = 0; i < sizeof server / sizeof server[0]; i++)
		if (json_object_get(doc, server[i]) != NULL) {
			snprintf(p->forbidden, sizeof p->forbidden, "%s is set "
			    "by the server when HR verifies", server[i]);
			return;
		}
	json_object_set_new(doc, "verified", json_false());
}

void
verify_prepare(json_t *doc, struct prep *p)
{
	const json_t	*v;

	if (p->scope == SCOPE_OWN) {
		verify_own(doc, p);
		return;
	}
	if (doc == NULL)
		return;
	if ((v = json_object_get(doc, "verified")) == NULL) {
		json_object_set_new(doc, "verified", json_false());
		v = json_false();
	}
	if (!json_is_true(v)) {
		json_object_del(doc, "verified_by");
		json_object_del(doc, "verified_on");
		return;
	}
	/* Still verified: who verified it and when stay as they were. */
	if (is_verified(p->old)) {
		json_object_set(doc, "verified_by",
		    json_object_get(p->old, "verified_by"));
		json_object_set(doc, "verified_on",
		    json_object_get(p->old, "verified_on"));
		return;
	}
	json_object_set_new(doc, "verified_by", json_string(p->who->id));
	json_object_set_new(doc, "verified_on", json_string(p->today));
}

void
verify_action(struct call *c)
{
	records_action(c, "{\"verified\":true}");
}
