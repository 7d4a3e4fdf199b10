/*
 * client.h: auditorctl's connection to auditord: one HTTPS request per call
 * (resolve, connect with a deadline, TLS with the client certificate,
 * HTTP/1.1 over the TLS bufferevent, wait for the whole answer).
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

#include "response.h"

#define CLIENT_CONNECT_MS	10000	/* per address */
#define CLIENT_ANSWER_MS	30000	/* from connected to the whole answer */

/* A parsed server URL: https://HOST[:PORT][/PREFIX] */
struct client_url {
	char	host[256];	/* name or address, IPv6 without brackets */
	char	port[6];	/* "443" when the URL has none */
	char	prefix[256];	/* path before /v1 without a trailing '/', or "" */
	int	ipv6;		/* host was an [IPv6] literal */
};

/*
 * Parse url into out. Only https is accepted; no user info, query or
 * fragment. Returns 0, or -1 with a message in err.
 */
int	client_url_parse(const char *url, struct client_url *out, char *err,
	    size_t errlen);

/* "host:port" or "[v6]:port", for messages and the Host header. */
void	client_url_authority(const struct client_url *, char *, size_t,
	    int omit_default_port);

struct client;

/*
 * A client for server url that verifies the server against ca and presents
 * cert/key (both NULL for none). Reads and parses the files now: returns
 * NULL with a message naming the file in err when one cannot be read or
 * used. Free with client_free().
 */
struct client	*client_new(const char *url, const char *ca, const char *cert,
		    const char *key, char *err, size_t errlen);
void		 client_free(struct client *);

enum client_result {
	CLIENT_OK = 0,		/* an answer arrived (any status) */
	CLIENT_ECONNECT = -1,	/* resolve, connect, TLS or timeout failure */
	CLIENT_EPROTO = -2	/* the answer was malformed or cut short */
};

/*
 * Send one request: method ("GET"), path (starting with '/', appended to the
 * URL's prefix), ctype and body (body NULL: none), if_match (NULL: none).
 * Returns CLIENT_OK with the answer in *out (the caller frees it with
 * response_free), or an error with a message in err.
 */
int	client_request(struct client *, const char *method, const char *path,
	    const char *ctype, const char *body, size_t bodylen,
	    const char *if_match, struct response **out, char *err,
	    size_t errlen);

/*
 * GET path with a 200 answer's body handed to sink as it arrives (see
 * response_parser_sink: no size limit, Content-Length required), for
 * downloads such as a backup. The answer deadline counts from the last
 * bytes received, not from the request. *out holds the status and
 * headers (and the body of any other status).
 */
int	client_download(struct client *, const char *path,
	    int (*sink)(const void *, size_t, void *), void *arg,
	    struct response **out, char *err, size_t errlen);

#endif
