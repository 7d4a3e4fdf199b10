/*
 * h1.c: the strict incremental HTTP/1.1 request parser (see h1.h). The
 * head is copied into one buffer line by line and each line checked when
 * its LF arrives; the chunked body is a byte-wise state machine; both
 * take their input in pieces of any size.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/h1.h"

#define CHUNK_LINE_MAX	4096	/* a chunk-size line with its extensions */
#define SKIP_MAX	4	/* empty lines tolerated before a request */

enum h1_state {
	S_HEAD,		/* request line and header block */
	S_BODY,		/* Content-Length body */
	S_CHUNKED,	/* chunked body (cstate) */
	S_DONE,
	S_ERROR
};

enum chunk_state {
	C_SIZE0,	/* the first hex digit of a size */
	C_SIZE,		/* more digits, or what follows them */
	C_BWS,		/* whitespace before a ';' */
	C_EXT,		/* after ';': whitespace, then a name */
	C_EXT_NAME,
	C_EXT_NAME_BWS,	/* whitespace after a name: '=' or ';' */
	C_EXT_EQ,	/* after '=': whitespace, then a token or a string */
	C_EXT_TOK,
	C_EXT_QS,	/* inside a quoted string */
	C_EXT_QP,	/* after a backslash in it */
	C_EXT_QEND,	/* after its closing quote */
	C_SIZE_LF,	/* the LF of the size line */
	C_DATA,
	C_DATA_CR,
	C_DATA_LF,
	C_TR_START,	/* a trailer line, or the final CRLF */
	C_TR_NAME,
	C_TR_VALUE,
	C_TR_LF,
	C_END_LF
};

/* RFC 9110 5.6.2 tchar. */
static const unsigned char tchar[256] = {
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
	['*'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1,
	['`'] = 1, ['|'] = 1, ['~'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

#define IS_TCHAR(c)	(tchar[(unsigned char)(c)])
#define IS_WS(c)	((c) == ' ' || (c) == '\t')
/* field-vchar, SP and HTAB: a field value's bytes (obs-text allowed). */
#define IS_FIELD(c)	(((unsigned char)(c) >= 0x20 && (c) != 0x7f) || \
			    (c) == '\t')
#define IS_VCHAR(c)	((unsigned char)(c) > 0x20 && (unsigned char)(c) < 0x7f)

static const struct {
	const char		*name;
	size_t			 len;
	enum evhttp_cmd_type	 method;
} methods[] = {
	{ "GET", 3, EVHTTP_REQ_GET },
	{ "HEAD", 4, EVHTTP_REQ_HEAD },
	{ "POST", 4, EVHTTP_REQ_POST },
	{ "PUT", 3, EVHTTP_REQ_PUT },
	{ "PATCH", 5, EVHTTP_REQ_PATCH },
	{ "DELETE", 6, EVHTTP_REQ_DELETE },
	{ "OPTIONS", 7, EVHTTP_REQ_OPTIONS },
	{ "TRACE", 5, EVHTTP_REQ_TRACE },
	{ "CONNECT", 7, EVHTTP_REQ_CONNECT },
};

int
h1_method(const char *name, size_t len, enum evhttp_cmd_type *out)
{
	size_t	i;

	/* Method names are case-sensitive (RFC 9110 9.1). */
	for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (methods[i].len == len &&
		    memcmp(methods[i].name, name, len) == 0) {
			*out = methods[i].method;
			return 0;
		}
	return -1;
}

int
h1_init(struct h1 *p, const struct h1_limits *lim)
{
	memset(p, 0, sizeof *p);
	p->lim = *lim;
	if (p->lim.max_line > p->lim.max_head)
		p->lim.max_line = p->lim.max_head;
	if ((p->head = malloc(p->lim.max_head + 1)) == NULL)
		return -1;
	h1_reset(p, 0);
	return 0;
}

void
h1_free(struct h1 *p)
{
	if (p == NULL)
		return;
	free(p->head);
	free(p->body.p);
	p->head = NULL;
	p->body.p = NULL;
}

void
h1_reset(struct h1 *p, size_t keep)
{
	if (p->body.cap > keep) {
		free(p->body.p);
		p->body.p = NULL;
		p->body.cap = 0;
	}
	p->body.len = 0;
	p->hlen = p->line = 0;
	p->state = S_HEAD;
	p->skipped = 0;
	p->target = NULL;
	p->method_name = NULL;
	p->nf = 0;
	p->minor = 1;
	p->keep_alive = 1;
	p->expect_continue = p->chunked = 0;
	p->clen = p->left = 0;
	p->cstate = C_SIZE0;
	p->cline = p->tbytes = 0;
	p->why = NULL;
}

static int
fail(struct h1 *p, int status, const char *why)
{
	p->state = S_ERROR;
	p->why = why;
	/* Remembered for calls after the error (h1_feed answers it again). */
	p->left = (uint64_t)status;
	return status;
}

/* Room for n more body bytes; grows by doubling up to max_body. */
static int
body_reserve(struct h1 *p, size_t n)
{
	size_t	want = p->body.len + n, cap = p->body.cap;
	char	*np;

	if (want <= cap)
		return 0;
	if (cap < 1024)
		cap = 1024;
	while (cap < want)
		cap *= 2;
	if (cap > p->lim.max_body)
		cap = p->lim.max_body > want ? p->lim.max_body : want;
	if ((np = realloc(p->body.p, cap)) == NULL)
		return -1;
	p->body.p = np;
	p->body.cap = cap;
	return 0;
}

static int
request_line(struct h1 *p, char *s, size_t n)
{
	char	*sp, *end = s + n, *v;
	size_t	 i;

	for (i = 0; i < n && IS_TCHAR(s[i]); i++)
		;
	if (i == 0 || i == n || s[i] != ' ')
		return fail(p, 400, "malformed request line");
	sp = s + i;
	*sp = '\0';
	p->method_name = s;
	p->target = sp + 1;
	for (v = sp + 1; v < end && IS_VCHAR(*v); v++)
		;
	if (v == sp + 1 || v == end || *v != ' ')
		return fail(p, 400, "malformed request target");
	*v++ = '\0';
	if (end - v != 8 || memcmp(v, "HTTP/", 5) != 0 ||
	    v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' ||
	    v[7] > '9')
		return fail(p, 400, "malformed HTTP version");
	if (v[5] != '1')
		return fail(p, 505, "only HTTP/1.0 and HTTP/1.1 are served");
	p->minor = v[7] - '0';
	p->keep_alive = p->minor >= 1;
	if (p->target[0] != '/')
		return fail(p, 400, "the request target is not an absolute "
		    "path");
	if (h1_method(s, i, &p->method) != 0)
		return fail(p, 501, "unknown method");
	return H1_MORE;
}

static int
header_line(struct h1 *p, char *s, size_t n)
{
	char	*v, *e, *end = s + n;
	size_t	 i;

	if (IS_WS(s[0]))
		return fail(p, 400, "obsolete line folding");
	for (i = 0; i < n && IS_TCHAR(s[i]); i++)
		;
	if (i < n && IS_WS(s[i]))
		return fail(p, 400, "whitespace in a header name");
	if (i == 0 || i == n || s[i] != ':')
		return fail(p, 400, "invalid byte in a header name");
	if (p->nf == H1_MAXFIELDS)
		return fail(p, 431, "too many header fields");
	s[i] = '\0';
	for (v = s + i + 1; v < end && IS_WS(*v); v++)
		;
	for (e = v; e < end; e++)
		if (!IS_FIELD(*e))
			return fail(p, 400, "invalid byte in a header value");
	while (e > v && IS_WS(e[-1]))
		e--;
	*e = '\0';
	p->f[p->nf].name = s;
	p->f[p->nf].value = v;
	p->nf++;
	return H1_MORE;
}

/* A comma-separated list has token t (case-insensitive). */
static int
list_has(const char *v, const char *t)
{
	size_t	tl = strlen(t), n;

	while (*v != '\0') {
		while (*v == ',' || IS_WS(*v))
			v++;
		n = strcspn(v, ", \t");
		if (n == tl && strncasecmp(v, t, tl) == 0)
			return 1;
		v += n;
	}
	return 0;
}

/* The header block is complete: decide the framing. */
static int
head_done(struct h1 *p)
{
	const char	*v;
	int		 i, nhost = 0, ncl = 0, nte = 0;
	uint64_t	 cl = 0;

	for (i = 0; i < p->nf; i++) {
		const char *name = p->f[i].name;

		v = p->f[i].value;
		if (strcasecmp(name, "Host") == 0)
			nhost++;
		else if (strcasecmp(name, "Content-Length") == 0) {
			if (++ncl > 1)
				return fail(p, 400,
				    "more than one Content-Length");
			if (*v == '\0')
				return fail(p, 400, "empty Content-Length");
			for (; *v != '\0'; v++) {
				if (*v < '0' || *v > '9')
					return fail(p, 400,
					    "Content-Length is not a number");
				/* Saturates: anything that big is a 413. */
				if (cl <= UINT64_MAX / 20)
					cl = cl * 10 + (uint64_t)(*v - '0');
			}
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			if (strcasecmp(v, "chunked") != 0)
				return fail(p, 400, "Transfer-Encoding other "
				    "than chunked");
			if (++nte > 1)
				return fail(p, 400,
				    "more than one Transfer-Encoding");
		} else if (strcasecmp(name, "Connection") == 0) {
			if (list_has(v, "close"))
				p->keep_alive = 0;
			else if (list_has(v, "keep-alive") && p->minor == 0)
				p->keep_alive = 1;
		} else if (strcasecmp(name, "Expect") == 0) {
			if (strcasecmp(v, "100-continue") != 0)
				return fail(p, 417, "only Expect: "
				    "100-continue is understood");
			p->expect_continue = 1;
		}
	}
	if (nhost > 1)
		return fail(p, 400, "more than one Host header");
	if (nhost == 0 && p->minor >= 1)
		return fail(p, 400, "no Host header");
	if (ncl > 0 && nte > 0)
		return fail(p, 400, "both Content-Length and "
		    "Transfer-Encoding");
	if (nte > 0 && p->minor == 0)
		return fail(p, 400, "Transfer-Encoding in an HTTP/1.0 request");
	if ((p->method == EVHTTP_REQ_HEAD ||
	    p->method == EVHTTP_REQ_OPTIONS) && (nte > 0 || cl > 0))
		return fail(p, 400, "a body on a request that takes none");
	if (cl > p->lim.max_body)
		return fail(p, 413, "the body is larger than the server "
		    "takes");
	p->chunked = nte > 0;
	p->clen = cl;
	p->left = cl;
	if (p->chunked)
		p->state = S_CHUNKED;
	else if (cl > 0) {
		if (body_reserve(p, (size_t)cl) != 0)
			return fail(p, 503, "out of memory for the body");
		p->state = S_BODY;
	} else
		p->state = S_DONE;
	return H1_HEAD;
}

/* The line head[line..hlen), LF included, is complete. */
static int
head_line(struct h1 *p)
{
	char	*s = p->head + p->line;
	size_t	 n = p->hlen - p->line, i;

	if (n < 2 || s[n - 2] != '\r')
		return fail(p, 400, "a line ends in a bare LF");
	n -= 2;
	for (i = 0; i < n; i++)
		if (s[i] == '\r')
			return fail(p, 400, "a bare CR in the request head");
	s[n] = '\0';
	if (p->method_name == NULL) {
		if (n == 0) {
			/* RFC 9112 2.2: empty lines before a request. */
			if (++p->skipped > SKIP_MAX)
				return fail(p, 400, "empty lines instead of "
				    "a request");
			p->hlen = p->line;
			return H1_MORE;
		}
		return request_line(p, s, n);
	}
	if (n == 0)
		return head_done(p);
	return header_line(p, s, n);
}

static int
feed_head(struct h1 *p, const char *d, size_t len, size_t *used)
{
	const char	*nl;
	size_t		 i = 0, n;
	int		 rc;

	while (i < len) {
		nl = memchr(d + i, '\n', len - i);
		n = nl != NULL ? (size_t)(nl - (d + i)) + 1 : len - i;
		if (p->method_name == NULL &&
		    p->hlen - p->line + n > p->lim.max_line) {
			*used = i;
			return fail(p, 414, "the request line is too long");
		}
		if (p->hlen + n > p->lim.max_head) {
			*used = i;
			return fail(p, 431, "the request head is too large");
		}
		memcpy(p->head + p->hlen, d + i, n);
		p->hlen += n;
		i += n;
		if (nl == NULL)
			break;
		rc = head_line(p);
		p->line = p->hlen;
		if (rc != H1_MORE) {
			*used = i;
			return rc;
		}
	}
	*used = i;
	return H1_MORE;
}

int
h1_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#define QDTEXT(c)	((c) == '\t' || (c) == ' ' || (c) == 0x21 || \
			    ((unsigned char)(c) >= 0x23 && (c) != '\\' && \
			    (c) != 0x7f))

/* One byte of a chunk-size line's extensions; H1_MORE or an error. */
static int
chunk_ext(struct h1 *p, char c)
{
	switch (p->cstate) {
	case C_BWS:
		if (c == ';')
			p->cstate = C_EXT;
		else if (!IS_WS(c))
			return fail(p, 400, "malformed chunk size");
		break;
	case C_EXT:
		if (IS_TCHAR(c))
			p->cstate = C_EXT_NAME;
		else if (!IS_WS(c))
			return fail(p, 400, "malformed chunk extension");
		break;
	case C_EXT_NAME:
	case C_EXT_TOK:
		if (c == ';')
			p->cstate = C_EXT;
		else if (c == '=' && p->cstate == C_EXT_NAME)
			p->cstate = C_EXT_EQ;
		else if (IS_WS(c))
			p->cstate = p->cstate == C_EXT_NAME ? C_EXT_NAME_BWS :
			    C_BWS;
		else if (c == '\r')
			p->cstate = C_SIZE_LF;
		else if (!IS_TCHAR(c))
			return fail(p, 400, "malformed chunk extension");
		break;
	case C_EXT_NAME_BWS:
		if (c == '=')
			p->cstate = C_EXT_EQ;
		else if (c == ';')
			p->cstate = C_EXT;
		else if (!IS_WS(c))
			return fail(p, 400, "malformed chunk extension");
		break;
	case C_EXT_EQ:
		if (c == '"')
			p->cstate = C_EXT_QS;
		else if (IS_TCHAR(c))
			p->cstate = C_EXT_TOK;
		else if (!IS_WS(c))
			return fail(p, 400, "malformed chunk extension");
		break;
	case C_EXT_QS:
		if (c == '"')
			p->cstate = C_EXT_QEND;
		else if (c == '\\')
			p->cstate = C_EXT_QP;
		else if (!QDTEXT(c))
			return fail(p, 400, "malformed chunk extension");
		break;
	case C_EXT_QP:
		if (!IS_FIELD(c))
			return fail(p, 400, "malformed chunk extension");
		p->cstate = C_EXT_QS;
		break;
	case C_EXT_QEND:
		if (c == ';')
			p->cstate = C_EXT;
		else if (IS_WS(c))
			p->cstate = C_BWS;
		else if (c == '\r')
			p->cstate = C_SIZE_LF;
		else
			return fail(p, 400, "malformed chunk extension");
		break;
	}
	return H1_MORE;
}

/* One byte of chunked framing outside chunk data; H1_MORE, DONE, error. */
static int
chunk_byte(struct h1 *p, char c)
{
	int	h;

	if (p->cstate <= C_SIZE_LF && ++p->cline > CHUNK_LINE_MAX)
		return fail(p, 400, "chunk size line too long");
	switch (p->cstate) {
	case C_SIZE0:
	case C_SIZE:
		if ((h = h1_hexval(c)) >= 0) {
			/* The running total may not pass the limit. */
			if (p->left > (p->lim.max_body - p->body.len) / 16)
				return fail(p, 413, "the body is larger than "
				    "the server takes");
			p->left = p->left * 16 + (uint64_t)h;
			if (p->left > p->lim.max_body - p->body.len)
				return fail(p, 413, "the body is larger than "
				    "the server takes");
			p->cstate = C_SIZE;
		} else if (p->cstate == C_SIZE0)
			return fail(p, 400, "malformed chunk size");
		else if (c == ';')
			p->cstate = C_EXT;
		else if (IS_WS(c))
			p->cstate = C_BWS;
		else if (c == '\r')
			p->cstate = C_SIZE_LF;
		else
			return fail(p, 400, "malformed chunk size");
		break;
	case C_SIZE_LF:
		if (c != '\n')
			return fail(p, 400, "a bare CR in chunked framing");
		p->cline = 0;
		if (p->left == 0)
			p->cstate = C_TR_START;
		else {
			if (body_reserve(p, (size_t)p->left) != 0)
				return fail(p, 503, "out of memory for the "
				    "body");
			p->cstate = C_DATA;
		}
		break;
	case C_DATA_CR:
		if (c != '\r')
			return fail(p, 400, "chunk data longer than its size");
		p->cstate = C_DATA_LF;
		break;
	case C_DATA_LF:
		if (c != '\n')
			return fail(p, 400, "a bare CR in chunked framing");
		p->cstate = C_SIZE0;
		break;
	case C_TR_START:
	case C_TR_NAME:
	case C_TR_VALUE:
	case C_TR_LF:
	case C_END_LF:
		/* Trailers are checked and dropped: never merged. */
		if (++p->tbytes > p->lim.max_head)
			return fail(p, 431, "the trailer section is too "
			    "large");
		if (p->cstate == C_TR_START) {
			if (c == '\r')
				p->cstate = C_END_LF;
			else if (IS_TCHAR(c))
				p->cstate = C_TR_NAME;
			else
				return fail(p, 400, "malformed trailer");
		} else if (p->cstate == C_TR_NAME) {
			if (c == ':')
				p->cstate = C_TR_VALUE;
			else if (!IS_TCHAR(c))
				return fail(p, 400, "malformed trailer");
		} else if (p->cstate == C_TR_VALUE) {
			if (c == '\r')
				p->cstate = C_TR_LF;
			else if (!IS_FIELD(c))
				return fail(p, 400, "malformed trailer");
		} else {
			if (c != '\n')
				return fail(p, 400, "a bare CR in a trailer");
			if (p->cstate == C_END_LF) {
				p->state = S_DONE;
				return H1_DONE;
			}
			p->cstate = C_TR_START;
		}
		break;
	default:
		return chunk_ext(p, c);
	}
	return H1_MORE;
}

static int
feed_chunked(struct h1 *p, const char *d, size_t len, size_t *used)
{
	size_t	i = 0, n;
	int	rc;

	while (i < len) {
		if (p->cstate == C_DATA) {
			n = len - i;
			if (n > p->left)
				n = (size_t)p->left;
			memcpy(p->body.p + p->body.len, d + i, n);
			p->body.len += n;
			p->left -= n;
			i += n;
			if (p->left == 0)
				p->cstate = C_DATA_CR;
			continue;
		}
		rc = chunk_byte(p, d[i++]);
		if (rc != H1_MORE) {
			*used = i;
			return rc;
		}
	}
	*used = i;
	return H1_MORE;
}

int
h1_feed(struct h1 *p, const char *d, size_t len, size_t *used)
{
	size_t	n;

	*used = 0;
	switch (p->state) {
	case S_HEAD:
		return feed_head(p, d, len, used);
	case S_BODY:
		n = len < p->left ? len : (size_t)p->left;
		memcpy(p->body.p + p->body.len, d, n);
		p->body.len += n;
		p->left -= n;
		*used = n;
		if (p->left > 0)
			return H1_MORE;
		p->state = S_DONE;
		return H1_DONE;
	case S_CHUNKED:
		return feed_chunked(p, d, len, used);
	case S_DONE:
		return H1_DONE;
	default:
		return (int)p->left;
	}
}

int
h1_body_expected(const struct h1 *p)
{
	return p->state == S_BODY || p->state == S_CHUNKED;
}

const char *
h1_header(const struct h1 *p, const char *name)
{
	int	i;

	for (i = 0; i < p->nf; i++)
		if (strcasecmp(p->f[i].name, name) == 0)
			return p->f[i].value;
	return NULL;
}

int
h1_media_is(const char *v, const char *want)
{
	size_t	n = strlen(want);

	if (v == NULL || strncasecmp(v, want, n) != 0)
		return 0;
	v += n;
	while (IS_WS(*v))
		v++;
	return *v == '\0' || *v == ';';
}
