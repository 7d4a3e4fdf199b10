/*
 * http.c: one request's path through auditord: framing checks that close
 * evhttp 2.1's holes, routing, authentication, body decoding, the handler,
 * and the replies (problem+json for every error). See http.h.
 */
#include <sys/queue.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>

#include "api/auth.h"
#include "config.h"
#include "server/http.h"
#include "log.h"
#include "api/router.h"
#include "tls.h"
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

static void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	evhttp_clear_headers(&r->query);
	json_decref(r->body);
	if (r->done != NULL)
		event_free(r->done);
	if (r->wctx_free != NULL)
		r->wctx_free(r->wctx);
	free(r);
}

/* Every answer leaves here: headers common to all, then evhttp. */
void
http_reply_buffer(struct req *r, int status, const char *ctype,
    struct evbuffer *body)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(r->ev);
	char			 len[32];

	if (ctype != NULL)
		evhttp_add_header(h, "Content-Type", ctype);
	/* evhttp omits it for HTTP/1.0 unless told; clients need it. */
	if (status != 204) {
		snprintf(len, sizeof len, "%zu", evbuffer_get_length(body));
		evhttp_add_header(h, "Content-Length", len);
	}
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (evhttp_request_get_command(r->ev) == EVHTTP_REQ_HEAD)
		evbuffer_drain(body, evbuffer_get_length(body));
	if (log_debugging())
		log_debug("%s %s %d %s", router_method_name(
		    evhttp_request_get_command(r->ev)),
		    evhttp_request_get_uri(r->ev), status,
		    r->who.id[0] != '\0' ? r->who.id : "-");
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
		log_warnx("out of memory for a reply");
		if (b != NULL)
			evbuffer_free(b);
		evhttp_send_error(r->ev, 500, NULL);
		r->ev = NULL;
		return;
	}
	http_reply_buffer(r, status, ctype, b);
	evbuffer_free(b);
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
    const char *doc, size_t len)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(r->ev);
	char			 buf[ID_MAX * 2 + 32];

	snprintf(buf, sizeof buf, "\"%lld\"", (long long)http_doc_rev(doc, len));
	evhttp_add_header(h, "ETag", buf);
	if (status == 201) {
		snprintf(buf, sizeof buf, "/v1/%s/%s", coll, id);
		evhttp_add_header(h, "Location", buf);
	}
	http_reply(r, status, "application/json", doc, len);
}

static void
vproblem(struct req *r, int status, const char *slug, json_t *errors,
    const char *fmt, va_list ap)
{
	char	 detail[512], type[96], *body = NULL;
	json_t	*p;
	size_t	 len;

	vsnprintf(detail, sizeof detail, fmt, ap);
	snprintf(type, sizeof type, "urn:auditord:problem:%s", slug);
	if (status >= 500)
		log_warnx("%s %s: %d %s", router_method_name(
		    evhttp_request_get_command(r->ev)),
		    evhttp_request_get_uri(r->ev), status, detail);
	else
		log_debug("%d %s: %s", status, slug, detail);
	p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title",
	    status_title(status), "status", status, "detail", detail);
	if (p != NULL && errors != NULL)
		json_object_set(p, "errors", errors);
	if (p != NULL)
		body = util_json_canonical(p, &len);
	json_decref(errors);
	json_decref(p);
	if (body == NULL) {
		/* Out of memory: evhttp's own page still says the status. */
		evhttp_send_error(r->ev, status, NULL);
		r->ev = NULL;
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
	vproblem(r, status, slug, errors, fmt, ap);
	va_end(ap);
}

static json_t *
one_error(const struct store_err *e)
{
	if (e == NULL || (e->path[0] == '\0' && e->message[0] == '\0'))
		return NULL;
	return json_pack("[{s:s, s:s}]", "path", e->path, "message",
	    e->message);
}

void
http_store_error(struct req *r, int rc, const struct store_err *e)
{
	const char	*msg = e != NULL && e->message[0] != '\0' ? e->message :
			    store_strerror(rc);

	switch (rc) {
	case STORE_NOTFOUND:
		http_problem(r, 404, "not-found", "no such record");
		break;
	case STORE_EXISTS:
		http_problem(r, 409, "conflict", "a record with this id exists");
		break;
	case STORE_DUPLICATE:
		http_problem_errors(r, 409, "conflict", one_error(e), "%s", msg);
		break;
	case STORE_STALE:
		http_problem(r, 412, "stale", "the record has changed: "
		    "If-Match does not match its current rev");
		break;
	case STORE_REFERENCED:
		http_problem_errors(r, 409, "referenced", one_error(e),
		    "other records reference this record (%s); retire it "
		    "instead of deleting it", msg);
		break;
	case STORE_BADREF:
		http_problem_errors(r, 422, "bad-reference", one_error(e),
		    "%s", msg);
		break;
	case STORE_INVALID:
		http_problem_errors(r, 422, "validation", one_error(e), "%s",
		    msg);
		break;
	case STORE_FULL:
		http_problem(r, 507, "store-full", "the store is full; nothing "
		    "was written");
		break;
	case STORE_BUSY:
		http_problem(r, 503, "busy", "too many changes are queued; "
		    "retry shortly");
		break;
	default:
		http_problem(r, 500, "internal", "store error: %s; nothing was "
		    "written", store_strerror(rc));
		break;
	}
}

const char *
http_query(struct req *r, const char *key)
{
	return evhttp_find_header(&r->query, key);
}

int
http_query_check(struct req *r, const char *const *allowed)
{
	struct evkeyval	*kv;
	size_t		 i;

	TAILQ_FOREACH(kv, &r->query, next) {
		for (i = 0; allowed != NULL && allowed[i] != NULL; i++)
			if (strcmp(kv->key, allowed[i]) == 0)
				break;
		if (allowed == NULL || allowed[i] == NULL) {
			http_problem(r, 400, "bad-request",
			    "unknown query parameter '%.64s'", kv->key);
			return -1;
		}
	}
	return 0;
}

int
http_limit(struct req *r, size_t *limit)
{
	const char	*s = http_query(r, "limit");
	char		*end;
	long		 v;

	*limit = 100;
	if (s != NULL) {
		v = strtol(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > 1000) {
			http_problem(r, 400, "bad-request",
			    "limit must be a whole number from 1 to 1000");
			return -1;
		}
		*limit = (size_t)v;
	}
	return 0;
}

int
http_page(struct req *r, size_t *limit, const char **after)
{
	if (http_limit(r, limit) != 0)
		return -1;
	*after = http_query(r, "after");
	if (*after != NULL && !util_id_valid(*after)) {
		http_problem(r, 400, "bad-request", "after must be a record id");
		return -1;
	}
	return 0;
}

int64_t
http_doc_rev(const char *doc, size_t len)
{
	size_t	i;
	int	depth = 0, instr = 0;

	/* Find "rev" as a key of the outermost object, skipping strings. */
	for (i = 0; i < len; i++) {
		char c = doc[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		else if (c == '"') {
			if (depth == 1 && len - i > 6 &&
			    memcmp(doc + i, "\"rev\":", 6) == 0)
				return strtoll(doc + i + 6, NULL, 10);
			instr = 1;
		}
	}
	return 0;
}

/*
 * evhttp 2.1 accepts what RFC 9112 says to reject and then misreads the
 * stream (TLS-NOTES.md): refuse those requests before any handler runs.
 * Returns NULL when the framing is sound, else the reason.
 */
static const char *
framing_error(struct evhttp_request *ev)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(ev);
	struct evkeyval		*kv;
	int			 ncl = 0;
	const char		*p;

	TAILQ_FOREACH(kv, h, next) {
		for (p = kv->key; *p != '\0'; p++)
			if (isspace((unsigned char)*p) || *p == ':')
				return "whitespace in a header name";
		if (strcasecmp(kv->key, "Content-Length") == 0) {
			if (++ncl > 1)
				return "more than one Content-Length";
			if (kv->value[0] == '\0')
				return "empty Content-Length";
			for (p = kv->value; *p != '\0'; p++)
				if (*p < '0' || *p > '9')
					return "Content-Length is not a number";
		} else if (strcasecmp(kv->key, "Transfer-Encoding") == 0) {
			if (strcasecmp(kv->value, "chunked") != 0)
				return "Transfer-Encoding other than chunked";
		}
	}
	if (ev->major == 1 && ev->minor >= 1 &&
	    evhttp_find_header(h, "Host") == NULL)
		return "no Host header";
	/*
	 * evhttp reads no body for these, so the bytes a length announces
	 * would be parsed as the next request.
	 */
	if ((evhttp_request_get_command(ev) == EVHTTP_REQ_HEAD ||
	    evhttp_request_get_command(ev) == EVHTTP_REQ_OPTIONS) &&
	    (evhttp_find_header(h, "Transfer-Encoding") != NULL ||
	    ((p = evhttp_find_header(h, "Content-Length")) != NULL &&
	    strspn(p, "0") != strlen(p))))
		return "a body on a request that takes none";
	return NULL;
}

/* An absolute path with no empty, ".", ".." or encoded segments. */
static int
path_clean(const char *path)
{
	const char	*s;

	if (path == NULL || path[0] != '/' || strchr(path, '%') != NULL)
		return 0;
	for (s = path; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		if (s[1] == '/' || (s[1] == '\0' && s != path))
			return 0;
		if (s[1] == '.' && (s[2] == '/' || s[2] == '\0' ||
		    (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))
			return 0;
	}
	return 1;
}

int
http_if_match(const struct if_match *m, int64_t rev)
{
	int	i;

	if (!m->set)
		return 1;
	for (i = 0; i < m->n; i++)
		if (m->revs[i] == rev)
			return 1;
	return 0;
}

/*
 * If-Match: "*", or a list of entity-tags ("3", W/"3"); a bare 3 is taken
 * as "3" for hand-typed requests. Anything else is a 400.
 */
static int
parse_if_match(struct req *r)
{
	const char	*v = evhttp_find_header(
			    evhttp_request_get_input_headers(r->ev), "If-Match");
	const char	*p;
	char		*end;
	long long	 n;
	int		 weak, quoted;

	memset(&r->if_match, 0, sizeof r->if_match);
	if (v == NULL)
		return 0;
	for (p = v;;) {
		p += strspn(p, " \t");
		if (*p == '*') {
			/* "*": any current record will do. */
			memset(&r->if_match, 0, sizeof r->if_match);
			p++;
			goto next;
		}
		r->if_match.set = 1;
		weak = strncmp(p, "W/", 2) == 0;
		if (weak)
			p += 2;
		quoted = *p == '"';
		if (quoted)
			p++;
		if (*p < '1' || *p > '9')
			goto bad;
		n = strtoll(p, &end, 10);
		p = end;
		if (quoted && *p++ != '"')
			goto bad;
		if (weak && !quoted)
			goto bad;
		if (!weak) {
			if (r->if_match.n == REQ_MAXTAGS)
				goto bad;
			r->if_match.revs[r->if_match.n++] = n;
		}
next:
		p += strspn(p, " \t");
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			goto bad;
	}
bad:
	http_problem(r, 400, "bad-request", "If-Match must be \"*\" or a list "
	    "of up to %d record revs such as \"3\"", REQ_MAXTAGS);
	return -1;
}

static int
parse_body(struct req *r)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->ev);
	size_t		 len = evbuffer_get_length(in);
	const char	*ct;
	json_error_t	 jerr;
	unsigned char	*data;
	enum evhttp_cmd_type m = evhttp_request_get_command(r->ev);

	if (m != EVHTTP_REQ_POST && m != EVHTTP_REQ_PUT &&
	    m != EVHTTP_REQ_PATCH) {
		if (len > 0) {
			http_problem(r, 400, "bad-request",
			    "a %s request takes no body", router_method_name(m));
			return -1;
		}
		return 0;
	}
	if (len == 0)
		return 0;
	ct = evhttp_find_header(evhttp_request_get_input_headers(r->ev),
	    "Content-Type");
	if (ct == NULL || (strncasecmp(ct, "application/json", 16) != 0 &&
	    strncasecmp(ct, "application/merge-patch+json", 28) != 0)) {
		http_problem(r, 415, "unsupported-media-type",
		    "the body must be application/json");
		return -1;
	}
	if ((data = evbuffer_pullup(in, -1)) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return -1;
	}
	r->body = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (r->body == NULL) {
		http_problem(r, 400, "bad-request",
		    "malformed JSON at line %d, column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		return -1;
	}
	return 0;
}

void
http_handle(struct evhttp_request *ev, void *arg)
{
	struct worker		*w = arg;
	struct req		*r;
	const struct evhttp_uri	*uri;
	const char		*why, *path, *query;
	unsigned char		 sha[32];
	unsigned		 allow;
	char			 allowbuf[128];
	int			 rc;

	worker_request_started(w, ev);
	if ((r = calloc(1, sizeof *r)) == NULL) {
		evhttp_send_error(ev, 500, NULL);
		return;
	}
	r->ev = ev;
	r->worker = w;
	TAILQ_INIT(&r->query);

	if ((why = framing_error(ev)) != NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(ev),
		    "Connection", "close");
		http_problem(r, 400, "bad-request", "%s", why);
		goto out;
	}
	if (atomic_load(&w->srv->stopping)) {
		evhttp_add_header(evhttp_request_get_output_headers(ev),
		    "Connection", "close");
		http_problem(r, 503, "stopping", "the server is stopping");
		goto out;
	}
	uri = evhttp_request_get_evhttp_uri(ev);
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (!path_clean(path)) {
		http_problem(r, 404, "not-found", "no such path");
		goto out;
	}
	query = evhttp_uri_get_query(uri);
	/* A decoded NUL would cut a value short without a word. */
	if (query != NULL && (strstr(query, "%00") != NULL ||
	    evhttp_parse_query_str(query, &r->query) != 0)) {
		http_problem(r, 400, "bad-request", "malformed query string");
		goto out;
	}
	rc = router_match(evhttp_request_get_command(ev), path, &r->route,
	    r->params, &allow);
	if (rc == ROUTER_NOTFOUND) {
		http_problem(r, 404, "not-found", "no such path");
		goto out;
	}
	if (rc == ROUTER_BADMETHOD) {
		router_allow_string(allow, allowbuf, sizeof allowbuf);
		evhttp_add_header(evhttp_request_get_output_headers(ev),
		    "Allow", allowbuf);
		http_problem(r, 405, "method-not-allowed",
		    "this path takes %s", allowbuf);
		goto out;
	}

	if ((rc = mdb_txn_renew(w->rtxn)) != 0) {
		log_warnx("read transaction: %s", mdb_strerror(rc));
		http_problem(r, 500, "internal", "the store cannot be read");
		goto out;
	}
	r->txn = w->rtxn;
	if (r->route->access != ACCESS_OPEN) {
		struct bufferevent *bev = evhttp_connection_get_bufferevent(
		    evhttp_request_get_connection(ev));
		if (bev == NULL || tls_peer_sha256(bev, sha) != 0 ||
		    auth_principal(w->srv->store, r->txn, &w->auth, sha,
		    &r->who) != 0) {
			http_problem(r, 401, "unauthorized", "this client "
			    "certificate is not mapped to an enabled principal");
			goto out;
		}
		r->scope = auth_scope(r->who.role, r->route->object,
		    r->route->access);
		if (r->scope == SCOPE_DENY) {
			http_problem(r, 403, "forbidden", "role %s may not %s "
			    "%s", auth_role_name(r->who.role),
			    r->route->access == ACCESS_READ ? "read" : "change",
			    r->route->object);
			goto out;
		}
	} else
		r->scope = SCOPE_ALL;
	if (parse_if_match(r) != 0 || parse_body(r) != 0)
		goto out;
	r->route->handler(r);
out:
	if (r->txn != NULL)
		mdb_txn_reset(r->txn);
	r->txn = NULL;
	if (!r->pending)
		req_free(r);
}

static void
submit_done(evutil_socket_t fd, short what, void *arg)
{
	struct req	*r = arg;

	(void)fd;
	(void)what;
	r->complete(r, r->change.rc);
	req_free(r);
}

void
http_submit(struct req *r, int (*apply)(struct store_txn *, void *),
    void *ctx, void (*ctx_free)(void *), void (*complete)(struct req *, int))
{
	int	rc;

	r->wctx = ctx;
	r->wctx_free = ctx_free;
	r->complete = complete;
	r->change.apply = apply;
	r->change.arg = ctx;
	snprintf(r->change.principal, sizeof r->change.principal, "%s",
	    r->who.id);
	r->done = event_new(r->worker->base, -1, 0, submit_done, r);
	if (r->done == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	r->change.done = r->done;
	if ((rc = store_submit(r->worker->srv->store, &r->change)) != 0) {
		http_store_error(r, rc, NULL);
		return;
	}
	r->pending = 1;
}
