/*
 * team-fx.h: what the unit tests of the team check, candidates, propose
 * and the confirm gate share: a fresh store per test (fixture.h) holding
 * areas a..f and legislation, programme p (2026) and old (2020-2025) and
 * three closed audits of History in 2025 (h1..h3, where an auditor gets
 * the completed assignments lead_experience counts); records in one line
 * each, written through records_apply like every change of the API; the
 * rules judged over an audit, with checks on what they found.
 *
 * Most audits run over W_START..W_END. An auditor made by tf_fit passes
 * every member rule of role auditor over them with no warning (lead: also
 * the lead rules); a test then breaks the one thing it is about.
 */
#ifndef TEAM_FX_H
#define TEAM_FX_H

#include <stdarg.h>

#include "cu.h"
#include "fixture.h"

#include "check/propose.h"
#include "check/rules.h"
#include "check/team.h"

#define W_START		"2026-06-01"
#define W_END		"2026-06-05"
#define STD		"ISO/IEC 27001"

static struct fixture	tf;

/* CU_ASSERT_STRING_EQUAL that takes a NULL got (a member not there). */
#define TF_STREQ(got, want) do {					\
	const char	*tf_g_ = (got), *tf_w_ = (want);		\
									\
	if (tf_g_ == NULL || strcmp(tf_g_, tf_w_) != 0)			\
		fprintf(stderr, "\n%s:%d: \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__,					\
		    tf_g_ != NULL ? tf_g_ : "(null)", tf_w_);		\
	CU_assertImplementation(tf_g_ != NULL &&			\
	    strcmp(tf_g_, tf_w_) == 0, __LINE__, "TF_STREQ(" #got ", "	\
	    #want ")", __FILE__, "", CU_FALSE);				\
} while (0)

/* ---- records ------------------------------------------------------------- */

/*
 * Between tf_begin() and tf_end() changes are queued and then run through
 * records_apply in one write transaction, in order, as propose --assign
 * does: one commit instead of one each keeps a test fast. Each must pass.
 */
static struct records_change	*tf_q;
static size_t			 tf_nq, tf_capq;
static int			 tf_batching;

static inline void
tf_begin(void)
{
	tf_batching = 1;
}

static inline int
tf_batch_apply(struct store_txn *t, void *arg)
{
	struct records_change	*ch;
	char			*e;
	size_t			 i;
	int			 rc;

	(void)arg;
	for (i = 0; i < tf_nq; i++) {
		ch = &tf_q[i];
		if ((rc = records_apply(t, ch)) == STORE_OK)
			continue;
		e = ch->errors != NULL ? json_dumps(ch->errors, JSON_COMPACT) :
		    NULL;
		fprintf(stderr, "\n%s %s: %s %s %s %s\n", ch->res->name, ch->id,
		    store_strerror(rc), e != NULL ? e : "", ch->err.message,
		    ch->refused.detail);
		free(e);
		return rc;
	}
	return STORE_OK;
}

static inline void
tf_end(void)
{
	size_t	i;
	int	rc;

	tf_batching = 0;
	rc = store_write(tf.st, tf_batch_apply, NULL, "admin");
	for (i = 0; i < tf_nq; i++)
		records_change_clear(&tf_q[i]);
	free(tf_q);
	tf_q = NULL;
	tf_nq = tf_capq = 0;
	CU_ASSERT_EQUAL_FATAL(rc, STORE_OK);
}

/* One change as admin, now or queued; the store result (queued: OK). */
static inline int
tf_change(const char *coll, enum records_op op, const char *id, json_t *body)
{
	struct records_change	*q;

	if (!tf_batching)
		return fixture_apply(&tf, coll, op, id, body);
	if (tf_nq == tf_capq) {
		tf_capq = tf_capq ? tf_capq * 2 : 64;
		q = reallocarray(tf_q, tf_capq, sizeof *q);
		CU_ASSERT_PTR_NOT_NULL_FATAL(q);
		tf_q = q;
	}
	fixture_change(&tf_q[tf_nq++], coll, op, id, body);
	return STORE_OK;
}

static inline json_t *
tf_json(const char *s)
{
	json_error_t	 e;
	json_t		*j;

	if ((j = json_loads(s, 0, &e)) == NULL)
		fprintf(stderr, "\nbad JSON in a test: %s: %s\n", s, e.text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	return j;
}

/* Create coll/id from doc (taken); the store result, not asserted. */
static inline int
tf_try(const char *coll, const char *id, json_t *doc)
{
	return tf_change(coll, RECORDS_CREATE, id, doc);
}

static inline void
tf_put(const char *coll, const char *id, json_t *doc)
{
	CU_ASSERT_EQUAL_FATAL(tf_try(coll, id, doc), STORE_OK);
}

/* Merge patch coll/id with the JSON text patch. */
static inline void
tf_patch(const char *coll, const char *id, const char *patch)
{
	CU_ASSERT_EQUAL_FATAL(tf_change(coll, RECORDS_PATCH, id,
	    tf_json(patch)), STORE_OK);
}

/* An array of the words of s (NULL: none) into doc's member k. */
static inline void
tf_words(json_t *doc, const char *k, const char *s)
{
	json_t	*a = json_array();
	char	 buf[512], *w, *last;

	snprintf(buf, sizeof buf, "%s", s);
	for (w = strtok_r(buf, " ", &last); w != NULL;
	    w = strtok_r(NULL, " ", &last))
		json_array_append_new(a, json_string(w));
	json_object_set_new(doc, k, a);
}

/* langs: "en de" or NULL; unit NULL: none. */
static inline void
tf_auditor(const char *id, const char *status, const char *unit,
    const char *langs)
{
	json_t	*d = json_pack("{s:s, s:s, s:s}", "name", id, "email",
		    "x@example.org", "status", status);

	if (unit != NULL)
		json_object_set_new(d, "unit", json_string(unit));
	if (langs != NULL)
		tf_words(d, "languages", langs);
	tf_put("auditors", id, d);
}

/* expires NULL: none; standard NULL: none; areas "a b" or NULL. */
static inline void
tf_qual(const char *id, const char *aud, const char *kind,
    const char *standard, const char *issued, const char *expires,
    int verified, const char *areas)
{
	json_t	*d;

	d = json_pack("{s:s, s:s, s:s, s:s, s:b}", "auditor", aud, "kind",
	    kind, "title", "Q", "issued", issued, "verified", verified);

	if (standard != NULL)
		json_object_set_new(d, "standard", json_string(standard));
	if (expires != NULL)
		json_object_set_new(d, "expires", json_string(expires));
	if (areas != NULL)
		tf_words(d, "areas", areas);
	tf_put("qualifications", id, d);
}

static inline void
tf_training(const char *id, const char *aud, const char *date, double hours,
    int verified)
{
	tf_put("trainings", id, json_pack("{s:s, s:s, s:s, s:f, s:b, s:b}",
	    "auditor", aud, "title", "T", "date", date, "hours", hours,
	    "verified", verified, "cpd", 1));
}

/* assessed: "a:competent b:expert" or NULL; next_due NULL: none. */
static inline void
tf_eval(const char *id, const char *aud, const char *date,
    const char *result, const char *next_due, const char *assessed)
{
	json_t	*d, *a = json_array();
	char	 buf[512], *w, *last, *c;

	d = json_pack("{s:s, s:s, s:s, s:s}", "auditor", aud, "date", date,
	    "method", "interview", "result", result);
	if (next_due != NULL)
		json_object_set_new(d, "next_due", json_string(next_due));
	snprintf(buf, sizeof buf, "%s", assessed != NULL ? assessed : "");
	for (w = strtok_r(buf, " ", &last); w != NULL;
	    w = strtok_r(NULL, " ", &last)) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(c = strchr(w, ':'));
		*c++ = '\0';
		json_array_append_new(a, json_pack("{s:s, s:s}", "area", w,
		    "level", c));
	}
	json_object_set_new(d, "assessed", a);
	tf_put("evaluations", id, d);
}

/* until NULL: ongoing. */
static inline void
tf_decl(const char *id, const char *aud, const char *party, const char *kind,
    const char *from, const char *until)
{
	json_t	*d;

	d = json_pack("{s:s, s:s, s:s, s:s}", "auditor", aud, "party", party,
	    "kind", kind, "from", from);

	if (until != NULL)
		json_object_set_new(d, "until", json_string(until));
	tf_put("declarations", id, d);
}

/* A programme over 2026 with policy (JSON text or NULL). */
static inline void
tf_programme(const char *id, const char *policy)
{
	json_t	*d;

	d = json_pack("{s:s, s:{s:s, s:s}}", "title", id, "period", "from",
	    "2026-01-01", "to", "2026-12-31");

	if (policy != NULL)
		json_object_set_new(d, "policy", tf_json(policy));
	tf_put("programmes", id, d);
}

/*
 * An audit of auditee from start to end in programme p, planned, with the
 * members of extra (JSON text or NULL) over those.
 */
static inline void
tf_audit(const char *id, const char *auditee, const char *start,
    const char *end, const char *extra)
{
	json_t	*d;

	d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "programme", "p", "auditee",
	    auditee, "type", "internal", "start", start, "end", end);

	if (extra != NULL) {
		json_t	*x = tf_json(extra);

		json_object_update(d, x);
		json_decref(x);
	}
	tf_put("audits", id, d);
}

/*
 * aud on audit in role with status, as assignment "audit.aud"; the store
 * result, not asserted (the gate may refuse).
 */
static inline int
tf_on(const char *audit, const char *aud, const char *role,
    const char *status)
{
	char	id[ID_MAX + 1];

	snprintf(id, sizeof id, "%s.%s", audit, aud);
	return tf_try("assignments", id, json_pack("{s:s, s:s, s:s, s:s}",
	    "audit", audit, "auditor", aud, "role", role, "status", status));
}

static inline void
tf_on_ok(const char *audit, const char *aud, const char *role,
    const char *status)
{
	CU_ASSERT_EQUAL_FATAL(tf_on(audit, aud, role, status), STORE_OK);
}

/*
 * An active auditor of unit Audit who speaks en and passes every member
 * rule over W_START..W_END: a verified certificate for STD until 2029 (a
 * lead auditor one if lead), 30 CPD hours and an evaluation that meets
 * the criteria in January 2026; a lead also has the three completed
 * assignments lead_experience asks for.
 */
static inline void
tf_fit(const char *id, int lead)
{
	char	q[ID_MAX + 1], t[ID_MAX + 1], e[ID_MAX + 1];

	snprintf(q, sizeof q, "q.%s", id);
	snprintf(t, sizeof t, "t.%s", id);
	snprintf(e, sizeof e, "e.%s", id);
	tf_auditor(id, "active", "Audit", "en");
	tf_qual(q, id, lead ? "lead_auditor_certificate" :
	    "auditor_certificate", STD, "2024-01-01", "2029-12-31", 1, NULL);
	tf_training(t, id, "2026-01-05", 30, 1);
	tf_eval(e, id, "2026-01-10", "meets", "2027-01-09", NULL);
	if (lead) {
		tf_on_ok("h1", id, "auditor", "completed");
		tf_on_ok("h2", id, "auditor", "completed");
		tf_on_ok("h3", id, "auditor", "completed");
	}
}

/*
 * The areas a fit auditor is evidenced at ("a:competent b:expert"): a
 * later evaluation in January 2026 that meets the criteria and assessed
 * them.
 */
static inline void
tf_areas(const char *aud, const char *assessed)
{
	char	id[ID_MAX + 1];

	snprintf(id, sizeof id, "ea.%s", aud);
	tf_eval(id, aud, "2026-01-20", "meets", "2027-01-09", assessed);
}

static inline void
tf_open(void)
{
	static const char *const areas[] = { "a", "b", "c", "d", "e", "f",
	    "legislation", NULL };
	const char *const	*a;
	json_t			*d;

	CU_ASSERT_EQUAL_FATAL(fixture_open(&tf, 64 << 20), 0);
	tf_begin();
	for (a = areas; *a != NULL; a++)
		tf_put("areas", *a, json_pack("{s:s, s:s}", "title", *a, "kind",
		    "knowledge"));
	tf_programme("p", NULL);
	d = json_pack("{s:s, s:{s:s, s:s}}", "title", "old", "period", "from",
	    "2020-01-01", "to", "2025-12-31");
	tf_put("programmes", "old", d);
	tf_audit("h1", "History", "2025-01-10", "2025-01-12",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_audit("h2", "History", "2025-02-10", "2025-02-12",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_audit("h3", "History", "2025-03-10", "2025-03-12",
	    "{\"programme\":\"old\",\"status\":\"closed\"}");
	tf_end();
}

static inline void
tf_close(void)
{
	CU_ASSERT_FALSE(tf_batching);
	fixture_close(&tf);
}

/* ---- judging ------------------------------------------------------------- */

/* The plan of audit (a check_plan is large: the caller's heap). */
static inline struct check_plan *
tf_plan(const char *audit)
{
	struct check_plan	*p;
	MDB_txn			*txn;

	CU_ASSERT_FALSE_FATAL(tf_batching);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = malloc(sizeof *p));
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(check_plan_load(tf.st, txn, audit, p),
	    STORE_OK);
	mdb_txn_abort(txn);
	return p;
}

/*
 * r is rule with ok, detail (NULL: any) and exactly the evidence in ap
 * (NULL-ended); what differs is printed, since CUnit can only name the
 * line here.
 */
static inline void
tf_result_v(const char *who, const struct check_result *r,
    enum check_rule rule, int ok, const char *detail, va_list ap)
{
	const char	*ev;
	size_t		 n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->rule, rule);
	if (r->ok != ok || (detail != NULL && strcmp(r->detail, detail) != 0))
		fprintf(stderr, "\n%s %s: ok %d, \"%s\"\n", who,
		    check_rule_name(rule), r->ok, r->detail);
	CU_ASSERT_EQUAL(r->ok, ok);
	if (detail != NULL)
		TF_STREQ(r->detail, detail);
	while ((ev = va_arg(ap, const char *)) != NULL) {
		CU_ASSERT(n < r->nevidence && strcmp(r->evidence[n], ev) == 0);
		if (n >= r->nevidence || strcmp(r->evidence[n], ev) != 0)
			fprintf(stderr, "\n%s %s evidence %zu: %s, want %s\n",
			    who, check_rule_name(rule), n, n < r->nevidence ?
			    r->evidence[n] : "(none)", ev);
		n++;
	}
	if (r->nevidence != n)
		fprintf(stderr, "\n%s %s: %zu evidence, want %zu\n", who,
		    check_rule_name(rule), r->nevidence, n);
	CU_ASSERT_EQUAL(r->nevidence, n);
}

static inline void
tf_result(const struct check_result *r, enum check_rule rule, int ok,
    const char *detail, ...)
{
	va_list	ap;

	va_start(ap, detail);
	tf_result_v("", r, rule, ok, detail, ap);
	va_end(ap);
}

/* check_member_rule for aud over audit; the store result. */
static inline int
tf_rule(enum check_rule rule, const char *aud, const char *audit,
    struct check_result *r)
{
	struct check_plan	*p = tf_plan(audit);
	MDB_txn			*txn;
	int			 rc;

	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	rc = check_member_rule(tf.st, txn, rule, aud, p, r);
	mdb_txn_abort(txn);
	free(p);
	return rc;
}

/* Judge rule for aud over audit and require ok, detail and evidence. */
static inline void
tf_expect(enum check_rule rule, const char *aud, const char *audit, int ok,
    const char *detail, ...)
{
	struct check_result	r;
	va_list			ap;

	CU_ASSERT_EQUAL_FATAL(tf_rule(rule, aud, audit, &r), STORE_OK);
	va_start(ap, detail);
	tf_result_v(aud, &r, rule, ok, detail, ap);
	va_end(ap);
}

/* A team check, its plan and its verdict as JSON (checked by its schema). */
struct tf_check {
	struct check_plan	*p;
	struct check_verdict	 v;
	json_t			*j;
};

/* team: "alice:lead bob:auditor"; "" for none. */
static inline void
tf_check(struct tf_check *c, const char *audit, const char *team)
{
	struct check_member	 m[CHECK_TEAM_MAX];
	MDB_txn			*txn;
	json_t			*errors;
	size_t			 n = 0;
	char			 buf[1024], *w, *last, *role;
	int			 r;

	snprintf(buf, sizeof buf, "%s", team);
	for (w = strtok_r(buf, " ", &last); w != NULL;
	    w = strtok_r(NULL, " ", &last)) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(role = strchr(w, ':'));
		*role++ = '\0';
		CU_ASSERT_FATAL((r = assign_role_parse(role)) >= 0);
		snprintf(m[n].auditor, sizeof m[n].auditor, "%s", w);
		m[n++].role = (enum assign_role)r;
	}
	c->p = tf_plan(audit);
	CU_ASSERT_EQUAL_FATAL(store_read_begin(tf.st, &txn), STORE_OK);
	CU_ASSERT_EQUAL_FATAL(check_team(tf.st, txn, c->p, m, n, &c->v),
	    STORE_OK);
	mdb_txn_abort(txn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->j = check_verdict_json(c->p, &c->v,
	    "2026-05-01"));
	errors = json_array();
	CU_ASSERT_EQUAL(schema_validate(schema_builtin("verdict"), c->j,
	    errors, 10), 0);
	if (json_array_size(errors) > 0) {
		char *s = json_dumps(errors, JSON_COMPACT);
		fprintf(stderr, "\nverdict: %s\n", s);
		free(s);
	}
	json_decref(errors);
}

static inline void
tf_check_free(struct tf_check *c)
{
	check_verdict_free(&c->v);
	json_decref(c->j);
	free(c->p);
}

/* aud's member verdict, NULL when not on the team. */
static inline const struct check_member_verdict *
tf_mv(const struct tf_check *c, const char *aud)
{
	size_t	i;

	for (i = 0; i < c->v.nmembers; i++)
		if (strcmp(c->v.members[i].m.auditor, aud) == 0)
			return &c->v.members[i];
	return NULL;
}

/* aud's outcome of rule, NULL when the rule does not apply to them. */
static inline const struct check_result *
tf_member(const struct tf_check *c, const char *aud, enum check_rule rule)
{
	const struct check_member_verdict	*mv = tf_mv(c, aud);
	size_t					 i;

	for (i = 0; mv != NULL && i < mv->nchecks; i++)
		if (mv->checks[i].rule == rule)
			return &mv->checks[i];
	return NULL;
}

/* The warning of rule for aud, NULL when there is none. */
static inline const struct check_result *
tf_warning(const struct tf_check *c, const char *aud, enum check_rule rule)
{
	size_t	i;

	for (i = 0; i < c->v.nwarnings; i++)
		if (strcmp(c->v.warnings[i].auditor, aud) == 0 &&
		    c->v.warnings[i].r.rule == rule)
			return &c->v.warnings[i].r;
	return NULL;
}

static inline const char *
tf_str(const json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

#endif
