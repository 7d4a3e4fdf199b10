/*
 * resource.h: the resource table (the tmux cmd_entry idea). Each API
 * resource is one const struct resource: its collection, schema, owner
 * field, filters, references, unique indexes, grants per role, which
 * standard verbs it has, its extra routes and a hook for derived rows.
 * router.c collects the entries in one list and builds every route from
 * them; auth.c and api.c decide who may call a route from the entry alone.
 *
 * Adding a resource is a schema, an entry and a line in router.c's list
 * (docs/architecture.md, "Adding a resource").
 */
#ifndef RESOURCE_H
#define RESOURCE_H

#include <event2/http.h>
#include <jansson.h>

#include "server/http.h"
#include "store/store.h"

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN,
	ROLE_MANAGER,
	ROLE_HR,
	ROLE_AUDITOR,
	ROLE_VIEWER,
	ROLE_COUNT
};

/*
 * What a role may do on a route: nothing, the records of its own auditor,
 * or everything. SCOPE_UNSET is what a forgotten grant reads as: the
 * router refuses to start with one (router_init), so no route can exist
 * without a decision for every role.
 */
enum scope {
	SCOPE_UNSET = 0,
	SCOPE_DENY,
	SCOPE_OWN,
	SCOPE_ALL
};

enum access {
	ACCESS_OPEN = 0,	/* no principal needed: any CA-signed cert */
	ACCESS_READ,
	ACCESS_WRITE
};

/*
 * How a route's records map to the auditor that owns them, for role
 * auditor's own scope. api.c and view.c apply it for every route, so a
 * handler cannot forget it:
 *   OWNER_RECORD: each record names its auditor in the resource's owner
 *     field; handlers read and write only through view.c and records.c,
 *     which hide other auditors' records (404, never 403).
 *   OWNER_CALLER: the route is about the caller (/v1/me): handlers read
 *     through view.c too, so the caller's own records are all it shows.
 *   OWNER_PARAM: the route's first {id} is an auditor id; any other
 *     auditor's is answered 404 before the handler runs.
 */
enum owner {
	OWNER_RECORD = 0,
	OWNER_CALLER,
	OWNER_PARAM
};

/* The scope of each role (indexed by enum role) for reads and writes. */
struct grants {
	enum scope	read[ROLE_COUNT];
	enum scope	write[ROLE_COUNT];
};

/* A grant row written out in the order admin, manager, hr, auditor, viewer. */
#define SCOPES(admin, manager, hr, auditor, viewer)			\
	{ SCOPE_UNSET, SCOPE_##admin, SCOPE_##manager, SCOPE_##hr,	\
	  SCOPE_##auditor, SCOPE_##viewer }

/* Who is calling: the principal its certificate maps to. */
struct principal {
	char		id[ID_MAX + 1];
	enum role	role;
	char		auditor[ID_MAX + 1];	/* "" unless role auditor */
};

struct resource;
struct route;

/*
 * A change a resource's gate refused (409 and the like): the answer's
 * status, problem slug, detail and extra members (taken; may be NULL).
 */
struct refusal {
	int		 status;	/* 0: none */
	char		 slug[32];
	char		 detail[512];
	json_t		*members;
};

/*
 * What a resource's prepare hook knows of one change, on the writer thread.
 * It fills defaults and checks rules the schema cannot say: a rule broken
 * by the document goes into errors as {path, message} (422); a change the
 * caller may not make at all sets forbidden (403, nothing changes).
 */
struct prep {
	const json_t		*old;		/* NULL on create */
	const struct principal	*who;		/* who makes the change */
	enum scope		 scope;
	const char		*today;		/* YYYY-MM-DD, UTC */
	json_t			*errors;
	char			 forbidden[256];
	/*
	 * The gate's: the id of a record of the same resource the change
	 * made besides its own (ID_MAX + 1 bytes; "": none), which the
	 * answer names in a Link header (rel="related").
	 */
	char			*made;
};

/* Append {path, message} to p->errors. */
void	prep_error(struct prep *, const char *path, const char *message);

/*
 * One call of a route, as its handler sees it. Lives on the dispatcher's
 * stack for as long as the handler runs: work that outlives the handler
 * (a change, a job) copies what it needs.
 */
struct call {
	struct req		*req;
	const struct resource	*res;
	const struct route	*route;
	struct principal	 who;		/* empty on open routes */
	enum scope		 scope;		/* SCOPE_ALL on open routes */
	struct store		*store;
};

/*
 * A route. path is relative to /v1/<resource name>: "" is the collection
 * itself, "{id}/retire" one below a record; a path starting with '/' is
 * absolute ("/livez"). {name} segments match one record id each.
 */
struct route {
	enum evhttp_cmd_type	 method;
	const char		*path;
	enum access		 access;
	enum owner		 owner;
	void			(*handler)(struct call *);
	const struct grants	*grants;	/* NULL: the resource's */
};

/* The standard verbs a resource may have (records.c's handlers). */
#define VERB_LIST	0x01	/* GET    /v1/<name> */
#define VERB_CREATE	0x02	/* POST   /v1/<name> */
#define VERB_GET	0x04	/* GET    /v1/<name>/{id} */
#define VERB_REPLACE	0x08	/* PUT    /v1/<name>/{id} */
#define VERB_PATCH	0x10	/* PATCH  /v1/<name>/{id} */
#define VERB_DELETE	0x20	/* DELETE /v1/<name>/{id} */
#define VERB_EXPORT	0x40	/* GET    /v1/export/<name> (NDJSON) */
#define VERBS_ALL	0x7f

struct resource {
	const char			*name;	/* URL segment, store db */
	const char			*schema; /* built-in type; NULL: no records */
	/*
	 * The field naming the auditor a record belongs to ("id" for
	 * auditors), for role auditor's own scope; NULL: none.
	 */
	const char			*owner;
	const struct store_ref		*refs;
	size_t				 nrefs;
	const struct store_unique	*uniques;
	size_t				 nuniques;
	struct grants			 grants;
	unsigned			 verbs;	/* VERB_* */
	const struct route		*routes; /* extra routes */
	size_t				 nroutes;
	/*
	 * The date field that ?from= and ?to= bound (both days included);
	 * NULL: the resource takes neither.
	 */
	const char			*date;
	/*
	 * 1: the handlers of its routes read their bodies themselves
	 * (http_body_raw; an NDJSON import), so the dispatcher parses none;
	 * 0: JSON bodies, parsed by the dispatcher.
	 */
	int				 raw_body;
	/*
	 * A field the store keeps (for a unique index) that no answer may
	 * show and no import may set: a token's digest. The resource's own
	 * handlers strip it; POST /v1/import refuses the collection. NULL:
	 * none.
	 */
	const char			*secret;
	/*
	 * Before validation, on the writer thread (see struct prep). doc is
	 * NULL for a delete, which prepare may only forbid. NULL: nothing to
	 * do.
	 */
	void				(*prepare)(json_t *doc, struct prep *);
	/*
	 * After a record was stored or deleted, in the same transaction:
	 * keep the resource's derived rows (store_txn_aux_*) in step. old is
	 * the record before (NULL on create), doc after (NULL on delete).
	 * A non-zero store result undoes the whole change.
	 */
	int				(*derive)(struct store_txn *,
					    const char *id, const json_t *old,
					    const json_t *doc);
	/*
	 * For a resource whose records name no owner but are shared with
	 * some auditors (an audit with its team): 1 if auditor shares record
	 * id. Own scope then reads such records (never writes them). NULL:
	 * own scope needs the owner field.
	 */
	int				(*member)(struct store *, MDB_txn *,
					    const char *auditor,
					    const char *id);
	/*
	 * For a resource whose records are shared through another record
	 * (a finding with its audit's team, an action with its finding's):
	 * the reference field (one of refs, a top-level id) naming that
	 * record. Own scope sees a record when it may see the one via names
	 * (its owner, member hook or via in turn), in gets, lists and
	 * exports alike; records.c keeps a "via" row per record (coll \0 id
	 * -> the field's value) so that no list parses a document. Own scope
	 * writes (where the grants allow) only a record it may see, whose
	 * via record it may see, and whose owner field (if any) names the
	 * caller's auditor. NULL: none.
	 */
	const char			*via;
	/*
	 * After the document validated and before it is stored, in the same
	 * transaction: a rule that needs the store, such as the team check
	 * a confirmation runs. It may change doc (the store validated it
	 * already: only server-set fields). Returns STORE_OK to go on;
	 * anything else drops the change, answered from ref when it has a
	 * status. NULL: none.
	 */
	int				(*gate)(struct store_txn *,
					    const char *id, const json_t *old,
					    json_t *doc, const struct prep *,
					    struct refusal *ref);
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

#endif
