/*
 * worker.c: the server's worker threads (see worker.h): listeners on one
 * port, the global and per-address connection caps and accept back-off,
 * TLS reload, and an orderly stop. Connections themselves are conn.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "config.h"
#include "server/http.h"
#include "log.h"
#include "store/store.h"
#include "tls.h"
#include "util.h"
#include "server/metrics.h"
#include "server/worker.h"

#define ACCEPT_BACKOFF_MS	1000	/* pause after EMFILE/ENFILE */
#define WORKER_DRAIN_S		10	/* SIGTERM: in-flight requests' time */
#define WORKER_DRAIN_TICK_MS	10

static void
listener_pause(struct worker *w)
{
	if (!w->paused) {
		evconnlistener_disable(w->listener);
		w->paused = 1;
	}
}

static void
listener_resume(struct worker *w)
{
	if (w->paused) {
		evconnlistener_enable(w->listener);
		w->paused = 0;
	}
}

/*
 * A connection's TLS state was freed: uncount it. The count is global and
 * each worker pauses its own listener, so the drop below the cap wakes
 * every worker (each resumes on its own thread, in accept_again). While
 * stopping, listeners and events may be gone: only count.
 */
void
worker_conn_gone(void *arg)
{
	struct worker	*w = arg;
	struct server	*srv = w->srv;
	int		 n, i;

	n = atomic_fetch_sub(&srv->nconns, 1) - 1;
	if (atomic_load(&srv->stopping) ||
	    n != srv->cfg->max_connections - 1)
		return;
	for (i = 0; i < srv->nworkers; i++)
		event_active(srv->workers[i].resume_ev, 0, 0);
}

/*
 * No memory for the TLS reserve: stop accepting (tls_server_bev() could
 * not refuse the next connection safely) and retry after the back-off.
 */
static void
reserve_lost(struct worker *w)
{
	struct timeval	tv = { ACCEPT_BACKOFF_MS / 1000,
			    (ACCEPT_BACKOFF_MS % 1000) * 1000 };

	log_warnx("out of memory for the TLS reserve; pausing accept for "
	    "%d ms", ACCEPT_BACKOFF_MS);
	listener_pause(w);
	evtimer_add(w->accept_ev, &tv);
}

/*
 * A new socket. An address at its cap is closed at once, before any TLS
 * work, and does not count against the global cap: a flood from one
 * address holds at most max_per_address connections, below the global
 * cap, so other clients still get in. Every connection is TLS: while the
 * worker holds its TLS reserve (the listener runs only then),
 * tls_server_bev() never fails to return one (it may be one that refuses
 * the connection when memory ran out).
 */
static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct worker	*w = arg;
	int		 n;

	(void)l;
	if (peers_take(&w->srv->peers, sa) != 0) {
		log_debug("connection cap per address (%d) reached; closing "
		    "a new one", w->srv->cfg->max_per_address);
		close(fd);
		return;
	}
	n = atomic_fetch_add(&w->srv->nconns, 1) + 1;
	if (n == w->srv->cfg->max_connections) {
		int i;
		log_warnx("connection cap (%d) reached; pausing accept",
		    w->srv->cfg->max_connections);
		/* Every worker's listener, or the others would go on. */
		listener_pause(w);
		for (i = 0; i < w->srv->nworkers; i++)
			if (&w->srv->workers[i] != w)
				event_active(w->srv->workers[i].pause_ev, 0, 0);
	}
	if (conn_new(w, fd, sa, salen) != 0)
		return;
	if (tls_server_reserve(w->tls, w->base) == -1)
		reserve_lost(w);
}

static void
accept_error(struct evconnlistener *l, void *arg)
{
	struct worker	*w = arg;
	struct timeval	 tv = { ACCEPT_BACKOFF_MS / 1000,
			    (ACCEPT_BACKOFF_MS % 1000) * 1000 };
	int		 err = EVUTIL_SOCKET_ERROR();

	(void)l;
	if (err == EMFILE || err == ENFILE || err == ENOBUFS ||
	    err == ENOMEM) {
		/* Spinning on accept would starve every connection we have. */
		log_warnx("accept: %s; pausing for %d ms",
		    evutil_socket_error_to_string(err), ACCEPT_BACKOFF_MS);
		listener_pause(w);
		evtimer_add(w->accept_ev, &tv);
	} else
		log_warnx("accept: %s", evutil_socket_error_to_string(err));
}

/* Told by the worker that reached the cap: stop accepting too. */
static void
accept_pause(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	if (atomic_load(&w->srv->nconns) >= w->srv->cfg->max_connections)
		listener_pause(w);
}

/* After a back-off, or woken by worker_conn_gone: accept again if we may. */
static void
accept_again(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	if (atomic_load(&w->srv->stopping) ||
	    evtimer_pending(w->accept_ev, NULL))
		return;
	if (tls_server_reserve(w->tls, w->base) == -1) {
		reserve_lost(w);
		return;
	}
	if (atomic_load(&w->srv->nconns) < w->srv->cfg->max_connections)
		listener_resume(w);
}

/* Every WORKER_DRAIN_TICK_MS while stopping: end once all are gone. */
static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct timeval	 tv = { 0, WORKER_DRAIN_TICK_MS * 1000 };
	struct conn	*c;
	int		 n = 0;

	(void)fd;
	(void)what;
	if (!TAILQ_EMPTY(&w->conns) && util_now_us() < w->drain_until) {
		evtimer_add(w->drain_ev, &tv);
		return;
	}
	TAILQ_FOREACH(c, &w->conns, link)
		n += c->inflight;
	if (n > 0)
		log_warnx("worker %d: stopping with %d requests unanswered "
		    "after %d s", w->id, n, WORKER_DRAIN_S);
	event_base_loopbreak(w->base);
}

/*
 * SIGTERM: accept no more, drop connections that have no request in
 * flight (a request still arriving is dropped with them), let those that
 * have one answer it with Connection: close (the writer still runs), for
 * up to WORKER_DRAIN_S; then stop the loop.
 */
static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	listener_pause(w);
	evtimer_del(w->accept_ev);
	conn_drain(&w->conns);
	w->drain_until = util_now_us() + (uint64_t)WORKER_DRAIN_S * 1000000;
	drain_cb(-1, 0, w);
}

/* tls_server_outcomes: each handshake's end, for /metrics. */
static void
handshake_done(void *arg, enum tls_outcome o)
{
	static const enum metrics_hs	hs[] = {
		[TLS_OUTCOME_FULL] = METRICS_HS_FULL,
		[TLS_OUTCOME_RESUMED] = METRICS_HS_RESUMED,
		[TLS_OUTCOME_NO_CERT] = METRICS_HS_NO_CERT,
		[TLS_OUTCOME_BAD_CERT] = METRICS_HS_BAD_CERT,
		[TLS_OUTCOME_TIMEOUT] = METRICS_HS_TIMEOUT,
		[TLS_OUTCOME_PROTOCOL] = METRICS_HS_PROTOCOL,
	};
	struct worker			*w = arg;

	if ((size_t)o < sizeof hs / sizeof hs[0])
		metrics_handshake(w->metrics, hs[o]);
}

/* What /metrics tells of the material now in use. */
static void
note_files(struct server *srv, const struct tls_files *f)
{
	int64_t	cert, crl;

	tls_files_times(f, &cert, &crl);
	atomic_store(&srv->cert_expires, cert);
	atomic_store(&srv->crl_next_update, crl);
}

/* Take the material server_reload() left for this worker, if any. */
static void
reload_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker		*w = arg;
	struct tls_files	*f = atomic_exchange(&w->reload_files, NULL);
	char			 err[256];

	(void)fd;
	(void)what;
	if (f == NULL)
		return;
	/* The bytes passed their check: only memory can fail here. */
	if (tls_server_reload(w->tls, f, err, sizeof err) != 0)
		log_warnx("worker %d: cannot use the new TLS material, "
		    "keeping the old: %s", w->id, err);
	tls_files_free(f);
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	/* A paused worker with no connections still waits to be woken. */
	event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

/* The worker's own listener on the shared port. */
static int
worker_listen(struct worker *w, const struct sockaddr *sa, int salen,
    char *err, size_t errlen)
{
	int	on = 1, fd;

	if (w->srv->nlisten_fds > 0) {
		/* Adopted: every worker accepts on the one socket. */
		fd = fcntl(w->srv->listen_fds[0], F_DUPFD_CLOEXEC, 0);
		if (fd == -1 || evutil_make_socket_nonblocking(fd) == -1 ||
		    (w->listener = evconnlistener_new(w->base, accept_cb, w,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd)) ==
		    NULL) {
			snprintf(err, errlen, "cannot listen on the inherited "
			    "socket (fd %d): %s", w->srv->listen_fds[0],
			    strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
	} else
		w->listener = evconnlistener_new_bind(w->base, accept_cb, w,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC |
		    LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT, 512, sa, salen);
	if (w->listener == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s",
		    w->srv->cfg->listen, strerror(errno));
		return -1;
	}
	/*
	 * Accepted sockets inherit it: an answer that spans two TLS records
	 * must not wait for the peer's delayed ACK (40 ms a list).
	 */
	if (setsockopt(evconnlistener_get_fd(w->listener), IPPROTO_TCP,
	    TCP_NODELAY, &on, sizeof on) == -1)
		log_warn("TCP_NODELAY");
	evconnlistener_set_error_cb(w->listener, accept_error);
	return 0;
}

/* Everything but the thread; undoes itself on failure. */
static int
worker_init(struct worker *w, const struct sockaddr *sa, int salen,
    const struct tls_files *files, char *err, size_t errlen)
{
	int	rc;

	TAILQ_INIT(&w->conns);
	if ((w->base = event_base_new()) == NULL ||
	    (w->metrics = calloc(1, sizeof *w->metrics)) == NULL ||
	    (w->stop_ev = event_new(w->base, -1, 0, stop_cb, w)) == NULL ||
	    (w->drain_ev = evtimer_new(w->base, drain_cb, w)) == NULL ||
	    (w->reload_ev = event_new(w->base, -1, 0, reload_cb, w)) ==
	    NULL ||
	    (w->accept_ev = evtimer_new(w->base, accept_again, w)) == NULL ||
	    (w->resume_ev = event_new(w->base, -1, 0, accept_again, w)) ==
	    NULL ||
	    (w->pause_ev = event_new(w->base, -1, 0, accept_pause, w)) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->tls = tls_server_new_files(w->srv->tls, files, err, errlen);
	if (w->tls == NULL)
		return -1;
	tls_server_outcomes(w->tls, handshake_done, w);
	if (tls_server_reserve(w->tls, w->base) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((rc = store_read_begin(w->srv->store, &w->rtxn)) != STORE_OK) {
		snprintf(err, errlen, "read transaction: %s",
		    store_strerror(rc));
		return -1;
	}
	store_read_reset(w->srv->store, w->rtxn);
	if ((w->app = w->srv->app->worker_new(w)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}

	return worker_listen(w, sa, salen, err, errlen);
}

/*
 * After the connections are freed: one may still have one of its own
 * events pending (a raise or a pump, each holding a reference to its
 * bufferevent), and libevent's finalizers run on a turn of the loop.
 * event_base_free() would drop those events without running them and the
 * connections would never be released: run the loop until nothing is
 * active. Not inside any connection's callback: this is the worker's own
 * teardown, after its thread has ended.
 */
static void
worker_settle(struct worker *w)
{
	int	i;

	if (w->base == NULL)
		return;
	for (i = 0; i < 64 && event_base_get_num_events(w->base,
	    EVENT_BASE_COUNT_ACTIVE) > 0; i++)
		event_base_loop(w->base, EVLOOP_NONBLOCK);
}

static void
worker_free(struct worker *w)
{
	if (w->app != NULL)
		w->srv->app->worker_free(w->app);
	w->app = NULL;
	if (w->listener != NULL)
		evconnlistener_free(w->listener);
	if (w->base != NULL)
		conn_free_all(&w->conns);
	if (w->stop_ev != NULL)
		event_free(w->stop_ev);
	if (w->drain_ev != NULL)
		event_free(w->drain_ev);
	if (w->reload_ev != NULL)
		event_free(w->reload_ev);
	if (w->accept_ev != NULL)
		event_free(w->accept_ev);
	if (w->resume_ev != NULL)
		event_free(w->resume_ev);
	if (w->pause_ev != NULL)
		event_free(w->pause_ev);
	tls_files_free(atomic_exchange(&w->reload_files, NULL));
	tls_server_free(w->tls);
	free(w->metrics);
	worker_settle(w);
	if (w->base != NULL)
		event_base_free(w->base);
	memset(w, 0, sizeof *w);
}

/*
 * Workers share the port with SO_REUSEPORT, which would also let a second
 * auditord (or anything else with the option) bind it and take a share of
 * the connections. A bind without the option first finds such a holder.
 */
static int
port_taken(const struct sockaddr *sa, int salen)
{
	int	fd, on = 1, taken;

	if ((sa->sa_family == AF_INET &&
	    ((const struct sockaddr_in *)sa)->sin_port == 0) ||
	    (sa->sa_family == AF_INET6 &&
	    ((const struct sockaddr_in6 *)sa)->sin6_port == 0))
		return 0;
	if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	taken = bind(fd, sa, (socklen_t)salen) == -1 && errno == EADDRINUSE;
	close(fd);
	return taken;
}

/* "listening on HOST:PORT with N workers", with the port the kernel gave. */
static void
server_log_listening(const struct sockaddr_storage *ss, int n)
{
	char	addr[UTIL_HOST_MAX + 8];

	util_sockaddr_str((const struct sockaddr *)ss, addr, sizeof addr);
	log_info("listening on %s with %d workers", addr, n);
}

int
server_start(struct server *srv, int n, char *err, size_t errlen)
{
	const struct config	*c = srv->cfg;
	struct sockaddr_storage	 ss;
	struct tls_files	*files;
	int			 salen = sizeof ss, i;

	memset(&ss, 0, sizeof ss);
	if (srv->nlisten_fds > 1) {
		snprintf(err, errlen, "%d inherited sockets: one only (one "
		    "ListenStream= in auditord.socket)", srv->nlisten_fds);
		return -1;
	}
	/* Inherited sockets are bound already: cfg->listen is not used. */
	if (srv->nlisten_fds == 0 && config_listen_addr(srv->cfg->listen, &ss,
	    &salen) != 0) {
		snprintf(err, errlen, "listen: '%s' is not host:port",
		    srv->cfg->listen);
		return -1;
	}
	if (srv->nlisten_fds == 0 &&
	    port_taken((struct sockaddr *)&ss, salen)) {
		snprintf(err, errlen, "cannot listen on %s: %s", srv->cfg->listen,
		    strerror(EADDRINUSE));
		return -1;
	}
	/* Read once: every worker parses the same bytes. */
	if ((files = tls_files_read(c->cert, c->key, c->ca, c->crl, err,
	    errlen)) == NULL)
		return -1;
	if ((srv->workers = calloc((size_t)n, sizeof *srv->workers)) == NULL ||
	    peers_init(&srv->peers, c->max_connections,
	    c->max_per_address) != 0) {
		free(srv->workers);
		srv->workers = NULL;
		tls_files_free(files);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	srv->nworkers = n;
	atomic_store(&srv->nconns, 0);
	for (i = 0; i < n; i++) {
		struct worker *w = &srv->workers[i];
		w->id = i;
		w->srv = srv;
		if (worker_init(w, (struct sockaddr *)&ss, salen, files, err,
		    errlen) != 0)
			goto fail;
		/* Port 0: the first worker's port is everyone's. */
		if (i == 0) {
			salen = sizeof ss;
			getsockname(evconnlistener_get_fd(w->listener),
			    (struct sockaddr *)&ss, (socklen_t *)&salen);
		}
	}
	log_info("TLS material: %s", tls_files_summary(files));
	note_files(srv, files);
	srv->started = (int64_t)time(NULL);
	tls_files_free(files);
	files = NULL;
	for (i = 0; i < n; i++) {
		if (pthread_create(&srv->workers[i].thread, NULL, worker_main,
		    &srv->workers[i]) != 0) {
			snprintf(err, errlen, "cannot start worker threads");
			/* Stops the started ones; frees every worker. */
			server_stop(srv);
			server_free(srv);
			return -1;
		}
		srv->workers[i].started = 1;
	}
	server_log_listening(&ss, n);
	return 0;
fail:
	tls_files_free(files);
	for (i = 0; i < n; i++) {
		if (srv->workers[i].rtxn != NULL)
			mdb_txn_abort(srv->workers[i].rtxn);
		worker_free(&srv->workers[i]);
	}
	free(srv->workers);
	srv->workers = NULL;
	srv->nworkers = 0;
	peers_free(&srv->peers);
	return -1;
}

int
server_reload(struct server *srv)
{
	const struct config	*c = srv->cfg;
	struct tls_files	*f;
	char			 err[256];
	int			 i;

	if ((f = tls_files_read(c->cert, c->key, c->ca, c->crl, err,
	    sizeof err)) == NULL) {
		log_warnx("TLS reload failed, every worker keeps the old "
		    "material: %s", err);
		/* The limits changed already: connections read them. */
		return -1;
	}
	log_info("reloaded TLS material: %s", tls_files_summary(f));
	note_files(srv, f);
	for (i = 0; i < srv->nworkers; i++) {
		struct worker *w = &srv->workers[i];
		/* A reload the worker has not taken yet is replaced. */
		tls_files_free(atomic_exchange(&w->reload_files,
		    tls_files_ref(f)));
		event_active(w->reload_ev, 0, 0);
	}
	tls_files_free(f);
	return 0;
}

void
server_metrics(struct server *srv, struct metrics *out)
{
	struct metrics	*ms[64];
	int		 i, n = 0;

	for (i = 0; i < srv->nworkers; i++) {
		ms[n++] = srv->workers[i].metrics;
		if (n == (int)(sizeof ms / sizeof ms[0])) {
			metrics_sum(out, ms, (size_t)n);
			n = 0;
		}
	}
	metrics_sum(out, ms, (size_t)n);
}

void
server_stop(struct server *srv)
{
	int	i;

	atomic_store(&srv->stopping, 1);
	for (i = 0; i < srv->nworkers; i++)
		if (srv->workers[i].started)
			event_active(srv->workers[i].stop_ev, 0, 0);
	for (i = 0; i < srv->nworkers; i++)
		if (srv->workers[i].started)
			pthread_join(srv->workers[i].thread, NULL);
	/*
	 * Offloaded jobs hold read transactions of their own and wake their
	 * worker when done (server_free delivers those answers): let them end.
	 */
	while (atomic_load(&srv->njobs) > 0)
		usleep(1000);
	/* Read transactions must end before the store closes. */
	for (i = 0; i < srv->nworkers; i++) {
		if (srv->workers[i].rtxn != NULL)
			mdb_txn_abort(srv->workers[i].rtxn);
		srv->workers[i].rtxn = NULL;
	}
}

void
server_free(struct server *srv)
{
	int	i;

	for (i = 0; i < srv->nworkers; i++) {
		int k;
		/*
		 * Deliver the answers of changes the writer finished: the done
		 * callback, then the TLS pump and the socket write, each a
		 * turn of the loop.
		 */
		for (k = 0; k < 8; k++)
			event_base_loop(srv->workers[i].base, EVLOOP_NONBLOCK);
		worker_free(&srv->workers[i]);
	}
	free(srv->workers);
	srv->workers = NULL;
	srv->nworkers = 0;
	peers_free(&srv->peers);
}
