/*
 * comp.c: what the competence cases share (see comp.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "comp.h"

/*
 * sh -c with $1 the test directory and $2 a name: a client certificate
 * $2.crt/.key signed by the test CA, unless it is there already.
 */
static const char comp_cert_sh[] =
    "set -e; cd \"$1\"; n=$2; [ -f \"$n.crt\" ] && exit 0; umask 077; "
    "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
    "-out \"$n.key\" 2>/dev/null; "
    "openssl req -new -key \"$n.key\" -subj \"/CN=$n\" -out \"$n.csr\"; "
    "printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,"
    "digitalSignature\\nextendedKeyUsage=clientAuth\\n' > \"$n.ext\"; "
    "openssl x509 -req -in \"$n.csr\" -CA ca.crt -CAkey ca.key "
    "-CAcreateserial -sha256 -days 30 -extfile \"$n.ext\" "
    "-out \"$n.crt\" 2>/dev/null; "
    "rm -f \"$n.csr\" \"$n.ext\" ./*.srl; chmod 644 \"$n.crt\"";

json_t *
comp_qual_doc(const char *id, const char *aud, const char *date,
    const char *fv, const char *area)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "id", id,
	    "auditor", aud, "kind", fv, "title", "ISO/IEC 27001 Lead Auditor",
	    "issued", date, "areas", area);
}

json_t *
comp_training_doc(const char *id, const char *aud, const char *date,
    const char *fv, const char *area)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:[s]}", "id", id,
	    "auditor", aud, "title", "Risk assessment workshop", "date", date,
	    "hours", 8, "category", fv, "areas", area);
}

json_t *
comp_eval_doc(const char *id, const char *aud, const char *date,
    const char *fv, const char *area)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}", "id", id,
	    "auditor", aud, "date", date, "method", "interview", "result", fv,
	    "assessed", "area", area, "level", "competent");
}

json_t *
comp_decl_doc(const char *id, const char *aud, const char *date,
    const char *fv, const char *unused)
{
	(void)unused;
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "auditor", aud,
	    "party", "Acme Supplies", "kind", fv, "from", date);
}

const struct comp_kind comp_quals = { "qualifications", "cq",
    "issued", "kind", { "auditor_certificate", "education" }, "issuer",
    comp_qual_doc };
const struct comp_kind comp_trainings = { "trainings", "ct", "date",
    "category", { "audit_methodology", "legal" }, "provider",
    comp_training_doc };
const struct comp_kind comp_evals = { "evaluations", "ce", "date",
    "result", { "meets", "does_not_meet" }, "evaluator", comp_eval_doc };
const struct comp_kind comp_decls = { "declarations", "cd", "from",
    "kind", { "consultancy", "family" }, "notes", comp_decl_doc };
const struct comp_kind *const comp_all[4] = {
	&comp_quals, &comp_trainings, &comp_evals, &comp_decls
};

void
comp_today(char out[16])
{
	time_t		t = time(NULL);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

json_t *
comp_j(const char *s)
{
	json_t	*j = json_loads(s, 0, NULL);

	CU_ASSERT_FATAL(j != NULL);
	return j;
}

int
comp_area(const char *id)
{
	struct resp	r;
	int		ok;

	client_json(&r, "admin", "POST", "/v1/areas", json_pack("{s:s, s:s, "
	    "s:s}", "id", id, "title", id, "kind", "sector"), NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

int
comp_principal(const char *name, const char *role, const char *auditor)
{
	const char	*argv[] = { "sh", "-c", comp_cert_sh, "sh", harness.dir,
			    name, NULL };
	struct proc	 p;
	struct resp	 r;
	json_t		*doc;
	char		 hex[65], id[64];
	int		 ok;

	harness_run(argv, NULL, NULL, 0, 30000, &p);
	if (p.code != 0)
		printf("\n  ** certificate %s: exit %d: %s\n", name, p.code,
		    p.err);
	harness_proc_free(&p);
	if (client_cert_sha256(name, hex) != 0)
		return 0;
	snprintf(id, sizeof id, "p-%s", name);
	doc = json_pack("{s:s, s:s, s:s, s:[s]}", "id", id, "name", name,
	    "role", role, "certs", hex);
	if (auditor != NULL)
		json_object_set_new(doc, "auditor", json_string(auditor));
	client_json(&r, "admin", "POST", "/v1/principals", doc, NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

json_t *
comp_get(const char *path)
{
	struct resp	 r;
	json_t		*j = NULL;

	client_http(&r, "admin", "GET", path, NULL, NULL);
	if (r.status == 200)
		j = json_incref(r.json);
	client_resp_free(&r);
	return j;
}

void
comp_expect(const char *who, const char *method, const char *path,
    const char *body, int status, const char *slug)
{
	struct resp	r;

	if (body != NULL)
		client_json(&r, who, method, path, comp_j(body), NULL);
	else
		client_http(&r, who, method, path, NULL, NULL);
	if (slug != NULL) {
		EXPECT_PROBLEM(&r, status, slug);
	} else {
		EXPECT_STATUS(&r, status);
	}
	client_resp_free(&r);
}

int
comp_etag(const struct resp *r, long long rev)
{
	char	tag[64], want[64];

	client_header(r, "ETag", tag, sizeof tag);
	snprintf(want, sizeof want, "\"%lld\"", rev);
	if (strcmp(tag, want) == 0 && client_int(r, "rev") == rev)
		return 1;
	printf("\n  ** ETag '%s' / rev %lld, expected %s\n", tag,
	    client_int(r, "rev"), want);
	return 0;
}

/* errors[].path of a problem joined by ',' into out; returns out. */
static const char *
comp_paths(const struct resp *r, char *out, size_t len)
{
	json_t	*e;
	size_t	 i, n = 0;

	out[0] = '\0';
	json_array_foreach(json_object_get(r->json, "errors"), i, e)
		n += (size_t)snprintf(n < len ? out + n : NULL,
		    n < len ? len - n : 0, "%s%s", i > 0 ? "," : "",
		    client_sv(e, "path"));
	return out;
}

void
comp_422(const char *who, const char *method, const char *path, json_t *doc,
    const char *slug, const char *paths, const char *message,
    const char *check)
{
	struct resp	 r;
	char		 got[512];
	json_t		*e;

	client_json(&r, who, method, path, doc, NULL);
	EXPECT_PROBLEM(&r, 422, slug);
	if (strcmp(comp_paths(&r, got, sizeof got), paths) != 0) {
		printf("\n  ** errors at '%s', expected '%s'\n", got, paths);
		client_dump(&r, "wrong error paths");
		CU_FAIL("wrong error paths");
	}
	e = json_array_get(json_object_get(r.json, "errors"), 0);
	if (message != NULL && strcmp(client_sv(e, "message"), message) != 0) {
		client_dump(&r, "wrong message");
		CU_FAIL("wrong error message");
	}
	client_resp_free(&r);
	if (check != NULL)
		CU_ASSERT(cases_rev(check) == -1);
}

/* The list answer to GET url as who (new reference), or NULL. */
static json_t *
comp_list(const char *who, const char *url, int *status)
{
	struct resp	 r;
	json_t		*j = NULL;

	client_http(&r, who, "GET", url, NULL, NULL);
	*status = r.status;
	if (r.status == 200 && json_is_array(json_object_get(r.json,
	    "items")) && json_object_get(r.json, "next") != NULL)
		j = json_incref(r.json);
	else
		client_dump(&r, "not a list answer");
	client_resp_free(&r);
	return j;
}

/* id without "PFX-" when it starts with that. */
static const char *
comp_strip(const char *id, const char *pfx)
{
	size_t	n = pfx != NULL ? strlen(pfx) : 0;

	if (n > 0 && strncmp(id, pfx, n) == 0 && id[n] == '-')
		return id + n + 1;
	return id;
}

const char *
comp_ids(const char *who, const char *url, const char *pfx, char *out,
    size_t len)
{
	json_t	*l, *v, *next;
	size_t	 i, n = 0;
	int	 st;

	out[0] = '\0';
	if ((l = comp_list(who, url, &st)) == NULL) {
		snprintf(out, len, "HTTP %d", st);
		return out;
	}
	json_array_foreach(json_object_get(l, "items"), i, v)
		n += (size_t)snprintf(n < len ? out + n : NULL,
		    n < len ? len - n : 0, "%s%s", i > 0 ? "," : "",
		    comp_strip(client_sv(v, "id"), pfx));
	next = json_object_get(l, "next");
	if (!json_is_null(next))
		snprintf(n < len ? out + n : NULL, n < len ? len - n : 0,
		    " next=%s", comp_strip(client_s(next), pfx));
	json_decref(l);
	return out;
}

json_t *
comp_items(const char *who, const char *url)
{
	json_t	*l, *it;
	int	 st;

	if ((l = comp_list(who, url, &st)) == NULL)
		return NULL;
	/* The whole list: a page that does not end would hide ids. */
	CU_ASSERT(json_is_null(json_object_get(l, "next")));
	it = json_incref(json_object_get(l, "items"));
	json_decref(l);
	return it;
}
