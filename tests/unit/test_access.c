/*
 * test_access.c: the access log's line (server/access.c): every field in
 * its place, query values dropped, odd bytes escaped, a short buffer cut
 * cleanly.
 */
#include <string.h>

#include "cu.h"

#include "server/access.h"

static void
test_line(void)
{
	struct access_rec	a = {
		.wall_ms = 1796058245123LL,	/* 2026-11-30T17:04:05.123Z */
		.addr = "127.0.0.1", .port = 53422, .who = "alice",
		.method = "GET", .target = "/v1/auditors/alice",
		.status = 200, .bytes = 512, .us = 1234, .resumed = 0,
	};
	char			buf[256];
	size_t			n;

	n = access_format(buf, sizeof buf, &a);
	CU_ASSERT_STRING_EQUAL(buf, "access 2026-11-30T17:04:05.123Z "
	    "127.0.0.1:53422 alice GET /v1/auditors/alice 200 512 1234us full");
	CU_ASSERT_EQUAL(n, strlen(buf));

	/* No principal yet, a resumed session, no request line at all. */
	a.who = "";
	a.resumed = 1;
	a.method = NULL;
	a.target = NULL;
	a.status = 400;
	access_format(buf, sizeof buf, &a);
	CU_ASSERT_STRING_EQUAL(buf, "access 2026-11-30T17:04:05.123Z "
	    "127.0.0.1:53422 - - - 400 512 1234us resumed");
}

static void
test_query_values_dropped(void)
{
	struct access_rec	a = {
		.wall_ms = 0, .addr = "::1", .port = 1, .who = "hr",
		.method = "GET", .status = 200,
	};
	char			buf[256];

	a.target = "/v1/auditors?name=Ada%20Lovelace&limit=5&after";
	access_format(buf, sizeof buf, &a);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " /v1/auditors?name&limit&after "));
	CU_ASSERT_PTR_NULL(strstr(buf, "Lovelace"));
	CU_ASSERT_PTR_NULL(strstr(buf, "5 "));

	/* The server cuts the query off the path: given apart, the same. */
	a.target = "/v1/auditors";
	a.query = "name=Ada%20Lovelace&limit=5&after";
	access_format(buf, sizeof buf, &a);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " /v1/auditors?name&limit&after "));
	CU_ASSERT_PTR_NULL(strstr(buf, "Lovelace"));
	a.query = NULL;

	/* A space, a quote or a control byte cannot split the line. */
	a.target = "/v1/a b\"\x01\xc3\xa9";
	access_format(buf, sizeof buf, &a);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " /v1/a%20b%22%01%C3%A9 "));
}

static void
test_short_buffer(void)
{
	struct access_rec	a = {
		.wall_ms = 0, .addr = "127.0.0.1", .port = 8443, .who = "a",
		.method = "GET", .target = "/livez", .status = 200,
	};
	char			buf[16];
	size_t			n;

	memset(buf, 'x', sizeof buf);
	n = access_format(buf, sizeof buf, &a);
	CU_ASSERT_EQUAL(n, sizeof buf - 1);
	CU_ASSERT_EQUAL(buf[sizeof buf - 1], '\0');
	CU_ASSERT_EQUAL(strncmp(buf, "access 1970-01-", 15), 0);
	CU_ASSERT_EQUAL(access_format(buf, 0, &a), 0);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "every field in its place", test_line },
		{ "query values dropped, odd bytes escaped",
		    test_query_values_dropped },
		{ "a short buffer is cut, terminated", test_short_buffer },
		{ NULL, NULL }
	};

	return cu_run("access", tests);
}
