/*
 * harness.c: sets up and tears down the API tests' world (see harness.h):
 * a temporary directory, certificates, the real auditord, and children run
 * with captured output and a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "client.h"
#include "harness.h"

/*
 * Client certificates carol and dave (the CLI's principals), erin (the one
 * auth_disable disables), frank (auth_principals maps it) and grace
 * (reports_own_scope points hers at one auditor after another), signed by
 * mkcerts.sh's CA: each case that maps a certificate has its own.
 */
#define EXTRA_CERTS							\
	"set -e; cd \"$1\"; umask 077; "				\
	"for n in carol dave erin frank grace; do "			\
	"openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "	\
	"-out $n.key 2>/dev/null; "					\
	"openssl req -new -key $n.key -subj \"/CN=$n\" -out $n.csr; "	\
	"printf 'basicConstraints=critical,CA:FALSE\\n"			\
	"keyUsage=critical,digitalSignature\\n"				\
	"extendedKeyUsage=clientAuth\\n' > $n.ext; "			\
	"openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key "		\
	"-CAcreateserial -sha256 -days 30 -extfile $n.ext -out $n.crt "	\
	"2>/dev/null; rm -f $n.csr $n.ext; chmod 644 $n.crt; done; "	\
	"rm -f ./*.srl"

struct harness	harness;

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
harness_file(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", harness.dir, name);
	return out;
}

char *const *
harness_env(const char *const extra[])
{
	static char	 path[PATH_MAX + 8], home[PATH_MAX + 8];
	static char	*env[16];
	const char	*p = getenv("PATH");
	size_t		 n = 0;

	snprintf(path, sizeof path, "PATH=%s",
	    p != NULL ? p : "/usr/local/bin:/usr/bin:/bin");
	snprintf(home, sizeof home, "HOME=%s/home", harness.dir);
	env[n++] = path;
	env[n++] = home;
	env[n++] = (char *)"LC_ALL=C";
	for (; extra != NULL && *extra != NULL && n < 15; extra++)
		env[n++] = (char *)*extra;
	env[n] = NULL;
	return env;
}

void
harness_proc_free(struct proc *p)
{
	if (p == NULL)
		return;
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}

/* Append what fd has to read onto *buf; 0 on EOF, 1 if more may come. */
static int
drain(int fd, char **buf, size_t *len, size_t *cap)
{
	char	tmp[8192];
	ssize_t	n;
	char	*nb;

	n = read(fd, tmp, sizeof tmp);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	if (*len + (size_t)n + 1 > *cap) {
		*cap = (*len + (size_t)n + 1) * 2;
		if ((nb = realloc(*buf, *cap)) == NULL)
			return 0;
		*buf = nb;
	}
	memcpy(*buf + *len, tmp, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return 1;
}

static int
status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

int
harness_run(const char *const argv[], char *const envp[], const char *in,
    size_t inlen, int timeout_ms, struct proc *p)
{
	posix_spawn_file_actions_t	 fa;
	int				 po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	int				 pi[2] = { -1, -1 }, st, rc;
	int				 fa_ok = 0;
	size_t				 ocap = 0, ecap = 0, off = 0;
	long				 deadline = now_ms() + timeout_ms;
	pid_t				 pid;

	memset(p, 0, sizeof *p);
	p->code = -1;
	p->out = calloc(1, 1);
	p->err = calloc(1, 1);
	if (p->out == NULL || p->err == NULL)
		goto done;
	ocap = ecap = 1;
	if (pipe2(po, O_CLOEXEC) == -1 || pipe2(pe, O_CLOEXEC) == -1 ||
	    (in != NULL && pipe2(pi, O_CLOEXEC) == -1))
		goto done;
	if (posix_spawn_file_actions_init(&fa) != 0)
		goto done;
	fa_ok = 1;
	if (in != NULL)
		posix_spawn_file_actions_adddup2(&fa, pi[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	if ((rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
	    envp != NULL ? envp : harness_env(NULL))) != 0) {
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(rc));
		goto done;
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (in != NULL) {
		close(pi[0]);
		pi[0] = -1;
		fcntl(pi[1], F_SETFL, O_NONBLOCK);
		if (inlen == 0) {
			close(pi[1]);
			pi[1] = -1;
		}
	}
	while (po[0] != -1 || pe[0] != -1) {
		struct pollfd	pfd[3];
		int		n = 0, left = (int)(deadline - now_ms());

		if (left <= 0) {
			kill(pid, SIGKILL);
			p->timed_out = 1;
			break;
		}
		pfd[n++] = (struct pollfd){ .fd = po[0], .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = pe[0], .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = pi[1], .events = POLLOUT };
		if (poll(pfd, (nfds_t)n, left) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents && !drain(po[0], &p->out, &p->outlen,
		    &ocap)) {
			close(po[0]);
			po[0] = -1;
		}
		if (pfd[1].revents && !drain(pe[0], &p->err, &p->errlen,
		    &ecap)) {
			close(pe[0]);
			pe[0] = -1;
		}
		if (pfd[2].revents) {
			ssize_t	w = write(pi[1], in + off, inlen - off);

			if (w > 0)
				off += (size_t)w;
			if ((w < 0 && errno != EAGAIN) || off == inlen) {
				close(pi[1]);
				pi[1] = -1;
			}
		}
	}
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	p->code = p->timed_out ? -1 : status_code(st);
done:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++) {
		if (po[i] != -1)
			close(po[i]);
		if (pe[i] != -1)
			close(pe[i]);
		if (pi[i] != -1)
			close(pi[i]);
	}
	return p->code;
}

int
harness_log_has(const char *needle)
{
	FILE	*f;
	char	 line[4096];
	int	 found = 0;

	if (harness.log[0] == '\0' || (f = fopen(harness.log, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

void
harness_print_log(void)
{
	FILE	*f;
	char	 line[4096];

	if (harness.log[0] == '\0' || (f = fopen(harness.log, "r")) == NULL)
		return;
	printf("---- auditord log (%s) ----\n", harness.log);
	while (fgets(line, sizeof line, f) != NULL)
		fputs(line, stdout);
	printf("---- end of log ----\n");
	fclose(f);
}

int
harness_free_port(char *out, size_t len)
{
	struct sockaddr_in	sin = { .sin_family = AF_INET };
	socklen_t		slen = sizeof sin;
	int			fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &slen) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	snprintf(out, len, "%u", (unsigned)ntohs(sin.sin_port));
	return 0;
}

/* Resolve a program path: $var if set, else def relative to the cwd. */
static int
program(char *out, const char *var, const char *def)
{
	const char	*p = getenv(var);

	if (p == NULL || *p == '\0')
		p = def;
	if (realpath(p, out) == NULL || access(out, R_OK) == -1) {
		fprintf(stderr, "%s: %s (run from the repository root after "
		    "`make all`, or set %s)\n", p, strerror(errno), var);
		return -1;
	}
	return 0;
}

static int
write_config(const char *path)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "[server]\nlisten = 127.0.0.1:%s\nworkers = 2\n\n"
	    "[tls]\ncert = %s/server.crt\nkey = %s/server.key\n"
	    "ca = %s/ca.crt\n\n[store]\npath = %s/data\nmap_size = 64M\n",
	    harness.port, harness.dir, harness.dir, harness.dir, harness.dir);
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Run a setup command; print what it said when it fails. */
static int
step(const char *what, const char *const argv[])
{
	struct proc	p;
	int		rc;

	rc = harness_run(argv, NULL, NULL, 0, 60000, &p);
	if (rc != 0)
		fprintf(stderr, "%s failed (exit %d):\n%s%s", what, rc,
		    p.out, p.err);
	harness_proc_free(&p);
	return rc == 0 ? 0 : -1;
}

static int
start_daemon(const char *conf)
{
	harness.pid = harness_spawn(conf, harness.log);
	return harness.pid > 0 ? 0 : -1;
}

pid_t
harness_spawn(const char *conf, const char *log)
{
	posix_spawn_file_actions_t	 fa;
	const char			*argv[] = { harness.auditord, "-d",
					    "-f", conf, NULL };
	pid_t				 pid;
	int				 rc;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return 0;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, log,
	    O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	rc = posix_spawn(&pid, harness.auditord, &fa, NULL,
	    (char *const *)argv, harness_env(NULL));
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "cannot start %s: %s\n", harness.auditord,
		    strerror(rc));
		return 0;
	}
	return pid;
}

/* Poll /livez until 200, the daemon exits, or timeout_ms pass. */
static int
wait_ready(int timeout_ms)
{
	long		deadline = now_ms() + timeout_ms;
	struct resp	r;
	int		st;

	while (now_ms() < deadline) {
		if (waitpid(harness.pid, &st, WNOHANG) == harness.pid) {
			fprintf(stderr, "auditord exited early (status %d)\n",
			    status_code(st));
			harness.pid = 0;
			return -1;
		}
		client_http(&r, "admin", "GET", "/livez", NULL, NULL);
		st = r.status;
		client_resp_free(&r);
		if (st == 200)
			return 0;
		usleep(100 * 1000);
	}
	fprintf(stderr, "auditord did not answer GET /livez with 200 within "
	    "%d ms\n", timeout_ms);
	return -1;
}

/*
 * The test killed (by a timeout, ^C) must not leave the daemon running:
 * kill() and _exit() are async-signal-safe. The directory stays behind.
 */
static void
on_signal(int sig)
{
	if (harness.pid > 0)
		kill(harness.pid, SIGKILL);
	_exit(128 + sig);
}

/* The steps of harness_setup(); -1 leaves what it made for the caller. */
static int
setup_steps(void)
{
	char		 conf[PATH_MAX], admin[PATH_MAX], home[PATH_MAX];
	const char	*tmp = getenv("TMPDIR");

	memset(&harness, 0, sizeof harness);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	if (program(harness.auditord, "AUDITORD", "build/auditord") == -1 ||
	    program(harness.auditorctl, "AUDITORCTL", "build/auditorctl") ==
	    -1 || program(harness.mkcerts, "MKCERTS", "certs/mkcerts.sh") ==
	    -1)
		return -1;
	snprintf(harness.dir, sizeof harness.dir, "%s/auditord-api.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(harness.dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", harness.dir,
		    strerror(errno));
		harness.dir[0] = '\0';
		return -1;
	}
	harness_file(harness.log, "auditord.log");
	if (mkdir(harness_file(home, "home"), 0700) == -1 ||
	    harness_free_port(harness.port, sizeof harness.port) == -1) {
		fprintf(stderr, "setup: %s\n", strerror(errno));
		return -1;
	}
	snprintf(harness.url, sizeof harness.url, "https://127.0.0.1:%s",
	    harness.port);
	harness_file(conf, "auditord.conf");
	harness_file(admin, "admin.crt");
	{
		const char	*mk[] = { "sh", harness.mkcerts, harness.dir,
				    NULL };
		/* More clients: see EXTRA_CERTS. */
		const char	*extra[] = { "sh", "-c", EXTRA_CERTS, "sh",
				    harness.dir, NULL };
		const char	*boot[] = { harness.auditord, "bootstrap",
				    "-f", conf, "--admin", "admin", "--cert",
				    admin, NULL };

		if (step("mkcerts.sh", mk) == -1)
			return -1;
		if (step("extra client certificates", extra) == -1)
			return -1;
		if (write_config(conf) == -1) {
			fprintf(stderr, "cannot write %s\n", conf);
			return -1;
		}
		if (step("auditord bootstrap", boot) == -1)
			return -1;
	}
	return harness_start();
}

int
harness_setup(void)
{
	/* CUnit runs no cleanup after a failed init: tidy up here. */
	if (setup_steps() == -1) {
		harness_teardown();
		return -1;
	}
	return 0;
}

int
harness_start(void)
{
	char	conf[PATH_MAX];

	if (start_daemon(harness_file(conf, "auditord.conf")) == -1)
		return -1;
	if (wait_ready(10000) == -1) {
		harness_print_log();
		return -1;
	}
	return 0;
}

int
harness_stop(int timeout_ms)
{
	long	deadline = now_ms() + timeout_ms;
	int	st;
	pid_t	r;

	if (harness.pid == 0)
		return 0;
	kill(harness.pid, SIGTERM);
	while ((r = waitpid(harness.pid, &st, WNOHANG)) == 0 &&
	    now_ms() < deadline)
		usleep(20 * 1000);
	if (r == 0) {
		kill(harness.pid, SIGKILL);
		waitpid(harness.pid, &st, 0);
		harness.pid = 0;
		return -1;
	}
	harness.pid = 0;
	return r == -1 ? -1 : status_code(st);
}

int
harness_alive(void)
{
	int	st;
	pid_t	r;

	if (harness.pid == 0)
		return 0;
	if ((r = waitpid(harness.pid, &st, WNOHANG)) == 0)
		return 1;
	printf("\n  ** auditord (pid %ld) is gone: exit status %d\n",
	    (long)harness.pid, r == harness.pid ? status_code(st) : -1);
	harness_print_log();
	harness.pid = 0;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == -1 ? -1 : 0;
}

int
harness_teardown(void)
{
	int	rc = 0;

	if (harness.pid != 0 && harness_stop(5000) != 0) {
		fprintf(stderr, "auditord did not stop cleanly\n");
		harness_print_log();
		rc = -1;
	}
	if (harness.dir[0] != '\0') {
		if (getenv("AUDITORD_API_KEEP") != NULL)
			printf("kept %s\n", harness.dir);
		else
			nftw(harness.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	return rc;
}
