/*
 * reply.c: every answer auditord sends: the headers all answers carry,
 * stored record bytes with their ETag, JSON, and problem+json (RFC 9457)
 * for every error. See http.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "log.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/worker.h"

static const struct {
	int		 status;
	const char	*title;
} titles[] = {
	{ 200, "OK" },
	{ 201, "Created" },
	{ 204, "No Content" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 409, "Conflict" },
	{ 412, "Precondition Failed" },
	{ 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
	{ 507, "Insufficient Storage" },
};

static const char *
status_title(int status)
{
	size_t	i;

	for (i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (titles[i].status == status)
			return titles[i].title;
	return "Error";
}

/*
 * The last resort when an answer cannot be built: evhttp's own page still
 * carries the status, and the connection closes so that nothing half-made
 * is ever taken for a whole answer.
 */
/* The one place every answer is counted (metrics.h). */
static void
reply_count(struct req *r, int status, size_t bytes)
{
	uint64_t	now = util_now_us();

	metrics_request(r->worker->metrics, r->route, status,
	    now > r->start_us ? now - r->start_us : 0, bytes);
}

static void
reply_fallback(struct req *r, int status)
{
	log_warnx("out of memory for a %d answer", status);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev),
	    "Connection", "close");
	reply_count(r, status >= 500 ? status : 500, 0);
	worker_request_finishing(r->worker, r->ev);
	evhttp_send_error(r->ev, status >= 500 ? status : 500, NULL);
	r->ev = NULL;
}

/* Every answer leaves here: headers common to all, then evhttp. */
void
http_reply_buffer(struct req *r, int status, const char *ctype,
    struct evbuffer *body)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(r->ev);
	char			 len[32];
	int			 bad = 0;

	if (ctype != NULL)
		bad |= evhttp_add_header(h, "Content-Type", ctype);
	/* evhttp omits it for HTTP/1.0 unless told; clients need it. */
	if (status != 204) {
		snprintf(len, sizeof len, "%zu", evbuffer_get_length(body));
		bad |= evhttp_add_header(h, "Content-Length", len);
	}
	bad |= evhttp_add_header(h, "Cache-Control", "no-store");
	bad |= evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (bad != 0) {
		reply_fallback(r, 500);
		return;
	}
	if (r->method == EVHTTP_REQ_HEAD)
		evbuffer_drain(body, evbuffer_get_length(body));
	if (log_debugging())
		log_debug("%s %s %d %s", http_method_name(r->method),
		    evhttp_request_get_uri(r->ev), status,
		    r->who[0] != '\0' ? r->who : "-");
	reply_count(r, status, evbuffer_get_length(body));
	worker_request_finishing(r->worker, r->ev);
	evhttp_send_reply(r->ev, status, status_title(status), body);
	r->ev = NULL;
}

void
http_reply(struct req *r, int status, const char *ctype, const void *body,
    size_t len)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL || evbuffer_add(b, body, len) != 0) {
		if (b != NULL)
			evbuffer_free(b);
		reply_fallback(r, 500);
		return;
	}
	http_reply_buffer(r, status, ctype, b);
	evbuffer_free(b);
}

void
http_header_add(struct req *r, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), name,
	    value);
}

void
http_reply_empty(struct req *r, int status)
{
	http_reply(r, status, NULL, "", 0);
}

void
http_reply_json_take(struct req *r, int status, json_t *body)
{
	char	*s;
	size_t	 len;

	s = util_json_canonical(body, &len);
	json_decref(body);
	if (s == NULL) {
		http_problem(r, 500, "internal", "cannot encode the answer");
		return;
	}
	http_reply(r, status, "application/json", s, len);
	free(s);
}

void
http_reply_record(struct req *r, int status, const char *coll, const char *id,
    int64_t rev, const char *doc, size_t len)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(r->ev);
	char			 buf[ID_MAX * 2 + 32];
	int			 bad;

	if (rev == 0)
		rev = http_doc_rev(doc, len);
	snprintf(buf, sizeof buf, "\"%lld\"", (long long)rev);
	bad = evhttp_add_header(h, "ETag", buf);
	if (status == 201) {
		snprintf(buf, sizeof buf, "/v1/%s/%s", coll, id);
		bad |= evhttp_add_header(h, "Location", buf);
	}
	if (bad != 0) {
		reply_fallback(r, 500);
		return;
	}
	http_reply(r, status, "application/json", doc, len);
}

static void
vproblem(struct req *r, int status, const char *slug, json_t *extra,
    const char *fmt, va_list ap)
{
	char	 detail[512], type[96], *body = NULL;
	json_t	*p;
	size_t	 len;

	vsnprintf(detail, sizeof detail, fmt, ap);
	snprintf(type, sizeof type, "urn:auditord:problem:%s", slug);
	if (status >= 500)
		log_warnx("%s %s: %d %s", http_method_name(r->method),
		    evhttp_request_get_uri(r->ev), status, detail);
	else
		log_debug("%d %s: %s", status, slug, detail);
	p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title",
	    status_title(status), "status", status, "detail", detail);
	if (p != NULL && extra != NULL &&
	    json_object_update_missing(p, extra) != 0) {
		json_decref(p);
		p = NULL;
	}
	if (p != NULL)
		body = util_json_canonical(p, &len);
	json_decref(extra);
	json_decref(p);
	if (body == NULL) {
		reply_fallback(r, status);
		return;
	}
	http_reply(r, status, "application/problem+json", body, len);
	free(body);
}

void
http_problem(struct req *r, int status, const char *slug, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vproblem(r, status, slug, NULL, fmt, ap);
	va_end(ap);
}

void
http_problem_errors(struct req *r, int status, const char *slug,
    json_t *errors, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vproblem(r, status, slug, errors != NULL ?
	    json_pack("{s:o}", "errors", errors) : NULL, fmt, ap);
	va_end(ap);
}

void
http_problem_with(struct req *r, int status, const char *slug,
    json_t *members, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vproblem(r, status, slug, members, fmt, ap);
	va_end(ap);
}
