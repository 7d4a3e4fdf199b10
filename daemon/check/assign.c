/*
 * assign.c: the rows of auditors and assignments the team rules read (see
 * assign.h): how documents become rows, how the hooks keep them in step
 * (an assignment's rows carry its audit's dates, auditee and status, so a
 * change of those rewrites them), and the readers. Values are in
 * check/codec.h's form.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "check/assign.h"
#include "check/codec.h"

const char *const assign_aux_names[] = { "auds", "busy", "team", "leads",
    NULL };

static const char *const auditor_statuses[] = { "active", "suspended",
    "retired" };
static const char *const roles[] = { "lead", "auditor", "technical_expert",
    "observer", "trainee" };
static const char *const statuses[] = { "proposed", "confirmed", "withdrawn",
    "completed" };
static const char *const audit_statuses[] = { "planned", "in_progress",
    "reported", "closed", "cancelled" };

#define NAMES(a)	(sizeof (a) / sizeof (a)[0])
#define KEY_MAX		511	/* LMDB's */
#define VAL_MAX		1024

const char *
assign_role_name(enum assign_role r)
{
	return codec_name(roles, NAMES(roles), (int)r);
}

int
assign_role_parse(const char *s)
{
	return codec_index(roles, NAMES(roles), s);
}

const char *
assign_status_name(enum assign_status s)
{
	return codec_name(statuses, NAMES(statuses), (int)s);
}

int
assign_status_parse(const char *s)
{
	return codec_index(statuses, NAMES(statuses), s);
}

int
assign_audit_status_parse(const char *s)
{
	return codec_index(audit_statuses, NAMES(audit_statuses), s);
}

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

/* ---- auditors ------------------------------------------------------------ */

static int
put_row(struct store_txn *t, const char *table, const struct codec_enc *k,
    const struct codec_enc *v)
{
	if (k->bad || v->bad)
		return STORE_INVALID;
	return store_txn_aux_put(t, table, k->p, k->n, v->p, v->n);
}

static int
del_row(struct store_txn *t, const char *table, const struct codec_enc *k)
{
	int	rc;

	if (k->bad)
		return STORE_OK;	/* a row that never was */
	rc = store_txn_aux_del(t, table, k->p, k->n);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int
assign_derive_auditor(struct store_txn *t, const char *id, const json_t *old,
    const json_t *doc)
{
	unsigned char		 val[VAL_MAX];
	struct codec_enc	 k = { (unsigned char *)id, strlen(id), 0, 0 };
	struct codec_enc	 v = { val, 0, sizeof val, 0 };
	const json_t		*l;
	size_t			 i;
	int			 st;

	(void)old;
	if (doc == NULL)
		return del_row(t, "auds", &k);
	st = codec_index(auditor_statuses, NAMES(auditor_statuses),
	    str(doc, "status"));
	codec_put_byte(&v, st < 0 ? ASSIGN_RETIRED : st);
	codec_put_text(&v, str(doc, "name"));
	codec_put_text(&v, str(doc, "unit"));
	codec_put_byte(&v, (int)json_array_size(json_object_get(doc,
	    "languages")));
	json_array_foreach(json_object_get(doc, "languages"), i, l)
		codec_put_text(&v, json_string_value(l));
	return put_row(t, "auds", &k, &v);
}

static int
dec_auditor(const MDB_val *key, const MDB_val *val, struct assign_auditor *a)
{
	struct codec_dec	d = { val->mv_data, val->mv_size, 0 };
	size_t			i;

	if (key->mv_size == 0 || key->mv_size > ID_MAX)
		return -1;
	memcpy(a->id, key->mv_data, key->mv_size);
	a->id[key->mv_size] = '\0';
	a->status = (enum assign_auditor_status)codec_get_byte(&d);
	codec_get_text(&d, a->name, sizeof a->name);
	codec_get_text(&d, a->unit, sizeof a->unit);
	a->nlangs = (size_t)codec_get_byte(&d);
	if (a->nlangs > ASSIGN_LANGS_MAX)
		return -1;
	for (i = 0; i < a->nlangs; i++)
		codec_get_text(&d, a->langs[i], sizeof a->langs[i]);
	return d.bad || d.n != 0 ? -1 : 0;
}

int
assign_auditor(struct store *st, MDB_txn *txn, const char *auditor,
    struct assign_auditor *a)
{
	MDB_val	k, v;
	int	rc;

	k.mv_size = strlen(auditor);
	if (k.mv_size == 0 || k.mv_size > ID_MAX)
		return STORE_NOTFOUND;
	k.mv_data = (void *)auditor;
	if ((rc = store_aux_get(st, txn, "auds", auditor, k.mv_size, &v)) !=
	    STORE_OK)
		return rc;
	if (dec_auditor(&k, &v, a) != 0) {
		log_warnx("auds: the row of %s does not decode", auditor);
		return STORE_IO;
	}
	return STORE_OK;
}

struct auditors_walk {
	int			(*cb)(const struct assign_auditor *, void *);
	void			*arg;
	struct assign_auditor	 a;
};

static int
auditors_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct auditors_walk	*w = arg;

	if (dec_auditor(k, v, &w->a) != 0) {
		log_warnx("auds: a row that does not decode");
		return 0;
	}
	return w->cb(&w->a, w->arg);
}

int
assign_auditors(struct store *st, MDB_txn *txn,
    int (*cb)(const struct assign_auditor *, void *), void *arg)
{
	struct auditors_walk	w = { .cb = cb, .arg = arg };

	return store_aux_walk(st, txn, "auds", NULL, 0, auditors_one, &w);
}

/* ---- assignments --------------------------------------------------------- */

/* What an assignment's rows say of its audit. */
struct audit_part {
	char				start[UTIL_DATE_LEN];
	char				end[UTIL_DATE_LEN];
	char				auditee[ASSIGN_TEXT_MAX + 1];
	enum assign_audit_status	status;
};

/* What an assignment's rows say of itself. */
struct asg_part {
	const char		*id;
	const char		*audit;
	const char		*auditor;
	int			 role;
	int			 status;
};

/* The three rows of one assignment, encoded. */
struct asg_rows {
	unsigned char		 bk[KEY_MAX], bv[VAL_MAX];
	unsigned char		 tk[KEY_MAX], tv[VAL_MAX];
	unsigned char		 lk[KEY_MAX];
	struct codec_enc	 busy_k, busy_v, team_k, team_v, lead_k;
	int			 lead;	/* 1: it gives a leads row */
};

static int
audit_part(const json_t *a, struct audit_part *p)
{
	const char	*s = str(a, "start"), *e = str(a, "end");
	const char	*who = str(a, "auditee");
	int		 st = assign_audit_status_parse(str(a, "status"));

	/* Zeroed whole: assign_derive_audit compares two with memcmp. */
	memset(p, 0, sizeof *p);
	if (s == NULL || e == NULL || !util_date_valid(s) ||
	    !util_date_valid(e) || who == NULL ||
	    strlen(who) > ASSIGN_TEXT_MAX || st < 0)
		return -1;
	memcpy(p->start, s, UTIL_DATE_LEN);
	memcpy(p->end, e, UTIL_DATE_LEN);
	memcpy(p->auditee, who, strlen(who) + 1);
	p->status = (enum assign_audit_status)st;
	return 0;
}

static int
asg_part(const char *id, const json_t *doc, struct asg_part *p)
{
	p->id = id;
	p->audit = str(doc, "audit");
	p->auditor = str(doc, "auditor");
	p->role = assign_role_parse(str(doc, "role"));
	p->status = assign_status_parse(str(doc, "status"));
	return p->audit == NULL || p->auditor == NULL || p->role < 0 ||
	    p->status < 0 ? -1 : 0;
}

static void
enc_init(struct codec_enc *e, unsigned char *b, size_t max)
{
	e->p = b;
	e->n = 0;
	e->max = max;
	e->bad = 0;
}

/* s in lower case (ASCII), into out (ASSIGN_TEXT_MAX + 1 bytes). */
static void
fold(const char *s, char *out)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i < ASSIGN_TEXT_MAX; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static void
encode_rows(const struct asg_part *g, const struct audit_part *a,
    struct asg_rows *r)
{
	char	folded[ASSIGN_TEXT_MAX + 1];

	enc_init(&r->busy_k, r->bk, sizeof r->bk);
	enc_init(&r->busy_v, r->bv, sizeof r->bv);
	enc_init(&r->team_k, r->tk, sizeof r->tk);
	enc_init(&r->team_v, r->tv, sizeof r->tv);
	enc_init(&r->lead_k, r->lk, sizeof r->lk);
	codec_put_bytes(&r->busy_k, g->auditor, strlen(g->auditor) + 1);
	codec_put_bytes(&r->busy_k, a->start, UTIL_DATE_LEN);
	codec_put_bytes(&r->busy_k, g->id, strlen(g->id));
	codec_put_date(&r->busy_v, a->end);
	codec_put_byte(&r->busy_v, g->role);
	codec_put_byte(&r->busy_v, g->status);
	codec_put_byte(&r->busy_v, a->status);
	codec_put_text(&r->busy_v, g->audit);
	codec_put_bytes(&r->team_k, g->audit, strlen(g->audit) + 1);
	codec_put_bytes(&r->team_k, g->id, strlen(g->id));
	codec_put_text(&r->team_v, g->auditor);
	codec_put_byte(&r->team_v, g->role);
	codec_put_byte(&r->team_v, g->status);
	r->lead = g->role == ASSIGN_LEAD && (g->status == ASSIGN_CONFIRMED ||
	    g->status == ASSIGN_COMPLETED) && a->status != ASSIGN_CANCELLED;
	/* Folded: rotation, like independence, ignores the auditee's case. */
	fold(a->auditee, folded);
	codec_put_bytes(&r->lead_k, folded, strlen(folded) + 1);
	codec_put_bytes(&r->lead_k, a->start, UTIL_DATE_LEN);
	codec_put_bytes(&r->lead_k, g->audit, strlen(g->audit) + 1);
	codec_put_bytes(&r->lead_k, g->auditor, strlen(g->auditor));
}

static int
rows_del(struct store_txn *t, const struct asg_rows *r)
{
	int	rc;

	if ((rc = del_row(t, "busy", &r->busy_k)) != STORE_OK ||
	    (rc = del_row(t, "team", &r->team_k)) != STORE_OK)
		return rc;
	return r->lead ? del_row(t, "leads", &r->lead_k) : STORE_OK;
}

static int
rows_put(struct store_txn *t, const struct asg_rows *r)
{
	int	rc;

	if ((rc = put_row(t, "busy", &r->busy_k, &r->busy_v)) != STORE_OK ||
	    (rc = put_row(t, "team", &r->team_k, &r->team_v)) != STORE_OK)
		return rc;
	if (!r->lead)
		return STORE_OK;
	if (r->lead_k.bad)
		return STORE_INVALID;
	return store_txn_aux_put(t, "leads", r->lead_k.p, r->lead_k.n, "", 0);
}

/* The audit an assignment names, as its rows need it. */
static int
load_audit(struct store_txn *t, const char *audit, struct audit_part *p)
{
	json_t	*a;
	int	 rc;

	if ((rc = store_txn_get(t, "audits", audit, &a)) != STORE_OK)
		return rc;
	rc = audit_part(a, p) == 0 ? STORE_OK : STORE_INVALID;
	json_decref(a);
	return rc;
}

int
assign_derive_assignment(struct store_txn *t, const char *id,
    const json_t *old, const json_t *doc)
{
	struct asg_rows		*r;
	struct asg_part		 g;
	struct audit_part	 a;
	int			 rc = STORE_OK;

	if ((r = malloc(sizeof *r)) == NULL)
		return STORE_IO;
	if (old != NULL && asg_part(id, old, &g) == 0 &&
	    load_audit(t, g.audit, &a) == STORE_OK) {
		encode_rows(&g, &a, r);
		rc = rows_del(t, r);
	}
	if (rc == STORE_OK && doc != NULL) {
		if (asg_part(id, doc, &g) != 0)
			rc = STORE_INVALID;
		else if ((rc = load_audit(t, g.audit, &a)) == STORE_OK) {
			encode_rows(&g, &a, r);
			rc = rows_put(t, r);
		}
	}
	if (rc != STORE_OK)
		log_warnx("assignment %s: its rows: %s", id,
		    store_strerror(rc));
	free(r);
	return rc;
}

/* ---- the team table ------------------------------------------------------ */

static int
dec_member(const MDB_val *key, const MDB_val *val, struct assign_member *m)
{
	struct codec_dec	 d = { val->mv_data, val->mv_size, 0 };
	const char		*k = key->mv_data;
	size_t			 a = strnlen(k, key->mv_size), n;

	if (a + 1 >= key->mv_size || (n = key->mv_size - a - 1) > ID_MAX)
		return -1;
	memcpy(m->id, k + a + 1, n);
	m->id[n] = '\0';
	codec_get_text(&d, m->auditor, sizeof m->auditor);
	m->role = (enum assign_role)codec_get_byte(&d);
	m->status = (enum assign_status)codec_get_byte(&d);
	if (m->role >= ASSIGN_NROLES || m->status > ASSIGN_COMPLETED)
		return -1;
	return d.bad || d.n != 0 ? -1 : 0;
}

struct team_walk {
	int			(*cb)(const struct assign_member *, void *);
	void			*arg;
	struct assign_member	 m;
};

static int
team_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct team_walk	*w = arg;

	if (dec_member(k, v, &w->m) != 0) {
		log_warnx("team: a row that does not decode");
		return 0;
	}
	return w->cb(&w->m, w->arg);
}

int
assign_team(struct store *st, MDB_txn *txn, const char *audit,
    int (*cb)(const struct assign_member *, void *), void *arg)
{
	struct team_walk	w = { .cb = cb, .arg = arg };
	size_t			n = strlen(audit);

	if (n == 0 || n > ID_MAX)
		return STORE_NOTFOUND;
	return store_aux_walk(st, txn, "team", audit, n + 1, team_one, &w);
}

/*
 * When an audit's dates, auditee or status change, every assignment's rows
 * that carry them are rewritten: collected first, since the walk cannot go
 * on over rows being changed.
 */
struct rederive {
	struct assign_member	*m;
	size_t			 n, cap;
	int			 failed;
};

static int
rederive_one(const struct assign_member *m, void *arg)
{
	struct rederive		*r = arg;
	struct assign_member	*nm;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		if ((nm = reallocarray(r->m, r->cap, sizeof *nm)) == NULL) {
			r->failed = 1;
			return 1;
		}
		r->m = nm;
	}
	r->m[r->n++] = *m;
	return 0;
}

int
assign_derive_audit(struct store_txn *t, const char *id, const json_t *old,
    const json_t *doc)
{
	struct audit_part	 a, b;
	struct rederive		 rd = { NULL, 0, 0, 0 };
	struct asg_rows		*r;
	struct asg_part		 g;
	struct store		*st;
	MDB_txn			*txn;
	size_t			 i;
	int			 rc;

	/* A new audit has no assignments; a referenced one is not deleted. */
	if (old == NULL || doc == NULL)
		return STORE_OK;
	if (audit_part(old, &a) != 0 || audit_part(doc, &b) != 0)
		return STORE_INVALID;
	if (memcmp(&a, &b, sizeof a) == 0)
		return STORE_OK;
	store_txn_view(t, &st, &txn);
	if ((rc = assign_team(st, txn, id, rederive_one, &rd)) != STORE_OK ||
	    rd.failed) {
		free(rd.m);
		return rd.failed ? STORE_IO : rc;
	}
	if ((r = malloc(sizeof *r)) == NULL) {
		free(rd.m);
		return STORE_IO;
	}
	for (i = 0, rc = STORE_OK; i < rd.n && rc == STORE_OK; i++) {
		g.id = rd.m[i].id;
		g.audit = id;
		g.auditor = rd.m[i].auditor;
		g.role = (int)rd.m[i].role;
		g.status = (int)rd.m[i].status;
		encode_rows(&g, &a, r);
		if ((rc = rows_del(t, r)) == STORE_OK) {
			encode_rows(&g, &b, r);
			rc = rows_put(t, r);
		}
	}
	free(r);
	free(rd.m);
	return rc;
}

/* ---- busy and leads ------------------------------------------------------ */

int
assign_decode_busy(const MDB_val *key, const MDB_val *val,
    struct assign_busy *b)
{
	struct codec_dec	 d = { val->mv_data, val->mv_size, 0 };
	const char		*k = key->mv_data;
	size_t			 a = strnlen(k, key->mv_size), off, n;
	int			 role, status, ast;

	off = a + 1 + UTIL_DATE_LEN;
	if (off >= key->mv_size || (n = key->mv_size - off) > ID_MAX)
		return -1;
	memcpy(b->start, k + a + 1, UTIL_DATE_LEN - 1);
	b->start[UTIL_DATE_LEN - 1] = '\0';
	memcpy(b->id, k + off, n);
	b->id[n] = '\0';
	codec_get_date(&d, b->end);
	role = codec_get_byte(&d);
	status = codec_get_byte(&d);
	ast = codec_get_byte(&d);
	codec_get_text(&d, b->audit, sizeof b->audit);
	if (role >= ASSIGN_NROLES || status > ASSIGN_COMPLETED ||
	    ast > ASSIGN_CANCELLED)
		return -1;
	b->role = (enum assign_role)role;
	b->status = (enum assign_status)status;
	b->audit_status = (enum assign_audit_status)ast;
	return d.bad || d.n != 0 ? -1 : 0;
}

struct busy_walk {
	int			(*cb)(const struct assign_busy *, void *);
	void			*arg;
	struct assign_busy	 b;
};

static int
busy_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct busy_walk	*w = arg;

	if (assign_decode_busy(k, v, &w->b) != 0) {
		log_warnx("busy: a row that does not decode");
		return 0;
	}
	return w->cb(&w->b, w->arg);
}

int
assign_busy(struct store *st, MDB_txn *txn, const char *auditor,
    int (*cb)(const struct assign_busy *, void *), void *arg)
{
	struct busy_walk	w = { .cb = cb, .arg = arg };
	size_t			n = strlen(auditor);

	if (n == 0 || n > ID_MAX)
		return STORE_NOTFOUND;
	return store_aux_walk(st, txn, "busy", auditor, n + 1, busy_one, &w);
}

struct lead_row {
	char	audit[ID_MAX + 1];
	char	start[UTIL_DATE_LEN];
	char	auditor[ID_MAX + 1];
};

struct leads_walk {
	const char	*before;
	size_t		 plen;
	struct lead_row	*rows;
	size_t		 n, cap;
	int		 failed;
};

static int
leads_one(const MDB_val *key, const MDB_val *val, void *arg)
{
	struct leads_walk	*w = arg;
	struct lead_row		*r;
	const char		*k = key->mv_data, *p;
	size_t			 left, n;

	(void)val;
	if (key->mv_size < w->plen + UTIL_DATE_LEN + 2)
		return 0;
	p = k + w->plen;
	if (memcmp(p, w->before, UTIL_DATE_LEN - 1) >= 0)
		return 1;	/* start order: none later counts */
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		if ((r = reallocarray(w->rows, w->cap, sizeof *r)) == NULL) {
			w->failed = 1;
			return 1;
		}
		w->rows = r;
	}
	r = &w->rows[w->n];
	memcpy(r->start, p, UTIL_DATE_LEN - 1);
	r->start[UTIL_DATE_LEN - 1] = '\0';
	p += UTIL_DATE_LEN;
	left = key->mv_size - w->plen - UTIL_DATE_LEN;
	n = strnlen(p, left);
	if (n == 0 || n > ID_MAX || n + 1 >= left || left - n - 1 > ID_MAX)
		return 0;
	memcpy(r->audit, p, n + 1);
	memcpy(r->auditor, p + n + 1, left - n - 1);
	r->auditor[left - n - 1] = '\0';
	w->n++;
	return 0;
}

int
assign_leads(struct store *st, MDB_txn *txn, const char *auditee,
    const char *before, int (*cb)(const char *, const char *, const char *,
    void *), void *arg)
{
	struct leads_walk	w = { before, 0, NULL, 0, 0, 0 };
	char			folded[ASSIGN_TEXT_MAX + 1];
	size_t			i;
	int			rc;

	if (strlen(auditee) > ASSIGN_TEXT_MAX)
		return STORE_INVALID;
	fold(auditee, folded);
	w.plen = strlen(folded) + 1;
	if (w.plen > ASSIGN_TEXT_MAX + 1 || strlen(before) != UTIL_DATE_LEN - 1)
		return STORE_INVALID;
	rc = store_aux_walk(st, txn, "leads", folded, w.plen, leads_one, &w);
	if (rc == STORE_OK && w.failed)
		rc = STORE_IO;
	for (i = w.n; rc == STORE_OK && i > 0; i--)
		if (cb(w.rows[i - 1].audit, w.rows[i - 1].start,
		    w.rows[i - 1].auditor, arg) != 0)
			break;
	free(w.rows);
	return rc;
}
