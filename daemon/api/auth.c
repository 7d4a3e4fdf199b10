/*
 * auth.c: certificate digest -> principal (with a per-worker cache), role
 * names, and reading a resource's grants. Who may do what is written in
 * the resource entries (api-*.c), nowhere else.
 */
#include <string.h>

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

static int
lookup(struct store *st, MDB_txn *txn, const unsigned char *sha256,
    struct principal *who)
{
	char		 hex[SHA256_HEX], id[ID_MAX + 1];
	MDB_val		 doc;
	json_t		*p = NULL;
	const char	*role, *auditor;
	int		 rc = -1;

	util_hex(sha256, 32, hex);
	if (store_index_get(st, txn, "principals", "certs", hex, id) != 0)
		return -1;
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
	strcpy(who->id, id);
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
