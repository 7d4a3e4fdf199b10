/*
 * auth.h: who is calling and what their role may do on a route. The caller
 * is the principal whose certs list holds the SHA-256 of the client
 * certificate's DER; roles never come from certificate names. What a role
 * may do is in each resource's grants (resource.h); auth_scope reads them.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stdint.h>

#include <lmdb.h>

#include "api/resource.h"

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

struct auth_cache {
	struct auth_slot	slot[AUTH_CACHE_SLOTS];
	uint64_t		lookups;
};

/*
 * Look up the enabled principal for a certificate digest in txn, through
 * cache when it is not NULL. Returns 0 and fills who, or -1 when no enabled
 * principal maps it.
 */
int		 auth_principal(struct store *, MDB_txn *, struct auth_cache *,
		    const unsigned char sha256[32], struct principal *who);

/*
 * The scope role has under grants for access: SCOPE_ALL for ACCESS_OPEN;
 * SCOPE_DENY for ROLE_NONE, an unknown role, or a grant left unset (which
 * router_init refuses, so it never reaches a request).
 */
enum scope	 auth_scope(const struct grants *, enum role, enum access);

enum role	 auth_role_parse(const char *);
const char	*auth_role_name(enum role);

#endif
