/*
 * writer.c: the store's one writer thread: a bounded queue of changes run in
 * batches, one LMDB transaction and one fsync per batch (a change's operations
 * are in store-txn.c). writer_ names what only store.c calls.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"
#include "store-private.h"

#define READER_CHECK_SECS	60

/* Queue c; with wait, block while the queue is full instead of refusing. */
static int
enqueue(struct store *st, struct store_change *c, int wait)
{
	json_t	*who;

	if (c == NULL || c->apply == NULL)
		return STORE_INVALID;
	c->principal[sizeof c->principal - 1] = '\0';
	/* Checked here: append_event cannot refuse it after the writes. */
	if ((who = json_string(c->principal)) == NULL)
		return STORE_INVALID;
	json_decref(who);
	c->next = NULL;
	pthread_mutex_lock(&st->lock);
	while (wait && !st->stopping && st->queued >= STORE_QUEUE_MAX)
		pthread_cond_wait(&st->done, &st->lock);
	if (st->stopping || st->queued >= STORE_QUEUE_MAX) {
		pthread_mutex_unlock(&st->lock);
		return STORE_BUSY;
	}
	c->rc = STORE_PENDING;
	if (st->tail != NULL)
		st->tail->next = c;
	else
		st->head = c;
	st->tail = c;
	st->queued++;
	pthread_cond_signal(&st->work);
	pthread_mutex_unlock(&st->lock);
	return STORE_OK;
}

int
store_submit(struct store *st, struct store_change *c)
{
	return enqueue(st, c, 0);
}

int
store_write(struct store *st, int (*apply)(struct store_txn *, void *),
    void *arg, const char *principal)
{
	struct store_change	c;
	int			rc;

	if (st->running && pthread_equal(pthread_self(), st->thread))
		return STORE_INVALID;	/* in an apply: it would wait forever */
	memset(&c, 0, sizeof c);
	c.apply = apply;
	c.arg = arg;
	snprintf(c.principal, sizeof c.principal, "%s",
	    principal != NULL ? principal : "");
	if ((rc = enqueue(st, &c, 1)) != STORE_OK)
		return rc;
	pthread_mutex_lock(&st->lock);
	while (c.rc == STORE_PENDING)
		pthread_cond_wait(&st->done, &st->lock);
	rc = c.rc;
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct slot {
	struct store_change	*c;
	int			 rc;
	int			 wake;	/* done set: wake through libevent */
};

const uint32_t store_batch_bounds[STORE_HIST - 1] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024
};
const uint32_t store_commit_bounds_us[STORE_HIST - 1] = {
	100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 1000000
};

static size_t
bucket(const uint32_t *bounds, uint64_t v)
{
	size_t	b;

	for (b = 0; b < STORE_HIST - 1; b++)
		if (v <= bounds[b])
			break;
	return b;
}

/* Run n changes in one write transaction, then report each. */
static void
run_batch(struct store *st, struct slot *s, size_t n)
{
	struct store_txn	 t;
	struct timespec		 t0, t1;
	MDB_txn			*parent = NULL, *child;
	size_t			 i, ok = 0;
	uint64_t		 us;
	int			 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &parent)) != 0) {
		rc = store_mdb_rc(rc);
		for (i = 0; i < n; i++)
			s[i].rc = rc;
		goto report;
	}
	for (i = 0; i < n; i++) {
		if ((rc = mdb_txn_begin(st->env, parent, 0, &child)) != 0) {
			s[i].rc = store_mdb_rc(rc);
			continue;
		}
		t.st = st;
		t.txn = child;
		t.principal = s[i].c->principal;
		t.broken = 0;
		rc = s[i].c->apply(&t, s[i].c->arg);
		if (rc < 0)
			rc = STORE_INVALID;
		/* After FULL or IO the change failed so, whatever apply says. */
		if (t.broken)
			rc = t.broken;
		if (rc == STORE_OK) {
			if ((rc = mdb_txn_commit(child)) != 0)
				rc = store_mdb_rc(rc);
			else
				ok++;
		} else
			mdb_txn_abort(child);
		s[i].rc = rc;
	}
	if (ok == 0) {
		mdb_txn_abort(parent);
		goto report;
	}
	if ((rc = mdb_txn_commit(parent)) != 0) {
		/* Nothing of the batch is kept: every success becomes this. */
		rc = store_mdb_rc(rc);
		for (i = 0; i < n; i++)
			if (s[i].rc == STORE_OK)
				s[i].rc = rc;
	}
report:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000 +
	    (uint64_t)(t1.tv_nsec - t0.tv_nsec) / 1000;
	/* Counted before anyone is woken, so a woken caller sees its batch. */
	pthread_mutex_lock(&st->lock);
	st->nbatches++;
	st->nchanges += n;
	st->batch_hist[bucket(store_batch_bounds, n)]++;
	st->commit_hist[bucket(store_commit_bounds_us, us)]++;
	st->commit_us_sum += us;
	pthread_mutex_unlock(&st->lock);
	/* A woken submitter may free its change at once: touch it no more. */
	for (i = 0; i < n; i++)
		if (s[i].wake) {
			s[i].c->rc = s[i].rc;
			event_active(s[i].c->done, 0, 0);
		}
	pthread_mutex_lock(&st->lock);
	for (i = 0; i < n; i++)
		if (!s[i].wake)
			s[i].c->rc = s[i].rc;
	pthread_cond_broadcast(&st->done);
	pthread_mutex_unlock(&st->lock);
}

static void
reader_check(struct store *st, struct timespec *last)
{
	struct timespec	now;
	int		dead;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - last->tv_sec < READER_CHECK_SECS)
		return;
	*last = now;
	if (mdb_reader_check(st->env, &dead) == 0 && dead > 0)
		log_info("store: cleared %d stale reader slots", dead);
}

/*
 * Growth: after a batch that found the map full, or once it is three
 * quarters used, double it, up to map_max. LMDB allows that only while no
 * transaction of the process is open: the gate's write side waits for the
 * open reads (requests being dispatched, jobs, a backup) and holds new ones
 * off for the moment it takes. A change that found the map full was
 * answered 507 with nothing written; the next has room.
 */
static void
map_grow(struct store *st, int full)
{
	MDB_envinfo	info;
	MDB_stat	ms;
	size_t		used, next;
	int		rc;

	if (st->map_max == 0 || mdb_env_info(st->env, &info) != 0 ||
	    mdb_env_stat(st->env, &ms) != 0 || info.me_mapsize >= st->map_max)
		return;
	used = (size_t)(info.me_last_pgno + 1) * ms.ms_psize;
	if (!full && used < info.me_mapsize / 4 * 3)
		return;
	next = info.me_mapsize > st->map_max / 2 ? st->map_max :
	    info.me_mapsize * 2;
	pthread_rwlock_wrlock(&st->gate);
	rc = mdb_env_set_mapsize(st->env, next);
	pthread_rwlock_unlock(&st->gate);
	if (rc != 0)
		log_warnx("store: cannot grow the map to %zu MiB: %s",
		    next >> 20, mdb_strerror(rc));
	else
		log_info("store: the map grew from %zu to %zu MiB (%zu MiB "
		    "used, map_max %zu MiB)", info.me_mapsize >> 20, next >> 20,
		    used >> 20, st->map_max >> 20);
}

static void *
writer_main(void *arg)
{
	struct store		*st = arg;
	struct slot		 s[STORE_BATCH_MAX];
	struct store_change	*c;
	struct timespec		 last, until;
	size_t			 n, i;
	int			 full;

	clock_gettime(CLOCK_MONOTONIC, &last);
	/* A store opened three quarters full grows before its first write. */
	map_grow(st, 0);
	pthread_mutex_lock(&st->lock);
	for (;;) {
		while (st->head == NULL && !st->stopping) {
			until = last;
			until.tv_sec += READER_CHECK_SECS;
			pthread_cond_timedwait(&st->work, &st->lock, &until);
			pthread_mutex_unlock(&st->lock);
			reader_check(st, &last);
			pthread_mutex_lock(&st->lock);
		}
		if (st->head == NULL)
			break;	/* stopping, and nothing is left */
		for (n = 0; n < STORE_BATCH_MAX && st->head != NULL; n++) {
			c = st->head;
			st->head = c->next;
			c->next = NULL;
			s[n].c = c;
			s[n].rc = STORE_IO;
			s[n].wake = c->done != NULL;
		}
		if (st->head == NULL)
			st->tail = NULL;
		st->queued -= n;
		pthread_mutex_unlock(&st->lock);
		run_batch(st, s, n);
		for (full = 0, i = 0; i < n; i++)
			full |= s[i].rc == STORE_FULL;
		map_grow(st, full);
		reader_check(st, &last);
		pthread_mutex_lock(&st->lock);
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

int
writer_start(struct store *st, char *err, size_t errlen)
{
	sigset_t	all, old;
	int		rc;

	/* Signals are for the threads that run event loops, not the writer. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&st->thread, NULL, writer_main, st);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "writer thread: %s",
			    strerror(rc));
		return -1;
	}
	st->running = 1;
	return 0;
}

void
writer_stop(struct store *st)
{
	if (!st->running)
		return;
	pthread_mutex_lock(&st->lock);
	st->stopping = 1;
	pthread_cond_broadcast(&st->work);
	pthread_cond_broadcast(&st->done);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->thread, NULL);
	st->running = 0;
}
