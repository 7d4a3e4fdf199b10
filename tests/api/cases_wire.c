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

