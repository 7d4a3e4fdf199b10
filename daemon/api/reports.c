/*
 * reports.c: the HR reports (see reports.h). Each walks the active
 * auditors through the status field's index, reads each one's derived rows
 * with the same helpers the member rules use (check/rules.h), and sorts
 * its items before it writes them out.
 */
#include <stdlib.h>
#include <string.h>

#include "api/reports.h"
#include "api/status.h"
#include "check/rules.h"

/* ---- items, sorted by rank, then date, then id --------------------------- */

struct item {
	json_t	*json;
	long	 rank;
	char	 date[UTIL_DATE_LEN];
	char	 id[ID_MAX + 1];
};

struct items {
	struct item	*v;
	size_t		 n, max;
	int		 bad;		/* memory ran out */
};

/* Add json (taken; NULL marks the list bad). */
static void
items_add(struct items *l, json_t *json, long rank, const char *date,
    const char *id)
{
	struct item	*v;
	size_t		 max;

	if (json == NULL || l->bad) {
		json_decref(json);
		l->bad = 1;
		return;
	}
	if (l->n == l->max) {
		max = l->max != 0 ? l->max * 2 : 64;
		if ((v = realloc(l->v, max * sizeof *v)) == NULL) {
			json_decref(json);
			l->bad = 1;
			return;
		}
		l->v = v;
		l->max = max;
	}
	v = &l->v[l->n++];
	v->json = json;
	v->rank = rank;
	snprintf(v->date, sizeof v->date, "%s", date);
	snprintf(v->id, sizeof v->id, "%s", id);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item	*x = a, *y = b;
	int			 c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((c = strcmp(x->date, y->date)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/* The items in order as a JSON array (a new reference), or NULL; frees l. */
static json_t *
items_take(struct items *l)
{
	json_t	*a = l->bad ? NULL : json_array();
	size_t	 i;

	if (a != NULL)
		qsort(l->v, l->n, sizeof *l->v, item_cmp);
	for (i = 0; i < l->n; i++) {
		if (a != NULL && json_array_append(a, l->v[i].json) != 0) {
			json_decref(a);
			a = NULL;
		}
		json_decref(l->v[i].json);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
	return a;
}

/* Append v (taken) to a; a NULL v (out of memory) sets *bad. */
static void
append(json_t *a, json_t *v, int *bad)
{
	if (v == NULL || json_array_append_new(a, v) != 0)
		*bad = 1;
}

/* "coll/id" as a new JSON string. */
static json_t *
ref(const char *coll, const char *id)
{
	char	s[ID_MAX * 2 + 2];

	snprintf(s, sizeof s, "%s/%s", coll, id);
	return json_string(s);
}

/* ---- the active auditors ------------------------------------------------- */

/* What every report's walk over the auditors carries. */
struct walk {
	struct store			*st;
	MDB_txn				*txn;
	const struct report_args	*a;
	struct policy			 p;
	struct items			 items;
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
	if (w->rc == STORE_OK && w->items.bad)
		w->rc = STORE_IO;
	return w->rc == STORE_OK ? 1 : -1;
}

/* w->fn for each active auditor (under own scope only w->a->only). */
static int
walk_active(struct walk *w)
{
	const char	*only = w->a->only;
	char		 next[ID_MAX + 1];
	MDB_val		 doc;
	int		 rc;

	w->rc = STORE_OK;
	if (!w->a->own)
		rc = store_list_by(w->st, w->txn, "auditors", "status",
		    "active", NULL, 0, active_one, w, next);
	else if (!store_index_has(w->st, w->txn, "auditors", "status",
	    "active", only))
		return STORE_OK;
	else if ((rc = store_get(w->st, w->txn, "auditors", only, &doc)) ==
	    STORE_OK)
		active_one(only, &doc, w);
	return rc != STORE_OK ? rc : w->rc;
}

static void
walk_init(struct walk *w, struct store *st, MDB_txn *txn,
    const struct report_args *a,
    int (*fn)(struct walk *, const char *, const char *))
{
	memset(w, 0, sizeof *w);
	w->st = st;
	w->txn = txn;
	w->a = a;
	w->fn = fn;
	policy_default(&w->p);
}

/* ---- cpd ----------------------------------------------------------------- */

struct list {
	json_t	*a;
	int	 bad;
};

static int
cpd_training(const struct rows_cpd *t, void *arg)
{
	struct list	*l = arg;

	append(l->a, ref("trainings", t->id), &l->bad);
	return 0;
}

static int
cpd_auditor(struct walk *w, const char *id, const char *name)
{
	struct check_window	*period = w->arg;
	struct list		 ev = { json_array(), 0 };
	uint64_t		 sum, min, gap;
	int			 rc;

	if (ev.a == NULL)
		return STORE_IO;
	if ((rc = check_cpd_sum(w->st, w->txn, id, period, &sum, cpd_training,
	    &ev)) != STORE_OK || ev.bad) {
		json_decref(ev.a);
		return rc != STORE_OK ? rc : STORE_IO;
	}
	min = check_cpd_prorated(&w->p, period);
	gap = sum >= min ? 0 : min - sum;
	items_add(&w->items, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}",
	    "auditor", id, "name", name, "hours", status_hours(sum),
	    "min_hours", status_hours(min), "shortfall", status_hours(gap),
	    "evidence", ev.a), -(long)gap, "", id);
	return STORE_OK;
}

int
report_cpd(struct store *st, MDB_txn *txn, const struct report_args *a,
    json_t **out)
{
	struct walk		w;
	struct check_window	period;
	json_t			*items;
	int			 rc;

	*out = NULL;
	walk_init(&w, st, txn, a, cpd_auditor);
	memcpy(period.start, a->from, UTIL_DATE_LEN);
	memcpy(period.end, a->to, UTIL_DATE_LEN);
	w.arg = &period;
	rc = walk_active(&w);
	items = items_take(&w.items);
	if (rc == STORE_OK && items != NULL)
		*out = json_pack("{s:s, s:s, s:o, s:o}", "from", a->from, "to",
		    a->to, "min_hours", status_hours(check_cpd_prorated(&w.p,
		    &period)), "items", items);
	else
		json_decref(items);
	return rc != STORE_OK ? rc : *out != NULL ? STORE_OK : STORE_IO;
}

/* ---- expiring ------------------------------------------------------------ */

/* An auditor's verified qualifications, for the renewal test. */
struct held {
	char			id[ID_MAX + 1];
	enum rows_qual_kind	kind;
	char			standard[ROWS_TEXT_MAX + 1];
	char			expires[UTIL_DATE_LEN];
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
	if (h->n == h->max) {
		h->max = h->max != 0 ? h->max * 2 : 16;
		if ((v = realloc(h->v, h->max * sizeof *v)) == NULL) {
			h->bad = 1;
			return 1;
		}
		h->v = v;
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
	struct helds	 h;
	struct held	*q;
	long		 days;
	size_t		 i;
	int		 rc;

	(void)name;
	memset(&h, 0, sizeof h);
	rc = rows_quals(w->st, w->txn, id, held_one, &h);
	for (i = 0; rc == STORE_OK && !h.bad && i < h.n; i++) {
		q = &h.v[i];
		if (q->expires[0] == '\0' || renewed(&h, q))
			continue;
		days = check_date_diff(w->a->on, q->expires);
		if (days > w->a->within)
			continue;
		items_add(&w->items, json_pack("{s:s, s:s, s:s, s:o, s:s, "
		    "s:i, s:s}", "qualification", q->id, "auditor", id, "kind",
		    rows_qual_kind_name(q->kind), "standard",
		    q->standard[0] != '\0' ? json_string(q->standard) :
		    json_null(), "expires", q->expires, "days", (int)days,
		    "state", days < 0 ? "expired" : "expiring"), 0, q->expires,
		    q->id);
	}
	if (rc == STORE_OK && h.bad)
		rc = STORE_IO;
	free(h.v);
	return rc;
}

int
report_expiring(struct store *st, MDB_txn *txn, const struct report_args *a,
    json_t **out)
{
	struct walk	 w;
	json_t		*items;
	int		 rc;

	*out = NULL;
	walk_init(&w, st, txn, a, expiring_auditor);
	rc = walk_active(&w);
	items = items_take(&w.items);
	if (rc == STORE_OK && items != NULL)
		*out = json_pack("{s:s, s:i, s:o}", "on", a->on, "within",
		    a->within, "items", items);
	else
		json_decref(items);
	return rc != STORE_OK ? rc : *out != NULL ? STORE_OK : STORE_IO;
}

/* ---- evaluations due ----------------------------------------------------- */

enum { DUE_NONE = 0, DUE_OVERDUE, DUE_SOON };

static int
due_auditor(struct walk *w, const char *id, const char *name)
{
	struct rows_eval	e;
	char			due[UTIL_DATE_LEN];
	long			days;
	int			found, rc;

	if ((rc = check_eval_latest(w->st, w->txn, id, w->a->on, &e,
	    &found)) != STORE_OK)
		return rc;
	if (!found) {
		items_add(&w->items, json_pack("{s:s, s:s, s:s, s:n, s:n, "
		    "s:n}", "auditor", id, "name", name, "state", "none",
		    "latest", "next_due", "days"), DUE_NONE, "", id);
		return STORE_OK;
	}
	check_eval_due(&w->p, &e, due);
	days = check_date_diff(w->a->on, due);
	if (days > w->a->within)
		return STORE_OK;
	items_add(&w->items, json_pack("{s:s, s:s, s:s, s:o, s:s, s:i}",
	    "auditor", id, "name", name, "state", days < 0 ? "overdue" : "due",
	    "latest", ref("evaluations", e.id), "next_due", due, "days",
	    (int)days), days < 0 ? DUE_OVERDUE : DUE_SOON, due, id);
	return STORE_OK;
}

int
report_evaluations_due(struct store *st, MDB_txn *txn,
    const struct report_args *a, json_t **out)
{
	struct walk	 w;
	json_t		*items;
	int		 rc;

	*out = NULL;
	walk_init(&w, st, txn, a, due_auditor);
	rc = walk_active(&w);
	items = items_take(&w.items);
	if (rc == STORE_OK && items != NULL)
		*out = json_pack("{s:s, s:i, s:o}", "on", a->on, "within",
		    a->within, "items", items);
	else
		json_decref(items);
	return rc != STORE_OK ? rc : *out != NULL ? STORE_OK : STORE_IO;
}

/* ---- matrix -------------------------------------------------------------- */

struct cells {
	const char	*on;
	json_t		*cells;
	int		 bad;
};

static void
cell_set(struct cells *c, const char *area, enum rows_level level,
    const char *coll, const char *id)
{
	json_t	*v;

	v = json_pack("{s:s, s:o}", "level", rows_level_name(level),
	    "evidence", ref(coll, id));
	if (v == NULL || json_object_set_new(c->cells, area, v) != 0)
		c->bad = 1;
}

/* In date order: a later evaluation of an area overrides an earlier. */
static int
cells_eval(const struct rows_eval *e, void *arg)
{
	struct cells	*c = arg;
	size_t		 i;

	if (strcmp(e->date, c->on) > 0)
		return 1;
	for (i = 0; i < e->nassessed; i++)
		cell_set(c, e->assessed[i].area, e->assessed[i].level,
		    "evaluations", e->id);
	return 0;
}

/* Only where no evaluation assessed the area. */
static int
cells_qual(const struct rows_qual *q, void *arg)
{
	struct cells		*c = arg;
	struct check_window	 day;
	size_t			 i;

	check_window_day(&day, c->on);
	if (!q->verified || !check_window_covered(&day, q->issued, q->expires))
		return 0;
	for (i = 0; i < q->nareas; i++)
		if (json_object_get(c->cells, q->areas[i]) == NULL)
			cell_set(c, q->areas[i], ROWS_COMPETENT,
			    "qualifications", q->id);
	return 0;
}

static int
matrix_auditor(struct walk *w, const char *id, const char *name)
{
	struct cells	c = { w->a->on, json_object(), 0 };
	int		rc;

	if (c.cells == NULL)
		return STORE_IO;
	if ((rc = rows_evals(w->st, w->txn, id, cells_eval, &c)) != STORE_OK ||
	    (rc = rows_quals(w->st, w->txn, id, cells_qual, &c)) != STORE_OK ||
	    c.bad) {
		json_decref(c.cells);
		return rc != STORE_OK ? rc : STORE_IO;
	}
	items_add(&w->items, json_pack("{s:s, s:s, s:o}", "auditor", id,
	    "name", name, "cells", c.cells), 0, "", id);
	return STORE_OK;
}

static int
area_one(const char *id, const MDB_val *doc, void *arg)
{
	struct list	*l = arg;

	(void)doc;
	append(l->a, json_string(id), &l->bad);
	return l->bad ? -1 : 1;
}

int
report_matrix(struct store *st, MDB_txn *txn, const struct report_args *a,
    json_t **out)
{
	struct walk	 w;
	struct list	 areas = { json_array(), 0 };
	json_t		*items;
	char		 next[ID_MAX + 1];
	int		 rc;

	*out = NULL;
	if (areas.a == NULL)
		return STORE_IO;
	rc = store_list(st, txn, "areas", NULL, 0, area_one, &areas, next);
	walk_init(&w, st, txn, a, matrix_auditor);
	if (rc == STORE_OK && !areas.bad)
		rc = walk_active(&w);
	items = items_take(&w.items);
	if (rc == STORE_OK && !areas.bad && items != NULL) {
		*out = json_pack("{s:s, s:O, s:o}", "on", a->on, "areas",
		    areas.a, "items", items);
		items = NULL;
	}
	json_decref(items);
	json_decref(areas.a);
	return rc != STORE_OK ? rc : *out != NULL ? STORE_OK : STORE_IO;
}
