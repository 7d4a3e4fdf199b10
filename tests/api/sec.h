/*
 * sec.h: the daemon the security cases share (cases_tokens.c,
 * cases_matrix.c): a second auditord on a store of its own with
 * [auth] tokens = on and a CRL, started on first use and stopped when the
 * test program exits. Its client certificates, made with the test CA:
 * sec-good (mapped, never revoked), sec-revoked (on the first CRL),
 * sec-later (revoked by sec_revoke_later), sec-none (never mapped), and
 * one per role for the matrix (sec-admin2, ...: see sec.c).
 */
#ifndef SEC_H
#define SEC_H

/* The daemon's https://127.0.0.1:PORT, starting it if needed; NULL if it
 * cannot be started (after printing why). */
const char	*sec_url(void);

/* URL + path into out (PATH_MAX bytes); returns out. */
char		*sec_path(char *out, const char *path);

/*
 * Revoke sec-later in a new CRL (the next update days from now), and SIGHUP
 * the daemon. 0, or -1 after printing why.
 */
int		 sec_revoke_later(int days);

struct resp;

/*
 * client_http on the daemon's path as certificate who (NULL: none), with
 * an Authorization header of authz ("Bearer ..."; NULL: none).
 */
int		 sec_http(struct resp *, const char *who, const char *method,
		    const char *path, const char *body, const char *authz);

/* POST body to path as admin: 1 if it was made or is there already. */
int		 sec_put(const char *path, const char *body);

/* The daemon's log so far (malloc'd, NUL-terminated), or NULL. */
char		*sec_log(void);

/* The daemon's pid (0: not running). */
int		 sec_pid(void);

#endif
