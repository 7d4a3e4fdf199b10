/*
 * config.c: auditord.conf, INI via libinih. Every key is known; an unknown
 * one is an error, so a typo never silently falls back to a default.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netdb.h>
#include <sys/socket.h>

#include <ini.h>

#include "config.h"
#include "log.h"

struct load {
	struct config	*c;
	char		*err;
	size_t		 errlen;
};

int
config_parse_size(const char *s, size_t *out)
{
	char			*end;
	unsigned long long	 v, mul = 1;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end != '\0' || v > SIZE_MAX / mul)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

int
config_listen_addr(const char *s, struct sockaddr_storage *ss, int *len)
{
	struct addrinfo	 hints, *res;
	char		 host[64];
	const char	*port, *end;
	char		*e;
	long		 p;
	size_t		 n;

	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL || end[1] != ':')
			return -1;
		n = (size_t)(end - s - 1);
		port = end + 2;
		s++;
	} else {
		if ((end = strrchr(s, ':')) == NULL || memchr(s, ':',
		    (size_t)(end - s)) != NULL)
			return -1;
		n = (size_t)(end - s);
		port = end + 1;
	}
	if (n == 0 || n >= sizeof host || *port < '0' || *port > '9')
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	errno = 0;
	p = strtol(port, &e, 10);
	if (errno != 0 || *e != '\0' || p < 0 || p > 65535)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	if (res->ai_addrlen > sizeof *ss) {
		freeaddrinfo(res);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = (int)res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int
parse_int(const char *s, int min, int max, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst != NULL;
}

/* The live keys are atomic (config.h): parse, then store. 0 if set. */
static int
set_int(_Atomic int *dst, const char *s, int min, int max)
{
	int	v;

	if (parse_int(s, min, max, &v) == -1)
		return -1;
	*dst = v;
	return 0;
}

static int
set_size(_Atomic size_t *dst, const char *s, size_t min, size_t max)
{
	size_t	v;

	if (config_parse_size(s, &v) == -1 || v < min || v > max)
		return -1;
	*dst = v;
	return 0;
}

/* v: a parsed choice, -1 if the value was none of them. */
static int
set_choice(_Atomic int *dst, int v)
{
	if (v == -1)
		return -1;
	*dst = v;
	return 0;
}

/* "on" or "off" to 1 or 0; -1 for anything else. */
static int
parse_onoff(const char *s)
{
	if (strcmp(s, "on") == 0)
		return 1;
	return strcmp(s, "off") == 0 ? 0 : -1;
}

/*
 * A credential's name is a file name in $CREDENTIALS_DIRECTORY: no '/',
 * not "." or "..", and systemd's own limit of a file name's length.
 */
static int
credential_name(const char *s)
{
	size_t	n = strlen(s);

	return n > 0 && n <= 255 && strchr(s, '/') == NULL &&
	    strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* ini_handler: 1 to go on, 0 to stop with an error (message in l->err). */
static int
handler(void *u, const char *section, const char *name, const char *value)
{
	struct load		*l = u;
	struct config		*c = l->c;
	struct sockaddr_storage	 ss;
	int			 bad = 0, sslen;

	/* inih goes on after an error: the first one is the one to report. */
	if (l->err[0] != '\0')
		return 0;

	if (strcmp(section, "server") == 0) {
		if (strcmp(name, "listen") == 0)
			bad = config_listen_addr(value, &ss, &sslen) == -1 ||
			    !set_str(&c->listen, value);
		else if (strcmp(name, "workers") == 0)
			bad = parse_int(value, 0, CONFIG_WORKERS_MAX,
			    &c->workers);
		else if (strcmp(name, "max_connections") == 0)
			bad = set_int(&c->max_connections, value, 1, 1000000);
		else if (strcmp(name, "max_per_address") == 0)
			bad = parse_int(value, 1, 1000000, &c->max_per_address);
		else if (strcmp(name, "handshake_timeout") == 0)
			bad = set_int(&c->handshake_timeout, value, 1, 60);
		else if (strcmp(name, "request_timeout") == 0)
			bad = set_int(&c->request_timeout, value, 1, 3600);
		else if (strcmp(name, "idle_timeout") == 0)
			bad = set_int(&c->idle_timeout, value, 1, 86400);
		else if (strcmp(name, "max_body") == 0)
			bad = set_size(&c->max_body, value, 1024, 1UL << 30);
		else if (strcmp(name, "max_request_line") == 0)
			bad = set_size(&c->max_line, value, 256, 1UL << 20);
		else if (strcmp(name, "max_headers") == 0)
			bad = set_size(&c->max_headers, value, 1024, 1UL << 20);
		else
			goto unknown;
	} else if (strcmp(section, "tls") == 0) {
		if (strcmp(name, "cert") == 0)
			bad = !set_str(&c->cert, value);
		else if (strcmp(name, "key") == 0)
			bad = !set_str(&c->key, value);
		else if (strcmp(name, "key_credential") == 0)
			bad = !credential_name(value) ||
			    !set_str(&c->key_credential, value);
		else if (strcmp(name, "ca") == 0)
			bad = !set_str(&c->ca, value);
		else if (strcmp(name, "crl") == 0)
			bad = !set_str(&c->crl, value);
		else if (strcmp(name, "crl_check_interval") == 0)
			bad = parse_int(value, 60, 86400,
			    &c->crl_check_interval);
		else
			goto unknown;
	} else if (strcmp(section, "auth") == 0) {
		if (strcmp(name, "tokens") == 0)
			bad = (c->tokens = parse_onoff(value)) == -1;
		else
			goto unknown;
	} else if (strcmp(section, "store") == 0) {
		if (strcmp(name, "path") == 0)
			bad = !set_str(&c->store_path, value);
		else if (strcmp(name, "map_size") == 0)
			bad = config_parse_size(value, &c->map_size) ||
			    c->map_size < (1 << 20);
		else if (strcmp(name, "map_max") == 0)
			bad = config_parse_size(value, &c->map_max) ||
			    c->map_max < (1 << 20);
		else
			goto unknown;
	} else if (strcmp(section, "log") == 0) {
		if (strcmp(name, "level") == 0)
			bad = set_choice(&c->log_level, log_level_parse(value));
		else if (strcmp(name, "access") == 0)
			bad = set_choice(&c->log_access, parse_onoff(value));
		else
			goto unknown;
	} else {
		snprintf(l->err, l->errlen, "unknown section [%s]", section);
		return 0;
	}
	if (bad) {
		snprintf(l->err, l->errlen, "[%s] %s: bad value '%s'", section,
		    name, value);
		return 0;
	}
	return 1;
unknown:
	snprintf(l->err, l->errlen, "[%s] unknown key '%s'", section, name);
	return 0;
}

int
config_workers(const struct config *c, long ncores)
{
	long	n = c->workers > 0 ? c->workers : ncores;

	if (n < 1)
		return 1;
	return n > CONFIG_WORKERS_MAX ? CONFIG_WORKERS_MAX : (int)n;
}

struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config	*c;
	struct load	 l;
	const char	*dir;
	char		 why[256] = "";
	int		 rc;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->workers = 0;
	c->max_connections = 1024;
	c->max_per_address = 64;
	c->handshake_timeout = 10;
	c->max_line = 8 << 10;
	c->request_timeout = 30;
	c->idle_timeout = 60;
	c->max_body = 1 << 20;
	c->max_headers = 16 << 10;
	c->map_size = (size_t)1 << 30;
	c->crl_check_interval = 3600;
	c->log_level = LOG_LEVEL_INFO;
	c->log_access = 1;
	if (!set_str(&c->listen, "127.0.0.1:8443") ||
	    !set_str(&c->store_path, "/var/lib/auditord")) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}

	l.c = c;
	l.err = why;
	l.errlen = sizeof why;
	rc = ini_parse(path, handler, &l);
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (rc != 0) {
		snprintf(err, errlen, "%s:%d: %s", path, rc,
		    why[0] != '\0' ? why : "syntax error");
		goto fail;
	}
	if (c->cert == NULL || c->key == NULL || c->ca == NULL) {
		snprintf(err, errlen, "%s: [tls] needs cert, key and ca", path);
		goto fail;
	}
	/* Else one address could take every connection (auditord.conf(5)). */
	if (c->max_per_address >= c->max_connections) {
		snprintf(err, errlen, "%s: [server] max_per_address (%d) must "
		    "be below max_connections (%d)", path, c->max_per_address,
		    c->max_connections);
		goto fail;
	}
	if (c->max_line > c->max_headers) {
		snprintf(err, errlen, "%s: [server] max_request_line must not "
		    "be above max_headers", path);
		goto fail;
	}
	/* Unset: room to grow sixteenfold before a 507 (auditord.conf(5)). */
	if (c->map_max == 0)
		c->map_max = c->map_size <= SIZE_MAX / 16 ? c->map_size * 16 :
		    c->map_size;
	else if (c->map_max < c->map_size) {
		snprintf(err, errlen, "%s: [store] map_max must not be below "
		    "map_size", path);
		goto fail;
	}
	if (c->key_credential != NULL && (dir = getenv("CREDENTIALS_DIRECTORY"))
	    != NULL && dir[0] != '\0') {
		free(c->key);
		if (asprintf(&c->key, "%s/%s", dir, c->key_credential) == -1) {
			c->key = NULL;
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		c->key_from_credential = 1;
	}
	return c;
fail:
	config_free(c);
	return NULL;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	free(c->listen);
	free(c->cert);
	free(c->key);
	free(c->key_credential);
	free(c->ca);
	free(c->crl);
	free(c->store_path);
	free(c);
}

/* A restart-only string key that differs: say it was kept. */
static void
kept_str(const char *key, const char *live, const char *next)
{
	if ((live == NULL) != (next == NULL) ||
	    (live != NULL && strcmp(live, next) != 0))
		log_warnx("reload: %s changes on restart only; keeping '%s'",
		    key, live != NULL ? live : "");
}

static void
swap_str(char **live, const char *next)
{
	char	*old = *live;

	*live = next != NULL ? strdup(next) : NULL;
	if (next != NULL && *live == NULL) {
		*live = old;	/* out of memory: the old name stays */
		return;
	}
	free(old);
}

void
config_apply_live(struct config *live, const struct config *next)
{
	kept_str("[server] listen", live->listen, next->listen);
	kept_str("[store] path", live->store_path, next->store_path);
	if (live->workers != next->workers)
		log_warnx("reload: [server] workers changes on restart only; "
		    "keeping %d", live->workers);
	if (live->map_max != next->map_max)
		log_warnx("reload: [store] map_max changes on restart only; "
		    "keeping %zu", live->map_max);
	if (live->map_size != next->map_size)
		log_warnx("reload: [store] map_size changes on restart only; "
		    "keeping %zu", live->map_size);
	/*
	 * The per-address table is sized for the global cap once, at start:
	 * both caps change on restart only.
	 */
	if (live->max_connections != next->max_connections ||
	    live->max_per_address != next->max_per_address)
		log_warnx("reload: [server] max_connections and "
		    "max_per_address change on restart only; keeping %d and %d",
		    (int)live->max_connections, live->max_per_address);
	if (live->tokens != next->tokens ||
	    live->crl_check_interval != next->crl_check_interval)
		log_warnx("reload: [auth] tokens and [tls] crl_check_interval "
		    "change on restart only");
	live->handshake_timeout = next->handshake_timeout;
	live->request_timeout = next->request_timeout;
	live->idle_timeout = next->idle_timeout;
	live->max_body = next->max_body;
	live->max_headers = next->max_headers;
	live->max_line = next->max_line;
	live->log_level = next->log_level;
	live->log_access = next->log_access;
	swap_str(&live->cert, next->cert);
	swap_str(&live->key, next->key);
	swap_str(&live->key_credential, next->key_credential);
	live->key_from_credential = next->key_from_credential;
	swap_str(&live->ca, next->ca);
	swap_str(&live->crl, next->crl);
}
