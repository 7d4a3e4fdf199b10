/*
 * cmd-programme.c: `auditorctl programme ...`: audit programmes
 * (/v1/programmes). Fields, choices, required fields and filters come from
 * programme.schema.json; here are the verbs, the options for what is not
 * one string per field: --from/--to (the period), --risk (risks, by their
 * description), --policy KEY=VALUE (the policy overrides, the keys and
 * their ranges from policy.schema.json), and the columns of a list.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "request.h"
#include "schema/schema.h"

static const struct output_column programme_columns[] = {
	{ "ID", "id", 0 },
	{ "STATUS", "status", 0 },
	{ "FROM", "period.from", 0 },
	{ "TO", "period.to", 0 },
	{ "MANAGER", "manager", OUTPUT_TRUNC },
	{ "TITLE", "title", OUTPUT_TRUNC },
};

/* One objective and one procedure per option, as an auditor's --language. */
static const struct cmd_field programme_fields[] = {
	{ .name = "objectives", .opt = "objective", .arg = "TEXT" },
	{ .name = "procedures", .opt = "procedure", .arg = "TEXT" },
	{ .name = NULL }
};

#define RISK_HELP	"A risk of the programme (its description); repeat " \
	"for each."
#define POLICY_HELP	"Override the competence policy: KEY=VALUE, KEY as " \
	"cpd.min_hours (the keys and ranges are the policy schema's); repeat " \
	"for each."

static const struct cmd_opt add_opts[] = {
	{ .name = "from", .arg = "DATE", .flags = CMD_OPT_REQUIRED |
	    CMD_OPT_DATE, .help = "The programme's first day." },
	{ .name = "policy", .arg = "KEY=VALUE", .flags = CMD_OPT_REPEAT,
	    .help = POLICY_HELP },
	{ .name = "risk", .arg = "TEXT", .flags = CMD_OPT_REPEAT,
	    .help = RISK_HELP },
	{ .name = "to", .arg = "DATE", .flags = CMD_OPT_REQUIRED |
	    CMD_OPT_DATE, .help = "The programme's last day." },
	{ .name = NULL }
};

static const struct cmd_opt edit_opts[] = {
	{ .name = "from", .arg = "DATE", .flags = CMD_OPT_DATE,
	    .help = "The programme's first day." },
	REQUEST_IF_MATCH_OPT,
	{ .name = "policy", .arg = "KEY=VALUE", .flags = CMD_OPT_REPEAT,
	    .help = POLICY_HELP " Changes only the keys given." },
	{ .name = "risk", .arg = "TEXT", .flags = CMD_OPT_REPEAT,
	    .help = RISK_HELP " Replaces the whole list; '' removes it." },
	{ .name = "to", .arg = "DATE", .flags = CMD_OPT_DATE,
	    .help = "The programme's last day." },
	{ .name = NULL }
};

/* The built-in policy schema's properties (a new reference), or NULL. */
static json_t *
programme_policy_props(void)
{
	const struct schema_text	*t;
	json_t				*doc, *p;

	for (t = schema_texts; t->type != NULL; t++)
		if (strcmp(t->type, "policy") == 0)
			break;
	if (t->type == NULL || (doc = json_loadb(t->text, t->len, 0,
	    NULL)) == NULL)
		return NULL;
	p = json_incref(json_object_get(doc, "properties"));
	json_decref(doc);
	return p;
}

/* A usage error naming every policy key (SECTION.FIELD). */
static int
programme_policy_usage(const struct cmd_args *a, const json_t *props,
    const char *what, const char *v)
{
	const char	*sec, *key;
	const json_t	*s, *f;
	char		 list[1024];
	size_t		 n = 0;

	list[0] = '\0';
	json_object_foreach((json_t *)props, sec, s)
		json_object_foreach(json_object_get(s, "properties"), key, f)
			if (n < sizeof list)
				n += (size_t)snprintf(list + n, sizeof list - n,
				    "%s%s.%s", n ? ", " : "", sec, key);
	return cmd_usage_error(a->entry, a->verb, "--policy: %s '%s'; the keys "
	    "are: %s", what, v, list);
}

/* One KEY=VALUE into pol (nested at the dot), checked against props. */
static int
programme_policy_one(const struct cmd_args *a, const json_t *props,
    json_t *pol, const char *v)
{
	const char	*eq = strchr(v, '='), *dot;
	const json_t	*f;
	json_t		*sec;
	char		 name[64], key[64], *end;
	double		 d;

	dot = strchr(v, '.');
	if (eq == NULL || dot == NULL || dot > eq || dot == v ||
	    (size_t)(dot - v) >= sizeof name ||
	    (size_t)(eq - dot - 1) >= sizeof key)
		return programme_policy_usage(a, props, "not KEY=VALUE", v);
	snprintf(name, sizeof name, "%.*s", (int)(dot - v), v);
	snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
	f = json_object_get(json_object_get(json_object_get(props, name),
	    "properties"), key);
	if (f == NULL)
		return programme_policy_usage(a, props, "unknown key", v);
	errno = 0;
	d = strtod(eq + 1, &end);
	if (eq[1] == '\0' || *end != '\0' || errno != 0 || !isfinite(d) ||
	    (strcmp(json_string_value(json_object_get(f, "type")),
	    "integer") == 0 && d != floor(d)) ||
	    d < json_number_value(json_object_get(f, "minimum")) ||
	    d > json_number_value(json_object_get(f, "maximum")))
		return cmd_usage_error(a->entry, a->verb, "--policy: '%s': %s.%s "
		    "is a%s from %g to %g", v, name, key, strcmp(
		    json_string_value(json_object_get(f, "type")), "integer") ==
		    0 ? "n integer" : " number", json_number_value(
		    json_object_get(f, "minimum")), json_number_value(
		    json_object_get(f, "maximum")));
	if ((sec = json_object_get(pol, name)) == NULL) {
		sec = json_object();
		json_object_set_new(pol, name, sec);
	}
	json_object_set_new(sec, key, d == floor(d) && fabs(d) < 1e15 ?
	    json_integer((json_int_t)d) : json_real(d));
	return 0;
}

static int
programme_policy(json_t *body, const struct cmd_args *a)
{
	const char *const	*v;
	json_t			*props, *pol;
	size_t			 i, n = cmd_arg_all(a, "policy", &v);
	int			 rc = 0;

	if (n == 0)
		return 0;
	if ((props = programme_policy_props()) == NULL)
		return cmd_usage_error(a->entry, a->verb, "the built-in policy "
		    "schema names no keys");
	pol = json_object();
	for (i = 0; rc == 0 && i < n; i++)
		rc = programme_policy_one(a, props, pol, v[i]);
	if (rc == 0)
		json_object_set(body, "policy", pol);
	json_decref(pol);
	json_decref(props);
	return rc;
}

/* risks from --risk: the whole list, or null for '' on edit. */
static int
programme_risks(json_t *body, const struct cmd_args *a, int patch)
{
	const char *const	*v;
	json_t			*arr;
	size_t			 i, n = cmd_arg_all(a, "risk", &v);

	if (n == 0)
		return 0;
	if (n == 1 && v[0][0] == '\0') {
		if (!patch)
			return cmd_usage_error(a->entry, a->verb, "--risk: '' "
			    "is no risk (only edit removes the list)");
		json_object_set_new(body, "risks", json_null());
		return 0;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, json_pack("{s:s}",
		    "description", v[i])) == -1) {
			json_decref(arr);
			return cmd_usage_error(a->entry, a->verb, "--risk: '%s' "
			    "is not UTF-8 text", v[i]);
		}
	json_object_set_new(body, "risks", arr);
	return 0;
}

static int
programme_fill(json_t *body, const struct cmd_args *a, int patch)
{
	const char	*from = cmd_arg(a, "from"), *to = cmd_arg(a, "to");
	json_t		*period;
	int		 rc;

	if (from != NULL || to != NULL) {
		period = json_object();
		if (from != NULL)
			json_object_set_new(period, "from", json_string(from));
		if (to != NULL)
			json_object_set_new(period, "to", json_string(to));
		json_object_set_new(body, "period", period);
	}
	if ((rc = programme_risks(body, a, patch)) != 0)
		return rc;
	return programme_policy(body, a);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb programme_verbs[] = {
	{ .name = "add", .help = "Add an audit programme.", .opts = add_opts,
	    .gen = CMD_GEN_ADD, .exec = request_add },
	REQUEST_DELETE("Delete a programme no audit belongs to."),
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change a "
	    "programme's fields (a merge patch).", .opts = edit_opts,
	    .gen = CMD_GEN_EDIT, .exec = request_edit },
	REQUEST_LIST("List audit programmes."),
	REQUEST_SHOW("Show one programme."),
};

const struct cmd_entry cmd_programme_entry = {
	.name = "programme",
	.help = "Audit programmes: period, objectives, risks, policy.",
	.verbs = programme_verbs,
	.nverbs = sizeof programme_verbs / sizeof *programme_verbs,
	.collection = "programmes",
	.type = "programme",
	.fields = programme_fields,
	.columns = programme_columns,
	.ncolumns = sizeof programme_columns / sizeof *programme_columns,
	.fill = programme_fill,
};
