/*
 * cmd.c: the command-line side every auditorctl command shares: table
 * lookups, option sets generated from a noun's schema, option parsing
 * built from them, usage texts and checked access to option values; see
 * cmd.h. The documents the options make are body.c's, did-you-mean is
 * nearest.c's.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "schema/schema.h"
#include "util.h"

/* getopt_long values: options are OPT_BASE + their index in the set. */
#define OPT_JSON	1
#define OPT_CSV		2
#define OPT_BASE	256

#define HELP_WIDTH	79	/* usage lines wrap here */
#define HELP_INDENT	24	/* where an option's help starts */

/* Options every verb has; cmd_args_parse handles them itself. */
static const struct cmd_opt builtin_opts[] = {
	{ .name = "json", .help = "Print the server's JSON." },
	{ .name = "csv", .help = "Print CSV with a header row." },
	{ .name = "help", .help = "Show this help." },
};
#define NBUILTIN	(sizeof builtin_opts / sizeof *builtin_opts)

/* The field that names a record: its path, so the argument of edit. */
#define ID_FIELD	"id"

static const char *const bool_choices[] = { "true", "false", NULL };

static int
entry_cmp(const void *key, const void *elem)
{
	const struct cmd_entry *const	*e = elem;

	return strcmp(key, (*e)->name);
}

static int
verb_cmp(const void *key, const void *elem)
{
	const struct cmd_verb	*v = elem;

	return strcmp(key, v->name);
}

const struct cmd_entry *
cmd_find_entry(const struct cmd_entry *const *tab, size_t n, const char *name)
{
	const struct cmd_entry *const	*e;

	e = bsearch(name, tab, n, sizeof *tab, entry_cmp);
	return e ? *e : NULL;
}

const struct cmd_verb *
cmd_find_verb(const struct cmd_entry *e, const char *name)
{
	return bsearch(name, e->verbs, e->nverbs, sizeof *e->verbs, verb_cmp);
}

static size_t
opt_count(const struct cmd_opt *o)
{
	size_t	n = 0;

	while (o != NULL && o[n].name != NULL)
		n++;
	return n;
}

int
cmd_tables_sorted(const struct cmd_entry *const *tab, size_t n)
{
	struct cmd_optset	set;
	size_t			i, j;
	int			ok;

	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(tab[i - 1]->name, tab[i]->name) >= 0)
			return 0;
		for (j = 0; j < tab[i]->nverbs; j++) {
			if (j > 0 && strcmp(tab[i]->verbs[j - 1].name,
			    tab[i]->verbs[j].name) >= 0)
				return 0;
			ok = cmd_optset_build(tab[i], &tab[i]->verbs[j],
			    cmd_schema(tab[i]), &set) == 0;
			cmd_optset_free(&set);
			if (!ok)
				return 0;
		}
		if (tab[i]->dflt != NULL && cmd_find_verb(tab[i],
		    tab[i]->dflt) == NULL)
			return 0;
	}
	return 1;
}

const struct schema *
cmd_schema(const struct cmd_entry *e)
{
	const struct schema	*s;
	char			 err[512];

	if (e == NULL || e->type == NULL)
		return NULL;
	if ((s = schema_builtin(e->type)) == NULL) {
		/* Only a broken build gets here: the schemas are built in. */
		if (schema_builtin_init(err, sizeof err) == -1)
			log_warnx("built-in schemas: %s", err);
		else
			log_warnx("no built-in schema '%s'", e->type);
	}
	return s;
}

/* A string the set owns (and frees); NULL if memory ran out. */
static char *
set_own(struct cmd_optset *set, char *s)
{
	if (s == NULL)
		return NULL;
	set->owned[set->nowned++] = s;
	return s;
}

static const struct cmd_field *
field_of(const struct cmd_entry *e, const char *name)
{
	const struct cmd_field	*f;

	for (f = e != NULL ? e->fields : NULL; f != NULL && f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The help of a generated option: the field's description and how. */
static char *
gen_help(const struct cmd_entry *e, enum cmd_gen gen,
    const struct schema_prop *p, const char *arg, int optional)
{
	const char	*d = p->description ? p->description : "";
	size_t		 dl = strlen(d);
	char		*out;

	if (gen == CMD_GEN_FILTERS) {
		if (asprintf(&out, "Only %s whose %s is %s.", e->collection,
		    p->name, arg) == -1)
			return NULL;
		return out;
	}
	if (asprintf(&out, "%s%s%s%s%s", d, dl > 0 && d[dl - 1] != '.' ? "." :
	    "", p->kind == SCHEMA_STRINGS && gen == CMD_GEN_EDIT ?
	    " Replaces the whole list." : "", gen == CMD_GEN_ADD && (p->dflt ||
	    optional) ? " The server fills it in when it is not given." : "",
	    gen == CMD_GEN_EDIT && !p->required ? " '' removes it." : "") == -1)
		return NULL;
	return out;
}

/*
 * The option for property p, or 0 with o->name NULL when p gets none:
 * the server sets it, the noun hides it, or it has no command-line form.
 */
static int
gen_opt(struct cmd_optset *set, const struct cmd_entry *e, enum cmd_gen gen,
    const struct schema_prop *p, struct cmd_opt *o)
{
	const struct cmd_field	*f = field_of(e, p->name);
	char			*s;

	memset(o, 0, sizeof *o);
	if (f != NULL && (f->flags & CMD_FIELD_HIDE))
		return 0;
	if (gen != CMD_GEN_FILTERS && (p->server || (gen == CMD_GEN_EDIT &&
	    strcmp(p->name, ID_FIELD) == 0) || p->kind == SCHEMA_OTHER ||
	    p->kind == SCHEMA_OBJECT))
		return 0;
	if ((s = set_own(set, strdup(f && f->opt ? f->opt : p->name))) == NULL)
		return -1;
	for (o->name = s; *s != '\0'; s++)
		if (*s == '_')
			*s = '-';
	if (p->kind == SCHEMA_BOOLEAN && gen == CMD_GEN_ADD)
		o->arg = NULL;		/* a flag: given means true */
	else if (f != NULL && f->arg != NULL)
		o->arg = f->arg;
	else {
		if ((s = set_own(set, strdup(o->name))) == NULL)
			return -1;
		for (o->arg = s; *s != '\0'; s++)
			*s = (char)toupper((unsigned char)*s);
	}
	o->choices = p->kind == SCHEMA_BOOLEAN && o->arg != NULL ?
	    bool_choices : p->choices;
	o->prop = p;
	if (gen == CMD_GEN_FILTERS)
		o->flags = CMD_OPT_FILTER;
	else {
		if (p->kind == SCHEMA_STRINGS)
			o->flags |= CMD_OPT_REPEAT;
		if (gen == CMD_GEN_ADD && p->required && !p->dflt &&
		    (f == NULL || !(f->flags & CMD_FIELD_OPTIONAL)))
			o->flags |= CMD_OPT_REQUIRED;
		if (gen == CMD_GEN_EDIT && !p->required)
			o->flags |= CMD_OPT_REMOVE;
	}
	if ((o->help = set_own(set, gen_help(e, gen, p, o->arg,
	    f != NULL && (f->flags & CMD_FIELD_OPTIONAL)))) == NULL)
		return -1;
	return 0;
}

/*
 * --no-NAME beside add's flag o for a field the noun marks
 * CMD_FIELD_NEGATE; n->name stays NULL when it gets none.
 */
static int
gen_negation(struct cmd_optset *set, const struct cmd_entry *e,
    enum cmd_gen gen, const struct cmd_opt *o, struct cmd_opt *n)
{
	const struct cmd_field	*f = field_of(e, o->prop->name);
	char			*s;

	memset(n, 0, sizeof *n);
	if (gen != CMD_GEN_ADD || o->prop->kind != SCHEMA_BOOLEAN || f == NULL ||
	    !(f->flags & CMD_FIELD_NEGATE))
		return 0;
	if (asprintf(&s, "no-%s", o->name) == -1 || set_own(set, s) == NULL)
		return -1;
	n->name = s;
	n->flags = CMD_OPT_NEGATE;
	n->prop = o->prop;
	if (asprintf(&s, "Sets %s to false; without --%s or --%s the server "
	    "makes it true.", o->prop->name, o->name, n->name) == -1 ||
	    (n->help = set_own(set, s)) == NULL)
		return -1;
	return 0;
}

static int
opt_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cmd_opt *)a)->name,
	    ((const struct cmd_opt *)b)->name);
}

int
cmd_optset_build(const struct cmd_entry *e, const struct cmd_verb *v,
    const struct schema *s, struct cmd_optset *set)
{
	const struct schema_prop	*p;
	const char *const		*filters = NULL;
	size_t				 i, j, nstatic = opt_count(v->opts);
	size_t				 ncand = 0;

	memset(set, 0, sizeof *set);
	if (v->gen != CMD_GEN_NONE && s == NULL && e != NULL &&
	    e->type != NULL)
		return -1;	/* cmd_schema said why */
	if (v->gen == CMD_GEN_FILTERS)
		ncand = schema_filters(s, &filters);
	else if (v->gen != CMD_GEN_NONE)
		ncand = schema_nprops(s);
	/* Per field: an option and its negation, 5 strings between them. */
	if ((set->opts = calloc(nstatic + 2 * ncand + 1, sizeof *set->opts)) ==
	    NULL || (set->owned = calloc(5 * ncand + 1,
	    sizeof *set->owned)) == NULL)
		goto oom;
	for (i = 0; i < nstatic; i++)
		set->opts[set->n++] = v->opts[i];
	for (i = 0; i < ncand; i++) {
		p = filters != NULL ? schema_prop_find(s, filters[i]) :
		    schema_prop(s, i);
		if (gen_opt(set, e, v->gen, p, &set->opts[set->n]) == -1)
			goto oom;
		if (set->opts[set->n].name == NULL)
			continue;
		set->n++;
		if (gen_negation(set, e, v->gen, &set->opts[set->n - 1],
		    &set->opts[set->n]) == -1)
			goto oom;
		if (set->opts[set->n].name != NULL)
			set->n++;
	}
	qsort(set->opts, set->n, sizeof *set->opts, opt_cmp);
	for (i = 0; i < set->n; i++) {
		for (j = 0; j < NBUILTIN; j++)
			if (strcmp(set->opts[i].name, builtin_opts[j].name) == 0)
				break;
		if (j < NBUILTIN || (i > 0 && strcmp(set->opts[i - 1].name,
		    set->opts[i].name) == 0)) {
			log_warnx("'%s %s' has two options called --%s",
			    e ? e->name : "auditorctl", v->name,
			    set->opts[i].name);
			return -1;
		}
	}
	return 0;
 oom:
	log_warnx("out of memory");
	return -1;
}

void
cmd_optset_free(struct cmd_optset *set)
{
	size_t	i;

	for (i = 0; i < set->nowned; i++)
		free(set->owned[i]);
	free(set->owned);
	free(set->opts);
	memset(set, 0, sizeof *set);
}

int
cmd_usage_error(const struct cmd_entry *e, const struct cmd_verb *v,
    const char *fmt, ...)
{
	va_list	ap;

	fputs("auditorctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e == NULL)
		fprintf(stderr, "\nSee 'auditorctl --help'.\n");
	else if (v == NULL)
		fprintf(stderr, "\nSee 'auditorctl %s --help'.\n", e->name);
	else
		fprintf(stderr, "\nSee 'auditorctl %s %s --help'.\n", e->name,
		    v->name);
	return CMD_USAGE;
}

static int
set_format(enum cmd_format *fmt, enum cmd_format want,
    const struct cmd_entry *e, const struct cmd_verb *v)
{
	if (*fmt != CMD_FORMAT_TABLE && *fmt != want)
		return cmd_usage_error(e, v, "--json and --csv exclude each "
		    "other");
	*fmt = want;
	return 0;
}

static int
add_value(struct cmd_optval *ov, const char *value)
{
	const char	**nv;

	if ((nv = reallocarray(ov->v, ov->n + 1, sizeof *nv)) == NULL)
		return -1;
	nv[ov->n++] = value;
	ov->v = nv;
	return 0;
}

/* "unknown option '--x'", with the nearest of the verb's when close. */
static void
unknown_option(const struct cmd_args *a, const char *opt)
{
	const char	**names, *near = NULL;
	size_t		 i, len = strcspn(opt, "=");
	char		 word[CMD_NEAR_MAX + 1];

	if (strncmp(opt, "--", 2) == 0 && len - 2 <= CMD_NEAR_MAX && (names = calloc(a->set.n + NBUILTIN,
	    sizeof *names)) != NULL) {
		snprintf(word, sizeof word, "%.*s", (int)(len - 2), opt + 2);
		for (i = 0; i < a->set.n; i++)
			names[i] = a->set.opts[i].name;
		for (i = 0; i < NBUILTIN; i++)
			names[a->set.n + i] = builtin_opts[i].name;
		near = cmd_nearest(word, names, a->set.n + NBUILTIN);
		free(names);
	}
	if (near != NULL)
		cmd_usage_error(a->entry, a->entry ? a->verb : NULL, "unknown "
		    "option '%.*s'; did you mean '--%s'?", (int)len, opt, near);
	else
		cmd_usage_error(a->entry, a->entry ? a->verb : NULL, "unknown "
		    "option '%.*s'", (int)len, opt);
}

static int
in_choices(const char *const *choices, const char *v)
{
	for (; *choices != NULL; choices++)
		if (strcmp(*choices, v) == 0)
			return 1;
	return 0;
}

/*
 * What the set says of the values: each within its option's choices, a
 * date where one is asked for, every required option given. Found here,
 * before any request is made.
 */
static int
check_values(const struct cmd_args *a)
{
	const struct cmd_opt	*o;
	const char *const	*c;
	const char		*near;
	char			 list[512], missing[512];
	size_t			 i, j, n, len, mlen = 0, nmissing = 0;

	for (i = 0; i < a->set.n; i++) {
		o = &a->set.opts[i];
		for (j = 0; o->choices != NULL && j < a->vals[i].n; j++) {
			if (in_choices(o->choices, a->vals[i].v[j]) ||
			    (a->vals[i].v[j][0] == '\0' &&
			    (o->flags & CMD_OPT_REMOVE)))
				continue;
			list[0] = '\0';
			for (c = o->choices, n = 0, len = 0; *c != NULL; c++,
			    n++)
				if (len < sizeof list)
					len += (size_t)snprintf(list + len,
					    sizeof list - len, "%s%s", n ? ", " :
					    "", *c);
			near = cmd_nearest(a->vals[i].v[j], o->choices, n);
			return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is "
			    "not one of: %s%s%s%s", o->name, a->vals[i].v[j],
			    list, near ? "; did you mean '" : "", near ? near :
			    "", near ? "'?" : "");
		}
		for (j = 0; (o->flags & CMD_OPT_DATE) && j < a->vals[i].n; j++)
			if (!util_date_valid(a->vals[i].v[j]))
				return cmd_usage_error(a->entry, a->verb, "--%s: "
				    "'%s' is not a date (YYYY-MM-DD)", o->name,
				    a->vals[i].v[j]);
		if ((o->flags & CMD_OPT_REQUIRED) && a->vals[i].n == 0 &&
		    mlen < sizeof missing) {
			mlen += (size_t)snprintf(missing + mlen, sizeof missing -
			    mlen, "%s--%s", nmissing ? ", " : "", o->name);
			nmissing++;
		}
	}
	if (nmissing > 0)
		return cmd_usage_error(a->entry, a->verb, "missing required "
		    "option%s %s", nmissing > 1 ? "s" : "", missing);
	return 0;
}

int
cmd_args_parse(const struct cmd_entry *e, const struct cmd_verb *v, int argc,
    char **argv, int flags, struct cmd_args *a, int *help,
    enum cmd_format *fmt)
{
	const struct schema	*s = NULL;

	/* Only verbs with generated options need the schema compiled. */
	if (v->gen != CMD_GEN_NONE && (s = cmd_schema(e)) == NULL) {
		memset(a, 0, sizeof *a);
		return CMD_USAGE;
	}
	return cmd_args_parse_schema(e, v, s, argc, argv, flags, a, help, fmt);
}

/* One option getopt_long found; -1 after a usage error. */
static int
parse_one(struct cmd_args *a, int ch, const char *opt, int *help,
    enum cmd_format *fmt)
{
	size_t	i;

	switch (ch) {
	case 'h':
		*help = 1;
		break;
	case OPT_JSON:
	case OPT_CSV:
		if (set_format(fmt, ch == OPT_JSON ? CMD_FORMAT_JSON :
		    CMD_FORMAT_CSV, a->entry, a->verb) != 0)
			return -1;
		break;
	case ':':
		cmd_usage_error(a->entry, a->entry ? a->verb : NULL,
		    "option '%s' needs a value", opt);
		return -1;
	case '?':
		/* optopt is set for a known option's stray value. */
		if (strncmp(opt, "--", 2) == 0 && optopt != 0)
			cmd_usage_error(a->entry, a->entry ? a->verb : NULL,
			    "option '%.*s' takes no value",
			    (int)strcspn(opt, "="), opt);
		else if (strncmp(opt, "--", 2) != 0 && optopt > ' ' &&
		    optopt < 127)
			cmd_usage_error(a->entry, a->entry ? a->verb : NULL,
			    "unknown option '-%c'", optopt);
		else
			unknown_option(a, opt);
		return -1;
	default:
		i = (size_t)(ch - OPT_BASE);
		if (a->vals[i].n > 0 &&
		    !(a->set.opts[i].flags & CMD_OPT_REPEAT)) {
			cmd_usage_error(a->entry, a->entry ? a->verb : NULL,
			    "option '--%s' given more than once",
			    a->set.opts[i].name);
			return -1;
		}
		if (add_value(&a->vals[i], optarg ? optarg : "") == -1) {
			log_warnx("out of memory");
			return -1;
		}
		break;
	}
	return 0;
}

int
cmd_args_parse_schema(const struct cmd_entry *e, const struct cmd_verb *v,
    const struct schema *s, int argc, char **argv, int flags,
    struct cmd_args *a, int *help, enum cmd_format *fmt)
{
	struct option	*lo = NULL;
	size_t		 i, k = 0, n;
	int		 ch, rc = CMD_USAGE;

	memset(a, 0, sizeof *a);
	a->entry = e;
	a->verb = v;
	a->schema = s;
	*help = 0;
	if (cmd_optset_build(e, v, s, &a->set) == -1)
		goto done;
	n = a->set.n;
	if ((lo = calloc(n + NBUILTIN + 1, sizeof *lo)) == NULL ||
	    (a->vals = calloc(n + 1, sizeof *a->vals)) == NULL) {
		log_warnx("out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		lo[k].name = a->set.opts[i].name;
		lo[k].has_arg = a->set.opts[i].arg ? required_argument :
		    no_argument;
		lo[k++].val = OPT_BASE + (int)i;
	}
	lo[k++] = (struct option){ "json", no_argument, NULL, OPT_JSON };
	lo[k++] = (struct option){ "csv", no_argument, NULL, OPT_CSV };
	lo[k++] = (struct option){ "help", no_argument, NULL, 'h' };

	/* GNU getopt: optind 0 starts afresh; ':' reports missing arguments. */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv,
	    (flags & CMD_PARSE_GLOBAL) ? "+:h" : ":h", lo, NULL)) != -1) {
		if (parse_one(a, ch, argv[optind - 1], help, fmt) != 0)
			goto done;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	if (*help || (flags & CMD_PARSE_GLOBAL)) {
		rc = 0;
		goto done;
	}
	if (v->nargs >= 0 && a->argc > v->nargs)
		cmd_usage_error(e, v, "unexpected argument '%s'",
		    a->argv[v->nargs]);
	else if (v->nargs >= 0 && a->argc < v->nargs)
		cmd_usage_error(e, v, "'%s %s' needs %s", e->name, v->name,
		    v->args);
	else if ((rc = check_values(a)) == 0) {
		if (v->gen == CMD_GEN_ADD || v->gen == CMD_GEN_EDIT)
			rc = cmd_body(a, v->gen == CMD_GEN_EDIT, &a->doc);
		else if (v->gen == CMD_GEN_FILTERS)
			rc = cmd_filters(a, &a->doc);
	}
 done:
	free(lo);
	if (rc != 0)
		cmd_args_free(a);
	return rc;
}

void
cmd_args_free(struct cmd_args *a)
{
	size_t	i;

	if (a->vals != NULL)
		for (i = 0; i < a->set.n; i++)
			free(a->vals[i].v);
	free(a->vals);
	a->vals = NULL;
	json_decref(a->doc);
	a->doc = NULL;
	cmd_optset_free(&a->set);
}

static const struct cmd_optval *
optval(const struct cmd_args *a, const char *name)
{
	size_t	i;

	for (i = 0; a->vals != NULL && i < a->set.n; i++)
		if (strcmp(a->set.opts[i].name, name) == 0)
			return &a->vals[i];
	return NULL;
}

const char *
cmd_arg(const struct cmd_args *a, const char *name)
{
	const struct cmd_optval	*ov = optval(a, name);

	return ov != NULL && ov->n > 0 ? ov->v[ov->n - 1] : NULL;
}

size_t
cmd_arg_all(const struct cmd_args *a, const char *name, const char *const **v)
{
	const struct cmd_optval	*ov = optval(a, name);

	*v = ov != NULL ? ov->v : NULL;
	return ov != NULL ? ov->n : 0;
}

void
cmd_usage_line(FILE *fp, const struct cmd_entry *e, const struct cmd_verb *v)
{
	fprintf(fp, "auditorctl %s %s [options]%s%s\n", e->name, v->name,
	    v->args ? " " : "", v->args ? v->args : "");
}

/*
 * "  --name ARG            help. One of: a, b. Repeatable. Required.", the
 * help starting in column HELP_INDENT + 1 and wrapped at HELP_WIDTH.
 */
static void
usage_opt(FILE *fp, const struct cmd_opt *o)
{
	const char *const	*c;
	const char		*w;
	char			 left[128], text[2048];
	size_t			 len, col, n;

	snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
	    o->arg ? o->arg : "");
	len = (size_t)snprintf(text, sizeof text, "%s", o->help ? o->help :
	    "");
	for (c = o->choices; c != NULL && *c != NULL && len < sizeof text; c++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s%s%s",
		    c == o->choices ? " One of: " : ", ", *c, c[1] ? "" : ".");
	if ((o->flags & CMD_OPT_REPEAT) && len < sizeof text)
		len += (size_t)snprintf(text + len, sizeof text - len,
		    " Repeatable.");
	if ((o->flags & CMD_OPT_REQUIRED) && len < sizeof text)
		snprintf(text + len, sizeof text - len, " Required.");
	fprintf(fp, "  %-*s", HELP_INDENT - 2, left);
	if (2 + strlen(left) > HELP_INDENT)
		fprintf(fp, "\n%*s", HELP_INDENT, "");
	col = HELP_INDENT;
	for (w = text; *(w += strspn(w, " ")) != '\0'; w += n) {
		n = strcspn(w, " ");
		if (col > HELP_INDENT && col + 1 + n > HELP_WIDTH) {
			fprintf(fp, "\n%*s", HELP_INDENT, "");
			col = HELP_INDENT;
		}
		fprintf(fp, " %.*s", (int)n, w);
		col += 1 + n;
	}
	fputc('\n', fp);
}

void
cmd_usage_verb(FILE *fp, const struct cmd_entry *e, const struct cmd_verb *v)
{
	struct cmd_optset	set;
	size_t			i;

	fprintf(fp, "usage: ");
	cmd_usage_line(fp, e, v);
	fprintf(fp, "%s\n\noptions:\n", v->help);
	/* Without its schema a verb still shows its table's options. */
	if (cmd_optset_build(e, v, cmd_schema(e), &set) == -1) {
		cmd_optset_free(&set);
		for (i = 0; i < opt_count(v->opts); i++)
			usage_opt(fp, &v->opts[i]);
	} else
		for (i = 0; i < set.n; i++)
			usage_opt(fp, &set.opts[i]);
	cmd_optset_free(&set);
	for (i = 0; i < NBUILTIN; i++)
		usage_opt(fp, &builtin_opts[i]);
}

void
cmd_usage_entry(FILE *fp, const struct cmd_entry *e)
{
	size_t	i, w = 10;

	fprintf(fp, "usage: auditorctl %s VERB [options] [ARGS]\n%s\n\nverbs:\n",
	    e->name, e->help);
	for (i = 0; i < e->nverbs; i++)
		if (strlen(e->verbs[i].name) > w)
			w = strlen(e->verbs[i].name);
	for (i = 0; i < e->nverbs; i++)
		fprintf(fp, "  %-*s %s\n", (int)w, e->verbs[i].name,
		    e->verbs[i].help);
	if (e->dflt != NULL)
		fprintf(fp, "\n'auditorctl %s' alone runs '%s'.\n", e->name,
		    e->dflt);
	fprintf(fp, "\nSee 'auditorctl %s VERB --help' for a verb's options.\n",
	    e->name);
}

int
cmd_record_path(const struct cmd_args *a, char *buf, size_t len,
    const char *collection, const char *id, const char *suffix)
{
	size_t	n = strlen(collection);

	/*
	 * "trainings/t17", as a verdict or a status names its evidence,
	 * is the record t17 when this is the trainings noun.
	 */
	if (strncmp(id, collection, n) == 0 && id[n] == '/')
		id += n + 1;
	else if (strchr(id, '/') != NULL)
		return cmd_usage_error(a->entry, a->verb, "'%s' is not a record "
		    "of %s: name it by its id, or as %s/ID", id, collection,
		    collection);
	/* Ids never need escaping in a path; anything else is refused. */
	if (!util_id_valid(id))
		return cmd_usage_error(a->entry, a->verb, "'%s' is not a record "
		    "id ([A-Za-z0-9._-], at most %d characters)", id, ID_MAX);
	if ((size_t)snprintf(buf, len, "/%s/%s%s%s", collection, id,
	    suffix ? "/" : "", suffix ? suffix : "") >= len)
		return cmd_usage_error(a->entry, a->verb, "id too long");
	return 0;
}

int
cmd_arg_long(const struct cmd_args *a, const char *name, long min, long max,
    long *out)
{
	const char	*s = cmd_arg(a, name);
	char		*end;
	long		 n;

	if (s == NULL)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    n < min || n > max)
		return cmd_usage_error(a->entry, a->verb, "--%s: '%s' is not "
		    "a number from %ld to %ld", name, s, min, max);
	*out = n;
	return 0;
}

int
cmd_if_match(const struct cmd_args *a, char *buf, size_t len,
    const char **out)
{
	long	rev;
	int	rc;

	*out = NULL;
	if (cmd_arg(a, "if-match") == NULL)
		return 0;
	if ((rc = cmd_arg_long(a, "if-match", 1, 2147483647L, &rev)) != 0)
		return rc;
	snprintf(buf, len, "\"%ld\"", rev);
	*out = buf;
	return 0;
}

int
cmd_list_fill(json_t *body, const struct cmd_args *a, int patch,
    const char *opt, const char *field, const char *what,
    int (*one)(const struct cmd_args *, const char *v, json_t *list,
    void *arg), void *arg)
{
	const char *const	*v;
	json_t			*list;
	size_t			 i, n = cmd_arg_all(a, opt, &v);
	int			 rc = 0;

	if (n == 0)
		return 0;
	if (n == 1 && v[0][0] == '\0') {
		if (!patch)
			return cmd_usage_error(a->entry, a->verb, "--%s: '' is "
			    "not %s (only edit removes the list)", opt, what);
		json_object_set_new(body, field, json_null());
		return 0;
	}
	if ((list = json_array()) == NULL)
		return CMD_USAGE;
	for (i = 0; rc == 0 && i < n; i++)
		rc = one(a, v[i], list, arg);
	if (rc == 0 && json_object_set(body, field, list) == -1)
		rc = CMD_USAGE;
	json_decref(list);
	return rc;
}
