/*
 * cases_tokens.c: bearer tokens and certificate revocation, on the
 * security cases' own daemon (sec.h: tokens on, a CRL): the token routes
 * and their refusals, a token in place of a certificate and beside one,
 * expiry, revocation, last_used, the CLI's token noun; a revoked client
 * certificate refused in the handshake, and one revoked later (SIGHUP)
 * refused on a full handshake and on a resumed session alike.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "sec.h"

#define SEC_OR_FAIL(u)							\
	do {								\
		if (((u) = sec_url()) == NULL) {			\
			CU_FAIL("the security daemon did not start");	\
			return;						\
		}							\
	} while (0)

/* The principals these cases use; idempotent. */
static int
sec_principals(void)
{
	char	hex[65], body[512];

	if (client_cert_sha256("sec-good", hex) != 0)
		return 0;
	snprintf(body, sizeof body, "{\"id\":\"tk-good\",\"name\":\"good\","
	    "\"role\":\"viewer\",\"certs\":[\"%s\"]}", hex);
	return sec_put("/v1/principals", body) &&
	    sec_put("/v1/principals", "{\"id\":\"tk-hr\",\"name\":\"hr by "
	    "token\",\"role\":\"hr\"}") &&
	    sec_put("/v1/principals", "{\"id\":\"tk-off\",\"name\":\"to be "
	    "disabled\",\"role\":\"viewer\"}");
}

/*
 * Make token id for principal (expires: NULL or a date) as admin; its
 * "Bearer SECRET" into authz (128 bytes). 1 on success.
 */
static int
sec_token(const char *id, const char *principal, const char *expires,
    char *authz)
{
	struct resp	 r;
	char		 body[256];
	const char	*s;
	int		 ok = 0;

	snprintf(body, sizeof body, "{\"id\":\"%s\",\"principal\":\"%s\"%s%s%s}",
	    id, principal, expires ? ",\"expires\":\"" : "",
	    expires ? expires : "", expires ? "\"" : "");
	sec_http(&r, "admin", "POST", "/v1/tokens", body, NULL);
	if (r.status == 201 && (s = client_str(&r, "secret")) != NULL) {
		snprintf(authz, 128, "Bearer %s", s);
		ok = 1;
	} else
		client_dump(&r, "making a token");
	client_resp_free(&r);
	return ok;
}

/* 1 if s is adt_ and 43 base64url characters. */
static int
secret_shape(const char *s)
{
	size_t	i;

	if (s == NULL || strncmp(s, "adt_", 4) != 0 || strlen(s) != 47)
		return 0;
	for (i = 4; s[i] != '\0'; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_", s[i]) == NULL)
			return 0;
	return 1;
}

/* A 401 problem whose detail holds text. */
#define EXPECT_401(r, text)						\
	do {								\
		EXPECT_PROBLEM((r), 401, "unauthorized");		\
		CU_ASSERT(client_detail_has((r), (text)));		\
	} while (0)

void
tokens_routes(void)
{
	const char	*u;
	struct resp	 r;
	const char	*s;
	char		 s1[64];
	json_t		*it;
	size_t		 i;
	int		 seen = 0;

	SEC_OR_FAIL(u);
	CU_ASSERT_FATAL(sec_principals());
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"id\":\"tr-1\","
	    "\"principal\":\"tk-hr\",\"name\":\"ci\",\"expires\":"
	    "\"2099-01-01\"}", NULL);
	EXPECT_STATUS(&r, 201);
	s = client_str(&r, "secret");
	CU_ASSERT(secret_shape(s));
	snprintf(s1, sizeof s1, "%s", s != NULL ? s : "");
	CU_ASSERT_PTR_NULL(json_object_get(r.json, "sha256"));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "principal"), "tk-hr");
	CU_ASSERT(json_is_false(json_object_get(r.json, "revoked")));
	{
		char	loc[128];

		client_header(&r, "Location", loc, sizeof loc);
		CU_ASSERT_STRING_EQUAL(loc, "/v1/tokens/tr-1");
	}
	client_resp_free(&r);

	/* Two tokens never share a secret. */
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"id\":\"tr-2\","
	    "\"principal\":\"tk-hr\"}", NULL);
	EXPECT_STATUS(&r, 201);
	CU_ASSERT(secret_shape(client_str(&r, "secret")));
	CU_ASSERT(client_str(&r, "secret") == NULL ||
	    strcmp(client_str(&r, "secret"), s1) != 0);
	client_resp_free(&r);

	/* Reads: never the secret, never the digest. */
	sec_http(&r, "admin", "GET", "/v1/tokens/tr-1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_PTR_NULL(json_object_get(r.json, "secret"));
	CU_ASSERT_PTR_NULL(json_object_get(r.json, "sha256"));
	CU_ASSERT_PTR_NULL(strstr(r.body, s1));
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "expires"), "2099-01-01");
	client_resp_free(&r);
	sec_http(&r, "admin", "GET", "/v1/tokens?principal=tk-hr&limit=1000",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		CU_ASSERT_PTR_NULL(json_object_get(it, "sha256"));
		CU_ASSERT_PTR_NULL(json_object_get(it, "secret"));
		CU_ASSERT_STRING_EQUAL(client_sv(it, "principal"), "tk-hr");
		seen += strncmp(client_sv(it, "id"), "tr-", 3) == 0;
	}
	CU_ASSERT(seen >= 2);
	client_resp_free(&r);
	sec_http(&r, "admin", "GET", "/v1/tokens?sha256=x", NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);

	/* What the server sets, a bad principal, a bad id. */
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"principal\":\"tk-hr\","
	    "\"sha256\":\"00\",\"revoked\":false}", NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/sha256"));
	CU_ASSERT(client_error_path(&r, "/revoked"));
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"principal\":\"tk-hr\","
	    "\"secret\":\"adt_x\"}", NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/secret"));
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"principal\":\"nobody\"}",
	    NULL);
	EXPECT_PROBLEM(&r, 422, "bad-reference");
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"principal\":\"tk-hr\","
	    "\"expires\":\"next week\"}", NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/expires"));
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"id\":\"a b\","
	    "\"principal\":\"tk-hr\"}", NULL);
	EXPECT_PROBLEM(&r, 422, "validation");
	CU_ASSERT(client_error_path(&r, "/id"));
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens", "[]", NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens", "{\"id\":\"tr-1\","
	    "\"principal\":\"tk-hr\"}", NULL);
	EXPECT_PROBLEM(&r, 409, "conflict");
	client_resp_free(&r);
	/* A principal with tokens is referenced. */
	sec_http(&r, "admin", "DELETE", "/v1/principals/tk-hr", NULL, NULL);
	EXPECT_PROBLEM(&r, 409, "referenced");
	client_resp_free(&r);

	/* Only admin; a token of another role is refused like its cert. */
	sec_http(&r, "sec-good", "GET", "/v1/tokens", NULL, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	sec_http(&r, "sec-good", "POST", "/v1/tokens",
	    "{\"principal\":\"tk-good\"}", NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);

	/* Tokens are made only by POST /v1/tokens: no import, no export. */
	{
		char	url[PATH_MAX];

		client_http(&r, "admin", "POST", sec_path(url, "/v1/import"),
		    "{\"collection\":\"tokens\",\"record\":{\"id\":\"tr-imp\","
		    "\"principal\":\"tk-hr\",\"sha256\":\"000000000000000000"
		    "0000000000000000000000000000000000000000000000\","
		    "\"revoked\":false}}\n", "Content-Type: application/x-ndjson",
		    NULL);
		CU_ASSERT(r.status != 200 || strstr(r.body, "its own routes"));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "its own routes"));
		client_resp_free(&r);
		sec_http(&r, "admin", "GET", "/v1/tokens/tr-imp", NULL, NULL);
		EXPECT_PROBLEM(&r, 404, "not-found");
		client_resp_free(&r);
		sec_http(&r, "admin", "GET", "/v1/export/tokens", NULL, NULL);
		EXPECT_PROBLEM(&r, 404, "not-found");
		client_resp_free(&r);
	}
}

void
tokens_bearer(void)
{
	const char	*u;
	struct resp	 r;
	char		 hr[128], old[128], gone[128], good[128], off[128];
	char		 bad[160];

	SEC_OR_FAIL(u);
	CU_ASSERT_FATAL(sec_principals());
	CU_ASSERT_FATAL(sec_token("tb-hr", "tk-hr", "2099-12-31T23:59:59Z",
	    hr));
	CU_ASSERT_FATAL(sec_token("tb-old", "tk-hr", "2020-01-01", old));
	CU_ASSERT_FATAL(sec_token("tb-gone", "tk-hr", NULL, gone));
	CU_ASSERT_FATAL(sec_token("tb-good", "tk-good", NULL, good));
	CU_ASSERT_FATAL(sec_token("tb-off", "tk-off", NULL, off));

	/* No certificate: the token is the caller, with its role. */
	sec_http(&r, NULL, "GET", "/v1/me", NULL, hr);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "tk-hr");
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/v1/principals", NULL, hr);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	sec_http(&r, NULL, "POST", "/v1/auditors", "{\"id\":\"tb-a1\","
	    "\"name\":\"By Token\",\"email\":\"t@example.org\","
	    "\"unit\":\"u\",\"languages\":[\"en\"]}", hr);
	CU_ASSERT(r.status == 201 || r.status == 409);
	client_resp_free(&r);
	/* The scheme is case-insensitive. */
	snprintf(bad, sizeof bad, "bearer %s", hr + 7);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, bad);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	/* Neither: 401, never a handshake failure. */
	sec_http(&r, NULL, "GET", "/v1/me", NULL, NULL);
	EXPECT_401(&r, "a client certificate or a bearer token");
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/livez", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	/* Expired, malformed, other schemes, unknown. */
	sec_http(&r, NULL, "GET", "/v1/me", NULL, old);
	EXPECT_401(&r, "expired");
	client_resp_free(&r);
	snprintf(bad, sizeof bad, "%sx", hr);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, bad);
	EXPECT_401(&r, "not known");
	client_resp_free(&r);
	snprintf(bad, sizeof bad, "%s", hr);
	bad[20] = bad[20] == 'A' ? 'B' : 'A';
	sec_http(&r, NULL, "GET", "/v1/me", NULL, bad);
	EXPECT_401(&r, "not known");
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, "Basic YWRtaW46eA==");
	EXPECT_401(&r, "only the Bearer scheme");
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, "Bearer adt_");
	EXPECT_401(&r, "not known");
	client_resp_free(&r);

	/* A certificate and a token: the same principal, or 401. */
	sec_http(&r, "sec-good", "GET", "/v1/me", NULL, good);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	sec_http(&r, "sec-good", "GET", "/v1/me", NULL, hr);
	EXPECT_401(&r, "different principals");
	client_resp_free(&r);
	sec_http(&r, "admin", "GET", "/v1/tokens", NULL, hr);
	EXPECT_401(&r, "different principals");
	client_resp_free(&r);
	/* An unmapped certificate is 401 whatever the token. */
	sec_http(&r, "sec-none", "GET", "/v1/me", NULL, hr);
	EXPECT_401(&r, "not mapped");
	client_resp_free(&r);

	/* A disabled principal's token. */
	sec_http(&r, NULL, "GET", "/v1/me", NULL, off);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/principals/tk-off/disable", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, off);
	EXPECT_401(&r, "disabled");
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/principals/tk-off/enable", NULL,
	    NULL);
	client_resp_free(&r);

	/* Revoked, then deleted: 401 on the very next request. */
	sec_http(&r, NULL, "GET", "/v1/me", NULL, gone);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens/tb-gone/revoke", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_true(json_object_get(r.json, "revoked")));
	CU_ASSERT_PTR_NULL(json_object_get(r.json, "sha256"));
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, gone);
	EXPECT_401(&r, "revoked");
	client_resp_free(&r);
	sec_http(&r, "admin", "DELETE", "/v1/tokens/tb-gone", NULL, NULL);
	EXPECT_STATUS(&r, 204);
	client_resp_free(&r);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, gone);
	EXPECT_401(&r, "not known");
	client_resp_free(&r);
	sec_http(&r, "admin", "POST", "/v1/tokens/tb-gone/revoke", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
}

/* last_used is set after a use, within the minute, by no write of ours. */
void
tokens_last_used(void)
{
	const char	*u;
	struct resp	 r;
	char		 t[128];
	long long	 rev = -1;
	int		 i;

	SEC_OR_FAIL(u);
	CU_ASSERT_FATAL(sec_principals());
	CU_ASSERT_FATAL(sec_token("tl-1", "tk-hr", NULL, t));
	sec_http(&r, "admin", "GET", "/v1/tokens/tl-1", NULL, NULL);
	CU_ASSERT_PTR_NULL(json_object_get(r.json, "last_used"));
	client_resp_free(&r);
	for (i = 0; i < 5; i++) {
		sec_http(&r, NULL, "GET", "/v1/areas?limit=1", NULL, t);
		EXPECT_STATUS(&r, 200);
		client_resp_free(&r);
	}
	/* The write is queued, not awaited: give it a moment. */
	for (i = 0; i < 50; i++) {
		sec_http(&r, "admin", "GET", "/v1/tokens/tl-1", NULL, NULL);
		rev = client_int(&r, "rev");
		if (json_is_string(json_object_get(r.json, "last_used"))) {
			client_resp_free(&r);
			break;
		}
		client_resp_free(&r);
		usleep(100 * 1000);
	}
	CU_ASSERT(i < 50);
	/* Five uses on two workers: at most one write per worker. */
	CU_ASSERT(rev >= 2 && rev <= 3);
	for (i = 0; i < 5; i++) {
		sec_http(&r, NULL, "GET", "/v1/areas?limit=1", NULL, t);
		client_resp_free(&r);
	}
	usleep(300 * 1000);
	sec_http(&r, "admin", "GET", "/v1/tokens/tl-1", NULL, NULL);
	CU_ASSERT_EQUAL(client_int(&r, "rev"), rev);
	client_resp_free(&r);
}

/* The main daemon runs with tokens off: any Authorization is 401. */
void
tokens_off(void)
{
	struct resp	r;

	client_http(&r, "admin", "GET", "/v1/me", NULL,
	    "Authorization: Bearer adt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL);
	EXPECT_401(&r, "bearer tokens are off");
	client_resp_free(&r);
	client_http(&r, NULL, "GET", "/v1/me", NULL,
	    "Authorization: Bearer adt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL);
	CU_ASSERT_EQUAL(r.status, 0);		/* no certificate: no handshake */
	client_resp_free(&r);
}

/* auditorctl against the sec daemon as admin, then args. */
static int
sec_ctl(struct proc *p, const char *const *args)
{
	const char	*argv[32];
	char		 ca[PATH_MAX], crt[PATH_MAX], key[PATH_MAX];
	size_t		 n = 0;

	argv[n++] = "--server";
	argv[n++] = sec_url();
	argv[n++] = "--ca";
	argv[n++] = harness_file(ca, "ca.crt");
	argv[n++] = "--cert";
	argv[n++] = harness_file(crt, "admin.crt");
	argv[n++] = "--key";
	argv[n++] = harness_file(key, "admin.key");
	for (; *args != NULL && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return client_ctlv(p, NULL, argv);
}

void
cli_token(void)
{
	const char	*u;
	struct proc	 p;
	char		*s, secret[64] = "", authz[128];
	struct resp	 r;

	SEC_OR_FAIL(u);
	CU_ASSERT_FATAL(sec_principals());
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "create",
	    "--id", "ct-1", "--principal", "tk-hr", "--expires", "2099-01-01",
	    "--name", "cli", NULL }), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "shown only this once"));
	if ((s = strstr(p.out, "secret\t")) != NULL)
		sscanf(s + 7, "%63s", secret);
	CU_ASSERT(secret_shape(secret));
	CU_ASSERT_PTR_NULL(strstr(p.out, "sha256"));
	harness_proc_free(&p);

	snprintf(authz, sizeof authz, "Bearer %s", secret);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, authz);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "list",
	    "--principal", "tk-hr", NULL }), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "ct-1\tcli\ttk-hr\t2099-01-01"));
	CU_ASSERT(secret[0] == '\0' || strstr(p.out, secret) == NULL);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "show", "ct-1",
	    "--json", NULL }), 0);
	CU_ASSERT_PTR_NULL(strstr(p.out, "sha256"));
	CU_ASSERT(secret[0] == '\0' || strstr(p.out, secret) == NULL);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "revoke", "ct-1",
	    NULL }), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "revoked\ttrue"));
	harness_proc_free(&p);
	sec_http(&r, NULL, "GET", "/v1/me", NULL, authz);
	EXPECT_401(&r, "revoked");
	client_resp_free(&r);
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "delete", "ct-1",
	    NULL }), 0);
	harness_proc_free(&p);
	/* Usage: --principal is required, --expires must be a date. */
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "create", NULL }),
	    2);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "create",
	    "--principal", "tk-hr", "--expires", "tomorrow", NULL }), 2);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(sec_ctl(&p, (const char *[]){ "token", "show", "ct-1",
	    NULL }), 3);
	harness_proc_free(&p);
}

/*
 * One TLS session with openssl s_client as NAME: a GET of /v1/me, the
 * session kept in (sess_out) or taken from (sess_in) the test directory's
 * file sess. Its output (the caller frees it with harness_proc_free).
 */
static void
s_client(struct proc *p, const char *name, const char *sess, int in)
{
	static const char	req[] = "GET /v1/me HTTP/1.1\r\nHost: x\r\n"
				    "Connection: close\r\n\r\n";
	char			connect[64], ca[PATH_MAX], crt[PATH_MAX];
	char			key[PATH_MAX], sfile[PATH_MAX], n1[64], n2[64];
	const char		*argv[] = { "openssl", "s_client", "-connect",
				    connect, "-CAfile", ca, "-cert", crt, "-key",
				    key, in ? "-sess_in" : "-sess_out", sfile,
				    "-ign_eof", NULL };
	const char		*u = sec_url();

	snprintf(connect, sizeof connect, "%s", u + strlen("https://"));
	snprintf(n1, sizeof n1, "%s.crt", name);
	snprintf(n2, sizeof n2, "%s.key", name);
	harness_file(ca, "ca.crt");
	harness_file(crt, n1);
	harness_file(key, n2);
	harness_file(sfile, sess);
	harness_run(argv, NULL, req, sizeof req - 1, 15000, p);
}

void
crl_handshake(void)
{
	const char	*u;
	struct resp	 r;
	char		 hex[65], body[256];

	SEC_OR_FAIL(u);
	CU_ASSERT_FATAL(sec_principals());
	/* Mapped or not, a revoked certificate never gets an answer. */
	CU_ASSERT_FATAL(client_cert_sha256("sec-revoked", hex) == 0);
	snprintf(body, sizeof body, "{\"id\":\"tk-rev\",\"name\":\"revoked\","
	    "\"role\":\"admin\",\"certs\":[\"%s\"]}", hex);
	CU_ASSERT(sec_put("/v1/principals", body));
	sec_http(&r, "sec-revoked", "GET", "/v1/me", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 0);
	CU_ASSERT_NOT_EQUAL(r.curl, 0);
	client_resp_free(&r);
	/* Nor with a good token beside it. */
	{
		char	t[128];

		CU_ASSERT_FATAL(sec_token("crl-t", "tk-rev", NULL, t));
		sec_http(&r, "sec-revoked", "GET", "/v1/me", NULL, t);
		CU_ASSERT_EQUAL(r.status, 0);
		client_resp_free(&r);
	}
	sec_http(&r, "sec-good", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	/* A rogue CA's certificate: refused although certificates are optional. */
	sec_http(&r, "rogue", "GET", "/v1/me", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 0);
	client_resp_free(&r);
}

void
crl_sighup(void)
{
	const char	*u;
	struct proc	 p;
	struct resp	 r;
	char		 hex[65], body[256], *log;
	int		 i;

	SEC_OR_FAIL(u);
	CU_ASSERT_FATAL(sec_principals());
	CU_ASSERT_FATAL(client_cert_sha256("sec-later", hex) == 0);
	snprintf(body, sizeof body, "{\"id\":\"tk-later\",\"name\":\"later\","
	    "\"role\":\"viewer\",\"certs\":[\"%s\"]}", hex);
	CU_ASSERT_FATAL(sec_put("/v1/principals", body));

	/* Good: a full handshake, then a session resumed from its ticket. */
	s_client(&p, "sec-later", "later.sess", 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "HTTP/1.1 200"));
	harness_proc_free(&p);
	s_client(&p, "sec-later", "later.sess", 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "Reused, TLSv1.2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "HTTP/1.1 200"));
	harness_proc_free(&p);

	/* Revoked in a new CRL that falls due in 3 days; SIGHUP. */
	CU_ASSERT_FATAL(sec_revoke_later(3) == 0);
	for (i = 0; i < 50; i++) {
		log = sec_log();
		if (log != NULL && strstr(log, "falls due at") != NULL &&
		    strstr(log, "CA or CRL is new") != NULL) {
			free(log);
			break;
		}
		free(log);
		usleep(100 * 1000);
	}
	CU_ASSERT(i < 50);	/* the warning and the new ticket keys */

	/* Refused on a full handshake and on the old session alike. */
	sec_http(&r, "sec-later", "GET", "/v1/me", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 0);
	client_resp_free(&r);
	s_client(&p, "sec-later", "later.sess", 1);
	CU_ASSERT_PTR_NULL(strstr(p.out, "HTTP/1.1 200"));
	CU_ASSERT_PTR_NULL(strstr(p.out, "Reused, TLSv1.2"));
	harness_proc_free(&p);
	/* Others are not: good still answers. */
	sec_http(&r, "sec-good", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
}
