/*
 * tls-private.h: what tls.c (the connection), tls-verify.c (the peer's
 * certificate, failure wording) and tls-conf.c (contexts, policy, material)
 * share. Nothing outside those three files includes it.
 */
#ifndef TLS_PRIVATE_H
#define TLS_PRIVATE_H

#include <sys/types.h>
#include <stddef.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "tls.h"

/*
 * One generation of keys and chains with the config built on them. Each
 * connection holds a reference, so a reload never frees what an open
 * connection uses; only the owning thread touches refs.
 */
struct tls_material {
	int			refs;
	int			is_server;
	int			has_cert;
	int			has_crl;
	mbedtls_ssl_config	conf;
	mbedtls_x509_crt	cert;
	mbedtls_pk_context	key;
	mbedtls_x509_crt	ca;
	mbedtls_x509_crl	crl;
	char			*servername;	/* client */
	unsigned char		ip[16];		/* client: servername as IP */
	size_t			iplen;
};

struct tls_server {
	struct tls_shared	*shared;
	struct tls_material	*mat;
};

struct tls_client {
	struct tls_shared	*shared;
	struct tls_material	*mat;
};

/*
 * Drop one reference to m; the last one frees it with its config, keys and
 * chains. NULL is a no-op. Only the thread that owns m may call it.
 */
void	tls_material_unref(struct tls_material *);

/*
 * A connection's TLS state (memcached's conn_states): conn_drive() makes
 * every transition.
 *   WAIT_SOCKET  client: evhttp has not connected a socket yet
 *   HANDSHAKE    handshake records flow; plaintext output waits
 *   OPEN         application data flows both ways
 *   CLOSING      close_notify sent or received: nothing more is sent
 *   FAILED       fatal error: the event is raised, error says why
 */
enum tls_state {
	TLS_WAIT_SOCKET,
	TLS_HANDSHAKE,
	TLS_OPEN,
	TLS_CLOSING,
	TLS_FAILED
};

/*
 * One connection, owned by its filter bufferevent (freed by the filter's
 * free-context callback in tls.c). tls.c's driver makes every change of
 * state; tls-verify.c only reads the session and fills in peer and error.
 */
struct tls_conn {
	enum tls_state		 state;
	int			 is_server;
	struct tls_material	*mat;
	mbedtls_ssl_context	 ssl;
	struct bufferevent	*bev;		/* the filter evhttp sees */
	struct bufferevent	*under;		/* the socket bufferevent */
	bufferevent_data_cb	 f_readcb;	/* libevent's filter callbacks */
	bufferevent_data_cb	 f_writecb;
	bufferevent_event_cb	 f_eventcb;
	void			*f_arg;
	struct evbuffer_cb_entry *out_cb;
	struct event		*pump;		/* deferred output flush */
	struct event		*deadline;	/* deadline, then linger timer */
	struct event		*raise;		/* deferred event to evhttp */
	short			 raise_what;
	short			 linger_what;	/* event held back while lingering */
	unsigned		 deadline_ms;
	int			 deadline_keep;	/* outlives the handshake */
	int			 fd;		/* client: socket of the session */
	ino_t			 fd_ino;
	int			 used;		/* client: ssl needs a reset */
	int			 fault;
	int			 pumping;	/* may encrypt now */
	int			 pump_pending;
	int			 draining;	/* we drain the output ourselves */
	size_t			 sealed;	/* encrypted plaintext kept */
	size_t			 pending;	/* length to retry after WANT_* */
	size_t			 bytes_in;
	int			 got_close;
	int			 sent_close;
	int			 have_peer;
	unsigned char		 peer_sha256[32];
	void			(*on_free)(void *);
	void			*on_free_arg;
	char			 error[320];
};

/*
 * The handshake on c has completed: check the peer's certificate and, when
 * it passes, keep its SHA-256 in c->peer_sha256 and set c->have_peer.
 * Returns the TLS alert to fail the connection with (c->error says why), or
 * -1 when all is well. Reads c->ssl and c->mat; owns nothing.
 */
int	tls_verify_peer(struct tls_conn *);

/*
 * Put into c->error why TLS failed with mbedTLS error r, in words a user
 * can act on (c->state tells a handshake failure from a later one). The
 * text lives in c and stays valid until the connection is freed or reset.
 */
void	tls_verify_describe(struct tls_conn *, int r);

#endif
