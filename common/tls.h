/*
 * tls.h: TLS 1.2 (mbedTLS 2.28) as a bufferevent filter under libevent 2.1,
 * for auditord's evhttp server and auditorctl's evhttp client.
 *
 * libevent 2.1 has no mbedTLS bufferevent and a custom bufferevent type cannot
 * be written against its public headers, so each connection is a
 * bufferevent_filter over a socket bufferevent with mbedTLS BIO callbacks on
 * the underlying evbuffers (docs/tls.md says why, and what the filter had
 * to add to work under evhttp).
 *
 * Threading: a struct tls_shared (RNG, session-ticket keys) may be used by
 * every thread at once. A struct tls_server or tls_client holds parsed keys
 * and chains, which mbedTLS's ECP code does not allow to share: make one per
 * thread, and use it and the bufferevents made from it only on that thread.
 *
 * Policy, set explicitly because Debian's mbedTLS enables weak defaults:
 * TLS 1.2 only; ECDHE-ECDSA/ECDHE-RSA with AES-GCM or ChaCha20-Poly1305;
 * curves X25519, P-256, P-384 in that order; SHA-256/384/512 signatures; no
 * renegotiation; session tickets on the server (1 hour, or what
 * tls_shared_tickets() says). The server requires a client certificate that
 * verifies against the CA (and CRL, if one is given), on resumed sessions
 * too; a handshake without one fails with a handshake_failure alert unless
 * tls_shared_client_optional() made it optional.
 *
 * Finding a connection's TLS state from the filter bufferevent: libevent 2.1
 * has no getter for a filter's context, but the socket bufferevent under the
 * filter is private to this module, so its callback argument carries the
 * state. tls_peer_sha256() and friends take bufferevent_get_underlying(bev)
 * and accept it only if its read callback is ours (tls-io.c); no registry,
 * no locks, and the link dies with the bufferevent.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

struct evhttp_connection;
struct tls_shared;
struct tls_server;
struct tls_client;
struct tls_files;

/*
 * Process-wide state: entropy, DRBG, session-ticket keys. Returns NULL and
 * writes a message into err on failure. Free after every tls_server and
 * tls_client made from it (and every connection of theirs) is gone.
 */
struct tls_shared	*tls_shared_new(char *err, size_t errlen);
void			 tls_shared_free(struct tls_shared *);

/*
 * New session-ticket keys, for tickets that live secs seconds (1 hour
 * until this is called): every ticket issued before is refused from now
 * on (its session makes a full handshake, with the chain and CRL checks).
 * For a change of CA or CRL, and to tie the ticket lifetime to how often
 * the CRL is looked at. Safe while handshakes run on other threads.
 * Returns 0, or -1 and a message in err (the old keys stay).
 */
int			 tls_shared_tickets(struct tls_shared *, unsigned secs,
			    char *err, size_t errlen);

/*
 * optional 1: servers made after this call accept a handshake without a
 * client certificate (one that is presented is still verified, CRL
 * included); tls_peer_sha256() then answers -1 and the layer above must
 * authenticate the request another way (a bearer token). Default 0.
 */
void			 tls_shared_client_optional(struct tls_shared *,
			    int optional);

/*
 * len bytes from the shared CTR-DRBG (seeded from the system's entropy),
 * for secrets such as bearer tokens. Any thread. Returns 0, or -1.
 */
int			 tls_shared_random(struct tls_shared *, unsigned char *buf,
			    size_t len);

/*
 * The contents of a server's certificate chain, key, CA and, when crl is
 * not NULL, CRL files (PEM or DER), read into memory once and checked once:
 * each parses, the key matches the certificate. Every thread can then
 * build its own contexts from the very same bytes, so a file that changes
 * meanwhile cannot make two workers serve different certificates. Returns
 * NULL and a message in err on failure (naming the file).
 *
 * Immutable once made, and reference-counted with atomics: tls_files_ref()
 * and tls_files_free() may run on any thread; the last free releases the
 * bytes (the key's are zeroed first). tls_files_free(NULL) is a no-op.
 */
struct tls_files	*tls_files_read(const char *cert, const char *key,
			    const char *ca, const char *crl, char *err,
			    size_t errlen);
struct tls_files	*tls_files_ref(struct tls_files *);
void			 tls_files_free(struct tls_files *);

/*
 * "certificate SUBJECT, expires YYYY-MM-DD HH:MM:SS UTC" for the leaf
 * certificate, for the log. Valid as long as the files are.
 */
const char		*tls_files_summary(const struct tls_files *);

/*
 * When the leaf certificate expires and when the CRL's issuer promises the
 * next one (0 without a CRL), in seconds since the epoch.
 */
void			 tls_files_times(const struct tls_files *,
			    int64_t *cert_expires, int64_t *crl_next_update);

/* SHA-256 of the leaf certificate's DER. */
void			 tls_files_cert_sha256(const struct tls_files *,
			    unsigned char out[32]);

/*
 * One SHA-256 over the CA and CRL files' bytes: it differs exactly when
 * whom the server trusts may have changed.
 */
void			 tls_files_trust_sha256(const struct tls_files *,
			    unsigned char out[32]);

/*
 * The CRL's next update (the earliest, if the file holds several), for the
 * warning before it falls due. 0 and *when, or -1 when there is no CRL or
 * it names no next update.
 */
int			 tls_files_crl_next_update(const struct tls_files *,
			    time_t *when);

/*
 * One thread's server context, parsed from files (which it does not keep:
 * free them when convenient). Returns NULL and a message in err on failure.
 * tls_server_new() reads and checks the files itself first (for a single
 * context; several threads should share one tls_files_read()).
 * tls_server_free() may run while connections are open: they hold a
 * reference to the material they started with.
 */
struct tls_server	*tls_server_new_files(struct tls_shared *,
			    const struct tls_files *, char *err,
			    size_t errlen);
struct tls_server	*tls_server_new(struct tls_shared *, const char *cert,
			    const char *key, const char *ca, const char *crl,
			    char *err, size_t errlen);
void			 tls_server_free(struct tls_server *);

/*
 * Parse files into an existing server context (call it on the thread that
 * owns the context). New connections use the new material; open ones keep
 * theirs. On any error the old material stays in use, -1 is returned and
 * err says why.
 */
int			 tls_server_reload(struct tls_server *,
			    const struct tls_files *, char *err,
			    size_t errlen);

/* SHA-256 of the certificate the context serves to new connections. */
void			 tls_server_cert_sha256(const struct tls_server *,
			    unsigned char out[32]);

/*
 * A new server-side TLS bufferevent for evhttp_set_bevcb(): created with no
 * fd (evhttp sets it). The bufferevent owns its socket and TLS state; evhttp
 * frees it with the connection. on_free(arg) is called exactly once, when
 * the connection's TLS state is freed, whatever freed it: the hook for
 * counting open connections. handshake_ms bounds the handshake; 0 means no
 * bound. A connection past it is closed.
 *
 * Never plaintext: if memory runs out while setting the connection up, the
 * bufferevent returned refuses it (evhttp gets an error on the next turn
 * of the loop and frees it; on_free runs). When not even the bufferevents
 * can be allocated, the server's reserve (tls_server_reserve) becomes that
 * refusing bufferevent. NULL only when that reserve is used up too: evhttp
 * would then speak plaintext, so accept only while tls_server_reserve()
 * succeeds. A bufferevent that evhttp drops without using (its own
 * allocation failed after this callback) is freed on the next turn of the
 * loop, and on_free runs too.
 *
 * For close_notify after the final response, install tls_evhttp_closecb()
 * with evhttp_connection_set_closecb() (e.g. in the request handler).
 * evhttp_set_timeout() is safe with these bufferevents: libevent 2.1's
 * filter re-arms its timeout on a filter freed inside its own write
 * callback, so tls-io.c holds a reference across libevent's filter
 * callbacks.
 */
struct bufferevent	*tls_server_bev(struct tls_server *, struct event_base *,
			    unsigned handshake_ms, void (*on_free)(void *),
			    void *arg);

/*
 * Keep one connection's worth of bufferevents in reserve on base (the
 * server's thread), for refusing a connection when memory runs out (see
 * tls_server_bev). Returns 0 if the reserve was there, 1 if it was made
 * now, -1 if it cannot be made: stop accepting until it can.
 */
int			 tls_server_reserve(struct tls_server *,
			    struct event_base *);

/*
 * (Re)arm a connection's deadline: ms from now the connection is closed
 * (close_notify if it is open, then BEV_EVENT_TIMEOUT to evhttp, which frees
 * it); 0 clears it. It replaces the handshake bound of tls_server_bev() and,
 * unlike it, outlives the handshake: the hook for one total deadline on
 * handshake + headers + body (evhttp's own timeout is an idle timer that
 * every byte resets). Returns 0, or -1 if bev is not one of ours or failed.
 */
int			 tls_bev_deadline(struct bufferevent *, unsigned ms);

/*
 * How a server connection's handshake ended. A connection that closes
 * before sending a byte is no handshake and is not reported.
 */
enum tls_outcome {
	TLS_OUTCOME_FULL,	/* done, full handshake */
	TLS_OUTCOME_RESUMED,	/* done, session resumed from a ticket */
	TLS_OUTCOME_NO_CERT,	/* refused: no client certificate */
	TLS_OUTCOME_BAD_CERT,	/* refused: unknown CA, expired, revoked... */
	TLS_OUTCOME_TIMEOUT,	/* the handshake deadline passed */
	TLS_OUTCOME_PROTOCOL	/* anything else: version, suites, alerts */
};

/*
 * cb(arg, outcome) once per connection of tls_server_bev() whose handshake
 * ends, on the server's thread: the hook for counting. Refusals are also
 * logged here at warning, with the client's address and, when it sent
 * one, its certificate's subject and SHA-256 (never more of it).
 */
void			 tls_server_outcomes(struct tls_server *,
			    void (*cb)(void *, enum tls_outcome), void *arg);

/*
 * The verified peer certificate's subject ("CN=alice, O=...") into out.
 * Returns 0, or -1 (and "") as tls_peer_sha256 does.
 */
int			 tls_peer_subject(struct bufferevent *, char *out,
			    size_t len);

/* 1 if the bufferevent's session was resumed from a ticket, else 0. */
int			 tls_resumed(struct bufferevent *);

/*
 * SHA-256 of the verified peer certificate's DER for a bufferevent made by
 * this module (as evhttp_connection_get_bufferevent() returns it). Returns 0
 * and fills out, or -1 if the handshake is not done, there is no peer
 * certificate, or bev is not one of ours.
 */
int			 tls_peer_sha256(struct bufferevent *, unsigned char out[32]);

/*
 * Send close_notify on an open TLS bufferevent and write it, with whatever
 * ciphertext is still queued, straight to the socket: evhttp shuts the socket
 * down right after its close callback, before the socket bufferevent could
 * write it. No more data can be sent after it. Returns 0, or -1 if bev is not
 * one of ours or is not open.
 */
int			 tls_close_notify(struct bufferevent *);

/*
 * A close callback for evhttp_connection_set_closecb() that calls
 * tls_close_notify() on the connection's bufferevent; arg is unused. evhttp
 * runs it just before freeing a connection (after the final response has
 * left, on timeouts, on errors), so every close is announced.
 */
void			 tls_evhttp_closecb(struct evhttp_connection *, void *);

/*
 * One thread's client context: ca verifies the server; cert and key, when not
 * NULL, are presented as the client certificate. servername is checked
 * against the server certificate: a DNS name against its DNS names (and sent
 * as SNI), an IPv4/IPv6 literal against its IP addresses (no SNI).
 */
struct tls_client	*tls_client_new(struct tls_shared *, const char *ca,
			    const char *cert, const char *key,
			    const char *servername, char *err, size_t errlen);
void			 tls_client_free(struct tls_client *);

/*
 * A client-side TLS bufferevent for evhttp_connection_base_bufferevent_new().
 * The bufferevent owns fd (closes it on free; on failure NULL is returned
 * and fd is closed).
 *
 * With evhttp, pass fd = -1: evhttp's client (libevent 2.1.12 http.c,
 * evhttp_connection_connect_) first calls evhttp_connection_reset_(), which
 * shuts down and closes whatever fd the bufferevent holds, and then connects
 * a socket of its own to the host and port given to
 * evhttp_connection_base_bufferevent_new() (bufferevent_socket_connect on the
 * filter; the filter passes the fd to its socket bufferevent). A socket the
 * caller connected beforehand would be thrown away. The handshake starts
 * when that socket is connected, and the filter reports BEV_EVENT_CONNECTED
 * to evhttp only once the handshake and the server's certificate check
 * passed, so evhttp_connection_set_timeout() bounds connect + handshake. If
 * evhttp reconnects (a new request after "Connection: close"), a fresh
 * handshake runs on the new socket.
 *
 * Without evhttp, pass a connected fd (or -1 and set one later with
 * bufferevent_setfd()): the handshake starts when the socket is writable,
 * BEV_EVENT_CONNECTED follows it, then data flows both ways.
 */
struct bufferevent	*tls_client_bev(struct tls_client *, struct event_base *,
			    int fd);

/*
 * After a failed connection: a message saying why TLS failed ("server
 * certificate not trusted (...)", "handshake failed: server sent alert
 * handshake_failure (40)...", "handshake timed out"), or NULL if TLS did not
 * fail (e.g. the connection was refused: errno tells). Valid until the
 * bufferevent is freed or starts a new connection.
 */
const char		*tls_bev_error(struct bufferevent *);

#endif
