/*
 * worker.h: the server's threads. Each worker has its own event_base,
 * listener on the one shared port (SO_REUSEPORT), connections (conn.h),
 * TLS contexts and LMDB read transaction; they share the store (and its
 * writer thread), the TLS session-ticket keys and the connection counts.
 */
#ifndef WORKER_H
#define WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <lmdb.h>

#include "server/conn.h"
#include "server/peers.h"

struct config;
struct metrics;
struct req;
struct worker;
struct store;
struct tls_files;
struct tls_shared;
struct tls_server;

/*
 * What the layer above gives the server at start-up: the server knows
 * nothing of routes, principals or records. worker_new makes that layer's
 * per-worker state (stored in worker->app; NULL is a failure) and
 * worker_free releases it after the worker's loop has ended. dispatch
 * takes every request whose framing, path and query passed the server's
 * checks, on the worker's thread, and must answer it, at once or later.
 */
struct server_app {
	void		*(*worker_new)(struct worker *);
	void		 (*worker_free)(void *);
	void		 (*dispatch)(struct req *);
};

struct server {
	const struct server_app	*app;
	struct config		*cfg;
	struct store		*store;
	struct tls_shared	*tls;
	/*
	 * Sockets already bound and listening (socket activation), the
	 * caller's: each worker listens on a duplicate, cfg->listen is not
	 * bound. NULL or 0: bind cfg->listen. At most one.
	 */
	const int		*listen_fds;
	int			 nlisten_fds;
	struct worker		*workers;
	int			 nworkers;
	atomic_int		 nconns;	/* open connections, all workers */
	struct peers		 peers;		/* open connections per address */
	atomic_int		 stopping;	/* server_stop() has begun */
	atomic_int		 njobs;		/* http_offload jobs running */
	int64_t			 started;	/* time(NULL) at server_start */
	/* The TLS material in use (tls_files_times), for /metrics. */
	_Atomic int64_t		 cert_expires;
	_Atomic int64_t		 crl_next_update;
};

struct worker {
	int			 id;
	struct server		*srv;
	pthread_t		 thread;
	int			 started;	/* thread is running */
	struct event_base	*base;
	struct evconnlistener	*listener;
	struct conn_list	 conns;
	struct tls_server	*tls;
	/* New TLS material from server_reload(), taken by reload_cb. */
	_Atomic(struct tls_files *) reload_files;
	MDB_txn			*rtxn;		/* reset between requests */
	void			*app;		/* server_app's per-worker state */
	struct metrics		*metrics;	/* written by this thread only */
	struct event		*stop_ev;
	struct event		*drain_ev;	/* stopping: are all gone? */
	uint64_t		 drain_until;	/* util_now_us() deadline */
	struct event		*reload_ev;
	struct event		*accept_ev;	/* re-enables accept after back-off */
	struct event		*resume_ev;	/* woken when below the cap again */
	struct event		*pause_ev;	/* woken when another hit the cap */
	int			 paused;	/* listener off: cap or EMFILE */
};

/*
 * Make n workers bound to cfg->listen (each its own socket on the same
 * port), or listening on srv->listen_fds. Returns 0, or -1 with a message
 * in err; on failure nothing is left running.
 */
int	server_start(struct server *, int n, char *err, size_t errlen);

/*
 * SIGHUP: read and check the TLS files once, on the calling thread, and log
 * the outcome once; then every worker parses those same bytes into its own
 * contexts, on its own thread. A file that fails the check leaves every
 * worker with the material it has. Either way each worker takes cfg's
 * body and header limits for the connections it accepts from then on.
 * Returns 0, or -1 if the old material stays.
 */
int	server_reload(struct server *);

/*
 * Stop accepting and join every worker thread, ending their read
 * transactions. Then close the store (which finishes queued changes) and
 * call server_free(), which delivers those answers and frees the workers.
 */
void	server_stop(struct server *);

/* Every worker's counters added into out (zeroed by the caller). */
void	server_metrics(struct server *, struct metrics *out);
void	server_free(struct server *);

/*
 * A connection's TLS state was freed (the on_free of tls_server_bev; arg
 * is the struct worker): uncount it from the global cap.
 */
void	worker_conn_gone(void *arg);

#endif
