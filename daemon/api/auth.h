/*
 * auth.h: who is calling and what their role may do (DESIGN §7). The caller
 * is the principal whose certs list holds the SHA-256 of the client
 * certificate's DER; roles never come from certificate names.
 */
#ifndef AUTH_H
#define AUTH_H

#include "server/http.h"
#include "api/router.h"

struct store;

/*
 * A worker's memory of recent lookups. An entry holds for as long as the
 * store has not changed since it was read (the read transaction's id is the
 * last committed write's), so a disabled principal or a removed certificate
 * takes effect with the very next request. One per worker thread; zero it
 * to start.
 */
#define AUTH_CACHE_SLOTS	64

struct auth_slot {
	unsigned char		sha256[32];
	size_t			txnid;	/* 0: empty */
	int			found;
	struct principal	who;
};

struct auth_cache {
	struct auth_slot	slot[AUTH_CACHE_SLOTS];
};

/*
 * Look up the enabled principal for a certificate digest in txn, through
 * cache when it is not NULL. Returns 0 and fills who, or -1 when no enabled
 * principal maps it.
 */
int		 auth_principal(struct store *, MDB_txn *, struct auth_cache *,
		    const unsigned char sha256[32], struct principal *who);

/* What role may do to object with access. */
enum scope	 auth_scope(enum role, const char *object, enum access);

enum role	 auth_role_parse(const char *);
const char	*auth_role_name(enum role);

#endif
