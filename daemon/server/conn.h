/*
 * conn.h: one client connection of the server: a state machine over the
 * TLS bufferevent (common/tls.h) that reads a request head, its body,
 * dispatches it, writes the answer, and then keeps the connection for the
 * next request or closes it. conn_drive() in conn.c is the one function
 * that changes a connection's state.
 */
#ifndef CONN_H
#define CONN_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <stdint.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "server/h1.h"
#include "server/http.h"

struct worker;

/*
 *   HEAD    reading a request head (also: idle between requests)
 *   BODY    reading its body
 *   BUSY    dispatched: the handler, the writer or a job has the request
 *   FLUSH   the last answer is queued: close once it has left
 *   LINGER  after a framing error's answer left: close_notify sent and
 *           the sending side shut, input that still comes is dropped for
 *           up to CONN_LINGER_S, so that the client reads the answer
 *           rather than a reset (closing with unread input sends one)
 *   CLOSED  the socket is gone; freed once no request is in flight
 */
enum conn_state {
	CONN_HEAD,
	CONN_BODY,
	CONN_BUSY,
	CONN_FLUSH,
	CONN_LINGER,
	CONN_CLOSED
};

#define CONN_LINGER_S	2

#define CONN_HDRS_MAX	1024	/* headers a handler adds to one answer */

/*
 * Owned by its worker (the worker's list), freed by conn_drive once it is
 * CLOSED with no request in flight, or by conn_free_all at shutdown.
 */
struct conn {
	enum conn_state		 state;
	struct worker		*w;
	struct bufferevent	*bev;		/* the TLS filter; NULL: closed */
	struct event		*timer;		/* the current deadline */
	struct event		*resume;	/* go on after an answer */
	struct h1		 h1;
	struct req		 req;
	char			*qbuf;		/* decoded query, max_line bytes */
	char			 hdrs[CONN_HDRS_MAX];	/* added by handlers */
	size_t			 hdrs_len;
	int			 hdrs_full;	/* one did not fit: answer 500 */
	int			 driving;	/* inside conn_drive */
	int			 inflight;	/* a request not ended yet */
	int			 linger;	/* input may be left unread */
	int			 paused;	/* reading off: input is full */
	struct sockaddr_storage	 peer;
	uint64_t		 started_us;	/* this request's first byte */
	unsigned		 nreq;		/* requests on this connection */
	TAILQ_ENTRY(conn)	 link;
};

TAILQ_HEAD(conn_list, conn);

/*
 * A new connection on accepted socket fd from peer, on worker w's
 * thread. Takes fd (closed on failure). Returns 0, or -1 when it could not
 * be set up (the socket is closed, and uncounted).
 */
int	conn_new(struct worker *w, int fd, const struct sockaddr *peer,
	    int peerlen);

/*
 * The same over any bufferevent (taken; freed on failure), with no TLS
 * and no global count: for the fuzz harness, which drives connections
 * over bufferevent pairs. Counted per address like conn_new's.
 */
int	conn_new_bev(struct worker *w, struct bufferevent *bev,
	    const struct sockaddr *peer, int peerlen);

/* A reply for c's current request was queued (reply.c). */
void	conn_answered(struct conn *);

/*
 * Stopping: close every connection of the list with no request in flight
 * (one still arriving is dropped); one in flight answers with Connection:
 * close, and closes once its answer has left, as does one whose last
 * answer is still leaving.
 */
void	conn_drain(struct conn_list *);

/* Free every connection of a worker's list (shutdown). */
void	conn_free_all(struct conn_list *);

#endif
