/*
 * parsers.c: the measurement behind the server's parser choice
 * (docs/architecture.md): our h1.c against Debian's libhttp-parser (node's
 * http-parser 2.9), on the keep-alive GET of the benchmark (ns per
 * request) and on the hostile inputs of the framing table (accepted or
 * refused). Built and run by `make bench-parsers`; not part of the tests.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <http_parser.h>

#include "server/h1.h"

#define ROUNDS	2000000

static const char get[] = "GET /v1/auditors/bench-000001 HTTP/1.1\r\n"
    "Host: 127.0.0.1:8443\r\nUser-Agent: loadgen\r\nAccept: */*\r\n"
    "Connection: keep-alive\r\n\r\n";

static const struct {
	const char	*what;
	const char	*in;
	size_t		 len;
} hostile[] = {
#define R(w, s)	{ w, s, sizeof s - 1 }
	R("NUL in Content-Length", "POST / HTTP/1.1\r\nHost: h\r\n"
	    "Content-Length: 0\0 99\r\n\r\n"),
	R("bare LF", "GET / HTTP/1.1\nHost: h\n\n"),
	R("two Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
	R("chunk size 0x2a", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n0x2a\r\n"),
	R("chunk size +2a", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n+2a\r\n"),
	R("chunk size '2a zz'", "POST / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n2a zz\r\n"),
	R("CL and chunked", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2"
	    "\r\nTransfer-Encoding: chunked\r\n\r\n"),
	R("two Content-Length", "POST / HTTP/1.1\r\nHost: h\r\n"
	    "Content-Length: 2\r\nContent-Length: 3\r\n\r\n"),
	R("no Host", "GET / HTTP/1.1\r\n\r\n"),
	R("space before colon", "GET / HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n"),
	R("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n"),
#undef R
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a server needs from the callbacks: each field's name and value. */
struct spans {
	const char	*at[64];
	size_t		 n;
	int		 done;
};

static int
on_span(http_parser *p, const char *at, size_t len)
{
	struct spans	*s = p->data;

	(void)len;
	if (s->n < 64)
		s->at[s->n++] = at;
	return 0;
}

static int
on_done(http_parser *p)
{
	((struct spans *)p->data)->done = 1;
	return 0;
}

static http_parser_settings settings = {
	.on_url = on_span,
	.on_header_field = on_span,
	.on_header_value = on_span,
	.on_message_complete = on_done,
};

/* 1 if http-parser takes in whole without an error. */
static int
hp_accepts(const char *in, size_t len)
{
	http_parser	p;
	struct spans	s = { .n = 0 };
	size_t		n;

	http_parser_init(&p, HTTP_REQUEST);
	p.data = &s;
	n = http_parser_execute(&p, &settings, in, len);
	return n == len && HTTP_PARSER_ERRNO(&p) == HPE_OK;
}

/* 1 if h1 takes in without an error (a request, or more to come). */
static int
h1_accepts(const char *in, size_t len)
{
	static const struct h1_limits lim = { 8192, 16384, 1 << 20 };
	struct h1	p;
	size_t		used, off = 0;
	int		rc = H1_MORE;

	if (h1_init(&p, &lim) != 0)
		return -1;
	while (off < len && (rc == H1_MORE || rc == H1_HEAD)) {
		rc = h1_feed(&p, in + off, len - off, &used);
		off += used;
	}
	h1_free(&p);
	return rc < 400;
}

int
main(void)
{
	static const struct h1_limits lim = { 8192, 16384, 1 << 20 };
	http_parser	hp;
	struct spans	s;
	struct h1	p;
	size_t		used, i;
	double		t0, th1, thp;

	if (h1_init(&p, &lim) != 0)
		return 1;
	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		h1_reset(&p, 65536);
		if (h1_feed(&p, get, sizeof get - 1, &used) != H1_HEAD ||
		    h1_header(&p, "Host") == NULL)
			return 1;
	}
	th1 = (now() - t0) / ROUNDS * 1e9;
	h1_free(&p);

	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		http_parser_init(&hp, HTTP_REQUEST);
		s.n = 0;
		s.done = 0;
		hp.data = &s;
		if (http_parser_execute(&hp, &settings, get, sizeof get - 1) !=
		    sizeof get - 1 || !s.done)
			return 1;
	}
	thp = (now() - t0) / ROUNDS * 1e9;

	printf("keep-alive GET head (%zu bytes), ns per request:\n"
	    "  h1.c         %6.1f  (copies the head, checks every byte, "
	    "finds Host)\n  http-parser  %6.1f  (callbacks only: a server "
	    "still copies and checks)\n\n", sizeof get - 1, th1, thp);
	printf("%-22s %-10s %s\n", "hostile input", "h1.c", "http-parser");
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		printf("%-22s %-10s %s\n", hostile[i].what,
		    h1_accepts(hostile[i].in, hostile[i].len) ? "accepted" :
		    "refused", hp_accepts(hostile[i].in, hostile[i].len) ?
		    "accepted" : "refused");
	return 0;
}
