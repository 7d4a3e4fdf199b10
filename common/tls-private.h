/*
 * tls-private.h: what tls.c (the connection) and tls-conf.c (contexts,
 * policy, material) share. Nothing outside those two files includes it.
 */
#ifndef TLS_PRIVATE_H
#define TLS_PRIVATE_H

#include <stddef.h>

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

#endif
