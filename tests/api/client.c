/*
 * client.c: curl and auditorctl as the API tests drive them (client.h),
 * and the checks on problem+json answers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "client.h"

#define MAX_ARGS	64

static int	seq;	/* makes each exchange's file names unique */

/* Read a whole file into a NUL-terminated buffer; NULL if unreadable. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf = NULL, *nb;
	size_t	 cap = 0, n = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = n;
	return buf;
}

void
client_resp_free(struct resp *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->headers);
	free(r->err);
	json_decref(r->json);
	r->body = r->headers = r->err = NULL;
	r->json = NULL;
}

void
client_dump(const struct resp *r, const char *why)
{
	printf("\n  ** %s: %s -> curl %d, HTTP %d\n", why, r->what, r->curl,
	    r->status);
	if (r->err != NULL && r->err[0] != '\0')
		printf("  curl said: %s", r->err);
	if (r->headers != NULL)
		printf("  headers:\n%s", r->headers);
	if (r->body != NULL)
		printf("  body (%zu bytes): %.600s\n", r->len, r->body);
}

/* Keep only the last header block (after any 100 Continue). */
static char *
last_block(char *all)
{
	char	*p, *last = all, *copy;
	size_t	 n;

	if (all == NULL)
		return NULL;
	for (p = all; (p = strstr(p, "\r\n\r\n")) != NULL; p += 4)
		if (strncmp(p + 4, "HTTP/", 5) == 0)
			last = p + 4;
	n = strlen(last);
	if ((copy = malloc(n + 1)) != NULL)
		memcpy(copy, last, n + 1);
	free(all);
	return copy;
}

static int
run_curl(struct resp *r, const char *who, const char *method,
    const char *path, const char *bodyfile, const char *const hdrs[])
{
	const char	*argv[MAX_ARGS];
	char		 out[PATH_MAX], hfile[PATH_MAX], url[PATH_MAX];
	char		 ca[PATH_MAX], cert[PATH_MAX], key[PATH_MAX], name[64];
	char		 data[PATH_MAX + 1];
	int		 n = 0, ctype = 0, cur = seq++;
	struct proc	 p;
	json_error_t	 jerr;

	memset(r, 0, sizeof *r);
	snprintf(r->what, sizeof r->what, "%s %s as %s", method, path,
	    who != NULL ? who : "(no certificate)");
	snprintf(name, sizeof name, "resp-%d.body", cur);
	harness_file(out, name);
	snprintf(name, sizeof name, "resp-%d.head", cur);
	harness_file(hfile, name);
	harness_file(ca, "ca.crt");
	if (strncmp(path, "https://", 8) == 0)
		snprintf(url, sizeof url, "%s", path);
	else
		snprintf(url, sizeof url, "%s%s", harness.url, path);
	argv[n++] = "curl";
	argv[n++] = "-sS";
	argv[n++] = "--max-time";
	argv[n++] = "10";
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n++] = "-D";
	argv[n++] = hfile;
	argv[n++] = "-w";
	argv[n++] = "%{http_code}";
	argv[n++] = "--cacert";
	argv[n++] = ca;
	if (who != NULL) {
		snprintf(name, sizeof name, "%s.crt", who);
		harness_file(cert, name);
		snprintf(name, sizeof name, "%s.key", who);
		harness_file(key, name);
		argv[n++] = "--cert";
		argv[n++] = cert;
		argv[n++] = "--key";
		argv[n++] = key;
	}
	if (strcmp(method, "HEAD") == 0)
		argv[n++] = "-I";
	else {
		argv[n++] = "-X";
		argv[n++] = method;
	}
	for (; hdrs != NULL && *hdrs != NULL && n < MAX_ARGS - 6; hdrs++) {
		if (strncasecmp(*hdrs, "Content-Type:", 13) == 0)
			ctype = 1;
		argv[n++] = "-H";
		argv[n++] = *hdrs;
	}
	if (bodyfile != NULL) {
		if (!ctype) {
			argv[n++] = "-H";
			argv[n++] = "Content-Type: application/json";
		}
		snprintf(data, sizeof data, "@%s", bodyfile);
		argv[n++] = "--data-binary";
		argv[n++] = data;
	}
	argv[n++] = url;
	argv[n] = NULL;

	harness_run(argv, NULL, NULL, 0, 30000, &p);
	r->curl = p.code;
	r->status = atoi(p.out);
	r->err = p.err;
	p.err = NULL;
	harness_proc_free(&p);
	/*
	 * curl -I writes the header block as the output: a HEAD answer has
	 * no body, so keep none (else every Date would make two differ).
	 */
	r->body = strcmp(method, "HEAD") != 0 ? slurp(out, &r->len) : NULL;
	if (r->body == NULL) {
		r->body = calloc(1, 1);
		r->len = 0;
	}
	r->headers = last_block(slurp(hfile, NULL));
	if (r->len > 0)
		r->json = json_loadb(r->body, r->len, 0, &jerr);
	remove(out);
	remove(hfile);
	return r->status;
}

static int
http_va(struct resp *r, const char *who, const char *method,
    const char *path, const char *body, size_t bodylen, va_list ap)
{
	const char	*hdrs[16], *h;
	char		 file[PATH_MAX], name[64];
	int		 n = 0, rc;
	FILE		*f;

	while ((h = va_arg(ap, const char *)) != NULL && n < 15)
		hdrs[n++] = h;
	hdrs[n] = NULL;
	if (body == NULL)
		return run_curl(r, who, method, path, NULL, hdrs);
	snprintf(name, sizeof name, "req-%d.body", seq);
	harness_file(file, name);
	if ((f = fopen(file, "wb")) == NULL ||
	    fwrite(body, 1, bodylen, f) != bodylen) {
		if (f != NULL)
			fclose(f);
		memset(r, 0, sizeof *r);
		snprintf(r->what, sizeof r->what, "cannot write a body file");
		return 0;
	}
	fclose(f);
	rc = run_curl(r, who, method, path, file, hdrs);
	remove(file);
	return rc;
}

int
client_http(struct resp *r, const char *who, const char *method,
    const char *path, const char *body, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, body);
	rc = http_va(r, who, method, path, body, body ? strlen(body) : 0, ap);
	va_end(ap);
	return rc;
}

int
client_json(struct resp *r, const char *who, const char *method,
    const char *path, json_t *body, ...)
{
	va_list	 ap;
	char	*s;
	int	 rc;

	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	va_start(ap, body);
	rc = http_va(r, who, method, path, s != NULL ? s : "",
	    s != NULL ? strlen(s) : 0, ap);
	va_end(ap);
	free(s);
	return rc;
}

int
client_http_file(struct resp *r, const char *who, const char *method,
    const char *path, const char *file, const char *hdr)
{
	const char	*hdrs[] = { hdr, NULL };
	char		 full[PATH_MAX];

	return run_curl(r, who, method, path, harness_file(full, file), hdrs);
}

int
client_header(const struct resp *r, const char *name, char *out, size_t len)
{
	const char	*p, *end, *v;
	size_t		 nlen = strlen(name), vlen;

	out[0] = '\0';
	if (r->headers == NULL)
		return 0;
	for (p = strstr(r->headers, "\r\n"); p != NULL;
	    p = strstr(p, "\r\n")) {
		p += 2;
		if (strncasecmp(p, name, nlen) != 0 || p[nlen] != ':')
			continue;
		v = p + nlen + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if ((end = strstr(v, "\r\n")) == NULL)
			end = v + strlen(v);
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		vlen = (size_t)(end - v) < len - 1 ? (size_t)(end - v) :
		    len - 1;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return 1;
	}
	return 0;
}

int
client_status(const struct resp *r, int status)
{
	char	why[64];

	if (r->status == status)
		return 1;
	snprintf(why, sizeof why, "expected HTTP %d", status);
	client_dump(r, why);
	return 0;
}

/*
 * The title every problem of a status carries (RFC 9110's reason phrases):
 * a copy of our own, so that a title the server gets wrong is seen.
 */
static const char *
reason(int status)
{
	static const struct {
		int		 status;
		const char	*title;
	} t[] = {
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 409, "Conflict" },
		{ 412, "Precondition Failed" }, { 413, "Content Too Large" },
		{ 415, "Unsupported Media Type" },
		{ 422, "Unprocessable Content" },
		{ 500, "Internal Server Error" },
		{ 503, "Service Unavailable" }, { 507, "Insufficient Storage" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].status == status)
			return t[i].title;
	return "";
}

/* Why errors (a problem's "errors" member) is malformed, or NULL. */
static const char *
errors_malformed(json_t *errors)
{
	json_t	*e;
	size_t	 i;

	if (!json_is_array(errors) || json_array_size(errors) == 0)
		return "errors is not a non-empty array";
	json_array_foreach(errors, i, e) {
		if (json_object_size(e) != 2 ||
		    !json_is_string(json_object_get(e, "path")) ||
		    !json_is_string(json_object_get(e, "message")) ||
		    json_string_length(json_object_get(e, "message")) == 0)
			return "an errors[] entry is not {path, message}";
		/* A JSON Pointer: empty (the whole document) or "/...". */
		if (json_string_length(json_object_get(e, "path")) > 0 &&
		    json_string_value(json_object_get(e, "path"))[0] != '/')
			return "an errors[] path is not a JSON Pointer";
	}
	return NULL;
}

int
client_problem(const struct resp *r, int status, const char *slug)
{
	char		 ct[128], want[128], why[256];
	const char	*type, *k, *bad;
	json_t		*st, *title, *detail, *v;

	snprintf(want, sizeof want, "urn:auditord:problem:%s", slug);
	why[0] = '\0';
	client_header(r, "Content-Type", ct, sizeof ct);
	if (r->status != status)
		snprintf(why, sizeof why, "expected HTTP %d %s", status, slug);
	else if (strncasecmp(ct, "application/problem+json", 24) != 0)
		snprintf(why, sizeof why, "Content-Type is '%s', expected "
		    "application/problem+json", ct);
	else if (!json_is_object(r->json))
		snprintf(why, sizeof why, "body is not a JSON object");
	else if ((type = client_str(r, "type")) == NULL ||
	    strcmp(type, want) != 0)
		snprintf(why, sizeof why, "type is '%s', expected '%s'",
		    type != NULL ? type : "(none)", want);
	else if ((st = json_object_get(r->json, "status")) == NULL ||
	    !json_is_integer(st) || json_integer_value(st) != status)
		snprintf(why, sizeof why, "body's status is not %d", status);
	else if (!json_is_string(title = json_object_get(r->json, "title")) ||
	    strcmp(json_string_value(title), reason(status)) != 0)
		snprintf(why, sizeof why, "title is not '%s'", reason(status));
	else if (!json_is_string(detail = json_object_get(r->json,
	    "detail")) || json_string_length(detail) == 0)
		snprintf(why, sizeof why, "no detail");
	else if ((v = json_object_get(r->json, "errors")) != NULL &&
	    (bad = errors_malformed(v)) != NULL)
		snprintf(why, sizeof why, "%s", bad);
	if (why[0] == '\0')
		json_object_foreach(r->json, k, v)
			if (strcmp(k, "type") != 0 && strcmp(k, "title") != 0 &&
			    strcmp(k, "status") != 0 && strcmp(k, "detail") !=
			    0 && strcmp(k, "errors") != 0 &&
			    !(strcmp(k, "verdict") == 0 &&
			    strcmp(slug, "check-failed") == 0) &&
			    !(strcmp(k, "missing") == 0 &&
			    strcmp(slug, "report-incomplete") == 0)) {
				snprintf(why, sizeof why, "unexpected member "
				    "'%s'", k);
				break;
			}
	if (why[0] == '\0')
		return 1;
	client_dump(r, why);
	return 0;
}

int
client_detail_has(const struct resp *r, const char *text)
{
	const char	*d = client_str(r, "detail");

	if (d != NULL && strstr(d, text) != NULL)
		return 1;
	printf("\n  ** detail '%s' does not say '%s'\n", d != NULL ? d :
	    "(none)", text);
	return 0;
}

int
client_error_paths(const struct resp *r, const char *const paths[])
{
	json_t	*errs = json_object_get(r->json, "errors"), *e;
	size_t	 i, k;
	int	 ok = 1;

	/* Each expected path is there ... */
	for (k = 0; paths[k] != NULL; k++)
		if (!client_error_path(r, paths[k]))
			ok = 0;
	/* ... and nothing else is. */
	json_array_foreach(errs, i, e) {
		const char	*p = client_sv(e, "path");

		for (k = 0; paths[k] != NULL; k++)
			if (strcmp(p, paths[k]) == 0)
				break;
		if (paths[k] == NULL) {
			printf("\n  ** unexpected errors[] path '%s'\n", p);
			ok = 0;
		}
	}
	if (!json_is_array(errs) || json_array_size(errs) == 0)
		ok = 0;
	if (!ok)
		client_dump(r, "errors[] is not the expected set");
	return ok;
}

int
client_error_path(const struct resp *r, const char *path)
{
	json_t	*errs, *e;
	size_t	 i;

	errs = r->json != NULL ? json_object_get(r->json, "errors") : NULL;
	json_array_foreach(errs, i, e) {
		const char	*p = json_string_value(json_object_get(e,
				    "path"));

		if (p != NULL && strcmp(p, path) == 0 &&
		    json_is_string(json_object_get(e, "message")))
			return 1;
	}
	printf("\n  ** no errors[] entry with path '%s' and a message in:\n",
	    path);
	client_dump(r, "missing error path");
	return 0;
}

const char *
client_str(const struct resp *r, const char *key)
{
	return json_string_value(json_object_get(r->json, key));
}

long long
client_int(const struct resp *r, const char *key)
{
	json_t	*v = json_object_get(r->json, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

const char *
client_s(const json_t *v)
{
	const char	*s = json_string_value(v);

	return s != NULL ? s : "";
}

const char *
client_sv(const json_t *obj, const char *key)
{
	return client_s(json_object_get(obj, key));
}

json_t *
client_find(json_t *array, const char *id)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(array, i, v) {
		const char	*s = json_string_value(json_object_get(v, "id"));

		if (s != NULL && strcmp(s, id) == 0)
			return v;
	}
	return NULL;
}

int
client_cert_sha256(const char *name, char *hex)
{
	mbedtls_x509_crt	crt;
	unsigned char		md[32];
	char			path[PATH_MAX], file[64];
	int			rc = -1;

	snprintf(file, sizeof file, "%s.crt", name);
	mbedtls_x509_crt_init(&crt);
	if (mbedtls_x509_crt_parse_file(&crt, harness_file(path, file)) == 0 &&
	    mbedtls_sha256_ret(crt.raw.p, crt.raw.len, md, 0) == 0) {
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		rc = 0;
	}
	mbedtls_x509_crt_free(&crt);
	return rc;
}

int
client_ctlv(struct proc *p, const char *const extra_env[],
    const char *const args[])
{
	const char	*argv[MAX_ARGS];
	int		 n = 0;

	argv[n++] = harness.auditorctl;
	for (; *args != NULL && n < MAX_ARGS - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return harness_run(argv, harness_env(extra_env), NULL, 0, 30000, p);
}

int
client_ctl(struct proc *p, const char *who, ...)
{
	const char	*args[MAX_ARGS], *a;
	char		 ca[PATH_MAX], cert[PATH_MAX], key[PATH_MAX], name[64];
	int		 n = 0;
	va_list		 ap;

	args[n++] = "--server";
	args[n++] = harness.url;
	args[n++] = "--ca";
	args[n++] = harness_file(ca, "ca.crt");
	if (who != NULL) {
		snprintf(name, sizeof name, "%s.crt", who);
		args[n++] = "--cert";
		args[n++] = harness_file(cert, name);
		snprintf(name, sizeof name, "%s.key", who);
		args[n++] = "--key";
		args[n++] = harness_file(key, name);
	}
	va_start(ap, who);
	while ((a = va_arg(ap, const char *)) != NULL && n < MAX_ARGS - 2)
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	return client_ctlv(p, NULL, args);
}
