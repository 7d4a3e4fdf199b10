/*
 * store-private.h: what the store's files share: store.c (open, close,
 * reads), events.c (the hash chain), index.c (field indexes), aux.c (aux
 * tables), store-txn.c (the write side of a transaction) and writer.c (the
 * writer thread). Nothing outside daemon/store/ includes it.
 */
#ifndef STORE_PRIVATE_H
#define STORE_PRIVATE_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>
#include <lmdb.h>

#include "store/store.h"
#include "util.h"

#define STORE_QUEUE_MAX		4096	/* queued changes; more is STORE_BUSY */
#define STORE_BATCH_MAX		256	/* changes per write transaction */
#define STORE_PENDING		(-1)	/* rc of a change in flight */
#define STORE_KEY_MAX		511	/* LMDB's (default build) largest key */
#define STORE_SCHEMA		"1"	/* _meta "schema": layout version */
#define STORE_HEAD_LEN		(8 + 64) /* _meta "head": seq BE, hash hex */
#define STORE_LOCK_FILE		"auditord.lock"	/* one process per store */
#define STORE_NAME_MAX		64	/* collection, aux table, field names */
/* An _idx key: coll NUL field NUL, a value's SHA-256, then the id. */
#define STORE_IDX_KEY_MAX	(STORE_NAME_MAX + 1 + STORE_NAME_MAX + 1 + 32 + \
				    ID_MAX)

struct store {
	MDB_env			*env;
	const struct store_coll	*colls;
	size_t			 ncolls;
	MDB_dbi			*dbis;		/* one per colls entry */
	MDB_dbi			 events, meta, refs, uniq, idx;
	const char *const	*aux;		/* aux table names */
	size_t			 naux;
	MDB_dbi			*auxdbis;	/* one per aux entry */
	const char		*aux_version;
	int			(*aux_rebuild)(struct store_txn *, void *);
	void			*aux_arg;
	int			 fresh;
	int			 lockfd;	/* STORE_LOCK_FILE, flock'd */
	/*
	 * Read by every open read transaction, written by the writer while
	 * it grows the map (writer.c); readers first, so that a thread may
	 * hold two read transactions at once.
	 */
	pthread_rwlock_t	 gate;
	size_t			 map_max;	/* 0: never grown */

	/* The writer's queue, under lock. */
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* changes queued, or stop */
	pthread_cond_t		 done;		/* a store_write() finished */
	struct store_change	*head, *tail;
	size_t			 queued;
	int			 stopping;
	int			 running;	/* the thread was started */
	pthread_t		 thread;
	uint64_t		 nbatches;	/* batches run */
	uint64_t		 nchanges;	/* changes run */
	uint64_t		 batch_hist[STORE_HIST];
	uint64_t		 commit_hist[STORE_HIST];
	uint64_t		 commit_us_sum;
};

/*
 * A change's view of the write transaction: txn is the change's nested
 * transaction. broken holds the first STORE_FULL/STORE_IO an operation met:
 * LMDB refuses a transaction after such an error, so the change fails.
 */
struct store_txn {
	struct store		*st;
	MDB_txn			*txn;
	const char		*principal;
	int			 broken;
};

/* store.c */

/* The index of collection name in st->colls, or -1. */
int	store_coll_index(struct store *, const char *name);

/* Fill err (may be NULL): path and message. */
void	store_err_set(struct store_err *, const char *path, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/* An LMDB error as a store result (MDB_MAP_FULL is STORE_FULL). */
int	store_mdb_rc(int mdb_rc);

/*
 * The _refs key "coll/id" into key (ID_MAX + 66 bytes at least); returns
 * its length.
 */
size_t	store_ref_key(char *key, size_t keylen, const char *coll,
	    const char *id);

/*
 * The _uniq key for value (vlen bytes) of coll's field into key
 * (STORE_KEY_MAX bytes, no NUL is written); returns its length, or 0 if
 * coll and field leave no room for the digest form.
 */
size_t	store_uniq_key(char *key, const char *coll, const char *field,
	    const char *value, size_t vlen);

/*
 * A page of a list (store_list, store_list_by): what limit and next ask.
 * store_page_offer hands one record to cb and says whether the walk goes
 * on (0) or stops (1); store_page_end fills next when the walk ran out.
 */
struct store_page {
	size_t		 limit;
	size_t		 taken;
	char		*next;
	char		 last[ID_MAX + 1];
	int		(*cb)(const char *, const MDB_val *, void *);
	void		*arg;
};
void	store_page_init(struct store_page *, size_t limit, char *next,
	    int (*cb)(const char *, const MDB_val *, void *), void *arg);
int	store_page_offer(struct store_page *, const char *id,
	    const MDB_val *doc);

/* events.c */

/* Big-endian 8-byte event key. */
void		events_seq_key(uint64_t seq, unsigned char key[8]);
uint64_t	events_seq_get(const unsigned char key[8]);

/*
 * The chain head from _meta: seq 0 and 64 '0's when none was written.
 * STORE_IO when the record is malformed.
 */
int	events_head_get(struct store *, MDB_txn *, uint64_t *seq,
	    char hash[SHA256_HEX]);

/*
 * Append the event of a change (sha NULL for a delete) and move the head,
 * in the change's transaction. Returns 0 or a store error.
 */
int	events_append(struct store_txn *, const char *action,
	    const char *coll, const char *id, int64_t rev, const char *sha);

/* index.c */

/*
 * Bring coll c's field index entries of record id from old's values to
 * doc's (either may be NULL: a create, a delete). Returns 0 or a store
 * error (FULL or IO).
 */
int	index_update(MDB_txn *, struct store *, const struct store_coll *c,
	    const char *id, const json_t *old, const json_t *doc);

/*
 * At open, in its write transaction: rebuild _idx from the documents when
 * _meta's signature differs from the colls' index table. Returns 0, or -1
 * with a message in err.
 */
int	index_sync(struct store *, MDB_txn *, char *err, size_t errlen);

/* aux.c */

/*
 * Bring the aux tables up to their layout (store_opts.aux_version and the
 * table names): when _meta says they were built for another, empty them
 * and have aux_rebuild derive every row again, in txn. 0, or -1 with err.
 */
int	aux_sync(struct store *, MDB_txn *, char *err, size_t errlen);

/* store-txn.c */

/*
 * Note rc in t: after STORE_FULL or STORE_IO LMDB refuses the transaction,
 * so the change fails with it. Returns rc.
 */
int	store_txn_broken(struct store_txn *, int rc);

/*
 * Add coll ci's reference, unique and field index entries of record id
 * with document doc, checking its references and unique values first (the
 * rows a put of doc as a new record would add). For store_check, which
 * derives every row again. 0 or a store error with err filled.
 */
int	store_txn_relink(struct store_txn *, int ci, const char *id,
	    const json_t *doc, struct store_err *err);

/* aux.c */

/* The database of aux table name, or -1 when it is not declared. */
int	aux_dbi(struct store *, const char *name, MDB_dbi *dbi);

/* writer.c */

/* Start the writer thread. */
int	writer_start(struct store *, char *err, size_t errlen);

/* Run what is queued, then stop and join the writer. */
void	writer_stop(struct store *);

#endif
