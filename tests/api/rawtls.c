/*
 * rawtls.c: a blocking mbedTLS 2.28 client that writes exact bytes (see
 * rawtls.h). Independent of common/tls.c on purpose: the framing tests must
 * not share code with what they test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "harness.h"
#include "rawtls.h"

struct rawtls {
	mbedtls_net_context		net;
	mbedtls_ssl_context		ssl;
	mbedtls_ssl_config		conf;
	mbedtls_x509_crt		ca;
	mbedtls_x509_crt		crt;
	mbedtls_pk_context		key;
	mbedtls_entropy_context		entropy;
	mbedtls_ctr_drbg_context	drbg;
};

static void
fail(struct rawtls_result *res, const char *what, int rc)
{
	char	buf[160];

	mbedtls_strerror(rc, buf, sizeof buf);
	snprintf(res->error, sizeof res->error, "%s: %s (-0x%04x)", what, buf,
	    (unsigned)-rc);
}

static int
append(struct rawtls_result *res, const unsigned char *buf, size_t n,
    size_t *cap)
{
	char	*nb;

	if (res->len + n + 1 > *cap) {
		*cap = (res->len + n + 1) * 2;
		if ((nb = realloc(res->data, *cap)) == NULL)
			return -1;
		res->data = nb;
	}
	memcpy(res->data + res->len, buf, n);
	res->len += n;
	res->data[res->len] = '\0';
	return 0;
}

/* Read until the peer closes (closed = 1) or quiet_ms pass silently. */
static void
read_all(struct rawtls *c, struct rawtls_result *res)
{
	unsigned char	buf[4096];
	size_t		cap = 0;
	int		rc;

	for (;;) {
		rc = mbedtls_ssl_read(&c->ssl, buf, sizeof buf);
		if (rc > 0) {
			if (append(res, buf, (size_t)rc, &cap) == -1)
				return;
			continue;
		}
		if (rc == MBEDTLS_ERR_SSL_WANT_READ ||
		    rc == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		/* 0 is EOF; close_notify and a reset also end the stream. */
		if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
		    rc == MBEDTLS_ERR_NET_CONN_RESET)
			res->closed = 1;
		else if (rc != MBEDTLS_ERR_SSL_TIMEOUT)
			fail(res, "read", rc);
		return;
	}
}

/* Free everything; with notify, say close_notify first. */
static void
conn_free(struct rawtls *c, int notify)
{
	if (notify)
		mbedtls_ssl_close_notify(&c->ssl);
	mbedtls_net_free(&c->net);
	mbedtls_ssl_free(&c->ssl);
	mbedtls_ssl_config_free(&c->conf);
	mbedtls_x509_crt_free(&c->ca);
	mbedtls_x509_crt_free(&c->crt);
	mbedtls_pk_free(&c->key);
	mbedtls_ctr_drbg_free(&c->drbg);
	mbedtls_entropy_free(&c->entropy);
	free(c);
}

/*
 * Connect to 127.0.0.1:port and handshake as who. NULL after saying why in
 * res->error (nothing is left open).
 */
static struct rawtls *
conn_open(const char *port, const char *who, int quiet_ms,
    struct rawtls_result *res)
{
	struct rawtls	*c;
	char		 ca[PATH_MAX], crt[PATH_MAX], key[PATH_MAX], name[64];
	int		 rc;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(res->error, sizeof res->error, "out of memory");
		return NULL;
	}
	mbedtls_net_init(&c->net);
	mbedtls_ssl_init(&c->ssl);
	mbedtls_ssl_config_init(&c->conf);
	mbedtls_x509_crt_init(&c->ca);
	mbedtls_x509_crt_init(&c->crt);
	mbedtls_pk_init(&c->key);
	mbedtls_entropy_init(&c->entropy);
	mbedtls_ctr_drbg_init(&c->drbg);

	snprintf(name, sizeof name, "%s.crt", who != NULL ? who : "");
	harness_file(crt, name);
	snprintf(name, sizeof name, "%s.key", who != NULL ? who : "");
	harness_file(key, name);
	harness_file(ca, "ca.crt");
	if ((rc = mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func,
	    &c->entropy, (const unsigned char *)"rawtls", 6)) != 0) {
		fail(res, "drbg", rc);
		goto bad;
	}
	if ((rc = mbedtls_x509_crt_parse_file(&c->ca, ca)) != 0 ||
	    (who != NULL &&
	    ((rc = mbedtls_x509_crt_parse_file(&c->crt, crt)) != 0 ||
	    (rc = mbedtls_pk_parse_keyfile(&c->key, key, NULL)) != 0))) {
		fail(res, "loading certificates", rc);
		goto bad;
	}
	if ((rc = mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
		fail(res, "config", rc);
		goto bad;
	}
	mbedtls_ssl_conf_min_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(&c->conf, &c->ca, NULL);
	mbedtls_ssl_conf_rng(&c->conf, mbedtls_ctr_drbg_random, &c->drbg);
	mbedtls_ssl_conf_read_timeout(&c->conf, (uint32_t)quiet_ms);
	if ((who != NULL &&
	    (rc = mbedtls_ssl_conf_own_cert(&c->conf, &c->crt, &c->key)) != 0) ||
	    (rc = mbedtls_ssl_setup(&c->ssl, &c->conf)) != 0 ||
	    (rc = mbedtls_ssl_set_hostname(&c->ssl, "localhost")) != 0) {
		fail(res, "setup", rc);
		goto bad;
	}
	if ((rc = mbedtls_net_connect(&c->net, "127.0.0.1", port,
	    MBEDTLS_NET_PROTO_TCP)) != 0) {
		fail(res, "connect", rc);
		goto bad;
	}
	mbedtls_ssl_set_bio(&c->ssl, &c->net, mbedtls_net_send,
	    mbedtls_net_recv, mbedtls_net_recv_timeout);
	while ((rc = mbedtls_ssl_handshake(&c->ssl)) != 0) {
		if (rc != MBEDTLS_ERR_SSL_WANT_READ &&
		    rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
			fail(res, "handshake", rc);
			goto bad;
		}
	}
	return c;
bad:
	conn_free(c, 0);
	return NULL;
}

/* Write all of req; 0, or -1 after saying why in res->error. */
static int
conn_write(struct rawtls *c, const char *req, size_t reqlen,
    struct rawtls_result *res)
{
	size_t	off = 0;
	int	rc;

	while (off < reqlen) {
		rc = mbedtls_ssl_write(&c->ssl, (const unsigned char *)req + off,
		    reqlen - off);
		if (rc == MBEDTLS_ERR_SSL_WANT_READ ||
		    rc == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		if (rc < 0) {
			fail(res, "write", rc);
			return -1;
		}
		off += (size_t)rc;
	}
	return 0;
}

int
rawtls_exchange(const char *port, const char *who, const char *req,
    size_t reqlen, int quiet_ms, struct rawtls_result *res)
{
	struct rawtls	*c;

	memset(res, 0, sizeof *res);
	if ((c = conn_open(port, who, quiet_ms, res)) == NULL)
		return 0;
	/* One call: the requests leave together, as one TLS record. */
	if (conn_write(c, req, reqlen, res) == 0) {
		res->ok = 1;
		read_all(c, res);
		if (res->data == NULL)
			res->data = calloc(1, 1);
	}
	conn_free(c, 1);
	return res->ok;
}

int
rawtls_send_and_drop(const char *port, const char *who, const char *req,
    size_t reqlen, enum rawtls_drop how, int delay_us, char *err,
    size_t errlen)
{
	struct rawtls_result	 res;
	struct rawtls		*c;
	struct linger		 lg = { 1, 0 };
	int			 ok = 0;

	memset(&res, 0, sizeof res);
	if ((c = conn_open(port, who, 1000, &res)) == NULL)
		goto out;
	if (conn_write(c, req, reqlen, &res) == 0)
		ok = 1;
	if (delay_us > 0)
		usleep((useconds_t)delay_us);
	/* SO_LINGER 0: close sends RST instead of FIN, unread data dropped. */
	if (how == RAWTLS_RESET && setsockopt(c->net.fd, SOL_SOCKET,
	    SO_LINGER, &lg, sizeof lg) != 0) {
		snprintf(res.error, sizeof res.error, "SO_LINGER failed");
		ok = 0;
	}
	/* No close_notify: the peer sees the stream just end. */
	conn_free(c, 0);
out:
	snprintf(err, errlen, "%s", res.error);
	return ok;
}

struct rawtls *
rawtls_open(const char *port, const char *who, int quiet_ms, char *err,
    size_t errlen)
{
	struct rawtls_result	 res;
	struct rawtls		*c;

	memset(&res, 0, sizeof res);
	c = conn_open(port, who, quiet_ms, &res);
	snprintf(err, errlen, "%s", res.error);
	return c;
}

int
rawtls_send(struct rawtls *c, const void *buf, size_t len)
{
	struct rawtls_result	res;

	memset(&res, 0, sizeof res);
	return conn_write(c, buf, len, &res);
}

void
rawtls_recv(struct rawtls *c, struct rawtls_result *res)
{
	res->ok = 1;
	read_all(c, res);
	if (res->data == NULL)
		res->data = calloc(1, 1);
}

void
rawtls_close(struct rawtls *c)
{
	if (c != NULL)
		conn_free(c, 1);
}

void
rawtls_result_free(struct rawtls_result *res)
{
	if (res == NULL)
		return;
	free(res->data);
	res->data = NULL;
}

size_t
rawtls_response(const char *data, size_t len, int *status, const char *name,
    char *val, size_t vallen)
{
	const char	*end, *p, *eol;
	size_t		 nlen = strlen(name), hlen, clen = 0;

	*status = 0;
	val[0] = '\0';
	if (len < 12 || strncmp(data, "HTTP/1.", 7) != 0)
		return 0;
	if ((end = memmem(data, len, "\r\n\r\n", 4)) == NULL)
		return 0;
	hlen = (size_t)(end - data) + 4;
	*status = atoi(data + 9);
	for (p = strstr(data, "\r\n") + 2; p < end; p = eol + 2) {
		eol = strstr(p, "\r\n");
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			clen = strtoul(p + 15, NULL, 10);
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char	*v = p + nlen + 1;
			size_t		 n;

			while (*v == ' ')
				v++;
			n = (size_t)(eol - v) < vallen - 1 ?
			    (size_t)(eol - v) : vallen - 1;
			memcpy(val, v, n);
			val[n] = '\0';
		}
	}
	if (hlen + clen > len)
		return 0;
	return hlen + clen;
}

/* ---- keep-alive ---------------------------------------------------------- */

struct rawtls_conn {
	struct rawtls	*c;
	char		 port[16];
	char		 who[64];
	int		 has_who;
	char		*buf;
	size_t		 len, cap;
};

struct rawtls_conn *
rawtls_conn_open(const char *port, const char *who, char *err, size_t errlen)
{
	struct rawtls_conn	*k;
	struct rawtls_result	 res;

	memset(&res, 0, sizeof res);
	if ((k = calloc(1, sizeof *k)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(k->port, sizeof k->port, "%s", port);
	if (who != NULL) {
		snprintf(k->who, sizeof k->who, "%s", who);
		k->has_who = 1;
	}
	if ((k->c = conn_open(port, who, 10000, &res)) == NULL) {
		snprintf(err, errlen, "%s", res.error);
		free(k);
		return NULL;
	}
	return k;
}

/* One response whole into k->buf; its length, or 0 on EOF or error. */
static size_t
read_one(struct rawtls_conn *k, int *status)
{
	unsigned char	tmp[16384];
	char		val[8], *nb;
	size_t		whole;
	int		rc;

	k->len = 0;
	for (;;) {
		if (k->buf != NULL && (whole = rawtls_response(k->buf, k->len,
		    status, "X-None", val, sizeof val)) > 0)
			return whole;
		rc = mbedtls_ssl_read(&k->c->ssl, tmp, sizeof tmp);
		if (rc == MBEDTLS_ERR_SSL_WANT_READ ||
		    rc == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		if (rc <= 0)
			return 0;
		if (k->len + (size_t)rc + 1 > k->cap) {
			size_t ncap = (k->len + (size_t)rc + 1) * 2;
			if ((nb = realloc(k->buf, ncap)) == NULL)
				return 0;
			k->buf = nb;
			k->cap = ncap;
		}
		memcpy(k->buf + k->len, tmp, (size_t)rc);
		k->len += (size_t)rc;
		k->buf[k->len] = '\0';
	}
}

int
rawtls_request(struct rawtls_conn *k, const char *req, size_t len,
    int *status, const char **body, size_t *bodylen)
{
	struct rawtls_result	res;
	size_t			whole;
	const char		*end;
	int			try;

	memset(&res, 0, sizeof res);
	for (try = 0; try < 2; try++) {
		if (k->c == NULL && (k->c = conn_open(k->port, k->has_who ?
		    k->who : NULL, 10000, &res)) == NULL)
			return -1;
		if (conn_write(k->c, req, len, &res) == 0 &&
		    (whole = read_one(k, status)) > 0) {
			end = memmem(k->buf, whole, "\r\n\r\n", 4);
			*body = end + 4;
			*bodylen = whole - (size_t)(end + 4 - k->buf);
			return 0;
		}
		/* The server closed an idle connection: once more. */
		conn_free(k->c, 0);
		k->c = NULL;
	}
	return -1;
}

void
rawtls_conn_close(struct rawtls_conn *k)
{
	if (k == NULL)
		return;
	if (k->c != NULL)
		conn_free(k->c, 1);
	free(k->buf);
	free(k);
}
