/*
 * cases_wire.c: request framing on raw TLS connections. Each row sends a
 * badly framed request and, in the same write, a good POST that would
 * create an auditor: the server must answer the first with 400 and
 * Connection: close, close, and never run the second (request smuggling).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"
#include "rawtls.h"

#define QUIET_MS	3000

/* The POST that must not run: creates auditor id. Caller frees. */
static char *
second_request(const char *id)
{
	json_t	*doc = cases_auditor(id, "Wire");
	char	*body, *req = NULL;

	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (body == NULL || asprintf(&req, "POST /v1/auditors HTTP/1.1\r\n"
	    "Host: localhost\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
	    strlen(body), body) == -1)
		req = NULL;
	free(body);
	return req;
}

static void
print_exchange(const char *req, const struct rawtls_result *res)
{
	printf("\n  ** sent:\n%s\n  ** got (%zu bytes, %s):\n%s\n", req,
	    res->len, res->closed ? "closed" : "still open",
	    res->data != NULL ? res->data : "");
}

/*
 * The body of the one response at data (after its header block) as JSON,
 * or NULL.
 */
static json_t *
response_json(const char *data, size_t len)
{
	const char	*end = memmem(data, len, "\r\n\r\n", 4);

	if (end == NULL)
		return NULL;
	end += 4;
	return json_loadb(end, len - (size_t)(end - data), 0, NULL);
}

/*
 * Send first and then the second request; check the single 400 answer,
 * whose detail must be why (the framing check that refused it, not some
 * other error). head: first is a HEAD, whose answer has headers only.
 */
static void
framing_row_as(const char *first, const char *id, int head, const char *why)
{
	struct rawtls_result	 res;
	struct resp		 r;
	char			*second, *req = NULL;
	char			 conn[64], ctype[128], path[128];
	size_t			 used = 0;
	int			 status = 0, ok;

	second = second_request(id);
	CU_ASSERT_FATAL(second != NULL);
	if (asprintf(&req, "%s%s", first, second) == -1)
		req = NULL;
	free(second);
	CU_ASSERT_FATAL(req != NULL);

	ok = rawtls_exchange(harness.port, "admin", req, strlen(req),
	    QUIET_MS, &res);
	if (!ok)
		printf("\n  ** raw TLS: %s\n", res.error);
	CU_ASSERT_FATAL(ok);
	used = rawtls_response(res.data, res.len, &status, "Connection", conn,
	    sizeof conn);
	rawtls_response(res.data, res.len, &status, "Content-Type", ctype,
	    sizeof ctype);
	CU_ASSERT_EQUAL(status, 400);
	CU_ASSERT(strcasecmp(conn, "close") == 0);
	/* One answer only, and then the connection is closed. */
	if (head) {
		const char *end = strstr(res.data, "\r\n\r\n");
		used = end != NULL ? (size_t)(end - res.data) + 4 : 0;
	} else {
		json_t	*j = response_json(res.data, used);

		CU_ASSERT(strncasecmp(ctype, "application/problem+json",
		    24) == 0);
		CU_ASSERT_STRING_EQUAL(client_sv(j, "type"),
		    "urn:auditord:problem:bad-request");
		CU_ASSERT(json_integer_value(json_object_get(j, "status")) ==
		    400);
		CU_ASSERT_STRING_EQUAL(client_sv(j, "detail"), why);
		json_decref(j);
	}
	CU_ASSERT(used > 0 && used == res.len);
	CU_ASSERT(res.closed);
	if (status != 400 || strcasecmp(conn, "close") != 0 || used == 0 ||
	    used != res.len || !res.closed)
		print_exchange(req, &res);
	rawtls_result_free(&res);
	free(req);

	snprintf(path, sizeof path, "/v1/auditors/%s", id);
	client_http(&r, "admin", "GET", path, NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	/* The server still serves new connections. */
	client_http(&r, "admin", "GET", "/livez", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
}

static void
framing_row(const char *first, const char *id, const char *why)
{
	framing_row_as(first, id, 0, why);
}

void
wire_pipelined(void)
{
	struct rawtls_result	 res;
	char			*second, *req = NULL, conn[64];
	size_t			 a, b = 0;
	int			 s1 = 0, s2 = 0;

	/* Proves the rows below would see a second request that ran. */
	second = second_request("pipelined-ok");
	CU_ASSERT_FATAL(second != NULL);
	if (asprintf(&req, "GET /v1/areas?limit=1 HTTP/1.1\r\nHost: localhost"
	    "\r\n\r\n%s", second) == -1)
		req = NULL;
	free(second);
	CU_ASSERT_FATAL(req != NULL);
	CU_ASSERT_FATAL(rawtls_exchange(harness.port, "admin", req,
	    strlen(req), QUIET_MS, &res));
	a = rawtls_response(res.data, res.len, &s1, "Connection", conn,
	    sizeof conn);
	if (a > 0)
		b = rawtls_response(res.data + a, res.len - a, &s2,
		    "Connection", conn, sizeof conn);
	CU_ASSERT_EQUAL(s1, 200);
	CU_ASSERT_EQUAL(s2, 201);
	CU_ASSERT(a > 0 && b > 0 && a + b == res.len);
	if (a > 0 && b > 0) {
		json_t	*j1 = response_json(res.data, a);
		json_t	*j2 = response_json(res.data + a, b);

		/* Each answer is its own request's. */
		CU_ASSERT(json_array_size(json_object_get(j1, "items")) == 1);
		CU_ASSERT_STRING_EQUAL(client_sv(j2, "id"), "pipelined-ok");
		CU_ASSERT(json_integer_value(json_object_get(j2, "rev")) == 1);
		json_decref(j1);
		json_decref(j2);
	}
	CU_ASSERT(res.closed);	/* the second asked for close */
	if (s1 != 200 || s2 != 201 || !res.closed)
		print_exchange(req, &res);
	rawtls_result_free(&res);
	free(req);
	CU_ASSERT(cases_rev("/v1/auditors/pipelined-ok") == 1);
}

void
wire_two_content_lengths(void)
{
	char	*second, first[512];

	/*
	 * The second length covers the second request: a server taking the
	 * first length runs it as a request of its own.
	 */
	second = second_request("smuggled-cl");
	CU_ASSERT_FATAL(second != NULL);
	snprintf(first, sizeof first, "POST /v1/auditors HTTP/1.1\r\n"
	    "Host: localhost\r\nContent-Type: application/json\r\n"
	    "Content-Length: 2\r\nContent-Length: %zu\r\n\r\n{}",
	    strlen(second) + 2);
	free(second);
	framing_row(first, "smuggled-cl", "more than one Content-Length");
}

void
wire_xchunked(void)
{
	framing_row("POST /v1/auditors HTTP/1.1\r\nHost: localhost\r\n"
	    "Content-Type: application/json\r\n"
	    "Transfer-Encoding: xchunked\r\n\r\n", "smuggled-te",
	    "Transfer-Encoding other than chunked");
}

void
wire_no_host(void)
{
	framing_row("GET /v1/areas HTTP/1.1\r\nAccept: */*\r\n\r\n",
	    "smuggled-host", "no Host header");
}

void
wire_header_space(void)
{
	framing_row("GET /v1/areas HTTP/1.1\r\nHost: localhost\r\n"
	    "X-Foo : bar\r\n\r\n", "smuggled-ws",
	    "whitespace in a header name");
}

void
wire_head_body(void)
{
	char	*second, first[512];

	/* evhttp reads no body for HEAD: its length would cover the POST. */
	second = second_request("smuggled-head");
	CU_ASSERT_FATAL(second != NULL);
	snprintf(first, sizeof first, "HEAD /livez HTTP/1.1\r\n"
	    "Host: localhost\r\nContent-Length: %zu\r\n\r\n", strlen(second));
	free(second);
	framing_row_as(first, "smuggled-head", 1, NULL);
}

/* ---- clients that vanish --------------------------------------------- */

#define DROP_ROUNDS	12	/* per way of leaving */

/* The three ways a client leaves, and whether its change may happen. */
static const struct {
	const char		*what;
	enum rawtls_drop	 how;
	int			 half;	/* only half the body is sent */
} drops[] = {
	{ "whole POST, then RST", RAWTLS_RESET, 0 },
	{ "whole POST, then FIN", RAWTLS_FIN, 0 },
	{ "half the body, then RST or FIN", RAWTLS_RESET, 1 },
};

/* The POST that creates auditor id; *len is its length. Caller frees. */
static char *
drop_request(const char *id, size_t *len)
{
	json_t	*doc = cases_auditor(id, "Dropped");
	char	*body, *req = NULL;
	int	 n;

	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (body == NULL || (n = asprintf(&req, "POST /v1/auditors HTTP/1.1\r\n"
	    "Host: localhost\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n\r\n%s", strlen(body), body)) == -1) {
		free(body);
		return NULL;
	}
	free(body);
	*len = (size_t)n;
	return req;
}

/*
 * 1 if j (a record answer's body) is the whole auditor id as drop_request
 * sent it: every field, the default status, rev 1.
 */
static int
whole_record(json_t *j, const char *id)
{
	char	 why[128];
	json_t	*want = cases_auditor(id, "Dropped");
	int	 ok;

	json_object_set_new(want, "status", json_string("active"));
	ok = strcmp(client_sv(j, "id"), id) == 0 &&
	    json_integer_value(json_object_get(j, "rev")) == 1 &&
	    cases_fields_are(j, want, why, sizeof why);
	json_decref(want);
	return ok;
}

/*
 * One fresh connection asks three things in a row: /livez, the record,
 * /v1/events/verify. Checks the first and the last; returns the record's
 * status (200 or 404), or -1, and its body as JSON in *rec (or NULL).
 */
static int
probe(const char *id, json_t **rec)
{
	struct rawtls_result	 res;
	char			*req = NULL, val[8];
	size_t			 a, b = 0, c = 0;
	int			 s1 = 0, s2 = 0, s3 = 0;
	json_t			*j;

	*rec = NULL;
	if (asprintf(&req, "GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n"
	    "GET /v1/auditors/%s HTTP/1.1\r\nHost: localhost\r\n\r\n"
	    "GET /v1/events/verify HTTP/1.1\r\nHost: localhost\r\n"
	    "Connection: close\r\n\r\n", id) == -1)
		return -1;
	if (!rawtls_exchange(harness.port, "admin", req, strlen(req),
	    QUIET_MS, &res)) {
		printf("\n  ** raw TLS: %s\n", res.error);
		free(req);
		rawtls_result_free(&res);
		return -1;
	}
	a = rawtls_response(res.data, res.len, &s1, "X", val, sizeof val);
	if (a > 0)
		b = rawtls_response(res.data + a, res.len - a, &s2, "X", val,
		    sizeof val);
	if (b > 0)
		c = rawtls_response(res.data + a + b, res.len - a - b, &s3,
		    "X", val, sizeof val);
	CU_ASSERT(s1 == 200 && s3 == 200 && c > 0 && a + b + c == res.len);
	if (c > 0) {
		j = response_json(res.data, a);
		CU_ASSERT_STRING_EQUAL(client_sv(j, "status"), "ok");
		json_decref(j);
		*rec = response_json(res.data + a, b);
		j = response_json(res.data + a + b, c);
		CU_ASSERT(json_is_true(json_object_get(j, "ok")));
		if (!json_is_true(json_object_get(j, "ok")))
			print_exchange(req, &res);
		json_decref(j);
	} else
		print_exchange(req, &res);
	free(req);
	rawtls_result_free(&res);
	return c > 0 ? s2 : -1;
}

/* Every event as one array (admin, pages of 1000); NULL on a failure. */
static json_t *
every_event(void)
{
	json_t	*all = json_array();
	char	 url[96];
	long long after = 0;

	for (int pages = 0; pages < 100; pages++) {
		struct resp	 r;
		json_t		*next;

		snprintf(url, sizeof url, "/v1/events?limit=1000&after=%lld",
		    after);
		client_http(&r, "admin", "GET", url, NULL, NULL);
		if (!client_status(&r, 200)) {
			client_resp_free(&r);
			break;
		}
		json_array_extend(all, json_object_get(r.json, "items"));
		next = json_object_get(r.json, "next");
		after = json_is_integer(next) ? json_integer_value(next) : 0;
		client_resp_free(&r);
		if (after == 0)
			return all;
	}
	json_decref(all);
	return NULL;
}

/*
 * A client that leaves at once after its POST (RST or FIN, no
 * close_notify), so its change is queued for the writer, or being made,
 * when it goes, and the answer meets a dead socket; or one that leaves
 * with half its body sent. Whatever the timing, the daemon lives on and
 * answers a fresh client, the record exists whole or not at all (never,
 * with half a body), and the event chain holds: one create event per
 * record that exists, none for one that does not. The rounds vary the
 * moment of the hang-up, to catch races.
 */
void
wire_dropped_writes(void)
{
	struct resp	 r;
	json_t		*evs, *ev;
	char		 id[32], err[256], *req;
	size_t		 len = 0, i, k, made = 0;
	int		 st, round;

	for (k = 0; k < sizeof drops / sizeof drops[0]; k++) {
		for (round = 0; round < DROP_ROUNDS; round++) {
			enum rawtls_drop how = drops[k].how;
			json_t		*rec;

			snprintf(id, sizeof id, "drop-%zu-%02d", k, round);
			CU_ASSERT_FATAL((req = drop_request(id, &len)) !=
			    NULL);
			if (drops[k].half) {
				len -= (len - (size_t)(strstr(req,
				    "\r\n\r\n") + 4 - req)) / 2;
				how = round % 2 ? RAWTLS_FIN : RAWTLS_RESET;
			}
			/*
			 * Leave at once or a little later, so the hang-up
			 * lands before, during and after the writer's work.
			 */
			if (!rawtls_send_and_drop(harness.port, "admin", req,
			    len, how, (round % 4) * 700, err, sizeof err))
				printf("\n  ** %s: %s\n", drops[k].what, err);
			free(req);
			CU_ASSERT_FATAL(harness_alive());
			st = probe(id, &rec);
			CU_ASSERT(st == 200 || st == 404);
			if (st == 200 && !whole_record(rec, id)) {
				char *s = json_dumps(rec, JSON_COMPACT);

				printf("\n  ** %s: %s is not whole: %s\n",
				    drops[k].what, id, s != NULL ? s : "");
				free(s);
				CU_FAIL("a dropped client's record is partial");
			}
			/* Half a body never makes a record. */
			CU_ASSERT(!drops[k].half || st == 404);
			json_decref(rec);
			CU_ASSERT_FATAL(harness_alive());
		}
	}

	/*
	 * Later, once every queued change is done: the same, and the log.
	 * One list holds every record these rounds made (unit Dropped).
	 */
	evs = every_event();
	CU_ASSERT_FATAL(evs != NULL);
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Dropped&limit=1000",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	for (k = 0; k < sizeof drops / sizeof drops[0]; k++)
		for (round = 0; round < DROP_ROUNDS; round++) {
			size_t	 creates = 0, others = 0;
			json_t	*rec;

			snprintf(id, sizeof id, "drop-%zu-%02d", k, round);
			json_array_foreach(evs, i, ev) {
				if (strcmp(client_sv(ev, "record"), id) != 0)
					continue;
				if (strcmp(client_sv(ev, "action"),
				    "create") == 0)
					creates++;
				else
					others++;
			}
			rec = client_find(json_object_get(r.json, "items"), id);
			if (rec != NULL) {
				made++;
				CU_ASSERT(whole_record(rec, id));
			}
			CU_ASSERT(!drops[k].half || rec == NULL);
			if (creates != (rec != NULL) || others != 0)
				printf("\n  ** %s: %zu create and %zu other "
				    "events for %s (%s)\n", drops[k].what,
				    creates, others, id, rec != NULL ?
				    "exists" : "absent");
			CU_ASSERT(creates == (rec != NULL) && others == 0);
		}
	CU_ASSERT(json_is_null(json_object_get(r.json, "next")));
	client_resp_free(&r);
	json_decref(evs);
	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_true(json_object_get(r.json, "ok")));
	client_resp_free(&r);
	CU_ASSERT(harness_alive());
	/* How many got through is timing; print it for whoever tunes this. */
	printf("(%zu of %d whole POSTs made their record) ", made,
	    2 * DROP_ROUNDS);
}
