/*
 * test_h1.c: the HTTP/1.1 request parser (daemon/server/h1.c) on byte
 * strings, one row per case: the status it must end with (H1_DONE or an
 * HTTP error), the error's detail, and for sound requests the body it
 * must deliver and how many bytes it must take. Every row is fed whole,
 * then split at every point, then a byte at a time: the answer may not
 * depend on how the bytes arrive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"

#include "server/h1.h"

#define GET_H	"GET / HTTP/1.1\r\nHost: h\r\n"
#define POST_H	"POST /v1/auditors HTTP/1.1\r\nHost: h\r\n"
#define CHUNKED	POST_H "Transfer-Encoding: chunked\r\n\r\n"

struct h1_row {
	const char	*what;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	int		 want;		/* H1_DONE or a status */
	const char	*why;		/* the error's detail, or NULL */
	const char	*body;		/* H1_DONE: the body delivered */
	size_t		 used;		/* H1_DONE: bytes taken; 0: all */
};

#define BAD(w, s, st, why)	{ w, s, 0, st, why, NULL, 0 }
#define OK(w, s, body)		{ w, s, 0, H1_DONE, NULL, body, 0 }

static const struct h1_row rows[] = {
	OK("plain GET", GET_H "\r\n", ""),
	OK("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", ""),
	OK("empty line before the request", "\r\n" GET_H "\r\n", ""),
	OK("Content-Length body", POST_H "Content-Length: 5\r\n\r\nhello",
	    "hello"),
	OK("Content-Length 0", POST_H "Content-Length: 0\r\n\r\n", ""),
	OK("header value with OWS and obs-text", GET_H "X-A: \t v\xe9 \t\r\n"
	    "\r\n", ""),
	OK("chunked", CHUNKED "5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n", "hello!"),
	OK("chunked upper-case hex", CHUNKED "A\r\n0123456789\r\n0\r\n\r\n",
	    "0123456789"),
	OK("chunked with leading zeros", CHUNKED "0005\r\nhello\r\n0\r\n\r\n",
	    "hello"),
	OK("chunk extensions ignored", CHUNKED "5;a=b;c\r\nhello\r\n"
	    "0 ; last=\"x\\\"y\"\r\n\r\n", "hello"),
	OK("chunk extension with BWS", CHUNKED "5 ;a = b\r\nhello\r\n0\r\n"
	    "\r\n", "hello"),
	OK("trailers discarded", CHUNKED "5\r\nhello\r\n0\r\nContent-Length: 5"
	    "\r\nX-T: y\r\n\r\n", "hello"),
	{ "pipelined: the first request only", GET_H "\r\nGET /x HTTP/1.1"
	    "\r\nHost: h\r\n\r\n", 0, H1_DONE, NULL, "",
	    sizeof GET_H "\r\n" - 1 },
	{ "Content-Length body then more", POST_H "Content-Length: 2\r\n\r\n"
	    "{}GET", 0, H1_DONE, NULL, "{}",
	    sizeof POST_H "Content-Length: 2\r\n\r\n{}" - 1 },

	/* Bytes outside the grammar. */
	{ "NUL in Content-Length", POST_H "Content-Length: 0\0 99\r\n\r\n",
	    sizeof POST_H "Content-Length: 0\0 99\r\n\r\n" - 1, 400,
	    "invalid byte in a header value", NULL, 0 },
	BAD("bare LF ending a header", GET_H "X: y\n\r\n", 400,
	    "a line ends in a bare LF"),
	BAD("bare LF ending the head", "GET / HTTP/1.1\nHost: h\n\n", 400,
	    "a line ends in a bare LF"),
	BAD("bare CR in a value", GET_H "X: a\rb\r\n\r\n", 400,
	    "a bare CR in the request head"),
	BAD("control byte in a value", GET_H "X: a\x01 b\r\n\r\n", 400,
	    "invalid byte in a header value"),
	BAD("DEL in a value", GET_H "X: a\x7f\r\n\r\n", 400,
	    "invalid byte in a header value"),
	BAD("space before the colon", GET_H "X-Foo : bar\r\n\r\n", 400,
	    "whitespace in a header name"),
	BAD("bad byte in a name", GET_H "X(o): bar\r\n\r\n", 400,
	    "invalid byte in a header name"),
	BAD("obs-fold", GET_H "X: a\r\n b\r\n\r\n", 400,
	    "obsolete line folding"),
	BAD("no colon", GET_H "Xfoo\r\n\r\n", 400,
	    "invalid byte in a header name"),
	BAD("lower-case method", "get / HTTP/1.1\r\nHost: h\r\n\r\n", 501,
	    "unknown method"),
	BAD("unknown method", "BREW / HTTP/1.1\r\nHost: h\r\n\r\n", 501,
	    "unknown method"),
	BAD("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505,
	    "only HTTP/1.0 and HTTP/1.1 are served"),
	BAD("HTTP/1.1 in lower case", "GET / http/1.1\r\nHost: h\r\n\r\n",
	    400, "malformed HTTP version"),
	BAD("two spaces", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400,
	    "malformed request target"),
	BAD("absolute-form target", "GET http://h/ HTTP/1.1\r\nHost: h\r\n"
	    "\r\n", 400, "the request target is not an absolute path"),
	BAD("control in the target", "GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n",
	    400, "malformed request target"),

	/* Host, length, encoding. */
	BAD("no Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400,
	    "no Host header"),
	BAD("two Host", GET_H "Host: h\r\n\r\n", 400,
	    "more than one Host header"),
	BAD("two lengths", POST_H "Content-Length: 2\r\nContent-Length: 2\r\n"
	    "\r\n{}", 400, "more than one Content-Length"),
	BAD("empty length", POST_H "Content-Length:\r\n\r\n", 400,
	    "empty Content-Length"),
	BAD("negative length", POST_H "Content-Length: -1\r\n\r\n", 400,
	    "Content-Length is not a number"),
	BAD("length list", POST_H "Content-Length: 2, 2\r\n\r\n{}", 400,
	    "Content-Length is not a number"),
	BAD("length and chunked", POST_H "Content-Length: 2\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400,
	    "both Content-Length and Transfer-Encoding"),
	BAD("xchunked", POST_H "Transfer-Encoding: xchunked\r\n\r\n", 400,
	    "Transfer-Encoding other than chunked"),
	BAD("gzip, chunked", POST_H "Transfer-Encoding: gzip, chunked\r\n\r\n",
	    400, "Transfer-Encoding other than chunked"),
	BAD("chunked twice", POST_H "Transfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400,
	    "more than one Transfer-Encoding"),
	BAD("chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n", 400, "Transfer-Encoding in an HTTP/1.0 request"),
	BAD("HEAD with a body", "HEAD / HTTP/1.1\r\nHost: h\r\n"
	    "Content-Length: 5\r\n\r\n", 400,
	    "a body on a request that takes none"),
	BAD("declared body over the limit", POST_H "Content-Length: 1025\r\n"
	    "\r\n", 413, "the body is larger than the server takes"),
	BAD("huge length", POST_H "Content-Length: 99999999999999999999999"
	    "\r\n\r\n", 413, "the body is larger than the server takes"),
	BAD("Expect other than 100-continue", POST_H "Expect: 101-go\r\n"
	    "Content-Length: 2\r\n\r\n{}", 417,
	    "only Expect: 100-continue is understood"),

	/* Chunk sizes and framing. */
	BAD("chunk size 0x2a", CHUNKED "0x2a\r\n", 400, "malformed chunk size"),
	BAD("chunk size +2a", CHUNKED "+2a\r\n", 400, "malformed chunk size"),
	BAD("chunk size ' 2a'", CHUNKED " 2a\r\n", 400,
	    "malformed chunk size"),
	BAD("chunk size '2a zz'", CHUNKED "2a zz\r\n", 400,
	    "malformed chunk size"),
	BAD("empty chunk size", CHUNKED "\r\n", 400, "malformed chunk size"),
	BAD("chunk size overflow", CHUNKED "10000000000000000\r\n", 413,
	    "the body is larger than the server takes"),
	BAD("chunk total over the limit", CHUNKED "401\r\n", 413,
	    "the body is larger than the server takes"),
	BAD("chunk data longer than its size", CHUNKED "2\r\nabc\r\n0\r\n\r\n",
	    400, "chunk data longer than its size"),
	BAD("bare LF after a chunk size", CHUNKED "2\nab\r\n", 400,
	    "malformed chunk size"),
	BAD("bad chunk extension", CHUNKED "2;\x01\r\nab\r\n", 400,
	    "malformed chunk extension"),
	BAD("extension without a name", CHUNKED "2;=x\r\nab\r\n", 400,
	    "malformed chunk extension"),
	BAD("bad trailer", CHUNKED "0\r\nX y\r\n\r\n", 400,
	    "malformed trailer"),
	BAD("trailer with a bare LF", CHUNKED "0\r\nX: y\n\r\n", 400,
	    "malformed trailer"),
};

static const struct h1_limits lim = { 256, 1024, 1024 };

/*
 * Feed in pieces split at the offsets in cuts (ascending), then the rest;
 * *taken is how many bytes the parser took.
 */
static int
feed_split(struct h1 *p, const char *in, size_t len, const size_t *cuts,
    int ncuts, size_t *taken)
{
	size_t	off = 0, used, end;
	int	i, rc = H1_MORE;

	*taken = 0;
	for (i = 0; i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : len;
		while (off < end) {
			rc = h1_feed(p, in + off, end - off, &used);
			if (rc == H1_MORE && used != end - off)
				return -1;	/* MORE takes everything */
			off += used;
			*taken = off;
			if (rc != H1_MORE && rc != H1_HEAD)
				return rc;
		}
	}
	/* A request with no body is done once its head is. */
	if (rc == H1_HEAD || rc == H1_MORE)
		rc = h1_feed(p, in + off, 0, &used);
	return rc;
}

static int
check_row(const struct h1_row *row, const size_t *cuts, int ncuts,
    const char *how)
{
	struct h1	p;
	size_t		len = row->len ? row->len : strlen(row->in), taken;
	size_t		used = row->used ? row->used : len;
	int		rc, ok;

	CU_ASSERT_FATAL(h1_init(&p, &lim) == 0);
	rc = feed_split(&p, row->in, len, cuts, ncuts, &taken);
	ok = rc == row->want;
	if (ok && rc == H1_DONE)
		ok = p.body.len == strlen(row->body) &&
		    memcmp(p.body.p != NULL ? p.body.p : "", row->body,
		    p.body.len) == 0 && taken == used;
	if (ok && rc != H1_DONE)
		ok = p.why != NULL && strcmp(p.why, row->why) == 0;
	if (!ok)
		printf("\n  ** %s (%s): got %d (%s), taken %zu; want %d (%s)\n",
		    row->what, how, rc, p.why ? p.why : "-", taken, row->want,
		    row->why ? row->why : "-");
	h1_free(&p);
	return ok;
}

static void
test_rows(void)
{
	size_t	i, k, len, cuts[2], *all;
	int	bad = 0;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct h1_row *row = &rows[i];

		len = row->len ? row->len : strlen(row->in);
		bad += !check_row(row, NULL, 0, "whole");
		for (k = 1; k < len; k++) {
			cuts[0] = k;
			bad += !check_row(row, cuts, 1, "split");
		}
		/* Two cuts: every pair would be slow; a stride will do. */
		for (k = 1; k + 3 < len; k += 3) {
			cuts[0] = k;
			cuts[1] = k + 2;
			bad += !check_row(row, cuts, 2, "two splits");
		}
		all = calloc(len, sizeof *all);
		CU_ASSERT_FATAL(all != NULL);
		for (k = 1; k < len; k++)
			all[k - 1] = k;
		bad += !check_row(row, all, (int)(len - 1), "byte by byte");
		free(all);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* The head's parts, read back. */
static void
test_fields(void)
{
	static const char req[] = "PUT /v1/areas/a?x=1 HTTP/1.0\r\n"
	    "Host:  example \r\nconnection: keep-alive\r\n"
	    "content-type: application/json; charset=utf-8\r\n"
	    "Content-Length: 2\r\n\r\n{}";
	struct h1	p;
	size_t		used;

	CU_ASSERT_FATAL(h1_init(&p, &lim) == 0);
	CU_ASSERT_EQUAL(h1_feed(&p, req, sizeof req - 1, &used), H1_HEAD);
	CU_ASSERT_EQUAL(p.method, EVHTTP_REQ_PUT);
	CU_ASSERT_STRING_EQUAL(p.target, "/v1/areas/a?x=1");
	CU_ASSERT_EQUAL(p.minor, 0);
	CU_ASSERT_EQUAL(p.keep_alive, 1);
	CU_ASSERT_STRING_EQUAL(h1_header(&p, "HOST"), "example");
	CU_ASSERT(h1_header(&p, "Accept") == NULL);
	CU_ASSERT(h1_media_is(h1_header(&p, "Content-Type"),
	    "application/json"));
	CU_ASSERT(h1_body_expected(&p));
	CU_ASSERT_EQUAL(h1_feed(&p, req + used, sizeof req - 1 - used, &used),
	    H1_DONE);
	CU_ASSERT_EQUAL(p.body.len, 2);

	/* The next request on the connection; the body buffer is kept. */
	h1_reset(&p, 4096);
	CU_ASSERT(p.body.p != NULL);
	CU_ASSERT_EQUAL(h1_feed(&p, GET_H "Connection: close\r\n\r\n",
	    sizeof GET_H "Connection: close\r\n\r\n" - 1, &used), H1_HEAD);
	CU_ASSERT_EQUAL(p.keep_alive, 0);
	CU_ASSERT(!h1_body_expected(&p));
	CU_ASSERT_EQUAL(h1_feed(&p, "", 0, &used), H1_DONE);
	h1_reset(&p, 0);
	CU_ASSERT(p.body.p == NULL);

	/* Expect: 100-continue is seen before the body. */
	h1_reset(&p, 0);
	CU_ASSERT_EQUAL(h1_feed(&p, POST_H "Expect: 100-Continue\r\n"
	    "Content-Length: 2\r\n\r\n", sizeof POST_H "Expect: 100-Continue"
	    "\r\nContent-Length: 2\r\n\r\n" - 1, &used), H1_HEAD);
	CU_ASSERT(p.expect_continue);
	h1_free(&p);
}

/* Limits: the request line (414) and the head (431), however split. */
static void
test_limits(void)
{
	struct h1	p;
	char		buf[2048];
	size_t		used, i;
	int		rc = H1_MORE;

	CU_ASSERT_FATAL(h1_init(&p, &lim) == 0);
	memset(buf, 'a', sizeof buf);
	memcpy(buf, "GET /", 5);
	for (i = 0; i < 300 && rc == H1_MORE; i++)
		rc = h1_feed(&p, buf + i, 1, &used);
	CU_ASSERT_EQUAL(rc, 414);
	CU_ASSERT(i <= 257);

	h1_reset(&p, 0);
	rc = h1_feed(&p, GET_H, sizeof GET_H - 1, &used);
	for (i = 0; i < 40 && rc == H1_MORE; i++)
		rc = h1_feed(&p, "X-Long: 0123456789012345678901234567890123"
		    "\r\n", 44, &used);
	CU_ASSERT_EQUAL(rc, 431);

	h1_reset(&p, 0);
	rc = h1_feed(&p, GET_H, sizeof GET_H - 1, &used);
	for (i = 0; i < H1_MAXFIELDS + 1 && rc == H1_MORE; i++)
		rc = h1_feed(&p, "X: 1\r\n", 6, &used);
	CU_ASSERT_EQUAL(rc, 431);
	CU_ASSERT_STRING_EQUAL(p.why, "too many header fields");
	h1_free(&p);
}

static void
test_media(void)
{
	CU_ASSERT(h1_media_is("application/json", "application/json"));
	CU_ASSERT(h1_media_is("Application/JSON", "application/json"));
	CU_ASSERT(h1_media_is("application/json; charset=utf-8",
	    "application/json"));
	CU_ASSERT(h1_media_is("application/json ;charset=utf-8",
	    "application/json"));
	CU_ASSERT(!h1_media_is("application/jsonx", "application/json"));
	CU_ASSERT(!h1_media_is("application/json-patch+json",
	    "application/json"));
	CU_ASSERT(!h1_media_is("text/json", "application/json"));
	CU_ASSERT(!h1_media_is(NULL, "application/json"));
	CU_ASSERT(!h1_media_is("", "application/json"));

}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "framing rows, whole and split at every point", test_rows },
		{ "method, target, headers, keep-alive", test_fields },
		{ "request line and head limits", test_limits },
		{ "media types", test_media },
		{ NULL, NULL }
	};

	return cu_run("h1", tests);
}
