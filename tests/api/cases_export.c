/*
 * cases_export.c: GET /v1/export/<collection> for every collection by
 * admin and by an auditor (their own records only), and pages of 8 MiB
 * followed by curl and by auditorctl. Each case makes its own records
 * (exp-c, exp-other and exp-t-*, exp-big-*) and gets the principals it
 * uses from cases_principal(); other cases' records are in the exports
 * too, so an export, followed page by page, is compared with what the
 * server lists.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "cases.h"
#include "import.h"

#define NDJSON	"Content-Type: application/x-ndjson"

static const char *const collections[] = { "areas", "auditors",
	"principals", "qualifications", "trainings", "evaluations",
	"declarations", "programmes", "audits", "assignments", NULL };

/* Every item of a list, following its pages (base: "https://...") . */
static json_t *
list_all(const char *base, const char *coll)
{
	struct resp	 r;
	json_t		*all = json_array(), *next;
	char		 path[512], after[80] = "";
	int		 more;

	for (;;) {
		snprintf(path, sizeof path, "%s/v1/%s?limit=1000%s%s", base,
		    coll, after[0] ? "&after=" : "", after);
		client_http(&r, "admin", "GET", path, NULL, NULL);
		if (!client_status(&r, 200)) {
			client_resp_free(&r);
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, json_object_get(r.json, "items"));
		next = json_object_get(r.json, "next");
		more = json_is_string(next);
		snprintf(after, sizeof after, "%s", client_s(next));
		client_resp_free(&r);
		if (!more)
			return all;
	}
}

/* The records of one export answer (checking each line's shape). */
static json_t *
export_records(const struct resp *r, const char *coll)
{
	json_t		*lines = import_lines(r->body, r->len), *out, *l;
	const char	*prev = "", *id;
	size_t		 i;

	if (lines == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(lines, i, l) {
		id = client_sv(json_object_get(l, "record"), "id");
		CU_ASSERT_STRING_EQUAL(client_sv(l, "collection"), coll);
		CU_ASSERT_EQUAL(json_object_size(l), 2);
		/* In id order, each once. */
		CU_ASSERT(strcmp(id, prev) > 0);
		prev = id;
		json_array_append(out, json_object_get(l, "record"));
	}
	json_decref(lines);
	return out;
}

/*
 * The next page's path from an answer's Link header (for collection coll),
 * or "" when there is none.
 */
static void
link_next(const struct resp *r, const char *coll, char *out, size_t len)
{
	char	link[256], want[128], *e;

	out[0] = '\0';
	if (!client_header(r, "Link", link, sizeof link))
		return;
	snprintf(want, sizeof want, "</v1/export/%s?after=", coll);
	CU_ASSERT(strncmp(link, want, strlen(want)) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(link, ">; rel=\"next\""));
	if ((e = strchr(link, '>')) != NULL) {
		*e = '\0';
		snprintf(out, len, "%s", link + 1);
	}
}

/*
 * GET /v1/export/coll on base as who, following its pages: the records, or
 * NULL. Other cases' records may make more than one page; a page that
 * names a next one must hold its 8 MiB.
 */
static json_t *
export_get(const char *base, const char *who, const char *coll)
{
	struct resp	 r;
	char		 path[512], next[256], ct[128];
	json_t		*all = json_array(), *recs;
	size_t		 i;
	int		 pages;

	snprintf(next, sizeof next, "/v1/export/%s", coll);
	for (pages = 0; next[0] != '\0' && pages < 100; pages++) {
		snprintf(path, sizeof path, "%s%s", base, next);
		client_http(&r, who, "GET", path, NULL, NULL);
		recs = NULL;
		if (client_status(&r, 200)) {
			client_header(&r, "Content-Type", ct, sizeof ct);
			CU_ASSERT_STRING_EQUAL(ct, "application/x-ndjson");
			link_next(&r, coll, next, sizeof next);
			if (next[0] != '\0')
				CU_ASSERT(r.len >= (8u << 20));
			recs = export_records(&r, coll);
		}
		client_resp_free(&r);
		if (recs == NULL) {
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, recs);
		json_decref(recs);
	}
	CU_ASSERT(next[0] == '\0');
	/* In id order across the pages too, each once. */
	for (i = 0; i + 1 < json_array_size(all); i++)
		CU_ASSERT(strcmp(client_sv(json_array_get(all, i), "id"),
		    client_sv(json_array_get(all, i + 1), "id")) < 0);
	return all;
}

#define EXPORT_SEED							\
	"{\"collection\":\"auditors\",\"record\":{\"id\":\"exp-c\","	\
	"\"name\":\"C\",\"email\":\"c@example.org\",\"status\":\"active\"}}\n" \
	"{\"collection\":\"areas\",\"record\":{\"id\":\"exp-c\","	\
	"\"title\":\"C\",\"kind\":\"sector\"}}\n"			\
	"{\"collection\":\"principals\",\"record\":{\"id\":\"exp-c\","	\
	"\"name\":\"C\",\"role\":\"viewer\"}}\n"			\
	"{\"collection\":\"qualifications\",\"record\":{\"id\":\"exp-c\"," \
	"\"auditor\":\"exp-c\",\"kind\":\"other\",\"title\":\"C\","	\
	"\"issued\":\"2024-01-01\"}}\n"					\
	"{\"collection\":\"trainings\",\"record\":{\"id\":\"exp-c\","	\
	"\"auditor\":\"exp-c\",\"title\":\"C\",\"date\":\"2024-01-01\","	\
	"\"hours\":2.25}}\n"						\
	"{\"collection\":\"evaluations\",\"record\":{\"id\":\"exp-c\","	\
	"\"auditor\":\"exp-c\",\"date\":\"2024-01-01\",\"method\":"	\
	"\"feedback\",\"result\":\"meets\"}}\n"				\
	"{\"collection\":\"declarations\",\"record\":{\"id\":\"exp-c\","	\
	"\"auditor\":\"exp-c\",\"party\":\"C\",\"kind\":\"other\","	\
	"\"from\":\"2024-01-01\",\"until\":null}}\n"			\
	"{\"collection\":\"programmes\",\"record\":{\"id\":\"exp-c\","	\
	"\"title\":\"C\",\"period\":{\"from\":\"2024-01-01\",\"to\":"	\
	"\"2024-12-31\"}}}\n"						\
	"{\"collection\":\"audits\",\"record\":{\"id\":\"exp-c\","	\
	"\"programme\":\"exp-c\",\"auditee\":\"C\",\"type\":"	\
	"\"internal\",\"start\":\"2024-02-01\",\"end\":\"2024-02-01\"}}\n" \
	"{\"collection\":\"assignments\",\"record\":{\"id\":\"exp-c\","	\
	"\"audit\":\"exp-c\",\"auditor\":\"exp-c\",\"role\":"	\
	"\"observer\"}}\n"

void
export_collections(void)
{
	struct resp	 r;
	json_t		*recs, *list, *rec;
	size_t		 i, j;

	CU_ASSERT_FATAL(cases_principal("manager"));
	/* One record in each collection at least, made here. */
	import_post(&r, "admin", "", EXPORT_SEED);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(client_int(&r, "failed_batches"), 0);
	client_resp_free(&r);
	for (i = 0; collections[i] != NULL; i++) {
		recs = export_get(harness.url, "admin", collections[i]);
		list = list_all(harness.url, collections[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(recs);
		CU_ASSERT_PTR_NOT_NULL_FATAL(list);
		/* Every record, exactly as a list shows it. */
		CU_ASSERT(json_array_size(recs) > 0);
		CU_ASSERT_EQUAL(json_array_size(recs), json_array_size(list));
		json_array_foreach(list, j, rec)
			CU_ASSERT(json_equal(rec, client_find(recs,
			    client_sv(rec, "id"))));
		json_decref(recs);
		json_decref(list);
	}
	/* The collection's read grants; a parameter it does not take. */
	client_http(&r, "manager", "GET", "/v1/export/principals", NULL, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/export/areas?limit=2", NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/export/events", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

void
export_own(void)
{
	struct resp	 r;
	json_t		*recs, *list, *rec;
	size_t		 i;

	CU_ASSERT_FATAL(cases_principal("alice"));
	/* One of alice's and one of another auditor's, made here. */
	CU_ASSERT_FATAL(cases_make_auditor("exp-other", "Export"));
	import_post(&r, "admin", "", "{\"collection\":\"trainings\",\"record\":"
	    "{\"id\":\"exp-t-alice\",\"auditor\":\"alice\",\"title\":\"A\","
	    "\"date\":\"2026-01-02\",\"hours\":1}}\n{\"collection\":"
	    "\"trainings\",\"record\":{\"id\":\"exp-t-other\",\"auditor\":"
	    "\"exp-other\",\"title\":\"B\",\"date\":\"2026-01-02\","
	    "\"hours\":1}}\n");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(client_int(&r, "created"), 2);
	client_resp_free(&r);

	recs = export_get(harness.url, "alice", "trainings");
	CU_ASSERT_PTR_NOT_NULL_FATAL(recs);
	CU_ASSERT_PTR_NOT_NULL(client_find(recs, "exp-t-alice"));
	CU_ASSERT_PTR_NULL(client_find(recs, "exp-t-other"));
	json_array_foreach(recs, i, rec)
		CU_ASSERT_STRING_EQUAL(client_sv(rec, "auditor"), "alice");
	/* As many as alice's own list holds. */
	client_http(&r, "alice", "GET", "/v1/trainings?limit=1000", NULL, NULL);
	list = json_object_get(r.json, "items");
	CU_ASSERT_EQUAL(json_array_size(recs), json_array_size(list));
	client_resp_free(&r);
	json_decref(recs);
	/* Auditors: only their own profile. */
	recs = export_get(harness.url, "alice", "auditors");
	CU_ASSERT_PTR_NOT_NULL_FATAL(recs);
	CU_ASSERT_EQUAL(json_array_size(recs), 1);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(recs, 0), "id"),
	    "alice");
	json_decref(recs);
	client_http(&r, "alice", "GET", "/v1/export/principals", NULL, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
}

/* The 2,100 auditors of export_pages, notes of 3,900 bytes each. */
static void
make_big_auditors(void)
{
	char	*buf, notes[3901];
	size_t	 cap = 2100 * 4200, len = 0, i;

	memset(notes, 'n', 3900);
	notes[3900] = '\0';
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf = malloc(cap));
	for (i = 0; i < 2100; i++)
		len += (size_t)snprintf(buf + len, cap - len, "{\"collection\":"
		    "\"auditors\",\"record\":{\"id\":\"exp-big-%04zu\",\"name\":"
		    "\"Big\",\"email\":\"big@example.org\",\"status\":"
		    "\"active\",\"notes\":\"%s\"}}\n", i, notes);
	CU_ASSERT_FATAL(import_put_file("big.ndjson", buf, len) == 0);
	free(buf);
}

void
export_pages(void)
{
	struct proc	 p;
	struct resp	 r;
	json_t		*recs, *all = json_array(), *list;
	char		 path[256], file[PATH_MAX];
	int		 pages = 0;

	/* About 8.5 MiB of auditors, sent by auditorctl in 1 MiB requests. */
	make_big_auditors();
	CTL(&p, "admin", "import", harness_file(file, "big.ndjson"));
	EXPECT_EXIT(&p, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "2100 lines: 2100 created"));
	harness_proc_free(&p);

	/* curl follows the Link headers: two pages, nothing lost. */
	snprintf(path, sizeof path, "/v1/export/auditors");
	while (path[0] != '\0' && pages < 10) {
		client_http(&r, "admin", "GET", path, NULL, NULL);
		EXPECT_STATUS(&r, 200);
		recs = export_records(&r, "auditors");
		CU_ASSERT_PTR_NOT_NULL_FATAL(recs);
		json_array_extend(all, recs);
		json_decref(recs);
		/* A page stops once it holds 8 MiB. */
		if (pages == 0)
			CU_ASSERT(r.len >= (8u << 20) && r.len < (9u << 20));
		link_next(&r, "auditors", path, sizeof path);
		client_resp_free(&r);
		pages++;
	}
	CU_ASSERT_EQUAL(pages, 2);
	list = list_all(harness.url, "auditors");
	CU_ASSERT_PTR_NOT_NULL_FATAL(list);
	if (json_array_size(all) != json_array_size(list))
		printf("\n  ** %zu records exported, %zu listed\n",
		    json_array_size(all), json_array_size(list));
	CU_ASSERT_EQUAL(json_array_size(all), json_array_size(list));
	json_decref(list);

	/* auditorctl follows them too, into a file replaced when whole. */
	CTL(&p, "admin", "export", "auditors", "--output",
	    harness_file(file, "auditors.ndjson"));
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	{
		char	 *text = NULL;
		size_t	  n = 0, lines = 0;
		FILE	 *f = fopen(file, "r");
		ssize_t	  got;

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		while ((got = getline(&text, &n, f)) != -1)
			lines++;
		free(text);
		fclose(f);
		CU_ASSERT_EQUAL(lines, json_array_size(all));
	}
	json_decref(all);
}
