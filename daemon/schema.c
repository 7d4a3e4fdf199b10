/*
 * schema.c: compiles a JSON Schema document (the 2020-12 subset schema.h
 * lists) into a tree of nodes, validates instances against that tree, and
 * keeps the schemas built into the daemon.
 */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "util.h"

/*
 * Instance nesting followed through a recursive "$ref" before giving up;
 * jansson's own decoder stops at 2048, this keeps the stack small whatever
 * built the instance.
 */
#define DEPTH_MAX	512
#define LIST_MSG_MAX	400	/* longest value list quoted in a message */

enum {
	TY_NULL = 1 << 0,
	TY_BOOLEAN = 1 << 1,
	TY_INTEGER = 1 << 2,
	TY_NUMBER = 1 << 3,
	TY_STRING = 1 << 4,
	TY_ARRAY = 1 << 5,
	TY_OBJECT = 1 << 6,
};

/* In the order a message lists them: "must be a string or null". */
static const struct tyname {
	const char	*name;
	const char	*noun;
	unsigned	 bit;
} tynames[] = {
	{ "string", "a string", TY_STRING },
	{ "integer", "an integer", TY_INTEGER },
	{ "number", "a number", TY_NUMBER },
	{ "boolean", "a boolean", TY_BOOLEAN },
	{ "object", "an object", TY_OBJECT },
	{ "array", "an array", TY_ARRAY },
	{ "null", "null", TY_NULL },
};
#define NTYNAMES	(sizeof tynames / sizeof tynames[0])

enum format { FMT_NONE, FMT_DATE, FMT_DATETIME };

struct prop {
	const char	*name;		/* in the schema's copy of the document */
	struct node	*node;
};

struct node {
	struct node	*next;		/* every node of the schema, to free */
	int		 boolean;	/* -1: an object schema; else false/true */
	unsigned	 types;		/* TY_* bits; 0: any type */
	const char	*ref_text;	/* "$ref" as written, until resolved */
	char		*ref_at;	/* pointer of that "$ref", for errors */
	struct node	*ref;
	const json_t	*enumv;
	char		*enum_msg;
	const json_t	*constv;
	char		*const_msg;
	const json_t	*minimum, *maximum, *xminimum, *xmaximum, *multiple;
	long long	 min_length, max_length;	/* -1: none */
	int		 has_pattern;
	regex_t		 pattern;
	char		*pattern_msg;
	enum format	 format;
	const char	**required;
	size_t		 nrequired;
	struct prop	*props;
	size_t		 nprops;
	struct node	*additional;	/* NULL: any */
	struct node	*items;		/* NULL: any */
	long long	 min_items, max_items;	/* -1: none */
	int		 unique;
};

struct def {
	const char	*name;
	struct node	*node;
};

struct schema {
	json_t		*doc;		/* our copy; nodes point into it */
	struct node	*root;
	struct node	*nodes;
	struct def	*defs;
	size_t		 ndefs;
	locale_t	 utf8;		/* for regcomp/regexec; 0 until needed */
};

/* A JSON Pointer being built, RFC 6901 escaped. */
struct ptr {
	char	*buf;
	size_t	 len, cap;
	int	 oom;
};

static int
ptr_reserve(struct ptr *p, size_t more)
{
	char	*nb;
	size_t	 ncap;

	if (p->len + more + 1 <= p->cap)
		return 0;
	ncap = p->cap ? p->cap : 64;
	while (ncap < p->len + more + 1)
		ncap *= 2;
	if ((nb = realloc(p->buf, ncap)) == NULL) {
		p->oom = 1;
		return -1;
	}
	p->buf = nb;
	p->cap = ncap;
	return 0;
}

static void
ptr_push(struct ptr *p, const char *seg)
{
	const char	*c;

	if (ptr_reserve(p, 2 * strlen(seg) + 1) == -1)
		return;
	p->buf[p->len++] = '/';
	for (c = seg; *c != '\0'; c++) {
		if (*c == '~' || *c == '/') {
			p->buf[p->len++] = '~';
			p->buf[p->len++] = *c == '~' ? '0' : '1';
		} else
			p->buf[p->len++] = *c;
	}
	p->buf[p->len] = '\0';
}

static void
ptr_push_index(struct ptr *p, size_t i)
{
	char	num[32];

	snprintf(num, sizeof num, "%zu", i);
	ptr_push(p, num);
}

static void
ptr_cut(struct ptr *p, size_t len)
{
	if (p->buf != NULL && len <= p->len) {
		p->len = len;
		p->buf[len] = '\0';
	}
}

static const char *
ptr_str(const struct ptr *p)
{
	return p->buf != NULL ? p->buf : "";
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

/* A hash that agrees with value_eq: equal values hash alike. */
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
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
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

static int
is_integral(const json_t *v)
{
	double	d;

	if (json_is_integer(v))
		return 1;
	d = json_real_value(v);
	return isfinite(d) && d == trunc(d);
}

/* As ajv decides it: the quotient is a whole number. */
static int
is_multiple(const json_t *v, const json_t *m)
{
	double	q;

	if (json_is_integer(v) && json_is_integer(m))
		return json_integer_value(v) % json_integer_value(m) == 0;
	q = json_number_value(v) / json_number_value(m);
	return isfinite(q) && q == trunc(q);
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
 * util_datetime_valid allows :60 at any minute; RFC 3339 (and ajv) only
 * where a leap second can fall, at 23:59 UTC.
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

/*
 * Values joined for a message: strings bare, anything else as JSON, cut at
 * LIST_MSG_MAX. Returns a malloc'd string, or NULL when memory ran out.
 */
static char *
values_msg(const char *lead, const json_t *list)
{
	char	*out, *js;
	size_t	 i, len, cap = strlen(lead) + LIST_MSG_MAX + 8;

	if ((out = malloc(cap)) == NULL)
		return NULL;
	len = (size_t)snprintf(out, cap, "%s", lead);
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *v = json_array_get(list, i);
		const char *txt;
		size_t tl;

		js = NULL;
		if (json_is_string(v))
			txt = json_string_value(v);
		else if ((txt = js = json_dumps(v, JSON_ENCODE_ANY |
		    JSON_COMPACT | JSON_REAL_PRECISION(15))) == NULL) {
			free(out);
			return NULL;
		}
		tl = strlen(txt) + (i ? 2 : 0);
		if (len + tl > strlen(lead) + LIST_MSG_MAX) {
			free(js);
			snprintf(out + len, cap - len, "%s...", i ? ", " : "");
			return out;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%s",
		    i ? ", " : "", txt);
		free(js);
	}
	return out;
}

#include "schema-compile.inc"
