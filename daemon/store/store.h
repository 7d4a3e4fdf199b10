/*
 * store.h: the record store: one LMDB environment, documents kept as their
 * canonical JSON bytes, a revision per record, reference, unique and field
 * indexes, rows of named aux tables that resource hooks derive, and the
 * SHA-256 hash chain of change events, all changed in one transaction.
 *
 * Reads: any thread, in a read transaction it owns (store_read_begin and
 * store_read_end, or a worker's txn kept with store_read_reset and
 * store_read_renew; the env is opened with MDB_NOTLS). Every open read
 * transaction holds the store's gate as a reader: the writer grows the map
 * only when no read transaction is open in the process (LMDB's rule for
 * mdb_env_set_mapsize), so a read never outlives a request or a job. Bytes returned by store_get/store_list point into the map and
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
 * Readers: every read transaction holds one slot of LMDB's reader table
 * for its life (MDB_NOTLS: per transaction, not per thread). A daemon with
 * W workers needs store_max_readers(W) slots: W (each worker keeps one read
 * transaction) + 1 (the writer thread, and the main thread's start-up reads)
 * + STORE_SCAN_READERS (threads that scan: a backup, a chain verification)
 * + STORE_SPARE_READERS (slack for a reader that is ending while its
 * successor begins). Past that, store_read_begin answers STORE_IO.
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

/*
 * A field index: lists the records of a collection whose field holds a
 * value (store_list_by) without parsing a document. field is a top-level
 * key (1..64 bytes, not "id": a record's id needs no index, store_list_by
 * and store_index_has answer "id" from the record itself); when array is 1
 * each string of an array field is indexed. Only string values are indexed.
 */
struct store_index {
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
	const struct store_index	*indexes;
	size_t				 nindexes;
};

/* The reader slots of store_max_readers() beyond the workers and writer. */
#define STORE_SCAN_READERS	2	/* a backup and a chain verification */
#define STORE_SPARE_READERS	4

/*
 * The reader slots a daemon with workers worker threads needs: workers + 1
 * + STORE_SCAN_READERS + STORE_SPARE_READERS (see "Readers" above). For
 * struct store_opts.max_readers.
 */
unsigned	 store_max_readers(unsigned workers);

/*
 * What store_open() opens. The caller keeps colls, aux and the strings they
 * point to alive until store_free().
 *
 * path: the environment's directory, made 0700 when missing (its parent
 * must exist; an existing directory keeps its mode); the data files are
 * 0600.
 * map_size: bytes; 0 keeps the environment's size (LMDB's 10 MiB for a new
 * one); a size below what the data already uses is raised to it.
 * map_max: bytes the writer may grow the map to while it runs (writer.c,
 * map_grow); at most map_size (or 0): it never grows.
 * max_readers: reader slots (store_max_readers()); 0 keeps LMDB's 126.
 * colls: the collections, terminated by an entry with name NULL. Names must
 * be 1..64 bytes without '/' and may not start with '_'; unique and index
 * field names 1..64 bytes; every reference target must be a collection of
 * colls.
 * aux: NULL, or the names of the aux tables, NULL-terminated: 1..64 bytes
 * without '/', each once. Each is its own database "_aux_<name>".
 */
struct store_opts {
	const char			*path;
	size_t				 map_size;
	size_t				 map_max;
	unsigned			 max_readers;
	const struct store_coll		*colls;
	const char *const		*aux;
	/*
	 * The aux rows' layout, any text (NULL: ""). The store keeps a
	 * signature of it and of the aux names in _meta; when it differs at
	 * open (another layout, another table, or a store from before aux
	 * tables) every aux table is emptied and aux_rebuild derives the rows
	 * again from the documents, in the open's one write transaction
	 * (reads through store_txn_view and store_txn_get, writes through
	 * store_txn_aux_put; it appends no event). A non-zero result fails
	 * the open. aux_rebuild NULL: the aux tables and their signature are
	 * left as they are (a program that cannot derive them must not
	 * empty them).
	 */
	const char			*aux_version;
	int				(*aux_rebuild)(struct store_txn *,
					    void *arg);
	void				*aux_arg;
};

/*
 * Open (creating if needed) the environment that o describes (o itself may
 * go once this returns). Starts the writer thread. Runs mdb_reader_check.
 * Returns the store, owned by the caller until store_free(), or NULL and a
 * message in err on failure. Open an environment once per process (LMDB's
 * rule).
 *
 * The field indexes are checked against the table they were built for (its
 * signature is kept in _meta): when colls declares other indexes, or the
 * store has none yet (a store made before field indexes), they are rebuilt
 * from the documents in one write transaction before this returns, so an
 * upgrade needs no manual step. A map too small for that fails the open.
 */
struct store	*store_open(const struct store_opts *o, char *err,
		    size_t errlen);

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

/*
 * What /metrics shows of the store. Batch sizes and commit times are
 * histograms: counts per bucket (not cumulative), the last bucket past
 * every bound. The map and file sizes are read when this is called.
 */
#define STORE_HIST	12
extern const uint32_t	store_batch_bounds[STORE_HIST - 1];
extern const uint32_t	store_commit_bounds_us[STORE_HIST - 1];
struct store_metrics {
	uint64_t	batches;		/* write transactions run */
	uint64_t	changes;		/* changes they held */
	uint64_t	batch_size[STORE_HIST];	/* changes per batch */
	uint64_t	commit_us[STORE_HIST];	/* run and commit, in µs */
	uint64_t	commit_us_sum;
	uint64_t	map_size;		/* bytes of the map now */
	uint64_t	map_max;		/* bytes it may grow to */
	uint64_t	map_used;		/* bytes of pages in use */
	uint64_t	file_size;		/* the data file's size */
	uint64_t	events_seq;		/* the change log's head */
};

/* Fill m (any thread; takes a read transaction of its own). 0 or STORE_*. */
int		 store_metrics(struct store *, struct store_metrics *m);

/* 1 if the store was created by this store_open() (so seeds are due). */
int		 store_fresh(struct store *);

/* ---- reads ------------------------------------------------------------- */

/*
 * A read-only transaction the caller ends with store_read_end(). On
 * failure *txn is NULL. Reads below also work in the writer's txn. An
 * unknown collection name answers STORE_INVALID. A thread may hold more
 * than one at a time.
 */
int		 store_read_begin(struct store *, MDB_txn **);
void		 store_read_end(struct store *, MDB_txn *);

/*
 * A read transaction kept across requests (a worker's): renew it for a
 * request (an mdb_txn_renew result mapped as store_mdb_rc; on failure it
 * stays reset) and reset it after; only a renewed one is open.
 */
int		 store_read_renew(struct store *, MDB_txn *);
void		 store_read_reset(struct store *, MDB_txn *);

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
 * As store_list, but only over the records of coll whose field holds value
 * (field is one of coll's struct store_index, or "id"), found through the
 * field index and each fetched by id: no document is parsed. Records come
 * in id order after the id after; next is set as by store_list, so it is
 * "" exactly when no further record matches. doc points into the map as
 * for store_get. STORE_INVALID for an unknown collection, a field that is
 * not indexed, a NULL value or an after longer than 511 bytes; STORE_IO if
 * the index names a record that is gone.
 */
int		 store_list_by(struct store *, MDB_txn *, const char *coll,
		    const char *field, const char *value, const char *after,
		    size_t limit,
		    int (*cb)(const char *id, const MDB_val *doc, void *arg),
		    void *arg, char *next);

/*
 * 1 if coll/id exists and its field holds value (field one of coll's
 * indexes, or "id"), else 0: from the field index, without a document
 * parse. 0 too for an unknown collection or field and when the lookup
 * fails.
 */
int		 store_index_has(struct store *, MDB_txn *, const char *coll,
		    const char *field, const char *value, const char *id);

/*
 * The value of key (klen bytes) in aux table table, into val (pointing into
 * the map, valid as store_get's bytes). STORE_NOTFOUND if absent;
 * STORE_INVALID for an unknown table or a klen of 0 or over 511.
 */
int		 store_aux_get(struct store *, MDB_txn *, const char *table,
		    const void *key, size_t klen, MDB_val *val);

/*
 * Call cb for each row of aux table table whose key starts with prefix
 * (plen bytes; 0 walks every row), in key byte order. key and val point
 * into the map as store_get's bytes. cb returns 0 to go on, anything else
 * to stop the walk (which still answers STORE_OK). STORE_INVALID for an
 * unknown table, a plen over 511 or a NULL cb.
 */
int		 store_aux_walk(struct store *, MDB_txn *, const char *table,
		    const void *prefix, size_t plen,
		    int (*cb)(const MDB_val *key, const MDB_val *val,
		    void *arg), void *arg);

/*
 * store_aux_walk(), but from the first row whose key is start (slen bytes)
 * or after it: an auditor's rows from a date on, say. A start that does
 * not begin with prefix walks from the prefix.
 */
int		 store_aux_walk_from(struct store *, MDB_txn *,
		    const char *table, const void *prefix, size_t plen,
		    const void *start, size_t slen,
		    int (*cb)(const MDB_val *key, const MDB_val *val,
		    void *arg), void *arg);

/*
 * A cursor on aux table table in txn, into *cur, for a reader that walks
 * several tables in step (mdb_cursor_get; rows as store_aux_walk's). The
 * caller closes it with mdb_cursor_close(). STORE_INVALID for an unknown
 * table.
 */
int		 store_aux_cursor(struct store *, MDB_txn *, const char *table,
		    MDB_cursor **cur);

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

/*
 * store_events_verify, and also where the chain holds want (a head saved
 * earlier, 64 hex digits; may be NULL): *want_seq is the seq of the
 * verified event whose hash is want, 0 when want is the empty log's head
 * (64 '0's), or UINT64_MAX when no verified event has it: the log lost
 * its end since want was saved, or was rewritten.
 */
int		 store_events_verify_to(struct store *, MDB_txn *,
		    const char *want, uint64_t *want_seq, uint64_t *count,
		    char head[65], uint64_t *bad, struct store_err *err);

/*
 * One stored event (size bytes at data) checked as the chain's event seq
 * after an event whose hash is prev: canonical JSON, its "seq", "prev" and
 * "hash" as store_events_verify says. Returns 1 and copies its hash into
 * prev, or 0 with why in err (may be NULL). Reads nothing else, so that it
 * can be tried on any bytes.
 */
int		 store_event_check(uint64_t seq, const void *data,
		    size_t size, char prev[65], struct store_err *err);

/* ---- checks and copies (store-check.c) ------------------------------------ */

/* How many records coll holds (from LMDB's counts, no walk). */
int		 store_count(struct store *, MDB_txn *, const char *coll,
		    size_t *n);

/*
 * Derive every reference, unique index, field index and aux row again from
 * the documents and compare them with the stored rows, table by table:
 * report(table, stored, derived, same, arg) is called once per table
 * ("_refs", "_uniq", "_idx", "_aux_<name>"). The work runs as one change
 * of the writer that is always undone, so nothing is written; it needs
 * room in the map for a second copy of the rows while it runs.
 * *records counts the documents. Returns STORE_OK when every table
 * matches and every document's references resolve and its unique values
 * are its own; STORE_INVALID otherwise (the first document that could not
 * be linked is named in err); other results are read errors.
 */
int		 store_check(struct store *,
		    void (*report)(const char *table, size_t stored,
		    size_t derived, int same, void *arg), void *arg,
		    size_t *records, struct store_err *err);

/*
 * A consistent, compacted copy of the whole store (LMDB's data file
 * format, free pages left out) written to fd, which the caller owns.
 * It reads in a read transaction of its own (one reader slot, see
 * "Readers") and takes as long as the store is big: never call it on an
 * event loop. Writes go on meanwhile; the copy is the state at its start.
 * STORE_OK or STORE_IO (errno kept).
 */
int		 store_copy_fd(struct store *, int fd);

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
 * What store_txn_write() made: out is a malloc'd, NUL-terminated copy of
 * the stored canonical bytes (outlen does not count the NUL), owned by the
 * caller who frees it; rev is the record's new revision. On failure out is
 * NULL, outlen and rev 0.
 */
struct store_result {
	char	*out;
	size_t	 outlen;
	int64_t	 rev;
};

/*
 * Write doc as coll/id. doc is taken: the store releases the reference on
 * success and on failure alike, so the caller must not use doc after the
 * call (json_incref it first to keep it). Its "id", "rev", "created" and
 * "updated" are set here (the values a caller put there are replaced).
 *
 * old is the current document of coll/id as the caller read it with
 * store_txn_get() in this same transaction (NULL when that answered
 * STORE_NOTFOUND), borrowed for the call. The store trusts it: it takes
 * the current revision and "created" from it and diffs its references,
 * unique and field index values against doc's, and does not read or parse
 * the stored record again. An old that is not the stored document leaves
 * the indexes wrong; only the record's existence is checked (old NULL on a
 * create of an existing id is STORE_EXISTS, old given for a missing one
 * STORE_NOTFOUND).
 *
 * expect_rev: STORE_REV_CREATE means create (STORE_EXISTS if old is not
 * NULL), STORE_REV_ANY means replace whatever revision is there, > 0 means
 * replace only that revision (STORE_STALE if old's differs); both replace
 * forms give STORE_NOTFOUND when old is NULL. Checks references
 * (STORE_BADREF) and unique indexes (STORE_DUPLICATE), naming the field in
 * err; updates the reference, unique and field indexes. Appends an event
 * with action "create" or "update".
 *
 * res (may be NULL) gets the stored bytes and the new rev. err (may be
 * NULL) gets a JSON Pointer into doc and a message: BADREF "/auditor",
 * "/areas/2" or "/assessed/0/area" with "unknown auditors id 'x'";
 * DUPLICATE "/certs/0" with "already mapped to principal 'p'"; an invalid
 * id is STORE_INVALID at "/id", so is a doc that is not an object at "".
 */
int		 store_txn_write(struct store_txn *, const char *coll,
		    const char *id, json_t *doc, const json_t *old,
		    int64_t expect_rev, struct store_result *res,
		    struct store_err *err);

/*
 * Delete coll/id, whose current document old is (as for store_txn_write:
 * read with store_txn_get() in this transaction, borrowed, trusted for the
 * revision and the index values to drop; NULL answers STORE_NOTFOUND).
 * expect_rev as for store_txn_write, but -1 is not allowed.
 * STORE_REFERENCED if other records point at it (err's message names the
 * first: "referenced by assignments/a1"). Appends a "delete" event whose
 * rev is the revision that was deleted and whose sha256 is null.
 */
int		 store_txn_remove(struct store_txn *, const char *coll,
		    const char *id, const json_t *old, int64_t expect_rev,
		    struct store_err *err);

/*
 * store_txn_write() for callers that hold no parsed current document
 * (seeds, bootstrap, tests): reads and parses coll/id itself. doc stays
 * the caller's (it is not taken) and is changed as said even when the put
 * fails. On success *out (when not NULL) receives a malloc'd copy of the
 * stored bytes, NUL-terminated, that the caller frees; outlen (may be
 * NULL) its length without the NUL.
 */
int		 store_txn_put(struct store_txn *, const char *coll,
		    const char *id, json_t *doc, int64_t expect_rev,
		    char **out, size_t *outlen, struct store_err *err);

/* store_txn_remove() that reads and parses coll/id itself. */
int		 store_txn_delete(struct store_txn *, const char *coll,
		    const char *id, int64_t expect_rev, struct store_err *err);

/*
 * Rows of the aux tables, for a resource's hook that keeps derived rows
 * (say, an auditor's CPD hours by date) in the change that writes the
 * documents: a failed change leaves none of its rows. Keys are 1..511
 * bytes, compared as bytes; values any length (val may be NULL when vlen
 * is 0). Both copy key and val. STORE_INVALID for an unknown table or a
 * bad key length; aux_del answers STORE_NOTFOUND for an absent key. Both
 * follow the rules of the write functions above for STORE_FULL and
 * STORE_IO.
 */
int		 store_txn_aux_put(struct store_txn *, const char *table,
		    const void *key, size_t klen, const void *val, size_t vlen);
int		 store_txn_aux_del(struct store_txn *, const char *table,
		    const void *key, size_t klen);

/*
 * The store and LMDB transaction of a change, for the read functions above
 * (store_get, store_aux_walk...): they see what the change wrote so far.
 * Valid until the change returns; never commit or abort the transaction.
 */
void		 store_txn_view(struct store_txn *, struct store **,
		    MDB_txn **);

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
