/*
 * test_confirm.c: the assignments resource's gate as every change meets it
 * in records_apply (api/api-assignments.c): proposed is free, becoming
 * confirmed runs the team check over the team as it would stand and is
 * refused with 409 and the verdict unless a manager or admin overrides,
 * who and when are the server's, an override a passing team does not need
 * is dropped, hr may not override, completed needs a reported or closed
 * audit, an auditor is on a team once. And the rows the rules read
 * (check/assign.h) in step with the audits: new dates move an audit's
 * busy rows, a cancelled audit's leads stop counting for rotation.
 */
#include "team-fx.h"

/*
 * One change by principal who in role; body a JSON text (NULL: none). The
 * store result; the caller clears *ch.
 */
static int
change(enum role role, const char *who, const char *coll, enum records_op op,
    const char *id, const char *body, struct records_change *ch)
{
	fixture_change(ch, coll, op, id, body != NULL ? tf_json(body) : NULL);
	ch->who.role = role;
	snprintf(ch->who.id, sizeof ch->who.id, "%s", who);
	return store_write(tf.st, fixture_apply_one, ch, who);
}

/* The stored coll/id (a new reference). */
static json_t *
stored(const char *coll, const char *id)
{
	MDB_txn	*txn;
	MDB_val	 v;
	json_t	*j;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(store_get(tf.st, txn, coll, id, &v), STORE_OK);
	j = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	mdb_txn_abort(txn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	return j;
}

static void
expect_status(const char *asg, const char *status)
{
	json_t	*j = stored("assignments", asg);

	TF_STREQ(tf_str(j, "status"), status);
	json_decref(j);
}

/* A manager's merge patch of assignment id that the gate refuses. */
static void
refused(const char *id, const char *patch, int status, const char *slug,
    const char *detail)
{
	struct records_change	ch;

	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_PATCH, id, patch, &ch), STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, status);
	TF_STREQ(ch.refused.slug, slug);
	if (detail != NULL)
		TF_STREQ(ch.refused.detail, detail);
	TF_STREQ(ch.forbidden, "");
	records_change_clear(&ch);
}

/* The member aud of verdict v (JSON). */
static const json_t *
member_json(const json_t *v, const char *aud)
{
	const json_t	*m;
	const char	*a;
	size_t		 i;

	json_array_foreach(json_object_get(v, "members"), i, m)
		if ((a = tf_str(m, "auditor")) != NULL && strcmp(a, aud) == 0)
			return m;
	CU_FAIL("no such member in the verdict");
	return NULL;
}

static void
test_confirm(void)
{
	struct records_change	 ch;
	const json_t		*v, *m, *o;
	json_t			*j, *errors;

	tf_open();
	tf_begin();
	tf_audit("g", "Finance", W_START, W_END, NULL);
	tf_fit("lee", 1);
	tf_fit("abe", 0);
	tf_auditor("nq", "active", NULL, NULL);
	tf_end();

	/* Proposed is free, however the team stands. */
	tf_on_ok("g", "lee", "lead", "proposed");
	tf_on_ok("g", "nq", "auditor", "proposed");

	/*
	 * Confirming lee judges the team as it would stand: nq on it fails,
	 * so lee is refused, with the verdict.
	 */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_PATCH, "g.lee", "{\"status\":\"confirmed\"}", &ch),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, 409);
	TF_STREQ(ch.refused.slug, "check-failed");
	TF_STREQ(ch.refused.detail, "the team check of audit g "
	    "fails with lee on it as lead; a manager may confirm with an "
	    "override reason");
	v = json_object_get(ch.refused.members, "verdict");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	errors = json_array();
	CU_ASSERT_EQUAL(schema_validate(schema_builtin("verdict"), v, errors,
	    10), 0);
	json_decref(errors);
	CU_ASSERT(json_is_false(json_object_get(v, "compliant")));
	TF_STREQ(tf_str(v, "audit"), "g");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(v, "members")), 2);
	m = member_json(v, "lee");
	TF_STREQ(tf_str(m, "role"), "lead");
	CU_ASSERT(json_is_true(json_object_get(m, "compliant")));
	m = member_json(v, "nq");
	TF_STREQ(tf_str(m, "role"), "auditor");
	CU_ASSERT(json_is_false(json_object_get(m, "compliant")));
	TF_STREQ(tf_str(json_array_get(json_object_get(m,
	    "checks"), 1), "rule"), "qualification");
	records_change_clear(&ch);
	expect_status("g.lee", "proposed");

	/* With nq withdrawn (free too), the team passes. */
	tf_patch("assignments", "g.nq", "{\"status\":\"withdrawn\"}");
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_PATCH, "g.lee", "{\"status\":\"confirmed\"}", &ch),
	    STORE_OK);
	records_change_clear(&ch);
	expect_status("g.lee", "confirmed");

	/* Back on the team, nq confirmed is refused; so is hr's override. */
	refused("g.nq", "{\"status\":\"confirmed\"}", 409, "check-failed",
	    NULL);
	CU_ASSERT_EQUAL(change(ROLE_HR, "hrp", "assignments", RECORDS_PATCH,
	    "g.nq", "{\"status\":\"confirmed\",\"override\":{\"reason\":"
	    "\"short of staff\"}}", &ch), STORE_INVALID);
	TF_STREQ(ch.forbidden, "only a manager or an admin may "
	    "override a failed team check");
	CU_ASSERT_EQUAL(ch.refused.status, 0);
	records_change_clear(&ch);
	expect_status("g.nq", "withdrawn");

	/* A manager's override is kept, with who and when the server's. */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_PATCH, "g.nq", "{\"status\":\"confirmed\",\"override\":"
	    "{\"reason\":\"short of staff\",\"by\":\"abe\"}}", &ch), STORE_OK);
	records_change_clear(&ch);
	j = stored("assignments", "g.nq");
	TF_STREQ(tf_str(j, "status"), "confirmed");
	o = json_object_get(j, "override");
	TF_STREQ(tf_str(o, "reason"), "short of staff");
	TF_STREQ(tf_str(o, "by"), "mgr");
	CU_ASSERT(tf_str(o, "at") != NULL &&
	    util_datetime_valid(tf_str(o, "at")));
	json_decref(j);
	/* A change that leaves the team as it is needs no new check. */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_PATCH, "g.nq", "{\"notes\":\"n\"}", &ch), STORE_OK);
	records_change_clear(&ch);
	/* A change of role while confirmed is checked again. */
	refused("g.lee", "{\"role\":\"auditor\"}", 409, "check-failed", NULL);
	j = stored("assignments", "g.lee");
	TF_STREQ(tf_str(j, "role"), "lead");
	json_decref(j);
	/* Override is given with confirmed only. */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_CREATE, "g.abe", "{\"audit\":\"g\",\"auditor\":\"abe\","
	    "\"role\":\"auditor\",\"override\":{\"reason\":\"r\"}}", &ch),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(json_array_size(ch.errors), 1);
	TF_STREQ(tf_str(json_array_get(ch.errors, 0), "path"),
	    "/override");
	records_change_clear(&ch);

	/*
	 * On a team that passes, an override is not needed and not kept;
	 * created confirmed, the check runs too.
	 */
	tf_audit("g2", "Finance", "2026-07-01", "2026-07-02", NULL);
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_CREATE, "g2.lee", "{\"audit\":\"g2\",\"auditor\":\"lee\","
	    "\"role\":\"lead\",\"status\":\"confirmed\",\"override\":"
	    "{\"reason\":\"just in case\"}}", &ch), STORE_OK);
	records_change_clear(&ch);
	j = stored("assignments", "g2.lee");
	TF_STREQ(tf_str(j, "status"), "confirmed");
	CU_ASSERT_PTR_NULL(json_object_get(j, "override"));
	json_decref(j);
	CU_ASSERT_EQUAL(change(ROLE_ADMIN, "root", "assignments",
	    RECORDS_CREATE, "g2.nq", "{\"audit\":\"g2\",\"auditor\":\"nq\","
	    "\"role\":\"auditor\",\"status\":\"confirmed\"}", &ch),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, 409);
	records_change_clear(&ch);
	/*
	 * One who is no auditor: the reference is wrong, whatever the team
	 * (alone, a trainee would fail supervision).
	 */
	tf_audit("g3", "Finance", "2026-08-01", "2026-08-02", NULL);
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_CREATE, "g3.ghost", "{\"audit\":\"g3\",\"auditor\":"
	    "\"ghost\",\"role\":\"trainee\",\"status\":\"confirmed\"}",
	    &ch), STORE_BADREF);
	CU_ASSERT_EQUAL(ch.refused.status, 0);
	TF_STREQ(ch.err.path, "/auditor");
	records_change_clear(&ch);
	tf_close();
}

static void
test_completed_once(void)
{
	struct records_change	ch;

	tf_open();
	tf_begin();
	tf_audit("g", "Finance", W_START, W_END, NULL);
	tf_fit("lee", 1);
	tf_fit("abe", 0);
	tf_end();
	tf_on_ok("g", "lee", "lead", "proposed");

	/* Completed needs the audit reported (or closed). */
	refused("g.lee", "{\"status\":\"completed\"}", 409, "conflict",
	    "an assignment is completed only on a reported or closed audit; "
	    "g is planned");
	CU_ASSERT_EQUAL(change(ROLE_ADMIN, "root", "assignments",
	    RECORDS_CREATE, "g.abe", "{\"audit\":\"g\",\"auditor\":\"abe\","
	    "\"role\":\"auditor\",\"status\":\"completed\"}", &ch),
	    STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, 409);
	records_change_clear(&ch);
	tf_patch("audits", "g", "{\"status\":\"in_progress\"}");
	refused("g.lee", "{\"status\":\"completed\"}", 409, "conflict", NULL);
	tf_patch("audits", "g", "{\"status\":\"reported\"}");
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_PATCH, "g.lee", "{\"status\":\"completed\"}", &ch),
	    STORE_OK);
	records_change_clear(&ch);
	expect_status("g.lee", "completed");

	/* An auditor is on a team once, withdrawn assignments aside. */
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_CREATE, "g.lee2", "{\"audit\":\"g\",\"auditor\":\"lee\","
	    "\"role\":\"observer\"}", &ch), STORE_INVALID);
	CU_ASSERT_EQUAL(ch.refused.status, 409);
	TF_STREQ(ch.refused.slug, "conflict");
	TF_STREQ(ch.refused.detail, "lee is on audit g's team "
	    "already (assignments/g.lee)");
	records_change_clear(&ch);
	tf_on_ok("g", "abe", "auditor", "proposed");
	refused("g.abe", "{\"auditor\":\"lee\"}", 409, "conflict", NULL);
	tf_patch("assignments", "g.abe", "{\"status\":\"withdrawn\"}");
	CU_ASSERT_EQUAL(change(ROLE_MANAGER, "mgr", "assignments",
	    RECORDS_CREATE, "g.abe2", "{\"audit\":\"g\",\"auditor\":\"abe\","
	    "\"role\":\"observer\"}", &ch), STORE_OK);
	records_change_clear(&ch);
	/* Withdrawn may be set whatever the team. */
	tf_patch("assignments", "g.abe", "{\"auditor\":\"lee\"}");
	tf_close();
}

/* ---- rows in step -------------------------------------------------------- */

struct starts {
	char	s[4][UTIL_DATE_LEN];
	size_t	n;
};

static int
start_one(const struct assign_busy *b, void *arg)
{
	struct starts	*x = arg;

	if (x->n < 4)
		memcpy(x->s[x->n++], b->start, UTIL_DATE_LEN);
	return 0;
}

static void
test_rows_dates(void)
{
	struct starts	 x;
	MDB_txn		*txn;

	tf_open();
	tf_begin();
	tf_audit("s", "Finance", W_START, W_END, NULL);
	tf_audit("m", "IT", "2026-07-01", "2026-07-05", NULL);
	tf_auditor("bo", "active", NULL, NULL);
	tf_end();
	tf_on_ok("m", "bo", "auditor", "proposed");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 1, NULL, NULL);
	/* New dates move bo's busy row: now m meets s. */
	tf_patch("audits", "m", "{\"start\":\"2026-06-03\","
	    "\"end\":\"2026-06-08\"}");
	memset(&x, 0, sizeof x);
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL(assign_busy(tf.st, txn, "bo", start_one, &x),
	    STORE_OK);
	mdb_txn_abort(txn);
	CU_ASSERT_EQUAL(x.n, 1);
	TF_STREQ(x.s[0], "2026-06-03");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 0, "already on audit m (m.bo) "
	    "in that time", "assignments/m.bo", NULL);
	/* Only the end moving is enough too. */
	tf_patch("audits", "m", "{\"start\":\"2026-05-01\","
	    "\"end\":\"2026-05-31\"}");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 1, NULL, NULL);
	tf_patch("audits", "m", "{\"end\":\"2026-06-01\"}");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 0, NULL, "assignments/m.bo",
	    NULL);
	/* Cancelled, it does not count; planned again, it does. */
	tf_patch("audits", "m", "{\"status\":\"cancelled\"}");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 1, NULL, NULL);
	tf_patch("audits", "m", "{\"status\":\"planned\"}");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 0, NULL, "assignments/m.bo",
	    NULL);
	/* A change that leaves the rows as they are (the title) keeps them. */
	tf_patch("audits", "m", "{\"scope\":\"all of IT\"}");
	tf_expect(CHECK_AVAILABILITY, "bo", "s", 0, NULL, "assignments/m.bo",
	    NULL);
	tf_close();
}

static void
test_rows_rotation(void)
{
	tf_open();
	tf_begin();
	tf_auditor("rosa", "active", NULL, NULL);
	tf_audit("s1", "Sales", "2023-03-01", "2023-03-02",
	    "{\"status\":\"closed\"}");
	tf_audit("s2", "Sales", "2024-03-01", "2024-03-02",
	    "{\"status\":\"closed\"}");
	tf_audit("s3", "Sales", "2025-03-01", "2025-03-02",
	    "{\"status\":\"closed\"}");
	tf_audit("s4", "Sales", W_START, W_END, NULL);
	tf_on_ok("s1", "rosa", "lead", "completed");
	tf_on_ok("s2", "rosa", "lead", "completed");
	tf_on_ok("s3", "rosa", "lead", "completed");
	tf_end();
	tf_expect(CHECK_ROTATION, "rosa", "s4", 0, NULL, "audits/s3",
	    "audits/s2", "audits/s1", NULL);
	/* Cancelled, s2 leaves the run; closed again, it is back. */
	tf_patch("audits", "s2", "{\"status\":\"cancelled\"}");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 1, "did not lead the last 3 "
	    "audits of Sales", NULL);
	tf_patch("audits", "s2", "{\"status\":\"closed\"}");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 0, NULL, "audits/s3",
	    "audits/s2", "audits/s1", NULL);
	/* Another auditee, or a start after s4's: not in the run either. */
	tf_patch("audits", "s2", "{\"auditee\":\"Marketing\"}");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 1, NULL, NULL);
	tf_patch("audits", "s2", "{\"auditee\":\"Sales\"}");
	tf_patch("audits", "s3", "{\"start\":\"2026-07-01\","
	    "\"end\":\"2026-07-02\"}");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 1, NULL, NULL);
	tf_patch("audits", "s3", "{\"start\":\"2025-03-01\","
	    "\"end\":\"2025-03-02\"}");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 0, NULL, "audits/s3",
	    "audits/s2", "audits/s1", NULL);
	/* A lead withdrawn, or only proposed, has led nothing. */
	tf_patch("assignments", "s3.rosa", "{\"status\":\"withdrawn\"}");
	tf_expect(CHECK_ROTATION, "rosa", "s4", 1, NULL, NULL);
	tf_close();
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "confirm: the team check, override, who may",
		    test_confirm },
		{ "completed needs a reported audit; once per team",
		    test_completed_once },
		{ "rows: an audit's dates and status move its busy rows",
		    test_rows_dates },
		{ "rows: a cancelled audit's leads leave rotation",
		    test_rows_rotation },
		{ NULL, NULL }
	};
	int	rc;

	rc = cu_run("confirm", tests);
	schema_builtin_free();
	return rc;
}
