/*
 * api-actions.c: /v1/actions, the corrective actions on a nonconformity.
 * Special: status defaults to open; the finding is a nonconformity; the
 * gate holds the transitions open -> implemented -> verified_effective or
 * not_effective -> closed (every other change of status is 409), with
 * what each needs (implementation; a verification by someone other than
 * the owner); implemented_on defaults to the day it became implemented.
 * An action found not_effective gets a follow-up in the same change: a new
 * open action on the same finding, with the same owner, texts and due,
 * whose follows names it; the answer names it in a Link header. Actions
 * are shared with the team of their finding's audit (via finding); role
 * auditor reads them and changes none.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/findings.h"
#include "api/records.h"
#include "api/router.h"

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

/* 1 if s is one of the NULL-terminated list. */
static int
one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *const from_implemented[] = { "implemented",
    "verified_effective", "not_effective", "closed", NULL };
static const char *const verified[] = { "verified_effective",
    "not_effective", "closed", NULL };

static void
actions_prepare(json_t *doc, struct prep *p)
{
	const char	*s, *os;
	const json_t	*f, *of;

	if (doc == NULL)
		return;
	if (p->old == NULL && json_object_get(doc, "status") == NULL)
		json_object_set_new(doc, "status", json_string("open"));
	s = str(doc, "status");
	os = p->old != NULL ? str(p->old, "status") : NULL;
	if (s != NULL && strcmp(s, "implemented") == 0 && (os == NULL ||
	    strcmp(os, "implemented") != 0) &&
	    json_object_get(doc, "implemented_on") == NULL)
		json_object_set_new(doc, "implemented_on",
		    json_string(p->today));
	f = json_object_get(doc, "follows");
	of = p->old != NULL ? json_object_get(p->old, "follows") : NULL;
	if ((f != NULL || of != NULL) && (f == NULL || of == NULL ||
	    !json_equal(f, of)))
		prep_error(p, "/follows", "is set by the daemon on the "
		    "follow-up of an action found not effective");
}

/* The changes of status an action may make. */
static const struct {
	const char	*from, *to;
} transitions[] = {
	{ "open", "implemented" },
	{ "implemented", "verified_effective" },
	{ "implemented", "not_effective" },
	{ "verified_effective", "closed" },
	{ "not_effective", "closed" },
};

static int
transition_ok(const char *from, const char *to)
{
	size_t	i;

	for (i = 0; i < NELEM(transitions); i++)
		if (strcmp(transitions[i].from, from) == 0 &&
		    strcmp(transitions[i].to, to) == 0)
			return 1;
	return 0;
}

static int
refuse(struct refusal *ref, const char *detail)
{
	ref->status = 409;
	snprintf(ref->slug, sizeof ref->slug, "conflict");
	snprintf(ref->detail, sizeof ref->detail, "%s", detail);
	return STORE_INVALID;
}

/* A 422 the gate finds: p->errors is the change's, whatever p's const. */
static void
gate_error(const struct prep *p, const char *path, const char *message)
{
	json_array_append_new(p->errors, json_pack("{s:s, s:s}", "path", path,
	    "message", message));
}

/* The finding must be a nonconformity; the store answers a missing one. */
static int
finding_gate(struct store_txn *t, const json_t *doc, const struct prep *p)
{
	json_t	*f;
	int	 rc;

	if ((rc = store_txn_get(t, "findings", str(doc, "finding"), &f)) !=
	    STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	if (!findings_nonconformity(str(f, "type")))
		gate_error(p, "/finding",
		    "is not a nonconformity (major_nc or minor_nc): only a "
		    "nonconformity takes corrective actions");
	json_decref(f);
	return STORE_OK;
}

/* What each status needs: the 422s, in p->errors. */
static void
needs(const json_t *doc, const struct prep *p)
{
	const char	*s = str(doc, "status"), *by, *owner;
	const json_t	*v = json_object_get(doc, "verification");

	if (one_of(s, from_implemented) &&
	    json_object_get(doc, "implementation") == NULL)
		gate_error(p, "/implementation", "is needed from implemented "
		    "on: what was done");
	if (one_of(s, verified) && v == NULL)
		gate_error(p, "/verification", "is needed for "
		    "verified_effective and not_effective: by, date, result "
		    "and evidence");
	by = str(v, "by");
	owner = str(doc, "owner");
	if (by != NULL && owner != NULL && strcasecmp(by, owner) == 0)
		gate_error(p, "/verification/by", "is the action's owner: "
		    "effectiveness is verified by someone else");
}

/* The open action that follows up action id (doc), found not effective. */
static int
follow_up(struct store_txn *t, const char *id, const json_t *doc,
    const struct prep *p)
{
	static const char *const copied[] = { "finding", "owner", "due",
	    "correction", "root_cause", "action", NULL };
	const struct resource	*res = router_resource("actions");
	const char *const	*k;
	struct store_err	 err;
	json_t			*n, *v;
	char			 nid[ID_MAX + 1], now[32];

	if ((n = json_object()) == NULL)
		return STORE_IO;
	for (k = copied; *k != NULL; k++)
		if ((v = json_object_get(doc, *k)) != NULL)
			json_object_set(n, *k, v);
	json_object_set_new(n, "status", json_string("open"));
	json_object_set_new(n, "follows", json_string(id));
	util_id_random(nid);
	json_object_set_new(n, "id", json_string(nid));
	json_object_set_new(n, "rev", json_integer(1));
	util_now_rfc3339(now, sizeof now);
	json_object_set_new(n, "created", json_string(now));
	json_object_set_new(n, "updated", json_string(now));
	memcpy(p->made, nid, sizeof nid);
	return records_store_new(t, res, nid, n, &err);
}

static int
actions_gate(struct store_txn *t, const char *id, const json_t *old,
    json_t *doc, const struct prep *p, struct refusal *ref)
{
	const char	*s = str(doc, "status");
	const char	*os = old != NULL ? str(old, "status") : NULL;
	const char	*of = old != NULL ? str(old, "finding") : NULL;
	char		 detail[256];
	int		 rc;

	if (old == NULL && strcmp(s, "open") != 0) {
		snprintf(detail, sizeof detail, "an action is created open, "
		    "not %s; its status then goes open -> implemented -> "
		    "verified_effective or not_effective -> closed", s);
		return refuse(ref, detail);
	}
	if (os != NULL && strcmp(os, s) != 0 && !transition_ok(os, s)) {
		snprintf(detail, sizeof detail, "an action does not go from "
		    "%s to %s; its status goes open -> implemented -> "
		    "verified_effective or not_effective -> closed", os, s);
		return refuse(ref, detail);
	}
	if ((of == NULL || strcmp(of, str(doc, "finding")) != 0) &&
	    (rc = finding_gate(t, doc, p)) != STORE_OK)
		return rc;
	needs(doc, p);
	if (json_array_size(p->errors) > 0)
		return STORE_INVALID;
	if (strcmp(s, "not_effective") == 0 && os != NULL &&
	    strcmp(os, "not_effective") != 0)
		return follow_up(t, id, doc, p);
	return STORE_OK;
}

static const struct store_ref actions_refs[] = {
	{ .field = "finding", .target = "findings" },
	{ .field = "follows", .target = "actions" },
};

const struct resource resource_actions = {
	.name = "actions",
	.schema = "action",
	.via = "finding",
	.date = "due",
	.refs = actions_refs,
	.nrefs = NELEM(actions_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, ALL, DENY, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = actions_prepare,
	.gate = actions_gate,
};
