/*
 * reply.c: every answer auditord sends: the headers all answers carry,
 * stored record bytes with their ETag, JSON, and problem+json (RFC 9457)
 * for every error. See http.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "log.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/worker.h"

/* Status lines, whole, so that an answer's head needs no formatting. */
static const struct {
	int		 status;
	const char	*line;		/* "HTTP/1.1 200 OK\r\n" */
	size_t		 len;
} lines[] = {
#define L(n, t)	{ n, "HTTP/1.1 " #n " " t "\r\n", sizeof("HTTP/1.1 " #n " " \
		    t "\r\n") - 1 }
	L(200, "OK"),
	L(201, "Created"),
	L(204, "No Content"),
	L(400, "Bad Request"),
	L(401, "Unauthorized"),
	L(403, "Forbidden"),
	L(404, "Not Found"),
	L(405, "Method Not Allowed"),
	L(409, "Conflict"),
	L(412, "Precondition Failed"),
	L(413, "Content Too Large"),
	L(414, "URI Too Long"),
	L(415, "Unsupported Media Type"),
	L(417, "Expectation Failed"),
	L(422, "Unprocessable Content"),
	L(431, "Request Header Fields Too Large"),
	L(500, "Internal Server Error"),
	L(501, "Not Implemented"),
	L(503, "Service Unavailable"),
	L(505, "HTTP Version Not Supported"),
	L(507, "Insufficient Storage"),
#undef L
};

static size_t
status_index(int status)
{
	size_t	i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (lines[i].status == status)
			return i;
	return (size_t)-1;
}

/* "Not Found" for 404: the status line's reason phrase. */
static const char *
status_title(int status, char *buf, size_t len)
{
	size_t		i = status_index(status);
	const char	*t;

	if (i == (size_t)-1)
		return "Error";
	t = lines[i].line + 13;
	snprintf(buf, len, "%.*s", (int)(lines[i].len - 15), t);
	return buf;
}

#define PUT(p, s, n)	(memcpy((p), (s), (n)), (p) += (n))
#define PUTS(p, lit)	PUT(p, lit, sizeof(lit) - 1)

/* Decimal digits of v at p; returns the end. */
static char *
put_size(char *p, size_t v)
{
	char	tmp[24];
	int	n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/*
 * Every answer leaves here: the status line and the headers all answers
 * carry, written in place into the connection's output with the body
 * (data, or the contents of buf), in one piece, no formatting, no
 * allocation beyond the output's own. HEAD gets the same head, no body.
 * A connection that is gone (the client left while the writer worked)
 * takes the answer and drops it.
 */
static void
reply_send(struct req *r, int status, const char *ctype, const void *data,
    size_t len, struct evbuffer *buf)
{
	struct conn		*c = r->conn;
	struct evbuffer		*out;
	struct evbuffer_iovec	 v;
	size_t			 si, ctl, room, hl;
	int			 body = r->method != EVHTTP_REQ_HEAD;
	char			*p;

	if (r->status != 0) {
		log_warnx("a second answer (%d) to one request", status);
		return;
	}
	if (c->hdrs_full && status != 500) {
		c->hdrs_full = 0;
		c->hdrs_len = 0;
		http_problem(r, 500, "internal", "an answer's headers are "
		    "too long");
		return;
	}
	if ((si = status_index(status)) == (size_t)-1)
		si = status_index(500);
	if (buf != NULL)
		len = evbuffer_get_length(buf);
	r->status = status;
	if (c->bev == NULL || c->state == CONN_CLOSED) {
		conn_answered(c);
		return;
	}
	if (!c->h1.keep_alive)
		r->close = 1;
	ctl = ctype != NULL ? strlen(ctype) : 0;
	hl = lines[si].len + ctl + 16 + 24 + 72 + c->hdrs_len + 24 + 26 + 2;
	room = hl + (buf == NULL && body ? len : 0);
	out = bufferevent_get_output(c->bev);
	if (evbuffer_reserve_space(out, (ev_ssize_t)room, &v, 1) < 1 ||
	    v.iov_len < room) {
		log_warnx("out of memory for a %d answer", status);
		r->close = 1;
		c->state = CONN_FLUSH;
		conn_answered(c);
		return;
	}
	p = v.iov_base;
	PUT(p, lines[si].line, lines[si].len);
	if (ctype != NULL) {
		PUTS(p, "Content-Type: ");
		PUT(p, ctype, ctl);
		PUTS(p, "\r\n");
	}
	/* Always a length, for HTTP/1.0 and HEAD too: clients need it. */
	if (status != 204) {
		PUTS(p, "Content-Length: ");
		p = put_size(p, len);
		PUTS(p, "\r\n");
	}
	PUTS(p, "Cache-Control: no-store\r\nX-Content-Type-Options: "
	    "nosniff\r\n");
	PUT(p, c->hdrs, c->hdrs_len);
	if (r->close)
		PUTS(p, "Connection: close\r\n");
	else if (c->h1.minor == 0)
		PUTS(p, "Connection: keep-alive\r\n");
	PUTS(p, "\r\n");
	if (buf == NULL && body && len > 0)
		PUT(p, data, len);
	v.iov_len = (size_t)(p - (char *)v.iov_base);
	r->bytes_out = v.iov_len;
	evbuffer_commit_space(out, &v, 1);
	if (buf != NULL && body) {
		r->bytes_out += len;
		evbuffer_add_buffer(out, buf);
	}
	conn_answered(c);
}

void
http_reply_buffer(struct req *r, int status, const char *ctype,
    struct evbuffer *body)
{
	reply_send(r, status, ctype, NULL, 0, body);
	/* As documented: drained, whether sent or not. */
	evbuffer_drain(body, evbuffer_get_length(body));
}

void
http_reply(struct req *r, int status, const char *ctype, const void *body,
    size_t len)
{
	reply_send(r, status, ctype, body, len, NULL);
}

void
http_header_add(struct req *r, const char *name, const char *value)
{
	struct conn	*c = r->conn;
	size_t		 nl = strlen(name), vl = strlen(value);
	char		*p;

	if (strcasecmp(name, "Connection") == 0) {
		if (strcasecmp(value, "close") == 0)
			r->close = 1;
		return;
	}
	if (c->hdrs_len + nl + vl + 4 > sizeof c->hdrs) {
		c->hdrs_full = 1;
		return;
	}
	p = c->hdrs + c->hdrs_len;
	PUT(p, name, nl);
	PUTS(p, ": ");
	PUT(p, value, vl);
	PUTS(p, "\r\n");
	c->hdrs_len = (size_t)(p - c->hdrs);
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
	char	buf[ID_MAX * 2 + 32], *p = buf + 1;

	if (rev == 0)
		rev = http_doc_rev(doc, len);
	buf[0] = '"';
	p = put_size(p, rev < 0 ? 0 : (size_t)rev);
	*p++ = '"';
	*p = '\0';
	http_header_add(r, "ETag", buf);
	if (status == 201) {
		snprintf(buf, sizeof buf, "/v1/%s/%s", coll, id);
		http_header_add(r, "Location", buf);
	}
	http_reply(r, status, "application/json", doc, len);
}

static void
vproblem(struct req *r, int status, const char *slug, json_t *extra,
    const char *fmt, va_list ap)
{
	char	 detail[512], type[96], title[64], *body = NULL;
	json_t	*p;
	size_t	 len;

	vsnprintf(detail, sizeof detail, fmt, ap);
	snprintf(type, sizeof type, "urn:auditord:problem:%s", slug);
	/* A client's unknown method or version is not our failure. */
	if (status >= 500 && status != 501 && status != 505)
		log_warnx("%s %s: %d %s", http_method_name(r->method) != NULL ?
		    http_method_name(r->method) : "-", r->path != NULL ?
		    r->path : "-", status, detail);
	else
		log_debug("%d %s: %s", status, slug, detail);
	p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title",
	    status_title(status, title, sizeof title), "status", status, "detail", detail);
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
		/* Nothing half-made: the status alone, and the close. */
		log_warnx("out of memory for a %d answer", status);
		r->close = 1;
		http_reply(r, status, NULL, "", 0);
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
