/*
 * store.h: the record store: one LMDB environment, documents kept as their
 * canonical JSON bytes, a revision per record, reference and unique indexes,
 * and the SHA-256 hash chain of change events, all changed in one
 * transaction.
 *
 * Reads: any thread, in a read transaction it owns (store_read_begin, or a
 * worker's txn kept with mdb_txn_reset/mdb_txn_renew; the env is opened with
 * MDB_NOTLS). Bytes returned by store_get/store_list point into the map and
 * stay valid only until the transaction ends or is reset: copy them first.
 *
 * Writes: only the writer thread changes the store. A caller describes its
 * change as a function run inside the writer's transaction (struct
 * store_change) and submits it; the writer runs the queued changes of a
 * batch each in a nested transaction (a failed change leaves nothing), then
 * commits the batch once (one fsync) and only then reports every change of
 * the batch as done. A change is reported successful only if that commit
 * returned 0.
 *
 * Full: the map is never grown. A change that needs more room than the map
 * has answers STORE_FULL and leaves nothing; so does every change of a batch
 * whose commit ran out of room.
 *
 * The key layout of every database is described at the top of store.c.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <lmdb.h>

#define STORE_REV_CREATE	(-1)
#define STORE_REV_ANY		0

struct event;
struct store;
struct store_txn;

/* Result codes: 0 is success. store_strerror() names each. */
enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such record (404) */
	STORE_EXISTS,		/* create of an id that exists (409) */
	STORE_STALE,		/* expected rev differs (412) */
	STORE_REFERENCED,	/* delete of a referenced record (409) */
	STORE_BADREF,		/* a reference to a missing record (422) */
	STORE_DUPLICATE,	/* a unique index value is taken (409) */
	STORE_INVALID,		/* the change was refused by its own check */
	STORE_FULL,		/* the map is full (507) */
	STORE_BUSY,		/* too many changes queued (503) */
	STORE_IO		/* any other LMDB or system error (500) */
};
const char	*store_strerror(int rc);

/*
 * What a failed store call says about the input, for problem+json: path is
 * a JSON Pointer into the document ("" when it is about the whole record).
 */
struct store_err {
	char	path[128];
	char	message[256];
};

/*
 * A reference from a field of one collection's documents to records of
 * another. field is a top-level key; when sub is not NULL the field is an
 * array of objects and sub names the key in each element that holds the id;
 * when array is 1 (and sub is NULL) the field is an array of ids. Null and
 * absent fields reference nothing.
 */
struct store_ref {
	const char	*field;
	const char	*sub;
	int		 array;
	const char	*target;	/* collection referenced */
};

/*
 * A unique index: no two records of the collection may share a value of
 * field (a string, or each string of an array field when array is 1).
 * Looked up with store_index_get().
 */
struct store_unique {
	const char	*field;
	int		 array;
};

/* One collection, declared once at open; the table outlives the store. */
struct store_coll {
	const char			*name;	/* also the LMDB database name */
	const struct store_ref		*refs;
	size_t				 nrefs;
	const struct store_unique	*uniques;
	size_t				 nuniques;
};

/*
 * Open (creating if needed) the environment in the directory path with the
 * given map size in bytes and the collections of colls (terminated by an
 * entry with name NULL). Starts the writer thread. Runs mdb_reader_check.
 * Returns NULL and a message in err on failure.
 *
 * path is made 0700 when missing (its parent must exist; an existing
 * directory keeps its mode); the data files are 0600. Open an environment
 * once per process (LMDB's rule). map_size 0 keeps the environment's size
 * (LMDB's 10 MiB for a new one); a size below what the data already uses
 * is raised to it. Collection names must be 1..64 bytes without '/' and
 * may not start with '_'; unique field names at most 64 bytes; every
 * reference target must be a collection of colls. The caller keeps colls
 * alive until store_free().
 */
struct store	*store_open(const char *path, size_t map_size,
		    const struct store_coll *colls, char *err, size_t errlen);

/*
 * Stop the writer (after finishing what is queued) and close. NULL: no-op.
 * Every read transaction must have ended. Submits racing with it answer
 * STORE_BUSY.
 */
void		 store_free(struct store *);

/* The environment, owned by the store (for backups and tests). */
MDB_env		*store_env(struct store *);

/* How many batches the writer ran and how many changes they held. */
void		 store_stats(struct store *, uint64_t *batches,
		    uint64_t *changes);

/* 1 if the store was created by this store_open() (so seeds are due). */
int		 store_fresh(struct store *);

/* ---- reads ------------------------------------------------------------- */

/*
 * A read-only transaction the caller ends with mdb_txn_abort() or resets.
 * On failure *txn is NULL. Reads below also work in the writer's txn.
 * An unknown collection name answers STORE_INVALID.
 */
int		 store_read_begin(struct store *, MDB_txn **);

/*
 * The stored canonical bytes of coll/id into doc (pointing into the map;
 * not NUL-terminated: use mv_size). STORE_NOTFOUND if absent (also for an
 * id that is not a valid id).
 */
int		 store_get(struct store *, MDB_txn *, const char *coll,
		    const char *id, MDB_val *doc);

/*
 * Walk coll in id order from the first id greater than after (NULL: from the
 * start). For each record cb is called with its id and bytes; cb returns 1
 * to take the record, 0 to skip it, -1 to stop. The walk stops once limit
 * records were taken; if more records follow the last one taken, its id is
 * copied into next (ID_MAX + 1 bytes), else next is set to "".
 * limit 0 means no limit. When cb stops the walk, next is the last id
 * taken ("" if none was). cb NULL takes every record. after and next may
 * be the same buffer. An after longer than 511 bytes is STORE_INVALID.
 */
int		 store_list(struct store *, MDB_txn *, const char *coll,
		    const char *after, size_t limit,
		    int (*cb)(const char *id, const MDB_val *doc, void *arg),
		    void *arg, char *next);

/*
 * The id of the coll record whose unique index field holds value, copied
 * into id (ID_MAX + 1 bytes). STORE_NOTFOUND if none. Only string values
 * (or strings of an array field) are indexed.
 */
int		 store_index_get(struct store *, MDB_txn *, const char *coll,
		    const char *field, const char *value, char *id);

/*
 * 1 if some record other than coll/id itself references coll/id, else 0
 * (also 0 when the lookup fails).
 */
int		 store_referenced(struct store *, MDB_txn *, const char *coll,
		    const char *id);

/*
 * Events in seq order after seq after (0: from the first), as for
 * store_list: cb gets each event's canonical bytes; next_seq is set to the
 * seq to pass as after for the next page, or 0 when none follow.
 */
int		 store_events(struct store *, MDB_txn *, uint64_t after,
		    size_t limit,
		    int (*cb)(uint64_t seq, const MDB_val *ev, void *arg),
		    void *arg, uint64_t *next_seq);

/*
 * Recompute the hash chain from the first event. Returns STORE_OK and the
 * head (count, hash) when every event's prev and hash hold; otherwise
 * STORE_INVALID with the first bad seq in *bad and why in err.
 *
 * Checked: keys run 1, 2, ... without gaps (a deleted event is the bad
 * seq where the gap starts); each event is canonical JSON whose "seq" is
 * its key, whose "prev" is the previous "hash" (64 '0's for the first)
 * and whose "hash" is the SHA-256 of its canonical JSON without "hash";
 * the last event is the head kept in _meta (truncation: the bad seq is the
 * first missing one). An empty log has count 0 and a head of 64 '0's.
 * On failure count and head describe the good prefix. Any output pointer
 * may be NULL. Other results are read errors (STORE_IO).
 */
int		 store_events_verify(struct store *, MDB_txn *,
		    uint64_t *count, char head[65], uint64_t *bad,
		    struct store_err *err);

/* ---- writes (inside a change, on the writer thread) --------------------- */

/*
 * The current document of coll/id, parsed; the caller owns the reference.
 * STORE_NOTFOUND if absent.
 *
 * Every write function below either does all it says or, when it fails
 * with any result but STORE_FULL or STORE_IO, nothing at all, so apply may
 * go on after such a failure. After STORE_FULL or STORE_IO the transaction
 * is unusable: every later call answers the same and the change fails with
 * it whatever apply returns.
 */
int		 store_txn_get(struct store_txn *, const char *coll,
		    const char *id, json_t **doc);

/*
 * Write doc as coll/id. doc's "id", "rev", "created" and "updated" are set
 * here (the values a caller put there are replaced). expect_rev:
 * STORE_REV_CREATE means create (STORE_EXISTS if the id exists),
 * STORE_REV_ANY means replace whatever revision is there, > 0 means replace
 * only that revision (STORE_STALE if it differs); both replace forms give
 * STORE_NOTFOUND if the record is absent. Checks references (STORE_BADREF)
 * and unique indexes (STORE_DUPLICATE), naming the field in err. Appends an
 * event with action "create" or "update". On success *out (when not NULL)
 * receives a malloc'd copy of the stored bytes, the caller frees it.
 *
 * doc is the caller's; it is changed as said even when the put fails.
 * err (may be NULL) gets a JSON Pointer into doc and a message:
 * BADREF "/auditor", "/areas/2" or "/assessed/0/area" with "unknown
 * auditors id 'x'"; DUPLICATE "/certs/0" with "already mapped to principal
 * 'p'"; an invalid id is STORE_INVALID at "/id". *out is NUL-terminated
 * (outlen does not count the NUL); out and outlen may be NULL.
 */
int		 store_txn_put(struct store_txn *, const char *coll,
		    const char *id, json_t *doc, int64_t expect_rev,
		    char **out, size_t *outlen, struct store_err *err);

/*
 * Delete coll/id (expect_rev as for put, but -1 is not allowed).
 * STORE_REFERENCED if other records point at it (err's message names the
 * first: "referenced by assignments/a1"). Appends a "delete" event whose
 * rev is the revision that was deleted and whose sha256 is null.
 */
int		 store_txn_delete(struct store_txn *, const char *coll,
		    const char *id, int64_t expect_rev, struct store_err *err);

/* The principal the change is made for, as the event records it. */
const char	*store_txn_principal(struct store_txn *);

/* ---- submitting changes ------------------------------------------------- */

struct store_change {
	/*
	 * Runs on the writer thread in a nested transaction. Returns STORE_OK
	 * to keep what it did, anything else to drop it. May keep its own
	 * results in arg.
	 */
	int		 (*apply)(struct store_txn *, void *arg);
	void		*arg;
	char		 principal[64 + 1];	/* who, for events */

	/*
	 * Set by the writer: apply's return (a negative one becomes
	 * STORE_INVALID; STORE_FULL or STORE_IO when an operation of the
	 * change met one, whatever apply returned), or the commit's failure
	 * (STORE_FULL, STORE_IO) when the batch could not be committed.
	 */
	int		 rc;

	/*
	 * When the change is done (committed or failed), the writer calls
	 * event_active(done, 0, 0) so the submitting thread's event loop runs
	 * done's callback. Requires evthread_use_pthreads().
	 */
	struct event	*done;

	struct store_change *next;	/* writer's queue; not for callers */
};

/*
 * Queue a change for the writer. Returns 0, or STORE_BUSY when the queue
 * holds too many changes (4096) or the store is closing (the change is then
 * not queued and done will not fire); STORE_INVALID when apply is NULL or
 * principal is not UTF-8.
 * The change must stay alive until done fires. Batches hold at most 256
 * changes.
 */
int		 store_submit(struct store *, struct store_change *);

/*
 * Run one change through the writer and wait for it (done is ignored).
 * For start-up, bootstrap and tests. Returns the change's rc. Waits for
 * room when the queue is full. Never call it from inside an apply.
 */
int		 store_write(struct store *, int (*apply)(struct store_txn *,
		    void *), void *arg, const char *principal);

#endif
