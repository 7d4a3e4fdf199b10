/*
 * http.h: one request's life in auditord, from evhttp's callback to the
 * reply: framing checks, routing, authentication, the handler, and the
 * problem+json answers every error takes.
 *
 * A struct req lives from http_handle() until its reply is sent. A handler
 * either replies before it returns (reads), or hands a change to the store's
 * writer with http_submit() and replies from its completion callback, which
 * runs on the same worker thread once the change's batch committed.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <lmdb.h>

#include "store/store.h"
#include "util.h"

struct worker;
struct route;

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN,
	ROLE_MANAGER,
	ROLE_HR,
	ROLE_AUDITOR,
	ROLE_VIEWER
};

/* What a role may do to an object: nothing, its own records, or all. */
enum scope {
	SCOPE_DENY = 0,
	SCOPE_OWN,
	SCOPE_ALL
};

struct principal {
	char		id[ID_MAX + 1];
	enum role	role;
	char		auditor[ID_MAX + 1];	/* "" unless role auditor */
};

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

struct req {
	struct evhttp_request	*ev;
	struct worker		*worker;
	const struct route	*route;
	char			 params[REQ_MAXPARAMS][ID_MAX + 1];
	struct evkeyvalq	 query;
	struct principal	 who;		/* empty for open routes */
	enum scope		 scope;
	json_t			*body;		/* parsed JSON body or NULL */
	struct if_match		 if_match;

	/*
	 * The worker's read transaction, renewed for this request. Valid only
	 * while the handler runs: anything kept must be copied out.
	 */
	MDB_txn			*txn;

	/* A change in flight (http_submit). */
	struct store_change	 change;
	struct event		*done;
	void			(*complete)(struct req *, int rc);
	void			*wctx;
	void			(*wctx_free)(void *);
	int			 pending;
};

/* evhttp's generic callback; arg is the struct worker. */
void	http_handle(struct evhttp_request *, void *);

/*
 * Hand apply(txn, ctx) to the writer. complete(req, rc) runs on this worker
 * when it is done and must reply. ctx is freed with ctx_free after that (or
 * at once if the submit fails, which answers 503 itself).
 */
void	http_submit(struct req *, int (*apply)(struct store_txn *, void *),
	    void *ctx, void (*ctx_free)(void *),
	    void (*complete)(struct req *, int));

/* Replies. Each sends exactly one answer and may be called once per req. */
void	http_reply(struct req *, int status, const char *ctype,
	    const void *body, size_t len);
/* The contents of body (drained; the caller still frees body). */
void	http_reply_buffer(struct req *, int status, const char *ctype,
	    struct evbuffer *body);
/* body (taken: its reference is released) as compact JSON. */
void	http_reply_json_take(struct req *, int status, json_t *body);
/* Stored record bytes with ETag "rev" and, for 201, Location. */
void	http_reply_record(struct req *, int status, const char *coll,
	    const char *id, const char *doc, size_t len);
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

/* The one map from a store result to its HTTP answer. */
void	http_store_error(struct req *, int rc, const struct store_err *);

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

#endif
