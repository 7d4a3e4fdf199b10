/*
 * response.h: auditorctl's HTTP/1.1 response reader. client.c speaks
 * HTTP/1.1 itself over the TLS bufferevent (why not evhttp's client: see
 * client.c), and this is the strict, bounded parser for what comes back.
 */
#ifndef RESPONSE_H
#define RESPONSE_H

#include <stddef.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#define RESPONSE_MAX_LINE	8192		/* status or header line */
#define RESPONSE_MAX_HEADERS	(64 * 1024)	/* all header lines */
#define RESPONSE_MAX_BODY	(256 * 1024 * 1024)

struct response {
	int			 status;	/* 100..599 */
	char			*reason;	/* reason phrase, may be "" */
	struct evkeyvalq	 headers;
	char			*body;		/* NUL-terminated; "" if none */
	size_t			 bodylen;
};

/* The first value of header name (case-insensitive), or NULL. */
const char	*response_header(const struct response *, const char *name);
void		 response_free(struct response *);

struct response_parser;

/* A parser for the answer to one request; NULL if out of memory. */
struct response_parser	*response_parser_new(void);
void			 response_parser_free(struct response_parser *);

/*
 * Send the body of a 200 answer to sink as it arrives, in pieces, instead
 * of keeping it (the response's body is then ""), with no size limit but
 * a Content-Length (a cut download is an error, never a short file).
 * sink returns 0, or -1 to stop (the feed fails, "cannot write"). Other
 * statuses are kept as usual, for their problem+json.
 */
void	response_parser_sink(struct response_parser *,
	    int (*sink)(const void *, size_t, void *), void *arg);

/*
 * Consume what arrived in in (drained as it is used); eof says the peer
 * closed the connection. Returns 1 once the response is complete (then
 * take it), 0 while more is needed, -1 when the answer is malformed or over
 * a limit, with a message in err.
 */
int	response_parser_feed(struct response_parser *, struct evbuffer *in,
	    int eof, char *err, size_t errlen);

/* 1 if any byte of a response has been consumed. */
int	response_parser_started(const struct response_parser *);

/*
 * The completed response, which the caller now owns (response_free), or
 * NULL if feed has not returned 1.
 */
struct response	*response_parser_take(struct response_parser *);

#endif
