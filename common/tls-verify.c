/*
 * tls-verify.c: what the peer presented and how we describe failures: the
 * checks on the peer's certificate once a handshake completes, and the
 * words tls_bev_error() gives for a failed connection (driver: tls-conn.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "tls-private.h"

static const char *
alert_name(int a)
{
	switch (a) {
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	default: return "unknown";
	}
}

/* c->error: why TLS failed, in words a user of auditorctl can act on. */
void
tls_verify_describe(struct tls_conn *c, int r)
{
	char		 info[256], *p;
	const char	*who = c->is_server ? "client" : "server";
	const char	*stage = c->state == TLS_HANDSHAKE ? "handshake failed" :
			    "TLS error";
	uint32_t	 flags;
	int		 a;

	if (r == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
		flags = mbedtls_ssl_get_verify_result(&c->ssl);
		mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
		while ((p = strchr(info, '\n')) != NULL)
			*p = p[1] != '\0' ? ';' : '\0';
		if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
			snprintf(c->error, sizeof c->error,
			    "%s certificate not trusted (%s)", who, info);
		else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH &&
		    !c->is_server)
			snprintf(c->error, sizeof c->error,
			    "server certificate is not valid for %s",
			    c->mat->servername);
		else
			snprintf(c->error, sizeof c->error,
			    "%s certificate rejected (%s)", who, info);
	} else if (r == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
		a = c->ssl.in_msg != NULL ? c->ssl.in_msg[1] : -1;
		snprintf(c->error, sizeof c->error, "%s: %s sent alert %s (%d)%s",
		    stage, who, alert_name(a), a, !c->is_server &&
		    !c->mat->has_cert && (a == 40 || a == 116) ?
		    ": it requires a client certificate" : "");
	} else if (r == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE) {
		snprintf(c->error, sizeof c->error,
		    "handshake failed: client sent no certificate");
	} else {
		mbedtls_strerror(r, info, sizeof info);
		snprintf(c->error, sizeof c->error, "%s: %s", stage, info);
	}
}

/*
 * The handshake is done: insist on a verified peer certificate ourselves
 * (a resumed session skips the chain check, so look at the CRL again) and
 * remember its hash. Returns the alert to fail with, or -1 when all is well.
 */
int
tls_verify_client(void *arg, mbedtls_x509_crt *crt, int depth,
    uint32_t *flags)
{
	struct tls_conn	*c = arg;

	if (depth == 0) {
		c->seen_cert = mbedtls_sha256_ret(crt->raw.p, crt->raw.len,
		    c->seen_sha256, 0) == 0;
		if (mbedtls_x509_dn_gets(c->seen_subject,
		    sizeof c->seen_subject, &crt->subject) < 0)
			snprintf(c->seen_subject, sizeof c->seen_subject, "?");
	}
	/*
	 * With the certificate optional, mbedTLS would finish a handshake
	 * whose certificate failed and leave the flags for later: failing
	 * here (an error OPTIONAL does not forgive) refuses it in the
	 * handshake, as REQUIRED does; the alert is then access_denied.
	 */
	if (c->mat->peer_optional && *flags != 0)
		return MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED;
	return 0;
}

int
tls_verify_peer(struct tls_conn *c)
{
	const mbedtls_x509_crt	*peer = mbedtls_ssl_get_peer_cert(&c->ssl);
	uint32_t		 flags = mbedtls_ssl_get_verify_result(&c->ssl);

	/* The layer above then asks for another credential (a token). */
	if (peer == NULL && c->is_server && c->mat->peer_optional)
		return -1;
	if (peer == NULL) {
		snprintf(c->error, sizeof c->error,
		    "handshake failed: no %s certificate",
		    c->is_server ? "client" : "server");
		return MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
	}
	if (flags & MBEDTLS_X509_BADCERT_REVOKED) {
		snprintf(c->error, sizeof c->error,
		    "handshake failed: %s certificate revoked",
		    c->is_server ? "client" : "server");
		return MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED;
	}
	if (flags != 0) {
		snprintf(c->error, sizeof c->error,
		    "handshake failed: %s certificate not verified (%#x)",
		    c->is_server ? "client" : "server", (unsigned)flags);
		return MBEDTLS_SSL_ALERT_MSG_BAD_CERT;
	}
	if (c->mat->has_crl &&
	    mbedtls_x509_crt_is_revoked(peer, &c->mat->crl)) {
		snprintf(c->error, sizeof c->error,
		    "handshake failed: %s certificate revoked",
		    c->is_server ? "client" : "server");
		return MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED;
	}
	if (mbedtls_sha256_ret(peer->raw.p, peer->raw.len, c->peer_sha256,
	    0) != 0) {
		snprintf(c->error, sizeof c->error, "cannot hash certificate");
		return MBEDTLS_SSL_ALERT_MSG_INTERNAL_ERROR;
	}
	c->have_peer = 1;
	return -1;
}
