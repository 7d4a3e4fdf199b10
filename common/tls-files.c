/*
 * tls-files.c: certificate, key, CA and CRL files read into memory and
 * checked once (struct tls_files, see tls.h). Contexts are parsed from these
 * bytes (tls-conf.c), never from the files again, so every worker of one
 * reload serves the same certificate whatever happens on disk meanwhile.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "tls.h"
#include "tls-private.h"

#define TLS_FILE_MAX	(1024 * 1024)	/* a CA bundle is well under this */

/*
 * The whole file plus a NUL, which mbedTLS's parsers need to recognise PEM
 * (its own *_parse_file() do the same); DER ignores it.
 */
static int
files_load(const char *path, struct tls_blob *b, char *err, size_t errlen)
{
	struct stat	 st;
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		tls_seterr(err, errlen, 0, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	errno = 0;
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TLS_FILE_MAX) {
		tls_seterr(err, errlen, 0, "cannot read %s: %s", path,
		    errno != 0 ? strerror(errno) : "not a file under 1 MiB");
		fclose(f);
		return -1;
	}
	if ((b->p = malloc((size_t)st.st_size + 1)) == NULL) {
		tls_seterr(err, errlen, 0, "cannot read %s: out of memory", path);
		fclose(f);
		return -1;
	}
	n = fread(b->p, 1, (size_t)st.st_size, f);
	b->p[n] = '\0';
	b->len = n + 1;
	if (ferror(f)) {
		tls_seterr(err, errlen, 0, "cannot read %s", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int64_t	x509_time(const mbedtls_x509_time *);

static void
files_summarise(struct tls_files *f, const mbedtls_x509_crt *crt)
{
	char			 dn[256];
	const mbedtls_x509_time	*t = &crt->valid_to;

	if (mbedtls_x509_dn_gets(dn, sizeof dn, &crt->subject) < 0)
		snprintf(dn, sizeof dn, "(unprintable subject)");
	snprintf(f->summary, sizeof f->summary, "certificate %s, expires "
	    "%04d-%02d-%02d %02d:%02d:%02d UTC", dn, t->year, t->mon, t->day,
	    t->hour, t->min, t->sec);
	mbedtls_sha256_ret(crt->raw.p, crt->raw.len, f->cert_sha256, 0);
	f->cert_expires = x509_time(t);
}

/* An X.509 time (UTC) as seconds since the epoch. */
static int64_t
x509_time(const mbedtls_x509_time *t)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->mon - 1;
	tm.tm_mday = t->day;
	tm.tm_hour = t->hour;
	tm.tm_min = t->min;
	tm.tm_sec = t->sec;
	return (int64_t)timegm(&tm);
}

/* The earliest nextUpdate of the CRLs in the file (a file may hold several). */
static void
files_next_update(struct tls_files *f, const mbedtls_x509_crl *crl)
{
	const mbedtls_x509_time	*t;
	time_t			 when;

	for (; crl != NULL && crl->version != 0; crl = crl->next) {
		t = &crl->next_update;
		if (t->year == 0)
			continue;	/* nextUpdate is optional in X.509 */
		when = (time_t)x509_time(t);
		if (!f->has_next_update || when < f->crl_next_update)
			f->crl_next_update = when;
		f->has_next_update = 1;
	}
}

/* What decides whom we trust, as one digest: a change rotates tickets. */
static void
files_trust(struct tls_files *f)
{
	mbedtls_sha256_context	ctx;

	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	mbedtls_sha256_update_ret(&ctx, f->ca.p, f->ca.len);
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)"\0crl", 4);
	if (f->crl.p != NULL)
		mbedtls_sha256_update_ret(&ctx, f->crl.p, f->crl.len);
	mbedtls_sha256_finish_ret(&ctx, f->trust_sha256);
	mbedtls_sha256_free(&ctx);
}

/* Parse what was read, as every context will, and check the pair. */
static int
files_check(struct tls_files *f, const char *cert, const char *key,
    const char *ca, const char *crl, char *err, size_t errlen)
{
	mbedtls_x509_crt	 crt, cas;
	mbedtls_pk_context	 pk;
	mbedtls_x509_crl	 crls;
	int			 r, rc = -1;

	mbedtls_x509_crt_init(&crt);
	mbedtls_x509_crt_init(&cas);
	mbedtls_pk_init(&pk);
	mbedtls_x509_crl_init(&crls);
	if (cert != NULL) {
		if ((r = mbedtls_x509_crt_parse(&crt, f->cert.p,
		    f->cert.len)) != 0) {
			tls_seterr(err, errlen, r < 0 ? r : 0,
			    "cannot load certificate %s", cert);
			goto out;
		}
		if ((r = mbedtls_pk_parse_key(&pk, f->key.p, f->key.len, NULL,
		    0)) != 0) {
			tls_seterr(err, errlen, r, "cannot load key %s", key);
			goto out;
		}
		if ((r = mbedtls_pk_check_pair(&crt.pk, &pk)) != 0) {
			tls_seterr(err, errlen, r, "key %s does not match %s",
			    key, cert);
			goto out;
		}
		files_summarise(f, &crt);
	}
	if ((r = mbedtls_x509_crt_parse(&cas, f->ca.p, f->ca.len)) != 0) {
		tls_seterr(err, errlen, r < 0 ? r : 0, "cannot load CA %s", ca);
		goto out;
	}
	if (crl != NULL &&
	    (r = mbedtls_x509_crl_parse(&crls, f->crl.p, f->crl.len)) != 0) {
		tls_seterr(err, errlen, r, "cannot load CRL %s", crl);
		goto out;
	}
	if (crl != NULL)
		files_next_update(f, &crls);
	files_trust(f);
	rc = 0;
out:
	mbedtls_x509_crt_free(&crt);
	mbedtls_x509_crt_free(&cas);
	mbedtls_pk_free(&pk);
	mbedtls_x509_crl_free(&crls);
	return rc;
}

struct tls_files *
tls_files_read(const char *cert, const char *key, const char *ca,
    const char *crl, char *err, size_t errlen)
{
	struct tls_files	*f;

	if (ca == NULL || (cert == NULL) != (key == NULL)) {
		tls_seterr(err, errlen, 0, "missing certificate, key or CA");
		return NULL;
	}
	if ((f = calloc(1, sizeof *f)) == NULL) {
		tls_seterr(err, errlen, 0, "out of memory");
		return NULL;
	}
	atomic_init(&f->refs, 1);
	if ((cert != NULL && (files_load(cert, &f->cert, err, errlen) != 0 ||
	    files_load(key, &f->key, err, errlen) != 0)) ||
	    files_load(ca, &f->ca, err, errlen) != 0 ||
	    (crl != NULL && files_load(crl, &f->crl, err, errlen) != 0) ||
	    files_check(f, cert, key, ca, crl, err, errlen) != 0) {
		tls_files_free(f);
		return NULL;
	}
	return f;
}

struct tls_files *
tls_files_ref(struct tls_files *f)
{
	atomic_fetch_add(&f->refs, 1);
	return f;
}

void
tls_files_free(struct tls_files *f)
{
	if (f == NULL || atomic_fetch_sub(&f->refs, 1) > 1)
		return;
	free(f->cert.p);
	if (f->key.p != NULL)
		mbedtls_platform_zeroize(f->key.p, f->key.len);
	free(f->key.p);
	free(f->ca.p);
	free(f->crl.p);
	free(f);
}

const char *
tls_files_summary(const struct tls_files *f)
{
	return f->summary;
}

void
tls_files_times(const struct tls_files *f, int64_t *cert_expires,
    int64_t *crl_next_update)
{
	*cert_expires = f->cert_expires;
	*crl_next_update = f->has_next_update ? (int64_t)f->crl_next_update : 0;
}

void
tls_files_cert_sha256(const struct tls_files *f, unsigned char out[32])
{
	memcpy(out, f->cert_sha256, sizeof f->cert_sha256);
}

void
tls_files_trust_sha256(const struct tls_files *f, unsigned char out[32])
{
	memcpy(out, f->trust_sha256, sizeof f->trust_sha256);
}

int
tls_files_crl_next_update(const struct tls_files *f, time_t *when)
{
	if (!f->has_next_update)
		return -1;
	*when = f->crl_next_update;
	return 0;
}
