/*
 * auth.h: who is calling and what their role may do on a route. The caller
 * is the principal whose certs list holds the SHA-256 of the client
 * certificate's DER; roles never come from certificate names. What a role
 * may do is in each resource's grants (resource.h); auth_scope reads them.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stdint.h>
#include <time.h>

#include <lmdb.h>

#include "api/resource.h"

struct event_base;
struct store;

/*
 * A worker's memory of recent lookups. An entry holds for as long as the
 * store has not changed since it was read (the read transaction's id is the
 * last committed write's), so a disabled principal or a removed certificate
 * takes effect with the very next request. One per worker thread; zero it
 * to start. lookups counts the lookups that went to the store.
 */
#define AUTH_CACHE_SLOTS	64

struct auth_slot {
	unsigned char		sha256[32];
	size_t			txnid;	/* 0: empty */
	int			found;
	struct principal	who;
};

/*
 * last_used of a token is written when the stored value is more than
 * AUTH_TOUCH_SECS old, by a change of its own that the request does not
 * wait for: at most one write per token per AUTH_TOUCH_SECS and worker, and
 * the value lags the true last use by at most that much. A worker
 * remembers what it queued (touch) so that the requests that arrive before
 * the write commits queue nothing more.
 */
#define AUTH_TOUCH_SECS		60
#define AUTH_TOUCH_SLOTS	16

struct auth_touch {
	char		id[ID_MAX + 1];
	time_t		at;
};

struct auth_cache {
	struct auth_slot	slot[AUTH_CACHE_SLOTS];
	uint64_t		lookups;
	struct event_base	*base;	/* the worker's, for the touch changes */
	struct auth_touch	touch[AUTH_TOUCH_SLOTS];
};

/*
 * Look up the enabled principal for a certificate digest in txn, through
 * cache when it is not NULL. Returns 0 and fills who, or -1 when no enabled
 * principal maps it.
 */
int		 auth_principal(struct store *, MDB_txn *, struct auth_cache *,
		    const unsigned char sha256[32], struct principal *who);

/*
 * Bearer tokens: AUTH_TOKEN_PREFIX, then AUTH_TOKEN_B64 base64url
 * characters (256 bits of the DRBG, no padding), AUTH_TOKEN_MAX at most.
 * The prefix makes a leaked token easy to recognise (in logs, by secret
 * scanners).
 */
#define AUTH_TOKEN_PREFIX	"adt_"
#define AUTH_TOKEN_B64		43
#define AUTH_TOKEN_MAX		64

enum auth_token {
	AUTH_TOKEN_OK = 0,
	AUTH_TOKEN_UNKNOWN,	/* malformed, or no token has its digest */
	AUTH_TOKEN_EXPIRED,
	AUTH_TOKEN_REVOKED,
	AUTH_TOKEN_DISABLED	/* its principal is disabled or gone */
};

/* What auth_token found besides the principal, for last_used. */
struct auth_token_info {
	char	id[ID_MAX + 1];		/* the token's id; "" if unknown */
	char	last_used[32];		/* as stored; "" if never */
};

/*
 * The principal a bearer token (the header's value after "Bearer ")
 * authenticates as, looked up by its SHA-256 through the tokens' unique
 * index in txn and compared in constant time. AUTH_TOKEN_OK fills who;
 * anything else means 401. Never cached: expiry is checked on each call.
 */
enum auth_token	 auth_token(struct store *, MDB_txn *, const char *token,
		    struct principal *who, struct auth_token_info *);

/*
 * After AUTH_TOKEN_OK: queue a write of the token's last_used when the
 * stored one is older than AUTH_TOUCH_SECS (see above). The change frees
 * itself on cache->base when done; it holds nothing of the cache.
 */
void		 auth_token_touch(struct auth_cache *, struct store *,
		    const struct principal *who,
		    const struct auth_token_info *);

/*
 * The scope role has under grants for access: SCOPE_ALL for ACCESS_OPEN;
 * SCOPE_DENY for ROLE_NONE, an unknown role, or a grant left unset (which
 * router_init refuses, so it never reaches a request).
 */
enum scope	 auth_scope(const struct grants *, enum role, enum access);

enum role	 auth_role_parse(const char *);
const char	*auth_role_name(enum role);

#endif
