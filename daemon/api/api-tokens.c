/*
 * api-tokens.c: /v1/tokens, bearer tokens (admin only). Special: the
 * secret is made here and shown once, in the answer to its creation; the
 * store keeps its SHA-256 (unique, for auth.c's lookup) and no answer
 * shows that digest, so every route but delete has its own handler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/platform_util.h>

#include "tls.h"
#include "api/auth.h"
#include "api/page.h"
#include "api/records.h"
#include "api/view.h"
#include "server/worker.h"

extern const struct resource resource_tokens;

#define TOKEN_RANDOM	32	/* bytes of the DRBG in a secret: 256 bits */

/*
 * The record's bytes without the digest (and with the secret when not
 * NULL), answered with ETag (and Location for 201).
 */
static void
reply_token(struct req *r, int status, const char *id, const char *bytes,
    size_t len, const char *secret)
{
	json_t	*doc;
	char	*out;

	if ((doc = json_loadb(bytes, len, 0, NULL)) == NULL) {
		http_problem(r, 500, "internal", "a stored token does not parse");
		return;
	}
	json_object_del(doc, resource_tokens.secret);
	if (secret != NULL)
		json_object_set_new(doc, "secret", json_string(secret));
	if ((out = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(doc);
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	http_reply_record(r, status, "tokens", id, 0, out, strlen(out));
	free(out);
	json_decref(doc);
}

/* A change of one token, and the secret to show once it is stored. */
struct token_change {
	struct records_change	ch;
	char			secret[AUTH_TOKEN_MAX + 1];
};

static void
token_change_free(void *arg)
{
	struct token_change	*tc = arg;

	records_change_clear(&tc->ch);
	mbedtls_platform_zeroize(tc->secret, sizeof tc->secret);
	free(tc);
}

static int
token_apply(struct store_txn *t, void *arg)
{
	struct token_change	*tc = arg;

	return records_apply(t, &tc->ch);
}

static void
token_done(struct req *r, int rc)
{
	struct token_change	*tc = r->wctx;

	if (rc != STORE_OK || tc->ch.op == RECORDS_DELETE) {
		records_change_answer(r, &tc->ch, rc);
		return;
	}
	reply_token(r, tc->ch.op == RECORDS_CREATE ? 201 : 200, tc->ch.id,
	    tc->ch.out, tc->ch.outlen, tc->secret[0] != '\0' ? tc->secret :
	    NULL);
}

static void
submit(struct call *c, enum records_op op, const char *id, json_t *body,
    const char *secret)
{
	struct token_change	*tc;

	if ((tc = calloc(1, sizeof *tc)) == NULL) {
		json_decref(body);
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	records_change_init(&tc->ch, c, c->res, op, id, body);
	if (secret != NULL)
		snprintf(tc->secret, sizeof tc->secret, "%s", secret);
	http_submit(c->req, token_apply, tc, token_change_free, token_done);
}

/* AUTH_TOKEN_PREFIX and 256 bits of the DRBG in base64url, no padding. */
static int
token_secret(struct req *r, char out[AUTH_TOKEN_MAX + 1])
{
	unsigned char	rnd[TOKEN_RANDOM];
	unsigned char	b64[64];
	size_t		n, i, plen = strlen(AUTH_TOKEN_PREFIX);

	if (tls_shared_random(r->worker->srv->tls, rnd, sizeof rnd) != 0 ||
	    mbedtls_base64_encode(b64, sizeof b64, &n, rnd, sizeof rnd) != 0) {
		mbedtls_platform_zeroize(rnd, sizeof rnd);
		return -1;
	}
	mbedtls_platform_zeroize(rnd, sizeof rnd);
	while (n > 0 && b64[n - 1] == '=')
		n--;
	memcpy(out, AUTH_TOKEN_PREFIX, plen);
	for (i = 0; i < n; i++)
		out[plen + i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' :
		    (char)b64[i];
	out[plen + n] = '\0';
	mbedtls_platform_zeroize(b64, sizeof b64);
	return 0;
}

static void
tokens_create(struct call *c)
{
	static const char *const server_set[] = {
		"sha256", "revoked", "last_used", "secret",
	};
	json_t		*body = c->req->body, *errors;
	const json_t	*idv;
	char		 id[ID_MAX + 1], secret[AUTH_TOKEN_MAX + 1];
	char		 hex[SHA256_HEX], path[32];
	size_t		 i;

	if (body == NULL || !json_is_object(body)) {
		http_problem(c->req, 400, "bad-request",
		    "a JSON object body is required");
		return;
	}
	errors = json_array();
	for (i = 0; i < NELEM(server_set); i++)
		if (json_object_get(body, server_set[i]) != NULL) {
			snprintf(path, sizeof path, "/%s", server_set[i]);
			json_array_append_new(errors, json_pack("{s:s, s:s}",
			    "path", path, "message", "is set by the server"));
		}
	idv = json_object_get(body, "id");
	if (idv == NULL)
		util_id_random(id);
	else if (json_is_string(idv) && util_id_valid(json_string_value(idv)))
		snprintf(id, sizeof id, "%s", json_string_value(idv));
	else
		json_array_append_new(errors, json_pack("{s:s, s:s}", "path",
		    "/id", "message",
		    "must be a record id ([A-Za-z0-9._-], 1 to 64)"));
	if (json_array_size(errors) > 0) {
		http_problem_errors(c->req, 422, "validation", errors,
		    "the token record is not valid");
		return;
	}
	json_decref(errors);
	if (token_secret(c->req, secret) != 0) {
		http_problem(c->req, 500, "internal",
		    "the random generator failed");
		return;
	}
	util_sha256_hex(secret, strlen(secret), hex);
	body = http_body_take(c->req);
	json_object_set_new(body, "sha256", json_string(hex));
	json_object_set_new(body, "revoked", json_false());
	submit(c, RECORDS_CREATE, id, body, secret);
	mbedtls_platform_zeroize(secret, sizeof secret);
}

static void
tokens_get(struct call *c)
{
	MDB_val	doc;
	int	rc;

	if ((rc = view_get(c, c->res, c->req->params[0], &doc)) != 0) {
		view_store_error(c->req, rc, NULL);
		return;
	}
	reply_token(c->req, 200, c->req->params[0], doc.mv_data, doc.mv_size,
	    NULL);
}

struct token_list {
	struct page	page;
	size_t		limit;
	int		more;
	char		last[ID_MAX + 1];
};

static int
list_take(const char *id, const MDB_val *doc, void *arg)
{
	struct token_list	*l = arg;
	json_t			*d;
	char			*s;
	int			 rc;

	if (l->page.n == l->limit) {
		l->more = 1;
		return -1;
	}
	if ((d = json_loadb(doc->mv_data, doc->mv_size, 0, NULL)) == NULL)
		return -1;
	json_object_del(d, resource_tokens.secret);
	s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	rc = s != NULL ? page_add(&l->page, s, strlen(s)) : -1;
	free(s);
	if (rc != 0) {
		l->page.nomem = 1;
		return -1;
	}
	snprintf(l->last, sizeof l->last, "%s", id);
	return 1;
}

static void
tokens_list(struct call *c)
{
	static const char *const keys[] = { "limit", "after", "principal",
	    NULL };
	struct req		*r = c->req;
	struct token_list	 l;
	const char		*after, *principal;
	char			 next[ID_MAX + 1], quoted[ID_MAX + 3];
	int			 rc;

	memset(&l, 0, sizeof l);
	if (http_query_check(r, keys) != 0 ||
	    http_page(r, &l.limit, &after) != 0 ||
	    page_begin(r, &l.page) != 0)
		return;
	if ((principal = http_query(r, "principal")) != NULL)
		rc = store_list_by(c->store, r->txn, "tokens", "principal",
		    principal, after, l.limit + 1, list_take, &l, next);
	else
		rc = store_list(c->store, r->txn, "tokens", after, l.limit + 1,
		    list_take, &l, next);
	snprintf(quoted, sizeof quoted, "\"%s\"", l.last);
	page_end(r, &l.page, rc, l.more ? quoted : NULL);
}

static void
tokens_revoke(struct call *c)
{
	json_t	*patch = json_pack("{s:b}", "revoked", 1);

	if (patch == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	submit(c, RECORDS_PATCH, c->req->params[0], patch, NULL);
}

static const struct route tokens_routes[] = {
	{ EVHTTP_REQ_GET, "", ACCESS_READ, OWNER_RECORD, tokens_list, NULL },
	{ EVHTTP_REQ_POST, "", ACCESS_WRITE, OWNER_RECORD, tokens_create,
	    NULL },
	{ EVHTTP_REQ_GET, "{id}", ACCESS_READ, OWNER_RECORD, tokens_get,
	    NULL },
	{ EVHTTP_REQ_POST, "{id}/revoke", ACCESS_WRITE, OWNER_RECORD,
	    tokens_revoke, NULL },
};

static const struct store_ref tokens_refs[] = {
	{ .field = "principal", .target = "principals" },
};

static const struct store_unique tokens_uniques[] = {
	{ .field = "sha256", .array = 0 },
};

const struct resource resource_tokens = {
	.name = "tokens",
	.schema = "token",
	.refs = tokens_refs,
	.nrefs = NELEM(tokens_refs),
	.uniques = tokens_uniques,
	.nuniques = NELEM(tokens_uniques),
	/*
	 * Admin only: a principal does not list or revoke its own tokens
	 * (own scope is an auditor's records, and a token is a principal's).
	 */
	.grants = {
		.read = SCOPES(ALL, DENY, DENY, DENY, DENY),
		.write = SCOPES(ALL, DENY, DENY, DENY, DENY),
	},
	/* Delete is the standard one: it answers no body. */
	.verbs = VERB_DELETE,
	.routes = tokens_routes,
	.nroutes = NELEM(tokens_routes),
	.secret = "sha256",
};
