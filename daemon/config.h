/*
 * config.h: auditord's INI configuration (auditord.conf(5)).
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#define CONFIG_PATH	"/etc/auditord/auditord.conf"
#define CONFIG_WORKERS_MAX	64	/* [server] workers, and one per core */

struct config {
	/* [server] */
	char		*listen;		/* host:port, [v6]:port */
	int		 workers;		/* 0: one per core */
	int		 max_connections;	/* per process */
	int		 max_per_address;	/* per client address */
	int		 handshake_timeout;	/* s: TLS handshake */
	int		 request_timeout;	/* s: headers and body, total */
	int		 idle_timeout;		/* s: between keep-alive requests */
	size_t		 max_body;		/* bytes */
	size_t		 max_headers;		/* bytes: request line and headers */
	size_t		 max_line;		/* bytes: request line */
	/* [tls] */
	char		*cert;
	char		*key;
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
};

/*
 * Load path into a fresh config (defaults, then the file). Returns NULL and
 * a message naming the file, line and key in err on any unknown section or
 * key, bad value, or missing required key. Free with config_free().
 */
struct config	*config_load(const char *path, char *err, size_t errlen);
void		 config_free(struct config *);

/*
 * The worker threads to run: workers when set, else ncores (the online
 * cores, say sysconf(_SC_NPROCESSORS_ONLN)), at least 1 and at most
 * CONFIG_WORKERS_MAX either way, so a big machine cannot ask for more
 * workers (and store reader slots) than a configuration could.
 */
int		 config_workers(const struct config *, long ncores);

/* Parse "1024", "64K", "512M", "1G" into bytes. -1 if malformed. */
int		 config_parse_size(const char *s, size_t *out);

#endif
