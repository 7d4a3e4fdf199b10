/*
 * conn.c: the server's connections (see conn.h): one enum, one driver.
 * Bytes from the TLS filter go to the parser (h1.c); a whole request goes
 * to http_dispatch; the answer goes back into the filter; then the next
 * request, pipelined or not, or the close. Everything a connection needs
 * per request lives in it and is reused: a keep-alive request allocates
 * nothing here.
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "config.h"
#include "log.h"
#include "tls.h"
#include "util.h"
#include "server/access.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/peers.h"
#include "server/worker.h"

#define BODY_KEEP	(64 * 1024)	/* body buffer kept between requests */

/* What happened to a connection: conn_drive's input. */
enum conn_input {
	IN_READ,	/* plaintext arrived */
	IN_WRITTEN,	/* the output has left */
	IN_RESUME,	/* an answer was queued outside the driver */
	IN_DEADLINE,	/* the current deadline passed */
	IN_GONE		/* TLS or socket error, peer closed */
};

static void	conn_drive(struct conn *, enum conn_input);
static void	conn_begin(struct conn *);

static void
deadline(struct conn *c, int seconds)
{
	struct timeval	tv = { seconds, 0 };

	if (seconds <= 0)
		evtimer_del(c->timer);
	else
		evtimer_add(c->timer, &tv);
}

static void
conn_free(struct conn *c)
{
	TAILQ_REMOVE(&c->w->conns, c, link);
	http_req_clear(&c->req);
	if (c->req.done != NULL)
		event_free(c->req.done);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->resume != NULL)
		event_free(c->resume);
	h1_free(&c->h1);
	free(c->qbuf);
	free(c);
}

/* Close the socket (close_notify first); c lives on until conn_drive ends. */
static void
conn_close(struct conn *c)
{
	if (c->bev != NULL) {
		tls_close_notify(c->bev);
		bufferevent_free(c->bev);
		c->bev = NULL;
		peers_put(&c->w->srv->peers, (struct sockaddr *)&c->peer);
	}
	evtimer_del(c->timer);
	c->state = CONN_CLOSED;
}

/* The answer has left; the client may still be sending (see conn.h). */
static void
conn_linger(struct conn *c)
{
	int	fd = bufferevent_getfd(c->bev);

	tls_close_notify(c->bev);
	if (fd >= 0)
		shutdown(fd, SHUT_WR);
	c->state = CONN_LINGER;
	deadline(c, CONN_LINGER_S);
}

/* The req as the next request on the connection starts it. */
static void
req_start(struct conn *c)
{
	struct req	*r = &c->req;
	struct event	*done = r->done;

	memset(r, 0, sizeof *r);
	r->done = done;
	r->conn = c;
	r->worker = c->w;
	r->method = EVHTTP_REQ_GET;
	c->hdrs_len = 0;
	c->hdrs_full = 0;
}

/*
 * The access log's line (access.h) when [log] access is on, and a warning
 * for a refusal of who the caller is or what it may do (401, 403), with
 * the certificate that asked: its subject and SHA-256, nothing else.
 */
static void
request_log(struct conn *c, uint64_t us)
{
	struct req		*r = &c->req;
	struct access_rec	 a;
	struct timespec		 ts;
	unsigned char		 sha[32];
	char			 host[UTIL_HOST_MAX], line[1024];
	char			 subject[256], hex[65];
	int			 denied = r->status == 401 || r->status == 403;

	if (!c->w->srv->cfg->log_access && !denied)
		return;
	memset(&a, 0, sizeof a);
	clock_gettime(CLOCK_REALTIME, &ts);
	a.wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	util_sockaddr_host((const struct sockaddr *)&c->peer, host, &a.port);
	a.addr = host;
	a.who = r->who;
	a.method = c->h1.method_name != NULL ?
	    http_method_name(r->method) : NULL;
	a.target = c->h1.target;
	a.query = r->query_raw;
	a.status = r->status;
	a.bytes = r->bytes_out;
	a.us = us;
	a.resumed = c->bev != NULL && tls_resumed(c->bev);
	if (c->w->srv->cfg->log_access) {
		access_format(line, sizeof line, &a);
		log_info("%s", line);
	}
	if (!denied)
		return;
	if (c->bev == NULL || tls_peer_sha256(c->bev, sha) != 0 ||
	    tls_peer_subject(c->bev, subject, sizeof subject) != 0) {
		log_warnx("%d for %s %s from %s:%u as %s; no client "
		    "certificate", r->status, a.method != NULL ? a.method :
		    "-", r->path != NULL ? r->path : "-", host, a.port,
		    r->who[0] != '\0' ? r->who : "-");
		return;
	}
	util_hex(sha, sizeof sha, hex);
	log_warnx("%d for %s %s from %s:%u as %s; certificate subject \"%s\" "
	    "sha256 %s", r->status, a.method != NULL ? a.method : "-",
	    r->path != NULL ? r->path : "-", host, a.port,
	    r->who[0] != '\0' ? r->who : "-", subject, hex);
}

/*
 * The one point where every request ends, answered or not (the socket may
 * be gone): counted here for /metrics (an unanswered one as status 0), and
 * logged.
 */
static void
request_end(struct conn *c)
{
	struct req	*r = &c->req;
	uint64_t	 us = util_now_us() - c->started_us;

	metrics_request(c->w->metrics, r->route, r->status, us, r->bytes_out);
	request_log(c, us);

	http_req_clear(r);
	c->nreq++;
	if (c->state == CONN_CLOSED)
		return;
	if (r->close) {
		c->state = CONN_FLUSH;
		/* The client must take the answer in time. */
		deadline(c, c->w->srv->cfg->request_timeout);
		return;
	}
	h1_reset(&c->h1, BODY_KEEP);
	req_start(c);
	c->state = CONN_HEAD;
	/* The next request must arrive whole within idle + request time. */
	deadline(c, c->w->srv->cfg->idle_timeout +
	    c->w->srv->cfg->request_timeout);
	if (c->paused) {
		c->paused = 0;
		bufferevent_enable(c->bev, EV_READ);
	}
}

static const char *
error_slug(int status)
{
	switch (status) {
	case 413:
		return "too-large";
	case 414:
		return "uri-too-long";
	case 417:
		return "expectation-failed";
	case 431:
		return "headers-too-large";
	case 501:
		return "not-implemented";
	case 503:
		return "busy";
	case 505:
		return "version-not-supported";
	default:
		return "bad-request";
	}
}

/* A framing error: the answer, then the close; nothing after it runs. */
static void
framing_error(struct conn *c, int status)
{
	struct req	*r = &c->req;

	if (c->h1.method_name != NULL)
		r->method = c->h1.method;
	r->close = 1;
	c->linger = 1;
	c->state = CONN_BUSY;
	c->inflight = 1;
	http_problem(r, status, error_slug(status), "%s", c->h1.why);
}

/*
 * Feed the parser what the input holds, piece by piece as the evbuffer
 * keeps it (no copy); H1_MORE or where the parser stopped.
 */
static int
conn_feed(struct conn *c, struct evbuffer *in)
{
	struct evbuffer_iovec	 v[8];
	size_t			 used, total = 0;
	int			 n, i, rc = H1_MORE;

	n = evbuffer_peek(in, -1, NULL, v, 8);
	if (n > 8)
		n = 8;
	for (i = 0; i < n && rc == H1_MORE; i++) {
		if (v[i].iov_len == 0)
			continue;
		rc = h1_feed(&c->h1, v[i].iov_base, v[i].iov_len, &used);
		total += used;
	}
	evbuffer_drain(in, total);
	return rc;
}

/* Feed the parser; dispatch a whole request. */
static void
conn_read(struct conn *c)
{
	struct evbuffer	*in = bufferevent_get_input(c->bev);
	int		 rc;

	while (c->state == CONN_HEAD || c->state == CONN_BODY) {
		if (c->state == CONN_HEAD && c->h1.hlen == 0) {
			if (evbuffer_get_length(in) == 0)
				return;
			c->started_us = util_now_us();
		}
		rc = conn_feed(c, in);
		if (rc == H1_MORE) {
			if (evbuffer_get_length(in) == 0)
				return;
			continue;
		}
		if (rc == H1_HEAD && h1_body_expected(&c->h1)) {
			c->state = CONN_BODY;
			/* RFC 9110 10.1.1: answer before reading the body. */
			if (c->h1.expect_continue && c->h1.minor >= 1)
				bufferevent_write(c->bev,
				    "HTTP/1.1 100 Continue\r\n\r\n", 25);
			continue;
		}
		if (rc == H1_HEAD)
			rc = H1_DONE;	/* no body */
		if (rc != H1_DONE) {
			framing_error(c, rc);
			return;
		}
		c->state = CONN_BUSY;
		c->inflight = 1;
		/* The handler may wait on the writer: no deadline meanwhile. */
		deadline(c, 0);
		http_dispatch(&c->req);
		if (c->state == CONN_BUSY && !c->req.pending &&
		    c->req.status == 0)
			http_problem(&c->req, 500, "internal",
			    "the request was not answered");
		return;
	}
}

static void
conn_drive(struct conn *c, enum conn_input in)
{
	struct req	*r = &c->req;

	c->driving++;
	for (;;) {
		if (in == IN_GONE || in == IN_DEADLINE) {
			if (c->state != CONN_CLOSED)
				conn_close(c);
			in = IN_RESUME;
		}
		/* An answered request ends before anything else happens. */
		if (c->inflight && !r->pending &&
		    (r->status != 0 || c->state == CONN_CLOSED)) {
			c->inflight = 0;
			request_end(c);
		}
		switch (c->state) {
		case CONN_HEAD:
		case CONN_BODY:
			conn_read(c);
			if (c->inflight && r->status != 0 && !r->pending)
				continue;	/* answered at once */
			break;
		case CONN_BUSY:
			/* Pipelined bytes wait; a flood of them stops reading. */
			if (!c->paused && evbuffer_get_length(
			    bufferevent_get_input(c->bev)) >
			    c->h1.lim.max_head + c->h1.lim.max_body) {
				c->paused = 1;
				bufferevent_disable(c->bev, EV_READ);
			}
			break;
		case CONN_FLUSH:
		case CONN_LINGER:
			/* Nothing after a close is read. */
			evbuffer_drain(bufferevent_get_input(c->bev),
			    evbuffer_get_length(bufferevent_get_input(c->bev)));
			if (c->state == CONN_FLUSH && evbuffer_get_length(
			    bufferevent_get_output(c->bev)) == 0) {
				if (c->linger)
					conn_linger(c);
				else
					conn_close(c);
			}
			break;
		case CONN_CLOSED:
			break;
		}
		break;
	}
	if (--c->driving == 0 && c->state == CONN_CLOSED && !c->inflight)
		conn_free(c);
}

static void
readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	conn_drive(arg, IN_READ);
}

static void
writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	conn_drive(arg, IN_WRITTEN);
}

static void
eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	conn_drive(arg, IN_GONE);
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_drive(arg, IN_DEADLINE);
}

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_drive(arg, IN_RESUME);
}

void
conn_answered(struct conn *c)
{
	/* Inside the driver it sees the answer itself; else wake it. */
	if (c->driving == 0)
		event_active(c->resume, 0, 0);
}

int
conn_new(struct worker *w, int fd, const struct sockaddr *peer, int peerlen)
{
	const struct config	*cfg = w->srv->cfg;
	/* Read once: a reload may change them meanwhile (config.h). */
	struct h1_limits	 lim = { cfg->max_line, cfg->max_headers,
				    cfg->max_body };
	struct conn		*c;

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->qbuf = malloc(lim.max_line + 1)) == NULL ||
	    h1_init(&c->h1, &lim) != 0 ||
	    (c->timer = evtimer_new(w->base, timer_cb, c)) == NULL ||
	    (c->resume = event_new(w->base, -1, 0, resume_cb, c)) == NULL) {
		log_warnx("out of memory for a connection; refusing it");
		if (c != NULL) {
			h1_free(&c->h1);
			free(c->qbuf);
			if (c->timer != NULL)
				event_free(c->timer);
			free(c);
		}
		if (fd != -1) {
			close(fd);
			worker_conn_gone(w);
		}
		peers_put(&w->srv->peers, peer);
		return -1;
	}
	c->w = w;
	memcpy(&c->peer, peer, (size_t)peerlen < sizeof c->peer ?
	    (size_t)peerlen : sizeof c->peer);
	TAILQ_INSERT_TAIL(&w->conns, c, link);
	if (fd == -1)
		return 0;	/* conn_new_bev sets the bufferevent */
	/* Never NULL while the worker holds its reserve (worker.c). */
	c->bev = tls_server_bev(w->tls, w->base,
	    (unsigned)cfg->handshake_timeout * 1000, worker_conn_gone, w);
	if (c->bev == NULL)
		fatalx("no TLS reserve for a connection: refusing to serve "
		    "plaintext");
	bufferevent_setfd(c->bev, fd);
	conn_begin(c);
	return 0;
}

/* The bufferevent is set: callbacks, reading, the first deadline. */
static void
conn_begin(struct conn *c)
{
	const struct config	*cfg = c->w->srv->cfg;

	bufferevent_setcb(c->bev, readcb, writecb, eventcb, c);
	/* On once, for good: no epoll changes per request. */
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	req_start(c);
	c->state = CONN_HEAD;
	/* Handshake has its own bound (TLS); this one is for the request. */
	deadline(c, cfg->handshake_timeout + cfg->request_timeout);
}

int
conn_new_bev(struct worker *w, struct bufferevent *bev,
    const struct sockaddr *peer, int peerlen)
{
	struct conn	*c;

	if (conn_new(w, -1, peer, peerlen) != 0) {
		bufferevent_free(bev);
		return -1;
	}
	c = TAILQ_LAST(&w->conns, conn_list);
	c->bev = bev;
	conn_begin(c);
	return 0;
}

void
conn_drain(struct conn_list *l)
{
	struct conn	*c, *next;

	for (c = TAILQ_FIRST(l); c != NULL; c = next) {
		next = TAILQ_NEXT(c, link);
		if (c->inflight)
			c->req.close = 1;
		else if (c->state == CONN_FLUSH || c->state == CONN_CLOSED)
			continue;
		else if (c->bev != NULL && evbuffer_get_length(
		    bufferevent_get_output(c->bev)) > 0) {
			/* Its last answer is still leaving: let it. */
			c->state = CONN_FLUSH;
			deadline(c, c->w->srv->cfg->request_timeout);
		} else
			conn_drive(c, IN_GONE);
	}
}

void
conn_free_all(struct conn_list *l)
{
	struct conn	*c;

	while ((c = TAILQ_FIRST(l)) != NULL) {
		if (c->bev != NULL) {
			bufferevent_free(c->bev);
			c->bev = NULL;
			peers_put(&c->w->srv->peers,
			    (struct sockaddr *)&c->peer);
		}
		conn_free(c);
	}
}
