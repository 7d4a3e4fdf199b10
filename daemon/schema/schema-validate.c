/*
 * schema-validate.c: checks an instance against a compiled schema (see
 * schema.h for the semantics and schema-int.h for the compiled form).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "schema-int.h"
#include "util.h"

/*
 * Instance nesting followed through a recursive "$ref" before giving up;
 * jansson's decoder stops at 2048 levels, this keeps the stack small
 * whatever built the instance.
 */
#define DEPTH_MAX	512
#define PAIRWISE_MAX	32	/* arrays up to this size: uniqueItems by pairs */

struct vctx {
	const struct schema	*s;
	json_t			*errors;
	size_t			 max, added;
	int			 count;
	int			 oom;
	struct schema_ptr	 at;
	size_t			 steps;	/* nodes visited, values compared */
};

static void
report(struct vctx *v, const char *msg)
{
	json_t	*e;

	v->count++;
	if (v->errors == NULL || (v->max != 0 && v->added >= v->max))
		return;
	e = json_pack("{s:s, s:s}", "path", schema_ptr_str(&v->at),
	    "message", msg);
	if (e == NULL || json_array_append_new(v->errors, e) == -1) {
		v->oom = 1;
		return;
	}
	v->added++;
}

/*
 * Values as JSON Schema compares them: numbers by value whatever their
 * jansson type, objects whatever their key order.
 */
static int
value_eq(const json_t *a, const json_t *b)
{
	const char	*key;
	json_t		*va;
	size_t		 i;

	if (json_is_number(a) && json_is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) == json_integer_value(b);
		return json_number_value(a) == json_number_value(b);
	}
	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		    memcmp(json_string_value(a), json_string_value(b),
		    json_string_length(a)) == 0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (i = 0; i < json_array_size(a); i++)
			if (!value_eq(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return 0;
		/* jansson's iterator wants a non-const object; it only reads. */
		json_object_foreach((json_t *)a, key, va) {
			json_t *vb = json_object_get(b, key);
			if (vb == NULL || !value_eq(va, vb))
				return 0;
		}
		return 1;
	default:	/* true, false, null: the type says it all */
		return 1;
	}
}

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t
bytes_hash(const char *s, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

/* Agrees with value_eq: equal values hash alike. */
static uint64_t
value_hash(const json_t *v)
{
	const char	*key;
	json_t		*m;
	uint64_t	 h;
	double		 d;
	size_t		 i;

	switch (json_typeof(v)) {
	case JSON_INTEGER:
	case JSON_REAL:
		d = json_number_value(v);
		if (d == 0)
			d = 0;		/* -0.0 equals 0 */
		memcpy(&h, &d, sizeof h);
		return mix(h ^ 4);
	case JSON_STRING:
		return mix(bytes_hash(json_string_value(v),
		    json_string_length(v)) ^ 5);
	case JSON_ARRAY:
		h = 6;
		for (i = 0; i < json_array_size(v); i++)
			h = mix(h * 31 + value_hash(json_array_get(v, i)));
		return h;
	case JSON_OBJECT:
		h = 7;
		/* A sum, so that key order does not matter. */
		json_object_foreach((json_t *)v, key, m)
			h += mix(bytes_hash(key, strlen(key)) ^
			    (value_hash(m) * 0x9e3779b97f4a7c15ULL));
		return mix(h);
	default:
		return mix((uint64_t)json_typeof(v) + 1);
	}
}

/* A number as a message shows it: the shortest form that reads back. */
static void
num_str(const json_t *v, char *buf, size_t len)
{
	double	d;

	if (json_is_integer(v)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return;
	}
	d = json_real_value(v);
	snprintf(buf, len, "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, len, "%.17g", d);
}

static int
num_cmp(const json_t *a, const json_t *b)
{
	double	x, y;

	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t i = json_integer_value(a), j = json_integer_value(b);
		return (i > j) - (i < j);
	}
	x = json_number_value(a);
	y = json_number_value(b);
	return (x > y) - (x < y);
}

/* Without libm, which the daemon does not otherwise link. */
static int
is_whole(double d)
{
	if (!isfinite(d))
		return 0;
	/* Beyond 2^63 every double is whole (and no long long holds it). */
	if (d >= 9.2e18 || d <= -9.2e18)
		return 1;
	return d == (double)(long long)d;
}

/* As ajv decides it: the quotient is a whole number. */
static int
is_multiple(const json_t *v, const json_t *m)
{
	if (json_is_integer(v) && json_is_integer(m))
		return json_integer_value(v) % json_integer_value(m) == 0;
	return is_whole(json_number_value(v) / json_number_value(m));
}

static unsigned
types_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return TY_OBJECT;
	case JSON_ARRAY:
		return TY_ARRAY;
	case JSON_STRING:
		return TY_STRING;
	case JSON_INTEGER:
		return TY_INTEGER | TY_NUMBER;
	case JSON_REAL:
		/* JSON Schema: 1.0 is an integer. */
		return TY_NUMBER | (is_whole(json_real_value(v)) ?
		    TY_INTEGER : 0);
	case JSON_TRUE:
	case JSON_FALSE:
		return TY_BOOLEAN;
	default:
		return TY_NULL;
	}
}

/* Code points in valid UTF-8: every byte that does not continue one. */
static size_t
utf8_len(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * util_datetime_valid allows :60 in any minute; RFC 3339 (and ajv) only
 * where a leap second can fall, at 23:59 UTC. s is already known valid.
 */
static int
leap_second_ok(const char *s)
{
	const char	*p = s + 19;
	int		 min, off = 0;

	if (s[17] != '6')
		return 1;
	min = ((s[11] - '0') * 10 + (s[12] - '0')) * 60 +
	    (s[14] - '0') * 10 + (s[15] - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == '+' || *p == '-') {
		off = ((p[1] - '0') * 10 + (p[2] - '0')) * 60 +
		    (p[4] - '0') * 10 + (p[5] - '0');
		if (*p == '-')
			off = -off;
	}
	return ((min - off) % 1440 + 1440) % 1440 == 23 * 60 + 59;
}

static void	validate_node(struct vctx *, const struct schema_node *,
		    const json_t *, unsigned);

static void
check_string(struct vctx *v, const struct schema_node *n, const json_t *inst)
{
	const char	*s = json_string_value(inst);
	size_t		 len = json_string_length(inst), cps;
	char		 msg[96];
	int		 nul = strlen(s) != len, rc;

	if (n->min_length >= 0 || n->max_length >= 0) {
		cps = utf8_len(s, len);
		if (n->min_length >= 0 && cps < (size_t)n->min_length) {
			snprintf(msg, sizeof msg, "must be at least %lld "
			    "character%s", n->min_length,
			    n->min_length == 1 ? "" : "s");
			report(v, msg);
		}
		if (n->max_length >= 0 && cps > (size_t)n->max_length) {
			snprintf(msg, sizeof msg, "must be at most %lld "
			    "character%s", n->max_length,
			    n->max_length == 1 ? "" : "s");
			report(v, msg);
			/*
			 * A bound broken is the answer: a pattern or format
			 * on a string too long is not worth its work.
			 */
			return;
		}
	}
	if (n->has_pattern) {
		/* REG_STARTEND: a \u0000 inside the string is not its end. */
		regmatch_t	m[1];
		locale_t	old;

		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)len;
		old = uselocale(v->s->utf8);
		rc = regexec(&n->pattern, s, 1, m, REG_STARTEND);
		uselocale(old);
		if (rc == REG_NOMATCH)
			report(v, n->pattern_msg);
		else if (rc != 0)
			report(v, "could not be matched against its pattern");
	}
	if (n->format == FMT_DATE && (nul || !util_date_valid(s)))
		report(v, "is not a valid date (YYYY-MM-DD)");
	if (n->format == FMT_DATETIME && (nul || !util_datetime_valid(s) ||
	    !leap_second_ok(s)))
		report(v, "is not a valid date-time (RFC 3339, e.g. "
		    "2026-01-31T09:30:00Z)");
}

static void
limit_msg(struct vctx *v, const char *what, const json_t *limit)
{
	char	num[40], msg[96];

	num_str(limit, num, sizeof num);
	snprintf(msg, sizeof msg, "must be %s %s", what, num);
	report(v, msg);
}

static void
check_number(struct vctx *v, const struct schema_node *n, const json_t *inst)
{
	if (n->minimum != NULL && num_cmp(inst, n->minimum) < 0)
		limit_msg(v, "at least", n->minimum);
	if (n->maximum != NULL && num_cmp(inst, n->maximum) > 0)
		limit_msg(v, "at most", n->maximum);
	if (n->xminimum != NULL && num_cmp(inst, n->xminimum) <= 0)
		limit_msg(v, "greater than", n->xminimum);
	if (n->xmaximum != NULL && num_cmp(inst, n->xmaximum) >= 0)
		limit_msg(v, "less than", n->xmaximum);
	if (n->multiple != NULL && !is_multiple(inst, n->multiple))
		limit_msg(v, "a multiple of", n->multiple);
}

static void
check_object(struct vctx *v, const struct schema_node *n, const json_t *inst,
    unsigned depth)
{
	const struct schema_node	*sub;
	const char			*key;
	json_t				*val;
	size_t				 i, mark = v->at.len;

	for (i = 0; i < n->nrequired; i++) {
		if (json_object_get(inst, n->required[i]) != NULL)
			continue;
		schema_ptr_push(&v->at, n->required[i]);
		report(v, "is required");
		schema_ptr_cut(&v->at, mark);
	}
	json_object_foreach((json_t *)inst, key, val) {
		v->steps++;
		sub = n->additional;
		for (i = 0; i < n->nprops; i++)
			if (strcmp(n->props[i].name, key) == 0) {
				sub = n->props[i].node;
				break;
			}
		if (sub == NULL)
			continue;
		if (sub == n->additional && sub->boolean == 0 &&
		    (v->errors == NULL || (v->max != 0 && v->added >= v->max))) {
			/* Counted, not listed: no path to build. */
			v->count++;
			continue;
		}
		schema_ptr_push(&v->at, key);
		if (sub == n->additional && sub->boolean == 0)
			report(v, "unknown field");
		else
			validate_node(v, sub, val, depth + 1);
		schema_ptr_cut(&v->at, mark);
	}
}

struct hashed {
	uint64_t	h;
	size_t		i;
};

static int
hashed_cmp(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * The first duplicate pair in *pi < *pj; 0 if none, -1 out of memory.
 * Pairwise for short arrays; longer ones are sorted by hash so that a large
 * body costs n log n, not n^2.
 */
static int
find_duplicate(const json_t *arr, size_t *pi, size_t *pj, size_t *steps)
{
	struct hashed	*hs;
	size_t		 n = json_array_size(arr), i, j, k, a, found = 0;

	if (n <= PAIRWISE_MAX) {
		for (j = 1; j < n; j++)
			for (i = 0; i < j; i++) {
				(*steps)++;
				if (value_eq(json_array_get(arr, i),
				    json_array_get(arr, j))) {
					*pi = i;
					*pj = j;
					return 1;
				}
			}
		return 0;
	}
	if ((hs = calloc(n, sizeof *hs)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		hs[i].h = value_hash(json_array_get(arr, i));
		hs[i].i = i;
	}
	*steps += n;
	qsort(hs, n, sizeof *hs, hashed_cmp);
	for (a = 0; a < n; a = j) {
		for (j = a + 1; j < n && hs[j].h == hs[a].h; j++)
			;
		/*
		 * A run of equal hashes, in index order: its lowest later
		 * duplicate is the first k equal to some item before it. For
		 * a run of equal values that is k = a + 1 at once, so a body
		 * of one value repeated costs n, not n^2; only distinct
		 * values whose 64-bit hashes collide are compared in pairs.
		 */
		for (k = a + 1; k < j; k++) {
			for (i = a; i < k; i++) {
				(*steps)++;
				if (value_eq(json_array_get(arr, hs[i].i),
				    json_array_get(arr, hs[k].i)))
					break;
			}
			if (i == k)
				continue;
			if (!found || hs[k].i < *pj) {
				*pi = hs[i].i;
				*pj = hs[k].i;
				found = 1;
			}
			break;
		}
	}
	free(hs);
	return found ? 1 : 0;
}

static void
check_array(struct vctx *v, const struct schema_node *n, const json_t *inst,
    unsigned depth)
{
	size_t	size = json_array_size(inst), i, j, mark = v->at.len;
	char	msg[128];
	int	rc;

	if (n->min_items >= 0 && size < (size_t)n->min_items) {
		snprintf(msg, sizeof msg, "must have at least %lld item%s",
		    n->min_items, n->min_items == 1 ? "" : "s");
		report(v, msg);
	}
	if (n->max_items >= 0 && size > (size_t)n->max_items) {
		snprintf(msg, sizeof msg, "must have at most %lld item%s",
		    n->max_items, n->max_items == 1 ? "" : "s");
		report(v, msg);
		/*
		 * A bound broken is the answer: neither uniqueness nor the
		 * items of an array too long are worth the work it asks.
		 */
		return;
	}
	if (n->unique && (rc = find_duplicate(inst, &i, &j, &v->steps)) !=
	    0) {
		if (rc == -1)
			v->oom = 1;
		else {
			snprintf(msg, sizeof msg, "must not contain duplicates "
			    "(items %zu and %zu are equal)", i, j);
			report(v, msg);
		}
	}
	if (n->items == NULL)
		return;
	for (i = 0; i < size; i++) {
		schema_ptr_push_index(&v->at, i);
		validate_node(v, n->items, json_array_get(inst, i), depth + 1);
		schema_ptr_cut(&v->at, mark);
	}
}

static void
validate_node(struct vctx *v, const struct schema_node *n, const json_t *inst,
    unsigned depth)
{
	v->steps++;
	if (depth > DEPTH_MAX) {
		report(v, "is nested too deeply");
		return;
	}
	if (n->boolean != -1) {
		if (n->boolean == 0)
			report(v, "is not allowed");
		return;
	}
	if (n->ref != NULL)
		validate_node(v, n->ref, inst, depth + 1);
	if (n->types != 0 && (types_of(inst) & n->types) == 0) {
		/* The other keywords would only repeat the same complaint. */
		report(v, n->type_msg);
		return;
	}
	if (n->enumv != NULL) {
		size_t i, found = 0;
		for (i = 0; i < json_array_size(n->enumv) && !found; i++)
			found = value_eq(inst, json_array_get(n->enumv, i));
		if (!found)
			report(v, n->enum_msg);
	}
	if (n->constv != NULL && !value_eq(inst, n->constv))
		report(v, n->const_msg);
	switch (json_typeof(inst)) {
	case JSON_STRING:
		check_string(v, n, inst);
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		check_number(v, n, inst);
		break;
	case JSON_OBJECT:
		check_object(v, n, inst, depth);
		break;
	case JSON_ARRAY:
		check_array(v, n, inst, depth);
		break;
	default:
		break;
	}
}

int
schema_validate(const struct schema *s, const json_t *instance, json_t *errors,
    size_t max_errors)
{
	return schema_validate_steps(s, instance, errors, max_errors, NULL);
}

int
schema_validate_steps(const struct schema *s, const json_t *instance,
    json_t *errors, size_t max_errors, size_t *steps)
{
	struct vctx	v;

	memset(&v, 0, sizeof v);
	v.s = s;
	v.errors = json_is_array(errors) ? errors : NULL;
	v.max = max_errors;
	if (s == NULL || instance == NULL)
		report(&v, "cannot be validated: no schema or no document");
	else
		validate_node(&v, s->root, instance, 0);
	if (v.oom || v.at.oom) {
		/* Fail closed: a check cut short is never a pass. */
		schema_ptr_cut(&v.at, 0);
		v.oom = v.at.oom = 0;
		report(&v, "out of memory while validating");
	}
	free(v.at.buf);
	if (steps != NULL)
		*steps = v.steps;
	return v.count;
}
