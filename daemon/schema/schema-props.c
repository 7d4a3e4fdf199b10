/*
 * schema-props.c: what a client sees of a compiled schema: the root's
 * properties with their kind, choices, description and flags (schema.h's
 * property walk), and the root annotations x-filters and x-defaults,
 * checked against those properties at compile time.
 */
#include <stdarg.h>

#include "schema-int.h"

/* What a client sees of one subschema, "$ref"s followed. */
struct view {
	unsigned			 types;		/* TY_* bits */
	int				 typed;		/* some "type" seen */
	int				 never;		/* false on the way */
	const json_t			*enumv;
	const char			*description;
	int				 read_only;
	const struct schema_node	*items;
};

/*
 * A node and the nodes its "$ref"s lead to apply together: types
 * intersect; the first enum, description and items found win, so a
 * property's own description comes before its target's.
 */
static void
view_of(const struct schema_node *n, struct view *w)
{
	memset(w, 0, sizeof *w);
	for (; n != NULL; n = n->ref) {
		if (n->boolean == 0)
			w->never = 1;
		if (n->boolean != -1)
			continue;
		if (n->types != 0) {
			w->types = w->typed ? w->types & n->types : n->types;
			w->typed = 1;
		}
		if (w->enumv == NULL)
			w->enumv = n->enumv;
		if (w->description == NULL)
			w->description = n->description;
		if (w->items == NULL)
			w->items = n->items;
		w->read_only |= n->read_only;
	}
}

/*
 * The enum's strings, NULL-ended, into *out (malloc'd; pointing into the
 * schema's document). *out stays NULL when a value is neither a string nor
 * null. Returns -1 when memory ran out.
 */
static int
enum_strings(const json_t *en, const char ***out)
{
	const json_t	*e;
	size_t		 i, k = 0;

	*out = NULL;
	json_array_foreach(en, i, e)
		if (!json_is_string(e) && !json_is_null(e))
			return 0;
	if ((*out = calloc(json_array_size(en) + 1, sizeof **out)) == NULL)
		return -1;
	json_array_foreach(en, i, e)
		if (json_is_string(e))
			(*out)[k++] = json_string_value(e);
	return 0;
}

/* kind, nullable and choices (malloc'd, or NULL) of node n. */
static int
view_kind(const struct schema_node *n, struct view *w,
    enum schema_kind *kind, int *nullable, const char ***choices)
{
	struct view		 iw;
	enum schema_kind	 ik;
	unsigned		 t;
	int			 inull;
	size_t			 i;

	view_of(n, w);
	*kind = SCHEMA_OTHER;
	*choices = NULL;
	t = w->types & ~(unsigned)TY_NULL;
	*nullable = !w->never && (!w->typed || (w->types & TY_NULL));
	if (w->never || (w->typed && t == 0))
		return 0;
	if (w->enumv != NULL) {
		*nullable = 0;
		for (i = 0; i < json_array_size(w->enumv); i++)
			if (json_is_null(json_array_get(w->enumv, i)))
				*nullable = !w->typed || (w->types & TY_NULL);
		if (enum_strings(w->enumv, choices) == -1)
			return -1;
		if (*choices != NULL && (!w->typed || t == TY_STRING))
			*kind = SCHEMA_STRING;
		return 0;
	}
	if (!w->typed)
		return 0;
	if (t == TY_STRING)
		*kind = SCHEMA_STRING;
	else if (t == TY_INTEGER)
		*kind = SCHEMA_INTEGER;
	else if (t == TY_NUMBER || t == (TY_NUMBER | TY_INTEGER))
		*kind = SCHEMA_NUMBER;
	else if (t == TY_BOOLEAN)
		*kind = SCHEMA_BOOLEAN;
	else if (t == TY_OBJECT)
		*kind = SCHEMA_OBJECT;
	else if (t == TY_ARRAY && w->items != NULL) {
		if (view_kind(w->items, &iw, &ik, &inull, choices) == -1)
			return -1;
		if (ik == SCHEMA_STRING)
			*kind = SCHEMA_STRINGS;
		else {
			free(*choices);
			*choices = NULL;
		}
	}
	return 0;
}

/* The public view of the root's properties (schema_prop). */
int
schema_props_build(struct cctx *c)
{
	struct schema		*s = c->s;
	const struct schema_node *root = s->root;
	struct schema_prop	*p;
	struct view		 w;
	const char		**choices;
	size_t			 i, j;

	if (root->nprops == 0)
		return 0;
	if ((s->props = calloc(root->nprops, sizeof *s->props)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	for (i = 0; i < root->nprops; i++) {
		p = &s->props[s->nprops];
		p->name = root->props[i].name;
		if (view_kind(root->props[i].node, &w, &p->kind, &p->nullable,
		    &choices) == -1) {
			schema_cerr(c, "out of memory");
			return -1;
		}
		s->nprops++;
		p->choices = choices;
		p->description = w.description;
		p->server = w.read_only;
		for (j = 0; j < root->nrequired; j++)
			if (strcmp(root->required[j], p->name) == 0)
				p->required = 1;
	}
	return 0;
}

static void names_err(struct cctx *, const char *, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
names_err(struct cctx *c, const char *kw, size_t i, const char *fmt, ...)
{
	char	msg[400];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "schema error at /%s/%zu: %s", kw, i, msg);
}

/*
 * "x-filters" must name string properties (a query value is a string) and
 * "x-defaults" required properties (what the server fills when absent).
 */
int
schema_props_check(struct cctx *c)
{
	struct schema		*s = c->s;
	struct schema_prop	*p;
	const char		*name;
	size_t			 i, n;

	n = json_array_size(s->xfilters);
	if (n > 0 && (s->filters = calloc(n + 1, sizeof *s->filters)) == NULL) {
		schema_cerr(c, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		name = json_string_value(json_array_get(s->xfilters, i));
		p = (struct schema_prop *)schema_prop_find(s, name);
		if (p == NULL || p->kind != SCHEMA_STRING) {
			names_err(c, "x-filters", i, "\"%s\" is not a string "
			    "property of the schema", name);
			return -1;
		}
		s->filters[s->nfilters++] = name;
	}
	n = json_array_size(s->xdefaults);
	for (i = 0; i < n; i++) {
		name = json_string_value(json_array_get(s->xdefaults, i));
		p = (struct schema_prop *)schema_prop_find(s, name);
		if (p == NULL || !p->required) {
			names_err(c, "x-defaults", i, "\"%s\" is not a required "
			    "property of the schema", name);
			return -1;
		}
		p->dflt = 1;
	}
	return 0;
}

size_t
schema_nprops(const struct schema *s)
{
	return s != NULL ? s->nprops : 0;
}

const struct schema_prop *
schema_prop(const struct schema *s, size_t i)
{
	return s != NULL && i < s->nprops ? &s->props[i] : NULL;
}

const struct schema_prop *
schema_prop_find(const struct schema *s, const char *name)
{
	size_t	i;

	for (i = 0; s != NULL && name != NULL && i < s->nprops; i++)
		if (strcmp(s->props[i].name, name) == 0)
			return &s->props[i];
	return NULL;
}

size_t
schema_filters(const struct schema *s, const char *const **names)
{
	*names = s != NULL && s->nfilters > 0 ? s->filters : NULL;
	return s != NULL ? s->nfilters : 0;
}

