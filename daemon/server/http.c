/*
 * http.c: one request's path through the server once the parser (h1.c)
 * framed it: the path and query, the read transaction, then the hand-off to the layer above (server_app's dispatch); and the two ways a
 * request waits without blocking its worker: a change for the writer
 * (http_submit) and a job on its own thread (http_offload). See http.h.
 */
#include <sys/queue.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "tls.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/worker.h"

void
http_req_clear(struct req *r)
{
	json_decref(r->body);
	r->body = NULL;
	if (r->wctx_free != NULL)
		r->wctx_free(r->wctx);
	r->wctx = NULL;
	r->wctx_free = NULL;
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

/*
 * Decode s[0..n) into out ('+' is a space, %XX a byte, a malformed % kept
 * as it is); returns the end of out. A decoded NUL would cut the value
 * short without a word: -1 then.
 */
static char *
query_decode(const char *s, size_t n, char *out)
{
	size_t	i;
	int	h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			*out++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (h = h1_hexval(s[i + 1])) >= 0 &&
		    (l = h1_hexval(s[i + 2])) >= 0) {
			if (h == 0 && l == 0)
				return NULL;
			*out++ = (char)(h * 16 + l);
			i += 2;
		} else
			*out++ = s[i];
	}
	*out++ = '\0';
	return out;
}

/*
 * The query string into r->query: key=value pairs split at '&', keys as
 * they are, values decoded; an empty key, a pair without '=', or more than
 * REQ_MAXQUERY pairs is malformed (-1). out has room for strlen(q) + 1
 * bytes per pair at most, which the connection's buffer (max_line) holds.
 */
static int
query_parse(struct req *r, const char *q, char *out)
{
	const char	*amp, *eq, *end;

	r->nquery = 0;
	if (*q == '\0')
		return 0;
	for (;;) {
		amp = strchr(q, '&');
		end = amp != NULL ? amp : q + strlen(q);
		eq = memchr(q, '=', (size_t)(end - q));
		if (eq == NULL || eq == q || r->nquery == REQ_MAXQUERY)
			return -1;
		r->query[r->nquery].key = out;
		memcpy(out, q, (size_t)(eq - q));
		out += eq - q;
		*out++ = '\0';
		r->query[r->nquery].value = out;
		if ((out = query_decode(eq + 1, (size_t)(end - eq - 1),
		    out)) == NULL)
			return -1;
		r->nquery++;
		if (amp == NULL)
			return 0;
		q = amp + 1;
	}
}

/* Everything the server checks before the layer above sees a request. */
static int
http_admit(struct req *r)
{
	struct worker	*w = r->worker;
	struct conn	*c = r->conn;
	char		*q;
	int		 rc;

	if (atomic_load(&w->srv->stopping)) {
		r->close = 1;
		http_problem(r, 503, "stopping", "the server is stopping");
		return -1;
	}
	/* The target is NUL-terminated in the head buffer: cut the query. */
	if ((q = strchr(c->h1.target, '?')) != NULL)
		*q++ = '\0';
	r->query_raw = q;
	/* A fragment is never sent (RFC 9110 4.2.4): take it as no path. */
	r->path = strchr(c->h1.target, '#') == NULL ? c->h1.target : NULL;
	if (!path_clean(r->path)) {
		http_problem(r, 404, "not-found", "no such path");
		return -1;
	}
	if (q != NULL && query_parse(r, q, c->qbuf) != 0) {
		r->nquery = 0;
		http_problem(r, 400, "bad-request", "malformed query string");
		return -1;
	}
	/* No store: the fuzz harness, which has no records to read. */
	if (w->rtxn == NULL)
		return 0;
	if ((rc = store_read_renew(w->srv->store, w->rtxn)) != STORE_OK) {
		log_warnx("read transaction: %s", store_strerror(rc));
		http_problem(r, 500, "internal", "the store cannot be read");
		return -1;
	}
	r->txn = w->rtxn;
	return 0;
}

void
http_dispatch(struct req *r)
{
	r->method = r->conn->h1.method;
	if (http_admit(r) == 0)
		r->worker->srv->app->dispatch(r);
	if (r->txn != NULL)
		store_read_reset(r->worker->srv->store, r->txn);
	r->txn = NULL;
}

const char *
http_header(struct req *r, const char *name)
{
	return r->conn != NULL ? h1_header(&r->conn->h1, name) : NULL;
}

int
http_peer_sha256(struct req *r, unsigned char out[32])
{
	if (r->conn == NULL || r->conn->bev == NULL)
		return -1;
	return tls_peer_sha256(r->conn->bev, out);
}

/* On the worker again: the change or job is done. */
static void
http_done(evutil_socket_t fd, short what, void *arg)
{
	struct req	*r = arg;

	(void)fd;
	(void)what;
	/* complete may queue the change again (http_resubmit). */
	r->pending = 0;
	r->complete(r, r->change.rc);
	/* Its answer (conn_answered) ends the request, on the connection. */
	if (!r->pending && r->status == 0)
		http_problem(r, 500, "internal", "the request was not "
		    "answered");
}

static int
http_wait_init(struct req *r, void *ctx, void (*ctx_free)(void *),
    void (*complete)(struct req *, int))
{
	r->wctx = ctx;
	r->wctx_free = ctx_free;
	r->complete = complete;
	/* A job's complete may hand on to the writer: the event is reused. */
	if (r->done == NULL)
		r->done = event_new(r->worker->base, -1, 0, http_done, r);
	if (r->done == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return -1;
	}
	return 0;
}

void
http_submit(struct req *r, int (*apply)(struct store_txn *, void *),
    void *ctx, void (*ctx_free)(void *), void (*complete)(struct req *, int))
{
	int	rc;

	if (http_wait_init(r, ctx, ctx_free, complete) != 0)
		return;
	r->change.apply = apply;
	r->change.arg = ctx;
	snprintf(r->change.principal, sizeof r->change.principal, "%s",
	    r->who);
	r->change.done = r->done;
	if ((rc = store_submit(r->worker->srv->store, &r->change)) != 0) {
		if (rc == STORE_BUSY)
			http_problem(r, 503, "busy", "too many changes are "
			    "queued; retry shortly");
		else
			http_problem(r, 500, "internal", "the change could not "
			    "be queued: %s", store_strerror(rc));
		return;
	}
	r->pending = 1;
}

int
http_stopping(struct req *r)
{
	return atomic_load(&r->worker->srv->stopping);
}

int
http_resubmit(struct req *r)
{
	int	rc;

	/* The store closes after the last queued change: take no more. */
	if (http_stopping(r)) {
		http_header_add(r, "Connection", "close");
		http_problem(r, 503, "stopping", "the server is stopping");
		return -1;
	}
	if (r->change.apply == NULL || r->pending) {
		http_problem(r, 500, "internal", "nothing to submit again");
		return -1;
	}
	if ((rc = store_submit(r->worker->srv->store, &r->change)) != 0) {
		if (rc == STORE_BUSY)
			http_problem(r, 503, "busy", "too many changes are "
			    "queued; retry shortly");
		else
			http_problem(r, 500, "internal", "the change could not "
			    "be queued: %s", store_strerror(rc));
		return -1;
	}
	r->pending = 1;
	return 0;
}

static void *
http_job_main(void *arg)
{
	struct req	*r = arg;
	struct server	*srv = r->worker->srv;

	r->change.rc = r->job(r->wctx);
	event_active(r->done, 0, 0);
	atomic_fetch_sub(&srv->njobs, 1);
	return NULL;
}

void
http_offload(struct req *r, int (*job)(void *), void *ctx,
    void (*ctx_free)(void *), void (*complete)(struct req *, int))
{
	struct server	*srv = r->worker->srv;
	pthread_attr_t	 attr;
	pthread_t	 t;
	int		 rc;

	if (http_wait_init(r, ctx, ctx_free, complete) != 0)
		return;
	if (atomic_fetch_add(&srv->njobs, 1) >= HTTP_JOBS_MAX) {
		atomic_fetch_sub(&srv->njobs, 1);
		http_problem(r, 503, "busy", "too many long requests are "
		    "running; retry shortly");
		return;
	}
	r->job = job;
	r->pending = 1;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, http_job_main, r);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		r->pending = 0;
		atomic_fetch_sub(&srv->njobs, 1);
		http_problem(r, 503, "busy", "cannot start a thread; retry "
		    "shortly");
	}
}
