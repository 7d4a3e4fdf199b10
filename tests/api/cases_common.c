/*
 * cases_common.c: what many cases share: documents and records they make
 * for themselves, the principals of the suite's client certificates (made
 * by whichever case needs them first, so no case relies on another having
 * run), and the checks on a record answer.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"
#include "schema/schema.h"

/* The fields the server sets on every record. */
static const char *const server_fields[] = { "id", "rev", "created",
    "updated", NULL };

json_t *
cases_auditor(const char *id, const char *unit)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "id", id,
	    "name", "Test Auditor", "email", "test@example.org", "unit", unit,
	    "employment", "internal", "languages", "en");
}

int
cases_make_auditor(const char *id, const char *unit)
{
	struct resp	r;
	int		ok;

	client_json(&r, "admin", "POST", "/v1/auditors",
	    cases_auditor(id, unit), NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

long long
cases_rev(const char *path)
{
	struct resp	r;
	long long	rev;

	client_http(&r, "admin", "GET", path, NULL, NULL);
	rev = r.status == 200 ? client_int(&r, "rev") : -1;
	client_resp_free(&r);
	return rev;
}

int
cases_ends_with(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
server_field(const char *k)
{
	for (const char *const *f = server_fields; *f != NULL; f++)
		if (strcmp(k, *f) == 0)
			return 1;
	return 0;
}

/* 1 if s looks like the server's timestamps: YYYY-MM-DDTHH:MM:SSZ. */
static int
timestamp(const char *s)
{
	regex_t	re;
	int	ok;

	if (s == NULL || regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
	    "[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", REG_EXTENDED | REG_NOSUB) != 0)
		return 0;
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

int
cases_fields_are(const json_t *doc, const json_t *want, char *why,
    size_t len)
{
	const char	*k;
	json_t		*v;

	json_object_foreach((json_t *)want, k, v) {
		if (server_field(k))
			continue;
		if (!json_equal(v, json_object_get(doc, k))) {
			snprintf(why, len, "field '%s' is not as expected", k);
			return 0;
		}
	}
	json_object_foreach((json_t *)doc, k, v)
		if (!server_field(k) && json_object_get(want, k) == NULL) {
			snprintf(why, len, "unexpected field '%s'", k);
			return 0;
		}
	return 1;
}

int
cases_record(const struct resp *r, int status, const char *coll,
    const char *id, long long rev, json_t *want)
{
	char	 why[640] = "", ct[128], tag[64], wtag[64], loc[256];
	char	 wloc[256];
	int	 has_loc;

	snprintf(wtag, sizeof wtag, "\"%lld\"", rev);
	snprintf(wloc, sizeof wloc, "/v1/%s/%s", coll, id);
	client_header(r, "Content-Type", ct, sizeof ct);
	client_header(r, "ETag", tag, sizeof tag);
	has_loc = client_header(r, "Location", loc, sizeof loc);
	if (r->status != status)
		snprintf(why, sizeof why, "expected HTTP %d", status);
	else if (strncasecmp(ct, "application/json", 16) != 0)
		snprintf(why, sizeof why, "Content-Type is '%s'", ct);
	else if (!json_is_object(r->json))
		snprintf(why, sizeof why, "body is not a JSON object");
	else if (strcmp(client_sv(r->json, "id"), id) != 0)
		snprintf(why, sizeof why, "id is not '%s'", id);
	else if (client_int(r, "rev") != rev)
		snprintf(why, sizeof why, "rev is not %lld", rev);
	else if (strcmp(tag, wtag) != 0)
		snprintf(why, sizeof why, "ETag '%s' is not %s", tag, wtag);
	else if (!timestamp(client_str(r, "created")) ||
	    !timestamp(client_str(r, "updated")))
		snprintf(why, sizeof why, "created or updated is not a "
		    "timestamp");
	else if (strcmp(client_sv(r->json, "created"),
	    client_sv(r->json, "updated")) > 0)
		snprintf(why, sizeof why, "updated is before created");
	else if (status == 201 && (!has_loc || !cases_ends_with(loc, wloc)))
		snprintf(why, sizeof why, "Location '%s' is not %s", loc,
		    wloc);
	else if (status != 201 && has_loc)
		snprintf(why, sizeof why, "Location on a %d", status);
	else if (want != NULL)
		cases_fields_are(r->json, want, why, sizeof why);
	json_decref(want);
	if (why[0] == '\0')
		return 1;
	if (want != NULL && strncmp(why, "field", 5) == 0) {
		char	*s = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);

		printf("\n  ** expected fields: %s\n", s != NULL ? s : "");
		free(s);
	}
	client_dump(r, why);
	return 0;
}

int
cases_same_answer(const struct resp *a, const struct resp *b)
{
	char	cta[128], ctb[128], la[32], lb[32];

	client_header(a, "Content-Type", cta, sizeof cta);
	client_header(b, "Content-Type", ctb, sizeof ctb);
	client_header(a, "Content-Length", la, sizeof la);
	client_header(b, "Content-Length", lb, sizeof lb);
	if (a->status == b->status && a->len == b->len &&
	    memcmp(a->body, b->body, a->len) == 0 && strcmp(cta, ctb) == 0 &&
	    strcmp(la, lb) == 0)
		return 1;
	client_dump(a, "answers differ; the first");
	client_dump(b, "answers differ; the second");
	return 0;
}

/* The suite's principals other than admin, one per client certificate. */
static const struct {
	const char	*cert;
	const char	*id;
	const char	*role;
	const char	*auditor;
} fixtures[] = {
	{ "manager", "p-manager", "manager", NULL },
	{ "hr", "p-hr", "hr", NULL },
	{ "alice", "p-alice", "auditor", "alice" },
};

json_t *
cases_alice(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "id", "alice",
	    "name", "Alice Example", "email", "alice@example.org", "unit",
	    "IT Operations", "employment", "internal", "languages", "en");
}

/* The auditor alice exists and is active (a case may have retired her). */
static int
ensure_alice(void)
{
	struct resp	r;
	int		ok;

	client_http(&r, "admin", "GET", "/v1/auditors/alice", NULL, NULL);
	if (r.status == 404) {
		client_resp_free(&r);
		client_json(&r, "admin", "POST", "/v1/auditors", cases_alice(),
		    NULL);
		ok = client_status(&r, 201);
	} else if (r.status == 200 &&
	    strcmp(client_sv(r.json, "status"), "active") != 0) {
		client_resp_free(&r);
		client_http(&r, "admin", "PATCH", "/v1/auditors/alice",
		    "{\"status\":\"active\"}", NULL);
		ok = client_status(&r, 200);
	} else
		ok = client_status(&r, 200);
	client_resp_free(&r);
	return ok;
}

int
cases_principal(const char *cert)
{
	struct resp	 r;
	json_t		*doc;
	char		 hex[65];
	size_t		 i;
	int		 ok;

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
		if (strcmp(fixtures[i].cert, cert) == 0)
			break;
	if (i == sizeof fixtures / sizeof fixtures[0] ||
	    client_cert_sha256(cert, hex) != 0) {
		printf("\n  ** no fixture principal for certificate %s\n",
		    cert);
		return 0;
	}
	if (fixtures[i].auditor != NULL && !ensure_alice())
		return 0;
	{
		char	path[128];

		snprintf(path, sizeof path, "/v1/principals/%s",
		    fixtures[i].id);
		client_http(&r, "admin", "GET", path, NULL, NULL);
	}
	if (r.status == 200) {
		ok = strcmp(client_sv(r.json, "role"), fixtures[i].role) == 0 &&
		    !json_is_true(json_object_get(r.json, "disabled"));
		if (!ok)
			client_dump(&r, "fixture principal has changed");
		client_resp_free(&r);
		return ok;
	}
	ok = client_status(&r, 404);
	client_resp_free(&r);
	if (!ok)
		return 0;
	doc = json_pack("{s:s, s:s, s:s, s:[s]}", "id", fixtures[i].id,
	    "name", fixtures[i].id, "role", fixtures[i].role, "certs", hex);
	if (fixtures[i].auditor != NULL)
		json_object_set_new(doc, "auditor",
		    json_string(fixtures[i].auditor));
	client_json(&r, "admin", "POST", "/v1/principals", doc, NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

/* r's body is valid against the built-in schema type; else prints why. */
int
cases_valid_as(const struct resp *r, const char *type)
{
	static int	 ready;
	json_t		*errors = json_array();
	char		 err[256], *s;
	int		 ok;

	if (!ready && schema_builtin_init(err, sizeof err) != 0) {
		fprintf(stderr, "schemas: %s\n", err);
		return 0;
	}
	ready = 1;
	ok = r->json != NULL && schema_validate(schema_builtin(type), r->json,
	    errors, 20) == 0 && json_array_size(errors) == 0;
	if (!ok) {
		s = json_dumps(errors, JSON_COMPACT);
		fprintf(stderr, "\nnot a valid %s: %s\n", type, s);
		client_dump(r, "the answer");
		free(s);
	}
	json_decref(errors);
	return ok;
}
