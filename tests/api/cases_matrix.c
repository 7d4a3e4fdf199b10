/*
 * cases_matrix.c: the role matrix against the real daemon (the sec.h one:
 * tokens on). Every route the router builds from the resource table, for
 * every kind of caller (five roles, the auditor's own and another's
 * records, an unmapped certificate, a disabled principal, a valid,
 * expired and revoked token) and object (own, another's, missing), is
 * asked once on a keep-alive connection per caller, and its status, and
 * for reads its body, compared with the policy written out below. A route
 * with no row fails the case, as does a row with no route.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/router.h"
#include "cases.h"
#include "comp.h"
#include "rawtls.h"
#include "sec.h"

/*
 * How a route is asked and what its letters mean (A all, O own, D deny,
 * per role in the order admin, manager, hr, auditor, viewer):
 *   LIST    GET of a collection: 200; A the same body as admin's; O
 *           holds the own record and never another's
 *   GET     GET of {id}: A 200 as admin's, missing 404; O own 200 as
 *           admin's, another's and missing 404 with the same body
 *   READ    a read whose body depends on the caller or on time (me,
 *           events, reports' own scope): status only
 *   WRITE   PUT/PATCH/DELETE on {id} with If-Match of a rev no record has
 *           and {}: 412 where the record is visible, else 404
 *   ACTION  an action POST on {id} (retire, verify, ...): the same, with no
 *           body
 *   ISSUE   issue-report on an audit whose report lacks every item: 409
 *           where the audit is visible (nothing changes), else 404
 *   CREATE  POST of {} on a collection: 422 (nothing is made)
 *   IMPORT  POST of JSON to /v1/import, which takes NDJSON: 415
 *   OPEN    no principal needed: 200 for everyone
 */
enum kind { K_LIST, K_GET, K_READ, K_WRITE, K_ACTION, K_ISSUE, K_CREATE,
    K_IMPORT, K_OPEN };

struct policy {
	const char	*method;
	const char	*pattern;
	const char	*letters;	/* 5 letters, or "" for OPEN */
	enum kind	 kind;
	const char	*coll;		/* whose ids {id} takes; NULL: route's */
	const char	*query;		/* what the route needs; NULL: none */
};

static const struct policy policy[] = {
	{ "GET", "/livez", "", K_OPEN, NULL , NULL },
	{ "GET", "/readyz", "", K_OPEN, NULL , NULL },
	{ "GET", "/metrics", "AAAAA", K_READ, NULL , NULL },
	{ "GET", "/v1/actions", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/actions", "AADDD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/actions/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/actions/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/actions/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/actions/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/areas", "AAAAA", K_LIST, NULL , NULL },
	{ "POST", "/v1/areas", "ADADD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/areas/{id}", "AAAAA", K_GET, NULL , NULL },
	{ "PUT", "/v1/areas/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/areas/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/areas/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/backup", "ADDDD", K_READ, NULL , NULL },
	{ "GET", "/v1/assignments", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/assignments", "AADDD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/assignments/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/assignments/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/assignments/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/assignments/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/auditors", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/auditors", "ADADD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/auditors/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/auditors/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/auditors/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/auditors/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "POST", "/v1/auditors/{id}/retire", "ADADD", K_ACTION, NULL , NULL },
	{ "GET", "/v1/auditors/{id}/export", "ADAOD", K_READ, NULL , NULL },
	{ "GET", "/v1/auditors/{id}/status", "AAAOA", K_GET, "auditors" , NULL },
	{ "GET", "/v1/audits", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/audits", "AADDD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/audits/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/audits/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/audits/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/audits/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "POST", "/v1/audits/{id}/check", "AAADA", K_READ, NULL , NULL },
	{ "GET", "/v1/audits/{id}/report", "AAAOA", K_GET, NULL , NULL },
	{ "POST", "/v1/audits/{id}/issue-report", "AADDD", K_ISSUE, NULL , NULL },
	{ "GET", "/v1/audits/{id}/candidates", "AAADA", K_READ, NULL , NULL },
	{ "POST", "/v1/audits/{id}/propose", "AADDD", K_READ, NULL , NULL },
	{ "GET", "/v1/declarations", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/declarations", "ADAOD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/declarations/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/declarations/{id}", "ADAOD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/declarations/{id}", "ADAOD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/declarations/{id}", "ADAOD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/evaluations", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/evaluations", "AAADD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/evaluations/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/evaluations/{id}", "AAADD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/evaluations/{id}", "AAADD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/evaluations/{id}", "AAADD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/events", "AAADA", K_READ, NULL , NULL },
	{ "GET", "/v1/events/verify", "AAADA", K_READ, NULL , NULL },
	{ "GET", "/v1/findings", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/findings", "AADOD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/findings/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/findings/{id}", "AADOD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/findings/{id}", "AADOD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/findings/{id}", "AADOD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/me", "AAAOA", K_READ, NULL , NULL },
	{ "GET", "/v1/principals", "ADDDD", K_LIST, NULL , NULL },
	{ "POST", "/v1/principals", "ADDDD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/principals/{id}", "ADDDD", K_GET, NULL , NULL },
	{ "PUT", "/v1/principals/{id}", "ADDDD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/principals/{id}", "ADDDD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/principals/{id}", "ADDDD", K_WRITE, NULL , NULL },
	{ "POST", "/v1/principals/{id}/disable", "ADDDD", K_ACTION, NULL , NULL },
	{ "POST", "/v1/principals/{id}/enable", "ADDDD", K_ACTION, NULL , NULL },
	{ "GET", "/v1/programmes", "AAADA", K_LIST, NULL , NULL },
	{ "POST", "/v1/programmes", "AADDD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/programmes/{id}", "AAADA", K_GET, NULL , NULL },
	{ "PUT", "/v1/programmes/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/programmes/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/programmes/{id}", "AADDD", K_WRITE, NULL , NULL },
	{ "GET", "/v1/qualifications", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/qualifications", "ADADD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/qualifications/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/qualifications/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/qualifications/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/qualifications/{id}", "ADADD", K_WRITE, NULL , NULL },
	{ "POST", "/v1/qualifications/{id}/verify", "ADADD", K_ACTION, NULL , NULL },
	{ "GET", "/v1/reports/cpd", "AAAOA", K_READ, NULL,
	    "?from=2026-01-01&to=2026-12-31" },
	{ "GET", "/v1/reports/expiring", "AAAOA", K_READ, NULL , NULL },
	{ "GET", "/v1/reports/evaluations-due", "AAAOA", K_READ, NULL , NULL },
	{ "GET", "/v1/reports/matrix", "AAAOA", K_READ, NULL , NULL },
	{ "GET", "/v1/reports/programme/{id}", "AAADA", K_GET, "programmes" , NULL },
	{ "GET", "/v1/reports/actions-overdue", "AAAOA", K_READ, NULL , NULL },
	{ "GET", "/v1/tokens", "ADDDD", K_LIST, NULL , NULL },
	{ "POST", "/v1/tokens", "ADDDD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/tokens/{id}", "ADDDD", K_GET, NULL , NULL },
	{ "DELETE", "/v1/tokens/{id}", "ADDDD", K_WRITE, NULL , NULL },
	{ "POST", "/v1/tokens/{id}/revoke", "ADDDD", K_ACTION, NULL , NULL },
	{ "GET", "/v1/trainings", "AAAOA", K_LIST, NULL , NULL },
	{ "POST", "/v1/trainings", "ADAOD", K_CREATE, NULL , NULL },
	{ "GET", "/v1/trainings/{id}", "AAAOA", K_GET, NULL , NULL },
	{ "PUT", "/v1/trainings/{id}", "ADAOD", K_WRITE, NULL , NULL },
	{ "PATCH", "/v1/trainings/{id}", "ADAOD", K_WRITE, NULL , NULL },
	{ "DELETE", "/v1/trainings/{id}", "ADAOD", K_WRITE, NULL , NULL },
	{ "POST", "/v1/trainings/{id}/verify", "ADADD", K_ACTION, NULL , NULL },
	{ "POST", "/v1/import", "AAAOD", K_IMPORT, NULL , NULL },
	{ "GET", "/v1/export/actions", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/areas", "AAAAA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/assignments", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/auditors", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/audits", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/declarations", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/evaluations", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/findings", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/principals", "ADDDD", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/programmes", "AAADA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/qualifications", "AAAOA", K_LIST, NULL , NULL },
	{ "GET", "/v1/export/trainings", "AAAOA", K_LIST, NULL , NULL },
};

/* The callers. role: index into the letters; -1: every route is 401. */
enum { C_ADMIN, C_MANAGER, C_HR, C_AUDITOR, C_VIEWER, C_UNMAPPED,
    C_DISABLED, C_TOKEN, C_EXPIRED, C_REVOKED, C_N };

static const struct caller {
	const char	*name;
	const char	*cert;		/* NULL: none */
	const char	*token;		/* a token id of mx_fixture's, or NULL */
	int		 role;
} callers[C_N] = {
	{ "admin", "admin", NULL, 0 },
	{ "manager", "manager", NULL, 1 },
	{ "hr", "hr", NULL, 2 },
	{ "auditor", "alice", NULL, 3 },
	{ "viewer", "bob", NULL, 4 },
	{ "unmapped certificate", "sec-none", NULL, -1 },
	{ "disabled principal", "erin", NULL, -1 },
	{ "valid token (hr)", NULL, "mx-t-ok", 2 },
	{ "expired token", NULL, "mx-t-old", -1 },
	{ "revoked token", NULL, "mx-t-rev", -1 },
};

enum { O_OWN, O_OTHER, O_MISSING, O_N };
static const char *const obj_names[O_N] = { "own", "another's", "missing" };

/* Per collection: the auditor's own record and another's. */
static const struct objs {
	const char	*coll;
	const char	*own;
	const char	*other;
} objs[] = {
	{ "actions", "mx-c-own", "mx-c-other" },
	{ "areas", "mx-area", "mx-area" },
	{ "assignments", "mx-as-own", "mx-as-other" },
	{ "auditors", "mx-own", "mx-other" },
	{ "audits", "mx-au-own", "mx-au-other" },
	{ "declarations", "mx-d-own", "mx-d-other" },
	{ "evaluations", "mx-e-own", "mx-e-other" },
	{ "findings", "mx-f-own", "mx-f-other" },
	{ "principals", "mx-p-hr", "mx-p-viewer" },
	{ "programmes", "mx-pg", "mx-pg" },
	{ "qualifications", "mx-q-own", "mx-q-other" },
	{ "tokens", "mx-t-ok", "mx-t-ok" },
	{ "trainings", "mx-tr-own", "mx-tr-other" },
};

static char	 tokens[3][128];	/* Bearer values: ok, old, rev */

/* doc (taken) made as admin, or there already. */
static int
mx_post(const char *path, json_t *doc)
{
	char	*s = json_dumps(doc, JSON_COMPACT);
	int	 ok = s != NULL && sec_put(path, s);

	free(s);
	json_decref(doc);
	return ok;
}

static int
mx_principal(const char *id, const char *role, const char *cert,
    const char *auditor)
{
	char	hex[65];
	json_t	*d;

	d = json_pack("{s:s, s:s, s:s}", "id", id, "name", id, "role", role);
	if (cert != NULL) {
		if (client_cert_sha256(cert, hex) != 0)
			return 0;
		json_object_set_new(d, "certs", json_pack("[s]", hex));
	}
	if (auditor != NULL)
		json_object_set_new(d, "auditor", json_string(auditor));
	return mx_post("/v1/principals", d);
}

static int
mx_token(int i, const char *id, const char *extra)
{
	struct resp	 r;
	char		 url[PATH_MAX], body[256];
	const char	*s;
	int		 ok;

	snprintf(body, sizeof body, "{\"id\":\"%s\",\"principal\":\"mx-p-hr\""
	    "%s}", id, extra);
	client_http(&r, "admin", "POST", sec_path(url, "/v1/tokens"), body,
	    NULL);
	/* Made by an earlier case of this run: its secret is kept. */
	if (r.status == 409 && tokens[i][0] != '\0') {
		client_resp_free(&r);
		return 1;
	}
	ok = r.status == 201 && (s = client_str(&r, "secret")) != NULL;
	if (ok)
		snprintf(tokens[i], sizeof tokens[i], "%s", s);
	else
		client_dump(&r, "the matrix's token");
	client_resp_free(&r);
	return ok;
}

/* Two auditors, a record of each kind for each, the principals, tokens. */
static int
mx_fixture(void)
{
	static const char *const who[2] = { "own", "other" };
	struct resp	r;
	char		id[64], aud[64], audit[64], finding[64], url[PATH_MAX];
	int		i, ok = 1;

	ok &= mx_post("/v1/areas", comp_j("{\"id\":\"mx-area\",\"kind\":"
	    "\"knowledge\",\"title\":\"Matrix area\"}"));
	ok &= mx_post("/v1/programmes", comp_j("{\"id\":\"mx-pg\",\"title\":"
	    "\"Matrix\",\"period\":{\"from\":\"2027-01-01\",\"to\":"
	    "\"2027-12-31\"},\"objectives\":[\"Certify\"]}"));
	for (i = 0; i < 2; i++) {
		snprintf(aud, sizeof aud, "mx-%s", who[i]);
		ok &= mx_post("/v1/auditors", cases_auditor(aud, "mx"));
		snprintf(id, sizeof id, "mx-q-%s", who[i]);
		ok &= mx_post("/v1/qualifications", comp_qual_doc(id, aud,
		    "2026-01-10", "education", "mx-area"));
		snprintf(id, sizeof id, "mx-tr-%s", who[i]);
		ok &= mx_post("/v1/trainings", comp_training_doc(id, aud,
		    "2026-01-10", "legal", "mx-area"));
		snprintf(id, sizeof id, "mx-e-%s", who[i]);
		ok &= mx_post("/v1/evaluations", comp_eval_doc(id, aud,
		    "2026-01-10", "meets", "mx-area"));
		snprintf(id, sizeof id, "mx-d-%s", who[i]);
		ok &= mx_post("/v1/declarations", comp_decl_doc(id, aud,
		    "2026-01-10", "family", NULL));
		snprintf(audit, sizeof audit, "mx-au-%s", who[i]);
		ok &= mx_post("/v1/audits", json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:s}", "id", audit, "programme", "mx-pg", "auditee",
		    "Finance", "type", "internal", "start", "2027-03-01", "end",
		    "2027-03-02"));
		snprintf(id, sizeof id, "mx-as-%s", who[i]);
		ok &= mx_post("/v1/assignments", json_pack("{s:s, s:s, s:s, "
		    "s:s}", "id", id, "audit", audit, "auditor", aud, "role",
		    "auditor"));
		snprintf(finding, sizeof finding, "mx-f-%s", who[i]);
		ok &= mx_post("/v1/findings", json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:[{s:s, s:s}]}", "id", finding, "audit",
		    audit, "type", "minor_nc", "criterion", "A.8.13",
		    "statement", "No backup test.", "auditor", aud, "date",
		    "2027-03-01", "evidence", "kind", "observation",
		    "description", "No record of a restore"));
		snprintf(id, sizeof id, "mx-c-%s", who[i]);
		ok &= mx_post("/v1/actions", json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s}", "id", id, "finding", finding, "action", "Test "
		    "restores.", "owner", "IT", "due", "2027-06-01"));
	}
	ok &= mx_principal("mx-p-admin2", "admin", NULL, NULL);
	ok &= mx_principal("mx-p-manager", "manager", "manager", NULL);
	ok &= mx_principal("mx-p-hr", "hr", "hr", NULL);
	ok &= mx_principal("mx-p-aud", "auditor", "alice", "mx-own");
	ok &= mx_principal("mx-p-viewer", "viewer", "bob", NULL);
	ok &= mx_principal("mx-p-dis", "viewer", "erin", NULL);
	if (!ok)
		return 0;
	client_http(&r, "admin", "POST", sec_path(url,
	    "/v1/principals/mx-p-dis/disable"), NULL, NULL);
	client_resp_free(&r);
	if (!mx_token(0, "mx-t-ok", "") ||
	    !mx_token(1, "mx-t-old", ",\"expires\":\"2021-01-01\"") ||
	    !mx_token(2, "mx-t-rev", ""))
		return 0;
	client_http(&r, "admin", "POST", sec_path(url,
	    "/v1/tokens/mx-t-rev/revoke"), NULL, NULL);
	ok = r.status == 200;
	client_resp_free(&r);
	return ok;
}

static const struct policy *
policy_of(const char *method, const char *pattern, size_t *at)
{
	size_t	i;

	for (i = 0; i < NELEM(policy); i++)
		if (strcmp(policy[i].method, method) == 0 &&
		    strcmp(policy[i].pattern, pattern) == 0) {
			*at = i;
			return &policy[i];
		}
	return NULL;
}

static const struct objs *
objs_of(const char *coll)
{
	size_t	i;

	for (i = 0; i < NELEM(objs); i++)
		if (strcmp(objs[i].coll, coll) == 0)
			return &objs[i];
	return NULL;
}

/* The status the policy asks for. */
static int
expected(const struct policy *p, int role, int obj, int has_id)
{
	char	l;

	if (p->kind == K_OPEN)
		return 200;
	if (role < 0)
		return 401;
	l = p->letters[role];
	if (l == 'D')
		return 403;
	if (has_id && (obj == O_MISSING || (l == 'O' && obj == O_OTHER)))
		return 404;
	switch (p->kind) {
	case K_WRITE:
	case K_ACTION:
		return 412;
	case K_ISSUE:
		return 409;
	case K_CREATE:
		return 422;
	case K_IMPORT:
		return 415;
	default:
		return 200;
	}
}

struct answer {
	int	 status;
	char	*body;
};

static int
ask(struct rawtls_conn *k, const struct caller *c, const char *method,
    const char *path, enum kind kind, struct answer *a)
{
	char		 req[2048], auth[192] = "";
	const char	*body = "";
	const char	*b;
	size_t		 blen;
	int		 n, with_body;

	if (c->token != NULL)
		snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n",
		    strcmp(c->token, "mx-t-ok") == 0 ? tokens[0] :
		    strcmp(c->token, "mx-t-old") == 0 ? tokens[1] : tokens[2]);
	with_body = strcmp(method, "GET") != 0 &&
	    strcmp(method, "DELETE") != 0 && kind != K_ACTION;
	if (with_body)
		body = "{}";
	n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: x\r\n%s%s"
	    "%s%s\r\n%s", method, path, auth, kind == K_WRITE ||
	    kind == K_ACTION ?
	    "If-Match: \"999999999\"\r\n" : "", with_body ?
	    "Content-Type: application/json\r\n" : "", with_body ?
	    "Content-Length: 2\r\n" : "", body);
	if (rawtls_request(k, req, (size_t)n, &a->status, &b, &blen) != 0)
		return -1;
	a->body = strndup(b, blen);
	return 0;
}

/* 1 if a list answer holds an item (or NDJSON line) with this id. */
static int
holds(const char *body, const char *id)
{
	char	needle[96];

	snprintf(needle, sizeof needle, "\"id\":\"%s\"", id);
	return strstr(body, needle) != NULL;
}

void
matrix_roles(void)
{
	struct rawtls_conn	*conn[C_N];
	char			 port[16], err[256], path[256];
	const char		*u, *ids[O_N];
	size_t			 i, at, nroutes, asked = 0, bad = 0;
	int			 seen[NELEM(policy)], c, o, has_id;
	char			 errbuf[512];

	u = sec_url();
	CU_ASSERT_FATAL(u != NULL);
	CU_ASSERT_FATAL(router_init(errbuf, sizeof errbuf) == 0);
	CU_ASSERT_FATAL(mx_fixture());
	snprintf(port, sizeof port, "%s", strrchr(u, ':') + 1);
	for (c = 0; c < C_N; c++) {
		conn[c] = rawtls_conn_open(port, callers[c].cert, err,
		    sizeof err);
		if (conn[c] == NULL)
			printf("\n  ** %s: %s\n", callers[c].name, err);
		CU_ASSERT_FATAL(conn[c] != NULL);
	}
	memset(seen, 0, sizeof seen);
	nroutes = router_count();
	for (i = 0; i < nroutes; i++) {
		const struct router_entry *e = router_entry(i);
		const char *m = http_method_name(e->route->method);
		const struct policy *p = policy_of(m, e->pattern, &at);
		const struct objs *ob;
		struct answer ref[O_N], a;
		int nobj;

		if (p == NULL) {
			printf("\n  ** no policy row for %s %s", m, e->pattern);
			CU_FAIL("a route has no row in the matrix's policy");
			continue;
		}
		seen[at] = 1;
		has_id = strstr(e->pattern, "{id}") != NULL;
		nobj = has_id ? O_N : 1;
		ob = objs_of(p->coll != NULL ? p->coll : e->res->name);
		if (has_id && ob == NULL) {
			printf("\n  ** no objects for %s", e->pattern);
			CU_FAIL("no objects for a route");
			continue;
		}
		if (has_id) {
			ids[O_OWN] = ob->own;
			ids[O_OTHER] = ob->other;
			ids[O_MISSING] = "mx-none";
		}
		memset(ref, 0, sizeof ref);
		for (c = 0; c < C_N; c++)
			for (o = 0; o < nobj; o++) {
				const char *q = strchr(e->pattern, '{');
				int want;

				if (has_id)
					snprintf(path, sizeof path, "%.*s%s%s",
					    (int)(q - e->pattern), e->pattern,
					    ids[o], strchr(q, '}') + 1);
				else
					snprintf(path, sizeof path, "%s%s",
					    e->pattern, p->query != NULL ?
					    p->query : "");
				if (ask(conn[c], &callers[c], m, path, p->kind,
				    &a) != 0) {
					printf("\n  ** %s %s as %s: no answer",
					    m, path, callers[c].name);
					CU_FAIL("no answer");
					bad++;
					continue;
				}
				asked++;
				want = expected(p, callers[c].role, o, has_id);
				if (a.status != want) {
					printf("\n  ** %s %s as %s (%s): %d, "
					    "policy %d: %.200s", m, path,
					    callers[c].name, has_id ?
					    obj_names[o] : "-", a.status, want,
					    a.body);
					bad++;
				} else if (c == C_ADMIN)
					ref[o].body = strdup(a.body);
				else if (a.status == 200 && (p->kind == K_GET ||
				    (p->kind == K_LIST &&
				    p->letters[callers[c].role] == 'A')) &&
				    ref[o].body != NULL &&
				    strcmp(ref[o].body, a.body) != 0) {
					printf("\n  ** %s %s as %s: body differs "
					    "from admin's", m, path,
					    callers[c].name);
					bad++;
				} else if (a.status == 200 && p->kind ==
				    K_LIST && p->letters[callers[c].role] ==
				    'O' && (ob = objs_of(e->res->name)) !=
				    NULL && (!holds(a.body, ob->own) ||
				    holds(a.body, ob->other))) {
					printf("\n  ** %s as %s: own scope list "
					    "wrong", path, callers[c].name);
					bad++;
				} else if (a.status == 404 && has_id &&
				    o == O_OTHER && ref[O_MISSING].body != NULL &&
				    strcmp(ref[O_MISSING].body, a.body) != 0) {
					printf("\n  ** %s as %s: another's 404 "
					    "differs from a missing one's", path,
					    callers[c].name);
					bad++;
				}
				free(a.body);
			}
		for (o = 0; o < O_N; o++)
			free(ref[o].body);
	}
	for (i = 0; i < NELEM(policy); i++)
		if (!seen[i]) {
			printf("\n  ** a policy row with no route: %s %s",
			    policy[i].method, policy[i].pattern);
			bad++;
		}
	for (c = 0; c < C_N; c++)
		rawtls_conn_close(conn[c]);
	printf("\n  matrix: %zu routes, %zu requests, %zu differences ",
	    nroutes, asked, bad);
	CU_ASSERT_EQUAL(bad, 0);
}

/* GET as cert who on the sec daemon; the answer in r. */
static int
mx_get(struct resp *r, const char *who, const char *path)
{
	return sec_http(r, who, "GET", path, NULL, NULL);
}

/* The rev of path as admin, or -1. */
static long long
mx_rev(const char *path)
{
	struct resp	r;
	long long	rev;

	mx_get(&r, "admin", path);
	rev = r.status == 200 ? client_int(&r, "rev") : -1;
	client_resp_free(&r);
	return rev;
}

/* method path as who (cert, or NULL with the hr token) with body: status. */
static int
mx_send(const char *who, const char *method, const char *path,
    const char *body)
{
	struct resp	r;
	char		auth[192];
	int		st;

	snprintf(auth, sizeof auth, "Bearer %s", tokens[0]);
	st = sec_http(&r, who, method, path, body, who == NULL ? auth : NULL);
	if (st == 403 && !client_problem(&r, 403, "forbidden"))
		st = -1;
	client_resp_free(&r);
	return st;
}

/*
 * Fields a role may not set are 403 and change nothing (the rev and the
 * field as they were); another auditor's records stay out of the own
 * auditor's filters, reports, exports and imports.
 */
void
matrix_fields(void)
{
	static const struct {
		const char	*who;	/* NULL: the hr token */
		const char	*method, *path, *body, *field;
	} refused[] = {
		{ "alice", "PATCH", "/v1/trainings/mx-tr-own",
		    "{\"verified\":true}", "verified" },
		{ "alice", "PUT", "/v1/trainings/mx-tr-own",
		    "{\"auditor\":\"mx-own\",\"title\":\"t\",\"date\":"
		    "\"2026-01-10\",\"hours\":8,\"category\":\"legal\","
		    "\"areas\":[\"mx-area\"],\"verified\":true}", "verified" },
		{ "hr", "PATCH", "/v1/principals/mx-p-viewer",
		    "{\"role\":\"admin\"}", "role" },
		{ NULL, "PATCH", "/v1/principals/mx-p-viewer",
		    "{\"role\":\"admin\"}", "role" },
		{ "manager", "PATCH", "/v1/principals/mx-p-viewer",
		    "{\"certs\":[]}", "certs" },
		{ "hr", "PATCH", "/v1/principals/mx-p-viewer",
		    "{\"auditor\":\"mx-other\"}", "auditor" },
		{ "hr", "PATCH", "/v1/assignments/mx-as-own",
		    "{\"status\":\"confirmed\",\"override\":{\"reason\":"
		    "\"x\"}}", "override" },
		{ "alice", "PATCH", "/v1/assignments/mx-as-own",
		    "{\"override\":{\"reason\":\"x\"}}", "override" },
	};
	struct resp	 r;
	json_t		*before, *after;
	size_t		 i;
	long long	 rev;
	int		 st;

	CU_ASSERT_FATAL(sec_url() != NULL);
	CU_ASSERT_FATAL(mx_fixture());
	for (i = 0; i < NELEM(refused); i++) {
		mx_get(&r, "admin", refused[i].path);
		before = json_incref(json_object_get(r.json,
		    refused[i].field));
		rev = client_int(&r, "rev");
		client_resp_free(&r);
		st = mx_send(refused[i].who, refused[i].method, refused[i].path,
		    refused[i].body);
		if (st != 403)
			printf("\n  ** %s %s as %s: %d, not 403", refused[i].method,
			    refused[i].path, refused[i].who ? refused[i].who :
			    "the hr token", st);
		CU_ASSERT_EQUAL(st, 403);
		mx_get(&r, "admin", refused[i].path);
		after = json_object_get(r.json, refused[i].field);
		CU_ASSERT_EQUAL(client_int(&r, "rev"), rev);
		CU_ASSERT((before == NULL && after == NULL) ||
		    (before != NULL && after != NULL &&
		    json_equal(before, after)));
		json_decref(before);
		client_resp_free(&r);
	}
	/* A create that sets verified makes nothing. */
	CU_ASSERT_EQUAL(mx_send("alice", "POST", "/v1/trainings",
	    "{\"id\":\"mx-tr-v\",\"auditor\":\"mx-own\",\"title\":\"t\","
	    "\"date\":\"2026-01-10\",\"hours\":8,\"category\":\"legal\","
	    "\"areas\":[\"mx-area\"],\"verified\":true}"), 403);
	CU_ASSERT_EQUAL(mx_rev("/v1/trainings/mx-tr-v"), -1);

	/* Another's records: filters, reports, exports, events, import. */
	mx_get(&r, "alice", "/v1/trainings?auditor=mx-other");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r.json, "items")), 0);
	client_resp_free(&r);
	mx_get(&r, "alice", "/v1/assignments?audit=mx-au-other");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_PTR_NULL(strstr(r.body, "mx-as-other"));
	client_resp_free(&r);
	mx_get(&r, "alice", "/v1/findings?audit=mx-au-other");
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_PTR_NULL(strstr(r.body, "mx-f-other"));
	client_resp_free(&r);
	{
		static const char *const reads[] = {
			"/v1/reports/cpd?from=2026-01-01&to=2026-12-31",
			"/v1/reports/matrix", "/v1/reports/expiring",
			"/v1/reports/evaluations-due",
			"/v1/reports/actions-overdue", "/v1/export/trainings",
			"/v1/export/auditors", "/v1/export/audits",
			"/v1/export/findings", "/v1/export/actions",
			"/v1/audits", "/v1/actions",
		};

		for (i = 0; i < NELEM(reads); i++) {
			mx_get(&r, "alice", reads[i]);
			EXPECT_STATUS(&r, 200);
			if (strstr(r.body, "mx-other") != NULL ||
			    strstr(r.body, "-other\"") != NULL)
				printf("\n  ** %s as the auditor names another's "
				    "record", reads[i]);
			CU_ASSERT_PTR_NULL(strstr(r.body, "-other\""));
			CU_ASSERT_PTR_NULL(strstr(r.body, "mx-other"));
			client_resp_free(&r);
		}
	}
	mx_get(&r, "alice", "/v1/events");
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	{
		char	url[PATH_MAX];

		client_http(&r, "alice", "POST", sec_path(url, "/v1/import"),
		    "{\"collection\":\"trainings\",\"record\":{\"id\":"
		    "\"mx-tr-imp\",\"auditor\":\"mx-other\",\"title\":\"t\","
		    "\"date\":\"2026-01-10\",\"hours\":8,\"category\":"
		    "\"legal\",\"areas\":[\"mx-area\"]}}\n",
		    "Content-Type: application/x-ndjson", NULL);
		CU_ASSERT(r.status >= 400 || strstr(r.body, "\"refused\"") ||
		    strstr(r.body, "error"));
		client_resp_free(&r);
		CU_ASSERT_EQUAL(mx_rev("/v1/trainings/mx-tr-imp"), -1);
	}
}
