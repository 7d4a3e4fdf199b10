/*
 * config.h: auditord's INI configuration (auditord.conf(5)).
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#define CONFIG_PATH	"/etc/auditord/auditord.conf"
#define CONFIG_WORKERS_MAX	64	/* [server] workers, and one per core */

/*
 * The _Atomic members are the ones SIGHUP changes in place
 * (config_apply_live) while worker threads read them; the rest hold from
 * start to stop.
 */
struct config {
	/* [server] */
	char		*listen;		/* host:port, [v6]:port */
	int		 workers;		/* 0: one per core */
	_Atomic int	 max_connections;	/* per process (restart only) */
	int		 max_per_address;	/* per client address (restart
						   only) */
	_Atomic int	 handshake_timeout;	/* s: TLS handshake */
	_Atomic int	 request_timeout;	/* s: headers and body, total */
	_Atomic int	 idle_timeout;		/* s: between two requests */
	_Atomic size_t	 max_body;		/* bytes */
	_Atomic size_t	 max_headers;		/* bytes: request line and headers */
	_Atomic size_t	 max_line;		/* bytes: request line */
	/* [tls] */
	char		*cert;
	char		*key;			/* the file read */
	char		*key_credential;	/* NULL, or a credential's name */
	int		 key_from_credential;	/* key is in the credentials */
	char		*ca;
	char		*crl;			/* NULL: none */
	/*
	 * s: how often the CA and CRL files are looked at again (a changed
	 * one reloads as SIGHUP does), and the longest a session ticket
	 * lives, so that no ticket outlives a CRL check.
	 */
	int		 crl_check_interval;
	/* [auth] */
	int		 tokens;		/* 1: bearer tokens accepted */
	/* [store] */
	char		*store_path;
	size_t		 map_size;		/* bytes */
	size_t		 map_max;		/* bytes the map may grow to */
	/* [log] */
	_Atomic int	 log_level;		/* LOG_LEVEL_* (log.h) */
	_Atomic int	 log_access;		/* 1: a line per request */
};

/*
 * Load path into a fresh config (defaults, then the file). Returns NULL and
 * a message naming the file, line and key in err on any unknown section or
 * key, bad value, or missing required key. With key_credential set and
 * $CREDENTIALS_DIRECTORY set (systemd's LoadCredential=), key becomes
 * that directory's file of that name. Free with config_free().
 */
struct config	*config_load(const char *path, char *err, size_t errlen);
void		 config_free(struct config *);

/*
 * SIGHUP: copy what may change while serving from next into live (the
 * limits, the log settings, the TLS file names) and log, for each key
 * that only a restart changes, that it was kept. live stays the daemon's;
 * next is the caller's to free. The TLS file names are only read on the
 * thread that calls this one.
 */
void		 config_apply_live(struct config *live,
		    const struct config *next);

/*
 * The worker threads to run: workers when set, else ncores (the online
 * cores, say sysconf(_SC_NPROCESSORS_ONLN)), at least 1 and at most
 * CONFIG_WORKERS_MAX either way, so a big machine cannot ask for more
 * workers (and store reader slots) than a configuration could.
 */
int		 config_workers(const struct config *, long ncores);

/*
 * Parse a listen value, "host:port" or "[v6]:port" with a numeric host and
 * a port of 0 to 65535 (0: the kernel picks one), into ss and *len. -1 if
 * malformed. config_load() checks [server] listen with it.
 */
struct sockaddr_storage;
int		 config_listen_addr(const char *s, struct sockaddr_storage *ss,
		    int *len);

/* Parse "1024", "64K", "512M", "1G" into bytes. -1 if malformed. */
int		 config_parse_size(const char *s, size_t *out);

#endif
