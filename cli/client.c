/*
 * client.c: one HTTPS request to auditord per call; see client.h.
 *
 * Why not evhttp's client: evhttp_make_request() (libevent 2.1) closes the
 * socket its bufferevent holds and connects one of its own, so the connect
 * is bounded only by evhttp's single timeout and its failures come back as
 * evhttp's error kinds, not "cannot connect to ...: Connection refused";
 * and it reads answers with the lenient framing TLS-NOTES.md describes for
 * evhttp's server side (the first of two Content-Lengths wins). One request
 * per connection needs little: we connect with our own deadline, hand the
 * socket to tls_client_bev(), write the request and read the answer with
 * response.c, which refuses anything ambiguous.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "client.h"
#include "response.h"
#include "tls.h"
#include "version.h"

struct client {
	struct client_url	 url;
	char			 where[300];	/* host:port for messages */
	char			 hosthdr[300];	/* Host header */
	struct event_base	*base;
	struct tls_shared	*shared;
	struct tls_client	*tls;
};

/* One request's state while the event loop runs. */
struct exchange {
	struct client		*c;
	struct bufferevent	*bev;
	struct response_parser	*parser;
	int			 result;	/* 1 while running */
	char			*err;
	size_t			 errlen;
	struct event		*deadline;
	int			 idle;	/* the deadline restarts on each read */
};

static int
url_host_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

int
client_url_parse(const char *url, struct client_url *out, char *err,
    size_t errlen)
{
	const char	*p, *h, *hend, *path;
	struct in6_addr	 a6;
	unsigned long	 port = 443;
	size_t		 n;
	char		*end;

	memset(out, 0, sizeof *out);
	if (strncasecmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "server URL '%s' is not https://HOST[:PORT]",
		    url);
		return -1;
	}
	p = url + 8;
	path = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(path - p)) != NULL) {
		snprintf(err, errlen, "server URL '%s' has user information",
		    url);
		return -1;
	}
	if (*p == '[') {
		h = p + 1;
		if ((hend = memchr(h, ']', (size_t)(path - h))) == NULL)
			goto bad;
		p = hend + 1;
		out->ipv6 = 1;
	} else {
		h = p;
		for (hend = h; hend < path && *hend != ':'; hend++)
			if (!url_host_char((unsigned char)*hend))
				goto bad;
		p = hend;
	}
	n = (size_t)(hend - h);
	if (n == 0 || n >= sizeof out->host)
		goto bad;
	memcpy(out->host, h, n);
	out->host[n] = '\0';
	if (out->ipv6 && inet_pton(AF_INET6, out->host, &a6) != 1)
		goto bad;
	if (*p == ':') {
		p++;
		if (p == path || *p < '0' || *p > '9')
			goto bad;
		errno = 0;
		port = strtoul(p, &end, 10);
		if (end != path || errno != 0 || port == 0 || port > 65535)
			goto bad;
	} else if (p != path)
		goto bad;
	snprintf(out->port, sizeof out->port, "%lu", port);
	if (strpbrk(path, "?#") != NULL) {
		snprintf(err, errlen, "server URL '%s' has a query or fragment",
		    url);
		return -1;
	}
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n >= sizeof out->prefix)
		goto bad;
	memcpy(out->prefix, path, n);
	out->prefix[n] = '\0';
	return 0;
 bad:
	snprintf(err, errlen, "server URL '%s' is not https://HOST[:PORT]", url);
	return -1;
}

void
client_url_authority(const struct client_url *u, char *buf, size_t len,
    int omit_default_port)
{
	const char	*l = u->ipv6 ? "[" : "", *r = u->ipv6 ? "]" : "";

	if (omit_default_port && strcmp(u->port, "443") == 0)
		snprintf(buf, len, "%s%s%s", l, u->host, r);
	else
		snprintf(buf, len, "%s%s%s:%s", l, u->host, r, u->port);
}

/* fopen rather than access(): the message then says why, not just that. */
static int
readable(const char *what, const char *path, char *err, size_t errlen)
{
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read %s %s: %s", what, path,
		    strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

struct client *
client_new(const char *url, const char *ca, const char *cert, const char *key,
    char *err, size_t errlen)
{
	struct client	*c;
	char		 msg[512];

	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (client_url_parse(url, &c->url, err, errlen) == -1)
		goto fail;
	client_url_authority(&c->url, c->where, sizeof c->where, 0);
	client_url_authority(&c->url, c->hosthdr, sizeof c->hosthdr, 1);
	if (ca == NULL) {
		snprintf(err, errlen, "no CA certificate to verify the server "
		    "(--ca, AUDITORCTL_CA or ca= in the config file)");
		goto fail;
	}
	if (readable("CA certificate", ca, err, errlen) == -1 ||
	    (cert != NULL && readable("certificate", cert, err, errlen) == -1) ||
	    (key != NULL && readable("key", key, err, errlen) == -1))
		goto fail;
	if ((c->base = event_base_new()) == NULL) {
		snprintf(err, errlen, "cannot make an event base");
		goto fail;
	}
	if ((c->shared = tls_shared_new(msg, sizeof msg)) == NULL) {
		snprintf(err, errlen, "TLS: %s", msg);
		goto fail;
	}
	c->tls = tls_client_new(c->shared, ca, cert, key, c->url.host, msg,
	    sizeof msg);
	if (c->tls == NULL) {
		snprintf(err, errlen, "TLS: %s", msg);
		goto fail;
	}
	return c;
 fail:
	client_free(c);
	return NULL;
}

void
client_free(struct client *c)
{
	if (c == NULL)
		return;
	tls_client_free(c->tls);
	tls_shared_free(c->shared);
	if (c->base != NULL)
		event_base_free(c->base);
	free(c);
}

/* Returns 0 with a connected non-blocking socket in *fd, or an errno. */
static int
connect_one(const struct addrinfo *ai, int *fd)
{
	struct pollfd	pfd;
	socklen_t	len;
	int		s, e = 0, one = 1;

	s = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (s == -1)
		return errno;
	if (connect(s, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS) {
			e = errno;
			goto fail;
		}
		pfd.fd = s;
		pfd.events = POLLOUT;
		for (;;) {
			int n = poll(&pfd, 1, CLIENT_CONNECT_MS);
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1) {
				e = errno;
				goto fail;
			}
			if (n == 0) {
				e = ETIMEDOUT;
				goto fail;
			}
			break;
		}
		len = sizeof e;
		if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
			e = errno;
		if (e != 0)
			goto fail;
	}
	/* The request goes out in one write; do not let Nagle hold it. */
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*fd = s;
	return 0;
 fail:
	close(s);
	return e;
}

static int
connect_server(struct client *c, int *fd, char *err, size_t errlen)
{
	struct addrinfo	 hints, *res, *ai;
	int		 rc, e = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(c->url.host, c->url.port, &hints, &res)) != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", c->url.host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if ((e = connect_one(ai, fd)) == 0)
			break;
	freeaddrinfo(res);
	if (ai == NULL) {
		snprintf(err, errlen, "cannot connect to %s: %s", c->where,
		    strerror(e ? e : EHOSTUNREACH));
		return -1;
	}
	return 0;
}

static void
exchange_end(struct exchange *x, int result)
{
	if (x->result != 1)
		return;
	x->result = result;
	event_base_loopbreak(x->c->base);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct exchange	*x = arg;
	struct timeval	 tv = { CLIENT_ANSWER_MS / 1000,
			    (CLIENT_ANSWER_MS % 1000) * 1000 };
	int		 rc;

	if (x->idle)
		evtimer_add(x->deadline, &tv);
	rc = response_parser_feed(x->parser, bufferevent_get_input(bev), 0,
	    x->err, x->errlen);
	if (rc == 1)
		exchange_end(x, CLIENT_OK);
	else if (rc == -1)
		exchange_end(x, CLIENT_EPROTO);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct exchange	*x = arg;
	const char	*tlserr;
	int		 rc, e = EVUTIL_SOCKET_ERROR();

	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)))
		return;
	if ((tlserr = tls_bev_error(bev)) != NULL) {
		/* Once the answer began, a failure cuts it short. */
		snprintf(x->err, x->errlen, "%sTLS: %s",
		    response_parser_started(x->parser) ? "answer cut short: " :
		    "", tlserr);
		exchange_end(x, response_parser_started(x->parser) ?
		    CLIENT_EPROTO : CLIENT_ECONNECT);
		return;
	}
	if (what & BEV_EVENT_EOF) {
		rc = response_parser_feed(x->parser, bufferevent_get_input(bev),
		    1, x->err, x->errlen);
		if (rc == 1)
			exchange_end(x, CLIENT_OK);
		else if (!response_parser_started(x->parser)) {
			snprintf(x->err, x->errlen, "connection to %s closed "
			    "without an answer", x->c->where);
			exchange_end(x, CLIENT_ECONNECT);
		} else
			exchange_end(x, CLIENT_EPROTO);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		e = ETIMEDOUT;
	snprintf(x->err, x->errlen, "%sconnection to %s failed: %s",
	    response_parser_started(x->parser) ? "answer cut short: " : "",
	    x->c->where, e ? strerror(e) : "unknown error");
	exchange_end(x, response_parser_started(x->parser) ? CLIENT_EPROTO :
	    CLIENT_ECONNECT);
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct exchange	*x = arg;

	(void)fd;
	(void)what;
	snprintf(x->err, x->errlen, "%s from %s within %d seconds",
	    x->idle ? "nothing more" : "no answer", x->c->where,
	    CLIENT_ANSWER_MS / 1000);
	exchange_end(x, CLIENT_ECONNECT);
}

static struct evbuffer *
request_bytes(struct client *c, const char *method, const char *path,
    const char *ctype, const char *body, size_t bodylen, const char *if_match)
{
	struct evbuffer	*b;
	int		 rc;

	if ((b = evbuffer_new()) == NULL)
		return NULL;
	/*
	 * One request per connection, but no "Connection: close": we close
	 * (with close_notify) once the answer is in, so the TIME_WAIT stays
	 * on our side rather than piling up on the server's.
	 */
	rc = evbuffer_add_printf(b, "%s %s%s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: auditorctl/%s\r\n"
	    "Accept: application/json, application/problem+json\r\n",
	    method, c->url.prefix, path, c->hosthdr, AUDITORCTL_VERSION);
	if (rc >= 0 && if_match != NULL)
		rc = evbuffer_add_printf(b, "If-Match: %s\r\n", if_match);
	if (rc >= 0 && body != NULL)
		rc = evbuffer_add_printf(b, "Content-Type: %s\r\n"
		    "Content-Length: %zu\r\n", ctype ? ctype :
		    "application/json", bodylen);
	else if (rc >= 0 && (strcmp(method, "POST") == 0 ||
	    strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0))
		rc = evbuffer_add_printf(b, "Content-Length: 0\r\n");
	if (rc >= 0)
		rc = evbuffer_add(b, "\r\n", 2);
	if (rc >= 0 && body != NULL && bodylen > 0)
		rc = evbuffer_add(b, body, bodylen);
	if (rc < 0) {
		evbuffer_free(b);
		return NULL;
	}
	return b;
}

static int
exchange(struct client *c, const char *method, const char *path,
    const char *ctype, const char *body, size_t bodylen, const char *if_match,
    int (*sink)(const void *, size_t, void *), void *arg,
    struct response **out, char *err, size_t errlen)
{
	struct exchange	 x;
	struct evbuffer	*req = NULL;
	struct event	*deadline = NULL;
	struct timeval	 tv = { CLIENT_ANSWER_MS / 1000,
			    (CLIENT_ANSWER_MS % 1000) * 1000 };
	int		 fd = -1;

	*out = NULL;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.err = err;
	x.errlen = errlen;
	x.result = CLIENT_ECONNECT;
	if (strchr(method, ' ') != NULL || path[0] != '/' ||
	    strpbrk(path, " \r\n") != NULL ||
	    (if_match != NULL && strpbrk(if_match, "\r\n") != NULL)) {
		snprintf(err, errlen, "bad request line or header");
		return CLIENT_EPROTO;
	}
	if ((req = request_bytes(c, method, path, ctype, body, bodylen,
	    if_match)) == NULL || (x.parser = response_parser_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (sink != NULL) {
		response_parser_sink(x.parser, sink, arg);
		x.idle = 1;
	}
	if (connect_server(c, &fd, err, errlen) == -1)
		goto done;
	/* From here the bufferevent owns fd (it closes it on failure too). */
	if ((x.bev = tls_client_bev(c->tls, c->base, fd)) == NULL) {
		snprintf(err, errlen, "TLS: cannot set up the connection");
		goto done;
	}
	if ((deadline = evtimer_new(c->base, on_deadline, &x)) == NULL ||
	    evtimer_add(deadline, &tv) == -1) {
		snprintf(err, errlen, "cannot arm the answer deadline");
		goto done;
	}
	x.deadline = deadline;
	bufferevent_setcb(x.bev, on_read, NULL, on_event, &x);
	if (bufferevent_enable(x.bev, EV_READ | EV_WRITE) == -1 ||
	    bufferevent_write_buffer(x.bev, req) == -1) {
		snprintf(err, errlen, "cannot send the request to %s",
		    c->where);
		goto done;
	}
	x.result = 1;
	if (event_base_dispatch(c->base) == -1 && x.result == 1) {
		snprintf(err, errlen, "event loop failed");
		x.result = CLIENT_ECONNECT;
	}
	if (x.result == 1) {
		/* The loop ran dry: nothing left to wait for and no answer. */
		snprintf(err, errlen, "connection to %s ended without an answer",
		    c->where);
		x.result = CLIENT_ECONNECT;
	}
	if (x.result == CLIENT_OK) {
		*out = response_parser_take(x.parser);
		/* End the TLS session properly before the socket closes. */
		tls_close_notify(x.bev);
	}
 done:
	if (deadline != NULL)
		event_free(deadline);
	if (x.bev != NULL)
		bufferevent_free(x.bev);
	/*
	 * libevent finalizes a freed bufferevent from the loop; one pass runs
	 * the TLS filter's free callback (event_base_free() would not).
	 */
	event_base_loop(c->base, EVLOOP_NONBLOCK);
	response_parser_free(x.parser);
	if (req != NULL)
		evbuffer_free(req);
	if (x.result == CLIENT_OK && *out == NULL) {
		snprintf(err, errlen, "out of memory");
		return CLIENT_EPROTO;
	}
	return x.result;
}

int
client_request(struct client *c, const char *method, const char *path,
    const char *ctype, const char *body, size_t bodylen, const char *if_match,
    struct response **out, char *err, size_t errlen)
{
	return exchange(c, method, path, ctype, body, bodylen, if_match, NULL,
	    NULL, out, err, errlen);
}

int
client_download(struct client *c, const char *path,
    int (*sink)(const void *, size_t, void *), void *arg,
    struct response **out, char *err, size_t errlen)
{
	return exchange(c, "GET", path, NULL, NULL, 0, NULL, sink, arg, out,
	    err, errlen);
}
