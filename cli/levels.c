/*
 * levels.c: AREA:LEVEL options, shared by the nouns whose records list the
 * level per area (evaluation --assessed, audit --require); see levels.h.
 */
#include <stdio.h>
#include <string.h>

#include "levels.h"
#include "schema/schema.h"
#include "util.h"

/*
 * The levels the noun's built-in schema allows at field (a new reference),
 * or NULL when the schema does not say (a broken build).
 */
static json_t *
levels_allowed(const char *type, const char *field)
{
	const struct schema_text	*t;
	json_t				*doc, *en;

	for (t = schema_texts; t->type != NULL; t++)
		if (strcmp(t->type, type) == 0)
			break;
	if (t->type == NULL || (doc = json_loadb(t->text, t->len, 0,
	    NULL)) == NULL)
		return NULL;
	en = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(doc, "properties"), field),
	    "items"), "properties"), "level"), "enum");
	en = json_is_array(en) ? json_incref(en) : NULL;
	json_decref(doc);
	return en;
}

/* 1 if level is one of levels; the levels joined with ", " into list. */
static int
levels_ok(const json_t *levels, const char *level, char *list,
    size_t len)
{
	const json_t	*l;
	size_t		 i, n = 0;
	int		 ok = 0;

	list[0] = '\0';
	json_array_foreach(levels, i, l) {
		if (n < len)
			n += (size_t)snprintf(list + n, len - n, "%s%s", i ? ", " :
			    "", json_string_value(l));
		if (json_is_string(l) && strcmp(json_string_value(l),
		    level) == 0)
			ok = 1;
	}
	return ok;
}

/* One AREA:LEVEL of option opt into arr (which holds those before it). */
static int
levels_one(const struct cmd_args *a, const char *opt, const json_t *levels,
    json_t *arr, const char *v)
{
	const char	*colon = strrchr(v, ':');
	char		 area[ID_MAX + 1], list[256];
	json_t		*e;
	size_t		 i;

	if (colon == NULL || colon == v || colon[1] == '\0')
		return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is "
		    "not AREA:LEVEL", opt, v);
	area[0] = '\0';
	if ((size_t)(colon - v) <= ID_MAX)
		snprintf(area, sizeof area, "%.*s", (int)(colon - v), v);
	if (!util_id_valid(area))
		return cmd_usage_error(a->entry, a->verb, "--%s: '%.*s' is "
		    "not an area id", opt, (int)(colon - v), v);
	if (!levels_ok(levels, colon + 1, list, sizeof list))
		return cmd_usage_error(a->entry, a->verb, "--%s: level "
		    "'%s' is not one of: %s", opt, colon + 1, list);
	json_array_foreach(arr, i, e)
		if (strcmp(json_string_value(json_object_get(e, "area")),
		    area) == 0)
			return cmd_usage_error(a->entry, a->verb, "--%s: "
			    "area '%s' is given twice", opt, area);
	if (json_array_append_new(arr, json_pack("{s:s,s:s}", "area", area,
	    "level", colon + 1)) == -1)
		return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is "
		    "not UTF-8 text", opt, v);
	return 0;
}

/* What levels_one needs besides the value: the option and its levels. */
struct levels_arg {
	const char	*opt;
	json_t		*levels;
};

static int
levels_item(const struct cmd_args *a, const char *v, json_t *arr, void *arg)
{
	struct levels_arg	*la = arg;

	return levels_one(a, la->opt, la->levels, arr, v);
}

int
levels_fill(json_t *body, const struct cmd_args *a, int patch,
    const char *opt, const char *field)
{
	struct levels_arg	 la = { opt, NULL };
	const char *const	*given;
	int			 rc;

	if (cmd_arg_all(a, opt, &given) == 0)
		return 0;
	if ((la.levels = levels_allowed(a->entry->type, field)) == NULL)
		return cmd_usage_error(a->entry, a->verb, "the built-in "
		    "%s schema names no levels", a->entry->type);
	rc = cmd_list_fill(body, a, patch, opt, field, "AREA:LEVEL",
	    levels_item, &la);
	json_decref(la.levels);
	return rc;
}
