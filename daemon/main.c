/*
 * main.c: auditord's entry: options, configuration, the store, the worker
 * threads, signals and systemd's notifications; and `auditord bootstrap`,
 * which registers the first admin principal offline.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <event2/thread.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "config.h"
#include "log.h"
#include "offline.h"
#include "preflight.h"
#include "systemd.h"
#include "api/api.h"
#include "api/records.h"
#include "schema/schema.h"
#include "store/store.h"
#include "tls.h"
#include "server/worker.h"
#include "version.h"


static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	fprintf(f,
	    "usage: auditord [-dn] [-f file] | --help | --version\n"
	    "       auditord bootstrap [-f file] --admin NAME --cert PEM "
	    "[--if-empty]\n"
	    "%s"
	    "  -d             stay in the foreground and log debug messages\n"
	    "  -f file        configuration (default %s)\n"
	    "  -n             check the configuration and certificates, then "
	    "exit\n"
	    "  -h, --help     print this\n"
	    "  -V, --version  print the version\n"
	    "bootstrap registers the first admin principal NAME for the "
	    "certificate in PEM,\n"
	    "with the daemon stopped; --if-empty makes it do nothing when "
	    "principals exist.\n"
	    "verify-events, check-store, compact and restore work on the "
	    "store with the\ndaemon stopped (auditord(8)).\n", offline_usage,
	    CONFIG_PATH);
	exit(status);
}

/* Open the store and seed a fresh one. NULL after logging why. */
static struct store *
open_store(const struct config *c)
{
	struct store_opts	 o;
	struct store		*st;
	char			 err[256];
	int			 rc;

	offline_store_opts(c, &o);
	st = store_open(&o, err, sizeof err);
	if (st == NULL) {
		log_warnx("store %s: %s", c->store_path, err);
		return NULL;
	}
	if (store_fresh(st)) {
		if ((rc = areas_seed(st)) != 0) {
			log_warnx("seeding the store: %s", store_strerror(rc));
			store_free(st);
			return NULL;
		}
		log_info("new store in %s, seeded with the ISO/IEC 27006 "
		    "knowledge areas", c->store_path);
	}
	return st;
}

/* Start-up: where the store is and how full. */
static void
log_store(const struct config *c, struct store *st)
{
	MDB_envinfo	info;
	MDB_stat	ms;

	if (mdb_env_info(store_env(st), &info) != 0 ||
	    mdb_env_stat(store_env(st), &ms) != 0)
		return;
	log_info("store %s: %zu KiB used of a %zu MiB map", c->store_path,
	    (size_t)(info.me_last_pgno + 1) * ms.ms_psize / 1024,
	    info.me_mapsize >> 20);
}

struct boot {
	const char	*name;
	char		 sha[SHA256_HEX];
	json_t		*errors;
	struct store_err err;
};

static int
boot_apply(struct store_txn *t, void *arg)
{
	struct boot	*b = arg;
	json_t		*doc;
	char		 now[32];
	int		 rc;

	util_now_rfc3339(now, sizeof now);
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:[s], s:b}", "id",
	    b->name, "rev", 1, "created", now, "updated", now, "name", b->name,
	    "role", "admin", "certs", b->sha, "disabled", 0);
	if (doc == NULL)
		return STORE_IO;
	if (schema_validate(schema_builtin("principal"), doc, b->errors, 10) !=
	    0) {
		json_decref(doc);
		return STORE_INVALID;
	}
	rc = store_txn_put(t, "principals", b->name, doc, STORE_REV_CREATE,
	    NULL, NULL, &b->err);
	json_decref(doc);
	return rc;
}

static int
count_one(const char *id, const MDB_val *doc, void *arg)
{
	(void)id;
	(void)doc;
	(*(int *)arg)++;
	return 1;
}

/* 1 if any principal exists (or the store cannot say: do nothing then). */
static int
has_principals(struct store *st)
{
	MDB_txn	*txn;
	char	 next[ID_MAX + 1];
	int	 n = 0, rc;

	if (store_read_begin(st, &txn) != 0)
		return 1;
	rc = store_list(st, txn, "principals", NULL, 1, count_one, &n, next);
	store_read_end(st, txn);
	return rc != 0 || n > 0;
}

static int
bootstrap(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "admin", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "if-empty", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*file = CONFIG_PATH, *cert = NULL;
	struct boot		 b;
	struct config		*c = NULL;
	struct store		*st = NULL;
	mbedtls_x509_crt	 crt;
	unsigned char		 md[32];
	char			 err[256];
	int			 ch, ifempty = 0, rc, status = 1;

	memset(&b, 0, sizeof b);
	mbedtls_x509_crt_init(&crt);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': file = optarg; break;
		case 'a': b.name = optarg; break;
		case 'c': cert = optarg; break;
		case 'e': ifempty = 1; break;
		case 'h': usage(0);
		default: usage(2);
		}
	}
	if (optind != argc || b.name == NULL || cert == NULL)
		usage(2);
	if (!util_id_valid(b.name)) {
		log_warnx("--admin: '%s' is not a record id "
		    "([A-Za-z0-9._-], 1 to 64)", b.name);
		return 2;
	}
	if ((rc = mbedtls_x509_crt_parse_file(&crt, cert)) != 0) {
		log_warnx("%s: not a PEM or DER certificate (mbedTLS -0x%04x)",
		    cert, (unsigned)-rc);
		goto out;
	}
	mbedtls_sha256_ret(crt.raw.p, crt.raw.len, md, 0);
	util_hex(md, sizeof md, b.sha);

	if ((c = config_load(file, err, sizeof err)) == NULL) {
		log_warnx("%s", err);
		goto out;
	}
	if (schema_builtin_init(err, sizeof err) != 0) {
		log_warnx("schemas: %s", err);
		goto out;
	}
	if ((st = open_store(c)) == NULL)
		goto out;
	if (ifempty && has_principals(st)) {
		log_info("principals exist already; nothing to do");
		status = 0;
		goto out;
	}
	b.errors = json_array();
	rc = store_write(st, boot_apply, &b, "bootstrap");
	if (rc == STORE_INVALID) {
		log_warnx("the admin principal is not valid: %s",
		    json_string_value(json_object_get(json_array_get(b.errors,
		    0), "message")));
		goto out;
	}
	if (rc != 0) {
		log_warnx("cannot register %s: %s%s%s", b.name,
		    store_strerror(rc), b.err.message[0] ? ": " : "",
		    b.err.message);
		goto out;
	}
	log_info("registered admin principal '%s' for certificate %s", b.name,
	    b.sha);
	status = 0;
out:
	json_decref(b.errors);
	store_free(st);
	config_free(c);
	mbedtls_x509_crt_free(&crt);
	return status;
}

/* A failed notification is logged: the manager would time out silently. */
static void
notify(const char *what, const char *status)
{
	struct timespec	ts;
	int		rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* systemd wants the time of a reload's start with RELOADING=1. */
	if (strcmp(what, "RELOADING=1") == 0)
		rc = systemd_notify("%s\nMONOTONIC_USEC=%llu", what,
		    (unsigned long long)ts.tv_sec * 1000000ULL +
		    (unsigned long long)ts.tv_nsec / 1000);
	else if (status != NULL)
		rc = systemd_notify("%s\nSTATUS=%s", what, status);
	else
		rc = systemd_notify("%s", what);
	if (rc == -1)
		log_warn("systemd notification %s", what);
}

#define CRL_WARN_SECS	(7 * 86400)	/* warn this long before nextUpdate */

/*
 * Look at the CA and CRL files as they are now. When whom we trust
 * changed since the last look (trust holds its digest; all zero at
 * start), new ticket keys, so that no session resumes on a ticket issued
 * under the old CA or CRL; reload first when reload is set (the periodic
 * check: SIGHUP has reloaded already). Warns when the CRL falls due within
 * CRL_WARN_SECS or is past due.
 */
static void
trust_check(struct server *srv, unsigned char trust[32], int reload)
{
	const struct config	*c = srv->cfg;
	struct tls_files	*f;
	unsigned char		 now_sha[32];
	char			 err[256], when[32];
	time_t			 next, now = time(NULL);
	struct tm		 tm;

	if ((f = tls_files_read(NULL, NULL, c->ca, c->crl, err,
	    sizeof err)) == NULL) {
		log_warnx("CA or CRL check: %s", err);
		return;
	}
	tls_files_trust_sha256(f, now_sha);
	if (memcmp(now_sha, trust, sizeof now_sha) != 0) {
		if (reload) {
			log_info("the CA or CRL file changed: reloading");
			server_reload(srv);
		}
		if (tls_shared_tickets(srv->tls, (unsigned)c->crl_check_interval,
		    err, sizeof err) != 0)
			log_warnx("session tickets: %s", err);
		else {
			memcpy(trust, now_sha, sizeof now_sha);
			log_info("new session-ticket keys, tickets last %d s "
			    "(the CA or CRL is new)", c->crl_check_interval);
		}
	}
	if (tls_files_crl_next_update(f, &next) == 0 &&
	    next - now < CRL_WARN_SECS) {
		gmtime_r(&next, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		log_warnx("the CRL %s %s %s (next update): publish a new one "
		    "and reload", c->crl, next <= now ? "was due at" :
		    "falls due at", when);
	}
	tls_files_free(f);
}


/* "127.0.0.1:8443" or "[::1]:8443": the address the workers accept on. */
static void
bound_address(const struct server *srv, char *out, size_t len)
{
	struct sockaddr_storage	ss;
	socklen_t		sl = sizeof ss;

	memset(&ss, 0, sizeof ss);
	if (srv->nworkers == 0 || getsockname(evconnlistener_get_fd(
	    srv->workers[0].listener), (struct sockaddr *)&ss, &sl) != 0)
		ss.ss_family = AF_UNSPEC;
	util_sockaddr_str((struct sockaddr *)&ss, out, len);
}

static void
notify_ready(const struct server *srv)
{
	char	addr[96], status[160];

	bound_address(srv, addr, sizeof addr);
	snprintf(status, sizeof status, "listening on %s with %d workers",
	    addr, srv->nworkers);
	notify("READY=1", status);
}

/*
 * SIGHUP: the configuration file again; what may change live is taken
 * (config_apply_live), then the TLS material. A file that does not load
 * changes nothing, not even the certificates.
 */
static void
reload(struct server *srv, const char *file, int debug)
{
	struct config	*next;
	char		 err[256];

	notify("RELOADING=1", NULL);
	if ((next = config_load(file, err, sizeof err)) == NULL) {
		log_warnx("reload failed, keeping the running configuration "
		    "and TLS material: %s", err);
	} else {
		config_apply_live(srv->cfg, next);
		config_free(next);
		if (!debug)
			log_set_level(srv->cfg->log_level);
		log_info("reloaded %s: max_connections %d, request_timeout "
		    "%d s, idle_timeout %d s, max_body %zu, max_headers %zu, "
		    "log level %s, access log %s", file,
		    srv->cfg->max_connections, srv->cfg->request_timeout,
		    srv->cfg->idle_timeout, (size_t)srv->cfg->max_body,
		    (size_t)srv->cfg->max_headers,
		    log_level_name(log_get_level()),
		    srv->cfg->log_access ? "on" : "off");
		/* server_reload logs the TLS outcome, once. */
		server_reload(srv);
	}
	notify_ready(srv);
}

/*
 * Until SIGTERM or SIGINT; SIGHUP reloads, and every crl_check_interval
 * the CA and CRL files are looked at again.
 */
static void
wait_signals(struct server *srv, sigset_t *set, const char *file, int debug)
{
	unsigned char	trust[32];
	struct timespec	ts;
	int		sig;

	memset(trust, 0, sizeof trust);
	trust_check(srv, trust, 0);
	for (;;) {
		ts.tv_sec = srv->cfg->crl_check_interval;
		ts.tv_nsec = 0;
		if ((sig = sigtimedwait(set, NULL, &ts)) == -1) {
			if (errno == EAGAIN)
				trust_check(srv, trust, 1);
			continue;
		}
		if (sig == SIGHUP) {
			reload(srv, file, debug);
			trust_check(srv, trust, 0);
			continue;
		}
		notify("STOPPING=1", NULL);
		log_info("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		return;
	}
}

static int
serve(const char *file, int checkonly, int debug)
{
	struct server	 srv;
	struct config	*c;
	sigset_t	 set;
	char		 err[256];
	int		 n, nfds, first_fd = -1, status = 1;

	memset(&srv, 0, sizeof srv);
	if ((c = config_load(file, err, sizeof err)) == NULL) {
		log_warnx("%s", err);
		return 1;
	}
	if (!debug)
		log_set_level(c->log_level);
	if (!checkonly)
		log_info("auditord %s, configuration %s", AUDITORD_VERSION,
		    file);
	/* Taken (and the variables unset) before any thread exists. */
	if ((nfds = systemd_listen_fds(&first_fd, err, sizeof err)) == -1) {
		log_warnx("%s", err);
		goto out;
	}
	srv.cfg = c;
	srv.listen_fds = &first_fd;
	srv.nlisten_fds = nfds;
	if (nfds > 0)
		log_info("socket activation: listening on the inherited "
		    "socket (fd %d), not on [server] listen", first_fd);
	if (c->key_from_credential)
		log_info("server key from systemd credential %s (%s)",
		    c->key_credential, c->key);
	srv.app = &api_app;
	if (schema_builtin_init(err, sizeof err) != 0) {
		log_warnx("schemas: %s", err);
		goto out;
	}
	/* A route without a grant for every role never serves. */
	if (api_init(err, sizeof err) != 0) {
		log_warnx("routes: %s", err);
		goto out;
	}
	if ((srv.tls = tls_shared_new(err, sizeof err)) == NULL) {
		log_warnx("TLS: %s", err);
		goto out;
	}
	/* Before any server context is made: they read it. */
	tls_shared_client_optional(srv.tls, c->tokens);
	if (checkonly) {
		if (preflight_check(c, srv.tls, nfds) == 0) {
			printf("configuration OK\n");
			status = 0;
		}
		goto out;
	}
	if (evthread_use_pthreads() != 0) {
		log_warnx("libevent has no pthreads support");
		goto out;
	}
	if ((srv.store = open_store(c)) == NULL)
		goto out;
	log_store(c, srv.store);

	/* Signals go to this thread's sigwait alone, never to a worker. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	n = config_workers(c, sysconf(_SC_NPROCESSORS_ONLN));
	if (server_start(&srv, n, err, sizeof err) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	notify_ready(&srv);
	wait_signals(&srv, &set, file, debug);
	server_stop(&srv);
	store_free(srv.store);
	srv.store = NULL;
	server_free(&srv);
	status = 0;
out:
	store_free(srv.store);
	tls_shared_free(srv.tls);
	config_free(c);
	/* libevent's global locks: nothing of libevent's is left by now. */
	libevent_global_shutdown();
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option	opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char			*file = CONFIG_PATH;
	int				 ch, debug = 0, checkonly = 0;

	util_malloc_tune();
	log_init("auditord", 0);
	/* A peer that goes away must not kill the process. */
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "bootstrap") == 0)
		return bootstrap(argc - 1, argv + 1);
	if (argc > 1 && (ch = offline_main(argc - 1, argv + 1)) != -1)
		return ch;
	while ((ch = getopt_long(argc, argv, "df:hnV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': debug = 1; break;
		case 'f': file = optarg; break;
		case 'n': checkonly = 1; break;
		case 'h': usage(0);
		case 'V':
			printf("auditord %s\n", AUDITORD_VERSION);
			return 0;
		default: usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	log_init("auditord", debug);
	return serve(file, checkonly, debug);
}
