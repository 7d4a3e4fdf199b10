/*
 * test_http.c: the server's request checks that need no connection: the
 * framing checks that close evhttp 2.1's smuggling holes
 * (http_framing_error, on requests built by hand with libevent's public
 * API) and If-Match parsing and matching (http_if_match_parse,
 * http_if_match).
 *
 * Each framing row states the exact reason expected, so a request refused
 * for another reason than the one under test (say, a missing Host on a row
 * about Content-Length) fails the row instead of passing by accident.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <event2/http.h>
#include <event2/http_struct.h>

#include "cu.h"

#include "server/http.h"

/* The reasons http_framing_error gives (the 400's detail). */
#define TWO_CL		"more than one Content-Length"
#define EMPTY_CL	"empty Content-Length"
#define NAN_CL		"Content-Length is not a number"
#define BAD_TE		"Transfer-Encoding other than chunked"
#define NO_HOST		"no Host header"
#define WS_NAME		"whitespace in a header name"
#define BODY_ON		"a body on a request that takes none"

#define MAXHDRS		6

struct framing_row {
	const char		*what;
	enum evhttp_cmd_type	 method;
	int			 minor;		/* HTTP/1.minor */
	/* name, value pairs, NULL-ended */
	const char		*hdrs[2 * MAXHDRS + 1];
	const char		*want;		/* NULL: sound */
};

static const struct framing_row framing_rows[] = {
	/* Sound requests. */
	{ "GET with Host", EVHTTP_REQ_GET, 1,
	    { "Host", "localhost", NULL }, NULL },
	{ "host in lower case", EVHTTP_REQ_GET, 1,
	    { "host", "localhost", NULL }, NULL },
	{ "POST with one length", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Type", "application/json",
	    "Content-Length", "5", NULL }, NULL },
	{ "POST with length 0", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "0", NULL }, NULL },
	{ "POST chunked", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "chunked", NULL }, NULL },
	{ "chunked in capitals", EVHTTP_REQ_PUT, 1,
	    { "Host", "h", "Transfer-Encoding", "CHUNKED", NULL }, NULL },
	{ "HTTP/1.0 without Host", EVHTTP_REQ_GET, 0,
	    { "Accept", "*/*", NULL }, NULL },
	{ "HTTP/1.0 POST without Host", EVHTTP_REQ_POST, 0,
	    { "Content-Length", "2", NULL }, NULL },
	/* GET and DELETE bodies are read by evhttp (and refused later). */
	{ "GET with a length", EVHTTP_REQ_GET, 1,
	    { "Host", "h", "Content-Length", "5", NULL }, NULL },
	{ "DELETE with a length", EVHTTP_REQ_DELETE, 1,
	    { "Host", "h", "Content-Length", "5", NULL }, NULL },
	/* A zero length announces no body, so HEAD and OPTIONS may carry it. */
	{ "HEAD with length 0", EVHTTP_REQ_HEAD, 1,
	    { "Host", "h", "Content-Length", "0", NULL }, NULL },
	{ "HEAD with length 00", EVHTTP_REQ_HEAD, 1,
	    { "Host", "h", "Content-Length", "00", NULL }, NULL },
	{ "OPTIONS with length 0", EVHTTP_REQ_OPTIONS, 1,
	    { "Host", "h", "Content-Length", "0", NULL }, NULL },
	{ "HEAD without a length", EVHTTP_REQ_HEAD, 1,
	    { "Host", "h", NULL }, NULL },

	/* Content-Length. */
	{ "two equal lengths", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "5", "Content-Length", "5",
	    NULL }, TWO_CL },
	{ "two different lengths", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "2", "Content-Length", "90",
	    NULL }, TWO_CL },
	{ "two lengths, names in different case", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "5", "content-length", "7",
	    NULL }, TWO_CL },
	{ "two lengths, on HTTP/1.0", EVHTTP_REQ_POST, 0,
	    { "Content-Length", "5", "Content-Length", "7", NULL }, TWO_CL },
	{ "empty length", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "", NULL }, EMPTY_CL },
	{ "non-numeric length", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "abc", NULL }, NAN_CL },
	{ "length +5", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "+5", NULL }, NAN_CL },
	{ "length -1", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "-1", NULL }, NAN_CL },
	{ "length 0x5", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "0x5", NULL }, NAN_CL },
	{ "length as a list 5,5", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "5,5", NULL }, NAN_CL },
	{ "length 5 with trailing text", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length", "5 5", NULL }, NAN_CL },

	/* Transfer-Encoding: only chunked is understood by evhttp. */
	{ "xchunked", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "xchunked", NULL }, BAD_TE },
	{ "gzip", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "gzip", NULL }, BAD_TE },
	{ "gzip, chunked", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "gzip, chunked", NULL },
	    BAD_TE },
	{ "empty Transfer-Encoding", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "", NULL }, BAD_TE },
	{ "chunked, gzip", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "chunked, gzip", NULL },
	    BAD_TE },
	{ "chunked, then gzip in a second header", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Transfer-Encoding", "chunked",
	    "Transfer-Encoding", "gzip", NULL }, BAD_TE },

	/* Host. */
	{ "HTTP/1.1 without Host", EVHTTP_REQ_GET, 1,
	    { "Accept", "*/*", NULL }, NO_HOST },
	{ "HTTP/1.1 POST without Host", EVHTTP_REQ_POST, 1,
	    { "Content-Length", "2", NULL }, NO_HOST },
	{ "HTTP/1.1 without any header", EVHTTP_REQ_GET, 1,
	    { NULL }, NO_HOST },

	/* Header names: what evhttp keeps of "Name : value" and worse. */
	{ "space before the colon", EVHTTP_REQ_GET, 1,
	    { "Host", "h", "X-Foo ", "bar", NULL }, WS_NAME },
	{ "Content-Length with a space before the colon", EVHTTP_REQ_POST, 1,
	    { "Host", "h", "Content-Length ", "5", NULL }, WS_NAME },
	{ "space inside a name", EVHTTP_REQ_GET, 1,
	    { "Host", "h", "X Foo", "bar", NULL }, WS_NAME },
	{ "tab in a name", EVHTTP_REQ_GET, 1,
	    { "Host", "h", "X\tFoo", "bar", NULL }, WS_NAME },
	{ "leading space in a name", EVHTTP_REQ_GET, 1,
	    { "Host", "h", " Transfer-Encoding", "chunked", NULL }, WS_NAME },
	{ "colon in a name", EVHTTP_REQ_GET, 1,
	    { "Host", "h", "X:Foo", "bar", NULL }, WS_NAME },
	{ "bad name on HTTP/1.0", EVHTTP_REQ_GET, 0,
	    { "X-Foo ", "bar", NULL }, WS_NAME },

	/* HEAD and OPTIONS: evhttp never reads their bodies. */
	{ "HEAD with a length", EVHTTP_REQ_HEAD, 1,
	    { "Host", "h", "Content-Length", "5", NULL }, BODY_ON },
	{ "HEAD with length 01", EVHTTP_REQ_HEAD, 1,
	    { "Host", "h", "Content-Length", "01", NULL }, BODY_ON },
	{ "HEAD chunked", EVHTTP_REQ_HEAD, 1,
	    { "Host", "h", "Transfer-Encoding", "chunked", NULL }, BODY_ON },
	{ "OPTIONS with a length", EVHTTP_REQ_OPTIONS, 1,
	    { "Host", "h", "Content-Length", "5", NULL }, BODY_ON },
	{ "OPTIONS chunked", EVHTTP_REQ_OPTIONS, 1,
	    { "Host", "h", "Transfer-Encoding", "chunked", NULL }, BODY_ON },
	{ "HTTP/1.0 HEAD with a length", EVHTTP_REQ_HEAD, 0,
	    { "Content-Length", "3", NULL }, BODY_ON },
};

/* A request as evhttp would hand it over after reading its headers. */
static struct evhttp_request *
make_request(const struct framing_row *row)
{
	struct evhttp_request	*ev;
	struct evkeyvalq	*h;
	size_t			 i;

	if ((ev = evhttp_request_new(NULL, NULL)) == NULL)
		return NULL;
	ev->type = row->method;
	ev->major = 1;
	ev->minor = (char)row->minor;
	h = evhttp_request_get_input_headers(ev);
	for (i = 0; row->hdrs[i] != NULL; i += 2)
		if (evhttp_add_header(h, row->hdrs[i], row->hdrs[i + 1]) != 0) {
			/* The row is wrong, not the code: say so loudly. */
			printf("\n  ** row '%s': evhttp refused header '%s'\n",
			    row->what, row->hdrs[i]);
			evhttp_request_free(ev);
			return NULL;
		}
	return ev;
}

static void
test_framing(void)
{
	size_t	i, bad = 0;

	for (i = 0; i < sizeof framing_rows / sizeof framing_rows[0]; i++) {
		const struct framing_row	*row = &framing_rows[i];
		struct evhttp_request		*ev = make_request(row);
		const char			*got;
		int				 ok;

		CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
		/* The request must read back as built. */
		CU_ASSERT_EQUAL(evhttp_request_get_command(ev), row->method);
		got = http_framing_error(ev);
		ok = row->want == NULL ? got == NULL :
		    got != NULL && strcmp(got, row->want) == 0;
		if (!ok) {
			printf("\n  ** row '%s': got %s%s%s, expected %s%s%s\n",
			    row->what, got ? "'" : "", got ? got : "NULL",
			    got ? "'" : "", row->want ? "'" : "",
			    row->want ? row->want : "NULL",
			    row->want ? "'" : "");
			bad++;
		}
		CU_ASSERT(ok);
		evhttp_request_free(ev);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* ---- If-Match ---------------------------------------------------------- */

#define NO_COND	(-2)	/* rc 0 and no condition (set 0) */

struct ifm_row {
	const char	*value;		/* the header's value; NULL: absent */
	int		 rc;		/* 0, -1, or NO_COND */
	int		 n;		/* strong tags kept (rc 0) */
	int64_t		 revs[REQ_MAXTAGS];
};

static const struct ifm_row ifm_rows[] = {
	/* No condition. */
	{ NULL, NO_COND, 0, { 0 } },
	{ "*", NO_COND, 0, { 0 } },
	{ "  *\t", NO_COND, 0, { 0 } },
	/* One tag: quoted, bare (hand-typed), with white space. */
	{ "\"3\"", 0, 1, { 3 } },
	{ "3", 0, 1, { 3 } },
	{ " \"3\" ", 0, 1, { 3 } },
	{ "\"1\"", 0, 1, { 1 } },
	{ "\"42\"", 0, 1, { 42 } },
	/* Weak tags never match: kept out of the list, the condition stays. */
	{ "W/\"3\"", 0, 0, { 0 } },
	{ "W/\"3\", W/\"4\"", 0, 0, { 0 } },
	{ "W/\"3\", \"4\"", 0, 1, { 4 } },
	/* Lists, with and without spaces and tabs. */
	{ "\"1\",\"2\"", 0, 2, { 1, 2 } },
	{ "\"7\", \"1\"", 0, 2, { 7, 1 } },
	{ " \"1\" ,\t\"2\" ,  \"3\" ", 0, 3, { 1, 2, 3 } },
	{ "1, 2, \"3\"", 0, 3, { 1, 2, 3 } },
	{ "\"5\", W/\"6\", 7", 0, 2, { 5, 7 } },
	/* REQ_MAXTAGS (8) strong tags fit; weak ones do not count. */
	{ "1,2,3,4,5,6,7,8", 0, 8, { 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ "1,2,3,4,5,6,7,8,W/\"9\"", 0, 8, { 1, 2, 3, 4, 5, 6, 7, 8 } },
	/* The largest rev an int64 holds. */
	{ "\"9223372036854775807\"", 0, 1, { INT64_MAX } },

	/* Malformed: a 400. */
	{ "", -1, 0, { 0 } },
	{ " ", -1, 0, { 0 } },
	{ "\"0\"", -1, 0, { 0 } },
	{ "0", -1, 0, { 0 } },
	{ "\"-1\"", -1, 0, { 0 } },
	{ "-1", -1, 0, { 0 } },
	{ "\"+3\"", -1, 0, { 0 } },
	{ "\"\"", -1, 0, { 0 } },
	{ "\"03\"", -1, 0, { 0 } },
	{ "W/3", -1, 0, { 0 } },
	{ "W/\"\"", -1, 0, { 0 } },
	{ "w/\"3\"", -1, 0, { 0 } },
	{ "\"3", -1, 0, { 0 } },
	{ "3\"", -1, 0, { 0 } },
	{ "\"3\"x", -1, 0, { 0 } },
	{ "\"3 \"", -1, 0, { 0 } },
	{ "\"3\" \"4\"", -1, 0, { 0 } },
	{ "\"abc\"", -1, 0, { 0 } },
	{ "abc", -1, 0, { 0 } },
	{ "3abc", -1, 0, { 0 } },
	{ "\"3.0\"", -1, 0, { 0 } },
	{ "**", -1, 0, { 0 } },
	{ "\"1\",", -1, 0, { 0 } },
	{ "\"1\", ", -1, 0, { 0 } },
	{ ",\"1\"", -1, 0, { 0 } },
	{ "\"1\",,\"2\"", -1, 0, { 0 } },
	{ ",", -1, 0, { 0 } },
	{ "\"1\";\"2\"", -1, 0, { 0 } },
	/* "*" stands alone, never in a list. */
	{ "*, \"3\"", -1, 0, { 0 } },
	{ "\"3\", *", -1, 0, { 0 } },
	{ "*, *", -1, 0, { 0 } },
	/* Beyond an int64: never taken as the largest rev. */
	{ "\"9223372036854775808\"", -1, 0, { 0 } },
	{ "99999999999999999999", -1, 0, { 0 } },
	/* More than REQ_MAXTAGS strong tags. */
	{ "1,2,3,4,5,6,7,8,9", -1, 0, { 0 } },
	{ "\"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", "
	    "\"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\"", -1, 0,
	    { 0 } },
};

static void
test_if_match_parse(void)
{
	size_t	i;
	int	j;

	for (i = 0; i < sizeof ifm_rows / sizeof ifm_rows[0]; i++) {
		const struct ifm_row	*row = &ifm_rows[i];
		struct if_match		 m;
		int			 rc, ok;

		/* Garbage first: the parse must set every field it reports. */
		memset(&m, 0x5a, sizeof m);
		rc = http_if_match_parse(row->value, &m);
		if (row->rc == -1)
			ok = rc == -1;
		else if (row->rc == NO_COND)
			ok = rc == 0 && m.set == 0;
		else {
			ok = rc == 0 && m.set == 1 && m.n == row->n;
			for (j = 0; ok && j < row->n; j++)
				ok = m.revs[j] == row->revs[j];
		}
		if (!ok)
			printf("\n  ** If-Match %s%s%s: rc %d set %d n %d, "
			    "expected %s\n", row->value ? "'" : "",
			    row->value ? row->value : "(absent)",
			    row->value ? "'" : "", rc, m.set, m.n,
			    row->rc == -1 ? "-1 (malformed)" :
			    row->rc == NO_COND ? "0 and no condition" :
			    "0 and the listed revs");
		CU_ASSERT(ok);
	}
}

struct match_row {
	const char	*value;
	int64_t		 rev;
	int		 match;
};

static const struct match_row match_rows[] = {
	{ NULL, 1, 1 },
	{ NULL, 99, 1 },
	{ "*", 1, 1 },
	{ "*", 12345, 1 },
	{ "\"3\"", 3, 1 },
	{ "\"3\"", 2, 0 },
	{ "\"3\"", 4, 0 },
	{ "\"3\"", 33, 0 },
	{ "3", 3, 1 },
	{ "3", 4, 0 },
	/* Strong comparison: a weak tag never matches, even its own rev. */
	{ "W/\"3\"", 3, 0 },
	{ "W/\"3\"", 1, 0 },
	{ "W/\"3\", \"4\"", 3, 0 },
	{ "W/\"3\", \"4\"", 4, 1 },
	{ "\"7\", \"1\"", 1, 1 },
	{ "\"7\", \"1\"", 7, 1 },
	{ "\"7\", \"1\"", 2, 0 },
	{ "1,2,3,4,5,6,7,8", 8, 1 },
	{ "1,2,3,4,5,6,7,8", 9, 0 },
	{ "\"9223372036854775807\"", INT64_MAX, 1 },
	{ "\"9223372036854775807\"", 1, 0 },
};

static void
test_if_match(void)
{
	struct if_match	m;
	size_t		i;

	for (i = 0; i < sizeof match_rows / sizeof match_rows[0]; i++) {
		const struct match_row	*row = &match_rows[i];
		int			 got;

		CU_ASSERT_EQUAL_FATAL(http_if_match_parse(row->value, &m), 0);
		got = http_if_match(&m, row->rev);
		if (got != row->match)
			printf("\n  ** If-Match %s against rev %lld: %d, "
			    "expected %d\n", row->value ? row->value :
			    "(absent)", (long long)row->rev, got, row->match);
		CU_ASSERT_EQUAL(got, row->match);
	}

	/* A condition set by hand, as the dispatcher leaves it. */
	memset(&m, 0, sizeof m);
	CU_ASSERT_EQUAL(http_if_match(&m, 5), 1);
	m.set = 1;
	CU_ASSERT_EQUAL(http_if_match(&m, 5), 0);	/* only weak tags */
	m.n = 1;
	m.revs[0] = 5;
	CU_ASSERT_EQUAL(http_if_match(&m, 5), 1);
	CU_ASSERT_EQUAL(http_if_match(&m, 6), 0);
	/* Only the first n count, whatever lies beyond. */
	m.revs[1] = 6;
	CU_ASSERT_EQUAL(http_if_match(&m, 6), 0);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "framing checks on hand-built requests", test_framing },
		{ "If-Match parsing", test_if_match_parse },
		{ "If-Match against a rev", test_if_match },
		{ NULL, NULL }
	};

	return cu_run("http", tests);
}
