/*
 * tls-io.c: where libevent and mbedTLS call in: the BIO over the socket
 * bufferevent's evbuffers, the filter's input and output functions, the
 * socket bufferevent's callbacks and the connection's own events (pump,
 * raise, deadline). Each turns what happened into an input for
 * tls_conn_drive() (tls-conn.c) or moves bytes; none changes c->state.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <mbedtls/ssl.h>

#include "log.h"
#include "tls-private.h"

#define TLS_AHEAD	(64 * 1024)	/* ciphertext queued ahead of the socket */

static void	under_readcb(struct bufferevent *, void *);

/*
 * The BIO: ciphertext goes through the socket bufferevent's evbuffers. A
 * record is added whole or not at all (evbuffer_add), so a failure can
 * only fail the connection, never send part of a record.
 */
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
 * socket bufferevent would write. libevent keeps a filter's underlying
 * output frozen on the drain side, hence the unfreeze around the drain.
 */
void
tls_io_flush_socket(struct tls_conn *c)
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

void
tls_io_send_now(struct tls_conn *c)
{
	int	left;

	tls_io_flush_socket(c);
	left = evbuffer_get_length(bufferevent_get_output(c->under)) > 0;
	if (left == c->want_write)
		return;
	c->want_write = left;
	if (left)
		bufferevent_enable(c->under, EV_WRITE);
	else
		bufferevent_disable(c->under, EV_WRITE);
}

/* 1 while the filter has not been freed (its unlink clears our callbacks). */
int
tls_io_alive(struct tls_conn *c)
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

/* Client: 1 if the socket under us is not the one the session ran on. */
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
raise_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tls_conn		*c = arg;
	struct bufferevent	*bev = c->bev;
	short			 ev = c->raise_what;

	(void)fd;
	(void)what;
	c->raise_what = 0;
	if (tls_io_alive(c) && conn_same_socket(c))
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
	if (c->claim_check) {
		c->claim_check = 0;
		/*
		 * evhttp sets the socket right after taking a bufferevent
		 * from its callback. Without one, evhttp dropped it (its own
		 * allocation failed) and nobody else would ever free it.
		 */
		if (tls_io_alive(c) && bufferevent_getfd(bev) < 0) {
			log_warnx("tls: evhttp did not take a connection; "
			    "freeing it");
			bufferevent_free(bev);
			bufferevent_decref(bev);
			return;
		}
	}
	if (tls_io_alive(c) && c->state == TLS_OPEN && conn_same_socket(c)) {
		c->pumping = 1;
		bufferevent_flush(bev, EV_WRITE, BEV_NORMAL);
		c->pumping = 0;
		/*
		 * Server: the records go to the kernel now; once all did, a
		 * second flush drains the plaintext they carried (the filter
		 * then says "written"), and more plaintext pumps again.
		 */
		if (c->direct && tls_io_alive(c)) {
			tls_io_send_now(c);
			if (!c->want_write)
				bufferevent_flush(bev, EV_WRITE, BEV_NORMAL);
			if (!c->want_write && tls_io_alive(c) &&
			    c->state == TLS_OPEN && evbuffer_get_length(
			    bufferevent_get_output(bev)) > c->sealed)
				tls_io_pump(c);
		}
	}
	bufferevent_decref(bev);
}

/*
 * Encrypt pending output on the next turn of the loop. evhttp writes its
 * response while EV_WRITE is off and enabling a filter pushes nothing, so
 * without this no response would leave; and encrypting only from here
 * puts headers and body, added piece by piece, into one record
 * (docs/tls.md, "Output nobody flushes"). The reference keeps the filter
 * alive until the pump has run.
 */
void
tls_io_pump(struct tls_conn *c)
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
	if (tls_io_alive(c))
		tls_conn_drive(c, TLS_IN_DEADLINE, NULL);
}

static enum bufferevent_filter_result
filter_in(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *arg)
{
	(void)src;
	(void)lim;
	(void)mode;
	return tls_conn_drive(arg, TLS_IN_DATA, dst);
}

/*
 * Plaintext leaves the filter's output only once its ciphertext has left
 * the socket bufferevent (sealed counts what is encrypted but kept), so
 * evhttp's "written", and its close after a final response, wait for the
 * bytes to reach the kernel (docs/tls.md, "Written is not sent").
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
			tls_conn_drive(c, TLS_IN_FAULT, NULL);
			return BEV_ERROR;
		}
		c->pending = 0;
		c->sealed += (size_t)r;
		progress = 1;
	}
	return progress ? BEV_OK : BEV_NEED_MORE;
}

/*
 * The filter's output changed: data added wakes the pump; a drain that is
 * not ours (evhttp resetting) takes the sealed bytes with it.
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
		tls_io_pump(c);
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
		tls_conn_drive(c, TLS_IN_SOCKET, bufferevent_get_input(bev));
	else {
		c->pumping = 1;
		c->f_writecb(under, c->f_arg);
		c->pumping = 0;
		/* Server: the kernel took it all; back to writing directly. */
		if (c->direct && c->want_write && tls_io_alive(c) &&
		    evbuffer_get_length(bufferevent_get_output(under)) == 0) {
			c->want_write = 0;
			bufferevent_disable(under, EV_WRITE);
			if (c->state == TLS_OPEN && evbuffer_get_length(
			    bufferevent_get_output(bev)) > c->sealed)
				tls_io_pump(c);
		}
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
		tls_conn_drive(c, TLS_IN_EOF, NULL);
	else if (what & BEV_EVENT_ERROR)
		tls_conn_drive(c, TLS_IN_SOCKERR, NULL);
	else if (!(what & BEV_EVENT_CONNECTED))
		c->f_eventcb(under, what, c->f_arg);
	bufferevent_decref(bev);
}

struct bufferevent *
tls_io_filter(struct tls_conn *c, struct bufferevent *under,
    void (*free_cb)(void *))
{
	return bufferevent_filter_new(under, filter_in, filter_out,
	    BEV_OPT_CLOSE_ON_FREE, free_cb, c);
}

int
tls_io_attach(struct tls_conn *c, struct event_base *base)
{
	bufferevent_getcb(c->under, &c->f_readcb, &c->f_writecb,
	    &c->f_eventcb, &c->f_arg);
	bufferevent_setcb(c->under, under_readcb, under_writecb,
	    under_eventcb, c);
	c->pump = event_new(base, -1, 0, pump_cb, c);
	c->deadline = evtimer_new(base, deadline_cb, c);
	c->raise = event_new(base, -1, 0, raise_cb, c);
	c->out_cb = evbuffer_add_cb(bufferevent_get_output(c->bev), out_cb, c);
	if (c->out_cb == NULL || c->pump == NULL || c->deadline == NULL ||
	    c->raise == NULL)
		return -1;
	mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, NULL);
	return 0;
}

void
tls_io_detach(struct tls_conn *c)
{
	if (c->out_cb != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_output(c->bev),
		    c->out_cb);
	if (c->pump != NULL)
		event_free(c->pump);
	if (c->deadline != NULL)
		event_free(c->deadline);
	if (c->raise != NULL)
		event_free(c->raise);
	c->out_cb = NULL;
	c->pump = c->deadline = c->raise = NULL;
}

struct tls_conn *
tls_io_conn_of(struct bufferevent *bev)
{
	struct bufferevent	*under;
	bufferevent_data_cb	 r;
	void			*arg;

	if (bev == NULL || (under = bufferevent_get_underlying(bev)) == NULL)
		return NULL;
	bufferevent_getcb(under, &r, NULL, NULL, &arg);
	return r == under_readcb ? arg : NULL;
}
