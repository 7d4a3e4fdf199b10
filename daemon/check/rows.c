/*
 * rows.c: the derived rows of the competence records (see rows.h): how a
 * document becomes a row, how the hooks keep the rows in step, and how the
 * readers walk and decode them. Values are in check/codec.h's form.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "check/codec.h"
#include "check/rows.h"

const char *const rows_aux_names[] = { "quals", "cpd", "evals", "decls",
    "cpdsum", NULL };

size_t	rows_cpdsum_max = ROWS_CPDSUM_MAX;

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

static void
put32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

static uint32_t
get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/*
 * A day number (util_date_days) as an unsigned number in the same order,
 * so that entries compare as bytes; every calendar day fits.
 */
static uint32_t
day_key(long day)
{
	if (day < INT32_MIN)
		day = INT32_MIN;
	else if (day > INT32_MAX)
		day = INT32_MAX;
	return (uint32_t)(int32_t)day ^ 0x80000000u;
}

/* A training's CPD hours x 100: 1, 0 when none count, -1 for bad hours. */
static int
cpd_hundredths(const json_t *doc, uint32_t *hs)
{
	double	h = json_number_value(json_object_get(doc, "hours"));

	/* Only verified CPD hours ever count. */
	if (!json_is_true(json_object_get(doc, "verified")) ||
	    !json_is_true(json_object_get(doc, "cpd")))
		return 0;
	if (h <= 0 || h > 1e6)
		return -1;
	*hs = (uint32_t)llround(h * 100);
	return 1;
}

static int
enc_cpd(const char *id, const json_t *doc, struct codec_enc *k, struct codec_enc *v)
{
	uint32_t	 hs;
	unsigned char	 b[4];
	int		 rc;

	if ((rc = cpd_hundredths(doc, &hs)) != 1)
		return rc;
	if (put_key(k, doc, str(doc, "date"), id) != 0)
		return -1;
	put32(b, hs);
	codec_put_bytes(v, b, 4);
	return 1;
}

/* The auditor's cpdsum key, and the one entry this training adds. */
static int
enc_cpdsum(const char *id, const json_t *doc, struct codec_enc *k,
    struct codec_enc *v)
{
	const char	*date = str(doc, "date");
	uint32_t	 hs;
	unsigned char	 b[ROWS_CPDSUM_ENTRY];
	int		 rc;

	(void)id;
	if ((rc = cpd_hundredths(doc, &hs)) != 1)
		return rc;
	if (date == NULL || !util_date_valid(date) ||
	    put_key(k, doc, NULL, "") != 0)
		return -1;
	put32(b, day_key(util_date_days(date, NULL)));
	put32(b + 4, hs);
	codec_put_bytes(v, b, sizeof b);
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
	{ "cpdsum", enc_cpdsum },
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

/* ---- cpdsum -------------------------------------------------------------- */

/*
 * A row's value starts with its form: CPDSUM_NARROW, the first day's
 * key (4 bytes) then per entry its day less the first (2 bytes) and its
 * hundredths (2 bytes), when every entry fits so, which most do (a year of
 * CPD in 100 bytes); else CPDSUM_WIDE, then the entries as they are (8
 * bytes each, rows_encode()'s); past the bound CPDSUM_OVER and their
 * number (4 bytes). The form follows from the entries alone, so rows
 * derived in any order are the same bytes.
 */
enum { CPDSUM_NARROW = 0, CPDSUM_WIDE, CPDSUM_OVER };

static void
put16(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 8);
	b[1] = (unsigned char)v;
}

static uint32_t
get16(const unsigned char *b)
{
	return (uint32_t)b[0] << 8 | b[1];
}

/* An auditor's cpdsum entries (8 bytes each, in order) being rewritten. */
struct sum {
	unsigned char	*e;		/* n entries, then room */
	size_t		 n, cap;	/* entries */
	size_t		 count;		/* every entry, also those past cap */
	unsigned char	*out;		/* the value, 1 + cap x 8 bytes */
};

static int
entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, ROWS_CPDSUM_ENTRY);
}

/* The first entry in e[0..n) not below x (n: none). */
static size_t
entry_lower(const unsigned char *e, size_t n, const unsigned char *x)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(e + mid * ROWS_CPDSUM_ENTRY, x,
		    ROWS_CPDSUM_ENTRY) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
sum_take(const struct rows_cpd *c, void *arg)
{
	struct sum	*s = arg;

	if (s->n < s->cap) {
		put32(s->e + s->n * ROWS_CPDSUM_ENTRY,
		    day_key(util_date_days(c->date, NULL)));
		put32(s->e + s->n * ROWS_CPDSUM_ENTRY + 4, c->hundredths);
		s->n++;
	}
	s->count++;
	return 0;
}

/* Encode s into s->out in its form; the value's length. */
static size_t
sum_encode(struct sum *s)
{
	const unsigned char	*e;
	uint32_t		 base;
	size_t			 i;

	if (s->count > rows_cpdsum_max) {
		s->out[0] = CPDSUM_OVER;
		put32(s->out + 1, (uint32_t)s->count);
		return 5;
	}
	base = get32(s->e);
	for (i = 0; i < s->n; i++) {
		e = s->e + i * ROWS_CPDSUM_ENTRY;
		if (get32(e) - base > 0xffff || get32(e + 4) > 0xffff)
			break;
	}
	if (i < s->n) {
		s->out[0] = CPDSUM_WIDE;
		memcpy(s->out + 1, s->e, s->n * ROWS_CPDSUM_ENTRY);
		return 1 + s->n * ROWS_CPDSUM_ENTRY;
	}
	s->out[0] = CPDSUM_NARROW;
	put32(s->out + 1, base);
	for (i = 0; i < s->n; i++) {
		e = s->e + i * ROWS_CPDSUM_ENTRY;
		put16(s->out + 5 + i * 4, get32(e) - base);
		put16(s->out + 7 + i * 4, get32(e + 4));
	}
	return 5 + s->n * 4;
}

/*
 * A value's entries into s (the number alone past the bound: *over set):
 * 0, or -1 when it does not decode.
 */
static int
sum_decode(const unsigned char *v, size_t len, struct sum *s, int *over)
{
	size_t		i, n;
	uint32_t	base;

	*over = 0;
	s->n = s->count = 0;
	if (len == 0)
		return 0;
	switch (v[0]) {
	case CPDSUM_OVER:
		if (len != 5)
			return -1;
		*over = 1;
		s->count = get32(v + 1);
		return 0;
	case CPDSUM_WIDE:
		n = (len - 1) / ROWS_CPDSUM_ENTRY;
		if ((len - 1) % ROWS_CPDSUM_ENTRY != 0 || n == 0 || n > s->cap)
			return -1;
		memcpy(s->e, v + 1, len - 1);
		break;
	case CPDSUM_NARROW:
		n = len < 5 ? 0 : (len - 5) / 4;
		if (len < 5 || (len - 5) % 4 != 0 || n == 0 || n > s->cap)
			return -1;
		base = get32(v + 1);
		for (i = 0; i < n; i++) {
			put32(s->e + i * ROWS_CPDSUM_ENTRY, base +
			    get16(v + 5 + i * 4));
			put32(s->e + i * ROWS_CPDSUM_ENTRY + 4,
			    get16(v + 7 + i * 4));
		}
		break;
	default:
		return -1;
	}
	s->n = s->count = n;
	return 0;
}

int
rows_cpdsum_value(const unsigned char *entries, size_t n,
    unsigned char *val, size_t *vlen)
{
	struct sum	s;

	if (n == 0)
		return 0;
	s.e = (unsigned char *)entries;
	s.n = s.count = n;
	s.cap = n;
	s.out = val;
	*vlen = sum_encode(&s);
	return 1;
}

/* Store s as the row of key: in its form, or none. */
static int
sum_put(struct store_txn *tx, const unsigned char *key, size_t klen,
    struct sum *s)
{
	int	rc;

	if (s->count == 0) {
		rc = store_txn_aux_del(tx, "cpdsum", key, klen);
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	}
	return store_txn_aux_put(tx, "cpdsum", key, klen, s->out,
	    sum_encode(s));
}

/*
 * The row of key again from the auditor's cpd rows, which the change has
 * already brought up to date: when it falls back within the bound, or
 * when it does not decode.
 */
static int
sum_rebuild(struct store_txn *tx, const unsigned char *key, size_t klen,
    struct sum *s)
{
	struct store	*st;
	MDB_txn		*txn;
	int		 rc;

	store_txn_view(tx, &st, &txn);
	s->n = s->count = 0;
	if ((rc = rows_cpd(st, txn, (const char *)key, NULL, NULL, sum_take,
	    s)) != STORE_OK)
		return rc;
	qsort(s->e, s->n, ROWS_CPDSUM_ENTRY, entry_cmp);
	return sum_put(tx, key, klen, s);
}

/*
 * Take entry rm (NULL: none) out of key's row and put entry add (NULL:
 * none) in: read, change, write. A row past the bound, or one that does
 * not decode, is derived again from the cpd rows, which already say what
 * the whole change leaves.
 */
static int
sum_change(struct store_txn *tx, const unsigned char *key, size_t klen,
    const unsigned char *rm, const unsigned char *add)
{
	struct store	*st;
	MDB_txn		*txn;
	MDB_val		 v;
	struct sum	 s;
	size_t		 i;
	int		 rc, over;

	store_txn_view(tx, &st, &txn);
	rc = store_aux_get(st, txn, "cpdsum", key, klen, &v);
	if (rc == STORE_NOTFOUND)
		v.mv_size = 0;
	else if (rc != STORE_OK)
		return rc;
	/* Room for one more than the bound: the entry that passes it. */
	s.cap = rows_cpdsum_max + 1;
	s.e = malloc(s.cap * ROWS_CPDSUM_ENTRY);
	s.out = malloc(1 + s.cap * ROWS_CPDSUM_ENTRY);
	if (s.e == NULL || s.out == NULL) {
		rc = STORE_IO;
		goto done;
	}
	/* The value points into the map: decoded (copied) before the put. */
	if (sum_decode(v.mv_size > 0 ? v.mv_data : NULL, v.mv_size, &s,
	    &over) != 0 || (!over && s.n > rows_cpdsum_max)) {
		log_warnx("cpdsum row of %s: %zu bytes that do not decode; "
		    "derived again", (const char *)key, v.mv_size);
		rc = sum_rebuild(tx, key, klen, &s);
		goto done;
	}
	if (over) {
		/* Past the bound: only the number, until it falls back. */
		if (rm != NULL && s.count > 0)
			s.count--;
		if (add != NULL)
			s.count++;
		if (s.count > rows_cpdsum_max)
			rc = sum_put(tx, key, klen, &s);
		else
			rc = sum_rebuild(tx, key, klen, &s);
		goto done;
	}
	if (rm != NULL) {
		i = entry_lower(s.e, s.n, rm);
		/* Not there: an old row that never was, as derive() allows. */
		if (i < s.n && memcmp(s.e + i * ROWS_CPDSUM_ENTRY, rm,
		    ROWS_CPDSUM_ENTRY) == 0) {
			/* Two trainings alike count alike: either goes. */
			memmove(s.e + i * ROWS_CPDSUM_ENTRY, s.e + (i + 1) *
			    ROWS_CPDSUM_ENTRY, (s.n - i - 1) *
			    ROWS_CPDSUM_ENTRY);
			s.n--;
		} else if (add == NULL) {
			rc = STORE_OK;
			goto done;
		}
	}
	if (add != NULL) {
		i = entry_lower(s.e, s.n, add);
		memmove(s.e + (i + 1) * ROWS_CPDSUM_ENTRY, s.e + i *
		    ROWS_CPDSUM_ENTRY, (s.n - i) * ROWS_CPDSUM_ENTRY);
		memcpy(s.e + i * ROWS_CPDSUM_ENTRY, add, ROWS_CPDSUM_ENTRY);
		s.n++;
	}
	s.count = s.n;
	rc = sum_put(tx, key, klen, &s);
done:
	free(s.e);
	free(s.out);
	return rc;
}

/*
 * Keep cpdsum in step with one change of a training, after cpd (which a
 * row past its bound is derived again from): one step per auditor row.
 */
static int
derive_sum(struct store_txn *tx, const char *id, const json_t *old,
    const json_t *doc)
{
	const struct table	*t = &tables[4];
	unsigned char		 ok[ROWS_KEY_MAX], nk[ROWS_KEY_MAX];
	unsigned char		 oe[ROWS_VAL_MAX], ne[ROWS_VAL_MAX];
	size_t			 okl = 0, nkl = 0, oel = 0, nel = 0;
	int			 had = 0, has = 0, same, rc;

	if (old != NULL && (had = encode(t, id, old, ok, &okl, oe, &oel)) < 0)
		had = 0;
	if (doc != NULL && (has = encode(t, id, doc, nk, &nkl, ne, &nel)) < 0)
		return STORE_INVALID;
	same = had && has && okl == nkl && memcmp(ok, nk, okl) == 0;
	if (same && memcmp(oe, ne, ROWS_CPDSUM_ENTRY) == 0)
		return STORE_OK;
	if (same)
		return sum_change(tx, nk, nkl, oe, ne);
	if (had && (rc = sum_change(tx, ok, okl, oe, NULL)) != STORE_OK)
		return rc;
	if (has)
		return sum_change(tx, nk, nkl, NULL, ne);
	return STORE_OK;
}

int
rows_derive_training(struct store_txn *t, const char *id, const json_t *old,
    const json_t *doc)
{
	int	rc;

	if ((rc = derive(t, &tables[1], id, old, doc)) != STORE_OK)
		return rc;
	return derive_sum(t, id, old, doc);
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

/* ---- CPD hours ----------------------------------------------------------- */

long
rows_day(const char *date, long none, int *ok)
{
	*ok = 1;
	if (date == NULL)
		return none;
	return util_date_days(date, ok);
}

/* The first of n 4-byte narrow entries whose day is lo or later. */
static size_t
narrow_lower(const unsigned char *e, size_t n, uint32_t lo)
{
	size_t	l = 0, h = n, mid;

	while (l < h) {
		mid = l + (h - l) / 2;
		if (get16(e + mid * 4) < lo)
			l = mid + 1;
		else
			h = mid;
	}
	return l;
}

int
rows_cpdsum_hours(const void *row, size_t len, long from, long to,
    uint64_t enough, uint64_t *sum)
{
	const unsigned char	*v = row, *e;
	unsigned char		 first[ROWS_CPDSUM_ENTRY];
	uint32_t		 f = day_key(from), t = day_key(to), base;
	uint32_t		 lo, hi;
	uint64_t		 s = 0;
	size_t			 i, n;

	*sum = 0;
	if (len == 0)
		return 0;		/* no row: no hours */
	if (v[0] == CPDSUM_NARROW && len >= 5 && (len - 5) % 4 == 0) {
		base = get32(v + 1);
		if (t < base || f > t)
			return 0;
		/* The window in days after the first; every entry is within
		 * 0xffff of it. */
		lo = f <= base ? 0 : f - base;
		hi = t - base > 0xffff ? 0xffff : t - base;
		e = v + 5;
		n = (len - 5) / 4;
		for (i = narrow_lower(e, n, lo); i < n; i++) {
			if (get16(e + i * 4) > hi)
				break;	/* day order: nothing later counts */
			s += get16(e + i * 4 + 2);
			if (enough != 0 && s >= enough)
				break;
		}
	} else if (v[0] == CPDSUM_WIDE && (len - 1) % ROWS_CPDSUM_ENTRY == 0) {
		e = v + 1;
		n = (len - 1) / ROWS_CPDSUM_ENTRY;
		memset(first, 0, sizeof first);
		put32(first, f);
		for (i = entry_lower(e, n, first); i < n; i++) {
			if (get32(e + i * ROWS_CPDSUM_ENTRY) > t)
				break;
			s += get32(e + i * ROWS_CPDSUM_ENTRY + 4);
			if (enough != 0 && s >= enough)
				break;
		}
	} else
		return -1;	/* past the bound, or damaged */
	*sum = s;
	return 0;
}

struct hours {
	uint64_t	sum, enough;
};

static int
hours_one(const struct rows_cpd *c, void *arg)
{
	struct hours	*h = arg;

	h->sum += c->hundredths;
	return h->enough != 0 && h->sum >= h->enough;
}

int
rows_cpd_hours(struct store *st, MDB_txn *txn, const char *auditor,
    const char *from, const char *to, uint64_t enough, uint64_t *sum)
{
	struct hours	h = { 0, enough };
	MDB_val		v;
	size_t		n = strlen(auditor);
	long		f, t;
	int		rc, ok, ok2;

	*sum = 0;
	if (n == 0 || n > ID_MAX)
		return STORE_NOTFOUND;
	/* The key is the auditor and its NUL. */
	rc = store_aux_get(st, txn, "cpdsum", auditor, n + 1, &v);
	if (rc == STORE_NOTFOUND)
		v.mv_size = 0;
	else if (rc != STORE_OK)
		return rc;
	f = rows_day(from, ROWS_DAY_FIRST, &ok);
	t = rows_day(to, ROWS_DAY_LAST, &ok2);
	if (ok && ok2 && rows_cpdsum_hours(v.mv_size > 0 ? v.mv_data : NULL,
	    v.mv_size, f, t, enough, sum) == 0)
		return STORE_OK;
	rc = rows_cpd(st, txn, auditor, from, to, hours_one, &h);
	*sum = h.sum;
	return rc;
}
