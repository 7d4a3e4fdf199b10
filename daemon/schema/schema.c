/*
 * schema.c: compiles a JSON Schema document (the 2020-12 subset schema.h
 * lists) into the tree of schema-int.h, refusing anything outside the
 * subset. schema-validate.c walks the tree; schema-builtin.c keeps the
 * schemas built into the daemon.
 */
#include <locale.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "schema-int.h"

#define LIST_MSG_MAX	400	/* longest value list quoted in a message */

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


void
schema_cerr(struct cctx *c, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->err == NULL || c->errlen == 0)
		return;
	if (c->at.len == 0)
		snprintf(c->err, c->errlen, "schema error at the root: %s",
		    msg);
	else
		snprintf(c->err, c->errlen, "schema error at %s: %s",
		    schema_ptr_str(&c->at), msg);
}

static struct schema_node *
node_new(struct cctx *c)
{
	struct schema_node	*n;

	if ((n = calloc(1, sizeof *n)) == NULL) {
		schema_cerr(c, "out of memory");
		return NULL;
	}
	n->boolean = -1;
	n->min_length = n->max_length = n->min_items = n->max_items = -1;
	n->next = c->s->nodes;
	c->s->nodes = n;
	return n;
}

static void
node_free(struct schema_node *n)
{
	free(n->type_msg);
	free(n->ref_at);
	free(n->enum_msg);
	free(n->const_msg);
	if (n->has_pattern)
		regfree(&n->pattern);
	free(n->pattern_msg);
	free(n->required);
	free(n->props);
	free(n);
}

static struct schema_node	*compile_node(struct cctx *, json_t *, int);

/*
 * Values joined for a message: strings bare, anything else as JSON, cut
 * after LIST_MSG_MAX bytes. Returns a malloc'd string, NULL out of memory.
 */
static char *
values_msg(const char *lead, const json_t *list)
{
	const json_t	*v;
	const char	*txt;
	char		*out, *js;
	size_t		 i, len, limit, cap;

	limit = strlen(lead) + LIST_MSG_MAX;
	cap = limit + 8;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	len = (size_t)snprintf(out, cap, "%s", lead);
	json_array_foreach(list, i, v) {
		js = NULL;
		if (json_is_string(v))
			txt = json_string_value(v);
		else if ((txt = js = json_dumps(v, JSON_ENCODE_ANY |
		    JSON_COMPACT | JSON_REAL_PRECISION(15))) == NULL) {
			free(out);
			return NULL;
		}
		if (len + strlen(txt) + 2 > limit) {
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

static int
kw_annotation(struct cctx *c, struct schema_node *n, const char *kw,
    json_t *v)
{
	if (!json_is_string(v)) {
		schema_cerr(c, "%s must be a string", kw);
		return -1;
	}
	/* Kept for schema_prop: clients show it as help. */
	if (strcmp(kw, "description") == 0)
		n->description = json_string_value(v);
	return 0;
}

static int
kw_read_only(struct cctx *c, struct schema_node *n, const char *kw,
    json_t *v)
{
	if (!json_is_boolean(v)) {
		schema_cerr(c, "%s must be true or false", kw);
		return -1;
	}
	n->read_only = json_is_true(v);
	return 0;
}

/*
 * "x-filters" and "x-defaults": arrays of unique strings here; that they
 * name the right properties is checked once the whole schema is compiled
 * (schema_props_check), as "properties" and "required" may come later.
 */
static int
kw_names(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	size_t	i, j;

	(void)n;
	if (!json_is_array(v)) {
		schema_cerr(c, "%s must be an array of strings", kw);
		return -1;
	}
	for (i = 0; i < json_array_size(v); i++) {
		if (!json_is_string(json_array_get(v, i))) {
			schema_cerr(c, "%s must be an array of strings", kw);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(v, i),
			    json_array_get(v, j))) {
				schema_cerr(c, "%s lists \"%s\" twice", kw,
				    json_string_value(json_array_get(v, i)));
				return -1;
			}
	}
	if (strcmp(kw, "x-filters") == 0)
		c->s->xfilters = v;
	else
		c->s->xdefaults = v;
	return 0;
}

static int
kw_type(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	json_t	*one = v;
	size_t	 i, k, count;
	char	 msg[160];
	int	 len;

	count = json_is_array(v) ? json_array_size(v) : 1;
	if (json_is_array(v) && count == 0) {
		schema_cerr(c, "%s must not be an empty array", kw);
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (json_is_array(v))
			one = json_array_get(v, i);
		for (k = 0; k < NTYNAMES; k++)
			if (json_is_string(one) &&
			    strcmp(json_string_value(one), tynames[k].name) == 0)
				break;
		if (k == NTYNAMES) {
			schema_cerr(c, "%s must name types (string, integer, number, "
			    "boolean, object, array, null)", kw);
			return -1;
		}
		if (n->types & tynames[k].bit) {
			schema_cerr(c, "%s names %s twice", kw, tynames[k].name);
			return -1;
		}
		n->types |= tynames[k].bit;
	}
	len = snprintf(msg, sizeof msg, "must be");
	for (i = 0, k = 0; k < NTYNAMES; k++) {
		if (!(n->types & tynames[k].bit))
			continue;
		len += snprintf(msg + len, sizeof msg - (size_t)len, "%s %s",
		    i == 0 ? "" : i + 1 == count ? " or" : ",",
		    tynames[k].noun);
		i++;
	}
	if ((n->type_msg = strdup(msg)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	return 0;
}

static int
kw_required(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	size_t	i, j;

	if (!json_is_array(v)) {
		schema_cerr(c, "%s must be an array of strings", kw);
		return -1;
	}
	if ((n->required = calloc(json_array_size(v) + 1,
	    sizeof *n->required)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	for (i = 0; i < json_array_size(v); i++) {
		json_t *name = json_array_get(v, i);
		if (!json_is_string(name)) {
			schema_cerr(c, "%s must be an array of strings", kw);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(n->required[j], json_string_value(name)) == 0) {
				schema_cerr(c, "%s lists \"%s\" twice", kw,
				    n->required[j]);
				return -1;
			}
		n->required[n->nrequired++] = json_string_value(name);
	}
	return 0;
}

static int
kw_properties(struct cctx *c, struct schema_node *n, const char *kw,
    json_t *v)
{
	const char	*name;
	json_t		*sub;
	size_t		 mark = c->at.len;

	if (!json_is_object(v)) {
		schema_cerr(c, "%s must be an object", kw);
		return -1;
	}
	if ((n->props = calloc(json_object_size(v) + 1,
	    sizeof *n->props)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	json_object_foreach(v, name, sub) {
		struct schema_member *p = &n->props[n->nprops];
		schema_ptr_push(&c->at, name);
		p->name = name;
		if ((p->node = compile_node(c, sub, 0)) == NULL)
			return -1;
		n->nprops++;
		schema_ptr_cut(&c->at, mark);
	}
	return 0;
}

/* additionalProperties and items: one subschema each. */
static int
kw_subschema(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	struct schema_node	*sub;

	if (json_is_array(v) && strcmp(kw, "items") == 0) {
		schema_cerr(c, "items as an array (draft 7 tuples) is not supported");
		return -1;
	}
	if ((sub = compile_node(c, v, 0)) == NULL)
		return -1;
	if (strcmp(kw, "items") == 0)
		n->items = sub;
	else
		n->additional = sub;
	return 0;
}

static int
kw_enum(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	if (!json_is_array(v) || json_array_size(v) == 0) {
		schema_cerr(c, "%s must be a non-empty array", kw);
		return -1;
	}
	n->enumv = v;
	if ((n->enum_msg = values_msg("must be one of: ", v)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	return 0;
}

static int
kw_const(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	json_t	*one;

	(void)kw;
	n->constv = v;
	if ((one = json_array()) == NULL ||
	    json_array_append(one, v) == -1 ||
	    (n->const_msg = values_msg("must be exactly: ", one)) == NULL) {
		json_decref(one);
		schema_cerr(c, "out of memory");
		return -1;
	}
	json_decref(one);
	return 0;
}

/* minLength, maxLength, minItems, maxItems: a non-negative integer. */
static int
kw_count(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	double		d = json_number_value(v);
	long long	val;

	if (json_is_integer(v) && json_integer_value(v) >= 0)
		val = json_integer_value(v);
	else if (json_is_real(v) && d >= 0 && d < 9e18 &&
	    d == (double)(long long)d)
		val = (long long)d;
	else {
		schema_cerr(c, "%s must be a non-negative integer", kw);
		return -1;
	}
	if (strcmp(kw, "minLength") == 0)
		n->min_length = val;
	else if (strcmp(kw, "maxLength") == 0)
		n->max_length = val;
	else if (strcmp(kw, "minItems") == 0)
		n->min_items = val;
	else
		n->max_items = val;
	return 0;
}

/* minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf. */
static int
kw_number(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	if (!json_is_number(v)) {
		schema_cerr(c, "%s must be a number", kw);
		return -1;
	}
	if (strcmp(kw, "minimum") == 0)
		n->minimum = v;
	else if (strcmp(kw, "maximum") == 0)
		n->maximum = v;
	else if (strcmp(kw, "exclusiveMinimum") == 0)
		n->xminimum = v;
	else if (strcmp(kw, "exclusiveMaximum") == 0)
		n->xmaximum = v;
	else if (json_number_value(v) > 0)
		n->multiple = v;
	else {
		schema_cerr(c, "%s must be greater than 0", kw);
		return -1;
	}
	return 0;
}

static int
kw_unique(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	if (!json_is_boolean(v)) {
		schema_cerr(c, "%s must be true or false", kw);
		return -1;
	}
	n->unique = json_is_true(v);
	return 0;
}

static int
kw_format(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	const char	*f = json_string_value(v);

	if (f != NULL && strcmp(f, "date") == 0)
		n->format = FMT_DATE;
	else if (f != NULL && strcmp(f, "date-time") == 0)
		n->format = FMT_DATETIME;
	else {
		schema_cerr(c, "%s must be \"date\" or \"date-time\"", kw);
		return -1;
	}
	return 0;
}

/*
 * Rewrite an ECMA-262 pattern as the POSIX ERE that means the same, or
 * refuse it (see schema.h). Returns a malloc'd ERE, or NULL with why set.
 */
static char *
pattern_to_ere(const char *src, const char **why)
{
	/* ECMA-262's "." : anything but \n, \r, U+2028 and U+2029. */
	static const char	 dot[] = "[^\n\r\xe2\x80\xa8\xe2\x80\xa9]";
	const char		*p;
	char			*out, *o;
	int			 bracket = 0;

	if ((out = malloc(strlen(src) * (sizeof dot - 1) + 1)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	*why = NULL;
	for (p = src, o = out; *p != '\0' && *why == NULL; p++) {
		if (bracket) {
			if (*p == '\\')
				*why = "a backslash inside [] is literal in POSIX "
				    "but an escape in ECMA-262";
			else if (*p == '[' && (p[1] == ':' || p[1] == '=' ||
			    p[1] == '.'))
				*why = "[:class:], [=x=] and [.x.] are POSIX only";
			else if (*p == ']')
				bracket = 0;
			*o++ = *p;
		} else if (*p == '[') {
			*o++ = *p;
			if (p[1] == '^')
				*o++ = *++p;
			if (p[1] == ']')
				*why = "\"]\" first inside [] means different "
				    "things in POSIX and ECMA-262";
			bracket = 1;
		} else if (*p == '\\') {
			if (p[1] == '\0' || strchr("^$\\.*+?()[]{}|/",
			    p[1]) == NULL)
				*why = "only \\ before one of ^$\\.*+?()[]{}|/ "
				    "means the same in POSIX and ECMA-262 "
				    "(write [0-9] for \\d)";
			else if (*++p != '/')	/* "\/" is just "/" */
				*o++ = '\\';
			*o++ = *p;
		} else if (*p == '(' && p[1] == '?') {
			*why = "(? groups and look-arounds are ECMA-262 only";
		} else if (*p == '.') {
			memcpy(o, dot, sizeof dot - 1);
			o += sizeof dot - 1;
		} else
			*o++ = *p;
	}
	if (*why == NULL && bracket)
		*why = "unterminated [";
	if (*why != NULL) {
		free(out);
		return NULL;
	}
	*o = '\0';
	return out;
}

/* The message for a mismatch, control characters written as in JSON. */
static char *
pattern_msg(const char *pat)
{
	static const char	 lead[] = "must match the pattern ";
	char			*out, *o;

	if ((out = malloc(sizeof lead + 6 * strlen(pat))) == NULL)
		return NULL;
	o = out + sprintf(out, "%s", lead);
	for (; *pat != '\0'; pat++) {
		unsigned char ch = (unsigned char)*pat;
		if (ch == '\t' || ch == '\r' || ch == '\n')
			o += sprintf(o, "\\%c", ch == '\t' ? 't' :
			    ch == '\r' ? 'r' : 'n');
		else if (ch < 0x20 || ch == 0x7f)
			o += sprintf(o, "\\u%04x", ch);
		else
			*o++ = (char)ch;
	}
	*o = '\0';
	return out;
}

static int
kw_pattern(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	const char	*why;
	char		*ere, rerr[128];
	locale_t	 old;
	int		 rc;

	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		schema_cerr(c, "%s must be a string without \\u0000", kw);
		return -1;
	}
	if (c->s->utf8 == (locale_t)0 &&
	    (c->s->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8",
	    (locale_t)0)) == (locale_t)0) {
		schema_cerr(c, "%s needs the C.UTF-8 locale, which this system lacks",
		    kw);
		return -1;
	}
	if ((ere = pattern_to_ere(json_string_value(v), &why)) == NULL) {
		schema_cerr(c, "%s \"%s\": %s", kw, json_string_value(v), why);
		return -1;
	}
	old = uselocale(c->s->utf8);
	rc = regcomp(&n->pattern, ere, REG_EXTENDED | REG_NOSUB);
	uselocale(old);
	free(ere);
	if (rc != 0) {
		regerror(rc, &n->pattern, rerr, sizeof rerr);
		schema_cerr(c, "%s \"%s\": %s", kw, json_string_value(v), rerr);
		return -1;
	}
	n->has_pattern = 1;
	if ((n->pattern_msg = pattern_msg(json_string_value(v))) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	return 0;
}

static int
kw_ref(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	const char	*r = json_string_value(v);

	if (r == NULL || (strcmp(r, "#") != 0 &&
	    (strncmp(r, "#/$defs/", 8) != 0 || r[8] == '\0' ||
	    strpbrk(r + 8, "/%") != NULL))) {
		schema_cerr(c, "%s must be \"#\" or \"#/$defs/NAME\"", kw);
		return -1;
	}
	n->ref_text = r;
	if ((n->ref_at = strdup(schema_ptr_str(&c->at))) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	return 0;
}

static int
kw_defs(struct cctx *c, struct schema_node *n, const char *kw, json_t *v)
{
	const char	*name;
	json_t		*sub;
	size_t		 mark = c->at.len;

	(void)n;
	if (!json_is_object(v)) {
		schema_cerr(c, "%s must be an object", kw);
		return -1;
	}
	if ((c->s->defs = calloc(json_object_size(v) + 1,
	    sizeof *c->s->defs)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	json_object_foreach(v, name, sub) {
		struct schema_def *d = &c->s->defs[c->s->ndefs];
		schema_ptr_push(&c->at, name);
		d->name = name;
		if ((d->node = compile_node(c, sub, 0)) == NULL)
			return -1;
		c->s->ndefs++;
		schema_ptr_cut(&c->at, mark);
	}
	return 0;
}

static const struct keyword {
	const char	*name;
	int		 root_only;
	int		 (*compile)(struct cctx *, struct schema_node *,
			    const char *, json_t *);
} keywords[] = {
	{ "$comment", 0, kw_annotation },
	{ "$defs", 1, kw_defs },
	{ "$id", 0, kw_annotation },
	{ "$ref", 0, kw_ref },
	{ "$schema", 0, kw_annotation },
	{ "additionalProperties", 0, kw_subschema },
	{ "const", 0, kw_const },
	{ "description", 0, kw_annotation },
	{ "enum", 0, kw_enum },
	{ "exclusiveMaximum", 0, kw_number },
	{ "exclusiveMinimum", 0, kw_number },
	{ "format", 0, kw_format },
	{ "items", 0, kw_subschema },
	{ "maxItems", 0, kw_count },
	{ "maxLength", 0, kw_count },
	{ "maximum", 0, kw_number },
	{ "minItems", 0, kw_count },
	{ "minLength", 0, kw_count },
	{ "minimum", 0, kw_number },
	{ "multipleOf", 0, kw_number },
	{ "pattern", 0, kw_pattern },
	{ "properties", 0, kw_properties },
	{ "readOnly", 0, kw_read_only },
	{ "required", 0, kw_required },
	{ "title", 0, kw_annotation },
	{ "type", 0, kw_type },
	{ "uniqueItems", 0, kw_unique },
	{ "x-defaults", 1, kw_names },
	{ "x-filters", 1, kw_names },
};

static int
keyword_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct keyword *)elem)->name);
}

static struct schema_node *
compile_node(struct cctx *c, json_t *js, int root)
{
	const struct keyword	*kw;
	struct schema_node	*n;
	const char		*key;
	json_t			*v;
	size_t			 mark = c->at.len;

	if (!json_is_object(js) && !json_is_boolean(js)) {
		schema_cerr(c, "a schema must be an object or true or false");
		return NULL;
	}
	if ((n = node_new(c)) == NULL)
		return NULL;
	if (json_is_boolean(js)) {
		n->boolean = json_is_true(js);
		return n;
	}
	json_object_foreach(js, key, v) {
		schema_ptr_push(&c->at, key);
		kw = bsearch(key, keywords, sizeof keywords / sizeof keywords[0],
		    sizeof keywords[0], keyword_cmp);
		if (kw == NULL) {
			schema_cerr(c, "unsupported keyword \"%s\"", key);
			return NULL;
		}
		if (kw->root_only && !root) {
			schema_cerr(c, "%s is only supported at the root", key);
			return NULL;
		}
		if (kw->compile(c, n, key, v) == -1)
			return NULL;
		schema_ptr_cut(&c->at, mark);
	}
	return n;
}

/* A "$defs" name against the pointer segment that refers to it. */
static int
ref_names(const char *seg, const char *name)
{
	for (; *seg != '\0'; seg++, name++) {
		char ch = *seg;
		if (ch == '~') {
			if (seg[1] != '0' && seg[1] != '1')
				return 0;
			ch = *++seg == '0' ? '~' : '/';
		}
		if (*name != ch)
			return 0;
	}
	return *name == '\0';
}

/* Point every "$ref" at its node; refuse a chain of refs that loops. */
static int
resolve_refs(struct cctx *c)
{
	struct schema		*s = c->s;
	struct schema_node	*n, *m;
	size_t			 i, total = 0, steps;

	for (n = s->nodes; n != NULL; n = n->next)
		total++;
	for (n = s->nodes; n != NULL; n = n->next) {
		if (n->ref_text == NULL)
			continue;
		if (strcmp(n->ref_text, "#") == 0)
			n->ref = s->root;
		for (i = 0; i < s->ndefs && n->ref == NULL; i++)
			if (ref_names(n->ref_text + 8, s->defs[i].name))
				n->ref = s->defs[i].node;
		if (n->ref == NULL) {
			snprintf(c->err, c->errlen, "schema error at %s: "
			    "\"%s\" names no entry of $defs", n->ref_at,
			    n->ref_text);
			return -1;
		}
	}
	/* Only a ref leads back to the same instance; a loop of them never ends. */
	for (n = s->nodes; n != NULL; n = n->next)
		for (m = n->ref, steps = 0; m != NULL; m = m->ref)
			if (m == n || ++steps > total) {
				snprintf(c->err, c->errlen, "schema error at "
				    "%s: \"%s\" refers back to itself",
				    n->ref_at, n->ref_text);
				return -1;
			}
	return 0;
}

struct schema *
schema_compile(json_t *doc, char *err, size_t errlen)
{
	struct cctx	c;
	char		dummy[1];

	memset(&c, 0, sizeof c);
	c.err = errlen > 0 && err != NULL ? err : dummy;
	c.errlen = errlen > 0 && err != NULL ? errlen : sizeof dummy;
	c.err[0] = '\0';
	if (doc == NULL) {
		schema_cerr(&c, "no schema document");
		return NULL;
	}
	if ((c.s = calloc(1, sizeof *c.s)) == NULL ||
	    (c.s->doc = json_deep_copy(doc)) == NULL) {
		schema_cerr(&c, "out of memory");
		goto fail;
	}
	if ((c.s->root = compile_node(&c, c.s->doc, 1)) == NULL ||
	    resolve_refs(&c) == -1 || schema_props_build(&c) == -1 ||
	    schema_props_check(&c) == -1)
		goto fail;
	free(c.at.buf);
	return c.s;
fail:
	if (c.at.oom)
		schema_cerr(&c, "out of memory");
	free(c.at.buf);
	schema_free(c.s);
	return NULL;
}

void
schema_free(struct schema *s)
{
	struct schema_node	*n, *next;
	size_t			 i;

	if (s == NULL)
		return;
	for (n = s->nodes; n != NULL; n = next) {
		next = n->next;
		node_free(n);
	}
	free(s->defs);
	for (i = 0; i < s->nprops; i++)
		free((void *)s->props[i].choices);
	free(s->props);
	free(s->filters);
	if (s->utf8 != (locale_t)0)
		freelocale(s->utf8);
	json_decref(s->doc);
	free(s);
}
