/*
 * auth.h: who is calling and what their role may do (DESIGN §7). The caller
 * is the principal whose certs list holds the SHA-256 of the client
 * certificate's DER; roles never come from certificate names.
 */
#ifndef AUTH_H
#define AUTH_H

#include "http.h"
#include "router.h"

struct store;

/*
 * Look up the enabled principal for a certificate digest in txn. Returns
 * 0 and fills who, or -1 when no enabled principal maps it.
 */
int		 auth_principal(struct store *, MDB_txn *,
		    const unsigned char sha256[32], struct principal *who);

/* What role may do to object with access. */
enum scope	 auth_scope(enum role, const char *object, enum access);

enum role	 auth_role_parse(const char *);
const char	*auth_role_name(enum role);

#endif
