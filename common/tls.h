/*
 * tls.h: TLS 1.2 (mbedTLS 2.28) as a bufferevent filter under libevent 2.1,
 * for auditord's evhttp server and auditorctl's evhttp client.
 *
 * libevent 2.1 has no mbedTLS bufferevent and a custom bufferevent type cannot
 * be written against its public headers, so each connection is a
 * bufferevent_filter over a socket bufferevent with mbedTLS BIO callbacks on
 * the underlying evbuffers (see TLS-NOTES.md for the gaps this closes).
 *
 * Threading: a struct tls_shared (RNG, session-ticket keys) may be used by
 * every thread at once. A struct tls_server or tls_client holds parsed keys
 * and chains, which mbedTLS's ECP code does not allow to share: make one per
 * thread.
 *
 * Policy, set explicitly because Debian's mbedTLS enables weak defaults:
 * TLS 1.2 only; ECDHE-ECDSA/ECDHE-RSA with AES-GCM or ChaCha20-Poly1305;
 * curves X25519, P-256, P-384 in that order; SHA-256/384/512 signatures; no
 * renegotiation; session tickets on the server. The server requires a client
 * certificate that verifies against the CA (and CRL, if one is given); a
 * handshake without one fails with an alert.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

struct tls_shared;
struct tls_server;
struct tls_client;

/*
 * Process-wide state: entropy, DRBG, session-ticket keys. Returns NULL and
 * writes a message into err on failure. Free after every tls_server made
 * from it.
 */
struct tls_shared	*tls_shared_new(char *err, size_t errlen);
void			 tls_shared_free(struct tls_shared *);

/*
 * One thread's server context: parses cert (PEM chain), key, ca and, when
 * crl is not NULL, the CRL. Returns NULL and a message in err on failure.
 */
struct tls_server	*tls_server_new(struct tls_shared *, const char *cert,
			    const char *key, const char *ca, const char *crl,
			    char *err, size_t errlen);
void			 tls_server_free(struct tls_server *);

/*
 * Reload cert, key, ca and crl into an existing server context. New
 * connections use the new material; open ones keep theirs. On any error the
 * old material stays in use, -1 is returned and err says why.
 */
int			 tls_server_reload(struct tls_server *, const char *cert,
			    const char *key, const char *ca, const char *crl,
			    char *err, size_t errlen);

/*
 * A new server-side TLS bufferevent for evhttp_set_bevcb(): created with no
 * fd (evhttp sets it). Never returns NULL unless out of memory (evhttp would
 * then fall back to plaintext, so the caller must treat NULL as fatal for
 * the connection). on_free(arg) is called once when the connection's TLS
 * state is freed: the hook for counting open connections.
 * handshake_ms bounds the handshake; 0 means no bound.
 */
struct bufferevent	*tls_server_bev(struct tls_server *, struct event_base *,
			    unsigned handshake_ms, void (*on_free)(void *),
			    void *arg);

/*
 * SHA-256 of the verified peer certificate's DER for a bufferevent made by
 * tls_server_bev() (as evhttp_connection_get_bufferevent() returns it).
 * Returns 0 and fills out, or -1 if the handshake is not done or there is no
 * peer certificate.
 */
int			 tls_peer_sha256(struct bufferevent *, unsigned char out[32]);

/*
 * Arm (ms > 0) or disarm (ms == 0) a deadline on a bufferevent made by
 * tls_server_bev(): when it passes, the connection ends as on a fatal error
 * (evhttp sees EOF and frees it). Arming again replaces the old deadline.
 * The worker uses it for "handshake, headers and body in N seconds" and for
 * the keep-alive wait, which evhttp's idle timer cannot bound.
 */
void			 tls_bev_deadline(struct bufferevent *, unsigned ms);

/*
 * One thread's client context: ca verifies the server; cert and key, when not
 * NULL, are presented as the client certificate. servername is checked
 * against the server certificate (SAN) and sent as SNI.
 */
struct tls_client	*tls_client_new(struct tls_shared *, const char *ca,
			    const char *cert, const char *key,
			    const char *servername, char *err, size_t errlen);
void			 tls_client_free(struct tls_client *);

/*
 * A client-side TLS bufferevent over the connected socket fd, usable with
 * evhttp_connection_base_bufferevent_new(). Owns fd (closes it on free).
 */
struct bufferevent	*tls_client_bev(struct tls_client *, struct event_base *,
			    int fd);

/*
 * After a failed client connection: a message saying why TLS failed
 * (verification result or mbedTLS error), or NULL if TLS did not fail.
 * Valid until the bufferevent is freed.
 */
const char		*tls_bev_error(struct bufferevent *);

#endif
