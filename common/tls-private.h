/*
 * tls-private.h: what the files of common/tls* share: tls.c (making and
 * freeing connections, the public calls on one), tls-conn.c (the state
 * machine), tls-io.c (libevent's and mbedTLS's callbacks), tls-verify.c
 * (the peer's certificate, failure wording), tls-files.c (the files read
 * and checked once) and tls-conf.c (contexts, policy, material). Nothing
 * outside common/tls*.c includes it.
 */
#ifndef TLS_PRIVATE_H
#define TLS_PRIVATE_H

#include <sys/types.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "tls.h"

/* A file's bytes plus a NUL (len counts it); p NULL: no such file. */
struct tls_blob {
	unsigned char	*p;
	size_t		 len;
};

/* See tls.h; made by tls-files.c, parsed by tls-conf.c. */
struct tls_files {
	atomic_int		refs;
	struct tls_blob		cert, key, ca, crl;
	char			summary[384];
	unsigned char		cert_sha256[32];
	int64_t			cert_expires;	/* the server certificate's */
	unsigned char		trust_sha256[32];	/* CA and CRL bytes */
	int			has_next_update;
	time_t			crl_next_update;
};

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
	int			peer_optional;	/* server: no cert is allowed */
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
	struct tls_conn		*spare;		/* tls_server_reserve() */
	void			(*outcome)(void *, enum tls_outcome);
	void			*outcome_arg;
};

struct tls_client {
	struct tls_shared	*shared;
	struct tls_material	*mat;
};

/* Free a server's reserve connection (tls.c); NULL is a no-op. */
void	tls_conn_spare_free(struct tls_conn *);

/*
 * Drop one reference to m; the last one frees it with its config, keys and
 * chains. NULL is a no-op. Only the thread that owns m may call it.
 */
void	tls_material_unref(struct tls_material *);

/*
 * A connection's TLS state: tls_conn_drive() (tls-conn.c) makes every
 * transition.
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

#define TLS_RECORD	16384		/* most plaintext one ssl_write takes */

/*
 * One connection, owned by its filter bufferevent (freed by the filter's
 * free-context callback in tls.c). tls-conn.c's driver makes every change
 * of state; tls-io.c moves bytes and feeds the driver; tls-verify.c only
 * reads the session and fills in peer and error.
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
	int			 direct;	/* server, open: we write the socket */
	int			 want_write;	/* socket write events are on */
	int			 claim_check;	/* server: did evhttp take it? */
	size_t			 sealed;	/* encrypted plaintext kept */
	size_t			 pending;	/* length to retry after WANT_* */
	size_t			 bytes_in;
	int			 got_close;
	int			 sent_close;
	int			 have_peer;
	unsigned char		 peer_sha256[32];
	void			(*on_free)(void *);
	void			*on_free_arg;
	void			(*outcome)(void *, enum tls_outcome);
	void			*outcome_arg;	/* server: tls_server_outcomes */
	int			 resumed;	/* from a ticket */
	int			 seen_cert;	/* server: the client sent one */
	unsigned char		 seen_sha256[32];
	char			 seen_subject[160];
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
 * The server's per-connection verify callback (mbedtls_ssl_set_verify,
 * arg the tls_conn): notes the client certificate's subject and SHA-256
 * for the log, whether it verifies or not, and fails a presented
 * certificate that does not verify when certificates are optional.
 */
int	tls_verify_client(void *, mbedtls_x509_crt *, int depth,
	    uint32_t *flags);

/*
 * The driver (tls-conn.c): c's answer to in. plain is the filter's input
 * buffer for TLS_IN_DATA (NULL otherwise); the result is what the input
 * filter answers libevent. It may raise an event to evhttp (always from
 * an event of its own, a later turn of the loop) but never frees c.
 */
enum bufferevent_filter_result
	tls_conn_drive(struct tls_conn *, enum tls_input, struct evbuffer *);

/* Hand what to evhttp on a later turn of the loop (tls-conn.c). */
void	tls_conn_raise(struct tls_conn *, short what);

/*
 * tls-io.c. tls_io_filter: the filter bufferevent over under, with c as
 * its context and free_cb as its free-context callback (NULL if it cannot
 * be allocated). tls_io_attach: take over under's callbacks, make c's
 * events and set the BIO; -1 if an allocation failed (what was made is
 * kept for tls_io_detach, which frees it). tls_io_conn_of: the connection
 * of a filter made here, or NULL for any other bufferevent.
 */
struct bufferevent *
	tls_io_filter(struct tls_conn *, struct bufferevent *under,
	    void (*free_cb)(void *));
int	tls_io_attach(struct tls_conn *, struct event_base *);
void	tls_io_detach(struct tls_conn *);
struct tls_conn *
	tls_io_conn_of(struct bufferevent *);
int	tls_io_alive(struct tls_conn *);
void	tls_io_pump(struct tls_conn *);
void	tls_io_flush_socket(struct tls_conn *);

/*
 * Server, once open (c->direct): write the queued records to the socket
 * now, and keep the socket's write events on only while the kernel would
 * not take them all, so that an answer costs no epoll_ctl.
 */
void	tls_io_send_now(struct tls_conn *);

/*
 * Put into c->error why TLS failed with mbedTLS error r, in words a user
 * can act on (c->state tells a handshake failure from a later one). The
 * text lives in c and stays valid until the connection is freed or reset.
 */
void	tls_verify_describe(struct tls_conn *, int r);

/*
 * "msg: mbedTLS's words for r" (just msg when r is 0) into err, for the
 * errors of tls-conf.c and tls-files.c. err may be NULL.
 */
void	tls_seterr(char *err, size_t errlen, int r, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
