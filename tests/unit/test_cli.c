/*
 * test_cli.c: auditorctl's pure parts: server URLs, the command tables and
 * option parsing, output (CSV quoting, plain lines), the HTTP response
 * reader, settings precedence, and certificate SHA-256 against openssl.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <CUnit/Basic.h>

#include "cu-io.h"
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "client.h"
#include "cmd.h"
#include "output.h"
#include "request.h"
#include "response.h"
#include "schema/schema.h"
#include "settings.h"
#include "tls.h"

static const struct cmd_entry *const entries[] = {
	&cmd_area_entry,
	&cmd_auditor_entry,
	&cmd_declaration_entry,
	&cmd_evaluation_entry,
	&cmd_events_entry,
	&cmd_me_entry,
	&cmd_principal_entry,
	&cmd_qualification_entry,
	&cmd_report_entry,
	&cmd_training_entry,
};
#define NENTRIES	(sizeof entries / sizeof *entries)

static char	tmpdir[64];
static char	pki[128];	/* certs/mkcerts.sh output, "" if it failed */

/* Silence the usage messages the error cases print. */
static int
quiet(void)
{
	int	saved = dup(2), null = open("/dev/null", O_WRONLY);

	fflush(stderr);
	dup2(null, 2);
	close(null);
	return saved;
}

static void
loud(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

/* The choices of a schema property joined as usage messages list them. */
static void
joined(const char *const *c, char *buf, size_t len)
{
	size_t	n = 0;

	buf[0] = '\0';
	for (; c != NULL && *c != NULL; c++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
		    *c);
}

static void
test_url(void)
{
	struct client_url	u;
	char			err[256], auth[300];

	CU_ASSERT_EQUAL(client_url_parse("https://127.0.0.1:8443", &u, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(u.host, "127.0.0.1");
	CU_ASSERT_STRING_EQUAL(u.port, "8443");
	CU_ASSERT_STRING_EQUAL(u.prefix, "");
	CU_ASSERT_FALSE(u.ipv6);

	CU_ASSERT_EQUAL(client_url_parse("https://[::1]:9000/", &u, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(u.host, "::1");
	CU_ASSERT_STRING_EQUAL(u.port, "9000");
	CU_ASSERT_STRING_EQUAL(u.prefix, "");
	CU_ASSERT_TRUE(u.ipv6);
	client_url_authority(&u, auth, sizeof auth, 0);
	CU_ASSERT_STRING_EQUAL(auth, "[::1]:9000");

	CU_ASSERT_EQUAL(client_url_parse("HTTPS://audit.example.org", &u, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(u.host, "audit.example.org");
	CU_ASSERT_STRING_EQUAL(u.port, "443");
	client_url_authority(&u, auth, sizeof auth, 1);
	CU_ASSERT_STRING_EQUAL(auth, "audit.example.org");

	CU_ASSERT_EQUAL(client_url_parse("https://h:1/api/", &u, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(u.prefix, "/api");
	CU_ASSERT_STRING_EQUAL(u.port, "1");

	CU_ASSERT_EQUAL(client_url_parse("http://h:8443", &u, err, sizeof err),
	    -1);
	CU_ASSERT(strstr(err, "http://h:8443") != NULL);
	CU_ASSERT_EQUAL(client_url_parse("h:8443", &u, err, sizeof err), -1);
	CU_ASSERT_EQUAL(client_url_parse("https://", &u, err, sizeof err), -1);
	CU_ASSERT_EQUAL(client_url_parse("https://:8443", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h:0", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h:65536", &u, err,
	    sizeof err), -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h:", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h:-1", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h:80x", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://[::1", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://[nope]:1", &u, err,
	    sizeof err), -1);
	CU_ASSERT_EQUAL(client_url_parse("https://[::1]x", &u, err,
	    sizeof err), -1);
	CU_ASSERT_EQUAL(client_url_parse("https://u@h", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h/?q", &u, err, sizeof err),
	    -1);
	CU_ASSERT_EQUAL(client_url_parse("https://h h", &u, err, sizeof err),
	    -1);
}

static void
test_tables(void)
{
	struct cmd_verb		bad_verbs[2];
	struct cmd_entry	bad;
	const struct cmd_entry	*unsorted[2];
	size_t			i, j;
	int			saved;

	CU_ASSERT_TRUE(cmd_tables_sorted(entries, NENTRIES));
	for (i = 0; i < NENTRIES; i++) {
		CU_ASSERT_PTR_EQUAL(cmd_find_entry(entries, NENTRIES,
		    entries[i]->name), entries[i]);
		for (j = 0; j < entries[i]->nverbs; j++)
			CU_ASSERT_PTR_EQUAL(cmd_find_verb(entries[i],
			    entries[i]->verbs[j].name), &entries[i]->verbs[j]);
		CU_ASSERT_PTR_NULL(cmd_find_verb(entries[i], "nope"));
		CU_ASSERT_PTR_NULL(cmd_find_verb(entries[i], ""));
	}
	CU_ASSERT_PTR_NULL(cmd_find_entry(entries, NENTRIES, "zzz"));
	CU_ASSERT_PTR_NULL(cmd_find_entry(entries, NENTRIES, "a"));
	CU_ASSERT_PTR_NOT_NULL(cmd_find_verb(&cmd_auditor_entry, "retire"));
	CU_ASSERT_PTR_NOT_NULL(cmd_find_verb(&cmd_principal_entry, "disable"));
	CU_ASSERT_PTR_NOT_NULL(cmd_find_verb(&cmd_events_entry, "verify"));

	/* The check catches what bsearch would trip over. */
	unsorted[0] = &cmd_auditor_entry;
	unsorted[1] = &cmd_area_entry;
	CU_ASSERT_FALSE(cmd_tables_sorted(unsorted, 2));
	bad_verbs[0] = cmd_auditor_entry.verbs[1];
	bad_verbs[1] = cmd_auditor_entry.verbs[0];
	bad = cmd_auditor_entry;
	bad.verbs = bad_verbs;
	bad.nverbs = 2;
	unsorted[0] = &bad;
	CU_ASSERT_FALSE(cmd_tables_sorted(unsorted, 1));
	bad_verbs[1] = bad_verbs[0];
	CU_ASSERT_FALSE(cmd_tables_sorted(unsorted, 1));

	/* A table option called like a generated one: getopt would miss. */
	{
		static const struct cmd_opt clash[] = {
			{ .name = "name", .arg = "X", .help = "clashes" },
			{ .name = NULL }
		};
		bad_verbs[0] = *cmd_find_verb(&cmd_auditor_entry, "add");
		bad_verbs[0].opts = clash;
		bad.nverbs = 1;
		saved = quiet();
		CU_ASSERT_FALSE(cmd_tables_sorted(unsorted, 1));
		loud(saved);
		bad_verbs[0].opts = NULL;
		CU_ASSERT_TRUE(cmd_tables_sorted(unsorted, 1));
	}
}

static int
parse(const char *noun, char **argv, int argc, struct cmd_args *a, int *help,
    enum cmd_format *fmt)
{
	const struct cmd_entry	*e = cmd_find_entry(entries, NENTRIES, noun);
	const struct cmd_verb	*v = cmd_find_verb(e, argv[0]);

	return cmd_args_parse(e, v, argc, argv, 0, a, help, fmt);
}

static void
test_args(void)
{
	struct cmd_args		 a;
	enum cmd_format		 fmt = CMD_FORMAT_TABLE;
	const char *const	*v;
	int			 help, saved;
	char			*add[] = { "add", "--name", "Ann", "--language",
				    "en", "--csv", "--language", "de", "--email",
				    "ann@example.org", NULL };
	char			*show[] = { "show", "alice", "--json", NULL };
	char			*bad1[] = { "add", "--nope", NULL };
	char			*bad2[] = { "add", "--name", NULL };
	char			*bad3[] = { "add", "--name", "a", "--name", "b",
				    NULL };
	char			*bad4[] = { "show", NULL };
	char			*bad5[] = { "show", "a", "b", NULL };
	char			*bad6[] = { "list", "--all=1", NULL };
	char			*bad7[] = { "list", "--json", "--csv", NULL };
	char			*hlp[] = { "edit", "--help", NULL };

	CU_ASSERT_EQUAL_FATAL(parse("auditor", add, 10, &a, &help, &fmt), 0);
	CU_ASSERT_FALSE(help);
	CU_ASSERT_EQUAL(fmt, CMD_FORMAT_CSV);
	CU_ASSERT_STRING_EQUAL(cmd_arg(&a, "name"), "Ann");
	CU_ASSERT_EQUAL(cmd_arg_all(&a, "language", &v), 2);
	CU_ASSERT_STRING_EQUAL(v[0], "en");
	CU_ASSERT_STRING_EQUAL(v[1], "de");
	CU_ASSERT_PTR_NULL(cmd_arg(&a, "unit"));
	CU_ASSERT_PTR_NULL(cmd_arg(&a, "not-an-option"));
	CU_ASSERT_EQUAL(a.argc, 0);
	cmd_args_free(&a);

	fmt = CMD_FORMAT_TABLE;
	CU_ASSERT_EQUAL(parse("auditor", show, 3, &a, &help, &fmt), 0);
	CU_ASSERT_EQUAL(fmt, CMD_FORMAT_JSON);
	CU_ASSERT_EQUAL(a.argc, 1);
	CU_ASSERT_STRING_EQUAL(a.argv[0], "alice");
	cmd_args_free(&a);

	CU_ASSERT_EQUAL(parse("auditor", hlp, 2, &a, &help, &fmt), 0);
	CU_ASSERT_TRUE(help);
	cmd_args_free(&a);

	saved = quiet();
	fmt = CMD_FORMAT_TABLE;
	CU_ASSERT_EQUAL(parse("auditor", bad1, 2, &a, &help, &fmt), CMD_USAGE);
	CU_ASSERT_EQUAL(parse("auditor", bad2, 2, &a, &help, &fmt), CMD_USAGE);
	CU_ASSERT_EQUAL(parse("auditor", bad3, 5, &a, &help, &fmt), CMD_USAGE);
	CU_ASSERT_EQUAL(parse("auditor", bad4, 1, &a, &help, &fmt), CMD_USAGE);
	CU_ASSERT_EQUAL(parse("auditor", bad5, 3, &a, &help, &fmt), CMD_USAGE);
	CU_ASSERT_EQUAL(parse("auditor", bad6, 2, &a, &help, &fmt), CMD_USAGE);
	CU_ASSERT_EQUAL(parse("auditor", bad7, 3, &a, &help, &fmt), CMD_USAGE);
	loud(saved);
}

/* The generated option of field name in set (not a filter), or NULL. */
static const struct cmd_opt *
gen_of(const struct cmd_optset *set, const char *field, int filter)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		if (set->opts[i].prop != NULL &&
		    strcmp(set->opts[i].prop->name, field) == 0 &&
		    !(set->opts[i].flags & CMD_OPT_FILTER) == !filter)
			return &set->opts[i];
	return NULL;
}

/* The option name a noun gives field p: its rename or p with _ as -. */
static void
want_name(const struct cmd_entry *e, const struct schema_prop *p, char *buf,
    size_t len)
{
	const struct cmd_field	*f;
	char			*c;

	snprintf(buf, len, "%s", p->name);
	for (f = e->fields; f != NULL && f->name != NULL; f++)
		if (strcmp(f->name, p->name) == 0 && f->opt != NULL)
			snprintf(buf, len, "%s", f->opt);
	for (c = buf; *c != '\0'; c++)
		if (*c == '_')
			*c = '-';
}

static int
field_flags(const struct cmd_entry *e, const char *field)
{
	const struct cmd_field	*f;

	for (f = e->fields; f != NULL && f->name != NULL; f++)
		if (strcmp(f->name, field) == 0)
			return f->flags;
	return 0;
}

static int
hidden(const struct cmd_entry *e, const char *field)
{
	return (field_flags(e, field) & CMD_FIELD_HIDE) != 0;
}

/* The --no-NAME option of field in set, or NULL. */
static const struct cmd_opt *
negation_of(const struct cmd_optset *set, const char *field)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		if (set->opts[i].prop != NULL &&
		    strcmp(set->opts[i].prop->name, field) == 0 &&
		    (set->opts[i].flags & CMD_OPT_NEGATE))
			return &set->opts[i];
	return NULL;
}

/*
 * Every noun of records: add and edit take an option per field a client
 * sets, with the schema's choices, required exactly when the schema
 * requires the field and the server does not fill it; list takes the
 * schema's x-filters. Compared with the schema, never with a copy of it.
 */
static void
test_generated(void)
{
	const struct cmd_entry		*e;
	const struct cmd_verb		*v;
	const struct schema		*s;
	const struct schema_prop	*p;
	const struct cmd_opt		*o;
	const char *const		*filters;
	struct cmd_optset		 set;
	char				 name[64], a[512], b[512];
	size_t				 i, j, k, nf, ngen;
	int				 nouns = 0, verbs = 0;

	for (i = 0; i < NENTRIES; i++) {
		e = entries[i];
		if (e->type == NULL)
			continue;
		nouns++;
		s = cmd_schema(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		for (j = 0; j < e->nverbs; j++) {
			v = &e->verbs[j];
			if (v->gen == CMD_GEN_NONE)
				continue;
			verbs++;
			CU_ASSERT_EQUAL_FATAL(cmd_optset_build(e, v, s, &set), 0);
			for (k = 1; k < set.n; k++)
				CU_ASSERT(strcmp(set.opts[k - 1].name,
				    set.opts[k].name) < 0);
			ngen = 0;
			for (k = 0; k < set.n; k++)
				ngen += set.opts[k].prop != NULL;
			if (v->gen == CMD_GEN_FILTERS) {
				nf = schema_filters(s, &filters);
				CU_ASSERT_EQUAL(ngen, nf);
				for (k = 0; k < nf; k++) {
					p = schema_prop_find(s, filters[k]);
					o = gen_of(&set, filters[k], 1);
					CU_ASSERT_PTR_NOT_NULL(o);
					if (o == NULL)
						continue;
					want_name(e, p, name, sizeof name);
					CU_ASSERT_STRING_EQUAL(o->name, name);
					joined(o->choices, a, sizeof a);
					joined(p->choices, b, sizeof b);
					CU_ASSERT_STRING_EQUAL(a, b);
					CU_ASSERT_EQUAL(o->flags, CMD_OPT_FILTER);
				}
				cmd_optset_free(&set);
				continue;
			}
			for (k = 0; k < schema_nprops(s); k++) {
				p = schema_prop(s, k);
				o = gen_of(&set, p->name, 0);
				if (p->server || hidden(e, p->name) ||
				    p->kind == SCHEMA_OTHER ||
				    p->kind == SCHEMA_OBJECT ||
				    (v->gen == CMD_GEN_EDIT &&
				    strcmp(p->name, "id") == 0)) {
					CU_ASSERT_PTR_NULL(o);
					continue;
				}
				CU_ASSERT_PTR_NOT_NULL(o);
				if (o == NULL)
					continue;
				ngen--;
				want_name(e, p, name, sizeof name);
				CU_ASSERT_STRING_EQUAL(o->name, name);
				joined(o->choices, a, sizeof a);
				joined(p->choices, b, sizeof b);
				if (p->kind != SCHEMA_BOOLEAN)
					CU_ASSERT_STRING_EQUAL(a, b);
				CU_ASSERT_EQUAL(!!(o->flags & CMD_OPT_REQUIRED),
				    v->gen == CMD_GEN_ADD && p->required &&
				    !p->dflt);
				CU_ASSERT_EQUAL(!!(o->flags & CMD_OPT_REMOVE),
				    v->gen == CMD_GEN_EDIT && !p->required);
				CU_ASSERT_EQUAL(!!(o->flags & CMD_OPT_REPEAT),
				    p->kind == SCHEMA_STRINGS);
				CU_ASSERT_EQUAL(o->arg == NULL, p->kind ==
				    SCHEMA_BOOLEAN && v->gen == CMD_GEN_ADD);
				CU_ASSERT(p->description == NULL || (o->help &&
				    strncmp(o->help, p->description,
				    strlen(p->description)) == 0));
				/* --no-NAME: add's, for a field marked so. */
				o = negation_of(&set, p->name);
				if (v->gen == CMD_GEN_ADD && p->kind ==
				    SCHEMA_BOOLEAN && (field_flags(e, p->name) &
				    CMD_FIELD_NEGATE)) {
					CU_ASSERT(o != NULL && o->arg == NULL &&
					    strncmp(o->name, "no-", 3) == 0 &&
					    strcmp(o->name + 3, name) == 0);
					ngen--;
				} else
					CU_ASSERT_PTR_NULL(o);
			}
			/* No generated option stands for nothing. */
			CU_ASSERT_EQUAL(ngen, 0);
			cmd_optset_free(&set);
		}
	}
	CU_ASSERT(nouns >= 7 && verbs >= 19);

	/* What the issue asked for, in the terms of the schema. */
	s = cmd_schema(&cmd_auditor_entry);
	CU_ASSERT_EQUAL_FATAL(cmd_optset_build(&cmd_auditor_entry,
	    cmd_find_verb(&cmd_auditor_entry, "list"), s, &set), 0);
	o = gen_of(&set, "status", 1);
	CU_ASSERT(o != NULL && o->choices == schema_prop_find(s,
	    "status")->choices);
	CU_ASSERT_PTR_NOT_NULL(gen_of(&set, "unit", 1));
	cmd_optset_free(&set);
	CU_ASSERT_EQUAL_FATAL(cmd_optset_build(&cmd_auditor_entry,
	    cmd_find_verb(&cmd_auditor_entry, "add"), s, &set), 0);
	o = gen_of(&set, "languages", 0);
	CU_ASSERT(o != NULL && strcmp(o->name, "language") == 0 &&
	    strcmp(o->arg, "LANG") == 0);
	cmd_optset_free(&set);
}

/* The help of a verb lists the generated options, choices and Required. */
static void
test_usage_text(void)
{
	const struct cmd_verb	*v = cmd_find_verb(&cmd_auditor_entry, "add");
	const struct cmd_opt	*o;
	struct cmd_optset	 set;
	char			*text, *at, *next, want[600], ch[512];
	char			 block[2048];
	size_t			 i;
	FILE			*f = tmpfile();

	cmd_usage_verb(f, &cmd_auditor_entry, v);
	text = cu_written(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(cmd_optset_build(&cmd_auditor_entry, v,
	    cmd_schema(&cmd_auditor_entry), &set), 0);
	for (i = 0; i < set.n; i++) {
		o = &set.opts[i];
		snprintf(want, sizeof want, "\n  --%s%s%s ", o->name, o->arg ?
		    " " : "", o->arg ? o->arg : "");
		at = strstr(text, want);
		if (at == NULL) {	/* a long one has its help below */
			want[strlen(want) - 1] = '\n';
			at = strstr(text, want);
		}
		CU_ASSERT_PTR_NOT_NULL(at);
		if (at == NULL)
			continue;
		next = strstr(at + 1, "\n  --");
		snprintf(block, sizeof block, "%.*s", next ? (int)(next - at) :
		    (int)strlen(at), at);
		CU_ASSERT_EQUAL(strstr(block, "Required.") != NULL,
		    (o->flags & CMD_OPT_REQUIRED) != 0);
		if (o->choices != NULL) {
			/* Wrapped lines: compare with the white space squeezed. */
			char *c, *d;
			for (c = d = block; *c != '\0'; c++)
				if (*c != ' ' && *c != '\n')
					*d++ = *c;
				else if (d > block && d[-1] != ' ')
					*d++ = ' ';
			*d = '\0';
			joined(o->choices, ch, sizeof ch);
			snprintf(want, sizeof want, "One of: %s.", ch);
			CU_ASSERT(strstr(block, want) != NULL);
		}
	}
	cmd_optset_free(&set);
	free(text);
}

/* Counts the connections made to a port (a child accepts and closes). */
static pid_t
counter_start(char *port, size_t len, int *countfd)
{
	struct sockaddr_in	sin;
	socklen_t		sl = sizeof sin;
	int			ls, c, fds[2];
	pid_t			pid;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(ls, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(ls, 8) == -1 ||
	    getsockname(ls, (struct sockaddr *)&sin, &sl) == -1 ||
	    pipe(fds) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		while ((c = accept(ls, NULL, NULL)) != -1) {
			close(c);
			if (write(fds[1], "c", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(ls);
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	snprintf(port, len, "%u", ntohs(sin.sin_port));
	*countfd = fds[0];
	return pid;
}

/* Connections counted since the last call. */
static int
counter_take(int fd)
{
	char	buf[64];
	ssize_t	n;
	int	total = 0;

	/* The child counts after it accepts: give it a moment. */
	poll(NULL, 0, 100);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += (int)n;
	return total;
}

/*
 * What main does with one command line (noun, verb, arguments): parse,
 * then run against server. Returns the exit code; stderr into *err.
 */
static int
run_cmd(const char *server, char **argv, char **err)
{
	const struct cmd_entry	*e = cmd_find_entry(entries, NENTRIES, argv[0]);
	const struct cmd_verb	*v = cmd_find_verb(e, argv[1]);
	struct cmd_args		 a;
	struct cmd_ctx		 ctx;
	enum cmd_format		 fmt = CMD_FORMAT_TABLE;
	char			 ca[256], crt[256], key[256];
	int			 argc, help, rc;

	for (argc = 0; argv[argc + 1] != NULL; argc++)
		;
	snprintf(ca, sizeof ca, "%s/ca.crt", pki);
	snprintf(crt, sizeof crt, "%s/admin.crt", pki);
	snprintf(key, sizeof key, "%s/admin.key", pki);
	memset(&ctx, 0, sizeof ctx);
	ctx.server = server;
	ctx.ca = ca;
	ctx.cert = crt;
	ctx.key = key;
	ctx.out = &output_json;
	ctx.fp = tmpfile();
	cu_capture();
	if ((rc = cmd_args_parse(e, v, argc, argv + 1, 0, &a, &help,
	    &fmt)) == 0) {
		rc = v->exec(&ctx, &a);
		request_ctx_clear(&ctx);
		cmd_args_free(&a);
	}
	*err = cu_captured();
	fclose(ctx.fp);
	return rc;
}

/*
 * Usage errors the schema makes: a required field left out, a value
 * outside an enum, a value the schema refuses. Each is exit 2 with its
 * message, and no connection is made.
 */
static void
test_schema_errors(void)
{
	const struct schema	*s = cmd_schema(&cmd_auditor_entry);
	char			 port[8], url[64], want[600], ch[512], *err;
	char			*ok[] = { "auditor", "add", "--name", "Ann",
				    "--email", "ann@example.org", NULL };
	char			*noname[] = { "auditor", "add", "--email",
				    "ann@example.org", NULL };
	char			*none[] = { "auditor", "add", "--unit", "IT",
				    NULL };
	char			*bogus[] = { "auditor", "list", "--status",
				    "bogus", NULL };
	char			*badadd[] = { "auditor", "add", "--name", "A",
				    "--email", "a@b.c", "--employment", "bogus",
				    NULL };
	char			*role[] = { "principal", "add", "--name", "P",
				    "--role", "root", NULL };
	char			*mail[] = { "auditor", "add", "--name", "A",
				    "--email", "no-at-sign", NULL };
	char			*lang[] = { "auditor", "edit", "x",
				    "--language", "en", "--language", "EN",
				    NULL };
	char			*unit[] = { "auditor", "list", "--unit", "",
				    NULL };
	char			*empty[] = { "auditor", "edit", "x", NULL };
	char			*clear[] = { "auditor", "edit", "x", "--notes",
				    "", NULL };
	int			 countfd = -1, rc;
	pid_t			 pid;

	CU_ASSERT_FATAL(pki[0] != '\0');
	pid = counter_start(port, sizeof port, &countfd);
	CU_ASSERT_FATAL(pid > 0);
	snprintf(url, sizeof url, "https://127.0.0.1:%s", port);

	/* The control: a good command line does connect (TLS then fails). */
	rc = run_cmd(url, ok, &err);
	CU_ASSERT_EQUAL(rc, CMD_CONNECT);
	free(err);
	CU_ASSERT_EQUAL(counter_take(countfd), 1);

	CU_ASSERT_EQUAL(run_cmd(url, noname, &err), CMD_USAGE);
	CU_ASSERT(strstr(err, "missing required option --name\n") != NULL);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(url, none, &err), CMD_USAGE);
	CU_ASSERT(strstr(err, "missing required options --email, --name\n") !=
	    NULL);
	free(err);

	CU_ASSERT_EQUAL(run_cmd(url, bogus, &err), CMD_USAGE);
	joined(schema_prop_find(s, "status")->choices, ch, sizeof ch);
	snprintf(want, sizeof want, "--status: 'bogus' is not one of: %s\n",
	    ch);
	CU_ASSERT(strstr(err, want) != NULL);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(url, badadd, &err), CMD_USAGE);
	joined(schema_prop_find(s, "employment")->choices, ch, sizeof ch);
	snprintf(want, sizeof want, "--employment: 'bogus' is not one of: %s",
	    ch);
	CU_ASSERT(strstr(err, want) != NULL);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(url, role, &err), CMD_USAGE);
	joined(schema_prop_find(cmd_schema(&cmd_principal_entry),
	    "role")->choices, ch, sizeof ch);
	snprintf(want, sizeof want, "--role: 'root' is not one of: %s", ch);
	CU_ASSERT(strstr(err, want) != NULL);
	free(err);

	/* Lengths, patterns and unique items, from the same schema. */
	CU_ASSERT_EQUAL(run_cmd(url, mail, &err), CMD_USAGE);
	CU_ASSERT(strstr(err, "--email: must match the pattern") != NULL);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(url, lang, &err), CMD_USAGE);
	CU_ASSERT(strstr(err, "--language (value 2): must match") != NULL);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(url, unit, &err), CMD_USAGE);
	CU_ASSERT(strstr(err, "--unit: ") != NULL);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(url, empty, &err), CMD_USAGE);
	CU_ASSERT(strstr(err, "nothing to change") != NULL);
	free(err);
	CU_ASSERT_EQUAL(counter_take(countfd), 0);

	/* '' removes an optional field: that one goes out (as null). */
	rc = run_cmd(url, clear, &err);
	CU_ASSERT_EQUAL(rc, CMD_CONNECT);
	free(err);
	CU_ASSERT_EQUAL(counter_take(countfd), 1);

	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(countfd);
}

/* The documents the options make: records, merge patches, filters. */
static void
test_documents(void)
{
	struct cmd_args	 a;
	enum cmd_format	 fmt = CMD_FORMAT_TABLE;
	json_t		*want;
	int		 help;
	char		*add[] = { "add", "--id", "ann", "--name", "Ann",
			    "--email", "ann@example.org", "--language", "en",
			    "--language", "de", NULL };
	char		*edit[] = { "edit", "ann", "--notes", "", "--language",
			    "", "--status", "suspended", NULL };
	char		*list[] = { "list", "--unit", "IT", "--status",
			    "active", NULL };

	CU_ASSERT_EQUAL_FATAL(cmd_args_parse(&cmd_auditor_entry,
	    cmd_find_verb(&cmd_auditor_entry, "add"), 11, add, 0, &a, &help,
	    &fmt), 0);
	want = json_pack("{s:s,s:s,s:s,s:[s,s]}", "id", "ann", "name", "Ann",
	    "email", "ann@example.org", "languages", "en", "de");
	CU_ASSERT(json_equal(a.doc, want));
	json_decref(want);
	cmd_args_free(&a);

	CU_ASSERT_EQUAL_FATAL(cmd_args_parse(&cmd_auditor_entry,
	    cmd_find_verb(&cmd_auditor_entry, "edit"), 8, edit, 0, &a, &help,
	    &fmt), 0);
	want = json_pack("{s:n,s:n,s:s}", "notes", "languages", "status",
	    "suspended");
	CU_ASSERT(json_equal(a.doc, want));
	json_decref(want);
	cmd_args_free(&a);

	CU_ASSERT_EQUAL_FATAL(cmd_args_parse(&cmd_auditor_entry,
	    cmd_find_verb(&cmd_auditor_entry, "list"), 5, list, 0, &a, &help,
	    &fmt), 0);
	want = json_pack("{s:s,s:s}", "unit", "IT", "status", "active");
	CU_ASSERT(json_equal(a.doc, want));
	json_decref(want);
	cmd_args_free(&a);
}

/*
 * Field kinds no built-in schema has yet, through a schema of the test's
 * own: integers and numbers parsed, booleans as flags (true|false on
 * edit), '_' in a name, a renamed repeatable option, objects and readOnly
 * fields without options, a defaulted required field not required.
 */
static const struct cmd_field kind_fields[] = {
	{ .name = "tags", .opt = "tag", .arg = "TAG" },
	{ .name = NULL }
};
static const struct cmd_verb kind_verbs[] = {
	REQUEST_ADD("Add."),
	REQUEST_EDIT("Edit."),
	REQUEST_LIST("List."),
};
static const struct cmd_entry kind_entry = {
	.name = "kind", .help = "Kinds.", .verbs = kind_verbs, .nverbs = 3,
	.collection = "kinds", .type = "kind", .fields = kind_fields,
};

static void
test_kinds(void)
{
	static const char	 text[] = "{\"type\":\"object\","
	    "\"required\":[\"id\",\"count\",\"mode\"],\"x-defaults\":[\"id\","
	    "\"mode\"],\"x-filters\":[\"mode\"],\"additionalProperties\":false,"
	    "\"properties\":{\"id\":{\"type\":\"string\"},"
	    "\"rev\":{\"type\":\"integer\",\"readOnly\":true},"
	    "\"count\":{\"type\":\"integer\",\"minimum\":1},"
	    "\"max_hours\":{\"type\":\"number\"},"
	    "\"flag\":{\"type\":\"boolean\"},"
	    "\"mode\":{\"enum\":[\"fast\",\"slow\"]},"
	    "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
	    "\"meta\":{\"type\":\"object\"}}}";
	struct schema	*s;
	struct cmd_args	 a;
	enum cmd_format	 fmt = CMD_FORMAT_TABLE;
	json_t		*doc, *want;
	char		*err, msg[256];
	int		 help, rc;
	char		*add[] = { "add", "--count", "3", "--max-hours", "7.5",
			    "--flag", "--tag", "a", "--tag", "b", NULL };
	char		*edit[] = { "edit", "x", "--flag", "false", "--max-hours",
			    "", NULL };
	char		*nocount[] = { "add", "--mode", "fast", NULL };
	char		*badint[] = { "add", "--count", "3x", NULL };
	char		*small[] = { "add", "--count", "0", NULL };
	char		*badnum[] = { "add", "--count", "1", "--max-hours",
			    "inf", NULL };
	char		*badbool[] = { "edit", "x", "--flag", "yes", NULL };
	char		*noopt[] = { "add", "--count", "1", "--meta", "x", NULL };
	char		*ro[] = { "add", "--count", "1", "--rev", "2", NULL };
	char		*filter[] = { "list", "--mode", "slow", NULL };

	doc = json_loads(text, 0, NULL);
	s = schema_compile(doc, msg, sizeof msg);
	json_decref(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);

	CU_ASSERT_EQUAL(cmd_args_parse_schema(&kind_entry, &kind_verbs[0], s,
	    10, add, 0, &a, &help, &fmt), 0);
	want = json_pack("{s:i,s:f,s:b,s:[s,s]}", "count", 3, "max_hours",
	    7.5, "flag", 1, "tags", "a", "b");
	CU_ASSERT(json_equal(a.doc, want));
	json_decref(want);
	cmd_args_free(&a);
	CU_ASSERT_EQUAL(cmd_args_parse_schema(&kind_entry, &kind_verbs[1], s,
	    6, edit, 0, &a, &help, &fmt), 0);
	want = json_pack("{s:b,s:n}", "flag", 0, "max_hours");
	CU_ASSERT(json_equal(a.doc, want));
	json_decref(want);
	cmd_args_free(&a);
	CU_ASSERT_EQUAL(cmd_args_parse_schema(&kind_entry, &kind_verbs[2], s,
	    3, filter, 0, &a, &help, &fmt), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a.doc,
	    "mode")), "slow");
	cmd_args_free(&a);

#define KIND_ERR(verb, argv, n, text) do {				\
	cu_capture();							\
	rc = cmd_args_parse_schema(&kind_entry, &kind_verbs[verb], s,	\
	    n, argv, 0, &a, &help, &fmt);				\
	err = cu_captured();						\
	CU_ASSERT_EQUAL(rc, CMD_USAGE);					\
	if (strstr(err, text) == NULL)					\
		printf("\n  ** want \"%s\" in: %s", text, err);		\
	CU_ASSERT(strstr(err, text) != NULL);				\
	free(err);							\
} while (0)
	KIND_ERR(0, nocount, 3, "missing required option --count\n");
	KIND_ERR(0, badint, 3, "--count: '3x' is not an integer");
	KIND_ERR(0, small, 3, "--count: must be");
	KIND_ERR(0, badnum, 5, "--max-hours: 'inf' is not a number");
	KIND_ERR(1, badbool, 4, "--flag: 'yes' is not one of: true, false");
	KIND_ERR(0, noopt, 5, "unknown option '--meta'");
	KIND_ERR(0, ro, 5, "unknown option '--rev'");
#undef KIND_ERR
	schema_free(s);
}

/* Did you mean: the nearest name, only when it is close and unique. */
static void
test_nearest(void)
{
	static const char *const nouns[] = { "area", "auditor", "events",
	    "help", "me", "principal" };
	static const char *const verbs[] = { "add", "delete", "edit", "list",
	    "retire", "show" };
	static const struct {
		const char	*word;
		const char	*want;	/* NULL: no suggestion */
	} ncases[] = {
		{ "auditr", "auditor" },	/* one dropped */
		{ "auditorr", "auditor" },	/* one added */
		{ "audotor", "auditor" },	/* one changed */
		{ "adutior", "auditor" },	/* two transpositions */
		{ "audxxxr", NULL },		/* three changes are too many */
		{ "aud", "auditor" },		/* the only one it begins */
		{ "a", NULL },			/* begins two */
		{ "prnicipal", "principal" },
		{ "evnts", "events" },
		{ "mx", "me" },
		{ "xy", NULL },			/* shares nothing with me */
		{ "zzzzzz", NULL },
		{ "", NULL },
	}, vcases[] = {
		{ "lst", "list" }, { "lsit", "list" }, { "dlete", "delete" },
		{ "ad", "add" }, { "shwo", "show" }, { "retrie", "retire" },
		{ "eidt", "edit" }, { "remove", NULL }, { "ls", "list" },
	};
	static const char *const tie[] = { "cat", "bat" };
	char		 word[200];
	const char	*got;
	size_t		 i;

	for (i = 0; i < sizeof ncases / sizeof *ncases; i++) {
		got = cmd_nearest(ncases[i].word, nouns, 6);
		CU_ASSERT(ncases[i].want ? got != NULL &&
		    strcmp(got, ncases[i].want) == 0 : got == NULL);
		if (ncases[i].want ? got == NULL || strcmp(got,
		    ncases[i].want) != 0 : got != NULL)
			printf("\n  ** '%s': got %s\n", ncases[i].word,
			    got ? got : "(none)");
	}
	for (i = 0; i < sizeof vcases / sizeof *vcases; i++) {
		got = cmd_nearest(vcases[i].word, verbs, 6);
		CU_ASSERT(vcases[i].want ? got != NULL &&
		    strcmp(got, vcases[i].want) == 0 : got == NULL);
	}
	/* Equally near: no guess. Very long words: none either. */
	CU_ASSERT_PTR_NULL(cmd_nearest("hat", tie, 2));
	CU_ASSERT_PTR_NOT_NULL(cmd_nearest("cax", tie, 2));
	memset(word, 'a', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	CU_ASSERT_PTR_NULL(cmd_nearest(word, nouns, 6));
}

/* The messages: nouns (main.c) aside, verbs, options and choices. */
static void
test_did_you_mean(void)
{
	struct cmd_args	 a;
	enum cmd_format	 fmt = CMD_FORMAT_TABLE;
	char		*err;
	int		 help, rc;
	char		*opt[] = { "list", "--stauts", "active", NULL };
	char		*val[] = { "list", "--status", "actve", NULL };
	char		*far[] = { "list", "--colour", "red", NULL };

	cu_capture();
	CU_ASSERT_EQUAL(cmd_unknown_verb(&cmd_auditor_entry, "lst"),
	    CMD_USAGE);
	err = cu_captured();
	CU_ASSERT(strncmp(err, "auditorctl: unknown verb 'auditor lst'; did "
	    "you mean 'auditor list'?\n", 67) == 0);
	free(err);
	cu_capture();
	cmd_unknown_verb(&cmd_auditor_entry, "frobnicate");
	err = cu_captured();
	CU_ASSERT(strstr(err, "unknown verb 'auditor frobnicate'\n") != NULL);
	CU_ASSERT(strstr(err, "did you mean") == NULL);
	free(err);

	cu_capture();
	rc = parse("auditor", opt, 3, &a, &help, &fmt);
	err = cu_captured();
	CU_ASSERT_EQUAL(rc, CMD_USAGE);
	CU_ASSERT(strstr(err, "unknown option '--stauts'; did you mean "
	    "'--status'?") != NULL);
	free(err);
	cu_capture();
	rc = parse("auditor", val, 3, &a, &help, &fmt);
	err = cu_captured();
	CU_ASSERT_EQUAL(rc, CMD_USAGE);
	CU_ASSERT(strstr(err, "'actve' is not one of: ") != NULL);
	CU_ASSERT(strstr(err, "; did you mean 'active'?") != NULL);
	free(err);
	cu_capture();
	rc = parse("auditor", far, 3, &a, &help, &fmt);
	err = cu_captured();
	CU_ASSERT_EQUAL(rc, CMD_USAGE);
	CU_ASSERT(strstr(err, "unknown option '--colour'\n") != NULL);
	free(err);
}

static void
test_output(void)
{
	static const struct output_column cols[] = {
		{ "ID", "id", 0 }, { "NAME", "name", 0 },
		{ "LANGS", "languages", 0 }, { "CERTS", "certs", OUTPUT_COUNT },
		{ "H", "hours", 0 },
	};
	json_t	*doc, *rec;
	char	*s;
	FILE	*f;

	s = output_csv_quote("plain");
	CU_ASSERT_STRING_EQUAL(s, "plain");
	free(s);
	s = output_csv_quote("a,b");
	CU_ASSERT_STRING_EQUAL(s, "\"a,b\"");
	free(s);
	s = output_csv_quote("say \"hi\"");
	CU_ASSERT_STRING_EQUAL(s, "\"say \"\"hi\"\"\"");
	free(s);
	s = output_csv_quote("two\nlines");
	CU_ASSERT_STRING_EQUAL(s, "\"two\nlines\"");
	free(s);
	s = output_csv_quote("cr\r");
	CU_ASSERT_STRING_EQUAL(s, "\"cr\r\"");
	free(s);
	s = output_csv_quote("");
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);

	doc = json_pack("{s:[{s:s,s:s,s:[s,s],s:[s,s],s:f},{s:s,s:n}],s:n}",
	    "items", "id", "a1", "name", "Ann \"A\", Lee\tx", "languages",
	    "en", "de", "certs", "x", "y", "hours", 7.5, "id", "a2", "name",
	    "next");
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);

	f = tmpfile();
	CU_ASSERT_EQUAL(output_csv.list(f, cols, 5, doc), 0);
	s = cu_written(f);
	CU_ASSERT_STRING_EQUAL(s, "id,name,languages,certs,hours\r\n"
	    "a1,\"Ann \"\"A\"\", Lee\tx\",\"en,de\",2,7.5\r\n"
	    "a2,,,,\r\n");
	free(s);

	/* Not a terminal: tab-separated lines, no headings. */
	f = tmpfile();
	CU_ASSERT_EQUAL(output_table.list(f, cols, 5, doc), 0);
	s = cu_written(f);
	CU_ASSERT_STRING_EQUAL(s, "a1\tAnn \"A\", Lee\\tx\ten,de\t2\t7.5\n"
	    "a2\t\t\t\t\n");
	free(s);

	f = tmpfile();
	CU_ASSERT_EQUAL(output_json.list(f, cols, 5, doc), 0);
	s = cu_written(f);
	CU_ASSERT(strncmp(s, "{\n  \"items\": [", 14) == 0);
	free(s);
	json_decref(doc);

	rec = json_pack("{s:{s:s,s:b},s:n,s:i,s:s}", "principal", "id", "p1",
	    "disabled", 0, "auditor", "n", 3, "notes", "a\\b\nc");
	f = tmpfile();
	CU_ASSERT_EQUAL(output_table.show(f, rec), 0);
	s = cu_written(f);
	CU_ASSERT_STRING_EQUAL(s, "principal.id\tp1\nprincipal.disabled\t"
	    "false\nauditor\t\nn\t3\nnotes\ta\\\\b\\nc\n");
	free(s);
	f = tmpfile();
	CU_ASSERT_EQUAL(output_csv.show(f, rec), 0);
	s = cu_written(f);
	CU_ASSERT_STRING_EQUAL(s, "principal.id,principal.disabled,auditor,"
	    "n,notes\r\np1,false,,3,\"a\\b\nc\"\r\n");
	free(s);
	json_decref(rec);

	rec = json_pack("[{s:i}]", "a", 1);
	s = output_text(rec, 0);
	CU_ASSERT_STRING_EQUAL(s, "[{\"a\":1}]");
	free(s);
	json_decref(rec);
}

/* Feed text to a fresh parser in pieces of step bytes. */
static int
feed(const char *text, size_t step, int eof, struct response **out)
{
	struct response_parser	*p = response_parser_new();
	struct evbuffer		*in = evbuffer_new();
	size_t			 off = 0, n, len = strlen(text);
	char			 err[128];
	int			 rc = 0;

	*out = NULL;
	while (rc == 0 && off < len) {
		n = len - off < step ? len - off : step;
		evbuffer_add(in, text + off, n);
		off += n;
		rc = response_parser_feed(p, in, 0, err, sizeof err);
	}
	if (rc == 0 && eof)
		rc = response_parser_feed(p, in, 1, err, sizeof err);
	if (rc == 1)
		*out = response_parser_take(p);
	response_parser_free(p);
	evbuffer_free(in);
	return rc;
}

static void
test_response(void)
{
	static const char	cl[] = "HTTP/1.1 201 Created\r\nContent-Type: "
	    "application/json\r\nETag: \"1\"\r\nLocation: /v1/areas/x\r\n"
	    "Content-Length: 11\r\n\r\n{\"id\":\"x\"}\n";
	static const char	chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-T: 1\r\n\r\n";
	struct response		*r;
	size_t			 step;

	for (step = 1; step <= sizeof cl; step += 7) {
		CU_ASSERT_EQUAL(feed(cl, step, 0, &r), 1);
		if (r == NULL)
			continue;
		CU_ASSERT_EQUAL(r->status, 201);
		CU_ASSERT_STRING_EQUAL(r->reason, "Created");
		CU_ASSERT_STRING_EQUAL(response_header(r, "etag"), "\"1\"");
		CU_ASSERT_STRING_EQUAL(response_header(r, "Location"),
		    "/v1/areas/x");
		CU_ASSERT_EQUAL(r->bodylen, 11);
		CU_ASSERT_STRING_EQUAL(r->body, "{\"id\":\"x\"}\n");
		response_free(r);
	}
	for (step = 1; step <= sizeof chunked; step += 5) {
		CU_ASSERT_EQUAL(feed(chunked, step, 0, &r), 1);
		if (r != NULL)
			CU_ASSERT_STRING_EQUAL(r->body, "{\"a\":1}");
		response_free(r);
	}
	/* Body until the close; interim 100 skipped; 204 has no body. */
	CU_ASSERT_EQUAL(feed("HTTP/1.0 200 OK\r\n\r\nabc", 4, 1, &r), 1);
	CU_ASSERT(r != NULL && strcmp(r->body, "abc") == 0);
	response_free(r);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No "
	    "Content\r\n\r\n", 3, 0, &r), 1);
	CU_ASSERT(r != NULL && r->status == 204 && r->bodylen == 0);
	response_free(r);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 404 Not Found\nContent-Length: 0\n\n",
	    100, 0, &r), 1);
	CU_ASSERT(r != NULL && r->status == 404);
	response_free(r);

	/* Malformed or ambiguous answers. */
	CU_ASSERT_EQUAL(feed("NOT HTTP\r\n\r\n", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 2000 OK\r\n\r\n", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
	    "Content-Length: 3\r\n\r\nabc", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n"
	    "ab", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
	    "Transfer-Encoding: chunked\r\n\r\nab", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", 100, 0,
	    &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n", 100,
	    0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
	    "\r\n\r\nzz\r\n", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
	    "\r\n\r\n2\r\nabX\r\n", 100, 0, &r), -1);
	CU_ASSERT_EQUAL(feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
	    100, 1, &r), -1);
	CU_ASSERT_EQUAL(feed("", 100, 1, &r), -1);
	{
		char	*big = malloc(RESPONSE_MAX_LINE + 64);

		memset(big, 'a', RESPONSE_MAX_LINE + 32);
		big[RESPONSE_MAX_LINE + 32] = '\0';
		CU_ASSERT_EQUAL(feed(big, 4096, 0, &r), -1);
		free(big);
	}
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void
test_settings(void)
{
	struct settings		 opt = { 0 }, env = { 0 }, file = { 0 };
	struct settings		 dev = { 0 }, out = { 0 };
	const struct settings	*levels[] = { &opt, &env, &file, &dev };
	const char		*names[] = { "command line", "environment",
				    "config file", "development defaults" };
	char			 path[128], err[256], want[256];

	/* The config file: top level or [auditorctl], relative paths. */
	snprintf(path, sizeof path, "%s/config", tmpdir);
	write_file(path, "; comment\nserver = https://file:1\n[auditorctl]\n"
	    "ca = ca.crt\ncert = /abs/c.crt\n");
	CU_ASSERT_EQUAL(settings_file(path, &file, err, sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(file.server, "https://file:1");
	snprintf(want, sizeof want, "%s/ca.crt", tmpdir);
	CU_ASSERT_STRING_EQUAL(file.ca, want);
	CU_ASSERT_STRING_EQUAL(file.cert, "/abs/c.crt");
	CU_ASSERT_PTR_NULL(file.key);

	write_file(path, "server = x\n\nbogus = 1\n");
	CU_ASSERT_EQUAL(settings_file(path, &dev, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:3: unknown key 'bogus'", path);
	CU_ASSERT(strncmp(err, want, strlen(want)) == 0);
	CU_ASSERT_PTR_NULL(dev.server);
	write_file(path, "[other]\nserver = x\n");
	CU_ASSERT_EQUAL(settings_file(path, &dev, err, sizeof err), -1);
	CU_ASSERT(strstr(err, ":2: unknown section [other]") != NULL);
	snprintf(path, sizeof path, "%s/missing", tmpdir);
	CU_ASSERT_EQUAL(settings_file(path, &dev, err, sizeof err), 0);
	CU_ASSERT_PTR_NULL(dev.server);

	setenv("AUDITORCTL_SERVER", "https://env:2", 1);
	setenv("AUDITORCTL_CA", "", 1);
	unsetenv("AUDITORCTL_CERT");
	unsetenv("AUDITORCTL_KEY");
	CU_ASSERT_EQUAL(settings_env(&env), 0);
	CU_ASSERT_STRING_EQUAL(env.server, "https://env:2");
	CU_ASSERT_PTR_NULL(env.ca);
	unsetenv("AUDITORCTL_SERVER");
	unsetenv("AUDITORCTL_CA");

	/* Development defaults only when DEVDIR/ca.crt exists. */
	snprintf(path, sizeof path, "%s/nodev", tmpdir);
	CU_ASSERT_EQUAL(settings_dev(path, &dev), 0);
	CU_ASSERT_PTR_NULL(dev.ca);
	CU_ASSERT_EQUAL(settings_dev(tmpdir, &dev), 0);
	CU_ASSERT_PTR_NULL(dev.ca);
	snprintf(path, sizeof path, "%s/ca.crt", tmpdir);
	write_file(path, "x");
	CU_ASSERT_EQUAL(settings_dev(tmpdir, &dev), 0);
	CU_ASSERT_STRING_EQUAL(dev.ca, path);
	snprintf(want, sizeof want, "%s/admin.key", tmpdir);
	CU_ASSERT_STRING_EQUAL(dev.key, want);

	/* option > environment > file > development defaults. */
	CU_ASSERT_EQUAL(settings_merge(&out, levels, names, 4, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(out.server, "https://env:2");
	CU_ASSERT_STRING_EQUAL(out.ca, file.ca);
	/* The pair comes from the file: a cert alone also holds the key. */
	CU_ASSERT_STRING_EQUAL(out.cert, "/abs/c.crt");
	CU_ASSERT_STRING_EQUAL(out.key, "/abs/c.crt");
	opt.server = strdup("https://opt:3");
	opt.key = strdup("/k");
	opt.cert = strdup("/c");
	CU_ASSERT_EQUAL(settings_merge(&out, levels, names, 4, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(out.server, "https://opt:3");
	CU_ASSERT_STRING_EQUAL(out.cert, "/c");
	CU_ASSERT_STRING_EQUAL(out.key, "/k");
	free(opt.cert);
	opt.cert = NULL;
	CU_ASSERT_EQUAL(settings_merge(&out, levels, names, 4, err,
	    sizeof err), -1);
	CU_ASSERT(strstr(err, "command line") != NULL);
	settings_clear(&opt);
	settings_clear(&env);
	settings_clear(&file);
	CU_ASSERT_EQUAL(settings_merge(&out, levels, names, 4, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(out.server, SETTINGS_SERVER);
	CU_ASSERT_STRING_EQUAL(out.ca, dev.ca);
	CU_ASSERT_STRING_EQUAL(out.cert, dev.cert);
	CU_ASSERT_STRING_EQUAL(out.key, dev.key);
	settings_clear(&dev);
	settings_clear(&out);
	unlink(path);

	setenv("AUDITORCTL_CONFIG", "/x/y", 1);
	{
		char	*p = settings_path();
		CU_ASSERT(p != NULL && strcmp(p, "/x/y") == 0);
		free(p);
	}
	unsetenv("AUDITORCTL_CONFIG");
}

/* What `openssl x509 -outform DER | sha256sum` says of a certificate. */
static int
openssl_sha256(const char *crt, char out[65])
{
	char	cmd[512];
	FILE	*p;
	int	ok;

	snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -outform DER | "
	    "sha256sum", crt);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	ok = fscanf(p, "%64s", out) == 1;
	return pclose(p) == 0 && ok && strlen(out) == 64 ? 0 : -1;
}

static void
test_cert_sha256(void)
{
	char		 cmd[512], path[256], mine[65], theirs[65], err[512];
	const char	*dir = pki;
	const char *const names[] = { "admin", "alice", "server" };
	size_t		 i;

	CU_ASSERT_FATAL(pki[0] != '\0');
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s.crt", dir, names[i]);
		CU_ASSERT_EQUAL(cmd_principal_cert_sha256(path, mine, err,
		    sizeof err), 0);
		CU_ASSERT_EQUAL(openssl_sha256(path, theirs), 0);
		CU_ASSERT_STRING_EQUAL(mine, theirs);
	}
	/* DER works too; two certificates, a key or nothing do not. */
	snprintf(cmd, sizeof cmd, "cd '%s' && openssl x509 -in admin.crt "
	    "-outform DER -out admin.der && cat admin.crt alice.crt > two.crt",
	    dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	snprintf(path, sizeof path, "%s/admin.der", dir);
	CU_ASSERT_EQUAL(cmd_principal_cert_sha256(path, theirs, err,
	    sizeof err), 0);
	snprintf(path, sizeof path, "%s/admin.crt", dir);
	CU_ASSERT_EQUAL(cmd_principal_cert_sha256(path, mine, err,
	    sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(mine, theirs);
	snprintf(path, sizeof path, "%s/two.crt", dir);
	CU_ASSERT_EQUAL(cmd_principal_cert_sha256(path, mine, err,
	    sizeof err), -1);
	CU_ASSERT(strstr(err, "more than one") != NULL);
	snprintf(path, sizeof path, "%s/admin.key", dir);
	CU_ASSERT_EQUAL(cmd_principal_cert_sha256(path, mine, err,
	    sizeof err), -1);
	CU_ASSERT(strstr(err, path) != NULL);
	snprintf(path, sizeof path, "%s/none.crt", dir);
	CU_ASSERT_EQUAL(cmd_principal_cert_sha256(path, mine, err,
	    sizeof err), -1);
	CU_ASSERT(strstr(err, path) != NULL);
}

/* The child's server: answers every request with what it received. */
static struct tls_server	*echo_tls;

static struct bufferevent *
echo_bevcb(struct event_base *base, void *arg)
{
	(void)arg;
	return tls_server_bev(echo_tls, base, 5000, NULL, NULL);
}

static void
echo_cb(struct evhttp_request *req, void *arg)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evbuffer		*body = evhttp_request_get_input_buffer(req);
	struct evbuffer		*out = evbuffer_new();
	json_t			*doc;
	char			*text;
	const char		*m, *b;

	(void)arg;
	m = evhttp_request_get_command(req) == EVHTTP_REQ_GET ? "GET" :
	    evhttp_request_get_command(req) == EVHTTP_REQ_PATCH ? "PATCH" :
	    "OTHER";
	b = (const char *)evbuffer_pullup(body, -1);
	doc = json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s#}", "method", m, "uri",
	    evhttp_request_get_uri(req), "if_match",
	    evhttp_find_header(in, "If-Match"), "ctype",
	    evhttp_find_header(in, "Content-Type"), "host",
	    evhttp_find_header(in, "Host"), "body", b ? b : "",
	    (int)evbuffer_get_length(body));
	if ((text = json_dumps(doc, JSON_COMPACT)) == NULL)
		_exit(1);
	evbuffer_add(out, text, strlen(text));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	evhttp_add_header(evhttp_request_get_output_headers(req), "ETag",
	    "\"7\"");
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
	    tls_evhttp_closecb, NULL);
	evhttp_send_reply(req, strstr(evhttp_request_get_uri(req), "/gone") ?
	    404 : 200, NULL, out);
	free(text);
	json_decref(doc);
	evbuffer_free(out);
}

static void
echo_stop(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

/* Fork a TLS evhttp server on 127.0.0.1; its port into port. */
static pid_t
echo_server(char *port, size_t len)
{
	struct sockaddr_in		 sin;
	socklen_t			 sl = sizeof sin;
	struct evhttp_bound_socket	*bs;
	struct event_base		*base;
	struct tls_shared		*sh;
	struct evhttp			*http;
	struct event			*term;
	char				 c[256], k[256], ca[256], err[256];
	int				 fds[2];
	unsigned short			 p = 0;
	pid_t				 pid;

	if (pipe(fds) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid > 0) {
		close(fds[1]);
		if (read(fds[0], &p, sizeof p) != sizeof p)
			p = 0;
		close(fds[0]);
		snprintf(port, len, "%u", p);
		return p != 0 ? pid : -1;
	}
	close(fds[0]);
	snprintf(c, sizeof c, "%s/server.crt", pki);
	snprintf(k, sizeof k, "%s/server.key", pki);
	snprintf(ca, sizeof ca, "%s/ca.crt", pki);
	if ((sh = tls_shared_new(err, sizeof err)) == NULL ||
	    (echo_tls = tls_server_new(sh, c, k, ca, NULL, err,
	    sizeof err)) == NULL ||
	    (base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL)
		_exit(1);
	evhttp_set_bevcb(http, echo_bevcb, NULL);
	evhttp_set_gencb(http, echo_cb, NULL);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_PATCH);
	if ((bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
	    NULL || getsockname(evhttp_bound_socket_get_fd(bs),
	    (struct sockaddr *)&sin, &sl) == -1)
		_exit(1);
	p = ntohs(sin.sin_port);
	if (write(fds[1], &p, sizeof p) != sizeof p)
		_exit(1);
	close(fds[1]);
	/* Stop on SIGTERM and free all, so valgrind sees a clean child. */
	if ((term = evsignal_new(base, SIGTERM, echo_stop, base)) == NULL ||
	    evsignal_add(term, NULL) == -1)
		_exit(1);
	event_base_dispatch(base);
	event_free(term);
	evhttp_free(http);
	event_base_free(base);
	tls_server_free(echo_tls);
	tls_shared_free(sh);
	_exit(0);
}

static void
test_client(void)
{
	struct client	*c;
	struct response	*r;
	json_t		*doc;
	char		 port[8], url[64], host[32], ca[256], crt[256];
	char		 key[256], err[512];
	pid_t		 pid;

	CU_ASSERT_FATAL(pki[0] != '\0');
	snprintf(ca, sizeof ca, "%s/ca.crt", pki);
	snprintf(crt, sizeof crt, "%s/admin.crt", pki);
	snprintf(key, sizeof key, "%s/admin.key", pki);
	pid = echo_server(port, sizeof port);
	CU_ASSERT_FATAL(pid > 0);
	snprintf(url, sizeof url, "https://127.0.0.1:%s/base/", port);

	c = client_new(url, ca, crt, key, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(client_request(c, "GET", "/v1/x?a=1", NULL, NULL, 0,
	    NULL, &r, err, sizeof err), CLIENT_OK);
	if (r == NULL)
		printf("\n  client: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->status, 200);
	CU_ASSERT_STRING_EQUAL(response_header(r, "ETag"), "\"7\"");
	doc = json_loadb(r->body, r->bodylen, 0, NULL);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc, "uri")),
	    "/base/v1/x?a=1");
	snprintf(host, sizeof host, "127.0.0.1:%s", port);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc,
	    "host")), host);
	json_decref(doc);
	response_free(r);

	/* A second request on the same client: a fresh connection. */
	CU_ASSERT_EQUAL(client_request(c, "PATCH", "/v1/y", "application/"
	    "merge-patch+json", "{\"a\":null}", 10, "\"3\"", &r, err,
	    sizeof err), CLIENT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	doc = json_loadb(r->body, r->bodylen, 0, NULL);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc,
	    "method")), "PATCH");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc,
	    "if_match")), "\"3\"");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc,
	    "ctype")), "application/merge-patch+json");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc,
	    "body")), "{\"a\":null}");
	json_decref(doc);
	response_free(r);
	CU_ASSERT_EQUAL(client_request(c, "GET", "/gone", NULL, NULL, 0, NULL,
	    &r, err, sizeof err), CLIENT_OK);
	CU_ASSERT(r != NULL && r->status == 404);
	response_free(r);
	client_free(c);

	/* The server's certificate from a CA we do not trust. */
	snprintf(url, sizeof url, "https://127.0.0.1:%s", port);
	snprintf(ca, sizeof ca, "%s/rogue-ca.crt", pki);
	c = client_new(url, ca, crt, key, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(client_request(c, "GET", "/", NULL, NULL, 0, NULL, &r,
	    err, sizeof err), CLIENT_ECONNECT);
	CU_ASSERT(strncmp(err, "TLS: ", 5) == 0);
	client_free(c);

	/* A CA file that is not there is named. */
	CU_ASSERT_PTR_NULL(client_new(url, "/nonexistent/ca.crt", crt, key,
	    err, sizeof err));
	CU_ASSERT(strstr(err, "/nonexistent/ca.crt") != NULL);

	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);

	/* Nothing listens there any more. */
	snprintf(ca, sizeof ca, "%s/ca.crt", pki);
	c = client_new(url, ca, crt, key, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(client_request(c, "GET", "/", NULL, NULL, 0, NULL, &r,
	    err, sizeof err), CLIENT_ECONNECT);
	CU_ASSERT(strstr(err, "cannot connect to 127.0.0.1:") != NULL);
	CU_ASSERT(strstr(err, "refused") != NULL);
	client_free(c);
}

/* Server text shown on stderr carries no terminal escape sequences. */
static void
test_safe_text(void)
{
	char	buf[64];

	CU_ASSERT_STRING_EQUAL(request_safe("plain text: ok", buf, sizeof buf),
	    "plain text: ok");
	CU_ASSERT_STRING_EQUAL(request_safe("T\x1b]0;x\a!", buf, sizeof buf),
	    "T\\x1b]0;x\\x07!");
	CU_ASSERT_STRING_EQUAL(request_safe("a\nb\x7f", buf, sizeof buf),
	    "a\\x0ab\\x7f");
	/* UTF-8 passes as it is. */
	CU_ASSERT_STRING_EQUAL(request_safe("G\xc3\xb6teborg", buf,
	    sizeof buf), "G\xc3\xb6teborg");
	/* Cut to fit, always terminated. */
	request_safe("0123456789abcdef", buf, 8);
	CU_ASSERT(strlen(buf) > 0 && strlen(buf) < 8);
	CU_ASSERT(strncmp(buf, "0123456789abcdef", strlen(buf)) == 0);
}

int
main(void)
{
	CU_pSuite	s;
	unsigned	failed;
	char		cmd[256];

	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_cli.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(pki, sizeof pki, "%s/pki", tmpdir);
	snprintf(cmd, sizeof cmd, "sh certs/mkcerts.sh '%s' >/dev/null", pki);
	if (access("certs/mkcerts.sh", R_OK) != 0 || system(cmd) != 0) {
		fprintf(stderr, "cannot make certificates: run from the source "
		    "tree (certs/mkcerts.sh) with openssl installed\n");
		pki[0] = '\0';
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("cli", NULL, NULL);
	CU_add_test(s, "server URLs", test_url);
	CU_add_test(s, "command tables sorted and found", test_tables);
	CU_add_test(s, "option parsing from the tables", test_args);
	CU_add_test(s, "options generated from each noun's schema",
	    test_generated);
	CU_add_test(s, "verb help: choices and required options",
	    test_usage_text);
	CU_add_test(s, "schema usage errors exit 2 before a connection",
	    test_schema_errors);
	CU_add_test(s, "records, patches and filters the options make",
	    test_documents);
	CU_add_test(s, "integer, number, boolean and renamed fields",
	    test_kinds);
	CU_add_test(s, "did you mean: the nearest name", test_nearest);
	CU_add_test(s, "did you mean: verbs, options and choices",
	    test_did_you_mean);
	CU_add_test(s, "CSV, plain and JSON output", test_output);
	CU_add_test(s, "HTTP response reader", test_response);
	CU_add_test(s, "settings precedence", test_settings);
	CU_add_test(s, "certificate SHA-256 as openssl", test_cert_sha256);
	CU_add_test(s, "server text made safe for a terminal", test_safe_text);
	CU_add_test(s, "client against a TLS evhttp server", test_client);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	schema_builtin_free();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return failed != 0;
}
