/*
 * cases_daemon.c: auditord as a program: `-n` configuration checks,
 * bootstrap's refusals, SIGHUP reload, and, on a second daemon with small
 * limits, the connection cap and the per-connection deadline.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "cases.h"
#include "rawtls.h"

/* Write text into the test directory's file name; 0 or -1. */
static int
put_file(const char *name, const char *text)
{
	char	 path[PATH_MAX];
	FILE	*f;
	int	 rc;

	if ((f = fopen(harness_file(path, name), "w")) == NULL)
		return -1;
	fputs(text, f);
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* A config for the test directory's certificates on port, plus extra. */
static int
put_config(const char *name, const char *port, const char *store,
    const char *extra)
{
	char	text[4096];

	snprintf(text, sizeof text, "[server]\nlisten = 127.0.0.1:%s\n"
	    "%s\n[tls]\ncert = %s/server.crt\n"
	    "key = %s/server.key\nca = %s/ca.crt\n\n[store]\npath = %s/%s\n"
	    "map_size = 16M\n", port, extra, harness.dir, harness.dir,
	    harness.dir, harness.dir, store);
	return put_file(name, text);
}

static int
run_auditord(struct proc *p, const char *const args[])
{
	const char	*argv[16];
	size_t		 n = 0;

	argv[n++] = harness.auditord;
	for (; *args != NULL && n < sizeof argv / sizeof argv[0] - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return harness_run(argv, NULL, NULL, 0, 30000, p);
}

void
daemon_config_check(void)
{
	char		conf[PATH_MAX], bad[PATH_MAX];
	struct proc	p;

	/* The suite's certificates on port 0 and a store not made yet pass. */
	CU_ASSERT_FATAL(put_config("check.conf", "0", "check-store", "") == 0);
	harness_file(conf, "check.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f", conf,
	    NULL }), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "configuration OK"));
	harness_proc_free(&p);
	/* -n creates nothing. */
	harness_file(bad, "check-store");
	CU_ASSERT(access(bad, F_OK) == -1);

	/* The suite's own: its daemon holds the port, as it would at start. */
	harness_file(conf, "auditord.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f", conf,
	    NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "Address already in use"));
	CU_ASSERT_PTR_NULL(strstr(p.out, "configuration OK"));
	harness_proc_free(&p);

	/* A misspelt key: exit 1, naming the line and the key. */
	CU_ASSERT_FATAL(put_file("typo.conf", "[server]\nlisten = 127.0.0.1:1"
	    "\nworkerz = 2\n") == 0);
	harness_file(bad, "typo.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f", bad,
	    NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "typo.conf:3"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "unknown key 'workerz'"));
	harness_proc_free(&p);

	/* Two mistakes: the first is the one reported. */
	CU_ASSERT_FATAL(put_file("two.conf", "[server]\nbogus = 1\n\n\n"
	    "also_bogus = 2\n") == 0);
	harness_file(bad, "two.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f", bad,
	    NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "two.conf:2: [server] unknown "
	    "key 'bogus'"));
	harness_proc_free(&p);

	/* A certificate that is not there: exit 1, naming the problem. */
	CU_ASSERT_FATAL(put_file("nocert.conf", "[tls]\ncert = /nonexistent/"
	    "server.crt\nkey = /nonexistent/server.key\nca = /nonexistent/"
	    "ca.crt\n") == 0);
	harness_file(bad, "nocert.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f", bad,
	    NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "TLS"));
	harness_proc_free(&p);

	/* No such file, and a usage error. */
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f",
	    "/nonexistent/auditord.conf", NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "No such file"));
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-x", NULL }), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "usage:"));
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "--bogus", NULL }),
	    2);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "usage:"));
	harness_proc_free(&p);

	/* --help and --version answer on stdout and exit 0. */
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "--help", NULL }),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "-V, --version"));
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "--version",
	    NULL }), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "auditord 0."));
	harness_proc_free(&p);
}

void
daemon_bootstrap_refusals(void)
{
	char		conf[PATH_MAX], cert[PATH_MAX], junk[PATH_MAX];
	char		port[16];
	struct proc	p;

	/* Its own store, so the running daemon's is not touched. */
	CU_ASSERT_FATAL(harness_free_port(port, sizeof port) == 0);
	CU_ASSERT_FATAL(put_config("boot.conf", port, "boot-data",
	    "workers = 1\n") == 0);
	harness_file(conf, "boot.conf");
	harness_file(cert, "admin.crt");
	CU_ASSERT_FATAL(put_file("junk.pem", "not a certificate\n") == 0);
	harness_file(junk, "junk.pem");

	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "bootstrap", "-f",
	    conf, "--admin", "root", "--cert", junk, NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "not a PEM or DER certificate"));
	harness_proc_free(&p);

	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "bootstrap", "-f",
	    conf, "--admin", "no such id", "--cert", cert, NULL }), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "is not a record id"));
	harness_proc_free(&p);

	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "bootstrap", "-f",
	    conf, "--admin", "root", NULL }), 2);
	harness_proc_free(&p);

	/* The first registration works; the same certificate again is 409. */
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "bootstrap", "-f",
	    conf, "--admin", "root", "--cert", cert, NULL }), 0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "bootstrap", "-f",
	    conf, "--admin", "root2", "--cert", cert, NULL }), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "already mapped"));
	harness_proc_free(&p);
	/* With --if-empty, an existing admin means nothing to do. */
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "bootstrap", "-f",
	    conf, "--admin", "root3", "--cert", cert, "--if-empty", NULL }),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "nothing to do"));
	harness_proc_free(&p);
}

/* 1 once the log file name holds what (polled for up to secs). */
static int
log_has(const char *name, const char *what, int secs)
{
	char	 path[PATH_MAX], *buf;
	FILE	*f;
	size_t	 n;
	int	 i, seen = 0;

	if ((buf = malloc(1 << 20)) == NULL)
		return 0;
	harness_file(path, name);
	for (i = 0; i < secs * 10 && !seen; i++) {
		if (i > 0)
			usleep(100 * 1000);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		n = fread(buf, 1, (1 << 20) - 1, f);
		buf[n] = '\0';
		fclose(f);
		seen = strstr(buf, what) != NULL;
	}
	free(buf);
	return seen;
}

/* Run a shell command in the test directory; its exit status. */
static int
sh(const char *cmd, struct proc *p)
{
	char		 script[4096];
	const char	*argv[] = { "sh", "-c", script, NULL };

	snprintf(script, sizeof script, "cd '%s' && %s", harness.dir, cmd);
	return harness_run(argv, NULL, NULL, 0, 120000, p);
}

#define HUP_CONNS	12	/* spread over the daemon's 4 workers */

/*
 * 1 if each of HUP_CONNS new connections to port is served the certificate
 * whose DER has the hex SHA-256 want.
 */
static int
served_everywhere(const char *port, const char *want)
{
	char		cmd[1024];
	struct proc	p;
	const char	*line;
	int		n = 0, ok = 1;

	snprintf(cmd, sizeof cmd, "for i in $(seq %d); do openssl s_client "
	    "-connect 127.0.0.1:%s -servername localhost -CAfile ca.crt "
	    "-cert admin.crt -key admin.key </dev/null 2>/dev/null | "
	    "openssl x509 -outform DER 2>/dev/null | sha256sum | "
	    "cut -c1-64; done", HUP_CONNS, port);
	if (sh(cmd, &p) != 0)
		ok = 0;
	for (line = p.out; ok && *line != '\0'; n++) {
		ok = strncmp(line, want, 64) == 0 && line[64] == '\n';
		line += strcspn(line, "\n") + (line[64] == '\n');
	}
	harness_proc_free(&p);
	return ok && n == HUP_CONNS;
}

/* The hex SHA-256 of the DER of the certificate file name. */
static void
cert_sha(const char *name, char out[65])
{
	char		cmd[256];
	struct proc	p;

	snprintf(cmd, sizeof cmd, "openssl x509 -in %s -outform DER | "
	    "sha256sum | cut -c1-64", name);
	out[0] = '\0';
	if (sh(cmd, &p) == 0 && p.outlen >= 64)
		snprintf(out, 65, "%.64s", p.out);
	harness_proc_free(&p);
}

/* A keep-alive TLS connection as admin that answered one request. */
struct idle {
	mbedtls_net_context		net;
	mbedtls_ssl_context		ssl;
	mbedtls_ssl_config		conf;
	mbedtls_x509_crt		ca, crt;
	mbedtls_pk_context		key;
	mbedtls_entropy_context		entropy;
	mbedtls_ctr_drbg_context	drbg;
};

/* 0 once GET /livez was answered 200 and the connection stays open. */
static int
idle_open(struct idle *k, const char *port)
{
	static const char	 req[] = "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n";
	char			 ca[PATH_MAX], crt[PATH_MAX], key[PATH_MAX];
	unsigned char		 buf[1024];
	int			 r;

	mbedtls_net_init(&k->net);
	mbedtls_ssl_init(&k->ssl);
	mbedtls_ssl_config_init(&k->conf);
	mbedtls_x509_crt_init(&k->ca);
	mbedtls_x509_crt_init(&k->crt);
	mbedtls_pk_init(&k->key);
	mbedtls_entropy_init(&k->entropy);
	mbedtls_ctr_drbg_init(&k->drbg);
	if (mbedtls_ctr_drbg_seed(&k->drbg, mbedtls_entropy_func, &k->entropy,
	    NULL, 0) != 0 ||
	    mbedtls_x509_crt_parse_file(&k->ca, harness_file(ca, "ca.crt")) ||
	    mbedtls_x509_crt_parse_file(&k->crt, harness_file(crt,
	    "admin.crt")) || mbedtls_pk_parse_keyfile(&k->key,
	    harness_file(key, "admin.key"), NULL) ||
	    mbedtls_ssl_config_defaults(&k->conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT))
		return -1;
	mbedtls_ssl_conf_authmode(&k->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(&k->conf, &k->ca, NULL);
	mbedtls_ssl_conf_rng(&k->conf, mbedtls_ctr_drbg_random, &k->drbg);
	if (mbedtls_ssl_conf_own_cert(&k->conf, &k->crt, &k->key) ||
	    mbedtls_ssl_setup(&k->ssl, &k->conf) ||
	    mbedtls_ssl_set_hostname(&k->ssl, "localhost") ||
	    mbedtls_net_connect(&k->net, "127.0.0.1", port,
	    MBEDTLS_NET_PROTO_TCP))
		return -1;
	mbedtls_ssl_set_bio(&k->ssl, &k->net, mbedtls_net_send,
	    mbedtls_net_recv, NULL);
	while ((r = mbedtls_ssl_handshake(&k->ssl)) ==
	    MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
		;
	if (r != 0 || mbedtls_ssl_write(&k->ssl, (const unsigned char *)req,
	    sizeof req - 1) != (int)sizeof req - 1)
		return -1;
	r = mbedtls_ssl_read(&k->ssl, buf, sizeof buf - 1);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	return strncmp((char *)buf, "HTTP/1.1 200", 12) == 0 ? 0 : -1;
}

static void
idle_close(struct idle *k)
{
	mbedtls_net_free(&k->net);
	mbedtls_ssl_free(&k->ssl);
	mbedtls_ssl_config_free(&k->conf);
	mbedtls_x509_crt_free(&k->ca);
	mbedtls_x509_crt_free(&k->crt);
	mbedtls_pk_free(&k->key);
	mbedtls_ctr_drbg_free(&k->drbg);
	mbedtls_entropy_free(&k->entropy);
}

static pid_t	spawn_daemon(const char *, const char *, const char *);
static int	tcp_connect(const char *);
static void	small_stop(pid_t);

/*
 * SIGHUP on a daemon with 4 workers: the files are read once, so every
 * connection, whichever worker takes it, is served the new certificate;
 * a broken file leaves every worker with the old one.
 */
static void
sighup_workers(void)
{
	char		port[16], conf[2048], old[65], new[65];
	struct idle	idle[4];
	struct proc	p;
	pid_t		pid;
	int		i, ok = 0, half, silent;

	CU_ASSERT_FATAL(sh("openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out hup2.key 2>&1 && openssl req -new "
	    "-key hup2.key -subj /CN=localhost -out hup2.csr 2>&1 && printf "
	    "'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage="
	    "serverAuth\\n' > hup2.ext && openssl x509 -req -in hup2.csr "
	    "-CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 2 "
	    "-extfile hup2.ext -out hup2.crt 2>&1 && cp server.crt hup.crt && "
	    "cp server.key hup.key", &p) == 0);
	harness_proc_free(&p);
	cert_sha("server.crt", old);
	cert_sha("hup2.crt", new);
	CU_ASSERT_FATAL(old[0] != '\0' && new[0] != '\0' &&
	    strcmp(old, new) != 0);

	CU_ASSERT_FATAL(harness_free_port(port, sizeof port) == 0);
	snprintf(conf, sizeof conf, "[server]\nlisten = 127.0.0.1:%s\n"
	    "workers = 4\n[tls]\ncert = %s/hup.crt\nkey = %s/hup.key\n"
	    "ca = %s/ca.crt\n\n[store]\npath = %s/hup-data\n"
	    "map_size = 16M\n", port, harness.dir, harness.dir, harness.dir,
	    harness.dir);
	CU_ASSERT_FATAL(put_file("hup.conf", conf) == 0);
	pid = spawn_daemon("hup.conf", "hup.log", port);
	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT(served_everywhere(port, old));

	/* New files: every worker serves the new certificate. */
	CU_ASSERT_FATAL(sh("cp hup2.crt hup.crt && cp hup2.key hup.key",
	    &p) == 0);
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(kill(pid, SIGHUP), 0);
	CU_ASSERT(log_has("hup.log", "reloaded TLS material: certificate "
	    "CN=localhost, expires ", 10));
	/* The workers take it on their next turn: allow them a moment. */
	for (i = 0; i < 20 && !ok; i++) {
		if (i > 0)
			usleep(250 * 1000);
		ok = served_everywhere(port, new);
	}
	CU_ASSERT(ok);

	/* A broken certificate: said once, and everyone keeps the new one. */
	CU_ASSERT_FATAL(put_file("hup.crt", "-----BEGIN CERTIFICATE-----\n"
	    "broken\n-----END CERTIFICATE-----\n") == 0);
	CU_ASSERT_EQUAL(kill(pid, SIGHUP), 0);
	CU_ASSERT(log_has("hup.log", "TLS reload failed, every worker keeps "
	    "the old material: cannot load certificate ", 10));
	CU_ASSERT(served_everywhere(port, new));

	/*
	 * Stop with connections open: idle keep-alive ones (one per worker,
	 * likely), a handshake half done and a silent socket. Under `make
	 * memcheck` every one must be freed by exit (no leak at all).
	 */
	for (i = 0; i < 4; i++)
		CU_ASSERT(idle_open(&idle[i], port) == 0);
	half = tcp_connect(port);
	silent = tcp_connect(port);
	CU_ASSERT(half >= 0 && silent >= 0);
	CU_ASSERT(write(half, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc", 9) ==
	    9);
	usleep(300 * 1000);
	small_stop(pid);
	for (i = 0; i < 4; i++)
		idle_close(&idle[i]);
	close(half);
	close(silent);
	/* One line per reload, not one per worker. */
	CU_ASSERT_EQUAL(sh("grep -c 'reloaded TLS material' hup.log", &p), 0);
	CU_ASSERT_STRING_EQUAL(p.out, "1\n");
	harness_proc_free(&p);
	CU_ASSERT_EQUAL(sh("grep -c 'worker [0-9]' hup.log", &p), 1);
	harness_proc_free(&p);
}

void
daemon_sighup(void)
{
	struct resp	 r;

	CU_ASSERT_FATAL(harness.pid > 0);
	CU_ASSERT_EQUAL(kill(harness.pid, SIGHUP), 0);
	CU_ASSERT(log_has("auditord.log", "reloaded TLS material: certificate "
	    "O=auditord development, CN=localhost, expires ", 5));
	/* And it goes on answering, still as the same principals. */
	client_http(&r, "admin", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "admin");
	client_resp_free(&r);
	sighup_workers();
}

/* curl GET /livez on port with a time limit; returns curl's exit code. */
static int
livez(const char *port, int max_s, int *http)
{
	char		url[64], ca[PATH_MAX], crt[PATH_MAX], key[PATH_MAX];
	char		secs[16];
	const char	*argv[] = { "curl", "-s", "-o", "/dev/null", "-w",
			    "%{http_code}", "--max-time", secs, "--cacert", ca,
			    "--cert", crt, "--key", key, url, NULL };
	struct proc	p;
	int		rc;

	snprintf(url, sizeof url, "https://127.0.0.1:%s/livez", port);
	snprintf(secs, sizeof secs, "%d", max_s);
	harness_file(ca, "ca.crt");
	harness_file(crt, "admin.crt");
	harness_file(key, "admin.key");
	rc = harness_run(argv, NULL, NULL, 0, (max_s + 5) * 1000, &p);
	*http = atoi(p.out);
	harness_proc_free(&p);
	return rc;
}

static long
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int	trickle(const char *, const char *, const char *);

/* A TCP connection to 127.0.0.1:port from source address src (or any). */
static int
tcp_connect_from(const char *port, const char *src)
{
	struct sockaddr_in	sin;
	int			fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if (src != NULL && (inet_pton(AF_INET, src, &sin.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1)) {
		close(fd);
		return -1;
	}
	sin.sin_port = htons((unsigned short)atoi(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
tcp_connect(const char *port)
{
	return tcp_connect_from(port, NULL);
}

/*
 * Start auditord on the test directory's config conf, its stderr to log,
 * and wait until port answers /livez. Its pid, or -1.
 */
static pid_t
spawn_daemon(const char *confname, const char *logname, const char *port)
{
	char		conf[PATH_MAX], log[PATH_MAX];
	const char	*argv[] = { harness.auditord, "-f", conf, NULL };
	posix_spawn_file_actions_t fa;
	pid_t		pid;
	int		i, http = 0;

	harness_file(conf, confname);
	harness_file(log, logname);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT |
	    O_APPEND, 0600);
	if (posix_spawn(&pid, harness.auditord, &fa, NULL,
	    (char *const *)argv, harness_env(NULL)) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	for (i = 0; pid > 0 && i < 100 && http != 200; i++) {
		usleep(100 * 1000);
		livez(port, 2, &http);
	}
	return http == 200 ? pid : -1;
}

/*
 * A second daemon with max_connections 2 (one per address), 2 s handshake
 * and request deadlines, and the given number of workers.
 */
static pid_t
small_daemon(const char *port, int workers)
{
	char	extra[256];

	snprintf(extra, sizeof extra, "workers = %d\nmax_connections = 2\n"
	    "max_per_address = 1\nhandshake_timeout = 2\n"
	    "request_timeout = 2\nidle_timeout = 1\n", workers);
	if (put_config("small.conf", port, "small-data", extra) != 0)
		return -1;
	return spawn_daemon("small.conf", "small.log", port);
}

static void
small_stop(pid_t pid)
{
	int	st;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

void
daemon_connection_cap(void)
{
	char	port[16];
	pid_t	pid;
	int	a, b, http = 0, rc;

	CU_ASSERT_FATAL(harness_free_port(port, sizeof port) == 0);
	pid = small_daemon(port, 2);
	CU_ASSERT_FATAL(pid > 0);

	/*
	 * Two silent connections from two addresses fill the cap: a third,
	 * from a third address, is not served.
	 */
	a = tcp_connect_from(port, "127.0.0.2");
	b = tcp_connect_from(port, "127.0.0.3");
	CU_ASSERT(a >= 0 && b >= 0);
	usleep(200 * 1000);
	rc = livez(port, 1, &http);
	CU_ASSERT_EQUAL(rc, 28);	/* curl: operation timed out */
	CU_ASSERT_NOT_EQUAL(http, 200);

	/*
	 * They leave: every worker accepts again, whichever paused (the
	 * kernel spreads new connections over both workers' sockets).
	 */
	close(a);
	close(b);
	usleep(200 * 1000);
	for (int i = 0; i < 8; i++) {
		rc = livez(port, 5, &http);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(http, 200);
	}
	/* Stopping with a connection still open is clean too. */
	a = tcp_connect(port);
	CU_ASSERT(a >= 0);
	usleep(200 * 1000);
	small_stop(pid);
	close(a);
}

void
daemon_deadline(void)
{
	struct pollfd	pfd;
	char		port[16], buf[256];
	pid_t		pid;
	ssize_t		n;
	int		fd, i, closed = 0;

	CU_ASSERT_FATAL(harness_free_port(port, sizeof port) == 0);
	pid = small_daemon(port, 1);
	CU_ASSERT_FATAL(pid > 0);

	/*
	 * A peer that keeps sending (a byte every 300 ms, never a whole
	 * handshake) still meets the 2 s deadline: it is a total, not an
	 * idle timer. Bounded at 20 s; the server must close first.
	 */
	fd = tcp_connect(port);
	CU_ASSERT_FATAL(fd >= 0);
	/*
	 * A well-formed TLS record header announcing a 512-byte handshake
	 * record: the server can only wait for the body, which then comes a
	 * byte at a time, so nothing but the deadline ends the connection.
	 */
	CU_ASSERT_FATAL(write(fd, "\x16\x03\x01\x02\x00", 5) == 5);
	for (i = 0; i < 66 && !closed; i++) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 300) == 1) {
			n = read(fd, buf, sizeof buf);
			closed = n == 0 || (n < 0 && errno == ECONNRESET);
			continue;
		}
		if (write(fd, "\x01", 1) != 1)
			closed = 1;
	}
	CU_ASSERT(closed);
	CU_ASSERT(i < 66);
	close(fd);

	/*
	 * After the handshake, a head that trickles in and then a body that
	 * does meet the request deadline too (handshake 2 s + request 2 s
	 * for the first request): closed within 8 s, not kept by the bytes.
	 */
	CU_ASSERT(trickle(port, "GET /livez HTTP/1.1\r\nHost: localhost\r\n",
	    "X-Slow: 1234567890123456789012345678901234567890"));
	CU_ASSERT(trickle(port, "POST /v1/auditors HTTP/1.1\r\nHost: "
	    "localhost\r\nContent-Type: application/json\r\n"
	    "Content-Length: 100\r\n\r\n",
	    "{\"id\":\"slow\",\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
	small_stop(pid);
}

/*
 * Send head at once, then drip's bytes one every 250 ms: 1 if the server
 * closes the connection within 8 s (the request deadline), 0 if not.
 */
static int
trickle(const char *port, const char *head, const char *drip)
{
	struct rawtls_result	 res;
	struct rawtls		*c;
	char			 err[256];
	size_t			 i;
	long			 t0 = mono_ms();
	int			 closed = 0;

	if ((c = rawtls_open(port, "admin", 250, err, sizeof err)) == NULL) {
		printf("\n  ** trickle: %s\n", err);
		return 0;
	}
	rawtls_send(c, head, strlen(head));
	for (i = 0; !closed && mono_ms() - t0 < 8000; i++) {
		if (drip[i % strlen(drip)] != '\0' &&
		    rawtls_send(c, drip + i % strlen(drip), 1) != 0)
			closed = 1;
		memset(&res, 0, sizeof res);
		rawtls_recv(c, &res);
		closed |= res.closed;
		rawtls_result_free(&res);
	}
	rawtls_close(c);
	if (!closed)
		printf("\n  ** a trickling request was not closed at its "
		    "deadline\n");
	return closed && mono_ms() - t0 >= 3000;
}

/*
 * Thousands of idle TCP connections from 127.0.0.2, none ever starting a
 * handshake: the server keeps at most max_per_address (64) of them and
 * closes the rest at once, so a client on 127.0.0.1 is still answered
 * within a second, every time.
 */
void
daemon_flood(void)
{
	struct pollfd	*pfd;
	char		 buf[16];
	int		 i, n = 0, open = 0, http = 0, slow = 0;
	enum { FLOOD = 3000 };

	CU_ASSERT_FATAL((pfd = calloc(FLOOD, sizeof *pfd)) != NULL);
	for (i = 0; i < FLOOD; i++) {
		pfd[i].fd = tcp_connect_from(harness.port, "127.0.0.2");
		pfd[i].events = POLLIN;
		n += pfd[i].fd >= 0;
		if (i % 500 == 499) {
			/* Answered while the flood goes on, within 1 s. */
			long t0 = mono_ms();
			int rc = livez(harness.port, 1, &http);

			slow += rc != 0 || http != 200 ||
			    mono_ms() - t0 > 1000;
		}
	}
	CU_ASSERT(n > FLOOD / 2);
	for (i = 0; i < 5; i++) {
		long t0 = mono_ms();
		int rc = livez(harness.port, 1, &http);

		slow += rc != 0 || http != 200 || mono_ms() - t0 > 1000;
	}
	CU_ASSERT_EQUAL(slow, 0);
	/* The server closed all but its cap's worth. */
	usleep(300 * 1000);
	poll(pfd, FLOOD, 0);
	for (i = 0; i < FLOOD; i++) {
		if (pfd[i].fd < 0)
			continue;
		if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
		    read(pfd[i].fd, buf, sizeof buf) > 0)
			open++;
		close(pfd[i].fd);
	}
	free(pfd);
	if (open > 64 || open == 0 || slow != 0)
		printf("\n  ** %d of %d connections from 127.0.0.2 kept, %d "
		    "slow answers on 127.0.0.1\n", open, n, slow);
	CU_ASSERT(open <= 64 && open > 0);
}

void
daemon_port_taken(void)
{
	char		conf[PATH_MAX];
	struct proc	p;

	/* The suite's daemon holds the port: a second one must not share it. */
	CU_ASSERT_FATAL(put_config("twin.conf", harness.port, "twin-data",
	    "workers = 2\n") == 0);
	harness_file(conf, "twin.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-f", conf, NULL }),
	    1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "Address already in use"));
	if (p.code != 1)	/* say why: seen once under valgrind */
		printf("\n  ** second auditord: exit %d%s\n%s", p.code,
		    p.timed_out ? " (killed at the deadline)" : "", p.err);
	harness_proc_free(&p);
}
