/*
 * response.c: a strict reader for one HTTP/1.1 response (status line,
 * headers, a body framed by Content-Length, chunked coding or the close);
 * see response.h. Every size is bounded; anything ambiguous is an error.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>

#include "response.h"

enum parse_state {
	ST_STATUS,		/* status line */
	ST_HEADERS,		/* header lines until the empty one */
	ST_LENGTH,		/* body of Content-Length bytes */
	ST_CHUNK_SIZE,		/* chunk-size line */
	ST_CHUNK_DATA,		/* chunk data */
	ST_CHUNK_END,		/* CRLF after the chunk data */
	ST_TRAILER,		/* trailer lines until the empty one */
	ST_UNTIL_CLOSE,		/* body runs until the connection closes */
	ST_DONE
};

struct response_parser {
	enum parse_state	 state;
	struct response		*resp;
	struct evbuffer		*body;
	size_t			 header_bytes;
	size_t			 remaining;	/* ST_LENGTH, ST_CHUNK_DATA */
	int			 started;
	/* response_parser_sink: a 200 answer's body goes here. */
	int			(*sink)(const void *, size_t, void *);
	void			*sink_arg;
};

void
response_parser_sink(struct response_parser *p,
    int (*sink)(const void *, size_t, void *), void *arg)
{
	p->sink = sink;
	p->sink_arg = arg;
}

/* 1 when the body goes to the sink: set, and the answer is a 200. */
static int
sinking(const struct response_parser *p)
{
	return p->sink != NULL && p->resp->status == 200;
}

const char *
response_header(const struct response *r, const char *name)
{
	return evhttp_find_header(&r->headers, name);
}

void
response_free(struct response *r)
{
	if (r == NULL)
		return;
	evhttp_clear_headers(&r->headers);
	free(r->reason);
	free(r->body);
	free(r);
}

static struct response *
resp_new(void)
{
	struct response	*r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	TAILQ_INIT(&r->headers);
	return r;
}

struct response_parser *
response_parser_new(void)
{
	struct response_parser	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->resp = resp_new();
	p->body = evbuffer_new();
	if (p->resp == NULL || p->body == NULL) {
		response_parser_free(p);
		return NULL;
	}
	p->state = ST_STATUS;
	return p;
}

void
response_parser_free(struct response_parser *p)
{
	if (p == NULL)
		return;
	response_free(p->resp);
	if (p->body != NULL)
		evbuffer_free(p->body);
	free(p);
}

int
response_parser_started(const struct response_parser *p)
{
	return p->started;
}

static int
fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* "HTTP/1.x SP 3DIGIT [SP reason]" */
static int
parse_status(struct response *r, const char *line)
{
	const char	*p = line;

	if (strncmp(p, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)p[7]) ||
	    p[8] != ' ')
		return -1;
	p += 9;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || (p[3] != ' ' && p[3] != '\0'))
		return -1;
	r->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (r->status < 100 || r->status > 599)
		return -1;
	free(r->reason);
	r->reason = strdup(p[3] == ' ' ? p + 4 : "");
	return r->reason == NULL ? -1 : 0;
}

static int
tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static int
parse_header(struct response *r, char *line)
{
	char	*colon, *v, *end;

	/* obs-fold and whitespace before the colon are refused (RFC 9112). */
	if ((colon = strchr(line, ':')) == NULL || colon == line)
		return -1;
	for (v = line; v < colon; v++)
		if (!tchar((unsigned char)*v))
			return -1;
	*colon = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return evhttp_add_header(&r->headers, line, v);
}

/* All Content-Length values must agree; -1 if none is well-formed. */
static int
content_length(const struct response *r, size_t max, size_t *out)
{
	struct evkeyval	*kv;
	const char	*p;
	size_t		 n;
	int		 seen = 0;

	TAILQ_FOREACH(kv, &r->headers, next) {
		if (strcasecmp(kv->key, "Content-Length") != 0)
			continue;
		n = 0;
		if (kv->value[0] == '\0')
			return -1;
		for (p = kv->value; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p) ||
			    n > (max - (size_t)(*p - '0')) / 10)
				return -1;
			n = n * 10 + (size_t)(*p - '0');
		}
		if (seen && n != *out)
			return -1;
		*out = n;
		seen = 1;
	}
	return seen ? 1 : 0;
}

/* 1 if the last transfer coding is chunked. */
static int
is_chunked(const char *te)
{
	const char	*last = strrchr(te, ',');
	size_t		 n;

	last = last ? last + 1 : te;
	while (*last == ' ' || *last == '\t')
		last++;
	n = strlen(last);
	while (n > 0 && (last[n - 1] == ' ' || last[n - 1] == '\t'))
		n--;
	return n == 7 && strncasecmp(last, "chunked", 7) == 0;
}

/* After the headers: how the body is framed (RFC 9112 6.3). */
static int
body_framing(struct response_parser *p, char *err, size_t errlen)
{
	struct response	*r = p->resp;
	const char	*te;
	size_t		 len = 0;
	int		 cl;

	if (r->status < 200) {
		/* An interim answer: the real one follows. */
		evhttp_clear_headers(&r->headers);
		p->header_bytes = 0;
		p->state = ST_STATUS;
		return 0;
	}
	if (r->status == 204 || r->status == 304) {
		p->state = ST_DONE;
		return 0;
	}
	if ((te = response_header(r, "Transfer-Encoding")) != NULL) {
		if (response_header(r, "Content-Length") != NULL)
			return fail(err, errlen,
			    "answer has both Transfer-Encoding and "
			    "Content-Length");
		p->state = is_chunked(te) ? ST_CHUNK_SIZE : ST_UNTIL_CLOSE;
		return 0;
	}
	if ((cl = content_length(r, sinking(p) ? SIZE_MAX : RESPONSE_MAX_BODY,
	    &len)) == -1)
		return fail(err, errlen, "answer has a bad Content-Length");
	if (cl == 1) {
		p->remaining = len;
		p->state = len > 0 ? ST_LENGTH : ST_DONE;
		return 0;
	}
	/* A download is framed by its length, so that a cut is seen. */
	if (sinking(p))
		return fail(err, errlen, "download without a Content-Length");
	p->state = ST_UNTIL_CLOSE;
	return 0;
}

static int
chunk_size(const char *line, size_t *out)
{
	const char	*p = line;
	size_t		 n = 0;
	int		 d;

	if (!isxdigit((unsigned char)*p))
		return -1;
	for (; isxdigit((unsigned char)*p); p++) {
		d = isdigit((unsigned char)*p) ? *p - '0' :
		    tolower((unsigned char)*p) - 'a' + 10;
		if (n > (RESPONSE_MAX_BODY - (size_t)d) / 16)
			return -1;
		n = n * 16 + (size_t)d;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	/* Chunk extensions carry nothing we use. */
	if (*p != '\0' && *p != ';')
		return -1;
	*out = n;
	return 0;
}

/* Move up to p->remaining body bytes from in. */
static int
take_body(struct response_parser *p, struct evbuffer *in)
{
	struct evbuffer_iovec	 v;
	size_t			 n = evbuffer_get_length(in), m, done = 0;

	if (n > p->remaining)
		n = p->remaining;
	/* A sink takes the bytes straight from libevent's first chunk. */
	while (sinking(p) && done < n) {
		if (evbuffer_peek(in, -1, NULL, &v, 1) < 1)
			return -1;
		m = v.iov_len < n - done ? v.iov_len : n - done;
		if (p->sink(v.iov_base, m, p->sink_arg) != 0)
			return -2;
		if (evbuffer_drain(in, m) == -1)
			return -1;
		done += m;
	}
	if (!sinking(p) && n > 0 &&
	    evbuffer_remove_buffer(in, p->body, n) != (int)n)
		return -1;
	p->remaining -= n;
	return 0;
}

static int
finish(struct response_parser *p)
{
	struct response	*r = p->resp;
	size_t		 n = evbuffer_get_length(p->body);

	if ((r->body = malloc(n + 1)) == NULL)
		return -1;
	if (n > 0 && evbuffer_remove(p->body, r->body, n) != (int)n)
		return -1;
	r->body[n] = '\0';
	r->bodylen = n;
	p->state = ST_DONE;
	return 1;
}

/* A line, or NULL when none is complete yet (or it is too long: *toolong). */
static char *
read_line(struct evbuffer *in, int *toolong)
{
	char	*line;
	size_t	 n;

	*toolong = 0;
	line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);
	if (line == NULL && evbuffer_get_length(in) > RESPONSE_MAX_LINE)
		*toolong = 1;
	if (line != NULL && (n > RESPONSE_MAX_LINE || strlen(line) != n)) {
		/* Too long, or a NUL inside. */
		free(line);
		line = NULL;
		*toolong = 1;
	}
	return line;
}

/* One line of the head, a chunk's framing or the trailer. */
static int
feed_line(struct response_parser *p, char *line, char *err, size_t errlen)
{
	struct response	*r = p->resp;
	size_t		 size;
	int		 rc;

	rc = 0;
	switch (p->state) {
	case ST_STATUS:
		if (parse_status(r, line) == -1)
			rc = fail(err, errlen,
			    "answer is not HTTP/1.x");
		else
			p->state = ST_HEADERS;
		break;
	case ST_HEADERS:
		p->header_bytes += strlen(line) + 2;
		if (p->header_bytes > RESPONSE_MAX_HEADERS)
			rc = fail(err, errlen, "answer headers too long");
		else if (line[0] == '\0')
			rc = body_framing(p, err, errlen);
		else if (parse_header(r, line) == -1)
			rc = fail(err, errlen,
			    "answer has a malformed header");
		break;
	case ST_CHUNK_SIZE:
		if (chunk_size(line, &size) == -1 ||
		    size > RESPONSE_MAX_BODY -
		    evbuffer_get_length(p->body))
			rc = fail(err, errlen,
			    "answer has a bad chunk size");
		else if (size == 0)
			p->state = ST_TRAILER;
		else {
			p->remaining = size;
			p->state = ST_CHUNK_DATA;
		}
		break;
	case ST_CHUNK_END:
		if (line[0] != '\0')
			rc = fail(err, errlen,
			    "answer has a malformed chunk");
		else
			p->state = ST_CHUNK_SIZE;
		break;
	case ST_TRAILER:
		p->header_bytes += strlen(line) + 2;
		if (p->header_bytes > RESPONSE_MAX_HEADERS)
			rc = fail(err, errlen, "answer trailer too long");
		else if (line[0] == '\0')
			rc = finish(p) == 1 ? 1 :
			    fail(err, errlen, "out of memory");
		break;
	default:
		break;
	}
	return rc;
}

int
response_parser_feed(struct response_parser *p, struct evbuffer *in, int eof,
    char *err, size_t errlen)
{
	char		*line = NULL;
	int		 toolong, rc;

	if (evbuffer_get_length(in) > 0)
		p->started = 1;
	for (;;) {
		switch (p->state) {
		case ST_STATUS:
		case ST_HEADERS:
		case ST_CHUNK_SIZE:
		case ST_CHUNK_END:
		case ST_TRAILER:
			if ((line = read_line(in, &toolong)) == NULL) {
				if (toolong)
					return fail(err, errlen, "answer has "
					    "an over-long or malformed line");
				goto more;
			}
			break;
		case ST_LENGTH:
		case ST_CHUNK_DATA:
			if ((rc = take_body(p, in)) != 0)
				return fail(err, errlen, rc == -2 ?
				    "cannot write the answer" :
				    "out of memory");
			if (p->remaining > 0)
				goto more;
			if (p->state == ST_LENGTH)
				return finish(p) == 1 ? 1 :
				    fail(err, errlen, "out of memory");
			p->state = ST_CHUNK_END;
			continue;
		case ST_UNTIL_CLOSE:
			if (evbuffer_get_length(p->body) +
			    evbuffer_get_length(in) > RESPONSE_MAX_BODY)
				return fail(err, errlen, "answer too large");
			if (evbuffer_add_buffer(p->body, in) == -1)
				return fail(err, errlen, "out of memory");
			if (!eof)
				return 0;
			return finish(p) == 1 ? 1 :
			    fail(err, errlen, "out of memory");
		case ST_DONE:
			return 1;
		}

		rc = feed_line(p, line, err, errlen);
		free(line);
		if (rc != 0)
			return rc;
		if (p->state == ST_DONE)
			return finish(p) == 1 ? 1 :
			    fail(err, errlen, "out of memory");
	}
 more:
	if (eof)
		return fail(err, errlen, p->started ?
		    "connection closed in the middle of the answer" :
		    "connection closed without an answer");
	return 0;
}

struct response *
response_parser_take(struct response_parser *p)
{
	struct response	*r;

	if (p->state != ST_DONE || p->resp->body == NULL)
		return NULL;
	r = p->resp;
	p->resp = NULL;
	return r;
}
