/*
 * cmd.c: the command-line side every auditorctl command shares: table
 * lookups, option parsing built from the verb tables, usage texts, and
 * checked access to option values; see cmd.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "util.h"

/* getopt_long values: options are OPT_BASE + their index in the table. */
#define OPT_JSON	1
#define OPT_CSV		2
#define OPT_BASE	256

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

static int
opts_unique(const struct cmd_opt *o)
{
	static const char *const	builtin[] = { "csv", "help", "json" };
	size_t				i, j, n = opt_count(o);

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			if (strcmp(o[i].name, o[j].name) == 0)
				return 0;
		for (j = 0; j < sizeof builtin / sizeof *builtin; j++)
			if (strcmp(o[i].name, builtin[j]) == 0)
				return 0;
	}
	return 1;
}

int
cmd_tables_sorted(const struct cmd_entry *const *tab, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(tab[i - 1]->name, tab[i]->name) >= 0)
			return 0;
		for (j = 0; j < tab[i]->nverbs; j++) {
			if (j > 0 && strcmp(tab[i]->verbs[j - 1].name,
			    tab[i]->verbs[j].name) >= 0)
				return 0;
			if (!opts_unique(tab[i]->verbs[j].opts))
				return 0;
		}
		if (tab[i]->dflt != NULL && cmd_find_verb(tab[i],
		    tab[i]->dflt) == NULL)
			return 0;
	}
	return 1;
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

int
cmd_args_parse(const struct cmd_entry *e, const struct cmd_verb *v, int argc,
    char **argv, int flags, struct cmd_args *a, int *help,
    enum cmd_format *fmt)
{
	struct option	*lo = NULL;
	const char	*opt;
	size_t		 i, k = 0, n = opt_count(v->opts);
	int		 ch, rc = CMD_USAGE;

	memset(a, 0, sizeof *a);
	a->entry = e;
	a->verb = v;
	a->nvals = n;
	*help = 0;
	if ((lo = calloc(n + 4, sizeof *lo)) == NULL ||
	    (n > 0 && (a->vals = calloc(n, sizeof *a->vals)) == NULL)) {
		log_warnx("out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		lo[k].name = v->opts[i].name;
		lo[k].has_arg = v->opts[i].arg ? required_argument :
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
		opt = argv[optind - 1];
		switch (ch) {
		case 'h':
			*help = 1;
			break;
		case OPT_JSON:
		case OPT_CSV:
			if (set_format(fmt, ch == OPT_JSON ? CMD_FORMAT_JSON :
			    CMD_FORMAT_CSV, e, v) != 0)
				goto done;
			break;
		case ':':
			cmd_usage_error(e, e ? v : NULL,
			    "option '%s' needs a value", opt);
			goto done;
		case '?':
			/* optopt is set for a known option's stray value. */
			if (strncmp(opt, "--", 2) == 0 && optopt != 0)
				cmd_usage_error(e, e ? v : NULL,
				    "option '%.*s' takes no value",
				    (int)strcspn(opt, "="), opt);
			else if (strncmp(opt, "--", 2) != 0 && optopt > ' ' &&
			    optopt < 127)
				cmd_usage_error(e, e ? v : NULL,
				    "unknown option '-%c'", optopt);
			else
				cmd_usage_error(e, e ? v : NULL,
				    "unknown option '%s'", opt);
			goto done;
		default:
			i = (size_t)(ch - OPT_BASE);
			if (a->vals[i].n > 0 &&
			    !(v->opts[i].flags & CMD_OPT_REPEAT)) {
				cmd_usage_error(e, e ? v : NULL,
				    "option '--%s' given more than once",
				    v->opts[i].name);
				goto done;
			}
			if (add_value(&a->vals[i], optarg ? optarg : "") == -1) {
				log_warnx("out of memory");
				goto done;
			}
			break;
		}
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	if (*help || (flags & CMD_PARSE_GLOBAL)) {
		rc = 0;
		goto done;
	}
	if (v->nargs < 0)
		rc = 0;		/* the verb counts its own arguments */
	else if (a->argc > v->nargs)
		cmd_usage_error(e, v, "unexpected argument '%s'",
		    a->argv[v->nargs]);
	else if (a->argc < v->nargs)
		cmd_usage_error(e, v, "'%s %s' needs %s", e->name, v->name,
		    v->args);
	else
		rc = 0;
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
		for (i = 0; i < a->nvals; i++)
			free(a->vals[i].v);
	free(a->vals);
	a->vals = NULL;
	a->nvals = 0;
}

static const struct cmd_optval *
optval(const struct cmd_args *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->nvals; i++)
		if (strcmp(a->verb->opts[i].name, name) == 0)
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

static void
usage_opt(FILE *fp, const char *name, const char *arg, const char *help,
    const char *choices, int repeat)
{
	char	left[64];
	size_t	n;
	int	first = 1;

	snprintf(left, sizeof left, "--%s%s%s", name, arg ? " " : "",
	    arg ? arg : "");
	fprintf(fp, "  %-22s %s", left, help);
	for (; choices != NULL && *choices != '\0'; choices += n) {
		n = strcspn(choices, " ");
		fprintf(fp, "%s%.*s", first ? ": " : "|", (int)n, choices);
		first = 0;
		n += strspn(choices + n, " ");
	}
	if (repeat)
		fprintf(fp, " (repeatable)");
	fputc('\n', fp);
}

void
cmd_usage_verb(FILE *fp, const struct cmd_entry *e, const struct cmd_verb *v)
{
	size_t	i, n = opt_count(v->opts);

	fprintf(fp, "usage: ");
	cmd_usage_line(fp, e, v);
	fprintf(fp, "%s\n\noptions:\n", v->help);
	for (i = 0; i < n; i++)
		usage_opt(fp, v->opts[i].name, v->opts[i].arg, v->opts[i].help,
		    v->opts[i].choices, v->opts[i].flags & CMD_OPT_REPEAT);
	usage_opt(fp, "json", NULL, "print the server's JSON", NULL, 0);
	usage_opt(fp, "csv", NULL, "print CSV with a header row", NULL, 0);
	usage_opt(fp, "help", NULL, "show this help", NULL, 0);
}

void
cmd_usage_entry(FILE *fp, const struct cmd_entry *e)
{
	size_t	i;

	fprintf(fp, "usage: auditorctl %s VERB [options] [ARGS]\n%s\n\nverbs:\n",
	    e->name, e->help);
	for (i = 0; i < e->nverbs; i++)
		fprintf(fp, "  %-10s %s\n", e->verbs[i].name, e->verbs[i].help);
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

static int
body_value(const struct cmd_args *a, const char *opt, const char *v,
    json_t **out)
{
	/* jansson refuses strings that are not UTF-8. */
	if ((*out = json_string(v)) == NULL)
		return cmd_usage_error(a->entry, a->verb, "--%s: value is not "
		    "UTF-8 text", opt);
	return 0;
}

int
cmd_body_string(json_t *obj, const struct cmd_args *a, const char *opt,
    const char *field, int patch)
{
	const char	*v = cmd_arg(a, opt);
	json_t		*j;
	int		 rc;

	if (v == NULL)
		return 0;
	if (patch && v[0] == '\0')
		j = json_null();
	else if ((rc = body_value(a, opt, v, &j)) != 0)
		return rc;
	if (json_object_set_new(obj, field, j) == -1) {
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	return 0;
}

int
cmd_body_strings(json_t *obj, const struct cmd_args *a,
    const char *const *names, int patch)
{
	int	rc;

	for (; *names != NULL; names++)
		if ((rc = cmd_body_string(obj, a, *names, *names, patch)) != 0)
			return rc;
	return 0;
}

int
cmd_body_list(json_t *obj, const struct cmd_args *a, const char *opt,
    const char *field, int patch)
{
	const char *const	*v;
	size_t			 i, n = cmd_arg_all(a, opt, &v);
	json_t			*arr, *j;
	int			 rc;

	if (n == 0)
		return 0;
	if (patch && n == 1 && v[0][0] == '\0')
		arr = json_null();
	else {
		if ((arr = json_array()) == NULL) {
			log_warnx("out of memory");
			return CMD_USAGE;
		}
		for (i = 0; i < n; i++) {
			if ((rc = body_value(a, opt, v[i], &j)) != 0) {
				json_decref(arr);
				return rc;
			}
			json_array_append_new(arr, j);
		}
	}
	if (json_object_set_new(obj, field, arr) == -1) {
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	return 0;
}
