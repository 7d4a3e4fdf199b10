/*
 * h1.h: a strict, incremental HTTP/1.1 request parser (RFC 9112): the
 * request line, the header block, and a Content-Length or chunked body,
 * fed bytes in pieces of any size. It knows nothing of sockets, TLS or
 * routes, so the unit tests and the fuzz harness drive it alone.
 *
 * Strict by construction: every byte outside the token and field-value
 * sets (NUL, other controls, bare CR or LF) ends the request with 400;
 * the request line and header block have limits (414, 431); the framing
 * is one Content-Length or one Transfer-Encoding: chunked, never both;
 * chunk sizes are plain hex with overflow checks; chunk extensions are
 * parsed and ignored; trailers are parsed and discarded.
 */
#ifndef H1_H
#define H1_H

#include <stddef.h>
#include <stdint.h>

#include <event2/http.h>	/* enum evhttp_cmd_type, the method names */

#define H1_MAXFIELDS	64	/* header fields per request; more is 431 */

/* h1_feed's answers besides an HTTP status (400 and up) for an error. */
#define H1_MORE		0	/* every byte taken; feed more */
#define H1_HEAD		1	/* the head is complete: see h1_expect_continue */
#define H1_DONE		2	/* the request is complete */

/* The limits a parser checks; sizes in bytes. */
struct h1_limits {
	size_t		max_line;	/* request line, CRLF included */
	size_t		max_head;	/* request line and header block */
	size_t		max_body;	/* declared or running chunk total */
};

/* One header field: name and value NUL-terminated in the head buffer. */
struct h1_field {
	const char	*name;
	const char	*value;		/* leading and trailing OWS trimmed */
};

/*
 * The connection's body buffer: grown as needed up to max_body and kept
 * from one request to the next (h1_reset empties it without freeing, so a
 * keep-alive connection allocates nothing per request).
 */
struct h1_body {
	char		*p;
	size_t		 len;
	size_t		 cap;
};

/*
 * A request being parsed. head is a buffer of max_head bytes owned by the
 * parser (h1_init, h1_free); field names, values, the method and the
 * target point into it and are valid until the next h1_reset.
 */
struct h1 {
	struct h1_limits	 lim;
	char			*head;
	size_t			 hlen;		/* bytes of head stored */
	size_t			 line;		/* offset of the current line */
	int			 state;		/* enum in h1.c */
	int			 skipped;	/* empty lines before the request */

	/* The request, valid from H1_HEAD. */
	enum evhttp_cmd_type	 method;
	const char		*method_name;
	char			*target;	/* origin-form, NUL-terminated */
	int			 minor;		/* HTTP/1.minor */
	struct h1_field		 f[H1_MAXFIELDS];
	int			 nf;
	int			 keep_alive;	/* 0: close after the answer */
	int			 expect_continue;
	int			 chunked;
	uint64_t		 clen;		/* Content-Length, if not chunked */

	/* The body, read from H1_HEAD to H1_DONE. */
	struct h1_body		 body;
	uint64_t		 left;		/* of the length, or of the chunk */
	int			 cstate;	/* chunked framing: enum in h1.c */
	size_t			 cline;		/* bytes of the current chunk line */
	size_t			 tbytes;	/* trailer bytes */

	const char		*why;		/* the error's detail */
};

/* Set up p with limits; -1 when out of memory. h1_free releases it. */
int	h1_init(struct h1 *, const struct h1_limits *);
void	h1_free(struct h1 *);

/*
 * Ready for the next request on the connection. The body buffer is kept,
 * unless it grew past keep bytes (an idle connection should not hold a
 * megabyte).
 */
void	h1_reset(struct h1 *, size_t keep);

/*
 * Take bytes from data[0..len): *used says how many were taken. Returns
 * H1_MORE (all taken, the request is not complete), H1_HEAD once when the
 * head is complete (call again with the rest for the body), H1_DONE when
 * the request is complete (bytes after it, a pipelined request, are not
 * taken), or an HTTP status from 400 up with the detail in why; after an
 * error the parser takes nothing more until h1_reset.
 */
int	h1_feed(struct h1 *, const char *data, size_t len, size_t *used);

/* 1 when a body is still to come (Content-Length above 0, or chunked). */
int	h1_body_expected(const struct h1 *);

/* A request header's value (case-insensitive name; the first), or NULL. */
const char *h1_header(const struct h1 *, const char *name);

/*
 * Media type of a Content-Type value against want ("application/json"),
 * per RFC 9110 8.3: type/subtype compared case-insensitively and whole,
 * then nothing or parameters after ';'. 1 when it matches.
 */
int	h1_media_is(const char *value, const char *want);

/* The method named by name[0..len), or -1 when it is not one we know. */
int	h1_method(const char *name, size_t len, enum evhttp_cmd_type *out);

/* A hex digit's value (either case), or -1: chunk sizes, %XX. */
int	h1_hexval(int c);

#endif
