/*
 * tls-conn.c: a connection's state machine (enum tls_state in
 * tls-private.h): tls_conn_drive() is the one driver, and every change of
 * c->state happens in this file (tls.c only sets the first state of a
 * connection it makes). The libevent and mbedTLS callbacks that feed it
 * are in tls-io.c; making and freeing connections in tls.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <mbedtls/ssl.h>
/* For ssl.handshake->resume: 2.28 has no getter. */
#include <mbedtls/ssl_internal.h>

#include "log.h"
#include "util.h"
#include "tls-private.h"

#define TLS_LINGER_MS	1000		/* read on after a fatal alert */

/* A step's answer when the state changed and the next state takes over. */
#define STEP_AGAIN	(-1)

static void
conn_nodeadline(struct tls_conn *c)
{
	if (c->deadline != NULL)
		evtimer_del(c->deadline);
}

/*
 * libevent 2.1 ignores what a filter function returns, so a fatal error or
 * the peer's close_notify would never reach evhttp: raise the event
 * ourselves, from an event of our own so that evhttp never frees the
 * connection inside one of its callbacks (docs/tls.md, "Events the filter
 * must raise"). Not libevent's deferred callbacks: evhttp's client may have
 * reset and reconnected meanwhile, and an event of the old socket would
 * fail the new one (raise_cb checks). A CONNECTED still pending gives way
 * to a failure; otherwise the first event wins.
 */
void
tls_conn_raise(struct tls_conn *c, short what)
{
	if (c->raise == NULL) {		/* a connection that never worked */
		bufferevent_trigger_event(c->bev, what,
		    BEV_TRIG_DEFER_CALLBACKS);
		return;
	}
	if (c->raise_what == 0) {
		bufferevent_incref(c->bev);
		event_active(c->raise, EV_READ, 1);
	} else if (c->raise_what != BEV_EVENT_CONNECTED)
		return;
	c->raise_what = what;
}

static void
conn_linger(struct tls_conn *c, short what)
{
	struct timeval	tv = { TLS_LINGER_MS / 1000, TLS_LINGER_MS % 1000 * 1000 };

	c->linger_what = what;
	if (evtimer_add(c->deadline, &tv) == -1) {
		c->linger_what = 0;
		tls_conn_raise(c, what);
	}
}

/* Pass a socket event on as libevent's filter would (keeps errno). */
static void
conn_forward(struct tls_conn *c, short what)
{
	c->f_eventcb(c->under, what, c->f_arg);
}

/* "ADDR:PORT" of the socket's peer, or "?:0". */
static void
peer_name(int fd, char *out, size_t len)
{
	struct sockaddr_storage	ss;
	socklen_t		sl = sizeof ss;

	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		ss.ss_family = AF_UNSPEC;
	util_sockaddr_str((struct sockaddr *)&ss, out, len);
}

/*
 * The certificate the client sent, as far as the handshake got: its
 * subject and SHA-256, for the log. "" when there was none.
 */
static void
peer_cert_words(struct tls_conn *c, char *out, size_t len)
{
	char	hex[65];

	out[0] = '\0';
	if (!c->seen_cert)
		return;
	util_hex(c->seen_sha256, sizeof c->seen_sha256, hex);
	snprintf(out, len, "; certificate subject \"%s\" sha256 %s",
	    c->seen_subject, hex);
}

/*
 * A server handshake ended: count it, and log a refusal with who tried.
 * A connection that never sent a byte is an idle socket, not a client
 * refused: it is counted (a timeout) but logged only when debugging.
 */
static void
conn_outcome(struct tls_conn *c, enum tls_outcome o)
{
	char	peer[64], cert[400];

	if (!c->is_server)
		return;
	if (c->outcome != NULL)
		c->outcome(c->outcome_arg, o);
	if (o == TLS_OUTCOME_FULL || o == TLS_OUTCOME_RESUMED)
		return;
	peer_name(bufferevent_getfd(c->under), peer, sizeof peer);
	if (c->bytes_in == 0) {
		log_debug("tls: %s: %s", peer, c->error);
		return;
	}
	peer_cert_words(c, cert, sizeof cert);
	log_warnx("tls: refused %s: %s%s", peer, c->error, cert);
}

/* Why a handshake failed, as conn_outcome counts it. */
static enum tls_outcome
conn_failure(int r, int alert, short what)
{
	if (what & BEV_EVENT_TIMEOUT)
		return TLS_OUTCOME_TIMEOUT;
	if (r == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE ||
	    (r == 0 && alert == MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE))
		return TLS_OUTCOME_NO_CERT;
	if (r == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ||
	    alert == MBEDTLS_SSL_ALERT_MSG_BAD_CERT ||
	    alert == MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED)
		return TLS_OUTCOME_BAD_CERT;
	return TLS_OUTCOME_PROTOCOL;
}

/*
 * Enter FAILED: say why, send the alert mbedTLS leaves out (none when a
 * required client certificate is missing), push it out, raise the event.
 */
static void
conn_fail(struct tls_conn *c, int r, int alert, short what)
{
	/* mbedTLS sends its own alert when a handshake step fails. */
	int	alert_sent = c->state == TLS_HANDSHAKE && r != 0 &&
		    r != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE &&
		    r != MBEDTLS_ERR_SSL_ALLOC_FAILED;
	int	fd = bufferevent_getfd(c->under);

	if (r != 0)
		tls_verify_describe(c, r);
	if (c->state == TLS_HANDSHAKE)
		conn_outcome(c, conn_failure(r, alert, what));
	if (r == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE)
		alert = MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
	if (alert >= 0)
		alert_sent = mbedtls_ssl_send_alert_message(&c->ssl,
		    MBEDTLS_SSL_ALERT_LEVEL_FATAL, (unsigned char)alert) == 0;
	tls_io_flush_socket(c);
	c->state = TLS_FAILED;
	conn_nodeadline(c);
	/*
	 * Closing now, with the peer's next handshake records still arriving,
	 * makes the kernel answer with a reset that can destroy the alert:
	 * send FIN after it and read on until the peer closes (docs/tls.md,
	 * "Alerts that arrive").
	 */
	if (alert_sent && c->deadline != NULL && fd >= 0 &&
	    shutdown(fd, SHUT_WR) == 0)
		conn_linger(c, what);
	else
		tls_conn_raise(c, what);
}

/* Send close_notify and push it out; a failure to queue it fails c. */
static int
conn_close_notify(struct tls_conn *c)
{
	int	r;

	c->sent_close = 1;
	if ((r = mbedtls_ssl_close_notify(&c->ssl)) != 0 &&
	    r != MBEDTLS_ERR_SSL_WANT_WRITE) {
		conn_fail(c, r, -1, BEV_EVENT_ERROR | BEV_EVENT_WRITING);
		return -1;
	}
	tls_io_flush_socket(c);
	return 0;
}

/* Client: start a fresh session on the socket evhttp connected. */
static int
conn_restart(struct tls_conn *c)
{
	struct evbuffer	*out = bufferevent_get_output(c->under);
	int		 r;

	if (c->used && (r = mbedtls_ssl_session_reset(&c->ssl)) != 0)
		return r;
	c->used = 1;
	evbuffer_drain(bufferevent_get_input(c->under), (size_t)-1);
	evbuffer_unfreeze(out, 1);
	evbuffer_drain(out, (size_t)-1);
	evbuffer_freeze(out, 1);
	c->sealed = c->pending = c->bytes_in = 0;
	c->got_close = c->sent_close = c->have_peer = c->resumed = 0;
	c->seen_cert = 0;
	c->linger_what = 0;
	c->error[0] = '\0';
	/* evhttp only enables writing while it connects; we must read. */
	if (bufferevent_enable(c->bev, EV_READ) == -1)
		return MBEDTLS_ERR_SSL_ALLOC_FAILED;
	return 0;
}

/* Client: evhttp connected a new socket (or failed to). */
static int
step_socket(struct tls_conn *c)
{
	socklen_t	sl = sizeof(int);
	int		r, soerr = 0;

	if (getsockopt(bufferevent_getfd(c->under), SOL_SOCKET, SO_ERROR,
	    &soerr, &sl) == -1 || soerr != 0) {
		/* Not TLS: evhttp reads errno for ECONNREFUSED. */
		c->state = TLS_FAILED;
		errno = soerr != 0 ? soerr : errno;
		conn_forward(c, BEV_EVENT_ERROR | BEV_EVENT_WRITING);
		return BEV_ERROR;
	}
	if ((r = conn_restart(c)) != 0) {
		conn_fail(c, r, -1, BEV_EVENT_ERROR);
		return BEV_ERROR;
	}
	c->state = TLS_HANDSHAKE;
	return STEP_AGAIN;
}

static int
step_wait_socket(struct tls_conn *c, enum tls_input in)
{
	if (in == TLS_IN_EOF || in == TLS_IN_SOCKERR) {
		c->state = TLS_FAILED;
		conn_forward(c, BEV_EVENT_ERROR);
	} else if (in == TLS_IN_DEADLINE) {
		c->state = TLS_FAILED;
		tls_conn_raise(c, BEV_EVENT_TIMEOUT | BEV_EVENT_WRITING);
	}
	return BEV_NEED_MORE;
}

static int
step_handshake(struct tls_conn *c, enum tls_input in)
{
	int	r, alert;

	if (in == TLS_IN_DEADLINE) {
		snprintf(c->error, sizeof c->error,
		    "handshake timed out after %u ms", c->deadline_ms);
		conn_fail(c, 0, -1, BEV_EVENT_TIMEOUT | BEV_EVENT_READING);
		return BEV_ERROR;
	}
	if (in == TLS_IN_EOF || in == TLS_IN_SOCKERR) {
		/* A refused or reset connect is not TLS. */
		if (in == TLS_IN_EOF || c->bytes_in > 0)
			snprintf(c->error, sizeof c->error,
			    "handshake failed: %s", in == TLS_IN_EOF ?
			    "connection closed by peer" : strerror(errno));
		if (c->bytes_in > 0)
			conn_outcome(c, TLS_OUTCOME_PROTOCOL);
		c->state = TLS_FAILED;
		conn_nodeadline(c);
		conn_forward(c, BEV_EVENT_ERROR | BEV_EVENT_READING);
		return BEV_ERROR;
	}
	if (in == TLS_IN_CLOSE)
		return BEV_NEED_MORE;
	r = mbedtls_ssl_handshake(&c->ssl);
	/* Known once the ClientHello is read; gone when the handshake is. */
	if (c->ssl.handshake != NULL && c->ssl.handshake->resume)
		c->resumed = 1;
	if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
		return BEV_NEED_MORE;
	if (r != 0) {
		conn_fail(c, r, -1, BEV_EVENT_ERROR | BEV_EVENT_READING);
		return BEV_ERROR;
	}
	if ((alert = tls_verify_peer(c)) >= 0) {
		conn_fail(c, 0, alert, BEV_EVENT_ERROR | BEV_EVENT_READING);
		return BEV_ERROR;
	}
	c->state = TLS_OPEN;
	conn_outcome(c, c->resumed ? TLS_OUTCOME_RESUMED : TLS_OUTCOME_FULL);
	if (!c->deadline_keep)
		conn_nodeadline(c);
	if (!c->is_server)
		tls_conn_raise(c, BEV_EVENT_CONNECTED);
	else {
		/* The last flight leaves now; from here we write the socket. */
		c->direct = 1;
		c->want_write = 1;
		tls_io_send_now(c);
	}
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
		tls_io_pump(c);
	return STEP_AGAIN;
}

/*
 * OPEN and data arrived: decrypt into plain until mbedTLS wants more.
 * Drain it all: no event recalls records mbedTLS holds internally.
 */
static int
open_read(struct tls_conn *c, struct evbuffer *plain)
{
	struct evbuffer		*cipher = bufferevent_get_input(c->under);
	struct evbuffer_iovec	 v;
	size_t			 before;
	int			 r, res = BEV_NEED_MORE;

	for (;;) {
		before = c->bytes_in;
		if (evbuffer_reserve_space(plain, TLS_RECORD, &v, 1) < 1) {
			conn_fail(c, MBEDTLS_ERR_SSL_ALLOC_FAILED, -1,
			    BEV_EVENT_ERROR | BEV_EVENT_READING);
			return BEV_ERROR;
		}
		r = mbedtls_ssl_read(&c->ssl, v.iov_base,
		    v.iov_len < TLS_RECORD ? v.iov_len : TLS_RECORD);
		if (r > 0) {
			v.iov_len = (size_t)r;
			if (evbuffer_commit_space(plain, &v, 1) == -1) {
				conn_fail(c, MBEDTLS_ERR_SSL_ALLOC_FAILED, -1,
				    BEV_EVENT_ERROR | BEV_EVENT_READING);
				return BEV_ERROR;
			}
			res = BEV_OK;
			continue;
		}
		if (r == MBEDTLS_ERR_SSL_WANT_READ ||
		    r == MBEDTLS_ERR_SSL_WANT_WRITE) {
			if (c->bytes_in != before &&
			    (evbuffer_get_length(cipher) > 0 ||
			    mbedtls_ssl_check_pending(&c->ssl)))
				continue;
			return res;
		}
		if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || r == 0) {
			c->got_close = 1;
			c->state = TLS_CLOSING;
			tls_conn_raise(c, BEV_EVENT_EOF | BEV_EVENT_READING);
			return res;
		}
		conn_fail(c, r, -1, BEV_EVENT_ERROR | BEV_EVENT_READING);
		return BEV_ERROR;
	}
}

static int
step_open(struct tls_conn *c, enum tls_input in, struct evbuffer *plain)
{
	if (in == TLS_IN_CLOSE || in == TLS_IN_DEADLINE) {
		if (conn_close_notify(c) == -1)
			return BEV_ERROR;
		c->state = TLS_CLOSING;
		if (in == TLS_IN_DEADLINE)
			tls_conn_raise(c, BEV_EVENT_TIMEOUT | BEV_EVENT_READING);
		return BEV_NEED_MORE;
	}
	if (in == TLS_IN_EOF && !c->is_server) {
		/* A response cut short must not look whole. */
		snprintf(c->error, sizeof c->error,
		    "connection closed without close_notify");
		c->state = TLS_FAILED;
		conn_forward(c, BEV_EVENT_ERROR | BEV_EVENT_READING);
		return BEV_ERROR;
	}
	if (in == TLS_IN_EOF || in == TLS_IN_SOCKERR) {
		c->state = TLS_FAILED;
		conn_forward(c, in == TLS_IN_EOF ?
		    BEV_EVENT_EOF | BEV_EVENT_READING :
		    BEV_EVENT_ERROR | BEV_EVENT_READING);
		return BEV_ERROR;
	}
	if (in != TLS_IN_DATA || plain == NULL)
		return BEV_NEED_MORE;
	return open_read(c, plain);
}

static int
step_closing(struct tls_conn *c, enum tls_input in)
{
	if (in == TLS_IN_DEADLINE)
		tls_conn_raise(c, BEV_EVENT_TIMEOUT | BEV_EVENT_READING);
	if (in == TLS_IN_CLOSE && !c->sent_close) {
		if (conn_close_notify(c) == -1)
			return BEV_ERROR;
	} else if ((in == TLS_IN_EOF || in == TLS_IN_SOCKERR) &&
	    !c->got_close) {
		c->state = TLS_FAILED;
		conn_forward(c, in == TLS_IN_EOF ?
		    BEV_EVENT_EOF | BEV_EVENT_READING :
		    BEV_EVENT_ERROR | BEV_EVENT_READING);
	}
	/* Input after close_notify is dropped. */
	if (in == TLS_IN_DATA)
		evbuffer_drain(bufferevent_get_input(c->under), (size_t)-1);
	return BEV_NEED_MORE;
}

static int
step_failed(struct tls_conn *c, enum tls_input in)
{
	if (in == TLS_IN_DATA)
		evbuffer_drain(bufferevent_get_input(c->under), (size_t)-1);
	else if (c->linger_what != 0 && (in == TLS_IN_EOF ||
	    in == TLS_IN_SOCKERR || in == TLS_IN_DEADLINE)) {
		tls_conn_raise(c, c->linger_what);
		c->linger_what = 0;
	}
	return BEV_ERROR;
}

enum bufferevent_filter_result
tls_conn_drive(struct tls_conn *c, enum tls_input in, struct evbuffer *plain)
{
	int	res = STEP_AGAIN;

	if (in == TLS_IN_FAULT && c->state != TLS_FAILED) {
		conn_fail(c, c->fault, -1, BEV_EVENT_ERROR);
		return BEV_ERROR;
	}
	if (in == TLS_IN_SOCKET) {
		if ((res = step_socket(c)) != STEP_AGAIN)
			return (enum bufferevent_filter_result)res;
		in = TLS_IN_DATA;
	}
	while (res == STEP_AGAIN) {
		switch (c->state) {
		case TLS_WAIT_SOCKET:
			res = step_wait_socket(c, in);
			break;
		case TLS_HANDSHAKE:
			res = step_handshake(c, in);
			break;
		case TLS_OPEN:
			res = step_open(c, in, plain);
			break;
		case TLS_CLOSING:
			res = step_closing(c, in);
			break;
		case TLS_FAILED:
			res = step_failed(c, in);
			break;
		}
	}
	return (enum bufferevent_filter_result)res;
}
