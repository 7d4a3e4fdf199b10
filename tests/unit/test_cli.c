/*
 * test_cli.c: auditorctl's pure parts: server URLs, the command tables and
 * option parsing, output (CSV quoting, plain lines), the HTTP response
 * reader, settings precedence, and certificate SHA-256 against openssl.
 */
#include <fcntl.h>
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
#include "settings.h"
#include "tls.h"

static const struct cmd_entry *const entries[] = {
	&cmd_area_entry,
	&cmd_auditor_entry,
	&cmd_events_entry,
	&cmd_me_entry,
	&cmd_principal_entry,
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
				    "en", "--csv", "--language", "de", NULL };
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

	CU_ASSERT_EQUAL(parse("auditor", add, 8, &a, &help, &fmt), 0);
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

/* The bytes a writer produced, from a temporary (not a terminal) file. */
static char *
written(FILE *f)
{
	long	n;
	char	*s;

	fflush(f);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
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
	s = written(f);
	CU_ASSERT_STRING_EQUAL(s, "id,name,languages,certs,hours\r\n"
	    "a1,\"Ann \"\"A\"\", Lee\tx\",\"en,de\",2,7.5\r\n"
	    "a2,,,,\r\n");
	free(s);

	/* Not a terminal: tab-separated lines, no headings. */
	f = tmpfile();
	CU_ASSERT_EQUAL(output_table.list(f, cols, 5, doc), 0);
	s = written(f);
	CU_ASSERT_STRING_EQUAL(s, "a1\tAnn \"A\", Lee\\tx\ten,de\t2\t7.5\n"
	    "a2\t\t\t\t\n");
	free(s);

	f = tmpfile();
	CU_ASSERT_EQUAL(output_json.list(f, cols, 5, doc), 0);
	s = written(f);
	CU_ASSERT(strncmp(s, "{\n  \"items\": [", 14) == 0);
	free(s);
	json_decref(doc);

	rec = json_pack("{s:{s:s,s:b},s:n,s:i,s:s}", "principal", "id", "p1",
	    "disabled", 0, "auditor", "n", 3, "notes", "a\\b\nc");
	f = tmpfile();
	CU_ASSERT_EQUAL(output_table.show(f, rec), 0);
	s = written(f);
	CU_ASSERT_STRING_EQUAL(s, "principal.id\tp1\nprincipal.disabled\t"
	    "false\nauditor\t\nn\t3\nnotes\ta\\\\b\\nc\n");
	free(s);
	f = tmpfile();
	CU_ASSERT_EQUAL(output_csv.show(f, rec), 0);
	s = written(f);
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
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return failed != 0;
}
