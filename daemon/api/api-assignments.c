/*
 * api-assignments.c: /v1/assignments, auditors on audit teams. Special:
 * status defaults to proposed; an auditor is on an audit's team once
 * (withdrawn assignments aside); becoming confirmed runs the team check
 * for the team as it would then stand and is refused with 409 and the
 * verdict unless a manager or admin gives an override reason, which is
 * completed with who and when and kept on the record (and so in the change
 * log); completed needs the audit reported or closed. The rows the team
 * rules read (check/assign.h) are kept by the derive hook.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/records.h"
#include "check/team.h"

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

/* 1 if doc carries an override old did not. */
static int
new_override(const json_t *old, const json_t *doc)
{
	const json_t	*o = json_object_get(doc, "override");

	if (o == NULL)
		return 0;
	return old == NULL || !json_equal(o, json_object_get(old, "override"));
}

static void
assignments_prepare(json_t *doc, struct prep *p)
{
	json_t	*o;
	char	 now[32];

	if (doc == NULL)
		return;
	if (p->old == NULL && json_object_get(doc, "status") == NULL)
		json_object_set_new(doc, "status", json_string("proposed"));
	if (!new_override(p->old, doc))
		return;
	if (p->who->role != ROLE_ADMIN && p->who->role != ROLE_MANAGER) {
		snprintf(p->forbidden, sizeof p->forbidden, "only a manager or "
		    "an admin may override a failed team check");
		return;
	}
	o = json_object_get(doc, "override");
	if (!json_is_object(o))
		return;		/* the schema says why */
	if (strcmp(str(doc, "status") != NULL ? str(doc, "status") : "",
	    "confirmed") != 0) {
		prep_error(p, "/override", "is given only with status "
		    "confirmed");
		return;
	}
	/* Who and when are the server's to say. */
	util_now_rfc3339(now, sizeof now);
	json_object_set_new(o, "by", json_string(p->who->id));
	json_object_set_new(o, "at", json_string(now));
}

/* 1 if field k of old and doc differ. */
static int
moved(const json_t *old, const json_t *doc, const char *k)
{
	const char	*a = str(old, k), *b = str(doc, k);

	return a == NULL || b == NULL || strcmp(a, b) != 0;
}

struct dup_walk {
	const char	*id, *auditor;
	char		 other[ID_MAX + 1];
};

static int
dup_one(const struct assign_member *m, void *arg)
{
	struct dup_walk	*d = arg;

	if (m->status == ASSIGN_WITHDRAWN || strcmp(m->id, d->id) == 0 ||
	    strcmp(m->auditor, d->auditor) != 0)
		return 0;
	snprintf(d->other, sizeof d->other, "%s", m->id);
	return 1;
}

static int
refuse(struct refusal *ref, int status, const char *slug, json_t *members,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
refuse(struct refusal *ref, int status, const char *slug, json_t *members,
    const char *fmt, ...)
{
	va_list	ap;

	ref->status = status;
	snprintf(ref->slug, sizeof ref->slug, "%s", slug);
	va_start(ap, fmt);
	vsnprintf(ref->detail, sizeof ref->detail, fmt, ap);
	va_end(ap);
	ref->members = members;
	return STORE_INVALID;
}

/* The team check for the team as it would stand with doc in it. */
static int
confirm_gate(struct store *st, MDB_txn *txn, const char *id,
    const json_t *old, json_t *doc, const struct prep *p,
    struct refusal *ref)
{
	struct check_member	 team[CHECK_TEAM_MAX];
	struct check_verdict	 v;
	struct check_plan	*plan;
	const char		*audit = str(doc, "audit");
	size_t			 n;
	int			 rc, role;
	json_t			*verdict;

	if ((plan = malloc(sizeof *plan)) == NULL)
		return STORE_IO;
	/* An unknown audit or auditor: the store answers the reference. */
	if ((rc = check_plan_load(st, txn, audit, plan)) != STORE_OK ||
	    (rc = check_team_of(st, txn, audit, id, team, &n)) != STORE_OK)
		goto done;
	if (n == CHECK_TEAM_MAX) {
		rc = refuse(ref, 409, "conflict", NULL, "audit %s has %d "
		    "members already", audit, CHECK_TEAM_MAX);
		goto done;
	}
	snprintf(team[n].auditor, sizeof team[n].auditor, "%s",
	    str(doc, "auditor"));
	role = assign_role_parse(str(doc, "role"));
	team[n++].role = role < 0 ? ASSIGN_OBSERVER : (enum assign_role)role;
	if ((rc = check_team(st, txn, plan, team, n, &v)) != STORE_OK) {
		check_verdict_free(&v);
		goto done;
	}
	if (v.compliant) {
		/* Kept only on a confirmation that needed it. */
		if (new_override(old, doc))
			json_object_del(doc, "override");
	} else if (!new_override(old, doc)) {
		verdict = check_verdict_json(plan, &v, p->today);
		rc = refuse(ref, 409, "check-failed", verdict != NULL ?
		    json_pack("{s:o}", "verdict", verdict) : NULL, "the team "
		    "check of audit %s fails with %s on it as %s; a manager "
		    "may confirm with an override reason", audit,
		    str(doc, "auditor"), str(doc, "role"));
	}
	check_verdict_free(&v);
done:
	free(plan);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static int
assignments_gate(struct store_txn *t, const char *id, const json_t *old,
    json_t *doc, const struct prep *p, struct refusal *ref)
{
	struct dup_walk	 d;
	struct store	*st;
	MDB_txn		*txn;
	json_t		*audit;
	const char	*status = str(doc, "status"), *as;
	int		 rc, changed;

	store_txn_view(t, &st, &txn);
	memset(&d, 0, sizeof d);
	d.id = id;
	d.auditor = str(doc, "auditor");
	if (strcmp(status, "withdrawn") != 0 &&
	    (rc = assign_team(st, txn, str(doc, "audit"), dup_one, &d)) !=
	    STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	if (d.other[0] != '\0')
		return refuse(ref, 409, "conflict", NULL, "%s is on audit %s's "
		    "team already (assignments/%s)", d.auditor,
		    str(doc, "audit"), d.other);
	changed = old == NULL || moved(old, doc, "status") ||
	    moved(old, doc, "audit") || moved(old, doc, "auditor") ||
	    moved(old, doc, "role");
	if (strcmp(status, "completed") == 0 && changed) {
		if ((rc = store_txn_get(t, "audits", str(doc, "audit"),
		    &audit)) != STORE_OK)
			/* The store answers a bad reference. */
			return rc == STORE_NOTFOUND ? STORE_OK : rc;
		as = str(audit, "status");
		if (as == NULL || (strcmp(as, "reported") != 0 &&
		    strcmp(as, "closed") != 0))
			rc = refuse(ref, 409, "conflict", NULL, "an assignment "
			    "is completed only on a reported or closed audit; "
			    "%s is %s", str(doc, "audit"), as != NULL ? as :
			    "unknown");
		json_decref(audit);
		return rc;
	}
	if (strcmp(status, "confirmed") == 0 &&
	    (changed || new_override(old, doc)))
		return confirm_gate(st, txn, id, old, doc, p, ref);
	return STORE_OK;
}

static const struct store_ref assignments_refs[] = {
	{ .field = "audit", .target = "audits" },
	{ .field = "auditor", .target = "auditors" },
};

const struct resource resource_assignments = {
	.name = "assignments",
	.schema = "assignment",
	.owner = "auditor",
	.refs = assignments_refs,
	.nrefs = NELEM(assignments_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, ALL, DENY, DENY, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = assignments_prepare,
	.gate = assignments_gate,
	.derive = assign_derive_assignment,
};
