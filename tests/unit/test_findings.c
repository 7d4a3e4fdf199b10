/*
 * test_findings.c: findings and their corrective actions as every change
 * meets them in records_apply (api/api-findings.c, api/api-actions.c):
 * the defaults, a nonconformity's evidence, every allowed and every
 * refused change of an action's status with what each needs, the
 * verifier who is the owner, the follow-up of an action found not
 * effective, and when a nonconformity may close. And role auditor's own
 * scope through the audit's team: it records findings as itself on the
 * audits it is on, and nowhere else.
 */
#include "team-fx.h"

#include "api/reports.h"
#include "api/view.h"

/*
 * One change by principal who in role (auditor: as auditor aud, own
 * scope); body a JSON text (NULL: none). The store result; the caller
 * clears *ch.
 */
static int
change(enum role role, const char *aud, const char *coll, enum records_op op,
    const char *id, const char *body, struct records_change *ch)
{
	fixture_change(ch, coll, op, id, body != NULL ? tf_json(body) : NULL);
	ch->who.role = role;
	snprintf(ch->who.id, sizeof ch->who.id, "%s", aud != NULL ? aud :
	    "mgr");
	if (role == ROLE_AUDITOR) {
		snprintf(ch->who.auditor, sizeof ch->who.auditor, "%s", aud);
		ch->scope = SCOPE_OWN;
	}
	return store_write(tf.st, fixture_apply_one, ch, ch->who.id);
}

/* A manager's change that must pass. */
static void
ok(const char *coll, enum records_op op, const char *id, const char *body)
{
	struct records_change	ch;
	int			rc;

	rc = change(ROLE_MANAGER, NULL, coll, op, id, body, &ch);
	if (rc != STORE_OK)
		fprintf(stderr, "\n%s %s: %s %s\n", coll, id,
		    store_strerror(rc), ch.refused.detail);
	CU_ASSERT_EQUAL(rc, STORE_OK);
	records_change_clear(&ch);
}

/* A manager's change refused with 409 whose detail holds part. */
static void
conflict(const char *coll, enum records_op op, const char *id,
    const char *body, const char *part)
{
	struct records_change	ch;

	CU_ASSERT_EQUAL(change(ROLE_MANAGER, NULL, coll, op, id, body, &ch),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, 409);
	TF_STREQ(ch.refused.slug, "conflict");
	if (strstr(ch.refused.detail, part) == NULL)
		fprintf(stderr, "\n\"%s\" lacks \"%s\"\n", ch.refused.detail,
		    part);
	CU_ASSERT_PTR_NOT_NULL(strstr(ch.refused.detail, part));
	records_change_clear(&ch);
}

/* A change refused with 422 at path. */
static void
invalid(enum role role, const char *aud, const char *coll,
    enum records_op op, const char *id, const char *body, const char *path)
{
	struct records_change	ch;
	const json_t		*e;
	size_t			 i;
	int			 found = 0;

	CU_ASSERT_EQUAL(change(role, aud, coll, op, id, body, &ch),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, 0);
	json_array_foreach(ch.errors, i, e)
		if (strcmp(tf_str(e, "path"), path) == 0)
			found = 1;
	if (!found) {
		char *s = json_dumps(ch.errors, JSON_COMPACT);
		fprintf(stderr, "\nno error at %s: %s\n", path, s);
		free(s);
	}
	CU_ASSERT(found);
	records_change_clear(&ch);
}

static json_t *
stored(const char *coll, const char *id)
{
	MDB_txn	*txn;
	MDB_val	 v;
	json_t	*j = NULL;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	if (store_get(tf.st, txn, coll, id, &v) == STORE_OK)
		j = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	mdb_txn_abort(txn);
	return j;
}

static void
expect(const char *coll, const char *id, const char *key, const char *want)
{
	json_t	*j = stored(coll, id);

	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	TF_STREQ(tf_str(j, key), want);
	json_decref(j);
}

#define NC	"{\"audit\":\"a1\",\"type\":\"minor_nc\",\"criterion\":" \
	"\"A.5.15\",\"statement\":\"Access reviews are not done\","	\
	"\"auditor\":\"ann\",\"evidence\":[{\"kind\":\"record\","	\
	"\"description\":\"Access review log Q3\",\"sample\":"		\
	"\"25 of 25 sampled\"}]}"
#define ACT	"{\"finding\":\"f1\",\"correction\":\"Reviewed now\","	\
	"\"root_cause\":\"No owner\",\"action\":\"Quarterly review\","	\
	"\"owner\":\"IT manager\",\"due\":\"2027-05-01\"}"
#define IMPL	"{\"status\":\"implemented\",\"implementation\":\"Done\"}"
#define VERIF(status, by) "{\"status\":\"" status "\",\"verification\":" \
	"{\"by\":\"" by "\",\"date\":\"2027-06-01\",\"result\":\"ok\","	\
	"\"evidence\":\"Q2 review log\"}}"

/* An audit a1 with ann on its team (proposed) and bob on none. */
static void
setup(void)
{
	tf_open();
	tf_begin();
	tf_auditor("ann", "active", "Audit", "en");
	tf_auditor("bob", "active", "Audit", "en");
	tf_audit("a1", "IT", W_START, W_END, NULL);
	tf_audit("a2", "HR", W_START, W_END, NULL);
	tf_on_ok("a1", "ann", "auditor", "proposed");
	tf_end();
}

static void
test_finding_rules(void)
{
	json_t	*j;
	char	 today[UTIL_DATE_LEN];

	setup();
	ok("findings", RECORDS_CREATE, "f1", NC);
	util_today(today);
	j = stored("findings", "f1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	TF_STREQ(tf_str(j, "status"), "open");
	TF_STREQ(tf_str(j, "date"), today);
	json_decref(j);
	/* A nonconformity rests on evidence; an observation need not. */
	invalid(ROLE_MANAGER, NULL, "findings", RECORDS_CREATE, "f2",
	    "{\"audit\":\"a1\",\"type\":\"major_nc\",\"criterion\":\"9.2\","
	    "\"statement\":\"x\",\"auditor\":\"ann\"}", "/evidence");
	invalid(ROLE_MANAGER, NULL, "findings", RECORDS_CREATE, "f2",
	    "{\"audit\":\"a1\",\"type\":\"major_nc\",\"criterion\":\"9.2\","
	    "\"statement\":\"x\",\"auditor\":\"ann\",\"evidence\":[]}",
	    "/evidence");
	ok("findings", RECORDS_CREATE, "o1", "{\"audit\":\"a1\",\"type\":"
	    "\"observation\",\"criterion\":\"9.2\",\"statement\":\"x\","
	    "\"auditor\":\"ann\",\"date\":\"2026-06-02\"}");
	expect("findings", "o1", "date", "2026-06-02");
	/* Evidence cannot be taken from a nonconformity afterwards. */
	invalid(ROLE_MANAGER, NULL, "findings", RECORDS_PATCH, "f1",
	    "{\"evidence\":null}", "/evidence");
	/* Observations, ofi and good practice close freely. */
	ok("findings", RECORDS_PATCH, "o1", "{\"status\":\"closed\"}");
	/* A nonconformity without actions does not. */
	conflict("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}",
	    "it has none");
	conflict("findings", RECORDS_CREATE, "f3", "{\"audit\":\"a1\","
	    "\"type\":\"minor_nc\",\"criterion\":\"x\",\"statement\":\"x\","
	    "\"auditor\":\"ann\",\"status\":\"closed\",\"evidence\":[{"
	    "\"kind\":\"interview\",\"description\":\"IT manager\"}]}",
	    "it has none");
	tf_close();
}

static void
test_action_transitions(void)
{
	struct records_change	ch;
	json_t			*j;
	char			 today[UTIL_DATE_LEN], made[ID_MAX + 1];

	setup();
	ok("findings", RECORDS_CREATE, "f1", NC);
	ok("findings", RECORDS_CREATE, "o1", "{\"audit\":\"a1\",\"type\":"
	    "\"ofi\",\"criterion\":\"9.2\",\"statement\":\"x\","
	    "\"auditor\":\"ann\"}");
	/* Only a nonconformity takes actions. */
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_CREATE, "x1",
	    "{\"finding\":\"o1\",\"action\":\"a\",\"owner\":\"o\","
	    "\"due\":\"2027-01-01\"}", "/finding");
	/* Created open, and only open. */
	conflict("actions", RECORDS_CREATE, "x1", "{\"finding\":\"f1\","
	    "\"action\":\"a\",\"owner\":\"o\",\"due\":\"2027-01-01\","
	    "\"status\":\"implemented\",\"implementation\":\"x\"}",
	    "created open, not implemented");
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_CREATE, "x1",
	    "{\"finding\":\"f1\",\"action\":\"a\",\"owner\":\"o\","
	    "\"due\":\"2027-01-01\",\"follows\":\"x0\"}", "/follows");
	ok("actions", RECORDS_CREATE, "c1", ACT);
	expect("actions", "c1", "status", "open");
	/* open: nowhere but implemented. */
	conflict("actions", RECORDS_PATCH, "c1", VERIF("verified_effective",
	    "Lead auditor"), "from open to verified_effective");
	conflict("actions", RECORDS_PATCH, "c1", VERIF("not_effective",
	    "Lead auditor"), "from open to not_effective");
	conflict("actions", RECORDS_PATCH, "c1", "{\"status\":\"closed\"}",
	    "from open to closed");
	/* implemented needs what was done, and is dated today by default. */
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH, "c1",
	    "{\"status\":\"implemented\"}", "/implementation");
	ok("actions", RECORDS_PATCH, "c1", IMPL);
	util_today(today);
	expect("actions", "c1", "implemented_on", today);
	/* implemented: not back, not straight to closed. */
	conflict("actions", RECORDS_PATCH, "c1", "{\"status\":\"open\"}",
	    "from implemented to open");
	conflict("actions", RECORDS_PATCH, "c1", "{\"status\":\"closed\"}",
	    "from implemented to closed");
	/* A verdict needs its verification, by someone not the owner. */
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH, "c1",
	    "{\"status\":\"verified_effective\"}", "/verification");
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH, "c1",
	    VERIF("verified_effective", "IT manager"), "/verification/by");
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH, "c1",
	    VERIF("verified_effective", "it MANAGER"), "/verification/by");
	/* Not effective: a follow-up opens in the same change. */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH,
	    "c1", VERIF("not_effective", "Lead auditor"), &ch), STORE_OK);
	snprintf(made, sizeof made, "%s", ch.made);
	CU_ASSERT(made[0] != '\0');
	/* The answer is the changed action. */
	j = json_loads(ch.out, 0, NULL);
	TF_STREQ(tf_str(j, "status"), "not_effective");
	TF_STREQ(tf_str(j, "id"), "c1");
	json_decref(j);
	records_change_clear(&ch);
	j = stored("actions", made);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	TF_STREQ(tf_str(j, "status"), "open");
	TF_STREQ(tf_str(j, "follows"), "c1");
	TF_STREQ(tf_str(j, "finding"), "f1");
	TF_STREQ(tf_str(j, "owner"), "IT manager");
	TF_STREQ(tf_str(j, "due"), "2027-05-01");
	TF_STREQ(tf_str(j, "correction"), "Reviewed now");
	TF_STREQ(tf_str(j, "root_cause"), "No owner");
	TF_STREQ(tf_str(j, "action"), "Quarterly review");
	CU_ASSERT_PTR_NULL(json_object_get(j, "verification"));
	json_decref(j);
	/* The follow-up is derived like any record: lists find it by due. */
	{
		MDB_txn	*txn;

		CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn),
		    STORE_OK);
		CU_ASSERT(store_index_has(tf.st, txn, "actions", "finding",
		    "f1", made));
		CU_ASSERT(view_shares(tf.st, txn, router_resource("actions"),
		    "ann", made));
		CU_ASSERT(!view_shares(tf.st, txn,
		    router_resource("actions"), "bob", made));
		mdb_txn_abort(txn);
	}
	/* not_effective: only to closed; follows cannot be rewritten. */
	conflict("actions", RECORDS_PATCH, "c1", "{\"status\":\"implemented\"}",
	    "from not_effective to implemented");
	conflict("actions", RECORDS_PATCH, "c1",
	    VERIF("verified_effective", "Lead auditor"),
	    "from not_effective to verified_effective");
	invalid(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH, made,
	    "{\"follows\":null}", "/follows");
	/* The finding stays open while an action is not done. */
	conflict("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}",
	    "actions/c1 is not_effective");
	ok("actions", RECORDS_PATCH, "c1", "{\"status\":\"closed\"}");
	conflict("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}",
	    "is open");
	/* The follow-up, through to effective. */
	ok("actions", RECORDS_PATCH, made, IMPL);
	conflict("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}",
	    "is implemented");
	ok("actions", RECORDS_PATCH, made, VERIF("verified_effective",
	    "Lead auditor"));
	/* verified_effective: only to closed. */
	conflict("actions", RECORDS_PATCH, made, "{\"status\":\"not_effective\"}",
	    "from verified_effective to not_effective");
	conflict("actions", RECORDS_PATCH, made, "{\"status\":\"open\"}",
	    "from verified_effective to open");
	/* A closed action stays closed. */
	conflict("actions", RECORDS_PATCH, "c1", "{\"status\":\"open\"}",
	    "from closed to open");
	conflict("actions", RECORDS_PATCH, "c1", "{\"status\":\"implemented\"}",
	    "from closed to implemented");
	/* An edit that keeps the status is no transition. */
	ok("actions", RECORDS_PATCH, made, "{\"notes\":\"checked twice\"}");
	/* Every action done and one effective: the finding closes. */
	ok("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}");
	expect("findings", "f1", "status", "closed");
	/* Closing the effective one too keeps it closable (reopen, close). */
	ok("actions", RECORDS_PATCH, made, "{\"status\":\"closed\"}");
	ok("findings", RECORDS_PATCH, "f1", "{\"status\":\"open\"}");
	ok("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}");
	/* A finding with actions cannot be deleted; a referenced action neither. */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, NULL, "findings", RECORDS_DELETE,
	    "f1", NULL, &ch), STORE_REFERENCED);
	records_change_clear(&ch);
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, NULL, "actions", RECORDS_DELETE,
	    "c1", NULL, &ch), STORE_REFERENCED);
	records_change_clear(&ch);
	tf_close();
}

/* Only not-effective actions closed: nothing was effective. */
static void
test_close_needs_effective(void)
{
	struct records_change	ch;
	char			made[ID_MAX + 1];

	setup();
	ok("findings", RECORDS_CREATE, "f1", NC);
	ok("actions", RECORDS_CREATE, "c1", ACT);
	ok("actions", RECORDS_PATCH, "c1", IMPL);
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, NULL, "actions", RECORDS_PATCH,
	    "c1", VERIF("not_effective", "Lead auditor"), &ch), STORE_OK);
	snprintf(made, sizeof made, "%s", ch.made);
	records_change_clear(&ch);
	ok("actions", RECORDS_PATCH, "c1", "{\"status\":\"closed\"}");
	/* The follow-up deleted: c1 alone, closed, was not effective... */
	ok("actions", RECORDS_DELETE, made, NULL);
	/* ...but nothing follows it any more, so it counts as closed. */
	ok("findings", RECORDS_PATCH, "f1", "{\"status\":\"closed\"}");
	tf_close();
}

/* Role auditor: the findings of the audits it is on, as itself. */
static void
test_auditor_scope(void)
{
	struct records_change	ch;
	MDB_txn			*txn;
	const struct resource	*fr = router_resource("findings");

	setup();
	ok("findings", RECORDS_CREATE, "f1", NC);
	ok("findings", RECORDS_CREATE, "g1", "{\"audit\":\"a2\",\"type\":"
	    "\"ofi\",\"criterion\":\"x\",\"statement\":\"x\","
	    "\"auditor\":\"bob\"}");
	/* ann, on a1, adds one as herself. */
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_CREATE, "f2", "{\"audit\":\"a1\",\"type\":\"ofi\","
	    "\"criterion\":\"x\",\"statement\":\"x\",\"auditor\":\"ann\"}",
	    &ch), STORE_OK);
	records_change_clear(&ch);
	/* Not as another auditor. */
	invalid(ROLE_AUDITOR, "ann", "findings", RECORDS_CREATE, "f3",
	    "{\"audit\":\"a1\",\"type\":\"ofi\",\"criterion\":\"x\","
	    "\"statement\":\"x\",\"auditor\":\"bob\"}", "/auditor");
	/* Not on an audit it is not on, nor on one that is not there. */
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_CREATE, "f3", "{\"audit\":\"a2\",\"type\":\"ofi\","
	    "\"criterion\":\"x\",\"statement\":\"x\",\"auditor\":\"ann\"}",
	    &ch), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(ch.refused.status, 404);
	records_change_clear(&ch);
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_CREATE, "f3", "{\"audit\":\"zz\",\"type\":\"ofi\","
	    "\"criterion\":\"x\",\"statement\":\"x\",\"auditor\":\"ann\"}",
	    &ch), STORE_NOTFOUND);
	CU_ASSERT_EQUAL(ch.refused.status, 404);
	records_change_clear(&ch);
	/* Nor move its own finding there. */
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_PATCH, "f2", "{\"audit\":\"a2\"}", &ch), STORE_NOTFOUND);
	records_change_clear(&ch);
	/* Another audit's finding is not there for it. */
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_PATCH, "g1", "{\"notes\":\"x\"}", &ch), STORE_NOTFOUND);
	records_change_clear(&ch);
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_DELETE, "g1", NULL, &ch), STORE_NOTFOUND);
	records_change_clear(&ch);
	/* Its own (a manager recorded it for ann), it edits... */
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_PATCH, "f1", "{\"notes\":\"x\"}", &ch), STORE_OK);
	records_change_clear(&ch);
	/* ...a teammate's it sees, but does not change. */
	ok("findings", RECORDS_PATCH, "f1", "{\"auditor\":\"bob\"}");
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_PATCH, "f1", "{\"notes\":\"y\"}", &ch), STORE_INVALID);
	CU_ASSERT(ch.forbidden[0] != '\0');
	records_change_clear(&ch);
	/* Its own, it edits. */
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_PATCH, "f2", "{\"notes\":\"x\"}", &ch), STORE_OK);
	records_change_clear(&ch);
	/* Reads: the team's findings, through the via rows. */
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT(view_shares(tf.st, txn, fr, "ann", "f1"));
	CU_ASSERT(view_shares(tf.st, txn, fr, "ann", "f2"));
	CU_ASSERT(!view_shares(tf.st, txn, fr, "ann", "g1"));
	CU_ASSERT(!view_shares(tf.st, txn, fr, "bob", "f1"));
	CU_ASSERT(!view_shares(tf.st, txn, fr, "ann", "nope"));
	mdb_txn_abort(txn);
	/* Withdrawn, ann is off the team and its findings go with it. */
	tf_patch("assignments", "a1.ann", "{\"status\":\"withdrawn\"}");
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT(!view_shares(tf.st, txn, fr, "ann", "f2"));
	mdb_txn_abort(txn);
	CU_ASSERT_EQUAL(change(ROLE_AUDITOR, "ann", "findings",
	    RECORDS_PATCH, "f2", "{\"notes\":\"z\"}", &ch), STORE_NOTFOUND);
	records_change_clear(&ch);
	tf_close();
}

/* The via rows come back when the derived rows are rebuilt. */
static void
test_via_rebuild(void)
{
	MDB_txn	*txn;

	setup();
	ok("findings", RECORDS_CREATE, "f1", NC);
	ok("actions", RECORDS_CREATE, "c1", ACT);
	CU_ASSERT_EQUAL_FATAL(fixture_reopen(&tf, 64 << 20, "other"), 0);
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT(view_shares(tf.st, txn, router_resource("actions"), "ann",
	    "c1"));
	CU_ASSERT(!view_shares(tf.st, txn, router_resource("actions"), "bob",
	    "c1"));
	mdb_txn_abort(txn);
	tf_close();
}

/* Open or implemented past due, oldest first; own scope by team. */
static void
test_overdue(void)
{
	struct report_args	 a;
	MDB_txn			*txn;
	json_t			*r, *it;
	char			*out;
	size_t			 len;

	setup();
	ok("findings", RECORDS_CREATE, "f1", NC);
	ok("findings", RECORDS_CREATE, "g1", "{\"audit\":\"a2\",\"type\":"
	    "\"major_nc\",\"criterion\":\"x\",\"statement\":\"x\","
	    "\"auditor\":\"bob\",\"evidence\":[{\"kind\":\"observation\","
	    "\"description\":\"seen\"}]}");
	ok("actions", RECORDS_CREATE, "c1", "{\"finding\":\"f1\","
	    "\"action\":\"a\",\"owner\":\"o\",\"due\":\"2026-03-10\"}");
	ok("actions", RECORDS_CREATE, "c2", "{\"finding\":\"g1\","
	    "\"action\":\"a\",\"owner\":\"o\",\"due\":\"2026-03-01\"}");
	ok("actions", RECORDS_PATCH, "c2", IMPL);
	/* Due on the day: not late yet. */
	ok("actions", RECORDS_CREATE, "c3", "{\"finding\":\"f1\","
	    "\"action\":\"a\",\"owner\":\"o\",\"due\":\"2026-03-20\"}");
	/* Verified: not overdue, whatever its due. */
	ok("actions", RECORDS_CREATE, "c4", "{\"finding\":\"f1\","
	    "\"action\":\"a\",\"owner\":\"o\",\"due\":\"2026-01-01\"}");
	ok("actions", RECORDS_PATCH, "c4", IMPL);
	ok("actions", RECORDS_PATCH, "c4", VERIF("verified_effective", "L"));
	memset(&a, 0, sizeof a);
	snprintf(a.on, sizeof a.on, "2026-03-20");
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(report_actions_overdue(tf.st, txn, &a, &out,
	    &len), STORE_OK);
	r = json_loads(out, 0, NULL);
	free(out);
	TF_STREQ(tf_str(r, "as_of"), "2026-03-20");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r, "items")), 2);
	it = json_array_get(json_object_get(r, "items"), 0);
	TF_STREQ(tf_str(it, "id"), "c2");
	TF_STREQ(tf_str(it, "audit"), "a2");
	TF_STREQ(tf_str(it, "finding"), "g1");
	TF_STREQ(tf_str(it, "status"), "implemented");
	TF_STREQ(tf_str(it, "owner"), "o");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(it, "days")), 19);
	it = json_array_get(json_object_get(r, "items"), 1);
	TF_STREQ(tf_str(it, "id"), "c1");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(it, "days")), 10);
	json_decref(r);
	/* ann sees a1's alone. */
	a.own = 1;
	snprintf(a.only, sizeof a.only, "ann");
	CU_ASSERT_EQUAL_FATAL(report_actions_overdue(tf.st, txn, &a, &out,
	    &len), STORE_OK);
	r = json_loads(out, 0, NULL);
	free(out);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r, "items")), 1);
	TF_STREQ(tf_str(json_array_get(json_object_get(r, "items"), 0),
	    "id"), "c1");
	json_decref(r);
	mdb_txn_abort(txn);
	tf_close();
}

/*
 * A create or replace the worker checked (records.c's precheck) over the
 * record at checked_rev: the writer does not validate it again while the
 * record is at that rev, and does when it moved on. Shown with a body the
 * schema refuses, which only a skipped validation would store.
 */
static void
bad_change(enum records_op op, int checked, int64_t rev, json_t *found,
    int want)
{
	struct records_change	ch;
	static const char	bad[] = "{\"name\":\"W\",\"email\":"
				    "\"w@example.org\",\"unit\":\"U\","
				    "\"employment\":\"internal\",\"bogus\":1}";

	fixture_change(&ch, "auditors", op, "w1", tf_json(bad));
	ch.checked = checked;
	ch.checked_rev = rev;
	ch.schema_errors = found;
	CU_ASSERT_EQUAL(store_write(tf.st, fixture_apply_one, &ch, "admin"),
	    want);
	if (want == STORE_INVALID)
		CU_ASSERT(json_array_size(ch.errors) > 0);
	records_change_clear(&ch);
}

static void
test_checked_on_worker(void)
{
	setup();
	/* Not checked on a worker: the writer validates, 422. */
	bad_change(RECORDS_CREATE, 0, 0, NULL, STORE_INVALID);
	/* What the worker's check found is the answer: not validated. */
	bad_change(RECORDS_CREATE, 1, STORE_REV_CREATE, json_pack("[{s:s, "
	    "s:s}]", "path", "/x", "message", "found on the worker"),
	    STORE_INVALID);
	/* Checked over "no record", nothing found: trusted. */
	bad_change(RECORDS_CREATE, 1, STORE_REV_CREATE, json_array(),
	    STORE_OK);
	/* A replace checked over rev 1, and w1 is at rev 1: trusted. */
	bad_change(RECORDS_REPLACE, 1, 1, json_array(), STORE_OK);
	/* Checked over rev 1, but w1 moved on to rev 2: validated again. */
	bad_change(RECORDS_REPLACE, 1, 1, json_array(), STORE_INVALID);
	tf_close();
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "findings: defaults, evidence, closing freely",
		    test_finding_rules },
		{ "actions: every transition, follow-up, closing the NC",
		    test_action_transitions },
		{ "findings: a closed action nothing follows counts",
		    test_close_needs_effective },
		{ "findings: role auditor through the audit's team",
		    test_auditor_scope },
		{ "via rows: rebuilt with the derived rows",
		    test_via_rebuild },
		{ "reports: actions overdue", test_overdue },
		{ "records: the writer trusts a worker's check of the same rev",
		    test_checked_on_worker },
		{ NULL, NULL }
	};
	int	rc;

	rc = cu_run("findings", tests);
	schema_builtin_free();
	return rc;
}
