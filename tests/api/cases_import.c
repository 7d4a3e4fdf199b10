/*
 * cases_import.c: POST /v1/import over curl: batches kept whole or not at
 * all, the errors' line numbers, per-line grants for roles hr and auditor,
 * dry runs, the body's type and shape; and the helpers the bulk cases
 * share (import.h). Each case makes its own records (ids starting "imp-":
 * imp-aN and imp-lN are import_batches', imp-rep-1 import_replace's,
 * imp-fb-* import_forbidden's), and gets the principals "hr" (role hr) and
 * "alice" (role auditor, auditor alice) from cases_principal().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "import.h"

#define NDJSON	"Content-Type: application/x-ndjson"

int
import_put_file(const char *name, const char *text, size_t len)
{
	char	 path[PATH_MAX];
	FILE	*f;
	int	 rc;

	if ((f = fopen(harness_file(path, name), "wb")) == NULL)
		return -1;
	rc = fwrite(text, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int
import_post(struct resp *r, const char *who, const char *query,
    const char *body)
{
	char	path[128];

	snprintf(path, sizeof path, "/v1/import%s", query);
	return client_http(r, who, "POST", path, body, NDJSON, NULL);
}

int
import_status(const char *who, const char *path)
{
	struct resp	r;
	int		st = client_http(&r, who, "GET", path, NULL, NULL);

	client_resp_free(&r);
	return st;
}

json_t *
import_lines(const char *body, size_t len)
{
	json_t		*a = json_array(), *v;
	const char	*p = body, *end = body + len, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			continue;
		if ((v = json_loadb(p, (size_t)(nl - p), 0, NULL)) == NULL) {
			printf("\n  ** export line is not JSON: %.*s\n",
			    (int)(nl - p), p);
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, v);
	}
	return a;
}

/* The import answer's counts as "lines/batches/created/replaced/
 * unchanged/failed" for one comparison. */
static int
counts_are(const struct resp *r, const char *want)
{
	char	got[128];

	snprintf(got, sizeof got, "%lld/%lld/%lld/%lld/%lld/%lld",
	    client_int(r, "lines"), client_int(r, "batches"),
	    client_int(r, "created"), client_int(r, "replaced"),
	    client_int(r, "unchanged"), client_int(r, "failed_batches"));
	if (strcmp(got, want) == 0)
		return 1;
	printf("\n  ** import counts %s, expected %s\n", got, want);
	client_dump(r, "import counts");
	return 0;
}

/* 1 if the answer's errors are exactly one, with these members. */
static int
one_error(const struct resp *r, long long line, const char *coll,
    const char *path, const char *message)
{
	json_t	*errs = json_object_get(r->json, "errors");
	json_t	*e = json_array_get(errs, 0), *c;

	c = json_object_get(e, "collection");
	if (json_array_size(errs) == 1 &&
	    json_integer_value(json_object_get(e, "line")) == line &&
	    (coll == NULL ? json_is_null(c) : strcmp(client_s(c), coll) == 0) &&
	    strcmp(client_sv(e, "path"), path) == 0 &&
	    strstr(client_sv(e, "message"), message) != NULL)
		return 1;
	client_dump(r, "expected one error");
	printf("  wanted line %lld, %s, '%s', '%s'\n", line,
	    coll ? coll : "null", path, message);
	return 0;
}

/* Append one line of collection coll with the record's JSON text. */
static void
add(char **buf, size_t *len, size_t *cap, const char *coll,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add(char **buf, size_t *len, size_t *cap, const char *coll,
    const char *fmt, ...)
{
	char	rec[1024];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	vsnprintf(rec, sizeof rec, fmt, ap);
	va_end(ap);
	if (*len + sizeof rec + 64 > *cap) {
		*cap = (*cap + sizeof rec + 64) * 2;
		*buf = realloc(*buf, *cap);
		CU_ASSERT_PTR_NOT_NULL_FATAL(*buf);
	}
	n = snprintf(*buf + *len, *cap - *len,
	    "{\"collection\":\"%s\",\"record\":%s}\n", coll, rec);
	*len += (size_t)n;
}

/*
 * Line n (1-based) of the mixed file: 10 auditors first, then trainings,
 * qualifications, evaluations and declarations in turn, each naming one
 * of them; bad (when not 0) is the one line with three decimals of hours.
 */
static void
mixed_line(char **buf, size_t *len, size_t *cap, size_t n, size_t bad)
{
	size_t	a = n % 10;

	if (n <= 10) {
		add(buf, len, cap, "auditors", "{\"id\":\"imp-a%zu\",\"name\":"
		    "\"Import %zu\",\"email\":\"imp%zu@example.org\","
		    "\"unit\":\"Bulk\",\"status\":\"active\"}", a, a, a);
		return;
	}
	switch (n % 4) {
	case 0:
		add(buf, len, cap, "trainings", "{\"id\":\"imp-l%zu\",\"auditor\":"
		    "\"imp-a%zu\",\"title\":\"Course\",\"date\":\"2026-03-01\","
		    "\"hours\":%s,\"areas\":[\"legislation\"]}", n, a,
		    n == bad ? "7.555" : "7.5");
		break;
	case 1:
		add(buf, len, cap, "qualifications", "{\"id\":\"imp-l%zu\","
		    "\"auditor\":\"imp-a%zu\",\"kind\":\"education\","
		    "\"title\":\"Degree\",\"issued\":\"2020-01-01\"}", n, a);
		break;
	case 2:
		add(buf, len, cap, "evaluations", "{\"id\":\"imp-l%zu\","
		    "\"auditor\":\"imp-a%zu\",\"date\":\"2026-02-01\","
		    "\"method\":\"interview\",\"result\":\"meets\",\"assessed\":"
		    "[{\"area\":\"legislation\",\"level\":\"competent\"}]}", n,
		    a);
		break;
	default:
		add(buf, len, cap, "declarations", "{\"id\":\"imp-l%zu\","
		    "\"auditor\":\"imp-a%zu\",\"party\":\"Supplier %zu\","
		    "\"kind\":\"financial\",\"from\":\"2025-01-01\"}", n, a, n);
		break;
	}
}

/* The path of the record line n of the mixed file made. */
static const char *
mixed_path(size_t n, char *buf, size_t len)
{
	static const char *const colls[] = { "trainings", "qualifications",
	    "evaluations", "declarations" };

	if (n <= 10)
		snprintf(buf, len, "/v1/auditors/imp-a%zu", n % 10);
	else
		snprintf(buf, len, "/v1/%s/imp-l%zu", colls[n % 4], n);
	return buf;
}

void
import_batches(void)
{
	struct resp	 r;
	char		*buf = NULL, path[128];
	size_t		 len = 0, cap = 0, n;

	/* 1,500 lines: the second batch (1,001 to 1,500) has one bad line. */
	for (n = 1; n <= 1500; n++)
		mixed_line(&buf, &len, &cap, n, 1236);
	CU_ASSERT_FATAL(import_put_file("mixed.ndjson", buf, len) == 0);
	free(buf);
	client_http_file(&r, "admin", "POST", "/v1/import", "mixed.ndjson",
	    NDJSON);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(counts_are(&r, "1500/2/1000/0/0/1"));
	CU_ASSERT(json_is_false(json_object_get(r.json, "dry_run")));
	CU_ASSERT(one_error(&r, 1236, "trainings", "/hours",
	    "has more than two decimals"));
	client_resp_free(&r);
	/* The first batch is kept whole, nothing of the second. */
	for (n = 1; n <= 1000; n += 333)
		CU_ASSERT_EQUAL(import_status("admin", mixed_path(n, path,
		    sizeof path)), 200);
	CU_ASSERT_EQUAL(import_status("admin", mixed_path(1000, path,
	    sizeof path)), 200);
	CU_ASSERT_EQUAL(import_status("admin", mixed_path(1001, path,
	    sizeof path)), 404);
	CU_ASSERT_EQUAL(import_status("admin", mixed_path(1235, path,
	    sizeof path)), 404);
	CU_ASSERT_EQUAL(import_status("admin", mixed_path(1500, path,
	    sizeof path)), 404);

	/* The same file again: batch one is unchanged, two still fails. */
	client_http_file(&r, "admin", "POST", "/v1/import", "mixed.ndjson",
	    NDJSON);
	CU_ASSERT(counts_are(&r, "1500/2/0/0/1000/1"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(cases_rev("/v1/trainings/imp-l12"), 1);
}

void
import_replace(void)
{
	struct resp	r;

	/* This case's own auditor, made by an import line first. */
	import_post(&r, "admin", "", "{\"collection\":\"auditors\",\"record\":"
	    "{\"id\":\"imp-rep-1\",\"name\":\"Import\",\"email\":"
	    "\"imp1@example.org\",\"unit\":\"Bulk\",\"status\":\"active\"}}\n");
	CU_ASSERT(counts_are(&r, "1/1/1/0/0/0"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL_FATAL(cases_rev("/v1/auditors/imp-rep-1"), 1);
	/* A changed record replaces the stored one (rev + 1, PUT-like). */
	import_post(&r, "admin", "", "{\"collection\":\"auditors\",\"record\":"
	    "{\"id\":\"imp-rep-1\",\"name\":\"Renamed\",\"email\":"
	    "\"imp1@example.org\",\"status\":\"active\"}}\n");
	CU_ASSERT(counts_are(&r, "1/1/0/1/0/0"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(cases_rev("/v1/auditors/imp-rep-1"), 2);
	client_http(&r, "admin", "GET", "/v1/auditors/imp-rep-1", NULL, NULL);
	CU_ASSERT_STRING_EQUAL(client_str(&r, "name"), "Renamed");
	/* A field the line leaves out is gone, as with PUT. */
	CU_ASSERT_PTR_NULL(json_object_get(r.json, "unit"));
	client_resp_free(&r);
	/* A required field left out: the line is refused, nothing changes. */
	import_post(&r, "admin", "", "{\"collection\":\"auditors\",\"record\":"
	    "{\"id\":\"imp-rep-1\",\"name\":\"X\",\"email\":"
	    "\"x@example.org\"}}");
	CU_ASSERT(counts_are(&r, "1/1/0/0/0/1"));
	CU_ASSERT(one_error(&r, 1, "auditors", "/status", "required"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(cases_rev("/v1/auditors/imp-rep-1"), 2);
	/* No id: the server makes one. */
	import_post(&r, "admin", "", "\n\r\n{\"collection\":\"areas\","
	    "\"record\":{\"title\":\"Made up\",\"kind\":\"sector\"}}\n\n");
	CU_ASSERT(counts_are(&r, "1/1/1/0/0/0"));
	client_resp_free(&r);
}

void
import_forbidden(void)
{
	struct resp	r;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	/* Another auditor, and a training of theirs, made here. */
	CU_ASSERT_FATAL(cases_make_auditor("imp-fb-a", "Bulk"));
	client_http(&r, "admin", "POST", "/v1/trainings", "{\"id\":"
	    "\"imp-fb-t\",\"auditor\":\"imp-fb-a\",\"title\":\"Theirs\","
	    "\"date\":\"2026-01-05\",\"hours\":3}", NULL);
	EXPECT_STATUS(&r, 201);
	client_resp_free(&r);

	/* hr may change areas but not principals: the batch keeps nothing. */
	import_post(&r, "hr", "", "{\"collection\":\"areas\",\"record\":"
	    "{\"id\":\"imp-area\",\"title\":\"Area\",\"kind\":\"sector\"}}\n"
	    "{\"collection\":\"principals\",\"record\":{\"id\":\"imp-p\","
	    "\"name\":\"P\",\"role\":\"admin\"}}\n");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(counts_are(&r, "2/1/0/0/0/1"));
	CU_ASSERT(one_error(&r, 2, "principals", "",
	    "forbidden: role hr may not change principals"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/imp-area"), 404);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/principals/imp-p"), 404);

	/* An auditor: another auditor's training is refused... */
	import_post(&r, "alice", "", "{\"collection\":\"trainings\",\"record\":"
	    "{\"id\":\"imp-own1\",\"auditor\":\"alice\",\"title\":\"Mine\","
	    "\"date\":\"2026-01-05\",\"hours\":3}}\n"
	    "{\"collection\":\"trainings\",\"record\":{\"id\":\"imp-other\","
	    "\"auditor\":\"imp-fb-a\",\"title\":\"Not mine\","
	    "\"date\":\"2026-01-05\",\"hours\":3}}\n");
	CU_ASSERT(counts_are(&r, "2/1/0/0/0/1"));
	CU_ASSERT(one_error(&r, 2, "trainings", "/auditor",
	    "must be your own auditor id"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/trainings/imp-own1"), 404);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/trainings/imp-other"),
	    404);
	/* ...so is taking over the id of another auditor's training... */
	import_post(&r, "alice", "", "{\"collection\":\"trainings\",\"record\":"
	    "{\"id\":\"imp-fb-t\",\"auditor\":\"alice\",\"title\":"
	    "\"Mine now\",\"date\":\"2026-01-05\",\"hours\":3}}");
	CU_ASSERT(one_error(&r, 1, "trainings", "/id", "a record with this id "
	    "exists"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(cases_rev("/v1/trainings/imp-fb-t"), 1);
	/* ...and a collection the role may not change at all. */
	import_post(&r, "alice", "", "{\"collection\":\"auditors\",\"record\":"
	    "{\"id\":\"alice\",\"name\":\"A\",\"email\":\"a@example.org\"}}");
	CU_ASSERT(one_error(&r, 1, "auditors", "", "forbidden: role auditor "
	    "may not change auditors"));
	client_resp_free(&r);
	/* Their own training alone is kept, unverified. */
	import_post(&r, "alice", "", "{\"collection\":\"trainings\",\"record\":"
	    "{\"id\":\"imp-own1\",\"auditor\":\"alice\",\"title\":\"Mine\","
	    "\"date\":\"2026-01-05\",\"hours\":3}}");
	CU_ASSERT(counts_are(&r, "1/1/1/0/0/0"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(import_status("alice", "/v1/trainings/imp-own1"), 200);
}

void
import_dry_run(void)
{
	struct resp	r;
	const char	*body = "{\"collection\":\"areas\",\"record\":"
			    "{\"id\":\"imp-dry1\",\"title\":\"Dry\","
			    "\"kind\":\"sector\"}}\n{\"collection\":\"areas\","
			    "\"record\":{\"id\":\"imp-dry2\",\"title\":\"Dry\","
			    "\"kind\":\"sector\"}}\n";

	import_post(&r, "admin", "?dry_run=true", body);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_true(json_object_get(r.json, "dry_run")));
	/* The answer a real run would give... */
	CU_ASSERT(counts_are(&r, "2/1/2/0/0/0"));
	client_resp_free(&r);
	/* ...and nothing written, not even an event. */
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/imp-dry1"), 404);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/imp-dry2"), 404);
	import_post(&r, "admin", "?dry_run=false", body);
	CU_ASSERT(counts_are(&r, "2/1/2/0/0/0"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/imp-dry1"), 200);
	import_post(&r, "admin", "?dry_run=yes", body);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
}

void
import_bad_bodies(void)
{
	struct resp	r;
	const char	*line = "{\"collection\":\"areas\",\"record\":"
			    "{\"id\":\"imp-ct\",\"title\":\"T\","
			    "\"kind\":\"sector\"}}\n";

	/* Not NDJSON: 415 before anything runs. */
	client_http(&r, "admin", "POST", "/v1/import", line, NULL);
	EXPECT_PROBLEM(&r, 415, "unsupported-media-type");
	CU_ASSERT_PTR_NOT_NULL(strstr(client_str(&r, "detail"),
	    "application/x-ndjson"));
	client_resp_free(&r);
	CU_ASSERT_EQUAL(import_status("admin", "/v1/areas/imp-ct"), 404);
	/* An empty body, and one of blank lines only. */
	import_post(&r, "admin", "", "");
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	import_post(&r, "admin", "", "\n\n");
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	/* Lines that are not JSON, not the right shape, of no collection. */
	import_post(&r, "admin", "", "{\"collection\":\"areas\"\n");
	CU_ASSERT(counts_are(&r, "1/1/0/0/0/1"));
	CU_ASSERT(one_error(&r, 1, NULL, "", "line is not JSON"));
	client_resp_free(&r);
	import_post(&r, "admin", "", "[1,2]");
	CU_ASSERT(one_error(&r, 1, NULL, "", "not an object with exactly "
	    "collection and record"));
	client_resp_free(&r);
	import_post(&r, "admin", "", "{\"collection\":\"events\",\"record\":{}}");
	CU_ASSERT(one_error(&r, 1, "events", "", "unknown collection"));
	client_resp_free(&r);
	import_post(&r, "admin", "", "{\"collection\":\"areas\",\"record\":"
	    "{\"id\":\"a b\"}}");
	CU_ASSERT(one_error(&r, 1, "areas", "/id", "must be a record id"));
	client_resp_free(&r);
	/* A line over 65,536 bytes is refused unread. */
	{
		char	*big = malloc(70001);

		CU_ASSERT_PTR_NOT_NULL_FATAL(big);
		memset(big, ' ', 70000);
		big[70000] = '\0';
		memcpy(big, line, strlen(line) - 1);
		import_post(&r, "admin", "", big);
		CU_ASSERT(one_error(&r, 1, NULL, "", "line is longer than "
		    "65536 bytes"));
		client_resp_free(&r);
		free(big);
	}
	/* An unknown query parameter. */
	import_post(&r, "admin", "?dryrun=true", line);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	/* GET is not a verb of this path. */
	client_http(&r, "admin", "GET", "/v1/import", NULL, NULL);
	EXPECT_PROBLEM(&r, 405, "method-not-allowed");
	client_resp_free(&r);
}

void
import_too_many_lines(void)
{
	struct resp	 r;
	char		*body;
	size_t		 n = 100001;

	/* 100,001 blank lines: refused whole before any line runs. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(body = malloc(n + 1));
	memset(body, '\n', n);
	body[n] = '\0';
	import_post(&r, "admin", "", body);
	EXPECT_PROBLEM(&r, 413, "too-many-lines");
	client_resp_free(&r);
	free(body);
}
