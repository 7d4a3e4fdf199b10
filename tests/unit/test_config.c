/*
 * test_config.c: auditord.conf loading: defaults, sizes, listen addresses,
 * the systemd credential for the key, what SIGHUP changes, and the errors
 * a bad file gets (each naming what is wrong).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cu.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include "config.h"
#include "log.h"

static char	path[64];

static struct config *
load(const char *text, char *err, size_t errlen)
{
	FILE	*f;
	int	 fd;

	strcpy(path, "/tmp/auditord-conf-XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	{
		struct config *c = config_load(path, err, errlen);
		unlink(path);
		return c;
	}
}

static const char tls_ok[] = "[tls]\ncert = s.crt\nkey = s.key\nca = ca.crt\n";

static void
test_defaults(void)
{
	struct config	*c;
	char		 err[256];

	c = load(tls_ok, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->listen, "127.0.0.1:8443");
	CU_ASSERT_EQUAL(c->max_body, 1 << 20);
	CU_ASSERT_EQUAL(c->map_size, (size_t)1 << 30);
	CU_ASSERT_EQUAL(c->map_max, (size_t)16 << 30);
	CU_ASSERT_STRING_EQUAL(c->cert, "s.crt");
	CU_ASSERT_PTR_NULL(c->crl);
	CU_ASSERT_EQUAL(c->max_per_address, 64);
	CU_ASSERT_EQUAL(c->handshake_timeout, 10);
	CU_ASSERT_EQUAL(c->max_line, 8 << 10);
	CU_ASSERT_EQUAL(c->max_headers, 16 << 10);
	CU_ASSERT_EQUAL(c->crl_check_interval, 3600);
	CU_ASSERT_EQUAL(c->tokens, 0);
	CU_ASSERT_EQUAL(c->log_level, LOG_LEVEL_INFO);
	CU_ASSERT_EQUAL(c->log_access, 1);
	CU_ASSERT_PTR_NULL(c->key_credential);
	config_free(c);
}

static void
test_values(void)
{
	struct config	*c;
	char		 err[256];

	c = load("[server]\nlisten = [::1]:9000\nworkers = 3\n"
	    "max_body = 64K\n[store]\npath = /tmp/x\nmap_size = 2G\n"
	    "[tls]\ncert = a\nkey = b\nca = c\ncrl = d\n"
	    "crl_check_interval = 60\n[auth]\ntokens = on\n", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->listen, "[::1]:9000");
	CU_ASSERT_EQUAL(c->workers, 3);
	CU_ASSERT_EQUAL(c->max_body, 64 << 10);
	CU_ASSERT_EQUAL(c->map_size, (size_t)2 << 30);
	CU_ASSERT_STRING_EQUAL(c->store_path, "/tmp/x");
	CU_ASSERT_STRING_EQUAL(c->crl, "d");
	CU_ASSERT_EQUAL(c->crl_check_interval, 60);
	CU_ASSERT_EQUAL(c->tokens, 1);
	config_free(c);

	c = load("[server]\nmax_connections = 10\nmax_per_address = 9\n"
	    "handshake_timeout = 3\nmax_request_line = 1K\n"
	    "max_headers = 2K\n[tls]\ncert = a\nkey = b\nca = c\n", err,
	    sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->max_per_address, 9);
	CU_ASSERT_EQUAL(c->handshake_timeout, 3);
	CU_ASSERT_EQUAL(c->max_line, 1024);
	config_free(c);
}

static void
test_errors(void)
{
	char	err[256];

	CU_ASSERT_PTR_NULL(load("[tls]\ncert = a\nkey = b\nca = c\n"
	    "crl_check_interval = 59\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "crl_check_interval: bad value"));
	CU_ASSERT_PTR_NULL(load("[tls]\ncert = a\nkey = b\nca = c\n"
	    "[auth]\ntokens = yes\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[auth] tokens: bad value 'yes'"));
	CU_ASSERT_PTR_NULL(load("[server]\nlisten = 127.0.0.1:1\n", err,
	    sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "needs cert, key and ca"));

	/* Refused while loading: before a store is made or a port bound. */
	CU_ASSERT_PTR_NULL(load("[server]\nlisten = x\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[server] listen: bad value 'x'"));
	CU_ASSERT_PTR_NULL(load("[log]\nlevel = loud\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[log] level: bad value 'loud'"));
	CU_ASSERT_PTR_NULL(load("[log]\naccess = yes\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[log] access: bad value 'yes'"));
	CU_ASSERT_PTR_NULL(load("[tls]\nkey_credential = ../k\n", err,
	    sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "key_credential: bad value"));
	CU_ASSERT_PTR_NULL(load("[tls]\ncert = a\nkey = b\nca = c\n[store]\n"
	    "map_size = 2M\nmap_max = 1M\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "map_max must not be below "
	    "map_size"));

	CU_ASSERT_PTR_NULL(load("[server]\nlissten = x\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown key 'lissten'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":2:"));

	CU_ASSERT_PTR_NULL(load("[nope]\na = b\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown section [nope]"));

	CU_ASSERT_PTR_NULL(load("[server]\nworkers = many\n", err,
	    sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad value 'many'"));

	CU_ASSERT_PTR_NULL(load("[server]\nworkers = 65\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad value"));

	CU_ASSERT_PTR_NULL(load("[store]\nmap_size = 12X\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "map_size"));

	CU_ASSERT_PTR_NULL(load("[store]\nmap_size = 1K\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "map_size"));

	/* One address may not take every connection. */
	CU_ASSERT_PTR_NULL(load("[server]\nmax_connections = 64\n[tls]\n"
	    "cert = a\nkey = b\nca = c\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_per_address (64) must be "
	    "below max_connections (64)"));
	CU_ASSERT_PTR_NULL(load("[server]\nmax_request_line = 32K\n[tls]\n"
	    "cert = a\nkey = b\nca = c\n", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_request_line must not be "
	    "above max_headers"));
	CU_ASSERT_PTR_NULL(load("[server]\nhandshake_timeout = 61\n", err,
	    sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad value"));
	CU_ASSERT_PTR_NULL(load("[server]\nmax_per_address = 0\n", err,
	    sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad value"));

	CU_ASSERT_PTR_NULL(config_load("/nonexistent/auditord.conf", err,
	    sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file"));
}

static void
test_listen(void)
{
	struct sockaddr_storage	ss;
	int			len;

	CU_ASSERT_EQUAL(config_listen_addr("127.0.0.1:8443", &ss, &len), 0);
	CU_ASSERT_EQUAL(ss.ss_family, AF_INET);
	CU_ASSERT_EQUAL(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8443);
	/* Port 0: the kernel picks one (the daemon logs which). */
	CU_ASSERT_EQUAL(config_listen_addr("127.0.0.1:0", &ss, &len), 0);
	CU_ASSERT_EQUAL(config_listen_addr("[::1]:9000", &ss, &len), 0);
	CU_ASSERT_EQUAL(ss.ss_family, AF_INET6);
	CU_ASSERT_EQUAL(config_listen_addr("0.0.0.0:65535", &ss, &len), 0);
	CU_ASSERT_EQUAL(config_listen_addr("127.0.0.1:65536", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr("127.0.0.1:-1", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr("127.0.0.1:", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr("127.0.0.1", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr("::1:80", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr("[::1]80", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr("localhost:80", &ss, &len), -1);
	CU_ASSERT_EQUAL(config_listen_addr(":80", &ss, &len), -1);
}

/* key_credential: the key comes from systemd's credentials when set. */
static void
test_credential(void)
{
	struct config	*c;
	char		 err[256];

	unsetenv("CREDENTIALS_DIRECTORY");
	c = load("[tls]\ncert = s.crt\nkey = /etc/s.key\nca = ca.crt\n"
	    "key_credential = server.key\n", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->key, "/etc/s.key");
	CU_ASSERT_EQUAL(c->key_from_credential, 0);
	config_free(c);
	setenv("CREDENTIALS_DIRECTORY", "/run/credentials/auditord.service", 1);
	c = load("[tls]\ncert = s.crt\nkey = /etc/s.key\nca = ca.crt\n"
	    "key_credential = server.key\n", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->key,
	    "/run/credentials/auditord.service/server.key");
	CU_ASSERT_EQUAL(c->key_from_credential, 1);
	config_free(c);
	/* Without key_credential the directory changes nothing. */
	c = load(tls_ok, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->key, "s.key");
	config_free(c);
	unsetenv("CREDENTIALS_DIRECTORY");
}

/* SIGHUP: the live keys change, the restart-only ones stay. */
static void
test_apply_live(void)
{
	struct config	*live, *next;
	char		 err[256];

	live = load("[server]\nlisten = 127.0.0.1:1\nmax_connections = 5\n"
	    "max_per_address = 4\n[tls]\ncert = a\nkey = b\nca = c\n[store]\npath = /tmp/p\n",
	    err, sizeof err);
	next = load("[server]\nlisten = 127.0.0.1:2\nmax_connections = 7\n"
	    "max_per_address = 6\nhandshake_timeout = 4\n"
	    "max_request_line = 2K\nrequest_timeout = 9\nidle_timeout = 8\nmax_body = 2K\n"
	    "max_headers = 3K\n[tls]\ncert = a2\nkey = b2\nca = c2\n"
	    "crl = d2\n[store]\npath = /tmp/q\n[log]\nlevel = debug\n"
	    "access = off\n", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(live);
	CU_ASSERT_PTR_NOT_NULL_FATAL(next);
	config_apply_live(live, next);
	/* The per-address table is sized for the caps at start. */
	CU_ASSERT_EQUAL(live->max_connections, 5);
	CU_ASSERT_EQUAL(live->max_per_address, 4);
	CU_ASSERT_EQUAL(live->handshake_timeout, 4);
	CU_ASSERT_EQUAL(live->max_line, 2048);
	CU_ASSERT_EQUAL(live->request_timeout, 9);
	CU_ASSERT_EQUAL(live->idle_timeout, 8);
	CU_ASSERT_EQUAL(live->max_body, 2048);
	CU_ASSERT_EQUAL(live->max_headers, 3072);
	CU_ASSERT_EQUAL(live->log_level, LOG_LEVEL_DEBUG);
	CU_ASSERT_EQUAL(live->log_access, 0);
	CU_ASSERT_STRING_EQUAL(live->cert, "a2");
	CU_ASSERT_STRING_EQUAL(live->key, "b2");
	CU_ASSERT_STRING_EQUAL(live->ca, "c2");
	CU_ASSERT_STRING_EQUAL(live->crl, "d2");
	CU_ASSERT_STRING_EQUAL(live->listen, "127.0.0.1:1");
	CU_ASSERT_STRING_EQUAL(live->store_path, "/tmp/p");
	config_free(next);
	config_free(live);
}

static void
test_sizes(void)
{
	size_t	v;

	CU_ASSERT_EQUAL(config_parse_size("1024", &v), 0);
	CU_ASSERT_EQUAL(v, 1024);
	CU_ASSERT_EQUAL(config_parse_size("3k", &v), 0);
	CU_ASSERT_EQUAL(v, 3072);
	CU_ASSERT_EQUAL(config_parse_size("1M", &v), 0);
	CU_ASSERT_EQUAL(v, 1 << 20);
	CU_ASSERT_EQUAL(config_parse_size("", &v), -1);
	CU_ASSERT_EQUAL(config_parse_size("-1", &v), -1);
	CU_ASSERT_EQUAL(config_parse_size("1MB", &v), -1);
	CU_ASSERT_EQUAL(config_parse_size("99999999999999999999G", &v), -1);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "defaults", test_defaults },
		{ "values", test_values },
		{ "errors name the problem", test_errors },
		{ "sizes", test_sizes },
		{ "listen addresses", test_listen },
		{ "key from a systemd credential", test_credential },
		{ "SIGHUP's live keys", test_apply_live },
		{ NULL, NULL }
	};

	return cu_run("config", tests);
}
