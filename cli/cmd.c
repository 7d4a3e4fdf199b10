/*
 * cmd.c: what every auditorctl command shares: table lookups, option parsing
 * built from the verb tables, usage texts, and the request helpers that map
 * answers to exit codes in one place; see cmd.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "client.h"
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

static int
is_json_type(const char *ct)
{
	size_t	n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, "; \t");
	return (n == 16 && strncasecmp(ct, "application/json", n) == 0) ||
	    (n > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	    strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/* "auditorctl: <title>: <detail>", then each validation error. */
static void
print_problem(const struct response *r, const json_t *p)
{
	const char	*title = json_string_value(json_object_get(p, "title"));
	const char	*detail = json_string_value(json_object_get(p,
			    "detail"));
	const char	*path, *msg;
	json_t		*errs = json_object_get(p, "errors"), *e;
	char		 buf[64];
	size_t		 i;

	if (title == NULL) {
		snprintf(buf, sizeof buf, "HTTP %d%s%s", r->status,
		    r->reason[0] ? " " : "", r->reason);
		title = buf;
	}
	if (detail != NULL && detail[0] != '\0')
		log_warnx("%s: %s", title, detail);
	else
		log_warnx("%s", title);
	json_array_foreach(errs, i, e) {
		path = json_string_value(json_object_get(e, "path"));
		msg = json_string_value(json_object_get(e, "message"));
		fprintf(stderr, "  %s: %s\n", path && path[0] ? path :
		    "(document)", msg ? msg : "invalid");
	}
}

int
cmd_call(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, const char *if_match, json_t **answer)
{
	struct response	*r = NULL;
	json_error_t	 jerr;
	json_t		*doc = NULL;
	char		 err[1024], full[4096], *text = NULL;
	int		 rc;

	*answer = NULL;
	if (ctx->client == NULL && (ctx->client = client_new(ctx->server,
	    ctx->ca, ctx->cert, ctx->key, err, sizeof err)) == NULL) {
		log_warnx("%s", err);
		return CMD_CONNECT;
	}
	if ((size_t)snprintf(full, sizeof full, "/v1%s", path) >= sizeof full) {
		log_warnx("request path too long");
		return CMD_USAGE;
	}
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	rc = client_request(ctx->client, method, full,
	    strcmp(method, "PATCH") == 0 ? "application/merge-patch+json" :
	    "application/json", text, text ? strlen(text) : 0, if_match, &r,
	    err, sizeof err);
	free(text);
	if (rc == CLIENT_ECONNECT) {
		log_warnx("%s", err);
		return CMD_CONNECT;
	}
	if (rc != CLIENT_OK) {
		log_warnx("malformed answer from %s: %s", ctx->server, err);
		return CMD_SERVER;
	}
	if (r->bodylen > 0 && is_json_type(response_header(r, "Content-Type"))) {
		doc = json_loadb(r->body, r->bodylen, JSON_DECODE_ANY, &jerr);
		if (doc == NULL) {
			log_warnx("malformed answer from %s: %s (line %d)",
			    ctx->server, jerr.text, jerr.line);
			rc = CMD_SERVER;
			goto done;
		}
	}
	if (r->status >= 200 && r->status <= 299) {
		if (r->bodylen > 0 && doc == NULL) {
			log_warnx("malformed answer from %s: not JSON",
			    ctx->server);
			rc = CMD_SERVER;
			goto done;
		}
		*answer = doc;
		doc = NULL;
		rc = CMD_OK;
	} else if (r->status >= 400 && r->status <= 599) {
		print_problem(r, doc);
		rc = r->status < 500 ? CMD_REFUSED : CMD_SERVER;
	} else {
		log_warnx("unexpected answer from %s: HTTP %d %s", ctx->server,
		    r->status, r->reason);
		rc = CMD_SERVER;
	}
 done:
	json_decref(doc);
	response_free(r);
	return rc;
}

static int
output_failed(void)
{
	log_warnx("cannot write the output%s%s", errno ? ": " : "",
	    errno ? strerror(errno) : "");
	return CMD_SERVER;
}

int
cmd_query_add(char *buf, size_t len, const char *key, const char *value)
{
	char	*enc;
	size_t	 used = strlen(buf);
	int	 n;

	if ((enc = evhttp_uriencode(value, -1, 0)) == NULL)
		return -1;
	n = snprintf(buf + used, len - used, "%s%s=%s",
	    strchr(buf, '?') ? "&" : "?", key, enc);
	free(enc);
	if (n < 0 || (size_t)n >= len - used) {
		buf[used] = '\0';
		return -1;
	}
	return 0;
}

static int
malformed_list(struct cmd_ctx *ctx)
{
	log_warnx("malformed answer from %s: not a list", ctx->server);
	return CMD_SERVER;
}

/* The "next" cursor as text into buf; 0 at the end, -1 if malformed. */
static int
next_cursor(const json_t *doc, char *buf, size_t len)
{
	const json_t	*next = json_object_get(doc, "next");

	if (next == NULL || json_is_null(next))
		return 0;
	if (json_is_string(next))
		snprintf(buf, len, "%s", json_string_value(next));
	else if (json_is_integer(next))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(next));
	else
		return -1;
	return buf[0] != '\0' ? 1 : -1;
}

int
cmd_list(struct cmd_ctx *ctx, const char *path, int all,
    const struct output_column *cols, size_t ncols)
{
	json_t	*doc = NULL, *page = NULL, *items;
	char	 next[256], prev[256] = "", pagepath[2048];
	int	 rc, more;

	if ((rc = cmd_call(ctx, "GET", path, NULL, NULL, &doc)) != 0)
		return rc;
	if (!json_is_array(json_object_get(doc, "items"))) {
		rc = malformed_list(ctx);
		goto done;
	}
	while (all && (more = next_cursor(doc, next, sizeof next)) != 0) {
		/* A cursor that does not move would loop for ever. */
		if (more == -1 || strcmp(next, prev) == 0) {
			rc = malformed_list(ctx);
			goto done;
		}
		snprintf(prev, sizeof prev, "%s", next);
		snprintf(pagepath, sizeof pagepath, "%s", path);
		if (cmd_query_add(pagepath, sizeof pagepath, "after",
		    next) == -1) {
			rc = malformed_list(ctx);
			goto done;
		}
		if ((rc = cmd_call(ctx, "GET", pagepath, NULL, NULL,
		    &page)) != 0)
			goto done;
		items = json_object_get(page, "items");
		if (!json_is_array(items)) {
			rc = malformed_list(ctx);
			goto done;
		}
		if (json_array_extend(json_object_get(doc, "items"),
		    items) == -1 || json_object_set(doc, "next",
		    json_object_get(page, "next") ? json_object_get(page,
		    "next") : json_null()) == -1) {
			log_warnx("out of memory");
			rc = CMD_SERVER;
			goto done;
		}
		json_decref(page);
		page = NULL;
	}
	errno = 0;
	if (ctx->out->list(ctx->fp, cols, ncols, doc) == -1)
		rc = output_failed();
 done:
	json_decref(page);
	json_decref(doc);
	return rc;
}

int
cmd_list_verb(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *collection, const char *const *filters,
    const struct output_column *cols, size_t ncols)
{
	char		 path[2048], n[24];
	const char	*v;
	long		 limit = 0;
	int		 rc;

	if ((rc = cmd_arg_long(a, "limit", 1, 1000, &limit)) != 0)
		return rc;
	snprintf(path, sizeof path, "/%s", collection);
	snprintf(n, sizeof n, "%ld", limit);
	if (limit > 0 && cmd_query_add(path, sizeof path, "limit", n) == -1)
		return cmd_usage_error(a->entry, a->verb, "query too long");
	for (; filters != NULL && *filters != NULL; filters++)
		if ((v = cmd_arg(a, *filters)) != NULL &&
		    cmd_query_add(path, sizeof path, *filters, v) == -1)
			return cmd_usage_error(a->entry, a->verb,
			    "query too long");
	return cmd_list(ctx, path, cmd_arg(a, "all") != NULL, cols, ncols);
}

int
cmd_show(struct cmd_ctx *ctx, const json_t *doc)
{
	if (doc == NULL)
		return CMD_OK;
	errno = 0;
	if (ctx->out->show(ctx->fp, doc) == -1)
		return output_failed();
	return CMD_OK;
}

int
cmd_record_show(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *collection)
{
	char	 path[256];
	json_t	*rec = NULL;
	int	 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, collection, a->argv[0],
	    NULL)) == 0 && (rc = cmd_call(ctx, "GET", path, NULL, NULL,
	    &rec)) == 0)
		rc = cmd_show(ctx, rec);
	json_decref(rec);
	return rc;
}

int
cmd_record_change(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *method, const char *collection, const char *suffix, int print)
{
	char		 path[256], etag[32];
	const char	*if_match;
	json_t		*rec = NULL;
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, collection, a->argv[0],
	    suffix)) == 0 && (rc = cmd_if_match(a, etag, sizeof etag,
	    &if_match)) == 0 && (rc = cmd_call(ctx, method, path, NULL,
	    if_match, &rec)) == 0 && print)
		rc = cmd_show(ctx, rec);
	json_decref(rec);
	return rc;
}

int
cmd_record_patch(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *collection, json_t *patch)
{
	char		 path[256], etag[32];
	const char	*if_match;
	json_t		*rec = NULL;
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, collection, a->argv[0],
	    NULL)) != 0 || (rc = cmd_if_match(a, etag, sizeof etag,
	    &if_match)) != 0)
		return rc;
	if (json_object_size(patch) == 0)
		return cmd_usage_error(a->entry, a->verb, "nothing to change");
	if ((rc = cmd_call(ctx, "PATCH", path, patch, if_match, &rec)) == 0)
		rc = cmd_show(ctx, rec);
	json_decref(rec);
	return rc;
}

int
cmd_record_create(struct cmd_ctx *ctx, const char *collection, json_t *body)
{
	char	 path[128];
	json_t	*rec = NULL;
	int	 rc;

	snprintf(path, sizeof path, "/%s", collection);
	if ((rc = cmd_call(ctx, "POST", path, body, NULL, &rec)) == 0)
		rc = cmd_show(ctx, rec);
	json_decref(rec);
	return rc;
}

void
cmd_ctx_clear(struct cmd_ctx *ctx)
{
	client_free(ctx->client);
	ctx->client = NULL;
}
