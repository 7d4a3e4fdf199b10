/*
 * tls.c: TLS 1.2 connections for evhttp on libevent 2.1: a bufferevent_filter
 * over a socket bufferevent, mbedTLS 2.28 moving ciphertext through its
 * evbuffers (gaps closed: TLS-NOTES.md). See tls-conf.c, tls-verify.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include <mbedtls/ssl.h>

#include "log.h"
#include "tls.h"
#include "tls-private.h"

#define TLS_RECORD	16384		/* most plaintext one ssl_write takes */
#define TLS_AHEAD	(64 * 1024)	/* ciphertext queued ahead of the socket */
#define TLS_LINGER_MS	1000		/* read on after a fatal alert */

/* What happened to a connection: the driver's input. */
enum tls_input {
	TLS_IN_SOCKET,		/* client: a new connected socket */
	TLS_IN_DATA,		/* ciphertext arrived */
	TLS_IN_EOF,		/* the socket bufferevent saw EOF */
	TLS_IN_SOCKERR,		/* the socket bufferevent saw an error */
	TLS_IN_DEADLINE,	/* the deadline timer: bound passed, linger over */
	TLS_IN_CLOSE,		/* send close_notify now */
	TLS_IN_FAULT		/* a local failure, code in fault */
};

static void	under_readcb(struct bufferevent *, void *);

/* The BIO: ciphertext goes through the socket bufferevent's evbuffers. */
static int
bio_send(void *arg, const unsigned char *buf, size_t len)
{
	struct tls_conn	*c = arg;

	if (evbuffer_add(bufferevent_get_output(c->under), buf, len) == -1)
		return MBEDTLS_ERR_SSL_ALLOC_FAILED;
	return (int)len;
}

static int
bio_recv(void *arg, unsigned char *buf, size_t len)
{
	struct tls_conn	*c = arg;
	int		 n;

	n = evbuffer_remove(bufferevent_get_input(c->under), buf, len);
	if (n <= 0)
		return MBEDTLS_ERR_SSL_WANT_READ;
	c->bytes_in += (size_t)n;
	return n;
}

/*
 * Write queued ciphertext (an alert, close_notify) to the socket now: evhttp
 * shuts the socket down as soon as it frees the connection, before the
 * socket bufferevent would write. Its output is frozen on the drain side.
 */
static void
conn_flush_socket(struct tls_conn *c)
{
	struct evbuffer		*out = bufferevent_get_output(c->under);
	struct evbuffer_iovec	 v;
	ssize_t			 n;
	int			 fd = bufferevent_getfd(c->under);

	if (fd < 0)
		return;
	evbuffer_unfreeze(out, 1);
	while (evbuffer_peek(out, -1, NULL, &v, 1) > 0) {
		n = send(fd, v.iov_base, v.iov_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n <= 0)
			break;
		evbuffer_drain(out, (size_t)n);
	}
	evbuffer_freeze(out, 1);
}

static void
conn_nodeadline(struct tls_conn *c)
{
	if (c->deadline != NULL)
		evtimer_del(c->deadline);
}

/*
 * Gap 3: libevent ignores a filter's result, so we raise events ourselves,
 * deferred so evhttp never frees the connection inside our callback. Not
 * with libevent's deferral: evhttp's client may have reset and reconnected
 * meanwhile, and an event of the old socket would fail the new one. A
 * CONNECTED still pending gives way to a failure; otherwise the first
 * event wins.
 */
static void
conn_raise(struct tls_conn *c, short what)
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
	evtimer_add(c->deadline, &tv);
}

/* Pass a socket event on as libevent's filter would (keeps errno). */
static void
conn_forward(struct tls_conn *c, short what)
{
	c->f_eventcb(c->under, what, c->f_arg);
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
		    r != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE;

	if (r != 0)
		tls_verify_describe(c, r);
	if (r == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE)
		alert = MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
	if (alert >= 0)
		alert_sent = mbedtls_ssl_send_alert_message(&c->ssl,
		    MBEDTLS_SSL_ALERT_LEVEL_FATAL, (unsigned char)alert) == 0;
	conn_flush_socket(c);
	if (c->is_server && c->error[0] != '\0')
		log_debug("tls: fd %d: %s", bufferevent_getfd(c->under),
		    c->error);
	c->state = TLS_FAILED;
	conn_nodeadline(c);
	/*
	 * Gap 4: closing now, with the peer's next handshake records still
	 * arriving, makes the kernel answer with a reset that can destroy
	 * the alert. Send FIN after it and read on until the peer closes.
	 */
	if (alert_sent && c->deadline != NULL &&
	    bufferevent_getfd(c->under) >= 0 &&
	    shutdown(bufferevent_getfd(c->under), SHUT_WR) == 0)
		conn_linger(c, what);
	else
		conn_raise(c, what);
}

static void	conn_pump(struct tls_conn *);

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
	c->got_close = c->sent_close = c->have_peer = 0;
	c->linger_what = 0;
	c->error[0] = '\0';
	/* evhttp only enables writing while it connects; we must read. */
	bufferevent_enable(c->bev, EV_READ);
	return 0;
}

/*
 * The one driver: every state transition of a connection happens here.
 * plain is the filter's input buffer for TLS_IN_DATA (NULL otherwise); the
 * result is what the input filter answers libevent.
 */
static enum bufferevent_filter_result
conn_drive(struct tls_conn *c, enum tls_input in, struct evbuffer *plain)
{
	enum bufferevent_filter_result	 res = BEV_NEED_MORE;
	struct evbuffer			*cipher = bufferevent_get_input(c->under);
	struct evbuffer_iovec		 v;
	socklen_t			 sl = sizeof(int);
	size_t				 before;
	int				 r, alert, soerr = 0;

	if (in == TLS_IN_SOCKET) {
		if (getsockopt(bufferevent_getfd(c->under), SOL_SOCKET,
		    SO_ERROR, &soerr, &sl) == -1 || soerr != 0) {
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
		in = TLS_IN_DATA;
	}
	if (in == TLS_IN_FAULT && c->state != TLS_FAILED) {
		conn_fail(c, c->fault, -1, BEV_EVENT_ERROR);
		return BEV_ERROR;
	}
	for (;;) {
		switch (c->state) {
		case TLS_WAIT_SOCKET:
			if (in == TLS_IN_EOF || in == TLS_IN_SOCKERR) {
				c->state = TLS_FAILED;
				conn_forward(c, BEV_EVENT_ERROR);
			} else if (in == TLS_IN_DEADLINE) {
				c->state = TLS_FAILED;
				conn_raise(c, BEV_EVENT_TIMEOUT |
				    BEV_EVENT_WRITING);
			}
			return BEV_NEED_MORE;
		case TLS_HANDSHAKE:
			if (in == TLS_IN_DEADLINE) {
				snprintf(c->error, sizeof c->error,
				    "handshake timed out after %u ms",
				    c->deadline_ms);
				conn_fail(c, 0, -1,
				    BEV_EVENT_TIMEOUT | BEV_EVENT_READING);
				return BEV_ERROR;
			}
			if (in == TLS_IN_EOF || in == TLS_IN_SOCKERR) {
				/* A refused or reset connect is not TLS. */
				if (in == TLS_IN_EOF || c->bytes_in > 0)
					snprintf(c->error, sizeof c->error,
					    "handshake failed: %s",
					    in == TLS_IN_EOF ?
					    "connection closed by peer" :
					    strerror(errno));
				c->state = TLS_FAILED;
				conn_nodeadline(c);
				conn_forward(c, BEV_EVENT_ERROR |
				    BEV_EVENT_READING);
				return BEV_ERROR;
			}
			if (in == TLS_IN_CLOSE)
				return BEV_NEED_MORE;
			r = mbedtls_ssl_handshake(&c->ssl);
			if (r == MBEDTLS_ERR_SSL_WANT_READ ||
			    r == MBEDTLS_ERR_SSL_WANT_WRITE)
				return BEV_NEED_MORE;
			if (r != 0) {
				conn_fail(c, r, -1, BEV_EVENT_ERROR |
				    BEV_EVENT_READING);
				return BEV_ERROR;
			}
			if ((alert = tls_verify_peer(c)) >= 0) {
				conn_fail(c, 0, alert, BEV_EVENT_ERROR |
				    BEV_EVENT_READING);
				return BEV_ERROR;
			}
			c->state = TLS_OPEN;
			if (!c->deadline_keep)
				conn_nodeadline(c);
			if (!c->is_server)
				conn_raise(c, BEV_EVENT_CONNECTED);
			if (evbuffer_get_length(bufferevent_get_output(c->bev)))
				conn_pump(c);
			continue;
		case TLS_OPEN:
			if (in == TLS_IN_CLOSE || in == TLS_IN_DEADLINE) {
				mbedtls_ssl_close_notify(&c->ssl);
				c->sent_close = 1;
				c->state = TLS_CLOSING;
				conn_flush_socket(c);
				if (in == TLS_IN_DEADLINE)
					conn_raise(c, BEV_EVENT_TIMEOUT |
					    BEV_EVENT_READING);
				return BEV_NEED_MORE;
			}
			if (in == TLS_IN_EOF && !c->is_server) {
				/* A response cut short must not look whole. */
				snprintf(c->error, sizeof c->error,
				    "connection closed without close_notify");
				c->state = TLS_FAILED;
				conn_forward(c, BEV_EVENT_ERROR |
				    BEV_EVENT_READING);
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
				return res;
			/* Drain: mbedTLS may hold records no event will recall. */
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
				evbuffer_commit_space(plain, &v, 1);
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
				conn_raise(c, BEV_EVENT_EOF | BEV_EVENT_READING);
				return res;
			}
			conn_fail(c, r, -1, BEV_EVENT_ERROR | BEV_EVENT_READING);
			return BEV_ERROR;
		case TLS_CLOSING:
			if (in == TLS_IN_DEADLINE)
				conn_raise(c, BEV_EVENT_TIMEOUT |
				    BEV_EVENT_READING);
			if (in == TLS_IN_CLOSE && !c->sent_close) {
				mbedtls_ssl_close_notify(&c->ssl);
				c->sent_close = 1;
				conn_flush_socket(c);
			} else if ((in == TLS_IN_EOF || in == TLS_IN_SOCKERR) &&
			    !c->got_close) {
				c->state = TLS_FAILED;
				conn_forward(c, in == TLS_IN_EOF ?
				    BEV_EVENT_EOF | BEV_EVENT_READING :
				    BEV_EVENT_ERROR | BEV_EVENT_READING);
			}
			/* Input after close_notify is dropped. */
			if (in == TLS_IN_DATA)
				evbuffer_drain(cipher, (size_t)-1);
			return res;
		case TLS_FAILED:
			if (in == TLS_IN_DATA)
				evbuffer_drain(cipher, (size_t)-1);
			else if (c->linger_what != 0 && (in == TLS_IN_EOF ||
			    in == TLS_IN_SOCKERR || in == TLS_IN_DEADLINE)) {
				conn_raise(c, c->linger_what);
				c->linger_what = 0;
			}
			return BEV_ERROR;
		}
	}
}

/* 1 while the filter has not been freed (its unlink clears our callbacks). */
static int
conn_alive(struct tls_conn *c)
{
	bufferevent_data_cb	r;

	bufferevent_getcb(c->under, &r, NULL, NULL, NULL);
	return r == under_readcb;
}

/* Client: 1 while evhttp still has the socket the session ran on. */
static int
conn_same_socket(struct tls_conn *c)
{
	struct stat	st;
	int		fd = bufferevent_getfd(c->under);

	if (c->is_server || c->fd == -1)
		return 1;
	return fd >= 0 && fd == c->fd && fstat(fd, &st) == 0 &&
	    st.st_ino == c->fd_ino;
}

static void
raise_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tls_conn		*c = arg;
	struct bufferevent	*bev = c->bev;
	short			 ev = c->raise_what;

	(void)fd;
	(void)what;
	c->raise_what = 0;
	if (conn_alive(c) && conn_same_socket(c))
		bufferevent_trigger_event(bev, ev, 0);
	bufferevent_decref(bev);
}

static void
pump_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tls_conn		*c = arg;
	struct bufferevent	*bev = c->bev;

	(void)fd;
	(void)what;
	c->pump_pending = 0;
	if (conn_alive(c) && c->state == TLS_OPEN && conn_same_socket(c)) {
		c->pumping = 1;
		bufferevent_flush(bev, EV_WRITE, BEV_NORMAL);
		c->pumping = 0;
	}
	bufferevent_decref(bev);
}

/*
 * Gap 1: evhttp writes its response while EV_WRITE is off and enabling a
 * filter pushes nothing; and encrypting only from here puts headers and
 * body, added piece by piece, into one record. The reference keeps the
 * filter alive until the pump has run.
 */
static void
conn_pump(struct tls_conn *c)
{
	if (c->pump_pending)
		return;
	c->pump_pending = 1;
	bufferevent_incref(c->bev);
	event_active(c->pump, EV_WRITE, 1);
}

static void
deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tls_conn	*c = arg;

	(void)fd;
	(void)what;
	if (conn_alive(c))
		conn_drive(c, TLS_IN_DEADLINE, NULL);
}

static enum bufferevent_filter_result
filter_in(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *arg)
{
	(void)src;
	(void)lim;
	(void)mode;
	return conn_drive(arg, TLS_IN_DATA, dst);
}

/*
 * Gap 2: plaintext leaves the filter's output only once its ciphertext has
 * left the socket bufferevent, so evhttp's "written" (and its close after a
 * final response) waits for the bytes to reach the kernel.
 */
static enum bufferevent_filter_result
filter_out(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *arg)
{
	struct tls_conn		*c = arg;
	unsigned char		 buf[TLS_RECORD];
	struct evbuffer_ptr	 pos;
	size_t			 len, n;
	int			 r, progress = 0;

	(void)lim;
	(void)mode;
	if (c->state == TLS_FAILED)
		return BEV_ERROR;
	if (c->state != TLS_OPEN)
		return BEV_NEED_MORE;
	if (c->sealed > 0 && evbuffer_get_length(dst) == 0) {
		c->draining = 1;
		evbuffer_drain(src, c->sealed);
		c->draining = 0;
		c->sealed = 0;
		progress = 1;
	}
	len = evbuffer_get_length(src);
	while (c->pumping && len > c->sealed &&
	    evbuffer_get_length(dst) < TLS_AHEAD) {
		/* After WANT_*, mbedTLS wants the very same bytes again. */
		n = c->pending != 0 ? c->pending : len - c->sealed;
		if (n > TLS_RECORD)
			n = TLS_RECORD;
		if (evbuffer_ptr_set(src, &pos, c->sealed,
		    EVBUFFER_PTR_SET) == -1 ||
		    evbuffer_copyout_from(src, &pos, buf, n) != (ev_ssize_t)n)
			r = MBEDTLS_ERR_SSL_INTERNAL_ERROR;
		else
			r = mbedtls_ssl_write(&c->ssl, buf, n);
		if (r == MBEDTLS_ERR_SSL_WANT_WRITE ||
		    r == MBEDTLS_ERR_SSL_WANT_READ) {
			c->pending = n;
			break;
		}
		if (r < 0) {
			c->fault = r;
			conn_drive(c, TLS_IN_FAULT, NULL);
			return BEV_ERROR;
		}
		c->pending = 0;
		c->sealed += (size_t)r;
		progress = 1;
	}
	return progress ? BEV_OK : BEV_NEED_MORE;
}

/*
 * The filter's output changed: data added wakes the pump (gap 1); a drain
 * that is not ours (evhttp resetting) takes the sealed bytes with it.
 */
static void
out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct tls_conn	*c = arg;

	(void)buf;
	if (info->n_deleted > 0 && !c->draining) {
		c->sealed = info->n_deleted >= c->sealed ? 0 :
		    c->sealed - info->n_deleted;
		c->pending = 0;
	}
	if (info->n_added > 0 && c->state == TLS_OPEN)
		conn_pump(c);
}

/*
 * libevent 2.1's filter callbacks take no reference on the filter: when
 * evhttp frees the connection inside one ("Connection: close" after the
 * write callback), the filter is unlinked and its timers cancelled, and
 * then be_filter_process_output() re-arms the generic write timeout on it,
 * leaving freed memory in the timer heap. Holding a reference across the
 * call makes the free happen after that, at our decref.
 */
static void
under_readcb(struct bufferevent *under, void *arg)
{
	struct tls_conn		*c = arg;
	struct bufferevent	*bev = c->bev;

	/* libevent's filter reads through filter_in, then calls evhttp. */
	bufferevent_incref(bev);
	c->f_readcb(under, c->f_arg);
	bufferevent_decref(bev);
}

/* 1 if the socket under us is not the one the session ran on. */
static int
conn_new_socket(struct tls_conn *c)
{
	struct stat	st;
	int		fd = bufferevent_getfd(c->under);

	if (fd < 0 || fstat(fd, &st) == -1)
		return 0;
	if (fd == c->fd && st.st_ino == c->fd_ino)
		return 0;
	c->fd = fd;
	c->fd_ino = st.st_ino;
	return 1;
}

static void
under_writecb(struct bufferevent *under, void *arg)
{
	struct tls_conn		*c = arg;
	struct bufferevent	*bev = c->bev;

	/*
	 * A client learns of evhttp's new socket here: the first write event
	 * of a socket runs this callback even with nothing to write.
	 */
	bufferevent_incref(bev);
	if (!c->is_server && conn_new_socket(c))
		conn_drive(c, TLS_IN_SOCKET, bufferevent_get_input(bev));
	else {
		c->pumping = 1;
		c->f_writecb(under, c->f_arg);
		c->pumping = 0;
	}
	bufferevent_decref(bev);
}

static void
under_eventcb(struct bufferevent *under, short what, void *arg)
{
	struct tls_conn		*c = arg;
	struct bufferevent	*bev = c->bev;

	bufferevent_incref(bev);
	if (what & BEV_EVENT_EOF)
		conn_drive(c, TLS_IN_EOF, NULL);
	else if (what & BEV_EVENT_ERROR)
		conn_drive(c, TLS_IN_SOCKERR, NULL);
	else if (!(what & BEV_EVENT_CONNECTED))
		c->f_eventcb(under, what, c->f_arg);
	bufferevent_decref(bev);
}

/* The filter's free-context callback: the connection is gone. */
static void
conn_free(void *arg)
{
	struct tls_conn	*c = arg;

	if (c->out_cb != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_output(c->bev),
		    c->out_cb);
	if (c->pump != NULL)
		event_free(c->pump);
	if (c->deadline != NULL)
		event_free(c->deadline);
	if (c->raise != NULL)
		event_free(c->raise);
	mbedtls_ssl_free(&c->ssl);
	tls_material_unref(c->mat);
	if (c->on_free != NULL)
		c->on_free(c->on_free_arg);
	free(c);
}

static struct bufferevent *
conn_new(struct tls_material *m, struct event_base *base, int fd,
    unsigned handshake_ms, void (*on_free)(void *), void *arg)
{
	struct tls_conn		*c;
	struct bufferevent	*under = NULL, *bev;
	struct timeval		 tv;
	int			 r;

	if ((c = calloc(1, sizeof *c)) == NULL)
		goto fail;
	mbedtls_ssl_init(&c->ssl);
	c->mat = m;
	m->refs++;
	c->is_server = m->is_server;
	c->state = m->is_server ? TLS_HANDSHAKE : TLS_WAIT_SOCKET;
	c->deadline_ms = handshake_ms;
	c->fd = -1;
	if ((under = bufferevent_socket_new(base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL)
		goto fail;
	if ((bev = bufferevent_filter_new(under, filter_in, filter_out,
	    BEV_OPT_CLOSE_ON_FREE, conn_free, c)) == NULL)
		goto fail;
	/* From here the filter owns c: conn_free() runs when it goes. */
	c->on_free = on_free;
	c->on_free_arg = arg;
	c->bev = bev;
	c->under = under;
	bufferevent_getcb(under, &c->f_readcb, &c->f_writecb, &c->f_eventcb,
	    &c->f_arg);
	bufferevent_setcb(under, under_readcb, under_writecb, under_eventcb,
	    c);
	c->pump = event_new(base, -1, 0, pump_cb, c);
	c->deadline = evtimer_new(base, deadline_cb, c);
	c->raise = event_new(base, -1, 0, raise_cb, c);
	c->out_cb = evbuffer_add_cb(bufferevent_get_output(bev), out_cb, c);
	r = mbedtls_ssl_setup(&c->ssl, &m->conf);
	if (r == 0 && !m->is_server)
		r = mbedtls_ssl_set_hostname(&c->ssl,
		    m->iplen != 0 ? NULL : m->servername);
	if (r == 0 && (c->out_cb == NULL || c->pump == NULL ||
	    c->deadline == NULL || c->raise == NULL))
		r = MBEDTLS_ERR_SSL_ALLOC_FAILED;
	if (r != 0) {
		/* Never plaintext: this bufferevent closes at once. */
		c->fault = r;
		conn_drive(c, TLS_IN_FAULT, NULL);
		return bev;
	}
	mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, NULL);
	if (handshake_ms != 0) {
		tv.tv_sec = handshake_ms / 1000;
		tv.tv_usec = (handshake_ms % 1000) * 1000;
		evtimer_add(c->deadline, &tv);
	}
	return bev;
fail:
	if (under != NULL)
		bufferevent_free(under);	/* closes fd */
	else if (fd >= 0)
		close(fd);
	if (c != NULL) {
		mbedtls_ssl_free(&c->ssl);
		tls_material_unref(m);
		free(c);
	}
	return NULL;
}

struct bufferevent *
tls_server_bev(struct tls_server *s, struct event_base *base,
    unsigned handshake_ms, void (*on_free)(void *), void *arg)
{
	return conn_new(s->mat, base, -1, handshake_ms, on_free, arg);
}

struct bufferevent *
tls_client_bev(struct tls_client *cl, struct event_base *base, int fd)
{
	return conn_new(cl->mat, base, fd, 0, NULL, NULL);
}

static struct tls_conn *
conn_of(struct bufferevent *bev)
{
	struct bufferevent	*under;
	bufferevent_data_cb	 r;
	void			*arg;

	if (bev == NULL || (under = bufferevent_get_underlying(bev)) == NULL)
		return NULL;
	bufferevent_getcb(under, &r, NULL, NULL, &arg);
	return r == under_readcb ? arg : NULL;
}

int
tls_peer_sha256(struct bufferevent *bev, unsigned char out[32])
{
	struct tls_conn	*c = conn_of(bev);

	if (c == NULL || !c->have_peer ||
	    (c->state != TLS_OPEN && c->state != TLS_CLOSING))
		return -1;
	memcpy(out, c->peer_sha256, sizeof c->peer_sha256);
	return 0;
}

int
tls_bev_deadline(struct bufferevent *bev, unsigned ms)
{
	struct tls_conn	*c = conn_of(bev);
	struct timeval	 tv;

	if (c == NULL || c->deadline == NULL || c->state == TLS_FAILED)
		return -1;
	c->deadline_ms = ms;
	c->deadline_keep = ms != 0;
	if (ms == 0)
		return evtimer_del(c->deadline);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return evtimer_add(c->deadline, &tv);
}

int
tls_close_notify(struct bufferevent *bev)
{
	struct tls_conn	*c = conn_of(bev);

	if (c == NULL || (c->state != TLS_OPEN &&
	    !(c->state == TLS_CLOSING && !c->sent_close)))
		return -1;
	conn_drive(c, TLS_IN_CLOSE, NULL);
	return 0;
}

void
tls_evhttp_closecb(struct evhttp_connection *evcon, void *arg)
{
	(void)arg;
	tls_close_notify(evhttp_connection_get_bufferevent(evcon));
}

const char *
tls_bev_error(struct bufferevent *bev)
{
	struct tls_conn	*c = conn_of(bev);

	return c != NULL && c->error[0] != '\0' ? c->error : NULL;
}
