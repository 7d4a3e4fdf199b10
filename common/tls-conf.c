/*
 * tls-conf.c: what the connections (tls.c) are made from: process-wide
 * state (RNG, session tickets), per-thread server and client contexts, the
 * TLS policy, and loading and reloading keys, certificate chains and CRLs.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(MBEDTLS_CONFIG_FILE)
#include <mbedtls/config.h>
#else
#include MBEDTLS_CONFIG_FILE
#endif

/*
 * One CTR-DRBG and one session-ticket context serve every worker thread at
 * once (struct tls_shared): mbedTLS makes that safe only with its own
 * mutexes, which exist only when it was built with MBEDTLS_THREADING_C.
 * Without them two handshakes on two threads corrupt the generator's state
 * (repeated nonces) or the ticket keys, silently: refuse to build instead.
 */
#if !defined(MBEDTLS_THREADING_C)
#error "mbedTLS must be built with MBEDTLS_THREADING_C (see above)"
#endif

#include <mbedtls/asn1.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "tls.h"
#include "tls-private.h"

#define TLS_TICKET_SECS	3600		/* until tls_shared_tickets() */

static const int tls_suites[] = {
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	0
};

/* X25519 first: 2.5 times faster than P-256 in mbedTLS. */
static const mbedtls_ecp_group_id tls_curves[] = {
	MBEDTLS_ECP_DP_CURVE25519, MBEDTLS_ECP_DP_SECP256R1,
	MBEDTLS_ECP_DP_SECP384R1, MBEDTLS_ECP_DP_NONE
};

static const int tls_hashes[] = {
	MBEDTLS_MD_SHA512, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE
};

static const mbedtls_x509_crt_profile tls_profile = {
	MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) |
	    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
	    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
	MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY) |
	    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) |
	    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA),
	MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) |
	    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1),
	2048
};

/*
 * The ticket context is replaced whole to rotate its keys
 * (tls_shared_tickets): mbedTLS 2.28 rotates only by age. Handshakes use
 * it under the read lock, so a rotation waits for those in the middle of
 * writing or parsing a ticket and then frees the old keys at once.
 */
struct tls_shared {
	mbedtls_entropy_context		entropy;
	mbedtls_ctr_drbg_context	drbg;	/* THREADING_C: random() locks */
	pthread_rwlock_t		tlock;
	mbedtls_ssl_ticket_context	*ticket; /* under tlock; locks itself */
	int				client_optional;
};

static int
ticket_write(void *arg, const mbedtls_ssl_session *session,
    unsigned char *start, const unsigned char *end, size_t *tlen,
    uint32_t *lifetime)
{
	struct tls_shared	*sh = arg;
	int			 r;

	pthread_rwlock_rdlock(&sh->tlock);
	r = mbedtls_ssl_ticket_write(sh->ticket, session, start, end, tlen,
	    lifetime);
	pthread_rwlock_unlock(&sh->tlock);
	return r;
}

static int
ticket_parse(void *arg, mbedtls_ssl_session *session, unsigned char *buf,
    size_t len)
{
	struct tls_shared	*sh = arg;
	int			 r;

	pthread_rwlock_rdlock(&sh->tlock);
	r = mbedtls_ssl_ticket_parse(sh->ticket, session, buf, len);
	pthread_rwlock_unlock(&sh->tlock);
	return r;
}

static mbedtls_ssl_ticket_context *
ticket_new(struct tls_shared *sh, unsigned secs, char *err, size_t errlen)
{
	mbedtls_ssl_ticket_context	*t;
	int				 r;

	if ((t = malloc(sizeof *t)) == NULL) {
		tls_seterr(err, errlen, 0, "out of memory");
		return NULL;
	}
	mbedtls_ssl_ticket_init(t);
	if ((r = mbedtls_ssl_ticket_setup(t, mbedtls_ctr_drbg_random,
	    &sh->drbg, MBEDTLS_CIPHER_AES_256_GCM, secs)) != 0) {
		tls_seterr(err, errlen, r, "cannot set up session tickets");
		mbedtls_ssl_ticket_free(t);
		free(t);
		return NULL;
	}
	return t;
}

int
tls_shared_tickets(struct tls_shared *sh, unsigned secs, char *err,
    size_t errlen)
{
	mbedtls_ssl_ticket_context	*t, *old;

	if (secs == 0) {
		tls_seterr(err, errlen, 0, "a ticket lifetime of 0 seconds");
		return -1;
	}
	if ((t = ticket_new(sh, secs, err, errlen)) == NULL)
		return -1;
	pthread_rwlock_wrlock(&sh->tlock);
	old = sh->ticket;
	sh->ticket = t;
	pthread_rwlock_unlock(&sh->tlock);
	if (old != NULL) {
		mbedtls_ssl_ticket_free(old);
		free(old);
	}
	return 0;
}

void
tls_shared_client_optional(struct tls_shared *sh, int optional)
{
	sh->client_optional = optional;
}

int
tls_shared_random(struct tls_shared *sh, unsigned char *buf, size_t len)
{
	return mbedtls_ctr_drbg_random(&sh->drbg, buf, len) == 0 ? 0 : -1;
}

void
tls_seterr(char *err, size_t errlen, int r, const char *fmt, ...)
{
	char	msg[160], detail[160];
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r == 0) {
		snprintf(err, errlen, "%s", msg);
		return;
	}
	mbedtls_strerror(r, detail, sizeof detail);
	snprintf(err, errlen, "%s: %s", msg, detail);
}

struct tls_shared *
tls_shared_new(char *err, size_t errlen)
{
	static const char	 pers[] = "auditord tls";
	struct tls_shared	*sh;
	int			 r;

	if ((sh = calloc(1, sizeof *sh)) == NULL) {
		tls_seterr(err, errlen, 0, "out of memory");
		return NULL;
	}
	mbedtls_entropy_init(&sh->entropy);
	mbedtls_ctr_drbg_init(&sh->drbg);
	if (pthread_rwlock_init(&sh->tlock, NULL) != 0) {
		tls_seterr(err, errlen, 0, "cannot make a lock");
		mbedtls_ctr_drbg_free(&sh->drbg);
		mbedtls_entropy_free(&sh->entropy);
		free(sh);
		return NULL;
	}
	if ((r = mbedtls_ctr_drbg_seed(&sh->drbg, mbedtls_entropy_func,
	    &sh->entropy, (const unsigned char *)pers, sizeof pers - 1)) != 0) {
		tls_seterr(err, errlen, r, "cannot seed the random generator");
		goto fail;
	}
	if ((sh->ticket = ticket_new(sh, TLS_TICKET_SECS, err, errlen)) ==
	    NULL)
		goto fail;
	return sh;
fail:
	tls_shared_free(sh);
	return NULL;
}

void
tls_shared_free(struct tls_shared *sh)
{
	if (sh == NULL)
		return;
	if (sh->ticket != NULL)
		mbedtls_ssl_ticket_free(sh->ticket);
	free(sh->ticket);
	pthread_rwlock_destroy(&sh->tlock);
	mbedtls_ctr_drbg_free(&sh->drbg);
	mbedtls_entropy_free(&sh->entropy);
	free(sh);
}

void
tls_material_unref(struct tls_material *m)
{
	if (m == NULL || --m->refs > 0)
		return;
	mbedtls_ssl_config_free(&m->conf);
	mbedtls_x509_crt_free(&m->cert);
	mbedtls_pk_free(&m->key);
	mbedtls_x509_crt_free(&m->ca);
	mbedtls_x509_crl_free(&m->crl);
	free(m->servername);
	free(m);
}

/* mbedTLS 2.28 checks DNS names only: match an IP servername ourselves. */
static int
verify_ip(void *arg, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct tls_material		*m = arg;
	const mbedtls_x509_sequence	*s;

	if (depth != 0 || m->iplen == 0)
		return 0;
	for (s = &crt->subject_alt_names; s != NULL; s = s->next)
		if (s->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) &&
		    s->buf.len == m->iplen &&
		    memcmp(s->buf.p, m->ip, m->iplen) == 0)
			return 0;
	*flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
	return 0;
}

/* Every option set explicitly: Debian's defaults allow TLS 1.0, RC4, ... */
static int
material_conf(struct tls_material *m, struct tls_shared *sh)
{
	mbedtls_ssl_config	*conf = &m->conf;
	int			 r;

	if ((r = mbedtls_ssl_config_defaults(conf, m->is_server ?
	    MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0)
		return r;
	mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_ciphersuites(conf, tls_suites);
	mbedtls_ssl_conf_curves(conf, tls_curves);
	mbedtls_ssl_conf_sig_hashes(conf, tls_hashes);
	mbedtls_ssl_conf_cert_profile(conf, &tls_profile);
	mbedtls_ssl_conf_renegotiation(conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
	mbedtls_ssl_conf_legacy_renegotiation(conf,
	    MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION);
	mbedtls_ssl_conf_arc4_support(conf, MBEDTLS_SSL_ARC4_DISABLED);
	mbedtls_ssl_conf_truncated_hmac(conf, MBEDTLS_SSL_TRUNC_HMAC_DISABLED);
	mbedtls_ssl_conf_cbc_record_splitting(conf,
	    MBEDTLS_SSL_CBC_RECORD_SPLITTING_DISABLED);
	mbedtls_ssl_conf_encrypt_then_mac(conf, MBEDTLS_SSL_ETM_ENABLED);
	mbedtls_ssl_conf_extended_master_secret(conf,
	    MBEDTLS_SSL_EXTENDED_MS_ENABLED);
	mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &sh->drbg);
	/*
	 * OPTIONAL still verifies a certificate that is presented: the
	 * verify result then carries flags, which tls_verify_peer refuses.
	 */
	m->peer_optional = m->is_server && sh->client_optional;
	mbedtls_ssl_conf_authmode(conf, m->peer_optional ?
	    MBEDTLS_SSL_VERIFY_OPTIONAL : MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(conf, &m->ca, m->has_crl ? &m->crl : NULL);
	if (m->is_server) {
		mbedtls_ssl_conf_session_tickets_cb(conf, ticket_write,
		    ticket_parse, sh);
		mbedtls_ssl_conf_cert_req_ca_list(conf,
		    MBEDTLS_SSL_CERT_REQ_CA_LIST_ENABLED);
		/* Each connection sets tls_verify_client (tls.c). */
	} else {
		mbedtls_ssl_conf_session_tickets(conf,
		    MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
		mbedtls_ssl_conf_verify(conf, verify_ip, m);
	}
	if (m->has_cert)
		return mbedtls_ssl_conf_own_cert(conf, &m->cert, &m->key);
	return 0;
}

/*
 * Parse f into m. The files were checked when read (tls_files_read), so
 * what fails here is memory, not content.
 */
static int
material_parse(struct tls_material *m, const struct tls_files *f, char *err,
    size_t errlen)
{
	int	r;

	if (f->cert.p != NULL) {
		if ((r = mbedtls_x509_crt_parse(&m->cert, f->cert.p,
		    f->cert.len)) != 0 ||
		    (r = mbedtls_pk_parse_key(&m->key, f->key.p, f->key.len,
		    NULL, 0)) != 0) {
			tls_seterr(err, errlen, r < 0 ? r : 0,
			    "cannot parse the certificate or key");
			return -1;
		}
		m->has_cert = 1;
	}
	if ((r = mbedtls_x509_crt_parse(&m->ca, f->ca.p, f->ca.len)) != 0) {
		tls_seterr(err, errlen, r < 0 ? r : 0, "cannot parse the CA");
		return -1;
	}
	if (f->crl.p != NULL) {
		if ((r = mbedtls_x509_crl_parse(&m->crl, f->crl.p,
		    f->crl.len)) != 0) {
			tls_seterr(err, errlen, r, "cannot parse the CRL");
			return -1;
		}
		m->has_crl = 1;
	}
	return 0;
}

static struct tls_material *
material_new(struct tls_shared *sh, int is_server, const struct tls_files *f,
    const char *servername, char *err, size_t errlen)
{
	struct tls_material	*m;
	int			 r;

	if ((m = calloc(1, sizeof *m)) == NULL) {
		tls_seterr(err, errlen, 0, "out of memory");
		return NULL;
	}
	m->refs = 1;
	m->is_server = is_server;
	mbedtls_ssl_config_init(&m->conf);
	mbedtls_x509_crt_init(&m->cert);
	mbedtls_pk_init(&m->key);
	mbedtls_x509_crt_init(&m->ca);
	mbedtls_x509_crl_init(&m->crl);
	if ((is_server && f->cert.p == NULL) ||
	    (!is_server && servername == NULL)) {
		tls_seterr(err, errlen, 0, "missing certificate, key, CA or name");
		goto fail;
	}
	if (material_parse(m, f, err, errlen) != 0)
		goto fail;
	if (servername != NULL) {
		if ((m->servername = strdup(servername)) == NULL) {
			tls_seterr(err, errlen, 0, "out of memory");
			goto fail;
		}
		if (inet_pton(AF_INET, servername, m->ip) == 1)
			m->iplen = 4;
		else if (inet_pton(AF_INET6, servername, m->ip) == 1)
			m->iplen = 16;
	}
	if ((r = material_conf(m, sh)) != 0) {
		tls_seterr(err, errlen, r, "cannot configure TLS");
		goto fail;
	}
	return m;
fail:
	tls_material_unref(m);
	return NULL;
}

struct tls_server *
tls_server_new_files(struct tls_shared *sh, const struct tls_files *f,
    char *err, size_t errlen)
{
	struct tls_server	*s;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		tls_seterr(err, errlen, 0, "out of memory");
		return NULL;
	}
	s->shared = sh;
	if ((s->mat = material_new(sh, 1, f, NULL, err, errlen)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

struct tls_server *
tls_server_new(struct tls_shared *sh, const char *cert, const char *key,
    const char *ca, const char *crl, char *err, size_t errlen)
{
	struct tls_files	*f;
	struct tls_server	*s = NULL;

	if (cert == NULL || key == NULL)
		tls_seterr(err, errlen, 0, "missing certificate, key, CA or name");
	else if ((f = tls_files_read(cert, key, ca, crl, err, errlen)) !=
	    NULL) {
		s = tls_server_new_files(sh, f, err, errlen);
		tls_files_free(f);
	}
	return s;
}

void
tls_server_free(struct tls_server *s)
{
	if (s == NULL)
		return;
	tls_conn_spare_free(s->spare);
	tls_material_unref(s->mat);
	free(s);
}

int
tls_server_reload(struct tls_server *s, const struct tls_files *f, char *err,
    size_t errlen)
{
	struct tls_material	*m;

	if ((m = material_new(s->shared, 1, f, NULL, err, errlen)) == NULL)
		return -1;
	tls_material_unref(s->mat);
	s->mat = m;
	return 0;
}

void
tls_server_cert_sha256(const struct tls_server *s, unsigned char out[32])
{
	const mbedtls_x509_crt	*crt = &s->mat->cert;

	if (mbedtls_sha256_ret(crt->raw.p, crt->raw.len, out, 0) != 0)
		memset(out, 0, 32);
}

struct tls_client *
tls_client_new(struct tls_shared *sh, const char *ca, const char *cert,
    const char *key, const char *servername, char *err, size_t errlen)
{
	struct tls_client	*cl;
	struct tls_files	*f;

	if ((cl = calloc(1, sizeof *cl)) == NULL) {
		tls_seterr(err, errlen, 0, "out of memory");
		return NULL;
	}
	cl->shared = sh;
	if ((f = tls_files_read(cert, key, ca, NULL, err, errlen)) != NULL)
		cl->mat = material_new(sh, 0, f, servername, err, errlen);
	tls_files_free(f);
	if (cl->mat == NULL) {
		free(cl);
		return NULL;
	}
	return cl;
}

void
tls_client_free(struct tls_client *cl)
{
	if (cl == NULL)
		return;
	tls_material_unref(cl->mat);
	free(cl);
}
