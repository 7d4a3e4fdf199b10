/*
 * reports.c: the HR reports (see reports.h). Each walks the active
 * auditors through the status field's index, reads each one's derived rows
 * with the helpers the member rules use (check/rules.h), keeps a few bytes
 * per row to sort, and writes its answer straight into one buffer (jw.h):
 * a report over 10,000 auditors is megabytes of JSON, and a tree of small
 * allocations cost more than the walk. Keys are written sorted, so the
 * answer is canonical JSON like every other.
 */
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "api/reports.h"
#include "api/router.h"
#include "api/view.h"
#include "check/rules.h"

/* ---- the active auditors ------------------------------------------------- */

/* What every report's walk over the auditors carries. */
struct walk {
	struct store			*st;
	MDB_txn				*txn;
	const struct report_args	*a;
	struct policy			 p;
	int				(*fn)(struct walk *, const char *id,
					    const char *name);
	int				 rc;
	void				*arg;
};

static int
active_one(const char *id, const MDB_val *doc, void *arg)
{
	struct walk	*w = arg;
	json_t		*d;
	const char	*name;

	if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL) {
		w->rc = STORE_IO;
		return -1;
	}
	if ((name = json_string_value(json_object_get(d, "name"))) == NULL)
		name = "";
	w->rc = w->fn(w, id, name);
	json_decref(d);
	return w->rc == STORE_OK ? 1 : -1;
}

/* w->fn for each active auditor in id order (own scope: a->only alone). */
static int
walk_active(struct walk *w, struct store *st, MDB_txn *txn,
    const struct report_args *a,
    int (*fn)(struct walk *, const char *, const char *), void *arg)
{
	char	next[ID_MAX + 1];
	MDB_val	doc;
	int	rc;

	memset(w, 0, sizeof *w);
	w->st = st;
	w->txn = txn;
	w->a = a;
	w->fn = fn;
	w->arg = arg;
	policy_default(&w->p);
	if (!a->own)
		rc = store_list_by(st, txn, "auditors", "status", "active",
		    NULL, 0, active_one, w, next);
	else if (!store_index_has(st, txn, "auditors", "status", "active",
	    a->only))
		return STORE_OK;
	else if ((rc = store_get(st, txn, "auditors", a->only, &doc)) ==
	    STORE_OK)
		active_one(a->only, &doc, w);
	return rc != STORE_OK ? rc : w->rc;
}

/* Room for one more of *n elements of size sz in *v; -1 when out of it. */
static int
grow(void **v, size_t *n, size_t *max, size_t sz)
{
	void	*p;
	size_t	 m;

	if (*n < *max)
		return 0;
	m = *max != 0 ? *max * 2 : 256;
	if ((p = realloc(*v, m * sz)) == NULL)
		return -1;
	*v = p;
	*max = m;
	return 0;
}

/* The answer in w, or STORE_IO when memory ran out. */
static int
finish(struct jw *w, int rc, char **out, size_t *len)
{
	if (rc != STORE_OK) {
		jw_free(w);
		return rc;
	}
	*out = jw_take(w, len);
	return *out != NULL ? STORE_OK : STORE_IO;
}

/* ---- cpd ----------------------------------------------------------------- */

struct cpd_row {
	char		 id[ID_MAX + 1];
	char		*name;
	uint64_t	 hours, gap;
};

struct cpd {
	struct check_window	 period;
	uint64_t		 min;
	struct cpd_row		*v;
	size_t			 n, max;
};

static int
cpd_auditor(struct walk *w, const char *id, const char *name)
{
	struct cpd	*c = w->arg;
	struct cpd_row	*r;
	uint64_t	 sum;
	int		 rc;

	if ((rc = check_cpd_sum(w->st, w->txn, id, &c->period, &sum, NULL,
	    NULL)) != STORE_OK)
		return rc;
	if (grow((void **)&c->v, &c->n, &c->max, sizeof *c->v) != 0)
		return STORE_IO;
	r = &c->v[c->n];
	if ((r->name = strdup(name)) == NULL)
		return STORE_IO;
	c->n++;
	snprintf(r->id, sizeof r->id, "%s", id);
	r->hours = sum;
	r->gap = sum >= c->min ? 0 : c->min - sum;
	return STORE_OK;
}

/* The largest shortfall first, then by auditor id. */
static int
cpd_cmp(const void *a, const void *b)
{
	const struct cpd_row	*x = a, *y = b;

	if (x->gap != y->gap)
		return x->gap > y->gap ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
cpd_evidence(const struct rows_cpd *t, void *arg)
{
	jw_ref(arg, "trainings", t->id);
	return 0;
}

static int
cpd_write(struct store *st, MDB_txn *txn, const struct cpd *c,
    struct jw *w)
{
	size_t		i;
	uint64_t	sum;
	int		rc = STORE_OK;

	jw_open(w, '{');
	jw_key(w, "from");
	jw_str(w, c->period.start);
	jw_key(w, "items");
	jw_open(w, '[');
	for (i = 0; i < c->n && rc == STORE_OK; i++) {
		jw_open(w, '{');
		jw_key(w, "auditor");
		jw_str(w, c->v[i].id);
		jw_key(w, "evidence");
		jw_open(w, '[');
		rc = check_cpd_sum(st, txn, c->v[i].id, &c->period, &sum,
		    cpd_evidence, w);
		jw_close(w, ']');
		jw_key(w, "hours");
		jw_hours(w, c->v[i].hours);
		jw_key(w, "min_hours");
		jw_hours(w, c->min);
		jw_key(w, "name");
		jw_str(w, c->v[i].name);
		jw_key(w, "shortfall");
		jw_hours(w, c->v[i].gap);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_key(w, "min_hours");
	jw_hours(w, c->min);
	jw_key(w, "to");
	jw_str(w, c->period.end);
	jw_close(w, '}');
	return rc;
}

int
report_cpd(struct store *st, MDB_txn *txn, const struct report_args *a,
    char **out, size_t *len)
{
	struct walk	w;
	struct cpd	c;
	struct jw	j;
	size_t		i;
	int		rc;

	*out = NULL;
	memset(&c, 0, sizeof c);
	jw_init(&j);
	memcpy(c.period.start, a->from, UTIL_DATE_LEN);
	memcpy(c.period.end, a->to, UTIL_DATE_LEN);
	policy_default(&w.p);
	c.min = check_cpd_prorated(&w.p, &c.period);
	rc = walk_active(&w, st, txn, a, cpd_auditor, &c);
	if (rc == STORE_OK) {
		qsort(c.v, c.n, sizeof *c.v, cpd_cmp);
		rc = cpd_write(st, txn, &c, &j);
	}
	for (i = 0; i < c.n; i++)
		free(c.v[i].name);
	free(c.v);
	return finish(&j, rc, out, len);
}

/* ---- expiring ------------------------------------------------------------ */

/* A verified qualification: of an auditor's (renewals), or listed. */
struct held {
	char			id[ID_MAX + 1];
	char			auditor[ID_MAX + 1];
	enum rows_qual_kind	kind;
	char			standard[ROWS_TEXT_MAX + 1];
	char			expires[UTIL_DATE_LEN];
	long			days;
};

struct helds {
	struct held	*v;
	size_t		 n, max;
	int		 bad;
};

static int
held_one(const struct rows_qual *q, void *arg)
{
	struct helds	*h = arg;
	struct held	*v;

	if (!q->verified)
		return 0;
	if (grow((void **)&h->v, &h->n, &h->max, sizeof *h->v) != 0) {
		h->bad = 1;
		return 1;
	}
	v = &h->v[h->n++];
	memcpy(v->id, q->id, sizeof v->id);
	v->kind = q->kind;
	memcpy(v->standard, q->standard, sizeof v->standard);
	memcpy(v->expires, q->expires, sizeof v->expires);
	return 0;
}

/* 1 if another of h, of q's kind and standard, lasts longer than q. */
static int
renewed(const struct helds *h, const struct held *q)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		if (&h->v[i] != q && h->v[i].kind == q->kind &&
		    strcmp(h->v[i].standard, q->standard) == 0 &&
		    (h->v[i].expires[0] == '\0' ||
		    strcmp(h->v[i].expires, q->expires) > 0))
			return 1;
	return 0;
}

static int
expiring_auditor(struct walk *w, const char *id, const char *name)
{
	struct helds	*list = w->arg, h;
	struct held	*q;
	size_t		 i;
	int		 rc;

	(void)name;
	memset(&h, 0, sizeof h);
	rc = rows_quals(w->st, w->txn, id, held_one, &h);
	for (i = 0; rc == STORE_OK && !h.bad && i < h.n; i++) {
		q = &h.v[i];
		if (q->expires[0] == '\0' || renewed(&h, q))
			continue;
		q->days = check_date_diff(w->a->on, q->expires);
		if (q->days > w->a->within)
			continue;
		if (grow((void **)&list->v, &list->n, &list->max,
		    sizeof *list->v) != 0) {
			rc = STORE_IO;
			break;
		}
		snprintf(q->auditor, sizeof q->auditor, "%s", id);
		list->v[list->n++] = *q;
	}
	if (rc == STORE_OK && h.bad)
		rc = STORE_IO;
	free(h.v);
	return rc;
}

/* Soonest expiry first, then by qualification id. */
static int
held_cmp(const void *a, const void *b)
{
	const struct held	*x = a, *y = b;
	int			 c = strcmp(x->expires, y->expires);

	return c != 0 ? c : strcmp(x->id, y->id);
}

/* The top of the expiring and evaluations-due answers, after items. */
static void
write_on(struct jw *j, const struct report_args *a)
{
	jw_key(j, "on");
	jw_str(j, a->on);
	jw_key(j, "within");
	jw_int(j, a->within);
	jw_close(j, '}');
}

int
report_expiring(struct store *st, MDB_txn *txn, const struct report_args *a,
    char **out, size_t *len)
{
	struct walk	 w;
	struct helds	 l;
	struct held	*q;
	struct jw	 j;
	size_t		 i;
	int		 rc;

	*out = NULL;
	memset(&l, 0, sizeof l);
	jw_init(&j);
	rc = walk_active(&w, st, txn, a, expiring_auditor, &l);
	qsort(l.v, l.n, sizeof *l.v, held_cmp);
	jw_open(&j, '{');
	jw_key(&j, "items");
	jw_open(&j, '[');
	for (i = 0; i < l.n; i++) {
		q = &l.v[i];
		jw_open(&j, '{');
		jw_key(&j, "auditor");
		jw_str(&j, q->auditor);
		jw_key(&j, "days");
		jw_int(&j, q->days);
		jw_key(&j, "expires");
		jw_str(&j, q->expires);
		jw_key(&j, "kind");
		jw_str(&j, rows_qual_kind_name(q->kind));
		jw_key(&j, "qualification");
		jw_str(&j, q->id);
		jw_key(&j, "standard");
		if (q->standard[0] != '\0')
			jw_str(&j, q->standard);
		else
			jw_null(&j);
		jw_key(&j, "state");
		jw_str(&j, q->days < 0 ? "expired" : "expiring");
		jw_close(&j, '}');
	}
	jw_close(&j, ']');
	write_on(&j, a);
	free(l.v);
	return finish(&j, rc, out, len);
}

/* ---- evaluations due ----------------------------------------------------- */

enum { DUE_NONE = 0, DUE_OVERDUE, DUE_SOON };

struct due_row {
	char	 id[ID_MAX + 1];
	char	*name;
	int	 rank;			/* DUE_* */
	char	 latest[ID_MAX + 1];
	char	 due[UTIL_DATE_LEN];	/* "" for none */
	long	 days;
};

struct dues {
	struct due_row	*v;
	size_t		 n, max;
};

static int
due_auditor(struct walk *w, const char *id, const char *name)
{
	struct dues		*l = w->arg;
	struct due_row		 r;
	struct rows_eval	 e;
	int			 found, rc;

	memset(&r, 0, sizeof r);
	if ((rc = check_eval_latest(w->st, w->txn, id, w->a->on, &e,
	    &found)) != STORE_OK)
		return rc;
	if (found) {
		check_eval_due(&w->p, &e, r.due);
		r.days = check_date_diff(w->a->on, r.due);
		if (r.days > w->a->within)
			return STORE_OK;
		r.rank = r.days < 0 ? DUE_OVERDUE : DUE_SOON;
		memcpy(r.latest, e.id, sizeof r.latest);
	}
	snprintf(r.id, sizeof r.id, "%s", id);
	if (grow((void **)&l->v, &l->n, &l->max, sizeof *l->v) != 0 ||
	    (r.name = strdup(name)) == NULL)
		return STORE_IO;
	l->v[l->n++] = r;
	return STORE_OK;
}

/* None first, then overdue, then due; each by due day, then auditor id. */
static int
due_cmp(const void *a, const void *b)
{
	const struct due_row	*x = a, *y = b;
	int			 c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((c = strcmp(x->due, y->due)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

static void
due_write(struct jw *j, const struct due_row *r)
{
	static const char *const states[] = { "none", "overdue", "due" };

	jw_open(j, '{');
	jw_key(j, "auditor");
	jw_str(j, r->id);
	jw_key(j, "days");
	if (r->rank == DUE_NONE)
		jw_null(j);
	else
		jw_int(j, r->days);
	jw_key(j, "latest");
	if (r->rank == DUE_NONE)
		jw_null(j);
	else
		jw_ref(j, "evaluations", r->latest);
	jw_key(j, "name");
	jw_str(j, r->name);
	jw_key(j, "next_due");
	if (r->rank == DUE_NONE)
		jw_null(j);
	else
		jw_str(j, r->due);
	jw_key(j, "state");
	jw_str(j, states[r->rank]);
	jw_close(j, '}');
}

int
report_evaluations_due(struct store *st, MDB_txn *txn,
    const struct report_args *a, char **out, size_t *len)
{
	struct walk	w;
	struct dues	l;
	struct jw	j;
	size_t		i;
	int		rc;

	*out = NULL;
	memset(&l, 0, sizeof l);
	jw_init(&j);
	rc = walk_active(&w, st, txn, a, due_auditor, &l);
	qsort(l.v, l.n, sizeof *l.v, due_cmp);
	jw_open(&j, '{');
	jw_key(&j, "items");
	jw_open(&j, '[');
	for (i = 0; i < l.n; i++) {
		due_write(&j, &l.v[i]);
		free(l.v[i].name);
	}
	jw_close(&j, ']');
	write_on(&j, a);
	free(l.v);
	return finish(&j, rc, out, len);
}

/* ---- matrix -------------------------------------------------------------- */

struct cell {
	int		set;
	enum rows_level	level;
	const char	*coll;
	char		id[ID_MAX + 1];
	char		expires[UTIL_DATE_LEN];	/* "": does not lapse */
};

struct matrix {
	char		(*areas)[ID_MAX + 1];	/* in id order */
	size_t		  nareas, max;
	struct cell	 *cells;		/* one per area */
	struct jw	 *j;
	int		  bad;			/* memory ran out */
};

static int
area_one(const char *id, const MDB_val *doc, void *arg)
{
	struct matrix	*m = arg;

	(void)doc;
	if (grow((void **)&m->areas, &m->nareas, &m->max,
	    sizeof *m->areas) != 0) {
		m->bad = 1;
		return -1;
	}
	snprintf(m->areas[m->nareas++], sizeof m->areas[0], "%s", id);
	return 1;
}

/* The cell of area, or NULL for an area the catalogue does not hold. */
static struct cell *
cell_of(struct matrix *m, const char *area)
{
	char	(*a)[ID_MAX + 1];

	a = bsearch(area, m->areas, m->nareas, sizeof *m->areas,
	    (int (*)(const void *, const void *))strcmp);
	return a != NULL ? &m->cells[a - m->areas] : NULL;
}

struct cells_walk {
	struct matrix	*m;
	const char	*on;
	struct policy	 policy;
};

/* In date order: a later evaluation of an area overrides an earlier. */
static int
cells_eval(const struct rows_eval *e, void *arg)
{
	struct cells_walk	*cw = arg;
	struct cell		*c;
	size_t			 i;

	if (strcmp(e->date, cw->on) > 0)
		return 1;
	for (i = 0; i < e->nassessed; i++) {
		if ((c = cell_of(cw->m, e->assessed[i].area)) == NULL)
			continue;
		c->set = 1;
		c->level = e->assessed[i].level;
		c->coll = "evaluations";
		memcpy(c->id, e->id, sizeof c->id);
		/* An evaluation lapses on its due day. */
		check_eval_due(&cw->policy, e, c->expires);
	}
	return 0;
}

/* Only where no evaluation assessed the area. */
static int
cells_qual(const struct rows_qual *q, void *arg)
{
	struct cells_walk	*cw = arg;
	struct check_window	 day;
	struct cell		*c;
	size_t			 i;

	check_window_day(&day, cw->on);
	if (!q->verified || !check_window_covered(&day, q->issued, q->expires))
		return 0;
	for (i = 0; i < q->nareas; i++) {
		if ((c = cell_of(cw->m, q->areas[i])) == NULL || c->set)
			continue;
		c->set = 1;
		c->level = ROWS_COMPETENT;
		c->coll = "qualifications";
		memcpy(c->id, q->id, sizeof c->id);
		memcpy(c->expires, q->expires, sizeof c->expires);
	}
	return 0;
}

/* One auditor's row, written as it is read: the walk is in id order. */
static int
matrix_auditor(struct walk *w, const char *id, const char *name)
{
	struct matrix		*m = w->arg;
	struct cells_walk	 cw = { m, w->a->on, { 0 } };
	size_t			 i;
	int			 rc;

	policy_default(&cw.policy);
	memset(m->cells, 0, m->nareas * sizeof *m->cells);
	if ((rc = rows_evals(w->st, w->txn, id, cells_eval, &cw)) !=
	    STORE_OK ||
	    (rc = rows_quals(w->st, w->txn, id, cells_qual, &cw)) != STORE_OK)
		return rc;
	jw_open(m->j, '{');
	jw_key(m->j, "auditor");
	jw_str(m->j, id);
	jw_key(m->j, "cells");
	jw_open(m->j, '{');
	for (i = 0; i < m->nareas; i++) {
		if (!m->cells[i].set)
			continue;
		jw_key(m->j, m->areas[i]);
		jw_open(m->j, '{');
		jw_key(m->j, "evidence");
		jw_ref(m->j, m->cells[i].coll, m->cells[i].id);
		if (m->cells[i].expires[0] != '\0') {
			jw_key(m->j, "expires");
			jw_str(m->j, m->cells[i].expires);
		}
		jw_key(m->j, "level");
		jw_str(m->j, rows_level_name(m->cells[i].level));
		jw_close(m->j, '}');
	}
	jw_close(m->j, '}');
	jw_key(m->j, "name");
	jw_str(m->j, name);
	jw_close(m->j, '}');
	return m->j->bad ? STORE_IO : STORE_OK;
}

int
report_matrix(struct store *st, MDB_txn *txn, const struct report_args *a,
    char **out, size_t *len)
{
	struct walk	w;
	struct matrix	m;
	struct jw	j;
	char		next[ID_MAX + 1];
	size_t		i;
	int		rc;

	*out = NULL;
	memset(&m, 0, sizeof m);
	jw_init(&j);
	m.j = &j;
	rc = store_list(st, txn, "areas", NULL, 0, area_one, &m, next);
	if (rc == STORE_OK && (m.bad || (m.cells = calloc(m.nareas + 1,
	    sizeof *m.cells)) == NULL))
		rc = STORE_IO;
	jw_open(&j, '{');
	jw_key(&j, "areas");
	jw_open(&j, '[');
	for (i = 0; i < m.nareas; i++)
		jw_str(&j, m.areas[i]);
	jw_close(&j, ']');
	jw_key(&j, "items");
	jw_open(&j, '[');
	if (rc == STORE_OK)
		rc = walk_active(&w, st, txn, a, matrix_auditor, &m);
	jw_close(&j, ']');
	jw_key(&j, "on");
	jw_str(&j, a->on);
	jw_close(&j, '}');
	free(m.areas);
	free(m.cells);
	return finish(&j, rc, out, len);
}

/* ---- overdue corrective actions ------------------------------------------ */

struct overdue_row {
	char	 id[ID_MAX + 1];
	char	 finding[ID_MAX + 1];
	char	 audit[ID_MAX + 1];
	char	*owner;
	char	 due[UTIL_DATE_LEN];
	char	 status[16];
	long	 days;
};

struct overdue {
	struct store			*st;
	MDB_txn				*txn;
	const struct report_args	*a;
	const struct resource		*res;
	struct overdue_row		*v;
	size_t				 n, max;
	int				 rc;
};

/* The audit of finding id into audit ("" when it cannot be read). */
static void
overdue_audit(struct overdue *o, const char *finding, char *audit)
{
	MDB_val		 doc;
	json_t		*d;
	const char	*s;

	audit[0] = '\0';
	if (store_get(o->st, o->txn, "findings", finding, &doc) != STORE_OK ||
	    (d = json_loadb(doc.mv_data, doc.mv_size, 0, NULL)) == NULL)
		return;
	if ((s = json_string_value(json_object_get(d, "audit"))) != NULL)
		snprintf(audit, ID_MAX + 1, "%s", s);
	json_decref(d);
}

static int
overdue_one(const char *id, const MDB_val *doc, void *arg)
{
	struct overdue		*o = arg;
	struct overdue_row	*r;
	json_t			*d;
	const char		*due, *f, *owner, *s;

	if (o->a->own && !view_shares(o->st, o->txn, o->res, o->a->only, id))
		return 0;
	if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL) {
		o->rc = STORE_IO;
		return -1;
	}
	due = json_string_value(json_object_get(d, "due"));
	f = json_string_value(json_object_get(d, "finding"));
	owner = json_string_value(json_object_get(d, "owner"));
	s = json_string_value(json_object_get(d, "status"));
	/* Due before today: the day it is due is not late yet. */
	if (due == NULL || f == NULL || owner == NULL || s == NULL ||
	    strcmp(due, o->a->on) >= 0) {
		json_decref(d);
		return 0;
	}
	if (grow((void **)&o->v, &o->n, &o->max, sizeof *o->v) != 0 ||
	    (o->v[o->n].owner = strdup(owner)) == NULL) {
		json_decref(d);
		o->rc = STORE_IO;
		return -1;
	}
	r = &o->v[o->n++];
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->finding, sizeof r->finding, "%s", f);
	snprintf(r->due, sizeof r->due, "%s", due);
	snprintf(r->status, sizeof r->status, "%s", s);
	r->days = check_date_diff(due, o->a->on);
	json_decref(d);
	overdue_audit(o, r->finding, r->audit);
	return 1;
}

/* Oldest due first, then by action id. */
static int
overdue_cmp(const void *a, const void *b)
{
	const struct overdue_row	*x = a, *y = b;
	int				 c = strcmp(x->due, y->due);

	return c != 0 ? c : strcmp(x->id, y->id);
}

int
report_actions_overdue(struct store *st, MDB_txn *txn,
    const struct report_args *a, char **out, size_t *len)
{
	static const char *const	 states[] = { "open", "implemented" };
	struct overdue			 o;
	struct overdue_row		*r;
	struct jw			 j;
	char				 next[ID_MAX + 1];
	size_t				 i;
	int				 rc = STORE_OK;

	*out = NULL;
	memset(&o, 0, sizeof o);
	o.st = st;
	o.txn = txn;
	o.a = a;
	o.res = router_resource("actions");
	jw_init(&j);
	/* Through the status index: closed and verified actions are skipped. */
	for (i = 0; i < NELEM(states) && rc == STORE_OK; i++) {
		rc = store_list_by(st, txn, "actions", "status", states[i],
		    NULL, 0, overdue_one, &o, next);
		if (rc == STORE_OK)
			rc = o.rc;
	}
	qsort(o.v, o.n, sizeof *o.v, overdue_cmp);
	jw_open(&j, '{');
	jw_key(&j, "as_of");
	jw_str(&j, a->on);
	jw_key(&j, "items");
	jw_open(&j, '[');
	for (i = 0; i < o.n; i++) {
		r = &o.v[i];
		jw_open(&j, '{');
		jw_key(&j, "audit");
		if (r->audit[0] != '\0')
			jw_str(&j, r->audit);
		else
			jw_null(&j);
		jw_key(&j, "days");
		jw_int(&j, r->days);
		jw_key(&j, "due");
		jw_str(&j, r->due);
		jw_key(&j, "finding");
		jw_str(&j, r->finding);
		jw_key(&j, "id");
		jw_str(&j, r->id);
		jw_key(&j, "owner");
		jw_str(&j, r->owner);
		jw_key(&j, "status");
		jw_str(&j, r->status);
		jw_close(&j, '}');
		free(r->owner);
	}
	jw_close(&j, ']');
	jw_close(&j, '}');
	free(o.v);
	return finish(&j, rc, out, len);
}
