/*
 * http.c: one request's path through the server: framing checks that close
 * evhttp 2.1's holes, the path and query, the read transaction, then the
 * hand-off to the layer above (server_app's dispatch); and the two ways a
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
#include <event2/http.h>
#include <event2/http_struct.h>

#include "log.h"
#include "server/http.h"
#include "server/worker.h"

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

/*
 * evhttp 2.1 accepts what RFC 9112 says to reject and then misreads the
 * stream: with two Content-Lengths it uses the first and runs the rest of
 * the body as a second request; a Transfer-Encoding it does not know is
 * ignored and the body parsed as a request; HEAD and OPTIONS bodies are
 * never read. Refuse those requests before anything runs. See http.h.
 */
const char *
http_framing_error(struct evhttp_request *ev)
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

/* Everything the server checks before the layer above sees a request. */
static int
http_admit(struct req *r)
{
	struct worker		*w = r->worker;
	const struct evhttp_uri	*uri;
	const char		*why, *query;
	int			 rc;

	if ((why = http_framing_error(r->ev)) != NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(r->ev),
		    "Connection", "close");
		http_problem(r, 400, "bad-request", "%s", why);
		return -1;
	}
	if (atomic_load(&w->srv->stopping)) {
		evhttp_add_header(evhttp_request_get_output_headers(r->ev),
		    "Connection", "close");
		http_problem(r, 503, "stopping", "the server is stopping");
		return -1;
	}
	uri = evhttp_request_get_evhttp_uri(r->ev);
	r->path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (!path_clean(r->path)) {
		http_problem(r, 404, "not-found", "no such path");
		return -1;
	}
	query = evhttp_uri_get_query(uri);
	/* A decoded NUL would cut a value short without a word. */
	if (query != NULL && (strstr(query, "%00") != NULL ||
	    evhttp_parse_query_str(query, &r->query) != 0)) {
		http_problem(r, 400, "bad-request", "malformed query string");
		return -1;
	}
	if ((rc = mdb_txn_renew(w->rtxn)) != 0) {
		log_warnx("read transaction: %s", mdb_strerror(rc));
		http_problem(r, 500, "internal", "the store cannot be read");
		return -1;
	}
	r->txn = w->rtxn;
	return 0;
}

void
http_handle(struct evhttp_request *ev, void *arg)
{
	struct worker	*w = arg;
	struct req	*r;

	worker_request_started(w, ev);
	if ((r = calloc(1, sizeof *r)) == NULL) {
		/* Nothing to answer with: drop the connection, not the daemon. */
		log_warnx("out of memory for a request");
		evhttp_send_error(ev, 500, NULL);
		return;
	}
	r->ev = ev;
	r->worker = w;
	r->start_us = util_now_us();
	r->method = evhttp_request_get_command(ev);
	TAILQ_INIT(&r->query);
	if (http_admit(r) == 0)
		w->srv->app->dispatch(r);
	if (r->txn != NULL)
		mdb_txn_reset(r->txn);
	r->txn = NULL;
	if (!r->pending)
		req_free(r);
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
	if (!r->pending)
		req_free(r);
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
