/*
 * plans.c: the rows an audit's plan is read from (see plans.h), so that a
 * team check parses no document: what the rules need of each audit, and
 * each programme's period and effective policy. Values are in
 * check/codec.h's form.
 */
#include <string.h>

#include "log.h"
#include "check/codec.h"
#include "check/plans.h"

const char *const plans_aux_names[] = { "plans", "pols", NULL };

#define VAL_MAX		(ROWS_AREAS_MAX * (ID_MAX + 2) + 1024)
#define NPOLICY		13	/* the ints of struct policy */

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

static void
put_int(struct codec_enc *e, int v)
{
	unsigned char	b[4];
	uint32_t	u = (uint32_t)v;

	b[0] = (unsigned char)(u >> 24);
	b[1] = (unsigned char)(u >> 16);
	b[2] = (unsigned char)(u >> 8);
	b[3] = (unsigned char)u;
	codec_put_bytes(e, b, 4);
}

static int
get_int(struct codec_dec *d)
{
	uint32_t	u;

	if (d->bad || d->n < 4) {
		d->bad = 1;
		return 0;
	}
	u = (uint32_t)d->p[0] << 24 | (uint32_t)d->p[1] << 16 |
	    (uint32_t)d->p[2] << 8 | d->p[3];
	d->p += 4;
	d->n -= 4;
	return (int)u;
}

/* The ints of a policy, in one fixed order. */
static void
policy_ints(struct policy *p, int *v[NPOLICY])
{
	int	i, k = 0;

	v[k++] = &p->cpd_window_months;
	v[k++] = &p->cpd_min_hours_x100;
	v[k++] = &p->evaluation_max_age_months;
	v[k++] = &p->lead_min_audits;
	v[k++] = &p->rotation_max_consecutive;
	for (i = 0; i <= ROWS_OTHER_INTEREST; i++)
		v[k++] = &p->cooling_off_months[i];
	v[k++] = &p->warn_expiry_days;
	v[k++] = &p->systemic_minor_count;
}

static int
put_row(struct store_txn *t, const char *table, const char *id,
    const struct codec_enc *v)
{
	if (v->bad)
		return STORE_INVALID;
	return store_txn_aux_put(t, table, id, strlen(id), v->p, v->n);
}

static int
del_row(struct store_txn *t, const char *table, const char *id)
{
	int	rc = store_txn_aux_del(t, table, id, strlen(id));

	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int
plans_derive_programme(struct store_txn *t, const char *id,
    const json_t *old, const json_t *doc)
{
	unsigned char		 val[256];
	struct codec_enc	 v = { val, 0, sizeof val, 0 };
	const json_t		*period;
	struct policy		 p;
	int			*ints[NPOLICY];
	size_t			 i;

	(void)old;
	if (doc == NULL)
		return del_row(t, "pols", id);
	period = json_object_get(doc, "period");
	codec_put_date(&v, str(period, "from"));
	codec_put_date(&v, str(period, "to"));
	/* The effective policy: a new default needs RECORDS_ROWS_VERSION. */
	policy_default(&p);
	policy_apply(&p, json_object_get(doc, "policy"));
	policy_ints(&p, ints);
	for (i = 0; i < NPOLICY; i++)
		put_int(&v, *ints[i]);
	return put_row(t, "pols", id, &v);
}

int
plans_derive_audit(struct store_txn *t, const char *id, const json_t *old,
    const json_t *doc)
{
	static const char *const levels[] = { "awareness", "competent",
	    "expert" };
	unsigned char		 val[VAL_MAX];
	struct codec_enc	 v = { val, 0, sizeof val, 0 };
	const json_t		*rq, *a;
	size_t			 i;
	int			 lv, st;

	(void)old;
	if (doc == NULL)
		return del_row(t, "plans", id);
	codec_put_text(&v, str(doc, "programme"));
	codec_put_text(&v, str(doc, "auditee"));
	codec_put_text(&v, str(doc, "standard"));
	codec_put_text(&v, str(doc, "language"));
	codec_put_date(&v, str(doc, "start"));
	codec_put_date(&v, str(doc, "end"));
	codec_put_byte(&v, (int)json_integer_value(json_object_get(doc,
	    "min_team_size")));
	st = assign_audit_status_parse(str(doc, "status"));
	codec_put_byte(&v, st < 0 ? ASSIGN_PLANNED : st);
	rq = json_object_get(doc, "required");
	codec_put_byte(&v, (int)json_array_size(rq));
	json_array_foreach(rq, i, a) {
		lv = codec_index(levels, 3, str(a, "level"));
		codec_put_byte(&v, lv < 0 ? ROWS_AWARENESS : lv);
		codec_put_text(&v, str(a, "area"));
	}
	if (v.bad)
		log_warnx("audit %s: its plan row does not fit", id);
	return put_row(t, "plans", id, &v);
}

/* The programme's period and policy into p; STORE_NOTFOUND: none. */
static int
load_pols(struct store *st, MDB_txn *txn, struct check_plan *p)
{
	struct codec_dec	 d;
	MDB_val			 v;
	int			*ints[NPOLICY];
	char			 from[UTIL_DATE_LEN], to[UTIL_DATE_LEN];
	size_t			 i;
	int			 rc;

	if (p->programme[0] == '\0')
		return STORE_NOTFOUND;
	if ((rc = store_aux_get(st, txn, "pols", p->programme,
	    strlen(p->programme), &v)) != STORE_OK)
		return rc;
	d = (struct codec_dec){ v.mv_data, v.mv_size, 0 };
	codec_get_date(&d, from);
	codec_get_date(&d, to);
	policy_ints(&p->policy, ints);
	for (i = 0; i < NPOLICY; i++)
		*ints[i] = get_int(&d);
	if (d.bad || d.n != 0)
		return STORE_IO;
	if (from[0] != '\0' && to[0] != '\0') {
		memcpy(p->period.start, from, UTIL_DATE_LEN);
		memcpy(p->period.end, to, UTIL_DATE_LEN);
	}
	return STORE_OK;
}

int
plans_load(struct store *st, MDB_txn *txn, const char *audit,
    struct check_plan *p)
{
	struct codec_dec	 d;
	MDB_val			 v;
	size_t			 i, n = strlen(audit);
	int			 rc, lv;

	memset(p, 0, sizeof *p);
	if (n == 0 || n > ID_MAX)
		return STORE_NOTFOUND;
	if ((rc = store_aux_get(st, txn, "plans", audit, n, &v)) != STORE_OK)
		return rc;
	memcpy(p->id, audit, n + 1);
	d = (struct codec_dec){ v.mv_data, v.mv_size, 0 };
	codec_get_text(&d, p->programme, sizeof p->programme);
	codec_get_text(&d, p->auditee, sizeof p->auditee);
	codec_get_text(&d, p->standard, sizeof p->standard);
	codec_get_text(&d, p->language, sizeof p->language);
	codec_get_date(&d, p->w.start);
	codec_get_date(&d, p->w.end);
	p->min_team_size = codec_get_byte(&d);
	p->status = (enum assign_audit_status)codec_get_byte(&d);
	p->nneeds = (size_t)codec_get_byte(&d);
	if (p->nneeds > ROWS_AREAS_MAX)
		return STORE_IO;
	for (i = 0; i < p->nneeds; i++) {
		lv = codec_get_byte(&d);
		p->needs[i].level = lv > ROWS_EXPERT ? ROWS_EXPERT :
		    (enum rows_level)lv;
		codec_get_text(&d, p->needs[i].area, sizeof p->needs[i].area);
	}
	if (d.bad || d.n != 0 || p->w.start[0] == '\0' || p->w.end[0] == '\0') {
		log_warnx("plans: the row of %s does not decode", audit);
		return STORE_IO;
	}
	if (p->min_team_size < 1)
		p->min_team_size = 1;
	p->period = p->w;
	policy_default(&p->policy);
	rc = load_pols(st, txn, p);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
