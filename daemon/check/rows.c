/*
 * rows.c: the derived rows of the competence records (see rows.h): how a
 * document becomes a row, how the hooks keep the rows in step, and how the
 * readers walk and decode them. Values are in check/codec.h's form.
 */
#include <math.h>
#include <string.h>

#include "log.h"
#include "check/codec.h"
#include "check/rows.h"

const char *const rows_aux_names[] = { "quals", "cpd", "evals", "decls",
    NULL };

static const char *const qual_kinds[] = { "auditor_certificate",
    "lead_auditor_certificate", "education", "work_experience", "other" };
static const char *const results[] = { "meets", "partially_meets",
    "does_not_meet" };
static const char *const levels[] = { "awareness", "competent", "expert" };
static const char *const decl_kinds[] = { "employment", "consultancy",
    "financial", "family", "process_owner", "other" };

#define NAMES(a)	(sizeof (a) / sizeof (a)[0])

const char *
rows_qual_kind_name(enum rows_qual_kind k)
{
	return codec_name(qual_kinds, NAMES(qual_kinds), (int)k);
}

const char *
rows_result_name(enum rows_result r)
{
	return codec_name(results, NAMES(results), (int)r);
}

const char *
rows_level_name(enum rows_level l)
{
	return codec_name(levels, NAMES(levels), (int)l);
}

const char *
rows_decl_kind_name(enum rows_decl_kind k)
{
	return codec_name(decl_kinds, NAMES(decl_kinds), (int)k);
}

/* ---- encoding ----------------------------------------------------------- */

static const char *
str(const json_t *doc, const char *k)
{
	return json_string_value(json_object_get(doc, k));
}

/* key: auditor \0 [date \0] id */
static int
put_key(struct codec_enc *k, const json_t *doc, const char *date, const char *id)
{
	const char	*aud = str(doc, "auditor");

	if (aud == NULL || (date != NULL && !util_date_valid(date)))
		return -1;
	codec_put_bytes(k, aud, strlen(aud) + 1);
	if (date != NULL)
		codec_put_bytes(k, date, 11);
	codec_put_bytes(k, id, strlen(id));
	return k->bad ? -1 : 0;
}

static int
enc_qual(const char *id, const json_t *doc, struct codec_enc *k, struct codec_enc *v)
{
	const json_t	*areas = json_object_get(doc, "areas"), *a;
	size_t		 i;
	int		 kind = codec_index(qual_kinds, NAMES(qual_kinds),
			    str(doc, "kind"));

	if (kind < 0 || put_key(k, doc, NULL, id) != 0)
		return -1;
	codec_put_byte(v, json_is_true(json_object_get(doc, "verified")));
	codec_put_byte(v, kind);
	codec_put_date(v, str(doc, "issued"));
	codec_put_date(v, str(doc, "expires"));
	codec_put_text(v, str(doc, "standard"));
	codec_put_byte(v, (int)json_array_size(areas));
	json_array_foreach(areas, i, a)
		codec_put_text(v, json_string_value(a));
	return 1;
}

static int
enc_cpd(const char *id, const json_t *doc, struct codec_enc *k, struct codec_enc *v)
{
	double		 h = json_number_value(json_object_get(doc, "hours"));
	uint32_t	 hs;
	unsigned char	 b[4];

	/* Only verified CPD hours ever count. */
	if (!json_is_true(json_object_get(doc, "verified")) ||
	    !json_is_true(json_object_get(doc, "cpd")))
		return 0;
	if (h <= 0 || h > 1e6 || put_key(k, doc, str(doc, "date"), id) != 0)
		return -1;
	hs = (uint32_t)llround(h * 100);
	b[0] = (unsigned char)(hs >> 24);
	b[1] = (unsigned char)(hs >> 16);
	b[2] = (unsigned char)(hs >> 8);
	b[3] = (unsigned char)hs;
	codec_put_bytes(v, b, 4);
	return 1;
}

static int
enc_eval(const char *id, const json_t *doc, struct codec_enc *k, struct codec_enc *v)
{
	const json_t	*as = json_object_get(doc, "assessed"), *a;
	size_t		 i;
	int		 r = codec_index(results, NAMES(results), str(doc, "result"));

	if (r < 0 || put_key(k, doc, str(doc, "date"), id) != 0)
		return -1;
	codec_put_byte(v, r);
	codec_put_date(v, str(doc, "next_due"));
	codec_put_byte(v, (int)json_array_size(as));
	json_array_foreach(as, i, a) {
		int l = codec_index(levels, NAMES(levels), str(a, "level"));
		if (l < 0)
			return -1;
		codec_put_byte(v, l);
		codec_put_text(v, str(a, "area"));
	}
	return 1;
}

static int
enc_decl(const char *id, const json_t *doc, struct codec_enc *k, struct codec_enc *v)
{
	int	kind = codec_index(decl_kinds, NAMES(decl_kinds), str(doc, "kind"));

	if (kind < 0 || put_key(k, doc, NULL, id) != 0)
		return -1;
	codec_put_byte(v, kind);
	codec_put_date(v, str(doc, "from"));
	codec_put_date(v, str(doc, "until"));
	codec_put_text(v, str(doc, "party"));
	return 1;
}

struct table {
	const char	*name;
	int		(*enc)(const char *, const json_t *, struct codec_enc *,
			    struct codec_enc *);
};

static const struct table tables[] = {
	{ "quals", enc_qual },
	{ "cpd", enc_cpd },
	{ "evals", enc_eval },
	{ "decls", enc_decl },
};

static const struct table *
table_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NAMES(tables); i++)
		if (strcmp(tables[i].name, name) == 0)
			return &tables[i];
	return NULL;
}

/* 1 and the row, 0 for none, -1 when the document cannot give one. */
static int
encode(const struct table *t, const char *id, const json_t *doc,
    unsigned char *key, size_t *klen, unsigned char *val, size_t *vlen)
{
	struct codec_enc	k = { key, 0, ROWS_KEY_MAX, 0 };
	struct codec_enc	v = { val, 0, ROWS_VAL_MAX, 0 };
	int		rc;

	rc = t->enc(id, doc, &k, &v);
	if (rc == 1 && (k.bad || v.bad))
		rc = -1;
	*klen = k.n;
	*vlen = v.n;
	return rc;
}

int
rows_encode(const char *table, const char *id, const json_t *doc,
    unsigned char *key, size_t *klen, unsigned char *val, size_t *vlen)
{
	const struct table	*t = table_find(table);

	if (t == NULL || doc == NULL)
		return 0;
	return encode(t, id, doc, key, klen, val, vlen) == 1;
}

/*
 * Keep table in step with one change. Documents reached here validated
 * against their schema, so a document that gives no row though it should
 * is a bug: the change fails rather than leave the rows wrong.
 */
static int
derive(struct store_txn *tx, const struct table *t, const char *id,
    const json_t *old, const json_t *doc)
{
	unsigned char	ok[ROWS_KEY_MAX], nk[ROWS_KEY_MAX], val[ROWS_VAL_MAX];
	size_t		okl = 0, nkl = 0, vl;
	int		had = 0, has = 0, rc;

	if (old != NULL && (had = encode(t, id, old, ok, &okl, val, &vl)) < 0)
		had = 0;	/* an old row that never was */
	if (doc != NULL && (has = encode(t, id, doc, nk, &nkl, val, &vl)) < 0) {
		log_warnx("%s row of %s: the record gives none", t->name, id);
		return STORE_INVALID;
	}
	if (had && !(has && okl == nkl && memcmp(ok, nk, okl) == 0)) {
		rc = store_txn_aux_del(tx, t->name, ok, okl);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return rc;
	}
	if (has)
		return store_txn_aux_put(tx, t->name, nk, nkl, val, vl);
	return STORE_OK;
}

int
rows_derive_qualification(struct store_txn *t, const char *id,
    const json_t *old, const json_t *doc)
{
	return derive(t, &tables[0], id, old, doc);
}

int
rows_derive_training(struct store_txn *t, const char *id, const json_t *old,
    const json_t *doc)
{
	return derive(t, &tables[1], id, old, doc);
}

int
rows_derive_evaluation(struct store_txn *t, const char *id,
    const json_t *old, const json_t *doc)
{
	return derive(t, &tables[2], id, old, doc);
}

int
rows_derive_declaration(struct store_txn *t, const char *id,
    const json_t *old, const json_t *doc)
{
	return derive(t, &tables[3], id, old, doc);
}

/* ---- decoding ----------------------------------------------------------- */

/* The id after the key's auditor (and date) part. */
static int
key_id(const MDB_val *key, size_t skip, char *id, char *date)
{
	const char	*k = key->mv_data;
	size_t		 a = strnlen(k, key->mv_size), off = a + 1 + skip;

	if (off > key->mv_size || key->mv_size - off > ID_MAX ||
	    key->mv_size == off)
		return -1;
	if (date != NULL) {
		memcpy(date, k + a + 1, 10);
		date[10] = '\0';
	}
	memcpy(id, k + off, key->mv_size - off);
	id[key->mv_size - off] = '\0';
	return 0;
}

int
rows_decode_qual(const MDB_val *key, const MDB_val *val, struct rows_qual *q)
{
	struct codec_dec	d = { val->mv_data, val->mv_size, 0 };
	size_t		i;

	if (key_id(key, 0, q->id, NULL) != 0)
		return -1;
	q->verified = codec_get_byte(&d);
	q->kind = (enum rows_qual_kind)codec_get_byte(&d);
	codec_get_date(&d, q->issued);
	codec_get_date(&d, q->expires);
	codec_get_text(&d, q->standard, sizeof q->standard);
	q->nareas = (size_t)codec_get_byte(&d);
	if (q->nareas > ROWS_AREAS_MAX)
		return -1;
	for (i = 0; i < q->nareas; i++)
		codec_get_text(&d, q->areas[i], sizeof q->areas[i]);
	return d.bad || d.n != 0 ? -1 : 0;
}

static int
dec_cpd(const MDB_val *key, const MDB_val *val, struct rows_cpd *c)
{
	const unsigned char	*b = val->mv_data;

	if (val->mv_size != 4 || key_id(key, 11, c->id, c->date) != 0)
		return -1;
	c->hundredths = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int
rows_decode_eval(const MDB_val *key, const MDB_val *val, struct rows_eval *e)
{
	struct codec_dec	d = { val->mv_data, val->mv_size, 0 };
	size_t		i;

	if (key_id(key, 11, e->id, e->date) != 0)
		return -1;
	e->result = (enum rows_result)codec_get_byte(&d);
	codec_get_date(&d, e->next_due);
	e->nassessed = (size_t)codec_get_byte(&d);
	if (e->nassessed > ROWS_AREAS_MAX)
		return -1;
	for (i = 0; i < e->nassessed; i++) {
		e->assessed[i].level = (enum rows_level)codec_get_byte(&d);
		codec_get_text(&d, e->assessed[i].area, sizeof e->assessed[i].area);
	}
	return d.bad || d.n != 0 ? -1 : 0;
}

int
rows_decode_decl(const MDB_val *key, const MDB_val *val, struct rows_decl *x)
{
	struct codec_dec	d = { val->mv_data, val->mv_size, 0 };

	if (key_id(key, 0, x->id, NULL) != 0)
		return -1;
	x->kind = (enum rows_decl_kind)codec_get_byte(&d);
	codec_get_date(&d, x->from);
	codec_get_date(&d, x->until);
	codec_get_text(&d, x->party, sizeof x->party);
	return d.bad || d.n != 0 ? -1 : 0;
}

/* One walk: the decoder, the caller's callback and the row buffer. */
struct walk {
	const char	*table;
	const char	*from, *to;	/* cpd only */
	int		(*qcb)(const struct rows_qual *, void *);
	int		(*ccb)(const struct rows_cpd *, void *);
	int		(*ecb)(const struct rows_eval *, void *);
	int		(*dcb)(const struct rows_decl *, void *);
	void		*arg;
	union {
		struct rows_qual	q;
		struct rows_cpd		c;
		struct rows_eval	e;
		struct rows_decl	d;
	} row;
};

static int
walk_one(const MDB_val *key, const MDB_val *val, void *arg)
{
	struct walk	*w = arg;

	if (w->qcb != NULL && rows_decode_qual(key, val, &w->row.q) == 0)
		return w->qcb(&w->row.q, w->arg);
	if (w->ccb != NULL && dec_cpd(key, val, &w->row.c) == 0) {
		if (w->from != NULL && strcmp(w->row.c.date, w->from) < 0)
			return 0;
		if (w->to != NULL && strcmp(w->row.c.date, w->to) > 0)
			return 1;	/* date order: nothing later counts */
		return w->ccb(&w->row.c, w->arg);
	}
	if (w->ecb != NULL && rows_decode_eval(key, val, &w->row.e) == 0)
		return w->ecb(&w->row.e, w->arg);
	if (w->dcb != NULL && rows_decode_decl(key, val, &w->row.d) == 0)
		return w->dcb(&w->row.d, w->arg);
	log_warnx("%s: a row that does not decode (%zu bytes)", w->table,
	    val->mv_size);
	return 0;
}

static int
walk(struct store *st, MDB_txn *txn, struct walk *w, const char *auditor)
{
	char	start[ID_MAX + 1 + UTIL_DATE_LEN];
	size_t	n = strlen(auditor), sl = n + 1;

	if (n == 0 || n > ID_MAX)
		return STORE_NOTFOUND;
	/* The NUL ends the auditor: "al" never walks "alice"'s rows. */
	memcpy(start, auditor, n + 1);
	/* Dated rows: seek to the first day that counts. */
	if (w->from != NULL && strlen(w->from) == UTIL_DATE_LEN - 1) {
		memcpy(start + sl, w->from, UTIL_DATE_LEN - 1);
		sl += UTIL_DATE_LEN - 1;
	}
	return store_aux_walk_from(st, txn, w->table, auditor, n + 1, start,
	    sl, walk_one, w);
}

/*
 * The walk's fields one by one: an initializer would zero the row union
 * too, 3 KB per walk, and a candidates call walks some 10,000 times.
 */
static void
walk_init(struct walk *w, const char *table, void *arg)
{
	w->table = table;
	w->from = w->to = NULL;
	w->qcb = NULL;
	w->ccb = NULL;
	w->ecb = NULL;
	w->dcb = NULL;
	w->arg = arg;
}

int
rows_quals(struct store *st, MDB_txn *txn, const char *auditor,
    int (*cb)(const struct rows_qual *, void *), void *arg)
{
	struct walk	w;

	walk_init(&w, "quals", arg);
	w.qcb = cb;
	return walk(st, txn, &w, auditor);
}

int
rows_cpd(struct store *st, MDB_txn *txn, const char *auditor,
    const char *from, const char *to,
    int (*cb)(const struct rows_cpd *, void *), void *arg)
{
	struct walk	w;

	walk_init(&w, "cpd", arg);
	w.from = from;
	w.to = to;
	w.ccb = cb;
	return walk(st, txn, &w, auditor);
}

int
rows_evals(struct store *st, MDB_txn *txn, const char *auditor,
    int (*cb)(const struct rows_eval *, void *), void *arg)
{
	struct walk	w;

	walk_init(&w, "evals", arg);
	w.ecb = cb;
	return walk(st, txn, &w, auditor);
}

int
rows_decls(struct store *st, MDB_txn *txn, const char *auditor,
    int (*cb)(const struct rows_decl *, void *), void *arg)
{
	struct walk	w;

	walk_init(&w, "decls", arg);
	w.dcb = cb;
	return walk(st, txn, &w, auditor);
}
