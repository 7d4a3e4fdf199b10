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
#include <unistd.h>

#include "cases.h"

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

	/* The suite's own configuration passes. */
	harness_file(conf, "auditord.conf");
	CU_ASSERT_EQUAL(run_auditord(&p, (const char *[]){ "-n", "-f", conf,
	    NULL }), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "configuration OK"));
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

void
daemon_sighup(void)
{
	struct resp	 r;
	char		 log[1 << 16];
	FILE		*f;
	size_t		 n;
	int		 i, seen = 0;

	CU_ASSERT_FATAL(harness.pid > 0);
	CU_ASSERT_EQUAL(kill(harness.pid, SIGHUP), 0);
	/* The reload is logged once every worker took the new material. */
	for (i = 0; i < 50 && !seen; i++) {
		usleep(100 * 1000);
		if ((f = fopen(harness.log, "r")) == NULL)
			continue;
		n = fread(log, 1, sizeof log - 1, f);
		log[n] = '\0';
		fclose(f);
		seen = strstr(log, "TLS certificates reloaded") != NULL;
	}
	CU_ASSERT(seen);
	/* And it goes on answering, still as the same principals. */
	client_http(&r, "admin", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "admin");
	client_resp_free(&r);
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

static int
tcp_connect(const char *port)
{
	struct sockaddr_in	sin;
	int			fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A second daemon with max_connections 2 and a 2 s request deadline, and
 * the given number of workers.
 */
static pid_t
small_daemon(const char *port, int workers)
{
	char		conf[PATH_MAX], log[PATH_MAX];
	const char	*argv[] = { harness.auditord, "-f", conf, NULL };
	posix_spawn_file_actions_t fa;
	pid_t		pid;
	int		i, http = 0;

	char		extra[256];

	snprintf(extra, sizeof extra, "workers = %d\nmax_connections = 2\n"
	    "request_timeout = 2\nidle_timeout = 1\n", workers);
	if (put_config("small.conf", port, "small-data", extra) != 0)
		return -1;
	harness_file(conf, "small.conf");
	harness_file(log, "small.log");
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

	/* Two silent connections fill the cap: a third is not served. */
	a = tcp_connect(port);
	b = tcp_connect(port);
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
	small_stop(pid);
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
	harness_proc_free(&p);
}
