/*
 * store-private.h: what store.c (open, close, reads, chain verification),
 * writer.c (the writer thread) and store-txn.c (the write side of a
 * transaction) share. Nothing outside those three files includes it.
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

struct store {
	MDB_env			*env;
	const struct store_coll	*colls;
	size_t			 ncolls;
	MDB_dbi			*dbis;		/* one per colls entry */
	MDB_dbi			 events, meta, refs, uniq;
	int			 fresh;

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

/* Big-endian 8-byte event key. */
void		store_seq_key(uint64_t seq, unsigned char key[8]);
uint64_t	store_seq_get(const unsigned char key[8]);

/*
 * The _refs key "coll/id" into key (ID_MAX + 66 bytes at least); returns
 * its length.
 */
size_t	store_ref_key(char *key, size_t keylen, const char *coll,
	    const char *id);

/*
 * The _uniq key for value (vlen bytes) of coll's field into key
 * (STORE_KEY_MAX bytes); returns its length, or 0 if coll and field leave
 * no room (store_open refuses such tables, so 0 means a bug).
 */
size_t	store_uniq_key(char *key, const char *coll, const char *field,
	    const char *value, size_t vlen);

/*
 * The chain head from _meta: seq 0 and 64 '0's when none was written.
 * STORE_IO when the record is malformed.
 */
int	store_head_get(struct store *, MDB_txn *, uint64_t *seq,
	    char hash[SHA256_HEX]);

/* SHA-256 hex of the canonical JSON of event ev without its "hash" key. */
int	store_event_hash(const json_t *ev, char out[SHA256_HEX]);

/* writer.c */

/* Start the writer thread. */
int	writer_start(struct store *, char *err, size_t errlen);

/* Run what is queued, then stop and join the writer. */
void	writer_stop(struct store *);

#endif
