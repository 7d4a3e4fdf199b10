/*
 * events.c: the hash chain of change events: appending a change's event
 * (store-txn.c calls events_append inside the change's transaction),
 * listing events, and checking the chain from the first event to the head.
 * The layout of _events and of _meta's "head" is at the top of store.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store-private.h"

static const char	zero_hash[SHA256_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Verification errors name no field. */
#define serr(err, ...)	store_err_set((err), "", __VA_ARGS__)

void
events_seq_key(uint64_t seq, unsigned char key[8])
{
	int	i;

	for (i = 7; i >= 0; i--) {
		key[i] = seq & 0xff;
		seq >>= 8;
	}
}

uint64_t
events_seq_get(const unsigned char key[8])
{
	uint64_t	seq = 0;
	int		i;

	for (i = 0; i < 8; i++)
		seq = (seq << 8) | key[i];
	return seq;
}

int
events_head_get(struct store *st, MDB_txn *txn, uint64_t *seq,
    char hash[SHA256_HEX])
{
	MDB_val	k = { 4, (void *)"head" }, v;
	int	rc;

	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		*seq = 0;
		memcpy(hash, zero_hash, SHA256_HEX);
		return STORE_OK;
	}
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != STORE_HEAD_LEN) {
		log_warnx("store: _meta head has %zu bytes", v.mv_size);
		return STORE_IO;
	}
	*seq = events_seq_get(v.mv_data);
	memcpy(hash, (char *)v.mv_data + 8, 64);
	hash[64] = '\0';
	return STORE_OK;
}

/* SHA-256 hex of the canonical JSON of event ev without its "hash" key. */
static int
event_hash(const json_t *ev, char out[SHA256_HEX])
{
	json_t	*copy;
	char	*s;
	size_t	 len;

	/* A shallow copy: the values are shared, only the key set differs. */
	if ((copy = json_copy((json_t *)ev)) == NULL)
		return STORE_IO;
	json_object_del(copy, "hash");
	s = util_json_canonical(copy, &len);
	json_decref(copy);
	if (s == NULL)
		return STORE_IO;
	util_sha256_hex(s, len, out);
	free(s);
	return STORE_OK;
}

/*
 * The stored form of event ev, whose canonical JSON without "hash" is
 * s0 (len0 bytes), with hash in it: canonical keys sort "action" <
 * "hash" < "prev", and every event starts with its action, so the hash
 * member goes right after the action member. This way the event is made
 * canonical once, for the hash and for storing both. A malloc'd string,
 * its length in *len; NULL when s0 does not start as expected.
 */
static char *
event_with_hash(const char *s0, size_t len0, const char *action,
    const char hash[SHA256_HEX], size_t *len)
{
	static const char	lead[] = "{\"action\":\"";
	size_t			ll = sizeof lead - 1, al = strlen(action), at;
	char			*s;
	int			 n;

	at = ll + al + 1;	/* past the action's closing quote */
	if (len0 <= at || memcmp(s0, lead, ll) != 0 ||
	    memcmp(s0 + ll, action, al) != 0 || s0[at - 1] != '"' ||
	    s0[at] != ',')
		return NULL;
	*len = len0 + sizeof ",\"hash\":\"\"" - 1 + SHA256_HEX - 1;
	if ((s = malloc(*len + 1)) == NULL)
		return NULL;
	memcpy(s, s0, at);
	n = snprintf(s + at, *len + 1 - at, ",\"hash\":\"%s\"%s", hash, s0 + at);
	if (n < 0 || at + (size_t)n != *len) {
		free(s);
		return NULL;
	}
	return s;
}

/* Store event seq (s, len bytes) and make it the head. */
static int
event_put(struct store_txn *t, uint64_t seq, const char *s, size_t len,
    const char hash[SHA256_HEX])
{
	unsigned char	 key[8], head[STORE_HEAD_LEN];
	MDB_val		 k, v;
	int		 rc;

	events_seq_key(seq, key);
	k.mv_data = key;
	k.mv_size = sizeof key;
	v.mv_data = (void *)s;
	v.mv_size = len;
	rc = mdb_put(t->txn, t->st->events, &k, &v, MDB_APPEND);
	if (rc == MDB_KEYEXIST) {
		log_warnx("store: event %llu exists past the head",
		    (unsigned long long)seq);
		return STORE_IO;
	}
	if (rc != 0)
		return store_mdb_rc(rc);
	memcpy(head, key, 8);
	memcpy(head + 8, hash, SHA256_HEX - 1);
	k.mv_data = (void *)"head";
	k.mv_size = 4;
	v.mv_data = head;
	v.mv_size = sizeof head;
	return store_mdb_rc(mdb_put(t->txn, t->st->meta, &k, &v, 0));
}

int
events_append(struct store_txn *t, const char *action, const char *coll,
    const char *id, int64_t rev, const char *sha)
{
	json_t		*ev = NULL, *who;
	char		 prev[SHA256_HEX], hash[SHA256_HEX], now[32];
	char		*s0 = NULL, *s = NULL;
	uint64_t	 seq;
	size_t		 len0, len;
	int		 rc;

	if ((rc = events_head_get(t->st, t->txn, &seq, prev)) != STORE_OK)
		return store_txn_broken(t, rc);
	seq++;
	util_now_rfc3339(now, sizeof now);
	if ((who = json_string(t->principal)) == NULL)
		return store_txn_broken(t, STORE_IO);	/* out of memory */
	ev = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:I, s:o, s:s}",
	    "seq", (json_int_t)seq, "time", now, "principal", who,
	    "action", action, "type", coll, "record", id,
	    "rev", (json_int_t)rev,
	    "sha256", sha != NULL ? json_string(sha) : json_null(),
	    "prev", prev);
	rc = STORE_IO;
	if (ev == NULL || (s0 = util_json_canonical(ev, &len0)) == NULL)
		goto done;
	util_sha256_hex(s0, len0, hash);
	if ((s = event_with_hash(s0, len0, action, hash, &len)) == NULL) {
		log_warnx("store: event %llu has no leading action",
		    (unsigned long long)seq);
		goto done;
	}
	rc = event_put(t, seq, s, len, hash);
done:
	free(s0);
	free(s);
	json_decref(ev);
	return store_txn_broken(t, rc);
}

int
store_events(struct store *st, MDB_txn *txn, uint64_t after, size_t limit,
    int (*cb)(uint64_t, const MDB_val *, void *), void *arg,
    uint64_t *next_seq)
{
	MDB_cursor	*cur;
	MDB_val		 k, v;
	unsigned char	 key[8];
	uint64_t	 seq, last = 0;
	size_t		 taken = 0;
	int		 rc, r, ret = STORE_OK;

	if (next_seq != NULL)
		*next_seq = 0;
	if (after == UINT64_MAX)
		return STORE_OK;
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0)
		return store_mdb_rc(rc);
	events_seq_key(after + 1, key);
	k.mv_data = key;
	k.mv_size = sizeof key;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (limit > 0 && taken == limit) {
			if (next_seq != NULL)
				*next_seq = last;
			break;
		}
		if (k.mv_size != 8) {
			log_warnx("store: _events holds a %zu-byte key",
			    k.mv_size);
			ret = STORE_IO;
			break;
		}
		seq = events_seq_get(k.mv_data);
		r = cb != NULL ? cb(seq, &v, arg) : 1;
		if (r < 0) {
			if (taken > 0 && next_seq != NULL)
				*next_seq = last;
			break;
		}
		if (r > 0) {
			taken++;
			last = seq;
		}
	}
	if (ret == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		ret = store_mdb_rc(rc);
	mdb_cursor_close(cur);
	return ret;
}

int
store_event_check(uint64_t seq, const void *data, size_t size,
    char prev[SHA256_HEX], struct store_err *err)
{
	json_t		*ev;
	json_error_t	 jerr;
	const char	*hash, *p;
	char		*canon = NULL, h[SHA256_HEX];
	size_t		 len;
	int		 ok = 0;

	ev = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (ev == NULL || !json_is_object(ev)) {
		serr(err, "event %llu is not a JSON object",
		    (unsigned long long)seq);
		goto done;
	}
	if (!json_is_integer(json_object_get(ev, "seq")) ||
	    (uint64_t)json_integer_value(json_object_get(ev, "seq")) != seq) {
		serr(err, "the event stored as %llu has another seq",
		    (unsigned long long)seq);
		goto done;
	}
	hash = json_string_value(json_object_get(ev, "hash"));
	p = json_string_value(json_object_get(ev, "prev"));
	if (hash == NULL || strlen(hash) != 64 || p == NULL) {
		serr(err, "event %llu lacks its hash or prev",
		    (unsigned long long)seq);
		goto done;
	}
	if ((canon = util_json_canonical(ev, &len)) == NULL ||
	    len != size || memcmp(canon, data, len) != 0) {
		serr(err, "event %llu is not stored in canonical form",
		    (unsigned long long)seq);
		goto done;
	}
	if (strcmp(p, prev) != 0) {
		serr(err, "event %llu: prev does not match the hash of event "
		    "%llu", (unsigned long long)seq,
		    (unsigned long long)seq - 1);
		goto done;
	}
	if (event_hash(ev, h) != STORE_OK || strcmp(h, hash) != 0) {
		serr(err, "event %llu: hash does not match its content",
		    (unsigned long long)seq);
		goto done;
	}
	memcpy(prev, hash, SHA256_HEX);
	ok = 1;
done:
	free(canon);
	json_decref(ev);
	return ok;
}

/*
 * The hash event seq records, into out; the zero hash for seq 0. For the
 * good prefix of a failed check, whose events were already verified.
 */
static void
event_hash_at(struct store *st, MDB_txn *txn, uint64_t seq,
    char out[SHA256_HEX])
{
	unsigned char	 key[8];
	MDB_val		 k = { sizeof key, key }, v;
	json_t		*ev;
	const char	*h;

	memcpy(out, zero_hash, SHA256_HEX);
	if (seq == 0)
		return;
	events_seq_key(seq, key);
	if (mdb_get(txn, st->events, &k, &v) != 0 ||
	    (ev = json_loadb(v.mv_data, v.mv_size, 0, NULL)) == NULL)
		return;
	h = json_string_value(json_object_get(ev, "hash"));
	if (h != NULL && strlen(h) == SHA256_HEX - 1)
		memcpy(out, h, SHA256_HEX);
	json_decref(ev);
}

int
store_events_verify(struct store *st, MDB_txn *txn, uint64_t *count,
    char head[65], uint64_t *bad, struct store_err *err)
{
	return store_events_verify_to(st, txn, NULL, NULL, count, head, bad,
	    err);
}

int
store_events_verify_to(struct store *st, MDB_txn *txn, const char *want,
    uint64_t *want_seq, uint64_t *count, char head[65], uint64_t *bad,
    struct store_err *err)
{
	MDB_cursor	*cur;
	MDB_val		 k, v;
	char		 prev[SHA256_HEX], hhash[SHA256_HEX];
	uint64_t	 expect = 1, seq, hseq, badseq = 0, at = UINT64_MAX;
	int		 rc, ret = STORE_OK;

	memcpy(prev, zero_hash, SHA256_HEX);
	/* The empty log's head: every chain starts from it. */
	if (want != NULL && strcmp(want, zero_hash) == 0)
		at = 0;
	if (err != NULL)
		err->path[0] = err->message[0] = '\0';
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0)
		return store_mdb_rc(rc);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), expect++) {
		if (k.mv_size != 8) {
			serr(err, "event key of %zu bytes", k.mv_size);
			badseq = expect;
			break;
		}
		seq = events_seq_get(k.mv_data);
		if (seq != expect) {
			serr(err, "event %llu is missing (next is %llu)",
			    (unsigned long long)expect,
			    (unsigned long long)seq);
			badseq = expect;
			break;
		}
		if (!store_event_check(seq, v.mv_data, v.mv_size, prev, err)) {
			badseq = seq;
			break;
		}
		if (want != NULL && at == UINT64_MAX && strcmp(prev, want) == 0)
			at = seq;
	}
	mdb_cursor_close(cur);
	if (badseq == 0 && rc != 0 && rc != MDB_NOTFOUND)
		return store_mdb_rc(rc);
	if (badseq == 0) {
		/* The chain holds; it must also end where the head says. */
		seq = expect - 1;
		if ((ret = events_head_get(st, txn, &hseq, hhash)) != STORE_OK) {
			serr(err, "the chain head record is malformed");
			badseq = seq + 1;
		} else if (hseq > seq) {
			serr(err, "the log ends at event %llu but the head is "
			    "%llu", (unsigned long long)seq,
			    (unsigned long long)hseq);
			badseq = seq + 1;
		} else if (hseq < seq) {
			serr(err, "event %llu is past the head %llu",
			    (unsigned long long)hseq + 1,
			    (unsigned long long)hseq);
			badseq = hseq + 1;
		} else if (strcmp(hhash, prev) != 0) {
			serr(err, "event %llu does not match the head's hash",
			    (unsigned long long)seq);
			badseq = seq;
		}
	}
	/* On failure: the good prefix, the events before the bad one. */
	if (badseq != 0)
		event_hash_at(st, txn, badseq - 1, prev);
	if (count != NULL)
		*count = badseq != 0 ? badseq - 1 : expect - 1;
	if (head != NULL)
		memcpy(head, prev, SHA256_HEX);
	if (bad != NULL)
		*bad = badseq;
	/* Only a verified event counts as holding the wanted head. */
	if (want_seq != NULL)
		*want_seq = badseq != 0 && at != UINT64_MAX && at >= badseq ?
		    UINT64_MAX : at;
	return badseq == 0 ? STORE_OK : STORE_INVALID;
}
