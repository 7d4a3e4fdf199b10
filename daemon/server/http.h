/*
 * http.h: the server's side of one request: the struct req handed to the
 * layer above (the server_app's dispatch, see worker.h), its parameters,
 * headers and body, and the replies, problem+json for every error. Nothing
 * here knows of routes, principals or records: the layer above decides
 * those. Framing is the parser's (h1.h), connections are conn.c's.
 *
 * A struct req is valid from http_dispatch() until its reply is sent. Its
 * dispatcher either replies before it returns (reads), or hands work on
 * with http_submit() (a change for the store's writer) or http_offload()
 * (a job on a thread of its own) and replies from the completion callback,
 * which runs on the same worker thread once the work is done.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>	/* enum evhttp_cmd_type only */
#include <jansson.h>
#include <lmdb.h>

#include "store/store.h"
#include "util.h"

struct conn;
struct worker;

#define REQ_MAXPARAMS	2
#define REQ_MAXTAGS	8

/*
 * An If-Match condition: set is 0 when there is none (no header, or "*").
 * Otherwise the record's rev must be one of revs; weak tags (W/"3") never
 * match under strong comparison, so a header of only weak tags has n = 0.
 */
struct if_match {
	int		set;
	int		n;
	int64_t		revs[REQ_MAXTAGS];
};

/* 1 if a record at rev meets the condition. */
int	http_if_match(const struct if_match *, int64_t rev);

/* One query parameter, decoded ('+' and %XX), NUL-terminated. */
struct req_param {
	const char	*key;
	const char	*value;
};

#define REQ_MAXQUERY	32	/* query parameters; more is 400 */

/*
 * One request as the server hands it to the layer above (server_app's
 * dispatch). The server fills conn, worker, method, path, query and txn;
 * the dispatcher fills params (from its routes), who (for the log and the
 * change log) and, through http_parse_body and http_parse_if_match, body
 * and if_match. A req lives in its connection and is reused by the next
 * request on it: nothing in it outlives the answer.
 */
struct req {
	struct conn		*conn;
	struct worker		*worker;
	enum evhttp_cmd_type	 method;
	const char		*path;		/* clean absolute path, no query */
	const char		*query_raw;	/* as sent after '?', or NULL */
	char			 params[REQ_MAXPARAMS][ID_MAX + 1];
	struct req_param	 query[REQ_MAXQUERY];
	int			 nquery;
	char			 who[ID_MAX + 1];	/* principal id or "" */
	json_t			*body;		/* parsed JSON body or NULL */
	unsigned		 route;		/* the dispatcher's route id, for
						   metrics (0: none) */
	struct if_match		 if_match;

	/*
	 * The worker's read transaction, renewed for this request. Valid only
	 * while dispatch runs: anything kept must be copied out.
	 */
	MDB_txn			*txn;

	/* A change or a job in flight (http_submit, http_offload). */
	struct store_change	 change;
	struct event		*done;		/* the connection's; reused */
	void			(*complete)(struct req *, int rc);
	void			*wctx;
	void			(*wctx_free)(void *);
	int			 pending;
	int			(*job)(void *);

	/* The answer, for the log line written when it is finished. */
	int			 status;	/* 0 until answered */
	int			 close;		/* Connection: close */
	size_t			 bytes_out;	/* head and body */
};

/*
 * Everything the server checks before the layer above sees a request
 * that the parser (h1.h) took whole, then dispatch. The connection
 * (conn.c) calls it; the req is answered at once or later.
 */
void	http_dispatch(struct req *);

/* Release what a finished request holds (body, work context). */
void	http_req_clear(struct req *);

/*
 * A request header's value (case-insensitive name, the first if there
 * are several), or NULL. Valid until the answer is sent.
 */
const char *http_header(struct req *, const char *name);

/*
 * SHA-256 of the client certificate of the request's connection: 0, or
 * -1 when there is none (or the connection is gone).
 */
int	http_peer_sha256(struct req *, unsigned char out[32]);

/*
 * The request's JSON body into r->body (NULL when there is none), after the
 * dispatcher has decided the caller may make the request: a body is parsed
 * only for POST, PUT and PATCH, and must be application/json (or
 * merge-patch+json). Returns 0, or -1 after answering 400 or 415.
 */
int	http_parse_body(struct req *);

/* If-Match into r->if_match. Returns 0, or -1 after answering 400. */
int	http_parse_if_match(struct req *);

/*
 * Parse an If-Match value (NULL: no header) into m: "*", or a list of
 * entity-tags ("3", W/"3"); a bare 3 is taken as "3" for hand-typed
 * requests. Returns 0, or -1 when malformed (m is then unspecified).
 */
int	http_if_match_parse(const char *value, struct if_match *m);

/*
 * For a route that reads its body itself: the body's bytes in *data and
 * *len (*data points into the request, valid until the reply; NULL and 0
 * for an empty body), when the request's Content-Type is ctype (parameters
 * after ';' allowed). Returns 0, or -1 after answering 415 (another type,
 * or none) or 500.
 */
int	http_body_raw(struct req *, const char *ctype, const char **data,
	    size_t *len);

/* The request's body taken from r (the caller owns the reference). */
json_t	*http_body_take(struct req *);

/*
 * Run job(ctx) on a thread of its own, off the worker's event loop, for
 * work that may scan the whole store; complete(req, rc) runs on this
 * worker with job's return and must reply. ctx is freed with ctx_free after
 * that. At most HTTP_JOBS_MAX jobs run at once; more answer 503.
 */
#define HTTP_JOBS_MAX	4
void	http_offload(struct req *, int (*job)(void *), void *ctx,
	    void (*ctx_free)(void *), void (*complete)(struct req *, int));

/*
 * Hand apply(txn, ctx) to the writer. complete(req, rc) runs on this worker
 * when it is done and must reply. ctx is freed with ctx_free after that (or
 * at once if the submit fails, which answers 503 itself). An offloaded
 * job's complete may call it to hand its result to the writer, after
 * setting r->wctx to NULL so that the job's ctx is not freed twice.
 */
void	http_submit(struct req *, int (*apply)(struct store_txn *, void *),
	    void *ctx, void (*ctx_free)(void *),
	    void (*complete)(struct req *, int));

/*
 * From http_submit's complete callback only: queue the same change (apply
 * and ctx as given to http_submit) once more, instead of replying; complete
 * runs again when it is done. Work that is too big for one change (an
 * import) goes to the writer in steps this way, so it never holds the
 * writer for long. Returns 0, or -1 after answering 503 (also once the
 * server is stopping) or 500 (complete will then not run again).
 */
int	http_resubmit(struct req *);

/*
 * 1 once the server is stopping: work that goes on in steps (http_resubmit)
 * must answer instead of taking another step, as the store closes.
 */
int	http_stopping(struct req *);

/*
 * Add a header to the answer r will send (before replying). name and
 * value are copied; "Connection: close" closes after the answer.
 */
void	http_header_add(struct req *, const char *name, const char *value);

/* Replies. Each sends exactly one answer and may be called once per req. */
void	http_reply(struct req *, int status, const char *ctype,
	    const void *body, size_t len);
/* The contents of body (drained; the caller still frees body). */
void	http_reply_buffer(struct req *, int status, const char *ctype,
	    struct evbuffer *body);
/* body (taken: its reference is released) as compact JSON. */
void	http_reply_json_take(struct req *, int status, json_t *body);
/*
 * Stored record bytes with ETag "rev" and, for 201, Location
 * /v1/coll/id. rev 0: read it from the bytes.
 */
void	http_reply_record(struct req *, int status, const char *coll,
	    const char *id, int64_t rev, const char *doc, size_t len);
void	http_reply_empty(struct req *, int status);

/*
 * problem+json: type urn:auditord:problem:SLUG, the status's title, detail
 * from fmt. errors (taken; may be NULL) is the array of {path, message}.
 */
void	http_problem(struct req *, int status, const char *slug,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	http_problem_errors(struct req *, int status, const char *slug,
	    json_t *errors, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* The same with members (an object, taken) added: {"verdict": ...}. */
void	http_problem_with(struct req *, int status, const char *slug,
	    json_t *members, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* A query parameter's value or NULL. */
const char *http_query(struct req *, const char *key);

/*
 * 0 if every query key is in allowed (NULL-terminated); otherwise answers
 * 400 naming the first unknown key and returns -1.
 */
int	http_query_check(struct req *, const char *const *allowed);

/* limit (1..1000, default 100); -1 after answering 400. */
int	http_limit(struct req *, size_t *limit);

/* limit and after (a record id or NULL); -1 after answering 400. */
int	http_page(struct req *, size_t *limit, const char **after);

/* The top-level integer "rev" of canonical record bytes; 0 if absent. */
int64_t	http_doc_rev(const char *doc, size_t len);

/* 1 if the request came from a loopback address (127/8, ::1). */
int	http_peer_loopback(struct req *);

/* The method's name ("GET"), or NULL. */
const char *http_method_name(enum evhttp_cmd_type);

#endif
