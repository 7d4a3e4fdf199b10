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

#include <ini.h>

#include "config.h"

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
parse_onoff(const char *s, int *out)
{
	if (strcmp(s, "on") == 0)
		*out = 1;
	else if (strcmp(s, "off") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst != NULL;
}

/* ini_handler: 1 to go on, 0 to stop with an error (message in l->err). */
static int
handler(void *u, const char *section, const char *name, const char *value)
{
	struct load	*l = u;
	struct config	*c = l->c;
	int		 bad = 0;

	/* inih goes on after an error: the first one is the one to report. */
	if (l->err[0] != '\0')
		return 0;

	if (strcmp(section, "server") == 0) {
		if (strcmp(name, "listen") == 0)
			bad = !set_str(&c->listen, value);
		else if (strcmp(name, "workers") == 0)
			bad = parse_int(value, 0, CONFIG_WORKERS_MAX,
			    &c->workers);
		else if (strcmp(name, "max_connections") == 0)
			bad = parse_int(value, 1, 1000000, &c->max_connections);
		else if (strcmp(name, "max_per_address") == 0)
			bad = parse_int(value, 1, 1000000, &c->max_per_address);
		else if (strcmp(name, "handshake_timeout") == 0)
			bad = parse_int(value, 1, 60, &c->handshake_timeout);
		else if (strcmp(name, "request_timeout") == 0)
			bad = parse_int(value, 1, 3600, &c->request_timeout);
		else if (strcmp(name, "idle_timeout") == 0)
			bad = parse_int(value, 1, 86400, &c->idle_timeout);
		else if (strcmp(name, "max_body") == 0)
			bad = config_parse_size(value, &c->max_body) ||
			    c->max_body < 1024 || c->max_body > (1UL << 30);
		else if (strcmp(name, "max_request_line") == 0)
			bad = config_parse_size(value, &c->max_line) ||
			    c->max_line < 256 || c->max_line > (1UL << 20);
		else if (strcmp(name, "max_headers") == 0)
			bad = config_parse_size(value, &c->max_headers) ||
			    c->max_headers < 1024 ||
			    c->max_headers > (1UL << 20);
		else
			goto unknown;
	} else if (strcmp(section, "tls") == 0) {
		if (strcmp(name, "cert") == 0)
			bad = !set_str(&c->cert, value);
		else if (strcmp(name, "key") == 0)
			bad = !set_str(&c->key, value);
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
			bad = parse_onoff(value, &c->tokens);
		else
			goto unknown;
	} else if (strcmp(section, "store") == 0) {
		if (strcmp(name, "path") == 0)
			bad = !set_str(&c->store_path, value);
		else if (strcmp(name, "map_size") == 0)
			bad = config_parse_size(value, &c->map_size) ||
			    c->map_size < (1 << 20);
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
	free(c->ca);
	free(c->crl);
	free(c->store_path);
	free(c);
}
