/*
 * body.c: the documents a verb's generated options make (cmd.h): the new
 * record of add, the merge patch of edit, the filters of list, each
 * checked against the noun's schema as far as a client can, naming the
 * options at fault.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "schema/schema.h"

/* The generated option for field name: a filter or a field to set. */
static const struct cmd_opt *
opt_of_field(const struct cmd_args *a, const char *name, int filter)
{
	size_t	i;

	for (i = 0; i < a->set.n; i++)
		if (a->set.opts[i].prop != NULL &&
		    strcmp(a->set.opts[i].prop->name, name) == 0 &&
		    !(a->set.opts[i].flags & CMD_OPT_FILTER) == !filter)
			return &a->set.opts[i];
	return NULL;
}

/*
 * The value at JSON Pointer path in doc (borrowed), or NULL when nothing
 * is there. Field names hold no '~' or '/', so segments are not unescaped.
 */
static const json_t *
body_at(const json_t *doc, const char *path)
{
	char	seg[256], *end;
	size_t	n;

	while (doc != NULL && *path == '/') {
		path++;
		n = strcspn(path, "/");
		if (n >= sizeof seg)
			return NULL;
		snprintf(seg, sizeof seg, "%.*s", (int)n, path);
		path += n;
		if (json_is_array(doc))
			doc = json_array_get(doc, strtoul(seg, &end, 10));
		else
			doc = json_object_get(doc, seg);
	}
	return doc;
}

/*
 * Check doc against the schema, leaving out what only the server can
 * judge. An error about a field doc lacks, at any depth (a programme's
 * period.to alone on edit), can only be "required": add
 * leaves those to the server's defaults (or to the required options,
 * checked already), an edit leaves the others as they are, and a filter
 * stands alone. Nulls (removals) are left out too.
 */
static int
check_doc(const struct cmd_args *a, const json_t *doc, int filter)
{
	const struct cmd_opt	*o;
	const char		*key, *path, *msg, *rest;
	json_t			*given, *errs, *e, *v;
	char			 field[256], lines[4096], where[64];
	size_t			 i, len = 0, nbad = 0;
	int			 rc = 0;

	if (a->schema == NULL)
		return 0;
	if ((given = json_object()) == NULL || (errs = json_array()) == NULL) {
		json_decref(given);
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	json_object_foreach((json_t *)doc, key, v)
		if (!json_is_null(v))
			json_object_set(given, key, v);
	schema_validate(a->schema, given, errs, 0);
	lines[0] = '\0';
	json_array_foreach(errs, i, e) {
		path = json_string_value(json_object_get(e, "path"));
		msg = json_string_value(json_object_get(e, "message"));
		if (path == NULL || msg == NULL || path[0] != '/')
			continue;
		rest = path + 1 + strcspn(path + 1, "/");
		snprintf(field, sizeof field, "%.*s", (int)(rest - path - 1),
		    path + 1);
		if (body_at(given, path) == NULL)
			continue;
		if ((o = opt_of_field(a, field, filter)) == NULL)
			snprintf(where, sizeof where, "%s", path);
		else if (rest[0] == '\0')
			snprintf(where, sizeof where, "--%s", o->name);
		else if (strspn(rest + 1, "0123456789") == strlen(rest + 1))
			snprintf(where, sizeof where, "--%s (value %lu)",
			    o->name, strtoul(rest + 1, NULL, 10) + 1);
		else
			snprintf(where, sizeof where, "--%s (at %s)", o->name,
			    rest);
		if (len < sizeof lines)
			len += (size_t)snprintf(lines + len, sizeof lines - len,
			    "\n  %s: %s", where, msg);
		nbad++;
	}
	if (nbad == 1)
		rc = cmd_usage_error(a->entry, a->verb, "%s", lines + 3);
	else if (nbad > 1)
		rc = cmd_usage_error(a->entry, a->verb, "these values break "
		    "the %s schema:%s", a->entry->type, lines);
	json_decref(errs);
	json_decref(given);
	return rc;
}

/* One option's values as the JSON its field takes, into *out. */
static int
field_value(const struct cmd_args *a, const struct cmd_opt *o,
    const struct cmd_optval *ov, json_t **out)
{
	const char	*v = ov->v[ov->n - 1];
	char		*end;
	long long	 ll;
	double		 d;
	size_t		 i;

	*out = NULL;
	if ((o->flags & CMD_OPT_REMOVE) && v[0] == '\0' &&
	    (o->prop->kind != SCHEMA_STRINGS || ov->n == 1)) {
		*out = json_null();
		return 0;
	}
	errno = 0;
	switch (o->prop->kind) {
	case SCHEMA_STRING:
		*out = json_string(v);
		break;
	case SCHEMA_STRINGS:
		if ((*out = json_array()) == NULL)
			break;
		for (i = 0; i < ov->n; i++)
			if (json_array_append_new(*out,
			    json_string(ov->v[i])) == -1) {
				json_decref(*out);
				return cmd_usage_error(a->entry, a->verb, "--%s: "
				    "'%s' is not UTF-8 text", o->name, ov->v[i]);
			}
		break;
	case SCHEMA_INTEGER:
		ll = strtoll(v, &end, 10);
		if (v[0] == '\0' || isspace((unsigned char)v[0]) ||
		    *end != '\0' || errno != 0)
			return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is "
			    "not an integer", o->name, v);
		*out = json_integer(ll);
		break;
	case SCHEMA_NUMBER:
		d = strtod(v, &end);
		if (v[0] == '\0' || isspace((unsigned char)v[0]) ||
		    *end != '\0' || errno != 0 || !isfinite(d))
			return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is "
			    "not a number", o->name, v);
		*out = json_real(d);
		break;
	case SCHEMA_BOOLEAN:
		/* A flag on add (--no-NAME: false); true or false on edit. */
		*out = json_boolean(!(o->flags & CMD_OPT_NEGATE) &&
		    (o->arg == NULL || strcmp(v, "true") == 0));
		break;
	default:
		break;
	}
	/* jansson refuses strings that are not UTF-8. */
	if (*out == NULL)
		return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is not "
		    "UTF-8 text", o->name, v);
	return 0;
}

int
cmd_body(const struct cmd_args *a, int patch, json_t **out)
{
	const struct cmd_opt	*o;
	json_t			*body, *j;
	size_t			 i, k;
	int			 rc = CMD_USAGE;

	*out = NULL;
	if ((body = json_object()) == NULL) {
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	for (i = 0; i < a->set.n; i++) {
		o = &a->set.opts[i];
		if (o->prop == NULL || (o->flags & CMD_OPT_FILTER) ||
		    a->vals[i].n == 0)
			continue;
		/* Only --NAME and --no-NAME share a field. */
		for (k = 0; k < i; k++)
			if (a->set.opts[k].prop == o->prop && a->vals[k].n > 0) {
				rc = cmd_usage_error(a->entry, a->verb, "--%s and "
				    "--%s exclude each other",
				    a->set.opts[k].name, o->name);
				goto fail;
			}
		if ((rc = field_value(a, o, &a->vals[i], &j)) != 0)
			goto fail;
		if (json_object_set_new(body, o->prop->name, j) == -1) {
			log_warnx("out of memory");
			rc = CMD_USAGE;
			goto fail;
		}
	}
	if ((a->entry->fill != NULL && (rc = a->entry->fill(body, a,
	    patch)) != 0) || (rc = check_doc(a, body, 0)) != 0)
		goto fail;
	if (patch && json_object_size(body) == 0) {
		rc = cmd_usage_error(a->entry, a->verb, "nothing to change");
		goto fail;
	}
	*out = body;
	return 0;
 fail:
	json_decref(body);
	return rc;
}

int
cmd_filters(const struct cmd_args *a, json_t **out)
{
	json_t	*q, *j;
	size_t	 i;
	int	 rc;

	*out = NULL;
	if ((q = json_object()) == NULL) {
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	for (i = 0; i < a->set.n; i++) {
		if (!(a->set.opts[i].flags & CMD_OPT_FILTER) ||
		    a->set.opts[i].prop == NULL || a->vals[i].n == 0)
			continue;
		if ((rc = field_value(a, &a->set.opts[i], &a->vals[i],
		    &j)) != 0) {
			json_decref(q);
			return rc;
		}
		json_object_set_new(q, a->set.opts[i].prop->name, j);
	}
	if ((rc = check_doc(a, q, 1)) != 0) {
		json_decref(q);
		return rc;
	}
	/*
	 * A table's filter (a list's --from DATE) is no field of the schema:
	 * it goes as given, under its own name; check_values has checked it.
	 */
	for (i = 0; i < a->set.n; i++) {
		if (!(a->set.opts[i].flags & CMD_OPT_FILTER) ||
		    a->set.opts[i].prop != NULL || a->vals[i].n == 0)
			continue;
		if ((j = json_string(a->vals[i].v[a->vals[i].n - 1])) == NULL ||
		    json_object_set_new(q, a->set.opts[i].name, j) == -1) {
			json_decref(q);
			return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is "
			    "not UTF-8 text", a->set.opts[i].name,
			    a->vals[i].v[a->vals[i].n - 1]);
		}
	}
	*out = q;
	return 0;
}
