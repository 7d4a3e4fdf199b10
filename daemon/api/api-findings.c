/*
 * api-findings.c: /v1/findings, what an audit found: a nonconformity
 * (major_nc, minor_nc), an observation, an opportunity for improvement or
 * good practice, against one criterion, with its evidence. Special:
 * status defaults to open, date to today and auditor to the caller's own
 * auditor (role auditor); a nonconformity rests on one
 * evidence item at least; it is closed only when every corrective action
 * on it (api-actions.c) is verified_effective or closed and one at least
 * was effective. Findings are shared with their audit's team (via audit):
 * role auditor reads those of the audits it is on and records findings on
 * them as itself; another audit's findings are not there for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/findings.h"
#include "api/records.h"

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

int
findings_nonconformity(const char *type)
{
	return type != NULL && (strcmp(type, "major_nc") == 0 ||
	    strcmp(type, "minor_nc") == 0);
}

static void
findings_prepare(json_t *doc, struct prep *p)
{
	if (doc == NULL)
		return;
	if (p->old == NULL) {
		/* Role auditor records its own: it need not say who. */
		if (json_object_get(doc, "auditor") == NULL &&
		    p->who->auditor[0] != '\0')
			json_object_set_new(doc, "auditor",
			    json_string(p->who->auditor));
		if (json_object_get(doc, "status") == NULL)
			json_object_set_new(doc, "status",
			    json_string("open"));
		if (json_object_get(doc, "date") == NULL)
			json_object_set_new(doc, "date",
			    json_string(p->today));
	}
	if (findings_nonconformity(str(doc, "type")) &&
	    json_array_size(json_object_get(doc, "evidence")) == 0)
		prep_error(p, "/evidence", "a nonconformity needs one "
		    "evidence item at least");
}

/*
 * The actions on a finding as its closure judges them: those still in
 * the way, and whether one was effective. An action some other action
 * follows was found not effective, whatever became of it since.
 */
struct close_walk {
	char	 blockers[400];
	size_t	 nblockers, nactions;
	char	 (*ids)[ID_MAX + 1];	/* every action's id */
	char	 (*follows)[ID_MAX + 1];	/* and what it follows ("") */
	char	 (*status)[24];
	size_t	 max;
	int	 bad;
};

static int
close_one(const char *id, const MDB_val *doc, void *arg)
{
	struct close_walk	*w = arg;
	json_t			*d;
	const char		*s, *f;
	size_t			 n;

	if (w->nactions == w->max) {
		w->bad = 1;
		return -1;
	}
	if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL) {
		w->bad = 1;
		return -1;
	}
	s = str(d, "status");
	f = str(d, "follows");
	n = w->nactions++;
	snprintf(w->ids[n], sizeof w->ids[n], "%s", id);
	snprintf(w->status[n], sizeof w->status[n], "%s", s != NULL ? s : "");
	snprintf(w->follows[n], sizeof w->follows[n], "%s", f != NULL ? f :
	    "");
	json_decref(d);
	return 1;
}

#define CLOSE_ACTIONS_MAX	1000

/* Refuse closing finding id unless its actions allow it. */
static int
close_gate(struct store *st, MDB_txn *txn, const char *id,
    struct refusal *ref)
{
	struct close_walk	 w;
	char			 next[ID_MAX + 1];
	size_t			 i, j, len;
	int			 rc, effective = 0, followed;

	memset(&w, 0, sizeof w);
	w.max = CLOSE_ACTIONS_MAX;
	w.ids = calloc(w.max, sizeof *w.ids);
	w.follows = calloc(w.max, sizeof *w.follows);
	w.status = calloc(w.max, sizeof *w.status);
	rc = STORE_IO;
	if (w.ids == NULL || w.follows == NULL || w.status == NULL)
		goto done;
	rc = store_list_by(st, txn, "actions", "finding", id, NULL, 0,
	    close_one, &w, next);
	if (rc == STORE_OK && w.bad)
		rc = STORE_IO;
	if (rc != STORE_OK)
		goto done;
	for (i = 0; i < w.nactions; i++) {
		if (strcmp(w.status[i], "verified_effective") == 0) {
			effective = 1;
			continue;
		}
		if (strcmp(w.status[i], "closed") == 0) {
			for (followed = 0, j = 0; j < w.nactions; j++)
				if (strcmp(w.follows[j], w.ids[i]) == 0)
					followed = 1;
			if (!followed)
				effective = 1;
			continue;
		}
		/* The first few by name; the count says the rest. */
		if (w.nblockers++ < 8) {
			len = strlen(w.blockers);
			snprintf(w.blockers + len, sizeof w.blockers - len,
			    "%sactions/%s is %s", len > 0 ? ", " : "",
			    w.ids[i], w.status[i]);
		}
	}
	if (w.nblockers > 8) {
		len = strlen(w.blockers);
		snprintf(w.blockers + len, sizeof w.blockers - len,
		    " and %zu more", w.nblockers - 8);
	}
	ref->status = 409;
	snprintf(ref->slug, sizeof ref->slug, "conflict");
	if (w.nblockers > 0)
		snprintf(ref->detail, sizeof ref->detail, "nonconformity %s "
		    "is closed only when every corrective action on it is "
		    "verified_effective or closed: %s", id, w.blockers);
	else if (!effective)
		snprintf(ref->detail, sizeof ref->detail, "nonconformity %s "
		    "is closed only when a corrective action on it was "
		    "verified effective; %s", id, w.nactions == 0 ? "it has "
		    "none" : "none of its actions was");
	else
		ref->status = 0;
	rc = ref->status != 0 ? STORE_INVALID : STORE_OK;
done:
	free(w.ids);
	free(w.follows);
	free(w.status);
	return rc;
}

static int
findings_gate(struct store_txn *t, const char *id, const json_t *old,
    json_t *doc, const struct prep *p, struct refusal *ref)
{
	struct store	*st;
	MDB_txn		*txn;
	const char	*s = str(doc, "status"), *os;

	(void)p;
	if (strcmp(s, "closed") != 0 ||
	    !findings_nonconformity(str(doc, "type")))
		return STORE_OK;
	/* Already closed as a nonconformity: an edit of its text. */
	os = old != NULL ? str(old, "status") : NULL;
	if (os != NULL && strcmp(os, "closed") == 0 &&
	    findings_nonconformity(str(old, "type")))
		return STORE_OK;
	store_txn_view(t, &st, &txn);
	return close_gate(st, txn, id, ref);
}

static const struct store_ref findings_refs[] = {
	{ .field = "audit", .target = "audits" },
	{ .field = "auditor", .target = "auditors" },
};

const struct resource resource_findings = {
	.name = "findings",
	.schema = "finding",
	.owner = "auditor",
	.via = "audit",
	.date = "date",
	.refs = findings_refs,
	.nrefs = NELEM(findings_refs),
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, OWN, ALL),
		.write = SCOPES(ALL, ALL, DENY, OWN, DENY),
	},
	.verbs = VERBS_ALL,
	.prepare = findings_prepare,
	.gate = findings_gate,
};
