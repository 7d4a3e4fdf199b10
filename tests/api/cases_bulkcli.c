/*
 * cases_bulkcli.c: auditorctl import and export: exit codes and messages,
 * and a CSV round trip: every collection exported as CSV from the suite's
 * daemon and imported into a fresh one (whose small body limit makes the
 * CLI split its requests after a 413) gives the same records, with the
 * formula-looking cells neutralised in the files and exact in the store.
 * Each case makes its own records (bulk-*, rt-*) and gets the principals
 * it uses from cases_principal().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/wait.h>

#include "cases.h"
#include "import.h"

static int
has(const char *text, const char *want)
{
	if (strstr(text, want) != NULL)
		return 1;
	/* At most 4 KiB of it: the auditors' file may be megabytes long. */
	printf("\n  ** no '%s' in (%zu bytes):\n%.4096s\n", want,
	    strlen(text), text);
	return 0;
}
#define EXPECT_HAS(text, want)	CU_ASSERT(has((text), (want)))

/* Write text to the test directory's name; its full path into path. */
static void
put(const char *name, const char *text, char *path)
{
	CU_ASSERT_FATAL(import_put_file(name, text, strlen(text)) == 0);
	harness_file(path, name);
}

void
bulk_cli_exits(void)
{
	struct proc	p;
	char		f[PATH_MAX], c[PATH_MAX];

	CU_ASSERT_FATAL(cases_principal("manager"));
	CU_ASSERT_FATAL(cases_make_auditor("bulk-aud", "Bulk"));
	/* Usage: no such file, CSV without its collection, and so on. */
	CTL(&p, "admin", "import", "/nonexistent/x.ndjson");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	put("cli.csv", "id,title,kind\nbulk-a1,T,sector\n", c);
	CTL(&p, "admin", "import", c);
	EXPECT_EXIT(&p, 2);
	EXPECT_HAS(p.err, "needs --collection");
	harness_proc_free(&p);
	put("cli.ndjson", "{\"collection\":\"areas\",\"record\":{\"id\":"
	    "\"bulk-n1\",\"title\":\"T\",\"kind\":\"sector\"}}\n\n"
	    "{\"collection\":\"trainings\",\"record\":{\"id\":\"bulk-t1\","
	    "\"auditor\":\"bulk-aud\",\"title\":\"T\",\"date\":\"2026-01-01\","
	    "\"hours\":1.255}}\n", f);
	CTL(&p, "admin", "import", f, "--collection", "areas");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CTL(&p, "admin", "import", f, "--format", "xml");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);

	/* A refused line: exit 3, FILE:LINE: collection: /path: message. */
	CTL(&p, "admin", "import", f);
	EXPECT_EXIT(&p, 3);
	EXPECT_HAS(p.err, "cli.ndjson:3: trainings: /hours: has more than two "
	    "decimals\n");
	EXPECT_HAS(p.out, "2 lines: 0 created, 0 replaced, 0 unchanged; 2 not "
	    "kept (1 of 1 batches failed)");
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/bulk-n1"), 404);

	/* A malformed CSV file sends nothing, naming the line. */
	put("bad.csv", "id,title,kind\nbulk-c1,T,sector\nbulk-c2,\"open,x\n",
	    c);
	CTL(&p, "admin", "import", c, "--collection", "areas");
	EXPECT_EXIT(&p, 2);
	EXPECT_HAS(p.err, "begun on line 3 is not closed");
	harness_proc_free(&p);
	put("short.csv", "id,title,kind\nbulk-c1,T,sector\nbulk-c2,T\n", c);
	CTL(&p, "admin", "import", c, "--collection", "areas");
	EXPECT_EXIT(&p, 2);
	EXPECT_HAS(p.err, "short.csv:3: the record has 2 fields, the header 3");
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/bulk-c1"), 404);

	/* A dry run keeps nothing; a real one does; --json counts. */
	put("cli.csv", "kind,id,title\r\nsector,bulk-a1,\"A, one\"\r\n"
	    "sector,bulk-a2,Two\r\n", c);
	CTL(&p, "admin", "import", c, "--collection", "areas", "--dry-run");
	EXPECT_EXIT(&p, 0);
	EXPECT_HAS(p.out, "2 lines: 2 created, 0 replaced, 0 unchanged "
	    "(dry run: nothing was kept)");
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/bulk-a1"), 404);
	CTL(&p, "admin", "--json", "import", c, "--collection", "areas");
	EXPECT_EXIT(&p, 0);
	{
		json_t *doc = json_loads(p.out, 0, NULL);

		CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc,
		    "created")), 2);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc,
		    "not_kept")), 0);
		json_decref(doc);
	}
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/bulk-a1"), 200);

	/* A role that may not import at all: the server's 403, exit 3. */
	CTL(&p, "manager", "import", c, "--collection", "areas");
	EXPECT_EXIT(&p, 3);
	EXPECT_HAS(p.err, "areas: forbidden: role manager may not change "
	    "areas");
	harness_proc_free(&p);
}

/* ---- a second daemon, fresh ------------------------------------------- */

static struct {
	pid_t	pid;
	char	url[64];
} fresh;

static int
fresh_start(void)
{
	char				 conf[PATH_MAX], log[PATH_MAX];
	char				 admin[PATH_MAX], text[2048], port[16];
	const char			*boot[] = { harness.auditord,
					    "bootstrap", "-f", conf, "--admin",
					    "admin", "--cert", admin, NULL };
	struct proc			 p;
	int				 i, st = 0;

	if (harness_free_port(port, sizeof port) != 0)
		return -1;
	snprintf(fresh.url, sizeof fresh.url, "https://127.0.0.1:%s", port);
	/* A body limit of 64 KiB: auditorctl's 1 MiB requests meet 413. */
	snprintf(text, sizeof text, "[server]\nlisten = 127.0.0.1:%s\n"
	    "workers = 2\nmax_body = 64K\n[tls]\ncert = %s/server.crt\n"
	    "key = %s/server.key\nca = %s/ca.crt\n[store]\n"
	    "path = %s/fresh-data\nmap_size = 64M\n", port, harness.dir,
	    harness.dir, harness.dir, harness.dir);
	if (import_put_file("fresh.conf", text, strlen(text)) != 0)
		return -1;
	harness_file(conf, "fresh.conf");
	harness_file(admin, "admin.crt");
	harness_file(log, "fresh.log");
	if (harness_run(boot, NULL, NULL, 0, 30000, &p) != 0) {
		printf("\n  ** bootstrap of the fresh daemon: %s\n", p.err);
		harness_proc_free(&p);
		return -1;
	}
	harness_proc_free(&p);
	fresh.pid = harness_spawn(conf, log);
	for (i = 0; fresh.pid > 0 && i < 100 && st != 200; i++) {
		char livez[128];

		usleep(100 * 1000);
		snprintf(livez, sizeof livez, "%s/livez", fresh.url);
		st = import_status("admin", livez);
	}
	return st == 200 ? 0 : -1;
}

static void
fresh_stop(void)
{
	int	st;

	if (fresh.pid <= 0)
		return;
	kill(fresh.pid, SIGTERM);
	waitpid(fresh.pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fresh.pid = 0;
}

/* auditorctl against the fresh daemon as admin, with args (NULL-ended). */
static int
fresh_ctl(struct proc *p, const char *const *args)
{
	const char	*argv[16];
	char		 ca[PATH_MAX], cert[PATH_MAX], key[PATH_MAX];
	size_t		 n = 0;

	argv[n++] = "--server";
	argv[n++] = fresh.url;
	argv[n++] = "--ca";
	argv[n++] = harness_file(ca, "ca.crt");
	argv[n++] = "--cert";
	argv[n++] = harness_file(cert, "admin.crt");
	argv[n++] = "--key";
	argv[n++] = harness_file(key, "admin.key");
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	return client_ctlv(p, NULL, argv);
}

/* A record without what the server sets afresh on import. */
static json_t *
comparable(json_t *rec)
{
	static const char *const server[] = { "rev", "created", "updated",
	    "verified_by", "verified_on" };
	json_t	*c = json_deep_copy(rec);
	size_t	 i;

	for (i = 0; i < sizeof server / sizeof server[0]; i++)
		json_object_del(c, server[i]);
	return c;
}

/* The export of coll from base as a map id -> comparable record. */
static json_t *
export_map(const char *base, const char *coll)
{
	struct resp	 r;
	json_t		*lines, *map = json_object(), *l, *rec;
	char		 path[256];
	size_t		 i;

	snprintf(path, sizeof path, "%s/v1/export/%s", base, coll);
	client_http(&r, "admin", "GET", path, NULL, NULL);
	EXPECT_STATUS(&r, 200);
	lines = import_lines(r.body, r.len);
	client_resp_free(&r);
	json_array_foreach(lines, i, l) {
		rec = json_object_get(l, "record");
		json_object_set_new(map, client_sv(rec, "id"),
		    comparable(rec));
	}
	json_decref(lines);
	return map;
}

/* In the order the fresh daemon takes them: referenced ones first. */
static const char *const collections_csv[] = { "areas", "auditors",
	"principals", "qualifications", "trainings", "evaluations",
	"declarations", NULL };

/* Records with cells a spreadsheet would run, and more of each kind. */
#define ROUND_TRIP_SEED							\
	"{\"collection\":\"auditors\",\"record\":{\"id\":\"rt-f1\",\"name\":"	\
	"\"+x\",\"email\":\"rt@example.org\",\"status\":\"active\","	\
	"\"notes\":\"=1+1\",\"unit\":\"-5\",\"languages\":[\"en\",\"de\"]}}\n"	\
	"{\"collection\":\"auditors\",\"record\":{\"id\":\"rt-f2\",\"name\":"	\
	"\"@SUM(A1)\",\"email\":\"rt2@example.org\",\"status\":\"active\","	\
	"\"notes\":\"'=already quoted\",\"unit\":\"a, \\\"b\\\"\\nc\"}}\n"	\
	"{\"collection\":\"trainings\",\"record\":{\"id\":\"rt-t1\","	\
	"\"auditor\":\"rt-f1\",\"title\":\"T\",\"date\":\"2026-01-02\","	\
	"\"hours\":7.35,\"areas\":[\"legislation\",\"risk-management\"]}}\n" \
	"{\"collection\":\"evaluations\",\"record\":{\"id\":\"rt-e1\","	\
	"\"auditor\":\"rt-f1\",\"date\":\"2026-01-02\",\"method\":"	\
	"\"interview\",\"result\":\"meets\",\"assessed\":[{\"area\":"	\
	"\"legislation\",\"level\":\"expert\"}],\"notes\":\"\"}}\n"		\
	"{\"collection\":\"declarations\",\"record\":{\"id\":\"rt-d1\","	\
	"\"auditor\":\"rt-f2\",\"party\":\"-Acme\",\"kind\":\"family\","	\
	"\"from\":\"2020-01-01\",\"until\":null}}\n"			\
	"{\"collection\":\"qualifications\",\"record\":{\"id\":\"rt-q1\","	\
	"\"auditor\":\"rt-f2\",\"kind\":\"education\",\"title\":\"=B\","	\
	"\"issued\":\"2020-01-01\",\"expires\":null}}\n"

/* Export every collection as CSV from the suite's daemon. */
static void
export_csvs(void)
{
	struct proc	p;
	char		file[PATH_MAX], name[64];
	size_t		i;

	for (i = 0; collections_csv[i] != NULL; i++) {
		snprintf(name, sizeof name, "%s.csv", collections_csv[i]);
		CTL(&p, "admin", "--csv", "export", collections_csv[i],
		    "--output", harness_file(file, name));
		EXPECT_EXIT(&p, 0);
		harness_proc_free(&p);
	}
}

/*
 * The cells of the auditors' file: neutralised, one quote more. The whole
 * file: other cases' auditors (export_pages' 8 MiB of them) may come first.
 */
static void
check_neutralised(void)
{
	char	 path[PATH_MAX], *text = NULL;
	size_t	 len = 0;
	FILE	*f = fopen(harness_file(path, "auditors.csv"), "r");
	FILE	*m = open_memstream(&text, &len);
	char	 buf[65536];
	size_t	 n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		CU_ASSERT_FATAL(fwrite(buf, 1, n, m) == n);
	CU_ASSERT(!ferror(f));
	fclose(f);
	CU_ASSERT_FATAL(fclose(m) == 0);
	CU_ASSERT(strlen(text) == len);
	EXPECT_HAS(text, "\r\nrt-f1,");
	EXPECT_HAS(text, ",'+x,rt@example.org,'-5,,en;de,active,'=1+1\r\n");
	EXPECT_HAS(text, ",'@SUM(A1),rt2@example.org,\"a, \"\"b\"\"\nc\",,,"
	    "active,''=already quoted\r\n");
	free(text);
}

/* Import every CSV file into the fresh daemon; want: a summary part. */
static void
import_csvs(const char *want)
{
	struct proc	 p;
	char		 file[PATH_MAX], name[64];
	const char	*args[8];
	size_t		 i;

	for (i = 0; collections_csv[i] != NULL; i++) {
		snprintf(name, sizeof name, "%s.csv", collections_csv[i]);
		args[0] = "import";
		args[1] = harness_file(file, name);
		args[2] = "--collection";
		args[3] = collections_csv[i];
		args[4] = NULL;
		fresh_ctl(&p, args);
		EXPECT_EXIT(&p, 0);
		if (want != NULL)
			EXPECT_HAS(p.out, want);
		harness_proc_free(&p);
	}
}

void
bulk_csv_round_trip(void)
{
	struct resp	 r;
	json_t		*a, *b;
	size_t		 i;
	char		 path[256];

	import_post(&r, "admin", "", ROUND_TRIP_SEED);
	CU_ASSERT_EQUAL(client_int(&r, "created"), 6);
	client_resp_free(&r);
	export_csvs();
	check_neutralised();
	CU_ASSERT_FATAL(fresh_start() == 0);
	import_csvs(NULL);
	/* Every record of every collection: the same ids and fields. */
	for (i = 0; collections_csv[i] != NULL; i++) {
		a = export_map(harness.url, collections_csv[i]);
		b = export_map(fresh.url, collections_csv[i]);
		if (!json_equal(a, b))
			printf("\n  ** %s differ after the round trip\n",
			    collections_csv[i]);
		CU_ASSERT(json_object_size(a) > 0);
		CU_ASSERT(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
	/* Exact in the store, with a fresh rev. */
	snprintf(path, sizeof path, "%s/v1/auditors/rt-f1", fresh.url);
	client_http(&r, "admin", "GET", path, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(client_str(&r, "notes"), "=1+1");
	CU_ASSERT_STRING_EQUAL(client_str(&r, "name"), "+x");
	CU_ASSERT_STRING_EQUAL(client_str(&r, "unit"), "-5");
	CU_ASSERT_EQUAL(client_int(&r, "rev"), 1);
	client_resp_free(&r);
	snprintf(path, sizeof path, "%s/v1/auditors/rt-f2", fresh.url);
	client_http(&r, "admin", "GET", path, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(client_str(&r, "notes"), "'=already quoted");
	CU_ASSERT_STRING_EQUAL(client_str(&r, "name"), "@SUM(A1)");
	client_resp_free(&r);
	/* Importing the same files again changes nothing. */
	import_csvs(" 0 created, 0 replaced, ");
	fresh_stop();
}
