/*
 * tls.c: TLS 1.2 connections for evhttp on libevent 2.1 (see tls.h and
 * docs/tls.md): making and freeing a connection, and the calls evhttp's
 * users make on one. Its state machine is in tls-conn.c, the callbacks
 * libevent and mbedTLS make in tls-io.c, its material in tls-conf.c.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include <mbedtls/ssl.h>

#include "log.h"
#include "tls.h"
#include "tls-private.h"

/* The filter's free-context callback: the connection is gone. */
static void
conn_free(void *arg)
{
	struct tls_conn	*c = arg;

	tls_io_detach(c);
	mbedtls_ssl_free(&c->ssl);
	tls_material_unref(c->mat);
	if (c->on_free != NULL)
		c->on_free(c->on_free_arg);
	free(c);
}

/*
 * A connection with no material yet: c, the socket bufferevent on fd, the
 * filter, c's events. NULL (fd closed) if any of it cannot be allocated.
 */
static struct tls_conn *
conn_shell(struct event_base *base, int fd)
{
	struct tls_conn		*c;
	struct bufferevent	*under = NULL;

	if ((c = calloc(1, sizeof *c)) == NULL)
		goto fail;
	mbedtls_ssl_init(&c->ssl);
	c->fd = -1;
	if ((under = bufferevent_socket_new(base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL)
		goto fail;
	c->under = under;
	if ((c->bev = tls_io_filter(c, under, conn_free)) == NULL)
		goto fail;
	/* From here the filter owns c: conn_free() runs when it goes. */
	if (tls_io_attach(c, base) != 0) {
		bufferevent_free(c->bev);
		return NULL;
	}
	return c;
fail:
	if (under != NULL)
		bufferevent_free(under);	/* closes fd */
	else if (fd >= 0)
		close(fd);
	free(c);
	return NULL;
}

void
tls_conn_spare_free(struct tls_conn *c)
{
	if (c != NULL)
		bufferevent_free(c->bev);
}

int
tls_server_reserve(struct tls_server *s, struct event_base *base)
{
	if (s->spare != NULL)
		return 0;
	return (s->spare = conn_shell(base, -1)) != NULL ? 1 : -1;
}

/* Start c on m; an mbedTLS error code if it cannot be. */
static int
conn_start(struct tls_conn *c, struct tls_material *m, unsigned handshake_ms)
{
	struct timeval	tv;
	int		r;

	c->mat = m;
	m->refs++;
	c->is_server = m->is_server;
	c->state = m->is_server ? TLS_HANDSHAKE : TLS_WAIT_SOCKET;
	c->deadline_ms = handshake_ms;
	if ((r = mbedtls_ssl_setup(&c->ssl, &m->conf)) != 0)
		return r;
	/* Takes precedence over the config's; sees the client's cert. */
	if (m->is_server)
		mbedtls_ssl_set_verify(&c->ssl, tls_verify_client, c);
	if (!m->is_server && (r = mbedtls_ssl_set_hostname(&c->ssl,
	    m->iplen != 0 ? NULL : m->servername)) != 0)
		return r;
	if (handshake_ms != 0) {
		tv.tv_sec = handshake_ms / 1000;
		tv.tv_usec = (handshake_ms % 1000) * 1000;
		if (evtimer_add(c->deadline, &tv) == -1)
			return MBEDTLS_ERR_SSL_ALLOC_FAILED;
	}
	return 0;
}

struct bufferevent *
tls_server_bev(struct tls_server *s, struct event_base *base,
    unsigned handshake_ms, void (*on_free)(void *), void *arg)
{
	struct tls_conn	*c;
	int		 r = 0;

	if ((c = conn_shell(base, -1)) == NULL) {
		/* The reserve: made before, so refusing needs no memory. */
		if ((c = s->spare) == NULL)
			return NULL;
		s->spare = NULL;
		c->is_server = 1;
		c->state = TLS_HANDSHAKE;
		r = MBEDTLS_ERR_SSL_ALLOC_FAILED;
	}
	c->on_free = on_free;
	c->on_free_arg = arg;
	c->outcome = s->outcome;
	c->outcome_arg = s->outcome_arg;
	if (r == 0)
		r = conn_start(c, s->mat, handshake_ms);
	/* Did evhttp take it? Checked on the next turn (tls-io.c). */
	c->claim_check = 1;
	tls_io_pump(c);
	if (r != 0) {
		/* Never plaintext: this bufferevent refuses the connection. */
		if (r == MBEDTLS_ERR_SSL_ALLOC_FAILED)
			log_warnx("tls: out of memory for a connection; "
			    "refusing it");
		c->fault = r;
		tls_conn_drive(c, TLS_IN_FAULT, NULL);
	}
	return c->bev;
}

struct bufferevent *
tls_client_bev(struct tls_client *cl, struct event_base *base, int fd)
{
	struct tls_conn	*c;

	if ((c = conn_shell(base, fd)) == NULL)
		return NULL;
	if ((c->fault = conn_start(c, cl->mat, 0)) != 0)
		tls_conn_drive(c, TLS_IN_FAULT, NULL);
	return c->bev;
}

void
tls_server_outcomes(struct tls_server *s, void (*cb)(void *,
    enum tls_outcome), void *arg)
{
	s->outcome = cb;
	s->outcome_arg = arg;
}

int
tls_peer_subject(struct bufferevent *bev, char *out, size_t len)
{
	struct tls_conn		*c = tls_io_conn_of(bev);
	const mbedtls_x509_crt	*crt;

	if (len > 0)
		out[0] = '\0';
	if (c == NULL || !c->have_peer ||
	    (crt = mbedtls_ssl_get_peer_cert(&c->ssl)) == NULL ||
	    mbedtls_x509_dn_gets(out, len, &crt->subject) < 0) {
		if (len > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int
tls_resumed(struct bufferevent *bev)
{
	struct tls_conn	*c = tls_io_conn_of(bev);

	return c != NULL && c->resumed;
}

int
tls_peer_sha256(struct bufferevent *bev, unsigned char out[32])
{
	struct tls_conn	*c = tls_io_conn_of(bev);

	if (c == NULL || !c->have_peer ||
	    (c->state != TLS_OPEN && c->state != TLS_CLOSING))
		return -1;
	memcpy(out, c->peer_sha256, sizeof c->peer_sha256);
	return 0;
}

int
tls_bev_deadline(struct bufferevent *bev, unsigned ms)
{
	struct tls_conn	*c = tls_io_conn_of(bev);
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
	struct tls_conn	*c = tls_io_conn_of(bev);

	if (c == NULL || (c->state != TLS_OPEN &&
	    !(c->state == TLS_CLOSING && !c->sent_close)))
		return -1;
	tls_conn_drive(c, TLS_IN_CLOSE, NULL);
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
	struct tls_conn	*c = tls_io_conn_of(bev);

	return c != NULL && c->error[0] != '\0' ? c->error : NULL;
}
