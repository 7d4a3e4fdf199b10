/*
 * auth.c: certificate digest -> principal (with a per-worker cache), bearer
 * token -> principal, role names, and reading a resource's grants. Who may do what is written in
 * the resource entries (api-*.c), nowhere else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "api/auth.h"
#include "log.h"
#include "store/store.h"

static const char *const role_names[] = {
	[ROLE_NONE] = "none",
	[ROLE_ADMIN] = "admin",
	[ROLE_MANAGER] = "manager",
	[ROLE_HR] = "hr",
	[ROLE_AUDITOR] = "auditor",
	[ROLE_VIEWER] = "viewer",
};

enum role
auth_role_parse(const char *s)
{
	size_t	i;

	for (i = ROLE_ADMIN; i < sizeof role_names / sizeof role_names[0]; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

const char *
auth_role_name(enum role r)
{
	if ((size_t)r >= sizeof role_names / sizeof role_names[0])
		return "none";
	return role_names[r];
}

enum scope
auth_scope(const struct grants *g, enum role role, enum access access)
{
	enum scope	s;

	if (access == ACCESS_OPEN)
		return SCOPE_ALL;
	if (role <= ROLE_NONE || role >= ROLE_COUNT)
		return SCOPE_DENY;
	s = access == ACCESS_READ ? g->read[role] : g->write[role];
	return s == SCOPE_UNSET ? SCOPE_DENY : s;
}

static int	lookup(struct store *, MDB_txn *, const unsigned char *,
		    struct principal *);
static int	principal_load(struct store *, MDB_txn *, const char *,
		    struct principal *);

int
auth_principal(struct store *st, MDB_txn *txn, struct auth_cache *cache,
    const unsigned char sha256[32], struct principal *who)
{
	struct auth_slot	*s;
	size_t			 txnid = mdb_txn_id(txn);
	int			 rc;

	if (cache == NULL)
		return lookup(st, txn, sha256, who);
	/* The digest is uniformly random: its first byte spreads the slots. */
	s = &cache->slot[sha256[0] % AUTH_CACHE_SLOTS];
	if (s->txnid == txnid && txnid != 0 &&
	    memcmp(s->sha256, sha256, sizeof s->sha256) == 0) {
		if (s->found)
			*who = s->who;
		return s->found ? 0 : -1;
	}
	cache->lookups++;
	rc = lookup(st, txn, sha256, who);
	memcpy(s->sha256, sha256, sizeof s->sha256);
	s->txnid = txnid;
	s->found = rc == 0;
	if (rc == 0)
		s->who = *who;
	return rc;
}

/* The enabled principal id into who; -1 if absent, disabled or malformed. */
static int
principal_load(struct store *st, MDB_txn *txn, const char *id,
    struct principal *who)
{
	MDB_val		 doc;
	json_t		*p = NULL;
	const char	*role, *auditor;
	int		 rc = -1;

	if (store_get(st, txn, "principals", id, &doc) != 0)
		return -1;
	if ((p = json_loadb(doc.mv_data, doc.mv_size, 0, NULL)) == NULL) {
		log_warnx("principal %s: stored document does not parse", id);
		return -1;
	}
	if (json_is_true(json_object_get(p, "disabled")))
		goto done;
	role = json_string_value(json_object_get(p, "role"));
	if (role == NULL || (who->role = auth_role_parse(role)) == ROLE_NONE)
		goto done;
	snprintf(who->id, sizeof who->id, "%s", id);
	who->auditor[0] = '\0';
	auditor = json_string_value(json_object_get(p, "auditor"));
	if (who->role == ROLE_AUDITOR) {
		if (auditor == NULL || strlen(auditor) > ID_MAX)
			goto done;
		strcpy(who->auditor, auditor);
	}
	rc = 0;
done:
	json_decref(p);
	return rc;
}

static int
lookup(struct store *st, MDB_txn *txn, const unsigned char *sha256,
    struct principal *who)
{
	char	hex[SHA256_HEX], id[ID_MAX + 1];

	util_hex(sha256, 32, hex);
	if (store_index_get(st, txn, "principals", "certs", hex, id) != 0)
		return -1;
	return principal_load(st, txn, id, who);
}

/* 1 if a and b (n bytes each) are equal, in time that depends on n only. */
static int
same_ct(const char *a, const char *b, size_t n)
{
	volatile unsigned char	d = 0;
	size_t			i;

	for (i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* A token's shape: the prefix, then 43 base64url characters. */
static int
token_shape(const char *s)
{
	size_t	i, plen = strlen(AUTH_TOKEN_PREFIX);

	if (strncmp(s, AUTH_TOKEN_PREFIX, plen) != 0 ||
	    strlen(s) != plen + AUTH_TOKEN_B64)
		return 0;
	for (i = plen; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* "YYYY-MM-DD" is its first second; the schema allows only these two. */
static int
expired(const char *expires, const char *now)
{
	char	full[32];

	if (strlen(expires) == 10) {
		snprintf(full, sizeof full, "%sT00:00:00Z", expires);
		expires = full;
	}
	return strcmp(now, expires) >= 0;
}

enum auth_token
auth_token(struct store *st, MDB_txn *txn, const char *token,
    struct principal *who, struct auth_token_info *info)
{
	char		 hex[SHA256_HEX], id[ID_MAX + 1], now[32];
	MDB_val		 doc;
	json_t		*t;
	const char	*stored, *exp, *principal, *last;
	enum auth_token	 rc = AUTH_TOKEN_UNKNOWN;

	memset(info, 0, sizeof *info);
	if (!token_shape(token))
		return AUTH_TOKEN_UNKNOWN;
	util_sha256_hex(token, strlen(token), hex);
	if (store_index_get(st, txn, "tokens", "sha256", hex, id) != 0 ||
	    store_get(st, txn, "tokens", id, &doc) != 0)
		return AUTH_TOKEN_UNKNOWN;
	if ((t = json_loadb(doc.mv_data, doc.mv_size, 0, NULL)) == NULL) {
		log_warnx("token %s: stored document does not parse", id);
		return AUTH_TOKEN_UNKNOWN;
	}
	stored = json_string_value(json_object_get(t, "sha256"));
	principal = json_string_value(json_object_get(t, "principal"));
	exp = json_string_value(json_object_get(t, "expires"));
	last = json_string_value(json_object_get(t, "last_used"));
	util_now_rfc3339(now, sizeof now);
	/* The index found it by this digest; compare it anyway, in constant time. */
	if (stored == NULL || strlen(stored) != SHA256_HEX - 1 ||
	    !same_ct(stored, hex, SHA256_HEX - 1) || principal == NULL)
		goto done;
	snprintf(info->id, sizeof info->id, "%s", id);
	if (json_is_true(json_object_get(t, "revoked")))
		rc = AUTH_TOKEN_REVOKED;
	else if (exp != NULL && expired(exp, now))
		rc = AUTH_TOKEN_EXPIRED;
	else if (principal_load(st, txn, principal, who) != 0)
		rc = AUTH_TOKEN_DISABLED;
	else {
		rc = AUTH_TOKEN_OK;
		snprintf(info->last_used, sizeof info->last_used, "%s",
		    last != NULL ? last : "");
	}
done:
	json_decref(t);
	return rc;
}

/* ---- last_used, coalesced ------------------------------------------------ */

struct touch {
	struct store_change	 ch;
	struct event		*done;
	char			 id[ID_MAX + 1];
	char			 now[32];
	char			 since[32];	/* older than this: write */
};

static void
touch_done(evutil_socket_t fd, short what, void *arg)
{
	struct touch	*t = arg;

	(void)fd;
	(void)what;
	event_free(t->done);
	free(t);
}

/* Another worker may have written it meanwhile: then nothing to do. */
static int
touch_apply(struct store_txn *txn, void *arg)
{
	struct touch	*t = arg;
	json_t		*old, *doc;
	const char	*last;
	int		 rc;

	if ((rc = store_txn_get(txn, "tokens", t->id, &old)) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	last = json_string_value(json_object_get(old, "last_used"));
	if (last != NULL && strcmp(last, t->since) >= 0) {
		json_decref(old);
		return STORE_OK;
	}
	if ((doc = json_deep_copy(old)) == NULL) {
		json_decref(old);
		return STORE_IO;
	}
	json_object_set_new(doc, "last_used", json_string(t->now));
	rc = store_txn_write(txn, "tokens", t->id, doc, old, STORE_REV_ANY,
	    NULL, NULL);
	json_decref(old);
	return rc;
}

static void
rfc3339(time_t when, char *out, size_t len)
{
	struct tm	tm;

	gmtime_r(&when, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
auth_token_touch(struct auth_cache *cache, struct store *st,
    const struct principal *who, const struct auth_token_info *info)
{
	struct auth_touch	*slot;
	struct touch		*t;
	time_t			 now = time(NULL);
	size_t			 h = 0;
	const char		*p;
	char			 since[32];

	rfc3339(now - AUTH_TOUCH_SECS, since, sizeof since);
	if (cache == NULL || cache->base == NULL || info->id[0] == '\0' ||
	    strcmp(info->last_used, since) >= 0)
		return;
	for (p = info->id; *p != '\0'; p++)
		h = h * 31 + (unsigned char)*p;
	slot = &cache->touch[h % AUTH_TOUCH_SLOTS];
	/* Queued by this worker already, and not yet seen in the store. */
	if (strcmp(slot->id, info->id) == 0 && now - slot->at < AUTH_TOUCH_SECS)
		return;
	if ((t = calloc(1, sizeof *t)) == NULL)
		return;
	snprintf(t->id, sizeof t->id, "%s", info->id);
	rfc3339(now, t->now, sizeof t->now);
	memcpy(t->since, since, sizeof t->since);
	t->ch.apply = touch_apply;
	t->ch.arg = t;
	snprintf(t->ch.principal, sizeof t->ch.principal, "%s", who->id);
	if ((t->done = event_new(cache->base, -1, 0, touch_done, t)) == NULL) {
		free(t);
		return;
	}
	t->ch.done = t->done;
	if (store_submit(st, &t->ch) != 0) {
		/* Full or closing: the next request tries again. */
		event_free(t->done);
		free(t);
		return;
	}
	snprintf(slot->id, sizeof slot->id, "%s", info->id);
	slot->at = now;
}
